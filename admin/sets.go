package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/server"
	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// Every change of a trigger set — a whole set from the API or `triggers
// push`, one trigger from the admin, a restore, an import — goes through
// Service.write: authorise, read the published version, apply the change
// to it, check the result whole with the strict checks and the runtime's
// own validator, lay it out canonically, and store it as the next version
// only if nobody published in between (else read again and re-apply, or
// answer Conflict when the caller named the version it changed). The
// stored version is the published one, and the cache that serves
// /p/ID/triggers.json is replaced before write returns.

// maxAttempts bounds how often a change is re-applied after losing a race.
const maxAttempts = 5

// change edits a document and says, for the history, what it did.
type change func(d *document) (summary string, err error)

// Checked is a set that passed every check, as it will be stored.
type Checked struct {
	Data     []byte
	Warnings []widget.FieldError
}

// SetETag is the validator of a published version, for If-Match.
func SetETag(number int64) string { return `"v` + strconv.FormatInt(number, 10) + `"` }

// parseSetETag reads a SetETag; ok is false for anything else.
func parseSetETag(tag string) (int64, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(tag), `"v`)
	if !ok || !strings.HasSuffix(rest, `"`) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(rest, `"`), 10, 64)
	return n, err == nil && n > 0
}

// Check runs every check a published set must pass — the strict checks
// (unknown and duplicate keys), the runtime's validator, and that the set
// names propertyID — and returns the set laid out canonically. A set with
// problems is an Invalid error listing all of them.
func Check(propertyID string, data []byte) (*Checked, error) {
	res := strict.Check(data)
	problems := make([]widget.FieldError, 0, len(res.Problems))
	for _, p := range res.Problems {
		problems = append(problems, withoutExcerpt(p.FieldError))
	}
	if res.Set != nil && res.Set.Property != "" && res.Set.Property != propertyID {
		problems = append(problems, widget.FieldError{Field: "property", Code: widget.CodeConflict,
			Problem: "is " + strconv.Quote(res.Set.Property) + " but the set is published as property " + strconv.Quote(propertyID)})
	}
	if len(problems) > 0 {
		return nil, &store.Error{Code: store.Invalid, Message: problemsMessage(problems), Problems: problems}
	}
	formatted, errs := strict.Format(data)
	if len(errs) > 0 { // cannot happen after a clean Check; never store what Format refused
		return nil, &store.Error{Code: store.Invalid, Message: problemsMessage(errs), Problems: errs}
	}
	c := &Checked{Data: formatted}
	for _, w := range res.Warnings {
		c.Warnings = append(c.Warnings, w.FieldError)
	}
	return c, nil
}

// withoutExcerpt drops the excerpt of the document that the decoder's
// syntax errors end with ("… at line 3, column 7 near \"…\""): widgetd
// never quotes a document's bytes in an error. A file given to `widgetd
// property add -set` may be any file (a mistyped path), and a set's
// problems are shown to every editor of the property; the line and column
// say where to look.
func withoutExcerpt(p widget.FieldError) widget.FieldError {
	if p.Code == widget.CodeNotJSON && p.Field == "(document)" {
		if at := strings.Index(p.Problem, " at line "); at >= 0 {
			if i := strings.Index(p.Problem[at:], " near "); i >= 0 {
				p.Problem = p.Problem[:at+i]
			}
		}
	}
	return p
}

func problemsMessage(p []widget.FieldError) string {
	if len(p) == 1 {
		return "the trigger set has a problem: " + p[0].Error()
	}
	return fmt.Sprintf("the trigger set has %d problems; the first: %s", len(p), p[0].Error())
}

// Written is the outcome of a write.
type Written struct {
	Version  *store.Version // the published version (Data included)
	Changed  bool           // false when the change left the set as it was
	Warnings []widget.FieldError
}

