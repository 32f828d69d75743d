"""`sirkbok update ssb [--from MAPPE] [--dry-run]`: official statistics from SSB into data/.

For each declared table (`ssb_tables.TABLES`) the command asks PxWebApi v2 for the book's twelve
municipalities and the latest period as JSON-stat 2.0 (or reads `<tabell>.json` from `--from`),
refuses any response that differs from the declaration, and only then writes: a snapshot with its
origin under data/snapshots/ssb/<tabell>/<periode>.json, the values into data/kommuner.csv (status
«målt», source the table's row in data/kilder.csv with grade H, official statistics), and that row.

A value SSB marks with a symbol (`..`, `:`, `.`) is not written: an empty cell stays «mangler», and
the symbol is explained. A fall of more than 20 % from the value already in the book is not
written either but listed for a person to check. The same responses give the same bytes: a
snapshot whose response is unchanged is left as it is (with its first fetch date).

`--summary` writes the run for a pull request: every changed value, and the book's headline
numbers before and after (`sirkbok.pages.headlines`, worked out in a copy of data/ before anything is
written, so a plan that would break the package stops the run).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from sirkbok.core import context
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import inside, write_atomic
from sirkbok.datapackage.importer import format_number
from sirkbok.datapackage.snapshots import SNAPSHOTS
from sirkbok.pages import headlines
from sirkbok.update import ssb_tables
from sirkbok.update.ssb_response import Answer, check

MAX_BYTES = 20_000_000
TIMEOUT = 60
DROP = 0.20  # a fall larger than this share of the previous value waits for a person


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", choices=["ssb"], help="Hvor tallene hentes fra (bare «ssb»).")
    parser.add_argument(
        "--from",
        dest="folder",
        metavar="MAPPE",
        help="Les lagrede svar (<tabell>.json) fra denne mappa i stedet for fra nettet.",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Vis hva som ville blitt endret, uten å skrive noe.",
    )
    parser.add_argument(
        "--summary",
        metavar="FIL",
        help="Skriv en oversikt (Markdown, før og etter) til denne filen, f.eks. til en pull request.",
    )


@dataclass
class Change:
    municipality: str
    name: str
    column: str
    before: str
    after: str


@dataclass
class Plan:
    """Everything one run would write, worked out before anything is written."""

    files: dict[Path, str] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    headline_changes: list[headlines.Change] = field(default_factory=list)
    headline_count: int = 0


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _load(table: ssb_tables.Table, folder: Path | None, url: str) -> object | None:
    """The parsed response: from `folder` when given (None when the file is not there), else SSB."""
    if folder is not None:
        path = inside(folder, f"{table.id}.json")
        if not path.is_file():
            return None
        if path.stat().st_size > MAX_BYTES:
            raise UserError(Problem(file=str(path), message="Filen er for stor til å leses."))
        raw = path.read_bytes()
        label = str(path)
    else:
        request = urllib.request.Request(url, headers={"User-Agent": "sirkbok update ssb"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                raw = response.read(MAX_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise UserError(
                Problem(
                    file=f"SSB-tabell {table.id}",
                    message=f"SSB svarte ikke ({error}). Ingenting er skrevet.",
                    found=url,
                )
            ) from None
        if len(raw) > MAX_BYTES:
            raise UserError(Problem(file=url, message="Svaret fra SSB er for stort."))
        label = url
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise UserError(
            Problem(file=label, message=f"Svaret er ikke gyldig JSON ({error}).")
        ) from None


def snapshot_text(
    answer: Answer, doc: object, url: str, query: dict, fetched: str, how: str
) -> str:
    origin = {
        "tabell": answer.table.id,
        "tittel": answer.label,
        "utgiver": ssb_tables.PUBLISHER,
        "url": url,
        "sporring": {"lang": "no", "outputFormat": "json-stat2", "valueCodes": query},
        "periode": answer.period,
        "hentet": fetched,
        "lest_fra": how,
        "oppdatert_hos_ssb": answer.updated,
        "lisens": ssb_tables.LICENCE,
        "lisens_url": ssb_tables.LICENCE_URL,
    }
    record = {"opphav": origin, "svar": doc}
    return json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _snapshot(root: Path, plan: Plan, answer: Answer, doc: object, url: str, how: str) -> str:
    """Plan the snapshot of a response; the date it was fetched (the source's «lest»)."""
    folder = root / SNAPSHOTS / answer.table.id
    path = folder / f"{answer.period}.json"
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
        if old.get("svar") == json.loads(json.dumps(doc)):
            return str(old["opphav"]["hentet"])  # the same response: keep its first fetch date
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass
    query = answer.table.query(municipalities=[v.municipality for v in answer.values])
    today = datetime.date.today().isoformat()
    plan.files[path] = snapshot_text(answer, doc, url, query, today, how)
    return today


def _source_row(answer: Answer, header: list[str], fetched: str) -> list[str]:
    table = answer.table
    cells = {
        "id": table.source_id,
        "type": "misc",
        "tittel": f"Statistikkbanken, tabell {answer.label}",
        "utgiver": ssb_tables.PUBLISHER,
        "url": f"https://www.ssb.no/statbank/table/{table.id}",
        "kildegrad": "H",
        "merknad": f"Offisiell statistikk, hentet med «sirkbok update ssb» (PxWebApi v2). "
        f"Siste periode: {answer.period}. Lisens {ssb_tables.LICENCE}",
        "lest": fetched,
    }
    return [cells.get(name, "") for name in header]


def _number(text: str) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None  # `sirkbok validate` reports a broken cell; the update just overwrites it


def _apply(answer: Answer, header: list[str], rows: list[list[str]], plan: Plan) -> int:
    """Put the answer's values into the municipality rows; the number of values written."""
    table = answer.table
    col = {name: header.index(name) for name in header}
    by_number = {row[col["kommunenummer"]]: row for row in rows}
    written = 0
    for found in answer.values:
        row = by_number[found.municipality]
        name = row[col["navn"]]
        before = row[col[table.value_column]]
        if found.value is None:
            plan.notices.append(
                f"SSB-tabell {table.id}, {name}: SSB oppgir {found.explained} for {answer.period}; "
                + ("verdien står som «mangler»." if not before else "verdien fra før beholdes.")
            )
            if not before and not any(row[col[c]] for c in ("folketall", "areal_km2")):
                row[col["merknad"]] = f"SSB-tabell {table.id} ({answer.period}): {found.explained}"
            continue
        after = format_number(found.value)
        previous = _number(before)
        if previous is not None and found.value < (1 - DROP) * previous:
            plan.flagged.append(
                f"SSB-tabell {table.id}, {name}, «{table.value_column}»: {before} → {after} "
                f"({answer.period}) er et fall på mer enn {DROP:.0%}; ikke skrevet, må kontrolleres."
            )
            continue
        new = {table.value_column: after, table.source_column: table.source_id}
        if table.date_column:
            new[table.date_column] = f"{answer.period}-01-01"
        if before != after:
            plan.changes.append(Change(found.municipality, name, table.value_column, before, after))
        for column, value in new.items():
            row[col[column]] = value
        written += 1
    for row in rows:
        filled = any(row[col[c]] for c in ("folketall", "areal_km2"))
        row[col["status"]] = "målt" if filled else "mangler"
        row[col["fylles_fra"]] = ssb_tables.refreshed_from()
    return written


def plan_update(root: Path, folder: Path | None) -> tuple[Plan, int]:
    """Check every response, then work out every file to write; raises before writing anything."""
    plan = Plan()
    data = root / "data"
    k_header, k_rows = _read_csv(data / "kommuner.csv")
    s_header, s_rows = _read_csv(data / "kilder.csv")
    municipalities = [row[k_header.index("kommunenummer")] for row in k_rows]
    answers: list[tuple[Answer, object, str]] = []
    for table in ssb_tables.TABLES:
        url = table.url(municipalities)
        doc = _load(table, folder, url)
        if doc is None:
            plan.notices.append(
                f"SSB-tabell {table.id}: ingen {table.id}.json i {folder}; tabellen er hoppet over."
            )
            continue
        answers.append((check(table, doc, municipalities), doc, url))
    written = 0
    for answer, doc, url in answers:
        written += _apply(answer, k_header, k_rows, plan)
        fetched = _snapshot(
            root, plan, answer, doc, url, "fil (--from)" if folder else "PxWebApi v2"
        )
        source = _source_row(answer, s_header, fetched)
        ids = [row[s_header.index("id")] for row in s_rows]
        if answer.table.source_id in ids:
            s_rows[ids.index(answer.table.source_id)] = source
        else:
            s_rows.append(source)
    for path, text in (
        (data / "kommuner.csv", _csv_text(k_header, k_rows)),
        (data / "kilder.csv", _csv_text(s_header, s_rows)),
    ):
        if path.read_text(encoding="utf-8") != text:
            plan.files[path] = text
    return plan, written


def summary(plan: Plan) -> str:
    """The run as Markdown for a person (and a pull request): changed values, checks, notices."""
    lines = ["## Oppdatering fra SSB", ""]
    if plan.changes:
        lines += ["| Kommune | Kolonne | Før | Etter |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {c.name} ({c.municipality}) | {c.column} | {c.before or '–'} | {c.after} |"
            for c in plan.changes
        ]
    else:
        lines.append("Ingen verdier er endret.")
    if plan.flagged:
        lines += ["", "### Til kontroll (ikke skrevet)", ""] + [f"- {f}" for f in plan.flagged]
    lines += ["", headlines.markdown(plan.headline_changes, plan.headline_count).rstrip("\n")]
    if plan.notices:
        lines += ["", "### Merknader", ""] + [f"- {n}" for n in plan.notices]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    folder = Path(args.folder).resolve() if args.folder else None
    if folder is not None and not folder.is_dir():
        raise UserError(Problem(file=args.folder, message="Mappa finnes ikke."))
    plan, written = plan_update(root, folder)
    # Before and after, from data/ as it is and a copy with the plan written: a plan that would
    # leave an invalid package stops here, before anything is written.
    plan.headline_changes, plan.headline_count = headlines.changes(root, plan.files)
    for notice in plan.notices:
        print(f"merk: {notice}", file=sys.stderr)
    for flag in plan.flagged:
        print(f"til kontroll: {flag}", file=sys.stderr)
    for change in plan.changes:
        print(f"{change.name}: {change.column} {change.before or '–'} → {change.after}")
    for moved in plan.headline_changes:
        shown = moved.headline
        print(
            f"Hovedtall på {shown.page}, {shown.label.lower()}: "
            f"{moved.before.shown if moved.before else '–'} → "
            f"{moved.after.shown if moved.after else '–'}"
        )
    if args.summary:
        write_atomic(Path(args.summary), summary(plan))
    if args.dry_run:
        print(f"Prøvekjøring: {len(plan.files)} filer ville blitt skrevet; ingenting er skrevet.")
        return 0
    for path, text in sorted(plan.files.items()):
        target = inside(root, path)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, text)
    print(
        f"{written} verdier fra SSB er lest inn; {len(plan.changes)} celler endret, "
        f"{len(plan.files)} filer skrevet."
        + (" Kjør «sirkbok regenerate» for figurene." if plan.files else "")
    )
    return 0
