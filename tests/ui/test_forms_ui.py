"""The compiled Designer form in the package is what resources/forms.ui says."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import RESOURCES

GENERATED = Path(__file__).resolve().parents[2] / "cancer_desk" / "ui" / "generated" / \
    "ui_forms.py"


def _code(text: str) -> list[str]:
    """Drop uic's header comments (they name the Qt version that compiled it)."""
    return [line for line in text.splitlines() if not line.startswith("#")]


def _uic() -> list[str]:
    uic = shutil.which("pyside6-uic", path=str(Path(sys.executable).parent))
    if uic is None:
        pytest.fail("pyside6-uic is missing; it comes with PySide6-Essentials")
    return [uic]


def test_generated_form_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "ui_forms.py"
    subprocess.run([*_uic(), str(RESOURCES / "forms.ui"), "-o", str(fresh)], check=True)
    assert _code(fresh.read_text(encoding="utf-8")) == \
        _code(GENERATED.read_text(encoding="utf-8")), \
        "run: pyside6-uic resources/forms.ui -o cancer_desk/ui/generated/ui_forms.py"


def test_every_identity_field_has_a_widget_and_an_error_label(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    from cancer_desk.core.patient import FIELDS
    from cancer_desk.ui.generated.ui_forms import Ui_PatientForm

    host = QWidget()
    qtbot.addWidget(host)
    ui = Ui_PatientForm()
    ui.setupUi(host)
    for field in FIELDS:
        assert any(hasattr(ui, field + s) for s in ("_edit", "_combo")), field
        assert hasattr(ui, field + "_error"), field
