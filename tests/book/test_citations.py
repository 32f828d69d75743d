"""pybtex's LaTeX decoding, done once per string (sirkbok.book.citations), reads as before."""

from __future__ import annotations

import codecs

import latexcodec  # noqa: F401  # the "ulatex" codec
from pybtex.markup import LaTeXParser
from pybtex.richtext import Text
from sirkbok.book import citations

SAMPLES = [
    r"Sch{\"o}n",
    r"{\AA}sheim og {\O}stre Toten",
    "Hole kommune",
    r"\emph{Tekstil} -- 2024",
    "",
]


def test_decoding_each_string_once_gives_the_same_text() -> None:
    decoded = [codecs.decode(s, "ulatex") for s in SAMPLES]  # type: ignore[call-overload]  # str codec
    expected = [LaTeXParser(d).parse() for d in decoded]  # what pybtex's own from_latex makes
    citations.decode_latex_once()
    citations.decode_latex_once()  # idempotent: patched once
    assert getattr(Text.from_latex, "sirkbok_once", False)
    for _ in range(2):  # decoded, then from the cache
        assert [Text.from_latex(s) for s in SAMPLES] == expected
    assert str(Text.from_latex(SAMPLES[1])) == "Åsheim og Østre Toten"
