"""The industrial-park chapter's network: side streams, actors and parks in three fixed columns."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sirkbok.reader import charts
from sirkbok.themes.naeringsparker import COLOUR
from sirkbok.themes.naeringsparker import model as naeringsparker

ROLES = {"sidestrom": "Sidestrøm", "aktor": "Aktør", "park": "Park"}
WRAP = 14  # characters per label line: a label stays within its column's LABEL_ZONE
# Horizontal layout in pixels at the chart's narrowest (MIN_WIDTH; wider screens stretch it): each
# column's labels sit in a band LABEL_ZONE wide around its nodes, and a line leaves a node along its
# row (above the label under it) and turns only in the free space between two bands, so no line
# ever runs through a label. On a phone the figure is MIN_WIDTH wide and scrolls sideways.
MIN_WIDTH = 540
LABEL_ZONE = 124
COLUMN_X = [LABEL_ZONE / 2, MIN_WIDTH / 2, MIN_WIDTH - LABEL_ZONE / 2]
STUB = LABEL_ZONE / 2 + 4


def _wrap(text: str) -> str:
    """Label lines of at most about WRAP characters, split at spaces (Vega breaks at «|»)."""
    lines: list[str] = []
    for word in text.replace(", ", " ").split():
        if lines and len(lines[-1]) + 1 + len(word) <= WRAP:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "|".join(lines)


def _segments(edges: pd.DataFrame) -> pd.DataFrame:
    """Each edge as three straight pieces: along the start row out of the label band, across the
    gap to the next band, and along the end row into the node (x in pixels, y in rows)."""
    pieces = []
    for edge in edges.itertuples(index=False):
        start, end = COLUMN_X[int(edge.x)], COLUMN_X[int(edge.x2)]
        turn_out, turn_in = start + STUB, end - STUB
        for x, y, x2, y2 in (
            (start, edge.y, turn_out, edge.y),
            (turn_out, edge.y, turn_in, edge.y2),
            (turn_in, edge.y2, end, edge.y2),
        ):
            pieces.append({**edge._asdict(), "x": x, "y": y, "x2": x2, "y2": y2})
    return pd.DataFrame(pieces, columns=[*edges.columns])


def network(
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    names: dict[str, str],
    members: pd.DataFrame,
    level: int,
    exchanges: int,
) -> charts.Figure:
    """Thick lines: possible exchanges; thin dashed lines: which parks an actor lies in or near."""
    nodes = nodes.assign(
        navn=nodes["id"].map(names),
        rolle=nodes["type"].map(ROLES),
    )
    nodes["etikett"] = nodes["navn"].map(_wrap)
    nodes["x"] = nodes["x"].map(lambda column: COLUMN_X[int(column)])
    edges = edges.assign(fra_navn=edges["fra"].map(names), til_navn=edges["til"].map(names))
    pieces = _segments(edges)
    height = float(nodes["y"].max())
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, MIN_WIDTH], nice=False, zero=False), axis=None)
    y = alt.Y("y:Q", scale=alt.Scale(domain=[-0.9, height + 0.7], reverse=True), axis=None)
    tips = [
        alt.Tooltip("fra_navn:N", title="Fra"),
        alt.Tooltip("til_navn:N", title="Til"),
        alt.Tooltip("type:N", title="Kobling"),
    ]
    membership = (
        alt.Chart(pieces[pieces["type"] != "utveksling"])
        .mark_rule(color="#767676", strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeDash=alt.StrokeDash(
                "type:N",
                title="Aktøren ligger",
                scale=alt.Scale(
                    domain=list(naeringsparker.LEVELS.values()), range=[[1, 0], [6, 3], [2, 3]]
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=tips,
        )
    )
    exchange_lines = (
        alt.Chart(pieces[pieces["type"] == "utveksling"])
        .mark_rule(color=COLOUR, strokeWidth=3)
        .encode(
            x=x, y=y, x2="x2:Q", y2="y2:Q", tooltip=[*tips, alt.Tooltip("status:N", title="Mengde")]
        )
    )
    points = (
        alt.Chart(nodes)
        .mark_circle(size=140, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "rolle:N",
                title="Node",
                scale=alt.Scale(
                    domain=list(ROLES.values()),
                    range=["#6b6b6b", charts.TEXT_COLOUR, COLOUR],
                ),
                legend=alt.Legend(orient="bottom", direction="vertical"),
            ),
            tooltip=[alt.Tooltip("navn:N", title="Navn"), alt.Tooltip("rolle:N", title="Rolle")],
        )
    )
    labels = (
        alt.Chart(nodes)
        .mark_text(lineBreak="|", dy=11, baseline="top", fontSize=12, color=charts.TEXT_COLOUR)
        .encode(x=x, y=y, text="etikett:N")
    )
    headings = (
        alt.Chart(pd.DataFrame({"x": COLUMN_X, "tekst": ["Sidestrømmer", "Aktører", "Parker"]}))
        .mark_text(fontSize=13, fontWeight="bold", color=charts.TEXT_COLOUR)
        .encode(x=x, y=alt.datum(-0.7), text="tekst:N")
    )
    parks = nodes.loc[nodes["type"] == "park", "id"].tolist()
    exchanged = edges[edges["type"] == "utveksling"]
    return charts.publish(
        # No background of its own: the scroll shadows of .sirk-chart show on a phone.
        (membership + exchange_lines + points + labels + headings).properties(
            height=78 * (height + 2), background="transparent"
        ),
        "naeringsparker-nettverk",
        f"Nettverk av sidestrømmer, aktører og næringsparker (nærhet: "
        f"{naeringsparker.LEVELS[level]}). Tykke linjer er mulige utvekslinger av en sidestrøm til "
        "en aktør som bruker samme type ressurs; tynne grå linjer viser hvilke parker aktøren "
        "ligger i eller nær.",
        f"Nettverksfigur i tre kolonner: {int((nodes['type'] == 'sidestrom').sum())} sidestrømmer "
        f"til venstre, {int((nodes['type'] == 'aktor').sum())} aktører i midten og {len(parks)} "
        f"parker til høyre. {exchanges} mulige utvekslinger: "
        + (
            "; ".join(
                f"{r.fra_navn} til {r.til_navn} (mengde {r.status})" for r in exchanged.itertuples()
            )
            or "ingen"
        )
        + ". Aktører per park: "
        + "; ".join(
            f"{names[p]}: " + (", ".join(names[a] for a in group["aktor"]) or "ingen")
            for p, group in members.groupby("park", sort=True)
        )
        + ". Parker uten aktører i nærheten: "
        + (", ".join(names[p] for p in sorted(set(parks) - set(members["park"]))) or "ingen")
        + ".",
        edges[["fra_navn", "til_navn", "type", "status"]].rename(
            columns={"fra_navn": "Fra", "til_navn": "Til", "type": "Kobling", "status": "Mengde"}
        ),
        min_width=MIN_WIDTH,
    )
