"""A field's constraints in words, one wording for every reader of them.

The data register (data/README.md), the Excel template's explanation sheet and the validator's
messages all tell people what a number may be. They used to say it three ways («≥ 0», «minst 0»,
«et tall ≥ 0»); `bounds` is the one way.
"""

from __future__ import annotations

from sirkbok.core.format import number


def limit(value: float, field_type: str) -> str:
    """A bound from the descriptor as people read it: `400 000`, `0,5`; a year stays `2100`."""

    if field_type == "year":
        return str(int(value))
    if float(value).is_integer():
        return number(value)
    return number(value, 6).rstrip("0")


def bounds(field: dict) -> str | None:
    """The field's allowed range in words: «fra 0 til 400 000», «minst 0», «høyst 1»; None if open."""
    constraints = field.get("constraints", {})
    kind = field.get("type", "")
    low, high = constraints.get("minimum"), constraints.get("maximum")
    if low is not None and high is not None:
        return f"fra {limit(low, kind)} til {limit(high, kind)}"
    if low is not None:
        return f"minst {limit(low, kind)}"
    if high is not None:
        return f"høyst {limit(high, kind)}"
    return None
