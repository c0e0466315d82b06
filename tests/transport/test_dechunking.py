"""Chunked bodies taken off large receives (alluxio._transport._Dechunker): the framing may
be split anywhere between two receives, a read may span any number of chunks, and whatever a
receive took beyond a read is kept for the next one. Checked byte for byte against scripted
servers that send the body in random fragments, sync and async, and directly on the decoder
fed one byte at a time."""

from __future__ import annotations

import random
import socket
import time
from typing import BinaryIO

import httpcore
import httpx
import pytest

from alluxio._transport import AsyncTransport, Transport, _Dechunker
from tests.transport.test_transport import Handler, anyio_backend, read_request, serve

__all__ = ["anyio_backend"]

_HEAD = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"


def _framed(rng: random.Random, data: bytes) -> bytes:
    """``data`` chunked at random sizes, in every form RFC 9112 allows a sender to write:
    upper- and lower-case hex, leading zeros, chunk extensions, trailer fields."""
    out = []
    pos = 0
    while pos < len(data):
        size = min(len(data) - pos, rng.choice([1, 2, 7, 500, 4096, 32768, 100_000]))
        head = rng.choice([b"%x", b"%X", b"000%x"]) % size
        if rng.random() < 0.1:
            head += b";name=value"
        out.append(head + b"\r\n" + data[pos : pos + size] + b"\r\n")
        pos += size
    out.append(b"0\r\nX-Trailer: 1\r\n\r\n" if rng.random() < 0.5 else b"0\r\n\r\n")
    return b"".join(out)


def _fragmenting_server(seed: int, bodies: list[bytes]) -> Handler:
    """Answers request ``i`` on one connection with ``bodies[i]`` chunked, sent in random
    fragments (1 byte to 200 KB) with short pauses, so receives end inside size lines, CRLFs
    and data alike."""

    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        for body in bodies:
            if read_request(rfile) is None:
                return
            wire = _HEAD + _framed(rng, body)
            pos = 0
            while pos < len(wire):
                step = rng.choice([1, 3, 5, 64, 1000, 65536, 200_000])
                sock.sendall(wire[pos : pos + step])
                pos += step
                if rng.random() < 0.05:
                    time.sleep(0.002)

    return handler


def _bodies(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [rng.randbytes(rng.choice([0, 1, 1000, 300_000, 1_500_000])) for _ in range(4)]


def _read_sizes(rng: random.Random) -> int:
    return rng.choice([1, 5, 100, 32768, 32769, 1 << 20, 3 << 20])


@pytest.mark.parametrize("seed", range(6))
def test_random_framing_and_read_sizes_round_trip_on_one_connection(seed: int) -> None:
    bodies = _bodies(seed)
    rng = random.Random(seed)
    with (
        serve(_fragmenting_server(seed, bodies)) as srv,
        httpx.Client(transport=Transport(), timeout=10) as client,
    ):
        for number, body in enumerate(bodies):
            with client.stream("GET", srv.url) as response:
                fast = response.extensions["alluxio.response_body"]
                if number % 2:  # httpx's own iteration: what has arrived, up to 1 MiB
                    got = b"".join(response.iter_raw())
                else:
                    parts = []
                    while part := fast.read(_read_sizes(rng)):
                        parts.append(part)
                    got = b"".join(parts)
            assert got == body, f"body {number}: {len(got)} bytes, expected {len(body)}"
        assert srv.connections == 1  # each body read to its end: the connection was reused


@pytest.mark.anyio
@pytest.mark.parametrize("seed", range(4))
async def test_async_random_framing_and_read_sizes_round_trip_on_one_connection(
    seed: int,
) -> None:
    bodies = _bodies(seed)
    rng = random.Random(seed)
    with serve(_fragmenting_server(seed, bodies)) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=10) as client:
            for number, body in enumerate(bodies):
                async with client.stream("GET", srv.url) as response:
                    fast = response.extensions["alluxio.response_body"]
                    if number % 2:
                        got = b"".join([piece async for piece in response.aiter_raw()])
                    else:
                        parts = []
                        while part := await fast.read(_read_sizes(rng)):
                            parts.append(part)
                        got = b"".join(parts)
                assert got == body, f"body {number}: {len(got)} bytes, expected {len(body)}"
        assert srv.connections == 1


