"""Two commands at once on one book: an import waits for the other (and validates against what it
wrote), and a second Sphinx build is refused, instead of both writing over each other."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import sirkbok, state
from sirkbok import cli
from sirkbok.core import locks

BIN = Path(sys.executable).parent


def start(book: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(BIN / "sirkbok"), *args],
        cwd=book,
        env=dict(os.environ, SIRKBOK_ROOT=str(book)),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def table(path: Path) -> list[list[str]]:
    return list(csv.reader(path.open(encoding="utf-8")))


def write(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), "utf-8")


def test_two_imports_at_once_never_leave_an_invalid_package(book: Path, tmp_path: Path) -> None:
    """Each import alone is valid; together they are not: one removes a source, the other cites it.
    Unlocked, both validated against the other's old table, said «gyldig», and broke the package
    (in about half the runs here, so three rounds)."""
    sources = table(book / "data/kilder.csv")
    factors = table(book / "data/faktorer.csv")
    extra = [*sources[1]]
    extra[0] = "ekstra-kilde"
    without = tmp_path / "kilder.csv"  # import 1: the extra source is removed
    write(without, sources)
    citing = tmp_path / "faktorer.csv"  # import 2: a factor now cites it
    cited = [[*row] for row in factors]
    cited[1][factors[0].index("kilde")] = "ekstra-kilde"
    write(citing, cited)
    for _ in range(3):
        write(book / "data/kilder.csv", [*sources, extra])
        write(book / "data/faktorer.csv", factors)
        assert sirkbok("validate", root=book).returncode == 0
        runs = [
            start(book, "import", str(without), "--table", "kilder", "--yes"),
            start(book, "import", str(citing), "--table", "faktorer", "--yes"),
        ]
        results = [(run.wait(timeout=180), *run.communicate()) for run in runs]
        assert sorted(code for code, _, _ in results) == [0, 1], results
        refused = next(err for code, _, err in results if code == 1)
        assert "ekstra-kilde" in refused and "Ingenting er skrevet til data/" in refused, refused
        assert "Traceback" not in refused
        valid = sirkbok("validate", root=book)
        assert valid.returncode == 0, valid.stderr


def test_an_import_waits_while_a_build_reads_the_data(book: Path, tmp_path: Path) -> None:
    """The real lock, held as `build` holds it, for three seconds: the import waits, then writes."""
    rows = table(book / "data/kommuner.csv")
    rows[2][rows[0].index("merknad")] = "Endret mens boka ble bygget"
    source = tmp_path / "kommuner.csv"
    write(source, rows)
    held = threading.Event()

    def reader() -> None:
        with locks.data(book, write=False):
            held.set()
            time.sleep(3)

    thread = threading.Thread(target=reader)
    thread.start()
    assert held.wait(30)
    started = time.monotonic()
    result = sirkbok("import", str(source), "--table", "kommuner", "--yes", root=book)
    waited = time.monotonic() - started
    thread.join()
    assert result.returncode == 0, result.stderr
    assert waited >= 2.5, waited
    assert table(book / "data/kommuner.csv") == rows


def test_an_import_is_refused_when_the_data_stays_busy(
    book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Another process reads data/ (as a long build does) past the wait: nothing is written."""
    rows = table(book / "data/kommuner.csv")
    rows[2][rows[0].index("merknad")] = "Skulle ikke komme inn"
    source = tmp_path / "kommuner.csv"
    write(source, rows)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from sirkbok.core import locks\n"
            "with locks.data(Path(sys.argv[1]), write=False):\n"
            "    print('holder', flush=True); time.sleep(60)",
            str(book),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holder\n"
        before = state(book)
        monkeypatch.setattr(locks, "DATA_WAIT", 1)
        assert cli.main(["import", str(source), "--table", "kommuner", "--yes"]) == 1
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err
    assert "Venter på data/: en annen kommando bygger eller importerer i denne boka" in err
    assert (
        "feil: data/: Kunne ikke importere til data/: en annen kommando bygger eller importerer i "
        "denne boka nå. Ventet 1 sekunder. Ingenting er endret" in err
    ), err
    assert state(book) == before


def test_a_second_build_at_once_is_refused_and_the_first_finishes(book: Path) -> None:
    """Unlocked, two Sphinx runs wrote the same site (`searchindex.js.tmp` vanished under one)."""
    first = start(book, "build", "--skip-regenerate")
    lock = book / ".sirkbok-cache/sphinx.lock"
    deadline = time.monotonic() + 120
    while not _held(lock) and time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.2)
    before = state(book)
    second = sirkbok("build", "--skip-regenerate", root=book)
    code = first.wait(timeout=900)
    out, err = first.communicate()
    assert second.returncode == 1
    assert (
        "feil: .sirkbok-cache/sphinx.lock: En annen bygging av nettstedet («sirkbok build» eller "
        "«make book») kjører allerede i denne boka." in second.stderr
    ), second.stderr
    assert code == 0, err[-3000:]
    assert (book / "_build/html/searchindex.js").is_file()
    assert not list((book / "_build/html").glob("*.tmp"))
    assert state(book) == before


def _held(path: Path) -> bool:
    """Whether another process holds the lock file (the same check the lock makes, at once)."""
    from filelock import FileLock, Timeout

    if not path.exists():
        return False
    probe = FileLock(str(path))
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    probe.release()
    return False
