"""«Send inn et tall» as a change to the data package: the row the quantity names, and its source.

The quantity and the municipality come from the form's dropdowns and are looked up in
`themes.quantities`, the same mapping the pages link from. The value, year, unit and grade are read
strictly (a Norwegian decimal comma, four-digit year, the row's own unit); the source becomes a row
of `kilder.csv` unless one with the same address exists. The change is written as CSV text and then
validated with the data package's own rules (`datapackage.validate`), like `sirkbok validate`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sirkbok.book import forms
from sirkbok.core.errors import Problem
from sirkbok.datapackage import load as data
from sirkbok.datapackage.importer import format_number
from sirkbok.pages import quantities

_NUMBER = re.compile(r"[0-9]{1,12}([,.][0-9]{1,6})?")
FIRST_YEAR = 1950


@dataclass
class Change:
    """New CSV text per table file (relative to the book) and what the pull request says."""

    files: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    pages: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def value_of(text: str) -> float | None:
    """«1 234,5» -> 1234.5; anything else (a sign, letters, several commas) -> None."""
    compact = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    return float(compact.replace(",", ".")) if _NUMBER.fullmatch(compact) else None


def title_and_publisher(text: str) -> list[str]:
    """«Årsrapport 2024, HRA» -> [«Årsrapport 2024», «HRA»] (split at the last comma)."""
    parts = [part.strip() for part in text.rsplit(",", 1)]
    return parts if len(parts) == 2 and all(parts) else []


def _problem(label: str, message: str, found: str | None, expected: str) -> Problem:
    return Problem(file="", column=label, message=message, found=found, expected=expected)


def read(
    root: Path, fields: dict[str, str], labels: dict[str, str], today: dt.date
) -> tuple[dict[str, object], list[Problem]]:
    """The checked values of the form, or the problems (one per field) a reply lists."""

    problems = []
    kommuner = data.load("kommuner")
    towns = {
        quantities.municipality_option(str(n), str(name)): str(n)
        for n, name in zip(kommuner["kommunenummer"], kommuner["navn"], strict=True)
    }
    found = {q.label: q for q in quantities.quantities(data.load("ressursstrommer"))}
    quantity = found.get(fields["storrelse"])
    if quantity is None:
        problems.append(
            _problem(
                labels["storrelse"],
                "Ukjent størrelse.",
                fields["storrelse"] or None,
                "et av valgene i listen «Størrelse»",
            )
        )
    municipality = towns.get(fields["kommune"]) if fields["kommune"] else None
    if fields["kommune"] and municipality is None:
        problems.append(
            _problem(
                labels["kommune"],
                "Ukjent kommune.",
                fields["kommune"],
                "en av kommunene i listen, som «3446 Gran»",
            )
        )
    elif quantity is not None and quantity.per_municipality and municipality is None:
        problems.append(
            _problem(
                labels["kommune"],
                "Størrelsen gjelder én kommune; velg hvilken.",
                None,
                "en av kommunene i listen",
            )
        )
    value = value_of(fields["verdi"])
    if value is None:
        problems.append(
            _problem(
                labels["verdi"],
                "Verdien er ikke et tall.",
                fields["verdi"] or None,
                "bare sifre, med komma som desimaltegn, som 1234,5",
            )
        )
    if quantity is not None and fields["enhet"] != quantity.unit:
        problems.append(
            _problem(
                labels["enhet"],
                "Enheten passer ikke til størrelsen.",
                fields["enhet"] or None,
                f"«{quantity.unit}» (regn om tallet til denne enheten)",
            )
        )
    year = int(fields["aar"]) if re.fullmatch(r"[0-9]{4}", fields["aar"]) else None
    if year is None or not FIRST_YEAR <= year <= today.year:
        problems.append(
            _problem(
                labels["aar"],
                "Året er ikke gyldig.",
                fields["aar"] or None,
                f"fire sifre mellom {FIRST_YEAR} og {today.year}",
            )
        )
    if not fields["kilde_tittel"].strip():
        problems.append(
            _problem(
                labels["kilde_tittel"],
                "Kilden mangler: hvert tall i boka har en kilde.",
                None,
                "tittel og utgiver, f.eks. «Årsrapport 2024, HRA»",
            )
        )
    elif not title_and_publisher(fields["kilde_tittel"]):
        problems.append(
            _problem(
                labels["kilde_tittel"],
                "Kilden trenger både tittel og utgiver, med komma mellom.",
                fields["kilde_tittel"],
                "«Årsrapport 2024, HRA»",
            )
        )
    url = fields["kilde_url"]
    if url and not re.fullmatch(r"https?://[^\s/@]+\.[^\s/@]+(/\S*)?", url):
        problems.append(
            _problem(
                labels["kilde_url"],
                "Adressen er ikke en nettadresse.",
                url,
                "en adresse som begynner med https://",
            )
        )
    grade = {v: k for k, v in forms.GRADES.items()}.get(fields["kildegrad"])
    if grade is None:
        problems.append(
            _problem(
                labels["kildegrad"],
                "Ukjent kildegrad.",
                fields["kildegrad"] or None,
                ", ".join(forms.GRADES.values()),
            )
        )
    checked: dict[str, object] = {
        "quantity": quantity,
        "municipality": municipality,
        "value": value,
        "year": year,
        "grade": grade,
    }
    return checked, problems


def _source(root: Path, number: int, fields: dict[str, str], grade: str, today: dt.date):  # type: ignore[no-untyped-def]
    """The source's id and the new `kilder.csv` text (None when the address is already there)."""
    rows = _rows(root / "data/kilder.csv")
    head = rows[0]
    url = fields["kilde_url"]
    for row in rows[1:]:
        if url and row[head.index("url")] == url:
            return row[head.index("id")], None
    new = dict.fromkeys(head, "")
    new.update(
        id=f"bidrag-{number}",
        type="online" if url else "misc",
        tittel=title_and_publisher(fields["kilde_tittel"])[0],
        utgiver=title_and_publisher(fields["kilde_tittel"])[1],
        aar=fields["aar"],
        url=url,
        kildegrad=grade,
        merknad=f"Sendt inn gjennom skjemaet «Send inn et tall» (sak {number}).",
        lest=today.isoformat(),
    )
    rows.append([new[name] for name in head])
    return new["id"], _text(rows)


