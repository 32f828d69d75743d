"""`sirkbok validate`: check the data package against its descriptor, vectorised with pandas.

The descriptor (data/datapackage.json) drives everything: field types and constraints, primary and
foreign keys, the shared unit list, and the package's own row checks under each resource's "checks"
(sources on every figure, status against value, shares within 0–1, throughput within capacity,
region totals equal to their municipalities). Each rule runs on whole columns at once, so 100 000
rows take well under a second or two; every problem is reported with file, spreadsheet line, column,
value found and what was expected. The CSV text itself is read by `textcsv`. Nothing here writes a
file.

Pandas is imported inside functions: `sirkbok` must start fast for verbs that never touch data.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sirkbok.core import context
from sirkbok.core.errors import Problem, UserError, count, report
from sirkbok.core.files import not_plain, write_atomic
from sirkbok.core.format import MARKUP, markup
from sirkbok.datapackage import characters, checks, descriptor, wording
from sirkbok.datapackage.frames import Source, Table, row_problems
from sirkbok.datapackage.textcsv import header_problems, read_text_table

if TYPE_CHECKING:
    import pandas as pd

TYPE_EXPECTED = {
    "integer": "et heltall uten mellomrom eller desimaler, f.eks. 31581",
    "number": "et endelig tall med punktum som desimaltegn, f.eks. 1.5",
    "year": "et årstall med fire sifre, f.eks. 2024",
    "date": "en dato på formen ÅÅÅÅ-MM-DD, f.eks. 2026-03-20",
    "boolean": "true eller false",
}
# ASCII digits only ([0-9], not \d, which also matches Arabic-Indic and other digits); no `1_0`.
TYPE_PATTERN = {
    "integer": r"-?[0-9]{1,18}",
    "number": r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?",
    "year": r"[0-9]{4}",
    "date": r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "boolean": r"true|false",
}


@dataclass
class Result:
    """Typed tables, the raw text they came from, and every problem found."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    raw: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(frame) for frame in self.raw.values())


def _header_problems(source: Source, resource: dict) -> list[Problem]:
    names = [f["name"] for f in resource["schema"]["fields"]]
    return header_problems(source.label, list(source.frame.columns), names)


def markup_problems(column: pd.Series, label: str, name: str) -> list[Problem]:
    """Text that Markdown, MyST or HTML would read as markup is refused in every text field: data
    is shown in the book, and a cell must never become a tag, a role, a link or emphasis there."""

    hits = column[column.str.contains(MARKUP, regex=True)]
    return [
        Problem(
            file=label,
            line=int(line),
            column=name,
            message="Teksten inneholder markering (HTML, MyST eller Markdown), som ikke er "
            "tillatt i data.",
            found=markup(value),
            expected="ren tekst uten <tagger>, `, {, }, *, \\, _uthevet_, [lenker](…), "
            "&entiteter; eller linjeskift",
        )
        for line, value in hits.items()
    ]


def pattern_matches(column: pd.Series, pattern: str) -> pd.Series:
    """Which cells match a descriptor's pattern whole, with RE2: linear time, so a pattern such as
    `(a+)+$` cannot make a 31-character value take a minute (Python's `re` backtracks). The
    descriptor check has already refused a pattern RE2 cannot compile."""
    import re2

    compiled = re2.compile(pattern)
    return column.map(lambda value: compiled.fullmatch(value) is not None).astype(bool)


def convert(column: pd.Series, field_type: str) -> tuple[pd.Series, pd.Series]:
    """Text cells -> typed Series (missing = <NA>), and a mask of the cells not of that type."""
    import pandas as pd

    empty = column == ""
    if field_type == "string":
        typed = column.astype("string").mask(empty)
        return typed, pd.Series(False, index=column.index)
    ok = column.str.fullmatch(TYPE_PATTERN[field_type])
    bad = ~empty & ~ok
    good = column.where(ok)
    if field_type in ("integer", "year"):
        typed = pd.to_numeric(good, errors="coerce").astype("Int64")
    elif field_type == "number":
        typed = pd.to_numeric(good, errors="coerce").astype("Float64")
        infinite = typed.isin([float("inf"), float("-inf")]).fillna(False).astype(bool)
        typed = typed.mask(infinite)  # `1e400` is not a number anyone measured
        bad = bad | infinite
    elif field_type == "date":
        typed = pd.to_datetime(good, format="%Y-%m-%d", errors="coerce")
        bad = bad | (ok & typed.isna())
    elif field_type == "boolean":
        typed = good.map({"true": True, "false": False}).astype("boolean")
    else:
        raise ValueError(f"unknown field type {field_type}")
    return typed, bad


