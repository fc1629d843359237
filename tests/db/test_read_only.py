"""A database whose folder and files became read-only mid-work (a write-protected USB
disk, permissions changed by IT): the save is refused with a plain message naming the
cause, what was saved before is intact and can still be read.

The tests run as root here, and root writes through permission bits; the child process
runs without the capabilities that allow that (CAP_DAC_OVERRIDE, CAP_FOWNER), so the
kernel refuses its writes as it would an ordinary user's."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import open_signed_in

ROOT = Path(__file__).resolve().parents[2]
CHILD = """
import datetime as dt, os, sys
from pathlib import Path
from cancer_desk.app import open_context
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.paths import sqlite_url
from cancer_desk.ui.errors import storage_problem_fa

def person(code, first):
    return PatientIdentity(national_code=code, first_name=first, last_name="کریمی",
                           father_name="حسن", sex=1, birth_date=dt.date(1980, 1, 1),
                           cancer_group_id=1)

database = Path(sys.argv[1])
context = open_context(sqlite_url(database))
context.accounts.sign_in("tester", "test-pass-1388")
context.patients.create(person("0499370899", "علی"))
# Now the folder and everything in it can no longer be written.
for path in database.parent.iterdir():
    if path.is_file():
        os.chmod(path, 0o444)
os.chmod(database.parent, 0o555)
context.database.engine.dispose()  # the next save opens the file afresh
try:
    context.patients.create(person("0012345679", "رضا"))
    print("saved")
except Exception as exc:
    print(storage_problem_fa(exc) or f"{type(exc).__name__}: {exc}")
print(context.patients.count())
"""


def without_root_powers() -> list[str]:
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root needs util-linux's setpriv to give up root's powers")
    # Out of the inheritable set too: a process started by root gets back whatever is
    # left there (some container runtimes leave these in it).
    return [setpriv, "--inh-caps=-dac_override,-dac_read_search,-fowner",
            "--bounding-set=-dac_override,-dac_read_search,-fowner"]


@pytest.mark.skipif(sys.platform != "linux", reason="permission bits and setpriv are Linux")
def test_a_read_only_folder_refuses_the_save_and_keeps_what_was_saved(db_url, db_file
                                                                     ) -> None:
    open_signed_in(db_url).close()
    try:
        done = subprocess.run([*without_root_powers(), sys.executable, "-c", CHILD,
                               str(db_file)], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
    finally:
        os.chmod(db_file.parent, 0o755)
        for path in db_file.parent.iterdir():
            if path.is_file():
                os.chmod(path, 0o600)
    assert done.returncode == 0, done.stderr
    told, count = done.stdout.strip().splitlines()[-2:]
    assert "فقط‌خواندنی" in told and "ذخیره نشد" in told, told
    assert count == "1"  # the patient saved before is still there to read
    with sqlite3.connect(db_file) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert [r[0] for r in db.execute("SELECT first_name FROM patients")] == ["علی"]
