"""The descriptor checked before anything reads it: shape, standard, rule options, references.

data/datapackage.json is a contribution like any table. Every reader trusts its shape (resources is
a list, each has a schema with fields, a pattern compiles), so a descriptor that is `[]`, nested
100 000 levels deep or has an unknown field type used to end in «Uventet feil». Here it is checked
once, when it is read (`descriptor.descriptor`), in this order, and each step only when the one
before found nothing:

1. no deeper than MAX_DEPTH, and no hidden characters in any key or text;
2. `profiles/sirkbok.json`: what sirkbok reads, stricter than the standard;
3. `profiles/datapackage-1.0.json`: the Data Package profile (Frictionless, vendored unchanged);
4. what JSON Schema cannot say: keys and rules name real columns and tables, and every pattern
   compiles in RE2, the engine that matches it.

jsonschema (already in the environment through nbformat) does 2 and 3: a well-kept validator and
the standard's own profile, instead of our own reading of the standard. Its English messages are
turned into Norwegian ones naming the place in the file.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sirkbok.core.errors import HIDDEN, Problem
from sirkbok.datapackage import characters, options

PROFILES = Path(__file__).parent / "profiles"
MAX_DEPTH = 32  # the descriptor needs 8; deeper is a mistake or an attack on the JSON reader
MAX_SHOWN = 20  # schema problems listed (the first ones explain the rest)
_KINDS = {
    "object": "et objekt ({…})",
    "array": "en liste ([…])",
    "string": "en tekst",
    "number": "et tall",
    "integer": "et heltall",
    "boolean": "true eller false",
    "null": "null",
}


def _kind(value: Any) -> str:
    for name, types in (
        ("boolean", bool),
        ("object", dict),
        ("array", list),
        ("string", str),
        ("number", (int, float)),
    ):
        if isinstance(value, types):
            return _KINDS[name]
    return "null"


def where(data: Any, path: Any) -> str:
    """A place in the descriptor as `resources[1] «kommuner».schema.fields[0] «kommunenummer»`."""
    parts: list[str] = []
    node = data
    for key in path:
        node = node[key]
        if isinstance(key, int):
            name = node.get("name") if isinstance(node, dict) else None
            parts.append(f"{parts.pop() if parts else ''}[{key}]")
            if isinstance(name, str):
                parts[-1] += f" «{name}»"
        else:
            parts.append(str(key))
    return ".".join(parts)


def _walk(data: Any, label: str) -> list[Problem]:
    """Depth and hidden characters, without recursion (a deep descriptor must not crash this)."""
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    problems: list[Problem] = []
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [
                Problem(
                    file=label,
                    message="Beskrivelsen er nøstet for dypt.",
                    expected=f"høyst {MAX_DEPTH} nivåer med lister og objekter inni hverandre",
                )
            ]
        items: list[tuple[Any, Any]] = []
        if isinstance(node, dict):
            items = list(node.items())
            for key in node:
                if HIDDEN.search(key):
                    problems.append(_hidden(label, data, path, f"Nøkkelen «{key}»", key))
        elif isinstance(node, list):
            items = list(enumerate(node))
        elif isinstance(node, str) and HIDDEN.search(node):
            problems.append(_hidden(label, data, path, "Teksten", node))
        stack.extend((value, (*path, key), depth + 1) for key, value in reversed(items))
    return problems


def _hidden(label: str, data: Any, path: tuple, what: str, text: str) -> Problem:
    place = where(data, path)
    return Problem(
        file=label,
        message=f"{'I «' + place + '»: ' if place else ''}{what} inneholder "
        f"{characters.describe(text)}.",
        expected=characters.EXPECTED,
    )


@functools.cache
def _validator(name: str) -> Any:
    from jsonschema import Draft7Validator

    schema = json.loads((PROFILES / name).read_text(encoding="utf-8"))
    return Draft7Validator(schema)


def _schema_problems(data: Any, profile: str, label: str, standard: bool) -> list[Problem]:
    errors = sorted(_validator(profile).iter_errors(data), key=lambda e: list(map(str, e.path)))
    return [_translate(error, data, label, standard) for error in errors[:MAX_SHOWN]]


def _translate(error: Any, data: Any, label: str, standard: bool) -> Problem:
    """One jsonschema error as a Norwegian problem at its place in the file."""
    kind, value, schema = error.validator, error.validator_value, error.schema
    described = schema.get("description") if isinstance(schema, dict) and not standard else None
    found: str | None = None
    if kind == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        message, expected = f"Feltet «{missing[0] if missing else value[0]}» mangler.", described
    elif kind == "type":
        message, found = "Verdien har feil type.", _kind(error.instance)
        expected = " eller ".join(
            _KINDS.get(t, t) for t in ([value] if isinstance(value, str) else value)
        )
    elif kind == "enum":
        message, found = "Verdien er ikke tillatt.", str(error.instance)[:80]
        expected = described or "en av: " + ", ".join(map(str, value))
    elif kind == "pattern":
        message, found = "Verdien har feil form.", str(error.instance)[:80]
        expected = described or f"tekst etter mønsteret {value}"
    elif kind == "minItems":
        message, expected = "Lista er tom.", f"minst {value} element"
    elif kind in ("oneOf", "anyOf"):
        message = "Verdien passer ikke med noen av formene som er tillatt her."
        expected = described or (schema.get("title") if isinstance(schema, dict) else None)
    elif kind == "maxLength":
        message, expected = "Teksten er for lang.", f"høyst {value} tegn"
    else:
        message = f"Verdien følger ikke regelen «{kind}»."
        expected = described or (schema.get("title") if isinstance(schema, dict) else None)
    if standard:
        message += " (Data Package-standarden, versjon 1.0)"
    place = where(data, error.absolute_path)
    return Problem(
        file=label,
        message=f"I «{place}»: {message}" if place else f"Beskrivelsen: {message}",
        found=found,
        expected=expected,
    )


def _reference_problems(data: dict, label: str) -> list[Problem]:
    """Keys, foreign keys and rules name real columns and tables; patterns compile in RE2."""
    import re2

    resources = {entry["name"]: entry for entry in data["resources"]}
    problems: list[Problem] = []
    if len(resources) != len(data["resources"]):
        problems.append(Problem(file=label, message="To tabeller har samme navn (name)."))
    for index, resource in enumerate(data["resources"]):
        base = where(data, ["resources", index])
        schema = resource["schema"]
        columns = [field["name"] for field in schema["fields"]]
        if len(set(columns)) != len(columns):
            problems.append(
                Problem(file=label, message=f"I «{base}»: To felt har samme navn (name).")
            )
        keys = [("primaryKey", schema.get("primaryKey"), resource)]
        for number, key in enumerate(schema.get("foreignKeys", [])):
            target = resources.get(key["reference"]["resource"] or resource["name"])
            keys.append((f"foreignKeys[{number}]", key["fields"], resource))
            if target is None:
                problems.append(
                    Problem(
                        file=label,
                        message=f"I «{base}.schema.foreignKeys[{number}]»: Tabellen finnes ikke.",
                        found=key["reference"]["resource"],
                        expected="en av: " + ", ".join(resources),
                    )
                )
            else:
                keys.append(
                    (f"foreignKeys[{number}].reference", key["reference"]["fields"], target)
                )
        for name, names, owner in keys:
            known = {field["name"] for field in owner["schema"]["fields"]}
            for column in [names] if isinstance(names, str) else names or []:
                if column not in known:
                    problems.append(
                        Problem(
                            file=label,
                            message=f"I «{base}.schema.{name}»: Kolonnen finnes ikke.",
                            found=column,
                            expected="en av: " + ", ".join(sorted(known)),
                        )
                    )
        for number, field in enumerate(schema["fields"]):
            pattern = field.get("constraints", {}).get("pattern")
            try:
                if pattern is not None:
                    re2.compile(pattern)
            except re2.error:
                problems.append(
                    Problem(
                        file=label,
                        message=f"I «{base}.schema.fields[{number}] «{field['name']}»»: "
                        "Mønsteret kan ikke brukes.",
                        found=pattern,
                        expected="et regulært uttrykk uten tilbakereferanser og uten blikk "
                        "framover eller bakover (RE2)",
                    )
                )
        for number, check in enumerate(resource.get("checks", [])):
            place = f"{base}.checks[{number}]"
            problems += options.problems(check, resource, resources, place, label)
    return problems


def problems(data: Any, label: str) -> list[Problem]:
    """Everything wrong with a parsed descriptor, the first failing step's problems only."""
    for step in (
        lambda: _walk(data, label),
        lambda: _schema_problems(data, "sirkbok.json", label, standard=False),
        lambda: _schema_problems(data, "datapackage-1.0.json", label, standard=True),
        lambda: _reference_problems(data, label),
    ):
        found = step()
        if found:
            return found
    return []