def _check_fields(
    source: Source, resource: dict, units: set[str]
) -> tuple[pd.DataFrame, list[Problem]]:
    import pandas as pd

    frame, label = source.frame, source.label
    problems: list[Problem] = []
    typed: dict[str, pd.Series] = {}
    for spec in resource["schema"]["fields"]:
        name, kind = spec["name"], spec.get("type", "string")
        column = frame[name]
        empty = column == ""
        values, bad = convert(column, kind)
        typed[name] = values
        problems += row_problems(
            bad, column, label, name, "Feil datatype.", TYPE_EXPECTED.get(kind)
        )
        problems += characters.cell_problems(column, label, name)
        if kind == "string":
            problems += markup_problems(column, label, name)
        if spec.get("format") == "uri":
            problems += characters.url_problems(column, label, name)
        constraints = spec.get("constraints", {})
        if constraints.get("required"):
            problems += row_problems(
                empty, column, label, name, "Verdien mangler.", "en verdi (feltet må fylles ut)"
            )
        if "enum" in constraints:
            allowed = constraints["enum"]
            problems += row_problems(
                ~empty & ~column.isin(allowed),
                column,
                label,
                name,
                "Verdien er ikke tillatt.",
                "en av: " + ", ".join(map(str, allowed)),
            )
        if "pattern" in constraints:
            matches = pattern_matches(column, constraints["pattern"])
            problems += row_problems(
                ~empty & ~matches,
                column,
                label,
                name,
                "Verdien har feil form.",
                spec.get("description") or f"mønsteret {constraints['pattern']}",
            )
        in_words = wording.bounds(spec) if kind in ("integer", "number", "year") else None
        for key, compare in (("minimum", "lt"), ("maximum", "gt")):
            if in_words and key in constraints:
                limit = constraints[key]
                outside = getattr(values, compare)(limit).fillna(False).astype(bool)
                message = (
                    "Negativ mengde er ikke tillatt."
                    if key == "minimum" and limit == 0
                    else f"Verdien er utenfor tillatt område ({in_words})."
                )
                problems += row_problems(
                    outside, column, label, name, message, f"et tall {in_words}"
                )
        if constraints.get("unique"):
            duplicated = ~empty & column.duplicated(keep="first")
            problems += row_problems(
                duplicated,
                column,
                label,
                name,
                "Verdien står flere ganger.",
                "en verdi som er unik i kolonnen",
            )
        if spec.get("isUnit"):
            sample = ", ".join(sorted(units)[:8])
            problems += row_problems(
                ~empty & ~column.isin(units),
                column,
                label,
                name,
                "Ukjent enhet.",
                f"en enhet fra listen «units» i data/datapackage.json (f.eks. {sample} …)",
            )
    return pd.DataFrame(typed, index=frame.index), problems


def _primary_key_problems(source: Source, resource: dict) -> list[Problem]:
    key = resource["schema"].get("primaryKey")
    if not key:
        return []
    key = [key] if isinstance(key, str) else key
    frame = source.frame
    joined = frame[key[0]] if len(key) == 1 else frame[key].agg("|".join, axis=1)
    duplicated = joined.duplicated(keep="first") & (joined != "")
    first_line = joined.reset_index().drop_duplicates(subset=joined.name or 0, keep="first")
    first = dict(zip(first_line.iloc[:, 1], first_line.iloc[:, 0], strict=True))
    return [
        Problem(
            file=source.label,
            line=int(line),
            column=", ".join(key),
            message=f"Nøkkelen står allerede på linje {first[value]}.",
            found=value,
            expected="en unik nøkkel",
        )
        for line, value in joined[duplicated].items()
    ]


def _foreign_key_problems(
    name: str, sources: dict[str, Source], resources: dict[str, dict]
) -> list[Problem]:
    problems: list[Problem] = []
    source = sources[name]
    for fk in resources[name]["schema"].get("foreignKeys", []):
        local = fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0]
        target = fk["reference"]["resource"] or name
        remote = fk["reference"]["fields"]
        remote = remote if isinstance(remote, str) else remote[0]
        if target not in sources:
            continue
        column = source.frame[local]
        known = sources[target].frame[remote]
        missing = (column != "") & ~column.isin(known)
        where = f"data/{resources[target]['path']}"
        problems += row_problems(
            missing,
            column,
            source.label,
            local,
            f"Verdien finnes ikke i {where} (kolonne «{remote}»).",
            f"en verdi fra kolonnen «{remote}» i {where}",
        )
    return problems


