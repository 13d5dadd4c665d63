"""Gathering briefs and trip packs into plain dataclasses: every query a brief needs is here."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.auth import scope
from app.domain import brief_data as brief
from app.domain import clock
from app.domain.enums import SupportStatus
from app.domain.text import Message
from app.extensions import db
from app.models import (
    Campaign,
    Contact,
    FollowUp,
    Membership,
    OutreachEntry,
    Position,
    ReciprocalRequest,
    State,
    StatusChange,
    User,
    outreach_listings,
)
from app.models.types import utcnow
from app.pdf.context import DocumentContext
from app.pdf.translate import ENGLISH, Translator
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.stages import HRC, electorate
from app.services.state_search import display_name
from app.services.tally import campaign_tally

LATEST_OUTREACH = 12  # entries per state printed in a brief; the desk keeps the rest
LATEST_CHANGES = 12  # status changes per state printed in a brief, the latest first
OPEN_FOLLOW_UPS = 12  # open follow-ups per state printed in a brief, the soonest due first


DEFAULT_CLASSIFICATION = "CONFIDENTIAL"  # the setting's default (SUARA_CLASSIFICATION)


def document_context(campaign: Campaign, recipient: User, t: Translator = ENGLISH,
                     classification: str = DEFAULT_CLASSIFICATION) -> DocumentContext:
    """Who the document is for, the campaign on its header, the reader's language and the marking
    from the settings (the footer and watermark every page carries)."""
    return DocumentContext(
        classification=classification, recipient=recipient.name, generated_at=utcnow(),
        campaign_name=campaign.name, office=campaign.office, election_date=campaign.election_date,
        candidate=campaign.candidate_name or t.gettext("Candidate to be named"),
        candidate_state=campaign.candidate_state.name, t=t,
    )


def _evidence_line(change: StatusChange, t: Translator) -> str:
    parts = [t.label(change.source_level) if change.source_level else "",
             t.label(change.pledge_form) if change.pledge_form else ""]
    if change.note_reference:
        parts.append(t.gettext("note %(ref)s of %(date)s", ref=change.note_reference, date=t.date(change.note_date))
                     if change.note_date else t.gettext("note %(ref)s", ref=change.note_reference))
    if change.conditional:
        parts.append(t.gettext("conditional"))
    return "; ".join(str(p) for p in parts if p)


def _evidence(change: StatusChange | None, t: Translator) -> brief.StatusEvidence | None:
    if change is None:
        return None
    condition = change.condition_request
    return brief.StatusEvidence(
        level=t.label(change.source_level) if change.source_level else None,
        form=t.label(change.pledge_form) if change.pledge_form else None,
        note_reference=change.note_reference or None, note_date=change.note_date,
        conditional=change.conditional,
        condition=f"{condition.post} ({condition.body} {condition.year})" if condition else None,
        reason=change.reason or None,
    )


def _grouped(rows, key) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _first_per_state(ids: list[int], rows: sa.FromClause, key: sa.ColumnElement[int], lookup: sa.FromClause,
                     where: Callable[[sa.ColumnElement[int]], tuple], order: tuple, limit: int) -> sa.Subquery:
    """(state_id, id, total) for each of the states: the `key`s of its first `limit` `rows` in `order`
    (`where(state_id)`), ids of `lookup`, and how many it has, in one statement whose cost per state is
    the limit and one count of an index range, not the history.

    The states and their totals are a MATERIALIZED CTE (SQLite >= 3.35, PostgreSQL >= 12), so each total is
    counted once a state rather than once a row (SQLite would otherwise inline the CTE). PostgreSQL
    joins the first rows LATERAL; SQLite, which has no LATERAL, finds them as `lookup.id IN (first rows)`,
    a list it reads again for each state.
    """
    states = State.__table__
    counted = sa.select(sa.func.count()).select_from(rows).where(*where(states.c.id)).scalar_subquery()
    chosen = (sa.select(states.c.id.label("state_id"), counted.label("total")).where(states.c.id.in_(ids))
              .cte("chosen").prefix_with("MATERIALIZED"))
    first = sa.select(key.label("id")).where(*where(chosen.c.state_id)).order_by(*order).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        picked = first.lateral("picked")
        return sa.select(chosen.c.state_id, picked.c.id, chosen.c.total).join(picked, sa.true()).subquery()
    return (sa.select(chosen.c.state_id, lookup.c.id, chosen.c.total).select_from(chosen)
            .join(lookup, lookup.c.id.in_(first.correlate(chosen))).subquery())


def _latest_changes(campaign: Campaign, ids: list[int]) -> list[tuple[StatusChange, int]]:
    """Each state's latest LATEST_CHANGES status changes and how many it has, in one query.

    The order is the one rule for "current", that of the index (campaign, state, effective_on, id).
    """
    changes = sa.alias(StatusChange.__table__)
    latest = _first_per_state(
        ids, changes, changes.c.id, StatusChange.__table__,
        lambda state_id: (changes.c.campaign_id == campaign.id, changes.c.state_id == state_id),
        (changes.c.effective_on.desc(), changes.c.id.desc()), LATEST_CHANGES)
    return [(change, total) for change, total in db.session.execute(
        sa.select(StatusChange, latest.c.total).join(latest, latest.c.id == StatusChange.id)
        .options(so.joinedload(StatusChange.changed_by), so.joinedload(StatusChange.condition_request))
        .order_by(StatusChange.effective_on.desc(), StatusChange.id.desc())
    )]


def _latest_entries(campaign: Campaign, ids: list[int]) -> list[tuple[int, OutreachEntry, int]]:
    """Each state's latest LATEST_OUTREACH live entries for the campaign and how many it has.

    Read from `outreach_listings` (live entries by campaign, state and day, one index in that order).
    """
    listed = outreach_listings.c
    latest = _first_per_state(
        ids, outreach_listings, listed.entry_id, OutreachEntry.__table__,
        lambda state_id: (listed.campaign_id == campaign.id, listed.state_id == state_id),
        (listed.occurred_on.desc(), listed.entry_id.desc()), LATEST_OUTREACH)
    return [(state_id, entry, total) for state_id, entry, total in db.session.execute(
        sa.select(latest.c.state_id, OutreachEntry, latest.c.total)
        .join(latest, latest.c.id == OutreachEntry.id)
        .options(so.selectinload(OutreachEntry.contacts))
        .order_by(OutreachEntry.occurred_on.desc(), OutreachEntry.id.desc())
    )]


def _open_follow_ups(campaign: Campaign, ids: list[int]) -> list[tuple[FollowUp, int]]:
    """Each state's OPEN_FOLLOW_UPS soonest-due open follow-ups and how many are open (the index
    (campaign, state, done_at, due_on, id) in that order)."""
    open_ones = sa.alias(FollowUp.__table__)
    first = _first_per_state(
        ids, open_ones, open_ones.c.id, FollowUp.__table__,
        lambda state_id: (open_ones.c.campaign_id == campaign.id, open_ones.c.state_id == state_id,
                          open_ones.c.done_at.is_(None)),
        (open_ones.c.due_on, open_ones.c.id), OPEN_FOLLOW_UPS)
    return [(follow_up, total) for follow_up, total in db.session.execute(
        sa.select(FollowUp, first.c.total).join(first, first.c.id == FollowUp.id)
        .options(so.joinedload(FollowUp.owner)).order_by(FollowUp.due_on, FollowUp.id)
    )]


def _load(campaign: Campaign, ids: list[int]) -> dict[str, Any]:
    """One query per kind of record, for all the states at once."""
    stage = campaign.current_stage
    year = stage.held_on.year if stage else utcnow().year
    changes = _latest_changes(campaign, ids)
    entries = _latest_entries(campaign, ids)
    return {
        "positions": {p.state_id: p for p in db.session.scalars(
            sa.select(Position).where(Position.campaign_id == campaign.id, Position.state_id.in_(ids))
            .options(so.joinedload(Position.updated_by)))},
        "changes": _grouped(changes, lambda row: row[0].state_id),
        "outreach": _grouped(entries, lambda row: row[0]),
        "follow_ups": _grouped(_open_follow_ups(campaign, ids), lambda row: row[0].state_id),
        "contacts": _grouped(db.session.scalars(
            sa.select(Contact).where(Contact.state_id.in_(ids)).order_by(Contact.is_primary.desc(), Contact.name)),
            lambda c: c.state_id),
        "requests": _grouped(db.session.scalars(
            sa.select(ReciprocalRequest).where(ReciprocalRequest.state_id.in_(ids))
            .order_by(ReciprocalRequest.year.desc())), lambda r: r.state_id),
        "terms": {m.state_id: m for m in db.session.scalars(
            sa.select(Membership).where(Membership.state_id.in_(ids), Membership.body == HRC,
                                        Membership.term_start <= year, Membership.term_end >= year))},
        "voters": electorate(stage).ids if stage else frozenset(),
    }


def _state_brief(state: State, data: dict, today: date, t: Translator) -> brief.StateBrief:
    position = data["positions"].get(state.id)
    changes = [change for change, _ in data["changes"].get(state.id, [])]
    entries = data["outreach"].get(state.id, [])
    follow_ups = data["follow_ups"].get(state.id, [])
    term = data["terms"].get(state.id)
    latest = changes[0] if changes else None
    return brief.StateBrief(
        # "Kamboja (Cambodia)" for an Indonesian reader: the UN name stays as the official one.
        iso3=state.iso3, name=display_name(state.iso2, state.name, t.locale),
        regional_group=t.label(state.regional_group) if state.regional_group else t.gettext("No regional group"),
        un_member=state.un_member, in_electorate=state.id in data["voters"],
        hrc_term_start=term.term_start if term else None, hrc_term_end=term.term_end if term else None,
        status=position.status if position else SupportStatus.NOT_APPROACHED,
        status_set_on=latest.effective_on if latest else None,
        status_set_by=(latest.changed_by.name if latest and latest.changed_by else None),
        evidence=_evidence(latest, t), priority=t.label(state.priority), ask=state.the_ask,
        talking_points=state.talking_points,
        requests=[brief.ReciprocalRequest(direction=t.label(r.direction), body=r.body, post=r.post, year=r.year,
                                        status=t.label(r.status), notes=r.notes or None)
                  for r in data["requests"].get(state.id, [])],
        # The day the position was expressed (the meeting), not the day it was typed in.
        history=[brief.StatusChange(changed_at=datetime.combine(c.effective_on, time.min, UTC),
                                  from_status=c.from_status, to_status=c.to_status,
                                  changed_by=c.changed_by.name if c.changed_by else "—", reason=c.reason or None,
                                  evidence=_evidence_line(c, t) or None) for c in changes],
        outreach=[brief.OutreachEntry(
            occurred_on=e.occurred_on, channel=t.label(e.channel), level=t.label(e.level), location=e.location,
            our_participants=e.our_participants or None,
            # A meeting that covered several states lists, in this state's brief, this state's contacts only.
            their_participants="; ".join([c.name for c in e.contacts if c.state_id == state.id]
                                         + ([e.their_participants] if e.their_participants else [])) or None,
            summary=e.summary) for _, e, _ in entries],
        older_history=(data["changes"][state.id][0][1] - len(changes)) if changes else 0,
        older_outreach=(entries[0][2] - len(entries)) if entries else 0,
        follow_ups=[brief.FollowUp(text=f.text, due_on=f.due_on, owner=f.owner.name if f.owner else None,
                                 overdue=f.is_overdue(today)) for f, _ in follow_ups],
        more_follow_ups=(follow_ups[0][1] - len(follow_ups)) if follow_ups else 0,
        contacts=[brief.Contact(name=c.name, title=c.title or None, organisation=c.organisation or None,
                              email=c.email or None, phone=c.phone or None, primary=c.is_primary)
                  for c in data["contacts"].get(state.id, [])],
        profile=brief.StateProfile(capital=state.capital or None, head_of_state=state.head_of_state or None,
                                 foreign_minister=state.foreign_minister or None,
                                 mission_geneva=state.mission_geneva or None,
                                 mission_new_york=state.mission_new_york or None,
                                 our_embassy=state.our_embassy or None),
    )


def gather_briefs(campaign: Campaign, states: list[State], t: Translator = ENGLISH) -> list[brief.StateBrief]:
    """Briefs for `states`, in the order given and the reader's language, in a fixed number of queries."""
    if not states:
        return []
    data = _load(campaign, [s.id for s in states])
    today = clock.today()
    return [_state_brief(state, data, today, t) for state in states]


