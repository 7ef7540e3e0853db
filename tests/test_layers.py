"""The package layout of ``core/`` is its architecture: each layer imports only the layers it names.

Each package's ``__init__`` says in ``MAY_IMPORT`` which other parts of ``core`` it may use; this test
reads every import in every module (top-level and inside functions) and fails on one that crosses a
line not listed, and on any cycle between packages.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

CORE = Path(__file__).resolve().parent.parent / "core"
PACKAGES = sorted(p.name for p in CORE.iterdir() if (p / "__init__.py").exists())
BASE = {"config", "errors"}


def _declared(package: str) -> set[str]:
    tree = ast.parse((CORE / package / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "MAY_IMPORT" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError(f"core/{package}/__init__.py declares no MAY_IMPORT")


def _imports(package: str) -> dict[str, set[str]]:
    """Top-level parts of ``core`` that each module of ``package`` imports, with the module names."""
    found: dict[str, set[str]] = {}
    for path in sorted((CORE / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] if node.module != "core" else [f"core.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "core" and len(parts) > 1 and parts[1] != package:
                    found.setdefault(parts[1], set()).add(str(path.relative_to(CORE)))
    return found


def test_every_package_says_what_it_owns() -> None:
    assert len(PACKAGES) >= 5
    for package in PACKAGES:
        doc = ast.get_docstring(ast.parse((CORE / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.split()) >= 30, f"core/{package}/__init__.py needs a paragraph saying what it owns"


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_stay_inside_the_declared_layers(package: str) -> None:
    allowed = _declared(package) | {package}
    crossing = {part: mods for part, mods in _imports(package).items() if part not in allowed}
    assert not crossing, f"core/{package} imports what its MAY_IMPORT does not list: {crossing}"


def test_no_cycle_between_packages() -> None:
    graph = nx.DiGraph()
    for package in PACKAGES:
        graph.add_node(package)
        graph.add_edges_from((package, part) for part in _imports(package) if part in PACKAGES)
    assert nx.is_directed_acyclic_graph(graph), list(nx.simple_cycles(graph))


def test_the_declarations_themselves_form_no_cycle() -> None:
    graph = nx.DiGraph((p, d) for p in PACKAGES for d in _declared(p) if d in PACKAGES)
    assert nx.is_directed_acyclic_graph(graph), list(nx.simple_cycles(graph))


@pytest.mark.parametrize("module", sorted(BASE))
def test_the_base_modules_import_no_layer(module: str) -> None:
    """``core.config`` and ``core.errors`` sit under every layer, so they import none of them."""
    tree = ast.parse((CORE / f"{module}.py").read_text(encoding="utf-8"))
    used = {
        (n.module or "").split(".")[1] if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("core.") else ""
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom)
    }
    assert not (used & set(PACKAGES)), used


def test_flat_core_holds_only_the_base_and_the_command_line() -> None:
    flat = sorted(p.stem for p in CORE.glob("*.py"))
    assert set(flat) <= {"__init__", "__main__", "cli", "config", "errors"}, flat
