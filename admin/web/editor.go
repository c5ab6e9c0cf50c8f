package web

// editorRoutes: the trigger editor (add and edit, every type).
func (h *Handler) editorRoutes() []route { return nil }
