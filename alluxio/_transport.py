"""httpx transports whose HTTP/1.1 connections are built for large streamed bodies.

httpx's default connections (httpcore + h11) read the socket 64 KiB at a time, turn every
piece into an h11 event and copy it three times on the way (into h11's receive buffer, out
of it as a slice, then ``bytes()``); on loopback that caps a download at well under half of
what curl does, and every small request pays for the event machinery too.

:class:`Transport` keeps everything httpx is good at (the client, the request and response
models, timeouts, exception types) and brings its own pool and HTTP/1.1 connections:
requests are written with ``sendall`` and responses parsed over a buffered socket, so a
body read of *n* bytes lands in the returned ``bytes`` object straight from the kernel (one
copy). :func:`fast_body` exposes that to :class:`alluxio.Reader`, which reads exactly the
sizes its caller asks for. :class:`AsyncTransport` is the same for asyncio and trio: on
asyncio over plain TCP its connections own their sockets and drive them through the event
loop's ``sock_*`` calls, large reads with the socket's low-water mark set to what they need
(one wake-up and one receive per piece), large writes in worker threads (:class:`_ThreadIO`);
otherwise (trio, TLS) through anyio's byte streams.

Only public APIs of httpx, httpcore (its request/response models, network backends and
exceptions), anyio and asyncio are used.

Protocol rules kept: a body cut short (by ``Content-Length`` or a missing last chunk)
raises, never reads as complete; a connection is reused only after its response was read to
the end and neither side asked to close it.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import errno
import io
import ipaddress
import itertools
import re
import select
import socket
import ssl
import sys
import threading
import time
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator
from typing import Any, BinaryIO, Final, TypeVar, cast

import anyio
import anyio.abc
import anyio.streams.tls
import httpcore
import httpx
import sniffio

from ._http import HTTPOptions

__all__ = [
    "BODY_EXTENSION",
    "AsyncResponseBody",
    "AsyncTransport",
    "ResponseBody",
    "Transport",
    "async_fast_body",
    "fast_body",
]

_T = TypeVar("_T")

BODY_EXTENSION: Final = "alluxio.response_body"
"""Response extension holding the :class:`ResponseBody` of a response from this transport."""

_READ_SIZE: Final = 1 << 20  # piece size when httpx iterates a body itself
_BUFFER_SIZE: Final = 64 * 1024  # socket buffer; larger reads bypass it
_SMALL_BODY: Final = 64 * 1024  # bodies up to this size go out with the head in one send
_MAX_LINE: Final = 64 * 1024
_MAX_HEADERS: Final = 256
_UNSENT_LIMIT: Final = 128 * 1024  # TCP_NOTSENT_LOWAT of our connections (see _limit_unsent)

_LENGTH, _CHUNKED, _UNTIL_CLOSE = 0, 1, 2

# httpcore exception -> httpx exception, for reads made outside httpx (fast_body callers).
_HTTPX_ERRORS: Final[dict[type[Exception], type[httpx.TransportError]]] = {
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.ReadError: httpx.ReadError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.WriteError: httpx.WriteError,
}


# httpcore exception -> httpx exception, as httpx's own transports map them (most derived
# first: a class is looked up along the raised exception's MRO).
_HTTPCORE_TO_HTTPX: Final[dict[type[Exception], type[httpx.TransportError]]] = {
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
    httpcore.ProtocolError: httpx.ProtocolError,
}


def _httpx_error(exc: Exception) -> Exception:
    """The httpx exception for an httpcore one (``exc`` itself for anything else)."""
    for kind in type(exc).__mro__:
        mapped = _HTTPCORE_TO_HTTPX.get(kind)
        if mapped is not None:
            return mapped(str(exc))
    return exc


def _core_request(request: httpx.Request) -> httpcore.Request:
    """``request`` in httpcore's model (what httpx's own transports hand their pools)."""
    url = request.url
    return httpcore.Request(
        method=request.method,
        url=httpcore.URL(
            scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
        ),
        headers=request.headers.raw,
        content=request.stream,
        extensions=request.extensions,
    )


class _SyncStream(httpx.SyncByteStream):
    """The body of a response from another pool (a test double passing requests through
    to httpcore's models), with httpcore's exceptions mapped to httpx's."""

    def __init__(self, stream: Iterable[bytes]) -> None:
        self._stream = stream

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self._stream
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


class Transport(httpx.BaseTransport):
    """An httpx transport whose connections are this module's HTTP/1.1 ones.

    Takes :class:`httpx.HTTPTransport`'s arguments except ``http2`` and ``proxy`` (requests
    to go through a proxy are mounted on httpx's own transport: see
    :meth:`alluxio._http.HTTPOptions.proxy_mounts`), or ``options`` for ``verify``, ``cert``
    and ``trust_env``. The SSL context is built on the first https connection.

    Built on httpx's and httpcore's public API only: requests are handed to the pool in
    httpcore's request model, and its ``handle_request(request)`` is the seam test doubles
    patch (``respx.mocks.HTTPCoreMocker.add_targets``, see tests/conftest.py).
    """

    def __init__(
        self,
        *,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        limits: httpx.Limits | None = None,
        retries: int = 0,
        socket_options: Iterable[Any] | None = None,
        options: HTTPOptions | None = None,
    ) -> None:
        if options is None:
            options = HTTPOptions(verify=verify, cert=cert, trust_env=trust_env)
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = _Pool(
            ssl_context=options.ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            retries=retries,
            socket_options=socket_options,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = self._pool.handle_request(_core_request(request))
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        stream = response.stream
        if not isinstance(stream, ResponseBody):
            assert isinstance(stream, Iterable)
            stream = _SyncStream(stream)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
        )

    def close(self) -> None:
        self._pool.close()


_C = TypeVar("_C", "_Connection", "_AsyncConnection")


def _take_idle(idle: list[_C], origin: httpcore.Origin, now: float) -> tuple[_C | None, list[_C]]:
    """The most recently used idle connection to ``origin`` still fit for use (or ``None``),
    and the idle connections found expired on the way (removed from ``idle``, to close)."""
    expired = [c for c in idle if c._expire_at is not None and c._expire_at < now]
    for conn in expired:
        idle.remove(conn)
    for i in range(len(idle) - 1, -1, -1):
        conn = idle[i]
        if conn.can_handle_request(origin):
            del idle[i]
            if conn.has_expired():  # closed by the server while idle
                expired.append(conn)
                continue
            return conn, expired
    return None, expired


class _LeanPool:
    """What both pools share: settings, limits and the idle list.

    httpcore's pools are general (HTTP/2, proxies, request queues with events, a cancellation
    shield around every release) and that generality cost 15-20% of a metadata call's client
    CPU. These keep what our connections need: at most ``max_connections`` open, waiting
    (up to the pool timeout) for one to be released, the ``max_keepalive_connections`` most
    recently used idle ones kept, expired or server-closed idle ones dropped on the way.

    Their ``handle_request(request)`` / ``handle_async_request(request)`` take and return
    httpcore's request and response models, as httpcore's pools do, which is what respx's
    httpcore mocker patches (tests register these pools with it).
    """

    def _lean_init(
        self,
        *,
        ssl_context: Callable[[], ssl.SSLContext],
        max_connections: int | None,
        max_keepalive_connections: int | None,
        keepalive_expiry: float | None,
        retries: int,
        socket_options: Iterable[Any] | None,
    ) -> None:
        self._settings = (ssl_context, keepalive_expiry, retries, socket_options)
        self._max = max_connections
        self._max_idle = max_keepalive_connections
        self._opened = 0  # connections handed out and not yet dropped, idle ones included
        self._lean_closed = False

    def _room(self) -> bool:
        return self._max is None or self._opened < self._max

    def _keeps_idle(self, idle: int) -> bool:
        return not self._lean_closed and (self._max_idle is None or idle < self._max_idle)

    def _pick(
        self, idle: list[_C], origin: httpcore.Origin, new: Callable[[httpcore.Origin], _C]
    ) -> tuple[_C | None, list[_C]]:
        """(Under the caller's lock.) The most recently used fit idle connection to
        ``origin``, else a ``new`` one if there is room (made, at the limit, by dropping the
        oldest idle connection to another origin), else ``None``; and the connections found
        unfit or dropped, to close."""
        if self._lean_closed:
            raise RuntimeError("the connection pool is closed")
        conn, expired = _take_idle(idle, origin, time.monotonic())
        self._opened -= len(expired)
        if conn is None:
            if not self._room() and idle:
                expired.append(idle.pop(0))
                self._opened -= 1
            if self._room():
                self._opened += 1
                conn = new(origin)
        return conn, expired


class _Pool(_LeanPool):
    """The connection pool of :class:`Transport` (thread-safe), handing out
    :class:`_Connection`\\ s."""

    def __init__(self, **settings: Any) -> None:
        """``settings``: :meth:`_LeanPool._lean_init`'s keywords."""
        self._lean_init(**settings)
        self._idle: list[_Connection] = []
        self._lock = threading.Lock()
        self._released = threading.Condition(self._lock)

    def _new(self, origin: httpcore.Origin) -> _Connection:
        ssl_context, keepalive_expiry, retries, socket_options = self._settings
        conn = _Connection(origin, ssl_context, keepalive_expiry, retries, socket_options)
        conn._pool = self
        return conn

    def _acquire(self, origin: httpcore.Origin, timeout: float | None) -> _Connection:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            with self._lock:
                conn, expired = self._pick(self._idle, origin, self._new)
                if conn is None and not expired:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        raise httpcore.PoolTimeout("no connection was released in time")
                    self._released.wait(left)
            for stale in expired:
                stale.close()
            if conn is not None:
                return conn

    def _release(self, conn: _Connection) -> None:
        """Called once per request when its connection is done with it."""
        with self._lock:
            keep = conn.is_available() and self._keeps_idle(len(self._idle))
            if keep:
                self._idle.append(conn)
            else:
                self._opened -= 1
            self._released.notify()
        if not keep:
            conn.close()

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        """Send ``request`` on a pooled connection; the response holds it until its body is
        closed."""
        conn = self._acquire(request.url.origin, _timeout(request, "pool"))
        try:
            return conn.handle_request(request)
        except BaseException:
            self._release(conn)  # closed by the failure
            raise

    def close(self) -> None:
        with self._lock:
            self._lean_closed = True
            idle, self._idle = self._idle, []
            self._opened -= len(idle)
            self._released.notify_all()
        for conn in idle:
            conn.close()


_NEW, _ACTIVE, _IDLE, _CLOSED = 0, 1, 2, 3
_STATE_NAMES: Final = ("NEW", "ACTIVE", "IDLE", "CLOSED")


def _timeout(request: httpcore.Request, kind: str) -> float | None:
    value = request.extensions.get("timeout", {}).get(kind)
    return None if value is None else float(value)


class _Connection:
    """One HTTP/1.1 connection: connects on first use, one request at a time."""

    def __init__(
        self,
        origin: httpcore.Origin,
        ssl_context: Callable[[], ssl.SSLContext],
        keepalive_expiry: float | None,
        retries: int,
        socket_options: Iterable[Any] | None,
    ) -> None:
        self._origin = origin
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._retries = retries
        self._socket_options = socket_options
        self._backend = httpcore.SyncBackend()
        self._stream: httpcore.NetworkStream | None = None
        self._sock: socket.socket | None = None
        self._rfile: BinaryIO | None = None
        self._state = _NEW
        self._expire_at: float | None = None
        self._request_count = 0
        self._lock = threading.Lock()
        self._pool: _Pool | None = None  # told when a response is done with this connection

    # -- connecting ----------------------------------------------------------------------------

    def _connect(self, request: httpcore.Request) -> None:
        timeout = _timeout(request, "connect")
        attempts = self._retries + 1
        for attempt in range(attempts):
            try:
                stream = self._backend.connect_tcp(
                    self._origin.host.decode("ascii"),
                    self._origin.port,
                    timeout=timeout,
                    socket_options=self._socket_options,
                )
                break
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if attempt + 1 == attempts:
                    raise
                time.sleep(min(0.5 * 2**attempt, 5.0))
        if self._origin.scheme == b"https":
            ctx = self._ssl_context()
            sni = request.extensions.get("sni_hostname") or self._origin.host.decode("ascii")
            stream = stream.start_tls(ctx, server_hostname=sni, timeout=timeout)
        sock = stream.get_extra_info("socket")
        if not isinstance(sock, socket.socket):  # TLS-in-TLS and the like: not supported
            stream.close()
            raise httpcore.ConnectError("the transport needs a plain or TLS socket")
        _limit_unsent(sock, self._socket_options)
        self._stream = stream
        self._sock = sock
        self._rfile = cast(BinaryIO, io.BufferedReader(_SocketReader(sock), _BUFFER_SIZE))

    # -- ConnectionInterface -------------------------------------------------------------------

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        if not self.can_handle_request(request.url.origin):
            raise RuntimeError(
                f"Attempted to send request to {request.url.origin} on connection to {self._origin}"
            )
        with self._lock:
            if self._state not in (_NEW, _IDLE):
                raise httpcore.ConnectionNotAvailable()
            self._state = _ACTIVE
            self._expire_at = None
            self._request_count += 1
        try:
            if self._sock is None:
                self._connect(request)
            return self._exchange(request)
        except BaseException:
            self.close()
            raise

    def _exchange(self, request: httpcore.Request) -> httpcore.Response:
        assert self._sock is not None and self._rfile is not None
        write_error: BaseException | None = None
        try:
            self._send_request(request)
        except httpcore.WriteError as exc:
            # The server may have answered (an error) and closed before reading the body:
            # that answer is more useful than the write error, so try to read it first. (Not
            # after a write timeout: the server is alive but not reading; give up now.)
            write_error = exc
        try:
            version, status, reason, headers = self._read_head(request)
        except (httpcore.ReadError, httpcore.RemoteProtocolError):
            if write_error is not None:
                raise write_error from None
            raise
        mode, length, keep_alive = _framing(request, version, status, headers)
        keep_alive = keep_alive and write_error is None
        body = ResponseBody(self, request, mode, length, keep_alive)
        return httpcore.Response(
            status=status,
            headers=headers,
            content=body,
            extensions={
                "http_version": version,
                "reason_phrase": reason,
                "network_stream": self._stream,
                BODY_EXTENSION: body,
            },
        )

    def _send_request(self, request: httpcore.Request) -> None:
        sock = self._sock
        assert sock is not None
        head = [request.method, b" ", request.url.target, b" HTTP/1.1\r\n"]
        chunked = False
        for name, value in request.headers:
            if name.lower() == b"transfer-encoding" and value.lower() == b"chunked":
                chunked = True
            head += (name, b": ", value, b"\r\n")
        head.append(b"\r\n")
        head_bytes = b"".join(head)
        stream = request.stream
        try:
            with _write_errors():
                sock.settimeout(_timeout(request, "write"))
                content = _known_content(stream)
                if content is not None and not chunked:
                    # A body known up front: small ones share one send with the head.
                    if len(content) <= _SMALL_BODY:
                        sock.sendall(head_bytes + content if content else head_bytes)
                    else:
                        sock.sendall(head_bytes)
                        sock.sendall(content)
                    return
                sock.sendall(head_bytes)
                assert isinstance(stream, Iterable)
                chunks = iter([content] if content is not None else stream)
                while True:
                    chunk = _next_piece(chunks)
                    if chunk is None:
                        break
                    if not chunk:
                        continue  # an empty chunk would end a chunked body
                    if chunked:
                        size = b"%x\r\n" % len(chunk)
                        if len(chunk) <= _SMALL_BODY:
                            sock.sendall(size + bytes(chunk) + b"\r\n")
                        else:
                            sock.sendall(size)
                            sock.sendall(chunk)
                            sock.sendall(b"\r\n")
                    else:
                        sock.sendall(chunk)
                if chunked:
                    sock.sendall(b"0\r\n\r\n")
        except _SourceFailed as failed:
            source_error = failed.error
        else:
            return
        # The body's source failed (a generator or a file raising, e.g. EIO): not a socket
        # error, so the caller gets that very exception now (raised outside the handler, so
        # its own context is kept) instead of waiting for an answer to a body that never
        # ends. The connection is closed by handle_request.
        raise source_error

    def _read_head(
        self, request: httpcore.Request
    ) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
        sock, rfile = self._sock, self._rfile
        assert sock is not None and rfile is not None
        try:
            sock.settimeout(_timeout(request, "read"))
            while True:
                line = rfile.readline(_MAX_LINE + 1)
                if not line:
                    raise httpcore.RemoteProtocolError(
                        "Server disconnected without sending a response."
                    )
                version, status, reason = _status_line(line)
                headers: list[tuple[bytes, bytes]] = []
                while True:
                    line = rfile.readline(_MAX_LINE + 1)
                    if line in (b"\r\n", b"\n"):
                        break
                    headers.append(_header_line(line))
                    if len(headers) > _MAX_HEADERS:
                        raise httpcore.RemoteProtocolError("too many response headers")
                # Interim responses (100 Continue, 103 Early Hints) precede the real one.
                if not 100 <= status < 200:
                    return version, status, reason, headers
        except OSError as exc:
            raise _read_error(exc) from exc

    def _response_done(self, reusable: bool) -> None:
        """Called once per response when its body is closed."""
        with self._lock:
            reused = reusable and self._state == _ACTIVE
            if reused:
                self._state = _IDLE
                if self._keepalive_expiry is not None:
                    self._expire_at = time.monotonic() + self._keepalive_expiry
        if not reused:
            self.close()
        if self._pool is not None:
            self._pool._release(self)

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self._origin

    def close(self) -> None:
        self._state = _CLOSED
        rfile, stream = self._rfile, self._stream
        self._rfile = self._sock = self._stream = None
        if rfile is not None:
            rfile.close()
        if stream is not None:
            stream.close()

    # A failed connect closes the connection (state CLOSED), so the pool drops it.

    def is_available(self) -> bool:
        return self._state == _IDLE

    def has_expired(self) -> bool:
        if self._state == _CLOSED:
            return True
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        # An idle connection whose socket is readable is being closed by the server.
        return (
            self._state == _IDLE
            and self._stream is not None
            and bool(self._stream.get_extra_info("is_readable"))
        )

    def is_idle(self) -> bool:
        return self._state == _IDLE

    def is_closed(self) -> bool:
        return self._state == _CLOSED

    def info(self) -> str:
        return (
            f"{str(self._origin)!r}, HTTP/1.1, {_STATE_NAMES[self._state]}, "
            f"Request Count: {self._request_count}"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.info()}]>"


