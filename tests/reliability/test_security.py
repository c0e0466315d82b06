"""Security: secrets stay secret; the embedded proxy stays on loopback, in its root, bounded.

The fuzz tests drive the embedded proxy with hypothesis-generated paths and JSON bodies over
real HTTP, and check that it never crashes (every 5xx is the JSON error envelope, no traceback
is sent or logged) and never touches the file system outside its root.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import httpx
import psutil
import pytest
import respx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import alluxio
from alluxio import exceptions as exc
from alluxio import option
from alluxio.server import EmbeddedProxy

SECRET = "S3CR3T-value-9f2c"
ACCESS = "AKIA-access-4411"
PROPERTIES = {"aws.secretKey": SECRET, "aws.accessKeyId": ACCESS}


def _leaks(text: str) -> bool:
    return SECRET in text or ACCESS in text


# -- secrets ---------------------------------------------------------------------------------


def test_mount_options_hide_property_values_in_reprs() -> None:
    opt = option.Mount(properties=PROPERTIES, read_only=True)
    for text in (repr(opt), str(opt), f"{opt!r}", repr([opt]), repr({"o": opt})):
        assert not _leaks(text), text
    assert "aws.secretKey" in repr(opt)  # the keys are not secret
    assert opt.json()["properties"] == PROPERTIES  # ... and the values are still sent


@pytest.fixture
def all_logs() -> Iterator[list[logging.LogRecord]]:
    """Every log record of every logger, at DEBUG (httpx, httpcore, uvicorn, alluxio...)."""
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("httpx", "httpcore", "alluxio", "uvicorn")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    try:
        yield records
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _formatted(records: list[logging.LogRecord]) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(r) for r in records)


def test_mount_secrets_never_reach_the_logs(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path, all_logs: list[logging.LogRecord]
) -> None:
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    opt = option.Mount(properties=PROPERTIES)
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        client.mount("/mnt", str(ufs), opt)
        with pytest.raises(exc.AlluxioError) as failed:
            client.mount("/mnt", str(ufs), opt)  # already mounted: an error
        with pytest.raises(exc.AlluxioError):
            client.mount("/other", str(tmp_path / "missing"), opt)
        client.unmount("/mnt")
    text = _formatted(all_logs)
    assert "HTTP Request: POST" in text  # httpx did log at DEBUG/INFO
    assert "mount" in text
    assert not _leaks(text)
    assert not _leaks(str(failed.value))


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_credentials_in_the_mount_source_never_reach_the_logs(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path, all_logs: list[logging.LogRecord], kind: str
) -> None:
    # scheme://user:password@host/... : httpx logs the request URL (src in its query) at INFO.
    src = f"s3a://{ACCESS}:{SECRET}@bucket/data"
    with pytest.raises(exc.AlluxioError) as failed:
        if kind == "sync":
            with alluxio.Client.from_url(alluxio_proxy.url) as client:
                client.mount("/s3", src)
        else:

            async def mount() -> None:
                async with alluxio.AsyncClient.from_url(alluxio_proxy.url) as client:
                    await client.mount("/s3", src)

            anyio.run(mount)
    text = _formatted(all_logs)
    assert "HTTP Request: POST" in text and "src=s3a" in text
    assert "%2A%2A%2A%3A%2A%2A%2A%40bucket" in text  # ***:***@bucket, URL-encoded
    assert not _leaks(text), text
    assert not _leaks(str(failed.value))


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(
            500,
            json={
                "statusCode": "INVALID_ARGUMENT",
                "message": f"bad property aws.secretKey={SECRET} (accessKeyId {ACCESS})",
            },
        ),
        httpx.Response(400, text=f'Unrecognized field "x" in {{"properties":{{"k":"{SECRET}"}}}}'),
        httpx.Response(502, text=f"<html>upstream said {SECRET}</html>"),
    ],
    ids=["envelope", "binding-error", "gateway"],
)
def test_mount_secrets_echoed_by_the_proxy_are_redacted(
    reply: httpx.Response, all_logs: list[logging.LogRecord]
) -> None:
    with respx.mock() as router, alluxio.Client("proxy.test") as client:
        router.post("http://proxy.test:39999/api/v1/paths//m/mount").mock(return_value=reply)
        with pytest.raises(exc.AlluxioError) as info:
            client.mount("/m", "s3://bucket/dir", option.Mount(properties=PROPERTIES))
    error = info.value
    for text in (str(error), repr(error), error.message, *map(str, error.args)):
        assert not _leaks(text), text
    assert "***" in error.message
    assert not _leaks(_formatted(all_logs))


def test_the_real_proxys_echo_of_mount_properties_is_redacted() -> None:
    # Recorded from the real 2.9.6 proxy: a failed mount's message quotes the MountContext,
    # properties (credentials) included.
    fixture = Path(__file__).parents[1] / "fixtures/real_proxy/error_mount_echoes_properties.json"
    recorded = json.loads(fixture.read_text())
    sent = json.loads(recorded["request"]["body"])["properties"]
    answer = recorded["response"]["body_json"]
    assert sent["aws.secretKey"] in answer["message"]  # the proxy really does echo it
    with respx.mock() as router, alluxio.Client("proxy.test") as client:
        router.post("http://proxy.test:39999/api/v1/paths//fx/mnt/mount").mock(
            return_value=httpx.Response(recorded["response"]["status"], json=answer)
        )
        with pytest.raises(exc.AlluxioError) as info:
            client.mount("/fx/mnt", "/nonexistent-ufs", option.Mount(properties=sent))
    assert sent["aws.secretKey"] not in str(info.value)
    assert 'value: "***"' in info.value.message
    assert "Ufs path /nonexistent-ufs does not exist" in info.value.message


def test_credentials_in_the_mount_source_are_redacted_from_errors(
    alluxio_proxy: EmbeddedProxy,
) -> None:
    # The proxy quotes the source it cannot mount. (Credentials belong in the properties:
    # the source is a URL query parameter, which httpx logs at INFO.)
    src = f"s3://{ACCESS}:{SECRET}@bucket/dir"
    with (
        alluxio.Client.from_url(alluxio_proxy.url) as client,
        pytest.raises(exc.AlluxioError) as info,
    ):
        client.mount("/m", src)
    assert not _leaks(str(info.value))
    assert "s3://***:***@bucket/dir" in info.value.message


def test_mount_secrets_are_redacted_by_the_async_client_too() -> None:
    import asyncio

    reply = httpx.Response(500, json={"statusCode": "UNKNOWN", "message": f"echo {SECRET}"})

    async def run() -> exc.AlluxioError:
        async with alluxio.AsyncClient("proxy.test") as client:
            try:
                await client.mount("/m", "s3://b", option.Mount(properties=PROPERTIES))
            except exc.AlluxioError as error:
                return error
        raise AssertionError("no error")

    with respx.mock() as router:
        router.post("http://proxy.test:39999/api/v1/paths//m/mount").mock(return_value=reply)
        error = asyncio.run(run())
    assert not _leaks(str(error))


def test_transport_errors_do_not_show_the_mount_query(all_logs: list[logging.LogRecord]) -> None:
    src = f"s3://{ACCESS}:{SECRET}@bucket/dir"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with (
        alluxio.Client("127.0.0.1", port, retries=False) as client,
        pytest.raises(exc.HTTPError) as info,
    ):
        client.mount("/m", src, option.Mount(properties=PROPERTIES))
    assert "/api/v1/paths//m/mount" in str(info.value)
    assert not _leaks(str(info.value))


# -- the embedded proxy: loopback, root confinement, bounded bodies --------------------------


def test_the_embedded_proxy_listens_on_loopback_by_default(tmp_path: Path) -> None:
    with EmbeddedProxy(tmp_path / "root") as proxy:
        assert proxy.host == "127.0.0.1"
        listening = [
            c.laddr
            for c in psutil.Process().net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == proxy.port
        ]
        assert [addr.ip for addr in listening] == ["127.0.0.1"]


def test_the_server_command_listens_on_loopback_by_default(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "alluxio.server", "--root", str(tmp_path / "r"), "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        port = int(url.rsplit(":", 1)[1])
        listening = [
            c.laddr.ip
            for c in psutil.Process(process.pid).net_connections(kind="inet")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port
        ]
        assert listening == ["127.0.0.1"]
    finally:
        process.terminate()
        process.wait(30)


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[tuple[EmbeddedProxy, Path]]:
    """A proxy whose root sits next to an ``outside`` directory it must never touch; a
    symbolic link inside the root points there."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"outside the root")
    (outside / "dir").mkdir()
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    os.symlink(outside / "secret.txt", root / "file-link")
    with EmbeddedProxy(root) as proxy:
        yield proxy, outside


