"""The API builds on the domain only: promises ← activities ← {reports, public, staff, api}."""

import ast
from pathlib import Path

import api

NOT_BELOW = {"public", "staff", "reports", "alerts"}


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_api_imports_nothing_from_the_site_the_staff_tools_or_the_reports():
    files = list(Path(api.__file__).parent.rglob("*.py"))
    assert len(files) > 5
    wrong = {str(path): _imported_apps(path) & NOT_BELOW for path in files}
    assert not {path: apps for path, apps in wrong.items() if apps}
