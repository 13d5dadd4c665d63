"""Bounded parsing of request parameters: ids, pages, dates, versions; no files where text is expected.

Malformed input must be a 4xx, never a server error: an id beyond the database's integer range is
simply an id that does not exist (404), a broken version is a 400 with a message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import abort, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import ValidationError

# Primary keys and versions are INTEGER columns: 32-bit signed on PostgreSQL, the tighter bound.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` in routes: ASCII digits within the id range, else the route does not match (404)."""

    regex = r"[0-9]+"  # \d would also match other scripts' digits

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def parse_id(raw: object) -> int | None:
    """A positive id written in ASCII digits within the database's range, else None."""
    if not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def id_arg(name: str) -> int | None:
    """An optional id from the query string: absent is None, anything malformed is a 404."""
    raw = request.args.get(name, "")
    if raw == "":
        return None
    value = parse_id(raw)
    if value is None:
        abort(404)
    return value


def page_arg(name: str = "page") -> int:
    """A page number from the query string, 1 when absent or malformed, at most MAX_PAGE."""
    value = parse_id(request.args.get(name, ""))
    return min(value or 1, MAX_PAGE)


def day_arg(name: str) -> date | None:
    """A YYYY-MM-DD value from the query string, None when absent or malformed."""
    raw = request.args.get(name, "")
    if not raw.isascii() or len(raw) != 10:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def valid_version(_form, field) -> None:
    """A form's hidden record version: ASCII digits within range, else a message to reload."""
    if parse_id(field.data or "") is None:
        raise ValidationError(_l("The form lost track of the record's version; reload the page and try again."))


def optional_version(form, field) -> None:
    """As valid_version, but an empty version is allowed (the form may not change the record)."""
    if field.data:
        valid_version(form, field)


def accepts_file(*fields: str) -> Callable[[Callable], Callable]:
    """Mark a view whose form takes a file in these fields (the spreadsheet import); no other does."""

    def decorator(view: Callable) -> Callable:
        view.file_fields = frozenset(fields)  # type: ignore[attr-defined]  # a mark read by refuse_files
        return view

    return decorator


def refuse_files() -> None:
    """Before every request: a file is a 400 unless the view takes one in that very field
    (`accepts_file`); and no query parameter or form field name may hold a NUL character
    (PostgreSQL cannot even compare text with one). Form *values* are left to the forms'
    validators, which say what to fix."""
    view = current_app.view_functions.get(request.endpoint or "")
    if set(request.files) - getattr(view, "file_fields", frozenset()):
        abort(400)
    names = list(request.args.keys())
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        names += list(request.form.keys())
    values = [v for _key, vs in request.args.lists() for v in vs]
    if any("\x00" in text for text in (*names, *values)):
        abort(400)
