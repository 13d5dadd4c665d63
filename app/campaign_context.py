"""The campaign a request works on: from the link, else the user's choice, else the default.

Links to campaign pages carry `?campaign=<id>` (added by `add_campaign_to_urls`), so a link a
colleague shares opens the same campaign; the switcher remembers the choice per user.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, request
from flask_login import current_user
from werkzeug.exceptions import NotFound

from app.extensions import db
from app.models import Campaign
from app.params import parse_id
from app.services.campaigns import campaign_for

# Blueprints whose pages show one campaign's figures.
CAMPAIGN_AREAS = frozenset({"states", "dashboard", "briefs", "followups", "outreach", "requests"})


def requested_campaign_id() -> int | None:
    """The campaign a link names (its own page's id, or `?campaign=`); None when it names none.

    A link that names a campaign that cannot exist is a 404, never another campaign's figures.
    """
    in_path = (request.view_args or {}).get("campaign_id")
    if isinstance(in_path, int):
        return in_path
    if "campaign" not in request.args:
        return None
    campaign_id = parse_id(request.args["campaign"])
    if campaign_id is None or db.session.get(Campaign, campaign_id) is None:
        abort(404)
    return campaign_id


def current_campaign() -> Campaign | None:
    """The request's campaign, resolved once."""
    if "campaign" not in g:
        g.campaign = None  # the 404 page of a bad link must not fail again while it renders
        user = current_user if current_user.is_authenticated else None
        g.campaign = campaign_for(user, requested_campaign_id())
    return g.campaign


def campaign_for_page() -> Campaign | None:
    """For the navigation and links: an error page of a bad link shows no campaign, not a second error."""
    try:
        return current_campaign()
    except NotFound:
        return None


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
    campaign = campaign_for_page()
    if campaign is not None:
        values["campaign"] = campaign.id
