"""Pages and documents in the reader's language: Accept-Language before sign-in, the user's choice after."""

from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from app.domain.enums import Role, SupportStatus
from app.extensions import db
from app.models import State, User
from app.services.campaigns import default_campaign
from app.services.status import change_status
from tests.conftest import csrf_token
from tests.factories import as_actor


def text_of_pdf(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_before_sign_in_the_browser_language_decides(client):
    page = client.get("/login", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="id"' in page and "Masuk" in page and "Kata sandi" in page
    english = client.get("/login", headers={"Accept-Language": "fr-FR,en;q=0.5"}).get_data(as_text=True)
    assert 'lang="en"' in english and "Sign in" in english
    plain = client.get("/login").get_data(as_text=True)
    assert 'lang="en"' in plain  # English stays the default


def test_the_footer_switch_sets_a_cookie_before_sign_in(client):
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "locale": "id", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "suara_locale=id" in response.headers["Set-Cookie"]
    page = client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Masuk" in page  # the choice wins over the browser


def test_the_switch_refuses_foreign_redirects_and_unknown_languages(client):
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "locale": "xx", "next": "https://evil.test/"})
    assert response.status_code == 302 and "evil" not in response.headers["Location"]
    assert "Set-Cookie" not in response.headers or "suara_locale" not in response.headers["Set-Cookie"]


def test_a_user_chooses_indonesian_on_the_account_page(client, auth):
    user = auth.login(Role.STAFF)
    token = csrf_token(client, "/account/language")
    response = client.post("/account/language", data={"csrf_token": token, "locale": "id"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Bahasa disimpan: Bahasa Indonesia." in page
    assert db.session.get(User, user.id).locale == "id"
    states = client.get("/states/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Negara" in states and "Belum didekati" in states and "Not approached" not in states


def test_the_admin_default_applies_to_new_users(app):
    from app.services import accounts

    app.config["DEFAULT_LOCALE"] = "id"
    try:
        with app.test_request_context():
            user = accounts.create_user(
                "baru@example.test",
                "Pengguna Baru",
                Role.STAFF,
                "correct horse battery staple",
                actor=as_actor(None),
                locale=app.config["DEFAULT_LOCALE"],
            )
        assert user.locale == "id"
    finally:
        app.config["DEFAULT_LOCALE"] = "en"


def test_dashboard_in_indonesian_has_no_status_in_english(client, auth):
    user = auth.login(Role.STAFF)
    user.locale = "id"
    db.session.commit()
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Ambang kemenangan" in page or "ambang" in page
    assert "Janji tertulis" in page and "Belum didekati" in page
    for english in ("Written pledge", "Not approached", "Leaning against"):
        assert english not in page


def test_a_brief_downloaded_by_an_indonesian_reader_is_in_indonesian(client, auth):
    user = auth.login(Role.STAFF)
    user.locale = "id"
    campaign = default_campaign()
    cambodia = db.session.scalar(sa.select(State).where(State.iso3 == "KHM"))
    change_status(campaign, cambodia, to_status=SupportStatus.WRITTEN_PLEDGE, expected_version=1, actor=as_actor(user),
                  reason="Nota diplomatik diterima")
    db.session.commit()
    response = client.get("/states/KHM/brief.pdf")
    assert response.status_code == 200
    text = text_of_pdf(response.data)
    assert "BAHAN PENGARAHAN NEGARA" in text and "Janji tertulis" in text
    assert "Kamboja (Cambodia)" in text
    assert re.search(r"Halaman 1 dari \d+", text) and "Disiapkan untuk" in text
    assert "CONFIDENTIAL" in text  # the classification line stays as configured
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
              "Oktober", "November", "Desember")
    assert any(re.search(rf"\d{{1,2}} {m} \d{{4}}", text) for m in months)
    for english in ("STATE BRIEF", "Written pledge", "Page 1 of", "Prepared for", "Talking points"):
        assert english not in text


def test_a_pack_built_in_the_language_chosen_on_the_form(client, auth):
    auth.login(Role.STAFF)  # reads the desk in English
    token = csrf_token(client, "/packs")
    response = client.post("/packs", data={"csrf_token": token, "title": "Kunjungan ke Phnom Penh",
                                           "start_date": "2026-11-24", "end_date": "2026-11-26",
                                           "states": ["KHM"], "language": "id"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    text = text_of_pdf(response.data)
    assert "PAKET KUNJUNGAN UTUSAN" in text and "24 November 2026" in text and "Gambaran kampanye" in text
    assert "ENVOY TRIP PACK" not in text


def test_the_report_in_indonesian_formats_numbers_for_the_locale(client, auth):
    user = auth.login(Role.LEADERSHIP)
    user.locale = "id"
    db.session.commit()
    text = text_of_pdf(client.get("/dashboard/report.pdf").data)
    assert "Penghitungan per" in text and "Perkiraan suara" in text and "Tally as of" not in text
    assert re.search(r"\d+,\d\b", text)  # decimal comma: "7,8"


def test_search_finds_states_by_indonesian_names(client, auth):
    auth.login(Role.STAFF)
    for query, un_name in (("Kamboja", "Cambodia"), ("Jerman", "Germany"), ("Korea Selatan", "Republic of Korea")):
        page = client.get("/states/", query_string={"q": query}).get_data(as_text=True)
        assert un_name in page, query


def test_search_terms_carry_cldr_names():
    from app.services.state_search import display_name, matches

    assert matches("kamboja", "KHM", "KH", "Cambodia") and matches("Jerman", "DEU", "DE", "Germany")
    assert display_name("KH", "Cambodia", "id") == "Kamboja (Cambodia)"
    assert display_name("KH", "Cambodia", "en") == "Cambodia"
