"""`check.check_book(root)` checks the book at `root`, whatever SIRKBOK_ROOT says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sirkbok.book import check


def test_check_reads_the_data_of_the_book_it_is_given(
    repo_root: Path, repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A valid change to the copy's data: its region page now lists an old name.
    table = repo_copy / "data" / "kommuner.csv"
    text = table.read_text(encoding="utf-8")
    assert "3446,Gran,hadelandsregionen" in text
    table.write_text(
        text.replace("3446,Gran,hadelandsregionen", "3446,Granby,hadelandsregionen"),
        encoding="utf-8",
    )
    monkeypatch.setenv("SIRKBOK_ROOT", str(repo_root))  # the environment names the other book
    problems = check.check_book(repo_copy, figures=False)
    assert any(
        p.file == "chapters/regioner/hadelandsregionen/index.md" and "utdatert" in p.message
        for p in problems
    ), problems
    assert os.environ["SIRKBOK_ROOT"] == str(repo_root)  # and it is left as it was
    assert check.check_book(repo_root, figures=False) == []
