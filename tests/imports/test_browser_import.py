"""A real browser at phone width (390 px) uploads a file, reads the preview and confirms it."""

from __future__ import annotations

import pytest

from app.domain.enums import Role
from tests.conftest import PASSWORD, make_user
from tests.test_browser import browser, live_server  # noqa: F401

pytestmark = pytest.mark.browser

ROWS = ("State,Status,Date expressed,Reason\r\n"
        "Cambodia,Verbal pledge,2026-10-01,The foreign minister said so at length in a long meeting\r\n"
        "Lao People's Democratic Republic,Leaning for,2026-10-02,\r\n")


def test_import_at_phone_width(live_server, browser, tmp_path):  # noqa: F811
    make_user(Role.STAFF)
    source = tmp_path / "pledges.csv"
    source.write_text(ROWS, encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"{live_server}/import")
    page.fill("#email", "staff@example.test")
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_url(f"{live_server}/import")
    page.select_option("#kind", "positions")
    page.set_input_files("#file", str(source))
    page.click("#submit")
    page.wait_for_selector("text=2 rows, no problems")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the table scrolls inside its box
    page.screenshot(path=str(tmp_path / "preview.png"), full_page=True)
    page.click("text=Import every row")
    page.wait_for_selector("text=Imported 2 rows")
    assert page.get_by_text("Download the report (CSV)").is_visible()
    assert errors == []