def _snapshot(directory: Path) -> dict[str, tuple[int, int, bytes]]:
    found: dict[str, tuple[int, int, bytes]] = {}
    for dirpath, dirnames, filenames in os.walk(directory):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            data = Path(path).read_bytes() if os.path.isfile(path) else b""
            found[os.path.relpath(path, directory)] = (st.st_mode, st.st_mtime_ns, data)
    return found


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c: c.read_bytes("/link/secret.txt"),
        lambda c: c.read_bytes("/file-link"),
        lambda c: c.write_bytes("/link/new.txt", b"x"),
        lambda c: c.create_directory("/link/newdir"),
        lambda c: c.delete("/link/secret.txt"),
        lambda c: c.delete("/link", option.Delete(recursive=True)),
        lambda c: c.rename("/link/secret.txt", "/stolen"),
        lambda c: c.list_status("/link"),
        lambda c: c.get_status("/link/secret.txt"),
        lambda c: c.set_attribute("/link/secret.txt", option.SetAttribute(pinned=True)),
        lambda c: c.read_bytes("/../outside/secret.txt"),
        lambda c: c.write_bytes("/../outside/new.txt", b"x"),
        lambda c: c.create_directory("/../../escape", option.CreateDirectory(recursive=True)),
        lambda c: c.rename("/file-link", "/../outside/moved"),
    ],
)
def test_paths_are_confined_to_the_root(sandbox: tuple[EmbeddedProxy, Path], attempt: Any) -> None:
    proxy, outside = sandbox
    before = _snapshot(outside)
    with alluxio.Client.from_url(proxy.url) as client:
        try:
            result = attempt(client)
        except (exc.AlluxioError, exc.HTTPError):
            result = None
        assert result is None or b"outside the root" not in (
            result if isinstance(result, bytes) else repr(result).encode()
        )
    assert _snapshot(outside) == before
    assert not (outside.parent / "escape").exists()


