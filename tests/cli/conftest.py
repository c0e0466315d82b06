"""Fixtures for the ``alluxio-py`` tests.

``cli`` runs commands in-process through Typer's ``CliRunner`` (fast; most tests);
``console`` runs the installed console script in a subprocess (exit codes, terminals,
signals). Both talk HTTP over loopback to an embedded proxy (``alluxio_proxy``).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio.cli import app
from alluxio.server import EmbeddedProxy


@dataclass
class Outcome:
    """What one command did: exit status, stdout (text and bytes) and stderr."""

    code: int
    out: str
    err: str
    out_bytes: bytes


Cli = Callable[..., Outcome]


@pytest.fixture
def cli(alluxio_proxy: EmbeddedProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli("ls", "-l", "/")``: run an alluxio-py command in-process against the proxy.

    The working directory is ``tmp_path`` so relative local paths land there.
    """
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, proxy: str | None = None) -> Outcome:
        env = {"ALLUXIO_PROXY": proxy or alluxio_proxy.url}
        result = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    return invoke


@pytest.fixture
def client(alluxio_proxy: EmbeddedProxy) -> Iterator[alluxio.Client]:
    """A client of the same proxy, to set up and check state independently of the CLI."""
    with alluxio.Client.from_url(alluxio_proxy.url) as c:
        yield c


def console_command() -> list[str]:
    """The installed ``alluxio-py`` script next to this interpreter (else ``-m``)."""
    script = Path(sys.executable).parent / "alluxio-py"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "alluxio.cli"]


Console = Callable[..., "subprocess.CompletedProcess[bytes]"]


@pytest.fixture
def console(alluxio_proxy: EmbeddedProxy, tmp_path: Path) -> Console:
    """``console("ls", "/")``: run the real console command in a subprocess (stdout/stderr
    piped), with ``ALLUXIO_PROXY`` pointing at the proxy and ``tmp_path`` as cwd."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
        full_env = {**os.environ, "ALLUXIO_PROXY": alluxio_proxy.url, **(env or {})}
        return subprocess.run(
            [*console_command(), *args],
            cwd=tmp_path,
            env=full_env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=120,
            check=False,
        )

    return run


class CuttingRelay:
    """A TCP relay in front of a proxy that cuts a connection once it has relayed ``limit``
    bytes in one direction: from the proxy (``"down"``: the proxy "dies" mid-response) or to
    it (``"up"``: mid-request). With ``"stall"`` the proxy goes silent instead: after ``limit``
    bytes of response nothing more is relayed, and the connection stays open until
    :meth:`close`."""

    def __init__(self, upstream_port: int, limit: int, direction: str = "down") -> None:
        self.upstream_port = upstream_port
        self.limit = limit
        self.direction = direction
        self.cuts = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                downstream, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            up_limit = self.limit if self.direction == "up" else None
            down_limit = self.limit if self.direction in ("down", "stall") else None
            for args in ((downstream, upstream, up_limit), (upstream, downstream, down_limit)):
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, limit: int | None) -> None:
        relayed = 0
        try:
            while data := source.recv(65536):
                if limit is not None and relayed + len(data) > limit:
                    sink.sendall(data[: limit - relayed])
                    self.cuts += 1
                    if self.direction == "stall":
                        self._stop.wait()
                    break
                sink.sendall(data)
                relayed += len(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()


@pytest.fixture
def cutting_relay(alluxio_proxy: EmbeddedProxy) -> Iterator[Callable[..., CuttingRelay]]:
    """Factory of :class:`CuttingRelay` in front of ``alluxio_proxy``."""
    relays: list[CuttingRelay] = []

    def make(limit: int, direction: str = "down") -> CuttingRelay:
        relay = CuttingRelay(alluxio_proxy.port, limit, direction)
        relays.append(relay)
        return relay

    yield make
    for relay in relays:
        relay.close()
