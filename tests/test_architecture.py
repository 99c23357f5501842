"""docs/architecture.md's import rules: community imports no feature; features never import each other."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ("moderation", "search", "agent_bridge")


def imported_packages(package):
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            found.update((name.split(".")[0], str(path.relative_to(ROOT))) for name in names)
    return found


def test_community_imports_no_feature_package():
    bad = [(name, where) for name, where in imported_packages("community") if name in FEATURES]
    assert bad == []


@pytest.mark.parametrize("feature", FEATURES)
def test_features_do_not_import_each_other(feature):
    others = set(FEATURES) - {feature}
    bad = [(name, where) for name, where in imported_packages(feature) if name in others]
    assert bad == []


def test_the_core_runs_with_every_feature_switched_off(make_app):
    app = make_app(FORUM_FEATURES=())
    assert app.extensions["forum_features"] == []
    assert app.test_client().get("/").status_code == 200
