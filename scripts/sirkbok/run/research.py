"""`sirkbok params` and `sirkbok run`: a researcher reruns a theme with other assumptions.

`params` lists a theme's parameters (from `sirkbok.params`). `run` validates every value before
anything executes, then runs the book's notebook with papermill (through `sirkbok.run.execute`, the
same engine, clean-up and provenance as `sirkbok regenerate`) into the researcher's own folder:
the book's notebooks, figures and data are only read. Headline results are the values the
notebook glues (`myst_nb.glue`) under names starting with the theme id. Named scenarios run one
after the other and are compared side by side in a table and a chart.

Both verbs live here; `add_arguments` tells them apart by the verb the parser was made for.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sirkbok.core import paths
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import inside, write_atomic
from sirkbok.run import execute

RESULTS = "resultater"
COMPARISON = "sammenligning"
FIGURES = "figurer"
# A scenario becomes a folder name: a plain slug, never `.`, `..`, a path or a hidden name.
SCENARIO_NAME = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_-]{0,63}")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verb = parser.prog.rsplit(" ", 1)[-1]
    parser.add_argument("theme", metavar="TEMA", help="Temaet, for eksempel biogass.")
    if verb == "params":
        parser.add_argument(
            "--format",
            choices=["tabell", "json"],
            default="tabell",
            help="tabell (standard) for lesing, json for maskinlesing.",
        )
        parser.set_defaults(_research=list_parameters)
        return
    parser.add_argument(
        "-p",
        "--param",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAVN", "VERDI"),
        help="Sett en parameter (kan gjentas). Desimalkomma eller -punktum.",
    )
    parser.add_argument(
        "-f",
        "--fil",
        type=Path,
        metavar="FIL",
        help="YAML-fil med parametre: «navn: verdi» per linje. -p går foran.",
    )
    parser.add_argument(
        "--scenarios",
        type=Path,
        metavar="FIL",
        help="YAML-fil med navngitte parametersett (scenarios: {navn: {…}}); "
        "kjører hvert sett og sammenligner dem. -p og -f gjelder alle scenarioene.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="MAPPE",
        help="Mappa resultatene skrives til (aldri inne i chapters/ eller data/).",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="Vis hele feilsporet hvis notatboka feiler."
    )
    from sirkbok.run.execute import timeout_option

    timeout_option(parser)
    parser.set_defaults(_research=run_theme)


def run(args: argparse.Namespace) -> int:
    return int(args._research(args))


# --- sirkbok params -------------------------------------------------------------------------------


def parameter_rows(theme: str) -> list[dict[str, Any]]:
    """One row per parameter with its default and where the default comes from."""
    from sirkbok import params

    return [
        {
            "navn": p.name,
            "beskrivelse": p.description,
            "type": "tall",
            "standardverdi": p.default(),
            "enhet": p.unit,
            "minimum": float(p.minimum),
            "maksimum": float(p.maximum),
            "faktor": p.factor,
            "kilde": p.source(),
        }
        for p in params.specs(theme)
    ]


def list_parameters(args: argparse.Namespace) -> int:
    rows = parameter_rows(args.theme)
    if args.format == "json":
        print(json.dumps({"tema": args.theme, "parametre": rows}, ensure_ascii=False, indent=1))
        return 0
    table = [
        [
            r["navn"],
            "tall",
            show(r["standardverdi"]),
            r["enhet"],
            f"{show(r['minimum'])}–{show(r['maksimum'])}",
            brief(r["kilde"]),
        ]
        for r in rows
    ]
    print(f"Parametre for temaet {args.theme}:\n")
    print(
        text_table(
            [
                "Navn",
                "Type",
                "Standardverdi",
                "Enhet",
                "Tillatt område",
                "Kilde for standardverdien",
            ],
            table,
        )
    )
    print("\nForklaring:")
    for row in rows:
        print(f"  {row['navn']}: {row['beskrivelse']}.\n    Kilde: {row['kilde']}")
    print(
        f"\nEndre en verdi: sirkbok run {args.theme} -p {rows[0]['navn']} VERDI --out MAPPE"
        if rows
        else ""
    )
    return 0


def brief(text: str, width: int = 60) -> str:
    """The start of a long text for a table cell; the whole text is printed under the table."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def show(value: Any) -> str:
    """A number as a reader writes it (decimal comma), with as many decimals as it needs."""
    from sirkbok.format import number

    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return number(value, 0)
    decimals = 1 if abs(value) >= 100 else 2 if abs(value) >= 1 else 4
    return number(value, decimals).rstrip("0").rstrip(",")


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in [header, ["-" * w for w in widths], *rows]
    ]
    return "\n".join(lines)


