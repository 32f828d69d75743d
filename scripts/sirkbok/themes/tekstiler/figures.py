"""The textiles chapter's figures: quantities per region, reusable textiles per municipality, benefit."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.core.format import estimate, percent
from sirkbok.core.vocabulary import MISSING
from sirkbok.reader import charts

QUANTITIES = {
    "generert_t": "Oppstår",
    "restavfall_t": "I restavfallet",
    "innlevert_t": "Levert til innsamling",
}


def regions(totals: pd.DataFrame, region_names: dict[str, str]) -> charts.Figure:
    """Per region: how much arises, ends in residual waste, and is handed in (estimates)."""
    long = totals.melt(
        id_vars=["regionnavn"], value_vars=list(QUANTITIES), var_name="mengde", value_name="tonn"
    )
    long["mengde"] = long["mengde"].map(QUANTITIES)
    long["tonn"] = long["tonn"].astype(float).round(0)
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("mengde:N", title=None, sort=list(QUANTITIES.values())),
            x=alt.X("tonn:Q", title="Tonn per år (estimat)", axis=alt.Axis(tickCount=4)),
            color=alt.Color(
                "regionnavn:N",
                scale=charts.colour_scale(charts.REGION_COLOURS, region_names),
                legend=None,
            ),
            row=alt.Row(
                "regionnavn:N",
                title=None,
                sort=list(region_names.values()),
                header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top"),
            ),
            tooltip=[
                alt.Tooltip("regionnavn:N", title="Region"),
                alt.Tooltip("mengde:N", title="Mengde"),
                alt.Tooltip("tonn:Q", title="Tonn per år", format=",.0f"),
            ],
        )
        .properties(width=190, height=90)
    )
    without = totals.set_index("region").loc["ringeriksregionen", "kommuner_uten_tall"]
    return charts.publish(
        chart,
        "tekstiler-mengder-region",
        "Tekstilavfall per region: hvor mye som oppstår, hvor mye som havner i restavfallet, og "
        "hvor mye som leveres til innsamling (estimat fra nasjonale tall per innbygger)."
        + (f" Ringeriksregionen er uten {without}, der folketallet mangler." if without else ""),
        "Liggende stolper for hver region. "
        + " ".join(
            f"{r.regionnavn}: {estimate(r.generert_t)} tonn oppstår, {estimate(r.restavfall_t)} "
            f"tonn i restavfallet og {estimate(r.innlevert_t)} tonn levert til innsamling per år."
            for r in totals.itertuples()
        ),
        long.rename(columns={"regionnavn": "region", "tonn": "tonn_per_aar_estimat"}),
    )


def municipalities(rows: pd.DataFrame, region_names: dict[str, str]) -> charts.Figure:
    """Reusable clothes and shoes in residual waste per municipality (estimate)."""
    shown = rows.assign(
        tonn=rows["ombrukbar_restavfall_t"].astype(float).round(0),
        merknad=rows["ombrukbar_restavfall_t"].isna().map({True: MISSING, False: ""}),
    ).sort_values(["regionnavn", "navn"])
    base = alt.Chart(shown[["navn", "regionnavn", "tonn", "merknad"]]).encode(
        y=alt.Y("navn:N", title=None, sort=shown["navn"].tolist())
    )
    bars = base.mark_bar().encode(
        x=alt.X("tonn:Q", title="Tonn per år (estimat)", axis=alt.Axis(tickCount=4)),
        color=alt.Color(
            "regionnavn:N",
            title="Region",
            scale=charts.colour_scale(charts.REGION_COLOURS, region_names),
        ),
        tooltip=[
            alt.Tooltip("navn:N", title="Kommune"),
            alt.Tooltip("regionnavn:N", title="Region"),
            alt.Tooltip("tonn:Q", title="Tonn per år", format=",.0f"),
        ],
    )
    note = (
        base.transform_filter(f"datum.merknad == '{MISSING}'")
        .mark_text(align="left", dx=4, color=charts.TEXT_COLOUR, fontSize=13)
        .encode(x=alt.datum(0), text="merknad:N")
    )
    known = shown.dropna(subset=["tonn"])
    largest = (
        ""
        if known.empty
        else f"Størst er {known.loc[known['tonn'].idxmax(), 'navn']} med "
        f"{estimate(known['tonn'].max())} tonn per år. "
    )
    lacking = list(shown.loc[shown["tonn"].isna(), "navn"])
    return charts.publish(
        (bars + note).properties(height=alt.Step(24)),
        "tekstiler-ombrukbart-kommuner",
        "Ombrukbare klær og sko i restavfallet per kommune, tonn per år (estimat). Dette er "
        "mengden plikten til separat innsamling kan flytte over til ombruk.",
        f"Liggende stolper for hver av de {len(shown)} kommunene, farget etter region. {largest}"
        + "; ".join(f"{r.navn}: {estimate(r.tonn, approx=False)}" for r in shown.itertuples())
        + " tonn per år. "
        + fmt.missing_for("Folketallet", lacking, len(shown))
        + (" Der det mangler, står kommunen uten stolpe." if lacking else ""),
        shown[["navn", "regionnavn", "folketall", "tonn", "status"]].rename(
            columns={"navn": "kommune", "regionnavn": "region", "tonn": "ombrukbart_t_per_aar"}
        ),
    )


def benefit(
    curve: pd.DataFrame, low: float, high: float, implied: float, region_names: dict[str, str]
) -> charts.Figure:
    """Climate benefit per region as a function of the replacement rate, with the range used."""
    band = (
        alt.Chart(pd.DataFrame({"fra": [low], "til": [high]}))
        .mark_rect(color="#f0f0f0")
        .encode(x="fra:Q", x2="til:Q")
    )
    lines = (
        alt.Chart(curve)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "erstatningsgrad:Q",
                title="Erstatningsgrad",
                axis=alt.Axis(
                    labelExpr="format(datum.value * 100, ',.0f') + ' %'",
                    values=[0, 0.25, 0.5, 0.75, 1],
                ),
            ),
            y=alt.Y("klimagevinst_t_co2:Q", title="Tonn CO₂ per år (estimat)"),
            color=alt.Color(
                "regionnavn:N",
                title="Region",
                scale=charts.colour_scale(charts.REGION_COLOURS, region_names),
            ),
            tooltip=[
                alt.Tooltip("regionnavn:N", title="Region"),
                alt.Tooltip("erstatningsgrad:Q", title="Erstatningsgrad", format=".0%"),
                alt.Tooltip("klimagevinst_t_co2:Q", title="Tonn CO₂ per år", format=",.0f"),
            ],
        )
    )
    layers = [band, lines]
    if implied == implied and 0 <= implied <= 1:
        layers.append(
            alt.Chart(pd.DataFrame({"x": [implied]}))
            .mark_rule(strokeDash=[4, 4], color=charts.TEXT_COLOUR)
            .encode(x="x:Q")
        )
    top = curve[curve["erstatningsgrad"] == 1].set_index("regionnavn")["klimagevinst_t_co2"]
    return charts.publish(
        alt.layer(*layers),
        "tekstiler-klimagevinst",
        "Klimagevinst av ombruk per region som funksjon av erstatningsgraden (estimat). Det grå "
        f"feltet er spennet fra {percent(low)} til {percent(high)} som brukes i teksten; den "
        "stiplede linjen er erstatningsgraden som tilsvarer Østfoldforsknings anslag "
        f"({percent(implied)}).",
        "Stigende rette linjer, én per region, fra null ved 0 % erstatningsgrad til "
        + ", ".join(f"{estimate(v)} tonn CO₂ per år for {k}" for k, v in top.items())
        + f" ved 100 %. Det grå feltet markerer spennet {percent(low)} til {percent(high)}.",
        curve.rename(columns={"regionnavn": "region"}),
    )
