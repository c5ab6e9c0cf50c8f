package admin

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/triggerwidget/triggerwidget/store"
	"github.com/triggerwidget/triggerwidget/widget"
	"github.com/triggerwidget/triggerwidget/widget/strict"
)

// Settings are a property's settings as the admin shows them: the name
// and website URL are the property's, the time zone and default status
// belong to its trigger set (where the runtime reads them), so that there
// is one truth for each.
type Settings struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	WebsiteURL string `json:"websiteUrl"`
	Timezone   string `json:"timezone"`
	Status     string `json:"status"`
	Version    int64  `json:"version"`
}

// NewProperty is what creating a property takes. ID may be empty: it is
// then made from the name. Set, when not nil, is imported as version 1
// instead of the welcome trigger.
type NewProperty struct {
	ID         string
	Name       string
	WebsiteURL string
	Timezone   string
	Language   string // "fr" names the first trigger in French; anything else English
	Set        []byte
}

const (
	maxPropertyName = 100
	maxWebsiteURL   = 2048
)

// welcome is the first trigger of a new property, as hosted products
// start one: a site-wide greeting, enabled, after a short delay.
var welcome = map[string]struct{ name, text string }{
	"en": {"Welcome message", "Hi there 👋 How can we help you today?"},
	"fr": {"Message de bienvenue", "Bonjour 👋 Comment pouvons-nous vous aider ?"},
}

// CreateProperty creates a property owned by a (an account, or the
// operator with NewProperty.Owner).
func (s *Service) CreateProperty(ctx context.Context, a Actor, ownerEmail string, np NewProperty) (*Settings, error) {
	var owner *store.Account
	switch {
	case a.Account != nil:
		owner = a.Account
	case a.Token != nil && a.Token.PropertyID == operatorScope:
		email, err := normalizeEmail(ownerEmail)
		if err != nil {
			return nil, err
		}
		if owner, err = s.st.AccountByEmail(ctx, email); err != nil {
			if store.IsCode(err, store.NotFound) {
				return nil, store.Errorf(store.NotFound, "no account %s: create it first with `widgetd user add`", quote(email))
			}
			return nil, err
		}
	case a.Token != nil:
		return nil, store.Errorf(store.Forbidden, "an API token belongs to one property and cannot create another; log in to the admin")
	default:
		return nil, store.Errorf(store.Unauthorized, "log in to create a property")
	}
	p := &store.Property{ID: strings.TrimSpace(np.ID), Name: strings.TrimSpace(np.Name), WebsiteURL: strings.TrimSpace(np.WebsiteURL), Created: s.now()}
	// Every field's problem at once, each named by its field (the admin's
	// Add property form marks each input).
	var problems []widget.FieldError
	add := func(field string, err error) {
		if err != nil {
			problems = append(problems, widget.FieldError{Field: field, Problem: store.ErrorMessage(err)})
		}
	}
	add("name", checkName(p.Name))
	add("websiteUrl", checkWebsite(p.WebsiteURL))
	if np.Timezone != "" && !strict.KnownZone(np.Timezone) {
		add("timezone", store.Errorf(store.Invalid, "the time zone %s is not in the time-zone database (use a name like Europe/Paris)", quote(np.Timezone)))
	}
	if len(problems) > 0 {
		msg := problems[0].Problem
		for _, pr := range problems[1:] {
			msg += "; " + pr.Problem
		}
		return nil, &store.Error{Code: store.Invalid, Message: msg, Problems: problems}
	}
	// An id made from the name takes the first free one of name, name-2, …
	derived := p.ID == ""
	base := p.ID
	if derived {
		base = strings.Trim(truncateBytes(slug(p.Name, "site"), 48), "-")
	}
	var v *store.Version
	gen := s.sets.generation()
	for n := 1; ; n++ {
		p.ID = base
		if n > 1 {
			p.ID = base + "-" + strconv.Itoa(n)
		}
		if !widget.ValidID(p.ID) || p.ID[0] == '.' {
			return nil, store.Errorf(store.Invalid, "the property id %s must be 1 to 64 letters, digits, '-', '_' or '.', not starting with '.'", quote(p.ID))
		}
		data := np.Set
		if data == nil {
			data = welcomeSet(p.ID, np.Timezone, np.Language)
		}
		checked, err := Check(p.ID, data)
		if err != nil {
			return nil, err
		}
		summary := "Created the property"
		if np.Set != nil {
			summary = "Imported the trigger set"
		}
		v = &store.Version{PropertyID: p.ID, Data: checked.Data, Author: a.Author(), Summary: summary, Created: s.now()}
		err = s.st.CreateProperty(ctx, p, owner.ID, v)
		if store.IsCode(err, store.Conflict) && derived && n < 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		break
	}
	s.sets.putChecked(p.ID, v, gen)
	s.log.InfoContext(ctx, "property created", "property", p.ID, "owner", owner.Email)
	return settingsOf(p, v), nil
}

// welcomeSet is the first trigger set of a new property.
func welcomeSet(id, tz, lang string) []byte {
	if tz == "" {
		tz = "UTC"
	}
	w, ok := welcome[lang]
	if !ok {
		w = welcome["en"]
	}
	data, _ := json.Marshal(map[string]any{
		"version": 1, "property": id, "timezone": tz, "status": widget.StatusOnline,
		"triggers": []any{map[string]any{
			"id": "welcome", "name": w.name, "type": widget.TypeSite, "enabled": true, "delay": 5,
			"message": map[string]any{"text": w.text},
			"agent":   map[string]any{"name": "Support", "image": "avatar:headset"},
		}},
	})
	return data
}

