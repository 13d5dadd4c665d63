"""Every state's status and signals at the end of a day, per campaign: derived from the status history."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model


class TrendSnapshot(Model):
    """The replay of a campaign's status history up to the end of `day` (services/trend_snapshots.py).

    Derived and disposable: a status change effective on or before `day` deletes it, the next
    dashboard view writes it again, and backups leave it out.
    """

    __tablename__ = "trend_snapshots"

    campaign_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    # {iso3: "status value", "+" appended for a conditional pledge}; states with no change are absent.
    statuses: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
    # {iso3: [latest change's day, latest capital-level status, latest mission-level status]}.
    signals: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON)
