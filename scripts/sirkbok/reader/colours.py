"""The book's colours, in one place: regions, themes, value statuses, decision statuses and text.

Every colour passes 3:1 against white (WCAG 1.4.11), and each set stays apart for common colour-vision
deficiencies. A theme takes its colour from THEME_PALETTE in its own folder (`COLOUR`, in the order of
the theme registry); the house chart style gives Vega the regions' and the themes' colours, in this
order, as its category range.
"""

from __future__ import annotations

from sirkbok.core.vocabulary import ESTIMATE, MEASURED, MISSING, SELF_REPORTED

BLUE = "#1f5f99"
ORANGE = "#a04a00"
GREEN = "#2b7a3d"
INDIGO = "#4a4a9c"
MAGENTA = "#a8326e"
TEAL = "#00708a"
TEXT = "#1a1a1a"

REGION_COLOURS = {
    "gjovikregionen": BLUE,
    "hadelandsregionen": ORANGE,
    "ringeriksregionen": GREEN,
}
THEME_PALETTE = (INDIGO, GREEN, ORANGE, MAGENTA, TEAL)
STATUS_COLOURS: dict[str, str] = {
    MEASURED: BLUE,
    SELF_REPORTED: "#1b6b6b",
    ESTIMATE: "#9170c4",
    MISSING: "#909090",
}
# Decision statuses by their short legend label (`decisions.SHORT`).
DECISION_COLOURS = {
    "Foreslått": MAGENTA,
    "Vedtatt": BLUE,
    "Gjennomført": GREEN,
    "Ukjent": "#5a5a5a",
}
