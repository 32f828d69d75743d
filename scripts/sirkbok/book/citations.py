"""Norwegian citation forms for sphinxcontrib-bibtex: «mfl.» and «og» between authors, «u.å.» without year.

Two pybtex plugins, registered when the Sphinx extension loads: the referencing style `author_year_nb`
for citations in the text (`bibtex_reference_style`) and the formatting style `nb` for the list of
sources (`bibtex_default_style`). Both keep the libraries' layout and change only the words.
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass, field
from typing import Any

import latexcodec  # noqa: F401  # registers the "ulatex" codec
import pybtex.plugin
from pybtex.markup import LaTeXParser
from pybtex.richtext import Text
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.template import field as bib_field
from pybtex.style.template import first_of, join, node, optional, sentence, tag
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import join2, post_text, pre_text, reference
from sphinxcontrib.bibtex.style.template import names as template_names

NO_YEAR = "u.å."  # «uten år»
OTHERS = "mfl."  # «med flere»
REFERENCE_STYLE = "author_year_nb"
FORMAT_STYLE = "nb"


@node
def year_nb(children: list[Any], data: dict[str, Any]) -> Any:
    """The year of a source, or «u.å.» when it has none."""
    assert not children
    return first_of[optional[bib_field("year")], NO_YEAR].format_data(data)


@node
def _cited_names(children: list[Any], data: dict[str, Any], role: str, **kwargs: Any) -> Any:
    """The library's `names`, except that an entry ending in «and others» reads «Laitala mfl.»
    (the library would join «others» as a second name: «Laitala og others»)."""
    assert not children
    persons = data["entry"].persons.get(role)
    if not persons or str(persons[-1]) != "others":
        return template_names(role=role, **kwargs).format_data(data)
    person = data["style"].person
    shown = [person.style_plugin.format(p, person.abbreviate) for p in persons[:-1]]
    joined = join(sep=kwargs["sep"], sep2=kwargs["sep2"], last_sep=kwargs["last_sep"])[shown]
    return Text(joined.format_data(data), " ", OTHERS)


@dataclass
class _NorwegianPerson(PersonStyle):
    """Persons as the text cites them: «og» between two, «mfl.» for more or for «and others»."""

    def _words(self, full: bool) -> dict[str, Any]:
        return {
            "sep": self.sep,
            "sep2": self.sep2,
            "last_sep": self.last_sep,
            "other": None if full else self.other,
        }

    def names(self, role: str, full: bool) -> Any:
        return _cited_names(role=role, **self._words(full))

    def author_or_editor_or_title(self, full: bool) -> Any:
        return first_of[
            optional[_cited_names(role="author", **self._words(full))],
            optional[_cited_names(role="editor", **self._words(full))],
            tag("em")[bib_field("title")],
        ]


def _person() -> PersonStyle:
    return _NorwegianPerson(sep2=" og ", last_sep=" og ", other=Text(" ", OTHERS))


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name: str) -> Any:
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[
                join(sep=self.author_year_sep)[
                    self.person.author_or_editor_or_title(full="s" in role_name), year_nb
                ]
            ],
            post_text,
        ]


@dataclass
class NorwegianAuthorYear(AuthorYearReferenceStyle):
    """`{cite}` as «(Laitala mfl., 2012)», «(Hole kommune, u.å.)»."""

    person: PersonStyle = field(default_factory=_person)

    def __post_init__(self) -> None:
        super().__post_init__()
        parenthetical = _Parenthetical(
            bracket=self.bracket_parenthetical,
            person=self.person,
            author_year_sep=self.author_year_sep,
            pre_text_sep=self.pre_text_sep,
            post_text_sep=self.post_text_sep,
        )
        self.role_style.update((name, parenthetical) for name in parenthetical.role_names())


@node
def _names_nb(children: list[Any], context: dict[str, Any], role: str) -> Any:
    """Authors joined with «og»; a trailing «others» in the BibTeX entry reads «mfl.»."""
    assert not children
    persons = context["entry"].persons[role]
    style = context["style"]
    others = bool(persons) and str(persons[-1]) == "others"
    shown = [
        style.format_name(p, style.abbreviate_names) for p in persons[: -1 if others else None]
    ]
    joined = join(sep=", ", sep2=" og ", last_sep=" og ")[shown].format_data(context)
    return Text(joined, " ", OTHERS) if others else joined


class NorwegianStyle(AlphaStyle):
    """The list of sources: pybtex's alpha style with Norwegian joining words."""

    def format_names(self, role: str, as_sentence: bool = True) -> Any:
        formatted = _names_nb(role=role)
        return sentence[formatted] if as_sentence else formatted


