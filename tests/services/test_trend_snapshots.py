"""The trend and signals counted from stored snapshots equal a plain replay of the whole history."""

from __future__ import annotations

import random
import threading
import time
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.domain.enums import InterlocutorLevel, Role, SupportStatus
from app.domain.tally_math import StatusChangePoint, weekly_trend
from app.extensions import db
from app.models import Campaign, State, StatusChange, TrendSnapshot, User
from app.services import data_version, trend_snapshots
from app.services.campaigns import default_campaign
from app.services.status import Evidence, change_status, position_for
from app.services.tally import campaign_history, campaign_trend, load_voters, set_weights, trend_days, weights_for
from tests.conftest import make_user
from tests.factories import as_actor

CODES = ["KHM", "LAO", "VNM", "THA", "MYS", "IDN", "PHL", "FRA"]
LEVELS = [None, *InterlocutorLevel]


def states() -> dict[str, State]:
    return {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(CODES)))}


def replayed(campaign, voters, end: date):
    """The plain replay: every change of the campaign, in record order, through `weekly_trend`."""
    changes = [StatusChangePoint(*row) for row in db.session.execute(
        sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional)
        .join(State, State.id == StatusChange.state_id).where(StatusChange.campaign_id == campaign.id)
        .order_by(StatusChange.id))]
    days = trend_days(campaign, end)
    return weekly_trend(changes, [v.iso3 for v in voters], days[0], days[-1], weights_for(campaign))


def replayed_signals(campaign) -> dict[str, tuple]:
    """Each state's latest change day and latest capital and mission status, from every change in record order."""
    found: dict[str, tuple] = {}
    for iso3, day, status, level in db.session.execute(
        sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.source_level)
        .join(State, State.id == StatusChange.state_id).where(StatusChange.campaign_id == campaign.id)
        .order_by(StatusChange.effective_on, StatusChange.id)
    ):
        _, capital, mission = found.get(iso3, (None, None, None))
        if level is not None and level.is_capital:
            capital = status.value
        elif level is not None and level.is_mission:
            mission = status.value
        found[iso3] = (day.isoformat(), capital, mission)
    return found


def record(campaign, state: State, day: date, rng: random.Random, actor) -> None:
    status = rng.choice(list(SupportStatus))
    change_status(campaign, state, to_status=status, expected_version=position_for(campaign, state).version,
                  actor=actor, effective_on=day,
                  evidence=Evidence(source_level=rng.choice(LEVELS), conditional=rng.random() < 0.4))


def check(campaign, voters, end: date) -> None:
    found = campaign_history(campaign, end)
    assert campaign_trend(campaign, voters, end, found) == replayed(campaign, voters, end)
    assert {k: tuple(v) for k, v in found.signals.items()} == replayed_signals(campaign)
    db.session.commit()  # as the dashboard does: the snapshots stay for the next view


@pytest.mark.parametrize("seed", range(4))
def test_snapshots_agree_with_the_replay_through_back_dated_edited_and_deleted_changes(app, seed):
    """A random year of writes and views: back-dated and same-day changes, edits and deletions of
    changes in ended weeks, other electorates and weights, and days going by between views."""
    rng = random.Random(seed)
    campaign = default_campaign()
    actor = as_actor(make_user(Role.STAFF))
    by_code = states()
    everyone = load_voters(campaign)
    today = date.today() - timedelta(days=60)
    for _ in range(90):
        roll = rng.random()
        if roll < 0.45:  # a change, often back-dated into an ended week, sometimes a year back
            day = today - timedelta(days=rng.choice([0, 0, 1, 3, 9, 30, 70, 200, 400]))
            record(campaign, by_code[rng.choice(CODES)], day, rng, actor)
            if rng.random() < 0.3:  # the same day again: the later record wins
                record(campaign, by_code[rng.choice(CODES)], day, rng, actor)
            db.session.commit()
        elif roll < 0.55:  # an existing change edited (moved in time) or deleted, as a repair by hand would
            change = db.session.scalar(sa.select(StatusChange).order_by(sa.func.random()).limit(1))
            if change is not None:
                if rng.random() < 0.5:
                    change.effective_on = change.effective_on + timedelta(days=rng.choice([-40, -8, -1, 1, 8]))
                else:
                    db.session.delete(change)
                db.session.commit()
        elif roll < 0.62:
            weights = {s: round(rng.random(), 2) for s in SupportStatus}
            set_weights(campaign, weights, round(rng.random(), 2), actor)
            db.session.commit()
        elif roll < 0.75:
            today += timedelta(days=rng.choice([1, 1, 2, 6, 7, 8, 30]))  # days go by between views
        else:
            voters = everyone if rng.random() < 0.5 else rng.sample(everyone, rng.randint(1, len(everyone)))
            check(campaign, voters, today)
    check(campaign, everyone, today)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendSnapshot)) > 0


def test_only_ended_days_are_stored_and_a_change_effective_today_deletes_none(app):
    campaign = default_campaign()
    actor = as_actor(make_user(Role.STAFF))
    khm = states()["KHM"]
    today = date.today()
    record(campaign, khm, today - timedelta(days=100), random.Random(1), actor)
    db.session.commit()
    campaign_history(campaign, today)
    db.session.commit()
    days = db.session.scalars(sa.select(TrendSnapshot.day)).all()
    assert days and max(days) == today - timedelta(days=1)
    record(campaign, khm, today, random.Random(2), actor)
    db.session.commit()
    assert db.session.scalars(sa.select(TrendSnapshot.day)).all() == days
    record(campaign, khm, today - timedelta(days=10), random.Random(3), actor)
    db.session.commit()
    assert max(db.session.scalars(sa.select(TrendSnapshot.day)).all()) == today - timedelta(days=11)


