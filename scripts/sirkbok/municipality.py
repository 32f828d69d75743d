"""One municipality's page: what the proposed strategy and the data package say about it.

Every number comes from the theme modules' own functions with their default parameters, so a
municipality's share of an estimate is the same number the theme chapter adds up to the region's
total. What is missing comes from `sirkbok.themes.coverage`, the book's one count of missing values.
Text from the data is escaped before it is placed in MyST Markdown (`escape`), so a name or note can
never become markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field

import pandas as pd

from sirkbok import data, decisions, params
from sirkbok.datapackage.template import TEMPLATE_FOLDER
from sirkbok.format import MONTHS, estimate, missing, number, percent, role_text
from sirkbok.format import text as escape
from sirkbok.themes import bioenergi, biogass, coverage, tekstiler

# The tables a municipality page reads (its notebook declares the same list).
TABLES = [
    "regioner",
    "kommuner",
    "tema",
    "aktorer",
    "aktor_tall",
    "ressursstrommer",
    "faktorer",
    "statistikk",
]
CASE = "sak0926"  # the case document that proposes the strategy and the roles
TYPE_NAMES = {
    "avfallsselskap": "avfallsselskap",
    "biogassanlegg": "biogassanlegg",
    "fjernvarme": "fjernvarme",
    "industri": "industri",
    "naeringspark": "næringspark",
    "ombrukssenter": "ombrukssenter",
}
RESOURCE_NAMES = {"matavfall": "matavfall", "tekstiler": "tekstiler", "rundvirke": "rundvirke"}


def _cite(key: object) -> str:
    """A citation of a source key from the data package (keys are identifiers, never text)."""
    text = "" if missing(key) else str(key)
    return f" {{cite}}`{text}`" if re.fullmatch(r"[A-Za-z0-9_.:-]+", text) else ""


def _text(value: object) -> str | None:
    return None if missing(value) else str(value)


@dataclass(frozen=True)
class Share:
    """The municipality's part of one estimate of a theme, next to the region's total."""

    theme: str
    measure: str
    unit: str
    value: float | None
    region_total: float
    region_missing: str  # the region's municipalities left out of its total (no population)
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    kind: str
    place: str
    why: str
    theme: str | None
    source: str | None


@dataclass
class Page:
    """Everything one municipality page shows, computed once and rendered by `markdown()`."""

    number: str
    name: str
    region: str
    region_name: str
    county: str
    population: int | None
    population_date: dt.date | None
    population_source: str | None
    area_km2: float | None
    area_source: str | None
    region_population: int
    region_members: list[str]
    themes: dict[str, str]
    led_themes: list[tuple[str, str]] = field(default_factory=list)  # (theme, source)
    own_roles: list[tuple[str, list[str], str]] = field(default_factory=list)
    statuses: dict[tuple[str, str], None] = field(default_factory=dict)  # (status, its source)
    shares: list[Share] = field(default_factory=list)
    wood: pd.DataFrame = field(default_factory=pd.DataFrame)
    parks: list[Actor] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    missing: pd.DataFrame = field(default_factory=pd.DataFrame)
    flows: pd.DataFrame = field(default_factory=pd.DataFrame)


def numbers() -> list[str]:
    """Every municipality number in the data package, in the package's order."""
    return [str(n) for n in data.load("kommuner")["kommunenummer"]]


def _factor_sources(theme: str) -> list[str]:
    return [data.factor(p.factor).source for p in params.specs(theme) if p.factor is not None]