@pytest.mark.parametrize(
    "attempt",
    [
        lambda c: c.read_bytes("/.alluxio-proxy/state.sqlite3"),
        lambda c: c.list_status("/.alluxio-proxy"),
        lambda c: c.read_bytes("/state-link/state.sqlite3"),
        lambda c: c.list_status("/state-link"),
        lambda c: c.delete("/state-link", option.Delete(recursive=True)),
        lambda c: c.rename("/state-link/state.sqlite3", "/copy"),
        lambda c: c.write_bytes("/.alluxio-proxy/state.sqlite3", b"x"),
    ],
)
def test_the_state_store_with_mount_credentials_is_out_of_reach(
    tmp_path: Path, attempt: Any
) -> None:
    # The proxy keeps its state (mount properties included) under root/.alluxio-proxy.
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(root / ".alluxio-proxy", root / "state-link")
    with (
        EmbeddedProxy(root, allow_mounts=[tmp_path]) as proxy,
        alluxio.Client.from_url(proxy.url) as client,
    ):
        ufs = tmp_path / "ufs"
        ufs.mkdir()
        client.mount("/m", str(ufs), option.Mount(properties=PROPERTIES))
        with pytest.raises(exc.AlluxioError):
            attempt(client)
        assert ".alluxio-proxy" not in client.ls("/")
        assert not _leaks(repr(client.list_status("/")))
    assert (root / ".alluxio-proxy" / "state.sqlite3").stat().st_size > 0