def _decode_byte_by_byte(wire: bytes, read_size: int) -> bytes:
    dechunker = _Dechunker()
    parts: list[object] = []
    for i in range(len(wire)):
        assert not dechunker.done, f"ended early, at byte {i}"
        dechunker.feed(wire[i : i + 1])
        while dechunker.take(read_size, parts):
            pass
    assert dechunker.done
    assert dechunker.pending == 0
    return b"".join(parts)  # type: ignore[arg-type]


@pytest.mark.parametrize("read_size", [1, 3, 1 << 20])
def test_decoder_fed_one_byte_at_a_time(read_size: int) -> None:
    rng = random.Random(read_size)
    data = rng.randbytes(20_000)
    assert _decode_byte_by_byte(_framed(rng, data), read_size) == data


def test_decoder_hands_out_a_whole_receive_without_copying_it() -> None:
    dechunker = _Dechunker()
    dechunker.feed(b"a\r\n")
    assert dechunker.take(100, []) == 0  # the size line only
    raw = b"0123456789"
    dechunker.feed(raw)
    parts: list[object] = []
    assert dechunker.take(100, parts) == 10
    assert parts[0] is raw


def test_decoder_is_at_a_chunk_boundary_only_once_a_chunk_s_data_is_taken() -> None:
    dechunker = _Dechunker()
    assert dechunker.at_boundary
    dechunker.feed(b"10\r\n0123")
    assert dechunker.take(100, []) == 4
    assert not dechunker.at_boundary  # 12 data bytes still to come
    assert dechunker.take_received(b"456789abcdef\r", 100, []) == 12
    assert dechunker.at_boundary
    assert dechunker.pending == 1  # the CR, its LF not yet received
    with pytest.raises(httpcore.RemoteProtocolError, match="peer closed connection"):
        dechunker.take_received(b"", 100, [])


@pytest.mark.parametrize(
    ("wire", "message"),
    [
        (b"5\r\nabcdeXY", "chunk not followed by CRLF"),
        (b"5\r\nabcdeX", "chunk not followed by CRLF"),
        (b"zz\r\n", "malformed chunk size"),
        (b"-5\r\n", "malformed chunk size"),
        (b"0x5\r\n", "malformed chunk size"),
        (b"1_0\r\n", "malformed chunk size"),
        (b"11111111111111111\r\n", "malformed chunk size"),
        (b"5" * 70_000, "malformed chunk size line"),
        (b"0\r\n" + b"X: 1\r\n" * 300, "too many trailer fields"),
        (b"0\r\n" + b"X" * 70_000, "overlong chunked trailer line"),
    ],
)
def test_decoder_refuses_malformed_framing(wire: bytes, message: str) -> None:
    dechunker = _Dechunker()
    dechunker.feed(wire)
    with pytest.raises(httpcore.RemoteProtocolError, match=message):
        while dechunker.take(1 << 20, []):
            pass


def _garbage_after_the_body(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
    while read_request(rfile) is not None:
        # Bytes after the last chunk belong to no response: the connection can't be trusted.
        sock.sendall(_HEAD + b"3\r\nabc\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n")


def test_bytes_after_the_last_chunk_make_the_connection_unusable() -> None:
    with (
        serve(_garbage_after_the_body) as srv,
        httpx.Client(transport=Transport(), timeout=5) as client,
    ):
        for _ in range(2):
            assert client.get(srv.url).content == b"abc"
            time.sleep(0.05)  # the garbage has arrived before the next request
        assert srv.connections == 2


@pytest.mark.anyio
async def test_async_bytes_after_the_last_chunk_make_the_connection_unusable() -> None:
    with serve(_garbage_after_the_body) as srv:
        async with httpx.AsyncClient(transport=AsyncTransport(), timeout=5) as client:
            for _ in range(2):
                response = await client.get(srv.url)
                assert response.content == b"abc"
                time.sleep(0.05)
        assert srv.connections == 2


@pytest.mark.parametrize("cut", [b"8000\r\n" + b"x" * 100, b"8000\r\n", b"80", b"0\r\nX: 1\r\n"])
def test_a_chunked_body_cut_anywhere_raises(cut: bytes) -> None:
    def handler(sock: socket.socket, rfile: BinaryIO, number: int) -> None:
        assert read_request(rfile) is not None
        sock.sendall(_HEAD + b"3\r\nabc\r\n" + cut)

    with (
        serve(handler) as srv,
        httpx.Client(transport=Transport(), timeout=5) as client,
        client.stream("GET", srv.url) as response,
    ):
        fast = response.extensions["alluxio.response_body"]
        with pytest.raises(httpx.RemoteProtocolError, match="peer closed connection"):
            fast.read(1 << 20)
