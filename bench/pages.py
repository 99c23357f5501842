"""Pages and answers per second at real size, as FlaskBB 2.2 is measured beside us.

    .venv/bin/python bench/pages.py [--database-url postgresql+psycopg://postgres@127.0.0.1/bench_pages]
        [--keep /tmp/bench-pages] [--seconds 20] [--connections 16] [--pages thread,home,...]
        [--writes-seconds 10] [--write-connections 8] [--flaskbb] [--explain]
        [--profile PAGE[:member]] [--profile-write]

1. Builds the community of issue 15 once per folder (``--keep``): ``flask --app community
   demo generate --users 2000 --threads 20000 --posts 200000 --seed 15`` and ``search
   reindex``, and keeps a pristine copy (SQLite: the files; PostgreSQL: a template
   database ``<name>_pristine``) that every run starts from.
2. Per page (a 50-post thread's first page, home, the biggest category's first page,
   search for a rare word and for "Router"), for a visitor and a logged-in member:
   SQL statements and bytes of one request in process (the second one: a visitor's is
   then served by the page cache; "render" is the same page with the cache off), then
   gunicorn as ``make run`` starts it (``deploy/gunicorn.conf.py``, 2 sync workers; no
   worker recycling during the run), 3 s of warm-up and ``wrk -t1 -c16 -d20s --latency``:
   requests/s, p50, p99, and the workers' resident memory afterwards.
3. Answers per second through ``POST /api/v1/threads/<id>/posts`` (2 sync workers,
   bearer tokens of 50 members, 200 threads, every text different), and the rows they
   wrote.
4. ``--flaskbb``: then ``../shared/peers/flaskbb/setup.sh`` and ``bench.sh`` (the same
   data and wrk flags, 2 sync workers) and the ratios, ours / FlaskBB's.

``--explain`` prints the plans of the list queries; ``--profile thread`` a cProfile of
a page rendered in process (``thread:member`` for a member, ``thread:cached`` through
the cache); ``--profile-write`` the CPU (the app's and PostgreSQL's), SQL statements
and a cProfile of answers through the API in process (``BENCH_PROFILE_DUMP=file``
keeps the profile for pstats). The machine's load is printed with the figures: they
are only comparable within one run on a quiet machine.
"""
import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLASKBB = ROOT.parent / "shared" / "peers" / "flaskbb"
BIN = ROOT / ".venv" / "bin"
SIZE = {"users": 2000, "threads": 20000, "posts": 200000}
SEED = 15
RARE_WORD = "Kroatien"      # in 41 of the 20,000 threads of seed 15
COMMON_WORD = "Router"      # in about half of them
PAGES = ("thread", "home", "category", "search_rare", "search_common")
# Ours and FlaskBB's name for the same page (bench.sh's scenarios).
FLASKBB_PAGES = {"thread": "topic", "home": "index", "category": "forum",
                 "search_rare": "search_rare", "search_common": "search_common"}
SECRET = "bench-pages-secret-key"


# ------------------------------------------------------------------ the data

