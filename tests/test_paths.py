"""The program finds its own files the same way from the source and from a frozen build."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from cancer_desk import paths
from cancer_desk.core.reference import load_reference
from cancer_desk.core.rules import RuleBook
from cancer_desk.db.migrate import known_revisions

CHECKOUT = Path(__file__).resolve().parents[1]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture
def unfrozen() -> dict:
    assert not paths.is_frozen()
    return {"root": paths.program_root(), "resources": _tree(paths.resources_dir()),
            "migrations": _tree(paths.migrations_dir()), "revisions": known_revisions()}


@pytest.fixture
def frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake PyInstaller bundle laid out as build.spec lays it out: each of
    paths.program_files() at its own relative path; sys.frozen and sys._MEIPASS set as
    PyInstaller's bootloader sets them."""
    bundle = tmp_path / "dist" / "Cancer Desk" / "_internal"
    for relative in paths.program_files():
        target = bundle / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CHECKOUT / relative, target)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    return bundle


def test_from_the_source_the_files_are_the_checkout_s(unfrozen) -> None:
    assert unfrozen["root"] == CHECKOUT
    assert paths.resources_dir() == CHECKOUT / "resources"
    assert paths.migrations_dir() == CHECKOUT / "cancer_desk" / "db" / "migrations"
    assert "rules/moh-1388.toml" in unfrozen["resources"]
    assert "versions/0001_initial_schema.py" in unfrozen["migrations"]


def test_frozen_the_same_files_are_found_in_the_bundle(unfrozen, frozen) -> None:
    assert paths.is_frozen()
    assert paths.program_root() == frozen.resolve()
    assert paths.resources_dir() == frozen.resolve() / "resources"
    assert paths.migrations_dir().is_relative_to(frozen.resolve())
    assert _tree(paths.resources_dir()) == unfrozen["resources"]
    assert _tree(paths.migrations_dir()) == unfrozen["migrations"]
    # And what reads them works from there: Alembic, the rules, the reference data.
    assert known_revisions() == unfrozen["revisions"]
    assert "moh-1388" in RuleBook.from_directories([paths.resources_dir() / "rules"])
    assert len(load_reference(paths.resources_dir() / "reference").hubs) == 44
    assert paths.rules_dirs()[0] == frozen.resolve() / "resources" / "rules"


def test_the_self_test_s_first_step_sees_the_frozen_bundle(frozen, tmp_path) -> None:
    from cancer_desk.selftest import SelfTest, check_program_files

    detail = check_program_files(SelfTest(workdir=tmp_path))
    assert "frozen build" in detail and str(frozen.resolve()) in detail


def test_a_file_the_build_left_out_is_named(frozen) -> None:
    (frozen / "resources" / "rules" / "moh-1388.toml").unlink()
    shutil.rmtree(frozen / "cancer_desk")
    with pytest.raises(FileNotFoundError, match="frozen program's bundle"):
        paths.migrations_dir()
    assert not (paths.resources_dir() / "rules" / "moh-1388.toml").exists()


def test_sys_frozen_without_a_bundle_folder_is_not_taken_for_pyinstaller(monkeypatch) -> None:
    # Other freezers (cx_Freeze, py2exe) set sys.frozen but not sys._MEIPASS.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert not paths.is_frozen()
    assert paths.resources_dir() == CHECKOUT / "resources"
