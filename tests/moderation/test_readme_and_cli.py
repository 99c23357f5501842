"""moderation/README.md's settings table is printed from moderation/settings.py; the CLI."""
from pathlib import Path

from moderation import settings
from moderation.models import BlockedWord

README = Path(__file__).resolve().parents[2] / "moderation" / "README.md"


def test_readme_settings_table_matches_the_code():
    text = README.read_text()
    table = text.split("<!-- moderation-settings -->\n")[1]
    table = table.split("\n<!-- /moderation-settings -->")[0]
    assert table == settings.markdown_table()


def test_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_MOD_FLAGS_TO_HIDE", "5")
    assert make_app().config["MOD_FLAGS_TO_HIDE"] == 5
    assert make_app(MOD_FLAGS_TO_HIDE=7).config["MOD_FLAGS_TO_HIDE"] == 7


def test_cli(app, admin, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["moderation", "blocked-words-starters", admin.email])
    assert result.exit_code == 0 and "Added" in result.output
    assert BlockedWord.query.count() > 10
    result = runner.invoke(args=["moderation", "blocked-words-starters", make_user().email])
    assert result.exit_code != 0 and "No admin" in result.output
    assert runner.invoke(args=["moderation", "queue"]).output == "0 items wait for review.\n"
    assert "FORUM_MOD_FLAGS_TO_HIDE" in runner.invoke(args=["moderation", "settings"]).output
