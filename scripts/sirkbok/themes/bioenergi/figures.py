"""The bioenergy chapter's figure: the energy of the wood flows whose quantity is known."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sirkbok.core.format import estimate, number
from sirkbok.core.vocabulary import MISSING
from sirkbok.reader import charts
from sirkbok.reader.colours import STATUS_COLOURS


def known_flows(rows: pd.DataFrame) -> charts.Figure:
    """Bars for the flows with a number (`etikett` «actor|what», `gwh`, `status`); the rest is text."""
    known = rows[rows["status"] != MISSING]
    base = alt.Chart(known[["etikett", "gwh", "status", "grunnlag"]]).encode(
        y=alt.Y(
            "etikett:N",
            sort=known["etikett"].tolist(),
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=170),
        ),
        tooltip=[
            alt.Tooltip("etikett:N", title="Flyt"),
            alt.Tooltip("gwh:Q", title="Energi (GWh/år)", format=",.1f"),
            alt.Tooltip("status:N", title="Status"),
            alt.Tooltip("grunnlag:N", title="Grunnlag"),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("gwh:Q", title="Energi (GWh per år)", axis=alt.Axis(tickCount=4)),
        color=alt.Color("status:N", scale=charts.colour_scale(STATUS_COLOURS), title="Status"),
    )
    missing = rows[rows["status"] == MISSING]
    return charts.publish(
        bars.properties(height=alt.Step(44)),
        "bioenergi-treflyter",
        "Energien i de treflytene som har et tall: Huntons flis (estimat, to tolkninger) og "
        f"Vardars levert varme (målt). {len(missing)} flyter mangler tall og står i teksten.",
        "Liggende stolper i GWh per år. "
        + "; ".join(
            f"{r.etikett.replace('|', ', ')}: "
            + (estimate(r.gwh) if r.status != "målt" else number(r.gwh))
            + f" GWh ({r.status})"
            for r in known.itertuples()
        )
        + f". Uten tall: {'; '.join(e.replace('|', ', ') for e in missing['etikett'])}.",
        rows.rename(columns={"etikett": "flyt", "gwh": "energi_gwh"}).assign(
            flyt=lambda d: d["flyt"].str.replace("|", ", ", regex=False)
        ),
    )
