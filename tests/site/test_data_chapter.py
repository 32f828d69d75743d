"""The «Data og kilder» chapter runs under real papermill; it shows every table and source."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import papermill
import pytest
from conftest import ROOT, page_text

CHAPTER = ROOT / "chapters" / "data-og-kilder.ipynb"


@pytest.mark.slow
def test_chapter_shows_every_source_and_coverage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    metadata = json.loads(CHAPTER.read_text("utf-8"))["metadata"]["sirkbok"]
    monkeypatch.setenv("SIRKBOK_ROOT", str(ROOT))
    monkeypatch.setenv("SIRKBOK_TABLES", ",".join(metadata["tables"]))
    monkeypatch.setenv("SIRKBOK_NOTEBOOK", "chapters/data-og-kilder.ipynb")
    monkeypatch.delenv("SIRKBOK_FIGURE_DIR", raising=False)
    shutil.copy(CHAPTER, tmp_path / CHAPTER.name)
    executed = papermill.execute_notebook(
        str(tmp_path / CHAPTER.name),
        str(tmp_path / "ut.ipynb"),
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    shown = "\n".join(
        "".join(output.get("data", {}).get(kind, ""))
        for cell in executed["cells"]
        for output in cell.get("outputs", [])
        for kind in ("text/markdown", "text/html")
    )
    for row in csv.DictReader((ROOT / "data/kilder.csv").open(encoding="utf-8")):
        assert row["tittel"].replace("|", "\\|").replace("[", "(").replace("]", ")") in shown
        if row["url"]:
            assert f"]({row['url']})" in shown
    for table in metadata["tables"]:
        assert f"(`{table}`)" in shown
    assert "**Dekning per region**" in page_text(tmp_path / "ut.ipynb")
    assert 'data-label="Region">Ringeriksregionen<' in shown
    for suffix in ("svg", "png", "vl.json", "csv"):
        assert (tmp_path / "figurer" / f"data-dekning.{suffix}").stat().st_size > 0
