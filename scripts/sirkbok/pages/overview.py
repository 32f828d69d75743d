"""The overview chapter's figures: actors per theme and region, and data coverage."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from sirkbok.core.format import doc_link, listing, number, text, year
from sirkbok.core.vocabulary import STATUSES
from sirkbok.reader import charts
from sirkbok.reader.cite import cite
from sirkbok.reader.colours import STATUS_COLOURS

if TYPE_CHECKING:  # display objects only where a notebook shows them
    from IPython.display import Markdown

# Column labels that fit three regions side by side on a phone; the caption names them as regions.
SHORT = {
    "Gjøvikregionen": "Gjøvik",
    "Hadelandsregionen": "Hadeland",
    "Ringeriksregionen": "Ringerike",
}


def actors(
    grid: pd.DataFrame, region_names: dict[str, str], theme_order: list[str]
) -> charts.Figure:
    """Theme × region with the number of actors; the leading region's cell in its colour."""
    roles = charts.colour_scale(
        {**charts.REGION_COLOURS, "deltar": "#eeeeee"}, {**region_names, "deltar": "Ikke foreslått"}
    )
    base = alt.Chart(grid).encode(
        x=alt.X(
            "region:N",
            sort=list(region_names.values()),
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelExpr=f"({json.dumps(SHORT, ensure_ascii=False)})[datum.label] || datum.label",
            ),
        ),
        y=alt.Y(
            "tema:N",
            sort=theme_order,
            title=None,
            # long theme names on two lines (at the last space), so three columns fit on a phone
            axis=alt.Axis(labelExpr=charts.TWO_LINE_LABEL),
        ),
        tooltip=[
            alt.Tooltip("tema:N", title="Tema"),
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("aktorer:Q", title="Aktører registrert", format=",.0f"),
            alt.Tooltip("leder:N", title="Rolle"),
        ],
    )
    chart = (
        base.mark_rect(stroke="#ffffff", strokeWidth=2).encode(
            color=alt.Color("rolle:N", scale=roles, title=["Foreslått å lede", "temaet i fase 1"])
        )
        + base.mark_text(fontSize=14).encode(
            text=alt.Text("aktorer:Q", format=",.0f"),
            color=alt.condition(
                "datum.rolle == 'Ikke foreslått'",
                alt.value(charts.TEXT_COLOUR),
                alt.value("#ffffff"),
            ),
        )
    ).properties(height=alt.Step(44))
    leaders = (
        grid[grid["leder"] != ""]
        .groupby("region", sort=False)["tema"]
        .apply(lambda s: " og ".join(s).lower())
    )
    return charts.publish(
        chart,
        "oversikt-aktorer",
        "Antall registrerte aktører per tema og region (Gjøvik-, Hadelands- og Ringeriksregionen). "
        "Farget rute: regionen er foreslått å lede temaet i fase 1 (forslag i sak 09/26; vedtak "
        "ikke kjent).",
        f"Rutenett med {grid['tema'].nunique()} tema som rader og {grid['region'].nunique()} "
        f"regioner som kolonner; tallet i hver rute er antall aktører i datapakken, i alt "
        f"{int(grid['aktorer'].sum())}. "
        + ". ".join(f"{region} er foreslått å lede {themes}" for region, themes in leaders.items())
        + ".",
        grid.drop(columns=["rolle"]),  # the colour key; «leder» says the same in words
    )


def coverage(
    counts: pd.DataFrame, region_order: list[str], theme_order: list[str]
) -> charts.Figure:
    """Stacked bars per theme, one small chart per region: measured, estimated, missing."""
    long = counts.melt(
        id_vars=["gruppe", "temanavn"],
        value_vars=list(STATUSES),
        var_name="status",
        value_name="antall",
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(
                "temanavn:N",
                sort=theme_order,
                title=None,
                axis=alt.Axis(labelExpr=charts.TWO_LINE_LABEL),
            ),
            x=alt.X("antall:Q", title="Antall verdier", axis=alt.Axis(tickMinStep=1, tickCount=4)),
            color=alt.Color(
                "status:N",
                scale=charts.colour_scale(STATUS_COLOURS),
                title="Status",
                sort=list(STATUSES),
            ),
            order=alt.Order("statusrekke:Q"),
            row=alt.Row(
                "gruppe:N",
                sort=region_order,
                title=None,
                header=alt.Header(
                    labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold"
                ),
            ),
            tooltip=[
                alt.Tooltip("gruppe:N", title="Region"),
                alt.Tooltip("temanavn:N", title="Tema"),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("antall:Q", title="Antall verdier", format=",.0f"),
            ],
        )
        .transform_calculate(statusrekke=f"indexof({list(STATUSES)}, datum.status)")
        .properties(width=150, height=alt.Step(34))  # room for two-line labels
    )
    return charts.publish(
        chart,
        "oversikt-dekning",
        "Datadekning per region og tema: antall verdier som er målt, anslått eller mangler.",
        "Liggende, stablede stolper for hvert tema i hver av de tre regionene. "
        + " ".join(
            f"{region}: "
            + ", ".join(
                f"{r.temanavn.lower()} {int(r.målt)} målt og {int(r.mangler)} mangler"
                for r in counts[(counts["gruppe"] == region) & (counts["i_alt"] > 0)].itertuples()
            )
            + "."
            for region in region_order
        ),
        # readers' names instead of the ids, each column once
        counts.drop(columns=["region", "tema"])
        .rename(columns={"gruppe": "region", "temanavn": "tema"})
        .loc[:, ["region", "tema", *STATUSES, "i_alt", "andel_mangler"]],
    )


