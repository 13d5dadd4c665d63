"""What the dashboard, its PDF and its CSV draw: tally rows, attention lists, stage forecasts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from app.domain.enums import StageResult, SupportStatus
from app.domain.forecast_math import Forecast, Swing
from app.domain.tally_math import Tally, TrendPoint, Voter
from app.domain.text import Message

CONTACT_DAYS = 30
PLEDGE_RECONFIRM_DAYS = 90


class StageRecord(Protocol):
    """What the dashboard and its report read of a stage (the Stage model provides it)."""

    @property
    def id(self) -> int: ...
    @property
    def sequence(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def body_label(self) -> str: ...
    @property
    def held_on(self) -> date: ...
    @property
    def date_provisional(self) -> bool: ...
    @property
    def result(self) -> StageResult: ...


class StageView(Protocol):
    """One stage's figures as the dashboard draws them (services.races.StageSummary provides them)."""

    @property
    def stage(self) -> StageRecord: ...
    @property
    def electorate_size(self) -> int: ...
    @property
    def tally(self) -> Tally: ...
    @property
    def is_current(self) -> bool: ...
    @property
    def awaiting_result(self) -> bool: ...


@dataclass(frozen=True)
class AttentionItem:
    """One state to act on, and why."""

    iso3: str
    name: str
    detail: Message  # shown in the reader's language; escaped in pages (it carries user text)


@dataclass(frozen=True)
class TallyRow:
    """One voter in the per-state table (page and CSV)."""

    iso3: str
    name: str
    group: str
    status: SupportStatus
    conditional: bool
    weight: float
    last_contact: date | None


@dataclass
class Dashboard:
    """Everything the dashboard, its PDF and its CSV draw."""

    campaign_name: str
    election_date: date
    today: date
    tally: Tally
    stage_name: str
    stages: Sequence[StageView]
    approached_share: float
    contacted_recently_share: float
    voters: list[Voter]
    rows: list[TallyRow]
    trend: list[TrendPoint]
    not_contacted: list[AttentionItem] = field(default_factory=list)
    overdue_follow_ups: list[AttentionItem] = field(default_factory=list)
    stale_pledges: list[AttentionItem] = field(default_factory=list)
    mixed_signals: list[AttentionItem] = field(default_factory=list)
    request_conflicts: list[AttentionItem] = field(default_factory=list)
    forecasts: list[StageForecast] = field(default_factory=list)

    @property
    def current_forecast(self) -> StageForecast | None:
        """The forecast of the current stage, when it has one."""
        return next((f for f in self.forecasts if f.is_current and f.forecast is not None), None)

    @property
    def awaiting_results(self) -> list[StageView]:
        """Stages whose date has passed with no result recorded."""
        return [s for s in self.stages if s.awaiting_result]

    @property
    def attention_lists(self) -> list[tuple[Message, list[AttentionItem]]]:
        return [
            (Message("Voters not contacted in %(days)s days", days=CONTACT_DAYS), self.not_contacted),
            (Message("Overdue follow-ups"), self.overdue_follow_ups),
            (Message("Pledges older than %(days)s days, not reconfirmed", days=PLEDGE_RECONFIRM_DAYS),
             self.stale_pledges),
            (Message("Capital and mission disagree"), self.mixed_signals),
            (Message("Agreed reciprocal requests in conflict"), self.request_conflicts),
        ]


class FirstRows(list[AttentionItem]):
    """The first rows of a longer list; `len()` is the whole list's length (pages say "and N more")."""

    def __init__(self, rows: Iterable[AttentionItem], total: int) -> None:
        super().__init__(rows)
        self.total = total

    def __len__(self) -> int:
        return self.total


@dataclass(frozen=True)
class SwingRow:
    """One member on the "where to act" list: its moves, their effect, who covers it."""

    iso3: str
    name: str
    status: SupportStatus
    conditional: bool
    up_to: SupportStatus | None
    up: float | None  # change in the chance of winning one rung up
    up_se: float
    down_to: SupportStatus | None
    down: float | None  # change one rung down (negative)
    down_se: float
    envoys: tuple[str, ...]
    last_contact: date | None


@dataclass(frozen=True)
class StageForecast:
    """A stage's forecast, or why there is none (decided, no voters)."""

    stage_id: int
    stage_name: str
    is_current: bool
    forecast: Forecast | None = None
    p_present: float = 1.0
    abstain_share: float = 0.0  # as used: at most the campaign's, so the expected turnout holds
    split_abstain: float = 0.0  # as the campaign sets it
    expected_turnout: int = 0
    swings: list[SwingRow] = field(default_factory=list)  # ranked by stake, moving ones only
    by_state: dict[str, Swing] = field(default_factory=dict)  # every member, for the CSV
    note: str | Message = ""
