"""Shell completion of commands and Alluxio paths (bash, zsh, fish), against the embedded
proxy, through Typer's completion protocol as the installed scripts call it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio.cli import app
from alluxio.server import EmbeddedProxy
from tests.cli.conftest import console_command


def _complete(env: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(app, [], prog_name="alluxio-py", env=env)
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def tree(alluxio_proxy: EmbeddedProxy) -> str:
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        client.create_directory("/data/dir", alluxio.option.CreateDirectory(recursive=True))
        client.write_bytes("/data/file.txt", b"x")
        client.write_bytes("/data/.hidden", b"h")
        client.write_bytes("/other", b"o")
    return alluxio_proxy.url


def test_bash_completes_alluxio_paths(tree: str) -> None:
    env = {
        "_ALLUXIO_PY_COMPLETE": "complete_bash",
        "COMP_WORDS": "alluxio-py ls /data/",
        "COMP_CWORD": "2",
        "ALLUXIO_PROXY": tree,
    }
    assert _complete(env) == ["/data/dir/", "/data/file.txt"]
    env["COMP_WORDS"] = "alluxio-py cat /d"
    assert _complete(env) == ["/data/"]
    env["COMP_WORDS"] = "alluxio-py cat /data/."
    assert _complete(env) == ["/data/.hidden"]


def test_zsh_completes_commands_and_paths(tree: str) -> None:
    env = {"_ALLUXIO_PY_COMPLETE": "complete_zsh", "ALLUXIO_PROXY": tree}
    # zsh gets one _arguments call listing "candidate":"description" pairs.
    commands = "\n".join(_complete({**env, "_TYPER_COMPLETE_ARGS": "alluxio-py che"}))
    assert '"checksum"' in commands, commands
    paths = "\n".join(_complete({**env, "_TYPER_COMPLETE_ARGS": "alluxio-py get /data/fi"}))
    assert '"/data/file.txt"' in paths and "/data/dir" not in paths, paths


def test_fish_completes_paths_of_the_proxy_given_on_the_line(
    tree: str, alluxio_proxy: EmbeddedProxy
) -> None:
    env = {
        "_ALLUXIO_PY_COMPLETE": "complete_fish",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "_TYPER_COMPLETE_ARGS": f"alluxio-py --proxy {alluxio_proxy.url} rm /o",
        "ALLUXIO_PROXY": "http://127.0.0.1:1",  # the flag on the line wins
    }
    assert any(line.startswith("/other") for line in _complete(env))


def test_no_candidates_when_the_proxy_is_unreachable() -> None:
    env = {
        "_ALLUXIO_PY_COMPLETE": "complete_bash",
        "COMP_WORDS": "alluxio-py ls /da",
        "COMP_CWORD": "2",
        "ALLUXIO_PROXY": "http://127.0.0.1:1",
    }
    assert _complete(env) == []


_SCRIPT_MARKS = {
    "bash": "complete -o default -F _alluxio_py_completion alluxio-py",
    "zsh": "#compdef alluxio-py",
    "fish": "complete --command alluxio-py",
}


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_for_each_shell(shell: str) -> None:
    # The named shell's script, whatever shell (if any) runs the test: Typer's own option
    # ignored the name and printed the current shell's, or failed where none was detected.
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="alluxio-py")
    assert result.exit_code == 0, (result.output, result.exception)
    assert _SCRIPT_MARKS[shell] in result.stdout
    assert all(mark not in result.stdout for other, mark in _SCRIPT_MARKS.items() if other != shell)


def test_an_unknown_shell_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["--show-completion", "tcsh"], prog_name="alluxio-py")
    assert result.exit_code == 2
    assert "'tcsh' is not a shell this command completes in" in result.stderr
    assert "bash, zsh, fish" in result.stderr


def test_install_completion_writes_the_script_and_sources_it(tmp_path: Path) -> None:
    # Typer's own switch for tests: the shell is named instead of detected.
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1",
    }
    result = subprocess.run(
        [*console_command(), "--install-completion", "bash"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    script = tmp_path / ".bash_completions" / "alluxio-py.sh"
    assert "_ALLUXIO_PY_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
