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


def module_name(path):
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


class _Imports(ast.NodeVisitor):
    """The modules of ``modules`` that one module imports, at the top or in a function:
    [(module, line, inside_a_function)]."""

    def __init__(self, name, is_package, modules):
        self.package = name if is_package else name.rpartition(".")[0]
        self.modules, self.found, self.depth = modules, [], 0

    def visit_FunctionDef(self, node):
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef

    def add(self, target, node):
        while target and target not in self.modules:  # a name in a module: that module
            target = target.rpartition(".")[0]
        if target:
            self.found.append((target, node.lineno, self.depth > 0))

    def visit_Import(self, node):
        for alias in node.names:
            self.add(alias.name, node)

    def visit_ImportFrom(self, node):
        if node.level:
            base = self.package.split(".")[:len(self.package.split(".")) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:  # ``from . import views``: the module views
            self.add(f"{module}.{alias.name}", node)


def imports_inside(package):
    """{module: {module of the same package it imports}}. Left out: a package's
    ``__init__`` loading its own modules inside a function (``init_app`` registering
    routes and receivers), which runs only once the package is loaded."""
    paths = {module_name(path): path for path in (ROOT / package).rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        is_package = path.name == "__init__.py"
        visitor = _Imports(name, is_package, paths)
        visitor.visit(ast.parse(path.read_text(), filename=str(path)))
        graph[name] = {target for target, _, in_function in visitor.found
                       if target != name and not (
                           is_package and in_function and target.startswith(name + "."))}
    return graph


def import_cycles(graph):
    """The groups of modules that import each other in a circle (Tarjan's strongly
    connected components of more than one module), each sorted."""
    index, low, stack, cycles = {}, {}, [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = stack[stack.index(module):]
            del stack[stack.index(module):]
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


@pytest.mark.parametrize("package", ("community",) + FEATURES)
def test_no_import_cycles_inside_a_package(package):
    """Counting imports inside functions too: a lazy import that only breaks a circle
    hides a rule living in the wrong module (move it below both, as agent_bridge's
    rules.py is below escalation and tickets)."""
    assert import_cycles(imports_inside(package)) == []


def test_import_cycles_are_found_in_functions_too():
    graph = {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a"}, "pkg.c": {"pkg"}}
    assert import_cycles(graph) == [["pkg.a", "pkg.b"]]
    tree = ast.parse("def due():\n    from .escalation import rule_for\n")
    visitor = _Imports("agent_bridge.services.tickets", False,
                       {"agent_bridge.services.tickets", "agent_bridge.services.escalation"})
    visitor.visit(tree)
    assert visitor.found == [("agent_bridge.services.escalation", 2, True)]


def test_the_core_runs_with_every_feature_switched_off(make_app):
    app = make_app(FORUM_FEATURES=())
    assert app.extensions["forum_features"] == []
    assert app.test_client().get("/").status_code == 200
