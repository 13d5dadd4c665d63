"""Each role's pages in a real browser at 1280 and 390 px: no horizontal overflow, no serious axe violation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cli.demo import load_demo
from app.domain.enums import Role
from app.extensions import db
from app.models import Campaign, OutreachEntry, User
from app.services.reference import PRESIDENCY_CAMPAIGN, SECURITY_COUNCIL_CAMPAIGN
from tests.conftest import PASSWORD, make_user
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, live_server  # noqa: F401 (fixture)

AXE = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
# Chart labels as rendered: font size × the SVG's scale, on visible charts only.
SMALLEST_CHART_LABEL = """() => Math.min(...[...document.querySelectorAll('svg.chart')]
    .filter(svg => svg.getBoundingClientRect().width > 0)
    .flatMap(svg => [...svg.querySelectorAll('text')].map(t => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(t.getAttribute('font-size')) * scale; })))"""
pytestmark = pytest.mark.browser


def pages_for(role: Role) -> list[str]:
    """The pages a person in `role` reaches in their main journey."""
    council = db.session.scalar(sa.select(Campaign.id).where(Campaign.name == SECURITY_COUNCIL_CAMPAIGN))
    presidency = db.session.scalar(sa.select(Campaign).where(Campaign.name == PRESIDENCY_CAMPAIGN))
    group = presidency.stages[0].id
    entry = db.session.scalar(sa.select(OutreachEntry.id).order_by(OutreachEntry.id.desc()).limit(1))
    common = ["/states/", "/states/KHM", "/follow-ups", "/packs", "/campaigns/", f"/campaigns/{council}",
              f"/campaigns/{presidency.id}", f"/outreach/{entry}", "/account/password", "/account/two-factor",
              "/account/tokens", "/account/calendar", "/api-reference"]
    workers = ["/states/KHM/outreach/new", "/states/KHM/follow-ups", "/states/KHM/contacts/new",
               "/states/KHM/requests/new"]
    viewers = ["/dashboard/", f"/dashboard/?campaign={presidency.id}", "/requests", "/dashboard/backtest",
               f"/campaigns/{presidency.id}/stages/{group}/reconciliation"]
    if role is Role.ENVOY:
        return common + workers
    if role is Role.LEADERSHIP:
        return common + viewers
    pages = common + workers + viewers + ["/states/KHM/profile"]
    if role is Role.ADMIN:
        pages += ["/admin/users", "/admin/audit", "/admin/downloads", "/admin/tokens", "/campaigns/new",
                  f"/campaigns/{council}/edit", f"/campaigns/{council}/stages/new", "/dashboard/weights"]
    return pages


@pytest.fixture
def desk(app):
    """The demo desk plus one signed-in-able user per role."""
    load_demo()
    db.session.commit()
    for role in Role:
        make_user(role, states=["KHM", "LAO"] if role is Role.ENVOY else ())
    return app


@pytest.fixture
def browser():
    if CHROMIUM is None or not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium and axe-core are needed in CI (.ci/run and make test install them)")
        pytest.skip("Chromium or axe-core (npm ci --prefix tests/browser) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(page, base: str, user: User) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("#submit")
    page.wait_for_load_state()
    if "/login/verify" in page.url:
        import pyotp

        from app.services import two_factor

        page.fill("#code", pyotp.TOTP(two_factor.secret_of(user)).now())
        page.click("#submit")
        page.wait_for_load_state()


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
          .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    return result


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_page_fits_a_phone_and_passes_axe(desk, live_server, browser, role):  # noqa: F811
    user = db.session.scalar(sa.select(User).where(User.email == f"{role.value}@example.test"))
    paths = pages_for(role)
    problems: list[str] = []
    for width in WIDTHS:
        # CSP allows only the app's own scripts; the test injects axe, so it bypasses CSP in its own browser.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        sign_in(page, live_server, user)
        for path in paths:
            response = page.goto(live_server + path)
            assert response is not None and response.status < 400, (path, response and response.status)
            duplicates = page.evaluate("""() => { const seen = {}, twice = new Set();
                document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) twice.add(e.id); seen[e.id] = 1; });
                return [...twice]; }""")
            if duplicates and width == 1280:
                problems.append(f"{path}: duplicate ids {duplicates}")
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > width:
                problems.append(f"{width}px {path}: scrollWidth {overflow}")
            if width == 390 and path.startswith("/dashboard/"):
                smallest = page.evaluate(SMALLEST_CHART_LABEL)
                if smallest < 9.95:
                    problems.append(f"390px {path}: chart label at {smallest:.1f} px")
            if width == 1280 or path in ("/states/", "/states/KHM", "/dashboard/"):
                problems += [f"{width}px {path}: {v}" for v in serious_violations(page)]
        context.close()
    assert not problems, "\n".join(problems)
