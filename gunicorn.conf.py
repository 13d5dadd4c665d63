"""gunicorn settings for the desk: `gunicorn -c gunicorn.conf.py 'app:create_app()'` (make bench uses it too).

Every value can be overridden from the environment (GUNICORN_WORKERS, GUNICORN_TIMEOUT, GUNICORN_BIND)
or on the command line, which takes precedence over this file.

- workers: sync workers, one request at a time each; two per core is the usual fit for pages that
  spend part of their time waiting on the database. Every worker keeps its own cache of dashboard
  figures keyed by the data version in the database, so they agree without sharing memory
  (REDIS_URL shares the cache too).
- timeout: a worker that takes longer is killed and the request answered with an error. The
  longest request the desk allows is a trip pack of the most states a pack may hold
  (app/briefs/forms.py MAX_PACK_STATES = 100): about 3 s on a 2-core machine at 200,000 entries
  (docs/benchmarks.md), so 60 s leaves a wide margin for a loaded machine without letting a stuck
  worker hold its slot for long. Larger packs are refused, with a message, before any work.
- Each worker freezes what the app loaded (`gc.freeze()` once it is built): the garbage collector
  then scans only what requests allocate, not the app's 175,000 start-up objects on every full
  collection (about a sixth of a brief's time).
- No max_requests: a replaced worker starts with empty caches and its first dashboard request
  computes every figure again (seconds on a large desk); documents are bounded, so nothing grows.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(2 * multiprocessing.cpu_count())))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 0
# The app is built in each worker (not preloaded): database connections are never shared across a fork.
preload_app = False


def post_worker_init(worker) -> None:
    """Move the loaded app out of the collector's way (see above)."""
    gc.freeze()
