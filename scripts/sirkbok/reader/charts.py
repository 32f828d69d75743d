"""House chart style and figure export.

Every figure in the book goes through `publish`: one look (Norwegian number and date formats, one colour
per region and per theme, readable on a phone), interactive in the browser without any CDN (the page
carries the chart compiled to Vega, so readers need only the Vega runtime), an image fallback in the same
output, and the spec, SVG, PNG and data written under a stable name next to the
chapter so the same data gives byte-identical files.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import altair as alt
import pandas as pd
from altair.theme import NumberLocaleKwds, TimeLocaleKwds

from sirkbok.core import context
from sirkbok.core.files import inside, write_atomic
from sirkbok.core.format import NUMBER_LOCALE, TIME_LOCALE, missing, spreadsheet_text
from sirkbok.core.vocabulary import column_title
from sirkbok.reader.colours import REGION_COLOURS as REGION_COLOURS  # the charts' region scale
from sirkbok.reader.colours import STATUS_COLOURS as STATUS_COLOURS  # the charts' status scale
from sirkbok.reader.colours import TEXT as TEXT_COLOUR
from sirkbok.reader.colours import THEME_PALETTE
from sirkbok.reader.tables import float_decimals, table_html

# Vega's labelExpr for a category label on two lines, split at its last space, so a long name
# («Sirkulære næringsparker») fits beside a phone-narrow chart instead of being cut to «…».
TWO_LINE_LABEL = r"split(replace(datum.label, / (\S+)$/, '|$1'), '|')"
EXPORT_WIDTH = 640
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"


THEME = "sirkbok"  # the house theme's name in Altair's theme registry


def _house_theme() -> alt.theme.ThemeConfig:
    """Large enough type for a phone, quiet grid, left-aligned titles."""
    return {
        "config": {
            "font": FONT,
            "background": "#ffffff",
            "view": {"stroke": None, "continuousHeight": 300},
            # Vega's own screen-reader labels are English ("X-axis titled …"); the figure's Norwegian
            # description, text alternative and data table carry the content instead.
            "mark": {"aria": False},
            "axis": {
                "aria": False,
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "gridColor": "#e3e3e3",
                "domainColor": "#6b6b6b",
                "tickColor": "#6b6b6b",
                "labelLimit": 220,
            },
            "legend": {
                "aria": False,
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 300,
                "titleLimit": 300,  # Vega's default, 180 px, cuts a title of five words
            },
            "title": {"fontSize": 15, "anchor": "start", "color": TEXT_COLOUR},
            "header": {"labelFontSize": 13, "titleFontSize": 13},
            "range": {"category": list(REGION_COLOURS.values()) + list(THEME_PALETTE)},
            "numberFormat": ",.0f",
            "locale": {
                "number": cast(NumberLocaleKwds, NUMBER_LOCALE),
                "time": cast(TimeLocaleKwds, TIME_LOCALE),
            },
        }
    }


def colour_scale(colours: dict[str, str], labels: dict[str, str] | None = None) -> alt.Scale:
    """A fixed colour scale; `labels` maps ids to the names shown (e.g. region id -> «Gjøvikregionen»)."""
    domain = [labels.get(key, key) for key in colours] if labels else list(colours)
    return alt.Scale(domain=domain, range=list(colours.values()))


def use_theme() -> contextlib.AbstractContextManager[object]:
    """The house theme, active for a `with` block: registered on first use (importing this module
    changes nothing in Altair), the theme active before is restored when the block ends."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(_house_theme)
    return cast(contextlib.AbstractContextManager[object], alt.theme.enable(THEME))


def figure_dir() -> Path:
    """Figures go next to the running notebook, or where its Book says (staging, or a run)."""
    return context.current().figure_dir


def _canonical(spec: dict) -> str:
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, indent=1)