// write is the one write path; see the comment at the top of this file.
// ifMatch, when not "", is the SetETag the caller's change is based on.
func (s *Service) write(ctx context.Context, a Actor, propertyID, ifMatch string, ch change) (*Written, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	mu, _ := s.writing.LoadOrStore(propertyID, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	var base int64
	if ifMatch != "" && ifMatch != "*" {
		n, ok := parseSetETag(ifMatch)
		if !ok {
			return nil, store.Errorf(store.Conflict, "If-Match %s is not a version of this trigger set; read the set again", quote(ifMatch))
		}
		base = n
	}
	for attempt := 1; ; attempt++ {
		gen := s.sets.generation()
		cur, err := s.st.Published(ctx, propertyID)
		if err != nil {
			return nil, err
		}
		s.sets.put(propertyID, cur, gen) // what the store has is never older than the cache
		if base != 0 && cur.Number != base {
			return nil, stale(cur)
		}
		d, err := parseDocument(cur.Data)
		if err != nil {
			return nil, err
		}
		d.version = cur.Number
		summary, err := ch(d)
		if err != nil {
			return nil, err
		}
		checked, err := Check(propertyID, d.bytes())
		if len(d.problems) > 0 {
			return nil, withProblems(err, d.problems)
		}
		if err != nil {
			return nil, err
		}
		if bytes.Equal(checked.Data, cur.Data) {
			s.sets.put(propertyID, cur, gen)
			return &Written{Version: cur, Warnings: checked.Warnings}, nil
		}
		v := &store.Version{PropertyID: propertyID, Data: checked.Data, Author: a.Author(), Summary: summary, Created: s.now()}
		gen = s.sets.generation()
		err = s.st.Publish(ctx, v, cur.Number)
		if store.IsCode(err, store.Conflict) && base == 0 && attempt < maxAttempts {
			continue // someone published since we read: apply the change to theirs
		}
		if store.IsCode(err, store.Conflict) {
			return nil, store.Errorf(store.Conflict, "someone else saved this trigger set at the same time; reload it and make your change again")
		}
		if err != nil {
			return nil, err
		}
		s.sets.putChecked(propertyID, v, gen)
		s.log.InfoContext(ctx, "trigger set published", "property", propertyID, "version", v.Number, "author", v.Author, "summary", v.Summary)
		return &Written{Version: v, Changed: true, Warnings: checked.Warnings}, nil
	}
}

// withProblems is the Invalid error listing the set's problems (err,
// from Check, or nil) and then a change's own.
func withProblems(err error, own []widget.FieldError) error {
	var problems []widget.FieldError
	var se *store.Error
	if errors.As(err, &se) && se.Code == store.Invalid {
		problems = append(problems, se.Problems...)
	} else if err != nil {
		return err
	}
	problems = append(problems, own...)
	return &store.Error{Code: store.Invalid, Message: problemsMessage(problems), Problems: problems}
}

func stale(cur *store.Version) error {
	return store.Errorf(store.Conflict, "the trigger set changed since you read it (now version %d: %s, by %s); reload it and make your change again",
		cur.Number, cur.Summary, cur.Author)
}

// PublishedSet implements server.SetSource: the published set as served,
// from memory after its first read. Every write of this Service replaces
// the entry before it returns, so a read that follows a write never sees
// the old set.
//
// What is served is the stored version in canonical form (strict.Canonical):
// the set as the runtime reads it, so a key the format does not define —
// in a version stored before the strict checks, or written to the database
// by hand — is never published. A stored version that cannot be laid out
// is not served at all (an Internal error, logged by the server).
func (s *Service) PublishedSet(ctx context.Context, propertyID string) (*server.Published, error) {
	if p := s.sets.get(propertyID); p != nil {
		return p, nil
	}
	gen := s.sets.generation()
	v, err := s.st.Published(ctx, propertyID)
	if err != nil {
		if p := s.sets.lastKnown(propertyID, err); p != nil {
			return p, nil
		}
		return nil, err
	}
	if p := s.sets.put(propertyID, v, gen); p != nil {
		return p, nil
	}
	return nil, store.Errorf(store.Internal, "version %d of the trigger set of %s cannot be published: it is not a readable trigger set", v.Number, propertyID)
}

type cached = server.Published

func (c *setCache) get(id string) *cached {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[id]
}

// put caches version v, in canonical form, unless a newer one is cached
// (two writers may finish in either order) or the cache was told to
// forget since generation gen (v, read before, may be what it forgot),
// and returns what is cached (or v as served, when not cached): nil, with
// nothing cached, when v cannot be laid out and nothing newer is cached.
func (c *setCache) put(id string, v *store.Version, gen uint64) *cached {
	return c.store(id, v, false, gen)
}

// putChecked is put for a version this process has just written: its
// data is Check's output, canonical already (strict.Canonical of Format's
// output is that output), so it is not laid out twice.
func (c *setCache) putChecked(id string, v *store.Version, gen uint64) *cached {
	return c.store(id, v, true, gen)
}

func (c *setCache) store(id string, v *store.Version, checked bool, gen uint64) *cached {
	c.mu.Lock()
	if old := c.m[id]; old != nil && old.Version >= v.Number {
		c.mu.Unlock()
		return old
	}
	c.mu.Unlock()
	data, errs := v.Data, []widget.FieldError(nil)
	if !checked {
		data, errs = strict.Canonical(v.Data)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[id]; old != nil && old.Version >= v.Number {
		return old
	}
	if errs != nil {
		delete(c.m, id) // an older version is not what the store publishes
		return nil
	}
	p := server.NewPublished(data, v.Number)
	if c.gen == gen {
		c.m[id] = p
		delete(c.dropped, id)
	}
	return p
}

// --- reading ---

// TriggerSet returns the published version of a property's set.
func (s *Service) TriggerSet(ctx context.Context, a Actor, propertyID string) (*store.Version, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	return s.st.Published(ctx, propertyID)
}

// Item is one trigger or shortcut with its validator.
type Item struct {
	Raw  json.RawMessage
	ETag string
}

// Triggers lists a property's triggers in order, and the set's version.
func (s *Service) Triggers(ctx context.Context, a Actor, propertyID string) ([]Item, *store.Version, error) {
	return s.items(ctx, a, propertyID, triggersList)
}

// Shortcuts lists a property's shortcuts, and the set's version.
func (s *Service) Shortcuts(ctx context.Context, a Actor, propertyID string) ([]Item, *store.Version, error) {
	return s.items(ctx, a, propertyID, shortcutsList)
}

func (s *Service) items(ctx context.Context, a Actor, propertyID string, k list) ([]Item, *store.Version, error) {
	v, err := s.TriggerSet(ctx, a, propertyID)
	if err != nil {
		return nil, nil, err
	}
	d, err := parseDocument(v.Data)
	if err != nil {
		return nil, nil, err
	}
	l := *k.of(d)
	out := make([]Item, len(l))
	for i, raw := range l {
		out[i] = Item{Raw: compactItem(raw), ETag: itemETag(raw)}
	}
	return out, v, nil
}

// Trigger returns one trigger.
func (s *Service) Trigger(ctx context.Context, a Actor, propertyID, id string) (*Item, error) {
	return s.item(ctx, a, propertyID, triggersList, id)
}

// Shortcut returns one shortcut.
func (s *Service) Shortcut(ctx context.Context, a Actor, propertyID, id string) (*Item, error) {
	return s.item(ctx, a, propertyID, shortcutsList, id)
}

// itemIn finds one item in a version already read.
func itemIn(v *store.Version, k list, id string) (*Item, error) {
	d, err := parseDocument(v.Data)
	if err != nil {
		return nil, err
	}
	l := *k.of(d)
	if i := find(l, id); i >= 0 {
		return &Item{Raw: compactItem(l[i]), ETag: itemETag(l[i])}, nil
	}
	return nil, k.notFound(id)
}

func (s *Service) item(ctx context.Context, a Actor, propertyID string, k list, id string) (*Item, error) {
	items, _, err := s.items(ctx, a, propertyID, k)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if itemOf(it.Raw).ID == id {
			return &it, nil
		}
	}
	return nil, k.notFound(id)
}

// --- writing ---

// PutSet replaces a property's whole set. ifMatch is required: a SetETag,
// or "*" to replace whatever is published.
func (s *Service) PutSet(ctx context.Context, a Actor, propertyID, ifMatch string, data []byte) (*Written, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	if ifMatch == "" {
		return nil, store.Errorf(store.PreconditionReq, "send If-Match with the ETag of the set you changed (or * to replace whatever is published)")
	}
	// Check the document as sent, so that the problems point into it.
	if _, err := Check(propertyID, data); err != nil {
		return nil, err
	}
	return s.write(ctx, a, propertyID, ifMatch, func(d *document) (string, error) {
		nd, err := parseDocument(data)
		if err != nil {
			return "", err
		}
		*d = *nd
		return "Replaced the trigger set", nil
	})
}

// Restore publishes an old version again, as a new version.
func (s *Service) Restore(ctx context.Context, a Actor, propertyID string, number int64, ifMatch string) (*Written, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	old, err := s.st.Version(ctx, propertyID, number)
	if err != nil {
		return nil, err
	}
	return s.write(ctx, a, propertyID, ifMatch, func(d *document) (string, error) {
		nd, err := parseDocument(old.Data)
		if err != nil {
			return "", err
		}
		*d = *nd
		return fmt.Sprintf("Restored version %d", number), nil
	})
}

// list names one of the two lists of a set that the API edits item by item.
type list struct {
	of       func(d *document) *[]json.RawMessage
	model    func() any // a new value of the item's model type
	noun     string     // "trigger"
	notFound func(id string) error
	// named: an item added or replaced one at a time needs a name
	// (see unnamed).
	named bool
}

var (
	triggersList = list{
		of:    func(d *document) *[]json.RawMessage { return &d.triggers },
		model: func() any { return new(widget.Trigger) },
		noun:  "trigger",
		notFound: func(id string) error {
			return store.Errorf(store.NotFound, "no trigger %s", quote(id))
		},
		named: true,
	}
	shortcutsList = list{
		of:    func(d *document) *[]json.RawMessage { return &d.shortcuts },
		model: func() any { return new(widget.Shortcut) },
		noun:  "shortcut",
		notFound: func(id string) error {
			return store.Errorf(store.NotFound, "no shortcut %s", quote(id))
		},
	}
)

// Adding, editing, deleting, duplicating and reordering work the same on
// triggers and shortcuts; these are the triggers' entry points.

func (s *Service) AddTrigger(ctx context.Context, a Actor, pid string, raw []byte) (*Written, string, error) {
	return s.addItem(ctx, a, pid, triggersList, raw)
}
func (s *Service) PutTrigger(ctx context.Context, a Actor, pid, id, ifMatch string, raw []byte) (*Written, error) {
	return s.putItem(ctx, a, pid, triggersList, id, ifMatch, raw)
}
func (s *Service) DeleteTriggers(ctx context.Context, a Actor, pid string, ids []string) (*Written, error) {
	return s.deleteItems(ctx, a, pid, triggersList, ids)
}
func (s *Service) DuplicateTrigger(ctx context.Context, a Actor, pid, id string) (*Written, string, error) {
	return s.duplicateItem(ctx, a, pid, triggersList, id)
}
func (s *Service) ReorderTriggers(ctx context.Context, a Actor, pid string, ids []string) (*Written, error) {
	return s.reorder(ctx, a, pid, triggersList, ids)
}
func (s *Service) AddShortcut(ctx context.Context, a Actor, pid string, raw []byte) (*Written, string, error) {
	return s.addItem(ctx, a, pid, shortcutsList, raw)
}
func (s *Service) PutShortcut(ctx context.Context, a Actor, pid, id, ifMatch string, raw []byte) (*Written, error) {
	return s.putItem(ctx, a, pid, shortcutsList, id, ifMatch, raw)
}
func (s *Service) DeleteShortcuts(ctx context.Context, a Actor, pid string, ids []string) (*Written, error) {
	return s.deleteItems(ctx, a, pid, shortcutsList, ids)
}

// checkItemJSON refuses a body that is not one JSON object, before it is
// spliced into a set (where the checker would report it less clearly).
func checkItemJSON(k list, raw []byte) error {
	raw = bytes.TrimSpace(raw)
	if !json.Valid(raw) || len(raw) == 0 || raw[0] != '{' {
		return store.Errorf(store.BadRequest, "the body must be one JSON object: the %s", k.noun)
	}
	return nil
}

// checkItemTypes reports a value of the wrong JSON type in one trigger or
// shortcut, named by its field, before the item is spliced into the set
// (where the decoder would only say where in the whole set it stopped).
func checkItemTypes(k list, id string, raw []byte) error {
	model := k.model()
	err := json.Unmarshal(raw, model)
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || verbatim(reflect.TypeOf(model).Elem(), te.Field) {
		return nil // anything else is the checker's to report, in place
	}
	fe := widget.FieldError{Field: te.Field, Code: widget.CodeWrongType,
		Problem: "must be " + jsonKind(te.Type) + ", not " + article(te.Value)}
	if k.noun == "trigger" {
		fe.TriggerID = id
	} else {
		fe.Problem = "shortcut " + quote(id) + ": " + fe.Problem
	}
	return &store.Error{Code: store.Invalid, Message: problemsMessage([]widget.FieldError{fe}), Problems: []widget.FieldError{fe}}
}

// verbatim reports whether the dotted JSON field path of type t (as
// json.UnmarshalTypeError names it: lists are transparent) is, or is
// inside, a widget.RawJSON field, which holds any JSON as it is.
func verbatim(t reflect.Type, path string) bool {
	for name := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		found := false
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag == name {
				t, found = f.Type, true
				break
			}
		}
		if !found {
			return false
		}
		if t == reflect.TypeFor[widget.RawJSON]() {
			return true
		}
	}
	return false
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	}
	return "an object"
}

