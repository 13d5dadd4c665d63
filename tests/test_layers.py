"""The layers keep their one direction: services read no request, audit is written by services only,
and the desk has one clock."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.domain.enums import (
    Channel,
    InterlocutorLevel,
    RequestDirection,
    RequestStatus,
    Role,
    StageResult,
    SupportStatus,
    TokenScope,
)
from app.extensions import db
from app.models import AuditEvent
from app.pdf.translate import ENGLISH
from app.services import accounts, backup, signin, tokens
from app.services.audit import Actor
from app.services.briefs import state_brief_pdf
from app.services.campaigns import CampaignInput, default_campaign, save_campaign
from app.services.contacts import ContactInput, save_contact
from app.services.followups import add_follow_up, set_done
from app.services.forecast import set_forecast_split
from app.services.outreach import OutreachInput, delete_outreach, edit_outreach, record_outreach
from app.services.requests import RequestInput, save_request
from app.services.stages import record_decision
from app.services.states import PROFILE_FIELDS, get_state, update_profile
from app.services.status import change_status, position_for
from app.services.tally import set_weights
from tests.conftest import PASSWORD, make_user

APP = Path(__file__).resolve().parent.parent / "app"
# Modules bound to a request (or to Flask itself): a service takes what they would give as arguments.
REQUEST_BOUND = ("flask", "flask_babel", "flask_login", "flask_wtf", "werkzeug", "app.i18n", "app.web",
                 "app.forms", "app.campaign_context", "app.auth.actor", "app.auth.session", "app.auth.access")
# Arithmetic the domain core takes over (app/domain); its translated formula is that move's business.
MOVING_TO_DOMAIN = {"tally_math.py"}


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_service_imports_flask_or_a_request_bound_module():
    offenders = {
        f"{path.name}: {name}"
        for path in sorted((APP / "services").glob("*.py")) if path.name not in MOVING_TO_DOMAIN
        for name in _imports(path)
        if any(name == bound or name.startswith(bound + ".") for bound in REQUEST_BOUND)
    }
    assert offenders == set()


def _audit_calls(path: Path) -> list[int]:
    return [node.lineno for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"]


def test_only_services_write_audit_records():
    """Routes, the API and commands call services, which audit; none writes the trail itself."""
    outside = {f"{path.relative_to(APP)}:{line}" for path in APP.rglob("*.py")
               if "services" not in path.parts for line in _audit_calls(path)}
    assert outside == set()


def _new_events(run) -> list[AuditEvent]:
    before = db.session.scalar(sa.select(sa.func.max(AuditEvent.id))) or 0
    run()
    db.session.flush()
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)))


def test_every_writing_service_leaves_exactly_one_audit_event(app):
    """Each service that changes the desk, or signs someone in or out, records one event with the actor's address."""
    admin, staff = make_user(Role.ADMIN), make_user(Role.STAFF, states=[])
    by_admin, by_staff = Actor(admin, "198.51.100.7"), Actor(staff, "198.51.100.8")
    campaign, khm = default_campaign(), get_state("KHM")
    made: dict = {}

    def entry():
        made["entry"] = record_outreach(OutreachInput(
            occurred_on=date.today() - timedelta(days=1), channel=Channel.PHONE, level=InterlocutorLevel.MINISTER,
            location="Phnom Penh", our_participants="", their_participants="", summary="Call",
            state_ids=[khm.id], campaign_ids=[campaign.id]), by_staff)

    def edited():
        old = made["entry"]
        edit_outreach(old, OutreachInput(
            occurred_on=old.occurred_on, channel=old.channel, level=old.level, location=old.location,
            our_participants="", their_participants="", summary="Call, edited", state_ids=[khm.id],
            campaign_ids=[campaign.id]), by_staff)

    def follow_up():
        made["follow_up"] = add_follow_up(campaign, khm, text="Send the note", due_on=date.today() + timedelta(days=3),
                                          owner=staff, actor=by_staff)

    def user():
        made["user"] = accounts.create_user("new@example.test", "New colleague", Role.STAFF, PASSWORD,
                                            actor=by_admin, temporary=True)

    def token():
        made["token"] = tokens.create_token(by_staff, "script", TokenScope.READ, 30, datetime.now(UTC))[0]

    writes = [
        ("contact.create", lambda: save_contact(khm, ContactInput(name="Keo Remy"), by_staff)),
        ("request.create", lambda: save_request(khm, RequestInput(
            direction=RequestDirection.THEY_ASK_US, body="UNESCO", post="Board", year=2027,
            status=RequestStatus.PENDING, campaign_id=campaign.id), by_staff)),
        ("outreach.create", entry),
        ("outreach.update", edited),
        ("status.change", lambda: change_status(campaign, get_state("LAO"), to_status=SupportStatus.UNDECIDED,
                                                expected_version=position_for(campaign, get_state("LAO")).version,
                                                actor=by_staff, reason="Asked")),
        ("followup.create", follow_up),
        ("followup.done", lambda: set_done(made["follow_up"], True, by_staff)),
        ("state.profile", lambda: update_profile(khm, {**{n: getattr(khm, n) for n in PROFILE_FIELDS},
                                                       "capital": "Phnom Penh (new)"}, actor=by_admin)),
        ("campaign.save", lambda: save_campaign(campaign, CampaignInput(
            name=campaign.name, office=campaign.office + " ", candidate_name="Someone",
            candidate_state_id=campaign.candidate_state_id, is_default=True, archived=False), by_admin)),
        ("campaign.weights", lambda: set_weights(campaign, {s: 0.5 for s in SupportStatus}, 0.75, by_admin)),
        ("campaign.forecast_split", lambda: set_forecast_split(campaign, 0.2, by_admin)),
        ("outreach.delete", lambda: delete_outreach(made["entry"], "Duplicate", by_admin)),
        ("user.create", user),
        ("user.update", lambda: accounts.update_user(made["user"], name="Renamed", role=Role.ENVOY, active=True,
                                                     assigned=["KHM"], actor=by_admin)),
        ("user.password_reset", lambda: accounts.reset_password(made["user"], by_admin)),
        ("user.locale", lambda: accounts.set_locale(by_staff, "id")),
        ("login.success", lambda: signin.password_step(staff.email, PASSWORD, Actor(None, "198.51.100.8"),
                                                       timedelta(minutes=15))),
        ("login.failure", lambda: signin.password_step(staff.email, "wrong", Actor(None, "198.51.100.8"),
                                                       timedelta(minutes=15))),
        ("user.password_change", lambda: signin.change_own_password(by_staff, PASSWORD, "a brand new passphrase 7",
                                                                    timedelta(minutes=15))),
        ("logout", lambda: signin.sign_out(by_staff)),
        ("token.create", token),
        ("token.revoke", lambda: tokens.revoke_token(made["token"], by_staff, datetime.now(UTC))),
        ("calendar.issue", lambda: tokens.issue_feed(by_staff, datetime.now(UTC))),
        ("calendar.revoke", lambda: tokens.revoke_feeds(by_staff, datetime.now(UTC))),
        ("brief.download", lambda: state_brief_pdf(by_staff, campaign, khm, ENGLISH, "CONFIDENTIAL")),
        ("backup.export", lambda: backup.record_export(Actor(None, "cli", "command line"), "desk.json")),
        ("stage.decide", lambda: record_decision(campaign.stages[-1], StageResult.ELECTED, "Elected", by_admin)),
    ]
    for action, run in writes:
        events = _new_events(run)
        assert [e.action for e in events] == [action], action
        assert events[0].address.startswith(("198.51.100.", "cli")), action
    db.session.rollback()


