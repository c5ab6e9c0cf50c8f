// The uses of the widget's JavaScript API that README.md documents, as a
// TypeScript page writes them. cmd/widget's tests compile this file against
// the declarations the build ships (wasm/assets/widget.d.ts) with
// `tsc --strict`: a declaration that breaks a documented use fails them.
// The last lines are uses the declarations must refuse.
import type { TriggerWidgetAPI, WidgetState } from "../../../../wasm/assets/widget";

// Before widget.js: the page creates the object and sets callbacks.
window.TriggerWidget = window.TriggerWidget || ({} as TriggerWidgetAPI);
window.TriggerWidget.onLoad = (e) => console.log(e.property, e.status, e.triggers, e.skipped, e.version);
TriggerWidget.onTriggerFired = (e) => console.log(e.triggerId, e.entryId, e.message.text);

// After it: methods, with the bare global name too.
TriggerWidget.visitorMessage("Do you ship to Norway?");
TriggerWidget.agentMessage({ name: "Ann", text: "We do.", id: 42 });
TriggerWidget.agentMessage({ text: "Anything else?", id: "m-7" });
TriggerWidget.agentMessage("We are here until 6 pm.");
TriggerWidget.agentJoined("Ann");
TriggerWidget.agentTyping();
TriggerWidget.agentStoppedTyping();
TriggerWidget.chatEnded();
TriggerWidget.setStatus("away");
window.TriggerWidget.maximize();
TriggerWidget.minimize();
TriggerWidget.toggle();
TriggerWidget.hide();
TriggerWidget.show();
TriggerWidget.setAttributes({ plan: "pro", cart_items: 3, returning: true });
TriggerWidget.addTags("vip");
TriggerWidget.addTags(["vip", "newsletter"]);
TriggerWidget.removeTags(["newsletter"]);
TriggerWidget.addEvent("viewed_pricing");
TriggerWidget.reload();

const state: WidgetState | null = TriggerWidget.getState();
if (state) {
  const last = state.messages[state.messages.length - 1];
  console.log(state.status, state.visit.pageViews, last?.retired, last?.submitted, last?.ref);
}
console.log(TriggerWidget.explain());

const onError = (e: { code: string; message: string; triggerId?: string }) => console.warn(e.code, e.message);
TriggerWidget.on("error", onError).on("statusChange", (e) => console.log(e.status));
TriggerWidget.off("error", onError);
TriggerWidget.on("suggestionClicked", (e) => console.log(e.index, e.text));
TriggerWidget.shutdown();

// What the declarations refuse.
// @ts-expect-error: no such status
TriggerWidget.setStatus("busy");
// @ts-expect-error: no such event
TriggerWidget.on("opened", () => {});
// @ts-expect-error: an agent message needs its text
TriggerWidget.agentMessage({ name: "Ann" });
// @ts-expect-error: attribute values are strings, numbers or booleans
TriggerWidget.setAttributes({ plan: { tier: 2 } });
