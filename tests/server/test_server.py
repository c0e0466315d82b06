"""The embedded proxy as a server: big transfers, concurrency, restarts, expiry, CLI, 1.x."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest

from alluxio.server import EmbeddedProxy, create_app
from alluxio.server.pytest_plugin import ProxyFactory
from tests.server._api import Api

MIB = 1 << 20


def blob(size: int, seed: int = 0) -> bytes:
    """Deterministic incompressible-ish test data."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}-{counter}".encode()).digest() * 128
        counter += 1
    return bytes(out[:size])


def test_multi_mib_content_length_and_chunked_uploads(api: Api) -> None:
    data = blob(12 * MIB + 12345)
    api.put("/big-cl", data)
    assert api.get("/big-cl") == data

    def pieces() -> Iterator[bytes]:
        # A generator body makes httpx use chunked transfer encoding.
        for i in range(0, len(data), 300_000):
            yield data[i : i + 300_000]

    sid = api.create("/big-chunked")
    r = api.stream(sid, "write", content=pieces())
    assert r.status_code == 200 and r.json() == len(data)
    api.stream(sid, "close")
    # Streamed read: compare without holding a second copy per chunk.
    sid = api.ok("/big-chunked", "open-file").json()
    digest = hashlib.sha256()
    with api.http.stream("POST", f"/api/v1/streams/{sid}/read") as resp:
        assert resp.status_code == 200
        # Announced length (the real proxy would use chunked framing; both are valid HTTP).
        assert resp.headers["content-length"] == str(len(data))
        for chunk in resp.iter_raw():
            digest.update(chunk)
    assert digest.digest() == hashlib.sha256(data).digest()
    api.stream(sid, "close")
    info = api.status("/big-chunked")
    assert info["length"] == len(data) and len(info["blockIds"]) == 1


def test_appending_writes_count_bytes_per_call(api: Api) -> None:
    sid = api.create("/appended")
    total = b""
    for i in range(5):
        part = blob(MIB + i, seed=i)
        assert api.stream(sid, "write", content=part).json() == len(part)
        total += part
    api.stream(sid, "close")
    assert api.get("/appended") == total


def test_concurrent_clients(alluxio_proxy: EmbeddedProxy) -> None:
    def worker(n: int) -> bytes:
        client = Api(alluxio_proxy.url)
        try:
            data = blob(3 * MIB + n, seed=n)
            client.mkdir(f"/c{n}")
            client.put(f"/c{n}/file", data)
            for _ in range(3):
                assert client.get(f"/c{n}/file") == data
            return hashlib.sha256(data).digest()
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        digests = list(pool.map(worker, range(6)))
    assert len(set(digests)) == 6
    api = Api(alluxio_proxy.url)
    assert api.ls("/") == [f"c{n}" for n in range(6)]
    api.close()


def test_slow_reader_does_not_block_other_clients(alluxio_proxy: EmbeddedProxy) -> None:
    api = Api(alluxio_proxy.url)
    api.put("/slow", blob(16 * MIB))
    sid = api.ok("/slow", "open-file").json()
    with api.http.stream("POST", f"/api/v1/streams/{sid}/read") as resp:
        first = next(resp.iter_raw())
        assert first
        # While this response is stalled, the server keeps answering others.
        other = Api(alluxio_proxy.url)
        start = time.monotonic()
        other.mkdir("/meanwhile")
        assert time.monotonic() - start < 5
        other.close()
    api.stream(sid, "close")
    api.close()


def test_everything_survives_a_restart(alluxio_proxy_factory: ProxyFactory, tmp_path: Path) -> None:
    root = tmp_path / "persistent-root"
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    proxy = alluxio_proxy_factory(root)
    api = Api(proxy.url)
    api.mkdir("/keep/dir", recursive=True)
    api.put("/keep/dir/f", b"persisted bytes", {"blockSizeBytes": 4})
    api.ok(
        "/keep/dir/f",
        "set-attribute",
        {"owner": "bob", "pinned": True, "commonOptions": {"ttl": 1234}},
    )
    api.ok("/mnt", "mount", {"readOnly": True}, params={"src": str(ufs)})
    before = api.status("/keep/dir/f")
    mnt_before = api.status("/mnt")
    # An unfinished upload must not survive as a half file.
    sid = api.create("/keep/half")
    api.stream(sid, "write", content=b"partial")
    api.close()
    proxy.stop()

    proxy2 = alluxio_proxy_factory(root)
    api2 = Api(proxy2.url)
    after = api2.status("/keep/dir/f")
    for key in ("fileId", "owner", "pinned", "ttl", "blockIds", "creationTimeMs", "mode"):
        assert after[key] == before[key], key
    # Stream ids restart at 1 in a new process, like the real proxy's counter.
    first = api2.ok("/keep/dir/f", "open-file").json()
    assert first == 1
    assert api2.stream(first, "close").status_code == 200
    assert api2.get("/keep/dir/f") == b"persisted bytes"
    assert api2.status("/mnt")["mountId"] == mnt_before["mountId"]
    api2.error(api2.call("/mnt/x", "create-directory"), "PERMISSION_DENIED")
    assert api2.ok("/keep/half", "exists").json() is False
    assert sorted(os.listdir(root / "keep")) == ["dir"]
    api2.close()


