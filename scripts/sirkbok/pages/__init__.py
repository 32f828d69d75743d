"""Pages across themes: the municipality pages, the headline numbers, data coverage, the overview,
strategy and data-package figures. They ask the theme registry (`sirkbok.themes`) for the themes."""