func article(jsonValue string) string {
	switch jsonValue {
	case "object", "array":
		return "an " + jsonValue
	case "number", "string":
		return "a " + jsonValue
	}
	return jsonValue
}

func (s *Service) addItem(ctx context.Context, a Actor, pid string, k list, raw []byte) (*Written, string, error) {
	if err := checkItemJSON(k, raw); err != nil {
		return nil, "", err
	}
	if err := checkItemTypes(k, itemOf(raw).ID, raw); err != nil {
		return nil, "", err
	}
	var id string
	w, err := s.write(ctx, a, pid, "", func(d *document) (string, error) {
		l := k.of(d)
		var item json.RawMessage
		item, id = newItem(*l, k, raw)
		*l = append(*l, item)
		if k.named && blankName(item) {
			d.problems = append(d.problems, unnamed(id, len(*l)-1))
		}
		return "Added " + k.noun + " " + labelOf(item), nil
	})
	return w, id, err
}

// newItem is raw as a new item of l: with the id it has, or one made from
// its label, unique in l.
func newItem(l []json.RawMessage, k list, raw []byte) (json.RawMessage, string) {
	item := json.RawMessage(bytes.TrimSpace(raw))
	if hasKey(item, "id") {
		return item, itemOf(item).ID
	}
	id := uniqueID(l, slug(itemOf(item).label(), k.noun))
	return withID(item, id), id
}

