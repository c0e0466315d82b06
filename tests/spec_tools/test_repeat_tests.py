"""scripts/repeat_tests.py: the tool behind issue #24's "10 consecutive runs" evidence."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "repeat_tests.py"


def _junit(path: Path, cases: list[tuple[str, float, str]]) -> None:
    body = []
    for name, seconds, outcome in cases:
        inner = {"pass": "", "fail": "<failure message='boom'/>", "skip": "<skipped/>"}[outcome]
        body.append(
            f'<testcase classname="tests.t" name="{name}" time="{seconds}">{inner}</testcase>'
        )
    path.write_text(
        '<?xml version="1.0"?><testsuites><testsuite name="pytest" time="9.5">'
        + "".join(body)
        + "</testsuite></testsuites>"
    )


def _report(directory: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--report", str(directory), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_steady_green_runs_pass(tmp_path: Path) -> None:
    for number, seconds in enumerate([10.0, 12.0, 11.0], start=1):
        _junit(tmp_path / f"run{number}.xml", [("slow", seconds, "pass"), ("quick", 0.01, "pass")])
    result = _report(tmp_path)
    assert result.returncode == 0, result.stdout
    assert "3 of 3 runs passed" in result.stdout
    assert "2 tests; 0 with a slowest run over 3x" in result.stdout


def test_a_failed_run_is_named_and_fails(tmp_path: Path) -> None:
    _junit(tmp_path / "run1.xml", [("a", 1.0, "pass")])
    _junit(tmp_path / "run2.xml", [("a", 1.0, "fail")])
    result = _report(tmp_path)
    assert result.returncode == 1
    assert "FAILED tests.t::a" in result.stdout and "1 of 2 runs passed" in result.stdout


def test_a_stall_fails_and_tiny_tests_are_floored(tmp_path: Path) -> None:
    # 'stall' once took 4x its median; 'tiny' 10x, but 50 ms against a 1 s floor is noise.
    for number, (stall, tiny) in enumerate([(5.0, 0.005), (5.0, 0.005), (20.0, 0.05)], 1):
        _junit(tmp_path / f"run{number}.xml", [("stall", stall, "pass"), ("tiny", tiny, "pass")])
    result = _report(tmp_path)
    assert result.returncode == 1
    assert "1 with a slowest run over 3x the (floored) median; 2 over 3x the raw" in result.stdout
    first_row = result.stdout.split("worst first:")[1].splitlines()[2]
    assert first_row.split()[:2] == ["4.00", "4.00"] and first_row.endswith("tests.t::stall")
    assert _report(tmp_path, "--max-ratio", "5").returncode == 0


def test_runs_pytest_repeatedly(tmp_path: Path) -> None:
    test_file = tmp_path / "test_sample.py"
    test_file.write_text("def test_ok():\n    assert True\n")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "2", "--out", str(out), "--", str(test_file)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 runs passed" in result.stdout
    assert (out / "run1.xml").exists() and (out / "run2.log").exists()
