"""web stage of the veille pipeline (see DESIGN.md)."""
