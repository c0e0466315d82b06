"""Replays of the attacks on the embedded proxy (issue #19); each must be refused.

Every attack runs while another client keeps asking ``exists``: the proxy must answer it in
under a second throughout (``responsive``). The proxies here are configured with small limits
where the attack would otherwise take long; the suite's budget is 90 s.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import resource
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import anyio
import httpx
import psutil
import pytest

import alluxio
from alluxio import exceptions as exc
from alluxio.server import EmbeddedProxy, Limits
from alluxio.server.pytest_plugin import ProxyFactory

SHADOW = "root:*:20228:0:99999:7:::\n"


# The prober: its own process, a raw keep-alive connection, one line per probe on stdout
# ("<seconds>" or "error <what>"); it stops when its stdin is closed.
_PROBER = r"""
import select, socket, sys, time
host, port = sys.argv[1], int(sys.argv[2])
request = (
    b"POST /api/v1/paths//probe/exists HTTP/1.1\r\n"
    b"Host: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
)
sock = socket.create_connection((host, port), timeout=60)
while not select.select([sys.stdin], [], [], 0.02)[0]:
    started = time.perf_counter()
    sock.sendall(request)
    reply = b""
    while b"\r\n\r\n" not in reply or not reply.endswith(b"false"):
        chunk = sock.recv(4096)
        if not chunk or len(reply) > 4096:
            print("error", (reply + chunk)[:300], flush=True)
            sys.exit(1)
        reply += chunk
    if not reply.startswith(b"HTTP/1.1 200 "):
        print("error", reply[:300], flush=True)
        sys.exit(1)
    print(time.perf_counter() - started, flush=True)
"""


@contextlib.contextmanager
def responsive(url: str) -> Iterator[list[float]]:
    """Probe ``exists`` from another client every 20 ms while the block runs; on exit,
    assert every probe answered in under a second (and that there were probes).

    The client probing runs in a process of its own, on a raw connection, so a probe's time
    is the server's answer time: not that plus the waits of a Python client sharing the
    test process (and its interpreter lock) with the server and the attacking client, which
    made single probes take over a second when the machine was loaded (load 20 on 2 cores).
    Every probe still counts: one slow answer fails the test.
    """
    host, port = url.removeprefix("http://").rsplit(":", 1)
    prober = subprocess.Popen(
        [sys.executable, "-c", _PROBER, host, port],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert prober.stdin is not None and prober.stdout is not None
    out = prober.stdout
    latencies: list[float] = []
    failures: list[str] = []

    def collect() -> None:
        for line in out:
            if line.startswith("error"):
                failures.append(line.strip())
            else:
                latencies.append(float(line))

    reader = threading.Thread(target=collect, name="exists-probes")
    reader.start()
    try:
        # Probing before the attack starts.
        deadline = time.monotonic() + 30
        while not latencies and prober.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        yield latencies
        # At least a few probes overlap the attack, however fast it was refused.
        deadline = time.monotonic() + 5
        while len(latencies) < 3 and prober.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        prober.stdin.close()
        prober.wait(60)
        reader.join(60)
    assert not failures, failures
    assert len(latencies) >= 3
    assert max(latencies) < 1.0, f"exists took {max(latencies):.2f} s during the attack"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A directory standing for a developer's home: secrets outside the allowed area."""
    path = tmp_path / "home"
    (path / ".ssh").mkdir(parents=True)
    (path / ".ssh" / "authorized_keys").write_text("ssh-ed25519 AAAA legit\n")
    (path / "shadow").write_text(SHADOW)
    (path / "allowed").mkdir()
    (path / "allowed" / "data.txt").write_text("fine to share\n")
    return path


@pytest.fixture
def confined(alluxio_proxy_factory: ProxyFactory, home: Path) -> EmbeddedProxy:
    """A proxy that may mount only ``home/allowed``."""
    return alluxio_proxy_factory(allow_mounts=[home / "allowed"])


def _mount(url: str, path: str, src: str, **headers: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/paths/{path}/mount", params={"src": src}, json={}, headers=headers
    )


