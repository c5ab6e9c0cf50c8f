//go:build js && wasm

// Package wasm is the browser platform of triggerwidget: it loads the trigger
// set, adapts localStorage, the page's navigation and the DOM to the pure-Go
// engine in package widget, and implements the TriggerWidget JavaScript API.
// It is the only package that touches the browser, and it does so through
// safejs only, so that every JS failure is an error, not a panic. Every JS
// callback recovers panics at the boundary and reports them through the
// error event: nothing here may throw into the host page.
package wasm

import (
	goruntime "runtime"
	"runtime/debug"
	"strings"
	"time"
	"unsafe"

	"github.com/hack-pad/safejs"

	"github.com/triggerwidget/triggerwidget/widget"
)

// SetTimeout bounds the wait for the trigger set.
const SetTimeout = 10 * time.Second

type runtime struct {
	boot       safejs.Value
	dispatchFn safejs.Value
	// ready is set when load goes out; until then every event is held,
	// in order, and delivered right after it (release).
	ready       bool
	releasing   bool
	held        []heldEvent
	base        string
	triggersURL string
	property    string
	version     string
	debug       bool

	set    *widget.Compiled
	engine *widget.Engine
	ui     *ui
	store  *localStorage
	tabs   *tabs

	env  widget.Env
	zone *intlZone

	funcs   []safejs.Func
	lastURL string

	// listen's machinery: the handlers, and the one Go function the
	// loader's listeners call with a handler's index.
	handlers  []func(ev safejs.Value)
	handler   safejs.Func
	handlerOK bool // handler is made

	// pause's machinery: the loader's yieldTo, and the function it calls
	// back, which wakes the start-up goroutine through resumed (so does
	// stop, so that a pause never waits on two channels: see await).
	yieldTo  safejs.Value
	idleTo   safejs.Value // the loader's: for what can wait for an idle moment
	resumeFn safejs.Func
	resumeOK bool // resumeFn is made
	resumed  chan struct{}

	done    chan struct{}
	stopped bool
}

// gcPercent is the runtime's GOGC once it is ready and the page has had
// an idle moment (settle), gcStartPercent until then. Its linear memory
// only grows: whatever the heap reaches once stays the page's for good.
// The widget's live data is small (a trigger set of at most 256 KiB, a
// capped visit state), so collecting when the heap has grown by a tenth
// rather than doubled costs little and keeps the memory a long visit
// leaves behind small. GOGC also sets the heap's floor (4 MB
// times GOGC/100): at 10, a collection comes once the heap reaches about
// 400 KB, which the start-up alone nearly allocates, and a collection in
// the middle of it delayed ready by 40 ms; at 20 it has none. A memory
// limit (debug.SetMemoryLimit) was tried too: set low enough to matter, it
// made the collector run on every event, at four times the CPU time per
// event; docs/design.md gives the figures.
const (
	gcStartPercent = 20
	gcPercent      = 10
)

// bootGlobal is where widget.js leaves its boot object (the loader's side
// of the runtime) for the runtime to take: a global of its own, since the
// page may replace window.TriggerWidget at any time.
const bootGlobal = "__triggerwidgetBoot"

// Main runs the widget until shutdown() or a fatal load error, then returns
// so the Go program can exit and free its memory.
func Main() {
	debug.SetGCPercent(gcStartPercent)
	rt := &runtime{done: make(chan struct{}), resumed: make(chan struct{}, 1)}
	if !rt.guard(widget.ErrStart, rt.start) {
		rt.release() // the errors that stopped it, which no load will bring
		rt.stop()
		return
	}
	rt.settle()
	<-rt.done
}

// settle sets the runtime's GOGC to gcPercent, and collects, once the page
// has an idle moment after the start-up, unless the runtime stops first.
// The heap is past the lower GOGC's goal by then, so the next allocation
// that needs a new span would start a collection, in whatever task it
// comes (before, the one that ended the start-up), and the program's first
// collection has V8 compile the collector's code on its first call (about
// 190 KB of wasm): 25 to 40 ms of the main thread. Collecting here puts
// that in the idle moment's task, which does nothing else.
func (rt *runtime) settle() {
	if rt.resumeVia(rt.idleTo) {
		debug.SetGCPercent(gcPercent)
		goruntime.GC()
	}
}

