"""Reader tables: a DataFrame as an accessible HTML table in the book's house style.

One function for every table a reader sees, so they all read the same way: Norwegian numbers aligned
right, units in the column titles, «mangler» instead of `<NA>`, readable titles instead of column names,
a wrapper that visibly scrolls when the table is wider than the page, and cards on a phone.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import HTML

from sirkbok.core import format as fmt
from sirkbok.core.vocabulary import MISSING, column_title

YEAR_COLUMNS = {"aar", "År"}
_RIGHT = ' class="sirk-num"'


def _cell(value: object, column: str, numeric: bool, decimals: int, estimates: bool) -> str:
    if column in YEAR_COLUMNS:
        return "–" if fmt.missing(value) else fmt.year(value)
    if fmt.missing(value):
        return f'<span class="sirk-missing">{MISSING}</span>' if numeric else "–"
    if numeric:
        return fmt.estimate(value, approx=False) if estimates else fmt.number(value, decimals)
    return html.escape(str(value))


def float_decimals(frame: pd.DataFrame) -> dict[str, int]:
    """Decimals for each float column, one rule for a figure's data table on the page and its CSV:
    none when every value is whole or the largest is 1000 or more, else 1 from 10 up, 2 from 1 up
    and 3 below, so 826.3 reads «826,3» and 0.487 next to 7.67 reads «0,49» in both places."""
    found = {}
    for column in frame.columns:
        if not pd.api.types.is_float_dtype(frame[column]):
            continue
        values = frame[column].dropna().astype(float)
        largest = values.abs().max() if len(values) else 0.0
        whole = bool((values == values.round()).all())
        if whole or largest >= 1000:
            found[column] = 0
        else:
            found[column] = 1 if largest >= 10 else 2 if largest >= 1 else 3
    return found


def table_html(
    frame: pd.DataFrame,
    titles: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    estimates: Iterable[str] = (),
    label: str = "",
    cards: bool = True,
) -> str:
    """The table as HTML (classes `dataframe sirk-data`: the theme's dark mode knows `dataframe`) inside a scroll wrapper that becomes cards on a phone.

    `titles` overrides the readers' title of a column (default: `vocabulary.column_title`), `decimals`
    the decimals of a numeric column (default 0), and columns named in `estimates` are rounded to two
    significant digits. `label` is the table's caption for screen readers.
    """
    titles = dict(titles or {})
    decimals = dict(decimals or {})
    estimated = set(estimates)
    heads = [titles.get(c, column_title(str(c))) for c in frame.columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in frame.columns
    ]
    right = [num and c not in YEAR_COLUMNS for c, num in zip(frame.columns, numeric, strict=True)]
    head = "".join(
        f'<th scope="col"{_RIGHT if r else ""}>{html.escape(h)}</th>'
        for h, r in zip(heads, right, strict=True)
    )
    rows = []
    for values in frame.itertuples(index=False, name=None):
        cells = []
        for c, h, num, r, value in zip(frame.columns, heads, numeric, right, values, strict=True):
            text = _cell(value, str(c), num, decimals.get(c, 0), c in estimated)
            label_attr = html.escape(h, quote=True)
            cells.append(f'<td{_RIGHT if r else ""} data-label="{label_attr}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # The scroll wrapper gets its tab stop and name from sirkbok-a11y.js only when it really scrolls.
    caption = f'<caption class="visually-hidden">{html.escape(label)}</caption>' if label else ""
    wrap = "sirk-table-wrap sirk-cards" if cards else "sirk-table-wrap"
    return (
        f'<div class="{wrap}"><table class="dataframe sirk-data">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def table(frame: pd.DataFrame, **options: object) -> HTML:
    """`table_html` for display in a notebook cell (see there for the options)."""
    return HTML(table_html(frame, **options))  # type: ignore[arg-type]
