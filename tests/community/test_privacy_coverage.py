"""Privacy by design reaches every table: each table with a column naming a member is
covered by a part of the data export, or declared not personal with a reason; the
hooks are per app; the scrubber's pattern stays linear."""
import re._parser as sre_parse

from community import hooks
from community.extensions import db
from community.privacy.scrub import Scrubber
from community.services import privacy


def test_every_table_with_a_user_column_is_exported_or_declared_not_personal(app):
    columns = privacy.user_columns(db.metadata)
    # The check sees the features' tables (all three are loaded by default).
    assert {"mod_flags", "bridge_private_requests", "search_suggestion_opens"} <= set(columns)
    assert privacy.uncovered_tables() == []
    for table, reason in hooks.registered("privacy.not_personal"):
        assert len(reason) > 20, f"say why {table} is not personal"


def test_a_table_nobody_covers_is_named(app):
    table = db.Table("forgotten_notes", db.metadata, db.Column("id", db.Integer, primary_key=True),
                     db.Column("author_id", db.Integer))
    try:
        assert privacy.uncovered_tables() == ["forgotten_notes"]
    finally:
        db.metadata.remove(table)


def test_each_app_has_the_parts_of_its_own_features(make_app):
    bare, full = make_app(FORUM_FEATURES=()), make_app()
    bare_kinds = {part.kind for part in hooks.registered("privacy.export", app=bare)}
    full_kinds = {part.kind for part in hooks.registered("privacy.export", app=full)}
    assert {"profile", "posts", "votes", "emails", "logins"} <= bare_kinds
    assert {"flags", "sanctions", "tickets", "private_details"} <= full_kinds - bare_kinds
    assert len(full_kinds) == len(hooks.registered("privacy.export", app=full))  # one file each


def test_the_name_pattern_is_bounded():
    scrubber = Scrubber()
    scrubber.replace_word("A" * 60, "Former member 1")
    scrubber.replace_word("O'Brien", "Former member 2")
    pattern = scrubber._word_pattern()
    assert sre_parse.parse(pattern.pattern).getwidth()[1] <= 200
    assert scrubber.text("Annabelle met O'Brien and O&#39;Brien") == \
        "Annabelle met Former member 2 and Former member 2"
