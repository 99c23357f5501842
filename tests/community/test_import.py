"""``flask --app community import threads FILE.jsonl [--map MAP.jsonl]``, as an operator
runs it: history comes in as it was written, only lines that cannot be understood are
rejected, and what it imported is searchable when the command ends."""
import hashlib
import json
from datetime import datetime

import pytest
from sqlalchemy import func, select, text
from webtest import TestApp

from agent_bridge.models import Ticket, Watch
from community.errors import ValidationError
from community.extensions import db
from community.models import Category, Post, Thread, User
from community.notifications.models import MailMessage, Notification
from community.services import accounts, categories, threads
from moderation.models import ReviewItem
from tests.community import semeval_jsonl
from tests.community.test_demo import assert_counters_consistent
from tests.conftest import PASSWORD, POSTGRES_URL, isolated, login


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


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def thread_of(external_id):
    return db.session.scalar(select(Thread).where(Thread.external_id == external_id))


def posts_of(thread):
    return list(db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.number)))


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


def test_threads_keep_authors_times_text_and_accepted_answers(app, tmp_path, testapp,
                                                              make_user, make_category):
    existing_id = make_user(email="juergen@example.com", name="Jürgen Schmidt").id
    internet_id = make_category(name="Internet & Festnetz").id
    source = write_jsonl(tmp_path / "threads.jsonl", [ROAMING, WLAN])
    result = run(app, source)
    assert result.exit_code == 0, result.output
    assert "Imported 2 threads (4 replies); 0 already there; 0 warnings; 0 lines rejected." \
        in result.output
    roaming, wlan = thread_of("old-1001"), thread_of("old-1002")

    # Times are kept (converted to UTC); replies are numbered in the order they were written.
    assert roaming.created_at == datetime(2023, 5, 1, 10, 0)
    posts = posts_of(roaming)
    assert [p.created_at for p in posts] == [datetime(2023, 5, 1, 10, 0),
                                             datetime(2023, 5, 1, 10, 30),
                                             datetime(2023, 5, 2, 8, 0)]
    assert posts[1].external_id == "old-post-1"
    assert roaming.reply_count == 2 and roaming.last_activity_at == datetime(2023, 5, 2, 8, 0)
    assert "<strong>no service</strong>" in posts[0].body_html
    assert "<li>restarted</li>" in posts[0].body_html
    assert [t.name for t in threads.load_tags(roaming)] == ["norway", "roaming"]
    assert wlan.created_at == datetime(2023, 3, 28, 10, 40)
    wlan_posts = posts_of(wlan)
    assert [p.body[:4] for p in wlan_posts] == ["Seit", "Oder", "Stel"]
    assert wlan.accepted_post_id == wlan_posts[2].id and wlan.accepted_by_id == wlan.author_id
    assert wlan.accepted_at == datetime(2023, 3, 28, 12, 0)

    # Categories: matched by slug, or created.
    assert wlan.category_id == internet_id
    mobile = db.session.get(Category, roaming.category_id)
    assert mobile.slug == "mobilfunk-mobile" and mobile.name == "Mobilfunk / Mobile"
    internet = db.session.get(Category, internet_id)
    assert (internet.thread_count, internet.post_count, internet.solved_count) == (1, 3, 1)

    # Authors: matched by lowercased e-mail, or created without a password; pseudonyms
    # for authors without an e-mail address, one account per name.
    emily = accounts.find_by_email("emily.carter@example.com")
    assert roaming.author_id == emily.id and posts[2].author_id == emily.id
    assert emily.name == "Emily Carter" and emily.password_hash is None
    bob = db.session.get(User, posts[1].author_id)
    digest = hashlib.sha1(b"Bob the Builder").hexdigest()
    assert bob.email == f"imported-{digest}@users.invalid" and bob.password_hash is None
    assert wlan_posts[2].author_id == bob.id
    assert wlan_posts[1].author_id == existing_id
    kalle = db.session.get(User, wlan.author_id)
    assert kalle.email.endswith("@users.invalid") and kalle.name == "Kalle"
    assert count(User) == 4
    assert_counters_consistent()

    with pytest.raises(ValidationError):     # no password: cannot log in until reset
        accounts.authenticate(bob.email, "", "203.0.113.9")
    page = testapp.get(f"/t/{wlan.id}-{wlan.slug}")
    assert "WLAN bricht im Obergeschoss ab" in page.text and "Accepted answer" in page.text


