"""A malformed-input corpus sent to every route: no answer is ever a server error."""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.datastructures import MultiDict

from app.domain.enums import Role
from tests.conftest import AuthActions, csrf_token
from tests.test_access_matrix import ADMIN, ENVOY_HERE, LOGINS, routes, world  # noqa: F401

BAD = [
    "abc", "-1", "0", "1.5", "1e5", str(2**31), str(2**63 - 1), str(2**63), str(2**64), "9" * 40,
    "１２", "²", "١٢", "9999-12-31", "0001-01-01", "2025-02-30", "", " ", "NaN", "inf", "\x00", "%00",
]
QUERY_PARAMS = ["campaign", "page", "envoy", "since", "until", "who", "done", "sort", "dir", "group",
                "status", "q", "next", "action", "user", "target", "overdue", "electorate"]
NAME_RE = re.compile(r'name="([A-Za-z_][A-Za-z0-9_-]*)"')


def _paths(url: str) -> list[str]:
    """The URL with each bad value in place of its id or ISO3 code."""
    variants = []
    if re.search(r"/\d+(/|$)", url):
        variants += [re.sub(r"/\d+(?=/|$)", "/" + v, url, count=1) for v in BAD if v.strip("%") and "/" not in v]
    if "/KHM" in url:
        variants += [url.replace("/KHM", "/" + v) for v in ("ZZZ", "khm", "K", "²²²", "X" * 300)]
    return variants


def _field_names(client, url: str) -> list[str]:
    page = client.get(url)
    if page.status_code != 200 or page.mimetype != "text/html":
        return []
    return sorted(set(NAME_RE.findall(page.get_data(as_text=True))) - {"csrf_token"})


def _post_corpus(auth: AuthActions, url: str, fields: list[str]):
    """Every bad value in every field at once, arrays of values, and files in text fields."""
    client = auth.client
    token = csrf_token(client, "/account/password")
    for value in BAD:
        yield client.post(url, data={"csrf_token": token, **{f: value for f in fields}})
    yield client.post(url, data=MultiDict([("csrf_token", token)] + [(f, v) for f in fields for v in ("1", "abc")]))
    for field in fields or ["text"]:
        data = {"csrf_token": token, **{f: "x" for f in fields},
                field: (io.BytesIO(b"%PDF-1.4 not text"), "evil.pdf")}
        response = client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, (url, field, response.status_code)
        yield response


def _walk(app, auth: AuthActions, ids: dict) -> list[tuple]:
    failures = []
    methods = {r.rule: r.methods for r in app.url_map.iter_rules()}
    for rule, method, url, _allowed in routes(ids):
        if url == "/logout":
            continue
        responses = [(path, auth.client.get(path)) for path in _paths(url) if method == "GET"]
        query = "&".join(f"{p}={v}" for p in QUERY_PARAMS for v in ("abc", str(2**63)))
        responses += [(url + "?" + query, auth.client.get(url + "?" + query))]
        for value in BAD:
            q = "&".join(f"{p}={value}" for p in QUERY_PARAMS)
            responses += [(f"{url}?{q}", auth.client.get(f"{url}?{q}"))]
        if "POST" in methods[rule] and "delete" not in url:
            fields = _field_names(auth.client, url) if "GET" in methods[rule] else ["reason", "code"]
            responses += [(url, r) for r in _post_corpus(auth, url, fields)]
        failures += [(u, r.status_code) for u, r in responses if r.status_code >= 500]
    return failures


@pytest.mark.parametrize("who", [ENVOY_HERE, ADMIN])
def test_no_route_answers_a_malformed_request_with_a_server_error(app, auth, world, who):  # noqa: F811
    role, email = LOGINS[who]
    auth.login(role, email=email)
    assert _walk(app, auth, world) == []


def test_ids_beyond_the_database_range_are_not_found(auth, world):  # noqa: F811
    auth.login(Role.ENVOY, email="envoy-here@example.test")
    for url in (f"/contacts/{2**63}/edit", f"/contacts/{2**31}/edit", f"/outreach/{2**63}", "/outreach/١٢",
                f"/states/KHM?campaign={2**63}"):
        assert auth.client.get(url).status_code == 404, url
    assert "There is no such page or record." in auth.client.get(f"/requests/{2**64}/edit").get_data(as_text=True)


def test_a_broken_version_is_a_400_with_a_message(auth, world):  # noqa: F811
    auth.login(Role.STAFF)
    for version in ("abc", "²", str(2**63), ""):
        response = auth.post("/states/KHM/status", {"status": "approached", "reason": "Met them", "version": version},
                             page="/states/KHM")
        assert response.status_code == 400, version
        assert "reload the page and try again" in response.get_data(as_text=True)


def test_audit_filter_accepts_the_last_day_of_the_calendar(auth):
    auth.login(Role.ADMIN)
    response = auth.client.get("/admin/audit?until=9999-12-31&since=0001-01-01")
    assert response.status_code == 200 and "login.success" in response.get_data(as_text=True)


def test_anonymous_forms_survive_the_corpus(client):
    auth = AuthActions(client)
    token = csrf_token(client, "/login")
    for value in BAD:
        assert client.post("/login", data={"csrf_token": token, "email": value, "password": value}).status_code < 500
    response = client.post("/login", data={"csrf_token": token, "email": (io.BytesIO(b"x"), "a.txt"), "password": "x"},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert auth.client.get("/login/verify?next=" + str(2**63)).status_code < 500