# --- validation, before anything runs ---------------------------------------------------------


@dataclass
class Values:
    """Raw values with where each came from (file and line), for messages that point at them."""

    raw: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def set(self, name: str, value: Any, origin: str, line: int | None = None) -> None:
        self.raw[name] = value
        self.origin[name] = (origin, line)

    def merged(self, other: Values) -> Values:
        return Values({**self.raw, **other.raw}, {**self.origin, **other.origin})


def read_yaml(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The file's content and the line of every mapping key (by its path of keys)."""
    import yaml

    from sirkbok.core import safeyaml

    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(Problem(file=shown, message="Fila finnes ikke.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(Problem(file=shown, message=f"Fila kan ikke leses ({error}).")) from None
    content = safeyaml.load(text, shown)
    node = safeyaml.compose(text, shown)
    lines: dict[tuple[str, ...], int] = {}

    def walk(current: Any, keys: tuple[str, ...]) -> None:
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                lines[(*keys, str(key.value))] = key.start_mark.line + 1
                walk(value, (*keys, str(key.value)))

    walk(node, ())
    return content, lines


def values_from_mapping(
    content: Any, origin: str, lines: dict[tuple[str, ...], int], keys: tuple[str, ...] = ()
) -> Values:
    if content is None:
        return Values()
    if not isinstance(content, Mapping):
        raise UserError(
            Problem(
                file=origin,
                line=lines.get(keys),
                message="Forventet navn og verdi, én parameter per linje.",
                found=type(content).__name__,
                expected="for eksempel «utsorteringsfaktor: 0.5»",
            )
        )
    values = Values()
    for name, value in content.items():
        values.set(str(name), value, origin, lines.get((*keys, str(name))))
    return values


def scenarios_from_file(path: Path) -> tuple[dict[str, Values], list[Problem]]:
    """`{scenarios: {name: {param: value}}}` or just `{name: {param: value}}`."""
    content, lines = read_yaml(path)
    keys: tuple[str, ...] = ()
    if isinstance(content, Mapping) and set(content) == {"scenarios"}:
        content, keys = content["scenarios"], ("scenarios",)
    shown = str(path)
    if not isinstance(content, Mapping) or not content:
        raise UserError(
            Problem(
                file=shown,
                message="Fant ingen scenarioer.",
                expected="«scenarios:» med ett navngitt parametersett per scenario",
            )
        )
    scenarios: dict[str, Values] = {}
    problems = []
    for name, values in content.items():
        name = str(name)
        line = lines.get((*keys, name))
        if not SCENARIO_NAME.fullmatch(name) or name == FIGURES:
            problems.append(
                Problem(
                    file=shown,
                    line=line,
                    message=f"Scenarionavnet «{name}» kan ikke brukes som mappenavn.",
                    expected="bokstaver, tall, - og _ (ikke «figurer»)",
                )
            )
            continue
        try:
            scenarios[name] = values_from_mapping(values, shown, lines, (*keys, name))
        except UserError as error:
            problems.extend(error.problems)
    return scenarios, problems


def checked(
    theme: str, values: Values, context: str = ""
) -> tuple[dict[str, float], list[Problem]]:
    """The values as numbers, or every problem: unknown names (with the known ones) and
    values out of range (with the allowed range), each pointing at where it was given."""
    from sirkbok import params

    known = [p.name for p in params.specs(theme)]
    result: dict[str, float] = {}
    problems: list[Problem] = []
    for name, raw in values.raw.items():
        origin, line = values.origin[name]
        if params.unknown(theme, [name]):
            problems.append(
                Problem(
                    file=origin,
                    line=line,
                    message=f"{context}Ukjent parameter for temaet {theme}.",
                    found=name,
                    expected="en av " + ", ".join(known),
                )
            )
            continue
        try:
            # YAML reads «ja»/«yes» as True, which float() would quietly take as 1
            result.update(
                params.check(theme, {name: str(raw) if isinstance(raw, bool) else raw}, origin)
            )
        except UserError as error:
            problems.extend(
                replace(p, line=line, message=context + p.message) for p in error.problems
            )
    return result, problems


def notebook_of(theme: str) -> Path:
    from sirkbok import params

    params.specs(theme)  # refuses an unknown theme, naming the known ones
    path = paths.chapters_dir() / "tema" / f"{theme}.ipynb"
    if not path.is_file():
        raise UserError(
            Problem(
                file=str(path.relative_to(paths.root())),
                message=f"Temaet {theme} har ingen notatbok ennå.",
            )
        )
    return path


def output_dir(out: Path) -> Path:
    """The researcher's folder: anywhere but inside the book's chapters or data."""
    target = out.resolve()
    root = paths.root()
    for protected in (paths.chapters_dir(), paths.data_dir()):
        if target == protected.resolve() or protected.resolve() in target.parents:
            raise UserError(
                Problem(
                    file=str(out),
                    message="Resultatene kan ikke skrives inne i "
                    f"bokas {protected.relative_to(root)}/.",
                    expected="en mappe utenfor chapters/ og data/, "
                    "for eksempel ../mine-kjoringer/biogass",
                )
            )
    if target == root.resolve():
        raise UserError(Problem(file=str(out), message="Velg en egen mappe, ikke roten av boka."))
    if target.exists() and not target.is_dir():
        raise UserError(Problem(file=str(out), message="Finnes allerede og er ikke en mappe."))
    return target


# --- running --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One executed parameter set: what went in and what the notebook glued."""

    theme: str
    parameters: dict[str, float]  # as the notebook used them (read back from the kernel)
    changed: dict[str, float]  # the researcher's values
    results: dict[str, Any]
    provenance: dict[str, Any]


def run_theme(args: argparse.Namespace) -> int:
    theme = args.theme
    notebook = notebook_of(theme)
    base = Values()
    problems: list[Problem] = []
    if args.fil is not None:
        content, lines = read_yaml(args.fil)
        try:
            base = values_from_mapping(content, str(args.fil), lines)
        except UserError as error:
            problems.extend(error.problems)
    for name, value in args.param:
        base.set(name, value, f"-p {name}")
    sets: dict[str, Values] = {"": base}
    if args.scenarios is not None:
        sets, found = scenarios_from_file(args.scenarios)
        problems.extend(found)
        sets = {name: base.merged(values) for name, values in sets.items()}
    values: dict[str, dict[str, float]] = {}
    for name, raw in sets.items():
        values[name], found = checked(theme, raw, f"Scenario «{name}»: " if name else "")
        problems.extend(found)
    folders: dict[str, Path] = {}
    try:
        target = output_dir(args.out)
        for name in values:  # a scenario folder that is a symlink out of --out is refused
            try:
                folders[name] = inside(target, name) if name else target
            except UserError as error:
                problems.extend(error.problems)
    except UserError as error:
        problems.extend(error.problems)
    if problems:
        raise UserError(list(dict.fromkeys(problems)))
    timeout = args.timeout or execute.default_timeout(paths.root())

    runs: dict[str, Run] = {}
    for name, chosen in values.items():
        print(
            f"Kjører {theme}{f' (scenario «{name}»)' if name else ''} med papermill …", flush=True
        )
        runs[name] = execute_into(notebook, theme, chosen, folders[name], args.verbose, timeout)
    if args.scenarios is None:
        report(runs[""], target)
    else:
        compare(theme, runs, target)
    return 0


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def execute_into(
    notebook: Path,
    theme: str,
    chosen: dict[str, float],
    folder: Path,
    verbose: bool,
    timeout: int | None = None,
) -> Run:
    """Run the book's notebook with `chosen` and write it, its figures and results into `folder`.

    Everything is produced in a hidden staging folder first and moved in only when the notebook
    ran to the end, so a failing run leaves an earlier good run in `folder` as it was.
    """
    import nbformat
    import papermill
    from papermill.engines import papermill_engines

    from sirkbok.run import execute, provenance

    root = paths.root()
    relative = notebook.relative_to(root).as_posix()
    original = notebook.read_text(encoding="utf-8")
    as_json = json.loads(original)
    source = nbformat.reads(original, as_version=4)
    inputs = provenance.inputs(root, notebook, as_json)
    names = provenance.parameter_names(as_json)
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".kjoring-", dir=folder))
    started = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="sirkbok-run-") as scratch:
            kernels = execute.write_kernel_spec(Path(scratch) / "jupyter")
            read_back: dict[str, Any] = {}
            papermill_engines.register(
                "sirkbok-run",
                execute._engine(relative, names, read_back, Path(scratch) / "kjerne.log"),
            )
            with environment(
                {
                    "SIRKBOK_ROOT": str(root),
                    "SIRKBOK_NOTEBOOK": relative,
                    "SIRKBOK_TABLES": ",".join(inputs.tables),
                    "SIRKBOK_FIGURE_DIR": str(staging / FIGURES),
                    "PYTHONHASHSEED": "0",
                    "JUPYTER_PATH": os.pathsep.join(
                        filter(None, [str(kernels), os.environ.get("JUPYTER_PATH")])
                    ),
                }
            ):
                try:
                    executed = papermill.execute_notebook(
                        str(notebook),
                        None,
                        parameters=chosen,
                        engine_name="sirkbok-run",
                        kernel_name=execute.KERNEL,
                        progress_bar=False,
                        cwd=str(notebook.parent),
                        execution_timeout=timeout,
                    )
                except Exception as error:  # noqa: BLE001 - shown as the cell and message
                    shifted = injected_at(source) if chosen else None
                    result = execute._failure(relative, error, started)
                    raise failure(result, shifted, verbose) from None
        clean(execute, executed, source)
        figures = {
            f"{FIGURES}/{p.relative_to(staging / FIGURES).as_posix()}": provenance.sha256_file(p)
            for p in sorted((staging / FIGURES).rglob("*"))
            if p.is_file()
        }
        record = {
            "inputs": inputs.hashes,
            "parameters": {n: read_back[n] for n in names if n in read_back},
            "versions": execute.versions(),
            "figures": figures,
        }
        executed.metadata.setdefault("sirkbok", {})["provenance"] = record
        nbformat.validate(executed)
        result = Run(
            theme=theme,
            parameters=record["parameters"],
            changed=chosen,
            results=glued(executed, theme),
            provenance=record,
        )
        (staging / notebook.name).write_text(nbformat.writes(executed) + "\n", encoding="utf-8")
        write_results(result, staging)
        commit(staging, folder)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def clean(execute: Any, executed: Any, source: Any) -> None:
    """`execute.clean` for a notebook papermill gave an «injected-parameters» cell: the injected
    cell is kept (it shows the values used) and cleaned the same way, with a stable id."""
    injected = [
        i
        for i, cell in enumerate(executed.cells)
        if "injected-parameters" in cell.metadata.get("tags", [])
    ]
    kept = [executed.cells.pop(i) for i in reversed(injected)]
    execute.clean(executed, source)
    for index, cell in zip(reversed(injected), kept, strict=True):
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        cell["id"] = "injected-parameters"
        executed.cells.insert(index, cell)


