"""Crash safety: scripts/crash_check.py SIGKILLs gunicorn mid-write five times and loses nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "crash_check.py"
CYCLES = 5


@pytest.fixture(params=["sqlite", "postgresql"])
def crash_database(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None (the script makes its own SQLite file) or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        yield None
        return
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL database")
    name = f"suara_crash_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(sa.make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_script(*args: str, timeout: float) -> tuple[int, str]:
    """Run the script; on timeout stop it with SIGTERM so it kills its gunicorn before exiting."""
    process = subprocess.Popen([sys.executable, str(SCRIPT), *args], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
        pytest.fail(f"crash check took over {timeout:.0f} s:\n{output}")
    return process.returncode, output


def test_sigkill_under_gunicorn_loses_no_acknowledged_write(crash_database: str | None):
    args = ["--cycles", str(CYCLES), "--time-limit", "90"]
    if crash_database:
        args += ["--database-url", crash_database]
    code, output = run_script(*args, timeout=120)
    assert code == 0, output
    cycle_lines = [line for line in output.splitlines() if line.startswith("cycle ")]
    assert len(cycle_lines) == CYCLES, output
    assert all(", 0 lost, integrity ok" in line for line in cycle_lines), output
    final = output.strip().splitlines()[-1]
    assert final.startswith(f"{CYCLES} cycles, ") and final.endswith(" acknowledged writes, 0 lost"), output
    assert int(final.split()[2]) > 0, "no write was acknowledged: the check proved nothing"
