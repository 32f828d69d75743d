"""The book itself: chapters and table of contents, region pages, checks, scaffolding, build, and
publishing (PDF, editions, open-data metadata)."""