def injected_at(source: Any) -> int | None:
    """The number (from 1) papermill's injected cell gets: right after the `parameters` cell."""
    for index, cell in enumerate(source.cells):
        if "parameters" in cell.metadata.get("tags", []):
            return index + 2
    return None


def failure(result: Any, injected: int | None, verbose: bool) -> UserError:
    """The failing cell as numbered in the book's notebook (without the injected cell)."""
    cell = result.cell
    if cell and injected and cell > injected:
        cell -= 1
    where = f"celle {cell}" if cell else None
    message = f"Notatboka feilet{f' i {where}' if where else ''}: {result.error}"
    if result.cell_source:
        message += " Cellen begynner med: " + " | ".join(result.cell_source.splitlines())
    if verbose and result.details:
        print(result.details, file=sys.stderr)
    return UserError(Problem(file=result.notebook, message=message))


def glued(executed: Any, theme: str) -> dict[str, Any]:
    """Values glued under `<theme>_…` (myst-nb stores them as papermill records), in cell order."""
    found: dict[str, Any] = {}
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            name = record.get("name", "")
            if not name.startswith(f"{theme}_"):
                continue
            text = output.get("data", {}).get(record.get("mime_prefix", "") + "text/plain")
            if text is not None:
                found[name] = parse(text if isinstance(text, str) else "".join(text))
    return found


