"""The hook catalogue (community/hooks.py): every extension point declared once and
documented, used by name only as declared, and kept per app."""
import ast
import re
from pathlib import Path

import pytest

from community import hooks
from community.services import accounts, categories, threads
from community.errors import ValidationError
from community.extensions import db

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("community", "moderation", "search", "agent_bridge")
IBAN = "DE89 3704 0044 0532 0130 00"


def _hook_names_used():
    """(hook name, file) of every ``hooks.add``/``hooks.registered`` call with a literal
    name (the core's modules call them ``hooks``, the features ``core_hooks``)."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in ("add", "registered")
                        and isinstance(node.func.value, ast.Name)
                        and node.func.value.id in ("hooks", "core_hooks")):
                    args = [a for a in node.args if isinstance(a, ast.Constant)
                            and isinstance(a.value, str)]
                    if args:
                        found.add((args[0].value, str(path.relative_to(ROOT))))
    return found


def test_every_hook_is_documented():
    for name, hook in hooks.CATALOGUE.items():
        assert hook.name == name
        assert hook.shape in ("list", "keyed", "single"), name
        assert len(hook.doc) > 20, f"describe the hook {name!r}"


def test_every_hook_used_is_declared_and_every_declared_hook_is_asked():
    used = _hook_names_used()
    undeclared = sorted((name, where) for name, where in used if name not in hooks.CATALOGUE)
    assert undeclared == []
    asked = {name for name, where in used if where.startswith("community/")}
    # Outbox and permission hooks are asked through their own modules' functions.
    asked |= {"outbox.handler", "outbox.periodic", "permission.restrict", "permission.allow"}
    assert sorted(set(hooks.CATALOGUE) - asked) == []


def test_the_architecture_document_lists_every_hook():
    text = (ROOT / "docs" / "architecture.md").read_text()
    missing = [name for name in hooks.CATALOGUE if f"`{name}`" not in text]
    assert missing == []


def test_no_feature_asks_whether_it_is_loaded():
    """Hooks are per app, so no guard like ``"moderation" in current_app.extensions``."""
    guard = re.compile(r"""["'](moderation|search|agent_bridge[.\w]*)["']\s+(not\s+)?in\s+"""
                       r"""(current_app|sender|app)\.extensions""")
    offenders = [str(path.relative_to(ROOT)) for package in PACKAGES
                 for path in (ROOT / package).rglob("*.py") if guard.search(path.read_text())]
    assert offenders == []


def test_an_unknown_hook_is_refused(app):
    with pytest.raises(KeyError):
        hooks.add(app, "write.maybe", lambda write: None)
    with pytest.raises(KeyError):
        hooks.registered("template.footer")


def test_hooks_belong_to_their_app(make_app):
    """Two apps in one process: the one without features has none of their hooks, and
    the private-data check (a feature's write.check) refuses only in the other."""
    bare = make_app(FORUM_FEATURES=())
    assert hooks.registered("write.check", app=bare) == []
    assert hooks.registered("permission.restrict", app=bare) == {}
    full = make_app()
    assert hooks.registered("write.check", app=full)
    assert "reply" in hooks.registered("permission.restrict", app=full)

    for app, refused in ((full, True), (bare, False)):
        with app.app_context():
            user = accounts.create_user(f"asker{int(refused)}@example.com", "Asker",
                                        "correct horse battery")
            category = categories.create_category("Billing")
            if refused:
                with pytest.raises(ValidationError) as error:
                    threads.create_thread(user, category, "My bank account number",
                                          f"Please use {IBAN} from now on.")
                assert error.value.code == "public_data"
            else:
                assert threads.create_thread(user, category, "My bank account number",
                                             f"Please use {IBAN} from now on.").id
            db.session.rollback()
