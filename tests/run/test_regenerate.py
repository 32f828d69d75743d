"""`sirkbok regenerate`: content-hash staleness, only what changed runs, atomic, deterministic.

Every test works on a small book built in tmp_path (tiny notebooks that read tiny tables), executed
with real papermill kernels, so the tests neither depend on nor touch the real chapters.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import BIN, orphans, sirkbok, tiny_package
from filelock import FileLock
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

pytestmark = pytest.mark.slow

TEMPORARY = re.compile(r"^\..+\.tmp\d+$")
# A figure as a notebook makes it: a file in $SIRKBOK_FIGURE_DIR, its content drawn from the data.
FIGURE = """\
import csv, os
from pathlib import Path
from sirkbok.core.format import number
rows = list(csv.DictReader(open(Path(os.environ["SIRKBOK_ROOT"]) / "data" / "{table}.csv")))
total = sum(float(r["verdi"]) for r in rows) * faktor
folder = Path(os.environ.get("SIRKBOK_FIGURE_DIR", "figurer"))
folder.mkdir(exist_ok=True)
(folder / "{name}.svg").write_text(f"<svg>{{number(total, 1)}}</svg>\\n")
print("sum", number(total, 1))
"""


SLEEP = "sov.txt"  # seconds the sleeping notebook waits, when this file is in the book's root


def notebook(name: str, tables: list[str], body: str, sleep: bool = False) -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell(f"# {name}\n\nEn liten notatbok for testene."),
        new_code_cell("faktor = 2.0", metadata={"tags": ["parameters"]}),
        # SLEEP in the book (not an input; the kernel sees no variable of the test's own) keeps a
        # notebook running long enough to be killed
        new_code_cell(
            "import os, pathlib, time\n"
            f"pause = pathlib.Path(os.environ['SIRKBOK_ROOT'], {SLEEP!r})\n"
            "time.sleep(float(pause.read_text()) if pause.is_file() else 0)"
            if sleep
            else "import sys"
        ),
        new_code_cell(body),
    ]
    for index, cell in enumerate(cells):
        cell["id"] = f"{name}-{index}"
    nb = new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "sirkbok": {"tables": tables},
        },
    )
    return nb


def make_book(root: Path, sleep: bool = False) -> Path:
    """chapters/tema/alfa.ipynb reads table «a», tema/beta.ipynb «a» and «b», gamma.ipynb «c»."""
    tiny_package(root, {"a": [1, 2], "b": [3, 4], "c": [5]})
    (root / "_config.yml").write_text("title: test\n")
    books = {
        "chapters/tema/alfa.ipynb": notebook(
            "alfa", ["a"], FIGURE.format(table="a", name="alfa"), sleep
        ),
        "chapters/tema/beta.ipynb": notebook(
            "beta", ["a", "b"], FIGURE.format(table="b", name="beta")
        ),
        "chapters/gamma.ipynb": notebook("gamma", ["c"], FIGURE.format(table="c", name="gamma")),
    }
    for relative, nb in books.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, root / relative)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".sirkbok-cache" not in p.parts
    }


def executed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {k for k in after if k.endswith(".ipynb") and before.get(k) != after[k]}


@pytest.fixture(scope="module")
def fresh_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test book, regenerated once with two workers; copied for each test."""
    root = make_book(tmp_path_factory.mktemp("fersk") / "bok")
    result = sirkbok("regenerate", "--jobs", "2", root=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def book(fresh_book: Path, tmp_path: Path) -> Path:
    return Path(
        shutil.copytree(
            fresh_book, tmp_path / "bok", ignore=shutil.ignore_patterns(".sirkbok-cache")
        )
    )


def test_first_run_records_provenance_and_figures(fresh_book: Path) -> None:
    nb = json.loads((fresh_book / "chapters/tema/beta.ipynb").read_text())
    record = nb["metadata"]["sirkbok"]["provenance"]
    inputs = record["inputs"]
    assert set(inputs) >= {
        "chapters/tema/beta.ipynb",
        "data/datapackage.json",
        "data/a.csv",
        "data/b.csv",
        "scripts/sirkbok/__init__.py",
        "scripts/sirkbok/core/format.py",
    }
    assert "data/c.csv" not in inputs
    assert "scripts/sirkbok/cli.py" not in inputs  # only the package code the notebook imports
    assert record["parameters"] == {"faktor": 2.0}
    assert {"python", "pandas", "papermill", "nbformat", "sirkbok"} <= set(record["versions"])
    assert set(record["figures"]) == {"chapters/tema/figurer/beta.svg"}
    assert (fresh_book / "chapters/tema/figurer/beta.svg").read_text() == "<svg>14,0</svg>\n"
    assert (fresh_book / "chapters/figurer/gamma.svg").is_file()
    text = (fresh_book / "chapters/tema/beta.ipynb").read_text()
    assert str(fresh_book) not in text and "start_time" not in text and "duration" not in text
    assert "papermill" not in nb["metadata"]
    assert all(set(c["metadata"]) <= {"tags"} for c in nb["cells"])
    assert [c["id"] for c in nb["cells"]] == [f"beta-{i}" for i in range(4)]


def test_kernel_is_the_environments_python_without_activation(book: Path) -> None:
    nb = book / "chapters/gamma.ipynb"
    doc = nbformat.read(nb, as_version=4)
    doc.cells[2].source = "import sys\nprint(sys.executable)"
    nbformat.write(doc, nb)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/root"),
        "SIRKBOK_ROOT": str(book),
    }
    result = subprocess.run(
        [str(BIN / "sirkbok"), "regenerate"], cwd="/", env=env, text=True, capture_output=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = nbformat.read(nb, as_version=4).cells[2].outputs[0]["text"].strip()
    assert Path(printed).parent == Path(sys.executable).parent


def test_check_passes_after_run_and_mtime_alone_changes_nothing(book: Path) -> None:
    later = time.time() + 3600
    for path in [*book.rglob("*.ipynb"), *book.rglob("*.csv"), *book.rglob("*.svg")]:
        os.utime(path, (later, later))
    result = sirkbok("regenerate", "--check", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alle figurer er oppdatert." in result.stdout
    before = snapshot(book)
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 0 and "ingen notatbok ble kjørt" in result.stdout
    assert snapshot(book) == before


def test_editing_one_notebooks_text_reruns_only_that_one(book: Path) -> None:
    path = book / "chapters/tema/alfa.ipynb"
    doc = nbformat.read(path, as_version=4)
    doc.cells[0].source += "\n\nEn ny setning."
    nbformat.write(doc, path)
    check = sirkbok("regenerate", "--check", root=book)
    assert check.returncode == 1
    assert "chapters/tema/alfa.ipynb er utdatert: innholdet i notatboka er endret" in check.stderr
    assert "beta" not in check.stderr and "gamma" not in check.stderr
    before = snapshot(book)
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert executed(before, snapshot(book)) == {"chapters/tema/alfa.ipynb"}
    assert "kjører chapters/tema/alfa.ipynb" in result.stdout and "beta" not in result.stdout
    assert sirkbok("regenerate", "--check", root=book).returncode == 0


def test_changed_data_value_names_the_dependent_notebooks_and_the_file(book: Path) -> None:
    table = book / "data/a.csv"
    table.write_text(table.read_text().replace("1,2", "1,20"))
    result = sirkbok("regenerate", "--check", root=book)
    assert result.returncode == 1
    assert "chapters/tema/alfa.ipynb er utdatert: data/a.csv er endret" in result.stderr
    assert "chapters/tema/beta.ipynb er utdatert: data/a.csv er endret" in result.stderr
    assert "gamma" not in result.stderr
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (book / "chapters/tema/figurer/alfa.svg").read_text() == "<svg>42,0</svg>\n"
    assert sirkbok("regenerate", "--check", root=book).returncode == 0


def test_figures_and_outputs_are_checked_too(book: Path) -> None:
    (book / "chapters/figurer/gamma.svg").unlink()
    (book / "chapters/tema/figurer/beta.svg").write_text("<svg>redigert for hånd</svg>\n")
    result = sirkbok("regenerate", "--check", root=book)
    assert result.returncode == 1
    assert (
        "chapters/gamma.ipynb er utdatert: figuren chapters/figurer/gamma.svg mangler"
        in result.stderr
    )
    assert "figuren chapters/tema/figurer/beta.svg er endret" in result.stderr
    assert "alfa" not in result.stderr
    # run by hand in Jupyter and saved: the source is the same, the outputs are not regenerate's
    alfa = book / "chapters/tema/alfa.ipynb"
    doc = nbformat.read(alfa, as_version=4)
    doc.cells[3].execution_count = 7
    nbformat.write(doc, alfa)
    result = sirkbok("regenerate", "--check", root=book)
    assert "chapters/tema/alfa.ipynb er utdatert: utdataene i notatboka er endret" in result.stderr


def test_failing_notebook_is_reported_and_keeps_its_last_good_output(book: Path) -> None:
    path = book / "chapters/tema/beta.ipynb"
    doc = nbformat.read(path, as_version=4)
    doc.cells[3].source = "x = 1\ny = x / 0\nprint(y)"
    nbformat.write(doc, path)
    edited = path.read_bytes()
    (book / "data/a.csv").write_text("id,verdi\n0,5\n")  # alfa must run too, and succeed
    good_figure = (book / "chapters/tema/figurer/beta.svg").read_bytes()
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 1
    assert (
        "feil: chapters/tema/beta.ipynb, celle 4: ZeroDivisionError: division by zero"
        in result.stderr
    )
    assert "    | y = x / 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == edited  # not overwritten with a half-run notebook
    assert (book / "chapters/tema/figurer/beta.svg").read_bytes() == good_figure
    assert (book / "chapters/tema/figurer/alfa.svg").read_text() == "<svg>10,0</svg>\n"
    assert "1 feilet" in result.stdout
    check = sirkbok("regenerate", "--check", root=book)
    assert check.returncode == 1 and "beta.ipynb" in check.stderr and "alfa" not in check.stderr
    verbose = sirkbok("regenerate", "--verbose", root=book)
    assert "ZeroDivisionError" in verbose.stderr and "Cell In[" in verbose.stderr


def test_only_and_force(book: Path) -> None:
    before = snapshot(book)
    result = sirkbok("regenerate", "--force", "--only", "gamma", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kjører chapters/gamma.ipynb" in result.stdout and "alfa" not in result.stdout
    assert snapshot(book) == before
    unknown = sirkbok("regenerate", "--only", "delta", root=book)
    assert unknown.returncode == 1 and "Fant ingen notatbok som heter «delta»" in unknown.stderr


def test_force_twice_leaves_byte_identical_files(book: Path, fresh_book: Path) -> None:
    first = snapshot(fresh_book)
    result = sirkbok("regenerate", "--force", "--jobs", "1", root=book)
    assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(book) == first


def test_second_concurrent_run_is_refused(book: Path) -> None:
    (book / ".sirkbok-cache").mkdir(exist_ok=True)
    with FileLock(str(book / ".sirkbok-cache" / "regenerate.lock")):
        started = time.monotonic()
        result = sirkbok("regenerate", "--force", root=book)
    assert result.returncode == 1
    assert "kjører allerede" in result.stderr
    assert time.monotonic() - started < 5


def test_kill_9_mid_run_leaves_old_or_new_valid_outputs_and_next_run_completes(
    tmp_path: Path,
) -> None:
    root = make_book(tmp_path / "bok", sleep=True)
    old = snapshot(root)
    (root / SLEEP).write_text("60")
    env = dict(os.environ, SIRKBOK_ROOT=str(root))
    process = subprocess.Popen(
        [str(BIN / "sirkbok"), "regenerate", "--jobs", "2"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    seen = []
    for line in process.stdout:  # alfa sleeps; wait until another notebook has been committed
        seen.append(line)
        if "ferdig" in line:
            break
    assert "ferdig chapters/tema/alfa.ipynb" not in "".join(seen)
    second = sirkbok("regenerate", root=root)  # alfa still sleeps: the lock is held
    assert second.returncode == 1 and "kjører allerede" in second.stderr
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.5)  # let the workers notice their parent is gone
    (root / SLEEP).unlink()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if ".sirkbok-cache" in relative.parts:
            continue
        assert not TEMPORARY.match(path.name), f"temporary file left: {relative}"
        if path.suffix == ".ipynb":
            nbformat.validate(nbformat.read(path, as_version=4))
            key = relative.as_posix()
            meta = json.loads(path.read_text())["metadata"]["sirkbok"]
            assert path.read_bytes() == old[key] or "provenance" in meta
        if path.suffix == ".svg":
            assert re.fullmatch(r"<svg>[\d,]+</svg>\n", path.read_text())
    result = sirkbok("regenerate", root=root)
    assert result.returncode == 0, "".join(seen) + result.stdout + result.stderr
    assert "kjører chapters/tema/alfa.ipynb" in result.stdout, "".join(seen)  # killed mid-run
    assert sirkbok("regenerate", "--check", root=root).returncode == 0
    assert orphans(root) == []


def test_stray_temporary_files_are_ignored_and_cleaned(book: Path) -> None:
    stray = book / "chapters/tema/.alfa.ipynb.tmp12345"
    stray.write_text("{ halvskrevet")
    (book / "chapters/tema/figurer/.alfa.svg.tmp999").write_text("<sv")
    assert sirkbok("regenerate", "--check", root=book).returncode == 0
    assert sirkbok("regenerate", root=book).returncode == 0
    assert not stray.exists() and not (book / "chapters/tema/figurer/.alfa.svg.tmp999").exists()


def test_no_op_run_is_fast(book: Path) -> None:
    """CPU time, not wall time: the machine is shared; `make bench` reports the wall time."""
    times = []
    for _ in range(3):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        result = sirkbok("regenerate", root=book)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        assert result.returncode == 0
    assert min(times) < 0.5, times


def test_reading_an_undeclared_table_fails_naming_notebook_and_table(book: Path) -> None:
    nbformat.write(
        notebook("delta", ["a"], 'from sirkbok.datapackage import load\nload.load("c")'),
        book / "chapters/tema/delta.ipynb",
    )
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 1
    assert "feil: chapters/tema/delta.ipynb, celle 4: UserError:" in result.stderr
    assert "chapters/tema/delta.ipynb" in result.stderr.split("UserError:")[1]
    assert "«c»" in result.stderr
    assert not (book / "chapters/tema/figurer/delta.svg").exists()


def test_a_worker_killed_mid_notebook_is_reported_and_the_rest_complete(book: Path) -> None:
    body = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"  # the kernel kills its worker
    nbformat.write(notebook("omega", [], body), book / "chapters/omega.ipynb")
    (book / "data/c.csv").write_text("id,verdi\n0,7\n")
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 1
    assert "feil: chapters/omega.ipynb: arbeidsprosessen stoppet uventet" in result.stderr
    assert (book / "chapters/figurer/gamma.svg").read_text() == "<svg>14,0</svg>\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_notebook_cell_and_time_on_a_terminal_and_plain_lines_elsewhere() -> None:
    from sirkbok.run.execute import Result
    from sirkbok.run.regenerate import Display

    for stream in (Terminal(), io.StringIO()):
        display = Display(stream, total=2, verbose=True)
        display.started("chapters/tema/alfa.ipynb")
        display.cell("chapters/tema/alfa.ipynb", 2, 4)
        display.tick()
        display.finished(Result(notebook="chapters/tema/alfa.ipynb", ok=True, seconds=1.25))
        display.close()
        text = stream.getvalue()
        assert "ferdig chapters/tema/alfa.ipynb (1,2 s)" in text or "(1,3 s)" in text
        if isinstance(stream, Terminal):
            assert "▶ chapters/tema/alfa.ipynb  celle 2/4  0:00" in text and "\x1b[" in text
        else:
            assert "\x1b[" not in text
            assert text.splitlines()[:2] == [
                "kjører chapters/tema/alfa.ipynb",
                "  chapters/tema/alfa.ipynb: celle 2/4",
            ]


def test_an_absolute_path_in_the_outputs_is_warned_about(book: Path) -> None:
    path = book / "chapters/gamma.ipynb"
    doc = nbformat.read(path, as_version=4)
    doc.cells[2].source = "import os\nprint(os.getcwd())"
    nbformat.write(doc, path)
    result = sirkbok("regenerate", root=book)
    assert result.returncode == 0
    assert f"advarsel: chapters/gamma.ipynb: utdataene inneholder stien {book}" in result.stdout


def test_package_inputs_follow_imports_transitively_and_only_those() -> None:
    from sirkbok.run import provenance

    def keys(*code: str) -> set[str]:
        cells = [{"cell_type": "code", "source": source} for source in code]
        files = provenance.package_files(provenance.code_of({"cells": cells}))
        return {provenance.package_key(p) for p in files}

    charts = keys("%matplotlib inline\nfrom sirkbok.reader.charts import publish")
    assert {"scripts/sirkbok/__init__.py", "scripts/sirkbok/reader/charts.py"} <= charts
    assert "scripts/sirkbok/core/format.py" in charts  # imported by charts, not by the notebook
    assert "scripts/sirkbok/cli.py" not in charts and "scripts/sirkbok/regenerate.py" not in charts
    assert keys("import json") == set()


def test_a_theme_notebook_depends_on_its_own_theme_modules_only() -> None:
    """The theme registry imports a theme with import_module(f"sirkbok.themes.{theme}"): the theme
    a notebook names is its input; a theme only known at run time may be any of them."""
    from sirkbok import themes as registry
    from sirkbok.run import provenance

    def themes(*code: str) -> set[str]:
        cells = [{"cell_type": "code", "source": source} for source in code]
        files = provenance.package_files(provenance.code_of({"cells": cells}))
        return {p.parent.name for p in files if p.parent.parent.name == "themes"}

    every = set(registry.THEMES)
    assert {"tekstiler", "biogass", "bioenergi"} <= every
    params = "from sirkbok.themes import parameters as params\n"
    assert themes(params + "x = params.default('tekstiler', 'a')") == {"tekstiler"}
    assert themes(  # through another params function, by keyword, under another name
        "from sirkbok.themes.parameters import check as sjekk\nP = sjekk(theme='biogass', values={})",
        "import sirkbok.themes.parameters\n"
        "sirkbok.themes.parameters.assumptions_markdown('bioenergi', P)",
    ) == {"biogass", "bioenergi"}
    assert themes(params + "params.specs(tema)") == every
    assert themes(params) == set()
    assert themes("from sirkbok import themes\nthemes.module('biogass')") == {"biogass"}


def test_editing_one_theme_module_stales_only_its_dependants(tmp_path: Path) -> None:
    """The real book: a change to themes/tekstiler/model.py makes the chapters that read it stale,
    no other."""
    from conftest import copy_repo
    from sirkbok.core import paths
    from sirkbok.run import imports

    book = copy_repo(tmp_path / "bok")
    # The copy's own package, as `make bench` runs it: the edit must not touch the real tree.
    env = dict(os.environ, SIRKBOK_ROOT=str(book), PYTHONPATH=str(book / "scripts"))

    def stale() -> set[str]:
        result = subprocess.run(
            [str(BIN / "sirkbok"), "regenerate", "--check"],
            cwd=book,
            env=env,
            text=True,
            capture_output=True,
        )
        return set(re.findall(r"^(chapters/\S+\.ipynb) er utdatert", result.stderr, re.M))

    assert stale() == set()
    # The import analysis is kept between runs (it is used: a doctored copy of it changes the
    # answer) and dropped as soon as a module changes (the doctored copy is then ignored).
    cache = book / paths.CACHE / imports.ANALYSIS_CACHE
    kept = json.loads(cache.read_text(encoding="utf-8"))
    assert "sirkbok.themes.tekstiler.model" in kept["imports"]
    for module in kept["imports"]:
        kept["imports"][module].append("sirkbok.themes.tekstiler.model")
    cache.write_text(json.dumps(kept), encoding="utf-8")
    assert "chapters/tema/biogass.ipynb" in stale()  # as if it now read tekstiler/model.py
    theme = book / "scripts" / "sirkbok" / "themes" / "tekstiler" / "model.py"
    theme.write_text(theme.read_text(encoding="utf-8") + "\n# endret av testen\n", "utf-8")
    # the other theme chapters do not read it; the overview and «Data og kilder» count coverage
    # with every theme's resources (through the registry), and each municipality page shows its
    # share of the textile estimate, so those depend on tekstiler/model.py too
    pages = {p.relative_to(book).as_posix() for p in (book / "chapters/kommuner").glob("*.ipynb")}
    assert len(pages) == 12
    assert stale() == {
        "chapters/tema/tekstiler.ipynb",
        "chapters/tema/oversikt.ipynb",
        "chapters/data-og-kilder.ipynb",
        *pages,
    }
