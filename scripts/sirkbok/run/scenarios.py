"""The researcher's parameter values: from -p, a parameter file and a scenarios file, checked
before anything runs.

Every value keeps where it came from (file and line, or the -p option), so a refused value is
named where the researcher wrote it. All problems are collected, not just the first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sirkbok.core import safeyaml
from sirkbok.core.errors import Problem, UserError
from sirkbok.run.execute import FIGURES
from sirkbok.themes import parameters as params

# A scenario becomes a folder name: a plain slug, never `.`, `..`, a path or a hidden name.
SCENARIO_NAME = re.compile(r"[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_-]{0,63}")


@dataclass
class Values:
    """Raw values with where each came from (file and line), for messages that point at them."""

    raw: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, tuple[str, int | None]] = field(default_factory=dict)

    def set(self, name: str, value: Any, origin: str, line: int | None = None) -> None:
        self.raw[name] = value
        self.origin[name] = (origin, line)

    def merged(self, other: Values) -> Values:
        return Values({**self.raw, **other.raw}, {**self.origin, **other.origin})


def read_yaml(path: Path) -> tuple[Any, dict[tuple[str, ...], int]]:
    """The file's content and the line of every mapping key (by its path of keys)."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(Problem(file=shown, message="Fila finnes ikke.")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(Problem(file=shown, message=f"Fila kan ikke leses ({error}).")) from None
    content = safeyaml.load(text, shown)
    node = safeyaml.compose(text, shown)
    lines: dict[tuple[str, ...], int] = {}

    def walk(current: Any, keys: tuple[str, ...]) -> None:
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                lines[(*keys, str(key.value))] = key.start_mark.line + 1
                walk(value, (*keys, str(key.value)))

    walk(node, ())
    return content, lines


def values_from_mapping(
    content: Any, origin: str, lines: dict[tuple[str, ...], int], keys: tuple[str, ...] = ()
) -> Values:
    if content is None:
        return Values()
    if not isinstance(content, Mapping):
        raise UserError(
            Problem(
                file=origin,
                line=lines.get(keys),
                message="Forventet navn og verdi, én parameter per linje.",
                found=type(content).__name__,
                expected="for eksempel «utsorteringsfaktor: 0.5»",
            )
        )
    values = Values()
    for name, value in content.items():
        values.set(str(name), value, origin, lines.get((*keys, str(name))))
    return values


def scenarios_from_file(path: Path) -> tuple[dict[str, Values], list[Problem]]:
    """`{scenarios: {name: {param: value}}}` or just `{name: {param: value}}`."""
    content, lines = read_yaml(path)
    keys: tuple[str, ...] = ()
    if isinstance(content, Mapping) and set(content) == {"scenarios"}:
        content, keys = content["scenarios"], ("scenarios",)
    shown = str(path)
    if not isinstance(content, Mapping) or not content:
        raise UserError(
            Problem(
                file=shown,
                message="Fant ingen scenarioer.",
                expected="«scenarios:» med ett navngitt parametersett per scenario",
            )
        )
    scenarios: dict[str, Values] = {}
    problems = []
    for name, values in content.items():
        name = str(name)
        line = lines.get((*keys, name))
        if not SCENARIO_NAME.fullmatch(name) or name == FIGURES:
            problems.append(
                Problem(
                    file=shown,
                    line=line,
                    message=f"Scenarionavnet «{name}» kan ikke brukes som mappenavn.",
                    expected="bokstaver, tall, - og _ (ikke «figurer»)",
                )
            )
            continue
        try:
            scenarios[name] = values_from_mapping(values, shown, lines, (*keys, name))
        except UserError as error:
            problems.extend(error.problems)
    return scenarios, problems


def checked(
    theme: str, values: Values, context: str = ""
) -> tuple[dict[str, float], list[Problem]]:
    """The values as numbers, or every problem: unknown names (with the known ones) and
    values out of range (with the allowed range), each pointing at where it was given."""
    known = [p.name for p in params.specs(theme)]
    result: dict[str, float] = {}
    problems: list[Problem] = []
    for name, raw in values.raw.items():
        origin, line = values.origin[name]
        if params.unknown(theme, [name]):
            problems.append(
                Problem(
                    file=origin,
                    line=line,
                    message=f"{context}Ukjent parameter for temaet {theme}.",
                    found=name,
                    expected="en av " + ", ".join(known),
                )
            )
            continue
        try:
            # YAML reads «ja»/«yes» as True, which float() would quietly take as 1
            result.update(
                params.check(theme, {name: str(raw) if isinstance(raw, bool) else raw}, origin)
            )
        except UserError as error:
            problems.extend(
                replace(p, line=line, message=context + p.message) for p in error.problems
            )
    return result, problems


def parameter_sets(
    theme: str,
    file: Path | None,
    options: list[tuple[str, str]],
    scenarios: Path | None,
) -> tuple[dict[str, dict[str, float]], list[Problem]]:
    """The checked values of each run: one set named "" without `scenarios`, else one per
    scenario, each with the file's values and then the -p options (`options`) under its own."""
    base = Values()
    problems: list[Problem] = []
    if file is not None:
        content, lines = read_yaml(file)
        try:
            base = values_from_mapping(content, str(file), lines)
        except UserError as error:
            problems.extend(error.problems)
    for name, value in options:
        base.set(name, value, f"-p {name}")
    sets: dict[str, Values] = {"": base}
    if scenarios is not None:
        sets, found = scenarios_from_file(scenarios)
        problems.extend(found)
        sets = {name: base.merged(values) for name, values in sets.items()}
    checked_sets: dict[str, dict[str, float]] = {}
    for name, raw in sets.items():
        checked_sets[name], found = checked(theme, raw, f"Scenario «{name}»: " if name else "")
        problems.extend(found)
    return checked_sets, problems
