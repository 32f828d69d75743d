"""One `Book(root)` per book: each reads its own data, and the environment is read only at the
kernel boundary (`Book.from_environment`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sirkbok.core import context
from sirkbok.datapackage import descriptor, validate
from sirkbok.datapackage import load as data


def _rename_gran(root: Path) -> None:
    table = root / "data" / "kommuner.csv"
    text = table.read_text(encoding="utf-8")
    assert "3446,Gran,hadelandsregionen" in text
    table.write_text(text.replace("3446,Gran,", "3446,Granby,"), encoding="utf-8")


def _name(frame: pd.DataFrame) -> str:
    """The name of Gran municipality (3446) in `frame`, the kommuner table."""
    (name,) = {"Gran", "Granby"} & set(frame["navn"])
    return str(name)


def test_two_books_in_one_process_read_their_own_data(
    repo_root: Path, repo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _rename_gran(repo_copy)
    package = repo_copy / "data" / descriptor.DESCRIPTOR
    package.write_text(
        package.read_text(encoding="utf-8").replace('"title": "', '"title": "Kopi: ', 1),
        encoding="utf-8",
    )
    monkeypatch.delenv("SIRKBOK_ROOT", raising=False)
    real, copy = context.Book(repo_root), context.Book(repo_copy)
    for _ in range(2):  # in turn, twice: no cache hands one book's tables to the other
        assert _name(data.load("kommuner", book=real)) == "Gran"
        assert _name(data.load("kommuner", book=copy)) == "Granby"
        with context.using(copy):
            assert _name(data.load("kommuner")) == "Granby"
            assert descriptor.descriptor()["title"].startswith("Kopi: ")
            with context.using(real):
                assert _name(data.load("kommuner")) == "Gran"
                assert not descriptor.descriptor()["title"].startswith("Kopi: ")
            assert _name(validate.validated_tables()["kommuner"]) == "Granby"
    assert context.current().root == repo_root  # the copy was current only inside the blocks


def test_a_book_keeps_its_tables_until_its_data_changes(repo_copy: Path) -> None:
    book = context.Book(repo_copy)
    first = validate.validated_tables(book=book)
    assert validate.validated_tables(book=book) is first  # validated once
    _rename_gran(repo_copy)
    assert _name(data.load("kommuner", book=book)) == "Granby"
    assert _name(data.load("kommuner", book=context.Book(repo_copy))) == "Granby"


def test_a_kernel_learns_its_book_from_the_environment_and_nothing_else(tmp_path: Path) -> None:
    book = context.Book(tmp_path).running("chapters/tema/x.ipynb", ["kommuner"], tmp_path / "f")
    seen = context.Book.from_environment(book.environment())
    assert (seen.root, seen.notebook, seen.tables, seen.figure_dir) == (
        tmp_path.resolve(),
        "chapters/tema/x.ipynb",
        frozenset({"kommuner"}),
        tmp_path / "f",
    )
    plain = context.Book.from_environment({"SIRKBOK_ROOT": str(tmp_path)})
    assert plain.tables is None and plain.notebook is None and plain.figure_dir == Path("figurer")


def test_the_declared_tables_come_from_the_book(repo_root: Path) -> None:
    book = context.Book(repo_root).running("chapters/tema/x.ipynb", ["kommuner"], Path("f"))
    assert len(data.load("kommuner", book=book)) == 12
    with context.using(book), pytest.raises(data.UserError, match="uten å ha oppgitt") as error:
        data.load("faktorer")
    assert error.value.problems[0].file == "chapters/tema/x.ipynb"
    assert len(data.load("faktorer", book=context.Book(repo_root))) > 0  # no guard: a command


def test_a_book_reads_its_configuration_once(repo_copy: Path) -> None:
    book = context.Book(repo_copy)
    assert book.config["title"].startswith("Sirkulær verdiskaping")
    (repo_copy / "_config.yml").write_text("title: Kopi\n", encoding="utf-8")
    assert book.config["title"].startswith("Sirkulær verdiskaping")  # kept on this Book
    assert context.Book(repo_copy).config["title"] == "Kopi"


IMPORT_EVERYTHING = """
import json, os, pkgutil, importlib, sys
import altair as alt
import sirkbok

def state():
    return {"environ": dict(os.environ), "cwd": os.getcwd(), "theme": alt.theme.active,
            "themes": sorted(alt.theme.names())}

before = state()
names = sorted(m.name for m in pkgutil.walk_packages(sirkbok.__path__, "sirkbok."))
for name in names:
    if name != "sirkbok.__main__":
        importlib.import_module(name)
after = state()
print(json.dumps({"names": names, "same": before == after, "before": before, "after": after}))
"""


def test_importing_every_module_changes_nothing(repo_root: Path, tmp_path: Path) -> None:
    import json

    env = {k: v for k, v in os.environ.items() if not k.startswith("SIRKBOK_")}
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(result.stdout)
    assert "sirkbok.reader.charts" in seen["names"] and "sirkbok.book.sphinx_ext" in seen["names"]
    before, after = seen["before"], seen["after"]
    assert after["theme"] == before["theme"] == "default"
    assert after["themes"] == before["themes"] and "sirkbok" not in after["themes"]
    assert after["cwd"] == before["cwd"]
    assert after["environ"] == before["environ"], {
        k
        for k in {*before["environ"], *after["environ"]}
        if before["environ"].get(k) != after["environ"].get(k)
    }
    assert seen["same"]
