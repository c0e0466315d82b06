"""The installed ``alluxio-py`` console script in subprocesses: exit codes, JSON output,
the progress bar under a pseudo-terminal (and none when piped), Ctrl-C during transfers,
broken pipes, ``serve`` and ``demo``."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import alluxio
from alluxio import _transfer
from alluxio.server import EmbeddedProxy
from tests.cli.conftest import Console, CuttingRelay, console_command


def terminal_env(proxy_url: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS")
    }
    return {**env, "TERM": "xterm-256color", "ALLUXIO_PROXY": proxy_url}


def run_in_pty(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run ``argv`` with a pseudo-terminal as stdin, stdout and stderr; return its status and
    everything it wrote to the terminal."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=env)
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            output += data
        status = proc.wait(timeout=30)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    return status, output.decode("utf-8", "replace")


# -- exit codes and output ----------------------------------------------------------------------


def test_exit_codes_of_the_real_command(console: Console) -> None:
    ok = console("mkdir", "/made")
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, b"", b"")

    error = console("stat", "/nope")
    assert error.returncode == 1
    assert error.stdout == b""
    assert error.stderr.decode().startswith("alluxio-py: stat /nope: NOT_FOUND: ")
    assert error.stderr.count(b"\n") == 1

    usage = console("ls", "--bogus")
    assert usage.returncode == 2
    assert b"No such option" in usage.stderr

    unreachable = console("ls", "/", env={"ALLUXIO_PROXY": "http://127.0.0.1:1"})
    assert unreachable.returncode == 1
    assert unreachable.stderr.decode().startswith("alluxio-py: ls /: CONNECTION_ERROR: ")


def test_json_output_parses(console: Console, client: alluxio.Client) -> None:
    client.create_directory("/j")
    client.write_bytes("/j/f", b"12345")
    listing = json.loads(console("ls", "--json", "/j").stdout)
    assert [(e["name"], e["length"]) for e in listing] == [("f", 5)]
    status = json.loads(console("stat", "--json", "/j/f").stdout)
    assert status["path"] == "/j/f"
    usage = json.loads(console("du", "--json", "-s", "/j").stdout)
    assert usage == [{"path": "/j", "size": 5, "files": 1}]


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alluxio.cli", "--version"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith(b"alluxio-py ")


# -- the progress bar ---------------------------------------------------------------------------


@pytest.mark.parametrize("direction", ["put", "get"])
def test_progress_bar_renders_on_a_terminal(
    alluxio_proxy: EmbeddedProxy, client: alluxio.Client, tmp_path: Path, direction: str
) -> None:
    payload = os.urandom(48 * 1024 * 1024)
    if direction == "put":
        (tmp_path / "big.bin").write_bytes(payload)
        args = ["put", "-t", "2", "big.bin", "/big.bin"]
    else:
        client.write_bytes("/big.bin", payload)
        args = ["get", "/big.bin", "big.bin"]
    status, screen = run_in_pty(
        [*console_command(), *args], tmp_path, terminal_env(alluxio_proxy.url)
    )
    assert status == 0, screen
    assert "━" in screen  # Rich's bar
    # Bytes done / total and the rate, in binary units as du -h.
    assert re.search(r"\d+\.\d MiB / 48\.0 MiB", screen), screen
    assert re.search(r"\d+(\.\d+)? [KMG]iB/s", screen), screen
    assert not re.search(r"\d (MB|kB|GB)\b", screen), screen
    assert f"{direction}: 1 file, 48.0 MiB in " in screen  # the summary line
    assert "ETA" in screen
    assert f"{direction} 1 file" in screen
    if direction == "put":
        assert client.read_bytes("/big.bin") == payload
    else:
        assert (tmp_path / "big.bin").read_bytes() == payload


def test_no_progress_bar_when_piped(
    console: Console, client: alluxio.Client, tmp_path: Path
) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(8 * 1024 * 1024))
    put = console("put", "big.bin", "/big.bin")
    assert (put.returncode, put.stdout, put.stderr) == (0, b"", b"")
    get = console("get", "/big.bin", "copy.bin")
    assert (get.returncode, get.stdout, get.stderr) == (0, b"", b"")
    assert (tmp_path / "copy.bin").read_bytes() == (tmp_path / "big.bin").read_bytes()


def test_quiet_flag_hides_the_bar_on_a_terminal(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path
) -> None:
    (tmp_path / "f.bin").write_bytes(os.urandom(1024 * 1024))
    status, screen = run_in_pty(
        [*console_command(), "put", "-q", "f.bin", "/f.bin"],
        tmp_path,
        terminal_env(alluxio_proxy.url),
    )
    assert (status, screen) == (0, "")


# -- interruptions ------------------------------------------------------------------------------


# A shell without job control starts background commands with SIGINT ignored, and an
# ignored signal stays ignored across exec: a test run started that way (seen: a CI run
# under `nohup ... &`) would hand it on to the command under test, which then never sees
# the SIGINT sent below. Start the command with SIGINT at its default, as a terminal does.
WITH_DEFAULT_SIGINT = [
    sys.executable,
    "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execv(sys.argv[1], sys.argv[1:])",
]

# Each stops a command like Ctrl-C: cleanup, exit status 128 + signal, one line on stderr.
STOPS = [
    pytest.param(signal.SIGINT, "alluxio-py: interrupted", id="SIGINT"),
    pytest.param(signal.SIGTERM, "alluxio-py: stopped by SIGTERM", id="SIGTERM"),
    pytest.param(signal.SIGHUP, "alluxio-py: stopped by SIGHUP", id="SIGHUP"),
]


@pytest.mark.parametrize(("signum", "line"), STOPS)
def test_ctrl_c_during_put_leaves_no_partial_file(
    alluxio_proxy: EmbeddedProxy, client: alluxio.Client, tmp_path: Path, signum: int, line: str
) -> None:
    fifo = tmp_path / "stream.fifo"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [*WITH_DEFAULT_SIGINT, *console_command(), "put", "stream.fifo", "/dest.bin"],
        cwd=tmp_path,
        env=terminal_env(alluxio_proxy.url),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        with open(fifo, "wb") as writer:  # opens once the command reads the pipe
            writer.write(os.urandom(3 * 1024 * 1024))  # returns once it is mostly consumed
            writer.flush()
            proc.send_signal(signum)
            time.sleep(1.5)  # let the signal land before the data ends
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert err.decode().strip().splitlines()[-1] == line
    assert not client.exists("/dest.bin")
    assert [
        info.path for info in client.list_status("/") if _transfer.UPLOAD_TEMP_MARKER in info.path
    ] == []


@pytest.mark.parametrize(("signum", "line"), STOPS)
def test_ctrl_c_during_get_from_a_silent_proxy_leaves_no_partial_file(
    client: alluxio.Client,
    tmp_path: Path,
    cutting_relay: Callable[..., CuttingRelay],
    signum: int,
    line: str,
) -> None:
    client.write_bytes("/big.bin", os.urandom(8 * 1024 * 1024))
    relay = cutting_relay(2 * 1024 * 1024, "stall")
    proc = subprocess.Popen(
        [
            *WITH_DEFAULT_SIGINT,
            *console_command(),
            "--proxy",
            relay.url,
            "get",
            "/big.bin",
            "big.bin",
        ],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not any(p.stat().st_size for p in tmp_path.glob("big.bin.part-*")):
            assert time.monotonic() < deadline, "the download never started"
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        while relay.cuts == 0:  # the proxy has gone silent
            time.sleep(0.05)
        proc.send_signal(signum)
        _out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signum, err
    assert err.decode().strip().splitlines()[-1] == line
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("big.bin")] == []


def test_cat_into_a_closed_pipe_is_quiet(console: Console, client: alluxio.Client) -> None:
    client.write_bytes("/big.bin", os.urandom(4 * 1024 * 1024))
    pipeline = subprocess.run(
        f"{' '.join(console_command())} cat /big.bin | head -c 10 | wc -c",
        shell=True,
        capture_output=True,
        env={**os.environ, "ALLUXIO_PROXY": client.current_proxy},
        timeout=60,
        check=False,
    )
    assert pipeline.stdout.strip() == b"10"
    assert pipeline.stderr == b""


# -- serve and demo -----------------------------------------------------------------------------


def test_serve_runs_the_embedded_proxy_until_ctrl_c(tmp_path: Path) -> None:
    root = tmp_path / "root"
    proc = subprocess.Popen(
        [*console_command(), "serve", "--root", str(root), "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().decode().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url), url
        made = subprocess.run(
            [*console_command(), "--proxy", url, "mkdir", "/served"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert made.returncode == 0, made.stderr
        assert (root / "served").is_dir()
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(ValueError):
            proc.communicate(timeout=5)


def test_demo_round_trip(tmp_path: Path) -> None:
    result = subprocess.run(
        [*console_command(), "demo", "--root", str(tmp_path / "root")],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    out = result.stdout.decode()
    assert result.returncode == 0, out + result.stderr.decode()
    assert "$ export ALLUXIO_PROXY=http://127.0.0.1:" in out
    for step in (
        "$ alluxio-py mkdir -p /demo/data",
        "$ alluxio-py put hello.txt sample.bin /demo/data/",
        "$ alluxio-py ls -l -h /demo/data",
        "$ alluxio-py stat /demo/data/sample.bin",
        "$ alluxio-py cat /demo/data/hello.txt\nHello from alluxio-py!",
        "$ alluxio-py get /demo/data/sample.bin copy.bin",
        "$ alluxio-py du -s -h /demo\n  8.0M  /demo",
        "$ alluxio-py rm -r /demo",
    ):
        assert step in out
    assert re.search(r" 8\.0M  [-\d]+ [:\d]+  sample\.bin\n", out), out
    assert "identical" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["root"]  # nothing left in cwd


def test_put_from_standard_input(console: Console, client: alluxio.Client, tmp_path: Path) -> None:
    payload = os.urandom(3 * 1024 * 1024)
    piped = subprocess.run(
        [*console_command(), "put", "-", "/from-stdin.bin"],
        input=payload,
        capture_output=True,
        env={**os.environ, "ALLUXIO_PROXY": client.current_proxy},
        timeout=60,
        check=False,
    )
    assert (piped.returncode, piped.stderr) == (0, b"")
    assert client.read_bytes("/from-stdin.bin") == payload

    into_dir = console("put", "-", "/")
    assert into_dir.returncode == 1
    assert into_dir.stderr.decode().startswith("alluxio-py: put -: ")
    assert console("put", "-", "other", "/x/").returncode == 2
