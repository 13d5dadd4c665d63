"""Every route, every role: the allow/deny table holds with zero mismatches."""

from __future__ import annotations

import pytest

from app.domain.enums import ImportKind, Role, TokenScope
from app.extensions import db
from app.models.types import utcnow
from app.services.imports import start_import
from app.services.tokens import create_token
from tests.conftest import AuthActions, csrf_token, make_user
from tests.factories import add_contact, add_follow_up, add_outreach, add_request, as_actor

ANON, ENVOY_HERE, ENVOY_ELSEWHERE, STAFF, LEADERSHIP, ADMIN = (
    "anonymous", "envoy-assigned", "envoy-other", "staff", "leadership", "admin",
)
EVERYONE = {ENVOY_HERE, ENVOY_ELSEWHERE, STAFF, LEADERSHIP, ADMIN}
READERS_OF_KHM = {ENVOY_HERE, STAFF, LEADERSHIP, ADMIN}
WORKERS_ON_KHM = {ENVOY_HERE, STAFF, ADMIN}
EDITORS = {STAFF, ADMIN}
VIEWERS = {STAFF, LEADERSHIP, ADMIN}
ADMINS = {ADMIN}


def routes(ids: dict[str, int]) -> list[tuple[str, str, str, set[str]]]:
    """(rule, method, url, roles allowed) for every route of the app."""
    return [
        ("/", "GET", "/", EVERYONE),
        ("/login", "GET", "/login", EVERYONE | {ANON}),
        ("/logout", "POST", "/logout", EVERYONE),
        ("/account/password", "GET", "/account/password", EVERYONE),
        ("/account/two-factor", "GET", "/account/two-factor", EVERYONE),
        ("/account/language", "GET", "/account/language", EVERYONE),
        # The footer's language switch: a cookie before sign-in, the account's setting after.
        ("/language", "POST", "/language", EVERYONE | {ANON}),
        # Without a password step behind it, the second-factor page sends anonymous users to /login.
        ("/login/verify", "GET", "/login/verify", EVERYONE),
        ("/states/", "GET", "/states/", EVERYONE),
        ("/states/<iso3>", "GET", "/states/KHM", READERS_OF_KHM),
        ("/states/<iso3>/profile", "GET", "/states/KHM/profile", EDITORS),
        ("/states/<iso3>/status", "POST", "/states/KHM/status", WORKERS_ON_KHM),
        ("/states/<iso3>/outreach/new", "GET", "/states/KHM/outreach/new", WORKERS_ON_KHM),
        ("/outreach/<int:entry_id>", "GET", f"/outreach/{ids['entry']}", READERS_OF_KHM),
        ("/outreach/<int:entry_id>/edit", "GET", f"/outreach/{ids['entry']}/edit", {STAFF, ADMIN}),
        ("/outreach/<int:entry_id>/delete", "POST", f"/outreach/{ids['entry']}/delete", ADMINS),
        ("/follow-ups", "GET", "/follow-ups", EVERYONE),
        ("/states/<iso3>/follow-ups", "GET", "/states/KHM/follow-ups", WORKERS_ON_KHM),
        ("/follow-ups/<int:follow_up_id>/<any(done, reopen):action>", "POST",
         f"/follow-ups/{ids['follow_up']}/done", WORKERS_ON_KHM),
        ("/states/<iso3>/contacts/new", "GET", "/states/KHM/contacts/new", WORKERS_ON_KHM),
        ("/contacts/<int:contact_id>/edit", "GET", f"/contacts/{ids['contact']}/edit", WORKERS_ON_KHM),
        ("/requests", "GET", "/requests", {STAFF, LEADERSHIP, ADMIN}),
        ("/states/<iso3>/requests/new", "GET", "/states/KHM/requests/new", WORKERS_ON_KHM),
        ("/requests/<int:request_id>/edit", "GET", f"/requests/{ids['request']}/edit", WORKERS_ON_KHM),
        ("/campaigns/", "GET", "/campaigns/", EVERYONE),
        ("/campaigns/new", "GET", "/campaigns/new", ADMINS),
        ("/campaigns/<int:campaign_id>/edit", "GET", f"/campaigns/{ids['campaign']}/edit", ADMINS),
        ("/campaigns/<int:campaign_id>", "GET", f"/campaigns/{ids['campaign']}", EVERYONE),
        ("/campaigns/switch", "POST", "/campaigns/switch", EVERYONE),
        ("/campaigns/<int:campaign_id>/stages/new", "GET", f"/campaigns/{ids['campaign']}/stages/new", ADMINS),
        ("/campaigns/<int:campaign_id>/stages/<int:stage_id>/edit", "GET",
         f"/campaigns/{ids['campaign']}/stages/{ids['stage']}/edit", ADMINS),
        ("/campaigns/<int:campaign_id>/stages/<int:stage_id>/rounds", "POST",
         f"/campaigns/{ids['campaign']}/stages/{ids['stage']}/rounds", EDITORS),
        ("/campaigns/<int:campaign_id>/stages/<int:stage_id>/decision", "POST",
         f"/campaigns/{ids['campaign']}/stages/{ids['stage']}/decision", EDITORS),
        ("/campaigns/<int:campaign_id>/stages/<int:stage_id>/reconciliation", "GET",
         f"/campaigns/{ids['presidency']}/stages/{ids['group_stage']}/reconciliation", VIEWERS),
        ("/campaigns/<int:campaign_id>/stages/<int:stage_id>/reconciliation.pdf", "GET",
         f"/campaigns/{ids['presidency']}/stages/{ids['group_stage']}/reconciliation.pdf", VIEWERS),
        ("/admin/users", "GET", "/admin/users", ADMINS),
        ("/admin/users/<int:user_id>", "GET", f"/admin/users/{ids['staff']}", ADMINS),
        ("/admin/users/<int:user_id>/reset-password", "POST", f"/admin/users/{ids['staff']}/reset-password", ADMINS),
        ("/admin/audit", "GET", "/admin/audit", ADMINS),
        ("/admin/downloads", "GET", "/admin/downloads", ADMINS),
        ("/states/<iso3>/brief.pdf", "GET", "/states/KHM/brief.pdf", READERS_OF_KHM),
        ("/packs", "GET", "/packs", EVERYONE),
        ("/dashboard/", "GET", "/dashboard/", VIEWERS),
        ("/dashboard/report.pdf", "GET", "/dashboard/report.pdf", VIEWERS),
        ("/dashboard/tally.csv", "GET", "/dashboard/tally.csv", VIEWERS),
        ("/dashboard/weights", "GET", "/dashboard/weights", ADMINS),
        ("/dashboard/split", "POST", "/dashboard/split", ADMINS),
        ("/dashboard/backtest", "GET", "/dashboard/backtest", VIEWERS),
        ("/account/tokens", "GET", "/account/tokens", EVERYONE),
        # Open to every role; a token of someone else answers 404 unless the user is an admin.
        ("/account/tokens/<int:token_id>/revoke", "POST", f"/account/tokens/{ids['token']}/revoke", EVERYONE),
        ("/admin/tokens", "GET", "/admin/tokens", ADMINS),
        ("/api-reference", "GET", "/api-reference", EVERYONE),
        ("/account/calendar", "GET", "/account/calendar", EVERYONE),
        ("/account/calendar/revoke", "POST", "/account/calendar/revoke", EVERYONE),
        # Public by URL: the secret key is the credential; an unknown key answers 404 to everyone.
        ("/calendar/<key>.ics", "GET", "/calendar/not-a-key.ics", EVERYONE | {ANON}),
        ("/api/v1/openapi.json", "GET", "/api/v1/openapi.json", EVERYONE | {ANON}),
        ("/import", "GET", "/import", EDITORS),
        # An upload is its user's own (the admin's here): anyone else's key answers 404, which is not a refusal.
        ("/import/<key>", "GET", f"/import/{ids['import']}", EDITORS),
        ("/import/<key>/confirm", "POST", f"/import/{ids['import']}/confirm", EDITORS),
        ("/import/<key>/report.csv", "GET", f"/import/{ids['import']}/report.csv", EDITORS),
    ] + api_routes(ids)


