"""Pure arithmetic of recorded ballots: the outcome of a round and the pledge reconciliation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.domain.enums import RoundOutcome, WinningRule
from app.domain.tally_math import votes_needed
from app.domain.text import Message


@dataclass(frozen=True)
class RoundVerdict:
    """What a round decided, from its recorded turnout and votes."""

    present_and_voting: int
    line: int
    elected: tuple[int, ...]
    outcome: RoundOutcome


def round_errors(present: int, abstentions: int, invalid: int, votes: Mapping[int, int], seats: int) -> list[Message]:
    """Why a round's figures cannot be right (empty when they add up)."""
    errors = []
    if min(present, abstentions, invalid, *votes.values(), 0) < 0:
        errors.append(Message("Counts cannot be negative."))
    voting = present - abstentions - invalid
    if voting < 0:
        errors.append(Message("Abstentions and invalid ballots cannot exceed the members present."))
    elif any(v > voting for v in votes.values()):
        errors.append(Message("No candidate can receive more votes than the %(voting)d members present and voting.",
                              voting=voting))
    elif sum(votes.values()) > seats * voting:
        errors.append(Message("The votes add up to more than the %(voting)d valid ballots allow.", voting=voting))
    return errors


def judge_round(
    rule: WinningRule,
    present: int,
    abstentions: int,
    invalid: int,
    votes: Mapping[int, int],
    ours: int | None,
    seats: int = 1,
    membership: int | None = None,
) -> RoundVerdict:
    """The line from the recorded turnout, who reached it, and what that means for us.

    Candidates at or above the line are elected in order of votes, up to `seats`; a tie at the
    last seat elects neither (the body votes again). `votes` maps candidate ids to votes.
    """
    voting = present - abstentions - invalid
    line = votes_needed(rule, max(voting, 0), membership)
    reached = sorted((c for c, v in votes.items() if v >= line), key=lambda c: -votes[c])
    elected = reached[:seats]
    if len(reached) > seats and votes[reached[seats]] == votes[elected[-1]]:
        tied = votes[elected[-1]]
        elected = [c for c in elected if votes[c] > tied]
    if ours is not None and ours in elected:
        outcome = RoundOutcome.ELECTED
    elif len(elected) >= seats:
        outcome = RoundOutcome.NOT_ELECTED
    else:
        outcome = RoundOutcome.NEXT_ROUND
    return RoundVerdict(voting, line, tuple(elected), outcome)


@dataclass(frozen=True)
class YieldRow:
    """Pledges of one kind held at ballot time, and what the votes say about them."""

    kind: str
    pledges: int
    # In a secret ballot a kind's yield can only be bounded: at best every vote came from
    # these pledges; at worst only the votes the other members present could not account for.
    best: float | None
    worst: float | None


@dataclass(frozen=True)
class Reconciliation:
    """Promised against received, for one decided round."""

    pledges: int
    votes: int
    present_and_voting: int
    unhonoured_at_least: int
    yield_overall: float | None
    rows: tuple[YieldRow, ...]

    @property
    def more_votes_than_pledges(self) -> bool:
        """Support the desk never recorded as a pledge: the yield says more about the record than the pledges."""
        return self.votes > self.pledges


def reconcile(pledges_by_kind: Mapping[str, int], votes: int, present_and_voting: int) -> Reconciliation:
    """Compare the pledges held with the votes received (kinds must not overlap)."""
    total = sum(pledges_by_kind.values())
    rows = []
    for kind, count in pledges_by_kind.items():
        if count == 0:
            rows.append(YieldRow(kind, 0, None, None))
            continue
        others = max(present_and_voting - count, 0)
        rows.append(YieldRow(kind, count, min(votes, count) / count, max(votes - others, 0) / count))
    return Reconciliation(
        pledges=total,
        votes=votes,
        present_and_voting=present_and_voting,
        unhonoured_at_least=max(total - votes, 0),
        yield_overall=votes / total if total else None,
        rows=tuple(rows),
    )