def test_the_rules_for_new_posts_do_not_apply_to_history(make_app, tmp_path):
    """Pre-moderation, blocked words, link limits, rates, repeated text, the public-data
    warning, urgent terms and watchers: none of them holds, refuses or announces history."""
    app = make_app(MOD_NEW_MEMBER_MAX_LINKS=0, MOD_NEW_MEMBER_RATE_POSTS=1,
                   MOD_NEW_MEMBER_MIN_HOURS=24)

    def browser(user=None):
        session = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
        if user is not None:
            login(session, user)
        return session

    with app.app_context():
        admin = accounts.create_user("boss@example.com", "Boss", PASSWORD, role="admin")
        member = accounts.create_user("watcher@example.com", "Watcher", PASSWORD)
        mobile = categories.create_category("Mobilfunk")
        db.session.commit()
        boss = browser(admin)
        form = boss.get("/mod/categories").forms[f"category-form-{mobile.id}"]
        form[f"cat-{mobile.id}-mode"] = "all"
        form.submit().follow()
        form = boss.get("/mod/blocked-words").forms["blocked-words-form"]
        form["words"] = "casino"
        form.submit().follow()
        watcher = browser(member)
        page = watcher.get(f"/c/{mobile.slug}")
        next(f for f in page.forms.values() if f.action.endswith("/watch")).submit()
        spam_like = "See https://a.example and https://b.example, casino tips inside! " * 2
        lines = [{"external_id": f"hist-{n}", "category": "Mobilfunk",
                  "title": f"Kündigung sofort, Vertrag {n}",   # an urgent term
                  "body": spam_like + "My IBAN is DE89 3704 0044 0532 0130 00.",
                  "author": {"name": "Same Author"}, "created_at": f"2023-01-0{n + 1}T10:00:00",
                  "replies": [{"body": "ok", "author": {"name": "Same Author"}},
                              {"body": spam_like, "author": {"name": "Other Author"}}]}
                 for n in range(3)]
        result = run(app, write_jsonl(tmp_path / "h.jsonl", lines))
        assert result.exit_code == 0, result.output
        assert "Imported 3 threads (6 replies); 0 already there; 3 warnings;" in result.output
        assert "line 1: warning: reply 1: body: 2 characters, shorter than a new post may be " \
            "(10); imported as written" in result.stderr
        assert count(Post) == 9
        assert set(db.session.scalars(select(Post.visibility))) == {"visible"}
        assert count(Notification) == 0 and watcher.get("/").status_code == 200
        assert (count(ReviewItem), count(Ticket), count(Watch)) == (0, 0, 0)
        assert (count(Notification), count(MailMessage)) == (0, 0)
        page = browser().get(f"/t/{thread_of('hist-2').id}").follow()
        shown = " ".join(page.html.select_one("main").get_text().split())
        assert "My IBAN is DE89 3704 0044 0532 0130 00." in shown
        assert shown.count("casino tips") == 4 and "ok" in shown.split()


