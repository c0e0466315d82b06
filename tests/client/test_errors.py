"""Error mapping: every kind of failure becomes the documented exception, never a leak."""

from __future__ import annotations

import asyncio
import pickle
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
import respx

import alluxio
from alluxio import exceptions as exc

BASE = "http://proxy.test:39999"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client() -> Iterator[alluxio.Client]:
    with alluxio.Client("proxy.test", 39999) as c:
        yield c


def _envelope(key: str, code: str, message: str | None = "boom") -> httpx.Response:
    return httpx.Response(500, json={key: code, "message": message})


@pytest.mark.parametrize(
    ("response", "error_type", "status", "message"),
    [
        (
            _envelope("statusCode", "NOT_FOUND", 'Path "/x" does not exist.'),
            exc.NotFoundError,
            "NOT_FOUND",
            'Path "/x" does not exist.',
        ),
        (_envelope("status", "NOT_FOUND"), exc.NotFoundError, "NOT_FOUND", "boom"),
        (
            _envelope("statusCode", "ALREADY_EXISTS"),
            exc.AlreadyExistsError,
            "ALREADY_EXISTS",
            "boom",
        ),
        (_envelope("statusCode", "CANCELLED"), exc.CanceledError, "CANCELED", "boom"),
        (_envelope("status", "CANCELED"), exc.CanceledError, "CANCELED", "boom"),
        (
            _envelope("statusCode", "FAILED_PRECONDITION"),
            exc.FailedPreconditionError,
            "FAILED_PRECONDITION",
            "boom",
        ),
        (
            _envelope("statusCode", "PERMISSION_DENIED"),
            exc.PermissionDeniedError,
            "PERMISSION_DENIED",
            "boom",
        ),
        (
            _envelope("statusCode", "INTERNAL", "stream does not exist"),
            exc.InternalError,
            "INTERNAL",
            "stream does not exist",
        ),
        (_envelope("statusCode", "INTERNAL", None), exc.InternalError, "INTERNAL", ""),
        (_envelope("statusCode", "SOMETHING_NEW"), exc.AlluxioError, "SOMETHING_NEW", "boom"),
        (
            httpx.Response(
                400,
                text='Unrecognized field "ttl" (class alluxio.grpc.CreateFilePOptions)',
                headers={"content-type": "text/plain"},
            ),
            exc.InvalidArgumentError,
            "INVALID_ARGUMENT",
            'Unrecognized field "ttl" (class alluxio.grpc.CreateFilePOptions)',
        ),
        (
            httpx.Response(500, text="<html><body><h2>HTTP ERROR 500</h2></body></html>"),
            exc.UnknownError,
            "UNKNOWN",
            "HTTP 500 Internal Server Error from the Alluxio proxy: <html><body><h2>HTTP ERROR "
            "500</h2></body></html>",
        ),
        (
            httpx.Response(500),
            exc.UnknownError,
            "UNKNOWN",
            "HTTP 500 Internal Server Error from the Alluxio proxy with an empty body",
        ),
        (
            httpx.Response(404, text="Not Found"),
            exc.UnknownError,
            "UNKNOWN",
            "HTTP 404 Not Found from the Alluxio proxy: Not Found",
        ),
        (
            httpx.Response(502, text="<html>bad gateway</html>"),
            exc.UnavailableError,
            "UNAVAILABLE",
            "HTTP 502 Bad Gateway from the Alluxio proxy: <html>bad gateway</html>",
        ),
        (
            httpx.Response(401, text="missing token"),
            exc.UnauthenticatedError,
            "UNAUTHENTICATED",
            "HTTP 401 Unauthorized from the Alluxio proxy: missing token (it needs credentials: "
            "headers= or auth=; on the command line --header or ALLUXIO_PY_TOKEN)",
        ),
        (
            httpx.Response(403, text="<html>forbidden</html>"),
            exc.PermissionDeniedError,
            "PERMISSION_DENIED",
            "HTTP 403 Forbidden from the Alluxio proxy: <html>forbidden</html>",
        ),
        (
            httpx.Response(429),
            exc.ResourceExhaustedError,
            "RESOURCE_EXHAUSTED",
            "HTTP 429 Too Many Requests from the Alluxio proxy with an empty body",
        ),
        (
            httpx.Response(500, content=b"{not json"),
            exc.UnknownError,
            "UNKNOWN",
            "HTTP 500 Internal Server Error from the Alluxio proxy: {not json",
        ),
        (
            httpx.Response(500, content=b'{"message": "no status key"}'),
            exc.UnknownError,
            "UNKNOWN",
            'HTTP 500 Internal Server Error from the Alluxio proxy: {"message": "no status key"}',
        ),
    ],
)
def test_error_responses(
    mock: respx.MockRouter,
    client: alluxio.Client,
    response: httpx.Response,
    error_type: type[exc.AlluxioError],
    status: str,
    message: str,
) -> None:
    mock.post(url__regex=r".*").mock(return_value=response)
    with pytest.raises(error_type) as info:
        client.get_status("/x")
    assert type(info.value) is error_type
    assert info.value.status == status
    assert info.value.message == message
    assert info.value.http_status == response.status_code


