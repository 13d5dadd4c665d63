"""Request-wide helpers: template globals, security headers and safe redirects."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import Response, current_app, flash, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.auth.access import can_edit_states
from app.domain import clock
from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.i18n import LANGUAGES
from app.services import data_version

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# The desk uses no device features; refuse them all to the page and anything it might embed.
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "display-capture=(), fullscreen=()"
)


def day_filter(value) -> str:
    """`{{ d|day }}`: a date as the reader writes it on a page ("24 Nov 2025" / "24 Des 2025")."""
    from flask_babel import format_date

    return format_date(value, "d MMM y")


def decimal_filter(value: float, digits: int = 0) -> str:
    """`{{ x|decimal(1) }}`: a number with the reader's separators ("7.8" / "7,8")."""
    from flask_babel import format_decimal

    return format_decimal(value, "#,##0" + ("." + "0" * digits if digits else ""))


def signed_filter(value: float, digits: int = 1) -> str:
    """`{{ x|signed }}`: a number with its sign always shown ("+2.5" / "+2,5")."""
    return ("+" if value >= 0 else "-") + decimal_filter(abs(value), digits)


def percent_filter(share: float, digits: int = 0) -> str:
    """`{{ share|percent }}`: a share of one as a percentage in the reader's locale ("42%")."""
    from flask_babel import format_percent

    return format_percent(share, "#,##0" + ("." + "0" * digits if digits else "") + "%")


def inject_template_globals() -> dict:
    from app.campaign_context import campaign_for_page
    from app.services.campaigns import all_campaigns

    signed_in = current_user.is_authenticated
    return {
        "visible_contacts": _visible_contacts,
        "current_campaign": campaign_for_page() if signed_in else None,
        "switcher_campaigns": all_campaigns() if signed_in else [],
        "Role": Role,
        "SupportStatus": SupportStatus,
        "can_edit_states": can_edit_states(),
        "classification": current_app.config.get("CLASSIFICATION", ""),
        "nav_endpoints": current_app.view_functions,
        "today_date": clock.today(),
        "languages": LANGUAGES,
        "current_locale": str(get_locale() or "en"),
        "state_name": _state_name,
    }


def _visible_contacts(contacts) -> list:
    """The contacts of an entry that the viewer may see (an envoy: those of their own states)."""
    from app.auth.scope import can_see_state

    return [c for c in contacts if can_see_state(current_user, c.state_id)]


def _state_name(state) -> str:
    """A state as the reader names it, with the UN name beside it ("Kamboja (Cambodia)")."""
    from app.services.state_search import display_name

    return display_name(state.iso2, state.name, str(get_locale() or "en"))


def set_security_headers(response: Response) -> Response:
    """Headers every response carries; pages and PDFs are never cached."""
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def _local_path(target: str) -> bool:
    if any(ch in target for ch in "\\\r\n\t\x00") or not target.startswith("/") or target.startswith("//"):
        return False
    parts = urlsplit(target)
    return not (parts.scheme or parts.netloc)


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback` (no open redirects).

    The decoded form must pass too, so encoded slashes or control characters cannot sneak through.
    """
    if not target:
        return fallback
    target = target.strip()
    return target if _local_path(target) and _local_path(unquote(target)) else fallback


@dataclass(frozen=True)
class Saved:
    """How a save went: `status` None when committed (`value`: what the service returned), else 400 or 409."""

    status: int | None
    value: Any = None

    @property
    def ok(self) -> bool:
        return self.status is None


def commit_or_keep(save: Callable[[], Any], form=None, version_of: Callable[[], int] | None = None,
                   success: str = "", refused_to=None) -> Saved:
    """Run one service call and commit it: Saved(None, its result) when saved (and `success` flashed).

    A stale save (someone saved the record meanwhile) rolls back, puts the stored version in the
    form's `version` field (what was typed stays, so saving again is a deliberate choice), flashes
    who saved and returns 409. Any other refusal rolls back and returns 400, its message flashed or
    added to the errors of the field `refused_to`.
    """
    from app.services import ServiceError
    from app.services.locking import EditConflict
    from app.services.states import ProfileConflict
    from app.services.status import StatusConflict

    try:
        value = save()
    except (EditConflict, ProfileConflict, StatusConflict) as conflict:
        db.session.rollback()
        if form is not None and version_of is not None:
            form.version.data = str(version_of())
        flash(str(conflict), "warning")
        return Saved(409)
    except ServiceError as error:
        db.session.rollback()
        if refused_to is not None:
            refused_to.errors.append(str(error))
        else:
            flash(str(error), "danger")
        return Saved(400)
    db.session.commit()
    if success:
        flash(success, "success")
    return Saved(None, value)


# Stands for the CSRF token in a cached page; each response gets a fresh token in its place.
CSRF_SLOT = f"csrf-slot-{secrets.token_hex(16)}"


def viewer_page(key: tuple, render: Callable[[str | None], str]) -> str:
    """A page kept per `key` (the data version first: any write makes a new one), viewer and address.

    `render(slot)` renders it with `slot` standing for the CSRF token, replaced by a fresh token in
    each response; a page with messages to show once is rendered afresh (`render(None)`).
    """
    if session.get("_flashes"):
        return render(None)
    page = data_version.PAGES.get((*key, current_user.id, request.full_path), lambda: render(CSRF_SLOT))
    return page.replace(CSRF_SLOT, generate_csrf())