// guard runs fn, turning a returned error or a panic into an error event.
// It reports whether fn succeeded.
func (rt *runtime) guard(code string, fn func() error) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			rt.reportError(code, "internal error: "+panicText(r), "")
			if rt.debug {
				console("error", string(debug.Stack()))
			}
			ok = false
		}
	}()
	if err := fn(); err != nil {
		if ce, ok := err.(codedError); ok {
			code = ce.code
		}
		rt.reportError(code, err.Error(), "")
		return false
	}
	return true
}

// codedError is an error that names its own error-event code, for a step
// whose failure is not the guard's (loading the set inside start).
type codedError struct{ code, msg string }

func (e codedError) Error() string { return e.msg }

func panicText(r any) string {
	switch v := r.(type) {
	case error:
		return v.Error()
	case string:
		return v
	}
	return "panic"
}

// start runs the widget's start-up as a series of short steps, each in a
// task of the event loop of its own (see pause), so that none of them is a
// long task for the host page: reading the boot object and the trigger
// set's text (the rest of the Go runtime's initialisation's task); parsing,
// checking and compiling the set, restoring the visit and building the
// engine; building the widget's DOM, off the page, and restoring the
// transcript into it; taking the host's queued API calls, putting the
// widget on the page, and the first page view. Each step takes a few to
// twenty milliseconds, less than the runtime's own first task; every
// boundary between two costs the page's other work a chance to run but
// also a few tenths of a millisecond to a frame, so there are no more of
// them than that. A shutdown() between two steps ends the start-up
// quietly.
func (rt *runtime) start() error {
	global := safejs.Global()
	rt.boot = prop(global, bootGlobal)
	if rt.boot.IsUndefined() || rt.boot.IsNull() {
		return errString("widget.wasm must be started by widget.js")
	}
	_ = global.Delete(bootGlobal)
	api, err := global.Get("TriggerWidget")
	if err != nil {
		return err
	}
	rt.dispatchFn = prop(rt.boot, "dispatch")
	rt.base = jsString(prop(rt.boot, "base"))
	rt.triggersURL = jsString(prop(rt.boot, "triggersURL"))
	rt.property = jsString(prop(rt.boot, "property"))
	rt.version = jsString(prop(rt.boot, "version"))
	rt.debug, _ = prop(rt.boot, "debug").Truthy()
	rt.yieldTo = prop(rt.boot, "yieldTo")
	rt.idleTo = prop(rt.boot, "idleTo")
	isArrayFn = prop(rt.boot, "isArray")
	if err := installTestClock(rt, api); err != nil {
		return err
	}

	text, err := rt.fetchSet(prop(rt.boot, "set"))
	if err != nil {
		return codedError{widget.ErrLoad, err.Error()}
	}
	if !rt.pause() {
		return nil
	}
	set, err := rt.compileSet(text) // the set's texts keep text's memory
	if err != nil {
		return codedError{widget.ErrLoad, err.Error()}
	}
	rt.set = set
	if rt.property == "" {
		// A copy: a string of the set keeps all of its text alive.
		rt.property = strings.Clone(set.Property)
	}

	rt.store = newLocalStorage(rt.property)
	ua, lang, touch, short := detectEnv()
	rt.env = widget.DetectEnv(ua, lang, touch, short)
	rt.zone = &intlZone{rt: rt}
	rt.engine = widget.New(set, rt.options(rt.newSession()))
	if !rt.pause() {
		return nil
	}

	u, err := newUI(rt)
	if err != nil {
		return errString("could not build the widget: " + err.Error())
	}
	rt.ui = u

	for _, e := range rt.engine.Transcript() {
		_ = rt.ui.add(e, true)
	}
	_ = rt.ui.setStatus(rt.engine.Status())
	_ = rt.ui.setOpen(rt.engine.Maximized())
	rt.startTabs()
	if !rt.pause() {
		return nil
	}

	impl, err := rt.api()
	if err != nil {
		return err
	}
	// Calls the host queued before the runtime was ready run first, so a
	// queued setStatus("offline") holds even a no-delay trigger back.
	if _, err := rt.boot.Call("ready", impl); err != nil {
		return err
	}
	if rt.stopped {
		return nil // a shutdown() from an error listener
	}
	if err := rt.ui.attach(); err != nil {
		return errString("could not put the widget on the page: " + err.Error())
	}
	rt.pageView(rt.location())
	if rt.stopped {
		return nil
	}
	// load comes before the events of the queued calls and of the first
	// page view, held until now: a page that adds its listeners from its
	// load handler hears those too, and its calls from there come after
	// the first page view, on the page's own context.
	rt.loaded()
	if rt.stopped {
		return nil // a listener's shutdown()
	}
	if rt.debug {
		console("info", "ready: "+itoa(len(set.Triggers))+" triggers from "+rt.triggersURL)
		console("info", "explain():", toJS(rt.engine.Explain()))
	}
	return nil
}

