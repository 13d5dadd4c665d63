"""Load test (locust, headless): staff and leadership browsing, logging outreach and downloading briefs.

Run through `make load`, which prepares the database, the load accounts and gunicorn. By hand:
LOAD_PASSWORD=… locust -f scripts/load/locustfile.py --headless --host http://127.0.0.1:8765 \
    --users 50 --spawn-rate 10 --run-time 2m --csv /tmp/suara-load/load
Accounts: load-staff-1..LOAD_STAFF_ACCOUNTS and load-leadership-1..LOAD_LEADERSHIP_ACCOUNTS @suara.local.
"""

from __future__ import annotations

import http.cookiejar
import itertools
import os
import random
import re
import secrets
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from locust import FastHttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "")
STAFF_ACCOUNTS = int(os.environ.get("LOAD_STAFF_ACCOUNTS", "8"))
LEADERSHIP_ACCOUNTS = int(os.environ.get("LOAD_LEADERSHIP_ACCOUNTS", "4"))
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
STATE_LINK_RE = re.compile(r'href="/states/([A-Z]{3})"')
CHECKED_CAMPAIGN_RE = re.compile(r'name="campaigns" id="campaign-\d+" value="(\d+)" checked')
SELECTED_STATE_RE = re.compile(r'name="states"[^>]*>.*?<option selected value="(\d+)"', re.DOTALL)
FALLBACK_STATES = ["KHM", "LAO", "VNM", "THA", "MYS", "PHL", "FRA", "BRA", "KEN", "RUS", "IDN", "DEU"]
_staff_numbers = itertools.cycle(range(1, STAFF_ACCOUNTS + 1))
_leadership_numbers = itertools.cycle(range(1, LEADERSHIP_ACCOUNTS + 1))
# Every request as (seconds since the first one, category, "METHOD name", milliseconds, failed).
_samples: list[tuple[float, str, str, float, bool]] = []
_clock = {"start": 0.0}
# The sign-in burst (50 argon2 hashes while users spawn) saturates the CPU for the first seconds;
# figures from this point on show the steady state apart from it.
STEADY_AFTER_S = 30.0


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain HTTP: production marks them Secure and the loopback server has no TLS."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


