"""Crash safety: SIGKILL gunicorn (master and workers) mid-write, restart, and check no acknowledged write is lost.

Usage: .venv/bin/python scripts/crash_check.py --cycles 5 [--database-url URL | --postgres-server URL] [--port N]

Each cycle starts `gunicorn -w 2` on 127.0.0.1 in production mode, signs in as a staff user, logs
outreach entries from two threads, kills the whole process group with SIGKILL at a random moment,
then checks the database directly: every entry the app acknowledged (302 to the state page) must be
there, and the database must pass its integrity checks. Exits non-zero on any loss or problem.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import http.cookiejar
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything but loopback
STATES = ("KHM", "LAO", "VNM", "THA", "MYS", "PHL", "FRA", "BRA", "KEN", "RUS")
TOKEN_PREFIX = "crash-check "
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
START_TIMEOUT_S = 30.0
REQUEST_TIMEOUT_S = 10.0
MAX_WRITES_PER_THREAD = 5000  # a bound on each writer loop besides the kill
# What a request to a server killed mid-answer raises: refused, reset, or a response cut short.
CUT_OFF = (OSError, http.client.HTTPException)


class CheckFailed(RuntimeError):
    """The harness could not do its job (server would not start, sign-in failed…)."""


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over plain HTTP: production marks them Secure and this loopback harness has no TLS."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: urllib.request.Request) -> bool:
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 302s back to the caller: the redirect to the state page is the acknowledgement."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Client:
    """A minimal browser: a cookie jar, form posts, no redirects followed, no proxies."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
        self.opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def _open(self, path: str, data: bytes | None, timeout: float) -> tuple[int, str, str]:
        try:
            with self.opener.open(self.base + path, data=data, timeout=timeout) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location", ""), error.read().decode(errors="replace")

    def get(self, path: str, timeout: float = REQUEST_TIMEOUT_S) -> tuple[int, str, str]:
        """(status, Location header, body)."""
        return self._open(path, None, timeout)

    def post(self, path: str, form: dict[str, object], timeout: float = REQUEST_TIMEOUT_S) -> tuple[int, str, str]:
        """(status, Location header, body) of a form post."""
        return self._open(path, urllib.parse.urlencode(form, doseq=True).encode(), timeout)


@dataclass
class Harness:
    """Everything a run shares: where the app is, how to reach its database, who signs in."""

    url: str
    port: int
    workdir: Path
    env: dict[str, str]
    email: str = ""
    password: str = ""
    state_ids: dict[str, int] = field(default_factory=dict)
    campaign_id: int = 0  # the live campaign the entries serve
    server: subprocess.Popen | None = None  # the one running now, whatever step failed

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"


@dataclass
class CycleResult:
    acknowledged: set[str]
    attempted: int
    lost: set[str]
    problems: list[str]
    killed_after: float


def free_port() -> int:
    """A port nothing listens on now, on the loopback address."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def flask(harness: Harness, *args: str) -> None:
    """Run one `flask --app app …` command against the harness database; fail loudly."""
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", *args], cwd=ROOT, env=harness.env,
                          capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise CheckFailed(f"flask {' '.join(args[:2])} failed:\n{done.stdout}\n{done.stderr}")


def prepare(harness: Harness) -> None:
    """Migrate, seed, and create the staff user the writers sign in as."""
    flask(harness, "db", "upgrade")
    flask(harness, "seed")
    harness.email = f"crash-{secrets.token_hex(4)}@suara.local"
    harness.password = secrets.token_urlsafe(18)
    flask(harness, "users", "create", "--email", harness.email, "--name", "Crash check",
          "--role", "staff", "--password", harness.password)
    engine = sa.create_engine(harness.url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT iso3, id FROM states")).all()
            harness.campaign_id = conn.execute(sa.text(
                "SELECT id FROM campaigns WHERE archived_at IS NULL ORDER BY is_default DESC, id LIMIT 1")).scalar_one()
    finally:
        engine.dispose()
    harness.state_ids = {iso3: sid for iso3, sid in rows if iso3 in STATES}


# Resolved before any thread exists: the child of a fork may only call it, not import or load.
_PRCTL = __import__("ctypes").CDLL(None).prctl if sys.platform == "linux" else None


def _die_with_us() -> None:
    """In the child: have the kernel SIGKILL gunicorn if this script dies, so nothing is left behind."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start_server(harness: Harness, log: Path) -> subprocess.Popen:
    """gunicorn in its own process group (so one killpg reaches master and workers)."""
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"{HOST}:{harness.port}",
               "--timeout", "30", "app:create_app()"]
    with log.open("ab") as out:
        harness.server = subprocess.Popen(
            command, cwd=ROOT, env=harness.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_us,  # noqa: PLW1509 - started from the main thread while no writer runs
        )
    return harness.server


