"""`sirkbok params` and `sirkbok run`: a researcher's rerun with other assumptions, on the real
biogass notebook, in a throw-away git copy of the book so `git status` shows anything it touched."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import copy_repo, sirkbok
from sirkbok.run import provenance

THEME = "biogass"
CAPTURE = "utsorteringsfaktor"  # the share of food waste sorted out, relative to the national mean
SCALED = ["biogass_headline", "biogass_matavfall_t", "biogass_co2e_t"]  # proportional to it


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args],
        cwd=root,
        check=True,
        text=True,
        capture_output=True,
    ).stdout


def status(root: Path) -> str:
    """Every changed, new or ignored file, except the book's cache folder (the import analysis any
    command may keep there between runs)."""
    lines = git(root, "status", "--porcelain", "--ignored", "--untracked-files=all").splitlines()
    return "\n".join(line for line in lines if ".sirkbok-cache/" not in line)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the book as its own git repository, everything committed."""
    root = copy_repo(tmp_path_factory.mktemp("forsker") / "bok")
    git(root, "init", "--quiet")
    git(root, "add", "-A")
    git(root, "commit", "--quiet", "-m", "bok")
    return root


def refused_quickly(result: subprocess.CompletedProcess[str], seconds: float) -> list[str]:
    assert result.returncode == 1, result.stdout + result.stderr
    assert seconds < 5, "validation must come before papermill starts a kernel"
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("feil: ")]