def _shares(number_: str, kommuner: pd.DataFrame, statistikk: pd.DataFrame) -> list[Share]:
    row = kommuner[kommuner["kommunenummer"] == number_].iloc[0]
    region = row["region"]
    population_source = [str(row["folketall_kilde"])] if not missing(row["folketall_kilde"]) else []
    shares = []
    potential = biogass.potential_with(kommuner, params.defaults("biogass"))
    totals = biogass.per_region(potential).set_index("region").loc[region]
    mine = potential[potential["kommunenummer"] == number_].iloc[0]
    bio_sources = tuple(
        dict.fromkeys(
            [
                *population_source,
                biogass.food_waste_per_inhabitant(statistikk).source,
                *_factor_sources("biogass"),
            ]
        )
    )
    for column, measure, unit in (
        ("matavfall_t", "Utsortert matavfall fra husholdningene", "tonn per år"),
        ("energi_gwh", "Energi i biogassen fra matavfallet", "GWh per år"),
    ):
        shares.append(
            Share(
                theme="biogass",
                measure=measure,
                unit=unit,
                value=None if missing(mine[column]) else float(mine[column]),
                region_total=float(totals[column]),
                region_missing=str(totals["mangler"]),
                sources=bio_sources,
            )
        )
    volumes = tekstiler.volumes_with(kommuner, params.defaults("tekstiler"))
    region_volumes = tekstiler.region_totals(volumes).set_index("region").loc[region]
    mine = volumes[volumes["kommunenummer"] == number_].iloc[0]
    tex_sources = tuple(dict.fromkeys([*population_source, *_factor_sources("tekstiler")]))
    for column, measure in (
        ("generert_t", "Tekstilavfall som oppstår"),
        ("ombrukbar_restavfall_t", "Ombrukbare klær og sko i restavfallet"),
    ):
        shares.append(
            Share(
                theme="tekstiler",
                measure=measure,
                unit="tonn per år",
                value=None if missing(mine[column]) else float(mine[column]),
                region_total=float(region_volumes[column]),
                region_missing=str(region_volumes["kommuner_uten_tall"]).replace("; ", ", "),
                sources=tex_sources,
            )
        )
    return shares


def _actor(row: pd.Series, why: str) -> Actor:
    return Actor(
        id=str(row["id"]),
        name=str(row["navn"]),
        kind=TYPE_NAMES.get(str(row["type"]), str(row["type"])),
        place=_text(row["sted"]) or "",
        why=why,
        theme=_text(row["tema"]),
        source=_text(row["kilde"]),
    )


def _actors(number_: str, aktorer: pd.DataFrame, strommer: pd.DataFrame) -> list[Actor]:
    """Actors located in the municipality, collecting from it, or treating its food waste."""
    by_id = aktorer.set_index("id", drop=False)
    found: dict[str, Actor] = {}
    here = aktorer[(aktorer["kommunenummer"] == number_) & ~aktorer["referanse"].fillna(False)]
    for _, row in here[here["type"] != "naeringspark"].iterrows():
        found[str(row["id"])] = _actor(row, "ligger i kommunen")
    flows = strommer[(strommer["kommunenummer"] == number_) & strommer["aktor"].notna()]
    for company, group in flows.groupby("aktor", sort=True):
        resources = sorted({RESOURCE_NAMES.get(str(r), str(r)) for r in group["ressurs"]})
        if company in by_id.index and company not in found:
            found[str(company)] = _actor(
                by_id.loc[company], "tar imot " + " og ".join(resources) + " fra kommunen"
            )
    for plant, served in biogass.plant_catchments(strommer).items():
        if number_ in served and plant in by_id.index and plant not in found:
            found[plant] = _actor(by_id.loc[plant], "matavfallet fra kommunen går hit")
    return list(found.values())


