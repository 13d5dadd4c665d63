"""A real browser signs in and opens a state page (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from app.domain.enums import Role
from tests.conftest import PASSWORD, make_user

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; CI must install Debian's chromium package (.ci/run does)")
        pytest.skip("Chromium is not installed (apt-get install chromium); the browser test needs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_sign_in_and_open_a_state_page(live_server, browser, tmp_path):
    make_user(Role.STAFF, name="Campaign staff member")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/states/KHM")
    assert "/login" in page.url
    page.fill("#email", "staff@example.test")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{live_server}/states/KHM")
    assert page.locator("h1").inner_text().startswith("Cambodia")
    assert page.get_by_text("Current status").is_visible()
    assert page.locator("link[rel=stylesheet]").count() == 3  # Bootstrap, Tom Select, ours
    page.screenshot(path=str(tmp_path / "state.png"), full_page=True)
    assert errors == []  # no CSP violations or script errors
    page.click("text=States")
    assert "195 states" in page.content()
