"""Cursor pagination by id: stable under inserts, opaque to callers."""

from __future__ import annotations

import base64
import binascii

import sqlalchemy as sa
from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate

from app.extensions import db

MAX_LIMIT = 200


def encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"id:{last_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise ValidationError("Not a cursor this API gave out.", "cursor") from None
    kind, _, value = raw.partition(":")
    if kind != "id" or not value.isdigit() or len(value) > 12:
        raise ValidationError("Not a cursor this API gave out.", "cursor")
    return int(value)


class PageQuery(Schema):
    """limit and cursor, shared by every list; an unknown parameter is an error, not ignored."""

    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=50, validate=validate.Range(1, MAX_LIMIT),
                           metadata={"description": "Items per page (1–200)."})
    cursor = fields.String(validate=validate.Length(max=40),
                           metadata={"description": "The next_cursor of the previous page."})

    @post_load
    def decode_cursor(self, data: dict, **_kwargs) -> dict:
        data["after"] = decode(data.pop("cursor")) if data.get("cursor") else 0
        return data


def page(query: sa.Select, id_column, args: dict) -> dict:
    """One page of `query` after the cursor, ordered by id, with the cursor of the next page."""
    rows = list(db.session.scalars(query.where(id_column > args["after"]).order_by(id_column)
                                   .limit(args["limit"] + 1)).unique())
    more = len(rows) > args["limit"]
    rows = rows[: args["limit"]]
    return {"items": rows, "next_cursor": encode(rows[-1].id) if more and rows else None}
