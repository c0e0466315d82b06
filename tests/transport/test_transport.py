"""alluxio._transport over real loopback sockets, against scripted HTTP/1.1 servers.

Each test's server speaks raw bytes, so the framing cases the embedded proxy never produces
(cut bodies, odd chunk sizes, interim responses, early answers to uploads) are exercised too.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import threading
import time
import tracemalloc
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import anyio
import httpx
import pytest

import alluxio
from alluxio._transport import (
    AsyncResponseBody,
    AsyncTransport,
    Transport,
    async_fast_body,
    fast_body,
)

Handler = Callable[[socket.socket, BinaryIO, int], None]


class Server:
    """A loopback server running ``handler(sock, rfile, connection_number)`` per connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self.errors: list[BaseException] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            number = self.connections
            threading.Thread(target=self._serve, args=(sock, number), daemon=True).start()

    def _serve(self, sock: socket.socket, number: int) -> None:
        rfile = sock.makefile("rb")
        try:
            self.handler(sock, rfile, number)
        except (ConnectionError, OSError):
            pass
        except BaseException as exc:  # surfaced by the test
            self.errors.append(exc)
        finally:
            rfile.close()
            sock.close()

    def close(self) -> None:
        self.listener.close()


@contextmanager
def serve(handler: Handler) -> Iterator[Server]:
    server = Server(handler)
    try:
        yield server
    finally:
        server.close()
    assert not server.errors, server.errors


def read_request(rfile: BinaryIO) -> tuple[bytes, dict[bytes, bytes], bytes] | None:
    """Request line, headers (lower-case names) and the de-chunked body; None at EOF."""
    line = rfile.readline()
    if not line:
        return None
    headers: dict[bytes, bytes] = {}
    while (h := rfile.readline()) not in (b"\r\n", b""):
        name, _, value = h.partition(b":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if headers.get(b"transfer-encoding") == b"chunked":
        while True:
            size = int(rfile.readline().strip(), 16)
            if size == 0:
                assert rfile.readline() == b"\r\n"
                break
            body += rfile.read(size)
            assert rfile.read(2) == b"\r\n"
    elif b"content-length" in headers:
        body = rfile.read(int(headers[b"content-length"]))
    return line.rstrip(b"\r\n"), headers, body


def respond(sock: socket.socket, body: bytes, *, extra: bytes = b"") -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n" % (len(body), extra) + body)


def chunked(pieces: list[bytes], *, last: bool = True) -> bytes:
    out = b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces)
    return out + (b"0\r\n\r\n" if last else b"")


