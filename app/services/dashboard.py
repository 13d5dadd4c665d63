"""The leadership view: tally, nomination stage, coverage, trend and attention lists as plain data."""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date, timedelta

import sqlalchemy as sa

from app.domain import clock
from app.domain.dashboard import (
    CONTACT_DAYS,
    PLEDGE_RECONFIRM_DAYS,
    AttentionItem,
    Dashboard,
    FirstRows,
    TallyRow,
)
from app.domain.enums import SupportStatus
from app.domain.tally_math import Voter
from app.domain.text import LocalDate
from app.domain.text import Message as _l  # escaped in pages: details carry user text
from app.extensions import db
from app.models import Campaign, FollowUp, State, User
from app.services.forecast import data_version, stage_forecasts
from app.services.races import stage_summaries
from app.services.requests import conflicts
from app.services.tally import campaign_history, campaign_trend, weights_for

OVERDUE_ROWS = 25  # overdue follow-ups listed (the page shows 15, the PDF its ATTENTION_ROWS)
HISTORY_CACHE_SIZE = 32  # (campaign, data version, day) entries of trend and signals
_HISTORY: OrderedDict = OrderedDict()
_LOCK = threading.Lock()


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _signals(voters: list[Voter], today: date, signals) -> tuple[list[AttentionItem], list[AttentionItem]]:
    """Stale pledges and capital/mission disagreements, from each state's latest change and latest per level."""
    by_code = {v.iso3: v for v in voters}
    latest: dict[str, date] = {}
    capital: dict[str, SupportStatus] = {}
    mission: dict[str, SupportStatus] = {}
    for iso3, (day, at_capital, at_mission) in signals.items():
        if iso3 not in by_code:
            continue
        latest[iso3] = date.fromisoformat(day)
        if at_capital is not None:
            capital[iso3] = SupportStatus(at_capital)
        if at_mission is not None:
            mission[iso3] = SupportStatus(at_mission)
    cutoff = today - timedelta(days=PLEDGE_RECONFIRM_DAYS)
    stale = [AttentionItem(v.iso3, v.name, _l("%(status)s since %(date)s", status=v.status.label,
                                                         date=LocalDate(latest[v.iso3])))
             for v in voters if v.status.is_pledge and v.iso3 in latest and latest[v.iso3] < cutoff]
    mixed = [AttentionItem(code, by_code[code].name, _l("capital: %(capital)s; mission: %(mission)s",
                                                          capital=capital[code].label, mission=mission[code].label))
             for code in sorted(capital.keys() & mission.keys(), key=lambda c: by_code[c].name)
             if capital[code] is not mission[code]]
    return stale, mixed


def _history_figures(campaign: Campaign, voters: list[Voter], today: date):
    """Trend and signals: derived from the status history only, so kept per data version.

    Every status change bumps a position's version (`forecast.data_version`, one query on 195 rows),
    so the next request after any change computes them again; workers agree through the database.
    Both come from the same stored snapshots (`trend_snapshots`): a few rows, not the history.
    """
    weights = weights_for(campaign)
    key = (data_version(campaign), today, tuple((v.iso3, v.status, v.conditional) for v in voters),
           tuple(sorted((s.value, w) for s, w in weights.by_status.items())), weights.conditional_factor)
    with _LOCK:
        if key in _HISTORY:
            _HISTORY.move_to_end(key)
            return _HISTORY[key]
    found = campaign_history(campaign, today)
    figures = campaign_trend(campaign, voters, today, found), *_signals(voters, today, found.signals)
    with _LOCK:
        _HISTORY[key] = figures
        while len(_HISTORY) > HISTORY_CACHE_SIZE:
            _HISTORY.popitem(last=False)
    return figures


def _overdue(campaign: Campaign, today: date) -> list[AttentionItem]:
    """The oldest OVERDUE_ROWS overdue follow-ups (what the page and PDF print) and how many there are."""
    where = (FollowUp.campaign_id == campaign.id, FollowUp.done_at.is_(None), FollowUp.due_on < today)
    # The first rows and the count apart: a window count would join and sort every overdue row before
    # the LIMIT; apart, both walk the index of open follow-ups (ix_follow_ups_open_campaign_due).
    rows = db.session.execute(
        sa.select(State.iso3, State.name, FollowUp.text, FollowUp.due_on, User.name)
        .join(State, State.id == FollowUp.state_id).outerjoin(User, User.id == FollowUp.owner_id)
        .where(*where).order_by(FollowUp.due_on, FollowUp.id).limit(OVERDUE_ROWS)
    ).all()
    items = [AttentionItem(iso3, name, _l("due %(date)s (%(owner)s): %(text)s", date=LocalDate(due),
                                          owner=owner or _l("no owner"), text=text[:120]))
             for iso3, name, text, due, owner in rows]
    if len(rows) < OVERDUE_ROWS:
        return FirstRows(items, len(rows))
    return FirstRows(items, db.session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(*where)) or 0)


def _conflicts(voter_codes: set[str]) -> list[AttentionItem]:
    """Agreed requests in conflict (looked for across every campaign) that touch this stage's voters."""
    items = []
    for group in conflicts():
        first = group[0]
        rivals = ", ".join(sorted(f"{r.state.name} ({r.campaign.name})" for r in group))
        items += [AttentionItem(r.state.iso3, r.state.name,
                                _l("%(post)s (%(body)s %(year)s) also promised to: %(rivals)s", post=first.post,
                                   body=first.body, year=first.year, rivals=rivals))
                  for r in group if r.state.iso3 in voter_codes]
    return items


def build_dashboard(campaign: Campaign, today: date | None = None) -> Dashboard:
    """Compute every figure once; the page, the PDF and the CSV only draw the result."""
    today = today or clock.today()
    stages = stage_summaries(campaign, today)
    current = next(s for s in stages if s.is_current)
    tally = current.tally
    voters = current.voters
    weights = weights_for(campaign)
    recent = today - timedelta(days=CONTACT_DAYS)
    trend, stale, mixed = _history_figures(campaign, voters, today)
    return Dashboard(
        campaign_name=campaign.name, election_date=current.stage.held_on, today=today, tally=tally,
        stage_name=current.stage.name, stages=stages,
        approached_share=_share(sum(v.status is not SupportStatus.NOT_APPROACHED for v in voters), len(voters)),
        contacted_recently_share=_share(sum(bool(v.last_contact and v.last_contact >= recent) for v in voters),
                                        len(voters)),
        voters=voters,
        rows=[TallyRow(v.iso3, v.name, v.group.value if v.group else "", v.status, v.conditional,
                       weights.for_status(v.status, v.conditional), v.last_contact) for v in voters],
        trend=trend,
        not_contacted=[AttentionItem(v.iso3, v.name, _l("last contact %(date)s", date=LocalDate(v.last_contact))
                                     if v.last_contact else _l("never contacted")) for v in voters
                       if not v.last_contact or v.last_contact < recent],
        overdue_follow_ups=_overdue(campaign, today),
        stale_pledges=stale, mixed_signals=mixed, request_conflicts=_conflicts({v.iso3 for v in voters}),
        forecasts=stage_forecasts(campaign, stages),
    )


