"""Ballot forecast by simulation: chance of reaching the line, its spread, and the swing list.

Pure NumPy (the domain core: imports neither Flask nor SQLAlchemy). The caller turns one stage of a
campaign into a `Ballot` of plain values; everything here is a function of that value alone.

Contract
--------
`Ballot.voters`: one `VoterOdds` per member of the stage's electorate: `p_present`, the chance it
attends and casts a ballot (the stage's expected turnout over the electorate, or a per-state
override, 0 for a member barred from voting); `p_for`, the chance it votes for us when present (its
weight: status, evidence, conditional factor); and for the swing list `p_for_up` / `p_for_down`, its
weight one rung up / down the ladder (None at the top / bottom; `ladder_neighbours` computes them).

`Ballot.split`: how a present member that does not vote for us divides, campaign-wide, between
rivals and abstention (`Split.from_mapping({"rivals": 0.7, "abstain": 0.3})`; normalised).

`Ballot.rule`: a string key (a `WinningRule` member is accepted too, by its value) or a function:
  "majority"           floor(n/2) + 1 of the n present and voting
  "two_thirds"         ceil(2n/3) of the n present and voting (129 when 193 vote)
  "absolute_majority"  floor(M/2) + 1 of the body's whole membership M, whatever the turnout (97 of 193)
A function is called as `rule(n, M)` with an int64 array n (any shape) of counts of members present
and voting, and returns the lines as ints of the same shape. It must be non-decreasing in n and rise by
at most one per extra voter (all three keys do): that is what makes the chance of winning rise
whenever a weight rises. The line is never below 1, as in `tally_math.votes_needed`.
`Ballot.membership` is M (None: the number of voters); only "absolute_majority" reads it.

One draw: each member is present with `p_present`; a present member votes for us with `p_for`,
otherwise abstains with the split's abstain share or votes for a rival. Present and voting =
present − abstentions, and the line is recomputed per draw from it. One uniform per member and
draw decides all of that (common random numbers): the same seed and electorate size give the same
uniforms, so two ballots that differ in one weight differ only in the draws that weight moves.
`Ballot.draws` (default 20,000) and `Ballot.seed` (default 0) fix the sample: the same ballot always
gives the same figures, so a page does not flicker between requests.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from types import MappingProxyType

import numpy as np

from app.domain.enums import WinningRule

DEFAULT_DRAWS = 20_000
RuleFn = Callable[[np.ndarray, int], np.ndarray]
Rule = str | WinningRule | RuleFn  # a key, a WinningRule (by its value) or a line function


def _majority(n: np.ndarray, membership: int) -> np.ndarray:
    return n // 2 + 1


def _two_thirds(n: np.ndarray, membership: int) -> np.ndarray:
    return (2 * n + 2) // 3  # integer ceil(2n/3), no float rounding


def _absolute_majority(n: np.ndarray, membership: int) -> np.ndarray:
    return np.full_like(n, membership // 2 + 1)


RULES: Mapping[str, RuleFn] = MappingProxyType(
    {"majority": _majority, "two_thirds": _two_thirds, "absolute_majority": _absolute_majority}
)


def rule_function(rule: Rule) -> RuleFn:
    """The line function of a rule key, a `WinningRule` member (by value) or a function."""
    key = rule.value if isinstance(rule, WinningRule) else rule
    if callable(key):
        return key
    if key not in RULES:
        raise ValueError(f"unknown winning rule {rule!r}; expected one of {', '.join(RULES)}")
    return RULES[key]


def lines_for(rule: Rule, present_and_voting: np.ndarray, membership: int) -> np.ndarray:
    """Winning line for each count of members present and voting (never below 1)."""
    n = np.asarray(present_and_voting, dtype=np.int64)
    if n.size and n.min() < 0:
        raise ValueError("present_and_voting must be >= 0")
    return np.maximum(np.asarray(rule_function(rule)(n, membership), dtype=np.int64), 1)


def line_for(rule: Rule, present_and_voting: int, membership: int) -> int:
    """Winning line for one count of members present and voting."""
    return int(lines_for(rule, np.array([present_and_voting]), membership)[0])


def _check_probability(name: str, value: float | None) -> None:
    if value is not None and not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must lie in [0, 1], got {value}")


@dataclasses.dataclass(frozen=True)
class VoterOdds:
    """One member's chances: attending and voting, and voting for us when there (its weight)."""

    key: str
    p_present: float
    p_for: float
    p_for_up: float | None = None  # its weight one rung up the ladder; None at the top
    p_for_down: float | None = None  # one rung down; None at the bottom

    def __post_init__(self) -> None:
        for name in ("p_present", "p_for", "p_for_up", "p_for_down"):
            _check_probability(name, getattr(self, name))


