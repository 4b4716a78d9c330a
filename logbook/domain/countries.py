"""Countries: stored as ISO 3166-1 alpha-2, shown by short English name, found by name, alias or code."""

from __future__ import annotations

import unicodedata
from functools import cache

import pycountry

# Short English names where ISO's own name is the long or inverted form people don't write.
_SHORT_NAMES = {
    "BA": "Bosnia and Herzegovina",
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "FM": "Micronesia",
    "PS": "Palestine",
    "RU": "Russia",
    "VA": "Vatican City",
    "GB": "United Kingdom",
    "US": "United States",
    "CZ": "Czechia",
    "TR": "Turkey",
}

# Further spellings met in reports and trackers.
_ALIASES = {
    "BA": ["Bosnia & Herzegovina", "Bosnia"],
    "CD": ["Democratic Republic of the Congo", "Congo-Kinshasa", "DRC"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Ivory Coast", "Cote d'Ivoire"],
    "CZ": ["Czech Republic"],
    "GB": ["UK", "Great Britain", "Britain"],
    "KP": ["DPRK"],
    "MK": ["Macedonia"],
    "MM": ["Burma"],
    "PS": ["Palestinian Territories", "Palestinian Territory", "State of Palestine", "Gaza", "West Bank"],
    "RU": ["Russian Federation"],
    "SY": ["Syria"],
    "SZ": ["Swaziland"],
    "TR": ["Türkiye", "Turkiye"],
    "US": ["USA", "U.S.", "U.S.A.", "United States of America", "America"],
    "AE": ["UAE"],
    "CV": ["Cape Verde"],
    "TL": ["East Timor"],
}


def _fold(text: str) -> str:
    """Lower case without accents or extra spaces, so "Türkiye " finds "turkiye", "United  States" (a double
    space from a spreadsheet) finds "united states" and "Côte d’Ivoire" (a curly apostrophe, as news copy has
    it) finds "Côte d'Ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


# In use by the EU, the UN and news agencies but not (yet) in ISO 3166-1.
_USER_ASSIGNED = {"XK": ("Kosovo", "XKX")}


@cache
def _names() -> dict[str, str]:
    names = {code: name for code, (name, _alpha_3) in _USER_ASSIGNED.items()}
    for country in pycountry.countries:
        code = country.alpha_2
        names[code] = _SHORT_NAMES.get(code) or getattr(country, "common_name", None) or country.name
    return names


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        spellings = [code, country.alpha_3, country.name, _names()[code]]
        spellings += [getattr(country, attr, None) or "" for attr in ("common_name", "official_name")]
        spellings += _ALIASES.get(code, [])
        for spelling in spellings:
            if spelling:
                table.setdefault(_fold(spelling), code)
    for code, (name, alpha_3) in _USER_ASSIGNED.items():
        for spelling in (code, alpha_3, name):
            table.setdefault(_fold(spelling), code)
    return table


def country_name(code: str | None) -> str:
    """The short English name for an ISO code; the code itself if it is not a known country."""
    if not code:
        return ""
    return _names().get(code, code)


def country_code(text: str) -> str:
    """The ISO alpha-2 code for a name, alias or code; ValueError if no country is called that."""
    code = _lookup().get(_fold(text))
    if code is None:
        raise ValueError(f"{text.strip()!r} is not a known country name or ISO code")
    return code


def all_countries() -> list[tuple[str, str]]:
    """(code, short name) for every country, sorted by name as people look for them."""
    return sorted(_names().items(), key=lambda item: _fold(item[1]))


@cache
def country_rank() -> dict[str, int]:
    """Position of each code when countries are ordered by their shown name."""
    return {code: rank for rank, (code, _name) in enumerate(all_countries())}
