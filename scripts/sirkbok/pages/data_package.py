"""The data chapter's figure: how many regional values are measured, estimated or missing."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sirkbok.core.vocabulary import STATUSES
from sirkbok.reader import charts
from sirkbok.reader.colours import STATUS_COLOURS


def _bars(long: pd.DataFrame, division: str, order: list[str]) -> alt.Chart:
    return (
        alt.Chart(long[long["inndeling"] == division], title=division)
        .mark_bar()
        .encode(
            y=alt.Y(
                "gruppe:N",
                sort=order,
                title=None,
                axis=alt.Axis(labelExpr=charts.TWO_LINE_LABEL),
            ),
            x=alt.X(
                "sum(antall):Q", title="Antall verdier", axis=alt.Axis(format="d", tickCount=4)
            ),
            color=alt.Color(
                "status:N",
                scale=charts.colour_scale(STATUS_COLOURS),
                title="Status",
                sort=list(STATUSES),
            ),
            order=alt.Order("rekke:Q"),
            tooltip=[
                alt.Tooltip("gruppe:N", title=division.removeprefix("Per ").capitalize()),
                alt.Tooltip("status:N", title="Status"),
                alt.Tooltip("antall:Q", title="Antall verdier"),
            ],
        )
        .properties(width=170, height=alt.Step(34))  # room for two-line labels
    )


def coverage(per_region: pd.DataFrame, per_theme: pd.DataFrame) -> charts.Figure:
    """Stacked bars of value counts by status, per region and per theme, one above the other."""
    long = pd.concat(
        [
            per_region[list(STATUSES)]
            .rename_axis("gruppe")
            .reset_index()
            .assign(inndeling="Per region"),
            per_theme[list(STATUSES)]
            .rename_axis("gruppe")
            .reset_index()
            .assign(inndeling="Per tema"),
        ]
    ).melt(id_vars=["inndeling", "gruppe"], var_name="status", value_name="antall")
    long["rekke"] = long["status"].map({s: i for i, s in enumerate(STATUSES)})
    return charts.publish(
        alt.vconcat(
            _bars(long, "Per region", list(per_region.index)),
            _bars(long, "Per tema", list(per_theme.index)),
        ).resolve_scale(color="shared"),
        name="data-dekning",
        caption="Hvor mange verdier i datapakken som er målt, egenoppgitt, estimert og mangler, per "
        "region og per tema. Kilde: datapakken (kommunene, aktørenes tall, ressursstrømmene og "
        "faktorene).",
        alt_text="Stablede søyler med antall verdier etter status. "
        + " ".join(
            f"{name}: {row['målt']} målt, {row['estimat']} estimert, {row['mangler']} mangler."
            for name, row in pd.concat([per_region, per_theme]).iterrows()
        ),
        table=long.drop(columns="rekke").rename(columns={"antall": "antall_verdier"}),
    )