def keep_serving(reply: Callable[[socket.socket, bytes, bytes], None]) -> Handler:
    """A handler answering every request on the connection with ``reply(sock, line, body)``."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while (request := read_request(rfile)) is not None:
            line, _, body = request
            reply(sock, line, body)

    return handler


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(transport=Transport(), timeout=5) as client:
        yield client


def test_content_length_body_and_keep_alive(http: httpx.Client) -> None:
    with serve(keep_serving(lambda sock, line, body: respond(sock, b"hello " + line))) as srv:
        first = http.post(f"{srv.url}/a?x=1", content=b"ignored")
        second = http.get(f"{srv.url}/b")
        assert first.status_code == 200
        assert first.content == b"hello POST /a?x=1 HTTP/1.1"
        assert second.content == b"hello GET /b HTTP/1.1"
        assert first.http_version == "HTTP/1.1"
        assert srv.connections == 1  # the connection was reused


def test_exact_reads_across_chunk_boundaries(http: httpx.Client) -> None:
    data = bytes(range(256)) * 400  # 102,400 bytes in uneven chunks
    pieces = [data[:1], data[1:70000], data[70000:70001], data[70001:]]

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(pieces))

    with serve(keep_serving(reply)) as srv:
        with http.stream("GET", srv.url) as response:
            body = fast_body(response)
            assert body is not None
            got = [body.read(n) for n in (3, 65536, 30000, 10000)]
            assert [len(g) for g in got] == [3, 65536, 30000, 102400 - 95539]
            assert b"".join(got) == data
            assert body.read(10) == b""
            assert body.complete
        # httpx's own iteration sees the same body.
        assert http.get(srv.url).content == data
        assert srv.connections == 1


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 60, id="length"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked([b"x" * 60], last=False),
            id="chunked-no-last-chunk",
        ),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n64\r\n" + b"x" * 60,
            id="chunked-cut-inside-chunk",
        ),
    ],
)
def test_truncated_body_raises(http: httpx.Client, raw: bytes) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)

    with serve(handler) as srv:
        with pytest.raises(httpx.RemoteProtocolError):
            http.get(srv.url)
        with http.stream("GET", srv.url) as response:
            body = fast_body(response)
            assert body is not None
            with pytest.raises(httpx.RemoteProtocolError):
                while body.read(1 << 20):
                    pass


def test_truncated_read_through_alluxio_reader_raises_http_error() -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked([b"x" * 10], last=False)
        )
        sock.shutdown(socket.SHUT_WR)

    with serve(handler) as srv, alluxio.Client("127.0.0.1", srv.port, retries=0) as client:
        reader = client.read(7)
        with reader, pytest.raises(alluxio.exceptions.HTTPError):
            reader.read()


def test_streamed_request_body_is_chunked(http: httpx.Client) -> None:
    received: list[tuple[dict[bytes, bytes], bytes]] = []

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        respond(sock, b"%d" % len(body))

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while (request := read_request(rfile)) is not None:
            received.append((request[1], request[2]))
            reply(sock, request[0], request[2])

    big = b"y" * (3 << 20)
    pieces = [b"a", b"", big, b"z"]  # the empty piece must not end the body early
    with serve(handler) as srv:
        response = http.post(srv.url, content=iter(pieces))
        assert response.text == str(len(big) + 2)
        assert received[0][0][b"transfer-encoding"] == b"chunked"
        assert received[0][1] == b"a" + big + b"z"
        # A large in-memory body goes out with its Content-Length, not chunked.
        assert http.post(srv.url, content=big).text == str(len(big))
        assert received[1][0][b"content-length"] == str(len(big)).encode()


def test_interim_100_continue_is_skipped(http: httpx.Client) -> None:
    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        respond(sock, b"done")

    with serve(keep_serving(reply)) as srv:
        response = http.get(srv.url)
        assert (response.status_code, response.content) == (200, b"done")


def test_connection_close_is_not_reused(http: httpx.Client) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        respond(sock, b"%d" % number, extra=b"Connection: close\r\n")

    with serve(handler) as srv:
        assert [http.get(srv.url).text for _ in range(3)] == ["1", "2", "3"]


def test_idle_connection_closed_by_server_is_replaced(http: httpx.Client) -> None:
    closed = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        respond(sock, b"%d" % number)
        if number == 1:
            sock.shutdown(socket.SHUT_RDWR)  # close while the client keeps it in its pool
            closed.set()
            return
        while read_request(rfile) is not None:
            respond(sock, b"%d" % number)

    with serve(handler) as srv:
        assert http.get(srv.url).text == "1"
        assert closed.wait(5)
        assert http.get(srv.url).text == "2"


def test_read_timeout(http: httpx.Client) -> None:
    release = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        release.wait(5)

    with serve(handler) as srv:
        with pytest.raises(httpx.ReadTimeout):
            http.get(srv.url, timeout=0.2)
        release.set()


def test_early_answer_to_an_upload_is_returned(http: httpx.Client) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        rfile.readline()
        sock.sendall(b"HTTP/1.1 413 Too Large\r\nContent-Length: 3\r\nConnection: close\r\n\r\nbig")
        sock.close()

    with serve(handler) as srv:
        response = http.post(srv.url, content=b"z" * (32 << 20))
        assert (response.status_code, response.content) == (413, b"big")


@pytest.mark.parametrize(
    "raw",
    [
        b"HTTP/1.1 2xx OK\r\n\r\n",
        b"SPDY/3 200 OK\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
)
def test_malformed_responses_raise(http: httpx.Client, raw: bytes) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)

    with serve(handler) as srv, pytest.raises(httpx.RemoteProtocolError):
        http.get(srv.url)


def test_reader_stopping_at_the_exact_end_keeps_the_connection(http: httpx.Client) -> None:
    data = b"q" * 5000

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked([data]))

    with serve(keep_serving(reply)) as srv:
        for _ in range(3):
            with http.stream("GET", srv.url) as response:
                body = fast_body(response)
                assert body is not None
                assert body.read(len(data)) == data  # never asks for the last chunk
        assert srv.connections == 1


def test_fast_body_is_none_for_other_transports() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"m"))
    with httpx.Client(transport=transport) as client:
        response = client.get("http://example.invalid/")
        assert fast_body(response) is None
        assert response.content == b"m"


def test_client_round_trip_on_the_embedded_proxy(alluxio_proxy: object) -> None:
    url = getattr(alluxio_proxy, "url")  # noqa: B009 - the plugin's proxy object
    with alluxio.Client.from_url(url) as client:
        data = bytes(range(256)) * 20000  # ~5 MiB: several server chunks
        assert client.write_bytes("/t.bin", data) == len(data)
        with client.open("/t.bin", "r") as reader:
            parts = [reader.read(n) for n in (1, 1 << 20, 12345, 3 << 20)]
            parts.append(reader.read())
        assert b"".join(parts) == data
        buffer = bytearray(4096)
        with client.open("/t.bin", "r") as reader:
            assert reader.readinto(buffer) == 4096
        assert bytes(buffer) == data[:4096]


# -- AsyncTransport: the same server scripts, through httpx.AsyncClient ---------------------


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Each async test runs on asyncio (where reads take whole pieces) and on trio."""
    return str(request.param)


@pytest.mark.anyio
async def test_async_exact_reads_keep_alive_and_streamed_upload() -> None:
    data = bytes(range(256)) * 400
    pieces = [data[:1], data[1:70000], data[70000:70001], data[70001:]]

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while (request := read_request(rfile)) is not None:
            line, _, body = request
            if line.startswith(b"PUT"):
                respond(sock, b"%d" % len(body))
            else:
                sock.sendall(
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(pieces)
                )

    async def upload() -> AsyncIterator[bytes]:
        for piece in (b"a", b"", b"b" * (2 << 20)):
            yield piece

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                got = [await body.read(n) for n in (3, 65536, 40000)]
                assert [len(g) for g in got] == [3, 65536, 102400 - 65539]
                assert b"".join(got) == data
                assert await body.read(1) == b""
            assert (await client.get(srv.url)).content == data
            assert (await client.put(srv.url, content=upload())).text == str(1 + (2 << 20))
            assert (await client.put(srv.url, content=b"x" * 100)).text == "100"
        assert srv.connections == 1


