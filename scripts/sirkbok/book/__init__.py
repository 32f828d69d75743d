"""Building and publishing the book: PDF, editions (versions), open-data metadata."""
