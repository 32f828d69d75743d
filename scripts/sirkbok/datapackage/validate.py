"""`sirkbok validate`: check the data package against its descriptor, vectorised with pandas.

The descriptor (data/datapackage.json) drives everything: field types and constraints, primary and
foreign keys, the shared unit list, and the package's own row checks under each resource's "checks"
(sources on every figure, status against value, shares within 0–1, throughput within capacity,
region totals equal to their municipalities). Each rule runs on whole columns at once, so 100 000
rows take well under a second or two; every problem is reported with file, spreadsheet line, column,
value found and what was expected. Nothing here writes a file.

Pandas is imported inside functions: `sirkbok` must start fast for verbs that never touch data.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sirkbok.core import paths
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.vocabulary import MISSING
from sirkbok.datapackage import descriptor

if TYPE_CHECKING:
    import pandas as pd

STATUS_MISSING = MISSING
TYPE_EXPECTED = {
    "integer": "et heltall uten mellomrom eller desimaler, f.eks. 31581",
    "number": "et tall med punktum som desimaltegn, f.eks. 1.5",
    "year": "et årstall med fire sifre, f.eks. 2024",
    "date": "en dato på formen ÅÅÅÅ-MM-DD, f.eks. 2026-03-20",
    "boolean": "true eller false",
}
TYPE_PATTERN = {
    "integer": r"-?\d+",
    "number": r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?",
    "year": r"\d{4}",
    "date": r"\d{4}-\d{2}-\d{2}",
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


@dataclass
class Source:
    """A table's text as read: string cells ("" = empty), index = spreadsheet line, and a label."""

    frame: pd.DataFrame
    label: str


def read_text_table(path: Path, label: str) -> tuple[Source | None, list[Problem]]:
    """Read a canonical CSV (UTF-8, comma, header) as strings; index = spreadsheet line number."""
    import pandas as pd

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(file=label, message="Filen mangler.")]
    if not raw.strip():
        return None, [
            Problem(
                file=label,
                message="Filen er tom.",
                expected="en overskriftslinje med kolonnenavn og rader under",
            )
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            Problem(
                file=label,
                line=1,
                message="Filen starter med et BOM-tegn.",
                expected="UTF-8 uten BOM (bruk «sirkbok import» for regneark)",
            )
        ]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                file=label,
                line=line,
                message="Filen er ikke UTF-8.",
                expected="UTF-8 (bruk «sirkbok import» for filer fra Excel)",
            )
        ]
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8",
            sep=",",
            skipinitialspace=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as error:
        return None, [
            Problem(
                file=label,
                message=f"CSV-filen kan ikke leses: {error}.",
                expected="komma som skilletegn og like mange felt på hver linje",
            )
        ]
    frame.index = range(2, len(frame) + 2)
    return Source(frame, label), []


def _problems(
    mask: pd.Series, values: pd.Series, label: str, column: str, message: str, expected: str | None
) -> list[Problem]:
    """One Problem per True in `mask` (index = line)."""
    if not mask.any():
        return []
    hits = values[mask]
    return [
        Problem(
            file=label,
            line=int(line),
            column=column,
            message=message,
            found=str(value),
            expected=expected,
        )
        for line, value in hits.items()
    ]


def _header_problems(source: Source, resource: dict) -> list[Problem]:
    names = [f["name"] for f in resource["schema"]["fields"]]
    return header_problems(source.label, list(source.frame.columns), names)