@dataclass(frozen=True)
class Figure:
    """A published chart: what the notebook shows and what was exported."""

    name: str
    caption: str
    alt_text: str
    spec: dict
    table: pd.DataFrame
    svg: str
    vega: (
        dict  # `spec` compiled to Vega: what the page draws, so readers need no Vega-Lite compiler
    )
    min_width: int | None = None  # px below which the chart scrolls sideways instead of shrinking

    @property
    def element_id(self) -> str:
        digest = hashlib.sha256(_canonical(self.spec).encode()).hexdigest()[:12]
        return f"vg-{self.name}-{digest}"

    def _table_html(self) -> str:
        return table_html(self.table, decimals=float_decimals(self.table), label=self.caption)

    def _min_width_style(self) -> str:
        return f' style="--sirk-min-width: {int(self.min_width)}px"' if self.min_width else ""

    def html(self) -> str:
        spec_json = json.dumps(self.vega, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        spec_json = spec_json.replace("</", "<\\/")
        alt_attr = html.escape(self.alt_text, quote=True)
        return (
            f'<figure class="sirk-figure" id="figur-{self.name}">\n'
            f'<div class="sirk-chart" id="{self.element_id}"{self._min_width_style()}>'
            f'<img src="figurer/{self.name}.svg" alt="{alt_attr}" loading="lazy" '
            f'width="{EXPORT_WIDTH}"></div>\n'
            f"<figcaption>{html.escape(self.caption)}</figcaption>\n"
            f'<details class="sirk-data-details"><summary>Tekstalternativ og data</summary>\n'
            f"<p>{html.escape(self.alt_text)}</p>\n"
            f"{self._table_html()}\n"
            f'<p><a href="figurer/{self.name}.csv" download>Last ned dataene (CSV)</a> · '
            f'<a href="figurer/{self.name}.svg" download>figuren (SVG)</a> · '
            f'<a href="figurer/{self.name}.png" download>(PNG)</a> · '
            f'<a href="figurer/{self.name}.vl.json" download>(Vega-Lite)</a></p>\n'
            "</details>\n</figure>\n"
            f'<script type="application/json" class="sirk-spec" data-target="{self.element_id}">'
            f"{spec_json}</script>\n"
        )

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {
            "text/html": self.html(),
            "image/svg+xml": self.svg,
            "text/plain": f"Figur: {self.caption}",
        }


def excel_csv(table: pd.DataFrame) -> bytes:
    """The figure's data as a CSV that Norwegian Excel opens right.

    Semicolon separator, decimal comma, a UTF-8 byte order mark (Excel's cue for UTF-8), readers'
    column titles with units, and each number with the decimals the figure's table on the page shows
    (`tables.float_decimals`); text that looks like a formula is quoted, never evaluated. The data
    package in data/ stays the canonical, unrounded source.
    """
    shown = table.copy()
    places = float_decimals(shown)
    for column in shown.columns:
        if pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(spreadsheet_text)
        elif column in places:
            decimals = places[column]
            shown[column] = shown[column].map(
                lambda v, d=decimals: "" if missing(v) else f"{float(v):.{d}f}".replace(".", ",")
            )
    shown.columns = [column_title(str(c)) for c in shown.columns]
    text = shown.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def publish(
    chart: alt.TopLevelMixin,
    name: str,
    caption: str,
    alt_text: str,
    table: pd.DataFrame,
    min_width: int | None = None,
    folder: Path | None = None,
) -> Figure:
    """Export `chart` as figurer/NAME.{vl.json,svg,png,csv} and return it for display.

    `caption` is shown under the figure, `alt_text` describes what the chart shows for readers who
    cannot see it, and `table` is the data behind it, offered for download. `min_width` (px) keeps
    a chart whose labels need the room that wide: on a narrower screen it scrolls sideways.
    `folder` is where the files go (default: the current Book's `figure_dir`).
    """
    import vl_convert as vlc

    if not name.replace("-", "").isalnum() or name != name.lower():
        raise ValueError(f"Figurnavnet «{name}» må bestå av små bokstaver, tall og bindestrek.")
    with use_theme():
        spec = chart.properties(description=alt_text).to_dict()
    # A faceted chart (also one faceted by a row/column encoding) cannot fit its container: 0 px wide.
    faceted = any(key in spec.get("encoding", {}) for key in ("row", "column", "facet"))
    composite = faceted or any(
        key in spec for key in ("facet", "hconcat", "vconcat", "concat", "repeat")
    )
    interactive = (
        spec
        if composite
        else dict(spec, width="container", autosize={"type": "fit-x", "contains": "padding"})
    )
    static = spec if composite else dict(spec, width=spec.get("width", EXPORT_WIDTH))
    number_locale, time_locale = dict(NUMBER_LOCALE), dict(TIME_LOCALE)
    svg = vlc.vegalite_to_svg(static, format_locale=number_locale, time_format_locale=time_locale)
    png = vlc.vegalite_to_png(
        static, scale=1.5, format_locale=number_locale, time_format_locale=time_locale
    )
    # A figures folder that is a link leading out of the folder it sits in is refused.
    target = folder or figure_dir()
    folder = inside(target.parent, target.name)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / f"{name}.vl.json", _canonical(interactive) + "\n")
    write_atomic(folder / f"{name}.svg", svg)
    write_atomic(folder / f"{name}.png", png)
    write_atomic(folder / f"{name}.csv", excel_csv(table))
    return Figure(
        name=name,
        caption=caption,
        alt_text=alt_text,
        spec=interactive,
        table=table,
        svg=svg,
        vega=vlc.vegalite_to_vega(interactive),
        min_width=min_width,
    )
