"""The map of the code, held against the code: which app may import which, no import cycles, and no
imports tucked inside functions (which is how cycles hide).

Read from the source with `ast`, so the test sees every import, including ones that only run on
some paths. README "Map of the code" explains the rules.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The composition root: it imports every layer, and nothing imports it.
COMPOSITION_ROOT = "rounds"
# The feature apps and the one direction each may import others (README "Map of the code").
FEATURE_APPS = {
    "blog": set(),
    "comments": {"blog"},
    "glossary": {"blog"},
    "changes": {"blog", "comments"},
    "importer": {"blog", "comments"},
    "plainlanguage": {"blog", "comments", "glossary"},
    "subscriptions": {"blog", "comments"},
}
# Where a feature app may reach into another, when it may not use all of it: plain language reads
# comments only through the visibility rule (comments.visibility) and the public models.
NARROW_IMPORTS = {("plainlanguage", "comments"): {"comments.visibility", "comments.models"}}
NOT_CODE = {"tests", "bench", "node_modules", "staticfiles", "templates", "static", "deploy"}
# Every other package of the project is the base (core, the page cache): it serves the apps and
# imports none of them, nor the root. A new package is base until the map says otherwise.
PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in NOT_CODE and not path.parent.name.startswith(".")
)
BASE = [package for package in PACKAGES if package not in FEATURE_APPS and package != COMPOSITION_ROOT]
# Where an import inside a function is expected: app start-up, settings and command entry points.
LOCAL_IMPORTS_ALLOWED = ("apps.py", "/settings/", "/management/commands/")
# Imports inside functions elsewhere, each with a comment saying why (at most three).
LOCAL_IMPORTS_EXCUSED: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            found[name] = path
    return found


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom | ast.Import) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        package = module.split(".")
        is_package = MODULES[module].name == "__init__.py"
        base = package[: len(package) - node.level + (1 if is_package else 0)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = node.module or ""
    # `from x import y` may import the module x.y; count both so submodule edges are seen.
    return [prefix, *(f"{prefix}.{alias.name}" for alias in node.names)]


def _imports(module: str) -> list[tuple[str, bool, int]]:
    """(imported module, inside a function?, line) for each import in `module`."""
    tree = ast.parse(MODULES[module].read_text(), filename=str(MODULES[module]))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                continue  # annotations only, never run
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.extend((name, in_function, child.lineno) for name in _resolve(module, child))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(tree, False)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _internal(name: str) -> str | None:
    """The project module an imported name refers to (the longest known prefix), if any."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in MODULES:
            return candidate
    return None


def _edges(module: str) -> set[str]:
    return {
        target for name, _local, _line in _imports(module) if (target := _internal(name)) and target != module
    }


def _imports_of(package: str) -> list[tuple[str, str, int]]:
    """(module, imported package, line) for each import of another project package in `package`."""
    return [
        (module, target.split(".")[0], line)
        for module in MODULES
        if module.split(".")[0] == package
        for name, _local, line in _imports(module)
        if (target := _internal(name)) and target.split(".")[0] != package
    ]


def test_the_map_knows_every_package():
    assert COMPOSITION_ROOT in PACKAGES
    assert set(FEATURE_APPS) <= set(PACKAGES)
    assert {"core", "pagecache"} <= set(BASE)


@pytest.mark.parametrize("app", sorted(FEATURE_APPS))
def test_a_feature_app_imports_only_what_the_map_allows(app):
    allowed = FEATURE_APPS[app] | set(BASE)
    wrong = [
        f"{module}:{line} imports {target}"
        for module, target, line in _imports_of(app)
        if target not in allowed
    ]
    assert not wrong, "\n".join(wrong)


def test_narrow_imports_reach_only_the_named_modules():
    wrong = [
        f"{module}:{line} imports {name}"
        for (app, other), allowed in NARROW_IMPORTS.items()
        for module in MODULES
        if module.split(".")[0] == app
        for name, _local, line in _imports(module)
        if (target := _internal(name)) and target.split(".")[0] == other and target not in allowed
    ]
    assert not wrong, "\n".join(wrong)


def test_glossary_never_imports_plain_language():
    assert not [target for _module, target, _line in _imports_of("glossary") if target == "plainlanguage"]


@pytest.mark.parametrize("package", BASE)
def test_the_base_imports_no_feature_app_and_not_the_root(package):
    wrong = [
        f"{module}:{line} imports {target}"
        for module, target, line in _imports_of(package)
        if target in FEATURE_APPS or target == COMPOSITION_ROOT
    ]
    assert not wrong, "\n".join(wrong)


def test_nothing_imports_the_composition_root():
    wrong = [
        f"{module}:{line} imports {target}"
        for package in PACKAGES
        if package != COMPOSITION_ROOT
        for module, target, line in _imports_of(package)
        if target == COMPOSITION_ROOT
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_between_modules():
    graph = {module: _edges(module) for module in MODULES}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert not cycles, "\n".join(cycles)


def test_imports_inside_functions_only_where_expected():
    local = sorted(
        (module, name, line)
        for module, file in MODULES.items()
        if not any(part in file.as_posix() for part in LOCAL_IMPORTS_ALLOWED)
        for name, inside, line in _imports(module)
        if inside and (module, name) not in LOCAL_IMPORTS_EXCUSED
    )
    assert not local, "\n".join(f"{m}:{line} imports {n} inside a function" for m, n, line in local)
    assert len(LOCAL_IMPORTS_EXCUSED) <= 3


def test_the_checker_sees_a_forbidden_import(tmp_path):
    """The rules above would pass on a checker that found nothing: prove it reads real imports."""
    names = {name for name, _local, _line in _imports("rounds.views")}
    assert "blog.models" in names
    assert "core.pagination" in {_internal(n) for n in names}


def test_the_tests_import_at_the_top_of_their_modules():
    """The tests keep the rule too: an import inside a test or fixture hides what the module needs
    (and a late import is how a cycle hides in the code under test)."""
    local = [
        f"{path.relative_to(ROOT)}:{child.lineno}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        for child in ast.walk(node)
        if isinstance(child, ast.Import | ast.ImportFrom)
    ]
    assert not local, "imports inside functions:\n" + "\n".join(sorted(set(local)))
