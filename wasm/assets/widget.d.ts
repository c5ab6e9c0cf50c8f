// TypeScript declarations for the triggerwidget JavaScript API.
// Usage: reference this file, then use TriggerWidget (or
// window.TriggerWidget). Before widget.js has run, the object holds only
// what the page put there: create it with
//   window.TriggerWidget = window.TriggerWidget || ({} as TriggerWidgetAPI);
// and set on… callbacks on it; call methods once the script has run (they
// are queued until the runtime is ready).

export type WidgetStatus = "online" | "away" | "offline";
export type ChatState = "none" | "requesting" | "served" | "ended";

/** The code of an error event: a closed set (docs/format.md explains each). */
export type ErrorCode =
  | "config"
  | "load"
  | "start"
  | "runtime"
  | "invalid_trigger"
  | "storage"
  | "timezone"
  | "api"
  | "input"
  | "form"
  | "ui"
  | "render"
  | "reload";

export interface Agent {
  name: string;
  image?: string;
}

export interface Attachment {
  kind: "image" | "file" | "link" | "form";
  url?: string;
  name?: string;
  size?: number;
  alt?: string;
  title?: string;
  submit?: string;
  fields?: { name: string; label?: string; type?: string; required?: boolean }[];
}

export interface Message {
  text: string;
  agent?: Agent;
  attachments?: Attachment[];
  suggestions?: string[];
}

export interface TranscriptEntry {
  id: number;
  kind: "trigger" | "visitor" | "agent" | "system";
  triggerId?: string;
  /** Unix time in milliseconds. */
  at: number;
  text?: string;
  agent?: Agent;
  attachments?: Attachment[];
  suggestions?: string[];
  /** True once the visitor has sent this message's form. */
  submitted?: boolean;
  /** True once the visitor has replied after this message: its suggestions are kept as text, no longer usable. */
  retired?: boolean;
  /** An agent message's id as the page gave it to agentMessage (as a string). */
  ref?: string;
}

export interface WidgetState {
  property: string;
  status: WidgetStatus;
  maximized: boolean;
  chat: ChatState;
  visit: { start: number; pageViews: number; visits: number; returning: boolean; url: string };
  tags: string[];
  attributes: Record<string, string>;
  fired: { triggerId: string; at: number }[];
  armed: { triggerId: string; due: number }[];
  messages: TranscriptEntry[];
}

export interface TriggerEvent { triggerId: string; entryId: number; message: Message }

export interface WidgetEvents {
  load: { property: string; status: WidgetStatus; triggers: number; skipped: string[]; version: string };
  triggerFired: TriggerEvent;
  messageShown: TriggerEvent;
  suggestionClicked: { triggerId: string; entryId: number; index: number; text: string };
  /** A message the visitor sent from the widget. */
  visitorMessage: { text: string; source: "input" | "suggestion" };
  formSubmitted: { triggerId: string; entryId: number; fields: Record<string, string> };
  /** The widget's leave-a-message form, sent while the status is not online. */
  offlineMessage: { name: string; email: string; message: string };
  maximized: { maximized: true };
  minimized: { maximized: false };
  statusChange: { status: WidgetStatus };
  emit: { name: string; data: unknown; triggerId: string };
  error: { code: ErrorCode; message: string; triggerId?: string };
}

type Listeners = {
  [K in keyof WidgetEvents as `on${Capitalize<K & string>}`]?: (event: WidgetEvents[K]) => void;
};

export interface TriggerWidgetAPI extends Listeners {
  // Chat state in.
  visitorMessage(text: string): void;
  /**
   * Shows an agent's message. With the chat platform's id for it, a
   * message already shown (relayed by another tab of the visitor, or
   * twice) is shown once.
   */
  agentMessage(message: string | { name?: string; text: string; id?: string | number }): void;
  agentJoined(name?: string): void;
  /**
   * Shows "NAME is typing…" until agentStoppedTyping(), the agent's next
   * message or chatEnded(), and at most 30 seconds after the last call:
   * call it again while the agent keeps typing.
   */
  agentTyping(name?: string): void;
  agentStoppedTyping(): void;
  chatEnded(): void;
  setStatus(status: WidgetStatus): void;
  // Widget.
  maximize(): void;
  minimize(): void;
  toggle(): void;
  hide(): void;
  show(): void;
  // Visitor.
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  addTags(tags: string | string[]): void;
  removeTags(tags: string | string[]): void;
  addEvent(name: string, data?: unknown): void;
  // Inspect. getState() and explain() return null until the runtime is
  // ready and after shutdown().
  getState(): WidgetState | null;
  explain(): unknown | null;
  reload(): void;
  // Removes the widget from the page; before the runtime is ready it takes
  // effect at once (the widget does not start) rather than being queued.
  shutdown(): void;
  // Listeners.
  on<K extends keyof WidgetEvents>(name: K, fn: (event: WidgetEvents[K]) => void): TriggerWidgetAPI;
  off<K extends keyof WidgetEvents>(name: K, fn: (event: WidgetEvents[K]) => void): TriggerWidgetAPI;
}

declare global {
  // eslint-disable-next-line no-var
  var TriggerWidget: TriggerWidgetAPI;
}