@pytest.mark.anyio
@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n" + b"x" * 60, id="length"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunked([b"x" * 60], last=False),
            id="chunked-no-last-chunk",
        ),
        pytest.param(b"HTTP/1.1 2xx OK\r\n\r\n", id="bad-status"),
    ],
)
async def test_async_truncated_or_malformed_raises(raw: bytes) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(raw)
        sock.shutdown(socket.SHUT_WR)

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(srv.url)


@pytest.mark.anyio
async def test_async_read_timeout_and_idle_close() -> None:
    release = threading.Event()
    closed = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        if number == 1:
            respond(sock, b"1")
            sock.shutdown(socket.SHUT_RDWR)  # closed while idle in the client's pool
            closed.set()
            return
        release.wait(5)

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            assert (await client.get(srv.url)).text == "1"
            # The shutdown must have happened before the next request, or that request races it
            # on the old connection (a disconnect no HTTP/1.1 client may retry blindly).
            assert await anyio.to_thread.run_sync(closed.wait, 5)
            with pytest.raises(httpx.ReadTimeout):
                await client.get(srv.url, timeout=0.3)
        release.set()


@pytest.mark.parametrize("framing", ["length", "chunked"])
def test_read_all_after_partial_reads(http: httpx.Client, framing: str) -> None:
    data = bytes(range(256)) * 1000

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        if framing == "length":
            respond(sock, data)
        else:
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked([data[:1000], data[1000:]])
            )

    with serve(keep_serving(reply)) as srv:
        with http.stream("GET", srv.url) as response:
            body = fast_body(response)
            assert body is not None
            assert body.read(10) == data[:10]
            assert body.read_all() == data[10:]
            assert body.read_all() == b""
        assert http.get(srv.url).content == data
        assert srv.connections == 1


def test_read_all_of_a_cut_body_raises(http: httpx.Client) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 999)
        sock.shutdown(socket.SHUT_WR)

    with serve(handler) as srv, http.stream("GET", srv.url) as response:
        body = fast_body(response)
        assert body is not None
        with pytest.raises(httpx.RemoteProtocolError):
            body.read_all()


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed (key, certificate) for 127.0.0.1, written into ``directory``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return key, cert


def test_https_through_the_transport(tmp_path: Path) -> None:
    key, cert = self_signed_certificate(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)
    data = b"s" * 300_000

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        with server_ctx.wrap_socket(sock, server_side=True) as tls:
            tls_file = tls.makefile("rb")
            while (request := read_request(tls_file)) is not None:
                respond(tls, data + request[2])

    client_ctx = ssl.create_default_context(cafile=str(cert))
    with serve(handler) as srv, httpx.Client(transport=Transport(verify=client_ctx)) as client:
        url = srv.url.replace("http://", "https://")
        assert client.post(url, content=b"!").content == data + b"!"
        with client.stream("GET", url) as response:
            body = fast_body(response)
            assert body is not None
            assert body.read(100_000) == data[:100_000]
            assert body.read_all() == data[100_000:]
        assert srv.connections == 1


def test_write_timeout_when_the_server_stops_reading(http: httpx.Client) -> None:
    release = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        rfile.readline()
        release.wait(10)  # never reads the body

    with serve(handler) as srv:
        with pytest.raises(httpx.WriteTimeout):
            http.post(srv.url, content=b"w" * (64 << 20), timeout=httpx.Timeout(5, write=0.3))
        release.set()


# -- AsyncTransport: bodies larger than what one receive hands out ---------------------------

BIG = bytes(range(251)) * (13 << 12) + b"tail!"  # ~3.2 MiB, not a multiple of any piece size
ODD_READS = [1, 1 << 20, 70001, 3, (1 << 20) + 1, 65536, 5, 1 << 21]


async def read_in_odd_sizes(body: AsyncResponseBody, total: int) -> bytes:
    """The whole body through reads of :data:`ODD_READS` sizes, each checked to be exact."""
    got: list[bytes] = []
    done = 0
    for i in range(1000):
        n = ODD_READS[i % len(ODD_READS)]
        data = await body.read(n)
        assert len(data) == min(n, total - done)
        got.append(data)
        done += len(data)
        if done == total:
            break
    assert await body.read(1) == b""
    return b"".join(got)


@pytest.mark.anyio
@pytest.mark.parametrize("framing", ["length", "chunked"])
async def test_async_large_body_in_odd_reads_then_reuse(framing: str) -> None:
    pieces = [BIG[:7], BIG[7 : 3 << 20], BIG[3 << 20 : (3 << 20) + 1], BIG[(3 << 20) + 1 :]]

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        if framing == "length":
            respond(sock, BIG)
        else:
            sock.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(pieces))

    with serve(keep_serving(reply)) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            for _ in range(2):
                async with client.stream("GET", srv.url) as response:
                    body = async_fast_body(response)
                    assert body is not None
                    assert await read_in_odd_sizes(body, len(BIG)) == BIG
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await body.read(10) == BIG[:10]
                assert await body.read_all() == BIG[10:]
            assert (await client.get(srv.url)).content == BIG
        assert srv.connections == 1


