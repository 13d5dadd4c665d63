"""Pure arithmetic of the vote count: winning line, weighted forecast, weekly trend."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.enums import RegionalGroup, SupportStatus, WinningRule
from app.domain.text import Message, Number

S = SupportStatus

# Most to least supportive: the order in which charts stack seats and weights are listed.
SUPPORT_ORDER: tuple[SupportStatus, ...] = (
    S.WRITTEN_PLEDGE,
    S.VERBAL_PLEDGE,
    S.LEANING_FOR,
    S.UNDECIDED,
    S.APPROACHED,
    S.NOT_APPROACHED,
    S.LEANING_AGAINST,
    S.AGAINST,
)

DEFAULT_STATUS_WEIGHTS: Mapping[SupportStatus, float] = {
    S.WRITTEN_PLEDGE: 0.9,
    S.VERBAL_PLEDGE: 0.75,
    S.LEANING_FOR: 0.5,
    S.UNDECIDED: 0.25,
    S.APPROACHED: 0.15,
    S.NOT_APPROACHED: 0.15,
    S.LEANING_AGAINST: 0.05,
    S.AGAINST: 0.0,
}
DEFAULT_CONDITIONAL_FACTOR = 0.6


def votes_needed(rule: WinningRule, present_and_voting: int, membership: int | None = None) -> int:
    """Smallest vote count that wins among `present_and_voting` ballots (never less than 1).

    Abstentions, invalid ballots and absences are not "voting", so they do not raise the line;
    a stage's expected turnout stands in for the members present and voting on the day.
    Majority means more than half (floor(n/2) + 1); two-thirds means at least 2n/3
    (ceil(2n/3)); an absolute majority is more than half of the body's whole `membership`
    (97 of 193), whoever turns up. With nobody voting the line is 1, an unreachable count: no
    candidate is elected on zero votes, and a line of 0 would show an empty race as won.
    """
    if present_and_voting < 0:
        raise ValueError("present_and_voting must be >= 0")
    n = present_and_voting
    if rule is WinningRule.TWO_THIRDS:
        needed = (2 * n + 2) // 3  # integer ceil(2n/3), no float rounding
    elif rule is WinningRule.ABSOLUTE_MAJORITY:
        if membership is None or membership < 0:
            raise ValueError("an absolute majority needs the body's membership")
        needed = membership // 2 + 1
    else:
        needed = n // 2 + 1
    return max(1, needed)


@dataclass(frozen=True)
class Weights:
    """Probability that a state in a given status votes for us, and the conditional discount."""

    by_status: Mapping[SupportStatus, float] = field(
        default_factory=lambda: dict(DEFAULT_STATUS_WEIGHTS)
    )
    conditional_factor: float = DEFAULT_CONDITIONAL_FACTOR

    def __post_init__(self) -> None:
        missing = [s for s in SupportStatus if s not in self.by_status]
        if missing:
            raise ValueError(f"no weight for {', '.join(s.value for s in missing)}")
        # Probabilities: keeps the forecast between 0 and the electorate.
        for value in [*self.by_status.values(), self.conditional_factor]:
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"weights must lie in [0, 1], got {value}")

    def for_status(self, status: SupportStatus, conditional: bool = False) -> float:
        """Weight of one vote; the conditional factor applies to pledges only."""
        weight = self.by_status[status]
        if conditional and status.is_pledge:
            weight *= self.conditional_factor
        return weight

    def formula(self) -> Message:
        """Human-readable statement of how expected votes are computed, in the reader's language when shown."""
        return Message(
            "Expected votes = Σ over all member states of weight(status); "
            "conditional pledges × %(factor)s; weights: %(weights)s.",
            factor=Number(self.conditional_factor, None), weights=_WeightList(self),
        )