def test_dot_dot_is_resolved_within_the_root(sandbox: tuple[EmbeddedProxy, Path]) -> None:
    proxy, _ = sandbox
    with alluxio.Client.from_url(proxy.url) as client:
        client.create_directory("/a")
        # Raw request, so no client-side normalisation: the proxy must keep it under the root.
        response = httpx.post(f"{proxy.url}/api/v1/paths//a/%2e%2e/%2e%2e/x/create-directory")
        assert response.status_code in (200, 500)
        assert not (Path(proxy.root).parent / "x").exists()


@pytest.mark.parametrize("size", [(1 << 20) + 1, 8 << 20])
def test_json_bodies_are_bounded(alluxio_proxy: EmbeddedProxy, size: int) -> None:
    body = b'{"recursive": true, "pad": "' + b"x" * size + b'"}'
    with httpx.Client(base_url=alluxio_proxy.url) as http:
        response = http.post(
            "/api/v1/paths//d/create-directory",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 413
        assert "larger than" in response.text
        # The proxy is still fine.
        assert http.get("/api/v1/proxy/info").status_code == 200
    assert not (Path(alluxio_proxy.root) / "d").exists()


def test_deeply_nested_json_is_a_clean_error(
    alluxio_proxy: EmbeddedProxy, all_logs: list[logging.LogRecord]
) -> None:
    body = b"[" * 200_000 + b"]" * 200_000
    with httpx.Client(base_url=alluxio_proxy.url) as http:
        response = http.post(
            "/api/v1/paths//d/exists", content=body, headers={"content-type": "application/json"}
        )
    assert response.status_code in (400, 413, 500)
    _assert_clean(response)
    assert not [r for r in all_logs if r.levelno >= logging.ERROR], _formatted(all_logs)


# -- fuzzing ---------------------------------------------------------------------------------

_ACTIONS = [
    "create-directory",
    "create-file",
    "delete",
    "exists",
    "free",
    "get-status",
    "list-status",
    "mount",
    "open-file",
    "rename",
    "set-attribute",
    "unmount",
]
_SEGMENTS = st.one_of(
    st.sampled_from(["..", ".", "", "link", "file-link", "a", "%2e%2e", "%2F", "..%2f", "~", "*"]),
    st.text(min_size=1, max_size=12),
    st.text(alphabet="./%\\\x00", min_size=1, max_size=6),
)
_PATHS = st.lists(_SEGMENTS, min_size=0, max_size=6).map(lambda parts: "/" + "/".join(parts))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "recursive",
                    "allowExists",
                    "mode",
                    "ownerBits",
                    "writeType",
                    "blockSizeBytes",
                    "properties",
                    "commonOptions",
                    "ttl",
                    "ttlAction",
                    "readOnly",
                    "shared",
                    "pinned",
                    "owner",
                    "x",
                ]
            )
            | st.text(max_size=10),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)
_BODIES = st.one_of(
    st.none(),
    _JSON.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
)


def _quote(path: str) -> str:
    # Keep the fuzzer's own %xx sequences and slashes; percent-encode what a URL cannot hold.
    out: list[str] = []
    for c in path:
        if c.isascii() and c.isprintable() and c not in " #?":
            out.append(c)
        else:
            out.extend(f"%{b:02X}" for b in c.encode())
    return "".join(out)


# The real proxy answers failures inside Jersey (no route, unsupported media type, an error
# on an octet-stream method) with a bare 500 whose body is just "HTTP <code> <reason>"; the
# embedded proxy reproduces that. Any other 5xx must be the JSON error envelope.
_JERSEY_500 = re.compile(rb"^HTTP [1-5][0-9][0-9] [A-Za-z -]+$")