class _SocketReader(io.RawIOBase):
    """The raw stream under a connection's buffered reader: the socket's ``recv_into``.

    The buffered reader hands a large read straight down, so a 1 MiB body read is received
    into the ``bytes`` it returns (one copy). Each receive takes as much as the read still
    needs: capping receives at 64 KiB (tried until 2026-12-06, to reopen the sender's window
    sooner) cost more than it gave. Against the embedded proxy, 1 GiB in 1 MiB reads, 7
    alternating runs on an idle machine (medians): 1,274 -> 1,368 MiB/s and 0.31 -> 0.28 s
    of client CPU per GiB without the cap (``AsyncClient``: 1,352 -> 1,408 MiB/s, 0.65 ->
    0.51 s/GiB); the proxy's CPU per GiB 0.75 -> 0.71 s.

    No low-water mark here (the async transport sets one, see
    :meth:`_AsyncioChannel.read_exact`): a blocking receive is woken cheaply, and waiting
    for a whole piece cost throughput. Same test, 7 alternating runs, idle machine
    (medians): 1,691 -> 1,471 MiB/s with a 1 MiB mark, for 0.21 -> 0.16 s of CPU per GiB.
    """

    def __init__(self, sock: socket.socket) -> None:
        super().__init__()
        self._recv_into = sock.recv_into
        self._fileno = sock.fileno

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fileno()

    def readinto(self, buffer: Any) -> int | None:
        try:
            return self._recv_into(buffer)
        except BlockingIOError:
            return None  # a non-blocking peek found nothing (see _try_read_last_chunk)


