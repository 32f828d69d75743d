"""A GitHub `issues` event as untrusted text: which form it came from and the value of each field.

GitHub writes an issue-form submission as `### <label>` followed by the value, `_No response_` when
a field was left empty. The labels are read from the form files in the book's own checkout
(`.github/ISSUE_TEMPLATE/`), so the ids here are the ones the links pre-fill. Every value is
screened before anything else looks at it: bounded length, no control or direction characters, no
markup, no shell syntax, no file references (`screen`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sirkbok.book import forms
from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError
from sirkbok.core.format import markup

MAX_EVENT_BYTES = 1_000_000
NO_RESPONSE = "_No response_"
SHORT = 300  # an input field
LONG = {"tekst": 30_000, "kilder": 3_000, "merknad": 1_000}  # textareas
# Characters a shell, a template or a path would read: refused in every field but the chapter text.
SHELL = re.compile(r"[`$;|&<>\\{}]|\.\./|~/|^\s*/|file:|\$\(", re.IGNORECASE | re.MULTILINE)
URL_SHELL = re.compile(r"[`$;|<>\\{}\s]|\.\./|\$\(")  # an address may hold & and ~
# C0/C1 controls (tab and line breaks allowed in text areas) and the bidirectional controls.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Submission:
    number: int  # the number
    kind: str  # "tall" or "kapittel"
    fields: dict[str, str]  # field id -> value ("" when empty)


def read_event(path: Path) -> dict[str, Any]:
    """The event payload; too large or not JSON is a UserError naming the file."""
    raw = path.read_bytes()
    if len(raw) > MAX_EVENT_BYTES:
        raise UserError(
            Problem(file=str(path), message="Hendelsen er for stor.", found=str(len(raw)))
        )
    try:
        event = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(Problem(file=str(path), message=f"Ikke gyldig JSON: {error}.")) from None
    if not isinstance(event, dict) or not isinstance(event.get("issue"), dict):
        raise UserError(Problem(file=str(path), message="Hendelsen har ingen sak («issue»)."))
    return event


def _labels(root: Path, form: str) -> dict[str, str]:
    """Label -> field id of one issue form in the book at `root`."""
    path = root / forms.FOLDER / form
    body = safeyaml.load(path.read_text(encoding="utf-8"), str(path))["body"]
    return {item["attributes"]["label"]: item["id"] for item in body if "id" in item}


def kind_of(event: dict[str, Any]) -> str | None:
    """Which form the issue came from, by its label (the workflow runs only for these)."""
    names = {str(label.get("name", "")) for label in event["issue"].get("labels") or []}
    if forms.NUMBER_LABEL in names:
        return "tall"
    if forms.CHAPTER_LABEL in names:
        return "kapittel"
    return None


def parse(root: Path, event: dict[str, Any]) -> Submission | None:
    """The submission in `event`, or None when the issue is not one of the two forms."""
    kind = kind_of(event)
    if kind is None:
        return None
    number = event["issue"].get("number")
    if not isinstance(number, int) or number <= 0:
        raise UserError("Hendelsen har ikke et gyldig saksnummer.")
    labels = _labels(root, forms.NUMBER_FORM if kind == "tall" else forms.CHAPTER_FORM)
    fields = dict.fromkeys(labels.values(), "")
    current: str | None = None
    lines: list[str] = []

    def keep() -> None:
        if current is not None:
            value = "\n".join(lines).strip()
            fields[current] = "" if value == NO_RESPONSE else value

    body = str(event["issue"].get("body") or "")
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = re.fullmatch(r"### (.+?)\s*", line)
        if heading and heading[1] in labels:
            keep()
            current, lines = labels[heading[1]], []
        elif current is not None:
            lines.append(line)
    keep()
    return Submission(number=number, kind=kind, fields=fields)


def screen(submission: Submission, labels: dict[str, str]) -> list[Problem]:
    """What in the submission cannot be accepted as text, one problem per field (`labels`: id ->
    the label the contributor saw). The chapter text is Markdown, checked by `sirkbok check`."""
    problems = []
    for key, value in submission.fields.items():
        label = labels.get(key, key)
        limit = LONG.get(key, SHORT)
        found = None
        if len(value) > limit:
            message, found = f"Feltet er for langt (høyst {limit} tegn).", f"{len(value)} tegn"
        elif CONTROL.search(value) or (key not in LONG and "\n" in value):
            message = "Feltet har usynlige styretegn eller linjeskift; skriv det på én linje."
        elif key != "tekst" and (hit := markup(value.replace("\n", " "))):
            message, found = "Feltet har formatering eller kode; skriv bare vanlig tekst.", hit
        elif key != "tekst" and (
            shell := (URL_SHELL if key == "kilde_url" else SHELL).search(value)
        ):
            message = "Feltet har tegn som kan leses som en kommando eller en filsti; skriv bare "
            message += "vanlig tekst."
            found = shell[0]
        else:
            continue
        problems.append(Problem(file="", column=label, message=message, found=found))
    return problems


def field_labels(root: Path, kind: str) -> dict[str, str]:
    """Field id -> the label the contributor saw."""
    form = forms.NUMBER_FORM if kind == "tall" else forms.CHAPTER_FORM
    return {id_: label for label, id_ in _labels(root, form).items()}
