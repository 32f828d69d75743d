"""`sirkbok forms`: the files GitHub reads, written from the publisher block and the data package.

The issue forms «Send inn et tall» and «Foreslå et kapittel» (their dropdowns list the data package's
municipalities, quantities, units, grades, regions and themes), the forms' contact links
(config.yml), CODEOWNERS (the teams live in the repository's organisation) and the publisher's part
of CITATION.cff. `--check` (and `stale()`, used by the tests) says which file is out of date. The
field ids are the pre-fill parameters of `themes.quantities.form_link` and what the contribution bot
reads back, so they are written here once.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

import yaml

from sirkbok.core import context, publisher
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.files import write_atomic
from sirkbok.datapackage import load as data
from sirkbok.pages import quantities

FOLDER = ".github/ISSUE_TEMPLATE"
NUMBER_FORM = quantities.FORM
CHAPTER_FORM = "foreslaa-kapittel.yml"
ERROR_FORM = "feil.yml"  # hand-written; the page button opens it (book/page_facts)
NUMBER_LABEL = "tall"  # the label the workflow reacts to
CHAPTER_LABEL = "nytt kapittel"
GRADES = {"H": "H (høy)", "M": "M (middels)", "L": "L (lav)"}
_HEAD = (
    "# Written by `sirkbok forms` from _config.yml (publisher) and data/. Do not edit by hand.\n"
)


def _input(id_: str, label: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "type": "input",
        "id": id_,
        "attributes": {"label": label, "description": description},
        "validations": {"required": required},
    }


def _dropdown(id_: str, label: str, description: str, options: list[str], required: bool = True):  # type: ignore[no-untyped-def]
    return {
        "type": "dropdown",
        "id": id_,
        "attributes": {"label": label, "description": description, "options": options},
        "validations": {"required": required},
    }


def _textarea(id_: str, label: str, description: str, required: bool = True) -> dict[str, Any]:
    return {
        "type": "textarea",
        "id": id_,
        "attributes": {"label": label, "description": description},
        "validations": {"required": required},
    }


def number_form() -> dict[str, Any]:
    kommuner = data.load("kommuner")
    strommer = data.load("ressursstrommer")
    found = quantities.quantities(strommer)
    units = list(dict.fromkeys(q.unit for q in found))
    towns = [
        quantities.municipality_option(str(n), str(name))
        for n, name in zip(kommuner["kommunenummer"], kommuner["navn"], strict=True)
    ]
    intro = (
        "Takk for at du sender inn et tall! Kommer du fra en side i boka, er kommune og størrelse "
        "fylt ut. Skriv verdien, året og kilden. Roboten sjekker tallet med en gang og svarer her; "
        "deretter ser redaksjonen over forslaget før det kommer i boka."
    )
    return {
        "name": "Send inn et tall",
        "description": "Et tall boka mangler eller har feil, med kilde.",
        "title": "Tall: ",
        "labels": [NUMBER_LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": intro}},
            _dropdown(
                "kommune",
                "Kommune",
                "Kommunen tallet gjelder. Gjelder det en region eller et anlegg, la stå tomt.",
                towns,
                required=False,
            ),
            _dropdown("storrelse", "Størrelse", "Hva tallet måler.", [q.label for q in found]),
            _input("verdi", "Verdi", "Bare tallet, med komma som desimaltegn: 1234,5"),
            _dropdown("enhet", "Enhet", "Enheten tallet er oppgitt i.", units),
            _input("aar", "År", "Året tallet gjelder, fire sifre: 2024"),
            _input(
                "kilde_tittel", "Kildens tittel", "Tittel og utgiver, f.eks. «Årsrapport 2024, HRA»"
            ),
            _input(
                "kilde_url",
                "Kildens adresse",
                "Lenke til kilden (https://…), om den finnes.",
                False,
            ),
            _dropdown(
                "kildegrad",
                "Kildegrad",
                "Hvor sikker kilden er: H er offisiell statistikk eller et vedtak, M en rapport, "
                "L et anslag eller en uformell kilde.",
                list(GRADES.values()),
            ),
            _textarea(
                "merknad", "Merknad", "Noe redaksjonen bør vite om tallet (valgfritt).", False
            ),
        ],
    }


def chapter_form() -> dict[str, Any]:
    intro = (
        "Takk for at du vil skrive! Skriv teksten i vanlig Markdown: avsnitt, overskrifter med #, "
        "lister og lenker. Roboten lager kapitlet fra bokas mal og sjekker det; redaksjonen og "
        "regionteamet ser over før det kommer i boka."
    )
    return {
        "name": "Foreslå et kapittel",
        "description": "Et kapittel fra regionen din, skrevet rett i skjemaet.",
        "title": "Kapittel: ",
        "labels": [CHAPTER_LABEL],
        "body": [
            {"type": "markdown", "attributes": {"value": intro}},
            _dropdown("region", "Region", "Regionen kapitlet hører til.", _ids("regioner")),
            _dropdown("tema", "Tema", "Temaet i strategien kapitlet handler om.", _ids("tema")),
            _input("tittel", "Tittel", "Kapitlets tittel."),
            _input("forfatter", "Forfatter", "Navn på den eller dem som skriver."),
            _textarea("tekst", "Tekst", "Kapitlets tekst i Markdown (ingen HTML, ingen kode)."),
            _textarea(
                "kilder", "Kilder", "Én kilde per linje: tittel, utgiver, år og lenke.", False
            ),
        ],
    }


def _ids(table: str) -> list[str]:
    return [str(i) for i in data.load(table)["id"]]


def config_yml(who: publisher.Publisher) -> dict[str, Any]:
    return {
        "blank_issues_enabled": False,
        "contact_links": [
            {
                "name": "Veiledning for bidragsytere",
                "url": f"{who.repository}/blob/main/CONTRIBUTING.md",
                "about": "Slik sender du inn et tall, et kapittel eller en rettelse.",
            },
            {
                "name": "Skriv til redaksjonen",
                "url": f"{who.site}chapters/bidra.html",
                "about": f"E-post: {who.email} (også for Excel-malen med mange tall).",
            },
        ],
    }


def codeowners(current: str, who: publisher.Publisher) -> str:
    """CODEOWNERS with every team in the repository's organisation."""
    return re.sub(r"@[A-Za-z0-9-]+/", f"@{who.owner}/", current)


