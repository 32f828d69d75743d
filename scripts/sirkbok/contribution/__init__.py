"""Contributions from a browser: issue-form submissions turned into checked branches (`bot`)."""