def _limit_unsent(sock: Any, socket_options: Iterable[Any] | None) -> None:
    """Let the kernel hold at most :data:`_UNSENT_LIMIT` bytes of a connection's data that
    it has not yet been able to send (``TCP_NOTSENT_LOWAT``; unless the caller's
    ``socket_options`` set it, or the platform lacks it).

    Our writes go straight to the socket, so an upload faster than the server reads keeps
    the whole send buffer (up to 4 MiB) full of unsent data, on top of the server's full
    receive buffer (ss: ~3 MB unsent + ~3.4 MB queued at the server). Each server read then
    reopens the window and the ACK it sends pushes the client's backlog through TCP in the
    server's time (tcp_write_xmit / tcp_v4_rcv in the server's profile), data written MiBs
    earlier: against the embedded proxy that cost ~35% more server CPU per byte, and
    streamed uploads ran 10-20% slower than with httpx's own connections, whose slower
    writes seldom left anything unsent. With the limit the server's CPU per byte drops
    below httpx's and uploads run faster than with either. Only unsent bytes count: data in
    flight on a real network is still bounded by the congestion and receive windows alone.
    """
    option = getattr(socket, "TCP_NOTSENT_LOWAT", None)
    setsockopt = getattr(sock, "setsockopt", None)
    if option is None or setsockopt is None:
        return
    for given in socket_options or ():
        if tuple(given[:2]) == (socket.IPPROTO_TCP, option):
            return  # the caller's own setting stands
    with contextlib.suppress(OSError):  # an old kernel: nothing to limit with
        setsockopt(socket.IPPROTO_TCP, option, _UNSENT_LIMIT)


class BlockingBody(httpx.AsyncByteStream):
    """A request body read piece by piece from a blocking source (a file's ``read``) on
    asyncio, its first piece already read (:meth:`prime`).

    The asyncio transport sends it from one worker thread, reading each piece there
    (:meth:`_AsyncioChannel.send_body`). Anything else (TLS, an HTTP proxy, a test double)
    iterates it asynchronously: each piece is read in the loop's default executor while the
    previous one is sent, at most one read ahead, and a read still running when the upload
    stops is waited for, so the source is never read behind the caller's back. It can be
    sent once."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._first: bytes | None = None
        self._taken = False

    async def prime(self) -> bool:
        """Read the first piece now (in a worker thread), so that a source of the wrong
        kind raises before the request starts; ``False`` if the body is empty."""
        first = await asyncio.get_running_loop().run_in_executor(None, _next_or_none, self._pieces)
        self._first = first
        return first is not None

    def take(self) -> Iterator[bytes]:
        """The pieces (blocking); only once."""
        if self._taken:
            raise RuntimeError("a BlockingBody can be sent only once")
        self._taken = True
        first, self._first = self._first, None
        return self._pieces if first is None else itertools.chain((first,), self._pieces)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        pieces = self.take()
        loop = asyncio.get_running_loop()
        ahead: asyncio.Future[bytes | None] = loop.run_in_executor(None, _next_or_none, pieces)
        try:
            while (chunk := await ahead) is not None:
                ahead = loop.run_in_executor(None, _next_or_none, pieces)
                yield chunk
        finally:
            if not ahead.done():
                with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
                    await ahead
            elif not ahead.cancelled():
                ahead.exception()  # a read that failed after the upload stopped is moot


def _next_or_none(pieces: Iterator[bytes]) -> bytes | None:
    return next(pieces, None)


def _socket_error(exc: OSError, timeout: type[Exception], failure: type[Exception]) -> Exception:
    """A socket's error as httpcore's (to raise ``from exc``): a timeout as ``timeout``, any
    other (a reset, a broken pipe) as ``failure``. Called from an ``except`` clause: a
    ``try`` costs nothing until it raises, where a context manager costs about 1.4 us per
    use, which adds up on a body read a few KiB at a time."""
    if isinstance(exc, TimeoutError):
        return timeout(str(exc) or "timed out")
    return failure(str(exc) or type(exc).__name__)


def _read_error(exc: OSError) -> Exception:
    """A socket's error while receiving, as httpcore's (see :func:`_socket_error`)."""
    return _socket_error(exc, httpcore.ReadTimeout, httpcore.ReadError)


@contextlib.contextmanager
def _write_errors() -> Iterator[None]:
    """A socket's errors while sending, as httpcore's write errors (around a whole send)."""
    try:
        yield
    except OSError as exc:
        raise _socket_error(exc, httpcore.WriteTimeout, httpcore.WriteError) from exc


class _SourceFailed(Exception):
    """Carries an exception raised by a request body's source past the handlers that turn
    socket errors (``OSError``) into transport errors."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(error)
        self.error = error


def _next_piece(chunks: Iterator[Any]) -> Any:
    """The next piece of a request body, or ``None`` at its end; an exception of the source
    comes out as :class:`_SourceFailed`."""
    try:
        return next(chunks)
    except StopIteration:
        return None
    except Exception as exc:
        raise _SourceFailed(exc) from None


def _known_content(stream: object) -> bytes | None:
    """The whole body when httpx already holds it in memory, else ``None``."""
    if isinstance(stream, httpx.ByteStream):
        return b"".join(stream)  # one bytes object: joined without a copy
    return None


def _status_line(line: bytes) -> tuple[bytes, int, bytes]:
    if len(line) > _MAX_LINE or not line.endswith(b"\n"):
        raise httpcore.RemoteProtocolError("malformed or overlong status line")
    parts = line.rstrip(b"\r\n").split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise httpcore.RemoteProtocolError(f"malformed status line {line[:80]!r}")
    code = parts[1]
    if len(code) != 3 or not code.isdigit():
        raise httpcore.RemoteProtocolError(f"malformed status code {code[:10]!r}")
    return parts[0], int(code), parts[2] if len(parts) > 2 else b""


def _header_line(line: bytes) -> tuple[bytes, bytes]:
    if not line:
        raise httpcore.RemoteProtocolError("connection closed inside the response headers")
    if len(line) > _MAX_LINE or not line.endswith(b"\n"):
        raise httpcore.RemoteProtocolError("overlong response header")
    name, sep, value = line.partition(b":")
    # No obsolete line folding, no whitespace before the colon (RFC 9112 section 5).
    if not sep or not name or name != name.strip() or line[:1] in (b" ", b"\t"):
        raise httpcore.RemoteProtocolError(f"malformed response header {line[:80]!r}")
    return name, value.strip(b" \t\r\n")


def _chunk_size(line: bytes) -> int:
    """The size in a chunk-size line (extensions ignored)."""
    if not line:
        raise httpcore.RemoteProtocolError(
            "peer closed connection without sending complete message body"
        )
    if len(line) > _MAX_LINE or not line.endswith(b"\n"):
        raise httpcore.RemoteProtocolError("malformed chunk size line")
    size = line.split(b";", 1)[0].strip()
    if not size or len(size) > 16 or size.strip(b"0123456789abcdefABCDEF"):
        raise httpcore.RemoteProtocolError(f"malformed chunk size {size[:20]!r}")
    return int(size, 16)


_SIMPLE_CHUNK_SIZE = re.compile(rb"([0-9a-fA-F]{1,16})\r?\n")

# States of a _Dechunker: the size line, the data, the CRLF after it, the trailer, the end.
_SIZE, _DATA, _DATA_END, _TRAILER, _END = range(5)


