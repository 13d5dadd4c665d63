"""Tokens for API tests, made through the same service as the account page."""

from __future__ import annotations

from app.domain.enums import TokenScope
from app.extensions import db
from app.models import User
from app.models.types import utcnow
from app.services.tokens import create_token
from tests.factories import as_actor


def token_for(user: User, scope: TokenScope = TokenScope.READ, days: int = 30, name: str = "test") -> str:
    """A committed token's secret."""
    _token, secret = create_token(as_actor(user), name, scope, days, utcnow())
    db.session.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