// replacement is raw as the new version of the item with id (the id added
// when raw leaves it out).
func replacement(raw []byte, id string) json.RawMessage {
	item := json.RawMessage(bytes.TrimSpace(raw))
	if !hasKey(item, "id") {
		item = withID(item, id)
	}
	return item
}

// CheckTrigger is a dry run of AddTrigger (id "") or PutTrigger: the
// problems of raw that a save would meet, written nowhere. The editor runs
// it on a form it refuses for problems of its own (no name, an image too
// large), so that the form lists all of them in one round.
func (s *Service) CheckTrigger(ctx context.Context, a Actor, pid, id string, raw []byte) ([]widget.FieldError, error) {
	if err := s.Authorize(ctx, a, pid, Manage); err != nil {
		return nil, err
	}
	if err := checkItemJSON(triggersList, raw); err != nil {
		return nil, err
	}
	if err := checkItemTypes(triggersList, id, raw); err != nil {
		return problemsOf(err)
	}
	cur, err := s.st.Published(ctx, pid)
	if err != nil {
		return nil, err
	}
	d, err := parseDocument(cur.Data)
	if err != nil {
		return nil, err
	}
	l := triggersList.of(d)
	if id == "" {
		var item json.RawMessage
		item, id = newItem(*l, triggersList, raw)
		*l = append(*l, item)
	} else if i := find(*l, id); i >= 0 {
		(*l)[i] = replacement(raw, id)
	}
	_, err = Check(pid, d.bytes())
	all, err := problemsOf(err)
	var mine []widget.FieldError
	for _, p := range all {
		if p.TriggerID == id {
			mine = append(mine, p)
		}
	}
	return mine, err
}

