"""The stream cache: open read and write streams, ids, idle expiry.

Mirrors the real proxy's ``StreamCache``: one counter (first id 1) shared by read and write
streams, ids never reused within a process, streams dropped after ``timeout`` seconds without
access. Dropping (closing or expiring) a write stream completes its file.

Dictionary mutations happen on the event loop thread only; blocking work (closing files,
moving uploads into place) is done by the callers in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import BinaryIO

from ._errors import ProxyError, Status
from ._fs import Namespace, PendingFile

__all__ = ["ReadStream", "StreamCache", "WriteStream"]


@dataclass(eq=False)
class ReadStream:
    """An open-file stream: a read-only file descriptor positioned where reading stopped."""

    id: int
    path: str
    fd: int
    last_access: float = field(default_factory=time.monotonic)
    busy: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def close(self) -> None:
        """Close the descriptor (blocking)."""
        with contextlib.suppress(OSError):
            os.close(self.fd)


@dataclass(eq=False)
class WriteStream:
    """A create-file stream: appends to the upload's temporary file."""

    id: int
    pending: PendingFile
    file: BinaryIO
    written: int = 0
    last_access: float = field(default_factory=time.monotonic)
    busy: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # A write failed (a full disk...): closing leaves the file incomplete, never truncated.
    failed: bool = False


class StreamCache:
    """Open streams by id, with the real proxy's id and expiry rules."""

    def __init__(self, namespace: Namespace, timeout: float) -> None:
        self._ns = namespace
        self.timeout = timeout
        self._ids = itertools.count(1)
        self.reads: dict[int, ReadStream] = {}
        self.writes: dict[int, WriteStream] = {}

    def add_read(self, path: str, fd: int) -> int:
        """Register an opened file; returns its stream id."""
        sid = next(self._ids)
        self.reads[sid] = ReadStream(id=sid, path=path, fd=fd)
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
        self.writes[sid] = WriteStream(id=sid, pending=pending, file=handle)
        return sid

    @staticmethod
    def _missing() -> ProxyError:
        return ProxyError(Status.INTERNAL, "stream does not exist")

    def get_read(self, sid: int) -> ReadStream:
        """The read stream ``sid`` (touching it), else INTERNAL "stream does not exist"."""
        stream = self.reads.get(sid)
        if stream is None:
            raise self._missing()
        stream.last_access = time.monotonic()
        return stream

    def get_write(self, sid: int) -> WriteStream:
        """The write stream ``sid`` (touching it), else INTERNAL "stream does not exist"."""
        stream = self.writes.get(sid)
        if stream is None:
            raise self._missing()
        stream.last_access = time.monotonic()
        return stream

    def pop(self, sid: int) -> ReadStream | WriteStream:
        """Remove stream ``sid`` for closing, else INTERNAL "stream does not exist"."""
        stream: ReadStream | WriteStream | None = self.reads.pop(sid, None)
        if stream is None:
            stream = self.writes.pop(sid, None)
        if stream is None:
            raise self._missing()
        return stream

    def finish(self, stream: ReadStream | WriteStream) -> None:
        """Close a popped stream (blocking): a write stream's file is completed."""
        if isinstance(stream, ReadStream):
            stream.close()
            return
        try:
            stream.file.close()
        except OSError:
            stream.failed = True
        # Like the real proxy, failures while completing are not reported to the client.
        self._ns.complete(stream.pending, failed=stream.failed)

    def pop_expired(self) -> list[ReadStream | WriteStream]:
        """Remove and return streams idle for longer than the timeout (not in use)."""
        deadline = time.monotonic() - self.timeout
        expired: list[ReadStream | WriteStream] = []
        candidates: list[ReadStream | WriteStream] = [*self.reads.values(), *self.writes.values()]
        for stream in candidates:
            if stream.busy == 0 and not stream.lock.locked() and stream.last_access < deadline:
                self.reads.pop(stream.id, None)
                self.writes.pop(stream.id, None)
                expired.append(stream)
        return expired

    def pop_all(self) -> list[ReadStream | WriteStream]:
        """Remove every stream (server shutdown)."""
        streams: list[ReadStream | WriteStream] = [*self.reads.values(), *self.writes.values()]
        self.reads.clear()
        self.writes.clear()
        return streams

    def discard(self, stream: ReadStream | WriteStream) -> None:
        """Close a popped stream without completing it (blocking; server shutdown)."""
        if isinstance(stream, ReadStream):
            stream.close()
            return
        with contextlib.suppress(OSError):
            stream.file.close()
        self._ns.abort(stream.pending)
