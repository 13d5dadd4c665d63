"""Stages: their electorates, settings, recorded rounds and results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.domain.ballot_math import RoundVerdict, judge_round, round_errors
from app.domain.enums import (
    BodyKind,
    ElectorateMode,
    RegionalGroup,
    RoundOutcome,
    StageResult,
    WinningRule,
)
from app.domain.text import Message, Sentences
from app.extensions import db
from app.models import BallotRound, BallotVote, Campaign, Candidate, Membership, Stage, State
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import ensure_open

HRC = "HRC"
HRC_SEATS = 47


@dataclass(frozen=True)
class Electorate:
    """Who votes in a stage, the body's whole membership, and what may be missing."""

    ids: frozenset[int]
    membership: int
    warning: str | Message = ""


def electorate(stage: Stage, memo: dict | None = None) -> Electorate:
    """The voters of a stage: derived from its body on its date (or set by hand), less non-voters.

    `memo` (a dict the caller keeps for one page) shares the members of a body among stages.
    """
    if memo is None:
        members, warning = _members(stage)
    else:
        key = (
            stage.body_kind,
            stage.electorate_mode,
            stage.regional_group,
            stage.held_on.year,
            stage.id if stage.electorate_mode is ElectorateMode.MANUAL or stage.body_kind is BodyKind.OTHER else None,
        )
        if key not in memo:
            memo[key] = _members(stage)
        members, warning = memo[key]
    non_voting = {s.id for s in stage.non_voters}
    return Electorate(frozenset(members - non_voting), len(members), warning)


def _members(stage: Stage) -> tuple[set[int], str | Message]:
    if stage.electorate_mode is ElectorateMode.MANUAL or stage.body_kind is BodyKind.OTHER:
        ids = {s.id for s in stage.manual_electors}
        return ids, "" if ids else Message("No voting states set for this stage yet.")
    if stage.body_kind is BodyKind.GENERAL_ASSEMBLY:
        return set(db.session.scalars(sa.select(State.id).where(State.un_member))), ""
    if stage.body_kind is BodyKind.REGIONAL_GROUP:
        ids = set(db.session.scalars(
            sa.select(State.id).where(State.un_member, State.regional_group == stage.regional_group)))
        return ids, "" if ids else Message("Choose the regional group that votes.")
    year = stage.held_on.year
    ids = set(db.session.scalars(sa.select(Membership.state_id).where(
        Membership.body == HRC, Membership.term_start <= year, Membership.term_end >= year)))
    if len(ids) < HRC_SEATS:
        return ids, Message("Council terms for %(year)s are not fully loaded: %(known)d of %(seats)d members known. "
                            "Add the missing terms to the reference data or set the electorate by hand.",
                            year=year, known=len(ids), seats=HRC_SEATS)
    return ids, ""


def electorate_states(stage: Stage) -> list[State]:
    """The voting states of a stage, ordered by name."""
    ids = electorate(stage).ids
    return list(db.session.scalars(sa.select(State).where(State.id.in_(ids)).order_by(State.name))) if ids else []


@dataclass(frozen=True)
class StageInput:
    """The fields staff set on a stage."""

    name: str
    body_kind: BodyKind
    regional_group: RegionalGroup | None
    body_name: str
    held_on: date
    date_provisional: bool
    electorate_mode: ElectorateMode
    winning_rule: WinningRule
    expected_turnout: int | None
    seats: int
    source: str = ""
    manual_elector_ids: list[int] = field(default_factory=list)
    non_voter_ids: list[int] = field(default_factory=list)
    rivals: list[tuple[str, int | None]] = field(default_factory=list)


def _states(ids: list[int]) -> list[State]:
    found = list(db.session.scalars(sa.select(State).where(State.id.in_(set(ids))))) if ids else []
    if len(found) != len(set(ids)):
        raise ServiceError(Message("Unknown state in the stage."))
    return found


def stage_snapshot(stage: Stage) -> dict:
    """A stage's settings as JSON-ready values, for the audit trail."""
    return {
        "name": stage.name, "body": stage.body_label, "held_on": stage.held_on.isoformat(),
        "provisional": stage.date_provisional, "rule": stage.winning_rule.value,
        "expected_turnout": stage.expected_turnout, "seats": stage.seats,
        "electorate_mode": stage.electorate_mode.value,
        "electors": sorted(s.iso3 for s in stage.manual_electors),
        "non_voters": sorted(s.iso3 for s in stage.non_voters),
        "candidates": [c.label for c in stage.candidates],
    }


