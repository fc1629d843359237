"""Restores a backup and is killed dead (SIGKILL) at one named step of the restore: the
other half of test_restore_kill."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from cancer_desk.app import open_context
from cancer_desk.services import backups


def main(url: str, backup: str, step: str) -> None:
    def die_at(reached: str) -> None:
        if reached == step:
            os.kill(os.getpid(), signal.SIGKILL)

    backups.restore_step = die_at  # the module's hook, looked up at every step
    context = open_context(url)
    context.accounts.sign_in("tester", "test-pass-1388")
    context.backups.restore(Path(backup))
    print("restored to the end")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
