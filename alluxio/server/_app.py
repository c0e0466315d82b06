"""The HTTP layer: the proxy's REST routes as an ASGI application.

Routing is done on the raw (still percent-encoded) request path, like Jersey does, so that the
path parameter is exactly the percent-decoded text between ``paths/`` and the last
``/<action>`` (``%2F`` included). The hot paths (stream reads and writes) are plain ASGI
without per-chunk framework work: file data moves in 1 MiB pieces through worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import json
import logging
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware

from .. import _json
from ._errors import (
    BadRequest,
    ProxyError,
    RawError,
    Status,
    jersey_error,
    jetty_404_page,
    jetty_error_page,
)
from ._fs import DEFAULT_PERSIST_DELAY, Namespace
from ._options import Dialect, parse_options
from ._security import RequestGate, SecurityConfig
from ._streams import ReadStream, StreamCache, WriteStream

__all__ = ["ProxyApp", "create_app"]

logger = logging.getLogger("alluxio.server")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

CHUNK = 1 << 20
_VERSIONS = {"2.x": "2.9.6", "1.x": "1.8.1"}

_PATH_ACTIONS = (
    "create-directory",
    "create-file",
    "delete",
    "exists",
    "free",
    "get-status",
    "list-status",
    "mount",
    "open-file",
    "rename",
    "set-attribute",
    "unmount",
)
_PATHS_RE = re.compile(
    rb"^/api/v1/paths/(.*)/(" + "|".join((*_PATH_ACTIONS, "download-file")).encode() + rb")$",
    re.DOTALL,
)
_STREAMS_RE = re.compile(rb"^/api/v1/streams/([^/]+)/(read|write|close)$")
_INT_RE = re.compile(r"^[+-]?[0-9]+$")
_JSON = b"application/json"
_OCTETS = b"application/octet-stream"
_TEXT = b"text/plain"
_HTML_1X = b"text/html; charset=ISO-8859-1"
_HTML_2X = b"text/html;charset=iso-8859-1"
# Jersey buffers small entities and sends them with a Content-Length.
_BUFFERED = 8192


def _content_type(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"content-type":
            text: str = value.decode("latin-1").split(";", 1)[0].strip().lower()
            return text
    return None


def _json_compatible(ctype: str) -> bool:
    return ctype in ("application/json", "application/*", "*/*")


def _octets_compatible(ctype: str) -> bool:
    return ctype in ("application/octet-stream", "application/*", "*/*")


def _path_param(raw: bytes) -> str:
    """The path parameter as the real proxy sees it.

    Jersey drops matrix parameters (``;x`` up to the next ``/``) and percent-decodes; then
    AlluxioURI takes a decoded ``?`` as the start of a query, which is not part of the path.
    """
    segments = [seg.split(b";", 1)[0] for seg in raw.split(b"/")]
    text = unquote_to_bytes(b"/".join(segments)).decode("utf-8", "replace")
    return text.split("?", 1)[0]


def _duration(seconds: float) -> str:
    """A duration the way Alluxio configuration spells it (``1hour``, ``30sec``...)."""
    ms = round(seconds * 1000)
    for unit, size in (("hour", 3_600_000), ("min", 60_000), ("sec", 1000)):
        if ms % size == 0:
            return f"{ms // size}{unit}"
    return f"{ms}ms"


async def _respond(
    send: Send,
    status: int,
    body: bytes = b"",
    content_type: bytes | None = None,
    headers: list[tuple[bytes, bytes]] | None = None,
) -> None:
    out = [(b"content-length", str(len(body)).encode())]
    if content_type is not None:
        out.append((b"content-type", content_type))
    out.extend(headers or [])
    await send({"type": "http.response.start", "status": status, "headers": out})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive, limit: int) -> bytes:
    """The whole request body; :class:`BadRequest` (413) beyond ``limit`` bytes."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BadRequest(f"Request body larger than {limit} bytes", status_code=413)
        parts.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(parts)