def category(name: str, method: str) -> str:
    """Which target a request counts against: pages, PDFs, writes or sign-in."""
    if name.endswith(".pdf"):
        return "pdf"
    if name == "/login":
        return "login"
    return "write" if method == "POST" else "page"


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, exception: object, **_: object) -> None:
    """Keep every sample: percentiles over a whole category need the raw times, not per-endpoint ones."""
    now = time.monotonic()
    _clock["start"] = _clock["start"] or now
    _samples.append((now - _clock["start"], category(name, request_type), f"{request_type} {name}",
                     response_time, exception is not None))


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0.95 → p95) of raw samples."""
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _row(label: str, values: list[float], failures: int) -> str:
    return (f"{label:<8} {len(values):>8} {failures:>8} {percentile(values, .5):>8.0f} "
            f"{percentile(values, .95):>8.0f} {percentile(values, .99):>8.0f} {max(values):>8.0f}")


def category_table(title: str, samples: list[tuple[float, str, str, float, bool]]) -> list[str]:
    """Requests, failures and p50/p95/p99/max per category."""
    header = f"{'category':<8} {'requests':>8} {'failures':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    lines = [title, header]
    for kind in ("page", "write", "pdf", "login"):
        rows = [s for s in samples if s[1] == kind]
        if rows:
            lines.append(_row(kind, [s[3] for s in rows], sum(s[4] for s in rows)))
    return lines


def summary_lines() -> list[str]:
    """The figures docs/benchmarks.md records: whole run, steady state, then the slowest endpoints."""
    lines = category_table("whole run:", _samples)
    lines += category_table(f"from {STEADY_AFTER_S:.0f} s on (after the sign-in burst):",
                            [s for s in _samples if s[0] >= STEADY_AFTER_S])
    by_name: dict[str, list[float]] = defaultdict(list)
    for sample in _samples:
        by_name[sample[2]].append(sample[3])
    lines.append("slowest endpoints by p95 (whole run):")
    for name, values in sorted(by_name.items(), key=lambda item: percentile(item[1], .95), reverse=True)[:6]:
        lines.append(f"  {name:<44} n={len(values):<5} p50={percentile(values, .5):.0f} "
                     f"p95={percentile(values, .95):.0f} p99={percentile(values, .99):.0f} ms")
    return lines


@events.quitting.add_listener
def _write_summary(environment: object, **_: object) -> None:
    lines = summary_lines() if _samples else ["no request was made"]
    prefix = getattr(getattr(environment, "parsed_options", None), "csv_prefix", None)
    if prefix:
        Path(f"{prefix}_summary.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


class DeskUser(FastHttpUser):
    """A signed-in person; subclasses say which accounts and what they do."""

    abstract = True
    wait_time = between(1, 3)
    states: ClassVar[list[str]] = []

    def account(self) -> str:
        raise NotImplementedError

    def on_start(self) -> None:
        """Sign in as a browser would (form, CSRF token, cookie), and learn the state codes once."""
        self.client.cookiejar.set_policy(LoopbackCookiePolicy())
        page = self.client.get("/login").text
        token = CSRF_RE.search(page or "")
        with self.client.post("/login", data={"email": self.account(), "password": PASSWORD,
                                              "csrf_token": token.group(1) if token else ""},
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused: HTTP {response.status_code}")
        if not DeskUser.states:
            listing = self.client.get("/states/", name="/states/").text or ""
            DeskUser.states = sorted(set(STATE_LINK_RE.findall(listing))) or FALLBACK_STATES

    def a_state(self) -> str:
        return random.choice(DeskUser.states or FALLBACK_STATES)

    @task(3)
    def states_list(self) -> None:
        self.client.get("/states/", name="/states/")

    @task(6)
    def state_page(self) -> None:
        self.client.get(f"/states/{self.a_state()}", name="/states/[iso3]")

    @task(2)
    def follow_ups(self) -> None:
        self.client.get("/follow-ups", name="/follow-ups")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="/dashboard/")

    @task(1)
    def brief(self) -> None:
        with self.client.get(f"/states/{self.a_state()}/brief.pdf", name="/states/[iso3]/brief.pdf",
                             catch_response=True) as response:
            if not (response.content or b"").startswith(b"%PDF"):
                response.failure("not a PDF")


class StaffUser(DeskUser):
    """Campaign staff: read everything and log outreach."""

    weight = 3

    def account(self) -> str:
        return f"load-staff-{next(_staff_numbers)}@suara.local"

    @task(2)
    def log_outreach(self) -> None:
        iso3 = self.a_state()
        form = self.client.get(f"/states/{iso3}/outreach/new", name="/states/[iso3]/outreach/new").text or ""
        token, state_id = CSRF_RE.search(form), SELECTED_STATE_RE.search(form)
        campaign = CHECKED_CAMPAIGN_RE.search(form)
        if not token or not state_id or not campaign:
            return
        yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
        data = {"csrf_token": token.group(1), "occurred_on": yesterday, "channel": "in_person",
                "level": "pr_geneva", "location": "Geneva", "states": state_id.group(1), "campaigns": campaign.group(1),
                "our_participants": "Our PR", "their_participants": "",
                "summary": f"Load test {secrets.token_hex(6)}: asked for support for the presidency bid.",
                "status_reason": "", "follow_up_text": "",
                "follow_up_due": "", "follow_up_owner": ""}
        with self.client.post(f"/states/{iso3}/outreach/new", data=data, name="/states/[iso3]/outreach/new",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"not saved: HTTP {response.status_code}")
                return
        self.client.get(f"/states/{iso3}", name="/states/[iso3]")


class LeadershipUser(DeskUser):
    """Leadership: reads the dashboard, states and briefs; changes nothing."""

    weight = 1

    def account(self) -> str:
        return f"load-leadership-{next(_leadership_numbers)}@suara.local"
