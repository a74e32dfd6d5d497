"""The leaf packages never import the application nor each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEAVES = ("collectors", "classifier", "alerts")


def imported_roots(path: Path) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("leaf", LEAVES)
def test_leaf_imports_no_sibling_and_no_app(leaf: str) -> None:
    forbidden = {"summitwatch", *LEAVES} - {leaf}
    files = sorted((ROOT / leaf).rglob("*.py"))
    assert files, f"{leaf} has no modules"
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & forbidden) for path in files
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import summitwatch.app\nfrom alerts import x\nfrom . import y\n")
    assert imported_roots(sample) == {"summitwatch", "alerts"}


def test_orm_models_stay_in_storage() -> None:
    users = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "summitwatch").rglob("*.py")
        if "storage" not in p.parts
        and "migrations" not in p.parts
        and "summitwatch.storage.models" in p.read_text(encoding="utf-8")
    ]
    assert users == []