async def _drain(receive: Receive) -> None:
    """Consume an unused request body so the connection stays usable."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            return


class _TooManyBlocks(Exception):
    """A write would give its file more blocks than allowed."""


def _remaining(fd: int) -> tuple[int, bool]:
    """The bytes from ``fd``'s position to its end, and whether its file is on a memory file
    system (see :func:`_in_memory_filesystem`). Both ask the file system: a worker thread's
    call."""
    status = os.fstat(fd)
    return status.st_size - os.lseek(fd, 0, os.SEEK_CUR), _in_memory_filesystem(status.st_dev)


def _read_all(fd: int) -> bytes:
    parts = []
    while chunk := os.read(fd, CHUNK):
        parts.append(chunk)
    return b"".join(parts)


_MEMORY_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})


@functools.cache
def _in_memory_filesystem(device: int) -> bool:
    """Whether the file system on ``device`` keeps its files in memory (tmpfs, ramfs): its
    reads and writes never wait on a device, so the event loop may do them itself. Linux
    only (``/proc/self/mountinfo``), else ``False``.

    Handing each 1 MiB of a download from a tmpfs root to a worker thread and back made
    the proxy the bottleneck of every client (GIL hand-offs; 1 GiB, 7 alternating runs on
    2 cores: the ``AsyncClient`` at a median 1,425 against 3,192 MiB/s read on the loop,
    the reference client 1,716 against 2,728). Elsewhere a read or write may wait (a cold
    file, dirty-page throttling, a network or FUSE mount) and must not stall every other
    connection: it goes to a worker thread. (Reading cached pages on the loop with
    ``preadv(RWF_NOWAIT)`` was tried on ext4: no faster, and more of the proxy's CPU.)"""
    if not hasattr(os, "major"):
        return False
    wanted = f"{os.major(device)}:{os.minor(device)}"
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            for line in mounts:
                fields = line.split()
                # ID, parent ID, major:minor, root, mount point, options, [tags...], -, type
                if len(fields) > 2 and fields[2] == wanted and "-" in fields:
                    kind = fields[fields.index("-") + 1 :][:1]
                    return bool(kind) and kind[0] in _MEMORY_FILESYSTEMS
    except OSError:
        pass
    return False


def _encode_batch(batches: Iterator[list[dict[str, Any]]]) -> bytes | None:
    """The next batch of a listing as JSON array items (no brackets; ``b""`` if the batch is
    empty), or None at its end."""
    batch = next(batches, None)
    if batch is None:
        return None
    return _json.dumps(batch)[1:-1]


async def _cancel_on_disconnect(receive: Receive, scope: anyio.CancelScope) -> None:
    # The request body was read already: the next message is the client going away.
    while (await receive())["type"] != "http.disconnect":
        pass
    scope.cancel()


class ProxyApp:
    """The Alluxio proxy REST API over a :class:`~alluxio.server._fs.Namespace` (raw ASGI)."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        dialect: Dialect = "2.x",
        stream_timeout: float = 3600.0,
        host: str = "127.0.0.1",
        persist_delay: float = DEFAULT_PERSIST_DELAY,
        security: SecurityConfig | None = None,
    ) -> None:
        if dialect not in ("2.x", "1.x"):
            raise ValueError(f"dialect must be '2.x' or '1.x', not {dialect!r}")
        if stream_timeout <= 0:
            raise ValueError("stream_timeout must be positive")
        self.dialect: Dialect = dialect
        self.security = security or SecurityConfig()
        self.limits = self.security.limits
        self.namespace = Namespace(root, dialect=dialect, host=host, persist_delay=persist_delay)
        self.namespace.mount_policy = self.security.mounts
        self._deactivate_disallowed_mounts()
        self.streams = StreamCache(self.namespace, stream_timeout, self.limits.max_idle_fds)
        # Uploads go to one directory of the state's: appended on the loop if it is in memory.
        self._uploads_in_memory = _in_memory_filesystem(os.stat(self.namespace.tmp_dir).st_dev)
        self.start_time_ms = int(time.time() * 1000)
        self._sweeper: asyncio.Task[None] | None = None
        self._closed = False

    def _deactivate_disallowed_mounts(self) -> None:
        """Mounts restored from the state store whose directory is no longer allowed (or now
        resolves elsewhere) stay inactive: kept in the store, but not served."""
        mounts = self.namespace.mounts
        for path, m in list(mounts.items()):
            if path != "/" and not self.security.mounts.allows(os.path.realpath(m.local)):
                del mounts[path]
                logger.warning(
                    "not activating the mount at %s: %s is not under a directory allowed "
                    "with --allow-mount (allow_mounts)",
                    path,
                    m.ufs,
                )

    # ------------------------------------------------------------------ lifecycle

    async def startup(self) -> None:
        """Start the idle-stream sweeper."""
        self._sweeper = asyncio.create_task(self._sweep())

    async def shutdown(self) -> None:
        """Stop the sweeper, close open streams (unfinished uploads are discarded)."""
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
        await self.streams.settle()
        for stream in self.streams.pop_all():
            await anyio.to_thread.run_sync(self.streams.discard, stream)
        if not self._closed:
            self._closed = True
            await anyio.to_thread.run_sync(self.namespace.close)

    async def _sweep(self) -> None:
        interval = min(max(self.streams.timeout / 4, 0.05), 30.0)
        while True:
            await asyncio.sleep(interval)
            for stream in self.streams.pop_expired():
                logger.info("stream %d expired", stream.id)
                try:
                    await anyio.to_thread.run_sync(self.streams.finish, stream)
                except Exception:  # pragma: no cover - logged, the sweeper must go on
                    logger.exception("closing expired stream %d failed", stream.id)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: object) -> AsyncIterator[None]:
        """Starlette lifespan: sweeper while serving, cleanup on exit."""
        await self.startup()
        try:
            yield
        finally:
            await self.shutdown()

    # ------------------------------------------------------------------ dispatch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw: bytes = scope.get("raw_path") or scope["path"].encode()
        raw = raw.split(b"?", 1)[0]
        method: str = scope["method"]
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = True
            await send(message)

        try:
            await self._dispatch(scope, raw, method, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            if isinstance(exc, RawError) and self.dialect == "1.x" and exc.code != 500:
                # 1.x proxies answer Jersey's own failures with their status and a Jetty page.
                page = jetty_error_page(exc.code, raw.decode("latin-1"))
                await _respond(send, exc.code, page.encode(), _HTML_1X)
            elif (
                isinstance(exc, RawError) and self.dialect == "1.x" and exc.content_type == _OCTETS
            ):
                page = jetty_error_page(500, raw.decode("latin-1"))
                await _respond(send, 500, page.encode(), _HTML_1X)
            elif isinstance(exc, RawError):
                # 2.x: Jersey-level failures are always 500 with a bare text body.
                await _respond(send, 500, exc.body.encode(), exc.content_type)
            elif isinstance(exc, BadRequest):
                await _respond(send, exc.status_code, exc.message.encode(), _TEXT)
            elif isinstance(exc, ProxyError):
                await self._error(send, exc.status, exc.message)
            elif isinstance(exc, OSError):
                # Like the real proxy: an IOException maps to UNKNOWN. No local paths leak.
                logger.warning("I/O error serving %s %r: %s", method, raw, exc)
                await self._error(send, Status.UNKNOWN, exc.strerror or type(exc).__name__)
            else:
                logger.exception("unexpected error serving %s %r", method, raw)
                await self._error(send, Status.INTERNAL, str(exc) or type(exc).__name__)

    async def _error(self, send: Send, status: str, message: str | None) -> None:
        key = "statusCode" if self.dialect == "2.x" else "status"
        # Jackson writes the envelope's properties in this order.
        await _respond(send, 500, _json.dumps({"message": message, key: status}), _JSON)

    async def _dispatch(
        self, scope: Scope, raw: bytes, method: str, receive: Receive, send: Send
    ) -> None:
        if method == "OPTIONS":
            # The real web server refuses OPTIONS before Jersey sees it.
            await _drain(receive)
            await _respond(send, 403, b"Forbidden", _TEXT)
            return
        ctype = _content_type(scope)
        match = _PATHS_RE.match(raw)
        if match is not None:
            action = match.group(2).decode()
            if action == "download-file":
                if self.dialect != "2.x":
                    raise jersey_error(404)
                allowed: tuple[str, ...] = ("GET", "HEAD")
            else:
                allowed = ("POST",)
            if method not in allowed:
                await self._not_allowed(method, allowed, receive, send)
                return
            if ctype is not None and not _json_compatible(ctype):
                raise jersey_error(415)
            path = _path_param(match.group(1))
            if action == "download-file":
                await _drain(receive)
                await self._download(path, method == "HEAD", send)
            else:
                await self._path_action(scope, action, path, ctype, receive, send)
            return
        match = _STREAMS_RE.match(raw)
        if match is not None:
            if method != "POST":
                await self._not_allowed(method, ("POST",), receive, send)
                return
            action = match.group(2).decode()
            if ctype is not None:
                consumes = _octets_compatible if action == "write" else _json_compatible
                if not consumes(ctype):
                    raise jersey_error(415)
            text = unquote_to_bytes(match.group(1)).decode("utf-8", "replace")
            # Jersey converts {id} to an Integer; a failed conversion is its 404.
            if not _INT_RE.match(text) or not -(1 << 31) <= int(text) < (1 << 31):
                # Labelled with what the matched method produces.
                raise jersey_error(404, _OCTETS if action == "read" else _JSON)
            sid = int(text)
            if action == "read":
                await self._stream_read(sid, receive, send)
            elif action == "write":
                await self._stream_write(sid, receive, send)
            else:
                await _drain(receive)
                await self._stream_close(sid, send)
            return
        if raw == b"/api/v1/proxy/info":
            if method not in ("GET", "HEAD"):
                await self._not_allowed(method, ("GET", "HEAD"), receive, send)
                return
            await _drain(receive)
            await _respond(send, 200, _json.dumps(self._proxy_info(scope)), _JSON)
            return
        await _drain(receive)
        if raw.startswith(b"/api/v1/"):
            raise jersey_error(404)
        # Outside the REST servlet: the web server's own 404 page.
        uri = raw.decode("latin-1")
        if self.dialect == "1.x":
            await _respond(send, 404, jetty_error_page(404, uri).encode(), _HTML_1X)
        else:
            await _respond(send, 404, jetty_404_page(uri).encode(), _HTML_2X)

    async def _not_allowed(
        self, _method: str, _allowed: tuple[str, ...], receive: Receive, send: Send
    ) -> None:
        await _drain(receive)
        raise jersey_error(405)

    def _proxy_info(self, scope: Scope) -> dict[str, Any]:
        server = scope.get("server") or ("", 0)
        ns = self.namespace
        now = int(time.time() * 1000)
        version = _VERSIONS[self.dialect]
        info: dict[str, Any] = {
            "configuration": {
                "alluxio.master.mount.table.root.ufs": ns.root,
                "alluxio.proxy.stream.cache.timeout": _duration(self.streams.timeout),
                "alluxio.proxy.web.bind.host": str(server[0]),
                "alluxio.proxy.web.hostname": str(server[0]),
                "alluxio.proxy.web.port": server[1],
                "alluxio.proxy.s3.v2.version.enabled": False,
                "alluxio.user.block.size.bytes.default": f"{ns.block_size // (1 << 20)}MB",
                "alluxio.user.file.writetype.default": (
                    "ASYNC_THROUGH" if self.dialect == "2.x" else "MUST_CACHE"
                ),
                "alluxio.version": version,
            },
            "startTimeMs": self.start_time_ms,
            "uptimeMs": now - self.start_time_ms,
            "version": version,
        }
        if self.dialect == "1.x":
            # 1.x proxies report every configuration value as a string.
            conf = info["configuration"]
            for key, value in conf.items():
                conf[key] = json.dumps(value) if isinstance(value, (bool, int)) else value
        return info

    # ------------------------------------------------------------------ paths

    async def _path_action(
        self,
        scope: Scope,
        action: str,
        path: str,
        ctype: str | None,
        receive: Receive,
        send: Send,
    ) -> None:
        body = await _read_body(receive, self.limits.max_json_body)
        if body and ctype is None:
            # Jersey has no reader for an untyped entity (the method was already matched).
            raise jersey_error(415, _JSON)
        opts = parse_options(action, body, self.dialect)
        ns = self.namespace
        query = dict(reversed(parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)))
        if action == "create-directory":
            await anyio.to_thread.run_sync(ns.create_directory, path, opts)
            result: Any = None
        elif action == "create-file":
            self._check_stream_room()
            pending = await anyio.to_thread.run_sync(ns.create_file, path, opts)
            result = self.streams.add_write(pending)
            await self.streams.release_idle()
        elif action == "delete":
            await anyio.to_thread.run_sync(ns.delete, path, opts)
            result = None
        elif action == "exists":
            result = await anyio.to_thread.run_sync(ns.exists, path)
        elif action == "free":
            await anyio.to_thread.run_sync(ns.free, path, opts)
            result = None
        elif action == "get-status":
            result = await anyio.to_thread.run_sync(ns.get_status, path)
        elif action == "list-status":
            await self._list_status(path, opts, receive, send)
            return
        elif action == "mount":
            src = query.get("src")
            if src is None:
                raise ProxyError(Status.INTERNAL, "required 'src' parameter is missing")
            await anyio.to_thread.run_sync(ns.mount, path, src, opts)
            result = None
        elif action == "open-file":
            self._check_stream_room()
            opened, fd = await anyio.to_thread.run_sync(ns.open_file, path, opts)
            result = self.streams.add_read(opened, fd)
            await self.streams.release_idle()
        elif action == "rename":
            dst = query.get("dst")
            if dst is None:
                raise ProxyError(Status.INTERNAL, "required 'dst' parameter is missing")
            await anyio.to_thread.run_sync(ns.rename, path, dst, opts)
            result = None
        elif action == "set-attribute":
            await anyio.to_thread.run_sync(ns.set_attribute, path, opts)
            result = None
        else:  # unmount
            await anyio.to_thread.run_sync(ns.unmount, path)
            result = None
        if result is None:
            # Void operations: 200 with no entity at all, as JAX-RS does for a null entity.
            await _respond(send, 200)
        else:
            await _respond(send, 200, _json.dumps(result), _JSON)

    async def _list_status(
        self, path: str, opts: dict[str, Any], receive: Receive, send: Send
    ) -> None:
        """Stream a listing as the directory is read: each batch of entries is rendered and
        encoded in a worker thread and sent as one chunk, so neither the proxy nor the
        client holds the whole array. A missing path or bad argument is found before the
        answer starts, so it is still a proper error response; a listing that fits in one
        batch goes out whole, with a Content-Length."""
        batches = await anyio.to_thread.run_sync(self.namespace.list_status_batches, path, opts)
        try:
            first = await anyio.to_thread.run_sync(_encode_batch, batches)
            second = (
                None if first is None else await anyio.to_thread.run_sync(_encode_batch, batches)
            )
            if second is None:
                await _respond(send, 200, b"[" + (first or b"") + b"]", _JSON)
                return
            start = {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", _JSON)],
            }
            await send(start)
            async with anyio.create_task_group() as group:
                # Nobody reads the rest once the client is gone: stop rendering it.
                group.start_soon(_cancel_on_disconnect, receive, group.cancel_scope)
                ready: list[bytes | None] = [first, second]
                lead = b"["
                while (
                    piece := ready.pop(0)
                    if ready
                    else await anyio.to_thread.run_sync(_encode_batch, batches)
                ) is not None:
                    if piece:  # (a batch whose entries were all removed meanwhile is empty)
                        message = {"type": "http.response.body", "body": lead + piece}
                        await send({**message, "more_body": True})
                        lead = b","
                await send({"type": "http.response.body", "body": b"[]" if lead == b"[" else b"]"})
                group.cancel_scope.cancel()
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                await anyio.to_thread.run_sync(close)

    def _check_stream_room(self) -> None:
        limit = self.limits.max_open_streams
        if len(self.streams.reads) + len(self.streams.writes) >= limit:
            raise ProxyError(
                Status.RESOURCE_EXHAUSTED,
                f"Too many open streams (the limit is {limit}): close streams when done "
                "with them (idle ones expire after "
                f"{_duration(self.streams.timeout)})",
            )

    async def _download(self, raw_path: str, head_only: bool, send: Send) -> None:
        try:
            path, fd = await anyio.to_thread.run_sync(self.namespace.open_file, raw_path, {})
        except ProxyError:
            # Like stream reads: no JSON envelope can be written as octet-stream.
            raise jersey_error(500, _OCTETS) from None
        name = path.rsplit("/", 1)[1]
        headers = [(b"content-disposition", f"attachment; filename={name}".encode())]
        try:
            if head_only:
                await _respond(send, 200, b"", _OCTETS, headers)
            else:
                await self._send_fd(fd, send, headers)
        finally:
            await anyio.to_thread.run_sync(os.close, fd)

    # ------------------------------------------------------------------ streams

    async def _send_fd(
        self, fd: int, send: Send, headers: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        loop = asyncio.get_running_loop()
        remaining, in_memory = await loop.run_in_executor(None, _remaining, fd)
        if remaining <= _BUFFERED:
            data = await loop.run_in_executor(None, _read_all, fd)
            await _respond(send, 200, data, _OCTETS, headers)
            return
        # The real proxy streams larger files with chunked encoding. This one announces the
        # length instead: the HTTP server then writes each piece as it is, where chunked
        # framing would copy every MiB once more (reads bound the clients' throughput).
        start = [
            (b"content-type", _OCTETS),
            (b"content-length", str(remaining).encode()),
            *(headers or []),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": start})
        read = os.read
        # On a memory file system the loop reads for itself; elsewhere the next piece is
        # read in a worker thread while the current one is being sent.
        ahead = None if in_memory else loop.run_in_executor(None, read, fd, min(CHUNK, remaining))
        try:
            while remaining > 0:
                data = read(fd, min(CHUNK, remaining)) if ahead is None else await ahead
                if not data:
                    # Truncated behind our back (a mounted directory): cut the connection
                    # rather than send fewer bytes than announced.
                    raise OSError(errno.EIO, "file shrank while being read")
                remaining -= len(data)
                if remaining > 0 and ahead is not None:
                    ahead = loop.run_in_executor(None, read, fd, min(CHUNK, remaining))
                await send({"type": "http.response.body", "body": data, "more_body": remaining > 0})
        finally:
            if ahead is not None:
                # The descriptor must not be closed under a read still in flight.
                with contextlib.suppress(Exception):
                    await asyncio.shield(ahead)

    async def _stream_read(self, sid: int, receive: Receive, send: Send) -> None:
        await _drain(receive)
        try:
            stream: ReadStream = self.streams.get_read(sid)
        except ProxyError:
            # The error envelope cannot be written as application/octet-stream, so Jersey
            # answers with its bare 500 text instead.
            raise jersey_error(500, _OCTETS) from None
        stream.busy += 1
        try:
            async with stream.lock:
                await self.streams.ready(stream)
                assert stream.fd is not None
                await self._send_fd(stream.fd, send)
        finally:
            stream.busy -= 1
            stream.last_access = time.monotonic()
            await self.streams.release_idle()

    async def _stream_write(self, sid: int, receive: Receive, send: Send) -> None:
        stream: WriteStream = self.streams.get_write(sid)
        stream.busy += 1
        try:
            async with stream.lock:
                try:
                    try:
                        self.namespace.check_write(stream.pending, stream.written)
                    except ProxyError:
                        stream.failed = True  # closing it leaves the file incomplete
                        raise
                    await self.streams.ready(stream)
                    written = await self._copy_body(stream, receive)
                except _TooManyBlocks as exc:
                    # The upload cannot be completed as asked: it is discarded, not truncated.
                    if self.streams.writes.get(sid) is stream:
                        self.streams.pop(sid)
                        await anyio.to_thread.run_sync(self.streams.discard, stream)
                    raise ProxyError(Status.RESOURCE_EXHAUSTED, str(exc)) from None
        finally:
            stream.busy -= 1
            stream.last_access = time.monotonic()
            await self.streams.release_idle()
        await _respond(send, 200, _json.dumps(written), _JSON)

    async def _copy_body(self, stream: WriteStream, receive: Receive) -> int:
        """Append the request body to the upload, in large writes done off the loop."""
        buffered: list[bytes] = []
        size = 0
        written = 0
        assert stream.file is not None
        write = stream.file.write
        block_size = int(stream.pending.meta.get("blockSizeBytes", self.namespace.block_size))
        max_blocks = self.limits.max_blocks_per_file
        cap = max_blocks * block_size

        def flush(parts: list[bytes]) -> None:
            data = memoryview(b"".join(parts) if len(parts) > 1 else parts[0])
            try:
                # A write may take only part of the data (a disk filling up): the rest
                # follows, or its error is reported; nothing is dropped silently.
                while data:
                    taken = write(data)
                    if not taken:
                        raise OSError(errno.EIO, "the upload file takes no more bytes")
                    data = data[taken:]
            except OSError:
                stream.failed = True
                raise

        async def append(parts: list[bytes]) -> None:
            if self._uploads_in_memory:
                flush(parts)
            else:
                await anyio.to_thread.run_sync(flush, parts)

        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            if chunk:
                if stream.written + size + len(chunk) > cap:
                    raise _TooManyBlocks(
                        f"{stream.pending.path} would have more than {max_blocks} blocks of "
                        f"{block_size} bytes (the limit per file): the upload is discarded; "
                        "create the file with a larger blockSizeBytes"
                    )
                buffered.append(chunk)
                size += len(chunk)
                if size >= CHUNK:
                    await append(buffered)
                    written += size
                    stream.written += size
                    buffered, size = [], 0
            if not message.get("more_body", False):
                break
        if buffered:
            await append(buffered)
            written += size
            stream.written += size
        return written

    async def _stream_close(self, sid: int, send: Send) -> None:
        stream = self.streams.get_read(sid) if sid in self.streams.reads else None
        target: ReadStream | WriteStream = stream or self.streams.get_write(sid)
        # Wait for an in-flight read or write on this stream before closing it.
        async with target.lock:
            popped = self.streams.pop(sid)
            await anyio.to_thread.run_sync(self.streams.finish, popped)
        await _respond(send, 200)


def create_app(
    root: str | os.PathLike[str],
    *,
    dialect: Dialect = "2.x",
    stream_timeout: float = 3600.0,
    host: str = "127.0.0.1",
    persist_delay: float = DEFAULT_PERSIST_DELAY,
    security: SecurityConfig | None = None,
) -> Starlette:
    """Build the proxy as an ASGI application (Starlette) serving ``root``.

    ``dialect`` selects the 2.x (default) or 1.x wire dialect, ``stream_timeout`` the idle
    time in seconds after which open streams are dropped, ``host`` the worker host reported
    in block locations and the address the server is bound to (its name is accepted in the
    ``Host`` header), ``persist_delay`` the seconds an ASYNC_THROUGH file takes to become
    persisted (0: at once). ``security`` sets allowed mount directories, hosts, origins, a
    bearer token and resource limits (default: no mounts, loopback names and IP addresses
    only, no cross-site requests, no token, the default :class:`~alluxio.server.Limits`).
    The returned app owns its state store; serve it with one server.

    Examples:
        ```python
        import uvicorn
        from alluxio.server import create_app

        uvicorn.run(create_app("/srv/alluxio-root"), port=39999)
        ```
    """
    security = security or SecurityConfig()
    proxy = ProxyApp(
        root,
        dialect=dialect,
        stream_timeout=stream_timeout,
        host=host,
        persist_delay=persist_delay,
        security=security,
    )
    gate = Middleware(RequestGate, config=security, dialect=dialect, bound_host=host)
    app = Starlette(lifespan=proxy.lifespan, middleware=[gate])
    # The proxy routes on the raw path itself (Starlette's routes match the decoded path and
    # would miss paths with encoded newlines or slashes), so it is the router's fallback.
    app.router.default = proxy
    app.state.proxy = proxy
    return app
