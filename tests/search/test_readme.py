"""docs/search.md documents the search commands and API; settings from the environment."""
from pathlib import Path

SEARCH_DOC = (Path(__file__).resolve().parents[2] / "docs" / "search.md").read_text()


def test_the_search_commands_are_documented(app):
    commands = app.cli.get_command(None, "search").commands
    assert set(commands) == {"reindex", "check"}
    for name in commands:
        assert f"`search {name}" in SEARCH_DOC


def test_the_search_api_is_documented(app):
    routed = {rule.rule for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("search_api.")}
    assert routed == {"/api/v1/search", "/api/v1/similar"}
    for path in routed:
        assert f"`GET {path}?" in SEARCH_DOC, path


def test_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_SEARCH_PER_PAGE", "7")
    monkeypatch.setenv("FORUM_SEARCH_COMPOUNDS", "false")
    app = make_app()
    assert app.config["SEARCH_PER_PAGE"] == 7 and app.config["SEARCH_COMPOUNDS"] is False