def api_routes(ids: dict[str, int]) -> list[tuple[str, str, str, set[str]]]:
    """The API takes bearer tokens only: a session cookie opens none of it (tests/api checks tokens)."""
    nobody: set[str] = set()
    return [
        ("/api/v1/states", "GET", "/api/v1/states", nobody),
        ("/api/v1/states/<iso3>", "GET", "/api/v1/states/KHM", nobody),
        ("/api/v1/campaigns", "GET", "/api/v1/campaigns", nobody),
        ("/api/v1/campaigns/<int(max=2147483647):campaign_id>", "GET", f"/api/v1/campaigns/{ids['campaign']}", nobody),
        (
            "/api/v1/campaigns/<int(max=2147483647):campaign_id>/stages",
            "GET",
            f"/api/v1/campaigns/{ids['campaign']}/stages",
            nobody,
        ),
        ("/api/v1/stages/<int(max=2147483647):stage_id>/tally", "GET", f"/api/v1/stages/{ids['stage']}/tally", nobody),
        ("/api/v1/positions", "GET", "/api/v1/positions", nobody),
        ("/api/v1/requests", "GET", "/api/v1/requests", nobody),
        ("/api/v1/outreach", "GET", "/api/v1/outreach", nobody),
        ("/api/v1/outreach", "POST", "/api/v1/outreach", nobody),
        ("/api/v1/outreach/<int(max=2147483647):entry_id>", "GET", f"/api/v1/outreach/{ids['entry']}", nobody),
        ("/api/v1/follow-ups", "GET", "/api/v1/follow-ups", nobody),
        ("/api/v1/follow-ups", "POST", "/api/v1/follow-ups", nobody),
        (
            "/api/v1/follow-ups/<int(max=2147483647):follow_up_id>/done",
            "POST",
            f"/api/v1/follow-ups/{ids['follow_up']}/done",
            nobody,
        ),
        ("/api/v1/contacts", "GET", "/api/v1/contacts", nobody),
        ("/api/v1/contacts", "POST", "/api/v1/contacts", nobody),
        ("/api/v1/contacts/<int(max=2147483647):contact_id>", "GET", f"/api/v1/contacts/{ids['contact']}", nobody),
    ]


