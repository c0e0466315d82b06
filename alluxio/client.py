"""Alluxio client, reader and writer.

:class:`Client` talks to an Alluxio proxy over HTTP (``httpx``, with pooled keep-alive
connections). :class:`Reader` and :class:`Writer` are returned by :meth:`Client.read`,
:meth:`Client.write` and :meth:`Client.open`; they are not meant to be created directly.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import ssl
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

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
    Call,
    ClientBase,
    HTTPClient,
    Listing,
    Operations,
    WriteData,
    abandoned_close,
    check_buffer,
    check_chunk_size,
    check_open_args,
    check_transfer_args,
    check_write_bytes_args,
    check_write_data,
    check_written,
    iter_write_chunks,
    log_abandoned_close_failure,
    not_replaced,
    primed,
    redacting,
    replacing,
    temp_name,
)
from ._dialect import Dialect, dialect_of_version
from ._endpoints import Endpoint
from ._errors import error_from_response, error_from_transport, read_error_body
from ._http import AuthTypes, CertTypes, HeaderTypes, HTTPOptions
from ._retry import CallState, RetryPolicy
from ._transport import Transport, fast_body
from .exceptions import (
    AlluxioError,
    AlreadyExistsError,
    ClientClosedError,
    HTTPError,
    NotFoundError,
)
from .wire import FileInfo

_logs.install()  # mount credentials out of httpx's request log, before any request

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer, WriteableBuffer

__all__ = ["Client", "Reader", "StatusIterator", "Writer"]

T = TypeVar("T")
log = logging.getLogger("alluxio")


def _cleanup(exc: BaseException, action: Callable[[T], object], arg: T) -> None:
    """Run a cleanup ``action(arg)`` while ``exc`` propagates: a cleanup failure of any kind
    is attached to ``exc`` as a note, never raised in its place."""
    try:
        action(arg)
    except Exception as cleanup_error:
        exc.add_note(f"while cleaning up: {type(cleanup_error).__name__}: {cleanup_error}")


def _read_whole(response: httpx.Response) -> None:
    """Read a successful response's body (as ``send(stream=False)`` does), closing it if the
    read fails so the connection is not left half-read."""
    try:
        response.read()
    except BaseException:
        response.close()
        raise


class Client(ClientBase):
    """Alluxio client for one proxy (or several, failing over between them).

    Args:
        host: The proxy's host name.
        port: The proxy's web port.
        timeout: Seconds to wait for the proxy to respond (each read or write of the
            connection) before giving up; ``None`` waits forever. Defaults to 1800.
        connect_timeout: Seconds to wait for a connection to be established.
        dialect: ``"2.x"`` (default) or ``"1.x"``: the JSON dialect of the proxy's option
            bodies; ``"auto"`` asks the proxy its version (``GET /api/v1/proxy/info``) on
            first use.
        chunk_size: Bytes per chunk when reading and when streaming file objects out
            (default 1 MiB).
        scheme: ``"http"`` or ``"https"``.
        retries: How idempotent calls (``exists``, ``get_status``, ``list_status``/``ls``,
            ``free``, ``set_attribute``, ``proxy_info``, ``create_directory`` with
            ``allow_exists=True``) are retried after a connection
            failure or an HTTP 502/503/504: ``True`` (default: up to 3 attempts, exponential
            backoff with full jitter), a number of retries after the first attempt, ``False``
            or ``0`` for none, or a :class:`alluxio.RetryPolicy`. Calls that change state
            (create, write, rename, delete, mount, unmount, open, close) are never resent
            once the proxy may have received them; timeouts are never retried.
        proxies: Further proxies (``"http://host:port"``) to fail over to, in order, when
            the current one cannot be reached (connection refused or connect timeout; an
            HTTP error response is an answer, not a reason to fail over). The client stays
            with the proxy that last answered. Requests on a stream (``read``, ``write``,
            ``close``) always go to the proxy that issued its id. See also
            :meth:`from_url`.
        verify: How https proxies' certificates are checked, as in httpx: ``True`` (default:
            the CAs of ``SSL_CERT_FILE``/``SSL_CERT_DIR`` when ``trust_env`` and set, else
            certifi's), ``False`` (not at all), a CA bundle file or directory, or an
            :class:`ssl.SSLContext` used as is.
        cert: A client certificate for mutual TLS: a PEM file holding certificate and key,
            or ``(certfile, keyfile)`` or ``(certfile, keyfile, password)``.
        trust_env: Read ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` and
            ``SSL_CERT_FILE``/``SSL_CERT_DIR`` from the environment (default ``True``).
        proxy: An HTTP(S) proxy to send every request through (``"http://host:3128"``, or an
            :class:`httpx.Proxy`); overrides the proxy environment variables. Not to be
            confused with the Alluxio proxies this client talks to.
        headers: Headers sent with every request (a mapping or a list of pairs), e.g. a
            gateway's API key. Checked as h11 checks them (``ValueError`` for CR, LF, NUL or
            other control characters, or a name that is not an HTTP token); never logged or
            shown in reprs or error messages.
        auth: Authentication for every request: any :class:`httpx.Auth` (for instance
            ``httpx.BasicAuth``), a ``(username, password)`` tuple, or a callable taking and
            returning the :class:`httpx.Request`.

    The client keeps a pool of keep-alive connections. Use it as a context manager, or call
    :meth:`close` (no argument) when done; ``close(file_id)`` closes a *file*, as in 0.1.x.

    Examples:
        >>> with alluxio.Client("localhost", 39999) as client:
        ...     with client.open("/hello.txt", "w") as f:
        ...         f.write(b"hello")
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
        options = HTTPOptions(
            verify=verify, cert=cert, trust_env=trust_env, proxy=proxy, headers=headers, auth=auth
        )
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)

        def via_proxy(proxy: httpx.Proxy) -> httpx.BaseTransport:
            return httpx.HTTPTransport(
                verify=options.ssl_context(), trust_env=trust_env, proxy=proxy, limits=limits
            )

        # No base_url: each request is addressed to the proxy it goes to (failover).
        self._http = HTTPClient(
            timeout=httpx.Timeout(timeout, connect=connect_timeout),
            follow_redirects=False,
            # HTTP/1.1 connections that move large bodies without re-chunking (_transport).
            transport=Transport(options=options, limits=limits),
            mounts=options.proxy_mounts(via_proxy),
            **options.client_kwargs(),
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close_connections()

    def close_connections(self) -> None:
        """Close the pooled HTTP connections; the same as :meth:`close` without an argument.

        Calls made afterwards raise :class:`~alluxio.exceptions.ClientClosedError`.
        """
        self._http.close()

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def dialect(self) -> Dialect:
        """The dialect this client speaks (asks the proxy first when created with ``"auto"``)."""
        return self._operations().dialect

    def _operations(self) -> Operations:
        if self._ops is None:
            version = str(self.proxy_info().get("version", ""))
            self._ops = Operations(dialect_of_version(version))
        return self._ops

    def _send(
        self,
        request: dict[str, Any],
        *,
        idempotent: bool = False,
        stream: bool = False,
        file_id: int | None = None,
        pinned: Endpoint | None = None,
    ) -> tuple[httpx.Response, Endpoint]:
        """Send ``request`` (``build_request`` keywords with a relative URL): the one place
        requests are sent, retried (:mod:`alluxio._retry`) and errors mapped.

        A request on the stream ``file_id`` goes to the proxy that issued it (or to
        ``pinned``, the proxy a :class:`Writer` took from its id). Returns the successful
        response and the proxy that sent it.
        """
        if self._http.is_closed:
            raise ClientClosedError(CLIENT_CLOSED)
        if pinned is None and file_id is not None:
            pinned = self._endpoints.of_stream(file_id)
        state = CallState(self._retry, self._endpoints, idempotent=idempotent, pinned=pinned)
        while True:
            endpoint = state.endpoint
            built = self._http.build_request(**{**request, "url": endpoint.join(request["url"])})
            try:
                # Always streamed, so an error body is read only up to a bound (below).
                response = self._http.send(built, stream=True)
                if response.status_code == 200 and not stream:
                    _read_whole(response)
            except httpx.HTTPError as exc:
                delay = state.after_error(exc, built)
                if delay is None:
                    raise error_from_transport(exc, built) from exc
                if delay:
                    time.sleep(delay)
                continue
            state.answered()
            if response.status_code == 200:
                return response, endpoint
            body = read_error_body(response)
            delay = state.after_status(response)
            if delay is None:
                raise error_from_response(response, body)
            time.sleep(delay)

    def _run(self, call: Call[T], *, file_id: int | None = None) -> T:
        response, _ = self._send(call.request, idempotent=call.idempotent, file_id=file_id)
        return call.parse(response.content)

    def _open_stream(self, call: Call[int]) -> int:
        """Run ``open_file``/``create_file`` and remember which proxy owns the new stream."""
        response, endpoint = self._send(call.request, idempotent=call.idempotent)
        return self._endpoints.pin(call.parse(response.content), endpoint)

    # -- the 0.1.x API -----------------------------------------------------------------------

    def create_directory(self, path: str, opt: option.CreateDirectory | None = None) -> None:
        """Create a directory.

        By default the parent must exist and the path must not. Set ``opt`` to change that.

        Raises:
            alluxio.exceptions.AlreadyExistsError: The path already exists.
            alluxio.exceptions.NotFoundError: The parent does not exist (non-recursive).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().create_directory(path, opt))

    def create_file(self, path: str, opt: option.CreateFile | None = None) -> int:
        """Create a file and return its write stream id.

        Write with :meth:`write` and complete the file with :meth:`close`; :meth:`open` with
        mode ``"w"`` does all three.

        With several proxies the id is an ``int`` that also remembers the proxy that issued
        it (another proxy may issue the same number after a failover): pass it on as it is.

        Raises:
            alluxio.exceptions.AlreadyExistsError: The path already exists.
            alluxio.exceptions.InvalidArgumentError: The path is invalid.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return self._open_stream(self._operations().create_file(path, opt))

    def delete(self, path: str, opt: option.Delete | None = None) -> None:
        """Delete a file or directory (a non-empty directory only with ``recursive``).

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.FailedPreconditionError: The directory is not empty.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().delete(path, opt))

    def exists(self, path: str, opt: option.Exists | None = None) -> bool:
        """Return whether ``path`` exists.

        Raises:
            alluxio.exceptions.InvalidArgumentError: The path is invalid.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return self._run(self._operations().exists(path, opt))

    def free(self, path: str, opt: option.Free | None = None) -> None:
        """Free a file or directory from Alluxio storage (kept in the under store).

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().free(path, opt))

    def get_status(self, path: str, opt: option.GetStatus | None = None) -> FileInfo:
        """Return the :class:`~alluxio.wire.FileInfo` of a file or directory.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return self._run(self._operations().get_status(path, opt))

    def list_status(self, path: str, opt: option.ListStatus | None = None) -> list[FileInfo]:
        """Return the FileInfo of every entry under a directory, sorted by name.

        For a file, the list holds the file's own FileInfo. The whole listing is held in
        memory; :meth:`iter_status` yields the entries as they arrive instead.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return sorted(StatusIterator(self, self._operations().list_status(path, opt)))

    def iter_status(
        self, path: str, opt: option.ListStatus | None = None
    ) -> StatusIterator[FileInfo]:
        """Yield the FileInfo of every entry under a directory as the answer arrives.

        Unlike :meth:`list_status`, the entries come in the proxy's order (not sorted), and
        memory stays bounded however large the directory: each is decoded as soon as its
        JSON has arrived. For a file, the only entry is the file's own FileInfo.

        The request is sent when iteration starts (or on entering the ``with`` block), so
        errors such as :class:`~alluxio.exceptions.NotFoundError` are raised there. Use it
        as a context manager to release the connection as soon as the block ends, even when
        the loop stops early; a plain ``for`` loop releases it at the end of the listing, or
        when the iterator is garbage collected.

        Examples:
            >>> with client.iter_status("/logs") as entries:
            ...     for info in entries:
            ...         if info.length > 1 << 30:
            ...             print(info.path)

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio (a body
                that is not a JSON array of FileInfo objects is an
                :class:`~alluxio.exceptions.UnknownError`).
            alluxio.exceptions.HTTPError: The HTTP transport failed, or the listing was cut
                short (entries already yielded were complete, but some are missing).
        """
        return StatusIterator(self, self._operations().list_status(path, opt))

    def ls(self, path: str, opt: option.ListStatus | None = None) -> list[str]:
        """Return the names of the entries under a directory, sorted.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return sorted(StatusIterator(self, self._operations().ls(path, opt)))

    def mount(self, path: str, src: str, opt: option.Mount | None = None) -> None:
        """Mount the under storage ``src`` (e.g. ``s3://bucket/dir``) at ``path``.

        Credentials go in ``opt.properties``; they are never logged or shown in errors.

        Raises:
            alluxio.exceptions.AlluxioError: Any error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        call = self._operations().mount(path, src, opt)
        with redacting(src, opt):
            self._run(call)

    def open_file(self, path: str, opt: option.OpenFile | None = None) -> int:
        """Open a file for reading and return its read stream id.

        Read with :meth:`read` and release the stream with :meth:`close`; :meth:`open` with
        mode ``"r"`` does all three.

        With several proxies the id is an ``int`` that also remembers the proxy that issued
        it (another proxy may issue the same number after a failover): pass it on as it is.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        return self._open_stream(self._operations().open_file(path, opt))

    def rename(self, path: str, dst: str, opt: option.Rename | None = None) -> None:
        """Rename ``path`` to ``dst``.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().rename(path, dst, opt))

    def set_attribute(self, path: str, opt: option.SetAttribute | None = None) -> None:
        """Set attributes (owner, group, mode, pinned, TTL, ...) of a path.

        Raises:
            alluxio.exceptions.NotFoundError: The path does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().set_attribute(path, opt))

    def unmount(self, path: str, opt: option.Unmount | None = None) -> None:
        """Unmount the under storage mounted at ``path``.

        Raises:
            alluxio.exceptions.AlluxioError: Any error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        self._run(self._operations().unmount(path, opt))

    def close(self, file_id: int | None = None) -> None:
        """Close a stream (``close(file_id)``, as in 0.1.x); closing a write stream completes
        the file. Without an argument, close the client itself, as :meth:`close_connections`
        does (later calls raise :class:`~alluxio.exceptions.ClientClosedError`).

        Raises:
            alluxio.exceptions.InternalError: The stream does not exist (the proxy's status).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        if file_id is None:
            self.close_connections()
            return
        self._close(self._operations().close_stream(file_id), file_id)

    def _close(self, call: Call[None], file_id: int) -> None:
        try:
            self._run(call, file_id=file_id)
        except AlluxioError:
            # The proxy answered: the stream is unknown to it, so the id is done with. (After
            # a transport failure it may still be open there: a second close goes there too.)
            self._endpoints.unpin(file_id)
            raise
        self._endpoints.unpin(file_id)

    def _close_read(self, file_id: int, reader: Reader | None) -> None:
        """Close the read stream ``file_id`` read through ``reader`` (``None``: not read).

        A stream not read to its end is closed best-effort (see
        :data:`alluxio._core.ABANDONED_CLOSE_TIMEOUT`): bounded, and a transport failure is
        logged, not raised. A failed request closes its connection, so none is reused
        half-way through an answer.
        """
        if reader is not None and reader._read_to_end:
            self.close(file_id)
            return
        call = abandoned_close(self._operations().close_stream(file_id), self._http.timeout)
        try:
            self._close(call, file_id)
        except HTTPError as exc:
            log_abandoned_close_failure(file_id, exc)
            self._endpoints.unpin(file_id)  # nobody closes it again; the proxy expires it

    def read(self, file_id: int) -> Reader:
        """Start reading the stream ``file_id`` and return a :class:`Reader` for it.

        Raises:
            alluxio.exceptions.InternalError: The stream does not exist (the proxy's status).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
        """
        request = self._operations().read_stream(file_id)
        response, _ = self._send(request, stream=True, file_id=file_id)
        reader = Reader(response, self.chunk_size)
        reader.name = file_id
        return reader

    def write(self, file_id: int) -> Writer:
        """Return a :class:`Writer` that appends to the write stream ``file_id``."""
        return Writer(self, self._operations().write_stream(file_id, b"").request, file_id)

    @overload
    def open(
        self, path: str, mode: Literal["r", "rb"], opt: option.OpenFile | None = None
    ) -> contextlib.AbstractContextManager[Reader]: ...

    @overload
    def open(
        self, path: str, mode: Literal["w", "wb"], opt: option.CreateFile | None = None
    ) -> contextlib.AbstractContextManager[Writer]: ...

    def open(
        self,
        path: str,
        mode: Literal["r", "rb", "w", "wb"],
        opt: option.OpenFile | option.CreateFile | None = None,
    ) -> contextlib.AbstractContextManager[Reader] | contextlib.AbstractContextManager[Writer]:
        """Open a file for reading (``"r"``) or writing (``"w"``), as a context manager.

        On exit the stream is closed; for ``"w"`` that completes the file. If the block
        raises while writing, or completing the file fails, the file is deleted so a failed
        write never leaves a complete-looking file behind, and the original exception
        propagates (cleanup failures are attached as notes, never raised in its place).

        A read stream left before its end with at most 1 MiB unread is read to its end
        first (the rest dropped) and then closed as usual. One left with more is closed
        best-effort (some proxies never answer that close): within a few seconds, and a
        timeout or connection failure of the close is logged at DEBUG, not raised; the proxy
        expires the stream.

        Args:
            path: The Alluxio file.
            mode: ``"r"`` or ``"w"`` (``"rb"`` and ``"wb"`` mean the same: always bytes).
            opt: :class:`alluxio.option.OpenFile` for reading,
                :class:`alluxio.option.CreateFile` for writing.

        Raises:
            ValueError: ``mode`` is not ``"r"``, ``"rb"``, ``"w"`` or ``"wb"``.
            alluxio.exceptions.NotFoundError: Mode ``"r"`` and the path does not exist.
            alluxio.exceptions.AlreadyExistsError: Mode ``"w"`` and the path already exists.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.

        Examples:
            >>> with client.open("/data/a.bin", "w") as f:
            ...     f.write(b"payload")
            >>> with client.open("/data/a.bin", "r") as f:
            ...     f.read()
            b'payload'
        """
        checked = check_open_args(mode, opt)
        if checked[0] == "w":
            return self._open_write(path, checked[1])
        return self._open_read(path, checked[1])

    @contextlib.contextmanager
    def _open_read(self, path: str, opt: option.OpenFile | None) -> Iterator[Reader]:
        file_id = self.open_file(path, opt)
        reader: Reader | None = None
        try:
            reader = self.read(file_id)
            reader.name = path
            with reader:
                yield reader
                reader._drain_rest()  # (not when the block raised)
        except BaseException as exc:
            _cleanup(exc, lambda stream: self._close_read(stream, reader), file_id)
            raise
        self._close_read(file_id, reader)

    @contextlib.contextmanager
    def _open_write(self, path: str, opt: option.CreateFile | None) -> Iterator[Writer]:
        file_id = self.create_file(path, opt)
        writer = self.write(file_id)
        writer.name = path
        closing = False
        try:
            yield writer
            writer.close()
            closing = True
            self.close(file_id)
        except BaseException as exc:
            writer.close()
            if closing:
                # The close failed: the caller is told the write failed, so a file the proxy
                # may have completed anyway must not stay behind.
                _cleanup(exc, self.delete, path)
            else:
                self._discard(exc, file_id, path)
            raise

    def _discard(self, exc: BaseException, file_id: int, path: str) -> None:
        """Drop the file of a failed write while ``exc`` propagates.

        Closing a write stream completes its file, so the incomplete file is deleted while
        its stream is still open, and the stream closed after: no reader ever sees it
        complete. (Alluxio 2.9.6 and the embedded proxy then close the stream without
        bringing the file back; measured.) If that delete fails, the stream is closed and
        the delete tried again."""
        try:
            self._delete_if_there(path)
        except Exception as error:
            exc.add_note(f"while cleaning up: {type(error).__name__}: {error}")
            _cleanup(exc, self.close, file_id)
            _cleanup(exc, self.delete, path)
            return
        _cleanup(exc, self.close, file_id)

    # -- beyond 0.1.x ------------------------------------------------------------------------

    def proxy_info(self) -> dict[str, Any]:
        """Return the proxy's ``GET /api/v1/proxy/info`` document (version, start time, ...)."""
        return self._run(Operations.proxy_info())

    def read_bytes(self, path: str, opt: option.OpenFile | None = None) -> bytes:
        """Return the whole content of the file at ``path``."""
        with self.open(path, "r", opt) as reader:
            return reader.read()

    def write_bytes(
        self,
        path: str,
        data: WriteData,
        opt: option.CreateFile | None = None,
        *,
        atomic: bool = True,
        overwrite: bool = False,
    ) -> int:
        """Create the file ``path`` with ``data`` and return the number of bytes written.

        ``data`` is bytes-like, a binary file object or an iterable of bytes (streamed).

        Atomic by default: the data goes to a hidden temporary file next to ``path``
        (``.NAME.alluxio-py-tmp-XXXXXXXX``), renamed to ``path`` once complete, so ``path``
        never holds a partial file, even if this process is killed (a killed writer leaves
        the temporary file; ``alluxio-py clean`` removes those). ``atomic=False`` writes
        ``path`` directly: one rename less, which matters where a rename copies (a file
        already persisted to an object store such as S3), but a killed writer's partial
        file is then completed under ``path`` when the proxy expires its stream.

        With ``overwrite=True`` a file at ``path`` is replaced (never a directory). On a 2.x
        proxy the replacement is one rename with ``s3SyntaxOptions.overwrite``: a reader
        sees the old file or the new one, never no file. A 1.x proxy has no such rename:
        the old file is deleted and the new one renamed into place, so for a moment
        ``path`` does not exist.

        Raises:
            alluxio.exceptions.AlreadyExistsError: ``path`` exists and ``overwrite`` is
                false, or ``path`` is a directory (checked before the data is sent).
            alluxio.exceptions.InvalidArgumentError: The path would not reach the proxy
                intact (see the Paths guide).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.
            ValueError: ``overwrite=True`` with ``atomic=False``.
            Exception: Whatever ``data`` raised while being read (e.g. ``OSError``).
        """
        check_write_bytes_args(path, data, opt, atomic, overwrite)  # before the file is created
        if not atomic:
            with self.open(path, "w", opt) as writer:
                return writer.write(data)
        self._check_target(path, overwrite=overwrite)
        temp = temp_name(path)
        with self.open(temp, "w", opt) as writer:
            written = writer.write(data)
        self._publish(temp, path, overwrite=overwrite)
        return written

    def _check_target(self, path: str, *, overwrite: bool) -> None:
        """Refuse, before any data is sent, a destination that publishing would refuse."""
        if not overwrite:
            if self.exists(path):
                raise AlreadyExistsError(f"{path} already exists")
            return
        try:
            found = self.get_status(path)
        except NotFoundError:
            return
        if (error := not_replaced(path, found)) is not None:
            raise error

    def _publish(self, temp: str, path: str, *, overwrite: bool = False) -> None:
        """Rename the complete temporary file ``temp`` to ``path``; with ``overwrite`` a file
        (never a directory) at ``path`` is replaced: in the same rename on a 2.x proxy,
        deleted first on a 1.x one. On failure ``temp`` is deleted."""
        try:
            if not overwrite:
                self.rename(temp, path)
                return
            for _attempt in range(REPLACE_ATTEMPTS):
                try:
                    found = self.get_status(path)
                except NotFoundError:
                    found = None
                if found is not None and (error := not_replaced(path, found)) is not None:
                    raise error
                try:
                    if found is not None and self.dialect == "2.x":
                        # Checked just above: a directory made at path in between would be
                        # replaced too (the proxy has no rename that replaces files only).
                        self.rename(temp, path, replacing())
                        return
                    if found is not None:
                        self._delete_if_there(path)  # 1.x: path is missing until the rename
                    self.rename(temp, path)
                    return
                except AlreadyExistsError:
                    continue  # another writer took the path since: check it again
            raise AlreadyExistsError(
                f"{path} was recreated by another writer {REPLACE_ATTEMPTS} times while "
                "being replaced"
            )
        except BaseException as exc:
            _cleanup(exc, self._delete_if_there, temp)
            raise

    def _delete_if_there(self, path: str) -> None:
        with contextlib.suppress(NotFoundError):
            self.delete(path)

    def upload(
        self,
        local: str | os.PathLike[str],
        remote: str,
        *,
        threads: int = 1,
        overwrite: bool = False,
        progress: Callable[[str, int], None] | None = None,
    ) -> str:
        """Copy a local file or directory tree to Alluxio; return the Alluxio path it went to.

        If ``remote`` is an existing directory (or ends with ``/``), ``local`` is copied into
        it under its own name; otherwise ``remote`` is the new name (parents are created).
        Each file is written to a hidden temporary name next to its destination
        (``.NAME.alluxio-py-tmp-XXXXXXXX``) and renamed when complete, so a failed or
        interrupted upload never leaves a partial file under a destination name.

        Args:
            local: The local file or directory (symbolic links are followed).
            remote: The Alluxio destination.
            threads: Files uploaded in parallel (1..64), sharing this client's connections.
            overwrite: Replace existing files (and merge into existing directories).
            progress: ``progress(local_file, nbytes)``, called from worker threads each time
                ``nbytes`` more bytes of ``local_file`` were sent.

        Raises:
            FileNotFoundError: ``local`` does not exist.
            OSError: A local name is not valid UTF-8 (``errno.EILSEQ``; checked before
                anything is copied).
            alluxio.exceptions.AlreadyExistsError: The destination exists and ``overwrite``
                is false (checked before anything is copied).
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.

        Examples:
            >>> client.upload("results/", "/data/", threads=4)
            '/data/results'
        """
        from . import _transfer

        check_transfer_args(local, remote, overwrite, progress)
        return _transfer.upload(
            self, local, remote, threads=threads, overwrite=overwrite, progress=progress
        )

    def download(
        self,
        remote: str,
        local: str | os.PathLike[str],
        *,
        threads: int = 1,
        overwrite: bool = False,
        progress: Callable[[str, int], None] | None = None,
    ) -> str:
        """Copy an Alluxio file or directory tree to the local disk; return the local path.

        If ``local`` is an existing directory, ``remote`` is copied into it under its own
        name; otherwise ``local`` is the new name. Each file is written to
        ``NAME.part-XXXXXXXX`` next to its destination and moved into place with
        :func:`os.replace` when complete, so a failed or interrupted download never leaves
        a partial file under a destination name.

        Args:
            remote: The Alluxio file or directory.
            local: The local destination.
            threads: Files downloaded in parallel (1..64), sharing this client's connections.
            overwrite: Replace existing files (and merge into existing directories).
            progress: ``progress(alluxio_file, nbytes)``, called from worker threads each
                time ``nbytes`` more bytes of ``alluxio_file`` were written locally.

        Raises:
            FileExistsError: The destination exists and ``overwrite`` is false.
            alluxio.exceptions.NotFoundError: ``remote`` does not exist.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed.

        Examples:
            >>> client.download("/data/results", "copy/", threads=4)
            'copy/results'
        """
        from . import _transfer

        check_transfer_args(local, remote, overwrite, progress)
        return _transfer.download(
            self, remote, local, threads=threads, overwrite=overwrite, progress=progress
        )


class StatusIterator(Generic[T]):
    """The entries of one listing, decoded as the proxy's answer arrives.

    Returned by :meth:`Client.iter_status`; iterate it once. As a context manager (like an
    ``httpx`` stream) it sends the request on entry and releases the connection on exit,
    however the block ends; :meth:`close` does the same by hand.
    """

    def __init__(self, client: Client, listing: Listing[T]) -> None:
        self._client = client
        self._listing = listing
        self._response: httpx.Response | None = None
        self._entries: Generator[T, None, None] | None = None
        self._closed = False

    def _start(self) -> Iterator[T]:
        if self._entries is None:
            if self._closed:
                raise ValueError("iteration of a closed StatusIterator")
            response, _ = self._client._send(self._listing.request, idempotent=True, stream=True)
            self._response = response
            self._entries = self._decode(response)
        return self._entries

    def _decode(self, response: httpx.Response) -> Generator[T, None, None]:
        decoder = self._listing.decoder()
        try:
            try:
                for piece in response.iter_raw():
                    yield from decoder.feed(piece)
            except httpx.HTTPError as exc:
                raise error_from_transport(exc, response.request) from exc
            yield from decoder.finish()
        finally:
            response.close()

    def __iter__(self) -> Iterator[T]:
        return self._start()

    def __next__(self) -> T:
        return next(self._start())

    def close(self) -> None:
        """Stop: release the connection (the rest of the answer is not read)."""
        self._closed = True
        if self._entries is not None:
            self._entries.close()
        if self._response is not None:
            self._response.close()  # also when iteration never started

    def __enter__(self) -> Self:
        self._start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Reader(io.RawIOBase):
    """Reads one stream from the proxy, in order (no seeking back).

    Iterating yields chunks of ``chunk_size`` bytes (the last may be shorter). Use it as a
    context manager or call :meth:`close`. A connection cut before the end of the stream
    raises :class:`~alluxio.exceptions.HTTPError`; short data is never returned as complete.

    A Reader is an unbuffered binary file (:class:`io.RawIOBase`): wrap it in
    :class:`io.BufferedReader` or :class:`io.TextIOWrapper` to read lines or text, e.g.
    ``io.TextIOWrapper(reader, encoding="utf-8")``.

    Created by :meth:`Client.read` and :meth:`Client.open`, not directly (0.1.x's
    ``Reader(session, url)`` is not supported: there is no ``requests`` session).

    Attributes:
        name: The Alluxio path when opened by :meth:`Client.open`, else the stream id.
    """

    _closed: bool

    def __init__(self, response: httpx.Response, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        if not isinstance(response, httpx.Response):
            # 0.1.x documented Reader(session, url) but said not to call it; there is no
            # session here, so say what to use instead of failing on an attribute later.
            self._closed = True  # io.IOBase's finalizer closes it
            raise TypeError(
                "Reader is created by Client.read(file_id) or Client.open(path, 'r'); "
                f"response must be an httpx.Response, got {type(response).__name__}"
            )
        super().__init__()
        self._response = response
        # Responses from our transport are read in exactly the sizes asked for, straight from
        # the socket; others (mocks, other transports) go through httpx's iterator.
        self._body = fast_body(response)
        self._chunks = response.iter_raw() if self._body is None else iter(())
        self._buffer = bytearray()
        self._eof = False
        self._closed = False
        self.chunk_size = check_chunk_size(chunk_size)
        self.name: str | int = ""  # set by Client.read and Client.open

    def _next_chunk(self) -> bytes | None:
        try:
            return next(self._chunks)
        except StopIteration:
            self._eof = True
            return None
        except httpx.HTTPError as exc:
            self.close()
            raise error_from_transport(exc, self._response.request) from exc

    def read(self, n: int | None = None) -> bytes:
        """Read ``n`` bytes (fewer only at the end of the file), or everything if ``n`` is
        ``None`` or negative. Returns ``b""`` at the end of the file."""
        if self._closed:
            raise ValueError("read from a closed Reader")  # as io's "I/O operation on closed file"
        if n is not None and (isinstance(n, bool) or not isinstance(n, int)):
            raise TypeError(f"n must be an int or None, got {type(n).__name__}")
        if self._body is not None:
            return self._read_body(n)
        if n is None or n < 0:
            parts = [bytes(self._buffer)]
            self._buffer.clear()
            while (chunk := self._next_chunk()) is not None:
                parts.append(chunk)
            return b"".join(parts)
        while len(self._buffer) < n and not self._eof:
            chunk = self._next_chunk()
            if chunk is not None:
                if not self._buffer and len(chunk) == n:
                    return chunk
                self._buffer += chunk
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def _read_body(self, n: int | None) -> bytes:
        assert self._body is not None
        try:
            if n is None or n < 0:
                return self._body.read_all()
            return self._body.read(n) if n else b""
        except httpx.HTTPError as exc:
            self.close()
            raise error_from_transport(exc, self._response.request) from exc

    def readall(self) -> bytes:
        """Read to the end of the file (as ``read()``)."""
        return self.read()

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Read into ``buffer``; return the number of bytes read (0 at the end)."""
        view = check_buffer(buffer)
        data = self.read(view.nbytes)
        view[: len(data)] = data
        return len(data)

    def readable(self) -> bool:
        """``True``: a reader reads (checked by :class:`io.BufferedReader`)."""
        return True

    def writable(self) -> bool:
        """``False``: a reader does not write."""
        return False

    def seekable(self) -> bool:
        """``False``: the proxy streams a file from its start, in order."""
        return False

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.read(self.chunk_size):
            yield chunk

    def close(self) -> None:
        """Release the connection. Further reads raise ``ValueError``."""
        if not self._closed:
            super().close()  # io's own flag (its flush would refuse once closed is true)
            self._closed = True
            self._response.close()

    @property
    def _read_to_end(self) -> bool:
        # Whether the whole body arrived: closing the stream then is not best-effort.
        return self._eof if self._body is None else self._body.complete

    def _drain_rest(self) -> None:
        """Read on to the end if little is left (see :data:`DRAIN_BEFORE_CLOSE_BYTES`), so
        that closing the stream is not best-effort; never raises."""
        if self._closed or self._read_to_end:
            return
        if self._body is not None:
            self._body.drain(DRAIN_BEFORE_CLOSE_BYTES, DRAIN_BEFORE_CLOSE_SECONDS)
            return
        # Another transport (a mock): bounded by size only.
        left = DRAIN_BEFORE_CLOSE_BYTES - len(self._buffer)
        self._buffer.clear()
        with contextlib.suppress(AlluxioError, HTTPError):
            while left >= 0 and (chunk := self._next_chunk()) is not None:
                left -= len(chunk)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Writer(io.RawIOBase):
    """Appends data to one write stream of the proxy.

    Each :meth:`write` call streams its data to the proxy in one request. Call
    :meth:`alluxio.Client.close` with the file id (or use :meth:`alluxio.Client.open`) to
    complete the file.

    A Writer is an unbuffered binary file (:class:`io.RawIOBase`): wrap it in
    :class:`io.BufferedWriter` (fewer, larger requests) or :class:`io.TextIOWrapper` to
    write text.

    Created by :meth:`Client.write` and :meth:`Client.open`, not directly (0.1.x's
    ``Writer(session, url)`` is not supported: there is no ``requests`` session).

    Attributes:
        name: The Alluxio path when opened by :meth:`Client.open`, else the stream id.
    """

    _closed: bool

    def __init__(self, client: Client, request: dict[str, Any], file_id: int) -> None:
        if not isinstance(client, Client):
            self._closed = True
            raise TypeError(
                "Writer is created by Client.write(file_id) or Client.open(path, 'w'); "
                f"client must be an alluxio.Client, got {type(client).__name__}"
            )
        super().__init__()
        self.name: str | int = file_id  # Client.open sets the path
        self._client = client
        self._request = request
        self.file_id = file_id
        # Taken now, so this writer stays on its stream's proxy even if another proxy later
        # issues the same id number.
        self._endpoint = client._endpoints.of_stream(file_id)
        self._closed = False

    def write(self, data: WriteData | IO[bytes] | ReadableBuffer) -> int:
        """Write ``data`` and return the number of bytes written.

        ``data`` may be bytes, bytearray, memoryview (or any object with the buffer protocol,
        such as ``array.array``), a binary file object (read in chunks) or an iterable of
        bytes; none of them is loaded whole into memory.

        Raises:
            TypeError: ``data`` is a str, a text file, or otherwise not bytes.
            alluxio.exceptions.DataLossError: The proxy stored fewer bytes than were sent.
            alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
            alluxio.exceptions.HTTPError: The HTTP transport failed (the data may be partly
                written; the file should be discarded).
        """
        if self._closed:
            raise ValueError("write to a closed Writer")
        if not isinstance(data, bytes | bytearray | memoryview | str):
            # io.RawIOBase.write takes any buffer (array.array, mmap): its bytes, not items.
            with contextlib.suppress(TypeError):
                data = memoryview(data).cast("B")  # type: ignore[arg-type]
        check_write_data(data)
        counter = [0]
        content: Any
        if isinstance(data, bytes | bytearray | memoryview):
            content = bytes(data) if not isinstance(data, bytes) else data
            counter[0] = len(content)
        else:
            content = primed(iter_write_chunks(data, self._client.chunk_size, counter))
        response, _ = self._client._send(
            {**self._request, "content": content}, pinned=self._endpoint
        )
        written = self._client._operations().write_stream(self.file_id, b"").parse(response.content)
        return check_written(self.file_id, counter[0], written)

    def close(self) -> None:
        """Stop writing through this object (the stream itself is closed by
        :meth:`alluxio.Client.close`)."""
        if not self._closed:
            super().close()  # io's own flag (its flush would refuse once closed is true)
            self._closed = True

    def readable(self) -> bool:
        """``False``: a writer does not read."""
        return False

    def writable(self) -> bool:
        """``True``: a writer writes (checked by :class:`io.BufferedWriter`)."""
        return True

    def seekable(self) -> bool:
        """``False``: data is appended in order."""
        return False

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._closed

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
