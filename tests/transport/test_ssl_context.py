"""The transports build their SSL context lazily: never for plain http, once for https.

Loading the CA bundle costs tens of milliseconds per context (hundreds under load); every
``alluxio.Client``/``AsyncClient`` used to pay it twice at construction, http or not.
Creations are counted at :class:`ssl.SSLContext` itself, so a context built anywhere (httpx,
httpcore, ``ssl.create_default_context``) is seen.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import httpx
import pytest

import alluxio
from alluxio._transport import AsyncTransport, Transport
from alluxio.server import EmbeddedProxy
from tests.transport.test_transport import read_request, respond, self_signed_certificate, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def ssl_contexts(monkeypatch: pytest.MonkeyPatch) -> list[ssl.SSLContext]:
    """Every :class:`ssl.SSLContext` created while the test runs."""
    created: list[ssl.SSLContext] = []
    original = ssl.SSLContext.__new__

    def counting_new(cls: type[ssl.SSLContext], *args: Any, **kwargs: Any) -> ssl.SSLContext:
        context = original(cls, *args, **kwargs)
        created.append(context)
        return context

    monkeypatch.setattr(ssl.SSLContext, "__new__", counting_new)
    return created


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed (key, certificate) for 127.0.0.1."""
    return self_signed_certificate(tmp_path_factory.mktemp("tls"))


def _tls_handler(key: Path, cert: Path) -> Any:
    """A server handler answering each request with ``ok`` and closing the connection, so
    every request needs a new TLS connection (and would need a new context if built per
    connection)."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        with server_ctx.wrap_socket(sock, server_side=True) as tls:
            if read_request(tls.makefile("rb")) is not None:
                respond(tls, b"ok", extra=b"Connection: close\r\n")

    return handler


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(tmp_path_factory.mktemp("ufs")) as proxy:
        yield proxy


def test_constructing_clients_builds_no_context(ssl_contexts: list[ssl.SSLContext]) -> None:
    for scheme in ("http", "https"):
        alluxio.Client("localhost", 39999, scheme=scheme).close_connections()
        alluxio.AsyncClient("localhost", 39999, scheme=scheme)
    Transport()
    AsyncTransport(verify=False)
    assert ssl_contexts == []


def test_plain_http_client_never_builds_a_context(
    embedded: EmbeddedProxy, ssl_contexts: list[ssl.SSLContext]
) -> None:
    with alluxio.Client.from_url(embedded.url) as client:
        client.write_bytes("/ssl-plain.bin", b"x" * 5000)
        with client.open("/ssl-plain.bin", "r") as reader:
            assert reader.read(10) == b"x" * 10
        assert client.read_bytes("/ssl-plain.bin") == b"x" * 5000
        assert client.exists("/ssl-plain.bin")
    assert ssl_contexts == []


@pytest.mark.anyio
async def test_plain_http_async_client_never_builds_a_context(
    embedded: EmbeddedProxy, ssl_contexts: list[ssl.SSLContext]
) -> None:
    async with alluxio.AsyncClient.from_url(embedded.url) as client:
        await client.write_bytes("/ssl-plain-async.bin", b"y" * 5000)
        assert await client.read_bytes("/ssl-plain-async.bin") == b"y" * 5000
        assert await client.exists("/ssl-plain-async.bin")
    assert ssl_contexts == []


def test_https_builds_one_context_for_all_connections(
    certificate: tuple[Path, Path], ssl_contexts: list[ssl.SSLContext]
) -> None:
    key, cert = certificate
    with serve(_tls_handler(key, cert)) as srv:
        before = len(ssl_contexts)  # the server's own context
        # A CA path (httpx deprecates it; built here without its warning): the server must
        # verify against it.
        transport = Transport(verify=str(cert))
        assert len(ssl_contexts) == before  # nothing yet
        with httpx.Client(transport=transport) as client:
            url = srv.url.replace("http://", "https://")
            for _ in range(3):
                assert client.get(url).content == b"ok"
        assert srv.connections == 3
        assert len(ssl_contexts) == before + 1


@pytest.mark.anyio
async def test_async_https_builds_one_context_for_all_connections(
    certificate: tuple[Path, Path], ssl_contexts: list[ssl.SSLContext]
) -> None:
    key, cert = certificate
    with serve(_tls_handler(key, cert)) as srv:
        before = len(ssl_contexts)
        async with httpx.AsyncClient(transport=AsyncTransport(verify=False)) as client:
            url = srv.url.replace("http://", "https://")
            for _ in range(3):
                assert (await client.get(url)).content == b"ok"
        assert srv.connections == 3
        assert len(ssl_contexts) == before + 1


def test_verify_semantics_are_kept(
    certificate: tuple[Path, Path], ssl_contexts: list[ssl.SSLContext]
) -> None:
    key, cert = certificate
    with serve(_tls_handler(key, cert)) as srv:
        url = srv.url.replace("http://", "https://")
        # verify=True: the default CAs, which do not include the self-signed certificate.
        with (
            httpx.Client(transport=Transport()) as client,
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
        ):
            client.get(url)
        # A given context is used as is: no new one is built.
        given = ssl.create_default_context(cafile=str(cert))
        count = len(ssl_contexts)
        with httpx.Client(transport=Transport(verify=given)) as client:
            assert client.get(url).content == b"ok"
        assert len(ssl_contexts) == count
    # A CA path that does not exist still fails when the transport is made.
    with pytest.raises(FileNotFoundError):
        Transport(verify=str(cert.parent / "missing.pem"))
