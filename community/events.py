"""Signals of the community core. Feature packages connect receivers in their
``init_app``; services send them right after the change, before the commit, so a
receiver can add rows (outbox, audit) to the same transaction.
"""
from blinker import Namespace

_signals = Namespace()

thread_created = _signals.signal("thread-created")
"""Sender: the app. Kwargs: thread, post (the question), user."""

post_created = _signals.signal("post-created")
"""Sender: the app. Kwargs: thread, post, user. Not sent for the question."""

post_edited = _signals.signal("post-edited")
"""Sender: the app. Kwargs: post, thread, user (the editor), revision."""

post_visibility_changed = _signals.signal("post-visibility-changed")
"""Sender: the app. Kwargs: post, thread, old, new (visibility strings), user."""

answer_accepted = _signals.signal("answer-accepted")
"""Sender: the app. Kwargs: thread, post (None when removed), previous_post_id, user."""

post_voted = _signals.signal("post-voted")
"""Sender: the app. Kwargs: post, user, helpful (True when added, False when taken back)."""

thread_status_changed = _signals.signal("thread-status-changed")
"""Sender: the app. Kwargs: thread, old, new, user."""

threads_imported = _signals.signal("threads-imported")
"""Sender: the app. Kwargs: thread_ids (list). History written by ``flask import threads``
(``community/importing/``), one batch at a time, with its replies and accepted answers;
``thread_created``, ``post_created`` and ``answer_accepted`` are not sent for it, as it is
not new activity (nobody is notified, no escalation starts). Search indexes the threads."""

thread_updated = _signals.signal("thread-updated")
"""Sender: the app. Kwargs: thread, user, changes (dict field -> (old, new)).
Title, tags or category changed (``title``, ``tags``, ``category``), or replies moved
by ``community/services/thread_moves.py`` (``moved_posts``: (source id, target id);
``merged_from``: (None, source id)), or an erasure or redaction rewrote its texts
(``privacy``: (None, "erasure" | "redaction"), ``community/services/privacy.py``)."""

user_registered = _signals.signal("user-registered")
"""Sender: the app. Kwargs: user."""

escalation_requested = _signals.signal("escalation-requested")
"""Sender: the app. Kwargs: thread, user (who asked: moderator, agent or the asker),
reason (text), urgent (bool). The agent bridge turns it into the thread's ticket."""