def wait_ready(harness: Harness, server: subprocess.Popen) -> None:
    """Until GET /login answers 200, within START_TIMEOUT_S."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CheckFailed(f"gunicorn exited with {server.returncode}")
        try:
            if Client(harness.base).get("/login", timeout=2)[0] == 200:
                return
        except CUT_OFF:
            pass
        time.sleep(0.1)
    raise CheckFailed(f"gunicorn did not answer within {START_TIMEOUT_S:.0f} s")


def kill_group(server: subprocess.Popen) -> None:
    """SIGKILL the master and every worker at once, then reap the master."""
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait(timeout=10)


def sign_in(harness: Harness) -> tuple[Client, str]:
    """A signed-in client and the CSRF token its session accepts."""
    client = Client(harness.base)
    status, _, html = client.get("/login")
    token = CSRF_RE.search(html)
    if status != 200 or token is None:
        raise CheckFailed(f"no sign-in form (HTTP {status})")
    status, _, _ = client.post("/login", {"email": harness.email, "password": harness.password,
                                          "csrf_token": token.group(1)})
    if status != 302:
        raise CheckFailed(f"sign-in refused (HTTP {status})")
    status, _, html = client.get(f"/states/{STATES[0]}/outreach/new")
    token = CSRF_RE.search(html)
    if status != 200 or token is None:
        raise CheckFailed(f"no outreach form (HTTP {status})")
    return client, token.group(1)


def entry_form(harness: Harness, iso3: str, summary: str, csrf: str) -> dict[str, object]:
    """The outreach form as a browser posts it: a meeting, no status change, no follow-up."""
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    return {
        "csrf_token": csrf, "occurred_on": yesterday, "channel": "in_person", "level": "pr_geneva",
        "location": "Geneva", "states": [str(harness.state_ids[iso3])], "campaigns": [str(harness.campaign_id)], "our_participants": "Our PR",
        "their_participants": "", "summary": summary, "status_reason": "",
        "source_level": "", "pledge_form": "", "note_reference": "", "note_date": "", "condition_request": "",
        "follow_up_text": "", "follow_up_due": "", "follow_up_owner": "",
    }


def writer(harness: Harness, stop: threading.Event, acked: list[str], counts: list[int]) -> None:
    """Log entries until told to stop or the server dies; keep the tokens the app acknowledged."""
    try:
        client, csrf = sign_in(harness)
    except (*CUT_OFF, CheckFailed):
        return  # killed before or while signing in: nothing acknowledged
    for _ in range(MAX_WRITES_PER_THREAD):
        if stop.is_set():
            return
        iso3 = random.choice(list(harness.state_ids))
        token = f"{TOKEN_PREFIX}{secrets.token_hex(8)}"
        counts[0] += 1
        try:
            status, location, _ = client.post(f"/states/{iso3}/outreach/new",
                                              entry_form(harness, iso3, token, csrf), timeout=REQUEST_TIMEOUT_S)
        except CUT_OFF:
            return  # the server died under us: this write is in doubt, not acknowledged
        if status == 302 and location.split("?", 1)[0].endswith(f"/states/{iso3}"):
            acked.append(token)


def write_and_kill(harness: Harness, server: subprocess.Popen, max_delay: float) -> tuple[set[str], int, float]:
    """Two writers against the server; SIGKILL it at a random moment once writes are flowing."""
    stop = threading.Event()
    acked: list[list[str]] = [[], []]
    counts: list[list[int]] = [[0], [0]]
    threads = [threading.Thread(target=writer, args=(harness, stop, acked[i], counts[i]), daemon=True)
               for i in range(2)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while not any(acked) and time.monotonic() - started < START_TIMEOUT_S:
        time.sleep(0.02)  # the kill must land among real writes, not before the first one
    delay = random.uniform(0.05, max_delay)
    time.sleep(delay)
    kill_group(server)
    killed_after = time.monotonic() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_S + 5)
    return {t for tokens in acked for t in tokens}, counts[0][0] + counts[1][0], killed_after


def integrity_problems(conn: sa.Connection) -> list[str]:
    """What is wrong with the database after the crash, if anything."""
    problems = []
    if conn.dialect.name == "sqlite":
        result = [row[0] for row in conn.exec_driver_sql("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"integrity_check: {result[:5]}")
        if conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
            problems.append("foreign_key_check reports rows")
    for table in sa.inspect(conn).get_table_names():
        conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar()  # every row readable
    queries = {
        "outreach_states rows without their entry": "SELECT count(*) FROM outreach_states s "
        "LEFT JOIN outreach_entries e ON e.id = s.entry_id WHERE e.id IS NULL",
        "entries without any state (half a transaction)": "SELECT count(*) FROM outreach_entries e "
        "WHERE NOT EXISTS (SELECT 1 FROM outreach_states s WHERE s.entry_id = e.id)",
        "entries without their audit event (half a transaction)": "SELECT count(*) FROM outreach_entries e "
        "WHERE NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.action = 'outreach.create' "
        "AND a.target_id = CAST(e.id AS VARCHAR(60)))",
        "live entries missing from outreach_listings (half a transaction)": "SELECT count(*) FROM outreach_entries e "
        "JOIN outreach_states s ON s.entry_id = e.id JOIN outreach_campaigns c ON c.entry_id = e.id "
        "WHERE e.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM outreach_listings l WHERE l.entry_id = e.id "
        "AND l.state_id = s.state_id AND l.campaign_id = c.campaign_id AND l.occurred_on = e.occurred_on)",
    }
    for label, query in queries.items():
        count = conn.execute(sa.text(query)).scalar()
        if count:
            problems.append(f"{count} {label}")
    return problems


def check_database(url: str, acknowledged: set[str]) -> tuple[dict[str, int], list[str]]:
    """({token: entry id} of the entries found, integrity problems), read directly from the database."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.text("SELECT summary, id FROM outreach_entries WHERE summary LIKE :p"),
                                 {"p": TOKEN_PREFIX + "%"}).all()
            return dict(found), integrity_problems(conn)
    finally:
        engine.dispose()


