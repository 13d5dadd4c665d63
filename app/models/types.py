"""Column types shared by the models."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.domain import clock


def utcnow() -> datetime:
    """Now, as an aware UTC datetime, from the desk's clock (a callable default, never import time)."""
    return clock.now()


class UTCDateTime(sa.TypeDecorator):
    """A timestamp stored in UTC and always returned aware, SQLite included."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(enum_cls: type, name: str | None = None, **kwargs: Any) -> sa.Enum:
    """An Enum stored by value as a checked VARCHAR, portable across SQLite and PostgreSQL.

    `name` names the CHECK constraint; give one when a table has two columns of the same enum.
    """
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        name=name or enum_cls.__name__.lower(),
        **kwargs,
    )


class EditLock:
    """Optimistic locking for records edited in forms: a version, and who saved it last."""

    version: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    edited_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    @so.declared_attr
    def edited_by_id(cls) -> so.Mapped[int | None]:
        return so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @so.declared_attr
    def edited_by(cls) -> so.Mapped[Any]:
        return so.relationship("User", foreign_keys=f"{cls.__name__}.edited_by_id")  # type: ignore[attr-defined]  # cls is the class
