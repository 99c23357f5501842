"""``flask --app community import threads FILE.jsonl [--map MAP.jsonl]``."""
import hashlib
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from community.services import accounts
from community.errors import ValidationError
from community.extensions import db
from community.models import Category, Post, Thread, User
from tests.community.test_demo import assert_counters_consistent


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["import", "threads", *map(str, args)])
    db.session.expire_all()
    return result


def write_jsonl(path, lines):
    text = "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
                     for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def read_map(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


ROAMING = {
    "external_id": "old-1001",
    "category": "Mobilfunk / Mobile",
    "title": "Roaming in Norway does not work",
    "body": "My phone shows **no service** in Oslo.\n\n- restarted\n- roaming on",
    "author": {"name": "Emily Carter", "email": "Emily.Carter@Example.COM"},
    "created_at": "2023-05-01T10:00:00Z",
    "tags": ["roaming", "Norway"],
    "replies": [
        {"body": "Choose the network manually, that fixed it for me.",
         "author": {"name": "Bob the Builder"}, "created_at": "2023-05-01T12:30:00+02:00",
         "external_id": "old-post-1"},
        {"body": "Thanks, that worked!", "author": {"email": "emily.carter@example.com"},
         "created_at": "2023-05-02T08:00:00"},
    ],
}
WLAN = {
    "external_id": "old-1002",
    "category": "Internet & Festnetz",
    "title": "WLAN bricht im Obergeschoss ab",
    "body": "Seit dem Update bricht das WLAN oben ständig ab. Ideen?",
    "author": {"name": "Kalle"},
    "created_at": 1680000000,
    "replies": [
        {"body": "Stell den Kanal auf 36, dann läuft es.", "author": {"name": "Bob the Builder"},
         "created_at": "2023-03-28T12:00:00Z", "accepted": True},
        {"body": "Oder einen Mesh-Repeater mit LAN-Kabel nehmen.",
         "author": {"name": "Jürgen", "email": "juergen@example.com"},
         "created_at": "2023-03-28T11:00:00Z"},
    ],
}


def test_import_threads_with_bad_lines_duplicates_and_map(app, tmp_path, testapp, make_user,
                                                          make_category):
    existing = make_user(email="juergen@example.com", name="Jürgen Schmidt")
    internet = make_category(name="Internet & Festnetz")
    source = write_jsonl(tmp_path / "threads.jsonl", [
        ROAMING,
        '{"external_id": "old-1003", "title": "broken',
        {**WLAN, "external_id": "old-1004", "title": None},
        "",
        WLAN,
        {**WLAN, "external_id": "old-1005", "title": "Hilfe"},
        {**ROAMING, "title": "The same thread again, under the same id"},
        {**WLAN, "external_id": "old-1006", "created_at": "2999-01-01T00:00:00Z"},
        {**WLAN, "external_id": "old-1007", "replies": [{"body": "x", "author": "A B"}]},
        {**WLAN, "external_id": "old-1008", "author": {"email": "not an address"}},
    ])
    map_file = tmp_path / "map.jsonl"
    result = run(app, source, "--map", map_file)
    assert result.exit_code == 1, result.output
    errors = result.stderr
    assert "line 2: invalid JSON" in errors
    assert "line 3: missing title" in errors
    assert "line 6: title: Please describe your question in at least 8 characters." in errors
    assert "line 8: created_at: is in the future" in errors
    assert "line 9: reply 1: body:" in errors
    assert "line 10: author: invalid e-mail address" in errors
    assert "line 1:" not in errors and "line 5:" not in errors and "line 7:" not in errors
    assert "Imported 2 threads (4 replies), skipped 1 already there, failed 6." in result.output

    assert db.session.scalar(select(func.count()).select_from(Thread)) == 2
    roaming = db.session.scalar(select(Thread).where(Thread.external_id == "old-1001"))
    wlan = db.session.scalar(select(Thread).where(Thread.external_id == "old-1002"))
    assert read_map(map_file) == [
        {"external_id": "old-1001", "thread_id": roaming.id},
        {"external_id": "old-1002", "thread_id": wlan.id},
        {"external_id": "old-1001", "thread_id": roaming.id},
    ]

    # Times are kept (converted to UTC); replies are numbered in the order they were written.
    assert roaming.created_at == datetime(2023, 5, 1, 10, 0)
    posts = list(db.session.scalars(select(Post).where(Post.thread_id == roaming.id)
                                    .order_by(Post.number)))
    assert [p.created_at for p in posts] == [datetime(2023, 5, 1, 10, 0),
                                             datetime(2023, 5, 1, 10, 30),
                                             datetime(2023, 5, 2, 8, 0)]
    assert posts[1].external_id == "old-post-1"
    assert roaming.reply_count == 2 and roaming.last_activity_at == datetime(2023, 5, 2, 8, 0)
    assert "<strong>no service</strong>" in posts[0].body_html
    assert wlan.created_at == datetime(2023, 3, 28, 10, 40)
    wlan_posts = list(db.session.scalars(select(Post).where(Post.thread_id == wlan.id)
                                         .order_by(Post.number)))
    assert [p.body[:4] for p in wlan_posts] == ["Seit", "Oder", "Stel"]
    assert wlan.accepted_post_id == wlan_posts[2].id and wlan.accepted_by_id == wlan.author_id

    # Categories: matched by slug, or created.
    assert wlan.category_id == internet.id
    mobile = db.session.get(Category, roaming.category_id)
    assert mobile.slug == "mobilfunk-mobile" and mobile.name == "Mobilfunk / Mobile"
    assert db.session.scalar(select(func.count()).select_from(Category)) == 2

    # Authors: matched by lowercased e-mail, or created without a password; pseudonyms
    # for authors without an e-mail address, one account per name.
    emily = accounts.find_by_email("emily.carter@example.com")
    assert roaming.author_id == emily.id and posts[2].author_id == emily.id
    assert emily.name == "Emily Carter" and emily.password_hash is None
    bob = db.session.get(User, posts[1].author_id)
    digest = hashlib.sha1("Bob the Builder".encode()).hexdigest()
    assert bob.email == f"imported-{digest}@users.invalid" and bob.password_hash is None
    assert wlan_posts[2].author_id == bob.id
    assert wlan_posts[1].author_id == existing.id
    kalle = db.session.get(User, wlan.author_id)
    assert kalle.email.endswith("@users.invalid") and kalle.name == "Kalle"
    assert db.session.scalar(select(func.count()).select_from(User)) == 4
    with pytest.raises(ValidationError):
        accounts.authenticate(bob.email, "", "203.0.113.9")
    assert_counters_consistent()

    page = testapp.get(f"/t/{wlan.id}-{wlan.slug}")
    assert "WLAN bricht im Obergeschoss ab" in page.text and "Accepted answer" in page.text

    # Running the same file again imports nothing twice.
    again = run(app, source, "--map", map_file)
    assert "Imported 0 threads (0 replies), skipped 3 already there, failed 6." in again.output
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 2
    assert db.session.scalar(select(func.count()).select_from(Post)) == 6
    assert [m["thread_id"] for m in read_map(map_file)] == [roaming.id, wlan.id, roaming.id]


def test_a_line_refused_while_writing_does_not_lose_the_others(app, tmp_path):
    """Validation passes, the write fails (a reply id already there): the batch is written
    again without that line."""
    first = write_jsonl(tmp_path / "first.jsonl", [ROAMING])
    assert run(app, first).exit_code == 0
    lines = [
        {**WLAN, "external_id": "new-1"},
        {**ROAMING, "external_id": "new-2",
         "replies": [{**ROAMING["replies"][0]}]},          # reply external id "old-post-1" again
        {**WLAN, "external_id": "new-3", "category": "Neue Kategorie"},
    ]
    result = run(app, write_jsonl(tmp_path / "second.jsonl", lines), "--batch", "10")
    assert result.exit_code == 1
    assert "line 2: reply 1: external_id 'old-post-1' is already there" in result.stderr
    assert "Imported 2 threads (4 replies), skipped 0 already there, failed 1." in result.output
    ids = set(db.session.scalars(select(Thread.external_id)))
    assert ids == {"old-1001", "new-1", "new-3"}
    assert db.session.scalar(select(Category.name).where(Category.slug == "neue-kategorie"))
    assert_counters_consistent()


def test_import_commits_in_batches_and_reports_progress(app, tmp_path):
    lines = [{**WLAN, "external_id": f"bulk-{n}", "title": f"Frage Nummer {n} zum WLAN",
              "replies": []} for n in range(25)]
    result = run(app, write_jsonl(tmp_path / "bulk.jsonl", lines), "--batch", "7")
    assert result.exit_code == 0, result.output
    assert "Importing" in result.output
    assert "Imported 25 threads (0 replies), skipped 0 already there, failed 0." in result.output
    category = db.session.scalar(select(Category))
    assert category.thread_count == 25 and category.post_count == 25
    # Same author for all 25 (one pseudonymous account).
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert_counters_consistent()
