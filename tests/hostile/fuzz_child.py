"""Generated hostile inputs for each reader, run by ``python -m tests.hostile.fuzz_child
READER EXAMPLES`` in a child process held to a memory limit (test_generated_files.py):
every input is read or refused with the reader's own Persian refusal, never another
exception. Exit 0 when all were; a failing example is printed by hypothesis."""

from __future__ import annotations

import io
import random
import sys
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cancer_desk.core.nesting import TooDeep, check_json
from cancer_desk.core.rules import RuleSetError, load_ruleset
from cancer_desk.exchange.verify import verify_bytes
from cancer_desk.services.tabular import TableReadError, read_table
from tests.hostile import files

FOLDER = Path(tempfile.mkdtemp())
_TOKENS = st.sampled_from(["[", "]", "{", "}", ",", '"', "\\", "=", "'", "#", "\n", "a",
                           "1", " ", "\0", "\r", "ی", "\ufeff", '"""', "'''", ":"])
_TEXT = st.lists(_TOKENS, max_size=400).map("".join)


def _mutated(data: bytes, seed: int, flips: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        at = rng.randrange(len(out))
        out[at] = rng.randrange(256)
    return bytes(out)


def _read(path: Path) -> None:
    try:
        read_table(path)
    except TableReadError as exc:
        assert exc.message_fa


_XLSX = files.xlsx(FOLDER / "seed.xlsx", files.good_rows_xml()).read_bytes()
_PACKAGE = files.sealed_package({})


def csv_bytes(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=2000), _TEXT.map(lambda t: t.encode("utf-8")),
                     _TEXT.map(lambda t: t.encode("utf-16-le"))))
    def run(data: bytes) -> None:
        path = FOLDER / "fuzz.csv"
        path.write_bytes(data)
        _read(path)

    run()


def xlsx_bytes(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 2**32), st.integers(1, 20), st.text(max_size=300))
    def run(seed: int, flips: int, sheet: str) -> None:
        path = FOLDER / "fuzz.xlsx"
        path.write_bytes(_mutated(_XLSX, seed, flips))
        _read(path)
        files.xlsx(path, sheet.encode("utf-8", "surrogatepass"))
        _read(path)

    run()


def package_bytes(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 2**32), st.integers(1, 20), _TEXT)
    def run(seed: int, flips: int, data_json: str) -> None:
        report = verify_bytes(_mutated(_PACKAGE, seed, flips))
        assert not report.ok and all(p.message_fa for p in report.problems)
        forged = files.sealed_package({"data.json": data_json.encode("utf-8", "replace")})
        report = verify_bytes(forged)
        assert not report.ok and all(p.message_fa for p in report.problems)
        with zipfile.ZipFile(io.BytesIO(forged)) as archive:
            assert archive.testzip() is None

    run()


def toml_text(examples: int) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(_TEXT, st.integers(0, 3000))
    def run(text: str, depth: int) -> None:
        path = FOLDER / "fuzz.toml"
        path.write_text("x = " + "[" * depth + text + "]" * depth, "utf-8")
        try:
            load_ruleset(path)
        except RuleSetError as exc:
            assert exc.problems

    run()


def json_text(examples: int) -> None:
    import json

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(_TEXT, st.integers(0, 3000))
    def run(text: str, depth: int) -> None:
        data = "[" * depth + text + "]" * depth
        try:
            check_json(data)
            json.loads(data)
        except TooDeep as exc:
            assert exc.message_fa
        except json.JSONDecodeError:
            pass

    run()


READERS = {"csv": csv_bytes, "xlsx": xlsx_bytes, "package": package_bytes,
           "toml": toml_text, "json": json_text}

if __name__ == "__main__":
    READERS[sys.argv[1]](int(sys.argv[2]))
    print("ok")
