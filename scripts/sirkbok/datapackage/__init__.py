"""The data package: its descriptor, validation rules, spreadsheet import and templates."""