def save_stage(campaign: Campaign, stage: Stage | None, data: StageInput, actor: Actor) -> Stage:
    """Add a stage at the end of the campaign, or change one still undecided."""
    ensure_open(campaign)
    if stage is not None and (stage.result.is_decided or stage.rounds):
        raise ServiceError(Message("This stage has a recorded result and is read-only."))
    if data.body_kind is BodyKind.REGIONAL_GROUP and data.regional_group is None:
        raise ServiceError(Message("Choose the regional group that votes in this stage."))
    if data.seats < 1:
        raise ServiceError(Message("A stage fills at least one seat."))
    before = stage_snapshot(stage) if stage else {}
    if stage is None:
        stage = Stage(campaign_id=campaign.id, sequence=max((s.sequence for s in campaign.stages), default=0) + 1)
        db.session.add(stage)
        campaign.stages.append(stage)
    stage.name, stage.body_kind, stage.held_on = data.name.strip(), data.body_kind, data.held_on
    stage.regional_group = data.regional_group if data.body_kind is BodyKind.REGIONAL_GROUP else None
    stage.body_name = data.body_name.strip() if data.body_kind is BodyKind.OTHER else ""
    stage.date_provisional, stage.winning_rule, stage.seats = data.date_provisional, data.winning_rule, data.seats
    stage.electorate_mode = ElectorateMode.MANUAL if data.body_kind is BodyKind.OTHER else data.electorate_mode
    stage.source = data.source.strip()
    stage.manual_electors = _states(data.manual_elector_ids)
    stage.non_voters = _states(data.non_voter_ids)
    _set_candidates(campaign, stage, data.rivals)
    db.session.flush()
    size = len(electorate(stage).ids)
    if data.expected_turnout is not None and not 0 <= data.expected_turnout <= size:
        raise ServiceError(Message("Expected turnout must lie between 0 and the electorate (%(size)d).", size=size))
    stage.expected_turnout = data.expected_turnout
    db.session.flush()
    audit.record(
        "stage.save", actor, "stage", stage.id, campaign=campaign.id, before=before, after=stage_snapshot(stage)
    )
    return stage


def _set_candidates(campaign: Campaign, stage: Stage, rivals: list[tuple[str, int | None]]) -> None:
    """Ours follows the campaign's candidate; rivals are replaced by the list given."""
    mine = stage.our_candidate or Candidate(is_ours=True)
    mine.name = campaign.candidate_name or campaign.candidate_state.name
    mine.state_id = campaign.candidate_state_id
    wanted = [(name.strip(), state_id) for name, state_id in rivals if name.strip()]
    if state_ids := [sid for _, sid in wanted if sid is not None]:
        _states(state_ids)
    stage.candidates = [mine] + [Candidate(name=name, state_id=sid, is_ours=False) for name, sid in wanted]


@dataclass(frozen=True)
class RoundInput:
    """One round's recorded figures; votes map candidate ids to votes."""

    held_on: date
    present: int
    abstentions: int
    invalid: int
    votes: dict[int, int]
    source: str = ""


def verdict(stage: Stage, ballot: BallotRound, membership: int | None = None) -> RoundVerdict:
    """What a recorded round decided, recomputed from its figures (`membership`: the body's, if known)."""
    mine = stage.our_candidate
    return judge_round(
        stage.winning_rule, ballot.present, ballot.abstentions, ballot.invalid,
        {v.candidate_id: v.votes for v in ballot.votes}, mine.id if mine else None, stage.seats,
        electorate(stage).membership if membership is None else membership,
    )


def record_round(stage: Stage, data: RoundInput, actor: Actor) -> RoundVerdict:
    """Record the next round; the line comes from its turnout; a deciding round settles the stage."""
    ensure_open(stage.campaign)
    if stage.result.is_decided:
        raise ServiceError(Message("This stage is decided; its results are read-only."))
    known = {c.id for c in stage.candidates}
    if set(data.votes) - known:
        raise ServiceError(Message("Votes given for someone who is not a candidate in this stage."))
    errors = round_errors(data.present, data.abstentions, data.invalid, data.votes, stage.seats)
    size = len(electorate(stage).ids)
    if data.present > size:
        errors.append(Message("More members present (%(present)d) than vote in this stage (%(size)d).",
                              present=data.present, size=size))
    if errors:
        raise ServiceError(Sentences(*errors))
    ballot = BallotRound(stage_id=stage.id, number=len(stage.rounds) + 1, held_on=data.held_on, present=data.present,
                         abstentions=data.abstentions, invalid=data.invalid, source=data.source.strip(),
                         recorded_by_id=actor.id)
    ballot.votes = [BallotVote(candidate_id=cid, votes=n) for cid, n in data.votes.items()]
    stage.rounds.append(ballot)
    db.session.flush()
    result = verdict(stage, ballot)
    if result.outcome is not RoundOutcome.NEXT_ROUND:
        stage.result = StageResult(result.outcome.value)
    db.session.flush()
    audit.record("stage.round", actor, "stage", stage.id, campaign=stage.campaign_id, round=ballot.number,
                 present=data.present, abstentions=data.abstentions, invalid=data.invalid,
                 votes={str(k): v for k, v in data.votes.items()}, line=result.line, outcome=result.outcome.value)
    return result


def record_decision(stage: Stage, result: StageResult, note: str, actor: Actor) -> None:
    """Settle a stage decided without a ballot (acclamation, a withdrawal, a walkover)."""
    ensure_open(stage.campaign)
    if stage.result.is_decided:
        raise ServiceError(Message("This stage is decided already."))
    if not result.is_decided:
        raise ServiceError(Message("Choose elected or not elected."))
    if not note.strip():
        raise ServiceError(Message("Say how the stage was decided (for example “elected by acclamation”)."))
    stage.result, stage.result_note = result, note.strip()
    db.session.flush()
    audit.record("stage.decide", actor, "stage", stage.id, campaign=stage.campaign_id, result=result.value,
                 note=stage.result_note)