def test_long_titles_and_short_replies_import_with_warnings(app, tmp_path, testapp):
    title = ("Mein Router verliert jede Nacht um drei Uhr die Verbindung " * 5).strip()
    lines = [
        {**ROAMING, "title": title, "replies": [
            {"body": "+1", "author": "Anna", "created_at": "2023-05-01T11:00:00Z"},
            {"body": "Same here\u0000!", "author": "Ben", "created_at": "2023-04-01T11:00:00Z"},
            {"body": "Channel 36.", "author": "Cem", "accepted": True},
            {"body": "Thanks", "author": "Dana", "accepted": True},
        ]},
        {**WLAN, "title": "Hilfe!", "body": ""},
    ]
    result = run(app, write_jsonl(tmp_path / "w.jsonl", lines))
    assert result.exit_code == 0, result.output
    notices = result.stderr.splitlines()
    assert notices[0].startswith(f"line 1: warning: title: {len(title)} characters, longer than "
                                 "a title may be (200); shortened to \"Mein Router")
    assert notices[0].endswith("the full title starts the question")
    assert "line 1: warning: reply 1: body: 2 characters, shorter than a new post may be (10); " \
        "imported as written" in notices
    assert "line 1: warning: reply 2: body: control characters removed (no database stores " \
        "them)" in notices
    assert "line 1: warning: reply 2: created_at: before the question; set to the question's " \
        "time" in notices
    assert "line 1: warning: reply 4: accepted: a thread has one accepted answer; the earlier " \
        "one stays accepted" in notices
    assert "line 2: warning: title: 6 characters, shorter than a new title may be (8); " \
        "imported as written" in notices
    assert "line 2: warning: body: 0 characters, shorter than a new post may be (10); " \
        "imported as written" in notices
    assert "Imported 2 threads (6 replies); 0 already there; 8 warnings; 0 lines rejected." \
        in result.output

    thread = thread_of("old-1001")
    assert len(thread.title) <= 200 and thread.title.endswith("…")
    assert title.startswith(thread.title[:-1]) and title[len(thread.title) - 1] == " "
    question, *replies = posts_of(thread)
    assert question.body.startswith(title + "\n\n") and "Oslo" in question.body
    # Without a time, a reply has the time of the one before it (in the file).
    assert [r.body for r in replies] == ["Same here!", "Channel 36.", "Thanks", "+1"]
    assert replies[0].created_at == replies[2].created_at == thread.created_at
    assert thread.accepted_post_id == replies[1].id
    page = testapp.get(f"/t/{thread.id}").follow()
    assert title in " ".join(page.text.split())
    assert thread_of("old-1002").title == "Hilfe!"
    assert_counters_consistent()


def test_only_lines_that_cannot_be_understood_are_rejected(app, tmp_path):
    source = write_jsonl(tmp_path / "bad.jsonl", [
        ROAMING,
        '{"external_id": "old-1003", "title": "broken',
        {**WLAN, "external_id": "old-1004", "title": None},
        "",
        WLAN,
        '["a", "list"]',
        {**ROAMING, "title": "The same thread again, under the same id"},
        {**WLAN, "external_id": "old-1006", "created_at": "2999-01-01T00:00:00Z"},
        {**WLAN, "external_id": "old-1007", "replies": [{"body": "Hi there, all fine",
                                                         "created_at": "yesterday"}]},
        {**WLAN, "external_id": "old-1008", "author": {"email": "not an address"}},
        {**WLAN, "external_id": "old-1009", "replies": [{"author": "Anna"}]},
        {**WLAN, "external_id": "old-1010", "created_at": "1st of May"},
        {**WLAN, "external_id": "old-1011", "author": {}},
    ])
    map_file = tmp_path / "map.jsonl"
    result = run(app, source, "--map", map_file)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "line 2: rejected: invalid JSON: Invalid control character (column 45)",
        "line 3: rejected: title: missing",
        "line 6: rejected: not a JSON object",
        "line 8: rejected: created_at: in the future (2999-01-01T00:00:00Z)",
        "line 9: rejected: reply 1: author: missing",
        ("line 10: warning: author.email: not an e-mail address ('not an address'); the "
         "author is matched by name"),
        "line 11: rejected: reply 1: body: missing",
        "line 12: rejected: created_at: not a date and time: '1st of May'",
        "line 13: rejected: author: missing",
    ]
    assert "Imported 3 threads (6 replies); 1 already there; 1 warnings; 8 lines rejected." \
        in result.output
    assert count(Thread) == 3
    roaming, wlan = thread_of("old-1001"), thread_of("old-1002")
    assert db.session.get(User, thread_of("old-1008").author_id).name == "not an address"
    assert read_map(map_file) == [
        {"external_id": "old-1001", "thread_id": roaming.id},
        {"external_id": "old-1002", "thread_id": wlan.id},
        {"external_id": "old-1001", "thread_id": roaming.id},
        {"external_id": "old-1008", "thread_id": thread_of("old-1008").id},
    ]

    # Running the same file again imports nothing twice.
    again = run(app, source, "--map", map_file)
    assert "Imported 0 threads (0 replies); 4 already there; 0 warnings; 8 lines rejected." \
        in again.output
    assert (count(Thread), count(Post)) == (3, 9)
    assert [m["thread_id"] for m in read_map(map_file)] == [
        roaming.id, wlan.id, roaming.id, thread_of("old-1008").id]


