"""Generated hostile inputs (hypothesis) for each reader — CSV, XLSX, the package, rule
TOML and answers JSON — run in a child held to the memory limit (fuzz_child.py)."""

from __future__ import annotations

import pytest

from tests.hostile.child import PEAK_MEMORY_LIMIT_MB, run_child


@pytest.mark.parametrize(("reader", "examples"), [("csv", 300), ("xlsx", 150),
                                                  ("package", 200), ("toml", 200),
                                                  ("json", 300)])
def test_generated_inputs_are_read_or_refused_cleanly(tmp_path, reader, examples) -> None:
    outcome = run_child(["tests.hostile.fuzz_child", reader, str(examples)],
                        tmp_path / "data", module="", timeout=120)
    assert outcome.code == 0 and outcome.out.strip() == "ok", outcome.err[-3000:]
    assert outcome.peak_mb < PEAK_MEMORY_LIMIT_MB
