"""The book's shared words: value statuses with their colours, and readers' titles for data columns.

One home, low in the layers, so the data package's checks, the theme calculations, the charts and the
reader tables all say «målt», «estimat» and «mangler» the same way and paint them the same colour.
"""

from __future__ import annotations

import re

MEASURED = "målt"
SELF_REPORTED = "egenoppgitt"  # stated by the actor about itself
ESTIMATE = "estimat"
MISSING = "mangler"
# Ordered from most to least certain: a combination of values is as certain as its weakest part.
STATUSES: tuple[str, ...] = (MEASURED, SELF_REPORTED, ESTIMATE, MISSING)
# Colours pass 3:1 against white (WCAG 1.4.11) and stay apart for common colour-vision deficiencies.
STATUS_COLOURS: dict[str, str] = {
    MEASURED: "#1f5f99",
    SELF_REPORTED: "#1b6b6b",
    ESTIMATE: "#9170c4",
    MISSING: "#909090",
}

# Readers' titles, with units, for the column names the data package and the theme modules use.
COLUMN_TITLES: dict[str, str] = {
    "aar": "År",
    "aktor": "Aktør",
    "aktorer": "Aktører",
    "andel_mangler": "Andel som mangler",
    "anlegg": "Anlegg",
    "co2e_t": "Unngått (t CO₂e/år)",
    "diesel_l": "Dieselekvivalenter (L/år)",
    "energi_gwh": "Energi (GWh/år)",
    "enhet": "Enhet",
    "egenoppgitt": "Egenoppgitt",
    "estimat": "Estimat",
    "folketall": "Folketall",
    "fylles_fra": "Fylles fra",
    "gjodseltype": "Gjødseltype",
    "gruppe": "Gruppe",
    "gwh_basis": "Utgangspunkt (GWh/år)",
    "gwh_hoy": "Høy verdi gir (GWh/år)",
    "gwh_lav": "Lav verdi gir (GWh/år)",
    "hoy_verdi": "Høy verdi",
    "i_alt": "I alt",
    "inndata_navn": "Forutsetning",
    "kilde": "Kilde",
    "kjent": "Kjent mengde",
    "kommune": "Kommune",
    "kommunenummer": "Kommunenummer",
    "lav_verdi": "Lav verdi",
    "leder": "Rolle",
    "maal": "Størrelse",
    "mangler": "Mangler",
    "matavfall_t": "Matavfall (t/år)",
    "mengde": "Mengde",
    "merknad": "Merknad",
    "metan_m3": "Metan (m³/år)",
    "metan_nm3": "Metan (Nm³/år)",
    "målt": "Målt",
    "navn": "Navn",
    "region": "Region",
    "ressurs": "Ressurs",
    "rolle": "Rolle",
    "status": "Status",
    "tema": "Tema",
    "tonn": "Tonn per år",
    "verdi": "Verdi",
    "verdi_t": "Tonn per år",
}
_SNAKE = re.compile(r"^[a-zæøå0-9]+(?:_[a-zæøå0-9]+)+$")


def column_title(name: str) -> str:
    """A reader's title for a column: the known title, else the name with spaces and a capital."""
    if name in COLUMN_TITLES:
        return COLUMN_TITLES[name]
    if name and name[0].islower() and (_SNAKE.match(name) or name.isalpha()):
        text = name.replace("_", " ")
        return text[0].upper() + text[1:]
    return name
