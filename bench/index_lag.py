"""Search index lag under writes: how long after a reply commits is it searchable?

    .venv/bin/python bench/index_lag.py [--threads 1000] [--rate 200] [--seconds 60]
        [--writers 2] [--backend whoosh|postgres] [--database-url URL] [--keep FOLDER]
        [--workers split|shared] [--rows-only]

Builds a community (``demo generate``: ``--threads`` threads, five posts each) in a
fresh instance (SQLite in a temporary folder, or the PostgreSQL database of
``--database-url``, which should be empty: it is upgraded and filled), builds the
search index, starts the workers (``--workers split``, the default: one
``flask --app community worker --kinds search.index`` for the index and one
``--exclude-kinds search.index`` for the rest, as docs/search.md advises for a busy
site; ``shared``: one worker for every kind), and posts replies to random threads through the reply service (rules, events and
outbox rows as for a member; only the search feature is loaded, so no moderation
rule holds the generated members' replies), ``--writers`` processes at ``--rate`` replies per
second in all, for ``--seconds``.

Whoosh: each reply's index update is an outbox row the worker applies; the lag of
a reply is the time from its commit to the end of the worker's run that applied it
(``done_at - created_at`` of its ``search.index`` row), and the backlog is sampled
every second. PostgreSQL: the index rows commit with the reply, so the lag is zero
by construction; what is measured is what writing them costs the writers.

With ``--rows-only`` the writers queue only the index row a reply queues (its thread's
``search.index`` row, through the search feature's own ``enqueue``), without the reply:
what the index worker does at the asked rate when the writers of this machine cannot
reach it (the threads keep their size, five posts, instead of growing).

Each reply also queues its notifications (``notifications.*`` rows, about one per
reply): the other rows still pending at the end of the writes are shown, and the CPU
seconds each worker process used.
"""
import argparse
import multiprocessing
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
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "community"]
KIND = "search.index"
WORKERS = {"split": [["--kinds", KIND], ["--exclude-kinds", KIND]], "shared": [[]]}


def settings(folder, args):
    config = {"FORUM_INSTANCE_PATH": str(folder), "FORUM_SECRET_KEY": "bench",
              "FORUM_SEARCH_BACKEND": args.backend, "FORUM_WORKER_POLL_SECONDS": "0.2",
              # the core and search only: no review holds or rate limits for the writers
              "FORUM_FEATURES": "search"}
    if args.database_url:
        config["FORUM_DATABASE_URL"] = args.database_url
    return config


def app_for(config):
    os.environ.update(config)
    from community import create_app
    return create_app()


def write(config, rate, seconds, threads, seed, counts, rows_only=False):
    """One writer process: replies to random threads at ``rate`` per second (or, with
    ``rows_only``, queues their index update alone)."""
    from community.extensions import db
    from community.models import Thread, User
    from community.services import threads as thread_service
    from search.services import updates
    app = app_for(config)
    rng = random.Random(seed)
    with app.app_context(), app.test_request_context():
        thread_ids = list(db.session.scalars(db.select(Thread.id).where(
            Thread.visibility == "visible", Thread.status == "open")))
        members = list(db.session.scalars(db.select(User.id).where(User.role == "customer")
                                          .limit(200)))
        started, sent, spent = time.perf_counter(), 0, 0.0
        while time.perf_counter() - started < seconds:
            due = started + sent / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            user = db.session.get(User, rng.choice(members))
            thread = db.session.get(Thread, rng.choice(thread_ids))
            before = time.perf_counter()
            try:
                if rows_only:
                    updates.enqueue(thread.id)
                else:
                    thread_service.reply(
                        user, thread, f"Same here, since update {rng.randint(1, 10**6)} the "
                        f"router drops WLAN every {rng.randint(2, 90)} minutes.")
                db.session.commit()
            except Exception:  # noqa: BLE001 - a refused reply (rate limit, lock) is counted
                db.session.rollback()
                counts["refused"] += 1
            spent += time.perf_counter() - before
            sent += 1
            db.session.expunge_all()
        counts["sent"] += sent
        counts["seconds_writing"] += spent