def parse(text: str) -> Any:
    """`12.5`, `np.float64(12.5)` -> 12.5; `True` -> True; anything else stays text."""
    text = text.strip()
    wrapped = re.fullmatch(r"(?:np|numpy)\.\w+\((.*)\)", text)
    text = wrapped.group(1) if wrapped else text
    if text in ("True", "False"):
        return text == "True"
    try:
        number = float(text)
    except ValueError:
        return text.strip("'\"")
    return int(number) if re.fullmatch(r"-?\d+", text) else number


def commit(staging: Path, folder: Path) -> None:
    """Move a finished run into place: the old figures folder is replaced as a whole."""
    for path in sorted(staging.iterdir()):
        target = folder / path.name
        if path.is_dir():
            old = folder / f".{path.name}-gammel"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.replace(target, old)
            os.replace(path, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(path, target)


# --- results --------------------------------------------------------------------------------------


def rows(run: Run) -> list[dict[str, Any]]:
    """Long format for the CSV: results, parameters (with default), versions and input hashes."""
    from sirkbok import params

    specs = {p.name: p for p in params.specs(run.theme)}
    out = [
        {"art": "resultat", "navn": k, "verdi": v, "standardverdi": "", "enhet": ""}
        for k, v in run.results.items()
    ]
    for name, value in run.parameters.items():
        spec = specs.get(name)
        out.append(
            {
                "art": "parameter",
                "navn": name,
                "verdi": value,
                "standardverdi": spec.default() if spec else "",
                "enhet": spec.unit if spec else "",
            }
        )
    out += [
        {"art": "versjon", "navn": k, "verdi": v, "standardverdi": "", "enhet": ""}
        for k, v in run.provenance["versions"].items()
    ]
    out += [
        {
            "art": "inndata",
            "navn": k,
            "verdi": f"sha256:{v}" if v else "mangler",
            "standardverdi": "",
            "enhet": "",
        }
        for k, v in run.provenance["inputs"].items()
    ]
    return out


def write_csv(path: Path, header: list[str], lines: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    write_atomic(path, buffer.getvalue())


def as_json(run: Run) -> dict[str, Any]:
    return {
        "tema": run.theme,
        "resultater": run.results,
        "parametre": run.parameters,
        "endret": run.changed,
        "proveniens": run.provenance,
    }


def write_results(run: Run, folder: Path) -> None:
    write_csv(
        folder / f"{RESULTS}.csv", ["art", "navn", "verdi", "standardverdi", "enhet"], rows(run)
    )
    write_atomic(
        folder / f"{RESULTS}.json",
        json.dumps(as_json(run), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    )


def report(run: Run, folder: Path) -> None:
    changed = ", ".join(f"{k} = {show(v)}" for k, v in run.changed.items()) or "standardverdier"
    print(f"Kjørte {run.theme} med {changed}.\n")
    if run.results:
        print(text_table(["Resultat", "Verdi"], [[k, show(v)] for k, v in run.results.items()]))
    else:
        print(f"Notatboka limer ikke inn noen hovedresultater (glue med navn «{run.theme}_…»).")
    print(
        f"\nSkrev {folder / (run.theme + '.ipynb')}, {folder / FIGURES}/, "
        f"{folder / RESULTS}.csv og {folder / RESULTS}.json"
    )


def compare(theme: str, runs: dict[str, Run], folder: Path) -> None:
    """Side by side: one column per scenario, then a chart of each numeric result."""
    import altair as alt
    import pandas as pd

    from sirkbok import charts

    names = list(runs)
    lines: list[dict[str, Any]] = []
    for art, attribute in (("parameter", "parameters"), ("resultat", "results")):
        keys = list(dict.fromkeys(k for r in runs.values() for k in getattr(r, attribute)))
        for key in keys:
            lines.append(
                {
                    "art": art,
                    "navn": key,
                    **{n: getattr(runs[n], attribute).get(key, "") for n in names},
                }
            )
    write_csv(folder / f"{COMPARISON}.csv", ["art", "navn", *names], lines)
    write_atomic(
        folder / f"{COMPARISON}.json",
        json.dumps(
            {"tema": theme, "scenarier": {n: as_json(r) for n, r in runs.items()}},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n",
    )

    numeric = [
        {"resultat": k, "scenario": n, "verdi": float(v)}
        for n, r in runs.items()
        for k, v in r.results.items()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    if numeric:
        table = pd.DataFrame(numeric)
        chart = (
            alt.Chart(table)
            .mark_bar(color=charts.THEME_COLOURS.get(theme, "#1f5f99"))
            .encode(
                y=alt.Y("scenario:N", sort=names, title=None),
                x=alt.X("verdi:Q", title=None, axis=alt.Axis(format=",.3~r")),
                tooltip=[
                    alt.Tooltip("resultat:N", title="Resultat"),
                    alt.Tooltip("scenario:N", title="Scenario"),
                    alt.Tooltip("verdi:Q", title="Verdi", format=",.4~r"),
                ],
            )
            .properties(height=alt.Step(24))
            .facet(
                row=alt.Row(
                    "resultat:N",
                    title=None,
                    sort=list(dict.fromkeys(table["resultat"])),
                    header=alt.Header(
                        labelAngle=0, labelAlign="left", labelOrient="top", labelAnchor="start"
                    ),
                ),
            )
            .resolve_scale(x="independent")
        )
        with environment({"SIRKBOK_FIGURE_DIR": str(folder / FIGURES)}):
            charts.publish(
                chart,
                f"{theme}-scenarier",
                f"{theme}: hovedresultatene i scenarioene {', '.join(names)}.",
                "Liggende stolper, ett panel per resultat og én stolpe per scenario: "
                + "; ".join(
                    f"{x['resultat']} i {x['scenario']}: {show(x['verdi'])}" for x in numeric
                )
                + ".",
                table,
            )
    shown = [r for r in lines if r["art"] == "resultat"] + [
        r for r in lines if r["art"] == "parameter" and len({str(r[n]) for n in names}) > 1
    ]
    print()
    print(text_table(["", *names], [[r["navn"], *(show(r[n]) for n in names)] for r in shown]))
    print(
        f"\nSkrev {folder / COMPARISON}.csv, {folder / COMPARISON}.json, "
        f"{folder / FIGURES}/{theme}-scenarier.svg og én mappe per scenario i {folder}/"
    )
