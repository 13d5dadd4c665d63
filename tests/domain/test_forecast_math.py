"""The ballot forecast: exact properties under common random numbers, and agreement with the DP."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.enums import WinningRule
from app.domain.forecast_math import (
    Ballot,
    Split,
    VoterOdds,
    analyse,
    cache_key,
    exact_win_probability,
    ladder_neighbours,
    line_for,
    lines_for,
    poisson_binomial,
    simulate,
    swing_list,
    turnout_probability,
)
from app.domain.tally_math import votes_needed
from app.services.forecast_cache import ForecastCache

RULES = ("majority", "two_thirds", "absolute_majority")
LADDER = (0.9, 0.75, 0.5, 0.25, 0.15, 0.15, 0.05, 0.0)  # most supportive first
probs = st.floats(0, 1)
RIVALS_ONLY = Split(1, 0)  # nobody abstains: every present member not for us votes for a rival


@st.composite
def ballots(draw, max_voters=25, full_turnout=False, draws=1000, rules=RULES):
    """Random ballots: a few members with any chances, any rule, any split and seed."""
    n = draw(st.integers(1, max_voters))
    present = st.just(1.0) if full_turnout else probs
    voters = tuple(VoterOdds(f"S{i}", draw(present), draw(probs)) for i in range(n))
    abstain = draw(probs)
    return Ballot(
        voters,
        draw(st.sampled_from(rules)),
        membership=draw(st.none() | st.integers(n, 2 * n)),
        split=Split(1 - abstain, abstain) if abstain < 1 else Split(0, 1),
        draws=draws,
        seed=draw(st.integers(0, 2**32 - 1)),
    )


def ladder_ballot(n: int = 193, seed: int = 0, p_present: float = 0.97, **kw) -> Ballot:
    """A contested electorate: members on the top five rungs (about half the votes expected)."""
    rungs = np.random.default_rng(seed).integers(0, 5, n)
    voters = tuple(
        VoterOdds(f"S{i:03d}", p_present, LADDER[r], *ladder_neighbours(LADDER, r))
        for i, r in enumerate(rungs)
    )
    return Ballot(voters, **kw)


def certain(n: int, p_for: float, key: str = "C") -> list[VoterOdds]:
    return [VoterOdds(f"{key}{i}", 1.0, p_for) for i in range(n)]


def test_hand_computed_lines():
    assert line_for("two_thirds", 193, 193) == 129
    assert line_for("two_thirds", 150, 193) == 100
    assert line_for("two_thirds", 151, 193) == 101
    assert line_for("majority", 193, 193) == 97
    assert line_for("majority", 150, 193) == 76
    assert line_for("absolute_majority", 193, 193) == 97
    assert line_for("absolute_majority", 120, 193) == 97  # independent of turnout
    assert line_for("absolute_majority", 0, 0) == 1
    assert [line_for(r, 0, 193) for r in ("majority", "two_thirds")] == [1, 1]
    with pytest.raises(ValueError):
        line_for("majority", -1, 193)
    with pytest.raises(ValueError):
        line_for("plurality", 10, 10)


@pytest.mark.parametrize("rule", list(WinningRule))
def test_lines_agree_with_the_tally_for_every_rule(rule):
    n = np.arange(0, 250)
    assert lines_for(rule, n, 193).tolist() == [votes_needed(rule, int(k), 193) for k in n]
    assert Ballot((), rule).rule == rule.value  # the enum is stored as its plain key


def test_a_rule_may_be_a_function():
    def quorum_of_ten(n, membership):
        return np.where(n >= 10, n // 2 + 1, 10**6)

    assert lines_for(quorum_of_ten, np.array([[9, 10]]), 0).tolist() == [[10**6, 6]]
    ballot = Ballot(tuple(certain(9, 1.0)), quorum_of_ten)
    assert simulate(ballot).probability == 0.0


def test_inputs_are_checked():
    with pytest.raises(ValueError):
        VoterOdds("X", 1.2, 0.5)
    with pytest.raises(ValueError):
        VoterOdds("X", 1.0, math.nan)
    with pytest.raises(ValueError):
        Split(0, 0)
    with pytest.raises(ValueError):
        Split.from_mapping({"rivals": 0.5, "absent": 0.5})
    with pytest.raises(ValueError):
        Ballot((), draws=0)
    assert Split.from_mapping({"rivals": 7, "abstain": 3}).abstain_share == pytest.approx(0.3)


def test_ladder_neighbours_and_turnout():
    assert ladder_neighbours(LADDER, 0) == (None, 0.75)
    assert ladder_neighbours(LADDER, 3) == (0.5, 0.15)
    assert ladder_neighbours(LADDER, 7) == (0.05, None)
    assert turnout_probability(180, 193) == pytest.approx(180 / 193)
    assert turnout_probability(None, 193) == turnout_probability(250, 193) == 1.0


@settings(max_examples=40, deadline=None)
@given(ballots(), st.integers(0, 3))
def test_certain_firm_votes_above_the_full_turnout_line_always_win(others, extra):
    """Weights 1 from members certain to attend, as many as the line at full turnout: won."""
    firm = 0
    while True:
        voters = tuple(certain(firm, 1.0)) + others.voters
        ballot = Ballot(voters, others.rule, None, others.split, others.draws, others.seed)
        if firm >= line_for(ballot.rule, len(voters), ballot.members):
            break
        firm += 1
    forecast = simulate(ballot)
    assert forecast.probability == 1.0 and forecast.standard_error == 0.0
    assert exact_win_probability(ballot) == pytest.approx(1.0, abs=1e-12)
    assert forecast.interval[0] >= firm


@settings(max_examples=40, deadline=None)
@given(ballots())
def test_no_chance_when_every_weight_is_zero(ballot):
    voters = tuple(VoterOdds(v.key, v.p_present, 0.0) for v in ballot.voters)
    zero = Ballot(voters, ballot.rule, ballot.membership, ballot.split, ballot.draws, ballot.seed)
    forecast = simulate(zero)
    assert forecast.probability == 0.0
    assert forecast.histogram[0] == zero.draws and forecast.median_votes == 0
    assert exact_win_probability(zero) == 0.0


@settings(max_examples=60, deadline=None)
@given(ballots(), st.data())
def test_raising_any_weight_never_lowers_the_chance(ballot, data):
    """Exactly, not within noise: the same uniforms decide both ballots."""
    i = data.draw(st.integers(0, len(ballot.voters) - 1))
    higher = data.draw(st.floats(ballot.voters[i].p_for, 1))
    raised = ballot.replace_weight(i, higher)
    assert simulate(raised).probability >= simulate(ballot).probability
    assert exact_win_probability(raised) >= exact_win_probability(ballot) - 1e-12


def within_mc_error(estimate: float, exact: float, draws: int) -> bool:
    """|MC − exact| within 4 standard errors; the 1/draws floor covers near-certain outcomes."""
    return abs(estimate - exact) <= 4 * math.sqrt((exact * (1 - exact) + 1 / draws) / draws)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(ballots(max_voters=30, full_turnout=True, draws=4000))
def test_agrees_with_the_exact_calculation_at_full_turnout(ballot):
    assert within_mc_error(simulate(ballot).probability, exact_win_probability(ballot), 4000)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(ballots(max_voters=30, draws=4000, rules=("two_thirds",)))
def test_agrees_with_the_exact_calculation_for_two_thirds_at_partial_turnout(ballot):
    assert within_mc_error(simulate(ballot).probability, exact_win_probability(ballot), 4000)


@pytest.mark.parametrize("rule", RULES)
def test_full_electorate_at_default_draws_matches_the_exact_calculation(rule):
    # Weights centred so that the line is within reach: the chance is far from 0 and 1.
    centre = 0.675 if rule == "two_thirds" else 0.51
    weights = np.random.default_rng(3).uniform(centre - 0.25, centre + 0.25, 193)
    voters = tuple(VoterOdds(f"S{i}", 1.0, float(w)) for i, w in enumerate(weights))
    ballot = Ballot(voters, rule, split=Split(1, 0))
    forecast, exact = simulate(ballot), exact_win_probability(ballot)
    assert forecast.draws == 20_000 and 0.1 < exact < 0.9
    assert abs(forecast.probability - exact) <= 4 * forecast.standard_error
    if rule == "majority":  # full turnout, no abstention: the Poisson-binomial tail
        pmf = poisson_binomial([v.p_for for v in ballot.voters])
        assert exact == pytest.approx(pmf[line_for(rule, 193, 193) :].sum(), abs=1e-12)


def test_poisson_binomial_reduces_to_the_binomial():
    pmf = poisson_binomial([0.3] * 12)
    assert pmf == pytest.approx([math.comb(12, k) * 0.3**k * 0.7 ** (12 - k) for k in range(13)])
    assert poisson_binomial([]).tolist() == [1.0]


def test_two_thirds_line_follows_the_members_present_and_voting():
    """Nine members: three never come, four vote for us, two for a rival → 4 needed of 6."""
    absent = [VoterOdds(f"A{i}", 0.0, 1.0) for i in range(3)]
    voters = (*absent, *certain(4, 1.0, "F"), *certain(2, 0.0, "R"))
    forecast = simulate(Ballot(voters, "two_thirds", split=RIVALS_ONLY, draws=500))
    assert forecast.probability == 1.0 and forecast.lines == ((4, 500),)
    assert forecast.expected_voting == 6
    # Had the three come and voted against us the line would be ceil(18/3) = 6: lost.
    came = (*certain(4, 1.0, "F"), *certain(5, 0.0, "R"))
    assert simulate(Ballot(came, "two_thirds", split=RIVALS_ONLY, draws=500)).probability == 0.0
    # Abstainers are not voting: 4 for, 2 abstaining → ceil(8/3) = 3 needed.
    abstaining = simulate(Ballot(voters, "two_thirds", split=Split(0, 1), draws=500))
    assert abstaining.lines == ((3, 500),)
    # The absolute majority counts the whole membership: 5 of 9 whatever the turnout.
    assert simulate(Ballot(voters, "absolute_majority", draws=500)).probability == 0.0
    assert simulate(Ballot(voters, "majority", split=RIVALS_ONLY, draws=500)).probability == 1.0


def test_two_thirds_with_193_members_and_150_present():
    present = certain(100, 1.0, "F") + certain(50, 0.0, "R")
    absent = [VoterOdds(f"A{i}", 0.0, 0.5) for i in range(43)]
    won = simulate(Ballot(tuple(present + absent), "two_thirds", split=RIVALS_ONLY, draws=200))
    assert won.probability == 1.0 and won.lines == ((100, 200),)
    one_short = certain(99, 1.0, "F") + certain(51, 0.0, "R")
    lost = simulate(Ballot(tuple(one_short + absent), "two_thirds", split=RIVALS_ONLY, draws=200))
    assert lost.probability == 0.0 and lost.lines == ((100, 200),)


def test_random_presence_moves_the_line_per_draw():
    """Three loyal members each present half the time: lost only when none comes (1 in 8)."""
    ballot = Ballot(tuple(VoterOdds(f"S{i}", 0.5, 1.0) for i in range(3)), "two_thirds")
    assert exact_win_probability(ballot) == pytest.approx(0.875)
    forecast = simulate(ballot)
    assert abs(forecast.probability - 0.875) <= 4 * forecast.standard_error
    lines = dict(forecast.lines)  # n = 0 or 1 → line 1; n = 2 or 3 → line 2
    assert set(lines) == {1, 2} and abs(lines[1] / forecast.draws - 0.5) < 0.02


def test_summaries_are_consistent():
    forecast = simulate(ladder_ballot())
    assert sum(forecast.histogram) == forecast.draws == 20_000
    assert len(forecast.histogram) == forecast.electorate + 1 == 194
    assert all(w <= h for w, h in zip(forecast.winning_histogram, forecast.histogram, strict=True))
    assert sum(forecast.winning_histogram) == round(forecast.probability * forecast.draws)
    low, high = forecast.interval
    assert low <= forecast.median_votes <= high
    cdf = np.cumsum(forecast.histogram) / forecast.draws
    assert cdf[low] >= 0.1 > (cdf[low - 1] if low else 0.0) and cdf[high] >= 0.9 > cdf[high - 1]
    assert sum(count for _, count in forecast.lines) == forecast.draws
    assert forecast.line_interval[0] <= forecast.median_line <= forecast.line_interval[1]


def test_a_fixed_seed_reproduces_the_forecast_exactly():
    ballot = ladder_ballot(seed=7)
    assert simulate(ballot) == simulate(ladder_ballot(seed=7))
    assert swing_list(ballot) == swing_list(ladder_ballot(seed=7))
    other = Ballot(ballot.voters, seed=1)
    assert simulate(other).histogram != simulate(ballot).histogram


@settings(max_examples=25, deadline=None)
@given(ballots(max_voters=12, draws=600), st.data())
def test_swings_equal_reruns_with_the_same_uniforms(ballot, data):
    """The column shortcut must give exactly what re-simulating each move would."""
    moves = data.draw(
        st.lists(
            st.tuples(probs | st.none(), probs | st.none()),
            min_size=len(ballot.voters),
            max_size=len(ballot.voters),
        )
    )
    voters = tuple(
        VoterOdds(v.key, v.p_present, v.p_for, up, down)
        for v, (up, down) in zip(ballot.voters, moves, strict=True)
    )
    ballot = Ballot(voters, ballot.rule, ballot.membership, ballot.split, ballot.draws, ballot.seed)
    base = simulate(ballot).probability
    for swing in swing_list(ballot):
        voter = ballot.voters[swing.index]
        for rung, change in ((voter.p_for_up, swing.up), (voter.p_for_down, swing.down)):
            if rung is None:
                assert change is None
            else:
                assert (
                    change == simulate(ballot.replace_weight(swing.index, rung)).probability - base
                )


def test_swing_list_is_ranked_and_signed():
    ballot = ladder_ballot(seed=11, rule="majority", split=RIVALS_ONLY)
    base = simulate(ballot).probability
    assert 0.05 < base < 0.95  # a contested ballot, so the swings are not all zero
    swings = swing_list(ballot)
    assert [s.stake for s in swings] == sorted((s.stake for s in swings), reverse=True)
    assert sorted(s.index for s in swings) == list(range(193))
    for s in swings:
        rung = LADDER.index(ballot.voters[s.index].p_for)
        assert (s.up is None) == (rung == 0) and (s.down is None) == (rung == len(LADDER) - 1)
        assert (s.up or 0) >= 0 >= (s.down or 0)  # monotone in the weight, exactly
    assert swings[0].stake > 0 and swings[0].up_se > 0
    assert analyse(ballot) == analyse(ballot)
    assert analyse(ballot).forecast == simulate(ballot) and analyse(ballot).swings == swings


def test_cache_reuses_an_analysis_until_the_inputs_change():
    cache = ForecastCache(maxsize=2)
    ballot = ladder_ballot(n=40, draws=500)
    first = cache.analyse(ballot, version=("campaign 1", "GA"))
    assert cache.analyse(ladder_ballot(n=40, draws=500), version=("campaign 1", "GA")) is first
    moved = ballot.replace_weight(0, 1.0)
    assert cache.analyse(moved, version=("campaign 1", "GA")) is not first  # stale never served
    assert cache_key(moved, "v") != cache_key(ballot, "v")
    cache.analyse(ballot, version="other")
    assert cache.analyse(ballot, version=("campaign 1", "GA")) is not first  # evicted (LRU of 2)