class _WeightList:
    """"written pledge 1.00, verbal pledge 0.90, …": labels and numbers of the locale in force when shown."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights

    def __str__(self) -> str:
        return ", ".join(f"{str(s.label).lower()} {Number(self.weights.by_status[s], 2)}" for s in SUPPORT_ORDER)


@dataclass(frozen=True)
class Voter:
    """One member of the electing body as the tally sees it."""

    iso3: str
    name: str
    group: RegionalGroup | None  # None: in no regional group (the Holy See, in a hand-set electorate)
    status: SupportStatus
    conditional: bool = False
    last_contact: date | None = None


@dataclass(frozen=True)
class GroupRow:
    """Counts and votes for one regional group."""

    group: RegionalGroup
    counts: dict[SupportStatus, int]
    total: int
    firm: int
    expected: float


@dataclass(frozen=True)
class Tally:
    """Everything the dashboard shows about the count, computed once."""

    electorate: int
    turnout: int
    rule: WinningRule
    votes_needed: int
    counts: dict[SupportStatus, int]
    firm: int
    conditional_pledges: int
    expected: float
    firm_gap: int
    expected_gap: float
    by_group: list[GroupRow]
    formula: Message

    @property
    def expected_display(self) -> str:
        """Expected votes rounded for display; the float stays exact for arithmetic."""
        return str(Number(self.expected, 1))


# Voters are scored through (status, conditional) buckets so that the tally and the
# trend add the very same floats in the same order and agree to the last bit.
Bucket = tuple[SupportStatus, bool]


def _bucket(status: SupportStatus, conditional: bool) -> Bucket:
    return status, bool(conditional and status.is_pledge)


def _score(buckets: Mapping[Bucket, int], weights: Weights) -> tuple[int, float]:
    """Firm and expected votes of a set of bucket counts."""
    firm = 0
    parts = []
    for status in SupportStatus:
        for conditional in (False, True):
            count = buckets.get((status, conditional), 0)
            if count:
                if status.is_pledge:
                    firm += count
                parts.append(count * weights.for_status(status, conditional))
    return firm, math.fsum(parts)


def _counts(voters: Iterable[Voter]) -> dict[SupportStatus, int]:
    found = Counter(v.status for v in voters)
    return {s: found.get(s, 0) for s in SupportStatus}


def _group_rows(voters: list[Voter], weights: Weights) -> list[GroupRow]:
    rows = []
    for group in RegionalGroup:
        members = [v for v in voters if v.group is group]
        if not members:
            continue
        firm, expected = _score(Counter(_bucket(v.status, v.conditional) for v in members), weights)
        rows.append(GroupRow(group, _counts(members), len(members), firm, expected))
    return rows


def compute_tally(
    voters: list[Voter],
    weights: Weights,
    rule: WinningRule,
    expected_turnout: int | None,
    membership: int | None = None,
) -> Tally:
    """Count, forecast and winning line for the current statuses.

    `membership` is the body's whole membership for an absolute majority (defaults to the
    electorate); the turnout never exceeds the electorate.
    """
    electorate = len(voters)
    turnout = electorate if expected_turnout is None else min(max(expected_turnout, 0), electorate)
    needed = votes_needed(rule, turnout, electorate if membership is None else membership)
    buckets = Counter(_bucket(v.status, v.conditional) for v in voters)
    firm, expected = _score(buckets, weights)
    return Tally(
        electorate=electorate,
        turnout=turnout,
        rule=rule,
        votes_needed=needed,
        counts=_counts(voters),
        firm=firm,
        conditional_pledges=sum(n for (s, c), n in buckets.items() if c),
        expected=expected,
        firm_gap=needed - firm,
        expected_gap=needed - expected,
        by_group=_group_rows(voters, weights),
        formula=weights.formula(),
    )


@dataclass(frozen=True)
class StatusChangePoint:
    """A state's status as of a given day, from the status history."""

    iso3: str
    changed_on: date
    new_status: SupportStatus
    conditional: bool = False


@dataclass(frozen=True)
class TrendPoint:
    """Firm and expected votes at the end of one week."""

    week_end: date
    firm: int
    expected: float


def week_ends(start: date, end: date) -> list[date]:
    """Every seventh day counted back from `end`, plus `start`; both ends included."""
    if end < start:
        return []
    # Anchored on `end` so the last point is "today" and the spacing stays weekly.
    days = [end - timedelta(days=7 * k) for k in range((end - start).days // 7 + 1)]
    if days[-1] != start:
        days.append(start)
    return days[::-1]


def weekly_trend(
    changes: list[StatusChangePoint],
    electorate_iso3s: Iterable[str],
    start: date,
    end: date,
    weights: Weights,
) -> list[TrendPoint]:
    """Firm and expected votes at each week end, replayed from the status history.

    A change counts from its own day on; a state with no change yet is not approached;
    changes of states outside the electorate are ignored; on the same day the later change
    in the list wins (the list comes in record order: the one rule for "current", see
    `current_statuses`). Cost: sorting the changes plus one constant-size score per week.
    """
    ends = week_ends(start, end)
    current: dict[str, Bucket] = {iso3: (S.NOT_APPROACHED, False) for iso3 in electorate_iso3s}
    buckets = Counter(current.values())
    pending = sorted(
        (c for c in changes if c.iso3 in current and c.changed_on <= end),
        key=lambda c: c.changed_on,  # stable: same-day changes keep their list order
    )
    points = []
    i = 0
    for week_end in ends:
        while i < len(pending) and pending[i].changed_on <= week_end:
            change = pending[i]
            buckets[current[change.iso3]] -= 1
            current[change.iso3] = _bucket(change.new_status, change.conditional)
            buckets[current[change.iso3]] += 1
            i += 1
        points.append(trend_point(week_end, buckets, weights))
    return points


def trend_point(week_end: date, buckets: Mapping[Bucket, int], weights: Weights) -> TrendPoint:
    """Firm and expected votes of one week end from its (status, conditional) counts."""
    firm, expected = _score(buckets, weights)
    return TrendPoint(week_end, firm, expected)


def bucket(status: SupportStatus, conditional: bool) -> Bucket:
    """The (status, conditional) pair a voter is scored by: only a pledge is conditional."""
    return _bucket(status, conditional)


def current_statuses(changes: list[StatusChangePoint]) -> dict[str, StatusChangePoint]:
    """Each state's current position: the latest change by the day it was expressed.

    Ties on the same day go to the later record, so `changes` must come in record order
    (ascending id). Every figure of the desk derives "current" from this rule.
    """
    latest: dict[str, StatusChangePoint] = {}
    for change in sorted(changes, key=lambda c: c.changed_on):  # stable: record order kept on ties
        latest[change.iso3] = change
    return latest
