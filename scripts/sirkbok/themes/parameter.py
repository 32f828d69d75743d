"""One parameter of a theme: what it means, its unit, allowed range and where its default comes from.

Each theme's `PARAMETERS` is a list of these. A default is either a factor of the data package (so the
source travels with it) or, where nothing is published, a stated assumption with its reason. This
module imports no theme, so every theme can import it (`parameters` looks the lists up by theme).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sirkbok.datapackage import load as data


@dataclass(frozen=True)
class Parameter:
    """One assumption of an analysis, documented for readers and for `sirkbok params`."""

    name: str
    description: str
    unit: str
    minimum: float
    maximum: float
    factor: str | None = None
    assumption: float | None = None
    reason: str | None = None
    # How running text cites the default when it has no factor of its own.
    uncited: ClassVar[str] = "(antakelse, se «Forutsetninger og kilder»)"

    def default(self) -> float:
        if self.factor is not None:
            value = data.factor(self.factor).value
            if value is None:
                raise ValueError(
                    f"Faktoren {self.factor} for {self.name} har ingen verdi (mangler)."
                )
            return float(value)
        if self.assumption is None:
            raise ValueError(f"Parameteren {self.name} mangler både faktor og antatt verdi.")
        return float(self.assumption)

    def source(self) -> str:
        """Where the default comes from: the factor and its source, or the stated assumption."""
        if self.factor is not None:
            factor = data.factor(self.factor)
            return f"faktor {factor.id} ({factor.source}, kildegrad {factor.grade})"
        return f"antakelse. {self.reason}"
