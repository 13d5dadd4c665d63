"""Spreadsheet imports: upload → column mapping → preview of every row → all-or-nothing apply, audited.

The uploaded rows are kept server-side in an ImportBatch (keyed by a random key, tied to its user)
between the preview and the confirmation; the session cookie never carries them.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import ImportKind
from app.domain.text import Message, Sentences
from app.extensions import db
from app.models import (
    Campaign,
    Contact,
    ImportBatch,
    ImportMapping,
    OutreachEntry,
    Position,
    State,
    StatusChange,
    User,
)
from app.services import ServiceError, audit
from app.services.audit import Actor
from app.services.campaigns import CampaignArchived, ensure_open
from app.services.contacts import save_contact
from app.services.import_files import read_upload
from app.services.import_rows import (
    CHECKERS,
    FIELDS,
    ContactPlan,
    Desk,
    PositionPlan,
    RowPreview,
    StateIndex,
    check_cells,
)
from app.services.outreach import OutreachInput, log_outreach
from app.services.state_search import normalise
from app.services.status import Evidence, change_status, position_for

KEPT_FOR = timedelta(days=1)  # an unconfirmed upload is dropped after a day
NEEDS_CAMPAIGN = {ImportKind.POSITIONS, ImportKind.OUTREACH}


class ImportHasProblems(ServiceError):
    """Confirmation of a file whose preview still shows a problem: nothing is saved."""


@dataclass
class Preview:
    """Every row with what it will change and what is wrong, plus problems of the file as a whole."""

    kind: ImportKind
    rows: list[RowPreview]
    problems: list[Message] = field(default_factory=list)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + sum(len(r.problems) for r in self.rows)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    @property
    def change_count(self) -> int:
        return sum(1 for r in self.rows if r.plan is not None)

    @property
    def first_problem(self) -> Message:
        if self.problems:
            return self.problems[0]
        row = next(r for r in self.rows if r.problems)
        return Message("Row %(row)d: %(problem)s.", row=row.number, problem=row.problems[0])

    @property
    def fingerprint(self) -> str:
        """Changes as previewed; confirming a preview the desk has since overtaken is refused.

        The changes are compared as the reader sees them (the preview and its confirmation are both
        shown in the user's language)."""
        text = json.dumps([[r.number, [str(c) for c in r.changes]] for r in self.rows], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def fields_of(kind: ImportKind):
    """The fields an import kind maps, in form order."""
    return FIELDS[kind]


def batch_for(user: User, key: str) -> ImportBatch | None:
    """The user's own upload by its key; anyone else's is None (as if it did not exist)."""
    if not key or len(key) > 43:
        return None
    return db.session.scalar(sa.select(ImportBatch).where(ImportBatch.key == key, ImportBatch.user_id == user.id))


def start_import(user: User, kind: ImportKind, campaign: Campaign | None, filename: str, data: bytes,
                 now: datetime) -> ImportBatch:
    """Read an upload and keep its rows for the preview, with the remembered or guessed mapping."""
    if kind in NEEDS_CAMPAIGN:
        if campaign is None:
            raise ServiceError(Message("There is no campaign to import into."))
        ensure_open(campaign)
    sheet = read_upload(filename, data)
    db.session.execute(sa.delete(ImportBatch).where(
        ImportBatch.user_id == user.id, ImportBatch.applied_at.is_(None), ImportBatch.created_at < now - KEPT_FOR))
    batch = ImportBatch(
        key=secrets.token_urlsafe(32), user_id=user.id, kind=kind,
        campaign_id=campaign.id if campaign is not None and kind in NEEDS_CAMPAIGN else None,
        filename=filename.replace("\\", "/").rsplit("/", 1)[-1][:200], headers=sheet.headers, rows=sheet.rows,
        mapping=guess_mapping(kind, sheet.headers, _remembered(user, kind)), created_at=now,
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def _remembered(user: User, kind: ImportKind) -> dict[str, str]:
    saved = db.session.scalar(
        sa.select(ImportMapping).where(ImportMapping.user_id == user.id, ImportMapping.kind == kind)
    )
    return dict(saved.columns) if saved else {}


def guess_mapping(kind: ImportKind, headers: list[str], remembered: dict[str, str]) -> dict[str, str]:
    """Each field's column: the one remembered if the file has it, else a header named like the field."""
    names = {normalise(h): h for h in headers}
    mapping: dict[str, str] = {}
    for spec in FIELDS[kind]:
        if remembered.get(spec.name) in headers:
            mapping[spec.name] = remembered[spec.name]
            continue
        candidates = (normalise(spec.label.msgid), normalise(str(spec.label)), *spec.synonyms)
        exact = next((names[c] for c in candidates if c in names), None)
        mapping[spec.name] = exact or next(
            (h for c in candidates for n, h in names.items() if len(c) > 3 and c in n), "")
    return mapping


def set_mapping(batch: ImportBatch, mapping: dict[str, str], user: User) -> None:
    """Use these columns for this file and offer them again for the user's next file of this kind."""
    wanted = {spec.name: mapping.get(spec.name, "") for spec in FIELDS[batch.kind]}
    if any(h and h not in batch.headers for h in wanted.values()):
        raise ServiceError(Message("Choose columns of this file."))
    batch.mapping = wanted
    remember_mapping(user, batch.kind, wanted)
    db.session.flush()


def remember_mapping(user: User, kind: ImportKind, mapping: dict[str, str]) -> None:
    """Keep the user's columns for this kind (one row per user and kind)."""
    saved = db.session.scalar(
        sa.select(ImportMapping).where(ImportMapping.user_id == user.id, ImportMapping.kind == kind)
    )
    if saved is None:
        db.session.add(ImportMapping(user_id=user.id, kind=kind, columns=dict(mapping)))
    elif saved.columns != mapping:
        saved.columns = dict(mapping)


def build_preview(batch: ImportBatch, today: date) -> Preview:
    """Check every row against the desk as it is now: what each will change and every problem."""
    preview = Preview(batch.kind, [])
    campaign = db.session.get(Campaign, batch.campaign_id) if batch.campaign_id else None
    for spec in FIELDS[batch.kind]:
        if spec.required and not batch.mapping.get(spec.name):
            preview.problems.append(Message("Choose the column that holds %(column)s.", column=spec.label))
    if campaign is not None and campaign.is_archived:
        preview.problems.append(CampaignArchived(campaign).message)
    columns = {name: batch.headers.index(h) + 1 for name, h in batch.mapping.items() if h in batch.headers}
    desk = _desk(campaign, today)
    for raw in batch.rows:
        cells = {spec.name: (raw[columns[spec.name]].strip() if spec.name in columns else "")
                 for spec in FIELDS[batch.kind]}
        row = RowPreview(number=raw[0])
        check_cells(batch.kind, cells, row)
        CHECKERS[batch.kind](cells, desk, row)
        preview.rows.append(row)
    return preview


def _desk(campaign: Campaign | None, today: date) -> Desk:
    """Everything rows are checked against, in a fixed number of queries (outreach: one per day named)."""
    positions: dict[int, Position] = {}
    latest: dict[int, date] = {}
    if campaign is not None:
        positions = {
            p.state_id: p for p in db.session.scalars(sa.select(Position).where(Position.campaign_id == campaign.id))
        }
        latest = dict(db.session.execute(
            sa.select(StatusChange.state_id, sa.func.max(StatusChange.effective_on))
            .where(StatusChange.campaign_id == campaign.id).group_by(StatusChange.state_id)).all())
    contacts = {(sid, normalise(name)) for sid, name in db.session.execute(sa.select(Contact.state_id, Contact.name))}

    @cache
    def outreach_on(day: date) -> set[tuple]:
        entries = db.session.scalars(
            sa.select(OutreachEntry).options(so.selectinload(OutreachEntry.states))
            .where(OutreachEntry.occurred_on == day, OutreachEntry.deleted_at.is_(None)))
        return {(e.occurred_on, tuple(sorted(s.id for s in e.states)), e.channel, e.level, normalise(e.summary))
                for e in entries}

    states = StateIndex(list(db.session.scalars(sa.select(State).order_by(State.name))))
    return Desk(campaign, today, states, positions, latest, contacts, outreach_on)


def apply_import(batch: ImportBatch, actor: Actor, now: datetime, fingerprint: str) -> Preview:
    """Apply every row, or nothing: refused while any problem remains or if the desk moved since the preview.

    Flushes only; the caller commits once, or rolls back when this raises.
    """
    if batch.applied_at is not None:
        raise ServiceError(Message("This file was already imported."))
    preview = build_preview(batch, now.date())
    if not preview.ok:
        raise ImportHasProblems(Sentences(Message("Nothing was saved."), preview.first_problem))
    if fingerprint != preview.fingerprint:
        raise ServiceError(Message(
            "The desk changed since this preview was shown: check the preview again, then confirm."))
    campaign = db.session.get(Campaign, batch.campaign_id) if batch.campaign_id else None
    if batch.kind in NEEDS_CAMPAIGN:
        if campaign is None:
            raise ServiceError(Message("There is no campaign to import into."))
        ensure_open(campaign)
    for row in preview.rows:
        _apply_row(row.plan, campaign, actor)
    remember_mapping(actor.signed_in, batch.kind, batch.mapping)
    batch.applied_at = now
    batch.report = [[r.number, r.subject, "; ".join(str(c) for c in r.changes)] for r in preview.rows]
    batch.rows = []  # the report keeps what was applied; the file itself is not kept
    db.session.flush()
    audit.record("import.apply", actor, "import", batch.id, kind=batch.kind.value, filename=batch.filename,
                 campaign=batch.campaign_id, rows=len(preview.rows), applied=preview.change_count,
                 unchanged=len(preview.rows) - preview.change_count)
    return preview


def _apply_row(plan: object, campaign: Campaign | None, actor: Actor) -> None:
    if isinstance(plan, PositionPlan):
        assert campaign is not None  # a positions batch names its campaign (checked by apply_import)
        position = position_for(campaign, plan.state)
        change_status(campaign, plan.state, to_status=plan.to_status, expected_version=position.version,
                      actor=actor, reason=plan.reason, effective_on=plan.effective_on, evidence=plan.evidence)
    elif isinstance(plan, ContactPlan):
        save_contact(plan.state, plan.data, actor)
    elif isinstance(plan, OutreachInput):
        log_outreach(plan, [], Evidence(), "", actor)
