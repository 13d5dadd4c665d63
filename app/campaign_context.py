"""The campaign a request works on: from the link, else the user's choice, else the default.

Links to campaign pages carry `?campaign=<id>` (added by `add_campaign_to_urls`), so a link a
colleague shares opens the same campaign; the switcher remembers the choice per user.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, request
from flask_login import current_user

from app.models import Campaign
from app.services.campaigns import campaign_for

# Blueprints whose pages show one campaign's figures.
CAMPAIGN_AREAS = frozenset({"states", "dashboard", "briefs", "followups", "outreach", "requests"})
MAX_ID = 2**31 - 1


def requested_campaign_id() -> int | None:
    """The `campaign` query parameter as an id, None when absent or not a sane id."""
    raw = request.args.get("campaign", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_ID:
        return int(raw)
    return None


def current_campaign() -> Campaign | None:
    """The request's campaign, resolved once; a campaign's own pages are about that campaign."""
    if "campaign" not in g:
        user = current_user if current_user.is_authenticated else None
        in_path = (request.view_args or {}).get("campaign_id")
        requested = in_path if isinstance(in_path, int) and 0 < in_path <= MAX_ID else requested_campaign_id()
        g.campaign = campaign_for(user, requested)
    return g.campaign


def current_campaign_or_404() -> Campaign:
    campaign = current_campaign()
    if campaign is None:
        abort(404)
    return campaign


def add_campaign_to_urls(endpoint: str, values: dict[str, Any]) -> None:
    """url_for() on a campaign page keeps the campaign in the link."""
    if "campaign" in values or not endpoint or endpoint.split(".")[0] not in CAMPAIGN_AREAS:
        return
    if not current_user.is_authenticated:
        return
    campaign = current_campaign()
    if campaign is not None:
        values["campaign"] = campaign.id