def _assert_refused_mount(r: httpx.Response, src: str) -> None:
    assert r.status_code == 500, r.text
    body = r.json()
    assert body["statusCode"] == "PERMISSION_DENIED"
    assert body["message"].startswith(f"Mounting {src} is not allowed")
    assert "--allow-mount" in body["message"]


# -- 1. confined mounts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "src",
    ["/etc", "/root", "/proc/self", "/", "file:///etc", "file:///proc/self/"],
)
def test_mounting_system_directories_is_refused(confined: EmbeddedProxy, src: str) -> None:
    with responsive(confined.url):
        r = _mount(confined.url, "/etc_m", src)
    _assert_refused_mount(r, src)
    with alluxio.Client.from_url(confined.url) as client:
        assert not client.exists("/etc_m")
        with pytest.raises(exc.NotFoundError):
            client.read_bytes("/etc_m/shadow")


def test_a_secret_outside_the_allowed_directory_cannot_be_read(
    confined: EmbeddedProxy, home: Path
) -> None:
    with alluxio.Client.from_url(confined.url) as client:
        with pytest.raises(exc.PermissionDeniedError, match="is not allowed"):
            client.mount("/h", str(home))
        with pytest.raises(exc.NotFoundError):
            client.read_bytes("/h/shadow")


@pytest.mark.parametrize("how", ["dotdot", "symlink", "file-uri-dotdot", "symlinked-parent"])
def test_escapes_resolve_before_the_check(confined: EmbeddedProxy, home: Path, how: str) -> None:
    allowed = home / "allowed"
    if how == "dotdot":
        src = f"{allowed}/../.ssh"
    elif how == "symlink":
        os.symlink(home / ".ssh", allowed / "keys")
        src = str(allowed / "keys")
    elif how == "file-uri-dotdot":
        src = f"file://{allowed}/.."
    else:
        os.symlink(home, allowed / "up")
        src = f"{allowed}/up/.ssh"
    with responsive(confined.url):
        r = _mount(confined.url, "/keys", src)
    _assert_refused_mount(r, src)
    assert (home / ".ssh" / "authorized_keys").read_text() == "ssh-ed25519 AAAA legit\n"


def test_the_refusal_does_not_reveal_whether_a_path_exists(confined: EmbeddedProxy) -> None:
    present = _mount(confined.url, "/a", "/etc").json()["message"]
    absent = _mount(confined.url, "/b", "/etc-does-not-exist").json()["message"]
    assert present.replace("/etc", "X") == absent.replace("/etc-does-not-exist", "X")


@pytest.mark.parametrize("form", ["plain", "file-uri", "dotdot-inside"])
def test_mounting_under_an_allowed_directory_works(
    confined: EmbeddedProxy, home: Path, form: str
) -> None:
    allowed = home / "allowed"
    src = {
        "plain": str(allowed),
        "file-uri": f"file://{allowed}",
        "dotdot-inside": f"{allowed}/../allowed",
    }[form]
    with alluxio.Client.from_url(confined.url) as client:
        client.mount("/shared", src)
        assert client.read_bytes("/shared/data.txt") == b"fine to share\n"
        client.write_bytes("/shared/new.bin", b"\x00\x01")
    assert (allowed / "new.bin").read_bytes() == b"\x00\x01"


def test_nothing_can_be_mounted_without_allowed_directories(tmp_path: Path) -> None:
    (tmp_path / "ufs").mkdir()
    with (
        EmbeddedProxy(tmp_path / "root") as proxy,
        alluxio.Client.from_url(proxy.url) as client,
        pytest.raises(exc.PermissionDeniedError, match="is not allowed"),
    ):
        client.mount("/m", str(tmp_path / "ufs"))