def campaign_snapshot(campaign: Campaign) -> brief.CampaignSnapshot:
    """Electorate, winning line and counts for the pack's snapshot page."""
    tally = campaign_tally(campaign)
    return brief.CampaignSnapshot(
        electorate_size=tally.electorate, votes_needed=tally.votes_needed,
        counts=[(status, tally.counts[status]) for status in SupportStatus],
        firm_votes=tally.firm, expected_votes=tally.expected,
    )


def trip_pack(campaign: Campaign, states: list[State], title: str, envoy: User, start: date, end: date,
              t: Translator = ENGLISH) -> brief.TripPack:
    # Campaign-wide figures only for those who may see the tally (scope: not envoys).
    snapshot = campaign_snapshot(campaign) if scope.sees_whole_campaign(envoy) else None
    return brief.TripPack(title=title, envoy=envoy.name, start_date=start, end_date=end,
                        states=gather_briefs(campaign, states, t), snapshot=snapshot)


class OutOfScope(ServiceError):
    """A pack named states the user may not read (refused and audited)."""


def state_brief_pdf(actor: Actor, campaign: Campaign, state: State, t: Translator, classification: str) -> bytes:
    """One state's brief in the reader's language, as PDF bytes; the download is audited."""
    from app.pdf.brief import render_state_brief

    reader = actor.signed_in
    one = gather_briefs(campaign, [state], t)[0]
    data = render_state_brief(one, document_context(campaign, reader, t, classification))
    audit.record("brief.download", actor, "state", state.iso3, states=[state.iso3], kind="state brief",
                 campaign=campaign.id)
    return data


