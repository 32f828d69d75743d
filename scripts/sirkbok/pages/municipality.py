"""One municipality's page in MyST Markdown: what the proposed strategy and the data package say about it.

The numbers and lists come from `sirkbok.pages.municipality_data` (`page()`, re-exported here so the page
notebook needs one import). Text from the data is escaped before it is placed in MyST Markdown
(`escape`), so a name or note can never become markup.
"""

from __future__ import annotations

import html

import pandas as pd

from sirkbok.core import context, publisher
from sirkbok.core.format import date, doc_link, estimate, listing, number, percent
from sirkbok.core.format import text as escape
from sirkbok.datapackage.template import TEMPLATE_FOLDER
from sirkbok.pages import quantities
from sirkbok.pages.municipality_data import Page, optional_text
from sirkbok.pages.municipality_data import (
    page as page,  # the page notebook's one import: page + text
)
from sirkbok.reader import decisions
from sirkbok.reader.cite import cite as _cite

CASE = "sak0926"  # the case document that proposes the strategy and the roles


def facts_markdown(p: Page) -> str:
    """Population, area, region and county, each with its source and date."""
    region = doc_link(p.region_name, f"/chapters/regioner/{p.region}/index")
    if p.population is None:
        people = "mangler (se «Dette mangler» nedenfor)"
    else:
        when = date(p.population_date) if p.population_date else ""
        people = f"{number(p.population)} ({when}){_cite(p.population_source)}"
    area = "mangler" if p.area_km2 is None else f"{number(p.area_km2)} km²{_cite(p.area_source)}"
    lines = [
        f"- **Region:** {region}",
        f"- **Fylke:** {escape(p.county)}{_cite('ssb-klass131')}{_cite('prop127s')}",
        f"- **Folketall:** {people}",
        f"- **Areal:** {area}",
    ]
    lines.append(f"- **Kommunenummer:** {escape(p.number)}")
    others = [escape(n) for n in p.region_members if n != p.name]
    members = (
        f"{escape(p.name)} er med i {region} sammen med {listing(others)}."
        if others
        else f"{escape(p.name)} er den eneste kommunen i {region} i datapakken."
    )
    return "\n".join(lines) + f"\n\n{members}"


def roles_markdown(p: Page) -> str:
    """The themes the region is proposed to lead and the municipality's own proposed roles."""

    def theme(t: str) -> str:  # a theme's name inside a sentence
        name = p.themes[t]
        return doc_link(name[:1].lower() + name[1:], f"/chapters/tema/{t}")

    parts = []
    if p.led_themes:
        led = listing([theme(t) for t, _ in p.led_themes])
        parts.append(
            f"I forslaget til felles strategi er {escape(p.region_name)} foreslått å ha et "
            f"særskilt ansvar for {led} i fase 1 ({decisions.period('fase-1')})."
        )
    for t, partners, _source in p.own_roles:
        if partners:
            parts.append(
                f"Internt i {escape(p.region_name)} er {escape(p.name)} foreslått å dele "
                f"hovedansvaret for {theme(t)} med {listing([escape(n) for n in partners])}."
            )
        else:
            parts.append(
                f"Internt i {escape(p.region_name)} er {escape(p.name)} foreslått som kandidat "
                f"til hovedansvaret for {theme(t)}."
            )
    if not p.own_roles:
        parts.append(f"{escape(p.name)} har ingen egen hovedrolle i forslaget.")
    sources = dict.fromkeys([CASE, *(s for _, s in p.led_themes), *(s for *_, s in p.own_roles)])
    parts.append(
        "Rollene er forslag i saksframlegget til sak 09/26"
        + "".join(_cite(s) for s in sources)
        + ". "
        + " ".join(decisions.sentence(status, source) for status, source in p.statuses)
    )
    return "\n\n".join(parts)


