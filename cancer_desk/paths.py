"""Where things are: bundled resources, the user's data folder, the database.

Resolved the same way from a source checkout, an installed wheel and a frozen
(PyInstaller) build, so nothing else in the program needs to know which it is.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import platformdirs

from cancer_desk import APP_NAME

DB_ENV_VAR = "CANCER_DESK_DB"
DATA_DIR_ENV_VAR = "CANCER_DESK_DATA_DIR"
DB_FILENAME = "cancer-desk.sqlite3"
DEMO_DB_FILENAME = "cancer-desk-demo.sqlite3"
# The receiving side's merged packages: never mixed into a hospital's own database.
ROLLUP_DB_FILENAME = "cancer-desk-rollup.sqlite3"


# The program's own files, named by where they are in the source tree. A frozen build
# (build.spec) lays each of them out at the same place under its bundle folder.
RESOURCES = "resources"
MIGRATIONS = "cancer_desk/db/migrations"
# The Persian user guide and the screenshots it shows: the in-program help's source.
USER_GUIDE = "docs/user-guide-fa.md"
SCREENSHOTS = "docs/screenshots"


def is_frozen() -> bool:
    """Running from a PyInstaller build rather than from Python and the source."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def program_root() -> Path:
    """The folder the program's own files are under, laid out as in the source tree:
    the bundle's folder in a frozen build (``sys._MEIPASS``, the ``_internal`` folder
    beside the executable), else the checkout this package is imported from."""
    if is_frozen():
        # Set by PyInstaller's boot loader only, so not in the sys module's types.
        return Path(sys._MEIPASS).resolve()  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent.parent


def program_file(relative: str) -> Path:
    """One of the program's own files or folders (``RESOURCES``, ``MIGRATIONS``, or a
    path under them), the same whether frozen or not; FileNotFoundError, naming where
    it looked, if it is missing (a build that left it out, or a broken install)."""
    path = program_root() / relative
    if not path.exists():
        where = "the frozen program's bundle" if is_frozen() else "the source tree"
        raise FileNotFoundError(f"{relative} is missing from {where}: looked for {path}")
    return path


def program_files() -> list[str]:
    """The program's own files that it reads at run time, as paths relative to
    ``program_root()``: what a frozen build must carry (build.spec bundles these)."""
    root = program_root()
    found = []
    for place in (RESOURCES, MIGRATIONS, USER_GUIDE, SCREENSHOTS):
        # A folder's files, or the one file named.
        for path in sorted((root / place).rglob("*")) or [root / place]:
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                found.append(path.relative_to(root).as_posix())
    return found


def resources_dir() -> Path:
    """The folder holding fonts/, rules/, reference/ and forms.ui."""
    return program_file(RESOURCES)


def migrations_dir() -> Path:
    """Alembic's folder (env.py, versions/): Alembic reads it from disk, as files."""
    return program_file(MIGRATIONS)


def docs_dir() -> Path:
    """The folder holding the Persian user guide (``user-guide-fa.md``) and the
    screenshots it shows, the in-program help's source: ``docs/`` beside ``resources/``,
    in a checkout as in a frozen build's bundle."""
    return program_file(USER_GUIDE).parent


def user_data_dir() -> Path:
    """Per-user folder for the database, backups and extra rule sets."""
    override = os.environ.get(DATA_DIR_ENV_VAR)
    path = Path(override) if override else Path(
        platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False)
    )
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def user_rules_dir() -> Path:
    """Newer rule sets a hospital is sent are dropped here; no new program needed."""
    return user_data_dir() / "rules"


def rules_dirs() -> list[Path]:
    return [resources_dir() / "rules", user_rules_dir()]


def database_url(argument: str | None = None, *, demo: bool = False) -> str:
    """``--db`` beats ``CANCER_DESK_DB`` beats the default file in the data folder.

    A value containing ``://`` is taken as an SQLAlchemy URL; anything else is a path
    to an SQLite file. The demo ignores ``CANCER_DESK_DB``: synthetic patients must
    never be poured into the database that variable points the program at.
    """
    value = argument or (None if demo else os.environ.get(DB_ENV_VAR))
    if not value:
        filename = DEMO_DB_FILENAME if demo else DB_FILENAME
        return sqlite_url(user_data_dir() / filename)
    if "://" in value:
        return value
    return sqlite_url(Path(value).expanduser())


def rollup_database_url(argument: str | None = None) -> str:
    """``--db`` if given, else the roll-up file in the data folder (not the hospital's
    database, and not ``CANCER_DESK_DB``, which names that)."""
    if not argument:
        return sqlite_url(user_data_dir() / ROLLUP_DB_FILENAME)
    return argument if "://" in argument else sqlite_url(Path(argument).expanduser())


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve().as_posix()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for other databases and memory."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix):].split("?", 1)[0]
    if not rest or rest == ":memory:":
        return None
    # sqlite:////abs/path, sqlite:///C:/path and sqlite:///relative all leave the path.
    return Path(rest)


PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


def keep_private(path: Path, *, folder: bool = False) -> None:
    """Let only the account running the program read ``path`` (creating it if missing).

    Patients' diagnoses and family finances are in the database and its backups. On
    POSIX the permission bits say so; on Windows the per-user data folder's own access
    list already keeps other users out, and there is nothing to add here.
    """
    if folder:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    elif not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    if os.name == "posix":
        # "Where the OS allows it": a USB disk in FAT keeps no owner, and refuses.
        with contextlib.suppress(PermissionError, NotImplementedError):
            os.chmod(path, PRIVATE_FOLDER_MODE if folder else PRIVATE_FILE_MODE)


def keep_database_private(database_file: Path) -> None:
    """The database file and SQLite's files beside it (-wal, -shm, -journal)."""
    keep_private(database_file)
    for suffix in ("-wal", "-shm", "-journal"):
        companion = database_file.with_name(database_file.name + suffix)
        if companion.exists():
            keep_private(companion)
