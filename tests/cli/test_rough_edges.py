"""Regression tests for the rough edges of issue #22, each as a user meets it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio.cli import app
from alluxio.cli._app import hoist_global_options
from alluxio.server import EmbeddedProxy
from tests.cli.conftest import Cli, console_command

MIB = 1 << 20


def test_get_to_dash_writes_standard_output(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/x.bin", b"\x00binary\xff")
    result = cli("get", "/x.bin", "-")
    assert (result.code, result.out_bytes, result.err) == (0, b"\x00binary\xff", "")
    assert not Path("-").exists()


def test_get_to_dash_refuses_a_directory_and_several_paths(
    cli: Cli, client: alluxio.Client
) -> None:
    client.create_directory("/dir")
    client.write_bytes("/a", b"a")
    several = cli("get", "/a", "/a", "-")
    assert several.code == 2
    assert "'-' (standard output) takes one file; use cat for several" in several.err
    directory = cli("get", "/dir", "-")
    assert directory.code == 1
    assert directory.err.startswith("alluxio-py: get /dir: ")
    assert directory.out == ""


def test_a_forgotten_destination_is_named(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/big.bin", b"b")
    get = cli("get", "/big.bin")
    assert get.code == 2
    assert "Missing argument 'LOCAL' after '/big.bin' (the destination)" in get.err
    assert "PATH" not in get.err.splitlines()[-1]
    Path("local.txt").write_bytes(b"l")
    put = cli("put", "local.txt")
    assert put.code == 2
    assert "Missing argument 'DEST' after 'local.txt' (the destination)" in put.err


def test_serve_on_a_file_is_one_line(tmp_path: Path) -> None:
    not_a_dir = tmp_path / "passwd"
    not_a_dir.write_text("root:x:0:0\n")
    result = CliRunner().invoke(app, ["serve", "--root", str(not_a_dir), "--port", "0"])
    assert result.exit_code == 1
    assert result.stderr == f"alluxio-py: serve: Not a directory: {not_a_dir}\n"


def test_serve_lists_only_the_dialects_it_speaks() -> None:
    runner = CliRunner()
    help_text = runner.invoke(app, ["serve", "--help"]).stdout
    assert "2.x" in help_text and "auto" not in help_text
    refused = runner.invoke(app, ["serve", "--root", ".", "--dialect", "auto"])
    assert refused.exit_code == 2
    assert "'auto'" in refused.stderr


def test_mv_to_a_missing_directory_with_a_slash_is_an_error(
    cli: Cli, client: alluxio.Client
) -> None:
    client.write_bytes("/f", b"f")
    client.write_bytes("/plain", b"p")
    missing = cli("mv", "/f", "/in2/")
    assert missing.code == 1
    assert missing.err == "alluxio-py: mv /f: No such directory: /in2/\n"
    assert not client.exists("/in2") and client.exists("/f")
    not_dir = cli("mv", "/f", "/plain/")
    assert not_dir.err == "alluxio-py: mv /f: Not a directory: /plain/\n"
    client.create_directory("/in2")
    assert cli("mv", "/f", "/in2/").code == 0
    assert client.read_bytes("/in2/f") == b"f"
    # Without the slash a missing DEST is the new name, as before.
    assert cli("mv", "/in2/f", "/renamed").code == 0
    assert client.read_bytes("/renamed") == b"f"


# Click's notation for types and ranges ("<int range>", "[x>=0.001]", "1<=x<=64"), Typer's
# braces around required arguments, pydantic's messages.
JARGON = re.compile(
    r"\{|\}|\[\[|<list|<int|int range|float range|(?<![\w.])x[<>]=?|[<>]=?x(?![\w.])"
    r"|Value error|Input should be"
)


def _commands() -> list[str]:
    from typer.main import get_command

    group = get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _commands())
def test_help_is_written_for_people(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"])
    assert result.exit_code == 0
    assert not JARGON.search(result.stdout), result.stdout
    # Every option that takes a value names it (no "<str>", "<float>" type names).
    assert not re.search(r"<(str|float|int|text|integer)>", result.stdout), result.stdout
    usage = result.stdout.splitlines()[0]
    assert usage.startswith(f"Usage: alluxio-py {name} ")


def test_global_help_is_written_for_people() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    assert not JARGON.search(result.stdout), result.stdout
    assert not re.search(r"<(str|float|int|text|integer)>", result.stdout), result.stdout


def test_usage_lines_read_as_written() -> None:
    runner = CliRunner()
    first = {
        name: runner.invoke(app, [name, "--help"]).stdout.splitlines()[0]
        for name in ("ls", "get", "put", "rm", "ttl", "du")
    }
    assert first == {
        "ls": "Usage: alluxio-py ls [OPTIONS] [PATH]",
        "get": "Usage: alluxio-py get [OPTIONS] PATH... LOCAL",
        "put": "Usage: alluxio-py put [OPTIONS] LOCAL... DEST",
        "rm": "Usage: alluxio-py rm [OPTIONS] PATH...",
        "ttl": "Usage: alluxio-py ttl [OPTIONS] PATH [DURATION]",
        "du": "Usage: alluxio-py du [OPTIONS] [PATH...]",
    }


def test_errors_are_written_for_people(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/t", b"t")
    bad_ttl = cli("ttl", "/t", "soon")
    assert bad_ttl.code == 2
    assert "'soon' is not a duration such as 500ms, 30s, 30m, 1h or 7d" in bad_ttl.err
    threads = cli("get", "-t", "0", "/t", "out")
    assert threads.code == 2
    assert "0 is not between 1 and 64" in threads.err
    dialect = cli("--dialect", "3", "ls")
    assert "'3' is not one of '2.x', '1.x', 'auto'" in dialect.err
    timeout = cli("--timeout", "0", "ls")
    assert timeout.code == 2 and "0 is not a positive number of seconds" in timeout.err
    for result in (bad_ttl, threads, dialect, timeout):
        assert not JARGON.search(result.err), result.err


@pytest.mark.parametrize(
    ("given", "ms", "shown"),
    [
        ("1h", 3_600_000, "1h"),
        ("30m", 1_800_000, "30m"),
        ("7d", 604_800_000, "1w"),
        ("500ms", 500, "500ms"),
        ("1h30m", 5_400_000, "1h30m"),
        ("90000", 90_000, "1m30s"),
    ],
)
def test_ttl_takes_durations(
    cli: Cli, client: alluxio.Client, given: str, ms: int, shown: str
) -> None:
    client.write_bytes("/ttl", b"t")
    assert cli("ttl", "/ttl", given).code == 0
    assert client.get_status("/ttl").ttl == ms
    assert cli("ttl", "/ttl").out == f"/ttl: {shown} ({ms} ms), then DELETE\n"


def test_summary_and_progress_use_binary_units(
    cli: Cli, client: alluxio.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")  # Rich takes the captured stderr for a terminal
    monkeypatch.setenv("TERM", "xterm")
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "a.bin").write_bytes(b"a" * (3 * MIB))
    (tmp_path / "tree" / "b.bin").write_bytes(b"b" * (MIB // 2))
    put = cli("put", "tree", "/")
    assert put.code == 0
    assert "3.5 MiB / 3.5 MiB" in put.err  # the bar
    assert re.search(r"put: 2 files, 3\.5 MiB in \d+\.\d s \(\d+\.\d [KMG]iB/s\)\n$", put.err)
    assert cli("du", "-s", "-h", "/tree").out.split()[0] == "3.5M"
    get = cli("get", "/tree", "copy")
    assert re.search(r"get: 2 files, 3\.5 MiB in \d+\.\d s \(.+/s\)\n$", get.err)
    assert cli("get", "-q", "/tree", "copy2").err == ""
    monkeypatch.delenv("FORCE_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert cli("get", "/tree", "copy3").err == ""  # not a terminal: silent on success


def test_progress_bar_binary_units_and_stdin_without_total(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f.bin").write_bytes(b"f" * (2 * MIB))
    runner = CliRunner()
    # FORCE_COLOR makes Rich draw on the captured stderr as on a terminal.
    env = {"ALLUXIO_PROXY": alluxio_proxy.url, "FORCE_COLOR": "1", "TERM": "xterm"}
    known = runner.invoke(app, ["put", "f.bin", "/f.bin"], env=env)
    assert known.exit_code == 0
    assert "2.0 MiB / 2.0 MiB" in known.stderr
    assert not re.search(r"\d (MB|kB|GB)\b", known.stderr)


def test_stdin_upload_shows_no_fake_total(alluxio_proxy: EmbeddedProxy, tmp_path: Path) -> None:
    # put - reads the process's standard input (file descriptor 0): a real process.
    env = {**os.environ, "ALLUXIO_PROXY": alluxio_proxy.url, "FORCE_COLOR": "1", "TERM": "xterm"}
    piped = subprocess.run(
        [*console_command(), "put", "-", "/stdin.bin"],
        input=b"s" * MIB,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    err = piped.stderr.decode()
    assert piped.returncode == 0, err
    assert "1.0 MiB" in err
    assert "/?" not in err and "ETA" not in err
    assert "put: 1 file, 1.0 MiB in" in err


def test_global_options_after_the_command(
    cli: Cli, client: alluxio.Client, alluxio_proxy: EmbeddedProxy
) -> None:
    client.create_directory("/after")
    dead = "http://127.0.0.1:1"  # ALLUXIO_PROXY: the flag after the command must win
    good = cli("ls", "/", "--proxy", alluxio_proxy.url, proxy=dead)
    assert (good.code, good.out) == (0, "after\n")
    also = cli("ls", "/", f"--proxy={alluxio_proxy.url}", proxy=dead)
    assert (also.code, also.out) == (0, "after\n")


def test_hoisting_keeps_a_commands_own_option() -> None:
    from typer.main import get_command

    group = get_command(app)
    ctx = group.make_context("alluxio-py", ["--help"], resilient_parsing=True)

    def hoist(*args: str) -> list[str]:
        return hoist_global_options(group, ctx, list(args))

    assert hoist("ls", "/", "--proxy", "U") == ["--proxy", "U", "ls", "/"]
    assert hoist("serve", "--dialect", "1.x", "--root", "d") == [
        "serve",
        "--dialect",
        "1.x",
        "--root",
        "d",
    ]
    assert hoist("ls", "--", "--proxy") == ["ls", "--", "--proxy"]
    assert hoist("--timeout", "5", "ls", "-l", "--dialect", "1.x") == [
        "--dialect",
        "1.x",
        "--timeout",
        "5",
        "ls",
        "-l",
    ]


def test_refused_connection_hints_at_the_proxy_setting(cli: Cli) -> None:
    result = cli("ls", "/", proxy="http://127.0.0.1:1")
    assert result.code == 1
    assert result.err.startswith("alluxio-py: ls /: CONNECTION_ERROR: ")
    assert result.err.endswith(
        " (is the proxy running there? Set it with --proxy URL or ALLUXIO_PROXY;"
        " 'alluxio-py config show' says where it came from)\n"
    )
    assert result.err.count("\n") == 1


def test_ls_long_shows_no_size_for_directories(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/d/sub/deeper", alluxio.option.CreateDirectory(recursive=True))
    client.write_bytes("/d/sub/x", b"x")
    client.write_bytes("/d/file", b"y" * 2048)
    lines = cli("ls", "-l", "-h", "/d").out.splitlines()
    assert re.match(r"^-rw-r--r--  .*  2\.0K  .*  file$", lines[0])
    assert re.match(r"^drwxr-xr-x  .*  -  .*  sub$", lines[1])