def page(number_: str) -> Page:
    """The page of municipality `number_` (its four-digit number), from the data package."""
    kommuner = data.load("kommuner")
    matches = kommuner[kommuner["kommunenummer"] == number_]
    if matches.empty:
        from sirkbok.core.errors import Problem, UserError

        raise UserError(
            Problem(
                file="data/kommuner.csv",
                column="kommunenummer",
                message="Ukjent kommunenummer.",
                found=number_,
                expected="et kommunenummer fra data/kommuner.csv",
            )
        )
    row = matches.iloc[0]
    regioner = data.load("regioner").set_index("id")
    tema = data.load("tema")
    aktorer = data.load("aktorer")
    strommer = data.load("ressursstrommer")
    statistikk = data.load("statistikk")
    region = str(row["region"])
    members = kommuner[kommuner["region"] == region]
    names = dict(zip(kommuner["kommunenummer"], kommuner["navn"], strict=True))
    result = Page(
        number=number_,
        name=str(row["navn"]),
        region=region,
        region_name=str(regioner.loc[region, "kortnavn"]),
        county=str(row["fylke"]),
        population=None if missing(row["folketall"]) else int(row["folketall"]),
        population_date=None if missing(row["folketall_dato"]) else row["folketall_dato"],
        population_source=_text(row["folketall_kilde"]),
        area_km2=None if missing(row["areal_km2"]) else float(row["areal_km2"]),
        area_source=_text(row["areal_kilde"]),
        region_population=int(members["folketall"].dropna().sum()),
        region_members=[str(n) for n in members["navn"]],
        themes=dict(zip(tema["id"].astype(str), tema["navn"].astype(str), strict=True)),
    )
    for _, theme in tema.iterrows():
        status = (str(theme["status"]), _text(theme["status_kilde"]) or "")
        if theme["ansvarlig_region"] == region:
            result.led_themes.append((str(theme["id"]), str(theme["kilde"])))
            result.statuses[status] = None
        leads = [n.strip() for n in str(theme["ansvarlige_kommuner"] or "").split(";") if n.strip()]
        if not missing(theme["ansvarlige_kommuner"]) and number_ in leads:
            partners = [str(names.get(n, n)) for n in leads if n != number_]
            result.own_roles.append((str(theme["id"]), partners, str(theme["kilde"])))
            result.statuses[status] = None
    result.shares = _shares(number_, kommuner, statistikk)
    grid = bioenergi.knowledge_grid(kommuner, strommer)
    result.wood = grid[grid["kommunenummer"] == number_].reset_index(drop=True)
    parks = aktorer[(aktorer["type"] == "naeringspark") & (aktorer["kommunenummer"] == number_)]
    result.parks = [_actor(p, "ligger i kommunen") for _, p in parks.iterrows()]
    result.actors = _actors(number_, aktorer, strommer)
    values = coverage.values(
        kommuner, aktorer, data.load("aktor_tall"), strommer, data.load("faktorer")
    )
    result.missing = coverage.missing_for(values, number_)
    result.flows = strommer.set_index("id")
    return result


# --- rendering ----------------------------------------------------------------------------------


def doc_link(title: str, target: str) -> str:
    """A {doc} link whose title is data text: the characters that end the role are replaced."""
    safe = role_text(title)
    return f"{{doc}}`{safe} <{target}>`"


def _date(value: dt.date | None) -> str:
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def _join(items: list[str]) -> str:
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def facts_markdown(p: Page) -> str:
    """Population, area, region and county, each with its source and date."""
    region = doc_link(p.region_name, f"/chapters/regioner/{p.region}/index")
    if p.population is None:
        people = "mangler (se «Dette mangler» nedenfor)"
    else:
        people = f"{number(p.population)} ({_date(p.population_date)}){_cite(p.population_source)}"
    area = "mangler" if p.area_km2 is None else f"{number(p.area_km2)} km²{_cite(p.area_source)}"
    lines = [
        f"- **Region:** {region}",
        f"- **Fylke:** {escape(p.county)}{_cite('ssb-klass131')}{_cite('prop127s')}",
        f"- **Folketall:** {people}",
        f"- **Areal:** {area}",
    ]
    lines.append(f"- **Kommunenummer:** {escape(p.number)}")
    others = [escape(n) for n in p.region_members if n != p.name]
    return "\n".join(lines) + f"\n\n{escape(p.name)} er med i {region} sammen med {_join(others)}."


