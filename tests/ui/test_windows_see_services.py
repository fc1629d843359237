"""The windows see the services and their errors, never the storage layer under them
(like the core's purity test in tests/test_architecture.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import cancer_desk.ui as ui

STORAGE = "cancer_desk.db"


def _imported_by(path: Path, package: str) -> list[str]:
    """Every module ``path`` imports, anywhere in it (a local import too), by full name;
    ``from cancer_desk import db`` counts as ``cancer_desk.db``."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the module's own package up
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.append(module)
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def _storage_imports() -> list[str]:
    folder = Path(ui.__file__).parent
    found = []
    for path in sorted(folder.rglob("*.py")):
        package = ".".join(("cancer_desk", "ui", *path.relative_to(folder).parent.parts))
        for name in _imported_by(path, package):
            if name == STORAGE or name.startswith(STORAGE + "."):
                found.append(f"{path.relative_to(folder)}: {name}")
    return found


def test_no_window_imports_the_storage_layer() -> None:
    assert _storage_imports() == []


def test_the_check_sees_every_way_of_importing(tmp_path) -> None:
    module = tmp_path / "window.py"
    module.write_text("import cancer_desk.db.database\n"
                      "from cancer_desk.db.backup import BackupError\n"
                      "from cancer_desk import db\n"
                      "def later():\n    from ...db import migrate\n", encoding="utf-8")
    found = [n for n in _imported_by(module, "cancer_desk.ui.rooms")
             if n == STORAGE or n.startswith(STORAGE + ".")]
    assert set(found) >= {"cancer_desk.db.database", "cancer_desk.db.backup",
                          "cancer_desk.db", "cancer_desk.db.migrate"}
