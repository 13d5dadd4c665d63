"""Loading the UN reference data and the seeded campaigns shipped in app/data/ (sources: SOURCES.md)."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from importlib import resources

import sqlalchemy as sa

from app.domain.enums import (
    BodyKind,
    ElectorateMode,
    RegionalGroup,
    RoundOutcome,
    StageResult,
    WinningRule,
)
from app.extensions import db
from app.models import BallotRound, BallotVote, Campaign, Candidate, Membership, Stage, State
from app.models.types import utcnow
from app.services import audit
from app.services.audit import Actor
from app.services.campaigns import ensure_positions
from app.services.stages import HRC, verdict

PRESIDENCY_CAMPAIGN = "President of the Human Rights Council — 2026 cycle"
SECURITY_COUNCIL_CAMPAIGN = "Non-permanent member of the Security Council — 2029–2030"


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
    known = {
        (state_id, body, start) for state_id, body, start in db.session.execute(
            sa.select(Membership.state_id, Membership.body, Membership.term_start)
        )
    }
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


MIGRATED_MARK = "Moved from the campaign's settings by the races migration."


def _stage_values(spec: dict) -> dict:
    return {
        "name": spec["name"], "body_kind": BodyKind(spec["body_kind"]),
        "regional_group": RegionalGroup(spec["regional_group"]) if spec.get("regional_group") else None,
        "body_name": spec.get("body_name", ""), "held_on": date.fromisoformat(spec["held_on"]),
        "date_provisional": spec.get("date_provisional", False), "winning_rule": WinningRule(spec["winning_rule"]),
        "seats": spec.get("seats", 1), "source": spec.get("source", ""),
        "electorate_mode": ElectorateMode.DERIVED,
    }


def _apply_stage(stage: Stage, spec: dict, states: dict[str, State]) -> None:
    """The seeded facts of one stage: settings, candidates, recorded rounds and result."""
    for key, value in _stage_values(spec).items():
        setattr(stage, key, value)
    stage.candidates = [Candidate(name=c["name"], state_id=states[c["state"]].id, is_ours=c["ours"])
                        for c in spec["candidates"]]
    db.session.flush()
    by_state = {c.state_id: c for c in stage.candidates}
    stage.rounds = []
    for r in spec.get("rounds", []):
        ballot = BallotRound(number=r["number"], held_on=date.fromisoformat(r["held_on"]), present=r["present"],
                             abstentions=r["abstentions"], invalid=r["invalid"], source=r["source"])
        ballot.votes = [
            BallotVote(candidate_id=by_state[states[iso3].id].id, votes=n) for iso3, n in r["votes"].items()
        ]
        stage.rounds.append(ballot)
    db.session.flush()
    if stage.rounds:
        outcome = verdict(stage, stage.rounds[-1]).outcome
        stage.result = StageResult.PENDING if outcome is RoundOutcome.NEXT_ROUND else StageResult(outcome.value)
    else:
        stage.result = StageResult(spec.get("result", "pending"))
    stage.result_note = spec.get("result_note", "")


def _needs_facts(campaign: Campaign) -> bool:
    """A campaign left by the races migration still carries its old placeholder stages."""
    return any(s.source == MIGRATED_MARK for s in campaign.stages)


def ensure_campaigns(states: dict[str, State], report: SeedReport) -> None:
    """The seeded campaigns (app/data/campaigns.json): created once; a migrated copy gets its facts."""
    specs = json.loads(resources.files("app.data").joinpath("campaigns.json").read_text(encoding="utf-8"))
    for spec in specs["campaigns"]:
        found = db.session.scalar(sa.select(Campaign).where(Campaign.name == spec["name"]))
        creating = found is None
        if found is not None and not _needs_facts(found):
            ensure_positions(found)
            continue
        if found is None:
            campaign = Campaign(name=spec["name"])
            db.session.add(campaign)
            report.campaigns_added += 1
        else:
            campaign = found
        campaign.office, campaign.candidate_name = spec["office"], spec["candidate_name"]
        campaign.candidate_state_id, campaign.source = states[spec["candidate_state"]].id, spec["source"]
        campaign.archived_at = utcnow() if spec["archived"] else None
        db.session.flush()
        stages = list(campaign.stages)
        for sequence, stage_spec in enumerate(spec["stages"], 1):
            stage = next((s for s in stages if s.sequence == sequence), None)
            if stage is None:
                stage = Stage(campaign_id=campaign.id, sequence=sequence)
                campaign.stages.append(stage)
            _apply_stage(stage, stage_spec, states)
        for extra in stages[len(spec["stages"]):]:
            campaign.stages.remove(extra)
        if spec["default"] and creating:
            db.session.execute(sa.update(Campaign).where(Campaign.id != campaign.id).values(is_default=False))
            campaign.is_default = True
        db.session.flush()
        ensure_positions(campaign)


def seed_reference_data(actor: Actor | None = None) -> SeedReport:
    """Idempotent: states, Council memberships, the default campaign and its positions.

    A run that changed something is audited for `actor` (`flask seed`); the tests' reseeding of an
    emptied database passes none.
    """
    report = SeedReport()
    states = load_states(report)
    load_memberships(states, report)
    ensure_campaigns(states, report)
    if actor is not None and any(vars(report).values()):
        audit.record("reference.seed", actor, "reference", "", **vars(report))
    return report
