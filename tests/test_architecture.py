"""The data flow is the import graph: leaf packages never import the hub or each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEAF_PACKAGES = ("connectors", "dedupe", "feeds")
PROJECT_PACKAGES = ("hub", *LEAF_PACKAGES)


def _imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", LEAF_PACKAGES)
def test_leaf_package_imports_no_other_project_package(package: str) -> None:
    forbidden = set(PROJECT_PACKAGES) - {package}
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_top_levels(path) & forbidden)
        for path in sorted((ROOT / package).rglob("*.py"))
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_every_project_package_has_modules() -> None:
    for package in PROJECT_PACKAGES:
        assert any((ROOT / package).rglob("*.py")), package


def test_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    module = tmp_path / "leaf.py"
    source = "import hub.settings\nfrom feeds import render\nfrom . import sibling\n"
    module.write_text(source, encoding="utf-8")
    assert _imported_top_levels(module) == {"hub", "feeds"}
