"""Search speed on a large generated community: build time, index size, latency.

    .venv/bin/python bench/search_speed.py [--threads 20000] [--posts 200000]
        [--users 2000] [--queries 1000] [--keep FOLDER [--reuse-index]] [--rounds 1]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_search]

Creates a fresh instance (SQLite in a temporary folder), fills it with
``flask --app community demo generate`` (German and English threads, ~40 % solved),
builds the index with the code of ``flask --app community search reindex``, and runs
a fixed mix of queries (seeded: one and two words, German and English, a third with
a filter or sorted by date) through the search service the page and the API use,
single process, one query after another. Reports build time, index size and latency
percentiles (each query includes loading its 20 results from the database and the
highlighted snippets, i.e. everything but the HTML template).

Then the same by kind of request, each kind a fixed list run over and over:

- search for a rare word (one word of a thread title in 10–300 threads), a common
  word (the mix's words in the most threads, "Router" among them), several words
  (two or three words of a thread title), a word with a typo (typo matching and the
  "did you mean" suggestion);
- similar questions (``similar.similar``, what ``/api/v1/similar`` and the ask form's
  "Check for similar questions" run): the SemEval-2016 dev questions and the German
  judged set, subject and text, as bench/search_quality.py --speed asks them;
- suggestions while typing (the ask form's list as the title is typed): the same
  questions' titles alone.

``--database-url`` uses that PostgreSQL database (its own, never CI's ``test``; it is
dropped and created again unless ``--keep`` finds the community in it) and the
PostgreSQL backend (``FORUM_SEARCH_BACKEND=postgres``, the default on PostgreSQL);
after indexing it runs ``VACUUM ANALYZE``, as autovacuum leaves a live database.
The index size is then the size of the index tables with their indexes.
"""
import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = {
    "de": ["Kündigung", "Rechnung", "Router", "WLAN", "Vertrag", "Störung", "Tarif",
           "Rufnummer", "Umzug", "Internet", "langsam", "Passwort", "Lastschrift", "Handy",
           "Glasfaser", "Techniker", "Mailbox", "Roaming", "SIM-Karte", "Gutschrift",
           "Kuendigung", "Strasse", "Vertragslaufzeit", "Rechnungsadresse", "Verbindung"],
    "en": ["cancel", "invoice", "router", "wifi", "contract", "outage", "tariff", "number",
           "moving", "internet", "slow", "password", "payment", "phone", "fibre",
           "technician", "voicemail", "roaming", "SIM", "refund", "billing", "connection",
           "upgrade", "modem", "signal"],
}
TYPOS = ["Kündigugn", "Rechnugn", "invoise", "conection"]
# The kinds' own typos: one letter swapped, dropped or doubled in words of the mix.
MORE_TYPOS = TYPOS + ["Routr", "Passwrot", "Vertarg", "Glasfasre", "Technikre", "paymnet",
                      "technican", "Lastschirft", "Gutschirft", "voicemial", "Störnug",
                      "Rufnumer"]
SEARCH_TABLES = ("search_documents", "search_terms", "search_totals")


def query_mix(n, categories, seed=2016):
    rng = random.Random(seed)
    mix = []
    for _ in range(n):
        language = rng.choice(("de", "en"))
        words = rng.sample(WORDS[language], rng.choice((1, 1, 2)))
        if rng.random() < 0.03:
            words = [rng.choice(TYPOS)]
        args = {"q": " ".join(words)}
        roll = rng.random()
        if roll < 0.12:
            args["category"] = rng.choice(categories)
        elif roll < 0.22:
            args["status"] = rng.choice(("solved", "unsolved"))
        elif roll < 0.3:
            args["sort"] = "newest"
        mix.append(args)
    return mix


def folder_size(path):
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(timings):
    return "p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  mean {:.1f}  max {:.1f}".format(
        percentile(timings, 50), percentile(timings, 95), percentile(timings, 99),
        statistics.mean(timings), max(timings))


# ------------------------------------------------------------------ the database

def database_name(url):
    return url.rsplit("/", 1)[1].split("?")[0]


