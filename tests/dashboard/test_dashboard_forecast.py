"""The chance of winning on the dashboard, in the report and CSV, the split, and the back-test."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import Position, State
from app.services import forecast_cache
from app.services.campaigns import default_campaign, ensure_positions
from app.services.dashboard import build_dashboard
from app.services.forecast import CACHE
from tests.conftest import csrf_token, make_user
from tests.dashboard.test_dashboard import set_status

CHANCE = re.compile(r'class="fig-chance">([^<]+)<')


def forecast_card(html: str) -> str:
    start = html.index('id="forecast-')
    return html[start:html.index('id="breakdown"', start)]


def contested() -> None:
    """A General Assembly near the two-thirds line: 120 written and 20 verbal pledges (expected
    108 + 15 + 53 × 0.15 ≈ 131 against 129 needed), the rest not approached."""
    campaign = default_campaign()
    ensure_positions(campaign)
    ids = list(db.session.scalars(sa.select(State.id).where(State.un_member).order_by(State.iso3)))
    for chunk, status in ((ids[:120], SupportStatus.WRITTEN_PLEDGE), (ids[120:140], SupportStatus.VERBAL_PLEDGE)):
        db.session.execute(sa.update(Position).where(Position.campaign_id == campaign.id, Position.state_id.in_(chunk))
                           .values(status=status))
    db.session.commit()


@pytest.fixture
def simulations(monkeypatch):
    """Counts the simulations actually run (cache misses), from an empty cache."""
    CACHE.clear()
    calls = []
    real = forecast_cache.analyse
    monkeypatch.setattr(forecast_cache, "analyse", lambda ballot: calls.append(ballot) or real(ballot))
    return calls


def test_dashboard_shows_chance_interval_histogram_and_ranked_swing_list(client, auth):
    contested()
    board = build_dashboard(default_campaign())
    current = board.current_forecast
    fc = current.forecast
    assert fc.draws == 20_000 and fc.seed == 0 and fc.electorate == 193 and fc.median_line == 129
    assert 0.2 < fc.probability < 0.95
    stakes = [s.up - s.down for s in current.swings]
    assert len(current.swings) == 10 and stakes == sorted(stakes, reverse=True) and stakes[0] > 0
    top = current.swings[0]
    make_user(Role.ENVOY, email="envoy-top@example.test", name="Envoy <Top>", states=[top.iso3])
    auth.login(Role.LEADERSHIP)
    html = client.get("/dashboard/").get_data(as_text=True)
    section = html[html.index('id="forecast-'):]
    assert "Chance of winning: General Assembly election" in section
    assert CHANCE.search(section).group(1) == f"{fc.probability:.0%}"
    assert f"± {fc.standard_error * 100:.1f} pts Monte Carlo error" in section
    assert f"Median {fc.median_votes} votes; 80% between {fc.interval[0]} and {fc.interval[1]}; 129 needed" in section
    assert 'class="chart chart-histogram"' in section and "chance of reaching the line" in section
    assert "Where to act this week" in section
    # Ranked as the service ranked them, each with its moves, envoy (escaped) and last contact.
    names = [s.name for s in current.swings]
    positions = [section.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    assert f"<strong>{top.up * 100:+.1f}</strong> pts" in section and "Envoy &lt;Top&gt;" in section
    assert "never</td>" in section


def test_a_status_change_moves_the_figures_on_the_next_request_and_views_reuse_the_cache(client, auth, simulations):
    contested()
    auth.login(Role.LEADERSHIP)
    first = client.get("/dashboard/").get_data(as_text=True)
    assert len(simulations) == 1
    assert forecast_card(client.get("/dashboard/").get_data(as_text=True)) == forecast_card(first)
    assert len(simulations) == 1  # the second view was served from the cache
    before = build_dashboard(default_campaign()).current_forecast.forecast
    staff = make_user(Role.STAFF)
    undecided = db.session.scalars(sa.select(State.iso3).join(Position).where(
        Position.campaign_id == default_campaign().id, Position.status == SupportStatus.NOT_APPROACHED)
        .order_by(State.iso3)).first()
    set_status(undecided, SupportStatus.WRITTEN_PLEDGE, staff)
    db.session.commit()
    second = client.get("/dashboard/").get_data(as_text=True)
    assert len(simulations) == 2
    after = build_dashboard(default_campaign()).current_forecast.forecast
    assert after.probability > before.probability and after.expected_votes == pytest.approx(
        before.expected_votes + 0.75, abs=0.2)
    assert CHANCE.search(second).group(1) == f"{after.probability:.0%}" != CHANCE.search(first).group(1)


def test_same_data_same_figures_with_a_cold_cache():
    contested()
    first = build_dashboard(default_campaign()).current_forecast.forecast
    CACHE.clear()
    assert build_dashboard(default_campaign()).current_forecast.forecast == first


def test_report_pdf_and_csv_carry_the_forecast(client, auth):
    contested()
    current = build_dashboard(default_campaign()).current_forecast
    auth.login(Role.LEADERSHIP)
    reader = PdfReader(io.BytesIO(client.get("/dashboard/report.pdf").data))
    assert 2 <= len(reader.pages) <= 5
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    fc = current.forecast
    assert "Chance of winning: General Assembly election" in text
    assert f"{fc.probability:.0%} chance of reaching the line" in text
    assert f"median {fc.median_votes} votes, 80% between {fc.interval[0]} and {fc.interval[1]}" in text
    assert "Where to act this week" in text and current.swings[0].name in text
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/tally.csv").data.decode("utf-8-sig"))))
    assert rows[0][-2:] == ["Chance gained one rung up (pts)", "Chance lost one rung down (pts)"]
    top = next(r for r in rows if r[0] == current.swings[0].iso3)
    assert top[-2] == f"{current.swings[0].up * 100:.2f}" and top[-1] == f"{-current.swings[0].down * 100:.2f}"


def test_a_decided_stage_shows_its_result_instead_of_a_forecast(client, auth):
    from app.models import Campaign
    from app.services.reference import PRESIDENCY_CAMPAIGN

    presidency = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    board = build_dashboard(presidency)
    assert [f.forecast for f in board.forecasts] == [None, None]
    auth.login(Role.LEADERSHIP)
    html = client.get(f"/dashboard/?campaign={presidency.id}").get_data(as_text=True)
    assert "Voted on: the recorded result stands in for a forecast." in html
    assert "chart-histogram" not in html and "Round 1: 41 voting, line 21" in html


def post_split(auth, value):
    token = csrf_token(auth.client, "/dashboard/weights")
    return auth.client.post("/dashboard/split", data={"split-csrf_token": token, "split-abstain_share": value})


def test_admin_sets_the_split_and_bad_values_are_refused(client, auth):
    auth.login(Role.ADMIN)
    page = client.get("/dashboard/weights").get_data(as_text=True)
    assert 'id="split-form"' in page and 'value="0.00"' in page
    refused = post_split(auth, "1.5").get_data(as_text=True)
    assert "Number must be between 0 and 1." in refused and default_campaign().forecast_split is None
    assert post_split(auth, "0.3").status_code == 302
    db.session.expire_all()
    assert default_campaign().forecast_split == {"rivals": 0.7, "abstain": 0.3}
    # The Assembly stage expects all 193 to vote, so nobody abstains: the page says so.
    html = client.get("/dashboard/").get_data(as_text=True)
    assert "0% of the others abstain" in html and "The campaign's split has 30% abstain" in html


def test_backtest_shows_the_seeded_asia_pacific_ballot(client, auth):
    auth.login(Role.LEADERSHIP)
    html = client.get("/dashboard/backtest").get_data(as_text=True)
    row = html[html.index('class="backtest-row"'):]
    assert "Asia-Pacific Group ballot" in row and "22 Dec 2025" in row
    assert '<strong class="votes-received">34</strong>' in row and '<span class="votes-line">21</span>' in row
    assert "of 41 voting" in row and "reached the line" in row and "Elected" in row
    # On the eve nothing was recorded for that campaign: 54 members not approached, 0.15 each.
    assert "median 8;" in row and "outside the 80% interval" in row