def change(
    root: Path, number: int, fields: dict[str, str], checked: dict[str, object], today: dt.date
) -> tuple[Change, list[Problem]]:
    """The edited CSV files, or a problem when the row the quantity names is not in the package."""
    quantity = checked["quantity"]
    assert isinstance(quantity, quantities.Quantity)
    municipality = checked["municipality"]
    row_id = quantity.row_id(municipality if isinstance(municipality, str) else None)
    source, sources_text = _source(root, number, fields, str(checked["grade"]), today)
    path = f"data/{quantity.table}.csv"
    rows = _rows(root / path)
    head = rows[0]
    key = head.index("kommunenummer" if quantity.table == "kommuner" else "id")
    target = next((row for row in rows[1:] if row[key] == row_id), None)
    if target is None:
        return Change(), [
            Problem(file="", message="Datapakken har ingen rad for dette.", found=row_id)
        ]
    value = checked["value"]
    assert isinstance(value, float)
    before = target[head.index(quantity.column)]
    target[head.index(quantity.column)] = format_number(value)
    if quantity.table == "kommuner":
        prefix = "folketall" if quantity.key == "folketall" else "areal"
        target[head.index(f"{prefix}_kilde")] = source
        if prefix == "folketall":
            target[head.index("folketall_dato")] = f"{checked['year']}-01-01"
        filled = all(target[head.index(c)] for c in ("folketall", "areal_km2"))
        target[head.index("status")] = "målt" if filled else "mangler"
    else:
        target[head.index("aar")] = str(checked["year"])
        target[head.index("kilde")] = source
        target[head.index("status")] = "målt"
    result = Change(files={path: _text(rows)})
    if sources_text is not None:
        result.files["data/kilder.csv"] = sources_text
    was = f"{before} {quantity.unit}" if before else "mangler"
    place = f" for {fields['kommune']}" if fields["kommune"] else ""
    result.summary = (
        f"{quantity.label}{place}: {was} → {fields['verdi']} {quantity.unit} "
        f"({checked['year']}), kilde {source}"
    )
    return result, []
