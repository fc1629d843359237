"""The real ``cancer-desk`` process in a real X server, and the hands that drive it.

Everything here goes through X: key presses and clicks by xdotool, window titles and
windows appearing by xdotool, the clipboard by xclip, pictures of the screen by
ImageMagick's ``import``. Nothing reaches into the program's process.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pytest

SCREEN = (1366, 768)
# Xvfb: the X server; openbox: a small window manager, so that windows are maximized,
# placed and given the focus as on a desktop (without one, the main window opens at its
# own size, taller than the screen, and X has no "active window"); xdotool: key presses,
# clicks and windows; import (ImageMagick): screenshots; xmodmap: Persian and Arabic
# letters on spare keys before the program starts; xclip: reads what the program copies.
TOOLS = ("Xvfb", "openbox", "xdotool", "import", "xmodmap", "xclip", "xprop")
WAIT = 15.0  # seconds any one thing may take to appear before the step fails

# The non-Latin letters the suite types get keys of their own before the program starts
# (see map_letters).

class Desk:
    """The screen, the program on it, and the artefacts folder its pictures go to."""

    def __init__(self, display: str, artefacts: Path, env: dict[str, str]) -> None:
        self.display = display
        self.artefacts = artefacts
        self.env = env  # the X tools' environment: DISPLAY, nothing of the program's
        self.process: subprocess.Popen | None = None
        self._step = 0
        # Set by the fixture: the program's environment, database and data folder, and
        # the demo's patients as the command line listed them before the start.
        self.program_env: dict[str, str] = {}
        self.database = Path()
        self.data_dir = Path()
        self.demo_patients: list[dict] = []

    # --- X tools ---------------------------------------------------------------------

    def x(self, *args: str, check: bool = True, timeout: float = WAIT) -> str:
        result = subprocess.run(args, env=self.env, capture_output=True, text=True,
                                timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({result.returncode}): "
                                 f"{result.stderr.strip()}")
        return result.stdout

    def key(self, *keys: str) -> None:
        """Key presses, one after another (xdotool's names: Return, Tab, ctrl+l …)."""
        self.x("xdotool", "key", "--delay", "60", *keys)

    def type(self, text: str) -> None:
        self.x("xdotool", "type", "--delay", "40", text)

    def click(self, x: int, y: int) -> None:
        self.x("xdotool", "mousemove", "--sync", str(x), str(y), "click", "1")

    def pause(self, seconds: float = 0.3) -> None:
        """A short breath for the program to draw what a key did (not a wait for an
        outcome: those poll, see :meth:`wait_for_window`)."""
        time.sleep(seconds)

    def shot(self, name: str) -> Path:
        """A picture of the whole screen, ``NN-name.png`` in the artefacts folder."""
        self._step += 1
        path = self.artefacts / f"{self._step:02d}-{name}.png"
        self.x("import", "-window", "root", str(path))
        return path

    def fail(self, message: str) -> None:
        picture = self.shot("failed")
        pytest.fail(f"{message} (screen: {picture.name}; the program's output: "
                    f"{self.artefacts / 'program.log'})")

    # --- windows ---------------------------------------------------------------------

    def windows(self, title: str) -> list[str]:
        """The visible windows whose title matches the regular expression ``title``."""
        out = self.x("xdotool", "search", "--onlyvisible", "--name", title, check=False)
        return out.split()

    def title(self, window: str) -> str:
        return self.x("xdotool", "getwindowname", window, check=False).strip()

    def active_title(self) -> str:
        return self.x("xdotool", "getactivewindow", "getwindowname", check=False).strip()

    def wait_until(self, what: str, condition, timeout: float = WAIT):
        deadline = time.monotonic() + timeout
        while True:
            self._check_running(what)
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                self.fail(f"waited {timeout:.0f} s for {what}")
            time.sleep(0.1)

    def wait_for_window(self, title: str, timeout: float = WAIT, *,
                        active: bool = True) -> str:
        """A visible window titled ``title`` (a regular expression), and — unless
        ``active`` is false — that it is the one with the focus, ready for keys."""
        pattern = re.compile(title)

        def found() -> str | None:
            ids = self.windows(title)
            if not ids:
                return None
            if active and not pattern.search(self.active_title()):
                return None
            return ids[-1]

        window = self.wait_until(f"a window titled «{title}»", found, timeout)
        self.pause(0.4)  # shown is not yet drawn: let the program paint it
        return window

    def wait_gone(self, title: str, timeout: float = WAIT) -> None:
        self.wait_until(f"the window «{title}» to close", lambda: not self.windows(title),
                        timeout)

    def wait_for_file(self, folder: Path, pattern: str, before: Iterable[Path] = (),
                      timeout: float = WAIT) -> Path:
        known = set(before)

        def new_file() -> Path | None:
            found = [p for p in folder.glob(pattern) if p not in known] \
                if folder.is_dir() else []
            return found[0] if found else None

        return self.wait_until(f"a new {pattern} in {folder}", new_file, timeout)

    # --- the clipboard ---------------------------------------------------------------

    def copied_text(self) -> str:
        """What the focused field holds: select all, copy, and read the clipboard."""
        # Emptied first (xclip stays behind to serve it: no pipes to wait for).
        subprocess.run(["xclip", "-selection", "clipboard", "-i", "/dev/null"], env=self.env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=WAIT)
        self.key("ctrl+a", "ctrl+c")
        return self.wait_until("the field's text on the clipboard",
                               lambda: self.x("xclip", "-selection", "clipboard", "-o",
                                              check=False), timeout=5)

    # --- the program -----------------------------------------------------------------

    def start(self, args: list[str], env: dict[str, str], cwd: Path) -> None:
        log = (self.artefacts / "program.log").open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "cancer_desk", *args],
                                        env=env, cwd=cwd, stdout=log,
                                        stderr=subprocess.STDOUT)
        log.close()

    def _check_running(self, what: str) -> None:
        if self.process is not None and self.process.poll() is not None \
                and not what.startswith("the program to exit"):
            picture = self.shot("program-ended")
            pytest.fail(f"the program ended (exit status {self.process.returncode}) "
                        f"while waiting for {what} (screen: {picture.name}; its output: "
                        f"{self.artefacts / 'program.log'})")

    def wait_for_exit(self, timeout: float = WAIT) -> int:
        assert self.process is not None
        self.wait_until("the program to exit", lambda: self.process.poll() is not None,
                        timeout)
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def start_x_server(artefacts: Path) -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display (Xvfb picks it and writes its number to a pipe)."""
    read, write = os.pipe()
    log = (artefacts / "xvfb.log").open("ab")
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{SCREEN[0]}x{SCREEN[1]}x24",
         "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,), stdout=log, stderr=subprocess.STDOUT)
    log.close()
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail(f"Xvfb did not start (see {artefacts / 'xvfb.log'})")
    return server, f":{number}"


def map_letters(env: dict[str, str], letters: Iterable[str]) -> None:
    """Put each non-Latin letter to be typed on a key of its own (two to a key, the
    second with Shift), among the keys the keyboard map leaves empty, before the program
    starts. xdotool would otherwise remap a spare key for each letter as it types it,
    and a program that reads the new map a moment late gets the previous letter, or
    none (seen: «كريم» arrived as «كيم»)."""
    wanted = sorted({c for c in "".join(letters) if ord(c) > 0x7F})
    keymap = subprocess.run(["xmodmap", "-pke"], env=env, capture_output=True, text=True,
                            check=True).stdout
    free = [int(m.group(1)) for m in re.finditer(r"^keycode\s+(\d+)\s*=\s*$", keymap, re.M)
            if int(m.group(1)) > 8]
    pairs = [wanted[i:i + 2] for i in range(0, len(wanted), 2)]
    if len(free) < len(pairs):
        pytest.fail(f"the X keyboard map has {len(free)} free keys, not {len(pairs)} for "
                    "the letters to type")
    lines = [f"keycode {code} = " + " ".join(f"U{ord(c):04X}" for c in pair)
             for code, pair in zip(free, pairs, strict=False)]
    subprocess.run(["xmodmap", "-"], input="\n".join(lines), env=env, text=True,
                   check=True)
