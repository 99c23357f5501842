"""Ask sessions across a rotation of the secret key (issue 13, point 8): an ask form
left open while the key changes keeps counting its opened suggestions, as long as the
old key is among FORUM_SECRET_KEY_FALLBACKS; new forms are signed with the new key; a
forged or foreign token records nothing."""
from types import SimpleNamespace

import pytest

from community.extensions import db
from community.services import accounts, categories, threads
from search.models import SuggestionOpen
from tests.community.test_cluster_config import _browser as browser, hosts  # noqa: F401
from tests.conftest import PASSWORD, login

OLD, NEW = "the old key, used until today", "the new key"


@pytest.fixture
def world(hosts):
    """Before the rotation: a member and a thread to be suggested."""
    old = hosts(OLD)
    with old.app_context():
        member = accounts.create_user("asker@example.com", "Asa Asker", PASSWORD)
        other = accounts.create_user("other@example.com", "Otto Other", PASSWORD)
        category = categories.create_category("Billing", "")
        author = accounts.create_user("author@example.com", "Ada Author", PASSWORD)
        thread = threads.create_thread(author, category, "How do I change my bank account?",
                                       "My bank changed.", ())
        db.session.commit()
        return {"old": old, "member": SimpleNamespace(email=member.email),
                "other": SimpleNamespace(email=other.email), "thread_id": thread.id}


def draft_of(page):
    return page.html.select_one("input[name=search_draft]")["value"]


def opens(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(SuggestionOpen.id)))


def test_an_ask_form_opened_before_the_rotation_still_counts_after_it(hosts, world):
    before = browser(world["old"])
    login(before, world["member"])
    draft = draft_of(before.get("/ask"))     # the form stays open across the rotation

    new = hosts(NEW, fallbacks=(OLD,))
    after = browser(new, before.cookies)
    assert after.get(f"/search/open/{world['thread_id']}?draft={draft}").status_int == 302
    assert opens(new) == 1

    # A form opened now is signed with the new key: a host that has only that key
    # takes it, one that has only the old key does not.
    fresh = draft_of(after.get("/ask"))
    assert fresh != draft
    only_new = browser(hosts(NEW))
    login(only_new, world["member"])
    only_new.get(f"/search/open/{world['thread_id']}?draft={fresh}")
    assert opens(new) == 2
    only_old = browser(hosts(OLD))
    login(only_old, world["member"])
    only_old.get(f"/search/open/{world['thread_id']}?draft={fresh}")
    assert opens(new) == 2


def test_once_the_old_key_is_gone_its_tokens_record_nothing(hosts, world):
    before = browser(world["old"])
    login(before, world["member"])
    draft = draft_of(before.get("/ask"))
    new = hosts(NEW)
    after = browser(new)
    login(after, world["member"])
    # The reader still gets the thread; nothing is counted.
    assert after.get(f"/search/open/{world['thread_id']}?draft={draft}").status_int == 302
    assert opens(new) == 0


def test_forged_and_foreign_tokens_record_nothing_after_the_rotation(hosts, world):
    other = browser(world["old"])
    login(other, world["other"])
    foreign = draft_of(other.get("/ask"))    # made for another member, under the old key

    new = hosts(NEW, fallbacks=(OLD,))
    member = browser(new)
    login(member, world["member"])
    mine = draft_of(member.get("/ask"))
    nonce, signature = mine.split("-")
    forged = f"{nonce}-{'0' * 16}" if signature != "0" * 16 else f"{nonce}-{'1' * 16}"
    for draft in (foreign, forged, f"{'a' * 12}-{signature}", "abc"):
        assert member.get(f"/search/open/{world['thread_id']}?draft={draft}").status_int == 302
    assert opens(new) == 0
    member.get(f"/search/open/{world['thread_id']}?draft={mine}")
    assert opens(new) == 1
