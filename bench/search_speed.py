"""Search speed on a large generated community: build time, index size, latency.

    .venv/bin/python bench/search_speed.py [--threads 20000] [--posts 200000]
        [--users 2000] [--queries 1000] [--keep FOLDER [--reuse-index]]

Creates a fresh instance (SQLite in a temporary folder), fills it with
``flask --app community demo generate`` (German and English threads, ~40 % solved),
builds the index with the code of ``flask --app community search reindex``, and runs
a fixed mix of queries (seeded: one and two words, German and English, a third with
a filter or sorted by date) through the search service the page and the API use,
single process, one query after another. Reports build time, index size and latency
percentiles (each query includes loading its 20 results from the database and the
highlighted snippets, i.e. everything but the HTML template).
"""
import argparse
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=200000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--keep", help="use (and keep) this instance folder; generate only "
                                       "when it has no database yet")
    parser.add_argument("--reuse-index", action="store_true",
                        help="with --keep: measure queries on the index already built there")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="search-speed-"))
    env = {**os.environ, "FORUM_INSTANCE_PATH": str(folder)}
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "community"]
    try:
        if not (folder / "forum.db").exists():
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
        from search.engine import index, rebuild
        from search.services import query
        app = create_app({"INSTANCE_PATH": str(folder)})
        with app.app_context():
            started = time.perf_counter()
            if args.reuse_index and index.live_generation() is not None:
                count, build = index.doc_count(index.live_generation()), None
            else:
                count = rebuild.reindex()
                build = time.perf_counter() - started
            size = folder_size(index.live_generation())
            slugs = list(db.session.scalars(db.select(Category.slug)))
            mix = query_mix(args.queries, slugs)
            with app.test_request_context():
                for args_ in mix[:20]:      # warm up: open the index, fill caches
                    query.search(query.parse_request(args_))
                db.session.remove()
                timings, found = [], 0
                for args_ in mix:
                    started = time.perf_counter()
                    page = query.search(query.parse_request(args_))
                    timings.append(1000 * (time.perf_counter() - started))
                    found += bool(page.total)
                    db.session.remove()
        print(f"threads indexed: {count}")
        print(f"build time: {build:.1f} s" if build is not None else "build time: (reused)")
        print(f"index size: {size / 1e6:.1f} MB")
        print(f"queries: {len(timings)} ({found} with results)")
        print("latency ms: p50 {:.1f}  p95 {:.1f}  p99 {:.1f}  mean {:.1f}  max {:.1f}".format(
            percentile(timings, 50), percentile(timings, 95), percentile(timings, 99),
            statistics.mean(timings), max(timings)))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