def test_mounts_outside_the_allowed_set_are_not_reactivated_on_restart(
    tmp_path: Path, home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    allowed = home / "allowed"
    with (
        EmbeddedProxy(root, allow_mounts=[allowed]) as proxy,
        alluxio.Client.from_url(proxy.url) as client,
    ):
        client.mount("/shared", str(allowed))
    # Restarted by someone else without that permission: the mount stays inactive.
    with caplog.at_level(logging.WARNING, logger="alluxio.server"):
        proxy = EmbeddedProxy(root)
        proxy.start()
    try:
        with alluxio.Client.from_url(proxy.url) as client:
            assert not client.exists("/shared/data.txt")
            assert not client.get_status("/shared").mount_point
    finally:
        proxy.stop()
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("not activating the mount at /shared" in m for m in warned), warned
    # Allowed again: the mount is back.
    with (
        EmbeddedProxy(root, allow_mounts=[allowed]) as proxy,
        alluxio.Client.from_url(proxy.url) as client,
    ):
        assert client.read_bytes("/shared/data.txt") == b"fine to share\n"


def test_a_mounted_directory_replaced_by_a_symlink_is_not_reactivated(
    tmp_path: Path, home: Path
) -> None:
    root = tmp_path / "root"
    target = home / "allowed" / "sub"
    target.mkdir()
    with (
        EmbeddedProxy(root, allow_mounts=[home / "allowed"]) as proxy,
        alluxio.Client.from_url(proxy.url) as client,
    ):
        client.mount("/sub", str(target))
    target.rmdir()
    os.symlink(home, target)  # now points at the secrets
    with (
        EmbeddedProxy(root, allow_mounts=[home / "allowed"]) as proxy,
        alluxio.Client.from_url(proxy.url) as client,
        pytest.raises(exc.NotFoundError),
    ):
        client.read_bytes("/sub/shadow")


# -- 2. no cross-site requests ---------------------------------------------------------------


def _raw_post(url: str, path: str, headers: dict[str, str], body: bytes = b"{}") -> httpx.Response:
    # No Content-Type: what a page's no-cors fetch sends.
    return httpx.post(f"{url}{path}", content=body, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Host": "rebind.evil.example:39111"},
        {"Host": "rebind.evil.example"},
        {"Host": "rebind.evil.example:39111", "Origin": "http://rebind.evil.example:39111"},
    ],
    ids=["evil-origin", "null-origin", "rebinding-host", "rebinding-host-no-port", "both"],
)
def test_pages_cannot_drive_the_proxy(
    confined: EmbeddedProxy, home: Path, headers: dict[str, str]
) -> None:
    url = confined.url
    with responsive(url):
        mounted = _raw_post(url, f"/api/v1/paths//h/mount?src={home / 'allowed'}", headers, b"")
        created = _raw_post(url, "/api/v1/paths//authorized_keys/create-file", headers)
    for r in (mounted, created):
        assert r.status_code == 403, r.text
        assert r.json()["statusCode"] == "PERMISSION_DENIED"
        assert "access-control-allow-origin" not in r.headers
    with alluxio.Client.from_url(url) as client:
        assert client.ls("/") == []
    assert confined.open_streams == 0


def test_the_refusal_says_what_to_allow(confined: EmbeddedProxy) -> None:
    r = _raw_post(confined.url, "/api/v1/paths//x/exists", {"Origin": "http://evil.example"})
    assert "--allow-origin" in r.json()["message"]
    r = _raw_post(confined.url, "/api/v1/paths//x/exists", {"Host": "evil.example"})
    assert "--allow-host" in r.json()["message"]


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost", "LOCALHOST.", "127.0.0.1:1", "[::1]:8", "app.localhost"]
)
def test_loopback_names_and_addresses_are_accepted(confined: EmbeddedProxy, host: str) -> None:
    r = _raw_post(confined.url, "/api/v1/paths//x/exists", {"Host": host}, b"")
    assert r.status_code == 200 and r.json() is False
    assert "access-control-allow-origin" not in r.headers


