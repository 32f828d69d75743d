"""What a researcher's run produced: the glued headline values, written as CSV and JSON, shown
as a table, and for scenarios compared side by side in a table and a chart.

Headline results are the values the notebook glues (`myst_nb.glue`) under names starting with the
theme id.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sirkbok import themes
from sirkbok.core.files import write_atomic
from sirkbok.core.format import number
from sirkbok.reader.colours import BLUE
from sirkbok.run.execute import FIGURES
from sirkbok.themes import parameters as params

RESULTS = "resultater"
COMPARISON = "sammenligning"


@dataclass
class Run:
    """One executed parameter set: what went in and what the notebook glued."""

    theme: str
    parameters: dict[str, float]  # as the notebook used them (read back from the kernel)
    changed: dict[str, float]  # the researcher's values
    results: dict[str, Any]
    provenance: dict[str, Any]


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
        value = float(text)
    except ValueError:
        return text.strip("'\"")
    return int(value) if re.fullmatch(r"-?\d+", text) else value


# --- writing and showing --------------------------------------------------------------------------


def brief(text: str, width: int = 60) -> str:
    """The start of a long text for a table cell; the whole text is printed under the table."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def show(value: Any) -> str:
    """A number as a reader writes it (decimal comma), with as many decimals as it needs."""
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


def rows(run: Run) -> list[dict[str, Any]]:
    """Long format for the CSV: results, parameters (with default), versions and input hashes."""
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

    from sirkbok.reader import charts  # altair and pandas: only when there is a chart to draw

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
            .mark_bar(color=themes.module(theme).COLOUR if theme in themes.THEMES else BLUE)
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
        charts.publish(
            chart,
            f"{theme}-scenarier",
            f"{theme}: hovedresultatene i scenarioene {', '.join(names)}.",
            "Liggende stolper, ett panel per resultat og én stolpe per scenario: "
            + "; ".join(f"{x['resultat']} i {x['scenario']}: {show(x['verdi'])}" for x in numeric)
            + ".",
            table,
            folder=folder / FIGURES,
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
