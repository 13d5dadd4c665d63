"""Benchmarks of the heavy paths (briefs, trip packs, dashboard, states table) on a seeded database.

Run with `make bench`; results replace the block between the markers in docs/benchmarks.md.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and worst wall time in milliseconds."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), max(runs)


def build_history(app) -> None:
    """A busy desk: 600 outreach entries over the electorate, statuses, follow-ups."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import State
    from app.models.enums import Role, SupportStatus
    from app.services import accounts
    from app.services.campaigns import default_campaign
    from app.services.stages import electorate_states
    from app.services.status import change_status, position_for
    from tests.factories import add_follow_up, add_outreach

    user = accounts.create_user("bench@example.org", "Bench staff", Role.STAFF, "bench password 123")
    campaign = default_campaign()
    voters = electorate_states(campaign.current_stage)
    statuses = list(SupportStatus)
    for i in range(600):
        state = voters[i % len(voters)]
        add_outreach(campaign, [state.iso3], user, summary=("Long meeting notes. " * 40) + str(i),
                     occurred_on=date.today() - timedelta(days=i % 300 + 1))
        if i % 5 == 0:
            change_status(campaign, state, to_status=statuses[i % len(statuses)],
                          expected_version=position_for(campaign, state).version, actor=user, reason="bench")
        if i % 7 == 0:
            add_follow_up(campaign, state.iso3, user)
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(State.id))) == 195


def main() -> None:
    tmp = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services.reference import seed_reference_data
    from config import DevelopmentConfig

    app = create_app(DevelopmentConfig)
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        seed_reference_data()
        db.session.commit()
        build_history(app)
        rows = measure(app)
    write(rows)


def measure(app) -> list[tuple[str, float, float]]:
    from app.pdf.brief import render_state_brief, render_trip_pack
    from app.services.accounts import find_user_by_email
    from app.services.briefs import document_context, gather_briefs, trip_pack
    from app.services.campaigns import default_campaign
    from app.services.dashboard import build_dashboard
    from app.services.forecast import CACHE
    from app.services.stages import electorate_states

    def cold_dashboard():
        CACHE.clear()
        return build_dashboard(campaign)

    campaign = default_campaign()
    user = find_user_by_email("bench@example.org")
    voters = electorate_states(campaign.current_stage)
    ctx = document_context(campaign, user)
    client = app.test_client()
    client.post("/login", data={"email": "bench@example.org", "password": "bench password 123"})
    for url in ("/dashboard/", "/states/", f"/states/{voters[0].iso3}", "/dashboard/report.pdf"):
        assert client.get(url).status_code == 200, url
    rows = [
        ("Gather one brief (service)", *timed(lambda: gather_briefs(campaign, voters[:1]), 10)),
        ("Render one state brief (PDF)", *timed(lambda: render_state_brief(gather_briefs(campaign, voters[:1])[0], ctx), 5)),
        ("Trip pack of 47 states (PDF)", *timed(lambda: render_trip_pack(
            trip_pack(campaign, voters[:47], "Bench", user, date.today(), date.today()), ctx), 2)),
        ("Dashboard figures (service; forecast from the cache)", *timed(lambda: build_dashboard(campaign), 10)),
        ("Dashboard figures, forecast re-simulated (cache cleared)", *timed(cold_dashboard, 5)),
        ("GET /dashboard/ (page)", *timed(lambda: client.get("/dashboard/"), 10)),
        ("GET /states/ (195 rows)", *timed(lambda: client.get("/states/"), 10)),
        ("GET /states/<ISO3> (busy state)", *timed(lambda: client.get(f"/states/{voters[0].iso3}"), 10)),
        ("GET /dashboard/report.pdf", *timed(lambda: client.get("/dashboard/report.pdf"), 3)),
    ]
    probability = build_dashboard(campaign).current_forecast.forecast.probability
    rows[4] = (f"{rows[4][0]}; P = {probability:.2f}", *rows[4][1:])
    contested_desk(campaign)
    probability = cold_dashboard().current_forecast.forecast.probability
    rows.append((f"Same, re-simulated after 140 pledges (P = {probability:.2f})",
                 *timed(cold_dashboard, 5)))
    return rows


def contested_desk(campaign) -> None:
    """120 written and 20 verbal pledges among the General Assembly's voters (positions set directly)."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Position
    from app.models.enums import SupportStatus
    from app.services.stages import electorate_states

    ids = [s.id for s in electorate_states(campaign.current_stage)]
    for chunk, status in ((ids[:120], SupportStatus.WRITTEN_PLEDGE), (ids[120:140], SupportStatus.VERBAL_PLEDGE)):
        db.session.execute(sa.update(Position).where(Position.campaign_id == campaign.id,
                                                     Position.state_id.in_(chunk)).values(status=status))
    db.session.commit()


def write(rows: list[tuple[str, float, float]]) -> None:
    table = ["| what | median ms | worst ms |", "| --- | ---: | ---: |"]
    table += [f"| {name} | {median:.0f} | {worst:.0f} |" for name, median, worst in rows]
    heading = (f"Measured {date.today().isoformat()} with `make bench` (2 cores, SQLite, 600 outreach "
               "entries over the 193 voters of the General Assembly stage).")
    block = "\n".join([START, heading, "", *table, END])
    print(block)
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), block, text, flags=re.DOTALL)
    else:
        text = text.rstrip() + "\n\n## In-process timings (make bench)\n\n" + block + "\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
