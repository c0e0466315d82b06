"""What ``alluxio-py --version`` and ``--help`` import (their start time is measured by
``scripts/bench --startup``, not here: the modules they must not load are checked instead)."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

import alluxio
from alluxio.cli import app

# Heavy modules a command imports when it needs them: the HTTP client stack, the generated
# facade behind alluxio.option/wire, the progress bar, package metadata.
_HEAVY = (
    "httpx",
    "httpcore",
    "anyio",
    "rich",
    "alluxio.option",
    "alluxio.wire",
    "alluxio_proxy_api.client",
    "importlib.metadata",
    "alluxio._transfer",
    "concurrent.futures",
    "hashlib",
    "tomllib",
    "platformdirs",
)


def _imported(*args: str) -> tuple[str, set[str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "alluxio.cli", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return result.stdout, modules


def test_version_loads_neither_typer_nor_the_client() -> None:
    out, modules = _imported("--version")
    assert out == f"alluxio-py {alluxio.__version__}\n"
    assert "typer" not in modules
    assert not modules & set(_HEAVY)


def test_help_loads_the_command_line_but_not_the_client() -> None:
    out, modules = _imported("--help")
    assert out.startswith("Usage: alluxio-py [OPTIONS] COMMAND [ARGS]...")
    assert "typer" in modules
    assert not modules & set(_HEAVY)


def test_version_through_the_command_line_says_the_same() -> None:
    # `--version` with other arguments (or via the Typer app) takes the ordinary path.
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"alluxio-py {alluxio.__version__}\n"
    out, _ = _imported("--timeout", "5", "--version")
    assert out == result.stdout