def visible_after_restart(harness: Harness, token: str, entry_id: int) -> list[str]:
    """One acknowledged entry, read back through the restarted app (not only the database)."""
    client, _ = sign_in(harness)
    status, _, html = client.get(f"/outreach/{entry_id}")
    return [] if status == 200 and token in html else [f"entry {entry_id} not readable after restart ({status})"]


def run_cycle(harness: Harness, max_delay: float, log: Path) -> CycleResult:
    """Write, kill, check the database, restart and read back: one cycle."""
    acknowledged, attempted, killed_after = write_and_kill(harness, harness.server, max_delay)
    found, problems = check_database(harness.url, acknowledged)
    lost = acknowledged - found.keys()
    wait_ready(harness, start_server(harness, log))
    if acknowledged - lost:
        token = random.choice(sorted(acknowledged - lost))
        problems += visible_after_restart(harness, token, found[token])
    else:
        problems.append("no write was acknowledged before the kill: nothing was tested")
    return CycleResult(acknowledged, attempted, lost, problems, killed_after)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=5)
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary directory")
    parser.add_argument("--postgres-server", metavar="URL",
                        help="instead: a throwaway database created on this PostgreSQL server, dropped afterwards")
    parser.add_argument("--port", type=int, default=0, help="default: a free port on 127.0.0.1")
    parser.add_argument("--max-delay", type=float, default=2.0, help="latest kill, in seconds after the first write")
    parser.add_argument("--time-limit", type=float, default=0, help="abort after this many seconds (default: 60 per cycle)")
    parser.add_argument("--seed", type=int, help="random seed, to replay a run")
    return parser.parse_args(argv)