def _assert_clean(response: httpx.Response) -> None:
    assert b"Traceback" not in response.content
    if response.status_code >= 500:
        assert response.status_code == 500, response
        if _JERSEY_500.match(response.content):
            return
        envelope = response.json()
        assert isinstance(envelope, dict), response.content
        assert set(envelope) == {"statusCode", "message"}, envelope
        assert isinstance(envelope["statusCode"], str), envelope


class _Errors(logging.Handler):
    """Collects ERROR records: the proxy logs unexpected failures (with a traceback) there."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class FuzzTarget:
    proxy: EmbeddedProxy
    base: Path
    http: httpx.Client
    errors: _Errors


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    base = tmp_path_factory.mktemp("fuzz")
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"outside the root")
    (base / "ufs" / "d").mkdir(parents=True)
    root = base / "root"
    root.mkdir()
    os.symlink(outside, root / "link")
    os.symlink(outside / "secret.txt", root / "file-link")
    errors = _Errors()
    watched = [logging.getLogger(name) for name in ("alluxio.server", "uvicorn.error")]
    for logger in watched:
        logger.addHandler(errors)
    try:
        with (
            EmbeddedProxy(root, allow_mounts=[base / "ufs"]) as proxy,
            httpx.Client(base_url=proxy.url) as http,
        ):
            yield FuzzTarget(proxy, base, http, errors)
    finally:
        for logger in watched:
            logger.removeHandler(errors)


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=_PATHS,
    action=st.sampled_from(_ACTIONS),
    body=_BODIES,
    query=st.one_of(st.none(), _PATHS),
)
def test_fuzz_path_actions_never_crash_or_escape(
    fuzz_target: FuzzTarget,
    path: str,
    action: str,
    body: bytes | None,
    query: str | None,
) -> None:
    base, http = fuzz_target.base, fuzz_target.http
    before = sorted(p.name for p in base.iterdir())
    outside = _snapshot(base / "outside")
    params: dict[str, str] = {}
    if query is not None:
        # Mount sources start under base/ufs, the only directory the proxy may mount; a
        # generated "/../outside" must then be refused (checked below: outside is untouched).
        src = f"{base / 'ufs'}{query}"
        params = {"dst": query} if action == "rename" else {"src": src}
    url = f"/api/v1/paths/{_quote(path)}/{action}"
    headers = {"content-type": "application/json"} if body is not None else {}
    response = http.post(url, content=body or b"", params=params, headers=headers)
    _assert_clean(response)
    if action == "open-file" and response.status_code == 200:
        stream = response.json()
        data = http.post(f"/api/v1/streams/{stream}/read")
        assert b"outside the root" not in data.content
        http.post(f"/api/v1/streams/{stream}/close")
    if action == "create-file" and response.status_code == 200:
        stream = response.json()
        http.post(f"/api/v1/streams/{stream}/write", content=b"fuzz")
        _assert_clean(http.post(f"/api/v1/streams/{stream}/close"))
    assert sorted(p.name for p in base.iterdir()) == before
    assert _snapshot(base / "outside") == outside
    assert not fuzz_target.errors.records, fuzz_target.errors.records


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    stream=st.one_of(st.integers(), st.text(max_size=12)),
    action=st.sampled_from(["read", "write", "close"]),
    body=st.binary(max_size=32),
)
def test_fuzz_stream_ids_never_crash(
    fuzz_target: FuzzTarget, stream: int | str, action: str, body: bytes
) -> None:
    text = _quote(str(stream)).replace("/", "%2F") or "%20"
    response = fuzz_target.http.post(f"/api/v1/streams/{text}/{action}", content=body)
    _assert_clean(response)
    assert response.status_code in (200, 400, 404, 405, 415, 500)
    assert not fuzz_target.errors.records, fuzz_target.errors.records
