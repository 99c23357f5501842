"""The README's Search section documents the search commands; settings from the environment."""
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_the_search_commands_are_documented(app):
    section = README[README.index("## Search\n"):]
    commands = app.cli.get_command(None, "search").commands
    assert set(commands) == {"reindex", "check"}
    for name in commands:
        assert f"`search {name}" in section


def test_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_SEARCH_PER_PAGE", "7")
    monkeypatch.setenv("FORUM_SEARCH_COMPOUNDS", "false")
    app = make_app()
    assert app.config["SEARCH_PER_PAGE"] == 7 and app.config["SEARCH_COMPOUNDS"] is False
