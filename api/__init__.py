"""The HTTP face of the engine (DESIGN.md, "HTTP API"): validates, calls `rota`, translates."""