class Instance:
    """The benchmark's instance folder and database, and their pristine copy."""

    def __init__(self, folder, database_url):
        self.folder = Path(folder)
        self.url = database_url
        self.live = self.folder / ("postgresql" if database_url else "sqlite")
        self.pristine = self.folder / ("pristine-postgresql" if database_url
                                       else "pristine-sqlite")

    @property
    def env(self):
        env = {**os.environ, "FORUM_INSTANCE_PATH": str(self.live), "FORUM_SECRET_KEY": SECRET,
               "FORUM_LOG_FORMAT": "text"}
        if self.url:
            env["FORUM_DATABASE_URL"] = self.url
        return env

    def flask(self, *args, **kwargs):
        return subprocess.run([str(BIN / "flask"), "--app", "community", *args], env=self.env,
                              check=True, **kwargs)

    def ensure(self):
        """Build the pristine copy once; start every run from it."""
        if not (self.pristine / "done").exists():
            self._build()
        self.restore()

    def _build(self):
        shutil.rmtree(self.live, ignore_errors=True)
        self.live.mkdir(parents=True)
        if self.url:
            self._psql(f'DROP DATABASE IF EXISTS "{self._name()}"',
                       f'CREATE DATABASE "{self._name()}"')
        self.flask("db", "upgrade", capture_output=True)
        started = time.perf_counter()
        self.flask("demo", "generate", "--users", str(SIZE["users"]), "--threads",
                   str(SIZE["threads"]), "--posts", str(SIZE["posts"]), "--seed", str(SEED))
        print(f"# generated in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        self.flask("search", "reindex")
        print(f"# indexed in {time.perf_counter() - started:.0f} s", flush=True)
        shutil.rmtree(self.pristine, ignore_errors=True)
        shutil.copytree(self.live, self.pristine)
        if self.url:  # as autovacuum leaves a live site: statistics, visibility map
            self._psql("VACUUM ANALYZE", database=self._name())
            self._psql(f'DROP DATABASE IF EXISTS "{self._name()}_pristine"',
                       f'CREATE DATABASE "{self._name()}_pristine" TEMPLATE "{self._name()}"')
        (self.pristine / "done").write_text(time.strftime("%Y-%m-%d %H:%M"))

    def restore(self):
        shutil.rmtree(self.live, ignore_errors=True)
        shutil.copytree(self.pristine, self.live)
        if self.url:
            # WITH (FORCE): this process's own apps may still hold a connection to it
            self._psql(f'DROP DATABASE IF EXISTS "{self._name()}" WITH (FORCE)',
                       f'CREATE DATABASE "{self._name()}" TEMPLATE "{self._name()}_pristine"')
        self.flask("db", "upgrade", capture_output=True)  # the pristine copy may be older
        subprocess.run(["sync"], check=False)

    def _name(self):
        return self.url.rsplit("/", 1)[1].split("?")[0]

    def _psql(self, *statements, database="postgres"):
        from sqlalchemy import create_engine, text
        engine = create_engine(self.url.rsplit("/", 1)[0] + "/" + database,
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
        engine.dispose()


def app_for(instance, **overrides):
    os.environ.update({k: v for k, v in instance.env.items() if k.startswith("FORUM_")})
    from community import create_app
    return create_app(overrides or None)


def targets(app):
    """The pages of the table (paths) and a member to log in as."""
    from sqlalchemy import select

    from community.extensions import db
    from community.models import Category, Thread, User
    with app.app_context():
        thread = db.session.execute(select(Thread.id, Thread.slug).where(
            Thread.reply_count == 49, Thread.visibility == "visible").order_by(Thread.id)
            .limit(1)).one()
        category = db.session.scalar(select(Category.slug)
                                     .order_by(Category.thread_count.desc()).limit(1))
        member = db.session.scalar(select(User.email).where(User.role == "customer")
                                   .order_by(User.id).limit(1))
    paths = {"thread": f"/t/{thread.id}-{thread.slug}", "home": "/",
             "category": f"/c/{category}", "search_rare": f"/search?q={RARE_WORD}",
             "search_common": f"/search?q={COMMON_WORD}"}
    return paths, member


def login(app, email):
    """A logged-in test client and its session cookie (for wrk)."""
    from community.demo.generate import PASSWORD
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"csrf_token": token, "email": email,
                                           "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    cookie = client.get_cookie("session")
    return client, f"session={cookie.value}"


# ------------------------------------------------------------------ in process

def statements_and_bytes(instance, paths, member):
    """Per page and reader: SQL statements and bytes of the second request, served by
    the cache (visitors) and rendered (cache off)."""
    from sqlalchemy import event

    from community.extensions import db
    result = {}
    for mode, overrides in (("cached", {}), ("render", {"PAGE_CACHE_MB": 0})):
        app = app_for(instance, **overrides)
        statements = []
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute",
                         lambda *args, seen=statements: seen.append(args[2]))
        clients = {"visitor": app.test_client(), "member": login(app, member)[0]}
        for name, path in paths.items():
            for who, client in clients.items():
                client.get(path)
                statements.clear()
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                result[name, who, mode] = (len(statements), len(response.data))
    return result


def profile(instance, paths, member, spec, requests=50, sort="cumulative"):
    name, _, who = spec.partition(":")
    app = app_for(instance, **({} if "cached" in who else {"PAGE_CACHE_MB": 0}))
    client = login(app, member)[0] if "member" in who else app.test_client()
    for _ in range(3):
        client.get(paths[name])
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    for _ in range(requests):
        client.get(paths[name])
    profiler.disable()
    cpu = (time.process_time() - started) / requests * 1000
    print(f"# {spec}: {cpu:.1f} ms CPU per request under the profiler")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(60)
    print(out.getvalue())


def bench_members_and_threads(members=50, threads=200):
    """Bearer tokens of ``members`` customers and ``threads`` open threads, the latest
    active (call inside an app context; commits the tokens)."""
    from sqlalchemy import select

    from community.extensions import db
    from community.models import Thread, User
    from community.services import accounts
    users = list(db.session.scalars(select(User).where(User.role == "customer")
                                    .order_by(User.id).limit(members)))
    tokens = [accounts.create_token(user, "bench")[1] for user in users]
    ids = list(db.session.scalars(select(Thread.id).where(
        Thread.visibility == "visible", Thread.status == "open")
        .order_by(Thread.last_activity_at.desc()).limit(threads)))
    db.session.commit()
    return tokens, ids


def answer_body(n):
    """The text of the ``n``th answer (as WRITE_SCRIPT writes it)."""
    return (f"Benchmark answer {n}: restart the router, then check line {n * 7919 % 100003}"
            f" and port {n % 97} once more.")


def server_cpu_ms(app):
    """CPU time (ms) the PostgreSQL backends of ``app``'s database have used so far
    (they run on this machine: /proc), or 0 on SQLite."""
    from sqlalchemy import text

    from community.extensions import db
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return 0.0
        pids = db.session.scalars(text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")).all()
        db.session.rollback()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total * 1000 / os.sysconf("SC_CLK_TCK")


def profile_write(instance, answers=200, sort="cumulative", show=True):
    """CPU ms (the app's and the database server's) and SQL statements per answer through
    ``POST /api/v1/threads/<id>/posts`` in process, as the write part of the benchmark
    sends them, and a cProfile (CPU time) of them."""
    from sqlalchemy import event

    from community.extensions import db
    app = app_for(instance)
    statements = []
    with app.app_context():
        tokens, threads = bench_members_and_threads()
        event.listen(db.engine, "before_cursor_execute",
                     lambda *args, seen=statements: seen.append(args[2]))
    client = app.test_client()

    def answer(n):
        response = client.post(f"/api/v1/threads/{threads[n % len(threads)]}/posts",
                               json={"body": answer_body(n)},
                               headers={"Authorization": f"Bearer {tokens[n % len(tokens)]}"})
        assert response.status_code == 201, response.get_data(as_text=True)
    for n in range(20):  # warm up: each code path once
        answer(n)
    server = server_cpu_ms(app)
    statements.clear()
    started, wall = time.process_time(), time.perf_counter()
    for n in range(20, 20 + answers):
        answer(n)
    cpu = (time.process_time() - started) / answers * 1000
    wall = (time.perf_counter() - wall) / answers * 1000
    per_answer = len(statements) / answers
    server = (server_cpu_ms(app) - server) / answers
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(20 + answers, 20 + 2 * answers):
        answer(n)
    profiler.disable()
    if os.environ.get("BENCH_PROFILE_DUMP"):
        profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
    print(f"# answers in process: {cpu:.1f} ms CPU in the app, {server:.1f} ms in PostgreSQL,"
          f" {wall:.1f} ms elapsed and {per_answer:.1f} SQL statements per answer"
          f" (load {os.getloadavg()[0]:.1f})")
    if show:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(80)
        print(out.getvalue())
        statements.clear()
        answer(20 + 2 * answers)
        for statement in statements:
            print("  ", " ".join(statement.split())[:160])
    return {"cpu_ms": cpu, "server_ms": server, "statements": per_answer}


def explain(instance, paths):
    """The plans of the list queries the category and home pages run."""
    from sqlalchemy import event

    from community.extensions import db
    app = app_for(instance, PAGE_CACHE_MB=0)
    seen = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute",
                     lambda conn, cursor, statement, params, *rest: seen.append(
                         (statement, params)))
    client = app.test_client()
    for path in (paths["category"], paths["category"] + "?filter=unanswered&sort=helpful",
                 paths["category"] + "?filter=solved&sort=newest&page=40",
                 "/", "/?show=unsolved"):
        seen.clear()
        client.get(path)
        captured = list(seen)  # the EXPLAINs below are seen too
        for statement, params in captured:
            if "FROM threads" not in statement or "thread_tags" in statement \
                    or statement.startswith("EXPLAIN"):
                continue
            with app.app_context():
                sqlite = db.engine.dialect.name == "sqlite"
                prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
                with db.engine.connect() as conn:
                    plan = conn.exec_driver_sql(prefix + statement, params).all()
            print(f"## {path}\n{' '.join(statement.split())[:300]}")
            for row in plan:  # the lines that say how threads are read
                if re.search(r"threads|Sort|Limit|TEMP", str(row[-1])):
                    print("   ", row[-1])


# ------------------------------------------------------------------ over HTTP

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as ``make run`` starts it, on a free port."""

    def __init__(self, instance, workers=2):
        self.port = free_port()
        self.log = open(instance.folder / "gunicorn.log", "ab")  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
             "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--max-requests", "0"],
            cwd=ROOT, env=instance.env, stdout=self.log, stderr=self.log)
        self.url = f"http://127.0.0.1:{self.port}"
        for _ in range(480):  # until both workers answer (the app loads in a few seconds)
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=30):
                    pass
                with urllib.request.urlopen(self.url + "/healthz", timeout=30):
                    return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("gunicorn did not start: see gunicorn.log")

    def workers(self):
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
                                  capture_output=True, text=True, check=False).stdout.split()
        return [int(pid) for pid in children]

    def memory(self):
        """(largest VmRSS, largest VmHWM) of the workers, in MiB."""
        rss, peak = [0], [0]
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            rss.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024)
            peak.append(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) // 1024)
        return max(rss), max(peak)

    def stop(self):
        self.process.send_signal(signal.SIGINT)  # quick shutdown: nothing is left to finish
        self.process.wait(timeout=60)
        self.log.close()


def wrk(url, seconds, connections, script=None, timeout="10s"):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
               "--timeout", timeout]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=False).stdout

    def ms(text):
        value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
            "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
            "requests": requests, "non2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": sum(map(int, errors.groups())) if errors else 0}


def lua(folder, cookie=None, body=None):
    path = Path(folder) / "request.lua"
    lines = []
    if cookie:
        lines.append(f'wrk.headers["Cookie"] = "{cookie}"')
    if body:
        lines.append(body)
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def serve_pages(instance, paths, cookie, names, seconds, connections):
    results = {}
    for name in names:
        for who in ("visitor", "member"):
            server = Server(instance)
            try:
                script = lua(instance.folder, cookie if who == "member" else None)
                timeout = "120s" if name == "search_common" else "10s"
                wrk(server.url + paths[name], 3, connections, script, timeout)  # warm up
                load = os.getloadavg()[0]
                result = wrk(server.url + paths[name], seconds, connections, script, timeout)
                result["rss"], result["peak_rss"] = server.memory()
                result["load"] = load
                results[name, who] = result
            finally:
                server.stop()
            print(f"# {name:13} {who:7} {result['rps']:7.1f} req/s  p50 {result['p50']:6.1f} ms"
                  f"  p99 {result['p99']:6.1f} ms  non-2xx {result['non2xx']}"
                  f"  RSS {result['rss']} MiB (peak {result['peak_rss']})"
                  f"  load {load:.1f}", flush=True)
    return results


WRITE_SCRIPT = """
local tokens = {%(tokens)s}
local threads = {%(threads)s}
local n = 0
request = function()
  n = n + 1
  local path = "/api/v1/threads/" .. threads[(n %% #threads) + 1] .. "/posts"
  local body = '{"body": "Benchmark answer ' .. n .. ': restart the router, then check line ' ..
               (n * 7919 %% 100003) .. ' and port ' .. (n %% 97) .. ' once more."}'
  return wrk.format("POST", path, {["Authorization"] = "Bearer " .. tokens[(n %% #tokens) + 1],
                                    ["Content-Type"] = "application/json"}, body)
end
"""


def write_path(instance, seconds, connections):
    """Answers per second through the API, and the rows they wrote."""
    from sqlalchemy import func, select

    from community.extensions import db
    from community.models import Post
    app = app_for(instance)
    with app.app_context():
        tokens, threads = bench_members_and_threads()
        before = db.session.scalar(select(func.count(Post.id)))
    script = Path(instance.folder) / "write.lua"
    script.write_text(WRITE_SCRIPT % {"tokens": ", ".join(f'"{t}"' for t in tokens),
                                      "threads": ", ".join(map(str, threads))})
    server = Server(instance)
    try:
        load = os.getloadavg()[0]
        result = wrk(server.url + "/", seconds, connections, str(script))
        result["rss"], result["peak_rss"] = server.memory()
    finally:
        server.stop()
    with app.app_context():
        written = db.session.scalar(select(func.count(Post.id))) - before
    result.update(load=load, written=written, posts_per_s=written / seconds)
    print(f"# answers: {written} in {seconds} s = {written / seconds:.1f}/s"
          f" ({result['requests']} requests, {result['non2xx']} refused, p50 {result['p50']:.1f}"
          f" ms, p99 {result['p99']:.1f} ms, load {load:.1f})", flush=True)
    return result


def flaskbb(seconds, connections):
    """FlaskBB's figures, by its own recipe (same data, same wrk flags)."""
    env = {**os.environ, "MODES": "sync:2", "DURATION": str(seconds),
           "CONNS": str(connections),
           "SCENARIOS": "topic index forum search_rare topic_user index_user forum_user"}
    subprocess.run(["bash", str(FLASKBB / "setup.sh")], check=True, env=env)
    out = subprocess.run(["bash", str(FLASKBB / "bench.sh")], check=True, env=env,
                         capture_output=True, text=True)
    tsv = re.search(r"table: (\S+\.tsv)", out.stdout).group(1)
    rows = {}
    with open(tsv) as f:
        for row in csv.DictReader(f, delimiter="\t"):
            rows[row["scenario"]] = row
    return rows, out.stdout


# ------------------------------------------------------------------ the table

def table(paths, costs, results, peer, writes):
    lines = [("| page | reader | SQL (cached / render) | bytes | req/s | p50 ms | p99 ms | "
              "worker RSS MiB | FlaskBB req/s | ours ÷ FlaskBB |"),
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (name, who), result in results.items():
        cached, size = costs.get((name, who, "cached"), ("?", "?"))
        render = costs.get((name, who, "render"), ("?",))[0]
        scenario = FLASKBB_PAGES[name] + ("_user" if who == "member" else "")
        theirs = peer.get(scenario, {}).get("rps")
        ratio = f"{result['rps'] / float(theirs):.1f}×" if theirs else "—"
        lines.append(f"| {name} (`{paths[name]}`) | {who} | {cached} / {render} | {size:,} | "
                     f"{result['rps']:.1f} | {result['p50']:.1f} | {result['p99']:.1f} | "
                     f"{result['rss']} | {theirs or '—'} | {ratio} |")
    if writes:
        lines.append(f"\nAnswers through the API: **{writes['posts_per_s']:.1f}/s** "
                     f"({writes['written']} written, {writes['non2xx']} refused; p50 "
                     f"{writes['p50']:.1f} ms, p99 {writes['p99']:.1f} ms; worker RSS "
                     f"{writes['rss']} MiB)")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL (its own database, never 'test')")
    parser.add_argument("--keep", default=str(Path(tempfile.gettempdir()) / "bench-pages"),
                        help="folder for the data and its pristine copy (built once)")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--pages", default=",".join(PAGES))
    parser.add_argument("--writes-seconds", type=int, default=10)
    parser.add_argument("--write-connections", type=int, default=8)
    parser.add_argument("--no-writes", action="store_true")
    parser.add_argument("--flaskbb", action="store_true", help="then measure FlaskBB 2.2")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--profile", metavar="PAGE[:member|:cached]")
    parser.add_argument("--profile-sort", default="cumulative", help="cumulative or tottime")
    parser.add_argument("--profile-write", action="store_true",
                        help="CPU, statements and a cProfile of answers through the API")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    if args.database_url and args.database_url.rsplit("/", 1)[1] == "test":
        parser.error("the database 'test' is CI's: use your own")
    if not shutil.which("wrk"):
        parser.error("wrk is missing: apt-get install -y wrk")
    instance = Instance(args.keep, args.database_url)
    instance.folder.mkdir(parents=True, exist_ok=True)
    instance.ensure()
    app = app_for(instance)
    paths, member = targets(app)
    if args.explain:
        explain(instance, paths)
        return
    if args.profile_write:
        profile_write(instance, sort=args.profile_sort)
        return
    if args.profile:
        profile(instance, paths, member, args.profile, sort=args.profile_sort)
        return
    names = [n for n in args.pages.split(",") if n]
    print(f"# {os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())};"
          f" {'PostgreSQL' if args.database_url else 'SQLite'}; wrk -t1"
          f" -c{args.connections} -d{args.seconds}s", flush=True)
    costs = statements_and_bytes(instance, {n: paths[n] for n in names}, member)
    cookie = login(app, member)[1]
    results = serve_pages(instance, paths, cookie, names, args.seconds, args.connections)
    writes = None if args.no_writes else write_path(instance, args.writes_seconds,
                                                    args.write_connections)
    peer = {}
    if args.flaskbb:
        peer, raw = flaskbb(args.seconds, args.connections)
        print(raw)
    print(table(paths, costs, results, peer, writes))
    print(f"# load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        Path(args.json).write_text(json.dumps({
            "pages": {f"{n}:{w}": r for (n, w), r in results.items()},
            "costs": {":".join(k): v for k, v in costs.items()}, "writes": writes,
            "flaskbb": peer}, indent=1))
    instance.restore()


if __name__ == "__main__":
    main()
