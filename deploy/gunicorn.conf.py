"""gunicorn settings of a web host: ``gunicorn -c deploy/gunicorn.conf.py``.

Everything can be changed on the command line (``--bind``, ``--workers``) or with
the variables below; the app itself reads its ``FORUM_*`` settings. See
docs/operations.md, "Running on several hosts".
"""
import multiprocessing
import os
import shutil
import tempfile

wsgi_app = "community:create_app()"

# Behind nginx on the same host: listen on loopback only.
bind = os.environ.get("FORUM_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 8)))
# Requests end within seconds; a worker stuck longer is restarted. Keep-alive to nginx.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, staggered, so no slow leak grows without bound.
max_requests = 5000
max_requests_jitter = 500

# The app decides which proxies to trust (FORUM_PROXY_COUNT, werkzeug's ProxyFix);
# gunicorn must not rewrite the scheme from a header by itself.
forwarded_allow_ips = "127.0.0.1,::1"
secure_scheme_headers = {}

# JSON logs come from the app (one line per request, with its id); gunicorn's own
# access log only in text mode.
accesslog = None if os.environ.get("FORUM_LOG_FORMAT", "text").lower() == "json" else "-"
errorlog = "-"

# Prometheus: every worker process writes its counters to this folder and a scrape
# of /metrics adds them up. Set before any worker imports prometheus_client.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="forum-metrics-")
_metrics_dir = os.environ["PROMETHEUS_MULTIPROC_DIR"]


def on_starting(server):
    """Counters of an earlier run of this host are not this run's."""
    os.makedirs(_metrics_dir, exist_ok=True)
    for name in os.listdir(_metrics_dir):
        if name.endswith(".db"):
            os.remove(os.path.join(_metrics_dir, name))


def child_exit(server, worker):
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if os.path.basename(_metrics_dir).startswith("forum-metrics-"):
        shutil.rmtree(_metrics_dir, ignore_errors=True)