class _Dechunker:
    """The chunked transfer coding (RFC 9112 section 7.1) taken off a body's raw bytes,
    as many chunks per call as have arrived.

    The real 2.9.6 proxy sends a file in 32 KiB chunks. Read chunk by chunk (a size line, a
    data read and a CRLF read each, as until 2026-12-06), the ``AsyncClient`` spent 0.73 s of
    CPU per GiB and read at 0.87x the reference client; taking the chunks off receives of up
    to 256 KiB and joining their data once per read: 0.60 s and 1.04x (1 GiB in 1 MiB reads,
    7 alternating runs, idle machine, medians 1,321 -> 1,569 MiB/s; reference 1,513). The
    ``Client`` read at the same rate and CPU either way (0.45-0.50 s/GiB): its blocking
    receives were already few.

    HTTP/1.1 without pipelining means the server sends nothing after the body until the next
    request, so a receive that takes all there is can only take this body's bytes; what it
    took beyond a read stays here (:attr:`pending`) for the next one, and anything after the
    last chunk makes the connection unusable.
    """

    __slots__ = ("_left", "_pos", "_raw", "_state", "_trailers")

    def __init__(self) -> None:
        self._raw: bytes = b""
        self._pos = 0
        self._left = 0  # data bytes of the current chunk not yet taken
        self._state = _SIZE
        self._trailers = 0

    @property
    def done(self) -> bool:
        """Whether the last chunk and the trailer have been taken."""
        return self._state == _END

    @property
    def pending(self) -> int:
        """Raw bytes fed in and not yet decoded."""
        return len(self._raw) - self._pos

    @property
    def at_boundary(self) -> bool:
        """Whether all data of the chunks seen so far has been taken (a chunk's data ends in
        _DATA_END: _DATA always has some left)."""
        return self._state in (_SIZE, _DATA_END)

    def feed(self, data: bytes) -> None:
        """Add received bytes. Called only when :meth:`take` found nothing more to decode,
        so what is still pending is a part of a size line or CRLF (a few bytes)."""
        if self._pos < len(self._raw):
            self._raw = self._raw[self._pos :] + data
        else:
            self._raw = data
        self._pos = 0

    def take_received(self, raw: bytes, n: int, parts: list[Any]) -> int:
        """:meth:`feed` one receive's bytes, then :meth:`take`. An empty receive is the peer
        closing the connection before the body's end: ``httpcore.RemoteProtocolError``."""
        if not raw:
            raise httpcore.RemoteProtocolError(
                "peer closed connection without sending complete message body"
            )
        self.feed(raw)
        return self.take(n, parts)

    def take(self, n: int, parts: list[Any]) -> int:
        """Append up to ``n`` data bytes decodable from what was fed to ``parts`` (slices
        of the received ``bytes``) and return how many; framing beyond them is consumed too,
        so :attr:`done` is true as soon as the end has arrived. Raises
        ``httpcore.RemoteProtocolError`` for malformed framing."""
        raw, pos, end = self._raw, self._pos, len(self._raw)
        view: memoryview | None = None
        got = 0
        state = self._state
        while True:
            if state == _DATA:
                if pos == end or got == n:
                    break
                size = min(self._left, n - got, end - pos)
                if size == end and not pos:
                    parts.append(raw)  # the whole receive: no slice, no copy
                else:
                    if view is None:
                        view = memoryview(raw)
                    parts.append(view[pos : pos + size])
                pos += size
                got += size
                self._left -= size
                if not self._left:
                    state = _DATA_END
            elif state == _DATA_END:
                if end - pos < 2:
                    if end > pos and raw[pos] != 13:  # not a CR
                        raise httpcore.RemoteProtocolError("chunk not followed by CRLF")
                    break
                if raw[pos : pos + 2] != b"\r\n":
                    raise httpcore.RemoteProtocolError("chunk not followed by CRLF")
                pos += 2
                state = _SIZE
            elif state == _SIZE:
                head = _SIMPLE_CHUNK_SIZE.match(raw, pos)
                if head is not None:
                    size = int(head[1], 16)
                    pos = head.end()
                else:
                    line_end = raw.find(b"\n", pos, pos + _MAX_LINE + 1)
                    if line_end < 0:
                        if end - pos > _MAX_LINE:
                            raise httpcore.RemoteProtocolError("malformed chunk size line")
                        break
                    size = _chunk_size(raw[pos : line_end + 1])
                    pos = line_end + 1
                self._left = size
                state = _DATA if size else _TRAILER
            elif state == _TRAILER:  # trailer fields, ignored
                line_end = raw.find(b"\n", pos, pos + _MAX_LINE + 1)
                if line_end < 0:
                    if end - pos > _MAX_LINE:
                        raise httpcore.RemoteProtocolError("overlong chunked trailer line")
                    break
                blank = line_end - pos <= 1 and raw[pos : line_end + 1] in (b"\r\n", b"\n")
                pos = line_end + 1
                if blank:
                    state = _END
                    break
                self._trailers += 1
                if self._trailers > _MAX_HEADERS:
                    raise httpcore.RemoteProtocolError("too many trailer fields")
            else:
                break
        self._state = state
        if pos == end:
            self._raw, self._pos = b"", 0
        else:
            self._pos = pos
        return got


_RECEIVE_MAX: Final = 256 * 1024


def _receive_size(want: int) -> int:
    """How much one receive of a chunked body asks for: what the read still wants and the
    next chunk's size line (or 64 KiB, to take what has arrived), at most 256 KiB. Larger
    receives are allocated, shrunk and freed outside malloc's heap, each paying its page
    faults: uncapped, the ``AsyncClient`` took 40,000-76,000 minor faults and 0.67-0.73 s of
    CPU per GiB from the real 2.9.6 proxy, capped 11,000-26,000 and 0.54-0.71 s (4
    alternating runs)."""
    return min(max(want + 16, _BUFFER_SIZE), _RECEIVE_MAX)


def _joined(parts: list[Any], sink: io.BytesIO | None = None) -> bytes:
    """The pieces :meth:`_Dechunker.take` handed out, as one ``bytes`` (one copy at most);
    with a ``sink``, what was poured into it (see :func:`_pour`) and then these."""
    if sink is not None:
        _pour(parts, sink)
        return sink.getvalue()
    if len(parts) == 1 and type(parts[0]) is bytes:
        return parts[0]
    return b"".join(parts)


def _pour(parts: list[Any], sink: io.BytesIO | None) -> None:
    """Move the pieces :meth:`_Dechunker.take` handed out into ``sink`` (if any).

    Reading a whole chunked body into one buffer as it arrives, rather than keeping every
    receive for one join at the end, lets each receive's memory be reused for the next:
    the body costs about its size in fresh memory instead of twice it (the receives, then
    the join). ``BytesIO.getvalue()`` then hands over its buffer without a copy. Against
    the real 2.9.6 proxy, a 256 MiB file read whole with ``read()`` (3 alternating runs):
    ``Client`` 454-539 -> 921-962 MiB/s, 1.86-2.20 -> 0.96-1.05 s of CPU per GiB (most of
    it the kernel's page faults: 530,000-640,000 -> 263,000 per GiB), peak RSS 553 -> 296
    MiB; ``AsyncClient`` 471-476 -> 877-879 MiB/s, 554 -> 297 MiB (the reference client:
    467-554 MiB/s, 543 MiB)."""
    if sink is not None:
        for part in parts:
            sink.write(part)
        parts.clear()


def _framing(
    request: httpcore.Request, version: bytes, status: int, headers: list[tuple[bytes, bytes]]
) -> tuple[int, int, bool]:
    """(mode, length, keep-alive) of a response body, per RFC 9112 section 6.3."""
    connection = b",".join(v for n, v in headers if n.lower() == b"connection").lower()
    keep_alive = version == b"HTTP/1.1" and b"close" not in connection
    if any(n.lower() == b"connection" and b"close" in v.lower() for n, v in request.headers):
        keep_alive = False
    if request.method == b"HEAD" or status in (204, 304):
        return _LENGTH, 0, keep_alive
    encodings = [v for n, v in headers if n.lower() == b"transfer-encoding"]
    if encodings:
        if b",".join(encodings).lower().rsplit(b",", 1)[-1].strip() == b"chunked":
            return _CHUNKED, 0, keep_alive
        return _UNTIL_CLOSE, 0, False
    lengths = {v.strip() for n, v in headers if n.lower() == b"content-length"}
    if lengths:
        value = lengths.pop()
        if lengths or not value.isdigit():
            raise httpcore.RemoteProtocolError("invalid Content-Length")
        return _LENGTH, int(value), keep_alive
    return _UNTIL_CLOSE, 0, False


