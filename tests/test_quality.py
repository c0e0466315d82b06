"""The whole project passes its linters and the strict type checker (configured in pyproject)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def test_ruff_check() -> None:
    run("ruff", "check", "--no-cache", ".")


def test_ruff_format() -> None:
    run("ruff", "format", "--no-cache", "--check", ".")


@pytest.mark.slow
def test_mypy_strict() -> None:
    # Files, strictness and overrides come from [tool.mypy] in pyproject.toml.
    run("mypy")
