"""A disk that fills up mid-work: the save is refused with a plain message, and what was
saved before is intact. The full disk is a file-size limit (RLIMIT_FSIZE) on a process
of its own, the nearest a test gets without a small filesystem."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import open_signed_in

ROOT = Path(__file__).resolve().parents[2]
FILL = """
import datetime as dt, os, random, resource, signal, sys
from cancer_desk.app import open_context
from cancer_desk.core import national_code
from cancer_desk.core.patient import PatientIdentity
from cancer_desk.services.errors import DuplicateNationalCodeError

from cancer_desk.paths import sqlite_url
from pathlib import Path

context = open_context(sqlite_url(Path(sys.argv[1])))
context.accounts.sign_in("tester", "test-pass-1388")
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
limit = os.path.getsize(sys.argv[1]) + 200_000
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
rng = random.Random(7)
saved = 0
while True:
    try:
        context.patients.create(PatientIdentity(
            national_code=national_code.generate(rng), first_name="بیمار",
            last_name="آزمون" * 10, father_name="پدر", sex=1,
            birth_date=dt.date(1980, 1, 1), cancer_group_id=1, address_street="خیابان " * 15))
        saved += 1
    except DuplicateNationalCodeError:
        continue
    except Exception as exc:
        print(saved)
        print(type(exc).__name__, getattr(exc, "orig", exc))
        break
"""


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE")
def test_a_full_disk_refuses_the_save_and_keeps_what_was_saved(db_url, db_file) -> None:
    from cancer_desk.ui.errors import storage_problem_fa

    open_signed_in(db_url).close()
    done = subprocess.run([sys.executable, "-c", FILL, str(db_file)], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    saved_text, error = done.stdout.strip().splitlines()[:2]
    saved = int(saved_text)
    assert saved > 0, "the disk filled before anything was saved"
    assert "OperationalError" in error, error
    from sqlalchemy.exc import OperationalError

    told = storage_problem_fa(OperationalError("INSERT …", {}, Exception(error.split(" ", 1)[1])))
    assert "دیسک" in told and "ذخیره نشد" in told
    assert storage_problem_fa(AttributeError("'str' attribute is read-only")) is None
    assert "دیسک پر است" in storage_problem_fa(OSError(28, "No space left on device"))
    with sqlite3.connect(db_file) as db:  # the last saved state, whole
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("SELECT count(*) FROM patients").fetchone()[0] == saved
        entries, last = db.execute("SELECT count(*), max(seq) FROM audit_log").fetchone()
        assert entries == last
