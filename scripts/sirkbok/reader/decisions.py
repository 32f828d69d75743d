"""Decision status of milestones and theme responsibilities, as readers see it.

The case document proposes most of what the strategy part describes. The status column of
`milepaeler` and `tema` says what the sources show (foreslått, vedtatt, gjennomført, ukjent), and
these helpers turn it into the words every page uses, so a proposal never reads as a decision and
«vedtak ikke kjent» always carries the date the book's knowledge is as of.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from sirkbok.core import format as fmt
from sirkbok.datapackage import load as data
from sirkbok.reader.cite import cite
from sirkbok.reader.colours import DECISION_COLOURS

if TYPE_CHECKING:  # display objects only where a notebook shows them
    from IPython.display import Markdown

STATUSES = ["foreslått", "vedtatt", "gjennomført", "ukjent"]
LABELS = {
    "foreslått": "Foreslått, vedtak ikke kjent",
    "vedtatt": "Vedtatt",
    "gjennomført": "Gjennomført",
    "ukjent": "Status ikke kjent",
}
# Short names and colours for chart legends (narrow screens); tables and tooltips use LABELS.
SHORT = {
    "foreslått": "Foreslått",
    "vedtatt": "Vedtatt",
    "gjennomført": "Gjennomført",
    "ukjent": "Ukjent",
}
COLOURS = DECISION_COLOURS


def label(status: str) -> str:
    """The short reader label of a status, e.g. «Foreslått, vedtak ikke kjent»."""
    return LABELS[str(status)]


def sentence(status: str, source: str, as_of: date | None = None) -> str:
    """One MyST sentence: «Status: foreslått {cite}`sak0926`; vedtak ikke kjent per 30. november 2026.»"""
    as_of = as_of or data.last_updated()
    cited = cite(source)
    when = fmt.date(as_of)
    if status == "foreslått":
        return f"Status: foreslått{cited}; vedtak ikke kjent per {when}."
    if status == "ukjent":
        return f"Status: ikke kjent per {when}{cited}."
    return f"Status: {status}{cited}."


def period(milestone_id: str) -> str:
    """A phase's period in the case document's words: «medio 2026–medio 2027», «medio 2027–2028»."""
    row = data.load("milepaeler").set_index("id").loc[milestone_id]
    end = None if fmt.missing(row["slutt_dato"]) else row["slutt_dato"]
    return fmt.date(row["dato"], str(row["datopresisjon"]), end=end)


def joint_meeting(as_of: date | None = None) -> str:
    """The joint meeting of the three councils (29 April 2026), worded from the book's date."""
    row = data.load("milepaeler").set_index("id").loc["fellesmote-follum-2026"]
    where = "et felles møte for de tre regionene på Follum {dato}"
    return fmt.dated(
        row["dato"],
        as_of or data.last_updated(),
        known=row["status"] == "gjennomført",
        precision=str(row["datopresisjon"]),
        planned=f"Etter innstillingen skal forslaget legges fram til diskusjon på {where}.",
        happened=f"Forslaget ble lagt fram til diskusjon på {where}.",
        unknown=f"Etter innstillingen skulle forslaget legges fram til diskusjon på {where}; om "
        "møtet ble holdt, og hva det kom fram til, er ikke kjent per {per}.",
    )


def next_milestone(milestones: pd.DataFrame, as_of: date | None = None) -> pd.Series | None:
    """The first milestone dated after the book's date (None when every one lies behind it)."""
    later = milestones[milestones["dato"] > pd.Timestamp(as_of or data.last_updated())]
    return None if later.empty else later.sort_values(["dato", "id"]).iloc[0]


def responsibility(theme_id: str) -> Markdown:
    """Who is proposed to lead a theme in phase 1, with its status: the one text every chapter
    uses (a block with citations, so Markdown rather than a glued phrase)."""
    from IPython.display import Markdown

    theme = data.load("tema").set_index("id").loc[theme_id]
    regions = data.load("regioner").set_index("id")["kortnavn"]
    municipalities = not pd.isna(theme["ansvarlige_kommuner"])
    proposed = theme["status"] == "foreslått"
    verb = "er foreslått å få" if proposed else "har"
    text = (
        f"**{regions[theme['ansvarlig_region']]}** {verb} et særskilt ansvar for temaet i fase 1 "
        f"({period('fase-1')}){cite(theme['kilde'])}. "
        "Ansvaret innebærer blant annet å legge til rette for erfaringsutveksling, kunnskapsdeling og "
        "samordnet innsats på tvers av regionene. "
    )
    if municipalities:
        text += f"Internt i regionen: {theme['merknad']}{cite(theme['kilde'])}. "
    text += (
        "Saksframlegget sier at kommunene og næringsaktørene i Ringeriksregionen også vil kunne være "
        "med i temaene de andre regionene får ansvar for. "
    )
    return Markdown(text + sentence(theme["status"], theme["status_kilde"]))


def next_milestone_text(milestones: pd.DataFrame, as_of: date | None = None) -> str:
    """The timeline's sentence on what comes next (plain text, for `glue`): the first milestone
    after the book's date, or that none is dated after it."""
    following = next_milestone(milestones, as_of)
    if following is None:
        return "Ingen av milepælene er datert etter bokas dato."
    end = None if fmt.missing(following["slutt_dato"]) else following["slutt_dato"]
    when = fmt.date(following["dato"], str(following["datopresisjon"]), end=end)
    return f"Neste milepæl etter bokas dato er «{following['tittel']}» ({when})."
