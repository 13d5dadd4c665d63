"""People the campaign deals with in each state."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model
from app.models.types import EditLock, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.state import State


class Contact(EditLock, Model):
    """A named interlocutor in a state's government or mission."""

    __tablename__ = "contacts"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    state_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("states.id", ondelete="CASCADE"), index=True
    )
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    title: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    organisation: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    email: so.Mapped[str] = so.mapped_column(sa.String(254), default="")
    phone: so.Mapped[str] = so.mapped_column(sa.String(60), default="")
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    is_primary: so.Mapped[bool] = so.mapped_column(default=False)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    state: so.Mapped[State] = so.relationship()