// pause ends the current task of the event loop and carries on in a new
// one, after whatever the host page has queued meanwhile (the loader's
// yieldTo schedules it). It reports whether the runtime still runs: false
// when shutdown() came in between. It must not be called from a JS callback
// (FuncOf): it blocks its goroutine until the new task starts.
func (rt *runtime) pause() bool {
	return rt.resumeVia(rt.yieldTo)
}

// resumeVia is pause with schedule, one of the loader's functions that
// call back from a later task (yieldTo, idleTo), in place of yieldTo: it
// blocks until schedule calls back, at once when there is no such
// function, and reports whether the runtime still runs.
func (rt *runtime) resumeVia(schedule safejs.Value) bool {
	if rt.stopped {
		return false
	}
	if schedule.Type() != safejs.TypeFunction {
		return true
	}
	if !rt.resumeOK {
		f, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
			select {
			case rt.resumed <- struct{}{}:
			default:
			}
			return nil
		})
		if err != nil {
			return true
		}
		// Never released: a wake-up already scheduled when the runtime
		// stops must find a function to call (the loader makes it a no-op
		// once the program has exited).
		rt.resumeFn, rt.resumeOK = f, true
	}
	if _, err := schedule.Invoke(rt.resumeFn.Value()); err != nil {
		return !rt.stopped
	}
	<-rt.resumed
	// shutdown() called before the runtime was ready: the loader made the
	// API inert; the start-up ends here.
	if halted, _ := prop(rt.boot, "halted").Truthy(); halted {
		rt.stop()
	}
	return !rt.stopped
}

func (rt *runtime) options(newSession bool) widget.Options {
	return widget.Options{Clock: guardedClock{engineClock(), rt}, Storage: rt.store, Sink: rt.onEffect, NewSession: newSession, Env: rt.env, Zone: rt.zone,
		Defer: rt.deferWrite, Follower: rt.follower()}
}

// guardedClock is the engine's clock with its timers' calls guarded like
// the API's: a panic in one (a bug) is an error event, not the end of the
// program.
type guardedClock struct {
	widget.Clock
	rt *runtime
}

func (c guardedClock) AfterFunc(d time.Duration, f func()) widget.Timer {
	return c.Clock.AfterFunc(d, func() { c.rt.guard(widget.ErrRuntime, func() error { f(); return nil }) })
}

// newSession is newBrowserSession's answer: the loader's, which it asked
// while the wasm downloaded when the tag named the property, or the
// runtime's, for a property only the set names.
func (rt *runtime) newSession() bool {
	if v := prop(rt.boot, "newSession"); v.Type() == safejs.TypeBoolean {
		b, _ := v.Bool()
		return b
	}
	return newBrowserSession(rt.property)
}

// loaded tells the host the runtime runs the current set.
func (rt *runtime) loaded() {
	load := toJS(widget.LoadEvent{
		Property: rt.property, Status: rt.engine.Status(), Triggers: len(rt.set.Triggers),
		Skipped: append([]string{}, rt.set.Skipped...), Version: rt.version,
	})
	if rt.ready { // reload()
		rt.dispatch(widget.HostLoad, load)
		return
	}
	// The first load: before everything held until now.
	rt.ready = true
	rt.held = append([]heldEvent{{widget.HostLoad, load}}, rt.held...)
	rt.release()
}

