"""`status.stale`: which notebooks are stale and why, as data for `check` and `regenerate --check`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sirkbok.run import status


def test_stale_notebooks_come_back_as_data_and_nothing_is_printed(
    repo_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert status.stale(repo_copy) == {}
    table = repo_copy / "data" / "kommuner.csv"
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stale = status.stale(repo_copy)
    assert stale and list(stale) == sorted(stale)
    assert all(path.is_relative_to(repo_copy / "chapters") for path in stale)
    assert all(reasons == ["data/kommuner.csv er endret"] for reasons in stale.values())
    assert repo_copy / "chapters" / "kommuner" / "3446.ipynb" in stale
    only = repo_copy / "chapters" / "tema" / "biogass.ipynb"
    assert list(status.stale(repo_copy, [only])) == [only]
    assert capsys.readouterr() == ("", "")
