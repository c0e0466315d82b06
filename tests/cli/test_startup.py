"""What ``alluxio-py --version`` and ``--help`` import (their start time is measured by
``scripts/bench --startup``, not here: the modules they must not load are checked instead)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
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


def _imported(*args: str, columns: int | None = None) -> tuple[str, set[str]]:
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = str(columns)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "alluxio.cli", *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return result.stdout, modules


def _typer_help(columns: int) -> str:
    # What the Typer application itself prints (the ordinary path, not main()'s shortcut).
    env = {**os.environ, "COLUMNS": str(columns)}
    code = "from alluxio.cli._app import run; raise SystemExit(run(['--help']))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return result.stdout


def test_version_loads_neither_typer_nor_the_client() -> None:
    out, modules = _imported("--version")
    assert out == f"alluxio-py {alluxio.__version__}\n"
    assert "typer" not in modules
    assert not modules & set(_HEAVY)


@pytest.mark.parametrize("columns", [None, 80, 200])
def test_help_on_a_wide_terminal_loads_no_typer_and_says_what_typer_says(
    columns: int | None,
) -> None:
    out, modules = _imported("--help", columns=columns)
    assert out.startswith("Usage: alluxio-py [OPTIONS] COMMAND [ARGS]...")
    assert out == _typer_help(columns or 80)
    assert "typer" not in modules
    assert not modules & set(_HEAVY)


def test_help_on_a_narrow_terminal_is_typer_s_own() -> None:
    out, modules = _imported("--help", columns=60)
    assert out == _typer_help(60)
    assert max(len(line) for line in out.splitlines()) <= 60
    assert "typer" in modules
    assert not modules & set(_HEAVY)


def test_version_through_the_command_line_says_the_same() -> None:
    # `--version` with other arguments (or via the Typer app) takes the ordinary path.
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout == f"alluxio-py {alluxio.__version__}\n"
    out, _ = _imported("--timeout", "5", "--version")
    assert out == result.stdout


def test_a_command_loads_only_what_it_uses(embedded_proxy_url: str) -> None:
    # The console process makes httpcore skip trio, and imports only the generated endpoint
    # and models of the requests it makes.
    _, modules = _imported("--proxy", embedded_proxy_url, "ls", "/")
    assert "alluxio_proxy_api.api.paths.list_status" in modules
    # (-X importtime lists trio too: its import is tried, and fails)
    unused = {"trio._core"}
    unused |= {"alluxio_proxy_api.api.paths.mount", "alluxio_proxy_api.models.mount_options"}
    assert not modules & unused


def test_a_command_s_help_loads_no_http_client() -> None:
    # --proxy is checked (its callback runs) without httpx.
    out, modules = _imported("--proxy", "http://localhost:1", "ls", "--help")
    assert out.startswith("Usage: alluxio-py ls [OPTIONS] [PATH]")
    assert not modules & {"httpx", "httpcore", "anyio", "rich"}