def validate_package(data_dir: Path, overrides: dict[str, Source] | None = None) -> Result:
    """Validate every table in `data_dir`; `overrides` stand in for unwritten tables (imports).

    A link or special file in `data_dir` is refused before any file is read (`core.files.not_plain`).
    """
    result = Result(problems=not_plain(data_dir, data_dir.parent))
    if result.problems:
        return result
    package = descriptor.descriptor(data_dir)
    resources = {entry["name"]: entry for entry in package["resources"]}
    units = {unit["name"] for unit in package.get("units", [])}
    sources: dict[str, Source] = {}
    overrides = overrides or {}
    for name, entry in resources.items():
        source: Source | None
        problems: list[Problem]
        if name in overrides:
            source, problems = overrides[name], []
        else:
            try:
                path = descriptor.resource_path(entry, data_dir)
            except UserError as error:
                result.problems += error.problems
                continue
            names = [spec["name"] for spec in entry["schema"]["fields"]]
            source, problems = read_text_table(path, f"data/{entry['path']}", names)
        result.problems += problems
        if source is None:
            continue
        header = _header_problems(source, entry)
        result.problems += header
        result.raw[name] = source.frame
        if header:
            continue
        typed, problems = _check_fields(source, entry, units)
        result.problems += problems + _primary_key_problems(source, entry)
        result.tables[name] = typed
        sources[name] = source
    for name in sources:
        result.problems += _foreign_key_problems(name, sources, resources)
        table = Table(
            sources[name].frame, result.tables[name], sources[name].label, sources, resources
        )
        for check in resources[name].get("checks", []):
            result.problems += checks.run(check, table)
    order = {f"data/{entry['path']}": i for i, entry in enumerate(package["resources"])}
    result.problems.sort(key=lambda p: (order.get(p.file, -1), p.file, p.line or 0))
    return result


def package_stamp(data_dir: Path) -> tuple:
    """What the package's tables depend on: each file's name, mtime and size (none when there
    is no folder: `validate_package` says what is missing)."""
    if not data_dir.is_dir():
        return ()
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in data_dir.iterdir()
            if p.suffix in {".csv", ".json"}
        )
    )


def require_valid(data_dir: Path, stamp: Path) -> None:
    """Refuse a package that does not validate, reading it only when its bytes (or the validator's
    own code) differ from the last package that passed, as recorded in `stamp`: the gate before
    anything is generated from data costs a no-op `regenerate` a few hashes, not a full read."""
    import hashlib

    digest = hashlib.sha256()
    code = Path(__file__).parent
    files = [*sorted(code.rglob("*.py")), *sorted(code.rglob("*.json"))]
    files += sorted(p for p in data_dir.iterdir() if p.suffix in {".csv", ".json"})
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == digest.hexdigest():
        return
    validated_tables(data_dir)
    write_atomic(stamp, digest.hexdigest())


def validated_tables(
    data_dir: Path | None = None, book: context.Book | None = None
) -> dict[str, pd.DataFrame]:
    """Every table, validated and typed, kept on `book` (default: the current Book) until a file
    in data/ changes.

    Raises UserError listing every problem in the package, so nothing computes on a broken table.
    """
    result = validated(data_dir, book)
    if result.problems:
        raise UserError(result.problems)
    return result.tables


def validated(data_dir: Path | None = None, book: context.Book | None = None) -> Result:
    """`validate_package` of `book`'s data/ (default: the current Book), kept on the Book until a
    file in data/ changes: `sirkbok check` lists the problems, then its pages load the tables."""
    book = book or context.current()
    folder = data_dir or book.data_dir  # not resolved: a linked data/ must be seen as one
    stamp = (str(folder.resolve()), package_stamp(folder))
    return book.memo(f"package {folder}", stamp, lambda: validate_package(folder))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Kontrollerer alle tabellene i data/ mot data/datapackage.json. Ingen filer endres."
    )


def run(args: argparse.Namespace) -> int:
    result = validate_package(context.current().data_dir)
    if result.problems:
        report(result.problems, sys.stderr)
        total = count(result.problems)
        print(f"Datapakken er ikke gyldig: {total} feil funnet.", file=sys.stderr)
        return 1
    print(f"Datapakken er gyldig: {len(result.tables)} tabeller, {result.rows} rader.")
    return 0
