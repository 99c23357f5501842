"""Moderation settings come from the environment; the CLI; docs/moderation.md lists
every moderation API call and command."""
import re
from pathlib import Path

from moderation.models import BlockedWord

MODERATION_DOC = (Path(__file__).resolve().parents[2] / "docs" / "moderation.md").read_text()


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


def test_docs_list_every_moderation_api_call_and_command(app):
    api = MODERATION_DOC.split("\n## JSON API\n")[1].split("\n## ")[0]
    routes = [(method, re.sub(r"<int:\w+>", "<id>", rule.rule))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("moderation_api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(routes) >= 8
    for method, path in routes:
        # ``/<action>`` and ``/<tool>`` may be spelled out as the actions they take
        prefix = re.sub(r"<(action|tool)>$", "", path)
        assert f"`{method} {path}" in api or f"`{method} {prefix}" in api, (method, path)
    commands = MODERATION_DOC.split("\n## Command line\n")[1].split("\n## ")[0]
    for name in app.cli.get_command(None, "moderation").commands:
        assert f"`moderation {name}" in commands, name