def cpu_seconds(pid):
    """User and system CPU seconds of a running process (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def segments(app):
    """Segments of the live Whoosh index."""
    from whoosh import index as whoosh_index

    from search.engine import index
    with app.app_context():
        path = index.live_generation()
        return len(whoosh_index.open_dir(str(path), readonly=True)._segments()) if path else 0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=200, help="replies per second, all writers")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--backend", choices=["whoosh", "postgres"], default="whoosh")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: SQLite)")
    parser.add_argument("--keep", help="use (and keep) this instance folder")
    parser.add_argument("--workers", choices=sorted(WORKERS), default="split",
                        help="split: a worker for the index and one for the rest; "
                             "shared: one worker for every kind")
    parser.add_argument("--rows-only", action="store_true",
                        help="queue each reply's index row without writing the reply")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="index-lag-"))
    folder.mkdir(parents=True, exist_ok=True)
    config = settings(folder, args)
    env = {**os.environ, **config}
    workers = []
    try:
        subprocess.run(FLASK + ["db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run(FLASK + ["demo", "generate", "--users", "300", "--threads",
                                str(args.threads), "--posts", str(5 * args.threads)],
                       env=env, check=True, capture_output=True)
        subprocess.run(FLASK + ["search", "reindex"], env=env, check=True, capture_output=True)
        workers = [subprocess.Popen(FLASK + ["worker"] + kinds, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                   for kinds in WORKERS[args.workers]]

        app = app_for(config)
        from community.extensions import db
        from community.models import OutboxMessage
        manager = multiprocessing.Manager()
        counts = manager.dict(sent=0, refused=0, seconds_writing=0.0)
        with app.app_context():
            mark = db.session.scalar(db.select(db.func.max(OutboxMessage.id))) or 0
        writers = [multiprocessing.Process(target=write, args=(
            config, args.rate / args.writers, args.seconds, args.threads, n, counts,
            args.rows_only))
            for n in range(args.writers)]
        started = time.perf_counter()
        for process in writers:
            process.start()
        backlog = []

        def pending(search=True):
            with app.app_context():
                return db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
                    (OutboxMessage.kind == KIND) if search else (OutboxMessage.kind != KIND),
                    OutboxMessage.status == "pending", OutboxMessage.id > mark))
        while any(p.is_alive() for p in writers):
            time.sleep(1)
            backlog.append(pending())
        writing = time.perf_counter() - started
        others = pending(search=False)
        while pending():
            time.sleep(0.2)
            if time.perf_counter() - started > writing + 600:
                break
        drained = time.perf_counter() - started - writing
        cpu = [cpu_seconds(worker.pid) for worker in workers]
        with app.app_context():
            rows = db.session.execute(db.select(OutboxMessage.created_at, OutboxMessage.done_at)
                                      .where(OutboxMessage.kind == KIND,
                                             OutboxMessage.id > mark)).all()
        lags = [(done - created).total_seconds() for created, done in rows if done]
        sent = counts["sent"] - counts["refused"]
        print(f"backend: {args.backend}, database: {'PostgreSQL' if args.database_url else 'SQLite'}")
        print(f"{'index rows (no replies)' if args.rows_only else 'replies'}: {sent} in "
              f"{writing:.1f} s ({sent / writing:.0f}/s; asked for {args.rate:.0f}/s), "
              f"{counts['refused']} refused; "
              f"{1000 * counts['seconds_writing'] / max(1, counts['sent']):.1f} ms per reply "
              f"in the writers")
        if args.backend == "whoosh":
            print(f"index updates: {len(rows)} rows, {len(lags)} done; lag s: p50 "
                  f"{percentile(lags, 50):.2f}  p95 {percentile(lags, 95):.2f}  max "
                  f"{max(lags or [0]):.2f}  mean {statistics.mean(lags or [0]):.2f}")
            print(f"backlog (pending rows, each second): max {max(backlog or [0])}, at the end "
                  f"of the writes {backlog[-1] if backlog else 0}; drained {drained:.1f} s "
                  f"after the last write; index segments at the end: {segments(app)}")
        else:
            print("index lag: none (index rows commit with the reply); outbox search rows: "
                  f"{len(rows)}")
        print(f"workers ({args.workers}): CPU s {' + '.join(f'{c:.1f}' for c in cpu)}; other "
              f"outbox rows (notifications) pending at the end of the writes: {others}")
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
