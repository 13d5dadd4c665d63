"""Pages under gunicorn (2 workers, concurrency 4) next to the same HTML served as a string.

The load generator is `wrk` (Debian package `wrk`) when it is on the PATH; otherwise a small
thread-pool client in Python is used and the table says so (it saturates sooner than wrk, so its
ratios understate the gap).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench_desk import BENCH_EMAIL, BENCH_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8791"))
WORKERS, CONCURRENCY = 2, 4
DURATION = float(os.environ.get("BENCH_HTTP_SECONDS", "5"))


def load_tool() -> str:
    """'wrk' when installed, else 'python'."""
    return "wrk" if shutil.which("wrk") else "python"


class Server:
    """gunicorn on the bench database; `with Server(url) as s:` starts and stops it."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.dir = tempfile.mkdtemp()
        self.static = Path(self.dir) / "static.html"
        self.static.write_text("not yet")
        self.cookie = ""

    def __enter__(self) -> Server:
        env = os.environ | {"DATABASE_URL": self.database_url, "SUARA_ENV": "development",
                            "BENCH_STATIC_HTML": str(self.static), "SUARA_RATELIMIT_ENABLED": "0",
                            "SECRET_KEY": "bench-" + "x" * 40, "PYTHONPATH": str(ROOT / "scripts")}
        gunicorn = str(Path(os.sys.executable).parent / "gunicorn")
        self.proc = subprocess.Popen(
            # The desk's own settings (gunicorn.conf.py: timeout, sync workers), with the bench's
            # worker count and port on the command line, which take precedence.
            [gunicorn, "-c", str(ROOT / "gunicorn.conf.py"), "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}",
             "--log-level", "warning", "bench_wsgi:app"],
            env=env, cwd=str(ROOT), stdout=open(Path(self.dir) / "gunicorn.log", "w"),
            stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/login", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        self.cookie = self._login()
        return self

    def __exit__(self, *exc) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)

    def _login(self) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        body = urllib.parse.urlencode({"email": BENCH_EMAIL, "password": BENCH_PASSWORD})
        conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
        return "; ".join(cookies)

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        conn.request("GET", path, headers={"Cookie": self.cookie})
        response = conn.getresponse()
        return response.status, response.read()

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, bytes, float]:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        t0 = time.perf_counter()
        try:
            conn.request("POST", path, urllib.parse.urlencode(fields),
                         {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"})
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):  # the worker was killed at its timeout
            return 0, b"", (time.perf_counter() - t0) * 1000
        return response.status, data, (time.perf_counter() - t0) * 1000

    def set_static(self, html: bytes) -> None:
        """Restart the workers so they read the new reference string."""
        self.static.write_bytes(html)
        self.proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        self.cookie = self._login()

    def warm(self, path: str) -> None:
        """Requests at full concurrency until both workers have served the path (their caches warm)."""
        threads = [threading.Thread(target=lambda: [self.get(path) for _ in range(3)]) for _ in range(CONCURRENCY)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def load(self, path: str) -> dict:
        """Requests per second and p95 latency at concurrency 4 for DURATION seconds."""
        if load_tool() == "wrk":
            return _wrk(f"http://127.0.0.1:{PORT}{path}", self.cookie)
        return _python_load(self, path)


def _wrk(url: str, cookie: str) -> dict:
    out = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONCURRENCY), "-d", f"{DURATION:.0f}s", "--latency",
         "-H", f"Cookie: {cookie}", "-H", "Connection: close", url],
        capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p90 = re.search(r"90%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {"rps": rps, "p90_ms": float(p90.group(1)) * scale[p90.group(2)] if p90 else 0.0,
            "errors": int(errors.group(1)) if errors else 0}


def _python_load(server: Server, path: str) -> dict:
    latencies: list[float] = []
    errors = [0]
    stop = time.perf_counter() + DURATION
    lock = threading.Lock()

    def worker() -> None:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            status, _ = server.get(path)
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
                errors[0] += status != 200

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    return {"rps": len(latencies) / DURATION, "errors": errors[0],
            "p90_ms": latencies[int(len(latencies) * 0.9)] if latencies else 0.0,
            "median_ms": statistics.median(latencies) if latencies else 0.0}