def test_builtin_bases() -> None:
    assert issubclass(exc.NotFoundError, FileNotFoundError)
    assert issubclass(exc.AlreadyExistsError, FileExistsError)
    assert issubclass(exc.PermissionDeniedError, PermissionError)
    assert issubclass(exc.InvalidArgumentError, ValueError)
    assert issubclass(exc.HTTPTimeoutError, exc.HTTPError)
    assert issubclass(exc.HTTPTimeoutError, TimeoutError)
    for cls in (exc.NotFoundError, exc.HTTPError):
        assert not issubclass(exc.HTTPError, exc.AlluxioError) or cls is exc.NotFoundError


def test_seed_exception_api() -> None:
    error = exc.AlluxioError(exc.Status.NOT_FOUND, "gone")
    assert (error.status, error.message) == ("NOT_FOUND", "gone")
    assert str(error) == "NOT_FOUND: gone"
    assert type(exc.new_alluxio_exception("NOT_FOUND", "m")) is exc.NotFoundError
    assert type(exc.new_alluxio_exception("CANCELLED", "m")) is exc.CanceledError
    unknown = exc.new_alluxio_exception("NEW_CODE", "m")
    assert type(unknown) is exc.AlluxioError and unknown.status == "NEW_CODE"


@pytest.mark.parametrize(
    "error",
    [exc.NotFoundError("gone"), exc.AlluxioError("NEW", "m"), exc.InvalidArgumentError("bad")],
)
def test_exceptions_pickle(error: exc.AlluxioError) -> None:
    error.http_status = 500
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert (copy.status, copy.message, copy.http_status) == (error.status, error.message, 500)


@pytest.mark.parametrize(
    ("body", "call"),
    [
        (b"not json", "exists"),
        (b'"yes"', "exists"),
        (b"true", "create_file"),
        (b"{}", "get_status"),
        (b'{"path": 1}', "get_status"),
        (b"{}", "list_status"),
    ],
)
def test_malformed_success_bodies(
    mock: respx.MockRouter, client: alluxio.Client, body: bytes, call: str
) -> None:
    mock.post(url__regex=r".*").mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(exc.UnknownError, match="proxy"):
        getattr(client, call)("/x")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_connection_refused_is_http_error() -> None:
    with (
        alluxio.Client("127.0.0.1", _closed_port()) as client,
        pytest.raises(exc.HTTPError, match="ConnectError") as info,
    ):
        client.exists("/x")
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_stalled_server_times_out() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        accepted: list[socket.socket] = []
        thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]))
        thread.start()
        with (
            alluxio.Client("127.0.0.1", port, timeout=0.5) as client,
            pytest.raises(exc.HTTPTimeoutError, match="timed out"),
        ):
            client.exists("/x")
        thread.join()
        for conn in accepted:
            conn.close()