@dataclasses.dataclass(frozen=True)
class Split:
    """How votes not cast for us divide between rivals and abstention (campaign-wide, admin-set)."""

    rivals: float = 0.7
    abstain: float = 0.3

    def __post_init__(self) -> None:
        parts = (self.rivals, self.abstain)
        if not all(math.isfinite(p) and p >= 0 for p in parts) or sum(parts) <= 0:
            raise ValueError("the split needs non-negative shares that do not both vanish")

    @property
    def abstain_share(self) -> float:
        """Chance that a present member not voting for us abstains."""
        return self.abstain / (self.rivals + self.abstain)

    @classmethod
    def from_mapping(cls, shares: Mapping[str, float]) -> Split:
        """Split from the admins' mapping, e.g. {"rivals": 0.7, "abstain": 0.3}."""
        unknown = set(shares) - {"rivals", "abstain"}
        if unknown:
            raise ValueError(f"unknown split keys: {', '.join(sorted(unknown))}")
        return cls(float(shares.get("rivals", 0.0)), float(shares.get("abstain", 0.0)))


@dataclasses.dataclass(frozen=True)
class Ballot:
    """One stage's vote as plain data: the whole input of the simulation (hashable, a cache key)."""

    voters: tuple[VoterOdds, ...]
    rule: Rule = "majority"
    membership: int | None = None
    split: Split = dataclasses.field(default_factory=Split)
    draws: int = DEFAULT_DRAWS
    seed: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "voters", tuple(self.voters))
        rule_function(self.rule)
        if not isinstance(self.rule, str) and not callable(self.rule):
            object.__setattr__(self, "rule", self.rule.value)  # a WinningRule: keep the plain key
        if self.draws < 1 or self.seed < 0 or (self.membership or 0) < 0:
            raise ValueError("draws must be >= 1, seed and membership >= 0")

    @property
    def members(self) -> int:
        """The body's whole membership M (the electorate when not given)."""
        return len(self.voters) if self.membership is None else self.membership

    def replace_weight(self, index: int, p_for: float) -> Ballot:
        """The same ballot with one member's weight changed (for what-ifs and tests)."""
        voters = list(self.voters)
        voters[index] = dataclasses.replace(voters[index], p_for=p_for)
        return dataclasses.replace(self, voters=tuple(voters))


def ladder_neighbours(ladder: Sequence[float], rung: int) -> tuple[float | None, float | None]:
    """Weights one rung up and one down from `rung` of a ladder listed most supportive first."""
    up = ladder[rung - 1] if rung > 0 else None
    down = ladder[rung + 1] if rung + 1 < len(ladder) else None
    return up, down


def turnout_probability(expected_turnout: int | None, electorate: int) -> float:
    """Chance each member attends so that `expected_turnout` attend on average."""
    if electorate <= 0 or expected_turnout is None:
        return 1.0
    return min(max(expected_turnout, 0), electorate) / electorate


@dataclasses.dataclass(frozen=True)
class Forecast:
    """What the simulation says about one ballot; vote counts are whole numbers of members."""

    probability: float  # share of draws that reached their line
    standard_error: float  # Monte Carlo standard error of `probability`
    median_votes: int
    interval: tuple[int, int]  # 10th and 90th percentiles of our votes: the 80% interval
    expected_votes: float
    expected_voting: float  # mean number of members present and voting
    expected_line: float
    median_line: int
    line_interval: tuple[int, int]  # 10th and 90th percentiles of the line
    histogram: tuple[int, ...]  # histogram[v]: draws in which we got v votes, v = 0..electorate
    winning_histogram: tuple[int, ...]  # of those, the draws that reached their line
    lines: tuple[tuple[int, int], ...]  # (line, draws with that line), ascending
    draws: int
    seed: int
    electorate: int
    membership: int


@dataclasses.dataclass(frozen=True)
class Swing:
    """How one member moves the chance of winning if it goes up a rung or slips down one."""

    key: str
    index: int  # position in `Ballot.voters`
    up: float | None  # change in probability one rung up; None at the top of the ladder
    down: float | None  # change one rung down (usually negative); None at the bottom
    up_se: float = 0.0  # Monte Carlo standard errors of the paired differences
    down_se: float = 0.0

    @property
    def stake(self) -> float:
        """How much rides on this member's next move: the gain up plus the loss down."""
        return (self.up or 0.0) - (self.down or 0.0)


@dataclasses.dataclass(frozen=True)
class Analysis:
    """A forecast and its swing list, computed from one sample."""

    forecast: Forecast
    swings: tuple[Swing, ...]


@dataclasses.dataclass(frozen=True)
class _Sample:
    """Per-draw counts of one simulation; the arrays the forecast and swing list are read from."""

    votes: np.ndarray
    voting: np.ndarray
    lines: np.ndarray
    won: np.ndarray