def test_a_bulk_insert_of_changes_deletes_every_snapshot(app):
    campaign = default_campaign()
    actor = as_actor(make_user(Role.STAFF))
    record(campaign, states()["KHM"], date.today() - timedelta(days=30), random.Random(1), actor)
    db.session.commit()
    campaign_history(campaign, date.today())
    db.session.commit()
    db.session.execute(sa.insert(StatusChange), [{
        "campaign_id": campaign.id, "state_id": states()["LAO"].id, "from_status": SupportStatus.NOT_APPROACHED,
        "to_status": SupportStatus.WRITTEN_PLEDGE, "effective_on": date.today() - timedelta(days=20), "reason": "bulk",
        "note_reference": "", "conditional": False}])
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendSnapshot)) == 0
    voters = load_voters(campaign)
    assert campaign_trend(campaign, voters, date.today()) == replayed(campaign, voters, date.today())


def test_two_workers_storing_the_same_days_do_not_clash(app):
    campaign = default_campaign()
    actor = as_actor(make_user(Role.STAFF))
    record(campaign, states()["KHM"], date.today() - timedelta(days=30), random.Random(1), actor)
    db.session.commit()
    first, last = date.today() - timedelta(days=40), date.today() - timedelta(days=1)
    stamp = data_version.current(db.session)
    filled = trend_snapshots._fill(campaign, first, last, stamp)
    db.session.commit()
    trend_snapshots._store(campaign.id, filled, stamp)  # the second worker, same rows: nothing raised
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendSnapshot)) == len(filled)


def _back_dated_write(app, campaign_id: int, user_id: int) -> None:
    """Another worker's request: a change effective twenty days ago, committed."""
    with app.app_context():
        try:
            campaign, lao = db.session.get(Campaign, campaign_id), states()["LAO"]
            change_status(campaign, lao, to_status=SupportStatus.WRITTEN_PLEDGE,
                          expected_version=position_for(campaign, lao).version,
                          actor=as_actor(db.session.get(User, user_id)), effective_on=date.today() - timedelta(days=20))
            db.session.commit()
        finally:
            db.session.remove()


def test_days_replayed_before_a_concurrent_back_dated_change_are_not_kept(app):
    """A worker replays, another commits a change in those days, then the first stores: its rows go."""
    campaign = default_campaign()
    user = make_user(Role.STAFF)
    record(campaign, states()["KHM"], date.today() - timedelta(days=30), random.Random(1), as_actor(user))
    db.session.commit()
    first, last = date.today() - timedelta(days=40), date.today() - timedelta(days=1)
    stamp = data_version.current(db.session)
    changes = trend_snapshots._changes(campaign.id, first - timedelta(days=1), last)
    replay, filled = trend_snapshots.Replay({}, {}), {}
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for change in changes:
            if change.effective_on == day:
                replay.apply(*change)
        filled[day] = replay.copy()
    db.session.commit()
    other = threading.Thread(target=_back_dated_write, args=(app, campaign.id, user.id))
    other.start()
    other.join(timeout=60)
    trend_snapshots._store(campaign.id, filled, stamp)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StatusChange)) == 2  # the write happened
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendSnapshot)) == 0


def _viewer(app, campaign_id: int, stop: threading.Event, errors: list) -> None:
    """A worker opening the dashboard again and again: every snapshot deleted meanwhile is stored again."""
    with app.app_context():
        try:
            while not stop.is_set():
                campaign_history(db.session.get(Campaign, campaign_id), date.today())
                db.session.commit()
        except Exception as error:  # noqa: BLE001  (any failure is reported by the test)
            errors.append(repr(error))
        finally:
            db.session.remove()


def test_no_stale_snapshot_survives_views_racing_back_dated_writes(app):
    campaign = default_campaign()
    actor = as_actor(make_user(Role.STAFF))
    by_code = states()
    rng = random.Random(7)
    record(campaign, by_code["KHM"], date.today() - timedelta(days=90), rng, actor)
    db.session.commit()
    stop, errors = threading.Event(), []
    viewers = [threading.Thread(target=_viewer, args=(app, campaign.id, stop, errors)) for _ in range(3)]
    for viewer in viewers:
        viewer.start()
    try:
        for _ in range(25):
            record(campaign, by_code[rng.choice(CODES)], date.today() - timedelta(days=rng.randint(1, 80)), rng, actor)
            db.session.commit()
            time.sleep(0.01)
    finally:
        stop.set()
        for viewer in viewers:
            viewer.join(timeout=60)
    assert errors == []
    changes = db.session.execute(
        sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional)
        .join(State, State.id == StatusChange.state_id).where(StatusChange.campaign_id == campaign.id)
        .order_by(StatusChange.effective_on, StatusChange.id)).all()
    stored = db.session.execute(sa.select(TrendSnapshot.day, TrendSnapshot.statuses)).all()
    assert stored
    for day, statuses in stored:
        expected = {}
        for iso3, effective_on, status, conditional in changes:
            if effective_on <= day:
                expected[iso3] = trend_snapshots.code(status, conditional)
        assert statuses == expected, day
