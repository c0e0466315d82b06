"""AsyncClient.open('w') cleanup and AsyncWriter.write's early type check, as the sync client."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import respx

import alluxio
from alluxio import exceptions as exc

pytestmark = pytest.mark.anyio

BASE = "http://proxy.test:39999"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def client() -> AsyncIterator[alluxio.AsyncClient]:
    async with alluxio.AsyncClient("proxy.test", 39999) as c:
        yield c


async def test_open_write_close_failure_removes_file(
    mock: respx.MockRouter, client: alluxio.AsyncClient
) -> None:
    # Completing the file failed: the caller gets the error and no file is left behind.
    mock.post(url__regex=r".*/create-file").mock(return_value=httpx.Response(200, json=4))
    mock.post("/api/v1/streams/4/write").mock(return_value=httpx.Response(200, json=3))
    close = mock.post("/api/v1/streams/4/close").mock(
        return_value=httpx.Response(500, json={"statusCode": "UNAVAILABLE", "message": "broke"})
    )
    delete = mock.post(url__regex=r".*/f/delete").mock(return_value=httpx.Response(200))
    with pytest.raises(exc.UnavailableError, match="broke"):
        async with client.open("/f", "w") as writer:
            await writer.write(b"abc")
    assert close.call_count == 1 and delete.call_count == 1


async def test_open_cleanup_failure_of_any_kind_never_hides_the_error(
    mock: respx.MockRouter, client: alluxio.AsyncClient
) -> None:
    mock.post(url__regex=r".*/create-file").mock(return_value=httpx.Response(200, json=4))
    mock.post("/api/v1/streams/4/close").mock(side_effect=RuntimeError("pool closed"))
    delete = mock.post(url__regex=r".*/f/delete").mock(side_effect=OSError("disk gone"))
    with pytest.raises(KeyError, match="user") as info:
        async with client.open("/f", "w"):
            raise KeyError("user")
    notes = info.value.__notes__
    assert any("RuntimeError: pool closed" in note for note in notes)
    assert any("OSError: disk gone" in note for note in notes)
    assert delete.called


async def test_open_read_cleanup_failure_never_hides_the_error(
    mock: respx.MockRouter, client: alluxio.AsyncClient
) -> None:
    mock.post(url__regex=r".*/open-file").mock(return_value=httpx.Response(200, json=5))
    mock.post("/api/v1/streams/5/read").mock(return_value=httpx.Response(200, content=b"x"))
    mock.post("/api/v1/streams/5/close").mock(side_effect=ValueError("odd"))
    with pytest.raises(KeyError, match="user") as info:
        async with client.open("/f", "r"):
            raise KeyError("user")
    assert any("ValueError: odd" in note for note in info.value.__notes__)


async def _async_pieces(*pieces: object) -> AsyncIterator[object]:
    for piece in pieces:
        yield piece


@pytest.mark.parametrize(
    "make_data",
    [
        lambda: [1, 2],
        lambda: {"key": b"value"},
        lambda: iter(["text"]),
        lambda: _async_pieces(1, 2),
        lambda: _async_pieces("text"),
    ],
    ids=["list-of-int", "dict", "iter-of-str", "async-of-int", "async-of-str"],
)
async def test_write_of_non_bytes_pieces_sends_nothing(make_data: object) -> None:
    # The first piece is checked before the request starts: no request left half-sent.
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0.5)
        port = server.getsockname()[1]
        async with alluxio.AsyncClient("127.0.0.1", port) as client:
            writer = await client.write(3)
            with pytest.raises(TypeError, match="iterable data must yield bytes-like objects"):
                await writer.write(make_data())  # type: ignore[operator]
        with pytest.raises(TimeoutError):
            server.accept()[0].close()


async def test_write_of_an_empty_iterable_sends_an_empty_body(
    mock: respx.MockRouter, client: alluxio.AsyncClient
) -> None:
    write = mock.post("/api/v1/streams/3/write").mock(return_value=httpx.Response(200, json=0))
    writer = await client.write(3)
    assert await writer.write(_async_pieces()) == 0  # type: ignore[arg-type]
    assert await writer.write([]) == 0
    assert write.call_count == 2 and write.calls[0].request.content == b""