_CITATION_BLOCK = re.compile(r"# Publisher \(sirkbok forms\).*?(?=^keywords:)", re.S | re.M)


def citation(current: str, who: publisher.Publisher) -> str:
    """CITATION.cff with the publisher's name, addresses and contact (before `keywords:`)."""
    text = _CITATION_BLOCK.sub("", current)
    text = re.sub(r"^repository-code: .*\n", "", text, flags=re.M)
    text = re.sub(r"(^authors:\n  - name: ).*$", rf'\1"{who.name}"', text, count=1, flags=re.M)
    block = (
        "# Publisher (sirkbok forms): from `publisher:` in _config.yml.\n"
        f'repository-code: "{who.repository}"\n'
        f'url: "{who.site}"\n'
        "contact:\n"
        f'  - name: "{who.name}"\n'
        f'    email: "{who.email}"\n'
    )
    return text.replace("\nkeywords:", "\n" + block + "keywords:", 1)


def jupyter_book_keys(current: str, who: publisher.Publisher) -> str:
    """_config.yml with Jupyter Book's own address keys copied from the publisher block."""
    text = re.sub(r"(?m)^(repository:\n  url: ).*$", rf"\g<1>{who.repository}", current)
    text = re.sub(r"(?m)^(  baseurl: ).*$", rf"\g<1>{who.site}", text)
    return re.sub(r"(?m)^(      repository_url: ).*$", rf"\g<1>{who.repository}", text)


def _dump(form: dict[str, Any]) -> str:
    return _HEAD + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=100)


def expected(root: Path) -> dict[str, str]:
    """Each generated file (relative path) and what it should hold."""
    who = publisher.read(root)
    with context.using(context.at(root)):
        files = {
            f"{FOLDER}/{NUMBER_FORM}": _dump(number_form()),
            f"{FOLDER}/{CHAPTER_FORM}": _dump(chapter_form()),
        }
    files[f"{FOLDER}/config.yml"] = _dump(config_yml(who))
    for name, make in (
        (".github/CODEOWNERS", codeowners),
        ("CITATION.cff", citation),
        (publisher.CONFIG, jupyter_book_keys),
    ):
        files[name] = make((root / name).read_text(encoding="utf-8"), who)
    return files


def stale(root: Path) -> list[Problem]:
    """A problem per generated file that differs from what `sirkbok forms` would write."""
    return [
        Problem(
            file=name,
            message="Filen er utdatert i forhold til _config.yml (publisher) eller data/: "
            "kjør `sirkbok forms`.",
        )
        for name, text in expected(root).items()
        if not (root / name).is_file() or (root / name).read_text(encoding="utf-8") != text
    ]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="Bare sjekk at filene er oppdatert; skriv ingenting."
    )


def run(args: argparse.Namespace) -> int:
    root = context.current().root
    if args.check:
        problems = stale(root)
        if problems:
            raise UserError(problems)
        print("Skjemaene og GitHub-filene er oppdatert.")
        return 0
    for name, text in expected(root).items():
        write_atomic(root / name, text)
        print(f"Skrev {name}")
    return 0
