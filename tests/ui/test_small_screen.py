"""Every window on a ward PC's commonest screen: 1366×768 less a 40 px Windows taskbar.
The windows are opened in a program of their own (tests/ui/small_screen_windows.py)
whose one screen is that size, since a process's screens are fixed when it starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def open_every_window(tmp_path: Path, width: int, height: int) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{
        "name": "ward", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
               PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-m", "tests.ui.small_screen_windows"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_nothing_is_off_screen_at_1366_by_728(tmp_path) -> None:
    seen = open_every_window(tmp_path, 1366, 728)
    assert seen["screen"] == [0, 0, 1366, 728]
    assert len(seen["windows"]) >= 25  # every window of the program was opened
    assert seen["problems"] == []


def test_the_checker_sees_a_window_too_tall(tmp_path) -> None:
    """The same walk on a screen smaller than the windows' least height names them:
    the check above can fail."""
    seen = open_every_window(tmp_path, 1024, 560)
    assert any("questionnaire" in problem for problem in seen["problems"]), seen
