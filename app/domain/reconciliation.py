"""Promised against received, as the reconciliation page and PDF draw it for one stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.ballot_math import Reconciliation
from app.domain.enums import StageResult


@dataclass(frozen=True)
class PledgeHolder:
    """A member that had pledged when the ballot was held."""

    iso3: str
    name: str
    kind: str


@dataclass(frozen=True)
class StageReconciliation:
    """Everything the reconciliation page and PDF draw for one stage."""

    campaign_name: str
    stage_name: str
    held_on: date
    round_number: int
    votes_line: int
    result: StageResult
    figures: Reconciliation
    holders: list[PledgeHolder]
    expected_at_ballot: float
    calibration: float | None
