"""The tally's arithmetic: properties over random electorates, and the winning line."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.enums import RegionalGroup, SupportStatus, WinningRule
from app.domain.tally_math import (
    StatusChangePoint,
    Voter,
    Weights,
    compute_tally,
    votes_needed,
    week_ends,
    weekly_trend,
)

MAJORITY, TWO_THIRDS = WinningRule.MAJORITY_PRESENT_VOTING, WinningRule.TWO_THIRDS
S = SupportStatus
ISO3S = [f"S{i:02d}" for i in range(60)]

statuses = st.sampled_from(list(SupportStatus))
voter_lists = st.lists(
    st.builds(
        Voter,
        iso3=st.sampled_from(ISO3S),
        name=st.just("State"),
        group=st.sampled_from(list(RegionalGroup)),
        status=statuses,
        conditional=st.booleans(),
    ),
    max_size=200,
)
weights = st.builds(
    Weights,
    by_status=st.fixed_dictionaries({s: st.floats(0, 1) for s in SupportStatus}),
    conditional_factor=st.floats(0, 1),
)


def voter(iso3: str, status: SupportStatus, conditional: bool = False) -> Voter:
    return Voter(iso3, iso3, RegionalGroup.APG, status, conditional)


def test_known_lines():
    assert votes_needed(MAJORITY, 47) == 24
    assert votes_needed(MAJORITY, 45) == 23
    assert votes_needed(MAJORITY, 1) == 1
    assert votes_needed(TWO_THIRDS, 47) == 32
    assert votes_needed(TWO_THIRDS, 45) == 30


def test_nobody_voting_leaves_an_unreachable_line_of_one():
    assert votes_needed(MAJORITY, 0) == 1
    assert votes_needed(TWO_THIRDS, 0) == 1
    with pytest.raises(ValueError):
        votes_needed(MAJORITY, -1)


@pytest.mark.parametrize("n", range(1, 201))
def test_winning_line_is_the_smallest_count_that_satisfies_the_rule(n):
    majority = votes_needed(MAJORITY, n)
    assert 2 * majority > n and not 2 * (majority - 1) > n
    two_thirds = votes_needed(TWO_THIRDS, n)
    assert 3 * two_thirds >= 2 * n and not 3 * (two_thirds - 1) >= 2 * n


@settings(max_examples=200)
@given(voter_lists, weights, st.sampled_from(list(WinningRule)), st.none() | st.integers(-5, 250))
def test_counts_add_up_and_figures_stay_in_bounds(group, w, rule, turnout):
    tally = compute_tally(group, w, rule, turnout)
    assert list(tally.counts) == list(SupportStatus)
    assert sum(tally.counts.values()) == tally.electorate == len(group)
    assert sum(r.total for r in tally.by_group) == len(group)
    assert {r.group for r in tally.by_group} == {v.group for v in group}
    assert 0 <= tally.firm <= tally.electorate
    assert tally.firm == sum(v.status.is_pledge for v in group)
    assert 0 <= tally.expected <= tally.electorate + 1e-9
    assert 0 <= tally.turnout <= tally.electorate
    assert tally.votes_needed == votes_needed(rule, tally.turnout, tally.electorate)
    assert tally.firm_gap == tally.votes_needed - tally.firm
    assert math.isclose(tally.expected_gap, tally.votes_needed - tally.expected)
    assert math.isclose(sum(r.expected for r in tally.by_group), tally.expected, abs_tol=1e-9)


@settings(max_examples=100)
@given(voter_lists)
def test_with_certain_pledges_expected_lies_between_firm_and_electorate(group):
    # With the default weights (written 0.9) expected may fall below firm by design.
    w = Weights(by_status={s: 1.0 if s.is_pledge else 0.3 for s in S}, conditional_factor=1.0)
    tally = compute_tally(group, w, MAJORITY, None)
    assert tally.firm - 1e-9 <= tally.expected <= tally.electorate + 1e-9


def test_a_concrete_tally():
    voters = [
        voter("AAA", S.WRITTEN_PLEDGE),
        voter("BBB", S.VERBAL_PLEDGE, conditional=True),
        voter("CCC", S.UNDECIDED, conditional=True),  # conditional means nothing here
        Voter("DDD", "D", RegionalGroup.WEOG, S.AGAINST),
    ]
    tally = compute_tally(voters, Weights(), MAJORITY, 3)
    assert (tally.electorate, tally.turnout, tally.votes_needed) == (4, 3, 2)
    assert (tally.firm, tally.conditional_pledges, tally.firm_gap) == (2, 1, 0)
    assert tally.expected == pytest.approx(0.9 + 0.75 * 0.6 + 0.25)
    assert tally.expected_display == "1.6"
    assert tally.counts[S.LEANING_FOR] == 0
    assert [(r.group, r.total, r.firm) for r in tally.by_group] == [
        (RegionalGroup.APG, 3, 2),
        (RegionalGroup.WEOG, 1, 0),
    ]
    assert "conditional pledges × 0.6" in tally.formula
    assert "written pledge 0.90" in tally.formula and "against 0.00" in tally.formula


def test_turnout_is_clamped_to_the_electorate():
    voters = [voter(f"S{i:02d}", S.UNDECIDED) for i in range(47)]
    assert compute_tally(voters, Weights(), MAJORITY, None).turnout == 47
    assert compute_tally(voters, Weights(), MAJORITY, 60).turnout == 47
    assert compute_tally(voters, Weights(), MAJORITY, -3).votes_needed == 1
    assert compute_tally(voters, Weights(), TWO_THIRDS, 45).votes_needed == 30


def test_default_weights_and_conditional_discount():
    w = Weights()
    assert w.for_status(S.WRITTEN_PLEDGE) == 0.9
    assert w.for_status(S.VERBAL_PLEDGE, conditional=True) == 0.75 * 0.6
    assert w.for_status(S.UNDECIDED, conditional=True) == 0.25
    assert w.for_status(S.AGAINST) == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"by_status": {S.AGAINST: 0.0}},
        {"by_status": {s: 1.5 for s in S}},
        {"conditional_factor": -0.1},
    ],
)
def test_weights_reject_missing_or_improbable_values(kwargs):
    with pytest.raises(ValueError):
        Weights(**kwargs)


def test_week_ends_are_weekly_back_from_the_end_and_include_the_start():
    start = date(2025, 9, 1)
    assert week_ends(start, start + timedelta(days=14)) == [
        start,
        start + timedelta(days=7),
        start + timedelta(days=14),
    ]
    short_first = [start, start + timedelta(days=2), start + timedelta(days=9)]
    assert week_ends(start, start + timedelta(days=9)) == short_first
    assert week_ends(start, start) == [start]
    assert week_ends(start, start - timedelta(days=1)) == []


def test_trend_counts_a_pledge_from_its_week_on():
    start = date(2025, 9, 1)
    electorate = ["AAA", "BBB", "CCC"]
    changes = [
        StatusChangePoint("AAA", start + timedelta(days=15), S.WRITTEN_PLEDGE),
        StatusChangePoint("ZZZ", start, S.WRITTEN_PLEDGE),  # not a voter: ignored
        StatusChangePoint("BBB", start + timedelta(days=60), S.WRITTEN_PLEDGE),  # after the end
    ]
    points = weekly_trend(changes, electorate, start, start + timedelta(days=35), Weights())
    assert [p.firm for p in points] == [0, 0, 0, 1, 1, 1]
    assert points[0].expected == pytest.approx(3 * 0.15)
    final = compute_tally(
        [
            voter("AAA", S.WRITTEN_PLEDGE),
            voter("BBB", S.NOT_APPROACHED),
            voter("CCC", S.NOT_APPROACHED),
        ],
        Weights(),
        MAJORITY,
        None,
    )
    assert (points[-1].firm, points[-1].expected) == (final.firm, final.expected)


def test_trend_takes_the_later_of_two_same_day_changes_and_earlier_history():
    start = date(2025, 9, 1)
    day = start + timedelta(days=3)
    changes = [
        StatusChangePoint("AAA", day, S.VERBAL_PLEDGE),
        StatusChangePoint("AAA", day, S.AGAINST),
        StatusChangePoint("BBB", start - timedelta(days=30), S.VERBAL_PLEDGE, conditional=True),
    ]
    points = weekly_trend(changes, ["AAA", "BBB"], start, start + timedelta(days=7), Weights())
    assert [p.firm for p in points] == [1, 1]
    assert points[-1].expected == pytest.approx(0.75 * 0.6)


change_lists = st.lists(
    st.builds(
        StatusChangePoint,
        iso3=st.sampled_from(ISO3S[:20]),
        changed_on=st.dates(date(2025, 1, 1), date(2025, 6, 30)),
        new_status=statuses,
        conditional=st.booleans(),
    ),
    max_size=120,
)


@settings(max_examples=150)
@given(change_lists, weights)
def test_last_trend_point_equals_the_tally_of_the_final_statuses(changes, w):
    start, end = date(2025, 1, 1), date(2025, 6, 30)
    electorate = ISO3S[:15]
    final = {iso3: (S.NOT_APPROACHED, False) for iso3 in electorate}
    for change in sorted(changes, key=lambda c: c.changed_on):
        if change.iso3 in final:
            final[change.iso3] = (change.new_status, change.conditional)
    voters = [voter(iso3, status, cond) for iso3, (status, cond) in final.items()]
    tally = compute_tally(voters, w, MAJORITY, None)
    points = weekly_trend(changes, electorate, start, end, w)
    assert points[-1].week_end == end
    assert (points[-1].firm, points[-1].expected) == (tally.firm, tally.expected)
    assert all(0 <= p.firm <= len(electorate) for p in points)
