"""Every theme's parameters: defaults inside their range, and each default sourced or reasoned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sirkbok.themes import parameters as params


@pytest.mark.parametrize("theme", params.themes())
def test_every_parameter_default_is_inside_its_range(theme: str) -> None:
    for parameter in params.specs(theme):
        assert parameter.minimum <= parameter.default() <= parameter.maximum, parameter.name
        assert parameter.factor is not None or parameter.reason, parameter.name


def test_out_of_range_values_are_refused_with_the_parameter_named() -> None:
    from sirkbok.core.errors import UserError

    name = params.specs("biogass")[0].name
    with pytest.raises(UserError, match=f"«{name}» er utenfor tillatt område"):
        params.check("biogass", {name: -1e9})


REFUSED = {
    "bioenergi": ("grot_uttaksandel", 0.9),
    "biogass": ("utsorteringsfaktor", 5),
    "naeringsparker": ("naerhet", 3),
    "ombrukssentre": ("mobelandel", 2),
    "oversikt": ("flis_densitet", 5000),
    "tekstiler": ("ombrukbar_andel", 1.5),
}


@pytest.mark.slow
@pytest.mark.parametrize("notebook", sorted(REFUSED))
def test_notebook_refuses_an_out_of_range_parameter(
    notebook: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """papermill stops the chapter at its check cell, with the parameter named in Norwegian."""
    import papermill
    import theme_runs

    name, value = REFUSED[notebook]
    monkeypatch.setenv("SIRKBOK_FIGURE_DIR", str(tmp_path / "figurer"))
    path = Path(__file__).resolve().parents[2] / "chapters" / "tema" / f"{notebook}.ipynb"
    with pytest.raises(papermill.PapermillExecutionError) as error:
        theme_runs.run(path, tmp_path, "ugyldig", **{name: value})
    assert f"«{name}» er utenfor tillatt område" in str(error.value)
