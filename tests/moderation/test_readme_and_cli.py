"""Moderation settings come from the environment; the CLI."""
from moderation.models import BlockedWord


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
    assert "FORUM_MOD_FLAGS_TO_HIDE" in runner.invoke(args=["config", "docs"]).output
