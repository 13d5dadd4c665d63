"""Finding states by the names people type, in the table and in the pickers."""

from __future__ import annotations

import pytest

from app.domain.enums import Role
from app.services.state_search import matches


@pytest.mark.parametrize(("query", "iso3"), [
    ("Laos", "LAO"), ("vietnam", "VNM"), ("Turkey", "TUR"), ("turkiye", "TUR"), ("Ivory Coast", "CIV"),
    ("cote d'ivoire", "CIV"), ("Czech Republic", "CZE"), ("UK", "GBR"), ("United Kingdom", "GBR"), ("US", "USA"),
    ("USA", "USA"), ("Russia", "RUS"), ("Iran", "IRN"), ("Syria", "SYR"), ("Bolivia", "BOL"), ("Venezuela", "VEN"),
    ("Tanzania", "TZA"), ("DPRK", "PRK"), ("North Korea", "PRK"), ("South Korea", "KOR"),
    ("Republic of Korea", "KOR"), ("Swaziland", "SWZ"), ("Eswatini", "SWZ"), ("Burma", "MMR"), ("Myanmar", "MMR"),
    ("Cape Verde", "CPV"), ("East Timor", "TLS"), ("khm", "KHM"), ("kh", "KHM"),
])
def test_common_names_and_codes_find_the_state(query, iso3):
    from app.services.states import get_state

    state = get_state(iso3)
    assert matches(query, state.iso3, state.iso2, state.name)


def test_short_codes_do_not_match_inside_other_names():
    assert not matches("UK", "UKR", "UA", "Ukraine")
    assert not matches("US", "AUS", "AU", "Australia")


def test_the_states_table_finds_laos_and_the_uk(client, auth):
    auth.login(Role.STAFF)
    html = client.get("/states/?q=Laos").get_data(as_text=True)
    assert "1 state" in html and "Lao People&#39;s Democratic Republic" in html
    html = client.get("/states/?q=UK").get_data(as_text=True)
    assert "United Kingdom of Great Britain" in html and "Ukraine" not in html


def test_pickers_carry_codes_and_common_names_for_search(client, auth):
    auth.login(Role.STAFF)
    html = client.get("/states/KHM/outreach/new").get_data(as_text=True)
    assert 'data-picker' in html and "laos" in html and "tom-select.complete.min.js" in html
