"""The command line on whatever database the tests were given: a file, or a database on
a PostgreSQL server named by URL (``--db postgresql+psycopg://…`` or CANCER_DESK_DB)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import run


def test_the_program_runs_on_the_database_named_by_url(db_url: str, tmp_path: Path,
                                                       capsys, monkeypatch) -> None:
    code, out, err = run(["demo", "--patients", "12", "--seed", "5", "--db", db_url], capsys,
                         user=None)
    assert code == 0 and "added 12" in out, err
    # The same database through the environment, as a department's PCs would set it.
    monkeypatch.setenv("CANCER_DESK_DB", db_url)
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "demo-1388")
    code, out, err = run(["patients", "list", "--json"], capsys, user="maryam")
    assert code == 0, err
    assert len(json.loads(out)) == 12
    code, out, err = run(["check"], capsys, user=None)
    assert code == 0, err
    assert "patients: 12" in out
    assert "password" not in out  # where the data is, never how to get in
    code, out, err = run(["print", "form2", "--year", "1404", "--quarter", "1", "-o",
                          str(tmp_path / "form2.pdf")], capsys, user="maryam")
    assert code == 0, err
    assert (tmp_path / "form2.pdf").read_bytes().startswith(b"%PDF")
    code, out, err = run(["audit", "verify"], capsys, user=None)
    assert code == 0 and "intact" in out, (out, err)


def test_copy_to_moves_the_whole_database(db_url: str, tmp_path: Path, capsys,
                                          monkeypatch) -> None:
    """From a server to a file in the PostgreSQL run; from a file to a file otherwise
    (the other way, file to server, is the service test's)."""
    assert run(["demo", "--patients", "6", "--seed", "2", "--db", db_url], capsys,
               user=None)[0] == 0
    monkeypatch.setenv("CANCER_DESK_PASSWORD", "demo-1388")
    copy = tmp_path / "moved.sqlite3"
    code, out, err = run(["copy-to", str(copy), "--db", db_url], capsys, user="maryam")
    assert code != 0 and "refused" in err  # a social worker may not
    code, out, err = run(["copy-to", str(copy), "--db", db_url], capsys, user="admin")
    assert code == 0, err
    assert "patients 6" in out and "audit trail head on both" in out
    code, out, err = run(["copy-to", str(copy), "--db", db_url], capsys, user="admin")
    assert code == 2 and "already holds tables" in err
    code, out, err = run(["patients", "list", "--json", "--db", str(copy)], capsys,
                         user="maryam")
    assert code == 0 and len(json.loads(out)) == 6
