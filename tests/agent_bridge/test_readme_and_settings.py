"""docs/agent-bridge.md lists every agent API call; settings come from the environment."""
from pathlib import Path

AGENT_BRIDGE_DOC = (Path(__file__).resolve().parents[2] / "docs" / "agent-bridge.md").read_text()


def test_docs_list_every_agent_api_call(app):
    section = AGENT_BRIDGE_DOC.split("\n## Agent API\n")[1].split("\n## ")[0]
    routed = {rule.rule.replace("<int:ticket_id>", "<id>").replace("<int:thread_id>", "<id>")
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("agent_bridge_api.")}
    assert routed
    for path in routed:
        assert f" {path}" in section or f" {path}?" in section, path


def test_settings_come_from_the_environment(make_app, monkeypatch):
    monkeypatch.setenv("FORUM_BRIDGE_ESCALATE_AFTER_HOURS", "6")
    monkeypatch.setenv("FORUM_BRIDGE_AUTO_ASSIGN", "true")
    app = make_app()
    assert (app.config["BRIDGE_ESCALATE_AFTER_HOURS"], app.config["BRIDGE_AUTO_ASSIGN"]) == (6, True)
    assert make_app(BRIDGE_ESCALATE_AFTER_HOURS=8).config["BRIDGE_ESCALATE_AFTER_HOURS"] == 8