def themes_markdown(
    tema: pd.DataFrame,
    aktorer: pd.DataFrame,
    regions: dict[str, str],
    municipalities: dict[str, str],
) -> Markdown:
    """Each theme side by side: its chapter, who is proposed to lead it, with its source, and the
    actors the data package knows in each region (`regions`: id → name, in the page's order)."""
    from IPython.display import Markdown

    own = aktorer[~aktorer["referanse"].fillna(False)]
    parts = []
    for t in tema.itertuples():
        leaders = [] if pd.isna(t.ansvarlige_kommuner) else t.ansvarlige_kommuner.split(";")
        lines = [
            f"- {name}: "
            + (
                "; ".join(map(text, own.loc[(own["tema"] == t.id) & (own["region"] == r), "navn"]))
                or "ingen registrert"
            )
            for r, name in regions.items()
        ]
        references = aktorer.loc[
            (aktorer["tema"] == t.id) & aktorer["referanse"].fillna(False), "navn"
        ]
        if len(references):
            lines.append("- Referanser utenfor regionene: " + "; ".join(map(text, references)))
        parts.append(
            f"**{doc_link(t.navn, t.id)}** – foreslått ledet av **{text(regions[t.ansvarlig_region])}**"
            + (f" ({listing([text(municipalities[k]) for k in leaders])})" if leaders else "")
            + (" (foreslått, vedtak ikke kjent)" if t.status == "foreslått" else "")
            + f"{cite(t.status_kilde)}. Aktører:\n\n"
            + "\n".join(lines)
        )
    return Markdown("\n\n".join(parts))


# How the key figures word a source's precision, and the sizes the overview lists.
PRECISION = {"ca": "om lag ", "over": "over ", "inntil": "inntil ", "eksakt": ""}
KEY_SIZES = ["kapasitet", "mottak", "produksjon", "innsats", "omsetning", "ansatte", "ombruk"]
KEY_SIZES += ["bedrifter"]


def key_figures_markdown(
    tema: pd.DataFrame, aktorer: pd.DataFrame, aktor_tall: pd.DataFrame
) -> Markdown:
    """The actors' most important published figures per theme, each with its source; a figure the
    book computed from published ones says so."""
    from IPython.display import Markdown

    figures = aktor_tall[aktor_tall["storrelse"].isin(KEY_SIZES) & aktor_tall["verdi"].notna()]
    figures = figures.merge(
        aktorer[["id", "navn", "tema", "referanse"]],
        left_on="aktor",
        right_on="id",
        suffixes=("", "_aktor"),
    )
    parts = []
    for t in tema.itertuples():
        points = [
            f"- {text(r.navn.split(' (')[0])}{' (referanse)' if r.referanse else ''}: "
            f"{text(r.storrelse)}{'' if r.omfang == 'totalt' else ' ' + text(r.omfang)} "
            f"{PRECISION.get(r.presisjon, '')}"
            f"{number(r.verdi, 0 if float(r.verdi).is_integer() else 1)}"
            f"{'' if r.enhet in ('antall', r.storrelse) else ' ' + text(r.enhet.replace('m3', 'm³'))}"
            f"{'' if pd.isna(r.aar) else ', ' + year(r.aar)}"
            f"{' (bokas egen utregning fra tall i kilden, estimat)' if r.status == 'estimat' else ''}"
            f"{cite(r.kilde)}"
            for r in figures[figures["tema"] == t.id].itertuples()
        ]
        parts.append(
            f"**{text(t.navn)}:**\n\n" + "\n".join(points)
            if points
            else f"**{text(t.navn)}:** ingen publiserte tall i datapakken."
        )
    return Markdown("\n\n".join(parts))
