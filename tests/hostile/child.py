"""Running the program on a hostile file in a child process held to a memory and a time
limit, as the hostile-file tests do: the child's exit status, output, time and peak
memory."""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import TEST_PASSWORD, TEST_USERNAME

ADDRESS_SPACE_LIMIT = 768 * 1024 * 1024  # a runaway stops here, not in the PC's swap
PEAK_MEMORY_LIMIT_MB = 300  # what a hostile file may make the program take
TIME_LIMIT_S = 60
ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    peak_mb: float

    def assert_refused_cleanly(self) -> None:
        """Exit 2, a Persian line, no traceback, and within the memory budget."""
        assert self.code == 2, (self.code, self.out, self.err)
        assert "Traceback" not in self.err and "Traceback" not in self.out, self.err
        assert any("\u0600" <= ch <= "\u06ff" for ch in self.err), self.err
        assert self.peak_mb < PEAK_MEMORY_LIMIT_MB, self.peak_mb


# Runs ``python -m MODULE ARGS`` and, at its exit, writes the process's own peak
# resident memory (VmHWM, in kB: from the exec on, unlike getrusage's ru_maxrss).
_LAUNCHER = """
import atexit, os, runpy, sys
def _peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["HOSTILE_PEAK_FILE"], "w") as out:
        out.write(kb)
atexit.register(_peak)
sys.argv = sys.argv[1:]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_LIMIT, ADDRESS_SPACE_LIMIT))


def run_child(arguments: list[str], data_dir: Path, *, stdin: bytes = b"",
              timeout: float = TIME_LIMIT_S, module: str = "cancer_desk") -> Outcome:
    """``python -m cancer_desk ARGUMENTS`` in a child (with ``module=""``, ``python -m
    ARGUMENTS``); killed past ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CANCER_DESK_DATA_DIR": str(data_dir),
           "CANCER_DESK_PASSWORD": TEST_PASSWORD, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("CANCER_DESK_DB", None)
    out_path, err_path = data_dir.parent / "child.out", data_dir.parent / "child.err"
    peak_file = data_dir.parent / "child.peak"
    peak_file.unlink(missing_ok=True)
    env["HOSTILE_PEAK_FILE"] = str(peak_file)
    target = [module, *arguments] if module else arguments
    command = [sys.executable, "-c", _LAUNCHER, *target]
    start = time.monotonic()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                 env=env, cwd=ROOT, preexec_fn=_limits)
        assert child.stdin is not None
        try:
            child.stdin.write(stdin)
            child.stdin.close()
        except BrokenPipeError:
            pass
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                child.kill()
                _, status, usage = os.wait4(child.pid, 0)
                raise AssertionError(f"{arguments}: still running after {timeout} s")
            time.sleep(0.02)
        child.returncode = os.waitstatus_to_exitcode(status)
    del usage  # its ru_maxrss counts the forked copy of this (large) test process
    peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("inf")
    return Outcome(child.returncode, out_path.read_text("utf-8", "replace"),
                   err_path.read_text("utf-8", "replace"), time.monotonic() - start, peak)


def import_arguments(path: Path, database: Path) -> list[str]:
    return ["patients", "import", str(path), "--db", str(database), "--user", TEST_USERNAME]


def file_digest(path: Path) -> str:
    """The database's bytes, with SQLite's files beside it."""
    digest = hashlib.sha256()
    for name in (path, path.with_name(path.name + "-wal")):
        if name.exists():
            digest.update(name.read_bytes())
    return digest.hexdigest()