@pytest.fixture
def world(app):
    """Users of every role and one record of each kind on Cambodia."""
    import sqlalchemy as sa

    from app.models import Campaign
    from app.services.campaigns import default_campaign
    from app.services.reference import PRESIDENCY_CAMPAIGN

    staff = make_user(Role.STAFF)
    make_user(Role.LEADERSHIP)
    admin = make_user(Role.ADMIN)
    make_user(Role.ENVOY, email="envoy-here@example.test", states=["KHM"])
    make_user(Role.ENVOY, email="envoy-else@example.test", states=["FRA"])
    campaign = default_campaign()
    presidency = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    entry = add_outreach(campaign, ["KHM"], staff)
    ids = {
        "staff": staff.id,
        "entry": entry.id,
        "follow_up": add_follow_up(campaign, "KHM", staff).id,
        "contact": add_contact("KHM", staff).id,
        "request": add_request("KHM", staff).id,
        "campaign": campaign.id,
        "stage": campaign.stages[0].id,
        "presidency": presidency.id,
        "group_stage": presidency.stages[0].id,
        "token": create_token(as_actor(staff), "matrix", TokenScope.READ, 30, utcnow())[0].id,
        "import": start_import(admin, ImportKind.CONTACTS, None, "matrix.csv", b"State,Name\nKHM,Ms Matrix\n",
                               utcnow()).key,
    }
    db.session.commit()
    return ids


LOGINS = {
    STAFF: (Role.STAFF, None), LEADERSHIP: (Role.LEADERSHIP, None), ADMIN: (Role.ADMIN, None),
    ENVOY_HERE: (Role.ENVOY, "envoy-here@example.test"), ENVOY_ELSEWHERE: (Role.ENVOY, "envoy-else@example.test"),
}


def outcome(auth: AuthActions, method: str, url: str) -> str:
    client = auth.client
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(
            url, data={"csrf_token": csrf_token(client, "/login" if auth.user is None else "/account/password")}
        )
    if response.status_code in (401, 403):
        return "denied"
    if response.status_code == 302 and "/login" in response.headers["Location"] and url != "/logout":
        return "denied"
    assert response.status_code < 500, (url, response.status_code)
    return "allowed"


@pytest.mark.parametrize("who", [ANON, ENVOY_HERE, ENVOY_ELSEWHERE, STAFF, LEADERSHIP, ADMIN])
def test_role_matrix(app, auth, world, who):
    table = routes(world)
    if who != ANON:
        role, email = LOGINS[who]
        auth.login(role, email=email)
    mismatches = []
    for rule, method, url, allowed in table:
        if url == "/logout":
            continue  # signing out would end the walk; checked last
        expected = "allowed" if who in allowed else "denied"
        got = outcome(auth, method, url)
        if got != expected:
            mismatches.append((method, url, expected, got))
    assert mismatches == []


def test_matrix_covers_every_route(app, world):
    covered = {(rule, method) for rule, method, _, _ in routes(world)}
    actual = {
        (r.rule, m) for r in app.url_map.iter_rules() if r.endpoint != "static"
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    # A GET+POST route is listed once by GET; its POST shares the same decorator.
    missing = {(rule, m) for rule, m in actual if (rule, m) not in covered and (rule, "GET") not in covered}
    assert missing == set()


def test_every_view_is_closed_unless_a_decorator_opens_it(app):
    unopened = [name for name, view in app.view_functions.items()
                if name != "static" and getattr(view, "access_rule", None) is None]
    assert unopened == []
