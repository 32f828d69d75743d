"""Norwegian number formatting for text, tables and charts (decimal comma, thin-space thousands)."""

from __future__ import annotations

import math
from datetime import date as _date

THIN_SPACE = "\u202f"  # narrow no-break space: groups thousands without breaking the number
MISSING = "mangler"
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


def number(value: float | int | None, decimals: int = 0) -> str:
    """`31581.5` -> `31 581,5` (with a narrow no-break space); missing values read «mangler»."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:,.{decimals}f}"
    return text.replace(",", THIN_SPACE).replace(".", ",").replace("-", "\u2212")


def percent(share: float | None, decimals: int = 0) -> str:
    """`0.65` -> `65 %` (Norwegian style keeps a space before the sign)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return MISSING
    return f"{number(share * 100, decimals)}\u00a0%"


def date(value: _date | None, precision: str = "dag") -> str:
    """`2025-11-17` -> `17. november 2025`; coarser precisions say only what the source says."""
    if value is None or value != value:  # NaT/NA compare unequal to themselves
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
