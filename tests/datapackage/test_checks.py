"""The row rules' registry, their typed options, and the one wording of a field's bounds."""

from __future__ import annotations

from typing import get_type_hints

import pytest
from conftest import ROOT
from sirkbok.datapackage import checks, descriptor, options, register, template, wording


def test_every_rule_takes_the_options_the_descriptor_is_checked_against() -> None:
    """`options.OPTIONS` (what the descriptor is checked against when read) and `checks.RULES`
    (what runs) name the same kinds, and each rule's function takes exactly that TypedDict."""
    assert list(checks.RULES) == list(options.OPTIONS)
    for kind, rule in checks.RULES.items():
        assert get_type_hints(rule.run)["check"] is options.OPTIONS[kind], kind


@pytest.mark.parametrize(
    ("field", "said"),
    [
        (
            {"type": "integer", "constraints": {"minimum": 0, "maximum": 10_000_000}},
            "fra 0 til 10\u202f000\u202f000",
        ),
        ({"type": "number", "constraints": {"minimum": 0}}, "minst 0"),
        ({"type": "number", "constraints": {"maximum": 0.5}}, "høyst 0,5"),
        ({"type": "year", "constraints": {"minimum": 1900, "maximum": 2100}}, "fra 1900 til 2100"),
        (
            {"type": "number", "constraints": {"minimum": -1.25, "maximum": 1e15}},
            "fra −1,25 til 1\u202f000\u202f000\u202f000\u202f000\u202f000",
        ),
        ({"type": "number", "constraints": {"required": True}}, None),
        ({"type": "string"}, None),
    ],
)
def test_a_fields_bounds_read_one_way(field: dict, said: str | None) -> None:
    """Norwegian numbers (narrow no-break space between thousands, decimal comma, minus sign)."""
    assert wording.bounds(field) == said


def test_the_register_and_the_template_word_every_bound_the_same_way() -> None:
    """Each bounded field reads the same in data/README.md and in the Excel template's sheet."""
    package = descriptor.descriptor(ROOT / "data")
    text = register.markdown(package)
    seen = 0
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            said = wording.bounds(field)
            if said is None:
                continue
            seen += 1
            row = next(
                line for line in text.splitlines() if line.startswith(f"| `{field['name']}` |")
            )
            assert said in row, row
            assert said in template._explain(field, False, None, {})[-1]
    assert seen > 10
    assert "≥" not in text and "≤ " not in text.split("Kontroller:")[0]