def server_statements(url, *statements, database=None):
    """Run statements outside a transaction (CREATE DATABASE, VACUUM)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url.rsplit("/", 1)[0] + "/" + (database or "postgres"),
                           isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            return [conn.execute(text(s)).all() if s.lstrip().upper().startswith("SELECT")
                    else conn.execute(text(s)) for s in statements]
    finally:
        engine.dispose()


def has_community(url):
    """Whether the database exists and holds generated threads."""
    from sqlalchemy.exc import DBAPIError
    name = database_name(url)
    try:
        exists = server_statements(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        if not exists[0]:
            return False
        found = server_statements(url, "SELECT to_regclass('threads') IS NOT NULL", database=name)
        if not found[0][0][0]:
            return False
        return bool(server_statements(url, "SELECT EXISTS (SELECT 1 FROM threads)",
                                      database=name)[0][0][0])
    except DBAPIError:
        return False


# ------------------------------------------------------------------ the kinds of request

def kinds(app, seed=2016):
    """``{kind: [request]}``: the lists described in the module's docstring."""
    from bench.search_quality import DATA, JUDGED_DE, SPLITS, parse
    from community.extensions import db
    from community.models import Thread
    from search.engine import analysis, backends
    rng = random.Random(seed)
    titles = list(db.session.scalars(db.select(Thread.title).order_by(Thread.id)))
    with backends.current().searcher() as searcher:
        def threads_with(word):
            stems = analysis.stems(analysis.fold(word))
            return max(searcher.doc_frequency(field, stem) for stem in stems
                       for field in ("title", "body", "answers"))
        rare, seen = [], set()
        for title in rng.sample(titles, min(len(titles), 3000)):
            for word, folded, _ in analysis.terms(title):
                if folded not in seen and word.isalpha() and len(word) > 3:
                    seen.add(folded)
                    if 10 <= threads_with(word) <= 300:
                        rare.append(word)
        common = sorted({w for words in WORDS.values() for w in words},
                        key=lambda w: (-threads_with(w), w))[:12]
    multi = []
    for title in rng.sample(titles, 200):
        words = [w for w, _, _ in analysis.terms(title) if w.isalpha()]
        if len(words) >= 2:
            multi.append(" ".join(rng.sample(words, min(len(words), rng.choice((2, 3))))))
    asks = [(subject, body) for _, subject, body, _ in parse(DATA / SPLITS["dev"])]
    asks += [(q["title"], q["body"]) for q in
             json.loads(JUDGED_DE.read_text(encoding="utf-8"))["questions"]]
    return {
        "search: rare word": [{"q": w} for w in rng.sample(rare, min(len(rare), 100))],
        "search: common word": [{"q": w} for w in common],
        "search: several words": [{"q": q} for q in multi[:100]],
        "search: typo, did you mean": [{"q": w} for w in MORE_TYPOS],
        "similar questions": [{"title": t, "body": b} for t, b in asks],
        "suggestions while typing": [{"title": t, "body": ""} for t, _ in asks],
    }


def run(request):
    """One request of a kind; returns how many threads it found."""
    from search.services import query, similar
    if "title" in request:
        return len(similar.similar(request["title"], request["body"]))
    return query.search(query.parse_request(request)).total


def measure_kinds(app, lists, per_kind, rounds):
    from community.extensions import db
    found = {}
    for kind, requests in lists.items():
        timings = [[] for _ in range(rounds)]
        for request in requests[:20]:      # warm up
            run(request)
            db.session.remove()
        totals = []
        for r in range(rounds):
            for n in range(per_kind):
                request = requests[n % len(requests)]
                started = time.perf_counter()
                total = run(request)
                timings[r].append(1000 * (time.perf_counter() - started))
                db.session.remove()
                if r == 0 and n < len(requests):
                    totals.append(total)
        found[kind] = (len(requests), statistics.median(totals), timings)
    return found


def results(request):
    """The thread ids a request shows, in order (search: the first page)."""
    from search.services import query, similar
    if "title" in request:
        return [s.thread_id for s in similar.similar(request["title"], request["body"])]
    return [r.thread.id for r in query.search(query.parse_request(request)).results]


def agreement(folder, lists):
    """Per kind: how much of the Whoosh backend's answer (exact BM25F over every
    match) the PostgreSQL backend gives on the same database: the share of Whoosh's
    results it shows too, and the requests answered identically (same threads, same
    order). Builds the Whoosh index of the database in ``folder`` once."""
    from community import create_app
    from community.extensions import db
    from search.engine import index, rebuild
    apps = {name: create_app({"INSTANCE_PATH": str(folder), "SEARCH_BACKEND": name})
            for name in ("whoosh", "postgres")}
    with apps["whoosh"].app_context():
        if index.live_generation() is None:
            started = time.perf_counter()
            rebuild.reindex()
            print(f"Whoosh index of the same database built in "
                  f"{time.perf_counter() - started:.0f} s")
    found = {}
    for kind, requests in lists.items():
        answers = {}
        for name, app in apps.items():
            with app.app_context(), app.test_request_context():
                answers[name] = []
                for request in requests:
                    answers[name].append(results(request))
                    db.session.remove()
        shared = sum(len(set(w) & set(p)) for w, p in zip(answers["whoosh"], answers["postgres"]))
        wanted = sum(len(w) for w in answers["whoosh"])
        same = sum(w == p for w, p in zip(answers["whoosh"], answers["postgres"]))
        found[kind] = (shared, wanted, same, len(requests))
    return found


