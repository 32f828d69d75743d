"""One way to read YAML (parameters, scenarios, front matter, `_toc.yml`, `_config.yml`,
CITATION.cff): aliases are refused, and a file of the wrong shape is named in Norwegian.

A YAML alias (`*name`) repeats a node without copying it, so a few hundred bytes of nested aliases
("billion laughs") expand to gigabytes. None of the book's YAML needs aliases, so the loaders here
refuse the first one with its line instead of expanding it; files over `MAX_BYTES` are refused too.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.nodes import Node
from yaml.parser import Parser

from sirkbok.core.errors import Problem, UserError

MAX_BYTES = 1_000_000  # parameters, scenarios, front matter, configuration and citation are small


class AliasRefused(ComposerError):
    """An alias in a file we read: a YAMLError with the alias's position, in Norwegian."""


class _NoAliases(Parser, Composer):
    """Mixed in before a loader's own Parser and Composer, so its compose_node runs first."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise AliasRefused(
                None,
                None,
                f"YAML-aliaser («*{event.anchor}») er ikke tillatt; skriv verdien ut i stedet",
                event.start_mark,
            )
        return super().compose_node(parent, index)


class SafeLoader(_NoAliases, yaml.SafeLoader):
    """yaml.SafeLoader without aliases (typed values: numbers, booleans, dates)."""


class PlainLoader(_NoAliases, yaml.BaseLoader):
    """yaml.BaseLoader without aliases: every scalar stays a string (front matter)."""


def _sized(text: str, file: str) -> str:
    if len(text) > MAX_BYTES:
        raise UserError(
            Problem(
                file=file,
                message="YAML-fila er for stor.",
                found=f"{len(text)} tegn",
                expected=f"høyst {MAX_BYTES} tegn",
            )
        )
    return text


INVALID = "Fila er ikke gyldig YAML"


def problem(error: yaml.YAMLError, file: str, line_offset: int = 0, what: str = INVALID) -> Problem:
    """A YAML error as a Problem with the line it points at (`line_offset` for embedded YAML)."""
    mark = getattr(error, "problem_mark", None)
    return Problem(
        file=file,
        line=mark.line + 1 + line_offset if mark is not None else None,
        message=f"{what}: {getattr(error, 'problem', None) or error}.".replace("..", "."),
    )


def load(
    text: str, file: str, plain: bool = False, line_offset: int = 0, what: str = INVALID
) -> Any:
    """The YAML document in `text`; a syntax error or an alias is a UserError naming file and line
    (`line_offset` and `what` for YAML inside another file, like a chapter's front matter)."""
    try:
        return yaml.load(_sized(text, file), Loader=PlainLoader if plain else SafeLoader)  # noqa: S506 - safe subclasses
    except yaml.YAMLError as error:
        raise UserError(problem(error, file, line_offset, what)) from None


def compose(text: str, file: str) -> yaml.Node | None:
    """The node tree (with line numbers) of `text`, aliases refused."""
    try:
        return yaml.compose(_sized(text, file), Loader=SafeLoader)  # noqa: S506 - safe subclass
    except yaml.YAMLError as error:
        raise UserError(problem(error, file)) from None


def wrong_shape(file: str, what: str, value: object, expected: str) -> UserError:
    """A value of the wrong kind (a list where a mapping belongs), named in Norwegian."""
    kinds = {
        list: "en liste",
        dict: "«nøkkel: verdi»-linjer",
        str: "en tekst",
        type(None): "ingenting",
    }
    return UserError(
        Problem(
            file=file,
            message=f"{what} har feil form.",
            found=kinds.get(type(value), f"en verdi ({value})"),
            expected=expected,
        )
    )


def mapping(text: str, file: str) -> dict[str, Any]:
    """A YAML file whose top level must be «key: value» lines (configuration, citation, toc)."""
    content = load(text, file)
    if not isinstance(content, dict):
        raise wrong_shape(file, "Fila", content, "«nøkkel: verdi»-linjer øverst i fila")
    return content
