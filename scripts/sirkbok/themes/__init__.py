"""Per-theme parameter specs and calculations used by the theme notebooks, and data coverage."""
