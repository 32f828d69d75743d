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
    # figure tables (the themes' figures.py): a unit in brackets, the year where the values are per year
    "spenn_gwh": "Spenn (GWh/år)",
    "tonn_per_aar_estimat": "Tonn per år (estimat)",
    "klimagevinst_lav_t_co2e": "Klimagevinst, lav (tonn CO₂e per år)",
    "klimagevinst_hoy_t_co2e": "Klimagevinst, høy (tonn CO₂e per år)",
    "klimagevinst_t_co2": "Klimagevinst (tonn CO₂ per år)",
    "ombrukbart_t_per_aar": "Ombrukbart (tonn per år)",
    "tonn_holdt_unna_avfall": "Holdt unna avfall (tonn per år)",
}
_SNAKE = re.compile(r"^[a-zæøå0-9]+(?:_[a-zæøå0-9]+)+$")
# Units at the end of a column name, longest first, as a reader's unit in brackets:
# `ombrukbart_t_per_aar` -> «Ombrukbart (tonn per år)», `spenn_gwh` -> «Spenn (GWh)».
UNIT_SUFFIXES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("t", "co2e", "per", "aar"), "tonn CO₂e per år"),
    (("t", "co2", "per", "aar"), "tonn CO₂ per år"),
    (("t", "per", "aar"), "tonn per år"),
    (("tonn", "per", "aar"), "tonn per år"),
    (("gwh", "per", "aar"), "GWh per år"),
    (("t", "co2e"), "tonn CO₂e"),
    (("t", "co2"), "tonn CO₂"),
    (("gwh",), "GWh"),
    (("mwh",), "MWh"),
    (("kwh",), "kWh"),
    (("nm3",), "Nm³"),
    (("m3",), "m³"),
    (("kg",), "kg"),
    (("t",), "tonn"),
    (("l",), "liter"),
)
# Words that identifiers spell without æ, ø and å.
SPELLED: dict[str, str] = {
    "aar": "år",
    "hoy": "høy",
    "unngatt": "unngått",
    "aktor": "aktør",
    "aktorer": "aktører",
    "maal": "mål",
    "naering": "næring",
    "folsomhet": "følsomhet",
    "gjodsel": "gjødsel",
}


def column_title(name: str) -> str:
    """A reader's title for a column: the known title, else the name's words with a capital and its
    unit in brackets (`spenn_gwh` -> «Spenn (GWh)»); other names are left as they are."""
    if name in COLUMN_TITLES:
        return COLUMN_TITLES[name]
    if not (name and name[0].islower() and (_SNAKE.match(name) or name.isalpha())):
        return name
    words = name.split("_")
    unit = ""
    for suffix, shown in UNIT_SUFFIXES:
        if len(words) > len(suffix) and tuple(words[-len(suffix) :]) == suffix:
            words, unit = words[: -len(suffix)], f" ({shown})"
            break
    text = " ".join(SPELLED.get(word, word) for word in words)
    return text[0].upper() + text[1:] + unit
