"""The import analysis is kept in the cache folder of the book it was made for, whichever book a
process looked at first (`run/imports._analysis_cache` is keyed by root)."""

from __future__ import annotations

import json
from pathlib import Path

from sirkbok.core import paths
from sirkbok.run import imports, provenance


def test_each_book_keeps_its_own_import_analysis(tmp_path: Path) -> None:
    first, second = tmp_path / "en", tmp_path / "to"
    code = ["from sirkbok.reader import charts"]
    found = {}
    for root in (first, second):
        root.mkdir()
        found[root] = provenance.package_files(code, root)
        kept = root / paths.CACHE / imports.ANALYSIS_CACHE
        assert kept.is_file(), f"ingen analyse i {root}"
        assert "sirkbok.reader.charts" in json.loads(kept.read_text(encoding="utf-8"))["imports"]
    assert found[first] == found[second]
    assert provenance.PACKAGE_DIR / "reader" / "charts.py" in found[first]