func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func checkName(name string) error {
	switch {
	case name == "":
		return store.Errorf(store.Invalid, "the property name is missing")
	case !plainText(name) || utf8.RuneCountInString(name) > maxPropertyName:
		return store.Errorf(store.Invalid, "the property name must be at most %d characters of text, without control characters", maxPropertyName)
	}
	return nil
}

func checkWebsite(u string) error {
	if u == "" {
		return nil
	}
	parsed, err := url.Parse(u)
	if len(u) > maxWebsiteURL || err != nil || !plainText(u) || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" || parsed.User != nil {
		return store.Errorf(store.Invalid, "the website URL %s must be an http or https address like https://example.com", quote(u))
	}
	return nil
}

func settingsOf(p *store.Property, v *store.Version) *Settings {
	st := &Settings{ID: p.ID, Name: p.Name, WebsiteURL: p.WebsiteURL, Version: v.Number, Status: widget.StatusOnline}
	var head struct {
		Timezone string `json:"timezone"`
		Status   string `json:"status"`
	}
	_ = json.Unmarshal(v.Data, &head)
	st.Timezone = head.Timezone
	if head.Status != "" {
		st.Status = head.Status
	}
	return st
}

// Properties lists what a sees: an account its properties (with roles),
// a token its one property.
func (s *Service) Properties(ctx context.Context, a Actor) ([]store.PropertyRole, error) {
	switch {
	case a.Account != nil:
		return s.st.PropertiesOf(ctx, a.Account.ID)
	case a.Token != nil:
		p, err := s.st.Property(ctx, a.Token.PropertyID)
		if err != nil {
			return nil, err
		}
		return []store.PropertyRole{{Property: *p, Role: store.RoleAdmin}}, nil
	}
	return nil, store.Errorf(store.Unauthorized, "log in or send an API token (Authorization: Bearer …)")
}

// Settings returns a property's settings (any member may read them).
func (s *Service) Settings(ctx context.Context, a Actor, propertyID string) (*Settings, error) {
	if err := s.Authorize(ctx, a, propertyID, Member); err != nil {
		return nil, err
	}
	p, err := s.st.Property(ctx, propertyID)
	if err != nil {
		return nil, err
	}
	v, err := s.st.Published(ctx, propertyID)
	if err != nil {
		return nil, err
	}
	return settingsOf(p, v), nil
}

// SettingsChange holds the settings to change; nil fields stay.
type SettingsChange struct {
	Name       *string `json:"name"`
	WebsiteURL *string `json:"websiteUrl"`
	Timezone   *string `json:"timezone"`
	Status     *string `json:"status"`
}

// UpdateSettings changes a property's settings. Everything is checked
// before anything is written; a new time zone or status is a new version
// of the trigger set (published at once), the name and URL an update of
// the property.
func (s *Service) UpdateSettings(ctx context.Context, a Actor, propertyID string, c SettingsChange) (*Settings, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	p, err := s.st.Property(ctx, propertyID)
	if err != nil {
		return nil, err
	}
	np := *p
	if c.Name != nil {
		np.Name = strings.TrimSpace(*c.Name)
		if err := checkName(np.Name); err != nil {
			return nil, err
		}
	}
	if c.WebsiteURL != nil {
		np.WebsiteURL = strings.TrimSpace(*c.WebsiteURL)
		if err := checkWebsite(np.WebsiteURL); err != nil {
			return nil, err
		}
	}
	if c.Timezone != nil && !strict.KnownZone(*c.Timezone) {
		return nil, store.Errorf(store.Invalid, "the time zone %s is not in the time-zone database (use a name like Europe/Paris)", quote(*c.Timezone))
	}
	if c.Status != nil && *c.Status != widget.StatusOnline && *c.Status != widget.StatusAway && *c.Status != widget.StatusOffline {
		return nil, store.Errorf(store.Invalid, "the status %s must be online, away or offline", quote(*c.Status))
	}
	if c.Timezone != nil || c.Status != nil {
		_, err := s.write(ctx, a, propertyID, "", func(d *document) (string, error) {
			if c.Timezone != nil {
				d.top["timezone"], _ = json.Marshal(*c.Timezone)
			}
			if c.Status != nil {
				d.top["status"], _ = json.Marshal(*c.Status)
			}
			return "Changed the settings", nil
		})
		if err != nil {
			return nil, err
		}
	}
	if np != *p {
		if err := s.st.UpdateProperty(ctx, &np); err != nil {
			return nil, err
		}
	}
	return s.Settings(ctx, a, propertyID)
}

// Versions lists a property's versions, newest first.
func (s *Service) Versions(ctx context.Context, a Actor, propertyID string, before int64, limit int) ([]store.Version, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	return s.st.Versions(ctx, propertyID, before, limit)
}

// Version returns one version of a property's set.
func (s *Service) Version(ctx context.Context, a Actor, propertyID string, n int64) (*store.Version, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	return s.st.Version(ctx, propertyID, n)
}

// Validate checks a set for a property without publishing anything.
func (s *Service) Validate(ctx context.Context, a Actor, propertyID string, data []byte) (*Checked, error) {
	if err := s.Authorize(ctx, a, propertyID, Manage); err != nil {
		return nil, err
	}
	return Check(propertyID, data)
}
