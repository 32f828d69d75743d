"""`make bench-data`: wall time (median of 5) to validate the package and a 100 000-row flow table.

The large table is generated in a temporary copy of data/ and never stored. Targets on the project's
2-core machine: under 1 s for the package, under 5 s for 100 000 rows.
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sirkbok.core import context
from sirkbok.datapackage import load as data
from sirkbok.datapackage import validate

RUNS = 5
ROWS = 100_000
TARGETS = {"package": 1.0, "rows": 5.0}


def median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def generate_flows(path: Path, rows: int, data_dir: Path, seed: int = 1) -> None:
    """A valid ressursstrommer.csv of `rows` rows drawn from the package's own keys and enums."""
    rng = random.Random(seed)
    fields = {f["name"]: f for f in data.schema("ressursstrommer", data_dir)["fields"]}
    resources = fields["ressurs"]["constraints"]["enum"]
    stages = fields["trinn"]["constraints"]["enum"]
    municipalities = list(csv.DictReader((data_dir / "kommuner.csv").open(encoding="utf-8")))
    actors = [
        row["id"] for row in csv.DictReader((data_dir / "aktorer.csv").open(encoding="utf-8"))
    ]
    sources = [
        row["id"] for row in csv.DictReader((data_dir / "kilder.csv").open(encoding="utf-8"))
    ]
    units = ["t/år", "m3/år", "GWh/år", "Nm3 CH4/år"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(list(fields))
        for i in range(rows):
            municipality = rng.choice(municipalities)
            missing = rng.random() < 0.3
            writer.writerow(
                [
                    f"generert-{i}",
                    municipality["region"],
                    municipality["kommunenummer"],
                    rng.choice(actors),
                    rng.choice(resources),
                    rng.choice(stages),
                    "fra",
                    "til",
                    "" if missing else f"{rng.uniform(0, 50000):.2f}",
                    rng.choice(units),
                    rng.randint(2015, 2025),
                    "" if missing else rng.choice(sources),
                    "mangler" if missing else rng.choice(["målt", "estimat"]),
                    "",
                    "",
                ]
            )


def main() -> int:
    source = context.current().data_dir
    package_time = median_seconds(lambda: validate.validate_package(source))
    with tempfile.TemporaryDirectory(prefix="sirkbok-bench-") as temp:
        copy = Path(temp) / "data"
        shutil.copytree(source, copy)
        generate_flows(copy / "ressursstrommer.csv", ROWS, copy)
        result = validate.validate_package(copy)
        if result.problems:
            print(f"Generert tabell ga {len(result.problems)} feil, f.eks.: {result.problems[0]}")
            return 1
        rows_time = median_seconds(lambda: validate.validate_package(copy))
    rows = validate.validate_package(source).rows
    print(
        f"Validering av datapakken ({rows} rader): {package_time:.3f} s "
        f"(median av {RUNS}; mål under {TARGETS['package']:g} s)"
    )
    print(
        f"Validering med {ROWS:,} genererte rader i ressursstrommer: {rows_time:.3f} s "
        f"(median av {RUNS}; mål under {TARGETS['rows']:g} s)".replace(",", "\u202f")
    )
    ok = package_time < TARGETS["package"] and rows_time < TARGETS["rows"]
    print("Begge målene er nådd." if ok else "Minst ett mål er ikke nådd.")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