@pytest.mark.anyio
async def test_async_https_large_body(tmp_path: Path) -> None:
    key, cert = self_signed_certificate(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert, key)

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        with server_ctx.wrap_socket(sock, server_side=True) as tls:
            tls_file = tls.makefile("rb")
            while (request := read_request(tls_file)) is not None:
                respond(tls, BIG + request[2])

    client_ctx = ssl.create_default_context(cafile=str(cert))
    with serve(handler) as srv:
        transport = AsyncTransport(verify=client_ctx)
        async with httpx.AsyncClient(transport=transport, timeout=5) as client:
            url = srv.url.replace("http://", "https://")
            assert (await client.post(url, content=b"!")).content == BIG + b"!"
            async with client.stream("GET", url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await read_in_odd_sizes(body, len(BIG)) == BIG
        assert srv.connections == 1


@pytest.mark.anyio
async def test_async_cut_large_body_raises_and_is_not_reused() -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        if number == 1:
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BIG) + BIG[:-9])
            sock.shutdown(socket.SHUT_WR)
        else:
            respond(sock, b"fresh")

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await body.read(len(BIG) - 10) == BIG[:-10]
                with pytest.raises(httpx.RemoteProtocolError):
                    await body.read(1 << 20)
            assert (await client.get(srv.url)).text == "fresh"
        assert srv.connections == 2


@pytest.mark.anyio
async def test_async_read_timeout_is_per_receive_not_per_read() -> None:
    release = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (2 * len(BIG)))
        for i in range(8):  # slower in all than the timeout, never between two pieces
            sock.sendall(BIG[i * len(BIG) // 8 : (i + 1) * len(BIG) // 8])
            release.wait(0.25)
        release.wait(10)  # then the second half never comes

    with serve(handler) as srv:
        client = httpx.AsyncClient(transport=AsyncTransport(), timeout=1.0)
        async with client, client.stream("GET", srv.url) as response:
            body = async_fast_body(response)
            assert body is not None
            assert await body.read(len(BIG)) == BIG
            with pytest.raises(httpx.ReadTimeout):
                await body.read(len(BIG))
        release.set()


@pytest.mark.anyio
async def test_async_cancelled_read_closes_the_connection() -> None:
    release = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        if number == 1:
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BIG) + BIG[:-1])
            release.wait(10)
        else:
            respond(sock, b"fresh")

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await body.read(3) == BIG[:3]
                with anyio.move_on_after(0.3) as scope:
                    await body.read(len(BIG))
                assert scope.cancelled_caught
                assert not body.complete
            assert (await client.get(srv.url)).text == "fresh"
        release.set()
        assert srv.connections == 2


def open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.anyio
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
async def test_async_large_reads_without_timeout_then_cancelled(anyio_backend: str) -> None:
    """Large reads with no read timeout at all are exact and leave no descriptor behind (on
    asyncio they wait behind the socket's low-water mark); a read cancelled while the server
    holds back the end returns at once and closes the connection, and nothing is left
    reading the socket."""
    release = threading.Event()
    held_back: list[bytes] = []

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        if number == 1:
            respond(sock, BIG)
            read_request(rfile)
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(BIG) + BIG[:-1])
        release.wait(10)
        # The client is gone: its socket (every descriptor of it) must be closed by now.
        sock.settimeout(5)
        held_back.append(sock.recv(1))

    before = open_descriptors()
    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=None) as client:
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await read_in_odd_sizes(body, len(BIG)) == BIG
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await body.read(5) == BIG[:5]
                with anyio.fail_after(5):  # a read that ignored the cancellation would fail this
                    with anyio.move_on_after(0.3) as scope:
                        await body.read(len(BIG))
                assert scope.cancelled_caught
        release.set()
        for _ in range(100):
            if held_back:
                break
            await anyio.sleep(0.05)
    assert held_back == [b""]
    assert open_descriptors() <= before


# -- AsyncTransport: writes straight to the anyio stream, heads parsed from what is buffered --


@pytest.mark.anyio
@pytest.mark.parametrize("streamed", [False, True], ids=["bytes", "streamed"])
async def test_async_write_timeout_when_the_server_stops_reading(streamed: bool) -> None:
    release = threading.Event()

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        rfile.readline()
        release.wait(10)  # never reads the body

    async def upload() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b"w" * (1 << 20)

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            content = upload() if streamed else b"w" * (64 << 20)
            with pytest.raises(httpx.WriteTimeout):
                await client.post(srv.url, content=content, timeout=httpx.Timeout(5, write=0.3))
        release.set()