// loadSet waits for the trigger-set text the loader started fetching, then
// parses and compiles it.
func (rt *runtime) loadSet(promise safejs.Value) (*widget.Compiled, error) {
	text, err := rt.fetchSet(promise)
	if err != nil {
		return nil, err
	}
	return rt.compileSet(text)
}

// fetchSet waits for the trigger-set text the loader fetches (the loader
// has already refused a set over widget.MaxSetBytes).
func (rt *runtime) fetchSet(promise safejs.Value) (string, error) {
	v, err := await(promise, SetTimeout)
	if err != nil {
		return "", errString("could not load the trigger set from " + rt.triggersURL + ": " + err.Error())
	}
	return jsString(v), nil
}

// compileSet parses, checks and compiles a trigger set. Its regular
// expressions wait for their first use (widget.LoadLazy). The set's texts
// share the memory of text, a string, which never changes: no copy of it
// is made.
func (rt *runtime) compileSet(text string) (*widget.Compiled, error) {
	set, problems := widget.LoadLazy(unsafe.Slice(unsafe.StringData(text), len(text)))
	if set == nil {
		return nil, errString("trigger set from " + rt.triggersURL + " rejected: " + problems[0].Error())
	}
	return set, nil
}

type page struct{ url, title, referrer string }

func (rt *runtime) location() page {
	g := safejs.Global()
	loc, _ := g.Get("location")
	doc, _ := g.Get("document")
	return page{url: jsString(prop(loc, "href")), title: jsString(prop(doc, "title")), referrer: jsString(prop(doc, "referrer"))}
}

func (rt *runtime) pageView(p page) {
	if p.url == rt.lastURL {
		return
	}
	rt.lastURL = p.url
	rt.engine.PageView(widget.Page{URL: p.url, Title: p.title, Referrer: p.referrer})
}

// listen adds a DOM event listener whose handler is guarded. The
// loader's boot.listen makes the JS listener, which calls one Go function
// with the handler's index: a JS function made in Go for each listener
// would be one more value Go tracks, made during the start-up.
func (rt *runtime) listen(target safejs.Value, event string, fn func(ev safejs.Value)) {
	if !rt.handlerOK {
		f, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			i, ok := index(arg(args, 0), len(rt.handlers))
			if !ok {
				return nil
			}
			ev := arg(args, 1)
			rt.guard(widget.ErrUI, func() error { rt.handlers[i](ev); return nil })
			return nil
		})
		if err != nil {
			return
		}
		rt.funcs = append(rt.funcs, f)
		rt.handler, rt.handlerOK = f, true
	}
	rt.handlers = append(rt.handlers, fn)
	_, _ = rt.boot.Call("listen", target, event, len(rt.handlers)-1, rt.handler.Value())
}

// dispatch sends an event to the host page's listeners through the
// loader, which catches whatever a listener throws.
func (rt *runtime) dispatch(name string, payload safejs.Value) {
	if rt.dispatchFn.Type() != safejs.TypeFunction {
		return
	}
	if !rt.ready || rt.releasing {
		// Until load: what the set's reading, the queued calls and the
		// first page view cause waits for it; and while the held events
		// are delivered, what their listeners cause comes after them.
		rt.held = append(rt.held, heldEvent{name, payload})
		return
	}
	_, _ = rt.dispatchFn.Invoke(name, payload)
}

// release delivers the held events in order, and the events their
// listeners cause after them, until none is left or a listener shut the
// widget down.
func (rt *runtime) release() {
	rt.releasing = true
	for len(rt.held) > 0 && !rt.stopped {
		e := rt.held[0]
		rt.held = rt.held[1:]
		_, _ = rt.dispatchFn.Invoke(e.name, e.payload)
	}
	rt.held, rt.releasing = nil, false
}

// heldEvent is an event dispatched before load, delivered right after it.
type heldEvent struct {
	name    string
	payload safejs.Value
}

func (rt *runtime) reportError(code, message, triggerID string) {
	console("error", message)
	rt.dispatch(widget.HostError, toJS(widget.ErrorEvent{Code: code, Message: message, TriggerID: triggerID}))
}

