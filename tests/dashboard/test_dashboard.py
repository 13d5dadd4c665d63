"""The leadership view: figures, lists, report PDF and CSV drawn from one service."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import InterlocutorLevel, RequestStatus, Role, SupportStatus
from app.extensions import db
from app.models import State
from app.services.campaigns import default_campaign
from app.services.dashboard import build_dashboard
from app.services.status import Evidence, change_status, position_for
from tests.conftest import make_user
from tests.factories import add_follow_up, add_outreach, add_request, as_actor


def state(code: str) -> State:
    return db.session.scalar(sa.select(State).where(State.iso3 == code))


def set_status(code, status, user, level=None, on=None, conditional=False):
    campaign = default_campaign()
    return change_status(
        campaign,
        state(code),
        to_status=status,
        expected_version=position_for(campaign, state(code)).version,
        actor=as_actor(user),
        reason="test",
        effective_on=on,
        evidence=Evidence(source_level=level, conditional=conditional),
    )


def test_dashboard_reads_voters_needed_firm_and_expected(client, auth):
    user = make_user(Role.STAFF)
    set_status("IDN", SupportStatus.WRITTEN_PLEDGE, user)
    set_status("CHN", SupportStatus.VERBAL_PLEDGE, user)
    set_status("VNM", SupportStatus.LEANING_FOR, user)
    db.session.commit()
    auth.login(Role.LEADERSHIP)
    html = client.get("/dashboard/").get_data(as_text=True)
    # The live campaign: the General Assembly's 193 members, two-thirds of 193 voting.
    assert 'id="fig-electorate">193<' in html and 'id="fig-needed">129<' in html
    assert 'id="fig-firm">2<' in html
    # 0.9 + 0.75 + 0.5 + 190 × 0.15 = 30.65
    assert 'id="fig-expected">30.6<' in html
    assert "127 more firm votes needed" in html
    assert "Expected votes = Σ" in html
    assert html.count("<circle") >= 193 and "Indonesia" in html
    assert 'id="stages"' in html and "General Assembly election" in html and "provisional" in html


def test_counts_add_up_and_expected_lies_between_firm_and_electorate():
    user = make_user(Role.STAFF)
    for code, status in [("IDN", SupportStatus.WRITTEN_PLEDGE), ("FRA", SupportStatus.AGAINST),
                         ("BRA", SupportStatus.UNDECIDED)]:
        set_status(code, status, user)
    db.session.commit()
    board = build_dashboard(default_campaign())
    assert sum(board.tally.counts.values()) == 193 == board.tally.electorate
    assert board.tally.firm <= board.tally.expected <= 193


def test_attention_lists(client, auth):
    user = make_user(Role.STAFF)
    campaign = default_campaign()
    today = date.today()
    set_status(
        "CHN", SupportStatus.VERBAL_PLEDGE, user, level=InterlocutorLevel.MINISTER, on=today - timedelta(days=120)
    )
    set_status(
        "BRA", SupportStatus.VERBAL_PLEDGE, user, level=InterlocutorLevel.MINISTER, on=today - timedelta(days=10)
    )
    set_status("BRA", SupportStatus.UNDECIDED, user, level=InterlocutorLevel.PR_GENEVA, on=today - timedelta(days=5))
    add_outreach(campaign, ["FRA"], user, occurred_on=today - timedelta(days=3))
    add_follow_up(campaign, "KHM", user, due=today - timedelta(days=2), text="Chase the note verbale")
    add_request("LAO", user, post="Seat on the Board", year=2028, status=RequestStatus.AGREED)
    add_request("VNM", user, post="Seat on the Board", year=2028, status=RequestStatus.AGREED)
    db.session.commit()
    board = build_dashboard(campaign)
    not_contacted = {i.iso3 for i in board.not_contacted}
    assert "FRA" not in not_contacted and "CHN" in not_contacted and len(not_contacted) == 192
    assert [i.iso3 for i in board.stale_pledges] == ["CHN"]
    assert [i.iso3 for i in board.mixed_signals] == ["BRA"]
    assert "capital: Verbal pledge; mission: Undecided" in board.mixed_signals[0].detail
    assert [i.iso3 for i in board.overdue_follow_ups] == ["KHM"]
    assert {i.iso3 for i in board.request_conflicts} == {"LAO", "VNM"}
    auth.login(Role.LEADERSHIP)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "Capital and mission disagree" in html and "Chase the note verbale" in html


def test_report_pdf_carries_figures_chart_and_lists(client, auth):
    auth.login(Role.LEADERSHIP)
    response = client.get("/dashboard/report.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert 2 <= len(reader.pages) <= 4
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Needed to win" in text and "States that need attention" in text
    assert "Prepared for Test leadership" in text and "CONFIDENTIAL" in text


def test_csv_export_neutralises_formulas(client, auth):
    staff = make_user(Role.STAFF)
    khm = state("BRA")
    khm.name = '=HYPERLINK("http://evil.example","click")'
    set_status("BRA", SupportStatus.UNDECIDED, staff)
    db.session.commit()
    auth.login(Role.STAFF, email="staff@example.test")
    response = client.get("/dashboard/tally.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ISO3", "State", "Group", "Status"] and len(rows) == 194
    brazil = next(r for r in rows if r[0] == "BRA")
    assert brazil[1].startswith("'=HYPERLINK")


def test_admin_edits_probabilities_and_bad_values_are_refused(client, auth):
    auth.login(Role.ADMIN)
    form = {s.value: "0.5" for s in SupportStatus} | {"conditional_factor": "0.5"}
    response = auth.post("/dashboard/weights", form | {"against": "1.5"})
    assert "Number must be between 0 and 1." in response.get_data(as_text=True)
    assert default_campaign().vote_weights is None
    auth.post("/dashboard/weights", form)
    db.session.expire_all()
    assert build_dashboard(default_campaign()).tally.expected == 193 * 0.5


def test_envoys_have_no_dashboard(client, auth):
    auth.login(Role.ENVOY, states=["KHM"])
    assert client.get("/dashboard/").status_code == 403
    assert client.get("/dashboard/report.pdf").status_code == 403


def test_overdue_follow_ups_list_the_oldest_first_and_count_every_open_one():
    from app.services.dashboard import OVERDUE_ROWS
    from app.services.followups import set_done

    user = make_user(Role.STAFF)
    campaign = default_campaign()
    today = date.today()
    for k in range(OVERDUE_ROWS + 2):
        add_follow_up(campaign, "KHM", user, due=today - timedelta(days=1 + k), text=f"overdue {k}")
    done = add_follow_up(campaign, "LAO", user, due=today - timedelta(days=400), text="done long ago")
    set_done(done, True, as_actor(user))
    add_follow_up(campaign, "VNM", user, due=today + timedelta(days=2), text="not yet due")
    db.session.commit()
    overdue = build_dashboard(campaign).overdue_follow_ups
    shown = [item.detail for item in overdue]
    assert len(overdue) == OVERDUE_ROWS + 2 and len(shown) == OVERDUE_ROWS
    assert str(shown[0]).endswith(": overdue 26") and str(shown[-1]).endswith(": overdue 2")
    assert not any("done long ago" in str(d) or "not yet due" in str(d) for d in shown)
