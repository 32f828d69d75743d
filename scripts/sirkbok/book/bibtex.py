"""Sources live in one place, data/kilder.csv; references.bib is generated from it.

So a source added for a data row is at once citable in the book, and the bibliography can never cite
a key the data package does not know. Run `python -m sirkbok.book.bibtex [FILE]` to write the .bib file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sirkbok.core import context
from sirkbok.core import format as fmt
from sirkbok.core.files import write_if_changed
from sirkbok.datapackage import load as data

LATEX_SPECIAL = re.compile(r"([&%$#_])")
ENTRY_KEY = re.compile(r"^@\w+\s*\{\s*([^,\s]+)\s*,", re.M)  # `@book{key,` -> key
FIELD_WIDTH = 12


def _escape(text: str) -> str:
    """Escape the characters BibTeX/LaTeX would otherwise treat as markup (not in URLs)."""
    return LATEX_SPECIAL.sub(r"\\\1", text)


def _field(name: str, value: str) -> str:
    return f"  {name:<{FIELD_WIDTH}} = {{{value}}}"


def _read(value: object) -> str:
    """When the source was read, as the list of sources says it: «Lest 7. desember 2026», or
    «Lest senest 26. november 2026» where only the day it entered the book is known."""
    from datetime import date

    text = str(value)
    bound = text.startswith("senest ")
    try:
        when = fmt.date(date.fromisoformat(text.removeprefix("senest ")))
    except ValueError:
        return "Lesedato ikke registrert"
    return f"Lest senest {when}" if bound else f"Lest {when}"


def bibtex() -> str:
    """The bibliography text for every row of kilder.csv, in table order."""

    kilder = data.load("kilder").astype(object).where(lambda f: f.notna(), None)
    entries = [
        "% Generert fra data/kilder.csv med sirkbok.book.bibtex.write_bibtex. Ikke rediger "
        "for hånd:\n% endre data/kilder.csv og generer på nytt.\n"
    ]
    for row in kilder.to_dict("records"):
        fields = []
        if row["forfatter"]:
            fields.append(_field("author", _escape(row["forfatter"])))
        elif row["utgiver"]:
            fields.append(_field("author", "{" + _escape(row["utgiver"]) + "}"))
        fields.append(_field("title", "{" + _escape(row["tittel"]) + "}"))
        for column, name in (("tidsskrift", "journal"), ("volum", "volume")):
            if row[column]:
                fields.append(_field(name, _escape(row[column])))
        # Pages of an article; for other sources where in them (table, number), shown in the note.
        if row["sider"] and row["type"] == "article":
            fields.append(_field("pages", _escape(row["sider"])))
        if row["aar"] is not None:
            fields.append(_field("year", str(int(row["aar"]))))
        if row["forlag"]:
            fields.append(_field("publisher", _escape(row["forlag"])))
        if row["url"]:
            fields.append(_field("url", row["url"]))
        note = _escape(row["merknad"] or "")
        if row["sider"] and row["type"] != "article":
            where = f"Sted i kilden: {_escape(row['sider'])}"
            note = f"{where}. {note}" if note else where
        read = _read(row.get("lest"))
        note = f"{note}. {read}" if note else read
        if row["kildegrad"]:
            note = (
                f"{note}. Kildegrad: {row['kildegrad']}"
                if note
                else f"Kildegrad: {row['kildegrad']}"
            )
        if note:
            fields.append(_field("note", note))
        entries.append(f"@{row['type']}{{{row['id']},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(entries)


def keys(root: Path) -> set[str]:
    """The citation keys `references.bib` defines in the book at `root` (none without the file)."""
    bib = root / "references.bib"
    return set(ENTRY_KEY.findall(bib.read_text(encoding="utf-8"))) if bib.is_file() else set()


def write_bibtex(path: Path | str | None = None) -> Path:
    """Write the generated bibliography (default: references.bib in the book root) atomically."""

    target = Path(path) if path else context.current().root / "references.bib"
    write_if_changed(target, bibtex())
    return target


if __name__ == "__main__":
    print(f"Skrev {write_bibtex(sys.argv[1] if len(sys.argv) > 1 else None)}")
