"""interpret stage of the veille pipeline (see DESIGN.md)."""