class ResponseBody(httpx.SyncByteStream):
    """The body of one response, read straight off the connection's buffered socket.

    Iterating yields pieces of up to 1 MiB (httpx does this for ``read()``/``iter_raw()``);
    :meth:`read` returns exactly the size asked for, so callers need no re-chunking.
    """

    def __init__(
        self,
        connection: _Connection,
        request: httpcore.Request,
        mode: int,
        length: int,
        keep_alive: bool,
    ) -> None:
        self._connection = connection
        self._request = request
        self._rfile = connection._rfile
        self._mode = mode
        self._remaining = length  # body bytes left (_LENGTH)
        self._keep_alive = keep_alive
        self._done = mode == _LENGTH and length == 0
        self._closed = False
        self._dechunker = _Dechunker() if mode == _CHUNKED else None

    def _fail(self, message: str) -> httpcore.RemoteProtocolError:
        return httpcore.RemoteProtocolError(message)

    def _read_exact(self, n: int) -> bytes:
        assert self._rfile is not None
        data = self._rfile.read(n)
        if len(data) < n:
            raise self._fail(
                "peer closed connection without sending complete message body "
                f"(received {len(data)} of {n} more bytes)"
            )
        return data

    def _dechunk(self, n: int, exact: bool, sink: io.BytesIO | None = None) -> bytes:
        """``n`` bytes of a chunked body (fewer only at its end) or, unless ``exact``, what
        has arrived of them (waiting only if nothing has). Each receive takes up to all the
        read still needs and whatever else has arrived (see :class:`_Dechunker`). With a
        ``sink``, each receive's data goes into it at once and its value is returned (see
        :func:`_pour`). Raises httpcore errors."""
        rfile, dechunker = self._rfile, self._dechunker
        assert rfile is not None and dechunker is not None
        parts: list[Any] = []
        try:
            got = dechunker.take(n, parts)
            while got < n and not dechunker.done and (exact or not got):
                _pour(parts, sink)
                raw = rfile.read1(_receive_size(n - got))  # type: ignore[attr-defined]
                got += dechunker.take_received(raw, n - got, parts)
        except OSError as exc:
            raise _read_error(exc) from exc
        if dechunker.done:
            self._done = True
            self._keep_alive = self._keep_alive and not dechunker.pending
        return _joined(parts, sink)

    def _piece(self, n: int) -> bytes:
        """Up to ``n`` (> 0) bytes of body; ``b""`` at its end. Raises httpcore errors."""
        if self._done:
            return b""
        if self._rfile is None:
            raise httpcore.ReadError("the response was closed")
        if self._mode == _CHUNKED:
            return self._dechunk(n, exact=False)
        try:
            if self._mode == _LENGTH:
                data = self._read_exact(min(n, self._remaining))
                self._remaining -= len(data)
                self._done = self._remaining == 0
                return data
            data = self._rfile.read(n)
            self._done = not data
            return data
        except OSError as exc:
            raise _read_error(exc) from exc

    def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes, fewer only at the end of the body (``b""`` there).

        Raises httpx's exceptions (:class:`httpx.RemoteProtocolError` for a body cut short,
        :class:`httpx.ReadTimeout`, :class:`httpx.ReadError`) and closes the connection.
        """
        return self._read(n)

    def _read(self, n: int, sink: io.BytesIO | None = None) -> bytes:
        """:meth:`read`; a chunked body's data goes through ``sink`` (see :func:`_pour`)."""
        try:
            if self._mode == _CHUNKED and not self._done and self._rfile is not None:
                return self._dechunk(n, exact=True, sink=sink)  # one copy, however many chunks
            data = self._piece(n)
            if len(data) == n or not data:
                return data
            parts = [data]
            got = len(data)
            while got < n and (data := self._piece(n - got)):
                parts.append(data)
                got += len(data)
            return b"".join(parts)
        except (httpcore.ReadTimeout, httpcore.ReadError, httpcore.RemoteProtocolError) as exc:
            self.close()
            raise _HTTPX_ERRORS[type(exc)](str(exc)) from exc

    def read_all(self) -> bytes:
        """The rest of the body; a single read (one copy, no joining) when its length is
        known; a chunked body's data gathered into one buffer as it arrives (see
        :func:`_pour`)."""
        if self._mode == _LENGTH and not self._done:
            return self.read(self._remaining)
        if self._mode == _CHUNKED:
            return self._read(sys.maxsize, io.BytesIO())
        parts = []
        while data := self.read(_READ_SIZE):
            parts.append(data)
        return b"".join(parts)

    def __iter__(self) -> Iterator[bytes]:
        try:
            # A chunked body comes as what has arrived each time (up to 1 MiB): the real
            # 2.9.6 proxy writes a listing in chunks of ~500 bytes, and one piece per chunk
            # cost more Python per entry than decoding it.
            while data := self._piece(_READ_SIZE):
                yield data
        except (httpcore.ReadTimeout, httpcore.ReadError, httpcore.RemoteProtocolError) as exc:
            self.close()
            raise _HTTPX_ERRORS[type(exc)](str(exc)) from exc
        except BaseException:
            self.close()
            raise

    @property
    def complete(self) -> bool:
        """Whether the whole body has been read."""
        return self._done

    def drain(self, limit: int, seconds: float) -> None:
        """Read and drop the rest of the body if it ends within ``limit`` bytes and
        ``seconds``; otherwise stop there (the body stays incomplete, so closing it closes
        the connection). Never raises: a failure also just leaves the body incomplete."""
        sock = self._connection._sock
        if self._done or self._closed or sock is None:
            return
        deadline = time.monotonic() + seconds
        timeout = sock.gettimeout()
        try:
            while not self._done and limit > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                sock.settimeout(left if timeout is None else min(left, timeout))
                limit -= len(self._piece(min(limit, _BUFFER_SIZE)))
        except (httpcore.ReadTimeout, httpcore.ReadError, httpcore.RemoteProtocolError, OSError):
            pass  # the body stays incomplete: closing it drops the connection
        finally:
            with contextlib.suppress(OSError):
                sock.settimeout(timeout)

    def close(self) -> None:
        """Release the connection: back to the pool if the body was read to its end."""
        if self._closed:
            return
        self._closed = True
        if not self._done and self._dechunker is not None and self._dechunker.at_boundary:
            self._try_read_last_chunk(self._dechunker)
        self._rfile = None
        self._connection._response_done(self._done and self._keep_alive)

    def _try_read_last_chunk(self, dechunker: _Dechunker) -> None:
        """Take the last chunk if it has already arrived (a reader that stopped at the exact
        end of the data never asks for it); never blocks."""
        sock, rfile = self._connection._sock, self._rfile
        if sock is None or rfile is None:
            return
        with contextlib.suppress(OSError, httpcore.RemoteProtocolError):
            dechunker.take(0, [])
            if not dechunker.done and dechunker.at_boundary:
                sock.settimeout(0.0)
                if raw := rfile.read1(_BUFFER_SIZE):  # type: ignore[attr-defined]
                    dechunker.feed(raw)
                    dechunker.take(0, [])
        self._done = dechunker.done
        self._keep_alive = self._keep_alive and not dechunker.pending


def fast_body(response: httpx.Response) -> ResponseBody | None:
    """The :class:`ResponseBody` of a response received through :class:`Transport`, or
    ``None`` for any other response (mocked, or from another transport)."""
    body = response.extensions.get(BODY_EXTENSION)
    return body if isinstance(body, ResponseBody) else None


# -- asyncio / trio (through anyio) --------------------------------------------------------


class _AsyncStream(httpx.AsyncByteStream):
    """The async twin of :class:`_SyncStream`."""

    def __init__(self, stream: AsyncIterable[bytes]) -> None:
        self._stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for piece in self._stream:
                yield piece
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()


class AsyncTransport(httpx.AsyncBaseTransport):
    """The async twin of :class:`Transport`: an httpx async transport whose connections
    parse HTTP/1.1 themselves and read bodies in the sizes asked for."""

    def __init__(
        self,
        *,
        verify: Any = True,
        cert: Any = None,
        trust_env: bool = True,
        limits: httpx.Limits | None = None,
        retries: int = 0,
        socket_options: Iterable[Any] | None = None,
        options: HTTPOptions | None = None,
    ) -> None:
        if options is None:
            options = HTTPOptions(verify=verify, cert=cert, trust_env=trust_env)
        limits = limits or httpx.Limits(max_connections=100, max_keepalive_connections=20)
        self._pool = _AsyncPool(
            ssl_context=options.ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            retries=retries,
            socket_options=socket_options,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self._pool.handle_async_request(_core_request(request))
        except Exception as exc:
            mapped = _httpx_error(exc)
            if mapped is exc:
                raise
            raise mapped from exc
        stream = response.stream
        if not isinstance(stream, AsyncResponseBody):
            assert isinstance(stream, AsyncIterable)
            stream = _AsyncStream(stream)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=stream,
            extensions=response.extensions,
        )

    async def aclose(self) -> None:
        await self._pool.aclose()


class _AsyncPool(_LeanPool):
    """The connection pool of :class:`AsyncTransport` (one event loop's), handing out
    :class:`_AsyncConnection`\\ s."""

    def __init__(self, **settings: Any) -> None:
        """``settings``: :meth:`_LeanPool._lean_init`'s keywords."""
        self._lean_init(**settings)
        self._idle: list[_AsyncConnection] = []
        self._waiters: collections.deque[anyio.Event] = collections.deque()

    def _new(self, origin: httpcore.Origin) -> _AsyncConnection:
        ssl_context, keepalive_expiry, retries, socket_options = self._settings
        conn = _AsyncConnection(origin, ssl_context, keepalive_expiry, retries, socket_options)
        conn._pool = self
        return conn

    async def _acquire(self, origin: httpcore.Origin, timeout: float | None) -> _AsyncConnection:
        while True:
            conn, expired = self._pick(self._idle, origin, self._new)
            for stale in expired:
                with anyio.CancelScope(shield=True):
                    await stale.aclose()
            if conn is not None:
                return conn
            if not expired:
                await self._wait(timeout)

    async def _wait(self, timeout: float | None) -> None:
        released = anyio.Event()
        self._waiters.append(released)
        try:
            with anyio.fail_after(timeout):
                await released.wait()
        except BaseException as exc:
            if released.is_set():
                self._wake_one()  # woken, but leaving (timed out, cancelled): pass it on
            if isinstance(exc, TimeoutError):
                raise httpcore.PoolTimeout("no connection was released in time") from None
            raise
        finally:
            with contextlib.suppress(ValueError):
                self._waiters.remove(released)

    def _wake_one(self) -> None:
        if self._waiters:
            self._waiters.popleft().set()

    async def _release(self, conn: _AsyncConnection) -> None:
        """Called once per request when its connection is done with it."""
        keep = conn.is_available() and self._keeps_idle(len(self._idle))
        if keep:
            self._idle.append(conn)
        else:
            self._opened -= 1
        self._wake_one()
        if not keep:
            with anyio.CancelScope(shield=True):
                await conn.aclose()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        """See :meth:`_Pool.handle_request`."""
        conn = await self._acquire(request.url.origin, _timeout(request, "pool"))
        try:
            return await conn.handle_async_request(request)
        except BaseException:
            await self._release(conn)  # closed by the failure
            raise

    async def aclose(self) -> None:
        self._lean_closed = True
        idle, self._idle = self._idle, []
        self._opened -= len(idle)
        while self._waiters:
            self._wake_one()
        with anyio.CancelScope(shield=True):
            for conn in idle:
                await conn.aclose()


def _socket_readable(sock: Any) -> bool:
    """Whether ``sock`` has data or EOF waiting (for an idle connection: being closed)."""
    if sock is None or sock.fileno() < 0:
        return True
    poll = getattr(select, "poll", None)
    if poll is None:  # Windows
        return bool(select.select([sock], [], [], 0)[0])
    poller = poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


# Async reads and writes of at least this many bytes on asyncio's plain sockets take the bulk
# paths: reads behind the socket's low-water mark (_AsyncioChannel.read_exact), writes in
# worker threads (_ThreadIO).
_BULK_IO_MIN: Final = 256 * 1024