# ------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=200000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--per-kind", type=int, default=200,
                        help="requests timed per kind of request and round (0: none)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure the mix and the kinds this many times (the spread)")
    parser.add_argument("--keep", help="use (and keep) this instance folder; generate only "
                                       "when it (or --database-url) has no community yet")
    parser.add_argument("--reuse-index", action="store_true",
                        help="with --keep: measure queries on the index already built there")
    parser.add_argument("--database-url",
                        help="PostgreSQL (its own database, never 'test'): search with the "
                             "PostgreSQL backend")
    parser.add_argument("--agreement", action="store_true",
                        help="with --database-url: also compare the results with the Whoosh "
                             "backend's on the same database (builds its index once, in the "
                             "instance folder)")
    args = parser.parse_args()
    url = args.database_url
    if url and database_name(url) == "test":
        parser.error("the database 'test' is CI's: use your own")
    folder = Path(args.keep or tempfile.mkdtemp(prefix="search-speed-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(folder)}
    if url:
        env.update(FORUM_DATABASE_URL=url, FORUM_SEARCH_BACKEND="postgres",
                   FORUM_SECRET_KEY=os.environ.get("FORUM_SECRET_KEY", "bench-search-speed"))
        os.environ.update({k: v for k, v in env.items() if k.startswith("FORUM_")})
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "community"]
    print(f"# {os.cpu_count()} cores, load {' '.join(f'{x:.1f}' for x in os.getloadavg())};"
          f" {'PostgreSQL backend' if url else 'Whoosh backend, SQLite'}", flush=True)
    try:
        generate = not (url and args.keep and has_community(url)) if url \
            else not (folder / "forum.db").exists()
        if generate:
            if url:
                name = database_name(url)
                server_statements(url, f'DROP DATABASE IF EXISTS "{name}"',
                                  f'CREATE DATABASE "{name}"')
            subprocess.run(flask + ["db", "upgrade", "heads"], env=env, check=True,
                           capture_output=True)
            started = time.perf_counter()
            subprocess.run(flask + ["demo", "generate", "--users", str(args.users), "--threads",
                                    str(args.threads), "--posts", str(args.posts)],
                           env=env, check=True)
            print(f"generated in {time.perf_counter() - started:.0f} s")

        from community import create_app
        from community.extensions import db
        from community.models import Category
        from search.engine import backends, index, rebuild
        from search.services import query
        app = create_app({"INSTANCE_PATH": str(folder)})
        with app.app_context():
            backend = backends.current()
            started = time.perf_counter()
            if url:
                if args.reuse_index and not backend.is_empty():
                    count, build = None, None
                else:
                    count = backend.reindex()
                    build = time.perf_counter() - started
                    server_statements(url, "VACUUM ANALYZE", database=database_name(url))
                count = db.session.scalar(db.text("SELECT count(*) FROM search_documents"))
                size = sum(db.session.scalar(db.text(f"SELECT pg_total_relation_size('{t}')"))
                           for t in SEARCH_TABLES)
            else:
                if args.reuse_index and index.live_generation() is not None:
                    count, build = index.doc_count(index.live_generation()), None
                else:
                    count = rebuild.reindex()
                    build = time.perf_counter() - started
                size = folder_size(index.live_generation())
            db.session.remove()
            slugs = list(db.session.scalars(db.select(Category.slug)))
            mix = query_mix(args.queries, slugs)
            with app.test_request_context():
                lists = kinds(app) if args.per_kind else {}
                db.session.remove()
                for args_ in mix[:20]:      # warm up: open the index, fill caches
                    query.search(query.parse_request(args_))
                db.session.remove()
                rounds = []
                for _ in range(args.rounds):
                    timings, found = [], 0
                    for args_ in mix:
                        started = time.perf_counter()
                        page = query.search(query.parse_request(args_))
                        timings.append(1000 * (time.perf_counter() - started))
                        found += bool(page.total)
                        db.session.remove()
                    rounds.append(timings)
                by_kind = measure_kinds(app, lists, args.per_kind, args.rounds) if lists else {}
        agreed = agreement(folder, lists) if url and args.agreement and lists else {}
        print(f"threads indexed: {count}")
        print(f"build time: {build:.1f} s" if build is not None else "build time: (reused)")
        print(f"index size: {size / 1e6:.1f} MB")
        print(f"queries: {len(mix)} ({found} with results)")
        for timings in rounds:
            print(f"latency ms: {summary(timings)}")
        for kind, (distinct, median_found, timings) in by_kind.items():
            print(f"{kind} ({distinct} distinct, {args.per_kind} timed, median "
                  f"{median_found:g} found):")
            for round_timings in timings:
                print(f"    {summary(round_timings)}")
        for kind, (shared, wanted, same, requests) in agreed.items():
            print(f"{kind}: {shared} of Whoosh's {wanted} results shown "
                  f"({100 * shared / max(wanted, 1):.1f} %), {same} of {requests} requests "
                  f"answered identically")
        print(f"# load after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
