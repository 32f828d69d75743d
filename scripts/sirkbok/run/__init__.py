"""Running notebooks: provenance, the one papermill runner, regeneration and researchers' runs."""
