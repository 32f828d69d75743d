"""Contributed code never runs, and the code that does run sees no secret of the machine.

A notebook outside the maintainers' folders is refused by `check` and never executed (unless the
maintainers' allowlist names it with the hash of its reviewed source); every notebook is checked
against the notebook schema before a cell runs; every kernel starts with a scrubbed environment and
a temporary HOME; `run --out` never replaces anything in a folder that holds no earlier run.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import sirkbok as run_cli
from conftest import state
from sirkbok.core import context
from sirkbok.run import engine, provenance, trust

REGION_NOTEBOOK = "chapters/regioner/hadelandsregionen/angrep.ipynb"
FAKE_SECRETS = {
    "GITHUB_TOKEN": "ghp_fakeSIRKBOKtoken1234567890",
    "CI": "true",
    "AWS_SECRET_ACCESS_KEY": "fakeAWSsecretSIRKBOK0987654321",
    "ACTIONS_RUNTIME_TOKEN": "fakeRuntimeSIRKBOK",
}
# Set by jupyter_client and ipykernel themselves as the kernel starts (not from our environment).
SET_BY_THE_KERNEL = {
    "JPY_PARENT_PID",
    "JPY_SESSION_NAME",
    "TERM",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "FORCE_COLOR",
    "PAGER",
    "GIT_PAGER",
    "PYDEVD_USE_FRAME_EVAL",
}


def plant(root: Path, relative: str, *sources: str) -> Path:
    """A notebook of code cells at `relative` in the book."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def marking(marker: Path) -> str:
    """A cell that proves it ran: it writes `marker` (outside the book)."""
    return f"open({str(marker)!r}, 'w').write('kjørte')"


def allow(root: Path, relative: str) -> None:
    digest = provenance.source_hash(provenance.read(root / relative))
    (root / trust.ALLOWLIST).write_text(f"notebooks:\n  {relative}: {digest}\n", encoding="utf-8")


