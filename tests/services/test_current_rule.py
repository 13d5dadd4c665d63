"""One rule for "current": the headline, the position rows and the trend's last point always agree."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.enums import RegionalGroup, Role, SupportStatus, WinningRule
from app.domain.tally_math import (
    StatusChangePoint,
    Voter,
    Weights,
    compute_tally,
    current_statuses,
    weekly_trend,
)
from app.extensions import db
from app.models import State
from app.services.campaigns import default_campaign
from app.services.status import change_status, position_for
from app.services.tally import campaign_trend, load_voters, stage_tally
from tests.conftest import make_user
from tests.factories import as_actor

START = date(2026, 1, 1)
CODES = ["KHM", "LAO", "VNM", "THA", "MYS"]
histories = st.lists(
    st.tuples(st.sampled_from(CODES), st.integers(0, 60), st.sampled_from(list(SupportStatus)), st.booleans()),
    max_size=25,
)


@given(histories)
def test_pure_rule_the_trend_ends_where_the_current_statuses_are(history):
    points = [StatusChangePoint(code, START + timedelta(days=d), s, c and s.is_pledge) for code, d, s, c in history]
    current = current_statuses(points)
    voters = [
        Voter(
            code,
            code,
            RegionalGroup.APG,
            current[code].new_status if code in current else SupportStatus.NOT_APPROACHED,
            current[code].conditional if code in current else False,
        )
        for code in CODES
    ]
    tally = compute_tally(voters, Weights(), WinningRule.MAJORITY_PRESENT_VOTING, None)
    last = weekly_trend(points, CODES, START, START + timedelta(days=70), Weights())[-1]
    assert (last.firm, last.expected) == (tally.firm, tally.expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories)
def test_recorded_in_any_order_back_dated_or_same_day_the_desk_agrees_with_itself(app, history):
    """Random histories through the service: position rows, headline and trend all use the one rule."""
    campaign = default_campaign()
    staff = make_user_once()
    states = {s.iso3: s for s in db.session.scalars(sa.select(State).where(State.iso3.in_(CODES)))}
    today = date.today()
    points = []
    try:
        for code, days_ago, status, conditional in history:
            day = today - timedelta(days=days_ago)
            change_status(campaign, states[code], to_status=status,
                          expected_version=position_for(campaign, states[code]).version, actor=as_actor(staff),
                          effective_on=day)
            points.append(StatusChangePoint(code, day, status, False))
        current = current_statuses(points)
        for code, state in states.items():
            expected = current[code].new_status if code in current else SupportStatus.NOT_APPROACHED
            assert position_for(campaign, state).status is expected
        voters = load_voters(campaign)
        headline = stage_tally(campaign.current_stage, voters)
        last = campaign_trend(campaign, voters, today)[-1]
        assert (last.firm, last.expected) == (headline.firm, headline.expected)
        assert Counter(v.status for v in voters if v.iso3 in CODES) == Counter(
            current[c].new_status if c in current else SupportStatus.NOT_APPROACHED for c in CODES)
    finally:
        db.session.rollback()


def make_user_once():
    """The staff member who records the history (created once per test database state)."""
    from app.models import User

    user = db.session.scalar(sa.select(User).where(User.email == "staff@example.test"))
    return user or make_user(Role.STAFF)