def test_flask_users_create_leaves_an_audit_event(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "cli.user@example.test", "--name", "From the shell",
                                 "--role", "staff", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.create"))
    assert (event.user_label, event.address, event.details["email"]) == ("command line", "cli", "cli.user@example.test")


def test_the_desk_has_one_clock_that_tests_can_stop(client, auth, frozen_clock):
    """Late on 1 March (UTC) the form, the services, the records and the file names all say 1 March."""
    from app.domain import clock
    from app.services.followups import today

    frozen_clock(datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert clock.today() == today() == date(2026, 3, 1)
    auth.login(Role.STAFF)
    login = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login.success"))
    assert login.at == datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    page = auth.post("/states/KHM/status", {"status": "undecided", "version": "1", "reason": "Asked",
                                             "effective_on": "2026-03-02"}, page="/states/KHM")
    assert page.status_code == 400 and "The date cannot be in the future." in page.get_data(as_text=True)
    accepted = auth.post("/states/KHM/status", {"status": "undecided", "version": "1", "reason": "Asked",
                                                 "effective_on": "2026-03-01"}, page="/states/KHM")
    assert accepted.status_code == 302
    brief = client.get("/states/KHM/brief.pdf")
    assert "brief-KHM-20260301.pdf" in brief.headers["Content-Disposition"]


@pytest.mark.parametrize("moment", [datetime(2026, 3, 1, 23, 59), datetime(2026, 3, 2, 0, 1)])
def test_a_naive_moment_means_utc(frozen_clock, moment):
    from app.domain import clock

    frozen_clock(moment)
    assert clock.now().tzinfo is not None and clock.today() == moment.date()


def test_the_campaign_page_shows_the_line_of_the_tally_even_with_no_turnout(client, auth):
    """One place computes a stage's line: with an expected turnout of 0 the page says 1, like tally_math."""
    from app.domain.tally_math import votes_needed
    from app.services.stages import electorate
    from app.services.tally import stage_tally

    campaign = default_campaign()
    stage = campaign.current_stage
    stage.expected_turnout = 0
    db.session.commit()
    auth.login(Role.STAFF)
    html = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    tally = stage_tally(stage)
    line = votes_needed(stage.winning_rule, 0, electorate(stage).membership)
    assert not stage.rounds and tally.turnout == 0 and line == tally.votes_needed
    assert f'<strong class="stage-line">{line}</strong>' in html


def test_flask_seed_audits_what_it_added_and_nothing_when_nothing_changed(app, runner):
    from app.models import Membership

    assert runner.invoke(args=["seed"]).exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "reference.seed")) == 0
    db.session.execute(
        sa.delete(Membership).where(Membership.id == db.session.scalar(sa.select(sa.func.min(Membership.id))))
    )
    db.session.commit()
    result = runner.invoke(args=["seed"])
    assert "1 memberships added" in result.output
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reference.seed"))
    assert (event.address, event.details["memberships_added"]) == ("cli", 1)


ROUTE_LINES = 17  # "about fifteen": parse the form, call one service, commit, answer
LONG_ROUTES: set[str] = set()


def _views(path: Path):
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Call) and isinstance(d.func, ast.Attribute) and d.func.attr == "route"
                for d in node.decorator_list):
            yield node


def test_routes_stay_short_and_import_no_other_blueprints_routes():
    long_ones, crossings = set(), set()
    for path in APP.glob("*/*.py"):
        area = path.parent.name
        crossings |= {f"{area}/{path.name}: {name}" for name in _imports(path)
                      if name.endswith(".routes") and name != f"app.{area}.routes"}
        for view in _views(path):
            if view.end_lineno - view.lineno > ROUTE_LINES:
                long_ones.add(f"{area}/{path.name}:{view.name}")
    assert crossings == set()
    assert long_ones <= LONG_ROUTES, sorted(long_ones - LONG_ROUTES)
