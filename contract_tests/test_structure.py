"""The shape of the code, checked: the mock's import graph and connexion's public interface.

``mock_server``'s imports have no cycle, the core never imports a vendor and vendors never import each other, so
a vendor folder can be added or removed alone. connexion is reached only through its public interface: no
underscored connexion name anywhere in the project, as a private name is a port on every connexion release.

The checks read the code (``ast``), so comments and strings do not count. For connexion they look at what is
imported from it and at every attribute the project reads or writes whose name connexion keeps private (a
leading underscore, defined somewhere in connexion's own source).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import connexion

from .conftest import REPO

#: The project's own Python code (generated_client/ is generator output and never mentions connexion).
SOURCES = ("mock_server", "contract_tests", "bench", "generated_client/regenerate.py")


def python_files() -> list[Path]:
    found: list[Path] = []
    for name in SOURCES:
        path = REPO / name
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [path for path in found if "node_modules" not in path.parts]


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def defined_names(tree: ast.AST) -> Iterator[str]:
    """Every name a module defines: functions, classes, assignments, attributes set on objects, arguments."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield node.name
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            yield node.attr
        elif isinstance(node, ast.arg):
            yield node.arg


@cache
def connexion_private_names() -> frozenset[str]:
    root = Path(connexion.__file__).parent
    names = {n for path in root.rglob("*.py") for n in defined_names(ast.parse(path.read_bytes())) if private(n)}
    return frozenset(names)


@cache
def project_names() -> frozenset[str]:
    return frozenset(n for path in python_files() for n in defined_names(ast.parse(path.read_bytes())))


def connexion_uses(tree: ast.AST) -> Iterator[str]:
    """Underscored connexion names a module uses: in imports, and as attributes it reads or writes."""
    theirs = connexion_private_names() - project_names()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "connexion":
            parts = [*(node.module or "").split("."), *(alias.name for alias in node.names)]
            yield from (f"from {node.module} import {part}" for part in parts if private(part))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "connexion" and any(private(part) for part in parts):
                    yield f"import {alias.name}"
        elif isinstance(node, ast.Attribute) and node.attr in theirs:
            yield f".{node.attr}"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "setattr", "hasattr"):
            literal = node.args[1] if len(node.args) > 1 else None
            if isinstance(literal, ast.Constant) and literal.value in theirs:
                yield f"{node.func.id}(..., {literal.value!r})"  # type: ignore[attr-defined]


def test_no_underscored_connexion_name_is_used_anywhere() -> None:
    uses = {str(path.relative_to(REPO)): list(connexion_uses(ast.parse(path.read_bytes()))) for path in python_files()}
    assert len(uses) > 50 and "mock_server/app.py" in uses  # the whole project was read
    assert {path: found for path, found in uses.items() if found} == {}


def test_the_check_finds_what_it_looks_for() -> None:
    """The detector itself: each way of reaching a private connexion name is found."""
    assert "_uri_parser_class" in connexion_private_names()
    code = """
from connexion.middleware.main import _Options
import connexion._private
from connexion import operations
operation._uri_parser_class
getattr(operation, "_uri_parser_class")
"""
    assert list(connexion_uses(ast.parse(code))) == [
        "from connexion.middleware.main import _Options",
        "import connexion._private",
        "._uri_parser_class",
        "getattr(..., '_uri_parser_class')",
    ]


# -- the mock's import graph ----------------------------------------------------------------------------------------

PACKAGE = REPO / "mock_server"


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The ``mock_server`` modules ``path`` imports, at any depth in the file (lazy imports count too)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_bytes())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module_name(path):
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(path) for path in paths}
    return {module_name(path): imported_modules(path, known) for path in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def vendor_packages() -> set[str]:
    """The vendor folders: each package of ``mock_server`` that declares a ``Vendor`` (not the core's own)."""
    return {
        f"mock_server.{path.parent.name}"
        for path in PACKAGE.glob("*/__init__.py")
        if path.parent.name != "core" and "Vendor" in path.read_text(encoding="utf-8")
    }


def package_of(module: str, packages: set[str]) -> str | None:
    return next((package for package in packages if module == package or module.startswith(package + ".")), None)


def test_the_mocks_imports_have_no_cycle() -> None:
    graph = import_graph()
    assert "mock_server.core.pipeline" in graph["mock_server.app"]  # the graph was read
    assert cycles(graph) == []


def test_the_core_never_imports_a_vendor_and_vendors_never_import_each_other() -> None:
    vendors = vendor_packages()
    assert vendors >= {"mock_server.cor", "mock_server.nexudus", "mock_server.dreadnode"}
    wrong = set()
    for module, targets in import_graph().items():
        own = package_of(module, vendors)
        in_core = module.startswith("mock_server.core")
        for target in targets:
            theirs = package_of(target, vendors)
            if theirs is not None and (in_core or (own is not None and theirs != own)):
                wrong.add(f"{module} -> {target}")
    assert wrong == set()


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
