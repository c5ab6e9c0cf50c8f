package web

// triggerListRoutes: the Triggers page (list, counter, enable switch,
// duplicate, reorder, delete).
func (h *Handler) triggerListRoutes() []route { return nil }
