"""Finding states by the names people type: UN names, ISO codes, common and former names."""

from __future__ import annotations

import csv
import unicodedata
from functools import cache
from importlib import resources


def normalise(text: str) -> str:
    """Case- and accent-insensitive form: "Türkiye" and "turkiye" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'").strip()


@cache
def aliases() -> dict[str, tuple[str, ...]]:
    """ISO3 → common names, from app/data/state_aliases.csv (read once)."""
    text = resources.files("app.data").joinpath("state_aliases.csv").read_text(encoding="utf-8")
    return {row["iso3"]: tuple(a.strip() for a in row["aliases"].split("|")) for row in csv.DictReader(text.splitlines())}


def search_terms(iso3: str, iso2: str, name: str) -> tuple[str, ...]:
    """Every normalised name a state answers to (for the table filter and the pickers)."""
    return tuple(normalise(t) for t in (name, iso3, iso2, *aliases().get(iso3, ())))


def matches(query: str, iso3: str, iso2: str, name: str) -> bool:
    """Codes and short queries match whole names only ("UK" is not Ukraine); longer ones match parts."""
    needle = normalise(query)
    if not needle:
        return True
    terms = search_terms(iso3, iso2, name)
    if needle in terms:
        return True
    return len(needle) >= 3 and any(needle in term for term in terms)
