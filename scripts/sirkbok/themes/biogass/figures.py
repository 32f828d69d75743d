"""Figures of the biogas chapter: energy per municipality, plants, manure scenario, sensitivity."""

from __future__ import annotations

import altair as alt
import pandas as pd

from sirkbok.core.format import estimate, number
from sirkbok.core.vocabulary import ESTIMATE, MISSING
from sirkbok.reader import charts, prose
from sirkbok.reader.colours import STATUS_COLOURS
from sirkbok.themes.biogass import COLOUR
from sirkbok.themes.biogass import model as biogass

STATUS = charts.colour_scale(STATUS_COLOURS)
PLANT_NAMES = {"hra-trollmyra": "Trollmyra", "mjosanlegget": "Mjøsanlegget"}
SHORTER = {
    "fra de fem eierkommunene": "fra eierkommunene",
    "herav husdyrgjødsel": "herav gjødsel",
    "per forbehandlingslinje": "per linje",
}


def _note(base: alt.Chart, field: str) -> alt.Chart:
    """A short word («mangler») at the start of an empty bar, so a missing value is not read as zero."""
    return base.mark_text(align="left", dx=4, color=charts.TEXT_COLOUR).encode(
        x=alt.datum(0), text=f"{field}:N"
    )


def municipalities(
    per_municipality: pd.DataFrame, region_names: dict[str, str], total_gwh: float
) -> charts.Figure:
    """Estimated energy from sorted food waste per municipality, coloured by region."""
    shown = per_municipality.assign(
        regionnavn=per_municipality["region"].map(region_names),
        energi=per_municipality["energi_gwh"].astype("float"),
        tekst=per_municipality["status"].map({MISSING: "mangler folketall", ESTIMATE: ""}),
    ).sort_values(["regionnavn", "energi"], ascending=[True, False])
    base = alt.Chart(shown[["navn", "regionnavn", "folketall", "energi", "tekst"]]).encode(
        y=alt.Y("navn:N", sort=shown["navn"].tolist(), title=None),
        tooltip=[
            alt.Tooltip("navn:N", title="Kommune"),
            alt.Tooltip("regionnavn:N", title="Region"),
            alt.Tooltip("energi:Q", title="Energi (GWh/år)", format=",.1f"),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("energi:Q", title="Energi (GWh per år)", axis=alt.Axis(format=",.1f", tickCount=5)),
        color=alt.Color(
            "regionnavn:N",
            scale=charts.colour_scale(charts.REGION_COLOURS, region_names),
            title="Region",
        ),
    )
    missing = ", ".join(shown.loc[shown["status"] == MISSING, "navn"]) or "ingen"
    largest = shown.loc[shown["energi"].idxmax()]
    table = shown.assign(region=shown["regionnavn"]).rename(columns={"navn": "kommune"})[
        [
            "kommune",
            "region",
            "folketall",
            "matavfall_t",
            "metan_nm3",
            "energi_gwh",
            "diesel_l",
            "co2e_t",
            "status",
        ]
    ]
    return charts.publish(
        (bars + _note(base, "tekst")).properties(height=alt.Step(24)),
        "biogass-kommuner",
        "Estimat: energi fra utsortert matavfall per kommune, farget etter region.",
        f"Liggende stolper for {len(shown)} kommuner som viser anslått energi fra utsortert "
        f"matavfall i GWh per år. {largest['navn']} har mest, {estimate(largest['energi'])} GWh. "
        f"Samlet er det {estimate(total_gwh)} GWh. Mangler folketall: {missing}.",
        table,
    )


def plants(comparison: pd.DataFrame) -> charts.Figure:
    """Estimated food waste against what Trollmyra and Mjøsanlegget report receiving and may take."""
    size = comparison["maal"]
    for long, short in SHORTER.items():
        size = size.str.replace(long, short)
    shown = comparison.assign(
        linjer=comparison["anlegg"].map(PLANT_NAMES) + "|" + size,
        verdi=comparison["verdi_t"].astype("float"),
        tekst=comparison["status"].map({MISSING: MISSING}).fillna(""),
    )
    base = alt.Chart(shown[["linjer", "verdi", "status", "tekst"]]).encode(
        y=alt.Y(
            "linjer:N",
            sort=shown["linjer"].tolist(),
            title=None,
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=170),
        ),
        tooltip=[
            alt.Tooltip("linjer:N", title="Anlegg og størrelse"),
            alt.Tooltip("verdi:Q", title="Tonn per år", format=",.0f"),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("verdi:Q", title="Tonn per år", axis=alt.Axis(tickCount=4)),
        color=alt.Color("status:N", scale=STATUS, title="Status"),
    )
    titles = prose.names("kilder", "id", "tittel")
    described = "; ".join(
        f"{PLANT_NAMES[r.anlegg]}, {r.maal}: "
        + (MISSING if r.status == MISSING else f"{number(r.verdi_t)} tonn ({r.status})")
        for r in comparison.itertuples()
    )
    return charts.publish(
        (bars + _note(base, "tekst")).properties(height=alt.Step(38)),
        "biogass-anlegg",
        "Anslått matavfall fra kommunene (estimat) mot oppgitt mottak og kapasitet ved Trollmyra og "
        "Mjøsanlegget.",
        f"Liggende stolper i tonn per år. {described}.",
        comparison.drop(columns=["etikett"], errors="ignore").assign(
            anlegg=comparison["anlegg"].map(PLANT_NAMES),
            kilde=comparison["kilde"].map(lambda k: titles.get(k, k)),  # titles, not keys
        ),
    )


def manure(scenario: pd.DataFrame, tonnes: float) -> charts.Figure:
    """Energy if the permitted quantity of manure were cattle, pig or poultry manure."""
    shown = scenario.assign(status=ESTIMATE, energi=scenario["energi_gwh"].astype("float"))
    chart = (
        alt.Chart(shown[["gjodseltype", "energi", "status"]])
        .mark_bar(color=STATUS_COLOURS[ESTIMATE])  # one colour: every bar is an estimate (caption)
        .encode(
            y=alt.Y("gjodseltype:N", title=None, sort=list(biogass.MANURE_TYPES.values())),
            x=alt.X("energi:Q", title="Energi (GWh per år)", axis=alt.Axis(format=",.1f")),
            tooltip=[
                alt.Tooltip("gjodseltype:N", title="Gjødseltype"),
                alt.Tooltip("energi:Q", title="Energi (GWh/år)", format=",.1f"),
            ],
        )
        .properties(height=alt.Step(32))
    )
    return charts.publish(
        chart,
        "biogass-gjodsel",
        "Scenario (estimat): energi hvis Mjøsanleggets tillatte mengde husdyrgjødsel var storfe-, "
        "svine- eller fjørfegjødsel (FNR-faktorer).",
        f"Liggende stolper for tre gjødseltyper, i GWh per år fra {number(tonnes)} tonn: "
        + ", ".join(
            f"{r.gjodseltype.lower()} {estimate(r.energi_gwh)} GWh" for r in scenario.itertuples()
        )
        + ". Regionenes egne gjødselmengder mangler.",
        scenario,
    )


def sensitivity(result: pd.DataFrame) -> charts.Figure:
    """A tornado chart: the total when one input at a time is set low and high."""
    long = pd.concat(
        [
            result.assign(ende="Lav verdi", gwh=result["gwh_lav"]),
            result.assign(ende="Høy verdi", gwh=result["gwh_hoy"]),
        ]
    )[["inndata_navn", "ende", "gwh", "gwh_basis"]]
    ends = charts.colour_scale({"Lav verdi": STATUS_COLOURS[ESTIMATE], "Høy verdi": COLOUR})
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(
                "inndata_navn:N",
                sort=result["inndata_navn"].tolist(),
                title=None,
                axis=alt.Axis(labelExpr=charts.TWO_LINE_LABEL),
            ),
            x=alt.X(
                "gwh:Q", title="Energi (GWh per år)", axis=alt.Axis(format=",.0f", tickCount=4)
            ),
            x2="gwh_basis:Q",
            color=alt.Color("ende:N", scale=ends, title="Forutsetning satt til"),
            tooltip=[
                alt.Tooltip("inndata_navn:N", title="Forutsetning"),
                alt.Tooltip("ende:N", title="Satt til"),
                alt.Tooltip("gwh:Q", title="Energi (GWh/år)", format=",.1f"),
            ],
        )
    )
    base_line = (
        alt.Chart(pd.DataFrame({"gwh_basis": [result["gwh_basis"].iloc[0]]}))
        .mark_rule(color=charts.TEXT_COLOUR)
        .encode(x="gwh_basis:Q")
    )
    largest = result.iloc[0]
    return charts.publish(
        (bars + base_line).properties(height=alt.Step(40)),
        "biogass-folsomhet",
        "Følsomhet: samlet energi fra matavfallet når én forutsetning om gangen settes lav og høy.",
        f"Tornadodiagram med utgangspunkt {estimate(largest['gwh_basis'])} GWh per år. "
        + "; ".join(
            f"{r.inndata_navn}: {estimate(r.gwh_lav)} til {estimate(r.gwh_hoy)} GWh"
            for r in result.itertuples()
        )
        + f". {largest['inndata_navn']} gir det største utslaget.",
        result.drop(columns=["inndata"]),
    )
