package admin

import (
	"context"
	"encoding/json"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
)

// Appearance returns the "widget" object of the published set (nil when
// the set has none) and the version it was read from, the one a change
// made on it names for optimistic concurrency (SetETag).
func (s *Service) Appearance(ctx context.Context, a Actor, propertyID string) (*widget.Appearance, *store.Version, error) {
	v, err := s.TriggerSet(ctx, a, propertyID)
	if err != nil {
		return nil, nil, err
	}
	d, err := parseDocument(v.Data)
	if err != nil {
		return nil, nil, err
	}
	raw, ok := d.top["widget"]
	if !ok || string(raw) == "null" {
		return nil, v, nil
	}
	var ap widget.Appearance
	if err := json.Unmarshal(raw, &ap); err != nil {
		return nil, nil, store.Wrap(store.Internal, err, "the stored trigger set cannot be read")
	}
	return &ap, v, nil
}

// PutAppearance replaces the set's "widget" object (nil, or one with no
// field set, removes it: every default then applies) and publishes the
// result through the one write path, as a new version. ifMatch is the
// SetETag of the version the change was made on; "" publishes over
// whatever is there.
func (s *Service) PutAppearance(ctx context.Context, a Actor, propertyID, ifMatch string, ap *widget.Appearance) (*Written, error) {
	raw, err := appearanceJSON(ap)
	if err != nil {
		return nil, err
	}
	return s.write(ctx, a, propertyID, ifMatch, func(d *document) (string, error) {
		d.setAppearance(raw)
		return "Edited widget appearance", nil
	})
}

// CheckAppearance runs every check PutAppearance would on the published
// set with ap as its "widget" object, and publishes nothing: a set with
// problems is an Invalid error listing them.
func (s *Service) CheckAppearance(ctx context.Context, a Actor, propertyID string, ap *widget.Appearance) error {
	raw, err := appearanceJSON(ap)
	if err != nil {
		return err
	}
	v, err := s.TriggerSet(ctx, a, propertyID)
	if err != nil {
		return err
	}
	d, err := parseDocument(v.Data)
	if err != nil {
		return err
	}
	d.setAppearance(raw)
	_, err = Check(propertyID, d.bytes())
	return err
}

// appearanceJSON is ap as the set's "widget" value; nil for none.
func appearanceJSON(ap *widget.Appearance) (json.RawMessage, error) {
	if ap == nil || *ap == (widget.Appearance{}) {
		return nil, nil
	}
	b, err := json.Marshal(ap)
	if err != nil {
		return nil, store.Wrap(store.Internal, err, "the appearance cannot be written")
	}
	return b, nil
}

// setAppearance puts the "widget" value raw into the set (nil: removes it).
func (d *document) setAppearance(raw json.RawMessage) {
	if raw == nil {
		delete(d.top, "widget")
		return
	}
	d.top["widget"] = raw
}
