"""``verify``, ``cert``, ``trust_env``, ``proxy``, ``headers`` and ``auth`` on both clients,
against real servers on loopback: an embedded Alluxio proxy behind a TLS / mutual-TLS /
token-checking gateway, and an HTTP forward proxy. Async tests run on asyncio and trio.
"""

from __future__ import annotations

import logging
import os
import ssl
import tempfile
import uuid
from collections.abc import Generator, Iterator
from pathlib import Path

import anyio
import fsspec  # type: ignore[import-untyped]
import httpx
import pytest
from typer.testing import CliRunner, Result

import alluxio
from alluxio.cli import app
from alluxio.exceptions import HTTPError, NotFoundError, UnauthenticatedError
from alluxio.server import EmbeddedProxy
from tests.transport.loopback import (
    ForwardProxy,
    Gateway,
    Silent,
    make_ca,
    make_certificate,
    running,
)

TOKEN = "s3cret-t0ken-value"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(tmp_path_factory.mktemp("ufs")) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CA, a server certificate it signed for 127.0.0.1, and a client certificate."""
    directory = tmp_path_factory.mktemp("pki")
    ca = make_ca(directory, "test-ca")
    server = make_certificate(directory, "server", ca=ca)
    client = make_certificate(directory, "client", ca=ca)
    return {
        "ca": ca[1],
        "server_key": server[0],
        "server": server[1],
        "client_key": client[0],
        "client": client[1],
    }


def _upstream_address(proxy: EmbeddedProxy) -> str:
    return proxy.url.removeprefix("http://")


def _server_context(pki: dict[str, Path], *, client_cert: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pki["server"], pki["server_key"])
    if client_cert:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(pki["ca"])
    return context


@pytest.fixture
def tls_gateway(upstream: EmbeddedProxy, pki: dict[str, Path]) -> Iterator[Gateway]:
    gateway = Gateway(_upstream_address(upstream), server_context=_server_context(pki))
    with running(gateway):
        yield gateway


@pytest.fixture
def mtls_gateway(upstream: EmbeddedProxy, pki: dict[str, Path]) -> Iterator[Gateway]:
    context = _server_context(pki, client_cert=True)
    gateway = Gateway(_upstream_address(upstream), server_context=context)
    with running(gateway):
        yield gateway


@pytest.fixture
def token_gateway(upstream: EmbeddedProxy) -> Iterator[Gateway]:
    required = {b"authorization": f"Bearer {TOKEN}".encode()}
    gateway = Gateway(_upstream_address(upstream), required=required)
    with running(gateway):
        yield gateway


@pytest.fixture
def forward_proxy() -> Iterator[ForwardProxy]:
    proxy = ForwardProxy()
    with running(proxy):
        yield proxy


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variables from the machine; the test sets its own."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def _round_trip(client: alluxio.Client, path: str) -> None:
    path = f"{path}-{uuid.uuid4().hex}"  # the proxy is shared by the module's tests
    client.write_bytes(path, b"payload " * 1000)
    assert client.read_bytes(path) == b"payload " * 1000
    assert client.exists(path)


async def _async_round_trip(client: alluxio.AsyncClient, path: str) -> None:
    path = f"{path}-{uuid.uuid4().hex}"
    await client.write_bytes(path, b"payload " * 1000)
    assert await client.read_bytes(path) == b"payload " * 1000
    assert await client.exists(path)
    # From a file with a blocking read: on asyncio's plain connections the transport sends
    # it from a worker thread; through TLS or a proxy it is iterated piece by piece.
    data = os.urandom(2 * (1 << 20) + 3)
    with tempfile.TemporaryFile() as local:
        local.write(data)
        local.seek(0)
        assert await client.write_bytes(f"{path}.file", local) == len(data)
    assert await client.read_bytes(f"{path}.file") == data


# -- TLS: verify ---------------------------------------------------------------------------


def test_verify_against_a_custom_ca(
    tls_gateway: Gateway, pki: dict[str, Path], no_proxy_env: pytest.MonkeyPatch
) -> None:
    url = tls_gateway.url
    # The default CAs (here SSL_CERT_FILE, the system bundle) do not know the test CA.
    with (
        alluxio.Client.from_url(url, retries=False) as client,
        pytest.raises(HTTPError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.exists("/")
    with alluxio.Client.from_url(url, verify=str(pki["ca"])) as client:
        _round_trip(client, "/tls-ca-path.bin")
    context = ssl.create_default_context(cafile=str(pki["ca"]))
    with alluxio.Client.from_url(url, verify=context) as client:
        _round_trip(client, "/tls-context.bin")
    with alluxio.Client.from_url(url, verify=False) as client:
        _round_trip(client, "/tls-unverified.bin")
    # trust_env: SSL_CERT_FILE names the CAs to trust, unless trust_env=False.
    no_proxy_env.setenv("SSL_CERT_FILE", str(pki["ca"]))
    with alluxio.Client.from_url(url) as client:
        _round_trip(client, "/tls-env.bin")
    with (
        alluxio.Client.from_url(url, trust_env=False, retries=False) as client,
        pytest.raises(HTTPError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        client.exists("/")


@pytest.mark.anyio
async def test_async_verify_against_a_custom_ca(
    tls_gateway: Gateway, pki: dict[str, Path], no_proxy_env: pytest.MonkeyPatch
) -> None:
    url = tls_gateway.url
    async with alluxio.AsyncClient.from_url(url, retries=False) as client:
        with pytest.raises(HTTPError, match="CERTIFICATE_VERIFY_FAILED"):
            await client.exists("/")
    async with alluxio.AsyncClient.from_url(url, verify=str(pki["ca"])) as client:
        await _async_round_trip(client, "/atls-ca-path.bin")
    context = ssl.create_default_context(cafile=str(pki["ca"]))
    async with alluxio.AsyncClient.from_url(url, verify=context) as client:
        await _async_round_trip(client, "/atls-context.bin")
    async with alluxio.AsyncClient.from_url(url, verify=False) as client:
        await _async_round_trip(client, "/atls-unverified.bin")
    no_proxy_env.setenv("SSL_CERT_FILE", str(pki["ca"]))
    async with alluxio.AsyncClient.from_url(url) as client:
        await _async_round_trip(client, "/atls-env.bin")


def test_bad_tls_arguments_fail_at_construction(pki: dict[str, Path]) -> None:
    with pytest.raises(FileNotFoundError, match=r"missing\.pem"):
        alluxio.Client("localhost", verify=str(pki["ca"].parent / "missing.pem"))
    with pytest.raises(FileNotFoundError, match="cert"):
        alluxio.AsyncClient("localhost", cert=str(pki["ca"].parent / "missing.pem"))
    with pytest.raises(TypeError, match="verify must be"):
        alluxio.Client("localhost", verify=1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="cert must be"):
        alluxio.Client("localhost", cert=["a", "b"])  # type: ignore[arg-type]


# -- mutual TLS ----------------------------------------------------------------------------


def test_mutual_tls(mtls_gateway: Gateway, pki: dict[str, Path]) -> None:
    ca = str(pki["ca"])
    with (
        alluxio.Client.from_url(mtls_gateway.url, verify=ca, retries=False) as client,
        pytest.raises(HTTPError),  # the gateway wants a client certificate
    ):
        client.exists("/")
    cert = (str(pki["client"]), str(pki["client_key"]))
    with alluxio.Client.from_url(mtls_gateway.url, verify=ca, cert=cert) as client:
        _round_trip(client, "/mtls.bin")


@pytest.mark.anyio
async def test_async_mutual_tls(mtls_gateway: Gateway, pki: dict[str, Path]) -> None:
    ca = str(pki["ca"])
    async with alluxio.AsyncClient.from_url(mtls_gateway.url, verify=ca, retries=False) as c:
        with pytest.raises(HTTPError):
            await c.exists("/")
    cert = (str(pki["client"]), str(pki["client_key"]))
    async with alluxio.AsyncClient.from_url(mtls_gateway.url, verify=ca, cert=cert) as c:
        await _async_round_trip(c, "/amtls.bin")


# -- forward proxies -----------------------------------------------------------------------


def test_proxy_from_the_environment_and_no_proxy(
    upstream: EmbeddedProxy, forward_proxy: ForwardProxy, no_proxy_env: pytest.MonkeyPatch
) -> None:
    no_proxy_env.setenv("HTTP_PROXY", forward_proxy.url)
    with alluxio.Client.from_url(upstream.url) as client:
        _round_trip(client, "/via-env-proxy.bin")
    assert forward_proxy.targets
    assert all(t.startswith(upstream.url + "/api/v1/") for t in forward_proxy.targets)
    used = len(forward_proxy.targets)
    with alluxio.Client.from_url(upstream.url, trust_env=False) as client:
        _round_trip(client, "/not-via-proxy.bin")
    no_proxy_env.setenv("NO_PROXY", "example.com,127.0.0.1")
    with alluxio.Client.from_url(upstream.url) as client:
        _round_trip(client, "/bypassed.bin")
    assert len(forward_proxy.targets) == used


def test_explicit_proxy_wins_over_no_proxy(
    upstream: EmbeddedProxy, forward_proxy: ForwardProxy, no_proxy_env: pytest.MonkeyPatch
) -> None:
    no_proxy_env.setenv("NO_PROXY", "*")
    with alluxio.Client.from_url(upstream.url, proxy=forward_proxy.url) as client:
        _round_trip(client, "/via-explicit-proxy.bin")
    assert len(forward_proxy.targets) >= 3


def test_https_through_a_proxy_tunnel(
    tls_gateway: Gateway,
    forward_proxy: ForwardProxy,
    pki: dict[str, Path],
    no_proxy_env: pytest.MonkeyPatch,
) -> None:
    no_proxy_env.setenv("HTTPS_PROXY", forward_proxy.url)
    with alluxio.Client.from_url(tls_gateway.url, verify=str(pki["ca"])) as client:
        _round_trip(client, "/tunnelled.bin")
    assert forward_proxy.targets
    assert set(forward_proxy.targets) == {f"CONNECT 127.0.0.1:{tls_gateway.port}"}


@pytest.mark.anyio
async def test_async_proxy_from_the_environment_and_no_proxy(
    upstream: EmbeddedProxy, forward_proxy: ForwardProxy, no_proxy_env: pytest.MonkeyPatch
) -> None:
    no_proxy_env.setenv("HTTP_PROXY", forward_proxy.url)
    async with alluxio.AsyncClient.from_url(upstream.url) as client:
        await _async_round_trip(client, "/avia-env-proxy.bin")
    assert forward_proxy.targets
    used = len(forward_proxy.targets)
    no_proxy_env.setenv("NO_PROXY", "127.0.0.1")
    async with alluxio.AsyncClient.from_url(upstream.url) as client:
        await _async_round_trip(client, "/abypassed.bin")
    assert len(forward_proxy.targets) == used
    no_proxy_env.delenv("HTTP_PROXY")
    async with alluxio.AsyncClient.from_url(upstream.url, proxy=forward_proxy.url) as client:
        await _async_round_trip(client, "/avia-explicit-proxy.bin")
    assert len(forward_proxy.targets) > used


# -- headers and auth ----------------------------------------------------------------------


class BearerAuth(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


def test_an_endpoint_requiring_a_bearer_token(
    token_gateway: Gateway, caplog: pytest.LogCaptureFixture, no_proxy_env: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    url = token_gateway.url
    with alluxio.Client.from_url(url) as client, pytest.raises(UnauthenticatedError) as info:
        client.exists("/")
    assert info.value.http_status == 401
    assert "needs credentials" in str(info.value)
    headers = {"Authorization": f"Bearer {TOKEN}", "X-Gateway-Key": TOKEN + "-2"}
    with alluxio.Client.from_url(url, headers=headers) as client:
        _round_trip(client, "/with-header.bin")
        assert TOKEN not in repr(client)
        with pytest.raises(NotFoundError) as not_found:
            client.get_status("/missing")
        assert TOKEN not in str(not_found.value)
    assert token_gateway.heads[-1][b"x-gateway-key"] == (TOKEN + "-2").encode()
    with alluxio.Client.from_url(url, auth=BearerAuth(TOKEN)) as client:
        _round_trip(client, "/with-auth.bin")
    with alluxio.Client.from_url(url, auth=BearerAuth("wrong")) as client:
        with pytest.raises(UnauthenticatedError) as wrong:
            client.exists("/")
        assert "wrong" not in str(wrong.value) and "wrong" not in repr(client)
    assert TOKEN not in caplog.text and "wrong" not in caplog.text


@pytest.mark.anyio
async def test_async_an_endpoint_requiring_a_bearer_token(
    token_gateway: Gateway, caplog: pytest.LogCaptureFixture, no_proxy_env: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    url = token_gateway.url
    async with alluxio.AsyncClient.from_url(url) as client:
        with pytest.raises(UnauthenticatedError) as info:
            await client.exists("/")
        assert info.value.http_status == 401
    headers = [("Authorization", f"Bearer {TOKEN}")]
    async with alluxio.AsyncClient.from_url(url, headers=headers) as client:
        await _async_round_trip(client, "/awith-header.bin")
        assert TOKEN not in repr(client)
    async with alluxio.AsyncClient.from_url(url, auth=BearerAuth(TOKEN)) as client:
        await _async_round_trip(client, "/awith-auth.bin")
    assert TOKEN not in caplog.text


BAD_HEADERS = [
    ({"X-Key": "a\r\nX-Injected: 1"}, "'X-Key'"),
    ({"X-Key": "a\nb"}, "'X-Key'"),
    ({"X-Key": "a\x00b"}, "'X-Key'"),
    ({"X-Key": "a\x7fb"}, "'X-Key'"),
    ({"X-Key: 1\r\nX-Injected": "v"}, "not an HTTP token"),
    ({"Bad Name": "v"}, "'Bad Name'"),
    ({"": "v"}, "not an HTTP token"),
    ({"X-Key": "caf\u00e9\u2603"}, "not Latin-1"),
]


@pytest.mark.parametrize(("headers", "named"), BAD_HEADERS)
def test_bad_headers_raise_before_any_byte_is_sent(headers: dict[str, str], named: str) -> None:
    server = Silent()
    with running(server):
        for make in (alluxio.Client.from_url, alluxio.AsyncClient.from_url):
            with pytest.raises(ValueError, match="HTTP header") as info:
                make(server.url, headers=headers)
            message = str(info.value)
            assert named in message
            assert "Injected: 1" not in message and "a\nb" not in message
    assert server.connections == 0 and server.received == b""


class InjectingAuth(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["X-Token"] = "t0k\r\nX-Injected: 1"
        yield request


def test_a_bad_header_added_by_auth_raises_before_any_byte_is_sent() -> None:
    server = Silent()
    with running(server), alluxio.Client.from_url(server.url, auth=InjectingAuth()) as client:
        with pytest.raises(ValueError, match="'X-Token'") as info:
            client.exists("/")
        assert "t0k" not in str(info.value)
    assert server.received == b""


@pytest.mark.anyio
async def test_async_a_bad_header_added_by_auth_raises_before_any_byte_is_sent() -> None:
    server = Silent()
    with running(server):
        async with alluxio.AsyncClient.from_url(server.url, auth=InjectingAuth()) as client:
            with pytest.raises(ValueError, match="'X-Token'") as info:
                await client.exists("/")
            assert "t0k" not in str(info.value)
        await anyio.sleep(0)
    assert server.received == b""


def test_headers_and_auth_types_are_checked() -> None:
    with pytest.raises(TypeError, match="headers must be"):
        alluxio.Client("localhost", headers="X-Key: v")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'X-Key' must be str or bytes"):
        alluxio.Client("localhost", headers={"X-Key": 1})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="auth must be"):
        alluxio.Client("localhost", auth="user:pass")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="trust_env must be a bool"):
        alluxio.Client("localhost", trust_env="no")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="proxy must be"):
        alluxio.Client("localhost", proxy=3128)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="proxy"):
        alluxio.Client("localhost", proxy="ftp://proxy:21")


# -- the CLI and fsspec --------------------------------------------------------------------


def _cli(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_cli_token_headers_and_tls_options(
    token_gateway: Gateway,
    tls_gateway: Gateway,
    forward_proxy: ForwardProxy,
    pki: dict[str, Path],
    no_proxy_env: pytest.MonkeyPatch,
) -> None:
    result = _cli("--proxy", token_gateway.url, "ls", "/")
    assert result.exit_code == 1 and "401" in result.stderr
    result = _cli("--proxy", token_gateway.url, "ls", "/", env={"ALLUXIO_PY_TOKEN": TOKEN})
    assert result.exit_code == 0, result.stderr
    auth = f"Authorization: Bearer {TOKEN}"
    result = _cli("--proxy", token_gateway.url, "--header", auth, "--header", "X-A: b", "ls", "/")
    assert result.exit_code == 0, result.stderr
    assert token_gateway.heads[-1][b"x-a"] == b"b"
    # TLS: the CA, or no check at all; by default the test CA is unknown.
    assert _cli("--proxy", tls_gateway.url, "ls", "/").exit_code == 1
    assert _cli("--proxy", tls_gateway.url, "--ca-cert", str(pki["ca"]), "ls", "/").exit_code == 0
    assert _cli("--proxy", tls_gateway.url, "--insecure", "ls", "/").exit_code == 0
    env = {"ALLUXIO_PY_CA_CERT": str(pki["ca"])}
    assert _cli("--proxy", tls_gateway.url, "ls", "/", env=env).exit_code == 0
    # An HTTP proxy on the way (--http-proxy: not --proxy, the Alluxio proxy's URL).
    upstream = token_gateway.upstream
    args = ("--proxy", f"http://{upstream}", "--http-proxy", forward_proxy.url, "ls", "/")
    assert _cli(*args).exit_code == 0
    assert forward_proxy.targets
    assert all(t.startswith(f"http://{upstream}/api/v1/paths/") for t in forward_proxy.targets)


def test_cli_bad_header_or_token_is_a_usage_error_without_the_value() -> None:
    server = Silent()
    with running(server):
        result = _cli("--proxy", server.url, "--header", "X-Key: a\rX-Injected: 1", "ls", "/")
        assert result.exit_code == 2
        assert "'X-Key'" in result.stderr and "Injected" not in result.stderr
        env = {"ALLUXIO_PY_TOKEN": "t0k\nX-Injected: 1"}
        result = _cli("--proxy", server.url, "ls", "/", env=env)
        assert result.exit_code == 2
        assert "'Authorization'" in result.stderr and "t0k" not in result.stderr
        result = _cli("--proxy", server.url, "--header", "no colon", "ls", "/")
        assert result.exit_code == 2 and "Name: value" in result.stderr
    assert server.received == b""


def test_fsspec_storage_options(
    tls_gateway: Gateway, token_gateway: Gateway, pki: dict[str, Path]
) -> None:
    fs = fsspec.filesystem(
        "alluxio-proxy",
        host="127.0.0.1",
        port=tls_gateway.port,
        scheme="https",
        verify=str(pki["ca"]),
        skip_instance_cache=True,
    )
    fs.pipe_file("/fsspec-tls.bin", b"over tls")
    assert fs.cat_file("/fsspec-tls.bin") == b"over tls"
    fs = fsspec.filesystem(
        "alluxio-proxy",
        host="127.0.0.1",
        port=token_gateway.port,
        headers={"Authorization": f"Bearer {TOKEN}"},
        skip_instance_cache=True,
    )
    assert fs.cat_file("/fsspec-tls.bin") == b"over tls"
    assert TOKEN not in repr(fs)
