"""The stream cache: open read and write streams, ids, idle expiry, held descriptors.

Mirrors the real proxy's ``StreamCache``: one counter (first id 1) shared by read and write
streams, ids never reused within a process, streams dropped after ``timeout`` seconds without
access. Dropping (closing or expiring) a write stream completes its file.

Only the ``max_idle_fds`` most recently used idle streams keep their file open; the others
give their descriptor back and reopen it on their next read or write, invisibly to clients:

* a write stream reopens its temporary file in append mode (its bytes stay in order);
* a read stream first gets a hard link to its file in the state directory's ``tmp`` (it
  keeps the file's data reachable exactly as the descriptor did: a deleted, renamed or
  overwritten file reads as it was) and reopens the link at the offset reached. A stream
  whose file cannot be linked (another file system, already deleted, hard links refused)
  keeps its descriptor; the open-streams limit bounds those.

Dictionary mutations happen on the event loop thread only; blocking work (opening and closing
files, moving uploads into place) is done in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import stat
import sys
import time
from dataclasses import dataclass, field
from typing import BinaryIO, TypeVar

import anyio

from ._errors import ProxyError, Status
from ._fs import Namespace, PendingFile
from ._security import DEFAULT_MAX_IDLE_FDS

__all__ = ["ReadStream", "StreamCache", "WriteStream"]

_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(eq=False)
class ReadStream:
    """An open-file stream: a read-only file descriptor positioned where reading stopped.

    Without a descriptor (``fd`` None) it reads ``source`` from ``offset`` when used again.
    """

    id: int
    path: str
    fd: int | None
    last_access: float = field(default_factory=time.monotonic)
    busy: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    offset: int = 0
    # What to reopen: a hard link the stream owns (``linked``) or the null device.
    source: str | None = None
    linked: bool = False
    # The file cannot be reopened without its descriptor: it keeps it.
    pinned: bool = False

    def detach(self, link_dir: str) -> None:
        """Give the descriptor back if the file can be reopened exactly (blocking)."""
        fd = self.fd
        assert fd is not None
        if self.source is None and not self._keep_reachable(fd, link_dir):
            self.pinned = True
            return
        self.offset = os.lseek(fd, 0, os.SEEK_CUR)
        self.fd = None
        with contextlib.suppress(OSError):
            os.close(fd)

    def _keep_reachable(self, fd: int, link_dir: str) -> bool:
        info = os.fstat(fd)
        if stat.S_ISCHR(info.st_mode) and _same_file(info, os.stat(os.devnull)):
            # A 1.x stream of an incomplete file reads the null device.
            self.source = os.devnull
            return True
        current = _current_name(fd)
        if current is None:
            return False
        link = os.path.join(link_dir, f"stream-{self.id}.open")
        try:
            os.link(current, link, follow_symlinks=False)
        except OSError:
            # EXDEV (a mount on another file system), ENOENT (the file was deleted or
            # renamed), EPERM (protected hard links), ENOSPC: keep the descriptor.
            return False
        try:
            same = _same_file(info, os.stat(link))
        except OSError:
            same = False
        if not same:  # the name was given to another file meanwhile
            with contextlib.suppress(OSError):
                os.unlink(link)
            return False
        self.source, self.linked = link, True
        return True

    def reopen(self) -> None:
        """Open ``source`` again at the offset reached (blocking)."""
        assert self.source is not None and self.fd is None
        fd = os.open(self.source, os.O_RDONLY | _O_CLOEXEC)
        try:
            os.lseek(fd, self.offset, os.SEEK_SET)
        except OSError:
            os.close(fd)
            raise
        self.fd = fd

    def close(self) -> None:
        """Close the descriptor and remove the link (blocking)."""
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = None
        if self.linked and self.source is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.source)
            self.linked = False


@dataclass(eq=False)
class WriteStream:
    """A create-file stream: appends to the upload's temporary file.

    Without an open ``file`` (None) it reopens the temporary file when written to again.
    """

    id: int
    pending: PendingFile
    file: BinaryIO | None
    written: int = 0
    last_access: float = field(default_factory=time.monotonic)
    busy: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # A write failed (a full disk...): closing leaves the file incomplete, never truncated.
    failed: bool = False
    pinned: bool = False

    def detach(self, _link_dir: str) -> None:
        """Close the temporary file (blocking); a failure to close is a failed write."""
        file, self.file = self.file, None
        assert file is not None
        try:
            file.close()
        except OSError:
            self.failed = True

    def reopen(self) -> None:
        """Open the temporary file again for appending (blocking).

        If it is gone (the file was deleted or overwritten meanwhile, which discards the
        upload), later writes go nowhere, as they went to the deleted file before.
        """
        try:
            fd = os.open(self.pending.temp, os.O_WRONLY | os.O_APPEND | _O_CLOEXEC)
        except FileNotFoundError:
            fd = os.open(os.devnull, os.O_WRONLY | _O_CLOEXEC)
        except OSError:
            self.failed = True
            raise
        self.file = open(fd, "ab", buffering=0)  # noqa: SIM115 - closed on close/expiry

    def close(self) -> None:
        """Close the temporary file if open (blocking); a failure is a failed write."""
        file, self.file = self.file, None
        if file is not None:
            try:
                file.close()
            except OSError:
                self.failed = True


Stream = ReadStream | WriteStream
_S = TypeVar("_S", ReadStream, WriteStream)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _current_name(fd: int) -> str | None:
    """The name the open file ``fd`` has now (it follows renames), if the platform tells."""
    if sys.platform.startswith("linux"):
        try:
            return os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # pragma: no cover - no /proc mounted
            return None
    if sys.platform == "darwin":  # pragma: no cover - exercised on macOS only
        import fcntl

        try:
            name = fcntl.fcntl(fd, fcntl.F_GETPATH, bytes(1024))
        except OSError:
            return None
        return os.fsdecode(name.split(b"\0", 1)[0])
    return None  # pragma: no cover - other platforms keep their descriptors


class StreamCache:
    """Open streams by id, with the real proxy's id and expiry rules, holding at most
    ``max_idle_fds`` file descriptors for idle streams."""

    def __init__(
        self, namespace: Namespace, timeout: float, max_idle_fds: int = DEFAULT_MAX_IDLE_FDS
    ) -> None:
        self._ns = namespace
        self.timeout = timeout
        self.max_idle_fds = max_idle_fds
        self._ids = itertools.count(1)
        self.reads: dict[int, ReadStream] = {}
        self.writes: dict[int, WriteStream] = {}
        # Streams holding a descriptor that could give it back, least recently used first.
        self._holding: dict[int, Stream] = {}
        # Descriptors being given back in worker threads (awaited before shutdown).
        self._detaching: set[asyncio.Future[None]] = set()

    def add_read(self, path: str, fd: int) -> int:
        """Register an opened file; returns its stream id."""
        sid = next(self._ids)
        self.reads[sid] = self._hold(ReadStream(id=sid, path=path, fd=fd))
        return sid

    def add_write(self, pending: PendingFile) -> int:
        """Register an upload; returns its stream id.

        If its temporary file cannot be opened the upload is discarded (no incomplete file
        without a stream is left behind) and the OSError propagates.
        """
        try:
            # Unbuffered: the server gathers request chunks into large writes itself.
            handle = open(pending.temp, "ab", buffering=0)  # noqa: SIM115 - closed on close/expiry
        except OSError:
            self._ns.abort(pending)
            raise
        sid = next(self._ids)
        pending.stream_id = sid
        self.writes[sid] = self._hold(WriteStream(id=sid, pending=pending, file=handle))
        return sid

    def _hold(self, stream: _S) -> _S:
        self._holding[stream.id] = stream
        return stream

    @staticmethod
    def _missing() -> ProxyError:
        return ProxyError(Status.INTERNAL, "stream does not exist")

    def _touch(self, stream: Stream) -> None:
        stream.last_access = time.monotonic()
        if self._holding.pop(stream.id, None) is not None:
            self._holding[stream.id] = stream

    def get_read(self, sid: int) -> ReadStream:
        """The read stream ``sid`` (touching it), else INTERNAL "stream does not exist"."""
        stream = self.reads.get(sid)
        if stream is None:
            raise self._missing()
        self._touch(stream)
        return stream

    def get_write(self, sid: int) -> WriteStream:
        """The write stream ``sid`` (touching it), else INTERNAL "stream does not exist"."""
        stream = self.writes.get(sid)
        if stream is None:
            raise self._missing()
        self._touch(stream)
        return stream

    async def ready(self, stream: Stream) -> None:
        """Give ``stream`` its descriptor back if it lost it; call holding its lock."""
        if (stream.fd if isinstance(stream, ReadStream) else stream.file) is not None:
            return
        await self._release(reopening=stream)
        if not self._registered(stream):
            raise self._missing()

    def _registered(self, stream: Stream) -> bool:
        return self.reads.get(stream.id) is stream or self.writes.get(stream.id) is stream

    async def release_idle(self) -> None:
        """Close the descriptors of the least recently used idle streams beyond the cap."""
        if len(self._holding) > self.max_idle_fds:
            await self._release(reopening=None)

    async def _release(self, reopening: Stream | None) -> None:
        """Detach idle streams beyond the cap (counting ``reopening``), then reopen
        ``reopening``: one trip to a worker thread for both."""
        excess = len(self._holding) + (reopening is not None) - self.max_idle_fds
        victims: list[Stream] = []
        for stream in self._holding.values():
            if len(victims) >= excess:
                break
            if stream.busy == 0 and not stream.lock.locked():
                victims.append(stream)
        for stream in victims:
            del self._holding[stream.id]
            # Uncontended: taken at once. A request arriving meanwhile waits for the detach.
            await stream.lock.acquire()
        link_dir = self._ns.tmp_dir

        def work() -> None:
            for stream in victims:
                try:
                    stream.detach(link_dir)
                except OSError:  # pragma: no cover - fstat/lseek of an open file failing
                    stream.pinned = True
            if reopening is not None:
                reopening.reopen()

        def released(future: asyncio.Future[None]) -> None:
            # Runs on the loop when the thread is done, even if the request was cancelled.
            self._detaching.discard(future)
            for stream in victims:
                stream.lock.release()
            if reopening is None or future.cancelled() or future.exception() is not None:
                return
            if self._registered(reopening):
                self._holding[reopening.id] = reopening
            else:  # dropped meanwhile (server shutdown): nobody else will close it
                reopening.close()

        # The locks are released once the descriptors are closed, even if this request is
        # cancelled meanwhile.
        done = asyncio.ensure_future(anyio.to_thread.run_sync(work))
        self._detaching.add(done)
        done.add_done_callback(released)
        await asyncio.shield(done)

    async def settle(self) -> None:
        """Wait for descriptors being given back (before closing every stream)."""
        while self._detaching:
            await asyncio.gather(*self._detaching, return_exceptions=True)

    def _forget(self, stream: Stream) -> None:
        self.reads.pop(stream.id, None)
        self.writes.pop(stream.id, None)
        self._holding.pop(stream.id, None)

    def pop(self, sid: int) -> Stream:
        """Remove stream ``sid`` for closing, else INTERNAL "stream does not exist"."""
        stream: Stream | None = self.reads.get(sid) or self.writes.get(sid)
        if stream is None:
            raise self._missing()
        self._forget(stream)
        return stream

    def finish(self, stream: Stream) -> None:
        """Close a popped stream (blocking): a write stream's file is completed."""
        stream.close()
        if isinstance(stream, WriteStream):
            # Like the real proxy, failures while completing are not reported to the client.
            self._ns.complete(stream.pending, failed=stream.failed)

    def pop_expired(self) -> list[Stream]:
        """Remove and return streams idle for longer than the timeout (not in use)."""
        deadline = time.monotonic() - self.timeout
        expired: list[Stream] = []
        candidates: list[Stream] = [*self.reads.values(), *self.writes.values()]
        for stream in candidates:
            if stream.busy == 0 and not stream.lock.locked() and stream.last_access < deadline:
                self._forget(stream)
                expired.append(stream)
        return expired

    def pop_all(self) -> list[Stream]:
        """Remove every stream (server shutdown)."""
        streams: list[Stream] = [*self.reads.values(), *self.writes.values()]
        self.reads.clear()
        self.writes.clear()
        self._holding.clear()
        return streams

    def discard(self, stream: Stream) -> None:
        """Close a popped stream without completing it (blocking; server shutdown)."""
        stream.close()
        if isinstance(stream, WriteStream):
            self._ns.abort(stream.pending)
