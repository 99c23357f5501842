"""Requests per second for the first page of a 50-post thread, as FlaskBB is measured.

    .venv/bin/python bench/thread_page.py [--seconds 10] [--clients 4] [--workers 1]
        [--database-url postgresql+psycopg://postgres@127.0.0.1/bench_thread]

Builds a fresh instance (SQLite by default) with one category and a thread of 50
posts written through the services (Markdown rendered at write time, as in real
use), serves it with gunicorn on 127.0.0.1, and drives it from this process with
keep-alive HTTP clients for a fixed time. Prints requests/s and latency
percentiles for anonymous and logged-in readers, and the SQL queries per page.
"""
import argparse
import http.client
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BODY = """Hallo zusammen, seit dem Update auf die neue **Firmware** bricht meine
Verbindung abends ab. Das habe ich schon versucht:

- Router neu gestartet
- WLAN-Kanal auf 6 gestellt
- [Störungsseite](https://example.com/status) geprüft

```
DSL sync: 100 Mbit/s down, 40 Mbit/s up
```

Any idea what else I can try? Thanks!"""


def build(instance, database_url):
    os.environ["FORUM_INSTANCE_PATH"] = instance
    if database_url:
        os.environ["FORUM_DATABASE_URL"] = database_url
    from community import create_app
    from community.services import accounts, categories, threads
    from community.extensions import db
    from flask_migrate import upgrade

    app = create_app({"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    with app.app_context():
        if database_url:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        users = [accounts.create_user(f"bench{n}@example.com", f"Bench User {n}",
                                      "bench password 1", role="agent" if n == 0 else "customer")
                 for n in range(10)]
        category = categories.create_category("Internet & Festnetz", "DSL, fibre, router")
        thread = threads.create_thread(users[1], category,
                                       "Internet bricht abends ab / connection drops", BODY, ["dsl"])
        for n in range(49):
            threads.reply(users[(n % 9) + 1], thread, f"Antwort {n}: " + BODY)
        db.session.commit()
        return f"/t/{thread.id}-{thread.slug}"


def count_queries(path):
    from sqlalchemy import event
    from community import create_app
    from community.extensions import db
    app = create_app()
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args: statements.append(args[2]))
        client = app.test_client()
        client.get(path)
        statements.clear()
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return len(statements)


def login_cookie(port):
    import re
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/login")
    response = conn.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    body = f"csrf_token={token}&email=bench1%40example.com&password=bench+password+1&next="
    conn.request("POST", "/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie").split(";")[0]


def drive(port, path, seconds, clients, cookie=None):
    latencies = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 200, response.status
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    if len(latencies) < 2:
        return {"requests": len(latencies), "rps": 0, "p50_ms": 0, "p95_ms": 0}
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=5099)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    instance = tempfile.mkdtemp(prefix="bench-thread-")
    try:
        path = build(instance, args.database_url)
        queries = count_queries(path)
        env = {**os.environ, "FORUM_INSTANCE_PATH": instance}
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "--workers", str(args.workers), "--bind",
             f"127.0.0.1:{args.port}", "--log-level", "warning", "community:create_app()"],
            env=env, cwd=ROOT)
        try:
            for _ in range(100):
                try:
                    http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/")
                    break
                except OSError:
                    time.sleep(0.1)  # waiting for the server process to listen
            drive(args.port, path, 1, 1)  # warm-up
            anonymous = drive(args.port, path, args.seconds, args.clients)
            member = drive(args.port, path, args.seconds, args.clients, login_cookie(args.port))
        finally:
            server.terminate()
            server.wait()
        db = "PostgreSQL" if args.database_url else "SQLite"
        print(f"thread page, 50 posts, {db}, gunicorn --workers {args.workers}, "
              f"{args.clients} keep-alive clients, {args.seconds:.0f} s each")
        print(f"SQL queries per page (anonymous): {queries}")
        for label, r in (("anonymous", anonymous), ("logged in", member)):
            print(f"{label:10s} {r['rps']:7.1f} req/s   p50 {r['p50_ms']:6.1f} ms   "
                  f"p95 {r['p95_ms']:6.1f} ms   ({r['requests']} requests)")
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
