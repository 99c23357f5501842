"""The README documents what the code does: every setting exactly as community/config.py
declares it, the demo accounts, the core's API endpoints and the import format."""
import re
from pathlib import Path

from community import config

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def _block(name):
    return README.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]


def test_readme_settings_table_matches_the_code(app):
    """One table: the core's settings and those of every feature (all load by default)."""
    assert app.config["FORUM_FEATURES"] == ("moderation", "search", "agent_bridge")
    table = config.markdown_table(app.extensions["forum_settings"])
    assert _block("settings-table").strip() == table


def test_readme_lists_every_demo_account_with_its_role_and_password():
    from community.demo.content import ACCOUNTS
    rows = re.findall(r"^\| `([^`]+)` \| (\w+)[^|]*\| `([^`]+)` \|$", _block("demo-accounts"),
                      re.MULTILINE)
    assert rows == [(a["email"], a["role"], a["password"]) for a in ACCOUNTS]


def test_readme_lists_every_core_api_endpoint(make_app):
    app = make_app(FORUM_FEATURES=())
    documented = {(method, re.sub(r"\?.*", "", path)) for method, path in
                  re.findall(r"^\| `(GET|POST|DELETE|PUT|PATCH) (/api/v1/[^` ]*)`",
                             _block("api-endpoints"), re.MULTILINE)}
    routed = {(method, re.sub(r"<(?:int:)?(\w+)>", "<id>", rule.rule))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed


def test_readme_explains_the_import_format_and_every_core_command(app):
    from community.importing.importer import REQUIRED
    section = README.split("## Importing threads from another forum")[1].split("\n## ")[0]
    assert "flask --app community import threads" in section and "--map" in section
    for name in REQUIRED + ("created_at", "tags", "replies", "email", "accepted"):
        assert f'"{name}"' in section, name
    commands = README.split("## Command line")[1].split("\n## ")[0]
    for group in ("users", "categories", "demo", "import", "worker", "config", "db"):
        assert group in app.cli.commands, group
        assert f"`{group} " in commands, group
