"""The strategy's timeline and who is proposed to lead which theme, as vertical lists that read on a phone.

The timeline is coloured by decision status (sirkbok.reader.decisions), so a proposal never reads as a decision.
"""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.datapackage import load as data
from sirkbok.reader import charts, decisions, prose

TYPE_NAMES = {
    "møte": "Møte",
    "vedtak": "Vedtak",
    "frist": "Frist",
    "fase": "Fase",
    "avtale": "Avtale",
}
ROW = 62  # px per row: a date line and up to two title lines
TEXT_START = 26  # px from the left edge, after the marker
WRAP = 34  # characters per title line: fits 375 px at 14 px type


def _wrap(text: str) -> str:
    """A title on at most two lines, split at the last space that keeps the first line short."""
    if len(text) <= WRAP or " " not in text:
        return text
    cut = text.rfind(" ", 0, WRAP + 1)
    cut = cut if cut > 0 else text.find(" ")
    return text[:cut] + "\n" + text[cut + 1 :]


def _list_chart(
    rows: pd.DataFrame, colour: alt.Color, line: bool = True, today: str | None = None
) -> alt.LayerChart:
    """Rows of «bold small line above, normal line below» with a coloured marker on a vertical rule.

    With `today` (a boolean column), that row gets a short dark bar across the rule instead of a
    coloured marker: the book's date among the milestones."""
    y = alt.Y("rad:O", axis=None, scale=alt.Scale(paddingOuter=0.3))
    base = alt.Chart(rows).encode(y=y)
    rule = (
        alt.Chart(pd.DataFrame({"fra": [rows["rad"].min()], "til": [rows["rad"].max()]}))
        .mark_rule(color="#b0b0b0", strokeWidth=2)
        .encode(x=alt.value(9), y=alt.Y("fra:O", axis=None), y2="til:O")
    )
    marked = base if today is None else base.transform_filter(f"!datum.{today}")
    marker = marked.mark_point(filled=True, size=150, opacity=1).encode(
        x=alt.value(9), color=colour, shape=alt.Shape("symbol:N", legend=None)
    )
    limit = {"expr": f"width - {TEXT_START + 4}"}
    over = base.mark_text(
        align="left", baseline="bottom", dy=-4, fontSize=12, fontWeight="bold", limit=limit
    ).encode(x=alt.value(TEXT_START), text="over:N", color=alt.value("#4a4a4a"))
    under = base.mark_text(
        align="left", baseline="top", dy=2, fontSize=14, limit=limit, lineBreak="\n"
    ).encode(x=alt.value(TEXT_START), text="under:N", color=alt.value(charts.TEXT_COLOUR))
    layers = [rule, marker, over, under] if line else [marker, over, under]
    if today is not None:
        bar = (
            base.transform_filter(f"datum.{today}")
            .mark_tick(color=charts.TEXT_COLOUR, thickness=3, size=18, orient="horizontal")
            .encode(x=alt.value(9))
        )
        layers.insert(1, bar)
    return alt.LayerChart(layer=layers).properties(height=alt.Step(ROW))


def _source_titles() -> dict[str, str]:
    """Sources by the title readers see (the key stays in the data package and the code)."""
    return prose.names("kilder", "id", "tittel")


def _today_row(rows: pd.DataFrame, as_of: date) -> tuple[int, str, str]:
    """Where the book's date falls among the milestones, and its two lines: «Per <dato>» and the
    next milestone («Neste milepæl: …», or that none is dated after the book's date)."""
    position = int((rows["dato"] <= pd.Timestamp(as_of)).sum())
    following = decisions.next_milestone(rows, as_of)
    under = (
        "Ingen milepæl er datert senere"
        if following is None
        else _wrap(f"Neste milepæl: {following['tittel']}")
    )
    return position, f"Per {fmt.date(as_of)} (bokas dato)", under


