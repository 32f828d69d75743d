"""The book itself: chapters and table of contents, region pages, checks, scaffolding, build."""
