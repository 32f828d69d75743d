"""Every theme's parameters: defaults inside their range, and each default sourced or reasoned."""

from __future__ import annotations

import pytest
from sirkbok import params


@pytest.mark.parametrize("theme", params.themes())
def test_every_parameter_default_is_inside_its_range(theme: str) -> None:
    for parameter in params.specs(theme):
        assert parameter.minimum <= parameter.default() <= parameter.maximum, parameter.name
        assert parameter.factor is not None or parameter.reason, parameter.name


def test_out_of_range_values_are_refused_with_the_parameter_named() -> None:
    from sirkbok.errors import UserError

    name = params.specs("biogass")[0].name
    with pytest.raises(UserError, match=f"«{name}» er utenfor tillatt område"):
        params.check("biogass", {name: -1e9})
