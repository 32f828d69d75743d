"""`check.check_book(root)` checks the book at `root`, whatever SIRKBOK_ROOT says, and sets no
variable to do so."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sirkbok.book import check
from sirkbok.core import context
from sirkbok.datapackage import validate


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


class _Recording(dict):
    """os.environ for a test: every variable set while it is in place is noted."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.set: list[tuple[str, str]] = []

    def __setitem__(self, key: str, value: str) -> None:
        self.set.append((key, value))
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


def test_check_and_validate_read_the_root_they_are_given_without_the_environment(
    repo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = repo_copy / "data" / "kommuner.csv"
    table.write_text(
        table.read_text(encoding="utf-8").replace("3446,Gran,", "3446,Granby,"), encoding="utf-8"
    )
    recording = _Recording({k: v for k, v in os.environ.items() if k != "SIRKBOK_ROOT"})
    monkeypatch.setattr(os, "environ", recording)
    monkeypatch.chdir(tmp_path)  # nor the working directory: it is no book
    problems = check.check_book(repo_copy, figures=False)
    assert any("utdatert" in p.message for p in problems), problems
    assert validate.validate_package(repo_copy / "data").problems == []
    tables = validate.validated_tables(repo_copy / "data", context.Book(repo_copy))
    assert "Granby" in set(tables["kommuner"]["navn"])
    assert not [key for key, _ in recording.set if key.startswith("SIRKBOK_")], recording.set