def test_open_read_failure_surfaces_original_error(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    mock.post(url__regex=r".*/open-file").mock(
        return_value=_envelope("statusCode", "NOT_FOUND", 'Path "/x" does not exist.')
    )
    close = mock.post(url__regex=r".*/close")
    with pytest.raises(exc.NotFoundError, match="does not exist"), client.open("/x", "r"):
        pass
    assert not close.called


def test_open_write_error_in_block_removes_partial_file(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    mock.post(url__regex=r".*/create-file").mock(return_value=httpx.Response(200, json=4))
    mock.post("/api/v1/streams/4/write").mock(return_value=httpx.Response(200, json=3))
    close = mock.post("/api/v1/streams/4/close").mock(return_value=httpx.Response(200))
    delete = mock.post(url__regex=r".*/f/delete").mock(
        return_value=_envelope("statusCode", "INTERNAL", "cleanup broke")
    )
    with (
        pytest.raises(RuntimeError, match="user code failed") as info,
        client.open("/f", "w") as writer,
    ):
        writer.write(b"abc")
        raise RuntimeError("user code failed")
    assert close.called and delete.called
    assert any("cleanup broke" in note for note in info.value.__notes__)


def test_short_write_is_data_loss(mock: respx.MockRouter, client: alluxio.Client) -> None:
    mock.post("/api/v1/streams/2/write").mock(return_value=httpx.Response(200, json=2))
    with pytest.raises(exc.DataLossError, match="sent 5 bytes but the proxy stored 2"):
        client.write(2).write(b"hello")


def test_truncated_read_raises(mock: respx.MockRouter, client: alluxio.Client) -> None:
    def cut(request: httpx.Request) -> httpx.Response:
        def body() -> Iterator[bytes]:
            yield b"partial"
            raise httpx.RemoteProtocolError("peer closed connection", request=request)

        return httpx.Response(200, content=body())

    mock.post("/api/v1/streams/9/read").mock(side_effect=cut)
    reader = client.read(9)
    with pytest.raises(exc.HTTPError, match="peer closed connection"):
        reader.read()


class _HugeErrorPage:
    """A server answering every request with HTTP 500 and a ``size``-byte HTML page, sent
    until the client hangs up; ``sent`` counts the body bytes that left the server."""

    def __init__(self, size: int, *, chunked: bool = False) -> None:
        self.size = size
        self.chunked = chunked
        self.sent = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        conn, _ = self._server.accept()
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                request += conn.recv(65536)
            framing = (
                b"Transfer-Encoding: chunked" if self.chunked else b"Content-Length: %d" % self.size
            )
            conn.sendall(b"HTTP/1.1 500 Server Error\r\nContent-Type: text/html\r\n")
            conn.sendall(framing + b"\r\n\r\n")
            block = b"<html><body>The gateway broke.".ljust(65536, b" ")
            frame = b"%x\r\n%s\r\n" % (len(block), block) if self.chunked else block
            try:
                while self.sent < self.size:
                    conn.sendall(frame)
                    self.sent += len(block)
            except OSError:
                pass  # the client hung up: what this server waits for

    def join(self) -> int:
        self._thread.join(timeout=30)
        self._server.close()
        return self.sent


@pytest.mark.parametrize("chunked", [False, True])
def test_huge_error_page_is_not_slurped(chunked: bool) -> None:
    # A 256 MiB error page: the client reads a bounded prefix, raises, and hangs up.
    server = _HugeErrorPage(256 << 20, chunked=chunked)
    with (
        alluxio.Client("127.0.0.1", server.port, retries=False) as client,
        pytest.raises(exc.UnknownError, match=r"HTTP 500 .*The gateway broke") as info,
    ):
        client.exists("/x")
    assert len(info.value.message) < 1000
    # What left the server before the client hung up: the bounded read plus socket buffers.
    assert server.join() < 32 << 20


def test_async_huge_error_page_is_not_slurped() -> None:
    from alluxio._errors import ERROR_BODY_LIMIT, aread_error_body

    server = _HugeErrorPage(256 << 20)

    async def fetch() -> bytes:
        async with httpx.AsyncClient() as http:
            request = http.build_request("POST", f"http://127.0.0.1:{server.port}/x")
            response = await http.send(request, stream=True)
            return await aread_error_body(response)

    body = asyncio.run(fetch())
    assert body.startswith(b"<html><body>The gateway broke.")
    assert len(body) == ERROR_BODY_LIMIT
    assert server.join() < 32 << 20


def test_open_write_close_failure_removes_file(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    # Completing the file failed: the caller gets the error, and no file is left behind
    # whose completeness nobody can vouch for.
    mock.post(url__regex=r".*/create-file").mock(return_value=httpx.Response(200, json=4))
    mock.post("/api/v1/streams/4/write").mock(return_value=httpx.Response(200, json=3))
    close = mock.post("/api/v1/streams/4/close").mock(
        return_value=_envelope("statusCode", "UNAVAILABLE", "close broke")
    )
    delete = mock.post(url__regex=r".*/f/delete").mock(return_value=httpx.Response(200))
    with (
        pytest.raises(exc.UnavailableError, match="close broke"),
        client.open("/f", "w") as writer,
    ):
        writer.write(b"abc")
    assert close.call_count == 1 and delete.called


def test_open_cleanup_failure_of_any_kind_never_hides_the_error(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    mock.post(url__regex=r".*/create-file").mock(return_value=httpx.Response(200, json=4))
    mock.post("/api/v1/streams/4/close").mock(side_effect=RuntimeError("pool closed"))
    mock.post(url__regex=r".*/f/delete").mock(return_value=httpx.Response(200))
    with pytest.raises(KeyError, match="user") as info, client.open("/f", "w"):
        raise KeyError("user")
    assert any("RuntimeError: pool closed" in note for note in info.value.__notes__)


@pytest.mark.parametrize("data", [[1, 2], {"key": b"value"}, iter(["text"])])
def test_write_of_an_iterable_of_non_bytes_sends_nothing(data: object) -> None:
    # The first piece is checked before the request starts: no request left half-sent.
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.5)
        port = server.getsockname()[1]
        with (
            alluxio.Client("127.0.0.1", port) as client,
            pytest.raises(TypeError, match="iterable data must yield bytes-like objects"),
        ):
            client.write(3).write(data)  # type: ignore[arg-type]
        with pytest.raises(TimeoutError):
            server.accept()[0].close()


def test_async_client_huge_error_page_is_not_slurped() -> None:
    # The same 256 MiB page through AsyncClient._send: a bounded prefix, then it hangs up.
    server = _HugeErrorPage(256 << 20)

    async def exists() -> bool:
        async with alluxio.AsyncClient("127.0.0.1", server.port, retries=False) as client:
            return await client.exists("/x")

    with pytest.raises(exc.UnknownError, match=r"HTTP 500 .*The gateway broke") as info:
        asyncio.run(exists())
    assert len(info.value.message) < 1000
    assert server.join() < 32 << 20


@pytest.mark.parametrize("body", [b"{}", b"[1]", b'[{"path": "/x"}]', b'[{"name": 5}]'])
def test_ls_of_malformed_listing(
    mock: respx.MockRouter, client: alluxio.Client, body: bytes
) -> None:
    mock.post(url__regex=r".*").mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(exc.UnknownError, match="list-status"):
        client.ls("/x")