class _ThreadIO:
    """One whole write to a connection's own socket in a worker thread (see
    :class:`_AsyncioChannel`).

    The socket is the connection's, made by it (no ``dup``, nothing of asyncio's): the event
    loop never waits on it while the thread works, because the connection does one thing at
    a time and asyncio's ``sock_*`` calls register the socket only while they wait. An
    operation given up on (its task cancelled) shuts the socket down so that the thread ends
    at once, or, not started yet, never starts; the socket is closed only once the thread is
    done with it (:meth:`_AsyncioChannel.aclose`). The socket is back in non-blocking mode,
    as asyncio needs, before the operation reports its end."""

    def __init__(self, sock: socket.socket, timeout: float | None) -> None:
        self._sock = sock
        self._timeout = timeout
        self._lock = threading.Lock()
        self._started = False
        self._over = False

    def _start(self) -> socket.socket:
        with self._lock:
            if self._over:
                raise OSError(errno.ECANCELED, "the operation was given up")
            self._started = True
        # "No timeout" is a long one waited out again and again (see _SocketReader).
        self._sock.settimeout(self._timeout if self._timeout is not None else 3600.0)
        return self._sock

    def _end(self) -> None:
        with self._lock:
            self._over = True
        with contextlib.suppress(OSError):
            self._sock.setblocking(False)

    def _send_all(self, sock: socket.socket, data: Any) -> None:
        if self._timeout is not None:
            sock.sendall(data)
            return
        view = memoryview(data)
        while view:
            with contextlib.suppress(TimeoutError):
                view = view[sock.send(view) :]

    def write(self, pieces: tuple[bytes, ...]) -> None:
        """All of ``pieces``, in order; the timeout applies to each whole piece."""
        sock = self._start()
        try:
            for data in pieces:
                self._send_all(sock, data)
        finally:
            self._end()

    def send_body(self, head: bytes, body: BlockingBody) -> None:
        """``head``, then ``body`` in chunked framing, each piece read from its source here:
        a whole upload from a file is one hand-over to this thread instead of two per piece
        (the file's read, the socket's send). An exception of the source comes out as
        :class:`_SourceFailed`."""
        sock = self._start()
        try:
            self._send_all(sock, head)
            pieces = body.take()
            while (chunk := _next_piece(pieces)) is not None:
                if not chunk:
                    continue  # an empty chunk would end the body
                self._send_all(sock, b"%x\r\n" % len(chunk))
                self._send_all(sock, chunk)
                self._send_all(sock, b"\r\n")
            self._send_all(sock, b"0\r\n\r\n")
        finally:
            self._end()

    def abandon(self) -> None:
        with self._lock:
            if self._started and not self._over:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)
            self._over = True


_io_threads: concurrent.futures.ThreadPoolExecutor | None = None
_io_threads_lock = threading.Lock()


def _io_executor() -> concurrent.futures.ThreadPoolExecutor:
    """The threads for :class:`_ThreadIO` (made on first use). Not the loop's default
    executor: an operation may wait on the network for as long as its timeout allows, which
    should not hold up the application's own ``run_in_executor`` work."""
    global _io_threads
    with _io_threads_lock:
        if _io_threads is None:
            _io_threads = concurrent.futures.ThreadPoolExecutor(
                max_workers=64, thread_name_prefix="alluxio-io"
            )
        return _io_threads


class _AsyncioChannel:
    """A plain TCP connection on asyncio: a non-blocking socket of the connection's own,
    driven through the event loop's public ``sock_recv``/``sock_sendall`` (each tries the
    socket at once and waits only when it must). Reads of :data:`_BULK_IO_MIN` bytes or more
    wait behind the socket's low-water mark (:meth:`read_exact`); writes that large are done
    in a worker thread (:class:`_ThreadIO`)."""

    def __init__(self, sock: socket.socket, loop: asyncio.AbstractEventLoop) -> None:
        self.sock: socket.socket | None = sock
        self._loop = loop
        self._running: concurrent.futures.Future[Any] | None = None  # a thread's operation
        self.bulk = _BULK_IO_MIN > 0
        self._low_water = 1  # the socket's SO_RCVLOWAT; 0: the platform refused to set it
        self._poller: Any = None  # a select.poll on the socket, made on first use
        self._staging: bytearray | None = None  # see _read_piece; None while idle

    @classmethod
    async def connect(
        cls, host: str, port: int, timeout: float | None, socket_options: Iterable[Any] | None
    ) -> _AsyncioChannel:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                addresses: list[tuple[Any, Any, int, str, Any]]
                try:
                    ipaddress.ip_address(host)  # an address: no resolver round trip
                    addresses = [(_family(host), socket.SOCK_STREAM, 0, "", (host, port))]
                except ValueError:
                    addresses = list(await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM))
                error: OSError | None = None
                for family, kind, proto, _, address in addresses:
                    sock = socket.socket(family, kind, proto)
                    try:
                        sock.setblocking(False)
                        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                        for option in socket_options or ():
                            sock.setsockopt(*option)
                        await loop.sock_connect(sock, address)
                    except BaseException as exc:
                        sock.close()
                        if not isinstance(exc, OSError):
                            raise
                        error = exc
                        continue
                    return cls(sock, loop)
                raise error or OSError(f"no address found for {host!r}")
        except OSError as exc:
            raise _socket_error(exc, httpcore.ConnectTimeout, httpcore.ConnectError) from exc

    def _socket(self) -> socket.socket:
        if self.sock is None:
            raise httpcore.ReadError("the connection is closed")
        return self.sock

    async def receive(self, n: int, timeout: float | None) -> bytes:
        """Up to ``n`` bytes, ``b""`` at EOF."""
        sock = self._socket()
        try:
            try:
                return sock.recv(n)  # already there: no wait, no timer
            except BlockingIOError:
                pass
            async with asyncio.timeout(timeout):
                return await self._loop.sock_recv(sock, n)
        except OSError as exc:
            raise _read_error(exc) from exc

    async def read_exact(self, n: int, timeout: float | None) -> bytes:
        """``n`` bytes (fewer only at EOF), on the event loop, usually in one receive.

        The socket's low-water mark (``SO_RCVLOWAT``) is set to what the read still needs
        (:data:`_LOW_WATER_MAX` at most), so the loop is woken once that much has arrived
        (or the peer closed) and one ``recv`` takes it straight into the returned
        ``bytes``: one wake-up and one copy per piece, instead of a wake-up per segment the
        kernel delivers (1.32x the CPU per GiB, ``scripts/bench --ablation``), or a
        hand-over to a worker thread and back (1.3x the CPU on a loaded machine; the same
        rate and CPU on an idle one). Callers ask only for bytes the response is sure to
        send (the rest of a body or a chunk), and an end of stream wakes the loop whatever
        the mark, so the mark never holds a read up; the read timeout still means "nothing
        received for this long" (see :meth:`_wait_recv_into`). The mark is back to 1 when this
        returns. Reads over :data:`_LOW_WATER_MAX` are taken a piece at a time and joined."""
        sock = self._socket()
        try:
            if n <= _LOW_WATER_MAX:
                return await self._read_piece(sock, n, timeout)
            parts: list[bytes] = []
            got = 0
            while got < n and (
                data := await self._read_piece(sock, min(n - got, _LOW_WATER_MAX), timeout)
            ):
                parts.append(data)
                got += len(data)
            return b"".join(parts)
        except OSError as exc:
            raise _read_error(exc) from exc
        finally:
            self._set_low_water(sock, 1)

    async def _read_piece(self, sock: socket.socket, n: int, timeout: float | None) -> bytes:
        """``n`` (<= :data:`_LOW_WATER_MAX`) bytes, fewer only at EOF.

        When all ``n`` have arrived, one ``recv`` takes them into the result. When only some
        have, they are taken at once into the connection's staging buffer (taking them
        reopens the sender's window: waiting for the whole piece first read 1 GiB from the
        embedded proxy in 0.81-1.06 s against 0.62-0.72), the rest follows into it once it
        has arrived, and the piece is copied out. Taking the first part into a ``bytes`` of
        its own, as until 2026-12-06, cost a second allocation of up to a MiB and a join
        per piece, and kept malloc growing and trimming its heap: 80,000-130,000 page
        faults and 0.18-0.41 s of system CPU per GiB, 0.33-0.52 s of CPU in all; staged:
        1,300 faults, 0.11-0.21 s and 0.35-0.39 s (3 alternating runs, embedded proxy). The
        staging buffer (1 MiB) is dropped when the connection goes idle."""
        self._set_low_water(sock, n)
        first = b""
        if self._at_mark(sock):
            first = sock.recv(n)  # all there (or EOF): straight into the result
            if len(first) == n or not first:
                return first
            # (Fewer after all: carried on in the staging buffer.)
        if self._staging is None:
            self._staging = bytearray(_LOW_WATER_MAX)
        view = memoryview(self._staging)
        got = len(first)
        view[:got] = first
        while got < n:
            self._set_low_water(sock, n - got)
            try:
                k = sock.recv_into(view[got:n])  # what is there already: no wait, no timer
            except BlockingIOError:
                k = await self._wait_recv_into(sock, view[got:n], timeout)
            if not k:
                break
            got += k
        return bytes(view[:got])

    def went_idle(self) -> None:
        """The connection awaits its next request: an idle connection holds no 1 MiB
        staging buffer."""
        self._staging = None

    def _at_mark(self, sock: socket.socket) -> bool:
        """Whether the socket is readable at its low-water mark (or at EOF, or failed) now:
        a receive takes what is there, mark or not."""
        if not hasattr(select, "poll"):  # Windows
            return bool(select.select([sock], [], [], 0)[0])
        if self._poller is None:
            self._poller = select.poll()
            self._poller.register(sock, select.POLLIN)
        return bool(self._poller.poll(0))

    async def _wait_recv_into(
        self, sock: socket.socket, view: memoryview, timeout: float | None
    ) -> int:
        """Wait for the low-water mark, then receive. A timeout with bytes waiting below the
        mark is progress, not a timeout: they are taken and the caller waits again."""
        try:
            async with asyncio.timeout(timeout):
                return await self._loop.sock_recv_into(sock, view)
        except TimeoutError:
            try:
                return sock.recv_into(view)  # non-blocking: whatever arrived, mark or not
            except BlockingIOError:
                raise TimeoutError("timed out") from None

    def _set_low_water(self, sock: socket.socket, mark: int) -> None:
        if self._low_water in (0, mark):
            return
        try:
            sock.setsockopt(socket.SOL_SOCKET, _SO_RCVLOWAT, mark)
            self._low_water = mark
        except OSError:  # a platform without it: reads still work, woken more often
            self._low_water = 0

    async def send(self, pieces: tuple[bytes, ...], timeout: float | None) -> None:
        """``pieces`` in order; large ones go out from a worker thread, all in one hand-over
        (a chunk with its framing). Measured (1 GiB uploads from a file in 1 MiB pieces to
        the embedded proxy, asyncio, 3 alternating runs): the event loop's CPU per GiB
        1.09-1.24 -> 0.37-0.55 s, the whole client's 1.31-1.48 -> 1.01-1.46 s."""
        sock = self._socket()
        with _write_errors():
            if self.bulk and sum(map(len, pieces)) >= _BULK_IO_MIN:
                job = _ThreadIO(sock, timeout)
                await self._in_thread(job, job.write, pieces)
                return
            async with asyncio.timeout(timeout):
                for piece in pieces:
                    await self._loop.sock_sendall(sock, piece)

    async def send_body(self, head: bytes, body: BlockingBody, timeout: float | None) -> None:
        """``head`` and ``body`` (chunked), all from one worker thread (:meth:`_ThreadIO.
        send_body`). If this task is cancelled, the socket is shut down and the thread
        waited for, so the body's source is never read after this returns."""
        job = _ThreadIO(self._socket(), timeout)
        try:
            with _write_errors():
                await self._in_thread(job, lambda _: job.send_body(head, body), None, finish=True)
        except _SourceFailed as failed:
            source_error = failed.error
        else:
            return
        raise source_error  # outside the handler: its own context is kept (see _Connection)

    async def _in_thread(
        self, job: _ThreadIO, operation: Callable[[Any], _T], arg: Any, *, finish: bool = False
    ) -> _T:
        """``operation(arg)`` in a worker thread; abandoned if the caller is cancelled (and
        with ``finish``, waited for until the thread is out of it)."""
        running = _io_executor().submit(operation, arg)
        self._running = running
        try:
            return await asyncio.wrap_future(running)
        except BaseException:
            job.abandon()
            if finish and not running.done():
                with anyio.CancelScope(shield=True), contextlib.suppress(BaseException):
                    await asyncio.wrap_future(running)
            raise

    async def aclose(self) -> None:
        sock, self.sock = self.sock, None
        self._staging = self._poller = None
        if sock is None:
            return
        running = self._running
        if running is not None and not running.done():
            # A given-up thread may still be inside a call on it: close after it returns.
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            running.add_done_callback(lambda _: sock.close())
        else:
            sock.close()


