"""The dashboard's figures are rendered once per data version: every kind of write shows on the next request.

Each case opens the dashboard (so its figures are cached), makes one kind of write the way the desk
does (a service, then the commit a route makes, or the page itself), then opens the dashboard again:
the data version has changed, the figures were computed again, and what the write changed is there.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.dashboard import routes as dashboard_routes
from app.domain.enums import RequestStatus, Role, StageResult, SupportStatus
from app.extensions import db
from app.models import Campaign, State, User
from app.services import accounts, audit, data_version
from app.services.campaigns import default_campaign
from app.services.followups import set_done
from app.services.forecast import set_forecast_split
from app.services.stages import RoundInput, record_decision, record_round
from app.services.status import Evidence, change_status, position_for
from app.services.tally import set_weights
from tests.conftest import make_user
from tests.dashboard.test_dashboard_forecast import contested
from tests.factories import add_contact, add_follow_up, add_outreach, add_request, as_actor
from tests.imports.helpers import confirm, csv_bytes, preview_key, upload


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def figure(html: str, name: str) -> str:
    match = re.search(rf'id="fig-{name}">([^<]+)<', html)
    assert match, name
    return match.group(1)


def badge(html: str, title: str) -> int:
    match = re.search(re.escape(title) + r' <span class="badge [^"]+">(\d+)</span>', html)
    assert match, title
    return int(match.group(1))


@pytest.fixture
def renders(monkeypatch):
    """How many times the dashboard's figures were computed."""
    count = {"n": 0}
    real = dashboard_routes.build_dashboard

    def counted(*args, **kwargs):
        count["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard_routes, "build_dashboard", counted)
    return count


def set_status(code: str, status: SupportStatus, user: User) -> None:
    campaign = default_campaign()
    change_status(campaign, state(code), to_status=status, expected_version=position_for(campaign, state(code)).version,
                  actor=as_actor(user), reason="test", evidence=Evidence())


def test_unchanged_data_is_served_from_the_cache_and_audit_rows_do_not_throw_it_away(client, auth, renders):
    auth.login(Role.LEADERSHIP)
    first = client.get("/dashboard/").get_data(as_text=True)
    stamp = data_version.current(db.session)
    second = client.get("/dashboard/").get_data(as_text=True)
    assert renders["n"] == 1 and figure(first, "firm") == figure(second, "firm")
    audit.record("report.download", as_actor(auth.user), "campaign", default_campaign().id, kind="dashboard report")
    db.session.commit()
    assert data_version.current(db.session) == stamp
    client.get("/dashboard/")
    assert renders["n"] == 1


def test_the_page_around_the_figures_is_each_viewers_own(client, auth, renders):
    make_user(Role.LEADERSHIP, email="lead2@example.test", name="Second Reader")
    auth.login(Role.LEADERSHIP)
    mine = client.get("/dashboard/").get_data(as_text=True)
    assert "Test leadership" in mine and "Second Reader" not in mine
    auth.logout()
    auth.login(Role.LEADERSHIP, email="lead2@example.test")
    theirs = client.get("/dashboard/").get_data(as_text=True)
    assert "Second Reader" in theirs and "Test leadership" not in theirs
    assert renders["n"] == 1  # the same figures, rendered once
    auth.logout()
    auth.login(Role.ADMIN)
    admin = client.get("/dashboard/").get_data(as_text=True)
    assert renders["n"] == 2 and "/dashboard/weights" in admin and "/dashboard/weights" not in theirs


def _outreach(ctx):
    add_outreach(default_campaign(), ["KHM"], ctx["staff"])
    return lambda before, after: badge(after, "Voters not contacted in 30 days") == \
        badge(before, "Voters not contacted in 30 days") - 1


def _status_change(ctx):
    set_status("IDN", SupportStatus.WRITTEN_PLEDGE, ctx["staff"])
    return lambda before, after: int(figure(after, "firm")) == int(figure(before, "firm")) + 1


def _follow_up(ctx):
    add_follow_up(default_campaign(), "KHM", ctx["staff"], due=date.today() - timedelta(days=2),
                  text="Send the aide-memoire")
    return lambda before, after: "Send the aide-memoire" in after and "Send the aide-memoire" not in before


def _follow_up_done(ctx):
    ctx["follow_up"] = add_follow_up(default_campaign(), "KHM", ctx["staff"], due=date.today() - timedelta(days=2),
                                     text="Call the desk officer")
    db.session.commit()
    ctx["warm"]()
    ctx["rewarmed"] = True
    set_done(ctx["follow_up"], True, as_actor(ctx["staff"]))
    return lambda before, after: "Call the desk officer" not in after


def _contact(ctx):
    add_contact("KHM", ctx["staff"])
    # contacts are not on the dashboard: the figures were computed again all the same


def _contact_deleted(ctx):
    contact = add_contact("KHM", ctx["staff"])
    db.session.commit()
    ctx["warm"]()
    ctx["rewarmed"] = True
    db.session.delete(contact)  # no page deletes contacts; a deleted row must still change the version
    db.session.flush()


def _request(ctx):
    add_request("KHM", ctx["staff"], post="Vice-President", status=RequestStatus.AGREED)
    add_request("LAO", ctx["staff"], post="Vice-President", status=RequestStatus.AGREED)
    return lambda before, after: "also promised to" in after and "also promised to" not in before


def _stage_result(ctx):
    record_decision(
        default_campaign().current_stage, StageResult.ELECTED, "Elected by acclamation.", as_actor(ctx["admin"])
    )
    return lambda before, after: after.count("Elected") > before.count("Elected")


def _round_result(ctx):
    stage = default_campaign().current_stage
    ours = stage.our_candidate
    record_round(stage, RoundInput(held_on=date.today(), present=150, abstentions=0, invalid=0,
                                   votes={ours.id: 60} | {c.id: 0 for c in stage.candidates if c.id != ours.id}),
                 as_actor(ctx["admin"]))
    return lambda before, after: "Round 1: 150 voting" in after and "Round 1:" not in before


def _campaign_edit(ctx):
    default_campaign().name = "Renamed candidature"
    return lambda before, after: "Renamed candidature" in after


def _weights(ctx):
    set_weights(default_campaign(), {s: 0.5 for s in SupportStatus}, 0.75, as_actor(ctx["admin"]))
    return lambda before, after: figure(after, "expected") == "96.5"


def _forecast_split(ctx):
    set_forecast_split(default_campaign(), 0.3, as_actor(ctx["admin"]))
    return lambda before, after: "The campaign's split has 30% abstain" in after and "split has" not in before


def _stage_turnout(ctx):
    default_campaign().current_stage.expected_turnout = 150
    return lambda before, after: "expected turnout 150 of" in after


def _user_renamed(ctx):
    ctx["envoy"].name = "Envoy Renamed"
    # names show in the swing list only for its ten states


def _role_change(ctx):
    accounts.update_user(
        ctx["envoy"], name=ctx["envoy"].name, role=Role.STAFF, active=True, actor=as_actor(ctx["admin"])
    )


def _assignment(ctx):
    accounts.set_assignments(ctx["envoy"], ["KHM", "LAO"])


def _membership_of_voters(ctx):
    stage = default_campaign().current_stage
    stage.non_voters.append(state("KHM"))
    return lambda before, after: int(figure(after, "electorate")) == int(figure(before, "electorate")) - 1


KINDS = {
    "outreach entry": _outreach,
    "status change": _status_change,
    "follow-up added": _follow_up,
    "follow-up done": _follow_up_done,
    "contact added": _contact,
    "contact deleted": _contact_deleted,
    "reciprocal requests": _request,
    "stage result": _stage_result,
    "round result": _round_result,
    "campaign edit": _campaign_edit,
    "weights": _weights,
    "forecast split": _forecast_split,
    "stage expected turnout": _stage_turnout,
    "non-voters of a stage": _membership_of_voters,
    "user renamed": _user_renamed,
    "role change": _role_change,
    "assignment": _assignment,
}

CONTESTED = {"forecast split", "stage expected turnout"}


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_kind_of_write_shows_on_the_next_dashboard_request(client, auth, renders, kind):
    ctx = {"staff": make_user(Role.STAFF), "admin": make_user(Role.ADMIN, email="boss@example.test"),
           "envoy": make_user(Role.ENVOY, states=["KHM"])}
    if kind in CONTESTED:
        contested()  # a ballot near the line, so the dashboard shows the chance of winning
    auth.login(Role.LEADERSHIP)
    ctx["warm"] = lambda: client.get("/dashboard/").get_data(as_text=True)
    before = ctx["warm"]()
    assert client.get("/dashboard/").status_code == 200
    stamp, computed = data_version.current(db.session), renders["n"]
    check = KINDS[kind](ctx)
    if ctx.get("rewarmed"):  # a two-step case: its first write committed and the page opened again
        stamp, computed = data_version.current(db.session), renders["n"]
    db.session.commit()
    after = client.get("/dashboard/").get_data(as_text=True)
    assert data_version.current(db.session) != stamp
    assert renders["n"] == computed + 1
    if check is not None:
        assert check(before, after), (kind, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", after))[-6000:])


def test_an_import_shows_on_the_next_dashboard_request(client, auth, renders):
    auth.login(Role.STAFF)
    before = client.get("/dashboard/").get_data(as_text=True)
    header = ["Country", "Status", "Date expressed", "Evidence", "Note reference", "Reason"]
    key = preview_key(upload(auth, "positions", csv_bytes(
        [header, ["Cambodia", "Written pledge", "2026-10-01", "note_verbale", "NV 1/2026", ""]]), "positions.csv"))
    computed = renders["n"]
    assert confirm(auth, key).status_code == 302
    after = client.get("/dashboard/").get_data(as_text=True)
    assert renders["n"] == computed + 1
    assert int(figure(after, "firm")) == int(figure(before, "firm")) + 1


def test_a_write_through_a_page_shows_on_the_next_request(client, auth):
    auth.login(Role.ADMIN)
    before = client.get("/dashboard/").get_data(as_text=True)
    assert figure(before, "expected") != "96.5"
    fields = {s.value: "0.5" for s in SupportStatus} | {"conditional_factor": "0.75"}
    assert auth.post("/dashboard/weights", fields).status_code == 302
    assert figure(client.get("/dashboard/").get_data(as_text=True), "expected") == "96.5"


def test_a_rolled_back_write_keeps_the_version_and_a_core_statement_changes_it():
    stamp = data_version.current(db.session)
    default_campaign().name = "Never saved"
    db.session.flush()
    db.session.rollback()
    assert data_version.current(db.session) == stamp
    db.session.execute(sa.update(Campaign).values(name=Campaign.name))
    db.session.commit()
    assert data_version.current(db.session) != stamp


def test_workers_share_figures_through_redis_when_it_is_configured():
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    one, two = data_version.FragmentCache(), data_version.FragmentCache()
    one.configure(url)
    two.configure(url)
    key = (data_version.current(db.session), "test", 1)
    assert one.get(key, lambda: "rendered by the first worker") == "rendered by the first worker"
    assert two.get(key, lambda: "rendered again") == "rendered by the first worker"
    default_campaign().name = "Changed"
    db.session.commit()
    fresh = (data_version.current(db.session), "test", 1)
    assert two.get(fresh, lambda: "rendered again") == "rendered again"


def test_without_a_data_version_nothing_is_cached():
    cache = data_version.FragmentCache()
    assert [cache.get((None, "x"), lambda n=n: str(n)) for n in range(2)] == ["0", "1"]


def test_a_cached_page_carries_a_working_csrf_token_and_messages_still_show_once(client, auth, renders):
    from app.web import CSRF_SLOT

    auth.login(Role.ADMIN)
    client.get("/dashboard/")
    again = client.get("/dashboard/").get_data(as_text=True)  # the whole page from the cache
    assert renders["n"] == 1 and CSRF_SLOT not in again
    fields = {s.value: "0.5" for s in SupportStatus} | {"conditional_factor": "0.75"}
    saved = auth.post("/dashboard/weights", fields, follow_redirects=True).get_data(as_text=True)
    assert "Probabilities saved" in saved and figure(saved, "expected") == "96.5"
    assert "Probabilities saved" not in client.get("/dashboard/").get_data(as_text=True)
    token = re.search(r'action="/logout"[^>]*>\s*<input type="hidden" name="csrf_token" value="([^"]+)"',
                      client.get("/dashboard/").get_data(as_text=True)).group(1)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/dashboard/").status_code == 302  # signed out: to the sign-in page


def test_a_change_back_dated_ten_weeks_shows_in_the_next_views_trend(client, auth):
    """The trend's past weeks come from stored snapshots: a back-dated change deletes those it
    overtakes, so the next view draws the trend a replay of the whole history draws."""
    from app.charts.trend import trend_svg
    from app.domain import clock
    from app.domain.tally_math import StatusChangePoint, weekly_trend
    from app.models import StatusChange, TrendSnapshot
    from app.pdf.translate import ENGLISH
    from app.services.tally import load_voters, stage_tally, trend_days, weights_for

    auth.login(Role.LEADERSHIP)
    staff = make_user(Role.STAFF, email="recorder@example.test")
    campaign = default_campaign()
    today = clock.today()
    for code, weeks in (("KHM", 20), ("LAO", 15)):
        change_status(campaign, state(code), to_status=SupportStatus.VERBAL_PLEDGE,
                      expected_version=position_for(campaign, state(code)).version, actor=as_actor(staff),
                      reason="test", effective_on=today - timedelta(weeks=weeks), evidence=Evidence())
    db.session.commit()

    def drawn(page: str) -> str:
        return page.split('class="chart chart-trend"', 1)[1].split("</svg>", 1)[0]

    def replayed() -> str:
        changes = [StatusChangePoint(*row) for row in db.session.execute(
            sa.select(State.iso3, StatusChange.effective_on, StatusChange.to_status, StatusChange.conditional)
            .join(State).where(StatusChange.campaign_id == campaign.id).order_by(StatusChange.id))]
        voters = load_voters(campaign)
        days = trend_days(campaign, today)
        points = weekly_trend(changes, [v.iso3 for v in voters], days[0], days[-1], weights_for(campaign))
        needed = stage_tally(campaign.current_stage, voters).votes_needed
        return drawn(trend_svg(points, needed, len(voters), t=ENGLISH))

    before = client.get("/dashboard/").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendSnapshot)) > 100  # the weeks are stored
    change_status(campaign, state("VNM"), to_status=SupportStatus.WRITTEN_PLEDGE,
                  expected_version=position_for(campaign, state("VNM")).version, actor=as_actor(staff),
                  reason="met in July", effective_on=today - timedelta(weeks=10), evidence=Evidence())
    db.session.commit()
    after = client.get("/dashboard/").get_data(as_text=True)
    assert drawn(after) != drawn(before)
    assert drawn(after) == replayed()
