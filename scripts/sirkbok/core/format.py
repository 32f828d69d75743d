"""Norwegian number formatting for text, tables and charts (decimal comma, thin-space thousands)."""

from __future__ import annotations

import math
import re
from datetime import date as _date
from datetime import datetime as _datetime
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

# d3's locale objects for Vega and vl-convert: the same formats in the charts as in the text.
NUMBER_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": THIN_SPACE,
    "grouping": [3],
    "currency": ["", "\u00a0kr"],
    "minus": "\u2212",
}
TIME_LOCALE: dict[str, Any] = {
    "dateTime": "%A %e. %B %Y kl. %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["", ""],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": MONTHS,
    "shortMonths": [
        "jan",
        "feb",
        "mar",
        "apr",
        "mai",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "des",
    ],
}


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


# Unit codes in the data package are plain ASCII (typed in a spreadsheet); readers see the symbols.
_UNIT_TOKENS = {"m2": "m²", "km2": "km²", "m3": "m³", "Nm3": "Nm³", "CO2": "CO₂", "CH4": "CH₄"}
_UNIT_TOKEN = re.compile(r"\b(" + "|".join(_UNIT_TOKENS) + r")\b")


def unit(code: object) -> str:
    """A unit as readers write it (`m2` -> `m²`, `Nm3 CH4/år` -> `Nm³ CH₄/år`), escaped, since the
    code comes from the data package."""
    return text(_UNIT_TOKEN.sub(lambda match: _UNIT_TOKENS[match.group(1)], str(code)))


def year(value: Any) -> str:
    """`2014.0` -> `2014`: years never get a thousands separator; missing years read «mangler»."""
    return MISSING if missing(value) else str(int(value))


def date(value: _date | None, precision: str = "dag", end: _date | None = None) -> str:
    """`2025-11-17` -> `17. november 2025`; coarser precisions say only what the source says.

    With `end`, a period: `første halvår 2026 – første halvår 2027`. Precision `medio` keeps the
    case document's words: 1 July is «medio 2026», any other date its bare year, and the period
    reads `medio 2027–2028` as the source writes it.
    """
    if end is not None and not missing(end):
        dash = "–" if precision == "medio" else " – "
        return f"{date(value, precision)}{dash}{date(end, precision)}"
    if value is None or missing(value):
        return MISSING
    if precision == "medio":
        return f"medio {value.year}" if (value.month, value.day) == (7, 1) else str(value.year)
    if precision == "halvaar":
        return f"{'første' if value.month <= 6 else 'andre'} halvår {value.year}"
    if precision == "maaned":
        return f"{MONTHS[value.month - 1]} {value.year}"
    if precision == "aar":
        return str(value.year)
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def dated(
    when: _date,
    as_of: _date,
    *,
    planned: str,
    happened: str,
    unknown: str,
    known: bool = False,
    precision: str = "dag",
) -> str:
    """A dated event worded from the book's date (`as_of`, `sist_oppdatert`), never stale.

    Each wording is a template with `{dato}` (the event's date) and `{per}` (the book's date):
    `planned` for an event after the book's date; for one on or before it, `happened` when its
    outcome is known, else `unknown` («…; om møtet ble holdt, er ikke kjent per {per}»).
    """
    if missing(when):
        raise ValueError("a dated event needs a date")
    when, as_of = day(when), day(as_of)
    words = planned if when > as_of else happened if known else unknown
    return words.format(dato=date(when, precision), per=date(as_of))


def day(value: _date) -> _date:
    """The calendar day of a date, datetime or pandas Timestamp (they do not compare otherwise)."""
    return value.date() if isinstance(value, _datetime) else value


# --- text from data, front matter or the command line: never markup -------------------------------