def test_a_reply_id_already_there_is_left_out_with_a_warning(app, tmp_path):
    assert run(app, write_jsonl(tmp_path / "one.jsonl", [ROAMING])).exit_code == 0
    lines = [{**WLAN, "external_id": "new-1", "replies": [
        {**ROAMING["replies"][0], "created_at": "2023-03-28T12:00:00Z"}]}]
    result = run(app, write_jsonl(tmp_path / "two.jsonl", lines))
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        ("line 1: warning: reply 1: external_id: 'old-post-1' is already there (another "
         "thread); imported without it")]
    [_, reply] = posts_of(thread_of("new-1"))
    assert reply.external_id is None and reply.body.startswith("Choose the network")


@pytest.fixture
def refusing_database(app):
    """The database refuses any post whose text contains "refuse-me" (a trigger), as a
    real database refuses what breaks one of its constraints."""
    if POSTGRES_URL:
        statements = [
            ("CREATE FUNCTION refuse_me() RETURNS trigger AS $$ BEGIN IF NEW.body LIKE "
             "'%refuse-me%' THEN RAISE check_violation USING MESSAGE = 'refused by the "
             "test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"),
            ("CREATE TRIGGER refuse_me BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION "
             "refuse_me()")]
        cleanup = ["DROP TRIGGER refuse_me ON posts", "DROP FUNCTION refuse_me()"]
    else:
        statements = [("CREATE TRIGGER refuse_me BEFORE INSERT ON posts WHEN NEW.body LIKE "
                       "'%refuse-me%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")]
        cleanup = ["DROP TRIGGER refuse_me"]
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    yield
    db.session.rollback()    # the test's reads hold a lock the DROP waits for (PostgreSQL)
    with db.engine.begin() as conn:
        for statement in cleanup:
            conn.execute(text(statement))


def test_a_line_the_database_refuses_does_not_lose_the_others(app, tmp_path,
                                                              refusing_database):
    lines = [{**WLAN, "external_id": f"new-{n}", "category": f"Kategorie {n % 2}"}
             for n in range(5)]
    lines[2]["replies"] = [{"body": "please refuse-me", "author": "Anna"}]
    result = run(app, write_jsonl(tmp_path / "r.jsonl", lines), "--batch", "10")
    assert result.exit_code == 1
    [notice] = result.stderr.splitlines()
    assert notice.startswith("line 3: rejected: the database refused it (IntegrityError: ")
    assert "refused by the test" in notice
    assert "Imported 4 threads (8 replies); 0 already there; 0 warnings; 1 lines rejected." \
        in result.output
    assert set(db.session.scalars(select(Thread.external_id))) == {"new-0", "new-1", "new-3",
                                                                   "new-4"}
    assert sorted(db.session.scalars(select(Category.name))) == ["Kategorie 0", "Kategorie 1"]
    assert_counters_consistent()


def test_batches_and_progress(app, tmp_path):
    lines = [{**WLAN, "external_id": f"bulk-{n}", "title": f"Frage Nummer {n} zum WLAN",
              "replies": []} for n in range(25)]
    result = run(app, write_jsonl(tmp_path / "bulk.jsonl", lines), "--batch", "7")
    assert result.exit_code == 0, result.output
    assert "Importing" in result.output
    assert "Imported 25 threads (0 replies); 0 already there; 0 warnings; 0 lines rejected." \
        in result.output
    category = db.session.scalar(select(Category))
    assert category.thread_count == 25 and category.post_count == 25
    assert count(User) == 1      # one pseudonymous account for the one author
    assert_counters_consistent()


