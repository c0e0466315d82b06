"""Asynchronous Alluxio client: :class:`AsyncClient`, :class:`AsyncReader`, :class:`AsyncWriter`.

The same operations as :class:`alluxio.Client`, as coroutines, over ``httpx.AsyncClient``.
Requests, argument checks, dialect translation, response parsing and error mapping come from
the same core as the sync client (:mod:`alluxio._core`, :mod:`alluxio._errors`); only the
sending differs. Runs on asyncio; the I/O goes through anyio (as httpx does), so trio should
work too, though only asyncio is tested.

Examples:
    >>> async with alluxio.AsyncClient("localhost", 39999) as client:
    ...     async with client.open("/hello.txt", "w") as f:
    ...         await f.write(b"hello")
    ...     async with client.open("/hello.txt", "r") as f:
    ...         data = await f.read()
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import logging
import os
import ssl
import types
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterator,
    Sequence,
)
from types import TracebackType
from typing import IO, Any, Generic, Literal, Self, TypeVar, overload

import anyio
import anyio.to_thread
import httpx

from . import _logs, option
from ._core import (
    CLIENT_CLOSED,
    DEFAULT_CHUNK_SIZE,
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_PORT,
    DRAIN_BEFORE_CLOSE_BYTES,
    DRAIN_BEFORE_CLOSE_SECONDS,
    REPLACE_ATTEMPTS,
    AsyncHTTPClient,
    Call,
    ClientBase,
    Listing,
    Operations,
    WriteData,
    abandoned_close,
    check_buffer,
    check_chunk,
    check_chunk_size,
    check_listing_args,
    check_open_args,
    check_write_bytes_args,
    check_write_data,
    check_written,
    iter_write_chunks,
    log_abandoned_close_failure,
    not_replaced,
    redacting,
    replacing,
    temp_name,
)
from ._dialect import Dialect, dialect_of_version
from ._endpoints import Endpoint
from ._errors import aread_error_body, error_from_response, error_from_transport
from ._http import AuthTypes, CertTypes, HeaderTypes, HTTPOptions
from ._retry import CallState, RetryPolicy
from ._transport import AsyncTransport, BlockingBody, async_fast_body
from .exceptions import (
    AlluxioError,
    AlreadyExistsError,
    ClientClosedError,
    HTTPError,
    NotFoundError,
)
from .wire import FileInfo

_logs.install()  # mount credentials out of httpx's request log, before any request

__all__ = ["AsyncClient", "AsyncReader", "AsyncStatusIterator", "AsyncWriteData", "AsyncWriter"]

T = TypeVar("T")
log = logging.getLogger("alluxio")

DEFAULT_MAX_CONNECTIONS = 256
"""Connections per AsyncClient: many tasks share one client, and an open reader holds its
connection for as long as it is read, so the pool is larger than the sync client's."""

_CLEANUP_TIMEOUT = 30.0
"""Seconds a shielded cleanup (close/delete after a failure or cancellation) may take."""


async def _read_whole(response: httpx.Response) -> None:
    """Read a successful response's body (as ``send(stream=False)`` does), closing it if the
    read fails so the connection is not left half-read."""
    try:
        await response.aread()
    except BaseException:
        await response.aclose()
        raise


AsyncWriteData = WriteData | AsyncIterable[bytes] | IO[bytes]
"""What :meth:`AsyncWriter.write` accepts: bytes-like data, an async or sync iterable of bytes,
or a binary file object (sync ``read`` runs in a worker thread; async ``read`` is awaited)."""


