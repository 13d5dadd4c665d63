"""Loading the signed-in user from the session cookie."""

from __future__ import annotations

import hmac

from app.extensions import db
from app.models import User


def load_user(user_id: str) -> User | None:
    """The user behind a session id "<id>:<token>"; a rotated token signs nobody in."""
    raw_id, _, token = user_id.partition(":")
    if not raw_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token, token):
        return None
    return user