def test_imported_threads_are_searchable_when_the_command_ends(app, tmp_path, testapp):
    result = run(app, write_jsonl(tmp_path / "s.jsonl", [ROAMING, WLAN]))
    assert result.output.splitlines()[-1] == "Searchable now."
    found = testapp.get("/api/v1/search", {"q": "Obergeschoss"}).json["results"]
    assert [r["title"] for r in found] == ["WLAN bricht im Obergeschoss ab"]
    assert found[0]["solved"] is True


def test_without_indexing_the_worker_makes_them_searchable(make_app, tmp_path):
    """With the Whoosh backend (index updates through the outbox; the PostgreSQL backend
    indexes in the transaction of each batch, ``--no-index`` or not)."""
    app = make_app(SEARCH_BACKEND="whoosh")
    visitor = TestApp(isolated(app), extra_environ={"HTTP_HOST": "localhost"})
    with app.app_context():
        result = run(app, write_jsonl(tmp_path / "s.jsonl", [ROAMING]), "--no-index")
        assert "Searchable" not in result.output
        assert visitor.get("/api/v1/search", {"q": "Norway"}).json["results"] == []
        worker = app.test_cli_runner().invoke(args=["worker", "--once", "--kinds", "search.*"])
        assert worker.exit_code == 0, worker.output
        found = visitor.get("/api/v1/search", {"q": "Norway"}).json["results"]
        assert [r["title"] for r in found] == ["Roaming in Norway does not work"]


def test_the_semeval_dev_split_imports_every_thread_and_comment(app, tmp_path, testapp):
    """Real forum data nobody here wrote (Qatar Living, SemEval-2016 Task 3): every thread
    and comment arrives, twice run is once imported, and counts and accepted answers
    read back through the map and the API are those of the file."""
    source = tmp_path / "semeval-dev.jsonl"
    lines = semeval_jsonl.write("dev", source)
    assert len(lines) == 500
    comments = sum(len(line["replies"]) for line in lines)
    map_file = tmp_path / "map.jsonl"
    result = run(app, source, "--map", map_file, "--no-index")
    assert result.exit_code == 0, result.stderr
    assert f"Imported 500 threads ({comments} replies); 0 already there;" in result.output
    assert "0 lines rejected." in result.output
    assert all(" warning: " in line for line in result.stderr.splitlines())
    assert (count(Thread), count(Post)) == (500, 500 + comments)

    again = run(app, source, "--map", map_file, "--no-index")
    assert "Imported 0 threads (0 replies); 500 already there; 0 warnings; 0 lines rejected." \
        in again.output
    assert (count(Thread), count(Post)) == (500, 500 + comments)

    ids = {m["external_id"]: m["thread_id"] for m in read_map(map_file)}
    assert len(ids) == 500
    by_id = {line["external_id"]: line for line in lines}
    listed = {}
    for category in testapp.get("/api/v1/categories").json["categories"]:
        page, pages = 1, 1
        while page <= pages:
            answer = testapp.get("/api/v1/threads",
                                 {"category": category["slug"], "page": page}).json
            listed.update((t["id"], t) for t in answer["threads"])
            page, pages = page + 1, answer["pages"]
    assert set(listed) == set(ids.values())
    solved = 0
    for external_id, thread_id in ids.items():
        line, row = by_id[external_id], listed[thread_id]
        assert row["reply_count"] == len(line["replies"]), external_id
        assert row["title"] == line["title"]
        accepted = [n for n, r in enumerate(line["replies"], start=2) if r["accepted"]]
        assert (row["status"] == "solved") == bool(accepted), external_id
        solved += bool(accepted)
        if accepted and solved % 25 == 1:     # a sample read in full
            post = testapp.get(f"/api/v1/posts/{row['accepted_post_id']}").json
            assert post["number"] == accepted[0]
            assert post["author"]["name"] == line["replies"][accepted[0] - 2]["author"]["name"]
    assert solved == sum(any(r["accepted"] for r in line["replies"]) for line in lines) == 461
    assert_counters_consistent()
