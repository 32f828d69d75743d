"""A small typed reader of JSON-stat 2.0 datasets, as SSB's PxWebApi v2 returns them.

Why not pyjstat or pxwebpy: pyjstat (last release 2.4.0, March 2023) turns a dataset into a pandas
frame and drops what a safe update needs: the `status` symbols (`..`, `:`, `.`), each measure's
`unit` and the table's `updated` stamp; pxwebpy is an HTTP client and reads no saved response. The
format itself is small (https://json-stat.org/format/): `id` and `size` give the dimensions in
order, `dimension.<d>.category.index` the positions, and `value` is row-major (the last dimension
varies fastest). This module reads exactly that and nothing more.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

# How big a response may be before it is refused unread (SSB's own limit is 800 000 cells).
MAX_CELLS = 800_000


class FormatError(ValueError):
    """The text is not a JSON-stat 2.0 dataset; the message says what is wrong (Norwegian)."""


@dataclass(frozen=True)
class Dimension:
    name: str
    label: str
    codes: tuple[str, ...]  # in the order of category.index
    labels: dict[str, str]
    units: dict[str, str]  # code -> unit.base, for the metric dimension


@dataclass(frozen=True)
class Cell:
    """One value with its category code in every dimension; `value` is None where SSB has a symbol."""

    codes: dict[str, str]
    value: float | None
    status: str | None


@dataclass(frozen=True)
class Dataset:
    label: str
    source: str
    updated: str
    dimensions: tuple[Dimension, ...]
    cells: tuple[Cell, ...]

    def dimension(self, name: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.name == name), None)


def _codes(name: str, category: Any) -> tuple[str, ...]:
    index = category.get("index") if isinstance(category, dict) else None
    if isinstance(index, list) and all(isinstance(code, str) for code in index):
        return tuple(index)
    if isinstance(index, dict) and all(isinstance(pos, int) for pos in index.values()):
        ordered = sorted(index.items(), key=lambda item: item[1])
        if [pos for _, pos in ordered] != list(range(len(ordered))):
            raise FormatError(f"Dimensjonen «{name}» har hull i category.index.")
        return tuple(code for code, _ in ordered)
    if isinstance(category, dict) and isinstance(category.get("label"), dict):
        labels = category["label"]
        if len(labels) == 1:  # JSON-stat lets a single category omit the index
            return (str(next(iter(labels))),)
    raise FormatError(f"Dimensjonen «{name}» mangler category.index.")


def _dimension(name: str, raw: Any) -> Dimension:
    if not isinstance(raw, dict):
        raise FormatError(f"Dimensjonen «{name}» er ikke et objekt.")
    category = raw.get("category") or {}
    codes = _codes(name, category)
    labels = category.get("label")
    labels = labels if isinstance(labels, dict) else {}
    raw_units = category.get("unit")
    raw_units = raw_units if isinstance(raw_units, dict) else {}
    units = {
        str(code): str(unit.get("base", ""))
        for code, unit in raw_units.items()
        if isinstance(unit, dict)
    }
    return Dimension(
        name=name,
        label=str(raw.get("label", name)),
        codes=codes,
        labels={str(k): str(v) for k, v in labels.items()},
        units=units,
    )


def _number(value: Any, position: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise FormatError(f"Verdi nummer {position + 1} er ikke et tall: {value!r}.")
    return float(value)


def _by_position(raw: Any, total: int, what: str) -> dict[int, Any]:
    """`value` or `status` as position -> entry (both may be an array or a sparse object)."""
    if isinstance(raw, list):
        if what == "value" and len(raw) != total:
            raise FormatError(f"«value» har {len(raw)} verdier, men dimensjonene gir {total}.")
        if what == "status" and len(raw) not in (1, total):
            raise FormatError(f"«status» har {len(raw)} verdier, men dimensjonene gir {total}.")
        if what == "status" and len(raw) == 1:
            return dict.fromkeys(range(total), raw[0])
        return dict(enumerate(raw))
    if isinstance(raw, dict):
        found: dict[int, Any] = {}
        for key, entry in raw.items():
            if not (isinstance(key, str) and key.isdigit() and int(key) < total):
                raise FormatError(f"«{what}» har en ugyldig posisjon: {key!r}.")
            found[int(key)] = entry
        return found
    if raw is None and what == "status":
        return {}
    raise FormatError(f"«{what}» er verken en liste eller et objekt.")


def read(doc: Any) -> Dataset:
    """The dataset in a parsed JSON-stat 2.0 document; FormatError when it is not one."""
    if not isinstance(doc, dict) or doc.get("class") != "dataset":
        raise FormatError("Svaret er ikke et JSON-stat-datasett (class er ikke «dataset»).")
    ids, sizes, raw_dims = doc.get("id"), doc.get("size"), doc.get("dimension")
    if not (
        isinstance(ids, list)
        and isinstance(sizes, list)
        and isinstance(raw_dims, dict)
        and len(ids) == len(sizes)
        and all(isinstance(name, str) and name in raw_dims for name in ids)
        and all(isinstance(size, int) and size >= 0 for size in sizes)
    ):
        raise FormatError("«id», «size» og «dimension» passer ikke sammen.")
    dimensions = tuple(_dimension(name, raw_dims[name]) for name in ids)
    for dimension, size in zip(dimensions, sizes, strict=True):
        if len(dimension.codes) != size:
            raise FormatError(
                f"Dimensjonen «{dimension.name}» har {len(dimension.codes)} kategorier, "
                f"men «size» sier {size}."
            )
    total = math.prod(sizes)
    if total > MAX_CELLS:
        raise FormatError(f"Svaret har {total} celler; høyst {MAX_CELLS} leses.")
    values = _by_position(doc.get("value"), total, "value")
    statuses = _by_position(doc.get("status"), total, "status")
    cells = []
    for position, combination in enumerate(itertools.product(*(d.codes for d in dimensions))):
        status = statuses.get(position)
        cells.append(
            Cell(
                codes=dict(zip(ids, combination, strict=True)),
                value=_number(values.get(position), position),
                status=str(status) if status is not None else None,
            )
        )
    return Dataset(
        label=str(doc.get("label", "")),
        source=str(doc.get("source", "")),
        updated=str(doc.get("updated", "")),
        dimensions=dimensions,
        cells=tuple(cells),
    )