# Linux, the BSDs and macOS have it; elsewhere setting it fails and is given up on.
_SO_RCVLOWAT: Final = getattr(socket, "SO_RCVLOWAT", -1)
# The highest low-water mark set: Linux grows a socket's receive buffer to hold the mark
# (twice it), so a read of 64 MiB must not ask for 64 MiB; larger reads wake once per MiB.
_LOW_WATER_MAX: Final = 1 << 20


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


class _AnyioChannel:
    """A connection through anyio's public byte-stream API: trio, and TLS on asyncio."""

    bulk = False

    def __init__(self, stream: anyio.abc.ByteStream) -> None:
        self._stream = stream
        self.sock: Any = stream.extra(anyio.abc.SocketAttribute.raw_socket, None)

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        timeout: float | None,
        socket_options: Iterable[Any] | None,
        tls: tuple[ssl.SSLContext, str] | None,
    ) -> _AnyioChannel:
        try:
            with anyio.fail_after(timeout):
                tcp = await anyio.connect_tcp(host, port)
                try:
                    sock = tcp.extra(anyio.abc.SocketAttribute.raw_socket)
                    for option in socket_options or ():
                        sock.setsockopt(*option)
                    stream: anyio.abc.ByteStream = tcp
                    if tls is not None:
                        stream = await anyio.streams.tls.TLSStream.wrap(
                            tcp, hostname=tls[1], ssl_context=tls[0], standard_compatible=False
                        )
                except BaseException:
                    await anyio.aclose_forcefully(tcp)
                    raise
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc) or "timed out") from exc
        except (OSError, anyio.BrokenResourceError) as exc:
            raise httpcore.ConnectError(str(exc) or type(exc).__name__) from exc
        return cls(stream)

    async def receive(self, n: int, timeout: float | None) -> bytes:
        try:
            with anyio.fail_after(timeout):
                return await self._stream.receive(n)
        except anyio.EndOfStream:
            return b""
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc) or "timed out") from exc
        # anyio passes TLS alerts on as they are (a client certificate refused, say).
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
            raise httpcore.ReadError(str(exc) or type(exc).__name__) from exc

    async def read_exact(self, n: int, timeout: float | None) -> bytes:
        raise NotImplementedError  # never called: not bulk

    async def send_body(self, head: bytes, body: BlockingBody, timeout: float | None) -> None:
        raise NotImplementedError  # never called: not bulk

    async def send(self, pieces: tuple[bytes, ...], timeout: float | None) -> None:
        try:
            with anyio.fail_after(timeout):
                for piece in pieces:
                    if piece:
                        await self._stream.send(piece)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc) or "timed out") from exc
        except (anyio.BrokenResourceError, anyio.ClosedResourceError, OSError) as exc:
            raise httpcore.WriteError(str(exc) or type(exc).__name__) from exc

    def went_idle(self) -> None:
        """The connection awaits its next request (nothing held between requests here)."""

    async def aclose(self) -> None:
        self.sock = None
        with contextlib.suppress(OSError, anyio.BrokenResourceError):
            await self._stream.aclose()


_Channel = _AsyncioChannel | _AnyioChannel


class _AsyncBuffer:
    """Line and exact-size reads over a connection's channel."""

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel
        self._buf = bytearray()
        self.timeout: float | None = None

    def buffered_line(self, limit: int) -> bytes | None:
        """What :meth:`readline` would return if it is already received (no I/O; a response
        head usually arrives whole), else ``None``."""
        buf = self._buf
        end = buf.find(b"\n")
        if end >= 0:
            line = bytes(buf[: end + 1])
            del buf[: end + 1]
            return line
        if len(buf) > limit:
            return bytes(buf[: limit + 1])
        return None

    async def readline(self, limit: int) -> bytes:
        """One line with its ``\\n``; shorter without it at EOF, or ``limit + 1`` bytes."""
        while (line := self.buffered_line(limit)) is None:
            data = await self._channel.receive(_BUFFER_SIZE, self.timeout)
            if not data:
                line = bytes(self._buf)
                self._buf.clear()
                return line
            self._buf += data
        return line

    async def read(self, n: int) -> bytes:
        """``n`` bytes, fewer only at EOF. Beyond what is buffered, data goes from the socket
        to the result without passing through the buffer; each receive gets the whole read
        timeout."""
        parts: list[bytes] = []
        got = 0
        if self._buf:
            if len(self._buf) >= n:
                out = bytes(self._buf[:n])
                del self._buf[:n]
                return out
            parts.append(bytes(self._buf))
            got = len(self._buf)
            self._buf.clear()
        channel, timeout = self._channel, self.timeout
        if channel.bulk and n - got >= _BULK_IO_MIN:
            data = await channel.read_exact(n - got, timeout)
            if not parts:
                return data
            parts.append(data)
            return b"".join(parts)
        while got < n:
            data = await channel.receive(n - got, timeout)
            if not data:
                break
            parts.append(data)
            got += len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    async def receive(self, n: int) -> bytes:
        """What is buffered, or else one receive of up to ``n`` bytes; ``b""`` at EOF."""
        if self._buf:
            data = bytes(self._buf)
            self._buf.clear()
            return data
        return await self._channel.receive(n, self.timeout)


