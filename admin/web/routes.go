package web

// routes lists every page. Each area of the admin declares its own.
func (h *Handler) routes() []route {
	rs := []route{
		{"GET /admin", "anyone", h.redirectHome},
		{"GET /admin/{$}", "anyone", h.home},
		{"GET /admin/login", "anyone", h.loginPage},
		{"POST /admin/login", "anyone", h.loginPost},
		{"GET /admin/setup", "anyone", h.setupPage},
		{"POST /admin/setup", "anyone", h.setupPost},
		{"POST /admin/logout", "anyone", h.logout},
		{"POST /admin/properties", "login", h.addProperty},
		{"GET /admin/p/{pid}/{$}", "member", h.propertyHome},
		{"GET /admin/p/{pid}/settings/{$}", "manage", h.settingsHome},
		{"GET /admin/", "anyone", h.notFound},
	}
	rs = append(rs, h.triggerListRoutes()...)
	rs = append(rs, h.editorRoutes()...)
	rs = append(rs, h.manageRoutes()...)
	rs = append(rs, h.previewRoutes()...)
	return rs
}

// section is an entry of the Administration menu, under Settings.
type section struct{ Slug, Name string }

// sections is the Administration menu, in order.
var sections = []section{
	{"triggers", "Triggers"},
	{"shortcuts", "Shortcuts"},
	{"widget", "Widget"},
	{"members", "Members"},
	{"history", "History"},
	{"tokens", "API tokens"},
	{"property", "Property"},
	{"test", "Test your triggers"},
}

func init() { funcs["adminSections"] = func() []section { return sections } }
