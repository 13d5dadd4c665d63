"""Winning lines of every stage rule against hand-computed values, and the outcome of a round."""

from __future__ import annotations

import pytest

from app.domain.ballot_math import judge_round, reconcile, round_errors
from app.domain.enums import RoundOutcome, WinningRule
from app.domain.tally_math import votes_needed

MAJORITY, ABSOLUTE, TWO_THIRDS = (WinningRule.MAJORITY_PRESENT_VOTING, WinningRule.ABSOLUTE_MAJORITY,
                                  WinningRule.TWO_THIRDS)


@pytest.mark.parametrize(("rule", "voting", "membership", "line"), [
    # Majority of members present and voting: floor(n/2) + 1.
    (MAJORITY, 47, 47, 24),      # the full Council
    (MAJORITY, 41, 54, 21),      # Asia-Pacific Group, 23 Dec 2025: 47 present − 4 abstentions − 2 invalid
    (MAJORITY, 40, 47, 21),      # even turnout
    (MAJORITY, 1, 47, 1),
    # Absolute majority of the body's membership: floor(M/2) + 1, whatever the turnout.
    (ABSOLUTE, 193, 193, 97),
    (ABSOLUTE, 150, 193, 97),    # partial turnout does not lower it
    (ABSOLUTE, 15, 15, 8),
    (ABSOLUTE, 0, 193, 97),
    # Two-thirds of members present and voting: ceil(2n/3).
    (TWO_THIRDS, 193, 193, 129),
    (TWO_THIRDS, 190, 193, 127),
    (TWO_THIRDS, 185, 193, 124),
    (TWO_THIRDS, 192, 193, 128),  # 2 × 192 / 3 = 128 exactly
    (TWO_THIRDS, 47, 47, 32),
])
def test_lines_match_hand_computed_values(rule, voting, membership, line):
    assert votes_needed(rule, voting, membership) == line


def test_absolute_majority_needs_the_membership():
    with pytest.raises(ValueError):
        votes_needed(ABSOLUTE, 100)


def test_group_ballot_of_23_december_2025_elects_our_candidate():
    verdict = judge_round(MAJORITY, present=47, abstentions=4, invalid=2, votes={1: 34, 2: 7}, ours=1)
    assert (verdict.present_and_voting, verdict.line, verdict.outcome) == (41, 21, RoundOutcome.ELECTED)


def test_no_one_at_the_line_means_another_round_and_a_rival_at_it_means_defeat():
    assert judge_round(TWO_THIRDS, 190, 0, 0, {1: 120, 2: 70}, ours=1).outcome is RoundOutcome.NEXT_ROUND
    assert judge_round(TWO_THIRDS, 190, 0, 0, {1: 60, 2: 130}, ours=1).outcome is RoundOutcome.NOT_ELECTED


def test_a_tie_at_the_last_seat_elects_neither():
    verdict = judge_round(MAJORITY, 40, 0, 0, {1: 30, 2: 30, 3: 20}, ours=1, seats=1)
    assert verdict.elected == () and verdict.outcome is RoundOutcome.NEXT_ROUND
    two_seats = judge_round(MAJORITY, 40, 0, 0, {1: 30, 2: 25, 3: 25}, ours=1, seats=2)
    assert two_seats.elected == (1,) and two_seats.outcome is RoundOutcome.ELECTED


def test_figures_that_cannot_add_up_are_named():
    assert round_errors(47, 30, 20, {1: 1}, 1) == ["Abstentions and invalid ballots cannot exceed the members present."]
    assert "more votes than" in round_errors(47, 0, 0, {1: 48}, 1)[0]
    assert "add up to more" in round_errors(47, 0, 0, {1: 30, 2: 30}, 1)[0]
    assert round_errors(47, 4, 2, {1: 34, 2: 7}, 1) == []


def test_reconciliation_bounds_what_a_secret_ballot_can_tell():
    rec = reconcile({"Written pledges": 20, "Verbal pledges": 10, "Conditional pledges": 0}, votes=25,
                    present_and_voting=41)
    assert rec.pledges == 30 and rec.unhonoured_at_least == 5 and rec.yield_overall == 25 / 30
    written, verbal, conditional = rec.rows
    # Best case: every vote came from these pledges; worst: only those the other 21 voters cannot explain.
    assert (written.best, written.worst) == (1.0, 4 / 20)
    assert (verbal.best, verbal.worst) == (1.0, 0.0)
    assert conditional.best is None
