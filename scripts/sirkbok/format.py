"""Norwegian number formatting for text, tables and charts (decimal comma, thin-space thousands)."""

from __future__ import annotations

import math
from datetime import date as _date
from typing import Any

from sirkbok.core.vocabulary import MISSING

THIN_SPACE = "\u202f"  # narrow no-break space: groups thousands without breaking the number
MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]


def missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and NaT: the empty values the data package can hold."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT compare unequal to themselves
    except TypeError:  # pandas.NA refuses to be a truth value
        return True


def number(value: Any, decimals: int = 0) -> str:
    """`31581.5` -> `31 581,5` (with a narrow no-break space); missing values read «mangler»."""
    if missing(value):
        return MISSING
    value = float(value)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", THIN_SPACE).replace(".", ",").replace("-", "\u2212")


def percent(share: Any, decimals: int = 0) -> str:
    """`0.65` -> `65 %` (Norwegian style keeps a space before the sign)."""
    if missing(share):
        return MISSING
    return f"{number(float(share) * 100, decimals)}\u00a0%"


def significant(value: float, digits: int = 2) -> float:
    """`461529` -> `460000.0`: an estimate rounded to what its method supports (2–3 digits)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def estimate(value: Any, digits: int = 2, approx: bool = True) -> str:
    """`461529` -> `ca. 460 000`; `4.263` -> `ca. 4,3`. Missing estimates read «mangler»."""
    if missing(value):
        return MISSING
    rounded = significant(float(value), digits)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded)))) if rounded else 0
    return ("ca. " if approx else "") + number(rounded, decimals)


def year(value: Any) -> str:
    """`2014.0` -> `2014`: years never get a thousands separator; missing years read «mangler»."""
    return MISSING if missing(value) else str(int(value))


def date(value: _date | None, precision: str = "dag", end: _date | None = None) -> str:
    """`2025-11-17` -> `17. november 2025`; coarser precisions say only what the source says.

    With `end`, a period: `første halvår 2026 – første halvår 2027`.
    """
    if end is not None and not missing(end):
        return f"{date(value, precision)} – {date(end, precision)}"
    if missing(value):
        return MISSING
    if precision == "halvaar":
        return f"{'første' if value.month <= 6 else 'andre'} halvår {value.year}"
    if precision == "maaned":
        return f"{MONTHS[value.month - 1]} {value.year}"
    if precision == "aar":
        return str(value.year)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


COUNT_WORDS = [
    "null",
    "én",
    "to",
    "tre",
    "fire",
    "fem",
    "seks",
    "sju",
    "åtte",
    "ni",
    "ti",
    "elleve",
    "tolv",
]


def count(value: int) -> str:
    """Small counts in words, as Norwegian prose writes them: `5` -> `fem`, `13` -> `13`."""
    return COUNT_WORDS[value] if 0 <= value < len(COUNT_WORDS) else number(value)