@pytest.mark.parametrize("planted", [REGION_NOTEBOOK, "chapters/kommuner/0000.ipynb"])
def test_a_contributed_notebook_is_refused_by_check_and_never_runs(
    planted: str, book: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "utenfor" / "kjorte.txt"
    marker.parent.mkdir()
    plant(book, planted, marking(marker), "print(open('/etc/passwd').read())")
    before = state(book)

    checked = run_cli("check", "--skip-figures", root=book)
    assert checked.returncode == 1
    assert f"feil: {planted}: Notatboka ligger utenfor mappene" in checked.stderr
    assert "kode fra bidrag blir ikke kjørt" in checked.stderr
    assert trust.ALLOWLIST in checked.stderr  # says how a maintainer lets it run

    for verb in (["regenerate"], ["regenerate", "--force"], ["build", "--skip-regenerate"]):
        result = run_cli(*verb, root=book)
        assert result.returncode == 1, verb
        assert f"{planted}: Notatboka ligger utenfor mappene" in result.stderr, verb
        assert "Traceback" not in result.stderr
        assert not marker.exists(), f"{verb} kjørte notatboka"
        assert "root:" not in result.stdout + result.stderr
    assert state(book) == before


def test_a_municipality_page_runs_only_as_the_template_makes_it(book: Path) -> None:
    page = "chapters/kommuner/3234.ipynb"
    notebook = nbformat.read(book / page, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import os; print(dict(os.environ))"))
    nbformat.write(notebook, book / page)
    before = state(book)
    checked = run_cli("check", "--skip-figures", root=book)
    assert checked.returncode == 1
    assert f"feil: {page}: Kommunesiden er ikke lik det malen lager nå" in checked.stderr
    assert state(book) == before


def test_an_allowlisted_notebook_runs_until_it_is_edited(book: Path, tmp_path: Path) -> None:
    marker = tmp_path / "kjorte.txt"
    path = plant(book, REGION_NOTEBOOK, marking(marker), "print('hei')")
    allow(book, REGION_NOTEBOOK)

    result = run_cli("regenerate", "--only", "angrep", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert marker.read_text(encoding="utf-8") == "kjørte"
    assert "hei" in path.read_text(encoding="utf-8")  # its outputs were written

    marker.unlink()
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].source = "import socket; socket.socket()"  # edited after the review
    nbformat.write(notebook, path)
    before = state(book)
    result = run_cli("regenerate", "--only", "angrep", root=book)
    assert result.returncode == 1
    assert f"{REGION_NOTEBOOK}: Notatboka er endret etter at redaksjonen godkjente den" in (
        result.stderr
    )
    assert not marker.exists()
    assert state(book) == before


def test_a_notebook_that_is_not_a_valid_notebook_is_refused_before_any_cell_runs(
    book: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "kjorte.txt"
    path = plant(book, "chapters/tema/ugyldig.ipynb", marking(marker))
    content = json.loads(path.read_text(encoding="utf-8"))
    content["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout"}]  # no "text"
    path.write_text(json.dumps(content), encoding="utf-8")
    before = state(book)

    checked = run_cli("check", "--skip-figures", root=book)
    message = "chapters/tema/ugyldig.ipynb: Notatboka følger ikke notatbokformatet (nbformat 4)"
    assert checked.returncode == 1 and message in checked.stderr, checked.stderr
    result = run_cli("regenerate", "--only", "ugyldig", root=book)
    assert result.returncode == 1
    assert message in result.stderr and "cells/0/outputs/0" in result.stderr, result.stderr
    assert "ValidationError" not in result.stderr and "Traceback" not in result.stderr
    assert not marker.exists()
    assert state(book) == before


def test_every_kernel_starts_with_a_scrubbed_environment_and_a_temporary_home(
    book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in FAKE_SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GITHUB_REPOSITORY", "angriper/repo")
    path = plant(
        book,
        "chapters/tema/miljo.ipynb",
        "import json, os\n"
        "print(json.dumps({'env': dict(os.environ), 'home': os.path.isdir(os.environ['HOME'])}))",
    )

    result = run_cli("regenerate", "--only", "miljo", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    text = path.read_text(encoding="utf-8")
    for value in FAKE_SECRETS.values():
        assert value == "true" or value not in text
    output = nbformat.reads(text, as_version=4).cells[0].outputs[0].text
    seen = json.loads(output)
    environment: dict[str, str] = seen["env"]
    # what we pass on, and the book the kernel runs in (Book.environment(): its only SIRKBOK_*)
    allowed = set(engine.kernel_environment(Path("/x"))) | engine.KERNEL_VARIABLES
    allowed |= set(context.VARIABLES)
    outside = {
        name
        for name in environment
        if name not in allowed | SET_BY_THE_KERNEL and not name.startswith(engine.KERNEL_PREFIXES)
    }
    assert not outside, f"variabler utenfor listen: {sorted(outside)}"
    assert not {"GITHUB_TOKEN", "CI", "AWS_SECRET_ACCESS_KEY", "GITHUB_REPOSITORY"} & set(
        environment
    )
    assert environment["SIRKBOK_ROOT"] == str(book)
    home = Path(environment["HOME"])
    assert seen["home"] and home.name.startswith("sirkbok-kjerne-")
    assert home.parent == Path(tempfile.gettempdir())
    assert environment["IPYTHONDIR"].startswith(str(home))
    assert not home.exists()  # removed when the kernel was done


THEME = "biogass"


def test_run_out_refuses_a_folder_of_the_users_own_and_deletes_nothing(
    book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "mine"
    (out / "figurer").mkdir(parents=True)
    (out / "figurer" / "min-figur.png").write_bytes(b"mitt bilde")
    (out / f"{THEME}.ipynb").write_text("mine notater", encoding="utf-8")
    mine = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    before = state(book)

    result = run_cli("run", THEME, "--out", str(out), root=book)
    assert result.returncode == 1
    assert f"feil: {out}: Mappa er ikke tom og inneholder ingen tidligere kjøring" in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == mine
    assert state(book) == before


def test_run_out_may_replace_an_earlier_run(book: Path, tmp_path: Path) -> None:
    """A folder `run` made before is recognised by its mark and used again; an empty one too."""
    from sirkbok.run import research

    out = tmp_path / "tidligere"
    out.mkdir()
    assert research.foreign(out) is None  # empty
    (out / "resultater.csv").write_text("gammelt", encoding="utf-8")
    assert research.foreign(out) is not None
    (out / research.MARK).write_text(research.MARK_TEXT, encoding="utf-8")
    assert research.foreign(out) is None


def test_the_runner_itself_refuses_an_untrusted_notebook(book: Path, tmp_path: Path) -> None:
    """Defence in depth: even called directly, the one runner checks before a kernel starts."""
    from sirkbok.run import execute

    marker = tmp_path / "kjorte.txt"
    plant(book, REGION_NOTEBOOK, marking(marker))
    before = state(book)
    result = execute.run_notebook(str(book), REGION_NOTEBOOK, [], {}, str(tmp_path / "staging"))
    assert not result.ok and result.error.startswith("Notatboka ligger utenfor mappene")
    assert not marker.exists()
    assert state(book) == before


# --- a plain `jupyter-book build` runs nothing either -------------------------------------------

REGION_PAGE = "chapters/regioner/hadelandsregionen/angrep.md"
FRONT = (
    "title: Angrep\nregion: hadelandsregionen\ntheme: tekstiler\nauthors:\n  - Kari Nordmann\n"
    "date: 2026-05-04\nstatus: utkast\n"
)
ASKS_TO_RUN = (
    "{kernelspec: {name: python3, display_name: Python 3}, mystnb: {execution_mode: force}}"
)
# Front matter that MyST or MyST-NB reads as settings, written so a reader of plain keys misses them.
DISGUISED = {
    "merge": (f"---\n{FRONT}<<: {ASKS_TO_RUN}\n---\n", 9, "«<<»"),
    "tag": (f"---\n{FRONT}!!str mystnb: {{execution_mode: force}}\n---\n", 9, "«mystnb»"),
    "four dashes": (f"----\n{FRONT}mystnb: {{execution_mode: force}}\n----\n", 9, "«mystnb»"),
    "byte order mark": (
        f"\ufeff---\n{FRONT}mystnb: {{execution_mode: force}}\n---\n",
        9,
        "«mystnb»",
    ),
    "file format": (f"--- x\n{FRONT}file_format: mystnb\n---\n", 9, "«file_format»"),
    "alias": (f"---\n{FRONT}a: &a {{execution_mode: force}}\nmystnb: *a\n---\n", 10, "aliaser"),
}


@pytest.mark.parametrize("case", sorted(DISGUISED))
def test_check_sees_settings_however_the_front_matter_is_written(
    case: str, book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sirkbok import cli

    front, line, found = DISGUISED[case]
    (book / REGION_PAGE).write_text(front + "\n# Angrep\n", encoding="utf-8")
    before = state(book)
    assert cli.main(["check", "--skip-figures"]) == 1
    err = capsys.readouterr().err
    assert any(f"{REGION_PAGE}, linje {line}: " in row and found in row for row in err.splitlines())
    assert state(book) == before


def only(book: Path, chapter: str) -> None:
    """A table of contents with the front page and `chapter` only (a build of seconds)."""
    toc = f"format: jb-book\nroot: chapters/forside\nchapters:\n  - file: {chapter}\n"
    (book / "_toc.yml").write_text(toc, "utf-8")


def build(book: Path) -> str:
    """A plain `jupyter-book build` (not `sirkbok build`, which screens notebooks first): it must
    fail; its output."""
    import subprocess
    import sys

    binary = Path(sys.executable).with_name("jupyter-book")
    env = {"SIRKBOK_ROOT": str(book), "PATH": f"{binary.parent}:/usr/bin:/bin"}
    result = subprocess.run(
        [str(binary), "build", str(book)],
        env={**env, "HOME": str(book.parent)},
        text=True,
        capture_output=True,
    )
    assert result.returncode != 0, result.stdout[-2000:]
    return result.stdout + result.stderr


@pytest.mark.slow
def test_a_plain_build_runs_no_code_cell_of_a_region_page(book: Path, tmp_path: Path) -> None:
    marker = tmp_path / "kjorte"
    front = DISGUISED["merge"][0]
    cell = f"```{{code-cell}} python\n{marking(marker)}\n```\n"
    (book / REGION_PAGE).write_text(front + "\n# Angrep\n\n" + cell, encoding="utf-8")
    only(book, REGION_PAGE)
    before = state(book)
    output = build(book)
    assert f"{REGION_PAGE}, linje 9: " in output and "«<<» er ikke tillatt" in output, output
    assert not marker.exists()
    assert state(book) == before


@pytest.mark.slow
@pytest.mark.parametrize("where", [REGION_NOTEBOOK, "chapters/tema/angrep.ipynb"])
def test_a_plain_build_runs_no_notebook_that_asks_to_run(
    where: str, book: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "kjorte"
    path = plant(book, where, marking(marker))
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["mystnb"] = {"execution_mode": "force"}
    nbformat.write(notebook, path)
    only(book, where)
    before = state(book)
    output = build(book)
    expected = "kode fra bidrag blir ikke kjørt" if "regioner" in where else "execution_mode: force"
    assert f"{where}: " in output and expected in output, output[-3000:]
    assert not marker.exists()
    assert state(book) == before
