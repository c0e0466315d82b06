"""The Alluxio project's own client, ``alluxio==0.1.4`` from PyPI, against our embedded proxy.

An independent check of protocol fidelity: the unmodified reference client runs a full
scenario (``ref_scenario.py``) in its own virtualenv against ``python -m alluxio.server``
started as a subprocess, then a second proxy process on the same root must still serve it.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import threading
import time
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.reference_client

REQUIREMENT = "alluxio==0.1.4"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "alluxio-py-tests"
SCENARIO = Path(__file__).with_name("ref_scenario.py")


def reference_python() -> Path:
    """The interpreter of a virtualenv holding the reference client (built once, cached)."""
    env_dir = CACHE / "ref-venv"
    python = env_dir / "bin" / "python"
    marker = env_dir / ".installed"
    CACHE.mkdir(parents=True, exist_ok=True)
    # Parallel test sessions share the cache: build it under a lock.
    with open(CACHE / "ref-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists() or marker.read_text() != REQUIREMENT:
            venv.EnvBuilder(clear=True, with_pip=True).create(env_dir)
            result = subprocess.run(
                [
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    REQUIREMENT,
                ],
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert result.returncode == 0, f"installing {REQUIREMENT} failed:\n{result.stderr}"
            marker.write_text(REQUIREMENT)
    return python


@pytest.fixture(scope="module")
def ref_python() -> Path:
    return reference_python()


def start_proxy(root: Path) -> tuple[subprocess.Popen[str], str, int]:
    # The scenario mounts a directory next to the root (tmp_path/ufs).
    allow = ["--allow-mount", str(root.parent)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "alluxio.server", "--root", str(root), "--port", "0", *allow],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    assert url.startswith("http://"), proc.stderr.read() if proc.stderr else url
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return proc, host, int(port)


@pytest.fixture
def proxy_process(tmp_path: Path) -> Iterator[tuple[str, int, Path]]:
    proc, host, port = start_proxy(tmp_path / "root")
    try:
        yield host, port, tmp_path / "root"
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def run_reference(ref_python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ref_python), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        # The reference venv must import the PyPI package, never this checkout's alluxio/.
        cwd=CACHE,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )


def test_reference_client_is_the_pypi_package(ref_python: Path) -> None:
    result = run_reference(
        ref_python,
        "-c",
        "import alluxio, importlib.metadata as m; print(m.version('alluxio'), alluxio.__file__)",
    )
    assert result.returncode == 0, result.stderr
    version, location = result.stdout.split()
    assert version == "0.1.4"
    assert "site-packages" in location


def test_reference_client_full_scenario(
    ref_python: Path, proxy_process: tuple[str, int, Path], tmp_path: Path
) -> None:
    host, port, _root = proxy_process
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    (ufs / "seed.txt").write_bytes(b"from the under store\n")
    result = run_reference(ref_python, str(SCENARIO), host, str(port), str(ufs))
    assert result.returncode == 0, result.stdout + result.stderr
    steps = [line.split(" ", 1)[1] for line in result.stdout.splitlines() if line.startswith("ok ")]
    assert steps == [
        "directories",
        "writes",
        "reads",
        "status",
        "attributes",
        "rename",
        "delete",
        "mount",
        "errors",
    ]
    assert result.stdout.rstrip().endswith("SCENARIO PASSED")
    # Written through a mount: the data landed in the under store directory.
    assert (ufs / "written.txt").read_bytes() == b"through the proxy\n"


WRITE = """
import sys, alluxio
c = alluxio.Client(sys.argv[1], int(sys.argv[2]))
with c.open('/kept/data.bin', 'w', alluxio.option.CreateFile(recursive=True)) as f:
    f.write(b'x' * (3 * 1024 * 1024))
c.set_attribute('/kept/data.bin', alluxio.option.SetAttribute(pinned=True))
print(c.get_status('/kept/data.bin').file_id)
"""

READ = """
import sys, alluxio
c = alluxio.Client(sys.argv[1], int(sys.argv[2]))
with c.open('/kept/data.bin', 'r') as f:
    assert f.read() == b'x' * (3 * 1024 * 1024)
s = c.get_status('/kept/data.bin')
assert s.pinned
print(s.file_id)
"""


def test_reference_client_data_survives_restart(ref_python: Path, tmp_path: Path) -> None:
    root = tmp_path / "restart-root"
    ids = []
    for script in (WRITE, READ):
        proc, host, port = start_proxy(root)
        try:
            result = run_reference(ref_python, "-c", script, host, str(port))
            assert result.returncode == 0, result.stderr
            ids.append(result.stdout.strip())
        finally:
            proc.terminate()
            proc.communicate(timeout=30)
        assert proc.returncode == 0
    assert ids[0] == ids[1]


@pytest.mark.real_proxy
def test_reference_client_full_scenario_on_the_real_proxy(
    ref_python: Path, real_proxy_url: str, tmp_path: Path
) -> None:
    """The same unmodified scenario against the real Alluxio proxy: the third side of the
    comparison (real proxy, embedded proxy, reference client and ours)."""
    host, port = real_proxy_url.removeprefix("http://").rsplit(":", 1)
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    (ufs / "seed.txt").write_bytes(b"from the under store\n")
    result = run_reference(ref_python, str(SCENARIO), host, port, str(ufs))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().endswith("SCENARIO PASSED")
    # No check of the under store here: the real proxy's default write type is ASYNC_THROUGH
    # and the scenario unmounts right after writing, before the asynchronous persist runs.


class _IdleClosingServer:
    """An HTTP/1.1 server that, like Jetty at its idle timeout, closes a keep-alive connection
    without answering when the next request comes after ``idle_s`` seconds of silence."""

    def __init__(self, idle_s: float) -> None:
        self.idle_s = idle_s
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as stream:
            last = time.monotonic()
            while True:
                line = stream.readline()
                if not line:
                    return
                if time.monotonic() - last >= self.idle_s:
                    return  # closed "without response", as the idle timeout fires
                length = 0
                while (header := stream.readline()) not in (b"\r\n", b""):
                    name, _, value = header.decode().partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                stream.read(length)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                last = time.monotonic()

    def close(self) -> None:
        self.sock.close()


IDLE_PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
import requests
from ref_scenario import FreshAfterIdleAdapter

session = requests.Session()
if sys.argv[3] == "fresh":
    session.mount("http://", FreshAfterIdleAdapter(max_idle=0.2))
url = f"http://127.0.0.1:{sys.argv[2]}/api/v1/paths//x/exists"
assert session.post(url).text == "ok"
time.sleep(0.6)
try:
    print(session.post(url).text)
except requests.ConnectionError as exc:
    print(type(exc).__name__, exc)
"""


@pytest.mark.parametrize(
    ("adapter", "expected"), [("plain", "RemoteDisconnected"), ("fresh", "ok")]
)
def test_scenario_session_survives_the_servers_idle_timeout(
    ref_python: Path, adapter: str, expected: str
) -> None:
    """Why CI once failed: a pooled connection reused just as the real proxy's Jetty closed
    it for idleness (30 s). The scenario's session takes a fresh connection after a pause;
    a plain requests session fails the same way CI did."""
    server = _IdleClosingServer(idle_s=0.5)
    try:
        result = run_reference(
            ref_python, "-c", IDLE_PROBE, str(SCENARIO.parent), str(server.port), adapter
        )
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert server.connections == (1 if adapter == "plain" else 2)
