"""Every value a chart colours by has a colour: Vega draws a mark whose value is missing from an
explicit colour domain with no colour at all, so its bar silently disappears (this happened to
Ringeriksregionen in the reuse centres' population chart, whose labels were wrapped after the
colours were keyed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECS = sorted((ROOT / "chapters").rglob("figurer/*.vl.json"))


def views(spec: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A spec and every view inside it (layers, concatenations, a faceted spec)."""
    yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for inner in spec.get(key, []):
            yield from views(inner)
    if isinstance(spec.get("spec"), dict):
        yield from views(spec["spec"])


def rows(spec: dict[str, Any], view: dict[str, Any]) -> list[dict[str, Any]]:
    """The inline rows a view draws (its own data, else the top level's)."""
    data = view.get("data") or spec.get("data") or {}
    if "values" in data:
        return list(data["values"])
    return list(spec.get("datasets", {}).get(data.get("name"), []))


def uncoloured(path: Path) -> list[str]:
    spec = json.loads(path.read_text(encoding="utf-8"))
    found = []
    for view in views(spec):
        colour = (view.get("encoding") or {}).get("color")
        if not isinstance(colour, dict) or "domain" not in (colour.get("scale") or {}):
            continue
        domain = set(map(str, colour["scale"]["domain"]))
        for row in rows(spec, view):
            value = row.get(str(colour.get("field")))
            if value is not None and str(value) not in domain:
                found.append(f"{path.name}: «{value}» har ingen farge")
    return found


def test_there_are_charts_with_colour_domains() -> None:
    """The check is not blind: the book's charts key colours by name in at least ten views."""
    keyed = [
        view
        for path in SPECS
        for view in views(json.loads(path.read_text(encoding="utf-8")))
        if "domain" in (((view.get("encoding") or {}).get("color") or {}).get("scale") or {})
    ]
    assert len(keyed) >= 10


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.name)
def test_every_coloured_value_is_in_its_colour_domain(path: Path) -> None:
    assert uncoloured(path) == []


def test_the_check_finds_a_value_missing_from_the_domain(tmp_path: Path) -> None:
    spec = {
        "data": {"name": "d"},
        "datasets": {"d": [{"navn": "A"}, {"navn": "B|C"}]},
        "mark": "bar",
        "encoding": {"color": {"field": "navn", "scale": {"domain": ["A", "B C"]}}},
    }
    path = tmp_path / "prove.vl.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    assert uncoloured(path) == ["prove.vl.json: «B|C» har ingen farge"]