def timeline(milestones: pd.DataFrame, as_of: date | None = None) -> charts.Figure:
    """The milestones, oldest first, one row each: when (and until when) above, what below, and a
    row without a marker where the book's date falls, naming the next milestone."""
    as_of = as_of or data.last_updated()
    rows = milestones.sort_values(["dato", "id"]).reset_index(drop=True)
    when = [
        fmt.date(d, p, end=s)
        for d, s, p in zip(rows["dato"], rows["slutt_dato"], rows["datopresisjon"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "over": when,
            "under": rows["tittel"].map(_wrap),
            "type": rows["type"].map(TYPE_NAMES),
            "status": rows["status"].map(decisions.label),
            "status_kort": rows["status"].map(decisions.SHORT),
            "symbol": rows["slutt_dato"].isna().map({True: "punkt", False: "periode"}),
            "kilde": rows["kilde"],
            "status_kilde": rows["status_kilde"],
            "idag": False,
        }
    )
    position, today_over, today_under = _today_row(rows, as_of)
    today = pd.DataFrame(
        [{"over": today_over, "under": today_under, "symbol": "idag", "idag": True}]
    )
    drawn = pd.concat([shown.iloc[:position], today, shown.iloc[position:]], ignore_index=True)
    drawn.insert(0, "rad", range(len(drawn)))
    present = [decisions.SHORT[s] for s in decisions.STATUSES if s in set(rows["status"])]
    colour = alt.Color(
        "status_kort:N",
        title="Status",
        scale=alt.Scale(domain=present, range=[decisions.COLOURS[s] for s in present]),
        legend=alt.Legend(orient="bottom", direction="horizontal", columns=2),
    )
    chart = _list_chart(drawn, colour, today="idag").encode(
        tooltip=[
            alt.Tooltip("under:N", title="Milepæl"),
            alt.Tooltip("type:N", title="Type"),
            alt.Tooltip("over:N", title="Når"),
            alt.Tooltip("status:N", title="Status"),
        ]
    )
    return charts.publish(
        chart,
        name="strategi-tidslinje",
        caption="Tidslinje for samarbeidet om sirkulær verdiskaping: møter, vedtak, frister, "
        "innstillingen om partnerskapsavtalen og de to foreslåtte fasene, eldst øverst. Raden uten "
        f"merke viser bokas dato ({fmt.date(as_of)}) og neste milepæl. Fargen viser status. "
        "Foreslått betyr at vedtak ikke er kjent: en foreslått periode er ikke en vedtatt eller "
        "gjeldende periode. Kilde: milepælene i datapakken.",
        alt_text="Tidslinje med "
        + "; ".join(
            f"{t} ({n}; {s.lower()})"
            for t, n, s in zip(rows["tittel"], shown["over"], shown["status"], strict=True)
        )
        + f". {today_over}. {today_under.replace(chr(10), ' ')}.",
        table=shown.assign(
            under=rows["tittel"],
            kilde=rows["kilde"].map(_source_titles()),
            status_kilde=rows["status_kilde"].map(_source_titles()),
        )[["under", "type", "over", "status", "kilde", "status_kilde"]].rename(
            columns={
                "under": "Milepæl",
                "type": "Type",
                "over": "Når",
                "status": "Status",
                "kilde": "Kilde",
                "status_kilde": "Kilde for status",
            }
        ),
    )


def responsibilities(
    themes: pd.DataFrame, region_names: dict[str, str], municipality_names: dict[str, str]
) -> charts.Figure:
    """One row per theme: the theme above, the region (and municipalities) proposed to lead it below."""
    leaders = [
        ", ".join(municipality_names[k] for k in str(v).split(";") if k.strip())
        if not fmt.missing(v)
        else ""
        for v in themes["ansvarlige_kommuner"]
    ]
    shown = pd.DataFrame(
        {
            "rad": range(len(themes)),
            "over": themes["navn"].tolist(),
            "region": themes["ansvarlig_region"].map(region_names).tolist(),
            "kommuner": leaders,
            "symbol": "punkt",
            "status": themes["status"].map(decisions.label).tolist(),
            "kilde": themes["kilde"].tolist(),
        }
    )
    shown["under"] = [
        _wrap(f"Foreslått hovedansvar: {r}" + (f" ({k})" if k else ""))
        for r, k in zip(shown["region"], shown["kommuner"], strict=True)
    ]
    colour = alt.Color(
        "region:N",
        title="Foreslått å lede temaet",
        scale=charts.colour_scale(charts.REGION_COLOURS, region_names),
        legend=alt.Legend(orient="bottom", direction="vertical"),
    )
    chart = _list_chart(shown, colour, line=False).encode(
        tooltip=[
            alt.Tooltip("over:N", title="Tema"),
            alt.Tooltip("region:N", title="Foreslått region"),
            alt.Tooltip("kommuner:N", title="Foreslåtte kommuner"),
            alt.Tooltip("status:N", title="Status"),
        ]
    )
    return charts.publish(
        chart,
        name="strategi-ansvarsmatrise",
        caption="Foreslått hovedansvar for hvert tema i fase 1 (forslag i sak 09/26; vedtak ikke "
        "kjent). Alle regionene kan delta i alle temaene. Kilde: temaene i datapakken, etter "
        "saksframlegget.",
        alt_text="Ansvar per tema. "
        + " ".join(
            f"{r.over}: foreslått hovedansvar hos {r.region}"
            + (f" ({r.kommuner})." if r.kommuner else ".")
            for r in shown.itertuples()
        ),
        table=shown.assign(kilde=shown["kilde"].map(_source_titles()))[
            ["over", "region", "kommuner", "status", "kilde"]
        ].rename(
            columns={
                "over": "Tema",
                "region": "Foreslått region",
                "kommuner": "Foreslåtte kommuner",
                "status": "Status",
                "kilde": "Kilde",
            }
        ),
    )
