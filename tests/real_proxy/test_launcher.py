"""scripts/real-proxy and tests/_real_proxy.py: tool detection, CLI contract, clean shutdown."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests._real_proxy import (
    RealProxy,
    RealProxyError,
    RealProxyUnavailable,
    _find_java,
    build_classpath,
    main,
    start_real_proxy,
)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "real-proxy"


def test_explicit_missing_java_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(RealProxyUnavailable, match="not found"):
        _find_java(str(tmp_path / "no-java"))


def test_no_java_anywhere_is_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.delenv("REAL_PROXY_JAVA", raising=False)
    with pytest.raises(RealProxyUnavailable) as info, start_real_proxy(tmp_path / "ufs"):
        pass
    assert info.value.reason == "no Java runtime found (install a JDK or set JAVA_HOME)"


def test_unknown_release_line_is_an_error() -> None:
    with pytest.raises(RealProxyError, match=r"no launcher for Alluxio 3\.0\.0"):
        build_classpath("3.0.0")


def test_cli_exit_code_3_when_java_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--root", str(tmp_path / "ufs"), "--java", str(tmp_path / "no-java")])
    assert code == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "real-proxy: unavailable: Java executable" in captured.err


def _java_children(pid: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=,comm=", "--ppid", str(pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(line.split()[0]) for line in out.splitlines() if line.split()[1:] == ["java"]]


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.real_proxy
@pytest.mark.slow
def test_script_prints_url_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    try:
        _find_java()
        build_classpath()
    except RealProxyUnavailable as exc:
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), "--root", str(tmp_path / "ufs")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()  # blocks until the proxy answers
        assert url.startswith("http://127.0.0.1:"), proc.stderr.read() if proc.stderr else ""
        assert httpx.get(f"{url}/api/v1/proxy/info").json()["version"].startswith("2.")
        (jvm,) = _java_children(proc.pid)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        assert _wait_gone(jvm, 10)
        assert proc.stderr is not None
        logs = proc.stderr.read()
        work = logs.split("logs in ", 1)[1].split("/logs)", 1)[0]
        assert not Path(work).exists()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


_FAKE_JAVA = """#!{python}
# Stands in for java: the first start fails the way a port race does, the next one serves.
import http.server, json, sys, threading
from pathlib import Path

attempts = Path({attempts!r})
attempts.write_text(attempts.read_text() + "x" if attempts.exists() else "x")
if len(attempts.read_text()) == 1:
    print("java.net.BindException: Address already in use", file=sys.stderr)
    sys.exit(2)


class Info(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({{"version": "2.9.6"}}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Info)
threading.Thread(target=server.serve_forever, daemon=True).start()
print(f"ALLUXIO_PROXY_PORT={{server.server_port}}", flush=True)
sys.stdin.read()  # exit when the launcher closes stdin, as the real one does
"""


def _stand_in_java(tmp_path: Path, script: str) -> Path:
    """An executable ``java`` running ``script`` (RealProxy still builds the classpath)."""
    try:
        build_classpath()
    except RealProxyUnavailable as exc:
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")
    java = tmp_path / "java"
    java.write_text(script)
    java.chmod(0o755)
    return java


def test_a_port_taken_during_start_up_is_retried_with_new_ports(tmp_path: Path) -> None:
    # Ports are picked free and then released for the services to bind; another process can
    # take one in between (seen in a run: the 1.8.1 worker's "Address already in use").
    attempts = tmp_path / "attempts"
    java = _stand_in_java(
        tmp_path, _FAKE_JAVA.format(python=sys.executable, attempts=str(attempts))
    )
    with RealProxy(tmp_path / "ufs", java=str(java)) as proxy:
        assert proxy.url is not None
        assert httpx.get(f"{proxy.url}/api/v1/proxy/info").json() == {"version": "2.9.6"}
    assert attempts.read_text() == "xx"


def test_other_start_up_failures_are_not_retried(tmp_path: Path) -> None:
    java = _stand_in_java(
        tmp_path, f"#!{sys.executable}\nimport sys\nprint('boom', file=sys.stderr)\nsys.exit(3)\n"
    )
    with pytest.raises(RealProxyError, match=r"exited with 3 during start-up(?s:.*)boom"):
        RealProxy(tmp_path / "ufs", java=str(java)).start()


@pytest.mark.real_proxy
@pytest.mark.slow
def test_a_proxy_port_in_use_fails_start_up_without_waiting_out_the_timeout(
    tmp_path: Path,
) -> None:
    # The proxy's start fails at once ("Address already in use"); the launcher used to wait
    # for it to become ready for its whole timeout (120 s) anyway, per attempt.
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(RealProxyError, match="Address already in use"):
            RealProxy(tmp_path / "ufs", port=port).start()
        elapsed = time.monotonic() - started
    assert elapsed < 110, f"{elapsed:.0f} s for three attempts"
