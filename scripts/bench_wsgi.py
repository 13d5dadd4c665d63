"""The app as gunicorn serves it in the benchmark, plus `/bench/static`: the dashboard's HTML as a
precomputed string behind the same sign-in and hooks, the reference the page is compared with."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app
from app.auth.access import READ_ROLES, allow
from config import DevelopmentConfig

app = create_app(DevelopmentConfig)
app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
STATIC_HTML = Path(os.environ["BENCH_STATIC_HTML"]).read_text()


@app.route("/bench/static")
@allow(*READ_ROLES)
def bench_static() -> str:
    """The same bytes as the dashboard, computed once."""
    return STATIC_HTML
