"""Finding states by the names people type: UN names, ISO codes, common and former names."""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib import resources

from babel import Locale

# Languages whose CLDR territory names (maintained by Unicode, shipped with Babel) a state also
# answers to in search, and which pages and documents show next to the UN name.
NAME_LOCALES = ("id",)


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: "Türkiye" and "turkiye" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").strip()


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """ISO3 → common names, from app/data/state_aliases.csv (read once)."""
    text = resources.files("app.data").joinpath("state_aliases.csv").read_text(encoding="utf-8")
    return {
        row["iso3"]: tuple(a.strip() for a in row["aliases"].split("|")) for row in csv.DictReader(text.splitlines())
    }


@cache
def _territories(locale: str) -> dict[str, str]:
    return dict(Locale.parse(locale).territories)


def local_name(iso2: str, name: str, locale: str) -> str:
    """The state's name in `locale` from CLDR ("Kamboja"), or the UN name when CLDR has none."""
    if not locale or locale == "en" or not iso2:
        return name
    return _territories(locale).get(iso2.upper(), name)


def display_name(iso2: str, name: str, locale: str) -> str:
    """"Kamboja (Cambodia)": the reader's name first, the UN name, the official one, kept beside it."""
    local = local_name(iso2, name, locale)
    return name if normalise(local) == normalise(name) else f"{local} ({name})"


def search_terms(iso3: str, iso2: str, name: str) -> tuple[str, ...]:
    """Every normalised name a state answers to (for the table filter and the pickers): the UN name,
    codes, common names, and its names in NAME_LOCALES ("Kamboja", "Jerman", "Korea Selatan")."""
    local = tuple(local_name(iso2, name, locale) for locale in NAME_LOCALES)
    return tuple(dict.fromkeys(normalise(t) for t in (name, iso3, iso2, *aliases().get(iso3, ()), *local)))


def matches(query: str, iso3: str, iso2: str, name: str) -> bool:
    """Codes and short queries match whole names only ("UK" is not Ukraine); longer ones match parts."""
    needle = normalise(query)
    if not needle:
        return True
    terms = search_terms(iso3, iso2, name)
    if needle in terms:
        return True
    return len(needle) >= 3 and any(needle in term for term in terms)
