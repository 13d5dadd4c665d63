"""A user who reads Indonesian sees no English: every page of every role, forms sent back with
their errors, flashes, error pages and the documents, checked against the catalogue's msgids."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.cli.demo import load_demo
from app.extensions import db
from app.models import User
from tests.conftest import CSRF_RE
from tests.i18n.english import english_in, visible_text
from tests.test_access_matrix import ADMIN, ENVOY_HERE, LEADERSHIP, LOGINS, STAFF, routes, world  # noqa: F401

# Forms whose empty submission would end the walk or destroy what later pages show.
NOT_SENT = re.compile(r"/logout|/revoke|/reset-password|/delete|/two-factor/disable|/language$|/campaigns/switch"
                      r"|/recovery-codes|/archive")


def exempt_values() -> list[str]:
    """Every text stored in the desk: names, entries, sources: user-entered or proper names."""
    values: list[str] = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text)) and c.name != "locale"]
        if not columns:
            continue
        for row in db.session.execute(sa.select(*columns)):
            values.extend(v for v in row if isinstance(v, str))
    return values


class _Forms(HTMLParser):
    """The POST forms of a page: action and hidden values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or "", {})
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None and attrs.get("type") == "hidden" and attrs.get("name"):
            self._current[1][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_of(html: str, url: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return [(action or url, hidden) for action, hidden in parser.forms]


def pdftotext_present() -> bool:
    return shutil.which("pdftotext") is not None


def pdf_text(data: bytes, tmp_path) -> str:
    source = tmp_path / "document.pdf"
    source.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(source), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.fixture
def indonesian_desk(app, world):  # noqa: F811 (the access matrix's fixture)
    load_demo()
    db.session.execute(sa.update(User).values(locale="id"))
    db.session.commit()
    return world


def walk(client, auth, who: str, ids: dict, tmp_path) -> dict[str, list[str]]:
    """Every GET the role may open, then every form on those pages sent back as it stands."""
    role, email = LOGINS[who]
    auth.login(role, email=email)
    exempt = exempt_values()
    found: dict[str, list[str]] = {}
    forms: dict[str, dict[str, str]] = {}

    def check(label: str, response) -> None:
        kind = response.headers.get("Content-Type", "")
        if kind.startswith("text/html"):
            html = response.get_data(as_text=True)
            english = english_in(visible_text(html), exempt)
            for action, hidden in forms_of(html, label.split(" ")[-1]):
                forms.setdefault(action, hidden)
        elif kind.startswith("application/pdf") and shutil.which("pdftotext"):
            english = english_in(pdf_text(response.data, tmp_path), exempt)
        else:
            return
        if english:
            found[label] = english

    for _rule, method, url, allowed in routes(ids):
        if method != "GET" or who not in allowed or url.startswith("/api/") or url.endswith(".ics"):
            continue
        check(f"GET {url}", client.get(url, follow_redirects=True))
    for label, response in {**documents(client, who), **error_pages(client)}.items():
        check(label, response)
    for action, hidden in list(forms.items()):
        if NOT_SENT.search(action) or action.startswith("/api/"):
            continue
        data = dict(hidden)
        match = CSRF_RE.search(client.get("/account/password").get_data(as_text=True))
        data["csrf_token"] = match.group(1) or match.group(2)
        check(f"POST {action}", client.post(action, data=data, follow_redirects=True))
    return found


def documents(client, who: str) -> dict[str, object]:
    """The documents the walk does not reach by a plain GET: a trip pack in Indonesian."""
    token = CSRF_RE.search(client.get("/packs").get_data(as_text=True))
    data = {"csrf_token": token.group(1) or token.group(2), "title": "Kunjungan ke Phnom Penh",
            "start_date": "2025-11-24", "end_date": "2025-11-27", "states": ["KHM", "LAO"] if who != ADMIN else ["KHM"],
            "language": "id"}
    return {"POST /packs (trip pack)": client.post("/packs", data=data)}


def error_pages(client) -> dict[str, object]:
    """The error pages a reader meets: unknown page, refused page, bad form, wrong method."""
    return {
        "GET /no-such-page (404)": client.get("/no-such-page"),
        "GET /states/FRA (403)": client.get("/states/FRA"),
        "POST /account/password without a token (400)": client.post("/account/password", data={}),
        "GET /logout (405)": client.get("/logout"),
    }


@pytest.mark.parametrize("who", [STAFF, ADMIN, LEADERSHIP, ENVOY_HERE])
def test_no_english_on_any_page_a_role_reaches(client, auth, indonesian_desk, who, tmp_path):
    found = walk(client, auth, who, indonesian_desk, tmp_path)
    assert pdftotext_present(), "pdftotext (poppler-utils) is needed to read the documents"
    assert found == {}, "English on pages shown in Indonesian:\n" + "\n".join(
        f"  {where}: {english}" for where, english in found.items())


@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
def test_every_error_page_in_indonesian(app, code):
    from flask import render_template
    from flask_babel import force_locale

    with app.test_request_context("/"), force_locale("id"):
        html = render_template(f"errors/{code}.html")
    assert 'lang="id"' in html
    assert english_in(visible_text(html)) == []