def test_idle_streams_expire(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(stream_timeout=0.4)
    api = Api(proxy.url)
    sid = api.create("/expiring")
    api.stream(sid, "write", content=b"written before expiry")
    api.put("/readable", b"r")
    rid = api.ok("/readable", "open-file").json()
    deadline = time.monotonic() + 10
    while api.status("/expiring")["completed"] is False:
        assert time.monotonic() < deadline, "write stream never expired"
        time.sleep(0.1)
    # Expiry completes the file, as closing would.
    assert api.get("/expiring") == b"written before expiry"
    time.sleep(1.5)  # the read stream was opened a little later: let it expire too
    api.error(api.stream(sid, "write", content=b"late"), "INTERNAL", "stream does not exist")
    api.error(api.stream(rid, "close"), "INTERNAL", "stream does not exist")
    api.close()


def test_active_streams_do_not_expire(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(stream_timeout=0.5)
    api = Api(proxy.url)
    sid = api.create("/kept-alive")
    for _ in range(8):
        assert api.stream(sid, "write", content=b"x").status_code == 200
        time.sleep(0.2)
    assert api.stream(sid, "close").status_code == 200
    assert api.get("/kept-alive") == b"x" * 8
    api.close()


def test_dialect_1x(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(dialect="1.x")
    api = Api(proxy.url, error_key="status")
    # 1.x: top-level ttl/ttlAction are fine, enums are Never/Once/Always, errors use "status".
    api.put("/one", b"1", {"ttl": 5000, "ttlAction": "DELETE"})
    info = api.status("/one")
    assert info["ttl"] == 5000 and info["blockSizeBytes"] == 512 * MIB
    assert "fileInfo" not in info and "acl" not in info and "replicationMax" not in info
    api.ok("/one", "get-status", {"loadMetadataType": "Never"})
    r = api.call("/one", "get-status", {"loadMetadataType": "NEVER"})
    assert r.status_code == 400
    api.error(api.call("/none", "get-status"), "NOT_FOUND", 'Path "/none" does not exist.')
    # 1.x create-file creates missing parents by default.
    api.put("/a/b/c", b"c")
    assert api.get("/a/b/c") == b"c"
    # No download-file in 1.x; and 1.x Jersey failures keep their status, with a Jetty page.
    r = api.http.get("/api/v1/paths//one/download-file")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert api.http.get("/api/v1/paths//one/exists").status_code == 405
    # 1.x CommonOptions has no ttl; 1.x files are MUST_CACHE (not persisted) by default.
    r = api.call("/two", "create-file", {"commonOptions": {"ttl": 5}})
    assert r.status_code == 400 and "alluxio.wire.CommonOptions" in r.text
    assert api.status("/one")["persistenceState"] == "NOT_PERSISTED"
    api.error(api.call("/one", "free"), "UNKNOWN", "Cannot free file /one which is not persisted")
    api.close()


def test_create_app_is_an_asgi_app(tmp_path: Path) -> None:
    app = create_app(tmp_path / "asgi-root")
    transport = httpx.ASGITransport(app=app)

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
            r = await client.post("/api/v1/paths//x/create-directory")
            assert r.status_code == 200
            r = await client.post("/api/v1/paths//x/exists")
            assert r.json() is True

    import anyio

    anyio.run(scenario)
    assert (tmp_path / "asgi-root" / "x").is_dir()


def test_embedded_proxy_lifecycle(tmp_path: Path) -> None:
    proxy = EmbeddedProxy(tmp_path / "lc", port=0)
    assert not proxy.running
    with proxy:
        assert proxy.running and proxy.port != 0
        assert proxy.url == f"http://127.0.0.1:{proxy.port}"
        assert httpx.get(f"{proxy.url}/api/v1/proxy/info").status_code == 200
        with pytest.raises(RuntimeError):
            proxy.start()
    assert not proxy.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{proxy.url}/api/v1/proxy/info")
    assert "lc" in repr(proxy)


def _start_cli(root: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "alluxio.server", "--root", str(root), "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.startswith("http://127.0.0.1:"), (line, proc.stderr.read() if proc.stderr else "")
    return proc, line


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_cli_prints_url_serves_and_stops_cleanly(tmp_path: Path, sig: signal.Signals) -> None:
    proc, url = _start_cli(tmp_path / "cli-root", "--stream-timeout", "60")
    try:
        api = Api(url)
        api.mkdir("/from-cli")
        api.put("/from-cli/f", b"cli")
        assert api.get("/from-cli/f") == b"cli"
        info = api.http.get("/api/v1/proxy/info").json()
        assert info["configuration"]["alluxio.proxy.stream.cache.timeout"] == "1min"
        api.close()
    finally:
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert out == ""
    assert (tmp_path / "cli-root" / "from-cli" / "f").read_bytes() == b"cli"


def test_cli_rejects_a_busy_port(tmp_path: Path) -> None:
    proc, url = _start_cli(tmp_path / "busy")
    try:
        port = url.rsplit(":", 1)[1]
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "alluxio.server",
                "--root",
                str(tmp_path / "b2"),
                "--port",
                port,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode != 0 and "cannot listen" in second.stderr
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_mount_properties_never_reach_logs_or_errors(tmp_path: Path) -> None:
    secret = "s3cr3t-" + hashlib.sha256(str(tmp_path).encode()).hexdigest()[:12]
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    proc, url = _start_cli(
        tmp_path / "root", "--log-level", "debug", "--allow-mount", str(tmp_path)
    )
    try:
        api = Api(url)
        props = {"properties": {"aws.secretKey": secret}}
        api.ok("/m", "mount", props, params={"src": str(ufs)})
        failed = api.call("/n", "mount", props, params={"src": str(tmp_path / "absent")})
        assert secret not in failed.text
        bad = api.call("/o", "mount", {**props, "bogus": 1}, params={"src": str(ufs)})
        assert bad.status_code == 400 and secret not in bad.text
        assert secret not in api.http.post("/api/v1/paths//m/get-status").text
        assert secret not in api.http.get("/api/v1/proxy/info").text
        api.ok("/m", "unmount")
        api.close()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert secret not in out + err
    # Persisted for restarts, in a state directory only the owner can enter.
    assert (tmp_path / "root" / ".alluxio-proxy").stat().st_mode & 0o077 == 0


def test_serve_and_the_server_module_take_the_same_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from alluxio.cli import _app as cli

    def options(text: str) -> list[str]:
        return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", text)))

    assert cli.run(["serve", "--help"]) == 0
    served = capsys.readouterr().out
    assert served.startswith("Usage: alluxio-py serve ")
    module = subprocess.run(
        [sys.executable, "-m", "alluxio.server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert options(served) == options(module)
    for name in (
        "--stream-timeout",
        "--log-level",
        "--allow-mount",
        "--token",
        "--allow-remote",
        "--max-idle-fds",
    ):
        assert name in options(served)
    # Bad values are usage errors (exit status 2) in both, with the same message.
    assert cli.run(["serve", "--root", "r", "--max-open-streams", "0"]) == 2
    assert "--max-open-streams: must be a positive integer, not 0" in capsys.readouterr().err


def _held_under(pid: int, directory: Path) -> int:
    """Files under ``directory`` that process ``pid`` holds open (but its state store)."""
    top = str(directory.resolve()) + "/"
    files = psutil.Process(pid).open_files()
    return sum(f.path.startswith(top) and "state.sqlite3" not in f.path for f in files)


def test_the_idle_descriptor_cap_is_a_server_option(tmp_path: Path) -> None:
    root = tmp_path / "capped"
    proc, url = _start_cli(root, "--max-idle-fds", "3")
    try:
        api = Api(url)
        api.put("/f", b"data")
        reads = [api.ok("/f", "open-file").json() for _ in range(20)]
        writes = [api.create(f"/w{i}") for i in range(20)]
        # Data files and upload files alike: three descriptors for 40 idle streams.
        assert _held_under(proc.pid, root) == 3
        for sid in reads:
            assert api.stream(sid, "read").content == b"data"
        for i, sid in enumerate(writes):
            assert api.stream(sid, "write", content=b"w%d" % i).json() == len(b"w%d" % i)
        assert _held_under(proc.pid, root) == 3
        for sid in reads + writes:
            assert api.stream(sid, "close").status_code == 200
        assert [api.get(f"/w{i}") for i in range(20)] == [b"w%d" % i for i in range(20)]
        api.close()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "must be a positive integer, not 0"),
        ("-5", "must be a positive integer, not -5"),
        ("2.5", "must be a positive integer, not '2.5'"),
        ("many", "must be a positive integer, not 'many'"),
    ],
)
def test_bad_idle_descriptor_caps_are_usage_errors(
    capsys: pytest.CaptureFixture[str], value: str, message: str
) -> None:
    from alluxio.cli import _app as cli
    from alluxio.server.__main__ import main

    assert cli.run(["serve", "--root", "r", "--max-idle-fds", value]) == 2
    assert f"argument --max-idle-fds: {message}" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["--root", "r", f"--max-idle-fds={value}"])
    assert exited.value.code == 2
    assert f"argument --max-idle-fds: {message}" in capsys.readouterr().err


def test_the_cli_reference_shows_every_server_option() -> None:
    from alluxio.server.__main__ import build_parser

    page = (Path(__file__).parents[2] / "docs" / "reference" / "cli.md").read_text()
    serve = page.split("## `serve`", 1)[1].split("\n## ", 1)[0]
    for option in re.findall(r"(?<![\w-])--[a-z][a-z-]+", build_parser().format_help()):
        assert option in serve, option
    assert "--max-idle-fds N" in serve
    # Rendered the same whatever the machine's descriptor limit, and never with a token.
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)); "
        "from alluxio.cli._reference import render; sys.stdout.write(render())"
    )
    env = {**os.environ, "ALLUXIO_PY_SERVER_TOKEN": "s3cret-t0ken", "COLUMNS": "37"}
    rendered = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    ).stdout
    assert rendered == page
    assert "s3cret-t0ken" not in rendered