class _AsyncConnection:
    """The async twin of :class:`_Connection`."""

    def __init__(
        self,
        origin: httpcore.Origin,
        ssl_context: Callable[[], ssl.SSLContext],
        keepalive_expiry: float | None,
        retries: int,
        socket_options: Iterable[Any] | None,
    ) -> None:
        self._origin = origin
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._retries = retries
        self._socket_options = socket_options
        self._channel: _Channel | None = None
        self._reader: _AsyncBuffer | None = None
        self._state = _NEW
        self._expire_at: float | None = None
        self._request_count = 0
        self._pool: _AsyncPool | None = None  # told when a response is done with this connection

    async def _connect(self, request: httpcore.Request) -> None:
        timeout = _timeout(request, "connect")
        host, port = self._origin.host.decode("ascii"), self._origin.port
        tls = None
        if self._origin.scheme == b"https":
            sni = request.extensions.get("sni_hostname") or host
            tls = (self._ssl_context(), sni)
        attempts = self._retries + 1
        for attempt in range(attempts):
            try:
                channel: _Channel
                if tls is None and sniffio.current_async_library() == "asyncio":
                    channel = await _AsyncioChannel.connect(
                        host, port, timeout, self._socket_options
                    )
                else:
                    channel = await _AnyioChannel.connect(
                        host, port, timeout, self._socket_options, tls
                    )
                break
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if attempt + 1 == attempts:
                    raise
                await anyio.sleep(min(0.5 * 2**attempt, 5.0))
        _limit_unsent(channel.sock, self._socket_options)
        self._channel = channel
        self._reader = _AsyncBuffer(channel)

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if not self.can_handle_request(request.url.origin):
            raise RuntimeError(
                f"Attempted to send request to {request.url.origin} on connection to {self._origin}"
            )
        if self._state not in (_NEW, _IDLE):  # one task at a time: no lock needed
            raise httpcore.ConnectionNotAvailable()
        self._state = _ACTIVE
        self._expire_at = None
        self._request_count += 1
        try:
            if self._channel is None:
                await self._connect(request)
            return await self._exchange(request)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise

    async def _exchange(self, request: httpcore.Request) -> httpcore.Response:
        reader = self._reader
        assert reader is not None
        write_error: BaseException | None = None
        try:
            await self._send_request(request)
        except httpcore.WriteError as exc:
            write_error = exc  # read the server's early answer if there is one (see _Connection)
        reader.timeout = _timeout(request, "read")
        try:
            version, status, reason, headers = await self._read_head(reader)
        except (httpcore.ReadError, httpcore.RemoteProtocolError):
            if write_error is not None:
                raise write_error from None
            raise
        mode, length, keep_alive = _framing(request, version, status, headers)
        body = AsyncResponseBody(self, mode, length, keep_alive and write_error is None)
        return httpcore.Response(
            status=status,
            headers=headers,
            content=body,
            extensions={
                "http_version": version,
                "reason_phrase": reason,
                BODY_EXTENSION: body,
            },
        )

    async def _send_request(self, request: httpcore.Request) -> None:
        channel = self._channel
        assert channel is not None
        timeout = _timeout(request, "write")
        head = [request.method, b" ", request.url.target, b" HTTP/1.1\r\n"]
        chunked = False
        for name, value in request.headers:
            if name.lower() == b"transfer-encoding" and value.lower() == b"chunked":
                chunked = True
            head += (name, b": ", value, b"\r\n")
        head.append(b"\r\n")
        head_bytes = b"".join(head)
        content = _known_content(request.stream)
        if content is not None and not chunked:
            if len(content) <= _SMALL_BODY:
                await channel.send((head_bytes + content,), timeout)
            else:
                await channel.send((head_bytes,), timeout)
                await channel.send((content,), timeout)
            return
        if isinstance(request.stream, BlockingBody) and chunked and channel.bulk:
            await channel.send_body(head_bytes, request.stream, timeout)
            return
        await channel.send((head_bytes,), timeout)
        assert isinstance(request.stream, AsyncIterable)
        pieces: AsyncIterator[bytes] = (
            _one(content) if content is not None else request.stream.__aiter__()
        )
        async for chunk in pieces:
            if not chunk:
                continue  # an empty chunk would end a chunked body
            if chunked:
                size = b"%x\r\n" % len(chunk)
                if len(chunk) <= _SMALL_BODY:
                    await channel.send((size + bytes(chunk) + b"\r\n",), timeout)
                else:
                    await channel.send((size, bytes(chunk), b"\r\n"), timeout)
            else:
                await channel.send((bytes(chunk),), timeout)
        if chunked:
            await channel.send((b"0\r\n\r\n",), timeout)

    async def _read_head(
        self, reader: _AsyncBuffer
    ) -> tuple[bytes, int, bytes, list[tuple[bytes, bytes]]]:
        while True:
            line = await reader.readline(_MAX_LINE)
            if not line:
                raise httpcore.RemoteProtocolError(
                    "Server disconnected without sending a response."
                )
            version, status, reason = _status_line(line)
            headers: list[tuple[bytes, bytes]] = []
            while True:
                # No await (a coroutine per line) for the lines already received.
                line = reader.buffered_line(_MAX_LINE) or await reader.readline(_MAX_LINE)
                if line in (b"\r\n", b"\n"):
                    break
                headers.append(_header_line(line))
                if len(headers) > _MAX_HEADERS:
                    raise httpcore.RemoteProtocolError("too many response headers")
            if not 100 <= status < 200:
                return version, status, reason, headers

    async def _response_done(self, reusable: bool) -> None:
        if reusable and self._state == _ACTIVE:
            self._state = _IDLE
            if self._keepalive_expiry is not None:
                self._expire_at = time.monotonic() + self._keepalive_expiry
            if self._channel is not None:
                self._channel.went_idle()
        else:
            await self.aclose()
        if self._pool is not None:
            await self._pool._release(self)

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self._origin

    async def aclose(self) -> None:
        self._state = _CLOSED
        channel, self._channel, self._reader = self._channel, None, None
        if channel is not None:
            await channel.aclose()

    def is_available(self) -> bool:
        return self._state == _IDLE

    def has_expired(self) -> bool:
        if self._state == _CLOSED:
            return True
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        channel = self._channel
        return self._state == _IDLE and _socket_readable(channel and channel.sock)

    def is_idle(self) -> bool:
        return self._state == _IDLE

    def is_closed(self) -> bool:
        return self._state == _CLOSED

    def info(self) -> str:
        return (
            f"{str(self._origin)!r}, HTTP/1.1, {_STATE_NAMES[self._state]}, "
            f"Request Count: {self._request_count}"
        )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.info()}]>"


async def _one(data: bytes) -> AsyncIterator[bytes]:
    yield data


class AsyncResponseBody(httpx.AsyncByteStream):
    """The async twin of :class:`ResponseBody`."""

    def __init__(
        self, connection: _AsyncConnection, mode: int, length: int, keep_alive: bool
    ) -> None:
        self._connection = connection
        self._reader = connection._reader
        self._mode = mode
        self._remaining = length  # body bytes left (_LENGTH)
        self._keep_alive = keep_alive
        self._done = mode == _LENGTH and length == 0
        self._closed = False
        self._dechunker = _Dechunker() if mode == _CHUNKED else None

    async def _read_exact(self, n: int) -> bytes:
        assert self._reader is not None
        data = await self._reader.read(n)
        if len(data) < n:
            raise httpcore.RemoteProtocolError(
                "peer closed connection without sending complete message body "
                f"(received {len(data)} of {n} more bytes)"
            )
        return data

    async def _piece(self, n: int) -> bytes:
        if self._done:
            return b""
        reader = self._reader
        if reader is None:
            raise httpcore.ReadError("the response was closed")
        if self._mode == _LENGTH:
            data = await self._read_exact(min(n, self._remaining))
            self._remaining -= len(data)
            self._done = self._remaining == 0
            return data
        if self._mode == _CHUNKED:
            return await self._dechunk(n, exact=False)
        data = await reader.read(n)
        self._done = not data
        return data

    async def _dechunk(self, n: int, exact: bool, sink: io.BytesIO | None = None) -> bytes:
        """As :meth:`ResponseBody._dechunk`."""
        reader, dechunker = self._reader, self._dechunker
        assert reader is not None and dechunker is not None
        parts: list[Any] = []
        got = dechunker.take(n, parts)
        while got < n and not dechunker.done and (exact or not got):
            _pour(parts, sink)
            raw = await reader.receive(_receive_size(n - got))
            got += dechunker.take_received(raw, n - got, parts)
        if dechunker.done:
            self._done = True
            self._keep_alive = self._keep_alive and not dechunker.pending
        return _joined(parts, sink)

    async def read(self, n: int) -> bytes:
        """Exactly ``n`` bytes, fewer only at the end of the body; raises httpx's exceptions
        and closes the connection, like :meth:`ResponseBody.read`."""
        return await self._read(n)

    async def _read(self, n: int, sink: io.BytesIO | None = None) -> bytes:
        """:meth:`read`; a chunked body's data goes through ``sink`` (see :func:`_pour`)."""
        try:
            if self._mode == _CHUNKED and not self._done and self._reader is not None:
                return await self._dechunk(n, exact=True, sink=sink)
            data = await self._piece(n)
            if len(data) == n or not data:
                return data
            parts = [data]
            got = len(data)
            while got < n and (data := await self._piece(n - got)):
                parts.append(data)
                got += len(data)
            return b"".join(parts)
        except (httpcore.ReadTimeout, httpcore.ReadError, httpcore.RemoteProtocolError) as exc:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise _HTTPX_ERRORS[type(exc)](str(exc)) from exc
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise

    async def read_all(self) -> bytes:
        """The rest of the body, like :meth:`ResponseBody.read_all`."""
        if self._mode == _LENGTH and not self._done:
            return await self.read(self._remaining)
        if self._mode == _CHUNKED:
            return await self._read(sys.maxsize, io.BytesIO())
        parts = []
        while data := await self.read(_READ_SIZE):
            parts.append(data)
        return b"".join(parts)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while data := await self._piece(_READ_SIZE):  # a chunked body: what has arrived
                yield data
        except (httpcore.ReadTimeout, httpcore.ReadError, httpcore.RemoteProtocolError) as exc:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise _HTTPX_ERRORS[type(exc)](str(exc)) from exc
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.aclose()
            raise

    @property
    def complete(self) -> bool:
        """Whether the whole body has been read."""
        return self._done

    async def drain(self, limit: int, seconds: float) -> None:
        """Read and drop the rest of the body if it ends within ``limit`` bytes and
        ``seconds``, as :meth:`ResponseBody.drain`; never raises (but cancellation)."""
        if self._done or self._closed:
            return
        with anyio.move_on_after(seconds):
            try:
                while not self._done and limit > 0:
                    limit -= len(await self._piece(min(limit, _BUFFER_SIZE)))
            except (
                httpcore.ReadTimeout,
                httpcore.ReadError,
                httpcore.RemoteProtocolError,
                OSError,
            ):
                pass  # the body stays incomplete: closing it drops the connection

    async def aclose(self) -> None:
        """Release the connection: back to the pool if the body was read to its end."""
        if self._closed:
            return
        self._closed = True
        dechunker = self._dechunker
        # A reader that stopped at the exact end of the data never asks for the last chunk;
        # take it if it has already been received.
        if not self._done and dechunker is not None and dechunker.at_boundary:
            with contextlib.suppress(httpcore.RemoteProtocolError):
                dechunker.take(0, [])
            self._done = dechunker.done
            self._keep_alive = self._keep_alive and not dechunker.pending
        self._reader = None
        await self._connection._response_done(self._done and self._keep_alive)


def async_fast_body(response: httpx.Response) -> AsyncResponseBody | None:
    """The :class:`AsyncResponseBody` of a response received through
    :class:`AsyncTransport`, or ``None`` for any other response."""
    body = response.extensions.get(BODY_EXTENSION)
    return body if isinstance(body, AsyncResponseBody) else None