class AsyncClient(ClientBase):
    """Asynchronous Alluxio client for one proxy; safe to share between many tasks.

    Args:
        host: The proxy's host name.
        port: The proxy's web port.
        timeout: Seconds to wait for the proxy to respond (each read or write of the
            connection, and for a free pooled connection) before giving up; ``None`` waits
            forever. Defaults to 1800.
        connect_timeout: Seconds to wait for a connection to be established.
        dialect: ``"2.x"`` (default) or ``"1.x"``: the JSON dialect of the proxy's option
            bodies; ``"auto"`` asks the proxy its version on first use.
        chunk_size: Bytes per chunk when reading and when streaming file objects out
            (default 1 MiB).
        scheme: ``"http"`` or ``"https"``.
        retries: How idempotent calls are retried after a connection failure or an HTTP
            502/503/504 (``True``: the default policy; a number of retries; ``False``; or a
            :class:`alluxio.RetryPolicy`), as in :class:`alluxio.Client`; waits are
            ``await``-ed, so other tasks run meanwhile.
        proxies: Further proxies (``"http://host:port"``) to fail over to, as in
            :class:`alluxio.Client` (stream calls always go to the proxy that issued the id).
        max_connections: Most connections open to the proxy at once (default 256). Tasks
            beyond it wait for a free connection. A task that holds a reader open while it
            issues other requests (copying, say) needs two; keep the number of such tasks
            below this limit or they can wait on each other until ``timeout``.
        verify: How https proxies' certificates are checked (``True``, ``False``, a CA bundle
            path or an :class:`ssl.SSLContext`), as in :class:`alluxio.Client`.
        cert: A client certificate for mutual TLS, as in :class:`alluxio.Client`.
        trust_env: Read the proxy and ``SSL_CERT_*`` environment variables (default ``True``).
        proxy: An HTTP(S) proxy to send every request through, as in :class:`alluxio.Client`.
        headers: Headers sent with every request (checked; never logged or shown).
        auth: Authentication for every request (any :class:`httpx.Auth`, a
            ``(username, password)`` tuple, or a callable), as in :class:`alluxio.Client`.

    Use it with ``async with``, or await :meth:`close_connections` when done
    (``close(file_id)`` closes a *file*, as in the 0.1.x API). A client belongs to the event
    loop it is first used in.

    Examples:
        >>> async with alluxio.AsyncClient("localhost", 39999) as client:
        ...     names = await client.ls("/")
    """

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        timeout: float | None = 1800,
        *,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        dialect: Dialect | Literal["auto"] = "2.x",
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        scheme: Literal["http", "https"] = "http",
        retries: bool | int | RetryPolicy = True,
        proxies: Sequence[str] = (),
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        verify: bool | str | os.PathLike[str] | ssl.SSLContext = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        proxy: str | httpx.URL | httpx.Proxy | None = None,
        headers: HeaderTypes | None = None,
        auth: AuthTypes | None = None,
    ) -> None:
        self._configure(
            host,
            port,
            timeout,
            connect_timeout=connect_timeout,
            dialect=dialect,
            chunk_size=chunk_size,
            scheme=scheme,
            retries=retries,
            proxies=proxies,
        )
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise TypeError(f"max_connections must be an int, got {type(max_connections).__name__}")
        if max_connections <= 0:
            raise ValueError(f"max_connections must be > 0, got {max_connections}")
        options = HTTPOptions(
            verify=verify, cert=cert, trust_env=trust_env, proxy=proxy, headers=headers, auth=auth
        )
        limits = httpx.Limits(
            max_connections=max_connections, max_keepalive_connections=min(max_connections, 64)
        )

        def via_proxy(proxy: httpx.Proxy) -> httpx.AsyncBaseTransport:
            return httpx.AsyncHTTPTransport(
                verify=options.ssl_context(), trust_env=trust_env, proxy=proxy, limits=limits
            )

        # No base_url: each request is addressed to the proxy it goes to (failover).
        self._http = AsyncHTTPClient(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            # HTTP/1.1 connections that move large bodies without re-chunking (_transport).
            transport=AsyncTransport(options=options, limits=limits),
            mounts=options.proxy_mounts(via_proxy),
            **options.client_kwargs(),
        )

    # -- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close_connections()

    async def close_connections(self) -> None:
        """Close the pooled HTTP connections; the same as :meth:`close` without an argument.

        Calls made afterwards raise :class:`~alluxio.exceptions.ClientClosedError`.
        """
        await self._http.aclose()

    # -- plumbing ----------------------------------------------------------------------------

    async def get_dialect(self) -> Dialect:
        """The dialect this client speaks (asks the proxy first when created with ``"auto"``)."""
        return (await self._operations()).dialect

    async def _operations(self) -> Operations:
        if self._ops is None:
            # Concurrent first calls may each ask; the answers agree, so no lock is needed.
            version = str((await self.proxy_info()).get("version", ""))
            self._ops = Operations(dialect_of_version(version))
        return self._ops

    async def _send(
        self,
        request: dict[str, Any],
        *,
        idempotent: bool = False,
        stream: bool = False,
        file_id: int | None = None,
        pinned: Endpoint | None = None,
    ) -> tuple[httpx.Response, Endpoint]:
        """Send ``request`` (``build_request`` keywords with a relative URL): the one place
        requests are sent, retried (:mod:`alluxio._retry`) and errors mapped; the mirror of
        :meth:`alluxio.Client._send`, with awaited I/O and sleeps."""
        if self._http.is_closed:
            raise ClientClosedError(CLIENT_CLOSED)
        if pinned is None and file_id is not None:
            pinned = self._endpoints.of_stream(file_id)
        state = CallState(self._retry, self._endpoints, idempotent=idempotent, pinned=pinned)
        while True:
            endpoint = state.endpoint
            built = self._http.build_request(
                **{k: v for k, v in request.items() if k not in ("body", "url")},
                url=endpoint.join(request["url"]),
            )
            if "body" in request:
                # A body object of the transport's (BlockingBody), sent as it is, chunked.
                built.stream = request["body"]
                built.headers.pop("Content-Length", None)
                built.headers["Transfer-Encoding"] = "chunked"
            try:
                # Always streamed, so an error body is read only up to a bound (below).
                response = await self._http.send(built, stream=True)
                if response.status_code == 200 and not stream:
                    await _read_whole(response)
            except httpx.HTTPError as exc:
                delay = state.after_error(exc, built)
                if delay is None:
                    raise error_from_transport(exc, built) from exc
                if delay:
                    await anyio.sleep(delay)
                continue
            state.answered()
            if response.status_code == 200:
                return response, endpoint
            body = await aread_error_body(response)
            delay = state.after_status(response)
            if delay is None:
                raise error_from_response(response, body)
            await anyio.sleep(delay)

    async def _run(self, call: Call[T], *, file_id: int | None = None) -> T:
        response, _ = await self._send(call.request, idempotent=call.idempotent, file_id=file_id)
        return call.parse(response.content)

    async def _open_stream(self, call: Call[int]) -> int:
        """Run ``open_file``/``create_file`` and remember which proxy owns the new stream."""
        response, endpoint = await self._send(call.request, idempotent=call.idempotent)
        return self._endpoints.pin(call.parse(response.content), endpoint)

    # -- the 0.1.x API, as coroutines ----------------------------------------------------------

    async def create_directory(self, path: str, opt: option.CreateDirectory | None = None) -> None:
        """Create a directory; see :meth:`alluxio.Client.create_directory`.

        Raises:
            alluxio.exceptions.AlreadyExistsError: The path already exists.
            alluxio.exceptions.NotFoundError: The parent does not exist (non-recursive).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).create_directory(path, opt))

    async def create_file(self, path: str, opt: option.CreateFile | None = None) -> int:
        """Create a file and return its write stream id; see :meth:`alluxio.Client.create_file`.

        Raises:
            alluxio.exceptions.AlreadyExistsError: The path already exists.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return await self._open_stream((await self._operations()).create_file(path, opt))

    async def delete(self, path: str, opt: option.Delete | None = None) -> None:
        """Delete a file or directory (a non-empty directory only with ``recursive``).

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.FailedPreconditionError: The directory is not empty.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).delete(path, opt))

    async def exists(self, path: str, opt: option.Exists | None = None) -> bool:
        """Return whether ``path`` exists.

        Raises:
            alluxio.exceptions.AlluxioError: Any error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return await self._run((await self._operations()).exists(path, opt))

    async def free(self, path: str, opt: option.Free | None = None) -> None:
        """Free a file or directory from Alluxio storage (kept in the under store).

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).free(path, opt))

    async def get_status(self, path: str, opt: option.GetStatus | None = None) -> FileInfo:
        """Return the :class:`~alluxio.wire.FileInfo` of a file or directory.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return await self._run((await self._operations()).get_status(path, opt))

    async def list_status(self, path: str, opt: option.ListStatus | None = None) -> list[FileInfo]:
        """Return the FileInfo of every entry under a directory, sorted by name.

        The whole listing is held in memory; :meth:`iter_status` yields the entries as they
        arrive instead.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        listing = (await self._operations()).list_status(path, opt)
        async with AsyncStatusIterator(self, listing) as entries:
            return sorted([info async for info in entries])

    def iter_status(
        self, path: str, opt: option.ListStatus | None = None
    ) -> AsyncStatusIterator[FileInfo]:
        """Yield the FileInfo of every entry under a directory as the answer arrives; see
        :meth:`alluxio.Client.iter_status` (proxy's order, bounded memory).

        Not a coroutine: use the result with ``async for``, best inside ``async with``, which
        sends the request on entry and releases the connection on exit however the block
        ends (a plain ``async for`` loop left early releases it only when the event loop
        finalizes the iterator).

        Examples:
            >>> async with client.iter_status("/logs") as entries:
            ...     async for info in entries:
            ...         print(info.path)

        Raises:
            TypeError: ``path`` or ``opt`` has the wrong type (raised by this call).
            ValueError: ``path`` is not an absolute Alluxio path (raised by this call).
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio (a body
                that is not a JSON array of FileInfo objects is an
                :class:`~alluxio.exceptions.UnknownError`).
            alluxio.exceptions.HTTPError: The HTTP transport failed, or the listing was cut
                short (entries already yielded were complete, but some are missing).
        """
        check_listing_args(path, opt)
        return AsyncStatusIterator(self, lambda ops: ops.list_status(path, opt))

    async def ls(self, path: str, opt: option.ListStatus | None = None) -> list[str]:
        """Return the names of the entries under a directory, sorted.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        listing = (await self._operations()).ls(path, opt)
        async with AsyncStatusIterator(self, listing) as names:
            return sorted([name async for name in names])

    async def mount(self, path: str, src: str, opt: option.Mount | None = None) -> None:
        """Mount the under storage ``src`` at ``path`` (credentials in ``opt.properties``).

        Raises:
            alluxio.exceptions.AlluxioError: Any error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        call = (await self._operations()).mount(path, src, opt)
        with redacting(src, opt):
            await self._run(call)

    async def open_file(self, path: str, opt: option.OpenFile | None = None) -> int:
        """Open a file for reading and return its read stream id.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return await self._open_stream((await self._operations()).open_file(path, opt))

    async def rename(self, path: str, dst: str, opt: option.Rename | None = None) -> None:
        """Rename ``path`` to ``dst``.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).rename(path, dst, opt))

    async def set_attribute(self, path: str, opt: option.SetAttribute | None = None) -> None:
        """Set attributes (owner, group, mode, pinned, TTL, ...) of a path.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).set_attribute(path, opt))

    async def unmount(self, path: str, opt: option.Unmount | None = None) -> None:
        """Unmount the under storage mounted at ``path``.

        Raises:
            alluxio.exceptions.AlluxioError: Any error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        await self._run((await self._operations()).unmount(path, opt))

    async def close(self, file_id: int | None = None) -> None:
        """Close a stream; closing a write stream completes the file. Without an argument,
        close the client itself, as :meth:`close_connections` does.

        Raises:
            alluxio.exceptions.InternalError: The stream does not exist (the proxy's status).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        if file_id is None:
            await self.close_connections()
            return
        await self._close((await self._operations()).close_stream(file_id), file_id)

    async def _close(self, call: Call[None], file_id: int) -> None:
        try:
            await self._run(call, file_id=file_id)
        except AlluxioError:
            # The proxy answered: the id is done with (see Client.close).
            self._endpoints.unpin(file_id)
            raise
        self._endpoints.unpin(file_id)

    async def _close_read(self, file_id: int, reader: AsyncReader | None) -> None:
        """Close a read stream, best-effort if not read to its end (see
        :meth:`alluxio.Client._close_read`)."""
        if reader is not None and reader._read_to_end:
            await self.close(file_id)
            return
        call = abandoned_close((await self._operations()).close_stream(file_id), self._http.timeout)
        try:
            await self._close(call, file_id)
        except HTTPError as exc:
            log_abandoned_close_failure(file_id, exc)
            self._endpoints.unpin(file_id)  # nobody closes it again; the proxy expires it

    async def read(self, file_id: int) -> AsyncReader:
        """Start reading the stream ``file_id`` and return an :class:`AsyncReader` for it.

        Raises:
            alluxio.exceptions.InternalError: The stream does not exist (the proxy's status).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        request = (await self._operations()).read_stream(file_id)
        response, _ = await self._send(request, stream=True, file_id=file_id)
        return AsyncReader(response, self.chunk_size)

    async def write(self, file_id: int) -> AsyncWriter:
        """Return an :class:`AsyncWriter` that appends to the write stream ``file_id``."""
        call = (await self._operations()).write_stream(file_id, b"")
        return AsyncWriter(self, call, file_id)

    @overload
    def open(
        self, path: str, mode: Literal["r", "rb"], opt: option.OpenFile | None = None
    ) -> contextlib.AbstractAsyncContextManager[AsyncReader]: ...

    @overload
    def open(
        self, path: str, mode: Literal["w", "wb"], opt: option.CreateFile | None = None
    ) -> contextlib.AbstractAsyncContextManager[AsyncWriter]: ...

    def open(
        self,
        path: str,
        mode: Literal["r", "rb", "w", "wb"],
        opt: option.OpenFile | option.CreateFile | None = None,
    ) -> (
        contextlib.AbstractAsyncContextManager[AsyncReader]
        | contextlib.AbstractAsyncContextManager[AsyncWriter]
    ):
        """Open a file for reading (``"r"``) or writing (``"w"``), as an async context manager.

        On exit the stream is closed; for ``"w"`` that completes the file. If the block
        raises (or is cancelled) while writing, the incomplete file is deleted so it never
        looks complete, and the original exception propagates (cleanup failures are attached
        as notes). Cleanup is shielded from cancellation for at most 30 seconds.

        A read stream left before its end with at most 1 MiB unread is read to its end
        first (the rest dropped) and then closed as usual. One left with more is closed
        best-effort (some proxies never answer that close): within a few seconds, and a
        timeout or connection failure of the close is logged at DEBUG, not raised; the proxy
        expires the stream.

        Raises:
            ValueError: ``mode`` is not ``"r"``, ``"rb"``, ``"w"`` or ``"wb"`` (raised by
                this call).
            TypeError: ``opt`` does not match ``mode`` (raised by this call).
            alluxio.exceptions.NotFoundError: Mode ``"r"`` and the path does not exist.
            alluxio.exceptions.AlreadyExistsError: Mode ``"w"`` and the path already exists.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.

        Examples:
            >>> async with client.open("/data/a.bin", "w") as f:
            ...     await f.write(b"payload")
            >>> async with client.open("/data/a.bin", "r") as f:
            ...     async for chunk in f:
            ...         ...
        """
        checked = check_open_args(mode, opt)
        if checked[0] == "w":
            return self._open_write(path, checked[1])
        return self._open_read(path, checked[1])

    @contextlib.asynccontextmanager
    async def _open_read(
        self, path: str, opt: option.OpenFile | None
    ) -> AsyncIterator[AsyncReader]:
        file_id = await self.open_file(path, opt)
        reader: AsyncReader | None = None
        try:
            reader = await self.read(file_id)
            async with reader:
                yield reader
                await reader._drain_rest()  # (not when the block raised)
        except BaseException as exc:
            await self._cleanup(exc, lambda stream: self._close_read(stream, reader), file_id)
            raise
        await self._close_read(file_id, reader)

    @contextlib.asynccontextmanager
    async def _open_write(
        self, path: str, opt: option.CreateFile | None
    ) -> AsyncIterator[AsyncWriter]:
        file_id = await self.create_file(path, opt)
        try:
            writer = await self.write(file_id)
        except BaseException as exc:
            await self._discard(exc, file_id, path)
            raise
        closing = False
        try:
            yield writer
            writer.close()
            closing = True
            await self.close(file_id)
        except BaseException as exc:
            writer.close()
            if closing:
                # The close failed: the caller is told the write failed, so a file the proxy
                # may have completed anyway must not stay behind.
                await self._cleanup(exc, self.delete, path)
            else:
                await self._discard(exc, file_id, path)
            raise

    async def _discard(self, exc: BaseException, file_id: int, path: str) -> None:
        """Drop the file of a failed write while ``exc`` propagates: deleted while its
        stream is open, then the stream closed, so no reader sees it complete (see
        :meth:`alluxio.Client._discard`). If that delete fails, close and delete again."""
        deleted = [False]

        async def delete_open(path: str) -> None:
            await self._delete_if_there(path)
            deleted[0] = True

        await self._cleanup(exc, delete_open, path)
        await self._cleanup(exc, self.close, file_id)
        if not deleted[0]:
            await self._cleanup(exc, self.delete, path)

    @staticmethod
    async def _cleanup(
        exc: BaseException, action: Callable[[Any], Awaitable[None]], arg: Any
    ) -> None:
        # Shielded: a cancelled task must still close its stream and delete a partial file.
        with anyio.move_on_after(_CLEANUP_TIMEOUT, shield=True) as scope:
            try:
                await action(arg)
            except Exception as cleanup_error:  # of any kind: never raised in exc's place
                exc.add_note(f"while cleaning up: {type(cleanup_error).__name__}: {cleanup_error}")
        if scope.cancelled_caught:
            exc.add_note(f"while cleaning up: gave up after {_CLEANUP_TIMEOUT:g} seconds")

    # -- beyond 0.1.x ------------------------------------------------------------------------

    async def proxy_info(self) -> dict[str, Any]:
        """Return the proxy's ``GET /api/v1/proxy/info`` document (version, start time, ...)."""
        return await self._run(Operations.proxy_info())

    async def read_bytes(self, path: str, opt: option.OpenFile | None = None) -> bytes:
        """Return the whole content of the file at ``path``."""
        async with self.open(path, "r", opt) as reader:
            return await reader.read()

    async def write_bytes(
        self,
        path: str,
        data: AsyncWriteData,
        opt: option.CreateFile | None = None,
        *,
        atomic: bool = True,
        overwrite: bool = False,
    ) -> int:
        """Create the file ``path`` with ``data`` and return the number of bytes written.

        Atomic by default, written to a hidden temporary name and renamed into place once
        complete; ``atomic=False`` writes ``path`` directly. ``overwrite=True`` replaces a
        file at ``path`` (never a directory): in one rename on a 2.x proxy, so a reader never
        finds the path missing; on a 1.x proxy by deleting it first. See
        :meth:`alluxio.Client.write_bytes`.
        """
        check_write_bytes_args(path, data, opt, atomic, overwrite, async_ok=True)
        if not atomic:
            async with self.open(path, "w", opt) as writer:
                return await writer.write(data)
        await self._check_target(path, overwrite=overwrite)
        temp = temp_name(path)
        async with self.open(temp, "w", opt) as writer:
            written = await writer.write(data)
        await self._publish(temp, path, overwrite=overwrite)
        return written

    async def _check_target(self, path: str, *, overwrite: bool) -> None:
        """Refuse, before any data is sent, a destination that publishing would refuse."""
        if not overwrite:
            if await self.exists(path):
                raise AlreadyExistsError(f"{path} already exists")
            return
        try:
            found = await self.get_status(path)
        except NotFoundError:
            return
        if (error := not_replaced(path, found)) is not None:
            raise error

    async def _publish(self, temp: str, path: str, *, overwrite: bool = False) -> None:
        """Rename the complete temporary file ``temp`` to ``path``; with ``overwrite`` a file
        (never a directory) at ``path`` is replaced: in the same rename on a 2.x proxy,
        deleted first on a 1.x one. On failure ``temp`` is deleted."""
        try:
            if not overwrite:
                await self.rename(temp, path)
                return
            for _attempt in range(REPLACE_ATTEMPTS):
                try:
                    found = await self.get_status(path)
                except NotFoundError:
                    found = None
                if found is not None and (error := not_replaced(path, found)) is not None:
                    raise error
                try:
                    if found is not None and await self.get_dialect() == "2.x":
                        # As in Client._publish: only a directory made at path since the
                        # check could be replaced too.
                        await self.rename(temp, path, replacing())
                        return
                    if found is not None:
                        await self._delete_if_there(path)  # 1.x: missing until the rename
                    await self.rename(temp, path)
                    return
                except AlreadyExistsError:
                    continue  # another writer took the path since: check it again
            raise AlreadyExistsError(
                f"{path} was recreated by another writer {REPLACE_ATTEMPTS} times while "
                "being replaced"
            )
        except BaseException as exc:
            await self._cleanup(exc, self._delete_if_there, temp)
            raise

    async def _delete_if_there(self, path: str) -> None:
        with contextlib.suppress(NotFoundError):
            await self.delete(path)


class AsyncStatusIterator(Generic[T]):
    """The entries of one listing, decoded as the proxy's answer arrives.

    Returned by :meth:`AsyncClient.iter_status`; iterate it once with ``async for``. With
    ``async with`` (like an ``httpx`` stream) it sends the request on entry and releases the
    connection on exit, however the block ends; :meth:`aclose` does the same by hand.
    """

    def __init__(
        self, client: AsyncClient, listing: Listing[T] | Callable[[Operations], Listing[T]]
    ) -> None:
        self._client = client
        self._listing = listing
        self._response: httpx.Response | None = None
        self._entries: AsyncGenerator[T, None] | None = None
        self._closed = False

    async def _start(self) -> AsyncGenerator[T, None]:
        if self._entries is None:
            if self._closed:
                raise ValueError("iteration of a closed AsyncStatusIterator")
            listing = self._listing
            if not isinstance(listing, Listing):
                listing = listing(await self._client._operations())
            response, _ = await self._client._send(listing.request, idempotent=True, stream=True)
            self._response = response
            self._entries = self._decode(response, listing)
        return self._entries

    @staticmethod
    async def _decode(response: httpx.Response, listing: Listing[T]) -> AsyncGenerator[T, None]:
        decoder = listing.decoder()
        try:
            try:
                async for piece in response.aiter_raw():
                    for entry in decoder.feed(piece):
                        yield entry
            except httpx.HTTPError as exc:
                raise error_from_transport(exc, response.request) from exc
            for entry in decoder.finish():
                yield entry
        finally:
            await response.aclose()

    def __aiter__(self) -> AsyncIterator[T]:
        return self._iterate()

    async def _iterate(self) -> AsyncGenerator[T, None]:
        async for entry in await self._start():
            yield entry

    async def __anext__(self) -> T:
        return await anext(await self._start())

    async def aclose(self) -> None:
        """Stop: release the connection (the rest of the answer is not read)."""
        self._closed = True
        if self._entries is not None:
            await self._entries.aclose()
        if self._response is not None:
            await self._response.aclose()  # also when iteration never started

    async def __aenter__(self) -> Self:
        await self._start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncReader:
    """Reads one stream from the proxy, in order (no seeking back).

    ``async for chunk in reader`` yields chunks of ``chunk_size`` bytes (the last may be
    shorter). Use it with ``async with`` or await :meth:`aclose`. A connection cut before the
    end of the stream raises :class:`~alluxio.exceptions.HTTPError`; short data is never
    returned as complete.
    """

    def __init__(self, response: httpx.Response, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        self._response = response
        # As in the sync Reader: bodies from our transport are read in exactly the sizes
        # asked for; others (mocks, other transports) go through httpx's iterator.
        self._body = async_fast_body(response)
        self._chunks = response.aiter_raw()
        self._buffer = bytearray()
        self._eof = False
        self._closed = False
        self.chunk_size = check_chunk_size(chunk_size)

    async def _next_chunk(self) -> bytes | None:
        try:
            return await anext(self._chunks)
        except StopAsyncIteration:
            self._eof = True
            return None
        except httpx.HTTPError as exc:
            await self.aclose()
            raise error_from_transport(exc, self._response.request) from exc

    async def read(self, n: int | None = None) -> bytes:
        """Read ``n`` bytes (fewer only at the end of the file), or everything if ``n`` is
        ``None`` or negative. Returns ``b""`` at the end of the file."""
        if self._closed:
            raise ValueError("read from a closed AsyncReader")
        if n is not None and (isinstance(n, bool) or not isinstance(n, int)):
            raise TypeError(f"n must be an int or None, got {type(n).__name__}")
        if self._body is not None:
            return await self._read_body(n)
        if n is None or n < 0:
            parts = [bytes(self._buffer)]
            self._buffer.clear()
            while (chunk := await self._next_chunk()) is not None:
                parts.append(chunk)
            return b"".join(parts)
        while len(self._buffer) < n and not self._eof:
            chunk = await self._next_chunk()
            if chunk is not None:
                if not self._buffer and len(chunk) == n:
                    return chunk
                self._buffer += chunk
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    async def _read_body(self, n: int | None) -> bytes:
        assert self._body is not None
        try:
            if n is None or n < 0:
                return await self._body.read_all()
            return await self._body.read(n) if n else b""
        except httpx.HTTPError as exc:
            await self.aclose()
            raise error_from_transport(exc, self._response.request) from exc

    async def readinto(self, buffer: bytearray | memoryview) -> int:
        """Read into ``buffer``; return the number of bytes read (0 at the end)."""
        view = check_buffer(buffer)
        data = await self.read(view.nbytes)
        view[: len(data)] = data
        return len(data)

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._iter_chunks()

    async def _iter_chunks(self) -> AsyncIterator[bytes]:
        while chunk := await self.read(self.chunk_size):
            yield chunk

    def readable(self) -> bool:
        """``True``: a reader reads (as :meth:`io.IOBase.readable`)."""
        return True

    def writable(self) -> bool:
        """``False``: a reader does not write."""
        return False

    def seekable(self) -> bool:
        """``False``: the proxy streams a file from its start, in order."""
        return False

    async def aclose(self) -> None:
        """Release the connection. Further reads raise ``ValueError``."""
        if not self._closed:
            self._closed = True
            await self._response.aclose()

    @property
    def _read_to_end(self) -> bool:
        # Whether the whole body arrived: closing the stream then is not best-effort.
        return self._eof if self._body is None else self._body.complete

    async def _drain_rest(self) -> None:
        """Read on to the end if little is left, as :meth:`alluxio.Reader._drain_rest`."""
        if self._closed or self._read_to_end:
            return
        if self._body is not None:
            await self._body.drain(DRAIN_BEFORE_CLOSE_BYTES, DRAIN_BEFORE_CLOSE_SECONDS)
            return
        left = DRAIN_BEFORE_CLOSE_BYTES - len(self._buffer)
        self._buffer.clear()
        with contextlib.suppress(AlluxioError, HTTPError):
            while left >= 0 and (chunk := await self._next_chunk()) is not None:
                left -= len(chunk)

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


class AsyncWriter:
    """Appends data to one write stream of the proxy.

    Each :meth:`write` call streams its data to the proxy in one request. Await
    :meth:`AsyncClient.close` with the file id (or use :meth:`AsyncClient.open`) to complete
    the file.
    """

    def __init__(self, client: AsyncClient, call: Call[int], file_id: int) -> None:
        self._client = client
        self._call = call
        self.file_id = file_id
        # Taken now, so this writer stays on its stream's proxy even if another proxy later
        # issues the same id number.
        self._endpoint = client._endpoints.of_stream(file_id)
        self._closed = False

    async def write(self, data: AsyncWriteData) -> int:
        """Write ``data`` and return the number of bytes written.

        ``data`` may be bytes, bytearray, memoryview, an async or sync iterable of bytes, or a
        binary file object, read ``chunk_size`` bytes at a time (a sync ``read`` runs in a
        worker thread so the event loop is not blocked: under asyncio on plain ``http`` the
        thread that sends the pieces reads them too, elsewhere each piece is read while the
        previous one is sent; never after this method has returned or raised; an async
        ``read``, as in anyio or aiofiles files, is awaited). Nothing is loaded whole into memory.

        Raises:
            TypeError: ``data`` is a str, a text file, or otherwise not bytes.
            alluxio.exceptions.DataLossError: The proxy stored fewer bytes than were sent.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed (the data may be partly
                written; the file should be discarded).
        """
        if self._closed:
            raise ValueError("write to a closed AsyncWriter")
        check_write_data(data, async_ok=True)
        counter = [0]
        if isinstance(data, bytes | bytearray | memoryview):
            content = bytes(data) if not isinstance(data, bytes) else data
            counter[0] = len(content)
            response, _ = await self._client._send(
                {**self._call.request, "content": content}, pinned=self._endpoint
            )
        elif hasattr(data, "read") and _blocking_read_on_asyncio(data, data.read):
            loop = asyncio.get_running_loop()
            body = BlockingBody(_file_pieces(data.read, self._client.chunk_size, counter, loop))
            # An empty file sends an empty body; nothing is read after this returns.
            request = (
                {**self._call.request, "body": body}
                if await body.prime()
                else {**self._call.request, "content": b""}
            )
            response, _ = await self._client._send(request, pinned=self._endpoint)
        else:
            pieces = _aiter_write_chunks(data, self._client.chunk_size, counter)
            # Closed here, not whenever the event loop finalizes them: a failed request leaves
            # the pieces unread or half-read, maybe with a read of the caller's file running.
            async with (
                contextlib.aclosing(pieces),
                contextlib.aclosing(await _aprimed(pieces)) as primed,
            ):
                response, _ = await self._client._send(
                    {**self._call.request, "content": primed}, pinned=self._endpoint
                )
        return check_written(self.file_id, counter[0], self._call.parse(response.content))

    def close(self) -> None:
        """Stop writing through this object (the stream itself is closed by
        :meth:`AsyncClient.close`)."""
        self._closed = True

    def readable(self) -> bool:
        """``False``: a writer does not read."""
        return False

    def writable(self) -> bool:
        """``True``: a writer writes (as :meth:`io.IOBase.writable`)."""
        return True

    def seekable(self) -> bool:
        """``False``: data is appended in order."""
        return False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()


async def _aprimed(chunks: AsyncGenerator[bytes, None]) -> AsyncGenerator[bytes, None]:
    """The async counterpart of :func:`alluxio._core.primed`: take the first piece now, so
    data whose pieces are not bytes raises before the request starts. (The caller closes
    ``chunks``: the result may never be iterated.)"""
    first = await anext(chunks, None)

    async def rest() -> AsyncGenerator[bytes, None]:
        if first is None:
            return
        yield first
        async for chunk in chunks:
            yield chunk

    return rest()


def _blocking_read_on_asyncio(data: Any, read: Any) -> bool:
    """Whether ``data`` is a file with a blocking ``read`` and the loop is asyncio's."""
    if isinstance(data, io.BytesIO) or inspect.iscoroutinefunction(read):
        return False
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # trio
        return False
    return True


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


def _file_pieces(
    read: Callable[[int], Any], size: int, counter: list[int], loop: asyncio.AbstractEventLoop
) -> Iterator[bytes]:
    """The pieces of a file as the sync client takes them (:func:`iter_write_chunks`),
    blocking: run in a worker thread (see :class:`alluxio._transport.BlockingBody`). A
    read that returns an awaitable without being a coroutine function is awaited on
    ``loop``."""

    def blocking_read(n: int) -> Any:
        chunk = read(n)
        if inspect.isawaitable(chunk):
            chunk = asyncio.run_coroutine_threadsafe(_awaited(chunk), loop).result()
        return chunk

    file = types.SimpleNamespace(read=blocking_read)
    return (bytes(chunk) for chunk in iter_write_chunks(file, size, counter))


async def _aiter_write_chunks(
    data: Any, chunk_size: int, counter: list[int]
) -> AsyncGenerator[bytes, None]:
    """The async counterpart of :func:`alluxio._core.iter_write_chunks` (same checks)."""
    if hasattr(data, "read"):
        read = data.read
        while True:
            if isinstance(data, io.BytesIO):
                chunk = read(chunk_size)  # in memory: nothing blocks
            elif inspect.iscoroutinefunction(read):
                chunk = await read(chunk_size)
            else:
                # Boxed: trio refuses a thread's result that is a coroutine (a read that
                # returns one without being a coroutine function); it is awaited below.
                (chunk,) = await anyio.to_thread.run_sync(lambda: (read(chunk_size),))
            if inspect.isawaitable(chunk):  # an async read that is not a coroutine function
                chunk = await chunk
            if not chunk:
                return
            counter[0] += check_chunk(chunk, from_file=True)
            yield bytes(chunk)
    elif isinstance(data, AsyncIterable):
        async for chunk in data:
            counter[0] += check_chunk(chunk)
            yield bytes(chunk)
    else:
        for chunk in data:
            counter[0] += check_chunk(chunk)
            yield bytes(chunk)
