"""One row whose stamp changes in every transaction that writes desk data: the key of cached figures."""

from __future__ import annotations

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import Model


class DataVersion(Model):
    """The desk's data version: a fresh random stamp per committed write (services/data_version.py).

    A stamp rather than a counter, so a database emptied and refilled (tests, a restore) never
    repeats a version some worker still holds figures for.
    """

    __tablename__ = "data_version"

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    stamp: so.Mapped[str] = so.mapped_column(sa.String(32))
    bumps: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)  # how many writes, for people reading it
