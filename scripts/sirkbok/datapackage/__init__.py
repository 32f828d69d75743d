"""The data package: its descriptor, validation rules, spreadsheet import, templates and loading
its tables (`load`, what the notebooks read as `data`)."""
