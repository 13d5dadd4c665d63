"""Turning a stage into a ballot: the ladder moves and the turnout, without a database."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.enums import RegionalGroup, WinningRule
from app.domain.enums import SupportStatus as S
from app.domain.forecast_math import Split, simulate
from app.domain.tally_math import Voter, Weights
from app.services.forecast import build_ballot, ladder_moves, turnout_odds

DEFAULT = Weights()


def moves(status, conditional=False, weights=DEFAULT):
    up, down = ladder_moves(weights, status, conditional)
    return (up.status if up else None), (down.status if down else None)


def test_one_rung_each_way_skipping_rungs_of_equal_weight():
    assert moves(S.WRITTEN_PLEDGE) == (None, S.VERBAL_PLEDGE)
    assert moves(S.UNDECIDED) == (S.LEANING_FOR, S.APPROACHED)
    # Approached and not approached both weigh 0.15: a move between them would change nothing.
    assert moves(S.APPROACHED) == (S.UNDECIDED, S.LEANING_AGAINST)
    assert moves(S.NOT_APPROACHED) == (S.UNDECIDED, S.LEANING_AGAINST)
    assert moves(S.AGAINST) == (S.LEANING_AGAINST, None)


def test_a_condition_travels_with_a_pledge_and_a_move_always_goes_the_right_way():
    # Conditional verbal pledge: 0.75 × 0.6 = 0.45; leaning for (0.5) would be a rise, not a slip.
    up, down = ladder_moves(DEFAULT, S.VERBAL_PLEDGE, True)
    assert (up.status, up.weight) == (S.WRITTEN_PLEDGE, pytest.approx(0.54))
    assert (down.status, down.weight) == (S.UNDECIDED, 0.25)
    # A stray conditional flag on a status that is no pledge does not discount the pledge above it.
    assert ladder_moves(DEFAULT, S.LEANING_FOR, True)[0].weight == 0.75


@given(st.lists(st.floats(0, 1), min_size=8, max_size=8), st.sampled_from(list(S)), st.booleans())
def test_moves_always_raise_or_lower_the_weight(values, status, conditional):
    weights = Weights(dict(zip(S, values, strict=True)), 0.6)
    own = weights.for_status(status, conditional)
    up, down = ladder_moves(weights, status, conditional)
    assert up is None or up.weight > own
    assert down is None or down.weight < own


def test_turnout_is_members_present_and_voting_without_counting_abstentions_twice():
    weights = [0.9] * 40 + [0.15] * 153
    # Default split (no abstention): present and voting = expected turnout ÷ electorate.
    assert turnout_odds(weights, 180, Split(1.0, 0.0)) == (180 / 193, Split(1.0, 0.0))
    # No expected turnout: everybody votes, so nobody abstains whatever the split says.
    p, used = turnout_odds(weights, None, Split(0.7, 0.3))
    assert p == 1.0 and used.abstain_share == 0.0
    # 180 of 193 with 30% of non-supporters abstaining: attendance makes up what abstention does not.
    p, used = turnout_odds(weights, 180, Split(0.7, 0.3))
    assert p == 1.0 and used.abstain_share == pytest.approx(13 / (40 * 0.1 + 153 * 0.85))
    p, used = turnout_odds(weights, 120, Split(0.7, 0.3))
    assert used == Split(0.7, 0.3) and p * (193 - 0.3 * (40 * 0.1 + 153 * 0.85)) == pytest.approx(120)


@given(st.lists(st.floats(0, 1), min_size=1, max_size=60), st.floats(0, 1), st.data())
def test_mean_present_and_voting_is_the_expected_turnout(weights, abstain, data):
    target = data.draw(st.integers(0, len(weights)))
    p, used = turnout_odds(weights, target, Split(1 - abstain, abstain) if abstain < 1 else Split(0, 1))
    a = used.abstain_share
    assert 0 <= p <= 1 and a <= max(abstain, 0) + 1e-12
    voting = p * math.fsum(1 - a * (1 - w) for w in weights)
    assert voting == pytest.approx(target, abs=1e-9)


def test_the_simulated_turnout_meets_the_expected_turnout():
    voters = [Voter(f"S{i:03d}", f"State {i}", RegionalGroup.APG, S.WRITTEN_PLEDGE if i < 60 else S.UNDECIDED)
              for i in range(120)]
    ballot, _ = build_ballot(voters, DEFAULT, WinningRule.TWO_THIRDS, 100, 120, Split(0.6, 0.4))
    forecast = simulate(ballot)
    assert forecast.expected_voting == pytest.approx(100, abs=0.3)
    assert ballot.rule == "two_thirds" and ballot.draws == 20_000 and ballot.seed == 0