@pytest.mark.anyio
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts /proc/self/fd")
async def test_async_large_upload_intact_then_cancelled_without_timeout(anyio_backend: str) -> None:
    """A large upload in 1 MiB pieces arrives intact (on asyncio the pieces are sent from
    worker threads, through a descriptor of their own); with no write timeout at all, an
    upload the server stops reading is cancelled at once and holds no descriptor after."""
    release = threading.Event()
    received: list[bytes] = []
    pieces = [bytes([i]) * (1 << 20) for i in range(8)]

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        if number == 1:
            while (request := read_request(rfile)) is not None:
                received.append(request[2])
                respond(sock, b"ok")
            return
        rfile.readline()
        release.wait(10)  # never reads the body

    async def upload(count: int) -> AsyncIterator[bytes]:
        for i in range(count):
            yield pieces[i % len(pieces)]

    before = open_descriptors()
    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=None) as client:
            assert (await client.post(srv.url, content=upload(8))).text == "ok"
            assert (await client.post(srv.url, content=b"".join(pieces))).text == "ok"
        assert received == [b"".join(pieces)] * 2
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=None) as client:
            with anyio.fail_after(5):  # a write stuck in a thread would fail this
                with anyio.move_on_after(0.3) as scope:
                    await client.post(srv.url, content=upload(64))
            assert scope.cancelled_caught
            serving = before + 2  # the listener and the server's side of the connection
            for _ in range(100):
                if open_descriptors() <= serving:
                    break
                await anyio.sleep(0.05)
            assert open_descriptors() <= serving
        release.set()


@pytest.mark.anyio
@pytest.mark.parametrize("split", [1, 17, 40, None], ids=["byte", "17", "40", "whole"])
async def test_async_head_in_pieces_or_whole_then_reuse(split: int | None) -> None:
    """Heads arriving a few bytes at a time (lines cut anywhere) or whole with the body parse
    the same, and the connection is reused."""
    head = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nX-A: 1\r\nX-Empty:\r\n"
        + b"".join(b"X-H%d: v%d\r\n" % (i, i) for i in range(20))
        + b"Content-Length: 5\r\n\r\n"
    )

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while read_request(rfile) is not None:
            raw = head + b"hello"
            step = split or len(raw)
            for i in range(0, len(raw), step):
                sock.sendall(raw[i : i + step])

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            for _ in range(3):
                response = await client.get(srv.url)
                assert response.status_code == 200
                assert response.content == b"hello"
                assert response.headers["x-a"] == "1"
                assert response.headers["x-empty"] == ""
                assert response.headers["x-h19"] == "v19"
                assert len(response.headers) == 23
        assert srv.connections == 1


@pytest.mark.anyio
async def test_async_overlong_header_line_raises() -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(b"HTTP/1.1 200 OK\r\nX-Long: " + b"x" * (1 << 17) + b"\r\n\r\n")

    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(srv.url)


def test_large_reads_receive_straight_into_the_result(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 4 MiB read returns the 4 MiB in one piece, each receive asking the socket for all
    the read still needs (into the result: no 64 KiB receives, no staging buffer)."""
    body = bytes(range(256)) * (16 << 10)
    asked: list[int] = []
    receive = socket.socket.recv_into

    def recording_recv_into(sock: socket.socket, buffer: object, nbytes: int = 0) -> int:
        asked.append(nbytes or len(memoryview(buffer)))  # type: ignore[arg-type]
        return receive(sock, buffer, nbytes)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "recv_into", recording_recv_into)
    with (
        serve(keep_serving(lambda sock, line, _: respond(sock, body))) as server,
        http.stream("GET", server.url) as response,
    ):
        reader = fast_body(response)
        assert reader is not None
        assert reader.read(len(body)) == body
        assert reader.read(1) == b""
    # The head comes through the 64 KiB buffer; the rest of the body in receives each
    # asking for what is left of the read.
    body_receives = [n for n in asked if n > 64 * 1024]
    assert body_receives, asked
    assert body_receives[0] >= len(body) - 64 * 1024
    assert body_receives == sorted(body_receives, reverse=True)


# -- the connection pools -------------------------------------------------------------------


def counting_server(ended: list[int]) -> Handler:
    """Answers every request with its connection number; notes each connection's end."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while read_request(rfile) is not None:
            respond(sock, b"%d" % number)
        ended.append(number)

    return handler


def test_pool_waits_for_a_free_connection_then_times_out() -> None:
    """At ``max_connections`` a request waits for a released connection (and gets it), or
    fails with PoolTimeout once the pool timeout has passed."""
    ended: list[int] = []
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with (
        serve(counting_server(ended)) as srv,
        httpx.Client(transport=Transport(limits=limits), timeout=5) as client,
    ):
        with client.stream("GET", srv.url) as held:
            with pytest.raises(httpx.PoolTimeout):
                client.get(srv.url, timeout=httpx.Timeout(5, pool=0.2))
            waited: list[str] = []
            waiter = threading.Thread(target=lambda: waited.append(client.get(srv.url).text))
            waiter.start()
            waiter.join(0.3)
            assert waiter.is_alive()  # still waiting for the held connection
            assert held.read() == b"1"
        waiter.join(5)
        assert waited == ["1"]
        assert srv.connections == 1


def test_pool_keeps_at_most_max_keepalive_idle_connections() -> None:
    ended: list[int] = []
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=1)
    with (
        serve(counting_server(ended)) as srv,
        httpx.Client(transport=Transport(limits=limits), timeout=5) as client,
    ):
        with client.stream("GET", srv.url) as first, client.stream("GET", srv.url) as second:
            assert {first.read(), second.read()} == {b"1", b"2"}
        # One of the two was closed on release; the other serves what follows.
        kept = {client.get(srv.url).text for _ in range(3)}
        assert len(kept) == 1
        for _ in range(100):
            if ended:
                break
            threading.Event().wait(0.02)
        assert len(ended) == 1 and str(ended[0]) not in kept
        assert srv.connections == 2


