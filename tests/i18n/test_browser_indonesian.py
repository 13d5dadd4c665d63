"""Indonesian words are longer: every page of each role still fits 1280 and 390 px in Indonesian,
chart labels stay readable, and a screen reader is told the page's language."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.domain.enums import Role
from app.extensions import db
from app.models import User
from tests.test_browser import live_server  # noqa: F401 (fixture)
from tests.test_browser_walk import (  # noqa: F401 (fixtures)
    SMALLEST_CHART_LABEL,
    WIDTHS,
    browser,
    desk,
    pages_for,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_page_fits_in_indonesian(desk, live_server, browser, role):  # noqa: F811
    db.session.execute(sa.update(User).values(locale="id"))
    db.session.commit()
    user = db.session.scalar(sa.select(User).where(User.email == f"{role.value}@example.test"))
    problems: list[str] = []
    signed_in = None  # one sign-in for both widths (a two-factor code is accepted once)
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, storage_state=signed_in)
        page = context.new_page()
        if signed_in is None:
            sign_in(page, live_server, user)
            signed_in = context.storage_state()
        for path in pages_for(role):
            response = page.goto(live_server + path)
            assert response is not None and response.status < 400, (path, response and response.status)
            if page.evaluate("document.documentElement.lang") != "id":
                problems.append(f"{path}: not marked lang=id")
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width:
                wide = page.evaluate("""(width) => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > width + 1
                        && !e.closest('.table-responsive, .chart-wide'))
                    .slice(0, 3)
                    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))""",
                                     width)
                problems.append(f"{width}px {path}: scrollWidth {overflow} {wide}")
            if width == 390 and path.startswith("/dashboard/"):
                smallest = page.evaluate(SMALLEST_CHART_LABEL)
                if smallest < 9.95:
                    problems.append(f"390px {path}: chart label at {smallest:.1f} px")
        context.close()
    assert not problems, "\n".join(problems)