// problemsOf splits a checker's answer: its problems when it refused the
// set as invalid, nil for no error, else the error.
func problemsOf(err error) ([]widget.FieldError, error) {
	var se *store.Error
	if errors.As(err, &se) && se.Code == store.Invalid {
		return se.Problems, nil
	}
	return nil, err
}

func (s *Service) putItem(ctx context.Context, a Actor, pid string, k list, id, ifMatch string, raw []byte) (*Written, error) {
	if err := checkItemJSON(k, raw); err != nil {
		return nil, err
	}
	if err := checkItemTypes(k, id, raw); err != nil {
		return nil, err
	}
	return s.write(ctx, a, pid, "", func(d *document) (string, error) {
		l := k.of(d)
		i := find(*l, id)
		if i < 0 {
			return "", k.notFound(id)
		}
		if !itemMatches(ifMatch, (*l)[i], d.version) {
			return "", store.Errorf(store.Conflict, "this %s was changed by someone else since you opened it; reload it and make your change again", k.noun)
		}
		item := replacement(raw, id)
		if k.named && blankName(item) && !blankName((*l)[i]) {
			d.problems = append(d.problems, unnamed(itemOf(item).ID, i))
		}
		(*l)[i] = item
		return "Edited " + k.noun + " " + labelOf(item), nil
	})
}