@contextmanager
def throwaway_postgres(server_url: str) -> Iterator[str]:
    """A uniquely named database on that server (never one in use), dropped afterwards."""
    name = f"suara_crash_{secrets.token_hex(5)}"
    admin = sa.create_engine(sa.make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def harness_for(args: argparse.Namespace) -> Iterator[Harness]:
    """A temporary working directory, the database, and the environment every child process gets."""
    with ExitStack() as stack:
        workdir = Path(tempfile.mkdtemp(prefix="suara-crash-"))
        stack.callback(shutil.rmtree, workdir, ignore_errors=True)
        url = args.database_url or f"sqlite:///{workdir / 'crash.db'}"
        if args.postgres_server:
            url = stack.enter_context(throwaway_postgres(args.postgres_server))
        env = {**os.environ, "DATABASE_URL": url, "SUARA_ENV": "production", "SECRET_KEY": secrets.token_hex(32),
               "SUARA_TOTP_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
               "SUARA_INSTANCE_DIR": str(workdir), "PYTHONUNBUFFERED": "1"}
        yield Harness(url=url, port=args.port or free_port(), workdir=workdir, env=env)


def _on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit("stopped by SIGTERM")  # unwinds through the finally blocks that kill gunicorn


def main(argv: list[str] | None = None) -> int:
    """Prepare, run the cycles, print one line each and a total; 0 only when nothing was lost."""
    args = parse_args(argv)
    random.seed(args.seed)
    signal.signal(signal.SIGTERM, _on_sigterm)
    deadline = time.monotonic() + (args.time_limit or 60.0 * args.cycles)
    total_acked = total_lost = 0
    with harness_for(args) as harness:
        log = harness.workdir / "gunicorn.log"
        try:
            prepare(harness)
            wait_ready(harness, start_server(harness, log))
            for cycle in range(1, args.cycles + 1):
                if time.monotonic() > deadline:
                    raise CheckFailed(f"time limit reached after {cycle - 1} cycles")
                result = run_cycle(harness, args.max_delay, log)
                total_acked += len(result.acknowledged)
                total_lost += len(result.lost)
                print(f"cycle {cycle}/{args.cycles}: killed after {result.killed_after:.2f} s, "
                      f"{result.attempted} writes sent, {len(result.acknowledged)} acknowledged, "
                      f"{len(result.lost)} lost, integrity {'; '.join(result.problems) or 'ok'}", flush=True)
                if result.lost or result.problems:
                    print(f"FAILED: lost {sorted(result.lost)[:10]} problems {result.problems}", flush=True)
                    return 1
        except CheckFailed as error:
            print(f"FAILED: {error}\n--- gunicorn log (tail) ---\n{tail(log)}", flush=True)
            return 2
        finally:
            if harness.server is not None:
                kill_group(harness.server)
    print(f"{args.cycles} cycles, {total_acked} acknowledged writes, {total_lost} lost", flush=True)
    return 0


def tail(path: Path, lines: int = 30) -> str:
    """The end of the gunicorn log, for a failure report."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


if __name__ == "__main__":
    sys.exit(main())
