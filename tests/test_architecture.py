"""The core stays free of Qt, SQLAlchemy and reportlab (design.md §1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic", "reportlab")


def test_core_imports_no_gui_database_or_pdf_library() -> None:
    code = (
        "import pkgutil, importlib, sys, cancer_desk.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('cancer_desk.core.' + m.name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_command_line_scoring_does_not_load_qt() -> None:
    code = ("import sys, io\nsys.stdin = io.StringIO('{}')\n"
            "import cancer_desk.cli as cli\n"
            "try:\n    cli.main(['score'])\nexcept SystemExit:\n    pass\n"
            "print('PySide6' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def _services_database_or_qt_loaded_by(*modules: str) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "    if m.startswith('cancer_desk.services')\n"
        "    or m.split('.')[0] in ('sqlalchemy', 'PySide6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)


def test_printing_depends_on_core_records_not_on_services_or_the_database() -> None:
    assert _services_database_or_qt_loaded_by(
        "cancer_desk.print.form1", "cancer_desk.print.assessment_sheet",
        "cancer_desk.print.referral", "cancer_desk.print.registry",
        "cancer_desk.print.form2", "cancer_desk.print.seal_mark",
        "cancer_desk.print.signing") == []


def test_the_package_format_loads_no_service_database_or_qt() -> None:
    """The ministry's side can verify a package with the format code alone."""
    assert _services_database_or_qt_loaded_by(
        "cancer_desk.exchange.format", "cancer_desk.exchange.verify",
        "cancer_desk.exchange.writer") == []


def test_the_window_starts_without_what_only_printing_or_exporting_needs() -> None:
    """Start-up time is paid for what the main window needs: the PDF, spreadsheet and
    signing libraries, Alembic for a database already up to date, and the demo's
    generator load later."""
    code = ("import sys\nimport cancer_desk.ui.main\nimport cancer_desk.ui.main_window\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'reportlab', 'openpyxl',"
            " 'alembic', 'cryptography', 'pyhanko', 'pypdfium2'}"
            " | {m for m in sys.modules if m.startswith('cancer_desk.core.demo')}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ,
                                          "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.strip() == "[]"


def test_windows_are_sized_from_their_screen() -> None:
    """A bare ``resize`` sizes a window for the screen it was designed on; windows go
    through ``ui/screen_fit.py`` so that they fit a 1366×768 ward PC with its taskbar."""
    from pathlib import Path

    import cancer_desk.ui as ui

    folder = Path(ui.__file__).parent
    bare = [f"{path.relative_to(folder)}:{number}"
            for path in sorted(folder.rglob("*.py")) if path.name != "screen_fit.py"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if ".resize(" in line and not line.lstrip().startswith("#")]
    assert bare == []


def test_tests_share_helpers_not_each_other() -> None:
    """What several test files use lives in a helper module (tests/builders.py,
    tests/ui/helpers.py, tests/print/pdf_reading.py …), not in another test file, which
    running alone would then drag in with all its tests."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent
    reaching = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.ImportFrom) and node.module
                    and node.module.startswith("tests.")
                    and node.module.rsplit(".", 1)[-1].startswith("test_")):
                reaching.append(f"{path.relative_to(root)}: {node.module}")
    assert reaching == []
