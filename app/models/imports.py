"""Spreadsheet imports: an uploaded file's rows kept between preview and confirm, and remembered mappings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain.enums import ImportKind
from app.extensions import Model
from app.models.types import UTCDateTime, enum_column, utcnow


class ImportBatch(Model):
    """One uploaded file: its header and rows as text, until confirmed (then only the report stays).

    The rows live here, not in the session cookie: a cookie is small, signed but readable, and
    would carry pledges to the browser and back.
    """

    __tablename__ = "import_batches"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # Random and unguessable: the batch's address in URLs (/import/<key>); only its user may open it.
    key: so.Mapped[str] = so.mapped_column(sa.String(43), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    campaign_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    kind: so.Mapped[ImportKind] = so.mapped_column(enum_column(ImportKind))
    filename: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    headers: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    # Each row: [spreadsheet row number, cell text, cell text, ...]
    rows: so.Mapped[list[list[Any]]] = so.mapped_column(sa.JSON)
    mapping: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    applied_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
    # What was applied, one [row number, state(s), what changed] per row; the CSV report's source.
    report: so.Mapped[list[list[Any]] | None] = so.mapped_column(sa.JSON(none_as_null=True))


class ImportMapping(Model):
    """The columns a user last chose for each field of an import kind, offered again next time."""

    __tablename__ = "import_mappings"
    __table_args__ = (sa.UniqueConstraint("user_id", "kind"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: so.Mapped[ImportKind] = so.mapped_column(enum_column(ImportKind))
    columns: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