def shares_markdown(p: Page) -> str:
    """The municipality's part of each theme's estimate, rounded to two significant digits."""
    lines = []
    for share in p.shares:
        unit = escape(share.unit)
        region_total = f"{estimate(share.region_total)} {unit} i hele regionen"
        lacking = [escape(n) for n in share.region_missing.split(", ") if n and n != "nan"]
        if lacking:
            region_total += f" (uten {listing(lacking)}, som mangler folketall)"
        theme = doc_link(p.themes[share.theme], f"/chapters/tema/{share.theme}")
        head = f"- **{theme}, {escape(share.measure.lower())}:**"
        if share.value is None and not p.region_population:
            lines.append(
                f"{head} mangler for hele {escape(p.region_name)}, fordi folketallet mangler for "
                "alle kommunene der."
            )
        elif share.value is None:
            lines.append(f"{head} mangler for {escape(p.name)}; {region_total}.")
        else:
            lines.append(
                f"{head} {estimate(share.value)} {unit} i {escape(p.name)}, av {region_total}."
            )
    values = [s.value / s.region_total for s in p.shares if s.value is not None and s.region_total]
    partial = any(s.region_missing and s.region_missing != "nan" for s in p.shares)
    intro = (
        f"{escape(p.name)} har {percent(values[0])} av folketallet "
        f"i {escape(p.region_name)}{' (av kommunene med kjent folketall)' if partial else ''}, og "
        "derfor samme andel av hvert anslag under."
        if values
        else f"Folketallet i {escape(p.name)} mangler, så kommunens del av anslagene mangler også."
    )
    sources = {s.theme: s.sources for s in p.shares}
    notes = [
        (
            "Alle tallene i lista er **estimater**"
            if values
            else "Tallene i lista blir **estimater**"
        )
        + ": folketallet ganget med faktorer per "
        "innbygger, slik temakapitlene regner, med standardverdiene der, avrundet til to gjeldende "
        "sifre."
    ]
    for theme, keys in sources.items():
        notes.append(
            f"Kilder for {escape(p.themes[theme].lower())}: "
            + "".join(_cite(k) for k in keys).strip()
            + "."
        )
    return intro + "\n\n" + "\n".join(lines) + "\n\n" + " ".join(notes)


def other_themes_markdown(p: Page) -> str:
    """The themes with no share per municipality: what is known here, and why there is no share
    (each theme's `municipal_note`)."""
    return "\n".join(
        f"- {doc_link(p.themes[theme], f'/chapters/tema/{theme}')}: {note}"
        for theme, note in p.notes
    )


def actors_markdown(p: Page) -> str:
    """The plants and companies that are in the municipality or serve it."""
    if not p.actors:
        return "Datapakken har ingen anlegg eller bedrifter registrert for kommunen ennå."
    lines = []
    for actor in p.actors:
        place = f", {escape(actor.place)}" if actor.place else ""
        lines.append(
            f"- **{escape(actor.name)}** ({escape(actor.kind)}{place}): {escape(actor.why)}"
            f"{_cite(actor.source)}."
        )
    return "\n".join(lines)


def _what(p: Page, row: pd.Series) -> tuple[str, str]:
    """A missing value in words: what it is, and (for a flow) its unit and route."""
    if row["tabell"] == "kommuner":
        return "Folketall og areal", ""
    if row["tabell"] == "ressursstrommer" and row["id"] in p.flows.index:
        flow = p.flows.loc[row["id"]]
        unit = str(flow["enhet"]).replace("m3", "m³")
        what = str(flow["ressurs"])
        route = escape(flow["fra"]) + (
            f" → {escape(flow['til'])}" if optional_text(flow["til"]) else ""
        )
        return escape(what[:1].upper() + what[1:]), f" ({escape(unit)}), {route}"
    return escape(row["id"]), ""


def template_link(p: Page) -> str:
    """A download link to the build's Excel template for this municipality alone (sphinx_ext)."""
    href = html.escape(f"../../{TEMPLATE_FOLDER}/{quantities.template_name(p.number)}", quote=True)
    return f'<a href="{href}" download>Last ned Excel-malen for {html.escape(p.name)}</a>'


def _contact() -> str:
    """The contact address from the publisher block as a `mailto:` link."""

    who = publisher.read(context.current().root)
    return f"[{escape(who.email)}]({who.mailto})"


def missing_markdown(p: Page) -> str:
    """What the data package lacks for the municipality, where to get it, and the template."""
    if p.missing.empty:
        return "Datapakken har ingen verdier for kommunen med status «mangler»."
    lines = []
    for _, row in p.missing.iterrows():
        where = escape(row["fylles_fra"]) or "ikke kjent ennå"
        what, detail = _what(p, row)
        send = quantities.gap_markdown(str(row["tabell"]), str(row["id"]))
        lines.append(f"- **{what}**{detail}. Hentes fra: {where}.{send}")
    return (
        "\n".join(lines)
        + "\n\nLenken «Send inn tallet» åpner et skjema der kommunen og størrelsen er fylt ut: du "
        "skriver verdien, året og kilden. Har du mange tall, kan du i stedet fylle inn Excel-malen "
        f"for {escape(p.name)}, som har bare kommunens egne tall, og sende den til redaksjonen på "
        f"{_contact()} (se {{doc}}`/chapters/bidra`).\n\n" + template_link(p)
    )
