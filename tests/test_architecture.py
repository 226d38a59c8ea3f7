"""The folder listing is the pipeline: imports only go down it, and modules stay small.

Layers, first to last; a module may import from its own layer or an earlier one
(``generator/__init__`` and the standard library are free for all). A module
that imports a later stage, two packages that import each other, or a module
over ``MAX_LINES`` lines fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
LAYERS = (
    ("generator", "generator.errors", "generator.urls", "generator.options"),
    ("generator.load",),
    ("generator.compute",),
    ("generator.plan",),
    ("generator.pages",),
    ("generator.check", "generator.plausibility"),
    ("generator.render",),
    ("generator.output",),
    ("generator.build", "generator.analyse"),
    ("generator.tools",),
    ("generator.cli", "generator.__main__"),
)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    best = None
    for index, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and \
                    (best is None or len(name) > len(best[1])):
                best = (index, name)
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best[0]


def imports(path: Path) -> set[str]:
    """Every ``generator.*`` module ``path`` imports, at any depth (function bodies too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "generator":
                found.update(f"generator.{a.name}" for a in node.names)
            elif node.module.startswith("generator."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("generator."))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_only_go_down_the_pipeline(path: Path) -> None:
    me = module_name(path)
    later = sorted(m for m in imports(path)
                   if m != "generator.__version__" and layer_of(m) > layer_of(me))
    assert not later, f"{me} imports later stages: {later}"


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def test_no_import_cycles_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        me = package_of(module_name(path))
        graph.setdefault(me, set()).update(
            package_of(m) for m in imports(path) if package_of(m) != me)
    for start in graph:  # a path back to start is a cycle
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            assert node != start, f"{start} imports itself through {sorted(seen)}"
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_modules_stay_small(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module_name(path)} has {lines} lines (at most {MAX_LINES})"


def test_the_rule_catches_a_later_import(tmp_path: Path) -> None:
    """The checker itself: a load module importing the renderer is caught."""
    fake = PACKAGE / "load" / "sources.py"
    assert layer_of("generator.render.renderer") > layer_of(module_name(fake))
    assert "generator.render.renderer" in imports_of_text(
        "def f():\n    from generator.render.renderer import Renderer\n")


def imports_of_text(text: str) -> set[str]:
    tree = ast.parse(text)
    return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
