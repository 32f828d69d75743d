"""`sirkbok params` and `sirkbok run`: a researcher reruns a theme with other assumptions.

`params` lists a theme's parameters (from `sirkbok.themes.parameters`). `run` checks every value before
anything executes (`sirkbok.run.scenarios`), then runs the book's notebook with the one runner
(`sirkbok.run.execute.into`: the same engine, clean-up and provenance as `sirkbok regenerate`) into
the researcher's own folder: the book's notebooks, figures and data are only read. The results are
written and compared by `sirkbok.run.results`.

Both verbs live here; `add_arguments` tells them apart by the verb the parser was made for.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sirkbok.core import context
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import inside, write_atomic
from sirkbok.run import engine, execute, results, scenarios
from sirkbok.run.results import show
from sirkbok.themes import parameters as params


def add_arguments(parser: argparse.ArgumentParser) -> None:
    verb = parser.prog.rsplit(" ", 1)[-1]
    parser.add_argument("theme", metavar="TEMA", help="Temaet: en id fra data/tema.csv.")
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
        "--file",
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
        help="Mappa resultatene skrives til: ny, tom eller en tidligere kjøring "
        "(aldri inne i chapters/ eller data/).",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="Vis hele feilsporet hvis notatboka feiler."
    )
    engine.timeout_option(parser)
    parser.set_defaults(_research=run_theme)


def run(args: argparse.Namespace) -> int:
    return int(args._research(args))


# --- sirkbok params -------------------------------------------------------------------------------


def parameter_rows(theme: str) -> list[dict[str, Any]]:
    """One row per parameter with its default and where the default comes from."""
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
            results.brief(r["kilde"]),
        ]
        for r in rows
    ]
    print(f"Parametre for temaet {args.theme}:\n")
    print(
        results.text_table(
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


# --- sirkbok run ----------------------------------------------------------------------------------


def notebook_of(theme: str) -> Path:
    params.specs(theme)  # refuses an unknown theme, naming the known ones
    book = context.current()
    path = book.chapters_dir / "tema" / f"{theme}.ipynb"
    if not path.is_file():
        raise UserError(
            Problem(
                file=str(path.relative_to(book.root)),
                message=f"Temaet {theme} har ingen notatbok ennå.",
            )
        )
    return path


def output_dir(out: Path) -> Path:
    """The researcher's folder: anywhere but inside the book's chapters or data."""
    target = out.resolve()
    book = context.current()
    root = book.root
    for protected in (book.chapters_dir, book.data_dir):
        if target == protected.resolve() or protected.resolve() in target.parents:
            raise UserError(
                Problem(
                    file=str(out),
                    message="Resultatene kan ikke skrives inne i "
                    f"bokas {protected.relative_to(root)}/.",
                    expected="en mappe utenfor chapters/ og data/, "
                    "for eksempel ../mine-kjoringer/TEMA",
                )
            )
    if target == root.resolve():
        raise UserError(Problem(file=str(out), message="Velg en egen mappe, ikke roten av boka."))
    if target.exists() and not target.is_dir():
        raise UserError(Problem(file=str(out), message="Finnes allerede og er ikke en mappe."))
    return target


# Every folder `sirkbok run` writes into carries this file: a later run may replace what is there
# (figures as a whole). A folder with anything else in it and no such file is the user's, and refused.
MARK = ".sirkbok-kjoring"
MARK_TEXT = (
    "Denne mappa er laget av «sirkbok run». En ny kjøring hit erstatter notatboka, figurene og "
    "resultatene.\n"
)


def foreign(folder: Path) -> Problem | None:
    """A folder that is not empty and holds no earlier run: nothing in it may be replaced."""
    if not folder.is_dir() or (folder / MARK).is_file() or not any(folder.iterdir()):
        return None
    return Problem(
        file=str(folder),
        message="Mappa er ikke tom og inneholder ingen tidligere kjøring av «sirkbok run», så "
        "ingenting blir skrevet der (filene dine blir verken slettet eller overskrevet).",
        expected="en ny eller tom mappe, eller mappa til en tidligere kjøring",
    )


def run_theme(args: argparse.Namespace) -> int:
    theme = args.theme
    notebook = notebook_of(theme)
    values, problems = scenarios.parameter_sets(theme, args.file, args.param, args.scenarios)
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
    if not problems:
        problems = [p for f in dict.fromkeys([target, *folders.values()]) if (p := foreign(f))]
    if problems:
        raise UserError(list(dict.fromkeys(problems)))
    for folder in dict.fromkeys([target, *folders.values()]):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / MARK, MARK_TEXT)
    timeout = args.timeout or engine.default_timeout(context.current().root)

    runs: dict[str, results.Run] = {}
    for name, chosen in values.items():
        print(
            f"Kjører {theme}{f' (scenario «{name}»)' if name else ''} med papermill …", flush=True
        )
        runs[name] = execute_into(notebook, theme, chosen, folders[name], args.verbose, timeout)
    if args.scenarios is None:
        results.report(runs[""], target)
    else:
        results.compare(theme, runs, target)
    return 0


def execute_into(
    notebook: Path,
    theme: str,
    chosen: dict[str, float],
    folder: Path,
    verbose: bool,
    timeout: int | None = None,
) -> results.Run:
    """Run the book's notebook with `chosen` and write it, its figures and results into `folder`;
    a failing run leaves an earlier good run in `folder` as it was."""
    try:
        with execute.into(context.current().root, notebook, folder, chosen, timeout) as (
            done,
            staging,
        ):
            record = done.notebook.metadata["sirkbok"]["provenance"]
            run = results.Run(
                theme=theme,
                parameters=record["parameters"],
                changed=chosen,
                results=results.glued(done.notebook, theme),
                provenance=record,
            )
            results.write_results(run, staging)
    except execute.Failed as failed:
        raise failure(failed.result, verbose) from None
    return run


def failure(result: execute.Result, verbose: bool) -> UserError:
    """The failing cell (numbered as in the book's notebook), its start and the error."""
    where = f"celle {result.cell}" if result.cell else None
    message = f"Notatboka feilet{f' i {where}' if where else ''}: {result.error}"
    if result.cell_source:
        message += " Cellen begynner med: " + " | ".join(result.cell_source.splitlines())
    if verbose and result.details:
        print(result.details, file=sys.stderr)
    return UserError(Problem(file=result.notebook, message=message))