def roles_markdown(p: Page) -> str:
    """The themes the region is proposed to lead and the municipality's own proposed roles."""

    def theme(t: str) -> str:  # a theme's name inside a sentence
        name = p.themes[t]
        return doc_link(name[:1].lower() + name[1:], f"/chapters/tema/{t}")

    parts = []
    if p.led_themes:
        led = _join([theme(t) for t, _ in p.led_themes])
        parts.append(
            f"I forslaget til felles strategi er {escape(p.region_name)} foreslått å ha et "
            f"særskilt ansvar for {led} i fase 1 (fra midten av 2026 til midten av 2027)."
        )
    for t, partners, _source in p.own_roles:
        if partners:
            parts.append(
                f"Internt i {escape(p.region_name)} er {escape(p.name)} foreslått å dele "
                f"hovedansvaret for {theme(t)} med {_join([escape(n) for n in partners])}."
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
        if share.region_missing:
            region_total += f" (uten {escape(share.region_missing)}, som mangler folketall)"
        theme = doc_link(p.themes[share.theme], f"/chapters/tema/{share.theme}")
        head = f"- **{theme}, {escape(share.measure.lower())}:**"
        if share.value is None:
            lines.append(f"{head} mangler for {escape(p.name)}; {region_total}.")
        else:
            lines.append(
                f"{head} {estimate(share.value)} {unit} i {escape(p.name)}, av {region_total}."
            )
    fractions = [
        s.value / s.region_total for s in p.shares if s.value is not None and s.region_total
    ]
    intro = (
        f"{escape(p.name)} har {percent(fractions[0])} av folketallet "
        f"i {escape(p.region_name)} (av kommunene med kjent folketall), og derfor samme andel av "
        "hvert anslag under."
        if fractions
        else f"Folketallet i {escape(p.name)} mangler, så kommunens del av anslagene mangler også."
    )
    sources = {s.theme: s.sources for s in p.shares}
    notes = [
        "Alle tallene i lista er **estimater**: folketallet ganget med faktorer per "
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
    """Bioenergi, ombrukssentre and næringsparker: what is known here, and why there is no share."""
    items = []
    known = p.wood[p.wood["status"] != "mangler"] if not p.wood.empty else p.wood
    wood = "; ".join(
        f"{escape(r['ressurs'])}: {escape(r['kjent']) or escape(r['status'])}"
        for _, r in known.iterrows()
    )
    items.append(
        f"- {doc_link(p.themes['bioenergi'], '/chapters/tema/bioenergi')}: ingen anslag per kommune, "
        "fordi avvirkningen i kommunen ikke er hentet ennå."
        + (f" Kjent fra datapakken: {wood}." if wood else "")
    )
    if p.population is not None and p.region_population:
        share = percent(p.population / p.region_population)
        items.append(
            f"- {doc_link(p.themes['ombrukssentre'], '/chapters/tema/ombrukssentre')}: kommunen har "
            f"{share} av det kjente folketallet i regionen, altså av befolkningsgrunnlaget for et "
            "felles ombrukssenter (regnet ut fra folketallene over). Anslag for mengder og omsetning mangler fordi "
            "befolkningsgrunnlaget til referansesenteret ikke er funnet."
        )
    else:
        items.append(
            f"- {doc_link(p.themes['ombrukssentre'], '/chapters/tema/ombrukssentre')}: kommunens "
            "andel av befolkningsgrunnlaget mangler fordi folketallet mangler."
        )
    if p.parks:
        parks = _join([escape(a.name) for a in p.parks])
        items.append(
            f"- {doc_link(p.themes['naeringsparker'], '/chapters/tema/naeringsparker')}: {parks} "
            "ligger i kommunen."
        )
    else:
        items.append(
            f"- {doc_link(p.themes['naeringsparker'], '/chapters/tema/naeringsparker')}: ingen "
            "næringspark i datapakken ligger i kommunen."
        )
    return "\n".join(items)


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
        route = escape(flow["fra"]) + (f" → {escape(flow['til'])}" if _text(flow["til"]) else "")
        return escape(what[:1].upper() + what[1:]), f" ({escape(unit)}), {route}"
    return escape(row["id"]), ""


def template_link(table: str) -> str:
    """A download link to the build's pre-filled Excel template for `table` (see sphinx_ext)."""
    if not re.fullmatch(r"[a-z_]+", table):
        raise ValueError(f"not a table name: {table!r}")
    href = html.escape(f"../../{TEMPLATE_FOLDER}/{table}.xlsx", quote=True)
    title = html.escape(str(data.resource(table).get("title", table)).lower())
    return f'<a href="{href}" download>Last ned Excel-malen for {title}</a>'


def missing_markdown(p: Page) -> str:
    """What the data package lacks for the municipality, where to get it, and the template."""
    if p.missing.empty:
        return "Datapakken har ingen verdier for kommunen med status «mangler»."
    lines = []
    for _, row in p.missing.iterrows():
        where = escape(row["fylles_fra"]) or "ikke kjent ennå"
        what, detail = _what(p, row)
        lines.append(f"- **{what}**{detail}. Hentes fra: {where}.")
    tables = list(dict.fromkeys(p.missing["tabell"]))
    links = " · ".join(template_link(t) for t in tables)
    return (
        "\n".join(lines)
        + "\n\nSlik fyller du inn: last ned malen, skriv tallene med kilde og årstall i radene for "
        f"kommunenummer {escape(p.number)}, og send filen til redaksjonen (se {{doc}}`/chapters/bidra`). "
        "Malene har dagens rader ferdig utfylt.\n\n" + links
    )
