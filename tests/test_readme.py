"""The README and docs/ document what the code does: every setting exactly as
community/config.py declares it (docs/operations.md), the demo accounts (README), the
core's API endpoints (docs/api.md), the import format and the command line
(docs/operations.md)."""
import re
from pathlib import Path

from community import config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()
IMPORT = (ROOT / "docs" / "import.md").read_text()
API = (ROOT / "docs" / "api.md").read_text()


def _block(text, name):
    return text.split(f"<!-- {name} -->")[1].split(f"<!-- /{name} -->")[0]


def _section(text, heading):
    return text.split(f"\n{heading}\n")[1].split("\n## ")[0]


def test_settings_table_matches_the_code(app):
    """One table: the core's settings and those of every feature (all load by default)."""
    assert app.config["FORUM_FEATURES"] == ("moderation", "search", "agent_bridge")
    table = config.markdown_table(app.extensions["forum_settings"])
    assert _block(OPERATIONS, "settings-table").strip() == table


def test_readme_lists_every_demo_account_with_its_role_and_password():
    from community.demo.content import ACCOUNTS
    rows = re.findall(r"^\| `([^`]+)` \| (\w+)[^|]*\| `([^`]+)` \|$", _block(README, "demo-accounts"),
                      re.MULTILINE)
    assert rows == [(a["email"], a["role"], a["password"]) for a in ACCOUNTS]


def test_api_page_lists_every_core_api_endpoint(make_app):
    app = make_app(FORUM_FEATURES=())
    documented = {(method, re.sub(r"\?.*", "", path)) for method, path in
                  re.findall(r"^\| `(GET|POST|DELETE|PUT|PATCH) (/api/v1/[^` ]*)`",
                             _block(API, "api-endpoints"), re.MULTILINE)}
    routed = {(method, re.sub(r"<(?:int:)?(\w+)>", "<id>", rule.rule))
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed


def test_import_page_explains_the_format_and_operations_every_core_command(app):
    from community.importing.records import REQUIRED
    assert "flask --app community import threads" in IMPORT and "--map" in IMPORT
    section = _section(IMPORT, "## The file")
    for name in REQUIRED + ("created_at", "tags", "replies", "email", "accepted"):
        assert f'"{name}"' in section, name
    commands = _section(OPERATIONS, "## Command line")
    for group in ("users", "categories", "demo", "import", "worker", "config", "db"):
        assert group in app.cli.commands, group
        assert f"`{group} " in commands, group


def test_every_command_the_command_line_table_names_exists(app):
    """A command that was removed (or renamed) cannot stay in the table."""
    table = _section(OPERATIONS, "## Command line")
    names = re.findall(r"^\| `([a-z][\w-]*)(?: ([a-z][\w-]*))?", table, re.MULTILINE)
    assert len(names) >= 9
    for name, sub in names:
        command = app.cli.get_command(None, name)
        assert command is not None, name
        if hasattr(command, "commands"):
            assert sub in command.commands, f"{name} {sub}"
