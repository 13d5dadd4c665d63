"""flask export FILE | flask import FILE: a lossless backup of every table as one JSON file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import gettext as _

from app.cli import in_desk_language
from app.extensions import db
from app.services import ServiceError, backup
from app.services.audit import command_line


def write_private(path: Path, text: str) -> None:
    """Write `text` to `path` with mode 0600, through a renamed temp file so it is never half-written."""
    directory = path.resolve().parent
    # mkstemp creates the file 0600 whatever the umask, so the data is never readable by others.
    handle, temp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp_name, 0o600)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


@click.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
@in_desk_language
def export_command(path: Path) -> None:
    """Write every record of every table to FILE as JSON (mode 0600: it holds sensitive data)."""
    # The download log lists backups too (they carry every pledge); recorded first, so the backup
    # holds its own record.
    backup.record_export(command_line(), path.name)
    db.session.commit()
    data = backup.export_all()
    db.session.rollback()  # read only: end the transaction so it holds no snapshot or lock
    write_private(path, json.dumps(data, ensure_ascii=False, indent=1))
    rows = sum(len(rows) for rows in data["tables"].values())
    click.echo(_("Exported %(rows)s rows from %(tables)s tables to %(path)s.", rows=rows, tables=len(data["tables"]),
                 path=path))


@click.command("import")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
@in_desk_language
def import_command(path: Path) -> None:
    """Restore FILE into an empty, migrated database in one transaction: all or nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise click.ClickException(_("Cannot read %(path)s: %(error)s", path=path, error=error)) from None
    try:
        counts = backup.import_all(data, command_line())
        db.session.commit()
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        reason = getattr(error, "orig", None) or error
        raise click.ClickException(_("Import failed; nothing was imported: %(reason)s", reason=reason)) from None
    click.echo(_("Imported %(rows)s rows into %(tables)s tables from %(path)s.", rows=sum(counts.values()),
                 tables=len(counts), path=path))
