"""Servers the tests share: a canned-answer HTTP server on a raw socket, an embedded proxy
in a process of its own, and a real Alluxio proxy that skips (or fails in CI) without Java."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests._real_proxy import DEFAULT_VERSION, RealProxyUnavailable, start_real_proxy


@contextlib.contextmanager
def canned_http(answer: Callable[[bytes], bytes]) -> Iterator[str]:
    """A server on loopback that reads each request's head, sends ``answer(head)`` (a whole
    response, as bytes) and closes the connection; yields its URL."""
    listener = socket.create_server(("127.0.0.1", 0))

    def run() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            with conn:
                request = b""
                while b"\r\n\r\n" not in request and (data := conn.recv(65536)):
                    request += data
                conn.sendall(answer(request))

    threading.Thread(target=run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        listener.close()


@contextlib.contextmanager
def embedded_proxy_process(root: Path, *args: str) -> Iterator[str]:
    """``python -m alluxio.server --root ROOT ARGS...`` in its own process (its memory is
    not the test's); yields its URL once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "alluxio.server", "--root", str(root), "--port", str(port)]
    server = subprocess.Popen(
        [*command, *args], stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/api/v1/proxy/info", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(30)


@contextlib.contextmanager
def real_proxy_or_skip(root: Path, version: str = DEFAULT_VERSION) -> Iterator[str]:
    """A real Alluxio proxy of ``version`` over ``root`` (see tests/_real_proxy.py); without
    Java or Maven the test is skipped, or fails where CI sets ALLUXIO_PY_REQUIRE_REAL_PROXY
    (there a missing Java must not pass as a skip)."""
    try:
        with start_real_proxy(root, version=version) as url:
            yield url
    except RealProxyUnavailable as exc:
        if os.environ.get("ALLUXIO_PY_REQUIRE_REAL_PROXY"):
            pytest.fail(f"real Alluxio proxy required but unavailable: {exc.reason}")
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")