def header_problems(label: str, found: list, names: list[str]) -> list[Problem]:
    """Missing, unknown and repeated columns of a header (line 1), against the schema's names."""
    listed = ", ".join(names)
    problems = [
        Problem(
            file=label,
            line=1,
            column=column,
            message="Kolonnen mangler.",
            expected=f"kolonnene {listed}",
        )
        for column in names
        if column not in found
    ]
    problems += [
        Problem(
            file=label,
            line=1,
            column=str(column),
            message="Ukjent kolonne.",
            found=str(column),
            expected=f"bare kolonnene {listed}",
        )
        for column in found
        if column not in names
    ]
    duplicates = {c for c in found if found.count(c) > 1}
    problems += [
        Problem(
            file=label,
            line=1,
            column=str(c),
            message="Kolonnen står to ganger.",
            expected="hvert kolonnenavn én gang",
        )
        for c in sorted(duplicates)
    ]
    return problems


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
        problems += _problems(bad, column, label, name, "Feil datatype.", TYPE_EXPECTED.get(kind))
        constraints = spec.get("constraints", {})
        if constraints.get("required"):
            problems += _problems(
                empty, column, label, name, "Verdien mangler.", "en verdi (feltet må fylles ut)"
            )
        if "enum" in constraints:
            allowed = constraints["enum"]
            problems += _problems(
                ~empty & ~column.isin(allowed),
                column,
                label,
                name,
                "Verdien er ikke tillatt.",
                "en av: " + ", ".join(map(str, allowed)),
            )
        if "pattern" in constraints:
            matches = column.str.fullmatch(constraints["pattern"])
            problems += _problems(
                ~empty & ~matches,
                column,
                label,
                name,
                "Verdien har feil form.",
                spec.get("description") or f"mønsteret {constraints['pattern']}",
            )
        for key, compare, word in (("minimum", "lt", "minst"), ("maximum", "gt", "høyst")):
            if key in constraints and kind in ("integer", "number", "year"):
                limit = constraints[key]
                outside = getattr(values, compare)(limit).fillna(False).astype(bool)
                message = (
                    "Negativ mengde er ikke tillatt."
                    if key == "minimum" and limit == 0
                    else f"Verdien er utenfor tillatt område ({word} {limit})."
                )
                problems += _problems(
                    outside,
                    column,
                    label,
                    name,
                    message,
                    f"et tall {'≥' if key == 'minimum' else '≤'} {limit}",
                )
        if constraints.get("unique"):
            duplicated = ~empty & column.duplicated(keep="first")
            problems += _problems(
                duplicated,
                column,
                label,
                name,
                "Verdien står flere ganger.",
                "en verdi som er unik i kolonnen",
            )
        if spec.get("isUnit"):
            sample = ", ".join(sorted(units)[:8])
            problems += _problems(
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
        problems += _problems(
            missing,
            column,
            source.label,
            local,
            f"Verdien finnes ikke i {where} (kolonne «{remote}»).",
            f"en verdi fra kolonnen «{remote}» i {where}",
        )
    return problems


def _any_value(frame: pd.DataFrame, fields: list[str]) -> pd.Series:
    return (frame[fields] != "").any(axis=1)


def _run_check(
    check: dict,
    name: str,
    sources: dict[str, Source],
    typed: dict[str, pd.DataFrame],
    resources: dict[str, dict],
) -> list[Problem]:
    """The package's own rules, listed under each resource's "checks" in the descriptor."""
    source = sources[name]
    raw, label, values = source.frame, source.label, typed[name]
    kind = check["type"]
    if kind == "source":
        missing = _any_value(raw, check["fields"]) & (raw[check["source"]] == "")
        return _problems(
            missing,
            raw[check["source"]],
            label,
            check["source"],
            "Raden har tall, men ingen kilde.",
            "en kildenøkkel fra data/kilder.csv",
        )
    if kind == "status":
        status, has_value = raw[check["status"]], _any_value(raw, check["fields"])
        fields = ", ".join(check["fields"])
        problems = _problems(
            (status == STATUS_MISSING) & has_value,
            status,
            label,
            check["status"],
            f"Status er «mangler», men raden har verdi i {fields}.",
            "tom verdi når status er «mangler», ellers status «målt» eller «estimat»",
        )
        problems += _problems(
            (status != STATUS_MISSING) & (status != "") & ~has_value,
            status,
            label,
            check["status"],
            f"Raden har ingen verdi i {fields}.",
            "status «mangler» når verdien er ukjent",
        )
        return problems
    if kind == "share":
        is_share = raw[check["unitField"]] == check["unit"]
        problems = []
        for column in check["fields"]:
            number = values[column]
            outside = is_share & ((number < 0) | (number > 1)).fillna(False).astype(bool)
            problems += _problems(
                outside,
                raw[column],
                label,
                column,
                "En andel må ligge mellom 0 og 1.",
                "et tall fra 0 til 1 (f.eks. 0.65 for 65 %)",
            )
        return problems
    if kind == "range":
        low, value, high = (values[check[k]] for k in ("low", "value", "high"))
        problems = []
        for small, big, column, text in (
            (low, value, check["low"], "større enn verdien"),
            (value, high, check["high"], "mindre enn verdien"),
            (low, high, check["high"], "mindre enn den lave verdien"),
        ):
            wrong = (small > big).fillna(False).astype(bool)
            problems += _problems(
                wrong, raw[column], label, column, f"Verdien er {text}.", "lav ≤ verdi ≤ høy"
            )
        return problems
    if kind == "method":
        wrong = (raw[check["status"]] == check["value"]) & (raw[check["method"]] == "")
        return _problems(
            wrong,
            raw[check["method"]],
            label,
            check["method"],
            "Et estimat må oppgi metoden.",
            "regnestykket på siterte verdier",
        )
    if kind == "dateOrder":
        wrong = (values[check["end"]] < values[check["start"]]).fillna(False).astype(bool)
        return _problems(
            wrong,
            raw[check["end"]],
            label,
            check["end"],
            "Sluttdatoen er før startdatoen.",
            f"en dato etter «{check['start']}»",
        )
    if kind == "anyOf":
        empty = ~_any_value(raw, check["fields"])
        return _problems(
            empty,
            raw[check["fields"][0]],
            label,
            check["fields"][0],
            "Raden mangler verdi.",
            "en verdi i " + " eller ".join(check["fields"]),
        )
    if kind == "unique":
        column = raw[check["fields"][0]]
        return _problems(
            column.duplicated(keep="first") & (column != ""),
            column,
            label,
            check["fields"][0],
            "Verdien står flere ganger.",
            "en unik verdi",
        )
    if kind == "listForeignKey":
        target = check["reference"]["resource"]
        if target not in sources:
            return []
        known = set(sources[target].frame[check["reference"]["fields"]])
        column = raw[check["field"]]
        items = column[column != ""].str.split(check["separator"]).explode().str.strip()
        unknown = items[~items.isin(known)]
        where = f"data/{resources[target]['path']}"
        return [
            Problem(
                file=label,
                line=int(line),
                column=check["field"],
                message=f"«{item}» finnes ikke i {where}.",
                found=str(column[line]),
                expected=f"verdier fra kolonnen «{check['reference']['fields']}» i {where}, "
                f"skilt med «{check['separator']}»",
            )
            for line, item in unknown.items()
        ]
    if kind == "regionMatch":
        if "kommuner" not in sources:
            return []
        municipalities = sources["kommuner"].frame.set_index("kommunenummer")["region"]
        municipalities = municipalities[~municipalities.index.duplicated()]
        region, number = raw[check["region"]], raw[check["municipality"]]
        expected_region = number.map(municipalities)
        wrong = (
            (region != "") & (number != "") & expected_region.notna() & (expected_region != region)
        )
        return [
            Problem(
                file=label,
                line=int(line),
                column=check["region"],
                message=f"Kommune {number[line]} hører til {expected_region[line]}.",
                found=region[line],
                expected=str(expected_region[line]),
            )
            for line in raw.index[wrong]
        ]
    if kind == "capacity":
        return _capacity_problems(check, raw, values, label)
    if kind == "regionTotal":
        return _region_total_problems(check, raw, values, label, sources)
    raise UserError(
        Problem(
            file="data/datapackage.json",
            message="Ukjent kontrolltype.",
            found=kind,
            expected="en kontroll sirkbok kjenner",
        )
    )


def _capacity_problems(
    check: dict, raw: pd.DataFrame, values: pd.DataFrame, label: str
) -> list[Problem]:
    """Throughput must not exceed the capacity for the same actor, unit and year (empty = any)."""
    total = raw[check["scope"]] == check["scopeTotal"]
    columns = [check["actor"], check["unitField"], check["year"], check["value"]]
    measure = raw[check["measure"]]
    flows = values.loc[total & (measure == check["throughput"]), columns].reset_index(names="line")
    caps = values.loc[total & (measure == check["capacity"]), columns]
    pairs = flows.merge(caps, on=[check["actor"], check["unitField"]], suffixes=("", "_cap"))
    year, cap_year = pairs[check["year"]], pairs[check["year"] + "_cap"]
    same_year = (year.isna() | cap_year.isna() | (year == cap_year)).astype(bool)
    over = same_year & (pairs[check["value"]] > pairs[check["value"] + "_cap"]).fillna(False)
    problems = []
    for row in pairs[over.astype(bool)].itertuples(index=False):
        row = row._asdict()
        problems.append(
            Problem(
                file=label,
                line=int(row["line"]),
                column=check["value"],
                message=f"Mottaket er større enn kapasiteten ({row[check['value'] + '_cap']:g} "
                f"{row[check['unitField']]}) for aktøren {row[check['actor']]}.",
                found=f"{row[check['value']]:g}",
                expected="et mottak som ikke overstiger kapasiteten",
            )
        )
    return problems


def _region_total_problems(
    check: dict, raw: pd.DataFrame, values: pd.DataFrame, label: str, sources: dict[str, Source]
) -> list[Problem]:
    """A region row (no municipality) must equal the sum of its municipalities' rows."""
    if "kommuner" not in sources:
        return []
    members = sources["kommuner"].frame.groupby("region")["kommunenummer"].nunique()
    value, region, municipality = check["value"], check["region"], check["municipality"]
    keys = [region, *check["groupBy"]]
    frame = values[keys + [value, municipality]].copy()
    frame[keys] = frame[keys].astype("string").fillna("")
    has_value = frame[value].notna()
    region_rows = frame[has_value & frame[municipality].isna() & (frame[region] != "")]
    if region_rows.empty:
        return []
    parts = (
        frame[has_value & frame[municipality].notna()]
        .groupby(keys)
        .agg(summen=(value, "sum"), kommuner=(municipality, "nunique"))
        .reset_index()
    )
    merged = region_rows.reset_index(names="line").merge(parts, on=keys)
    merged["alle"] = merged[region].map(members).fillna(0).to_numpy() == merged["kommuner"]
    tolerance = 1e-9 * merged[value].abs().clip(lower=1)
    wrong = (merged["alle"] & ((merged[value] - merged["summen"]).abs() > tolerance)) | (
        ~merged["alle"] & (merged["summen"] > merged[value] + tolerance)
    )
    return [
        Problem(
            file=label,
            line=int(row["line"]),
            column=value,
            message=f"Regionsummen stemmer ikke med summen av kommunene ({row['summen']:g} "
            f"fra {row['kommuner']} kommuner).",
            found=f"{row[value]:g}",
            expected="summen av kommunenes rader"
            if row["alle"]
            else "minst summen av kommunene som har tall",
        )
        for row in merged[wrong.astype(bool)].to_dict("records")
    ]


def validate_package(data_dir: Path, overrides: dict[str, Source] | None = None) -> Result:
    """Validate every table in `data_dir`; `overrides` stand in for unwritten tables (imports)."""
    result = Result()
    package = descriptor.descriptor(data_dir)
    resources = {entry["name"]: entry for entry in package["resources"]}
    units = {unit["name"] for unit in package.get("units", [])}
    sources: dict[str, Source] = {}
    overrides = overrides or {}
    for name, entry in resources.items():
        if name in overrides:
            source, problems = overrides[name], []
        else:
            source, problems = read_text_table(data_dir / entry["path"], f"data/{entry['path']}")
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
        for check in resources[name].get("checks", []):
            result.problems += _run_check(check, name, sources, result.tables, resources)
    order = {f"data/{entry['path']}": i for i, entry in enumerate(package["resources"])}
    result.problems.sort(key=lambda p: (order.get(p.file, -1), p.file, p.line or 0))
    return result


_cache: dict[str, Any] = {}


def _package_stamp(data_dir: Path) -> tuple:
    return tuple(
        sorted(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in data_dir.iterdir()
            if p.suffix in {".csv", ".json"}
        )
    )


def validated_tables(data_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, validated and typed, cached until a file in data/ changes.

    Raises UserError listing every problem in the package, so nothing computes on a broken table.
    """
    folder = (data_dir or paths.data_dir()).resolve()
    stamp = (str(folder), _package_stamp(folder))
    if _cache.get("tables_stamp") != stamp:
        result = validate_package(folder)
        if result.problems:
            raise UserError(result.problems)
        _cache["tables"] = result.tables
        _cache["tables_stamp"] = stamp
    return _cache["tables"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = (
        "Kontrollerer alle tabellene i data/ mot data/datapackage.json. Ingen filer endres."
    )


def run(args: argparse.Namespace) -> int:
    result = validate_package(paths.data_dir())
    if result.problems:
        for problem in result.problems:
            print(f"feil: {problem}", file=sys.stderr)
        count = len(result.problems)
        print(f"Datapakken er ikke gyldig: {count} feil funnet.", file=sys.stderr)
        return 1
    print(f"Datapakken er gyldig: {len(result.tables)} tabeller, {result.rows} rader.")
    return 0
