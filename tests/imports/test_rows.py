"""The row checks on their own: state names, ambiguity, dates, choices by value or label."""

from __future__ import annotations

from datetime import date

from app.domain.enums import Channel, SupportStatus
from app.models import State
from app.services.import_rows import StateIndex, parse_choice, parse_day


def test_states_are_found_by_any_name_and_an_ambiguous_name_is_a_problem():
    index = StateIndex([State(iso3="COG", iso2="CG", name="Congo"), State(iso3="XCG", iso2="XC", name="Congo"),
                        State(iso3="LAO", iso2="LA", name="Lao People's Democratic Republic")])
    assert index.resolve("laos")[0].iso3 == "LAO" and index.resolve(" LA ")[0].iso3 == "LAO"
    state, problem = index.resolve("Congo")
    assert state is None and problem == "“Congo” could be Congo or Congo: use the ISO code"
    assert str(index.resolve("Atlantis")[1]).startswith("“Atlantis” is not a state the desk knows")


def test_dates_and_choices():
    assert parse_day("2026-11-30") == date(2026, 11, 30) == parse_day("30 November 2026") == parse_day("30 Nov 2026")
    assert parse_day("30 Desember 2026") == date(2026, 12, 30)
    assert parse_day("2026-11-30 14:00:00") == date(2026, 11, 30)
    assert parse_day("11/30/2026") is None and parse_day("2026-02-30") is None and parse_day("30 Foo 2026") is None
    assert parse_choice(SupportStatus, "VERBAL PLEDGE") is SupportStatus.VERBAL_PLEDGE
    assert parse_choice(SupportStatus, "written_pledge") is SupportStatus.WRITTEN_PLEDGE
    assert parse_choice(Channel, "demarche") is Channel.DEMARCHE  # the label is “Démarche”
    assert parse_choice(SupportStatus, "maybe") is None