def test_allowed_hosts_and_origins(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(
        allow_hosts=["proxy.internal"], allow_origins=["http://localhost:8000"]
    )
    ok = _raw_post(proxy.url, "/api/v1/paths//x/exists", {"Host": "proxy.internal:39999"}, b"")
    assert ok.status_code == 200
    page = {"Origin": "http://localhost:8000", "Content-Type": "application/json"}
    r = _raw_post(proxy.url, "/api/v1/paths//x/exists", page, b"")
    assert r.status_code == 200 and r.json() is False
    assert r.headers["access-control-allow-origin"] == "http://localhost:8000"
    preflight = httpx.options(
        f"{proxy.url}/api/v1/paths//x/create-directory",
        headers={
            "Origin": "http://localhost:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-methods"] == "GET, HEAD, POST"
    assert preflight.headers["access-control-allow-headers"] == "content-type"
    other = _raw_post(proxy.url, "/api/v1/paths//x/exists", {"Origin": "http://localhost:9"})
    assert other.status_code == 403


# -- 3. binding and the token ----------------------------------------------------------------


def test_listening_beyond_loopback_needs_an_explicit_flag(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="allow_remote=True"):
        EmbeddedProxy(tmp_path / "root", host="0.0.0.0")
    proc = subprocess.run(
        [sys.executable, "-m", "alluxio.server", "--root", str(tmp_path / "r"), "--host", "::"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "--allow-remote" in proc.stderr and proc.stdout == ""


def test_listening_beyond_loopback_warns(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="alluxio.server"),
        EmbeddedProxy(tmp_path / "root", host="0.0.0.0", allow_remote=True, token="t0k") as proxy,
    ):
        r = httpx.post(
            f"http://127.0.0.1:{proxy.port}/api/v1/paths//x/exists",
            headers={"Authorization": "Bearer t0k"},
        )
        assert r.json() is False
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "listens on 0.0.0.0: other machines can reach it" in warned
    assert "t0k" not in warned


TOKEN = "tok-7c1f0e2b9a"


@pytest.fixture
def guarded(alluxio_proxy_factory: ProxyFactory) -> EmbeddedProxy:
    return alluxio_proxy_factory(token=TOKEN)


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        (None, "This proxy requires a bearer token"),
        ("Bearer wrong", "The bearer token is not valid"),
        (f"Basic {TOKEN}", "The bearer token is not valid"),
        (f"Bearer {TOKEN}x", "The bearer token is not valid"),
    ],
)
def test_every_endpoint_requires_the_token(
    guarded: EmbeddedProxy, authorization: str | None, message: str
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [
        ("POST", "/api/v1/paths//x/create-directory"),
        ("POST", "/api/v1/streams/1/read"),
        ("GET", "/api/v1/proxy/info"),
        ("GET", "/api/v1/paths//x/download-file"),
        ("GET", "/elsewhere"),
    ]:
        r = httpx.request(method, f"{guarded.url}{path}", headers=headers)
        assert r.status_code == 401, (path, r.text)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.json() == {"statusCode": "UNAUTHENTICATED", "message": r.json()["message"]}
        assert r.json()["message"].startswith(message)
        assert TOKEN not in r.text
    with (
        alluxio.Client.from_url(guarded.url) as client,
        pytest.raises(exc.UnauthenticatedError, match="requires a bearer token"),
    ):
        client.exists("/x")
    assert not (Path(guarded.root) / "x").exists()


def test_the_token_lets_requests_through(guarded: EmbeddedProxy) -> None:
    for scheme in ("Bearer", "bearer"):
        with httpx.Client(
            base_url=guarded.url, headers={"Authorization": f"{scheme} {TOKEN}"}
        ) as http:
            assert http.post("/api/v1/paths//d/exists").json() is False


def _bearer(request: httpx.Request) -> httpx.Request:
    request.headers["Authorization"] = f"Bearer {TOKEN}"
    return request


def test_the_clients_send_the_token(guarded: EmbeddedProxy) -> None:
    for options in ({"headers": {"Authorization": f"Bearer {TOKEN}"}}, {"auth": _bearer}):
        with alluxio.Client.from_url(guarded.url, **options) as client:
            client.write_bytes("/via-client", b"ok")
            assert client.read_bytes("/via-client") == b"ok"
            client.delete("/via-client")

    async def use_async() -> bytes:
        async with alluxio.AsyncClient.from_url(guarded.url, auth=_bearer) as client:
            await client.write_bytes("/via-async", b"async")
            return await client.read_bytes("/via-async")

    assert anyio.run(use_async) == b"async"


def test_the_command_line_sends_the_token(guarded: EmbeddedProxy) -> None:
    from typer.testing import CliRunner

    from alluxio.cli import app

    runner = CliRunner()
    env = {"ALLUXIO_PROXY": guarded.url}
    refused = runner.invoke(app, ["mkdir", "/cli"], env=env)
    assert refused.exit_code == 1
    assert "requires a bearer token" in refused.stderr
    made = runner.invoke(app, ["mkdir", "/cli"], env={**env, "ALLUXIO_PY_TOKEN": TOKEN})
    assert made.exit_code == 0, made.stderr
    header = runner.invoke(app, ["--header", f"Authorization: Bearer {TOKEN}", "ls", "/"], env=env)
    assert (header.exit_code, header.stdout) == (0, "cli\n")
    assert TOKEN not in refused.stderr + made.stderr + header.stderr


def test_the_server_command_takes_the_token_from_the_environment_and_never_shows_it(
    tmp_path: Path,
) -> None:
    env = {**os.environ, "ALLUXIO_PY_SERVER_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alluxio.server",
            "--root",
            str(tmp_path / "root"),
            "--port",
            "0",
            "--log-level",
            "debug",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert httpx.post(f"{url}/api/v1/paths//x/exists").status_code == 401
        r = httpx.post(
            f"{url}/api/v1/paths//x/exists", headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.json() is False
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert TOKEN not in out + err + url


# -- 4. bounded resources --------------------------------------------------------------------


def _send_huge_head(url: str, budget: int, *, in_url: bool = False) -> tuple[bytes, int]:
    """Stream a request head of up to ``budget`` bytes in 64 KiB pieces, a little at a time
    (the attack: one endless header); stop when the server answers or hangs up. Returns what
    the server sent and how many bytes went out."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    sock = socket.create_connection((host, int(port)), timeout=10)
    start = b"POST /api/v1/paths//" + b"a" * 10 if in_url else b"POST /api/v1/paths//x/exists"
    head = start + (b" HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " if not in_url else b"")
    sent = 0
    reply = b""
    piece = b"a" * (64 << 10)
    with sock:
        sock.sendall(head)
        try:
            while sent < budget:
                readable, _, _ = select.select([sock], [], [], 0.005)
                if readable:
                    break
                sock.sendall(piece)
                sent += len(piece)
            while chunk := sock.recv(65536):
                reply += chunk
        except (ConnectionResetError, BrokenPipeError):
            pass
    return reply, sent


@pytest.mark.parametrize("in_url", [False, True], ids=["header", "request-line"])
def test_a_huge_request_head_is_refused_early(
    alluxio_proxy_factory: ProxyFactory, in_url: bool
) -> None:
    proxy = alluxio_proxy_factory()
    with responsive(proxy.url):
        # Up to 32 MiB offered; the server must hang up long before.
        reply, sent = _send_huge_head(proxy.url, 32 << 20, in_url=in_url)
    assert reply.startswith(b"HTTP/1.1 431 "), reply[:200]
    assert b'"statusCode":"RESOURCE_EXHAUSTED"' in reply
    assert b"Request line and headers larger than 65536 bytes" in reply
    # Socket buffers let some more through before the refusal is seen; not 32 MiB.
    assert sent < 8 << 20


def test_the_head_limit_is_configurable_and_normal_heads_pass(
    alluxio_proxy_factory: ProxyFactory,
) -> None:
    proxy = alluxio_proxy_factory(limits=Limits(max_header_bytes=4096))
    big = {"X-Pad": "p" * 3000}
    r = httpx.post(f"{proxy.url}/api/v1/paths//x/exists", headers=big)
    assert r.status_code == 200 and r.json() is False
    r = httpx.post(f"{proxy.url}/api/v1/paths//x/exists", headers={"X-Pad": "p" * 5000})
    assert r.status_code == 431
    assert r.json()["message"] == "Request line and headers larger than 4096 bytes"
    with alluxio.Client.from_url(proxy.url) as client:
        client.write_bytes("/after", b"x" * (3 << 20))  # bodies are not heads
        assert client.read_bytes("/after") == b"x" * (3 << 20)


def test_open_streams_are_bounded(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(limits=Limits(max_open_streams=40))
    with httpx.Client(base_url=proxy.url) as http, responsive(proxy.url):
        ids = [http.post(f"/api/v1/paths//s{i}/create-file", json={}).json() for i in range(40)]
        refused = http.post("/api/v1/paths//s40/create-file", json={})
        reading = http.post("/api/v1/paths//s0/open-file", json={})
        for r in (refused, reading):
            assert r.status_code == 500
            assert r.json()["statusCode"] == "RESOURCE_EXHAUSTED"
            assert r.json()["message"].startswith("Too many open streams (the limit is 40)")
        assert proxy.open_streams == 40
        assert http.post("/api/v1/paths//s40/exists").json() is False
        assert http.post(f"/api/v1/streams/{ids[0]}/close").status_code == 200
        assert http.post("/api/v1/paths//s40/create-file", json={}).status_code == 200
    with (
        alluxio.Client.from_url(proxy.url) as client,
        pytest.raises(exc.ResourceExhaustedError, match="Too many open streams"),
    ):
        client.write_bytes("/more", b"x")


def _descriptors() -> int:
    """File descriptors this process (the proxy runs in it) holds."""
    return psutil.Process().num_fds()


def test_many_idle_streams_hold_few_file_descriptors(
    alluxio_proxy_factory: ProxyFactory,
) -> None:
    # 2,000 streams opened and left idle (~20,000 exhausted the descriptors in the issue).
    cap, count, workers = 16, 2000, 4
    proxy = alluxio_proxy_factory(limits=Limits(max_idle_fds=cap, max_open_streams=count + 10))
    sources = {f"/src{i}": os.urandom(1000 + i) for i in range(50)}
    with alluxio.Client.from_url(proxy.url) as client:
        for path, data in sources.items():
            client.write_bytes(path, data)
    clients = [httpx.Client(base_url=proxy.url) for _ in range(workers)]
    reads: dict[int, str] = {}
    writes: dict[int, str] = {}
    peak = 0
    done = threading.Event()

    def open_streams(worker: int) -> None:
        http = clients[worker]
        for i in range(worker, count, workers):
            if i % 2:
                path = f"/src{i % len(sources)}"
                reads[http.post(f"/api/v1/paths/{path}/open-file", json={}).json()] = path
            else:
                path = f"/up{i}"
                writes[http.post(f"/api/v1/paths/{path}/create-file", json={}).json()] = path

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.005):
            peak = max(peak, _descriptors())

    try:
        for http in clients:  # connected before counting
            assert http.post("/api/v1/paths//x/exists").json() is False
        with responsive(proxy.url):
            base = _descriptors()
            sampler = threading.Thread(target=sample)
            sampler.start()
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(open_streams, range(workers)))
            done.set()
            sampler.join()
        assert proxy.open_streams == count
        # Beyond the idle streams' cap: only streams in use (one per client) and slack.
        assert peak - base <= cap + workers + 4, (peak, base)
        assert _descriptors() - base <= cap
        # Every stream still works, in any order: writes append, reads get their file.
        order = [*reads, *writes]
        random.Random(19).shuffle(order)
        http = clients[0]
        for sid in order:
            if sid in reads:
                r = http.post(f"/api/v1/streams/{sid}/read")
                assert r.content == sources[reads[sid]], sid
            else:
                r = http.post(f"/api/v1/streams/{sid}/write", content=f"{sid};".encode())
                assert r.json() == len(f"{sid};")
        assert _descriptors() - base <= cap
        for sid in order:
            assert http.post(f"/api/v1/streams/{sid}/close").status_code == 200
    finally:
        for http in clients:
            http.close()
    assert proxy.open_streams == 0
    for sid, path in writes.items():
        assert Path(proxy.root, path[1:]).read_bytes() == f"{sid};".encode()
    with alluxio.Client.from_url(proxy.url) as client:
        sid, path = next(iter(writes.items()))
        assert client.read_bytes(path) == f"{sid};".encode()
    assert list(Path(proxy.root, ".alluxio-proxy", "tmp").iterdir()) == []


def test_the_default_stream_limit_leaves_file_descriptors_to_spare() -> None:
    # Every open stream holds a descriptor: the default stays below the process's limit.
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    limit = Limits().max_open_streams
    assert limit == min(1024, soft // 2) or soft == resource.RLIM_INFINITY
    script = (
        "import resource; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
        "from alluxio.server import Limits; print(Limits().max_open_streams)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.strip() == "128"


def test_tiny_blocks_cannot_amplify_metadata(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory()  # the default limit: 10000 blocks per file
    with httpx.Client(base_url=proxy.url) as http, responsive(proxy.url):
        sid = http.post(
            "/api/v1/paths//amp/create-file",
            json={"blockSizeBytes": 1},
            headers={"content-type": "application/json"},
        ).json()
        r = http.post(f"/api/v1/streams/{sid}/write", content=b"z" * 200_000)
        assert r.status_code == 500
        assert r.json()["statusCode"] == "RESOURCE_EXHAUSTED"
        assert r.json()["message"] == (
            "/amp would have more than 10000 blocks of 1 bytes (the limit per file): the "
            "upload is discarded; create the file with a larger blockSizeBytes"
        )
        # The stream is gone and the file never appears (nothing half-written).
        assert http.post(f"/api/v1/streams/{sid}/close").json()["statusCode"] == "INTERNAL"
        assert http.post("/api/v1/paths//amp/exists").json() is False
        assert http.post("/api/v1/paths///list-status", json={}).json() == []
    assert proxy.open_streams == 0


def test_files_within_the_block_limit_are_fine(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(limits=Limits(max_blocks_per_file=8))
    with alluxio.Client.from_url(proxy.url) as client:
        opt = alluxio.option.CreateFile(block_size_bytes=4)
        with client.open("/ok", "w", opt) as writer:
            writer.write(b"12345678")
            writer.write(b"abcdefghijklmnopqrstuvwx")
        assert client.read_bytes("/ok") == b"12345678abcdefghijklmnopqrstuvwx"
        assert len(client.get_status("/ok").file_block_infos) == 8
        with pytest.raises(exc.ResourceExhaustedError, match="more than 8 blocks of 4 bytes"):
            client.write_bytes("/big", b"y" * 33, opt)
        assert not client.exists("/big")


def test_json_bodies_are_bounded_by_the_configured_limit(
    alluxio_proxy_factory: ProxyFactory,
) -> None:
    proxy = alluxio_proxy_factory(limits=Limits(max_json_body=2048))
    body = b'{"recursive": true, "pad": "' + b" " * 4096 + b'"}'
    with responsive(proxy.url):
        r = httpx.post(
            f"{proxy.url}/api/v1/paths//d/create-directory",
            content=body,
            headers={"content-type": "application/json"},
        )
    assert r.status_code == 413
    assert r.text == "Request body larger than 2048 bytes"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_open_streams": 0}, "max_open_streams must be a positive int"),
        ({"max_idle_fds": 0}, "max_idle_fds must be a positive int, not 0"),
        ({"max_idle_fds": -3}, "max_idle_fds must be a positive int, not -3"),
        ({"max_idle_fds": 2.5}, "max_idle_fds must be a positive int, not 2.5"),
        ({"max_header_bytes": 100}, "max_header_bytes must be at least 1024"),
        ({"max_blocks_per_file": True}, "max_blocks_per_file must be a positive int"),
        ({"max_json_body": -1}, "max_json_body must be positive"),
    ],
)
def test_bad_limits_are_a_clear_error(options: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Limits(**options)
