"""The reuse-centre chapter's figures: population served, and climate benefit per scenario."""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from sirkbok.core.format import estimate, number
from sirkbok.core.vocabulary import MISSING
from sirkbok.reader import charts
from sirkbok.themes.ombrukssentre import COLOUR

LABEL_CHARACTERS = 24  # one line of an axis label within its 170 px (no «…»)


def wrapped(label: str) -> str:
    """An axis label in lines of at most LABEL_CHARACTERS, split at spaces («|» ends a line)."""
    return "|".join(
        line for part in label.split("|") for line in textwrap.wrap(part, LABEL_CHARACTERS)
    )


def row_height(labels: pd.Series) -> int:
    """Pixels per bar: room for the longest wrapped label (13 px text, 16 px a line), so the lines
    of one label never run into the next label on a phone."""
    lines = int(labels.str.count(r"\|").max()) + 1
    return max(40, 16 * lines + 12)


def population(frame: pd.DataFrame, colours: dict[str, str]) -> charts.Figure:
    """Inhabitants per region (sum of municipalities) and as the waste companies state them."""
    frame = frame.assign(navn=frame["navn"].map(wrapped))
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "navn:N",
                title=None,
                sort=frame["navn"].tolist(),
                axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=170),
            ),
            x=alt.X("folketall:Q", title="Innbyggere", axis=alt.Axis(tickCount=4)),
            color=alt.Color(
                "navn:N",
                # keyed by the labels as wrapped here: a name wrapped otherwise gets no colour (and
                # its bar was not drawn)
                scale=charts.colour_scale({wrapped(name): c for name, c in colours.items()}),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("navn:N", title="Område"),
                alt.Tooltip("folketall:Q", title="Innbyggere", format=",.0f"),
                alt.Tooltip("type:N", title="Tall fra"),
            ],
        )
        .properties(height=alt.Step(row_height(frame["navn"])))
    )
    return charts.publish(
        chart,
        "ombrukssentre-befolkning",
        "Befolkningsgrunnlag for et ombrukssenter: folketallet i hver region (summen av kommunene "
        "med kjent folketall) og antall innbyggere avfallsselskapene HRA og Horisont Miljøpark "
        "oppgir at de betjener.",
        "Liggende stolper. "
        + "; ".join(
            f"{r.navn.replace('|', ' ')}: {number(r.folketall)} innbyggere"
            for r in frame.itertuples()
        )
        + ". Tallene for avfallsselskapene er avrundede tall selskapene selv oppgir.",
        frame.assign(navn=frame["navn"].str.replace("|", " ", regex=False)).rename(
            columns={"navn": "område", "type": "tall_fra"}
        ),
    )


def climate(scenarios: pd.DataFrame, region_note: str) -> charts.Figure:
    """Range bars from network reuse (low) to direct reuse (high); a missing scenario says why."""
    shown = scenarios[["scenario", "tonn", "klima_lav", "klima_hoy", "status"]].copy()
    for column in ["tonn", "klima_lav", "klima_hoy"]:
        shown[column] = pd.to_numeric(shown[column]).round(0)
    shown["merknad"] = shown["status"].map({MISSING: "mangler befolkningstall"}).fillna("")
    base = alt.Chart(shown).encode(
        y=alt.Y(
            "scenario:N", title=None, sort=shown["scenario"].tolist(), axis=alt.Axis(labelLimit=170)
        )
    )
    span = base.mark_bar(height=14, color=COLOUR).encode(
        x=alt.X("klima_lav:Q", title="Tonn CO₂e per år (estimat)", axis=alt.Axis(tickCount=4)),
        x2="klima_hoy:Q",
        tooltip=[
            alt.Tooltip("scenario:N", title="Scenario"),
            alt.Tooltip("tonn:Q", title="Tonn holdt unna avfall", format=",.0f"),
            alt.Tooltip("klima_lav:Q", title="Lav (t CO₂e/år)", format=",.0f"),
            alt.Tooltip("klima_hoy:Q", title="Høy (t CO₂e/år)", format=",.0f"),
        ],
    )
    missing = (
        base.transform_filter(f"datum.status == '{MISSING}'")
        .mark_text(align="left", dx=4, color=charts.TEXT_COLOUR, fontSize=13)
        .encode(x=alt.datum(0), text="merknad:N")
    )
    return charts.publish(
        (span + missing).properties(height=alt.Step(40)),
        "ombrukssentre-klimagevinst",
        f"Klimagevinst per år for et mulig ombrukssenter i to scenarioer (estimat){region_note}. "
        "Stolpen går fra gevinsten ved ombruk gjennom et nettverk (lav) til gevinsten ved direkte "
        "ombruk (høy), med WRAPs faktorer for møbler.",
        "Liggende spennstolper. "
        + "; ".join(
            f"{r.scenario}: "
            + (
                "mangler, fordi befolkningsgrunnlaget til Resirkula ikke er kjent"
                if r.status == MISSING
                else f"{estimate(r.klima_lav, approx=False)} til {estimate(r.klima_hoy, approx=False)} tonn CO₂e per år"
            )
            for r in shown.itertuples()
        )
        + ".",
        shown.drop(columns=["merknad"]).rename(
            columns={
                "tonn": "tonn_holdt_unna_avfall",
                "klima_lav": "klimagevinst_lav_t_co2e",
                "klima_hoy": "klimagevinst_hoy_t_co2e",
            }
        ),
    )