def test_pool_at_its_limit_closes_an_idle_connection_to_another_origin() -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with (
        serve(counting_server([])) as a,
        serve(counting_server([])) as b,
        httpx.Client(transport=Transport(limits=limits), timeout=5) as client,
    ):
        quick = httpx.Timeout(5, pool=0.2)
        assert client.get(a.url, timeout=quick).text == "1"
        assert client.get(b.url, timeout=quick).text == "1"  # no PoolTimeout: a's was closed
        assert client.get(a.url, timeout=quick).text == "2"
        assert (a.connections, b.connections) == (2, 1)


@pytest.mark.anyio
async def test_async_pool_waits_for_a_free_connection_then_times_out() -> None:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    with serve(counting_server([])) as srv:
        transport = AsyncTransport(limits=limits)
        async with httpx.AsyncClient(transport=transport, timeout=5) as client:
            async with client.stream("GET", srv.url) as held:
                with pytest.raises(httpx.PoolTimeout):
                    await client.get(srv.url, timeout=httpx.Timeout(5, pool=0.2))
                waited: list[str] = []

                async def wait_for_it() -> None:
                    waited.append((await client.get(srv.url)).text)

                async with anyio.create_task_group() as tasks:
                    tasks.start_soon(wait_for_it)
                    await anyio.sleep(0.3)
                    assert waited == []  # still waiting for the held connection
                    assert await held.aread() == b"1"
                    await held.aclose()
                assert waited == ["1"]
            quick = httpx.Timeout(5, pool=0.2)
            with serve(counting_server([])) as other:
                # At the limit, an idle connection to another origin makes room.
                assert (await client.get(other.url, timeout=quick)).text == "1"
                assert (await client.get(srv.url, timeout=quick)).text == "2"
        assert srv.connections == 2


# -- draining a body's rest before closing --------------------------------------------------


def stalls_after(head_and_part: bytes, release: threading.Event) -> Handler:
    """Answers a request with ``head_and_part``, then sends nothing more until ``release``."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        if read_request(rfile) is not None:
            sock.sendall(head_and_part)
            release.wait(30)

    return handler


@pytest.mark.parametrize(
    "body",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n" + b"x" * 300_000,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunked([b"x" * 100_000, b"y" * 200_000]),
    ],
    ids=["length", "chunked"],
)
def test_drain_reads_a_small_rest_and_keeps_the_connection(http: httpx.Client, body: bytes) -> None:
    with serve(keep_serving(lambda sock, line, _: sock.sendall(body))) as srv:
        with http.stream("GET", srv.url) as response:
            reader = fast_body(response)
            assert reader is not None
            assert reader.read(10) == b"x" * 10
            reader.drain(1 << 20, 30.0)
            assert reader.complete
        with http.stream("GET", srv.url) as response:
            reader = fast_body(response)
            assert reader is not None
            reader.drain(100_000, 30.0)  # more than 100,000 bytes left: not the whole rest
            assert not reader.complete
        assert srv.connections == 1  # the first answer, read to its end, freed the connection
        assert http.get(srv.url).status_code == 200
        assert srv.connections == 2  # the second, left part-way, closed its connection


def test_drain_gives_up_on_a_stalled_rest_without_raising(http: httpx.Client) -> None:
    release = threading.Event()
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"z" * 10
    try:
        with serve(stalls_after(head, release)) as srv, http.stream("GET", srv.url) as response:
            reader = fast_body(response)
            assert reader is not None
            assert reader.read(5) == b"zzzzz"
            reader.drain(1 << 20, 0.2)  # returns once 0.2 s have passed with nothing new
            assert not reader.complete
    finally:
        release.set()


@pytest.mark.anyio
async def test_async_drain_reads_a_small_rest_or_gives_up() -> None:
    release = threading.Event()
    whole = b"HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n" + b"x" * 300_000
    stalled = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"z" * 10
    try:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            with serve(keep_serving(lambda sock, line, _: sock.sendall(whole))) as srv:
                async with client.stream("GET", srv.url) as response:
                    body = async_fast_body(response)
                    assert body is not None
                    assert await body.read(10) == b"x" * 10
                    await body.drain(1 << 20, 30.0)
                    assert body.complete
                assert (await client.get(srv.url)).status_code == 200
                assert srv.connections == 1
            with serve(stalls_after(stalled, release)) as srv:
                async with client.stream("GET", srv.url) as response:
                    body = async_fast_body(response)
                    assert body is not None
                    assert await body.read(5) == b"zzzzz"
                    await body.drain(1 << 20, 0.2)
                    assert not body.complete
    finally:
        release.set()


# -- AsyncTransport on asyncio: large reads behind the socket's low-water mark -------------


def _content_length_head(size: int) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % size


TRICKLED = bytes(range(256)) * (4 << 10)  # 1 MiB


def _trickling(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
    """TRICKLED at 64 KiB per 0.1 s (1.6 s in all); the connection stays open after."""
    read_request(rfile)
    sock.sendall(_content_length_head(len(TRICKLED)))
    for start in range(0, len(TRICKLED), 64 * 1024):
        time.sleep(0.1)
        sock.sendall(TRICKLED[start : start + 64 * 1024])
    read_request(rfile)


def _cut_short(release: threading.Event | None) -> Handler:
    """300 KiB of a 1 MiB body, then nothing until ``release`` (or closed at once)."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        read_request(rfile)
        sock.sendall(_content_length_head(1 << 20) + b"x" * (300 * 1024))
        if release is not None:
            release.wait(10)

    return handler