// onEffect renders and reports what the engine decided: the engine's
// effects are the only way the runtime learns it. It runs on the goroutine
// of the engine call or timer that caused it.
func (rt *runtime) onEffect(ef widget.Effect) {
	if rt.debug {
		logEffect(ef)
	}
	rt.guard(widget.ErrRender, func() error {
		switch ef.Kind {
		case widget.EffectShow:
			if rt.ui != nil {
				if err := rt.ui.add(ef.Entry, false); err != nil {
					return err
				}
			}
			if ef.Entry.Kind == widget.EntryTrigger {
				rt.dispatch(widget.HostMessageShown, toJS(widget.TriggerEvent{TriggerID: ef.TriggerID, EntryID: ef.Entry.ID, Message: widget.MessageOf(ef.Entry)}))
			}
		case widget.EffectUpdate:
			if rt.ui != nil {
				rt.ui.rekey(ef.OldID, ef.Entry.ID)
				return rt.ui.update(ef.Entry)
			}
		case widget.EffectFired:
			rt.dispatch(widget.HostTriggerFired, toJS(widget.TriggerEvent{TriggerID: ef.TriggerID, EntryID: ef.Entry.ID, Message: widget.MessageOf(ef.Entry)}))
		case widget.EffectStatus:
			if rt.ui != nil {
				_ = rt.ui.setStatus(ef.Status)
			}
			rt.dispatch(widget.HostStatusChange, toJS(widget.StatusEvent{Status: ef.Status}))
		case widget.EffectMaximize:
			if rt.ui != nil {
				// Never take focus here: a maximize() call or action may
				// run on page load. The visitor's own click focuses the
				// input (ui.go).
				_ = rt.ui.setOpen(ef.Maximized)
			}
			name := widget.HostMinimized
			if ef.Maximized {
				name = widget.HostMaximized
			}
			rt.dispatch(name, toJS(widget.EmptyEvent{Maximized: ef.Maximized}))
		case widget.EffectVisitorMessage:
			// Only what the visitor sent from the widget: the host page
			// knows what it sent itself.
			if ef.Source != widget.SourceHost {
				rt.dispatch(widget.HostVisitorMessage, toJS(widget.VisitorMessageEvent{Text: ef.Text, Source: ef.Source}))
			}
		case widget.EffectSuggestion:
			rt.dispatch(widget.HostSuggestionClicked, toJS(widget.SuggestionEvent{TriggerID: ef.TriggerID, EntryID: ef.Entry.ID, Index: ef.Index, Text: ef.Text}))
		case widget.EffectForm:
			rt.dispatch(widget.HostFormSubmitted, toJS(widget.FormEvent{TriggerID: ef.TriggerID, EntryID: ef.Entry.ID, Fields: ef.Attrs}))
		case widget.EffectError:
			rt.reportError(ef.Code, ef.Message, ef.TriggerID)
		case widget.EffectEmit:
			rt.dispatch(widget.HostEmit, toJS(widget.EmitEvent{TriggerID: ef.TriggerID, Name: ef.Name, Data: ef.Data}))
		case widget.EffectTyping:
			if rt.ui != nil {
				rt.ui.setTyping(ef.Typing, ef.Name)
			}
		case widget.EffectVisit:
			if rt.ui != nil {
				rt.ui.newVisit()
			}
		case widget.EffectOfflineMessage:
			rt.dispatch(widget.HostOfflineMessage, mustObject("name", ef.Attrs["name"], "email", ef.Attrs["email"], "message", ef.Attrs["message"]))
		}
		if rt.debug && (ef.Kind == widget.EffectFired || ef.Kind == widget.EffectCancelled) {
			console("info", "explain():", toJS(rt.engine.Explain()))
		}
		return nil
	})
}

