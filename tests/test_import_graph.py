"""No import circles inside ``summitwatch``: every module's imports, module-level and
function-local alike, form a graph without cycles.

A function-local import hides an arrow from the reader but not from Python, so it counts here
as much as one at the top of a module; imports under ``if TYPE_CHECKING:`` never run and do not.
A package's ``__init__`` runs before any of its submodules, so importing ``a.b.c`` is an arrow
to ``a.b.c`` and to each package on the way (``a``, ``a.b``), except the importer's own
packages: those started running before the importer did, so the arrow to them is no circle
unless the importer names one of them itself (``from a.b import x``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "summitwatch"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_only(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` except the bodies of ``if TYPE_CHECKING:`` blocks."""
    for child in ast.iter_child_nodes(node):
        if _type_checking_only(child):
            assert isinstance(child, ast.If)
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def imported_modules(source: str, name: str, is_package: bool) -> set[str]:
    """The modules ``source`` (module ``name``) imports, relative imports resolved; for
    ``from a import b`` both ``a`` and ``a.b`` (``b`` may be a submodule)."""
    found: set[str] = set()
    for node in _walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted((ROOT / PACKAGE).rglob("*.py"))
    modules = {module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for imported in imported_modules(
            path.read_text(encoding="utf-8"), name, path.stem == "__init__"
        ):
            parts = imported.split(".")
            # the module itself and every package __init__ that runs on the way to it
            for n in range(1, len(parts) + 1):
                prefix = ".".join(parts[:n])
                own_package = name.startswith(prefix + ".")
                if prefix in modules and prefix != name and (n == len(parts) or not own_package):
                    targets.add(prefix)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module (Tarjan's)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_in_summitwatch() -> None:
    graph = import_graph()
    assert "summitwatch.cli.root" in graph, "the walk found no modules"
    assert cycles(graph) == []


def test_a_submodule_reaching_a_sibling_is_no_arrow_to_its_own_package() -> None:
    # ``summitwatch.cli.feeds`` importing ``summitwatch.cli.context``: ``summitwatch.cli`` has
    # been running since before ``feeds`` started, so only the arrow to ``context`` counts
    graph = import_graph()
    assert "summitwatch.cli.context" in graph["summitwatch.cli.feeds"]
    assert "summitwatch.cli" not in graph["summitwatch.cli.feeds"]
    # the root never imports a command module (its table names them as strings), and only the
    # package's __init__ imports the root
    assert not {m for m in graph["summitwatch.cli.root"] if m.endswith(("feeds", "workers"))}
    assert [m for m, targets in graph.items() if "summitwatch.cli.root" in targets] == [
        "summitwatch.cli"
    ]


def test_the_checker_sees_a_function_local_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    source = "def f():\n    from . import b\n"
    assert imported_modules(source, "summitwatch.a", False) == {"summitwatch", "summitwatch.b"}
    guarded = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import summitwatch.x\n"
    assert imported_modules(guarded, "summitwatch.a", False) == {"typing", "typing.TYPE_CHECKING"}
