"""Throwaway desks for the benchmark: the demo, then a history of N outreach entries added in bulk.

The history is spread over the 195 states and five years: one status change per five entries (the
default campaign), one follow-up per ten (one in four of them still open), one entry in ten shared
with the other campaign and one in ten naming a second state. Rows go in with bulk `sa.insert` in
chunks, positions are set to the latest change of each state, then the planner's statistics are
refreshed (`ANALYZE` on SQLite and on PostgreSQL alike), as a desk that has been running would have.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

CHUNK = 5_000
BENCH_EMAIL, BENCH_PASSWORD = "bench@example.org", "bench password 123"
SUMMARY = "Long meeting notes on the candidature, the region's concerns and the next steps. " * 6


def build_desk(app, entries: int) -> dict:
    """Migrate, seed, load the demo and add `entries` outreach entries; returns a few facts."""
    from bench import ROOT
    from flask_migrate import upgrade

    from app.cli.demo import load_demo
    from app.domain.enums import Role
    from app.extensions import db
    from app.services import accounts
    from app.services.audit import command_line
    from app.services.reference import seed_reference_data

    upgrade(directory=str(ROOT / "migrations"))
    seed_reference_data()
    db.session.commit()
    load_demo()
    accounts.create_user(BENCH_EMAIL, "Bench staff", Role.STAFF, BENCH_PASSWORD, actor=command_line())
    db.session.commit()
    if entries:
        _bulk_history(entries)
    analyze()
    return {"entries": db.session.scalar(sa.text("SELECT count(*) FROM outreach_entries"))}


def analyze() -> None:
    """Fresh planner statistics on either database."""
    from app.extensions import db

    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def _chunks(rows: list[dict]):
    for start in range(0, len(rows), CHUNK):
        yield rows[start:start + CHUNK]


def _insert(table, rows: list[dict]) -> None:
    from app.extensions import db

    for chunk in _chunks(rows):
        db.session.execute(sa.insert(table), chunk)


def _bulk_history(n: int) -> None:
    """N entries, N/5 status changes, N/10 follow-ups, through Core inserts in chunks."""
    from app.domain.enums import Channel, InterlocutorLevel, SupportStatus
    from app.extensions import db
    from app.models import (
        Campaign,
        FollowUp,
        OutreachEntry,
        Position,
        State,
        StatusChange,
        User,
        outreach_campaigns,
        outreach_states,
        refresh_listings,
    )
    from app.services.campaigns import default_campaign

    rng = random.Random(10)
    campaign = default_campaign()
    other = db.session.scalar(sa.select(Campaign.id).where(Campaign.id != campaign.id))
    author = db.session.scalar(sa.select(User.id).where(User.email == BENCH_EMAIL))
    states = list(db.session.scalars(sa.select(State.id).order_by(State.id)))
    first_id = (db.session.scalar(sa.select(sa.func.max(OutreachEntry.id))) or 0) + 1
    first_change = (db.session.scalar(sa.select(sa.func.max(StatusChange.id))) or 0) + 1
    today = date.today()
    span = 5 * 365
    channels, levels = list(Channel), list(InterlocutorLevel)
    statuses = [s for s in SupportStatus if s is not SupportStatus.NOT_APPROACHED]
    entries, links, served, changes, follow_ups = [], [], [], [], []
    latest: dict[int, tuple[date, int, SupportStatus]] = {}
    previous: dict[int, SupportStatus] = {}
    for i in range(n):
        entry_id = first_id + i
        day = today - timedelta(days=span - span * i // n)  # oldest first, the last one today
        at = datetime.combine(day, time(10), UTC)
        state = states[i % len(states)]
        entries.append({"id": entry_id, "occurred_on": day, "channel": channels[i % len(channels)],
                        "level": levels[i % len(levels)], "location": "New York", "our_participants": "PR",
                        "their_participants": "", "summary": f"{SUMMARY}{i}", "author_id": author,
                        "created_at": at, "delete_reason": ""})
        links.append({"entry_id": entry_id, "state_id": state})
        if i % 10 == 3:
            links.append({"entry_id": entry_id, "state_id": states[(i * 7 + 1) % len(states)]})
        served.append({"entry_id": entry_id, "campaign_id": campaign.id})
        if i % 10 == 5 and other:
            served.append({"entry_id": entry_id, "campaign_id": other})
        if i % 5 == 0:
            to_status = rng.choice(statuses)
            change_id = first_change + len(changes)
            changes.append({"id": change_id, "campaign_id": campaign.id, "state_id": state,
                            "from_status": previous.get(state, SupportStatus.NOT_APPROACHED),
                            "to_status": to_status, "changed_at": at, "effective_on": day,
                            "changed_by_id": author, "reason": "bench", "outreach_id": entry_id,
                            "source_level": levels[i % len(levels)], "note_reference": "",
                            "conditional": False})
            previous[state] = to_status
            latest[state] = (day, change_id, to_status)
        if i % 10 == 0:
            follow_ups.append({"campaign_id": campaign.id, "state_id": state, "text": "Send the note verbale",
                               "due_on": day + timedelta(days=14), "owner_id": author, "outreach_id": entry_id,
                               "created_by_id": author, "created_at": at,
                               "done_at": None if i % 40 == 0 else at + timedelta(days=7)})
    _insert(OutreachEntry.__table__, entries)
    _insert(outreach_states, links)
    _insert(outreach_campaigns, served)
    refresh_listings(db.session.connection())  # Core inserts: the ORM event that keeps them does not see these
    _insert(StatusChange.__table__, changes)
    _insert(FollowUp.__table__, follow_ups)
    _set_positions(campaign.id, latest, author, Position)
    db.session.commit()


def _set_positions(campaign_id: int, latest: dict, author: int, Position) -> None:
    """Each position equal to its state's latest change, as `change_status` keeps it."""
    from app.extensions import db

    existing = {p.state_id: p for p in db.session.scalars(
        sa.select(Position).where(Position.campaign_id == campaign_id))}
    for state_id, (day, _, status) in latest.items():
        position = existing.get(state_id)
        at = datetime.combine(day, time(10), UTC)
        if position is None:
            db.session.add(Position(campaign_id=campaign_id, state_id=state_id, status=status, version=2,
                                    updated_at=at, updated_by_id=author))
        else:
            position.status, position.version = status, position.version + 1
            position.updated_at, position.updated_by_id = at, author
    db.session.flush()