# Characters Markdown/MyST reads as syntax anywhere in a line: emphasis, code, roles and
# substitutions, links, raw HTML and entities, tables, escapes, math. A backslash makes each one a
# literal character (CommonMark escapes every ASCII punctuation mark), and the renderer then
# HTML-escapes it, so `<` reaches the page as `&lt;`. That is why `text` needs no html.escape
# (which would show `&lt;` literally after Markdown).
_INLINE = re.compile(r"([\\`*_{}\[\]<>|~$&])")
# ... and at the start of a line: headings, lists, quotes, comments (%), fences and directives (:).
_LINE_START = re.compile(r"^([#+\-=!%:>])|^(\d+)([.)])")
# What the data package refuses in any text field (see `markup`).
MARKUP = re.compile(
    r"<[A-Za-z/!?]"  # an HTML tag, comment or processing instruction
    r"|&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an HTML entity
    r"|[`{}*\\]"  # code, roles/substitutions, emphasis, escapes
    r"|(?<!\w)_|_(?!\w)"  # emphasis with underscores (snake_case ids stay allowed)
    r"|\]\(|\]\["  # links and references
    r"|[\r\n]"  # a line break would start a new block (heading, list, directive)
)


def text(value: object) -> str:
    """`value` as literal text inside Markdown/MyST: nothing in it becomes markup or HTML.

    `<img src=x onerror=…>`, {cite}`x` and `**x**` read exactly like that on the page. Missing
    values are empty; line breaks become spaces (a table cell or list item stays one line).
    """
    if missing(value):
        return ""
    flat = " ".join(str(value).splitlines())
    escaped = _INLINE.sub(r"\\\1", flat)
    return _LINE_START.sub(
        lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", escaped
    )


def role_text(value: object) -> str:
    """Text inside a role's backticks (`{doc}`TITLE <target>``): no backtick to close it early,
    no `<` to start a second target; the role's text is literal already."""
    return text(value).replace("\\", "").replace("`", "'").replace("<", "‹").replace(">", "›")


def doc_link(title: object, target: str) -> str:
    """A {doc} link whose title is data text: the characters that end the role are replaced."""
    return f"{{doc}}`{role_text(title)} <{target}>`"


def listing(items: list[str] | tuple[str, ...]) -> str:
    """«A, B og C»: names as Norwegian prose lists them (empty for none)."""
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def missing_for(what: str, names: list[str], total: int, whole: str = "kommunene") -> str:
    """One sentence for every case of a value missing for some of `total` places (`whole`):
    none («Folketallet er kjent for alle kommunene.»), all («… mangler for alle kommunene.»), or
    the ones it lacks («… mangler for Modum og Hole.»). `what` starts the sentence."""
    if not names:
        return f"{what} er kjent for alle {whole}." if total != 1 else f"{what} er kjent."
    if len(names) == total and total > 1:
        return f"{what} mangler for alle {whole}."
    return f"{what} mangler for {listing(names)}."


def url(value: object) -> str | None:
    """An address for `href`/`[…](…)`: http or https only, with anything that could end the link
    or the attribute percent-encoded. Any other scheme (javascript:, data:) gives None."""
    from urllib.parse import quote, urlsplit

    if missing(value):
        return None
    address = str(value).strip()
    try:
        scheme = urlsplit(address).scheme.lower()
    except ValueError:
        return None
    if scheme not in ("http", "https") or not urlsplit(address).netloc:
        return None
    return quote(address, safe="/:?#@!$&+,;=%~-._")


def markup(value: object) -> str | None:
    """The first piece of markup in a text value (for a message), or None when it is plain text."""
    if missing(value):
        return None
    found = MARKUP.search(str(value))
    if found is None:
        return None
    start = max(found.start() - 10, 0)
    return str(value)[start : found.end() + 10]


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


# --- text for spreadsheets: never a formula -----------------------------------------------------

# OWASP's list for CSV/formula injection: a cell starting with one of these may be run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A text cell for a CSV that Excel opens: formula-like text gets Excel's quote prefix (`'=1+1`),
    so it shows as typed and is never evaluated. Numbers and missing values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