// logEffect writes a decision of the engine to the console. Only a tag with
// data-debug calls it: without, none of its text is built (nor its code
// compiled by the browser).
func logEffect(ef widget.Effect) {
	msg := ""
	switch ef.Kind {
	case widget.EffectFired:
		msg = "trigger " + ef.TriggerID + " fired"
	case widget.EffectArmed:
		msg = "trigger " + ef.TriggerID + " armed: due in " + itoa(int(ef.Due-time.Now().UnixMilli())) + " ms"
	case widget.EffectWaiting:
		msg = "trigger " + ef.TriggerID + " waits before action " + itoa(ef.Step+1)
	case widget.EffectCancelled:
		msg = "trigger " + ef.TriggerID + " not fired: " + ef.Reason + " (" + widget.ReasonText(ef.Reason) + ")"
	case widget.EffectTags:
		msg = "visitor tags: [" + strings.Join(ef.Tags, ", ") + "]"
	case widget.EffectAttributes:
		msg = "visitor attributes changed"
	default:
		return
	}
	console("info", msg)
}

func (rt *runtime) sendVisitorMessage(text string) {
	if err := rt.engine.SendInput(text); err != nil {
		rt.reportError(widget.ErrInput, err.Error(), "")
	}
}

func (rt *runtime) useSuggestion(entryID, index int, triggerID string) {
	if _, err := rt.engine.UseSuggestion(entryID, index); err != nil {
		rt.reportError(widget.ErrUI, err.Error(), triggerID)
	}
}

// submitForm sends a shortcut form's fields (the browser has already
// checked required and email fields).
func (rt *runtime) submitForm(e widget.Entry, form safejs.Value) {
	if !rt.filled(form) {
		return
	}
	fields := map[string]string{}
	if ctor, err := safejs.Global().Get("FormData"); err == nil {
		if fd, err := ctor.New(form); err == nil {
			if obj, err := safejs.Global().Get("Object"); err == nil {
				if entries, err := obj.Call("fromEntries", fd); err == nil {
					fields, _ = stringMap(entries)
				}
			}
		}
	}
	if _, err := rt.engine.SubmitForm(e.ID, fields); err != nil {
		rt.reportError(widget.ErrForm, err.Error(), e.TriggerID)
	}
}

// imageURL resolves an agent image: a standard avatar, an https URL, or a
// URL relative to the trigger set.
func (rt *runtime) imageURL(img string) string {
	if img == "" {
		img = "avatar:headset"
	}
	if name, ok := strings.CutPrefix(img, "avatar:"); ok {
		return rt.base + "avatars/" + name + ".svg"
	}
	return rt.resolve(img)
}

// resolve makes a URL from the trigger set absolute against the set's own
// URL. The validator has already refused every scheme but https.
func (rt *runtime) resolve(ref string) string {
	ctor, err := safejs.Global().Get("URL")
	if err != nil {
		return ref
	}
	u, err := ctor.New(ref, rt.triggersURL)
	if err != nil {
		return ref
	}
	return jsString(prop(u, "href"))
}

// stop tears everything down; the loader makes the API inert.
func (rt *runtime) stop() {
	if rt.stopped {
		return
	}
	rt.stopped = true
	if rt.engine != nil {
		rt.engine.Stop()
	}
	rt.stopTabs()
	if rt.ui != nil {
		rt.ui.destroy()
	}
	if !rt.boot.IsUndefined() && !rt.boot.IsNull() {
		_, _ = rt.boot.Call("stop")
	}
	for _, f := range rt.funcs {
		f.Release()
	}
	rt.funcs = nil
	rt.handlers, rt.handlerOK = nil, false // rt.handler was among funcs
	rt.exitSoon()
	// A start-up waiting in pause wakes and finds the runtime stopped.
	select {
	case rt.resumed <- struct{}{}:
	default:
	}
}

// filled reports whether form's required fields hold more than spaces; the
// loader's filled shows the visitor those that do not.
func (rt *runtime) filled(form safejs.Value) bool {
	ok, err := rt.boot.Call("filled", form)
	if err != nil {
		return true
	}
	filled, _ := ok.Truthy()
	return filled
}

// exitSoon ends the program (Main returns) from a task of its own.
// shutdown() may come from a host listener that the runtime itself is
// calling (an event it dispatches): ending the program under that call
// would leave the runtime's frame to return into an exited instance, and
// wasm_exec.js to throw into the host page. A sleeping goroutine wakes
// from a timer of the event loop, after that call has returned.
func (rt *runtime) exitSoon() {
	go func() {
		time.Sleep(time.Millisecond)
		close(rt.done)
	}()
}
