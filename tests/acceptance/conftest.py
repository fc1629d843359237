"""The acceptance suite: the real ``cancer-desk`` process under Xvfb, driven by real X
key presses and clicks (xdotool) through the day's work.

It runs only with ``CANCER_DESK_ACCEPTANCE=1`` (``.ci/run`` sets it): it needs an X
server and X tools that the ordinary test run does not. With the variable set, a
missing tool fails the run; it is never skipped. Screenshots of every step go to
``$CANCER_DESK_ACCEPTANCE_ARTEFACTS`` (else a temporary folder, named at the end).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.acceptance.desk import Desk, map_letters, missing_tools, start_x_server

ENABLED = os.environ.get("CANCER_DESK_ACCEPTANCE") == "1"
ARTEFACTS_ENV_VAR = "CANCER_DESK_ACCEPTANCE_ARTEFACTS"
REPOSITORY = Path(__file__).resolve().parents[2]

DEMO_PASSWORD = "demo-1388"  # the demo database's accounts (its sign-in window lists them)
SOCIAL_WORKER = "maryam"
DEMO_PATIENTS = 12
DEMO_SEED = 1388  # with 12 patients: «کریم چگینی» is among them

# What the suite types that is not Latin (each letter gets a key before the start).
ARABIC_SEARCH = "كريم"  # Arabic kaf and yeh, for «کریم» stored with Persian ones
NEW_PATIENT = {"first_name": "علی", "last_name": "کاظمی‌نیا", "father_name": "حسین"}
ARABIC_SEARCH_NEW = "علي كاظمي"  # the new patient, typed with Arabic letters
TYPED = (ARABIC_SEARCH, ARABIC_SEARCH_NEW, *NEW_PATIENT.values())


def pytest_collection_modifyitems(config, items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.acceptance)
            if not ENABLED:
                item.add_marker(pytest.mark.skip(
                    reason="the acceptance suite drives the real program in an X server: "
                           "CANCER_DESK_ACCEPTANCE=1 runs it (.ci/run does)"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if report.failed and item.get_closest_marker("acceptance"):
        item.session.stash[_FAILED_STEP] = item.name


_FAILED_STEP = pytest.StashKey[str]()


@pytest.fixture(autouse=True)
def _one_day(request) -> None:
    """The steps go on from one another's screen: after one fails, the rest fail at
    once, naming it, rather than each waiting for windows that will not come."""
    failed = request.session.stash.get(_FAILED_STEP, None)
    if failed is not None:
        pytest.fail(f"not run: the earlier step {failed} failed")


def program_env(display: str, root: Path) -> dict[str, str]:
    """The program's environment: this X display, a home and data folder of its own,
    and no PDF viewer to open (PATH holds no xdg-open, no browser variable), so that a
    print says where its file is."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS",
                          "BROWSER", "DEFAULT_BROWSER", "XDG_CURRENT_DESKTOP",
                          "DESKTOP_SESSION", "CANCER_DESK_DB", "CANCER_DESK_PASSWORD")}
    for name in ("home", "runtime", "bin", "data"):
        (root / name).mkdir(mode=0o700, exist_ok=True)
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", HOME=str(root / "home"),
               XDG_RUNTIME_DIR=str(root / "runtime"), PATH=str(root / "bin"),
               CANCER_DESK_DATA_DIR=str(root / "data"))
    return env


def cli(env: dict[str, str], database: Path, *args: str, user: str | None = SOCIAL_WORKER,
        check: bool = True) -> subprocess.CompletedProcess:
    """The program's own command line on the suite's database."""
    command = [sys.executable, "-m", "cancer_desk", "--db", str(database)]
    if user is not None:
        command += ["--user", user]
    result = subprocess.run([*command, *args], env={**env, "CANCER_DESK_PASSWORD": DEMO_PASSWORD},
                            cwd=REPOSITORY, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"cancer-desk {' '.join(args)} exited {result.returncode}:\n"
                             f"{result.stderr}")
    return result


def wait_for_window_manager(env: dict[str, str], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"], env=env,
                             capture_output=True, text=True).stdout
        if "window id" in out:
            return
        time.sleep(0.1)
    pytest.fail(f"the window manager (openbox) did not start within {timeout:.0f} s")


@pytest.fixture(scope="session")
def desk(tmp_path_factory):
    """The program on a fresh, small demo database, on a 1366×768 X screen of its own,
    at its sign-in window."""
    missing = missing_tools()
    if missing:
        pytest.fail(f"CANCER_DESK_ACCEPTANCE=1 but {', '.join(missing)} not found: install "
                    "xvfb xauth openbox xdotool imagemagick x11-utils x11-xserver-utils xclip")
    artefacts = Path(os.environ.get(ARTEFACTS_ENV_VAR) or
                     tempfile.mkdtemp(prefix="cancer-desk-acceptance-"))
    artefacts.mkdir(parents=True, exist_ok=True)
    for old in [*artefacts.glob("*.png"), *artefacts.glob("*.log")]:
        old.unlink()
    root = tmp_path_factory.mktemp("desk")
    server, display = start_x_server(artefacts)
    x_env = {**os.environ, "DISPLAY": display}
    x_env.pop("WAYLAND_DISPLAY", None)
    helpers: list[subprocess.Popen] = []
    board = None
    try:
        (root / "wm").mkdir()  # the window manager's home: nothing written to the user's
        helpers.append(subprocess.Popen(["openbox", "--sm-disable"],
                                        env={**x_env, "HOME": str(root / "wm")},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for_window_manager(x_env)
        map_letters(x_env, TYPED)
        env = program_env(display, root)
        database = root / "demo.sqlite3"
        cli(env, database, "demo", "--patients", str(DEMO_PATIENTS), "--seed", str(DEMO_SEED),
            user=None)
        board = Desk(display, artefacts, x_env)
        board.program_env = env
        board.database = database
        board.data_dir = root / "data"
        board.demo_patients = json.loads(cli(env, database, "patients", "list",
                                             "--json").stdout)
        board.start(["--db", str(database)], env, REPOSITORY)
        yield board
    finally:
        if board is not None:
            board.stop()
        for helper in helpers:
            helper.terminate()
            helper.wait(5)
        server.terminate()
        server.wait(5)
        print(f"\nacceptance screenshots: {artefacts}")
