"""Lossless export of every table to JSON-able data, and its import into an empty database."""

from __future__ import annotations

import base64
import enum
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext

from app.domain.text import Message
from app.extensions import db
from app.services import ServiceError, audit
from app.services.audit import Actor

FORMAT = "suara-backup"
# Bump whenever the layout of the exported data changes (not for schema changes: the revision covers those).
FORMAT_VERSION = 1
_SCALARS = (str, int, float, bool, type(None))
# Never exported: session tokens (a backup must not sign anyone in; a fresh one is made on import)
# and the secret of an unfinished two-factor enrolment. Confirmed two-factor secrets are exported
# as stored, i.e. encrypted: restoring them needs the same SUARA_TOTP_KEY.
_WITHHELD = {("users", "session_token"), ("users", "totp_pending_encrypted")}


# Not data: the data version is a cache key, given a fresh stamp by the import's own commit; trend
# snapshots are replayed from the restored history by the next dashboard view; the outreach listings
# are derived from the entries and rebuilt by the import.
_NOT_EXPORTED = {"data_version", "trend_snapshots", "outreach_listings"}


def _tables() -> list[sa.Table]:
    """The tables a backup holds, in dependency order."""
    return [table for table in db.metadata.sorted_tables if table.name not in _NOT_EXPORTED]


def _regenerated(table: str, column: str) -> Any:
    """The value an import gives a withheld column."""
    if (table, column) == ("users", "session_token"):
        from app.models.user import new_session_token

        return new_session_token()
    return None


def schema_revision() -> str | None:
    """The Alembic revision the database is stamped with; None for a schema built without migrations."""
    return MigrationContext.configure(db.session.connection()).get_current_revision()


def _kind(column: sa.Column) -> sa.types.TypeEngine:
    """The column's storage type, seen through TypeDecorators such as UTCDateTime."""
    return getattr(column.type, "impl_instance", column.type)


def _dump(column: sa.Column, value: Any) -> Any:
    """One stored value as JSON-able data; refuses a type it cannot restore exactly."""
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        # UTCDateTime columns are always aware; a naive value could only mean UTC here.
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(_kind(column), sa.JSON) or isinstance(value, _SCALARS):
        return value
    raise TypeError(f"cannot export {column.table.name}.{column.name}: unsupported {type(value).__name__}")


def _load(column: sa.Column, value: Any) -> Any:
    """The inverse of _dump: exported data back to the value the column binds."""
    kind = _kind(column)
    if value is None:
        # JSON columns would store Python None as the JSON text 'null'; the app means SQL NULL.
        return sa.null() if isinstance(kind, sa.JSON) else None
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, sa.DateTime):
        moment = datetime.fromisoformat(value)
        return moment if kind.timezone else moment.astimezone(UTC).replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, sa.Numeric) and getattr(kind, "asdecimal", False):
        return Decimal(value)
    return value


def record_export(actor: Actor, name: str) -> None:
    """The download log lists backups too (they carry every pledge): who wrote which file."""
    audit.record("backup.export", actor, "backup", name, kind="backup")


def export_all() -> dict[str, Any]:
    """Every row of every table (dependency order, rows by primary key), with format and revision."""
    db.session.flush()
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        result = db.session.execute(sa.select(table).order_by(*table.primary_key.columns))
        tables[table.name] = [
            {column.name: None if (table.name, column.name) in _WITHHELD else _dump(column, row[column])
             for column in table.columns}
            for row in result.mappings()
        ]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "alembic_revision": schema_revision(),
        "tables": tables,
    }


def _check_header(data: Any) -> dict[str, Any]:
    """The export's tables, once its format, version and schema revision match this database."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ServiceError(Message("This file is not a Suara export."))
    if data.get("format_version") != FORMAT_VERSION:
        raise ServiceError(Message(
            "The export has format version %(found)s; this version of Suara reads format version %(version)s only.",
            found=repr(data.get("format_version")), version=FORMAT_VERSION))
    here = schema_revision()
    if data.get("alembic_revision") != here:
        raise ServiceError(Message(
            "The export was made at schema revision %(found)s but this database is at %(here)s; "
            "migrate it to the same revision first.", found=repr(data.get("alembic_revision")), here=repr(here)))
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise ServiceError(Message("The export has no tables."))
    expected = {table.name for table in _tables()}
    if set(tables) != expected:
        raise ServiceError(Message(
            "The export's tables do not match this database: missing %(missing)s, unknown %(unknown)s.",
            missing=sorted(expected - set(tables)), unknown=sorted(set(tables) - expected)))
    return tables


def _check_empty() -> None:
    """Refuse to merge into existing data: ids and constraints would clash or, worse, mix."""
    filled = [
        table.name
        for table in _tables()
        if db.session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first()
    ]
    if filled:
        raise ServiceError(Message(
            "The database is not empty (%(tables)s hold rows). Import only into a freshly migrated, "
            "empty database; nothing was imported.", tables=", ".join(filled)))


def _rows(table: sa.Table, rows: Any) -> list[dict[str, Any]]:
    """The table's exported rows turned back into bind values, each checked against the columns."""
    if not isinstance(rows, list):
        raise ServiceError(Message("Table %(table)s: expected a list of rows.", table=table.name))
    names = {column.name for column in table.columns}
    loaded = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or set(row) != names:
            raise ServiceError(Message("Table %(table)s, row %(row)d: its columns do not match the table.",
                                       table=table.name, row=number))
        try:
            loaded.append({
                column.name: _regenerated(table.name, column.name) if (table.name, column.name) in _WITHHELD
                else _load(column, row[column.name])
                for column in table.columns
            })
        except (TypeError, ValueError) as error:
            raise ServiceError(Message("Table %(table)s, row %(row)d: %(error)s", table=table.name, row=number,
                                       error=error)) from None
    return loaded


def _reset_sequences() -> None:
    """On PostgreSQL, move each id sequence past the imported ids so the next insert cannot collide."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite picks max(rowid) + 1 by itself
    preparer = db.session.get_bind().dialect.identifier_preparer
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = sa.func.pg_get_serial_sequence(preparer.format_table(table), column.name)
        top = sa.func.max(column)
        # is_called = false on an empty table, so its first id stays 1.
        db.session.execute(
            sa.select(sa.func.setval(sequence, sa.func.coalesce(top, 1), top.is_not(None))).select_from(table)
        )


def import_all(data: dict[str, Any], actor: Actor) -> dict[str, int]:
    """Restore an export into an empty database, audited after the restored trail (flushes; the caller
    commits or rolls back)."""
    tables = _check_header(data)
    _check_empty()
    counts: dict[str, int] = {}
    for table in _tables():
        rows = _rows(table, tables[table.name])
        if rows:
            db.session.execute(table.insert(), rows)
        counts[table.name] = len(rows)
    _reset_sequences()
    from app.models import State, refresh_listings
    from app.services.tally import refresh_last_contacts

    # Derived, so recomputed rather than trusted from the file.
    refresh_last_contacts(db.session.scalars(sa.select(State.id)).all())
    refresh_listings(db.session.connection())
    db.session.flush()
    audit.record("backup.import", actor, "backup", "", rows=sum(counts.values()))
    return counts