def _big_then_small(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
    read_request(rfile)
    respond(sock, BIG)
    for _ in range(3):
        read_request(rfile)
        respond(sock, b"ok")


@pytest.mark.anyio
async def test_async_large_read_of_a_trickling_body_does_not_time_out(anyio_backend: str) -> None:
    """A 1 MiB read from a server sending 64 KiB every 0.1 s takes 1.6 s: longer than the
    0.5 s read timeout, but data keeps arriving, so it is no timeout (the low-water mark
    holds the bytes back from the loop; a timeout with bytes waiting is progress)."""
    handler, data = _trickling, TRICKLED
    with serve(handler) as srv:
        async with (
            httpx.AsyncClient(transport=AsyncTransport(), timeout=0.5) as client,
            client.stream("GET", srv.url) as response,
        ):
            body = async_fast_body(response)
            assert body is not None
            started = time.monotonic()
            got = await body.read(len(data))
            assert time.monotonic() - started > 1.0
            # Taken in parts as they came (into the staging buffer on asyncio), returned as
            # bytes of their own: the buffer is the connection's, reused by the next read.
            assert type(got) is bytes
            assert got == data
            assert await body.read(10) == b""


@pytest.mark.anyio
async def test_async_idle_connections_hold_no_read_buffers() -> None:
    """Four 1 MiB bodies read at once, each arriving in parts (so each connection receives
    into its staging buffer): once they are read, the four idle connections in the pool
    hold well under a MiB between them."""
    with serve(_trickling) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:

            async def read_one() -> None:
                async with client.stream("GET", srv.url) as response:
                    body = async_fast_body(response)
                    assert body is not None
                    assert await body.read(len(TRICKLED)) == TRICKLED

            tracemalloc.start()
            try:
                before = tracemalloc.take_snapshot()
                async with anyio.create_task_group() as group:
                    for _ in range(4):
                        group.start_soon(read_one)
                after = tracemalloc.take_snapshot()
            finally:
                tracemalloc.stop()
            held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
            assert held < 512 * 1024, f"{held} bytes held by 4 idle connections"
        assert srv.connections == 4


# Part of a 1 MiB body, then nothing: the read times out within about two read timeouts
# (the bytes that came count as progress once), not never. Or the server closes: the end of
# stream wakes the read whatever the low-water mark, and it fails as cut short at once.
CUT_SHORT = [
    pytest.param(True, 0.5, httpx.ReadTimeout, 0.4, 3.0, id="stalled-times-out"),
    pytest.param(False, 30.0, httpx.RemoteProtocolError, 0.0, 5.0, id="closed-fails-at-once"),
]


@pytest.mark.anyio
@pytest.mark.parametrize(("stall", "timeout", "error", "at_least", "at_most"), CUT_SHORT)
async def test_async_large_read_of_a_body_cut_short(
    anyio_backend: str,
    stall: bool,
    timeout: float,
    error: type[Exception],
    at_least: float,
    at_most: float,
) -> None:
    release = threading.Event()
    with serve(_cut_short(release if stall else None)) as srv:
        async with (
            httpx.AsyncClient(transport=AsyncTransport(), timeout=timeout) as client,
            client.stream("GET", srv.url) as response,
        ):
            body = async_fast_body(response)
            assert body is not None
            started = time.monotonic()
            with pytest.raises(error):
                await body.read(1 << 20)
            assert at_least < time.monotonic() - started < at_most
        release.set()


@pytest.mark.anyio
async def test_async_large_reads_then_small_answers_on_the_same_connection(
    anyio_backend: str,
) -> None:
    """After a large read the socket's low-water mark is back to one byte: the next
    answers on the kept-alive connection, a few bytes each, arrive at once."""
    handler = _big_then_small
    with serve(handler) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            async with client.stream("GET", srv.url) as response:
                body = async_fast_body(response)
                assert body is not None
                assert await body.read(len(BIG)) == BIG
            started = time.monotonic()
            for _ in range(3):
                assert (await client.get(srv.url)).content == b"ok"
            assert time.monotonic() - started < 2  # not a read timeout each
        assert srv.connections == 1


# -- Transport (sync): the same timeouts for large reads (no low-water mark there) ----------


def test_large_read_of_a_trickling_body_does_not_time_out() -> None:
    """The sync twin of the async test: 1 MiB at 64 KiB per 0.1 s with a 0.5 s timeout."""
    handler, data = _trickling, TRICKLED
    with (
        serve(handler) as srv,
        httpx.Client(transport=Transport(), timeout=0.5) as client,
        client.stream("GET", srv.url) as response,
    ):
        body = fast_body(response)
        assert body is not None
        started = time.monotonic()
        assert body.read(len(data)) == data
        assert time.monotonic() - started > 1.0


@pytest.mark.parametrize(("stall", "timeout", "error", "at_least", "at_most"), CUT_SHORT)
def test_large_read_of_a_body_cut_short(
    stall: bool, timeout: float, error: type[Exception], at_least: float, at_most: float
) -> None:
    release = threading.Event()
    with (
        serve(_cut_short(release if stall else None)) as srv,
        httpx.Client(transport=Transport(), timeout=timeout) as client,
        client.stream("GET", srv.url) as response,
    ):
        body = fast_body(response)
        assert body is not None
        started = time.monotonic()
        with pytest.raises(error):
            body.read(1 << 20)
        assert at_least < time.monotonic() - started < at_most
        release.set()


def test_large_reads_then_small_answers_on_the_same_connection() -> None:
    handler = _big_then_small
    with serve(handler) as srv, httpx.Client(transport=Transport(), timeout=5) as client:
        with client.stream("GET", srv.url) as response:
            body = fast_body(response)
            assert body is not None
            assert body.read(len(BIG)) == BIG
        started = time.monotonic()
        for _ in range(3):
            assert client.get(srv.url).content == b"ok"
        assert time.monotonic() - started < 2
        assert srv.connections == 1


def _chunked_then(fault: str, release: threading.Event) -> Handler:
    """Answers the open-file call with stream id 7, then the read with a chunked head and
    one 10-byte chunk, then stalls until ``release`` or resets the connection."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        while (request := read_request(rfile)) is not None:
            if b"open-file" in request[0]:
                respond(sock, b"7")
                continue
            sock.sendall(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked([b"x" * 10], last=False)
            )
            if fault == "reset":
                time.sleep(0.1)  # the chunk arrives first
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                return
            release.wait(30)
            return

    return handler


@pytest.mark.parametrize("how", ["read(n)", "read()", "iteration"])
@pytest.mark.parametrize("fault", ["stall", "reset"])
def test_a_chunked_body_that_stalls_or_is_reset_raises_the_clients_error(
    fault: str, how: str
) -> None:
    # A read of a chunked body (the real proxy's) stopped by a timeout or a reset raises
    # alluxio's HTTPTimeoutError / HTTPError, like one of a Content-Length body, never the
    # socket's own TimeoutError or ConnectionResetError; until 2026-12-06, read(n) did.
    release = threading.Event()
    errors = alluxio.exceptions
    expected = errors.HTTPTimeoutError if fault == "stall" else errors.HTTPError
    try:
        with (
            serve(_chunked_then(fault, release)) as srv,
            alluxio.Client("127.0.0.1", srv.port, retries=0, timeout=0.3) as client,
        ):
            with client.open("/f", "r") as reader, pytest.raises(expected) as raised:
                if how == "read(n)":
                    assert reader.read(10) == b"x" * 10
                    reader.read(1 << 20)
                elif how == "read()":
                    reader.read()
                else:
                    for _ in reader:
                        pass
            assert "/api/v1/streams/7/read" in str(raised.value)
    finally:
        release.set()


@pytest.mark.parametrize("async_", [False, True], ids=["sync", "async"])
def test_reading_a_whole_chunked_body_holds_it_about_once(async_: bool) -> None:
    # A whole chunked body read at once (reader.read()) is gathered into one buffer as it
    # arrives. Keeping every receive for one join at the end held it twice: 2.1x the
    # body's size at the peak (and the page faults of twice the memory: half the speed).
    size = 16 << 20
    data = os.urandom(size)
    answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(
        [data[i : i + 32768] for i in range(0, size, 32768)]
    )

    def reply(sock: socket.socket, line: bytes, body: bytes) -> None:
        sock.sendall(answer)  # made before tracing starts: the server allocates nothing

    # The peak is taken as soon as the body is read: ending an event loop allocates too.
    def read_sync(url: str) -> tuple[bytes, int]:
        with (
            httpx.Client(transport=Transport(), timeout=10) as client,
            client.stream("GET", url) as response,
        ):
            body = fast_body(response)
            assert body is not None
            return body.read_all(), tracemalloc.get_traced_memory()[1]

    async def read_async(url: str) -> tuple[bytes, int]:
        async with (
            httpx.AsyncClient(transport=AsyncTransport(), timeout=10) as client,
            client.stream("GET", url) as response,
        ):
            body = async_fast_body(response)
            assert body is not None
            return await body.read_all(), tracemalloc.get_traced_memory()[1]

    with serve(keep_serving(reply)) as srv:
        tracemalloc.start()
        try:
            got, peak = anyio.run(read_async, srv.url) if async_ else read_sync(srv.url)
        finally:
            tracemalloc.stop()
    assert got == data
    assert peak < 1.3 * size, f"peak {peak / size:.2f}x the body"
