package web

// previewRoutes: the Preview frame rendered by the widget runtime, and
// the Test page (a visitor journey through the simulator).
func (h *Handler) previewRoutes() []route { return nil }
