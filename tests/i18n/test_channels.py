"""The other ways the desk speaks: the calendar feed (its owner's language), the command line
(the desk's default language), the tally CSV (English, like the API), numbers on pages."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import icalendar
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from app.services.campaigns import default_campaign
from app.services.followups import set_done
from tests.developer.test_calendar import URL_RE
from tests.factories import add_follow_up, as_actor


def test_the_calendar_feed_speaks_its_owners_language(auth, client):
    envoy = auth.login(Role.ENVOY, states=["KHM"])
    db.session.execute(sa.update(User).where(User.id == envoy.id).values(locale="id"))
    campaign = default_campaign()
    done = add_follow_up(campaign, "KHM", envoy, text="Kirim nota diplomatik", due=date.today() + timedelta(days=2))
    set_done(done, True, as_actor(envoy))
    db.session.commit()
    url = URL_RE.search(auth.post("/account/calendar", {}).get_data(as_text=True)).group(1)
    # The calendar app fetches without a cookie and may ask for English: the owner's choice wins.
    data = client.get(url.replace("http://localhost", ""), headers={"Accept-Language": "en"}).data
    events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    follow_up = events[f"follow-up-{done.id}@localhost"]
    assert str(follow_up["summary"]) == "Selesai: Cambodia: Kirim nota diplomatik"
    assert str(follow_up["description"]).startswith("Tindak lanjut dalam “")
    stage = events[f"stage-{campaign.stages[0].id}@localhost"]
    assert "(tanggal sementara)" in str(stage["summary"]) and "; hasil: " in str(stage["description"])
    assert "provisional" not in data.decode() and "result:" not in data.decode()


def test_the_command_line_speaks_the_desks_default_language(app, runner):
    app.config["DEFAULT_LOCALE"] = "id"
    try:
        created = runner.invoke(args=["users", "create", "--email", "baru@example.test", "--name", "Pengguna Baru",
                                      "--role", "staff", "--password", "kata sandi yang cukup panjang 77"])
        short = runner.invoke(args=["users", "create", "--email", "pendek@example.test", "--name", "Pendek",
                                    "--role", "staff", "--password", "pendek"])
        again = runner.invoke(args=["users", "bootstrap"])
    finally:
        app.config["DEFAULT_LOCALE"] = "en"
    assert created.exit_code == 0 and "Pengguna baru@example.test (Staf kampanye) dibuat." in created.output
    assert short.exit_code != 0 and "Kata sandi harus terdiri atas sekurang-kurangnya 12 karakter." in short.output
    assert "Pengguna sudah ada; admin pertama tidak dibuat." in again.output


def test_the_tally_csv_stays_english_for_a_reader_of_indonesian(client, auth):
    user = auth.login(Role.STAFF)
    db.session.execute(sa.update(User).where(User.id == user.id).values(locale="id"))
    db.session.commit()
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/tally.csv").data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["ISO3", "State", "Group", "Status"]
    assert {row[3] for row in rows[1:]} == {"Not approached"}
    # while the page beside it is in Indonesian, its numbers with a decimal comma
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Belum didekati" in page and "Not approached" not in page
    assert "0,15" in page  # the weight of "not approached" in the per-state table
