"""Import speed: ``flask --app community import threads`` on a large generated forum.

    .venv/bin/python bench/import_speed.py [--threads 20000] [--posts 200000] [--jobs 2]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres] [--database NAME]
        [--keep FOLDER]

Writes a JSON Lines file of ``--threads`` threads with ``--posts`` posts in all (German
and English, the demo generator's texts: Markdown with lists, code, links and plain
sentences; long-tailed thread sizes; 40 % with an accepted answer; seeded), then
imports it into a fresh instance with the importer's own code, as the command runs it
(``--jobs`` rendering processes), and makes it searchable the way the command's last
step does (the due ``search.*`` outbox rows run in this process). Reports posts per
second of the import (wall clock and per CPU second of this process and its renderers,
each shown) and the seconds until searchable. The database server's own CPU time is
not counted: on a machine shared with other work, compare the CPU seconds along with
the wall clock. SQLite in the folder by default; with ``--postgres`` (a server URL) a
database ``forum_import_bench`` (or ``--database``) is created there, dropped first if
it exists (the search backend follows the database, as configured by default). A second
run of the same file is timed too (everything already there).
"""
import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DB = "forum_import_bench"


def generate(path, threads, posts, seed=2016):
    """The JSONL file; returns the number of posts written."""
    from community import clock
    from community.demo import generate as gen
    from community.demo import words

    rng = random.Random(seed)
    now = clock.now()
    composer = gen.Composer(rng)
    composer.html = lambda fragment: ""      # only the Markdown is written
    sizes = gen.thread_sizes(rng, threads, posts)
    names = {lang: [f"{first} {last}" for first in words_of(lang, "first")
                    for last in words_of(lang, "last")] for lang in ("de", "en")}
    categories = {"internet": "Internet & Festnetz", "mobile": "Mobilfunk", "billing":
                  "Rechnung & Vertrag", "devices": "Geräte", "community": "Community"}
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        for index, size in enumerate(sizes):
            topic = rng.choices(words.TOPICS, weights=words.TOPIC_WEIGHTS)[0]
            tags = rng.sample(words.TAGS[topic], min(2, len(words.TAGS[topic])))
            lang = rng.choice(("de", "en"))
            slots = gen.Slots(rng, lang)
            title, problem = composer.subject(topic, lang, slots)
            body, _ = composer.question(topic, lang, slots, problem)
            asked = now - timedelta(days=730 * rng.random() ** 1.3, minutes=10)
            asker = rng.choice(names[lang])
            replies, when = [], asked
            for number in range(2, size + 1):
                when = min(when + timedelta(minutes=rng.expovariate(1 / 240)), now)
                author = asker if number > 2 and rng.random() < 0.1 else rng.choice(names[lang])
                text, _ = (composer.asker_reply(lang) if author == asker
                           else composer.reply(topic, lang, slots))
                replies.append({"external_id": f"bench-{index}-{number}", "body": text,
                                "author": {"name": author}, "created_at": when.isoformat()})
            answers = [r for r in replies[:5] if r["author"]["name"] != asker]
            if answers and rng.random() < 0.45:
                rng.choice(answers)["accepted"] = True
            out.write(json.dumps({
                "external_id": f"bench-{index}", "category": categories[topic],
                "title": title, "body": body, "author": {"name": asker}, "tags": tags,
                "created_at": asked.isoformat(), "replies": replies},
                ensure_ascii=False) + "\n")
            written += size
    return written


def words_of(lang, kind):
    first = {"de": ["Anna", "Jonas", "Lea", "Paul", "Mia", "Felix", "Emma", "Lukas", "Sophie",
                    "Ben", "Marie", "Elias", "Hannah", "Noah", "Lina"],
             "en": ["Emily", "James", "Olivia", "Jack", "Grace", "Harry", "Ava", "George",
                    "Mia", "Oscar", "Ruby", "Leo", "Chloe", "Alfie", "Lily"]}
    last = {"de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner",
                   "Becker", "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf"],
            "en": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
                   "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White"]}
    return (first if kind == "first" else last)[lang]


def database_url(folder, postgres, name=BENCH_DB):
    if not postgres:
        for old in folder.glob("bench.db*"):   # a kept folder: start empty
            old.unlink()
        return f"sqlite:///{folder}/bench.db"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    engine = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def cpu_seconds():
    """CPU seconds of this process and of its ended children (the renderers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime)


def run_import(app, path, jobs):
    from community.importing.cli import _renderer
    from community.importing.importer import import_threads
    started, cpu = time.perf_counter(), cpu_seconds()
    with app.app_context(), _renderer(jobs) as mapper:
        summary = import_threads(str(path), progress=False, report=lambda notice: None,
                                 mapper=mapper)
    # After the pool is gone: its processes' CPU time counts once they have ended.
    own, renderers = (after - before for after, before in zip(cpu_seconds(), cpu))
    return summary, time.perf_counter() - started, (own, renderers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--postgres", help="a PostgreSQL server URL (else SQLite)")
    parser.add_argument("--database", default=BENCH_DB,
                        help="the database to create (dropped first) with --postgres")
    parser.add_argument("--keep", help="folder to keep the file and instance in")
    parser.add_argument("--search-limit", type=float, default=600,
                        help="seconds to let the search index catch up before giving up")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="import-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        source = folder / f"threads-{args.threads}-{args.posts}.jsonl"
        if not source.exists():
            started = time.perf_counter()
            generate(source, args.threads, args.posts)
            print(f"generated {source.name} ({source.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - started:.0f} s")
        from community import create_app
        from community.extensions import db
        from community.importing.importer import make_searchable
        shutil.rmtree(folder / "instance", ignore_errors=True)
        app = create_app({"INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench",
                          "SQLALCHEMY_DATABASE_URI": database_url(folder, args.postgres, args.database)})
        with app.app_context():
            db.create_all()
        summary, seconds, (own, renderers) = run_import(app, source, args.jobs)
        posts, cpu = summary.threads + summary.replies, own + renderers
        print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}, --jobs {args.jobs}: "
              f"{summary}")
        print(f"import: {seconds:.1f} s, {posts / seconds:.0f} posts/s "
              f"({cpu:.1f} CPU s: {own:.1f} this process, {renderers:.1f} the renderers; "
              f"{posts / cpu:.0f} posts per CPU second)")
        with app.app_context():
            started, stop = time.perf_counter(), threading.Event()
            timer = threading.Timer(args.search_limit, stop.set)
            timer.start()
            result = make_searchable(stop)
            timer.cancel()
            took = time.perf_counter() - started
            if result is None:
                print("no search feature: nothing to index")
            elif result[1]:
                print(f"NOT searchable after {took:.1f} s: {result[0]} index rows run "
                      f"({result[0] / took:.1f} rows/s), {result[1]} still waiting "
                      f"(--search-limit {args.search_limit:g} s)")
            else:
                print(f"searchable after another {took:.1f} s ({result[0]} index rows run)")
        again, seconds, _ = run_import(app, source, args.jobs)
        print(f"second run: {again} in {seconds:.1f} s")
        load = os.getloadavg()
        print(f"(load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on "
              f"{os.cpu_count()} cores)")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