def register() -> None:
    """Make both styles known to sphinxcontrib-bibtex and pybtex (idempotent)."""
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, NorwegianAuthorYear, force=True
    )
    pybtex.plugin.register_plugin(
        "pybtex.style.formatting", FORMAT_STYLE, NorwegianStyle, force=True
    )


# Domain data (pickled with Sphinx's environment): what each bibliography was last formatted with.
_FORMATTED_WITH = "sirkbok_formatted_with"


def reuse_formatted_entries() -> None:
    """Give a bibliography its formatted entries from the last build when nothing about it changed.

    sphinxcontrib-bibtex formats every reference again in every build (about half a second here, most
    of an incremental build's reading time), though the last build's formatted entries are in the
    saved environment. A bibliography whose entries (keys, order and content) and settings (style,
    prefixes, tooltips) equal the last build's gets those back; any difference formats it afresh.
    The incremental build only ever builds on a build without warnings, so no formatting warning
    is skipped.
    """
    from sphinxcontrib.bibtex.domain import BibtexDomain

    if getattr(BibtexDomain.get_formatted_entries, "sirkbok_reuse", False):
        return
    format_afresh = BibtexDomain.get_formatted_entries
    update = BibtexDomain.env_updated
    previous: dict[int, dict[Any, list[Any]]] = {}  # per domain object, during env_updated only

    def env_updated(self: Any) -> Any:
        kept: dict[Any, list[Any]] = {}
        for citation in self.citations:  # the last build's, before env_updated clears them
            kept.setdefault(citation.bibliography_key, []).append(citation)
        previous[id(self)] = kept
        try:
            return update(self)
        finally:
            previous.pop(id(self), None)

    def get_formatted_entries(
        self: Any, bibliography_key: Any, docnames: list[str], tooltips: bool, tooltips_style: str
    ) -> Any:
        bibliography = self.bibliographies[bibliography_key]
        settings = [
            bibliography.style,
            bibliography.labelprefix,
            bibliography.keyprefix,
            bool(tooltips),
            tooltips_style,
        ]
        records = self.data.setdefault(_FORMATTED_WITH, {})
        last = previous.get(id(self), {}).get(bibliography_key, [])
        entries = dict(self.get_sorted_entries(bibliography_key, docnames))
        if last and records.get(bibliography_key) == settings:
            style = pybtex.plugin.find_plugin("pybtex.style.formatting", bibliography.style)()
            ordered = list(style.sort(entries.values()))
            if len(ordered) == len(last) and all(
                new.key == old.entry.key and new == old.entry
                for new, old in zip(ordered, last, strict=True)
            ):
                return [
                    (new, old.formatted_entry, old.tooltip_entry)
                    for new, old in zip(ordered, last, strict=True)
                ]
        records[bibliography_key] = settings
        return list(format_afresh(self, bibliography_key, docnames, tooltips, tooltips_style))

    get_formatted_entries.sirkbok_reuse = True  # type: ignore[attr-defined]  # marks the patch as applied
    BibtexDomain.env_updated = env_updated  # type: ignore[method-assign]  # see the docstring
    BibtexDomain.get_formatted_entries = get_formatted_entries  # type: ignore[method-assign]  # see the docstring


@functools.cache
def _decoded(latex: str) -> str:
    text: str = codecs.decode(latex, "ulatex")  # type: ignore[call-overload]  # str to str codec
    return text


def decode_latex_once() -> None:
    """Decode each BibTeX string's LaTeX once per process (idempotent).

    pybtex decodes a field or a name part (`Text.from_latex`) each time a style reads it: every
    reference in the text and the list of sources read the same entries, about 1700 decodings of
    at most a few hundred strings in a full build, each near a millisecond of latexcodec. The
    decoding is a function of the string alone; what pybtex makes of the result is unchanged.
    """
    if getattr(Text.from_latex, "sirkbok_once", False):
        return

    def from_latex(cls: type[Text], latex: str) -> Text:
        return LaTeXParser(_decoded(latex)).parse()

    from_latex.sirkbok_once = True  # type: ignore[attr-defined]  # marks the patch as applied
    Text.from_latex = classmethod(from_latex)  # see the docstring
