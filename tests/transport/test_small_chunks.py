"""Chunked bodies in many small chunks (the real 2.9.6 proxy writes a listing in chunks of
~500 bytes): iterating the body hands on together the chunks that have already arrived, and
never waits for data the server has not sent yet."""

from __future__ import annotations

import socket
import threading
from typing import BinaryIO

import httpx
import pytest

from alluxio._transport import AsyncTransport, Transport
from tests.transport.test_transport import Handler, anyio_backend, chunked, read_request, serve

__all__ = ["anyio_backend"]

_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
_PIECES = [bytes([65 + i % 26]) * (90 + i % 20) for i in range(2000)]  # ~200 KB
_HALF = len(_PIECES) // 2


def _paused_server(got_first: threading.Event) -> tuple[Handler, list[bytes]]:
    """A handler that sends half the chunks, waits until the client has its first piece
    (so a client waiting for more than has arrived would hang), then sends the rest."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        assert read_request(rfile) is not None
        sock.sendall(_HEAD + chunked(_PIECES[:_HALF], last=False))
        assert got_first.wait(10), "the client did not hand on what had arrived"
        # A chunk extension and a chunk of a single byte: the chunk-by-chunk path reads them.
        sock.sendall(b"1;ext=1\r\nZ\r\n" + chunked(_PIECES[_HALF:]))

    return handler, [*_PIECES[:_HALF], b"Z", *_PIECES[_HALF:]]


def test_small_chunks_are_handed_on_together_without_waiting() -> None:
    got_first = threading.Event()
    handler, expected = _paused_server(got_first)
    with (
        serve(handler) as srv,
        httpx.Client(transport=Transport(), timeout=20) as client,
        client.stream("GET", srv.url) as response,
    ):
        pieces = []
        for piece in response.iter_raw():
            pieces.append(piece)
            got_first.set()
    assert b"".join(pieces) == b"".join(expected)
    assert len(pieces) < len(expected) // 10  # not one piece per chunk


@pytest.mark.anyio
async def test_async_small_chunks_are_handed_on_together_without_waiting() -> None:
    got_first = threading.Event()
    handler, expected = _paused_server(got_first)
    with serve(handler) as srv:
        async with (
            httpx.AsyncClient(transport=AsyncTransport(), timeout=20) as client,
            client.stream("GET", srv.url) as response,
        ):
            pieces = []
            async for piece in response.aiter_raw():
                pieces.append(piece)
                got_first.set()
    assert b"".join(pieces) == b"".join(expected)
    assert len(pieces) < len(expected) // 10


@pytest.mark.parametrize("bad", [b"5\r\nabcdeXY", b"5\r\nabcde\r\n3\r\nabc!!"])
def test_a_malformed_chunk_among_small_ones_raises(bad: bytes) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        assert read_request(rfile) is not None
        sock.sendall(_HEAD + chunked(_PIECES[:50], last=False) + bad + b"\r\n0\r\n\r\n")

    with (
        serve(handler) as srv,
        httpx.Client(transport=Transport(), timeout=5) as client,
        client.stream("GET", srv.url) as response,
        pytest.raises(httpx.RemoteProtocolError, match="chunk not followed by CRLF"),
    ):
        for _ in response.iter_raw():
            pass
