"""The data register data/README.md, generated from data/datapackage.json so it never drifts.

`python -m sirkbok.datapackage.register` writes it; `python -m sirkbok.datapackage.register --check` exits 1 when stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sirkbok.core import context
from sirkbok.core.files import write_if_changed
from sirkbok.datapackage import checks, descriptor, wording

TYPE_NAMES = {
    "string": "tekst",
    "integer": "heltall",
    "number": "tall",
    "year": "år",
    "date": "dato",
    "boolean": "sann/usann",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _unit(field: dict, resource: dict) -> str:
    if "unit" in field:
        return field["unit"]
    if "unitField" in field:
        return f"fra kolonnen `{field['unitField']}`"
    return ""


def _rules(field: dict, units_listed: bool) -> str:
    constraints = field.get("constraints", {})
    rules = []
    if constraints.get("required"):
        rules.append("påkrevd")
    if "enum" in constraints:
        rules.append("én av: " + ", ".join(f"`{v}`" for v in constraints["enum"]))
    in_words = wording.bounds(field)
    if in_words:
        rules.append(in_words)
    if "pattern" in constraints:
        rules.append(f"mønster `{constraints['pattern']}`")
    if field.get("isUnit") and units_listed:
        rules.append("enhet fra enhetslisten")
    return "; ".join(rules)


def markdown(package: dict) -> str:
    """The register text: every table, field, unit, key and rule in the descriptor."""
    lines = [
        "# Dataregister",
        "",
        "<!-- Generert fra data/datapackage.json med `python -m sirkbok.datapackage.register`. Ikke rediger "
        "for hånd. -->",
        "",
        f"**{package['title']}.** {package['description']}",
        "",
        "Alle tabellene er UTF-8-kodede CSV-filer med komma som skilletegn og punktum som "
        "desimaltegn. Kontroller pakken med `sirkbok validate` (også `make check`). Regneark fra "
        "Excel (semikolon og desimalkomma, eller .xlsx) tas inn med "
        "`sirkbok import FIL --table TABELL`, som viser endringene og bare skriver en gyldig "
        "tabell. "
        "Notatbøkene leser tabellene med `data.load(tabell)` (`sirkbok.datapackage.load`), aldri med filsti.",
        "",
        "| Tabell | Fil | Innhold |",
        "| --- | --- | --- |",
    ]
    for resource in package["resources"]:
        lines.append(
            f"| [{resource['title']}](#{resource['name']}) | `{resource['path']}` | "
            f"{_cell(resource['description'])} |"
        )
    for resource in package["resources"]:
        schema = resource["schema"]
        lines += [
            "",
            f"## {resource['name']}",
            "",
            f"**{resource['title']}.** {resource['description']}",
            "",
            f"Fil: `data/{resource['path']}`. Primærnøkkel: `{', '.join(schema['primaryKey'])}`.",
            "",
            "| Kolonne | Tittel | Type | Enhet | Regler | Beskrivelse |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for field in schema["fields"]:
            lines.append(
                f"| `{field['name']}` | {_cell(field.get('title', ''))} | "
                f"{TYPE_NAMES.get(field.get('type', 'string'), field.get('type'))} | "
                f"{_cell(_unit(field, resource))} | {_cell(_rules(field, True))} | "
                f"{_cell(field.get('description', ''))} |"
            )
        references = [
            f"`{fk['fields']}` → `{fk['reference']['resource']}.{fk['reference']['fields']}`"
            for fk in schema.get("foreignKeys", [])
        ]
        if references:
            lines += ["", "Fremmednøkler: " + "; ".join(references) + "."]
        rules = [checks.describe(check) for check in resource.get("checks", [])]
        if rules:
            lines += ["", "Kontroller: " + "; ".join(rules) + "."]
    lines += [
        "",
        "## Enheter",
        "",
        "Alle `enhet`-kolonnene bruker denne ene listen (`units` i datapackage.json):",
        "",
        "| Enhet | Betydning |",
        "| --- | --- |",
    ]
    lines += [f"| `{unit['name']}` | {unit['title']} |" for unit in package["units"]]
    return "\n".join(lines) + "\n"


def register_path(data_dir: Path | None = None) -> Path:
    return (data_dir or context.current().data_dir) / "README.md"


def main(argv: list[str]) -> int:

    text = markdown(descriptor.descriptor())
    target = register_path()
    if "--check" in argv:
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            print(
                "data/README.md er utdatert: kjør «python -m sirkbok.datapackage.register».",
                file=sys.stderr,
            )
            return 1
        print("data/README.md er à jour.")
        return 0
    if write_if_changed(target, text):
        print("Skrev data/README.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
