"""The rules that compare rows with other rows or other tables: unique values, lists of keys,
region against municipality, throughput against capacity, region totals against their parts.

Each takes its options (typed in `options`, checked when the descriptor is read) and a `Table`, and
returns its problems; `checks.RULES` names them and says each in words.
"""

from __future__ import annotations

from sirkbok.core.errors import Problem
from sirkbok.datapackage import options
from sirkbok.datapackage.frames import Table, row_problems


def unique(check: options.FieldsCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    column = raw[check["fields"][0]]
    return row_problems(
        column.duplicated(keep="first") & (column != ""),
        column,
        label,
        check["fields"][0],
        "Verdien står flere ganger.",
        "en unik verdi",
    )


def list_foreign_key(check: options.ListForeignKeyCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    sources = table.sources
    resources = table.resources
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


def region_match(check: options.RegionMatchCheck, table: Table) -> list[Problem]:
    raw = table.raw
    label = table.label
    sources = table.sources
    if options.MUNICIPALITIES not in sources:
        return []
    known = sources[options.MUNICIPALITIES].frame
    municipalities = known.set_index(options.NUMBER)[options.REGION]
    municipalities = municipalities[~municipalities.index.duplicated()]
    region, number = raw[check["region"]], raw[check["municipality"]]
    expected_region = number.map(municipalities)
    wrong = (region != "") & (number != "") & expected_region.notna() & (expected_region != region)
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


def capacity(check: options.CapacityCheck, table: Table) -> list[Problem]:
    """Throughput must not exceed the capacity for the same actor, unit and year (empty = any)."""
    raw, values, label = table.raw, table.values, table.label
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


def region_total(check: options.RegionTotalCheck, table: Table) -> list[Problem]:
    """A region row (no municipality) must equal the sum of its municipalities' rows."""
    values, label, sources = table.values, table.label, table.sources
    if options.MUNICIPALITIES not in sources:
        return []
    known = sources[options.MUNICIPALITIES].frame
    members = known.groupby(options.REGION)[options.NUMBER].nunique()
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
