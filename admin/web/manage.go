package web

// manageRoutes: Shortcuts, Widget, Members, History, API tokens,
// Property, import and export.
func (h *Handler) manageRoutes() []route { return nil }
