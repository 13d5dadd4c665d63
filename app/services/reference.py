"""Loading the UN reference data shipped in app/data/ and the default campaign."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from importlib import resources

import sqlalchemy as sa

from app.extensions import db
from app.models import Campaign, Membership, State
from app.models.enums import RegionalGroup, WinningRule
from app.services.campaigns import ensure_positions

HRC = "HRC"
DEFAULT_CAMPAIGN = "President of the Human Rights Council — 2026 cycle"


@dataclass
class SeedReport:
    """What a seed run added (zero everywhere on a second run)."""

    states_added: int = 0
    states_updated: int = 0
    memberships_added: int = 0
    campaigns_added: int = 0


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("app.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def load_states(report: SeedReport) -> dict[str, State]:
    """Insert or refresh the reference columns of every state; profiles are left alone."""
    existing = {s.iso3: s for s in db.session.scalars(sa.select(State))}
    for row in _rows("un_member_states.csv"):
        values = {
            "iso2": row["iso2"],
            "name": row["name"],
            "regional_group": RegionalGroup(row["regional_group"]) if row["regional_group"] else None,
            "un_member": row["un_member"] == "yes",
            "note": row["note"],
        }
        state = existing.get(row["iso3"])
        if state is None:
            state = State(iso3=row["iso3"], **values)
            db.session.add(state)
            existing[state.iso3] = state
            report.states_added += 1
        elif any(getattr(state, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(state, key, value)
            report.states_updated += 1
    db.session.flush()
    return existing


def load_memberships(states: dict[str, State], report: SeedReport) -> None:
    """Add Human Rights Council terms not yet recorded."""
    known = set(
        db.session.execute(
            sa.select(Membership.state_id, Membership.body, Membership.term_start)
        )
    )
    for row in _rows("hrc_membership.csv"):
        state = states[row["iso3"]]
        key = (state.id, HRC, int(row["term_start"]))
        if key in known:
            continue
        db.session.add(
            Membership(
                state_id=state.id, body=HRC, term_start=key[2], term_end=int(row["term_end"])
            )
        )
        known.add(key)
        report.memberships_added += 1
    db.session.flush()


def ensure_default_campaign(states: dict[str, State], report: SeedReport) -> Campaign:
    """The 2026 Council presidency campaign, created once and active when it is the only one."""
    campaign = db.session.scalar(sa.select(Campaign).where(Campaign.name == DEFAULT_CAMPAIGN))
    if campaign is None:
        has_active = db.session.scalar(sa.select(Campaign.id).where(Campaign.is_active))
        campaign = Campaign(
            name=DEFAULT_CAMPAIGN,
            office="President of the Human Rights Council",
            body=HRC,
            election_date=date(2026, 1, 12),
            candidate_name="",
            candidate_state_id=states["IDN"].id,
            group_in_turn=RegionalGroup.APG,
            winning_rule=WinningRule.MAJORITY_PRESENT_VOTING,
            expected_turnout=47,
            is_active=has_active is None,
        )
        db.session.add(campaign)
        db.session.flush()
        report.campaigns_added += 1
    ensure_positions(campaign)
    return campaign


def seed_reference_data() -> SeedReport:
    """Idempotent: states, Council memberships, the default campaign and its positions."""
    report = SeedReport()
    states = load_states(report)
    load_memberships(states, report)
    ensure_default_campaign(states, report)
    return report
