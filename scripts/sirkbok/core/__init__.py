"""Foundations every layer uses: user errors, where the book lives, atomic file writes, the status
vocabulary and Norwegian formatting (`format`)."""
