"""sirkbok: verktøy for kunnskapsbasen om sirkulær verdiskaping (data, figurer, regenerering)."""

__version__ = "0.1.0"
