"""`reader.cite`: the book's one citation policy, for every page kind that cites the data package."""

from __future__ import annotations

import math

import pytest
from sirkbok.reader.cite import cite


def test_a_source_key_becomes_a_cite_role_after_a_space() -> None:
    assert cite("sak0926") == " {cite}`sak0926`"
    assert cite("ssb-klass131", known={"ssb-klass131"}) == " {cite}`ssb-klass131`"


@pytest.mark.parametrize(
    "key", [None, "", math.nan, "to ord", "x`} {doc}`y", "<script>", "a\nb", "sak0926`"]
)
def test_what_is_no_key_is_not_cited(key: object) -> None:
    assert cite(key) == ""


def test_a_key_the_bibliography_lacks_is_not_cited() -> None:
    assert cite("ukjent-kilde", known={"sak0926"}) == ""