def _uniforms(ballot: Ballot) -> np.ndarray:
    """One uniform per member (row) and draw (column); row i depends only on the seed and i."""
    rng = np.random.default_rng(ballot.seed)
    # float32 halves the cost of drawing and comparing; its 2**-24 grain is far below MC noise.
    return rng.random((len(ballot.voters), ballot.draws), dtype=np.float32)


def _thresholds(
    ballot: Ballot, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cut-offs on each member's uniform: below the first it votes for us, below the second
    it votes for us or abstains, below the third it is present (otherwise absent)."""
    present = np.array([v.p_present for v in ballot.voters], dtype=np.float64)
    if weights is None:
        weights = np.array([v.p_for for v in ballot.voters], dtype=np.float64)
    a = ballot.split.abstain_share
    t_for = present * weights
    # a + w(1 − a) rather than w + (1 − w)a: monotone in w in floating point as well, which
    # keeps the common-random-number comparison of two weights exact.
    t_abstain = np.clip(present * (a + weights * (1 - a)), t_for, present)
    return t_for.astype(np.float32), t_abstain.astype(np.float32), present.astype(np.float32)


def _count_below(u: np.ndarray, cut: np.ndarray) -> np.ndarray:
    """Per draw, how many members' uniforms fall below their cut-off."""
    return np.add.reduce(u < cut[:, None], axis=0, dtype=np.int32)


def _sample(ballot: Ballot, u: np.ndarray) -> _Sample:
    """Votes, members voting, line and outcome of every draw."""
    t_for, t_abstain, t_present = _thresholds(ballot)
    votes = _count_below(u, t_for)
    abstained = _count_below(u, t_abstain) - votes
    voting = _count_below(u, t_present) - abstained
    lines = lines_for(ballot.rule, voting, ballot.members)
    return _Sample(votes, voting, lines, votes >= lines)


def _quantile(values: np.ndarray, q: float) -> int:
    """Smallest observed value with at least a share q of draws at or below it."""
    return int(np.quantile(values, q, method="inverted_cdf"))


def _forecast(ballot: Ballot, s: _Sample) -> Forecast:
    """Summaries of one sample."""
    draws, n = ballot.draws, len(ballot.voters)
    p = float(np.count_nonzero(s.won)) / draws
    values, counts = np.unique(s.lines, return_counts=True)
    return Forecast(
        probability=p,
        standard_error=math.sqrt(p * (1 - p) / draws),
        median_votes=_quantile(s.votes, 0.5),
        interval=(_quantile(s.votes, 0.1), _quantile(s.votes, 0.9)),
        expected_votes=float(s.votes.mean()),
        expected_voting=float(s.voting.mean()),
        expected_line=float(s.lines.mean()),
        median_line=_quantile(s.lines, 0.5),
        line_interval=(_quantile(s.lines, 0.1), _quantile(s.lines, 0.9)),
        histogram=tuple(np.bincount(s.votes, minlength=n + 1).tolist()),
        winning_histogram=tuple(np.bincount(s.votes[s.won], minlength=n + 1).tolist()),
        lines=tuple(zip(values.tolist(), counts.tolist(), strict=True)),
        draws=draws,
        seed=ballot.seed,
        electorate=n,
        membership=ballot.members,
    )


def simulate(ballot: Ballot) -> Forecast:
    """Monte Carlo forecast of one ballot: chance of reaching the line, votes, spread, histogram."""
    return _forecast(ballot, _sample(ballot, _uniforms(ballot)))


# One member changing its mind moves our votes and the members voting by these steps:
# abstain→for (+1, +1), rival→for (+1, 0), rival→abstain (0, −1), and the reverses.
_SHIFTS = ((1, 1), (1, 0), (0, -1), (-1, -1), (-1, 0), (0, 1))


def _pivotal(ballot: Ballot, s: _Sample) -> np.ndarray:
    """Draws whose outcome one member's change could flip: the only ones a swing can move."""
    flips = np.zeros(ballot.draws, dtype=bool)
    for dv, dn in _SHIFTS:
        lines = lines_for(ballot.rule, np.maximum(s.voting + dn, 0), ballot.members)
        flips |= (s.votes + dv >= lines) != s.won
    return np.flatnonzero(flips)


def _codes(u: np.ndarray, cuts: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Each cell's outcome: 0 votes for us, 1 abstains, 2 votes for a rival, 3 absent."""
    code = np.zeros(u.shape, dtype=np.int8)
    for cut in cuts:
        code += u >= cut[:, None]
    return code


def _wins_if(
    ballot: Ballot,
    s: _Sample,
    u: np.ndarray,
    cols: np.ndarray,
    base: np.ndarray,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per member i, winning draws and draws changed when i alone takes weight `weights[i]`.

    Only the pivotal columns `cols` of the uniforms are re-read (`u`, with outcome codes `base`):
    elsewhere no single member can change the outcome. Row i is exactly what a rerun with i's
    new weight would draw.
    """
    new = _codes(u, _thresholds(ballot, weights))
    dv = (new == 0).astype(np.int64) - (base == 0)
    dn = (base & 1).astype(np.int64) - (new & 1)  # odd codes (abstain, absent) are not voting
    won = s.votes[cols] + dv >= lines_for(ballot.rule, s.voting[cols] + dn, ballot.members)
    total = int(np.count_nonzero(s.won)) - int(np.count_nonzero(s.won[cols]))
    changed = np.count_nonzero(won != s.won[cols], axis=1)
    return total + np.count_nonzero(won, axis=1), changed


def _swings(ballot: Ballot, u: np.ndarray, s: _Sample) -> tuple[Swing, ...]:
    """Swing of every member, ranked by stake (largest first), then by input order."""
    own = np.array([v.p_for for v in ballot.voters], dtype=np.float64)
    cols = _pivotal(ballot, s)
    piv = u[:, cols]
    base = _codes(piv, _thresholds(ballot))
    draws, wins = ballot.draws, int(np.count_nonzero(s.won))
    moves = {}
    for name in ("p_for_up", "p_for_down"):
        rungs = [getattr(v, name) for v in ballot.voters]
        weights = np.array([own[i] if r is None else r for i, r in enumerate(rungs)])
        moves[name] = (rungs, *_wins_if(ballot, s, piv, cols, base, weights))

    def delta(name: str, i: int) -> tuple[float | None, float]:
        rungs, moved, changed = moves[name]
        if rungs[i] is None:
            return None, 0.0
        d = int(moved[i]) / draws - wins / draws  # as two reruns' probabilities would differ
        return d, math.sqrt(max(int(changed[i]) / draws - d * d, 0.0) / draws)

    swings = []
    for i, voter in enumerate(ballot.voters):
        (up, up_se), (down, down_se) = delta("p_for_up", i), delta("p_for_down", i)
        swings.append(Swing(voter.key, i, up, down, up_se, down_se))
    return tuple(sorted(swings, key=lambda w: (-w.stake, w.index)))


def swing_list(ballot: Ballot) -> tuple[Swing, ...]:
    """For each member, the change in the chance of winning one rung up and one rung down."""
    u = _uniforms(ballot)
    return _swings(ballot, u, _sample(ballot, u))


def analyse(ballot: Ballot) -> Analysis:
    """Forecast and swing list from one sample (what the dashboard shows for a stage)."""
    u = _uniforms(ballot)
    s = _sample(ballot, u)
    return Analysis(_forecast(ballot, s), _swings(ballot, u, s))


def poisson_binomial(ps: Sequence[float]) -> np.ndarray:
    """Exact distribution of the number of successes of independent trials with chances `ps`."""
    pmf = np.zeros(len(ps) + 1)
    pmf[0] = 1.0
    for k, p in enumerate(ps, start=1):
        pmf[1 : k + 1] = pmf[1 : k + 1] * (1 - p) + pmf[:k] * p
        pmf[0] *= 1 - p
    return pmf


def exact_win_probability(ballot: Ballot) -> float:
    """Exact chance of reaching the line, by dynamic programming over (our votes, members voting).

    Absent and abstaining members move neither count, so the joint distribution is all the line
    needs. At full turnout with no abstention it is the Poisson-binomial tail of `p_for`.
    O(n³) for n members: an oracle for the tests and a cross-check, not for page views.
    """
    n = len(ballot.voters)
    joint = np.zeros((n + 1, n + 1))  # joint[v, m]: v votes for us among m present and voting
    joint[0, 0] = 1.0
    a = ballot.split.abstain_share
    for voter in ballot.voters:
        p_for = voter.p_present * voter.p_for
        p_rival = voter.p_present * (1 - voter.p_for) * (1 - a)
        step = joint * (1 - p_for - p_rival)
        step[:, 1:] += joint[:, :-1] * p_rival
        step[1:, 1:] += joint[:-1, :-1] * p_for
        joint = step
    votes, voting = np.indices(joint.shape)
    won = votes >= lines_for(ballot.rule, voting, ballot.members)
    return float(math.fsum(joint[won].tolist()))


def cache_key(ballot: Ballot, version: Hashable = ()) -> Hashable:
    """Key of an analysis: the caller's data version and the ballot itself.

    The ballot holds every input, so a forgotten version bump can never serve stale figures;
    the version (e.g. (campaign id, stage id, weights revision)) only names the entry. The cache
    itself is state, so it lives outside this pure module: `app.services.forecast_cache`.
    """
    return (version, ballot)