def trip_pack_pdf(actor: Actor, campaign: Campaign, codes: list[str], request: PackRequest, t: Translator,
                  classification: str) -> bytes:
    """A trip pack of the states named by ISO3 code, in the order given, as PDF bytes (audited).

    Unknown codes are refused; codes outside the reader's scope are refused with `OutOfScope`, and
    that refusal is audited too (the caller commits it and answers 403).
    """
    from app.pdf.brief import render_trip_pack

    reader = actor.signed_in
    codes = [c.upper() for c in codes]
    states = list(db.session.scalars(sa.select(State).where(State.iso3.in_(codes))))
    if len(states) != len(set(codes)):
        raise ServiceError(Message("Unknown state in the selection."))
    visible = scope.visible_iso3(reader)
    if visible is not None and not set(codes) <= visible:
        audit.access_denied(actor, "pack", "", states=codes)
        raise OutOfScope(Message("These states are not yours to read."))
    states.sort(key=lambda s: codes.index(s.iso3))
    pack = trip_pack(campaign, states, request.title, reader, request.start, request.end, t)
    data = render_trip_pack(pack, document_context(campaign, reader, t, classification))
    audit.record("pack.download", actor, "pack", request.slug, states=codes, kind="trip pack",
                 title=request.title, campaign=campaign.id)
    return data


@dataclass(frozen=True)
class PackRequest:
    """What the pack form asks for: its title (and the file-name slug made from it) and the trip's dates."""

    title: str
    start: date
    end: date

    @property
    def slug(self) -> str:
        return re.sub(r"[^A-Za-z0-9]+", "-", self.title).strip("-")[:40] or "pack"