func (s *Service) deleteItems(ctx context.Context, a Actor, pid string, k list, ids []string) (*Written, error) {
	if len(ids) == 0 {
		return nil, store.Errorf(store.Invalid, "name at least one %s to delete", k.noun)
	}
	return s.write(ctx, a, pid, "", func(d *document) (string, error) {
		l := k.of(d)
		var labels []string
		for _, id := range ids {
			i := find(*l, id)
			if i < 0 {
				return "", k.notFound(id)
			}
			labels = append(labels, labelOf((*l)[i]))
			*l = append((*l)[:i], (*l)[i+1:]...)
		}
		if len(labels) == 1 {
			return "Deleted " + k.noun + " " + labels[0], nil
		}
		return "Deleted " + k.noun + "s " + strings.Join(labels, ", "), nil
	})
}

func (s *Service) duplicateItem(ctx context.Context, a Actor, pid string, k list, id string) (*Written, string, error) {
	var newID string
	w, err := s.write(ctx, a, pid, "", func(d *document) (string, error) {
		l := k.of(d)
		i := find(*l, id)
		if i < 0 {
			return "", k.notFound(id)
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal((*l)[i], &obj); err != nil {
			return "", store.Wrap(store.Internal, err, "the stored trigger set cannot be read")
		}
		newID = uniqueID(*l, id+"-copy")
		obj["id"], _ = json.Marshal(newID)
		// The copy is named after its original, by its id when that has
		// no name (a set written whole may leave names out): a trigger
		// made one at a time has a name, and the list shows it.
		it := itemOf((*l)[i])
		name := strings.TrimSpace(it.Name)
		if name == "" && k.noun == "trigger" {
			name = it.ID
		}
		if name != "" {
			obj["name"], _ = json.Marshal(copyName(*l, name))
		}
		if k.noun == "trigger" {
			// A copy starts switched off: published enabled, it would send
			// the same message as its original to the same visitors.
			obj["enabled"] = json.RawMessage("false")
		}
		dup, _ := json.Marshal(obj)
		*l = append((*l)[:i+1], append([]json.RawMessage{dup}, (*l)[i+1:]...)...)
		return "Duplicated " + k.noun + " " + labelOf((*l)[i]), nil
	})
	return w, newID, err
}

// copyName names the copy of an item named name: "NAME (copy)", or
// "NAME (copy 2)", "NAME (copy 3)"… when the list has that name already
// (ignoring case), so that copies of one original can be told apart in the
// list and the delete dialog. The original's name is shortened, not the
// suffix, to fit widget.MaxTriggerNameLen.
func copyName(l []json.RawMessage, name string) string {
	taken := map[string]bool{}
	for _, raw := range l {
		taken[strings.ToLower(strings.TrimSpace(itemOf(raw).Name))] = true
	}
	for n := 1; ; n++ {
		suffix := " (copy)"
		if n > 1 {
			suffix = " (copy " + strconv.Itoa(n) + ")"
		}
		c := truncateRunes(name, widget.MaxTriggerNameLen-utf8.RuneCountInString(suffix)) + suffix
		if !taken[strings.ToLower(c)] {
			return c
		}
	}
}

func (s *Service) reorder(ctx context.Context, a Actor, pid string, k list, ids []string) (*Written, error) {
	return s.write(ctx, a, pid, "", func(d *document) (string, error) {
		l := k.of(d)
		if len(ids) != len(*l) {
			return "", store.Errorf(store.Invalid, "the new order names %d %ss but the set has %d; list every %s once", len(ids), k.noun, len(*l), k.noun)
		}
		out := make([]json.RawMessage, 0, len(ids))
		seen := map[string]bool{}
		for _, id := range ids {
			i := find(*l, id)
			if i < 0 {
				return "", k.notFound(id)
			}
			if seen[id] {
				return "", store.Errorf(store.Invalid, "the new order names %s twice", quote(id))
			}
			seen[id] = true
			out = append(out, (*l)[i])
		}
		*l = out
		return "Reordered " + k.noun + "s", nil
	})
}

// A trigger's name is optional in the format (the runtime never reads
// it, and sets written by hand may leave it out), but the admin's list
// names each trigger by it: a trigger added or replaced one at a time —
// by the admin's editor or the API — must have one, spaces aside. A
// replacement may stay unnamed only when the stored trigger already was
// (a set imported or pushed whole), so that switching such a trigger on
// or off still works; the editor asks for a name whatever was stored.

// blankName reports whether a trigger has no name, or only spaces.
func blankName(raw json.RawMessage) bool {
	return strings.TrimSpace(itemOf(raw).Name) == ""
}

// unnamed is the problem of the i-th trigger (from 0) without a name.
func unnamed(id string, i int) widget.FieldError {
	return widget.FieldError{TriggerID: widget.TriggerLabel(id, i), Index: i + 1, Field: "name", Code: widget.CodeMissing,
		Problem: "must not be empty: give the trigger a name, which the admin's list of triggers shows"}
}

func labelOf(raw json.RawMessage) string { return quoteLabel(itemOf(raw).label()) }

// quoteLabel keeps a summary on one line and short.
func quoteLabel(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return truncateRunes(s, 80)
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// hasKey reports whether the JSON object raw has key (whatever its value:
// a wrong one is the checker's to report).
func hasKey(raw json.RawMessage, key string) bool {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return false
	}
	_, ok := obj[key]
	return ok
}

// itemMatches reports whether an If-Match header allows changing item in
// the set at version: no header or "*", the item's own ETag, or the
// ETag of the set version the caller read (a client that listed the
// triggers has only that one).
func itemMatches(ifMatch string, item json.RawMessage, version int64) bool {
	for _, tag := range strings.Split(ifMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "" && len(strings.TrimSpace(ifMatch)) == 0 || tag == "*" || tag == itemETag(item) {
			return true
		}
		if n, ok := parseSetETag(tag); ok && n == version {
			return true
		}
	}
	return false
}

// withID returns a JSON object with "id" set.
func withID(raw json.RawMessage, id string) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) != nil {
		return raw
	}
	obj["id"], _ = json.Marshal(id)
	out, _ := json.Marshal(obj)
	return out
}

// slug makes an id from a name: lower-case letters, digits and dashes.
func slug(name, fallback string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if b.Len() >= 40 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-")
	if s == "" {
		return fallback
	}
	return s
}

// uniqueID returns base, or base-2, base-3, … whichever is not taken in l.
func uniqueID(l []json.RawMessage, base string) string {
	if len(base) > widget.MaxIDLen-4 {
		base = base[:widget.MaxIDLen-4]
	}
	id := base
	for n := 2; find(l, id) >= 0 || reservedIDs[id]; n++ {
		id = base + "-" + strconv.Itoa(n)
	}
	return id
}

// reservedIDs are words the admin's pages use in their URLs beside trigger
// ids (…/triggers/new, …/triggers/delete): an id made from a name avoids
// them, so every trigger made in the admin can be opened there.
var reservedIDs = map[string]bool{"new": true, "delete": true, "order": true, "try-url": true}