def timed(*args: str, root: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    result = sirkbok(*args, root=root)
    return result, time.monotonic() - started


def test_params_lists_every_parameter_with_default_range_and_source(repo_root: Path) -> None:
    from sirkbok.themes import parameters as params

    result = sirkbok("params", THEME, root=repo_root, check=True)
    for spec in params.specs(THEME):
        line = next(x for x in result.stdout.splitlines() if x.startswith(spec.name + " "))
        assert spec.unit in line and spec.source()[:40] in line
    assert "Standardverdi" in result.stdout and "Tillatt område" in result.stdout

    listed = json.loads(
        sirkbok("params", THEME, "--format", "json", root=repo_root, check=True).stdout
    )
    by_name = {row["navn"]: row for row in listed["parametre"]}
    assert list(by_name) == [p.name for p in params.specs(THEME)]
    assert by_name[CAPTURE]["standardverdi"] == params.default(THEME, CAPTURE)
    assert by_name[CAPTURE]["minimum"] == 0.5 and by_name[CAPTURE]["maksimum"] == 2
    assert by_name["metanutbytte"]["faktor"] == "matavfall_metan"


def test_unknown_theme_is_refused_with_the_known_ones(repo_root: Path) -> None:
    result = sirkbok("params", "biogas", root=repo_root)
    assert result.returncode == 1 and "biogass" in result.stderr and "feil:" in result.stderr


def test_bad_values_are_all_refused_before_anything_runs(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "ut"
    result, seconds = timed(
        "run",
        THEME,
        "-p",
        CAPTURE,
        "3",
        "-p",
        "fangstgrad",
        "0.5",
        "-p",
        "metanutbytte",
        "mye",
        "--out",
        str(out),
        root=repo_root,
    )
    errors = refused_quickly(result, seconds)
    assert len(errors) == 3
    out_of_range = next(e for e in errors if CAPTURE in e)
    assert "«3»" in out_of_range and "0.5 til 2" in out_of_range
    unknown = next(e for e in errors if "fangstgrad" in e)
    assert CAPTURE in unknown and "metanutbytte" in unknown  # the known names are listed
    assert any("metanutbytte" in e and "ikke et tall" in e for e in errors)
    assert not out.exists()


def test_a_bad_scenario_file_is_refused_with_its_lines(repo_root: Path, tmp_path: Path) -> None:
    scenarios = tmp_path / "scenarier.yaml"
    scenarios.write_text(
        "scenarios:\n  lav:\n    utsorteringsfaktor: 0.1\n  høy:\n    klimanyte: 1\n",
        encoding="utf-8",
    )
    out = tmp_path / "ut"
    result, seconds = timed(
        "run", THEME, "--scenarios", str(scenarios), "--out", str(out), root=repo_root
    )
    errors = refused_quickly(result, seconds)
    assert any("linje 3" in e and "«lav»" in e and "0.1" in e for e in errors)
    assert any("linje 5" in e and "klimanyte" in e and "klimanytte" in e for e in errors)
    assert not out.exists()


def test_results_are_never_written_into_the_book(repo_root: Path) -> None:
    for inside in ("chapters/tema/ut", "data/ut"):
        result, seconds = timed("run", THEME, "--out", str(repo_root / inside), root=repo_root)
        assert "kan ikke skrives inne i" in "".join(refused_quickly(result, seconds))
        assert not (repo_root / inside).exists()


@pytest.fixture(scope="module")
def scenario_run(book: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    before = status(book)
    folder = tmp_path_factory.mktemp("scenarier")
    (folder / "scenarier.yaml").write_text(
        f"scenarios:\n  standard: {{}}\n  halv-fangst:\n    {CAPTURE}: 0.5\n", encoding="utf-8"
    )
    sirkbok(
        "run",
        THEME,
        "--scenarios",
        str(folder / "scenarier.yaml"),
        "--out",
        str(folder / "ut"),
        root=book,
        check=True,
    )
    return folder / "ut", before


@pytest.mark.slow
def test_two_scenarios_are_compared_side_by_side(scenario_run: tuple[Path, str]) -> None:
    out, _ = scenario_run
    with open(out / "sammenligning.csv", encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["art", "navn", "standard", "halv-fangst"]
    capture = next(r for r in table if r["navn"] == CAPTURE)
    assert float(capture["standard"]) == 1 and float(capture["halv-fangst"]) == 0.5
    comparison = json.loads((out / "sammenligning.json").read_text(encoding="utf-8"))
    assert set(comparison["scenarier"]) == {"standard", "halv-fangst"}
    for name in ("standard", "halv-fangst"):
        assert (out / name / f"{THEME}.ipynb").is_file()
        assert (out / name / "resultater.csv").is_file()
        assert any((out / name / "figurer").glob("*.svg"))
    for suffix in ("svg", "png", "vl.json", "csv"):
        assert (out / "figurer" / f"{THEME}-scenarier.{suffix}").is_file()


@pytest.mark.slow
def test_halving_the_capture_rate_halves_the_food_waste_potential(
    book: Path, scenario_run: tuple[Path, str], tmp_path: Path
) -> None:
    scenarios, before = scenario_run
    out = tmp_path / "halv"
    result = sirkbok("run", THEME, "-p", CAPTURE, "0,5", "--out", str(out), root=book, check=True)
    assert "biogass_matavfall_t" in result.stdout  # the headline table

    default = json.loads((scenarios / "standard" / "resultater.json").read_text(encoding="utf-8"))
    halved = json.loads((out / "resultater.json").read_text(encoding="utf-8"))
    for name in SCALED:
        assert halved["resultater"][name] == pytest.approx(
            default["resultater"][name] / 2, rel=1e-12
        )
    # the ratio of HRA's reported intake to the national mean does not depend on the capture rate
    assert halved["resultater"]["biogass_hra_forhold"] == pytest.approx(
        default["resultater"]["biogass_hra_forhold"], rel=1e-12
    )
    assert halved["endret"] == {CAPTURE: 0.5} and halved["parametre"][CAPTURE] == 0.5
    # the same parameters give the same numbers, whether run alone or as a scenario
    again = json.loads((scenarios / "halv-fangst" / "resultater.json").read_text(encoding="utf-8"))
    assert again["resultater"] == halved["resultater"]

    with open(out / "resultater.csv", encoding="utf-8") as handle:
        rows = {(r["art"], r["navn"]): r for r in csv.DictReader(handle)}
    assert float(rows["parameter", CAPTURE]["verdi"]) == 0.5
    assert float(rows["parameter", CAPTURE]["standardverdi"]) == 1
    assert ("versjon", "papermill") in rows and ("inndata", "data/kommuner.csv") in rows

    notebook = json.loads((out / f"{THEME}.ipynb").read_text(encoding="utf-8"))
    record = notebook["metadata"]["sirkbok"]["provenance"]
    assert record["parameters"][CAPTURE] == 0.5 and "pandas" in record["versions"]
    assert (
        record["inputs"]["data/kommuner.csv"] == halved["proveniens"]["inputs"]["data/kommuner.csv"]
    )
    injected = [
        c for c in notebook["cells"] if "injected-parameters" in c["metadata"].get("tags", [])
    ]
    assert len(injected) == 1 and f"{CAPTURE} = 0.5" in "".join(injected[0]["source"])
    assert "papermill" not in notebook["metadata"]
    assert set(record["figures"]) == {f"figurer/{p.name}" for p in (out / "figurer").iterdir()}
    # one provenance record, whether the notebook ran in the book or into a researcher's folder
    published = json.loads((book / "chapters/tema" / f"{THEME}.ipynb").read_text(encoding="utf-8"))
    assert set(record) == set(published["metadata"]["sirkbok"]["provenance"])
    assert record["outputs"] == provenance.outputs_hash(notebook)

    assert status(book) == before  # nothing in the book changed, not even an ignored file


@pytest.mark.slow
def test_the_defaults_reproduce_the_books_figures_exactly(
    book: Path, scenario_run: tuple[Path, str], tmp_path: Path
) -> None:
    import nbformat
    from sirkbok.run import results

    published_book = shutil.copytree(book, tmp_path / "bok")  # the very inputs the run used
    sirkbok("regenerate", "--only", THEME, "--jobs", "1", root=published_book, check=True)
    figures = published_book / "chapters" / "tema" / "figurer"
    published = {p.name: p.read_bytes() for p in figures.glob(f"{THEME}-*")}
    standard = scenario_run[0] / "standard"
    ours = {p.name: p.read_bytes() for p in (standard / "figurer").iterdir()}
    assert published and sorted(published) == sorted(ours)
    assert [name for name in published if published[name] != ours[name]] == []
    executed = nbformat.read(published_book / "chapters" / "tema" / f"{THEME}.ipynb", as_version=4)
    written = json.loads((standard / "resultater.json").read_text(encoding="utf-8"))
    assert results.glued(executed, THEME) == written["resultater"]


@pytest.mark.slow
def test_a_failing_run_keeps_the_previous_results(
    repo_copy: Path, scenario_run: tuple[Path, str], tmp_path: Path
) -> None:
    import nbformat

    path = repo_copy / "chapters" / "tema" / f"{THEME}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    at = next(i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", []))
    notebook.cells.insert(
        at + 1, nbformat.v4.new_code_cell(f'if {CAPTURE} < 0.6:\n    raise ValueError("for lav")')
    )
    nbformat.write(notebook, path)
    out = shutil.copytree(scenario_run[0] / "standard", tmp_path / "ut")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    (tmp_path / "parametre.yaml").write_text(f"{CAPTURE}: 0.5\n", encoding="utf-8")
    result = sirkbok(
        "run", THEME, "-f", str(tmp_path / "parametre.yaml"), "--out", str(out), root=repo_copy
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"celle {at + 2}: ValueError: for lav" in result.stderr  # numbered as in the book
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
