"""The namespace of the embedded proxy: Alluxio paths over local directories.

The root mount is a local directory; further local directories can be mounted. What a local
file system cannot hold (owner, group, mode, pinned, ttl, persisted, the mount table, file ids)
lives in a small SQLite store inside ``ROOT/.alluxio-proxy/`` so it survives restarts. Files
being written live in ``ROOT/.alluxio-proxy/tmp/`` and are moved into place when their stream is
closed, so a file only ever appears under its final name complete.

Every public method takes the raw path parameter, validates and normalises it, and raises
:class:`~alluxio.server._errors.ProxyError` with the status the real master would use.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import grp
import heapq
import itertools
import json
import os
import pwd
import re
import secrets
import shutil
import sqlite3
import stat as stat_mod
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import IO, Any

from .. import _json
from ._errors import ProxyError, Status
from ._options import Dialect, mode_to_int
from ._security import MountPolicy

__all__ = ["DEFAULT_PERSIST_DELAY", "STATE_DIR_NAME", "Mount", "Namespace", "PendingFile"]

DEFAULT_PERSIST_DELAY = 5.0
"""Seconds from closing an ASYNC_THROUGH file to its PERSISTED state, as a real 2.9 cluster
takes (its persistence scheduler, job service and checker each run once a second; measured
4-10 s)."""

STATE_DIR_NAME = ".alluxio-proxy"
# Names starting with this prefix are the proxy's own (state dir, cross-device temp files).
_HIDDEN_PREFIX = ".alluxio-proxy"
_ROOT_MOUNT_ID = 1
_MAX_SEQUENCE = 0xFFFFFF
_DEFAULT_BLOCK_SIZE = {"2.x": 64 << 20, "1.x": 512 << 20}
_DEFAULT_FILE_MODE = 0o644
_NEVER = 1 << 62  # a persistence time (ms) never reached
_DEFAULT_DIR_MODE = 0o755


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@lru_cache(maxsize=256)
def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


@lru_cache(maxsize=256)
def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


@dataclass
class Mount:
    """One entry of the mount table.

    ``path`` is the Alluxio mount point, ``ufs`` the address as given to mount (reported in
    ``ufsPath``), ``local`` the resolved local directory. ``properties`` may hold credentials:
    it is excluded from ``repr`` and never logged.
    """

    path: str
    ufs: str
    local: str
    read_only: bool = False
    shared: bool = False
    mount_id: int = _ROOT_MOUNT_ID
    properties: dict[str, str] = field(default_factory=dict, repr=False)

    def to_json(self) -> str:
        """Serialise for the state store."""
        return json.dumps(
            {
                "ufs": self.ufs,
                "local": self.local,
                "readOnly": self.read_only,
                "shared": self.shared,
                "mountId": self.mount_id,
                "properties": self.properties,
            }
        )


@dataclass(eq=False)
class PendingFile:
    """An incomplete file: its write stream is open, or it was left incomplete for good.

    A file whose stream is open has its bytes in ``temp``. A file written with write type
    NONE, or whose write failed, stays incomplete after its stream is gone, as on a real
    master: ``closed`` is set, ``temp`` is empty and its record survives restarts.
    """

    path: str
    temp: str
    meta: dict[str, Any]
    aborted: bool = False
    stream_id: int = 0
    closed: bool = False
    # Deleted while written through: its bytes still reach the under store when closed.
    orphaned: bool = False


# Write types whose data reaches Alluxio storage before (or instead of) the under store.
_CACHED_ONLY_FIRST = ("MUST_CACHE", "TRY_CACHE", "ASYNC_THROUGH")
# Write types whose data goes to the under store as it is written.
_WRITTEN_THROUGH = ("CACHE_THROUGH", "THROUGH")

# FileInfos kept rendered (about 5 KB each: at most ~50 MB).
_RENDERED_MAX = 10_000

# Entries rendered per batch of a streamed listing (~1 MB of JSON).
_LIST_BATCH = 512
_FIRST_BATCH = 32
# Names sorted in memory per run when a directory is listed; larger directories are sorted
# in runs kept in temporary files (a million names take ~100 MB as Python strings).
_SORT_RUN = 1 << 16
# Directory entries examined together when a directory is read.
_SCAN_CHUNK = 1 << 12
# Bytes read at a time from a spilled run while runs are merged.
_UNSPILL_BLOCK = 1 << 16
# Bytes of packed sorted names kept for unchanged big directories (a million ~10-byte
# names: ~11 MB).
_INDEX_BYTES = 32 << 20
# A directory modified less than this long ago (ns) may be modified again within the same
# time stamp: its sorted names are not kept (so any later change shows in its stamps).
_SETTLED_NS = 2_000_000_000

# What _stat found for a path: its mount, its local path and its stat result.
_Found = tuple[Mount, str, os.stat_result]


class Namespace:
    """The file-system operations of the proxy, over a local root directory.

    All methods are blocking (they touch the disk) and thread-safe; call them from a worker
    thread when serving requests.
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        dialect: Dialect,
        host: str,
        persist_delay: float = DEFAULT_PERSIST_DELAY,
    ) -> None:
        if persist_delay < 0:
            raise ValueError("persist_delay must not be negative")
        self.persist_delay = persist_delay
        os.makedirs(root, exist_ok=True)
        self.root = os.path.realpath(root)
        self.dialect: Dialect = dialect
        self.host = host
        self.state_dir = os.path.join(self.root, STATE_DIR_NAME)
        self.tmp_dir = os.path.join(self.state_dir, "tmp")
        os.makedirs(self.tmp_dir, exist_ok=True)
        # The state store keeps mount properties (credentials): owner-only access.
        os.chmod(self.state_dir, 0o700)
        # A crashed or stopped server leaves unfinished uploads here; they never completed.
        for name in os.listdir(self.tmp_dir):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(self.tmp_dir, name))
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            os.path.join(self.state_dir, "state.sqlite3"),
            check_same_thread=False,
            isolation_level=None,
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (path TEXT PRIMARY KEY, data TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS mounts (path TEXT PRIMARY KEY, data TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value INTEGER)")
        self._meta: dict[str, dict[str, Any]] = {
            p: json.loads(d) for p, d in self._db.execute("SELECT path, data FROM meta")
        }
        self.mounts: dict[str, Mount] = {
            "/": Mount(path="/", ufs=self.root, local=self.root, mount_id=_ROOT_MOUNT_ID)
        }
        for p, d in self._db.execute("SELECT path, data FROM mounts"):
            rec = json.loads(d)
            self.mounts[p] = Mount(
                path=p,
                ufs=rec["ufs"],
                local=rec["local"],
                read_only=rec["readOnly"],
                shared=rec["shared"],
                mount_id=rec["mountId"],
                properties=rec["properties"],
            )
        row = self._db.execute("SELECT value FROM kv WHERE key='next_container'").fetchone()
        self._next_container: int = row[0] if row else 1
        row = self._db.execute("SELECT value FROM kv WHERE key='next_dir_id'").fetchone()
        self._next_dir_id: int = row[0] if row else 1
        self.pending: dict[str, PendingFile] = {}
        # Files left incomplete for good (write type NONE, failed writes) keep their record.
        for p, m in self._meta.items():
            if m.get("incomplete"):
                self.pending[p] = PendingFile(path=p, temp="", meta=m, closed=True)
        # The earliest time (ms) an ASYNC_THROUGH file may become persisted; None: no file
        # is waiting. Persistence is applied lazily, at the start of the next operation.
        self._next_persist: int | None = min(
            (m["persistAt"] for m in self._meta.values() if "persistAt" in m), default=None
        )
        # Where mount sources may lie; the app sets the operator's (default: nowhere).
        self.mount_policy = MountPolicy()
        self.default_owner = _user_name(os.getuid())
        self.default_group = _group_name(os.getgid())
        self.block_size = _DEFAULT_BLOCK_SIZE[dialect]
        # alluxio.user.file.create.ttl.action: FREE in 2.9, DELETE in 1.x.
        self.default_ttl_action = "FREE" if dialect == "2.x" else "DELETE"
        # alluxio.user.file.writetype.default: ASYNC_THROUGH in 2.x, MUST_CACHE in 1.x.
        self.default_write_type = "ASYNC_THROUGH" if dialect == "2.x" else "MUST_CACHE"
        # 1.x reports invalid paths (InvalidPathException) as UNKNOWN.
        self._invalid_status = Status.INVALID_ARGUMENT if dialect == "2.x" else Status.UNKNOWN
        self.worker_id = int.from_bytes(self.root.encode()[-7:].rjust(7, b"\0"), "big") | 1
        # Rendered FileInfos by path, like the master's in-memory inode tree: a listing of
        # unchanged entries costs a lookup each. An entry is reused only while the metadata
        # generation (bumped by every metadata or mount-table change) and its stat agree.
        self._generation = 0
        self._rendered: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
        # Sorted names of big directories by local path, with their count, kept from their
        # last whole listing (see _sorted_children).
        self._name_index: dict[str, tuple[tuple[int, ...], int, bytearray]] = {}
        # Metadata records and id counters changed by the current operation, written to the
        # state store in one statement each when it ends (a first listing of a big directory
        # gives every entry a record: one INSERT per entry ran at ~700 entries/s when busy).
        self._in_op = False
        self._unwritten: dict[str, dict[str, Any]] = {}
        self._counters_unwritten = False

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the state store and discard unfinished uploads."""
        with self._lock:
            for p in list(self.pending.values()):
                if not p.closed:
                    self._abort_pending(p)
            self._write_state()
            self._db.close()

    @contextlib.contextmanager
    def _op(self) -> Iterator[None]:
        # One lock and one transaction per operation: operations are atomic to each other.
        with self._lock:
            self._db.execute("BEGIN")
            self._in_op = True
            try:
                self._settle_persistence()
                yield
            finally:
                self._in_op = False
                self._write_state()
                self._db.execute("COMMIT")

    def _write_state(self) -> None:
        """Write the metadata records and id counters changed since the last write."""
        if self._unwritten:
            rows = [(p, _json.dumps(m).decode()) for p, m in self._unwritten.items()]
            self._unwritten.clear()
            self._db.executemany("INSERT OR REPLACE INTO meta (path, data) VALUES (?, ?)", rows)
        if self._counters_unwritten:
            self._counters_unwritten = False
            self._db.executemany(
                "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                [("next_dir_id", self._next_dir_id), ("next_container", self._next_container)],
            )

    def _settle_persistence(self) -> None:
        """Mark the ASYNC_THROUGH files whose persistence delay has passed as persisted.

        On a real cluster the master's persistence scheduler does this in the background; here
        it happens before the next operation looks, which no client can tell apart.
        """
        if self._next_persist is None or _now_ms() < self._next_persist:
            return
        now = _now_ms()
        upcoming: int | None = None
        for p, m in list(self._meta.items()):
            at = m.get("persistAt")
            if at is None:
                continue
            if at > now:
                upcoming = at if upcoming is None else min(upcoming, at)
                continue
            # (Persisted, its fingerprint is the under store's.)
            done = {k: v for k, v in m.items() if k not in ("persistAt", "fingerprint")}
            done["persisted"] = True
            self._put_meta(p, done)
            self._persist_ancestors(p)
        self._next_persist = upcoming

    def _persist_ancestors(self, path: str) -> None:
        """A file reaching the under store takes its directories there (up to its mount)."""
        parent = _parent(path)
        while parent != "/" and parent != self.mount_of(parent).path:
            if self._kind(parent) != "dir":
                return
            pmeta = self._meta_for(parent, True)
            if not pmeta.get("persisted", True):
                self._put_meta(parent, {**pmeta, "persisted": True})
            # (On up even past a persisted one: a directory a written-through creation made
            # is persisted while the existing ones above it may not be yet.)
            parent = _parent(parent)

    def _put_meta(self, path: str, meta: dict[str, Any]) -> None:
        self._meta[path] = meta
        self._generation += 1
        self._unwritten[path] = meta
        if not self._in_op:
            self._write_state()

    def _drop_meta_prefix(self, path: str) -> None:
        self._write_state()  # (so that no record written later brings a dropped one back)
        self._generation += 1
        for p in [p for p in self._meta if _under(p, path)]:
            del self._meta[p]
        self._db.execute(
            "DELETE FROM meta WHERE path = ? OR substr(path, 1, ?) = ?",
            (path, len(path) + 1, path.rstrip("/") + "/"),
        )

    def _move_meta_prefix(self, src: str, dst: str) -> None:
        moved = {p: m for p, m in self._meta.items() if _under(p, src)}
        self._drop_meta_prefix(src)
        for p, m in moved.items():
            self._put_meta(dst + p[len(src) :], m)

    def _save_mount(self, m: Mount) -> None:
        self._write_state()
        self._generation += 1
        self._db.execute(
            "INSERT OR REPLACE INTO mounts (path, data) VALUES (?, ?)", (m.path, m.to_json())
        )

    def _new_dir_id(self) -> int:
        # Directories get small sequential ids (the root is 0), as the real master's do.
        dir_id = self._next_dir_id
        self._next_dir_id += 1
        self._note_counters()
        return dir_id

    def _new_file_id(self) -> int:
        container = self._next_container
        self._next_container += 1
        self._note_counters()
        # Alluxio file ids are block ids with the maximum sequence number of their container.
        return (container << 24) | _MAX_SEQUENCE

    def _note_counters(self) -> None:
        self._counters_unwritten = True
        if not self._in_op:
            self._write_state()

    def _meta_for(self, path: str, folder: bool | None = None) -> dict[str, Any]:
        """The stored metadata of ``path``, creating a record (with a file id) if needed."""
        meta = self._meta.get(path)
        if meta is None or "fileId" not in meta:
            meta = dict(meta or {})
            if path == "/":
                meta["fileId"] = 0
            elif folder is None:
                folder = self._kind(path) == "dir"
                meta["fileId"] = self._new_dir_id() if folder else self._new_file_id()
            else:
                meta["fileId"] = self._new_dir_id() if folder else self._new_file_id()
            if "pinned" not in meta and self._parent_pinned(path):
                meta["pinned"] = True
            self._put_meta(path, meta)
        return meta

    def _parent_pinned(self, path: str) -> bool:
        """Whether a new entry at ``path`` is pinned: its directory is (as on a master)."""
        if path == "/":
            return False
        parent = self._meta.get(_parent(path))
        return bool(parent and parent.get("pinned", False))

    # ------------------------------------------------------------------ paths

    def normalize(self, raw: str) -> str:
        """Validate a path parameter and return its normal form (``/a/b``)."""
        if not raw.startswith("/") or "\0" in raw:
            raise ProxyError(self._invalid_status, f'Path "{raw}" is invalid.')
        parts: list[str] = []
        for comp in raw.split("/"):
            if comp in ("", "."):
                continue
            if comp == "..":
                if not parts:
                    raise ProxyError(self._invalid_status, f'Path "{raw}" is invalid.')
                parts.pop()
                continue
            if comp.startswith(_HIDDEN_PREFIX):
                raise ProxyError(
                    Status.INVALID_ARGUMENT,
                    f'Path "{raw}" is invalid: names starting with {_HIDDEN_PREFIX} are '
                    "reserved by the embedded proxy.",
                )
            parts.append(comp)
        return "/" + "/".join(parts)

    def mount_of(self, path: str) -> Mount:
        """The mount whose mount point is the longest prefix of ``path``."""
        best = self.mounts["/"]
        for mp, m in self.mounts.items():
            if _under(path, mp) and len(mp) > len(best.path):
                best = m
        return best

    def resolve(self, path: str) -> tuple[Mount, str]:
        """Map a normal Alluxio path to its mount and local path, refusing escapes."""
        m = self.mount_of(path)
        rel = path[len(m.path) :].lstrip("/")
        local = os.path.join(m.local, rel) if rel else m.local
        if rel:
            real = os.path.realpath(local)
            inside = real == m.local or real.startswith(m.local.rstrip(os.sep) + os.sep)
            in_state = real == self.state_dir or real.startswith(self.state_dir + os.sep)
            if not inside or in_state:
                raise ProxyError(
                    Status.PERMISSION_DENIED,
                    f"Permission denied: {path} resolves outside the under storage of its "
                    f"mount point {m.path}",
                )
        return m, local

    def _stat(self, path: str) -> _Found | None:
        m, local = self.resolve(path)
        try:
            st = os.stat(local)
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                raise ProxyError(Status.INVALID_ARGUMENT, f'Path "{path}" is invalid.') from None
            raise
        if not (stat_mod.S_ISDIR(st.st_mode) or stat_mod.S_ISREG(st.st_mode)):
            return None
        return m, local, st

    def _kind(self, path: str) -> str | None:
        """``"file"``, ``"dir"`` or None; files being written count as files."""
        if path in self.pending:
            return "file"
        found = self._stat(path)
        if found is None:
            return None
        return "dir" if stat_mod.S_ISDIR(found[2].st_mode) else "file"

    def _require(self, path: str) -> str:
        kind = self._kind(path)
        if kind is None:
            self._check_traversal(path)
            raise ProxyError(Status.NOT_FOUND, f'Path "{path}" does not exist.')
        return kind

    def _check_writable(self, path: str, m: Mount | None = None) -> None:
        m = m or self.mount_of(path)
        if m.read_only:
            raise ProxyError(
                Status.PERMISSION_DENIED,
                f"A write operation on {path} under a readonly mount point {m.path} is not allowed",
            )

    def _scan_chunks(self, path: str, links: list[str] | None = None) -> Iterator[list[str]]:
        """Names of the entries of directory ``path`` (hidden names, escaping symlinks and
        special files left out; files being written not included), in lists of at most
        ``_SCAN_CHUNK``. Plain files and directories are picked out by comprehensions over
        the directory's entries (a listing's first batch waits for the whole directory to
        be read: 1M names by a Python loop per entry took seconds). The names of symlinks
        met are added to ``links``."""
        _m, local = self.resolve(path)
        try:
            with os.scandir(local) as it:
                while entries := list(itertools.islice(it, _SCAN_CHUNK)):
                    names = [
                        entry.name
                        for entry in entries
                        if (
                            entry.is_file(follow_symlinks=False)
                            or entry.is_dir(follow_symlinks=False)
                        )
                        and not entry.name.startswith(_HIDDEN_PREFIX)
                    ]
                    if len(names) < len(entries):  # symlinks, special files or hidden names
                        linked = [
                            entry.name
                            for entry in entries
                            if entry.is_symlink() and not entry.name.startswith(_HIDDEN_PREFIX)
                        ]
                        if links is not None:
                            links += linked
                        names += [name for name in linked if self._link_inside(path, name)]
                    yield names
        except (FileNotFoundError, NotADirectoryError):
            pass

    def _link_inside(self, path: str, name: str) -> bool:
        """Whether symlink ``name`` in directory ``path`` leads to a file or directory inside
        its mount (symlinks leading out of it are not part of the namespace)."""
        try:
            return self._stat(_join(path, name)) is not None
        except ProxyError:
            return False

    def _scan(self, path: str) -> Iterator[str]:
        """The names of :meth:`_scan_chunks`, one by one."""
        for names in self._scan_chunks(path):
            yield from names

    def _pending_names(self, path: str) -> list[str]:
        return [p.rsplit("/", 1)[1] for p in self.pending if _parent(p) == path and p != "/"]

    def _children(self, path: str) -> list[str]:
        """Names of the entries of directory ``path`` (sorted, hidden names left out)."""
        names = list({*self._scan(path), *self._pending_names(path)})
        _sort_names(names)
        return names

    def _child_count(self, path: str) -> int:
        """``len(self._children(path))`` without holding the names (a directory's length)."""
        pending = set(self._pending_names(path))
        index = self._valid_index(path)
        if index is not None:
            count, packed = index
            return count + sum(1 for name in pending if not _packed_holds(packed, name))
        count = 0
        for names in self._scan_chunks(path):
            count += len(names)
            if pending:  # a file being written may also be on disk by now
                pending.difference_update(names)
        return count + len(pending)

    def _valid_index(self, path: str) -> tuple[int, bytearray] | None:
        """The count and packed sorted names of directory ``path`` kept from its last whole
        listing, if the directory is unchanged since (see :func:`_settled_key`)."""
        if not self._name_index:
            return None
        _m, local = self.resolve(path)
        held = self._name_index.get(local)
        if held is None or held[0] != _settled_key(local):
            return None
        return held[1], held[2]

    def _sorted_children(self, path: str) -> Iterator[str]:
        """:meth:`_children` in bounded memory, for listings: the directory is scanned now
        (under the lock) and sorted in runs of ``_SORT_RUN`` names, each beyond the first
        kept in a temporary file; the names are merged from the runs as they are taken.

        A big directory's sorted names are kept (packed: ~10 bytes per name) once a listing
        has taken them all; while the directory stays unchanged, the next listing starts
        from them instead of reading and sorting it again (a million names: ~1 s)."""
        runs: list[IO[bytes]] = []
        names: list[str] = []
        try:
            with self._lock:
                pending = self._pending_names(path)
                java_order = _sort_names(pending)
                index = self._valid_index(path)
                if index is None:
                    _m, local = self.resolve(path)
                    key = _settled_key(local)
                    links: list[str] = []
                    for chunk in self._scan_chunks(path, links):
                        names += chunk
                        if len(names) >= _SORT_RUN:
                            java_order |= _sort_names(names)
                            runs.append(_spill(names, self.tmp_dir))
                            names = []
            if index is not None:
                disk: Iterator[str] = _packed_names(index[1])
            else:
                java_order |= _sort_names(names)
                order = _java_order if java_order else None
                disk = heapq.merge(*map(_unspill, runs), names, key=order) if runs else iter(names)
                if key is not None and not links and runs:
                    # (not while its symlinks' targets may change what the directory holds)
                    disk = self._indexing(local, key, disk)
            if pending and index is not None:
                java_order |= bool(_SUPPLEMENTARY_UTF8.search(index[1]))
            merged = (
                heapq.merge(disk, pending, key=_java_order if java_order else None)
                if pending
                else disk
            )
            previous = None
            for name in merged:
                if name != previous:  # a file being written may also be on disk by now
                    yield name
                previous = name
        finally:
            for run in runs:
                run.close()

    def _indexing(self, local: str, key: tuple[int, ...], names: Iterator[str]) -> Iterator[str]:
        """``names`` (a directory's sorted names), packed as they pass; kept in the name
        index once they have all passed (an abandoned listing keeps nothing)."""
        packed = bytearray()
        count = 0
        for chunk in iter(lambda: list(itertools.islice(names, _SCAN_CHUNK)), []):
            packed += os.fsencode("\0".join(chunk))
            packed += b"\0"
            count += len(chunk)
            yield from chunk
        if len(packed) > _INDEX_BYTES:
            return
        with self._lock:
            index = self._name_index
            index.pop(local, None)
            while index and sum(len(held[2]) for held in index.values()) + len(packed) > (
                _INDEX_BYTES
            ):
                del index[next(iter(index))]  # the oldest
            index[local] = (key, count, packed)

    def _descendants(self, path: str) -> Iterator[str]:
        """Pre-order walk below ``path`` (not including it), children sorted by name."""
        for name in self._children(path):
            child = _join(path, name)
            yield child
            if self._kind(child) == "dir":
                yield from self._descendants(child)

    def _check_traversal(self, path: str, status_1x: str = Status.UNKNOWN) -> None:
        """Refuse ``path`` if an ancestor is a file, as a master's inode traversal does.

        2.9: INVALID_ARGUMENT; 1.8: ``status_1x`` (UNKNOWN, creations INVALID_ARGUMENT).
        """
        prefix = ""
        for i, name in enumerate(path.strip("/").split("/")[:-1], start=1):
            prefix = f"{prefix}/{name}"
            kind = self._kind(prefix)
            if kind is None:
                return
            if kind == "file":
                if self.dialect == "1.x":
                    raise ProxyError(
                        status_1x, f"Traversal failed. Component {i}({name}) is a file"
                    )
                raise ProxyError(
                    Status.INVALID_ARGUMENT,
                    f"Traversal failed for path {path}. Component {i}({name}) is a file, not "
                    "a directory.",
                )

    def _first_missing(self, path: str) -> str:
        """The shortest ancestor of ``path`` that does not exist (``path`` if all do)."""
        prefix = ""
        for name in path.strip("/").split("/"):
            prefix = f"{prefix}/{name}"
            if self._kind(prefix) is None:
                return prefix
        return path

    def _ensure_parent(self, path: str, recursive: bool, opts: dict[str, Any]) -> list[str]:
        """Check (or with ``recursive`` create) the ancestors of ``path``; returns those it
        created."""
        parts = path.strip("/").split("/")
        prefix = ""
        created: list[str] = []
        for i, name in enumerate(parts[:-1], start=1):
            prefix = f"{prefix}/{name}"
            kind = self._kind(prefix)
            if kind == "file":
                self._check_traversal(path, Status.INVALID_ARGUMENT)
            if kind is None:
                if not recursive:
                    raise ProxyError(
                        # 1.8 masters report the missing parent as UNKNOWN.
                        Status.NOT_FOUND if self.dialect == "2.x" else Status.UNKNOWN,
                        f"File {path} creation failed. Component {i}({name}) does not exist",
                    )
                m, local = self.resolve(prefix)
                self._check_writable(prefix, m)
                os.mkdir(local)
                # Extended attributes go to every new path unless only the leaf gets them.
                inherited = {}
                if opts.get("xattr") and opts.get("xattrPropStrat", "NEW_PATHS") == "NEW_PATHS":
                    inherited["xattr"] = opts["xattr"]
                if "writeType" in opts:
                    # Created with the write type asked for: written through, they are in
                    # the under store at once (even if the creation then fails).
                    inherited["writeType"] = opts["writeType"]
                if self.dialect == "2.x" and "commonOptions" in opts:
                    # So does the TTL: the whole new branch expires together.
                    inherited["commonOptions"] = opts["commonOptions"]
                meta = self._new_meta(prefix, folder=True, opts=inherited)
                self._put_meta(prefix, meta)
                created.append(prefix)
        return created

    def _stamp_ancestor(self, ancestor: str, opts: dict[str, Any]) -> None:
        """What a 2.9.6 master's createPath does to the deepest existing directory above the
        new path: with extended attributes propagated to new paths (the default), they
        replace that directory's own."""
        if self.dialect != "2.x" or not opts.get("xattr"):
            return
        if opts.get("xattrPropStrat", "NEW_PATHS") == "NEW_PATHS":
            self._update_meta(ancestor, {"xattr": dict(opts["xattr"])})

    def _new_meta(self, path: str, *, folder: bool, opts: dict[str, Any]) -> dict[str, Any]:
        common = opts.get("commonOptions", {})
        ttl = opts.get("ttl", common.get("ttl"))
        ttl_action = opts.get("ttlAction", common.get("ttlAction"))
        write_type = opts.get("writeType", self.default_write_type)
        # Written through: a directory is in the under store at once, a file when complete.
        # Other directories get there with their first persisted file, ASYNC_THROUGH files
        # later (see complete), cache-only and NONE files never.
        persisted = write_type in _WRITTEN_THROUGH
        meta: dict[str, Any] = {
            "fileId": self._new_dir_id() if folder else self._new_file_id(),
            "creationTimeMs": _now_ms(),
            "owner": self.default_owner,
            "group": self.default_group,
            "mode": (
                mode_to_int(opts["mode"])
                if "mode" in opts
                else (_DEFAULT_DIR_MODE if folder else _DEFAULT_FILE_MODE)
            ),
            "persisted": persisted,
        }
        meta["writeType"] = write_type
        if self._parent_pinned(path):
            meta["pinned"] = True
        if opts.get("xattr"):
            meta["xattr"] = dict(opts["xattr"])
        if write_type == "THROUGH" or (
            write_type == "CACHE_THROUGH" and opts.get("replicationMin", 0) > 1
        ):
            # Written straight to the under store (or its copies in Alluxio storage could not
            # be placed: one worker, more copies asked): nothing of it is in Alluxio storage.
            meta["cached"] = False
        if not folder and "persistenceWaitTime" in opts:
            meta["persistenceWaitTime"] = opts["persistenceWaitTime"]
        if ttl is not None:
            meta["ttl"] = ttl
        if ttl_action is not None:
            meta["ttlAction"] = ttl_action
        if not folder:
            meta["blockSizeBytes"] = opts.get("blockSizeBytes", self.block_size)
            for key in ("replicationMax", "replicationMin", "replicationDurable"):
                if key in opts:
                    meta[key] = opts[key]
            if meta.get("replicationMin", 0) < 0:
                # A master creates the file with no minimum (set-attribute refuses instead).
                meta["replicationMin"] = 0
            if opts.get("replicationMin", 0) > 0:
                # Keeping a minimum number of copies in Alluxio storage pins the file.
                meta["pinned"] = True
        return meta

    # ------------------------------------------------------------------ FileInfo

    def _info(self, path: str, found: _Found | None = None) -> dict[str, Any]:
        pending = self.pending.get(path)
        if pending is not None:
            meta = pending.meta
            now = meta.get("lastModificationTimeMs", meta["creationTimeMs"])
            m = self.mount_of(path)
            return self._render(path, m, meta, folder=False, length=0, mtime=now, complete=False)
        if found is None:
            found = self._stat(path)
        if found is None:
            self._check_traversal(path)
            raise ProxyError(Status.NOT_FOUND, f'Path "{path}" does not exist.')
        m, _local, st = found
        folder = stat_mod.S_ISDIR(st.st_mode)
        meta = self._meta_for(path, folder)
        # A directory's length is its number of children, as the real master reports.
        length = self._child_count(path) if folder else st.st_size
        key = (
            self._generation,
            m.mount_id,
            st.st_ino,
            st.st_mode,
            st.st_uid,
            st.st_gid,
            st.st_mtime_ns,
            st.st_ctime_ns,
            length,
        )
        cached = self._rendered.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
        mode = st.st_mode & 0o777
        if m.shared:
            # What a master loads from a shared mount: others get the owner's permissions.
            mode |= (mode >> 6) & 0o7
        defaults = {
            "owner": _user_name(st.st_uid),
            "group": _group_name(st.st_gid),
            "mode": mode,
            "creationTimeMs": st.st_mtime_ns // 1_000_000,
        }
        merged = {**defaults, **meta}
        info = self._render(
            path,
            m,
            merged,
            folder=folder,
            length=length,
            # File system timestamps are coarser than the clock that stamped the creation:
            # never report a modification before the creation (Alluxio never does).
            mtime=max(st.st_mtime_ns // 1_000_000, merged["creationTimeMs"]),
            complete=True,
        )
        if len(self._rendered) >= _RENDERED_MAX:
            del self._rendered[next(iter(self._rendered))]  # the oldest entry
        self._rendered[path] = (key, info)
        return info

    def _render(
        self,
        path: str,
        m: Mount,
        meta: dict[str, Any],
        *,
        folder: bool,
        length: int,
        mtime: int,
        complete: bool,
    ) -> dict[str, Any]:
        file_id: int = meta["fileId"]
        container = file_id >> 24
        block_size = int(meta.get("blockSizeBytes", self.block_size))
        # An incomplete file counts as held in Alluxio storage (its blocks are being
        # written there), even when written through (as both 2.9.6 and 1.8.1 report it).
        cached = not folder and (meta.get("cached", True) or not complete)
        # Written through: in the under store from its creation on, as a master reports it
        # (unless its write failed and it was left incomplete).
        persisted = bool(meta.get("persisted", True)) and not meta.get("incomplete", False)
        # A block in no worker's storage is read from the under store: a master names the
        # under store's host (here, as on a single-node cluster, the worker's).
        ufs_locations = [self.host] if persisted and not cached else []
        block_ids: list[int] = []
        block_infos: list[dict[str, Any]] = []
        if not folder and complete and block_size > 0:
            count = -(-length // block_size)
            for i in range(count):
                block_id = (container << 24) | i
                block_ids.append(block_id)
                blen = min(block_size, length - i * block_size)
                block_infos.append(
                    {
                        "blockInfo": {
                            "blockId": block_id,
                            "length": blen,
                            "locations": [self._location()] if cached else [],
                        },
                        "offset": i * block_size,
                        "ufsLocations": list(ufs_locations),
                    }
                )
        if persisted:
            state = "PERSISTED"
        elif "persistAt" in meta or (
            not complete and meta.get("writeType") == "ASYNC_THROUGH" and self.dialect == "2.x"
        ):
            state = "TO_BE_PERSISTED"
        else:
            state = "NOT_PERSISTED"
        rel = path[len(m.path) :].lstrip("/")
        ufs_path = m.ufs if not rel else m.ufs.rstrip("/") + "/" + rel
        # An empty file has no blocks to be missing: always wholly in Alluxio storage.
        pct = 100 if cached or (not folder and complete and length == 0) else 0
        mode: int = meta["mode"]
        fingerprint = ""
        # Extended attributes given by the client, bytes as base64 like protobuf's JSON.
        xattr: dict[str, str] = dict(meta.get("xattr", {}))
        if persisted and not folder and complete:
            content_hash = f"(len:{length}, modtime:{mtime})"
            fingerprint = (
                f"TYPE|FILE UFS|local OWNER|{meta['owner']} GROUP|{meta['group']} MODE|{mode} "
                f"CONTENT_HASH|{content_hash.replace(' ', '_')} "
            )
            if self.dialect == "1.x":
                # 1.8.1's Fingerprint separates with ':' and escapes ':' in values as '_'.
                fingerprint = (
                    f"TYPE:FILE UFS:local OWNER:{meta['owner']} GROUP:{meta['group']} "
                    f"MODE:{mode} CONTENT_HASH:{content_hash.replace(' ', '_').replace(':', '_')} "
                )
            through = meta.get("writeType") in _WRITTEN_THROUGH
            if through and not meta.get("etagInXattr"):
                # Files written through to the under store carry its etag (bytes: base64).
                xattr["s3_etag"] = base64.b64encode(content_hash.encode()).decode()
        if not folder and "fingerprint" in meta:
            fingerprint = meta["fingerprint"]  # as a set-attribute left it (see there)
        info: dict[str, Any] = {
            "blockIds": block_ids,
            "blockSizeBytes": 0 if folder else block_size,
            "cacheable": not folder,
            "completed": complete,
            "creationTimeMs": meta["creationTimeMs"],
            "fileBlockInfos": block_infos,
            "fileId": file_id,
            "folder": folder,
            "group": meta["group"],
            "inAlluxioPercentage": pct,
            "inMemoryPercentage": pct,
            "lastAccessTimeMs": meta.get("lastAccessTimeMs", mtime),
            "lastModificationTimeMs": mtime,
            "length": length,
            "mode": mode,
            "mountId": m.mount_id,
            # The root mount is not reported as a mount point (real 2.9.6 and 1.8.1 agree).
            "mountPoint": path != "/" and path in self.mounts,
            "name": "" if path == "/" else path.rsplit("/", 1)[1],
            "owner": meta["owner"],
            "path": path,
            "persisted": persisted,
            "persistenceState": state,
            "pinned": bool(meta.get("pinned", False)),
            "replicationMax": meta.get("replicationMax", 0 if folder else -1),
            "replicationMin": meta.get("replicationMin", 0),
            "ttl": meta.get("ttl", -1),
            "ttlAction": meta.get("ttlAction", self.default_ttl_action),
            "ufsFingerprint": fingerprint,
            "ufsPath": ufs_path,
        }
        if self.dialect == "2.x":
            owner, group = meta["owner"], meta["group"]
            info["acl"] = {
                "owner": owner,
                "owningGroup": group,
                "stringEntries": list(_acl_entries(mode)),
            }
            # Only directories carry a (here empty) default ACL of their own.
            info["defaultAcl"] = {
                "owner": owner if folder else "",
                "owningGroup": group if folder else "",
                "stringEntries": [],
            }
            info["xattr"] = xattr
            # URIStatus also serialises its wrapped wire FileInfo (with mediumTypes).
            info["fileInfo"] = {**info, "mediumTypes": []}
            info["pinnedMediumTypes"] = []
            info["cacheContext"] = None
        else:
            # 1.8 FileInfo has no replication or last-access fields yet.
            for key in ("lastAccessTimeMs", "replicationMax", "replicationMin"):
                del info[key]
        return info

    def _location(self) -> dict[str, Any]:
        address: dict[str, Any] = {
            "host": self.host,
            "rpcPort": 29999,
            "dataPort": 29999,
            "webPort": 30000,
        }
        loc: dict[str, Any] = {"workerId": self.worker_id, "tierAlias": "MEM"}
        address.update(
            {
                "domainSocketPath": "",
                "tieredIdentity": {
                    "tiers": [
                        {"tierName": "node", "value": self.host},
                        {"tierName": "rack", "value": None},
                    ]
                },
            }
        )
        if self.dialect == "2.x":
            address["containerHost"] = ""
            loc["mediumType"] = "MEM"
        loc["workerAddress"] = address
        return loc

    # ------------------------------------------------------------------ operations

    def create_directory(self, raw: str, opts: dict[str, Any]) -> None:
        """create-directory: ``recursive`` creates parents, ``allowExists`` tolerates a dir."""
        path = self.normalize(raw)
        with self._op():
            kind = self._kind(path)
            self._check_creatable(path, kind)
            if kind is not None:
                if kind == "dir" and opts.get("allowExists", False):
                    return
                if kind == "file" and opts.get("allowExists", False) and self.dialect == "2.x":
                    # 2.9.6 accepts the existing path, then takes it for a directory.
                    raise ProxyError(
                        Status.UNKNOWN, f"Inode {path.rsplit('/', 1)[1]} is not a directory"
                    )
                raise ProxyError(
                    Status.ALREADY_EXISTS,
                    f"Not allowed to create directory because path already exists: {path}"
                    if self.dialect == "2.x"
                    else f"{path} already exists",
                )
            _m, local = self.resolve(path)
            ancestor = _parent(self._first_missing(path))
            self._ensure_parent(path, opts.get("recursive", False), opts)
            self._stamp_ancestor(ancestor, opts)
            os.mkdir(local)
            meta = self._new_meta(path, folder=True, opts=opts)
            self._put_meta(path, meta)
            if meta["persisted"]:
                # A directory created in the under store takes its ancestors there.
                self._persist_ancestors(path)

    def _check_creatable(self, path: str, kind: str | None) -> None:
        """A master locks the path (its traversal may fail), then refuses a write under a
        read-only mount, and only then looks whether the path exists."""
        if kind is None:
            self._check_traversal(path, Status.INVALID_ARGUMENT)
        self._check_writable(path)

    def create_file(self, raw: str, opts: dict[str, Any]) -> PendingFile:
        """create-file: reserve the path and start an upload into a temporary file."""
        path = self.normalize(raw)
        with self._op():
            kind = self._kind(path)
            self._check_creatable(path, kind)
            overwrite = opts.get("overwrite", False)
            if kind is not None and not overwrite:
                raise ProxyError(
                    Status.ALREADY_EXISTS,
                    f"{path} already exists. If you want to overwrite the file, you need to "
                    "specify the overwrite option."
                    if self.dialect == "2.x"
                    else f"{path} already exists",
                )
            if kind == "dir":
                raise ProxyError(
                    Status.ALREADY_EXISTS,
                    f"{path} already exists. Directories cannot be overwritten with create",
                )
            rmax, rmin = opts.get("replicationMax", -1), opts.get("replicationMin", 0)
            if kind == "file" and rmax != -1 and rmin > rmax:
                # The master removed the old file from Alluxio before it refused the new
                # one: what of it is in the under store is found there again (once loaded;
                # see "Metadata loading" in the embedded-vs-real guide).
                old = self._current_meta(path)
                if old.get("persisted", True) and path not in self.pending:
                    self._put_meta(path, self._as_loaded(path, old))
                else:
                    self._delete_file(path)
                raise ProxyError(Status.UNKNOWN, None)
            if kind == "file":
                # overwrite: the old file goes now, the new one appears when closed.
                self._delete_file(path)
            block_size = opts.get("blockSizeBytes", self.block_size)
            if block_size <= 0:
                raise ProxyError(
                    Status.INVALID_ARGUMENT,
                    f"Block size of {block_size} is invalid. Block size must be > 0 bytes.",
                )
            ancestor = _parent(self._first_missing(path))
            # 1.x CreateFileOptions default to recursive; the 2.x defaults do not.
            made = self._ensure_parent(path, opts.get("recursive", self.dialect == "1.x"), opts)
            if kind is None:
                # (An overwrite deleted the old file in the same operation: no new path.)
                self._stamp_ancestor(ancestor, opts)
            if opts.get("writeType", self.default_write_type) in _WRITTEN_THROUGH:
                # Written through: its directories reach the under store as the path is
                # created, before the file's own options are checked.
                self._persist_ancestors(path)
            if rmax != -1 and rmin > rmax:
                # The master's argument check fails without a message.
                raise ProxyError(Status.UNKNOWN, None)
            fd, temp = tempfile.mkstemp(dir=self.tmp_dir, suffix=".part")
            os.close(fd)
            pending = PendingFile(
                path=path, temp=temp, meta=self._new_meta(path, folder=False, opts=opts)
            )
            shares = opts.get("xattrPropStrat", "NEW_PATHS") == "NEW_PATHS"
            if made and shares and self.dialect == "2.x":
                # 2.9.6 gives the new directories the file's own map of extended attributes
                # (one object): what completing the file puts in (the under store's etag)
                # shows on them too.
                pending.meta["xattrSharedWith"] = made
            self.pending[path] = pending
            return pending

    def check_write(self, pending: PendingFile, written: int = 0) -> None:
        """Refuse a write that a cluster of one worker cannot take, as 2.9.6 does.

        A ``replicationMin`` above 1 asks for more workers than there are: each write of a
        file cached in Alluxio storage fails (and the file is never completed); a file
        written through completes without its copy in Alluxio storage (see _new_meta).
        A write that starts a block (``written`` bytes so far) of a file cached in Alluxio
        storage fails once the file is gone (deleted, unmounted): the worker asks the master
        for it. If another file took its path (a rename with overwrite), the master finds
        that one and the write goes on (its data is lost; measured on 2.9.6).
        """
        gone = pending.aborted or pending.orphaned or self.pending.get(pending.path) is not pending
        if gone:
            with self._lock:
                gone = self._kind(pending.path) is None
        block_size = int(pending.meta.get("blockSizeBytes", self.block_size))
        cached_first = pending.meta.get("writeType") in _CACHED_ONLY_FIRST
        if gone and cached_first and block_size > 0 and written % block_size == 0:
            raise ProxyError(
                Status.UNKNOWN, f'Failed to cache: Path "{pending.path}" does not exist.'
            )
        rmin = int(pending.meta.get("replicationMin", 0))
        if pending.meta.get("writeType") == "ASYNC_THROUGH":
            # Until persisted, an ASYNC_THROUGH file keeps replicationDurable copies.
            rmin = max(rmin, int(pending.meta.get("replicationDurable", 1)))
        if rmin > 1 and pending.meta.get("writeType") in _CACHED_ONLY_FIRST:
            raise ProxyError(
                Status.UNKNOWN,
                "Failed to cache: Not enough workers for replications, 1 workers selected but "
                f"{rmin} required",
            )

    def complete(self, pending: PendingFile, *, failed: bool = False) -> bool:
        """Finish an upload whose stream was closed; False if the file is not complete.

        The bytes move into place and the file completes, except: with write type NONE the
        data never reaches the under store and the file stays incomplete (as a real master
        leaves it); after a failed write (``failed``), or when moving into place fails (a full
        disk), the file is left incomplete too, never complete with truncated contents.
        """
        with self._op():
            if pending.orphaned and not pending.aborted and not failed:
                return self._land_orphan(pending)
            if pending.aborted or self.pending.get(pending.path) is not pending:
                _unlink_quiet(pending.temp)
                return False
            path = pending.path
            meta = pending.meta
            if failed or meta.get("writeType") == "NONE":
                self._leave_incomplete(pending)
                return False
            try:
                _m, local = self.resolve(path)
                if self._kind(_parent(path)) != "dir" or os.path.lexists(local):
                    del self.pending[path]
                    _unlink_quiet(pending.temp)
                    return False
                # The under store gets the file's mode (the proxy keeps read-write access).
                os.chmod(pending.temp, (meta["mode"] & 0o777) | 0o600)
                _replace(pending.temp, local)
            except (OSError, ProxyError):
                self._leave_incomplete(pending)
                return False
            del self.pending[path]
            shared = meta.pop("xattrSharedWith", [])
            if meta.get("writeType") == "ASYNC_THROUGH":
                wait_ms = int(meta.get("persistenceWaitTime", 0))
                # A wait time of -1 persists only on demand: never, here.
                at = (
                    _NEVER
                    if wait_ms < 0
                    else _now_ms() + wait_ms + round(self.persist_delay * 1000)
                )
                meta = {**meta, "persistAt": at}
                self._next_persist = (
                    at if self._next_persist is None else min(self._next_persist, at)
                )
            self._put_meta(path, meta)
            if meta.get("persisted", True):
                self._persist_ancestors(path)
            etag = self._info(path).get("xattr", {}).get("s3_etag")
            for directory in shared if etag else []:
                if self._kind(directory) == "dir":
                    dmeta = self._meta_for(directory, True)
                    self._put_meta(
                        directory, {**dmeta, "xattr": {**dmeta.get("xattr", {}), "s3_etag": etag}}
                    )
            return True

    def _land_orphan(self, pending: PendingFile) -> bool:
        """The file was deleted while written through: its bytes land in the under store
        (unless its place is taken or gone), and the file is there again as a master loads it
        from there: only what the under store keeps (mode, owner), nothing in Alluxio storage."""
        path, meta = pending.path, pending.meta
        try:
            _m, local = self.resolve(path)
            if self._kind(path) is not None or self._kind(_parent(path)) != "dir":
                _unlink_quiet(pending.temp)
                return False
            os.chmod(pending.temp, (meta["mode"] & 0o777) | 0o600)
            _replace(pending.temp, local)
        except (OSError, ProxyError):
            _unlink_quiet(pending.temp)
            return False
        self._put_meta(path, self._as_loaded(path, meta))
        return True

    def _as_loaded(self, path: str, meta: dict[str, Any]) -> dict[str, Any]:
        """A file's metadata as a master loads it from the under store (after it forgot
        the file): mode and owner kept, nothing in Alluxio storage, a new id."""
        loaded = {
            "fileId": self._new_file_id(),
            "creationTimeMs": _now_ms(),
            "owner": meta.get("owner", self.default_owner),
            "group": meta.get("group", self.default_group),
            "persisted": True,
            "writeType": "THROUGH",
            "cached": False,
            "blockSizeBytes": self.block_size,
        }
        if "mode" in meta:
            loaded["mode"] = meta["mode"]
        if self._parent_pinned(path):
            loaded["pinned"] = True
        return loaded

    def _leave_incomplete(self, pending: PendingFile) -> None:
        _unlink_quiet(pending.temp)
        pending.temp = ""
        pending.closed = True
        pending.meta = {**pending.meta, "incomplete": True, "lastModificationTimeMs": _now_ms()}
        self._put_meta(pending.path, pending.meta)

    def abort(self, pending: PendingFile) -> None:
        """Discard an upload (server shutdown)."""
        with self._op():
            self._abort_pending(pending)

    def _abort_pending(self, pending: PendingFile) -> None:
        pending.aborted = True
        if self.pending.get(pending.path) is pending:
            del self.pending[pending.path]
        if pending.temp:
            _unlink_quiet(pending.temp)
        if pending.closed:
            self._drop_meta_prefix(pending.path)

    def delete(self, raw: str, opts: dict[str, Any]) -> None:
        """delete: files, empty directories, or with ``recursive`` whole trees."""
        path = self.normalize(raw)
        with self._op():
            if self._kind(path) is None:
                self._check_traversal(path)
            # A write under a read-only mount is refused before the path is looked up.
            self._check_writable(path)
            kind = self._require(path)
            recursive = opts.get("recursive", False)
            if kind == "dir" and not recursive and self._children(path):
                # The real master names the directory, not its path, here (the root's name
                # is empty).
                name = path.rsplit("/", 1)[1]
                raise ProxyError(
                    Status.FAILED_PRECONDITION,
                    f"Cannot delete non-empty directory {name} because recursive is set to false",
                )
            if path == "/":
                raise ProxyError(self._invalid_status, "Cannot delete the root directory")
            inner = [p for p in self.mounts if p != "/" and _under(p, path)]
            # (1.8 has no deleteMountPoint: its recursive delete takes mount points along.)
            if self.dialect == "2.x" and recursive and inner and not opts.get("deleteMountPoint"):
                raise ProxyError(
                    Status.PERMISSION_DENIED,
                    f"Cannot delete path {path} which is or contains a mount point without "
                    "--deleteMountPoint/-m option specified",
                )
            # A recursive delete takes the contents of the mounted directories with it (not
            # the directories themselves), as on a real master; unmounting keeps everything.
            wipe = recursive and not opts.get("alluxioOnly", False)
            for mp in sorted(inner):
                m = self.mounts[mp]
                if wipe and m.read_only and mp != path:
                    raise ProxyError(
                        Status.PERMISSION_DENIED,
                        f"Cannot delete directory {path}. Failed to delete children: A write "
                        f"operation on {mp} under a readonly mount point MountInfo{{AlluxioURI="
                        f"{mp}, UfsURI={m.ufs}}} is not allowed",
                    )
            if path in self.mounts:
                self._unmount_deleting(path, wipe)
                return
            m, local = self.resolve(path)
            self._check_writable(path, m)
            if kind == "file":
                self._delete_file(path, orphan=True)
                return
            for mp in sorted(inner, reverse=True):
                self._unmount_deleting(mp, wipe)
            for p in [p for p in self.pending if _under(p, path)]:
                self._abort_pending(self.pending[p])
            shutil.rmtree(local)
            self._drop_meta_prefix(path)

    def _delete_file(self, path: str, *, orphan: bool = False) -> None:
        """Remove a file; with ``orphan`` a file being written through to the under store
        leaves its stream writing there (a real worker's under-store file is complete when the
        stream is closed, and the master then finds it there)."""
        pending = self.pending.get(path)
        if pending is not None:
            through = pending.meta.get("writeType") in _WRITTEN_THROUGH
            if through and self.dialect == "1.x":
                # A 1.8 worker creates the under-store file with the first write.
                try:
                    through = bool(pending.temp) and os.path.getsize(pending.temp) > 0
                except OSError:
                    through = False
            if orphan and through and not pending.closed:
                del self.pending[path]
                pending.orphaned = True
                self._drop_meta_prefix(path)
                return
            self._abort_pending(pending)
            return
        _m, local = self.resolve(path)
        os.unlink(local)
        self._drop_meta_prefix(path)

    def exists(self, raw: str) -> bool:
        """exists: whether the path names a file (also one being written) or directory."""
        try:
            path = self.normalize(raw)
        except ProxyError:
            # The real proxy answers false for relative or empty paths instead of failing.
            return False
        with self._lock:
            return self._kind(path) is not None

    def free(self, raw: str, opts: dict[str, Any]) -> None:
        """free: drop files from the (emulated) cache; reported by in*Percentage."""
        path = self.normalize(raw)
        with self._op():
            kind = self._require(path)
            targets = [path]
            if kind == "dir":
                if self._children(path) and not opts.get("recursive", False):
                    raise ProxyError(
                        Status.UNKNOWN,
                        f"Cannot free directory {path} which is not empty. Please set the "
                        '"recursive" flag of free operation to true',
                    )
                targets = list(self._descendants(path))
            files = [p for p in targets if self._kind(p) == "file"]
            forced = opts.get("forced", False)
            for p in files:
                pending = self.pending.get(p)
                meta = pending.meta if pending is not None else self._meta_for(p)
                # (A file being written through is persisted already, and can be freed.)
                if not meta.get("persisted", True):
                    raise ProxyError(Status.UNKNOWN, f"Cannot free file {p} which is not persisted")
                if meta.get("pinned", False) and not forced:
                    raise ProxyError(
                        Status.UNKNOWN,
                        f"Cannot free file {p} which is pinned. Please unpin it first or set "
                        'the "forced" flag of free operation to true',
                    )
            for p in files:
                if p not in self.pending:  # (its blocks are still being written)
                    self._put_meta(p, {**self._meta_for(p), "cached": False})

    def get_status(self, raw: str) -> dict[str, Any]:
        """get-status: the FileInfo object of a path."""
        path = self.normalize(raw)
        with self._op():
            self._require(path)
            return self._info(path)

    def list_status(self, raw: str, opts: dict[str, Any]) -> list[dict[str, Any]]:
        """list-status: a directory's entries (``recursive``: all descendants); a file: itself."""
        return [info for batch in self.list_status_batches(raw, opts) for info in batch]

    def list_status_batches(self, raw: str, opts: dict[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """list-status for streaming: the path is checked by this call (a ProxyError is raised
        here, before any answer starts); the entries then come in batches of at most
        ``_LIST_BATCH``, each rendered under the lock as the directory is read, so neither
        the listing nor the lock is held whole (the first batch is smaller:
        ``_FIRST_BATCH``). An entry removed meanwhile is left out."""
        path = self.normalize(raw)
        with self._op():
            if self._require(path) == "file":
                batches: Iterator[list[dict[str, Any]]] = iter([[self._info(path)]])
            else:
                batches = self._render_batches(
                    self._walk(path, recursive=opts.get("recursive", False))
                )
        if opts.get("excludeMountInfo", False):
            # A 2.9 master then leaves out every entry's under-store path and mount id.
            return ([_without_mount_info(i) for i in b] for b in batches)
        return batches

    def _walk(self, path: str, *, recursive: bool) -> Iterator[tuple[str, _Found | None]]:
        """The entries of directory ``path`` (``recursive``: pre-order, as
        :meth:`_descendants`), in bounded memory, each with its stat when it is a plain
        entry of the directory (so rendering it needs no path resolution)."""
        with self._lock:
            m, local = self.resolve(path)
        for name in self._sorted_children(path):
            child = _join(path, name)
            found = None
            if child not in self.mounts and child not in self.pending:
                child_local = os.path.join(local, name)
                try:
                    st = os.lstat(child_local)
                except FileNotFoundError:
                    continue  # removed since the directory was read
                if stat_mod.S_ISDIR(st.st_mode) or stat_mod.S_ISREG(st.st_mode):
                    found = (m, child_local, st)
            yield child, found
            if recursive:
                if found is None:
                    with self._lock:
                        folder = self._kind(child) == "dir"
                else:
                    folder = stat_mod.S_ISDIR(found[2].st_mode)
                if folder:
                    yield from self._walk(child, recursive=True)

    def _render_batches(
        self, entries: Iterator[tuple[str, _Found | None]]
    ) -> Iterator[list[dict[str, Any]]]:
        # A small first batch: the client has entries to work on sooner.
        size = _FIRST_BATCH
        while chunk := list(itertools.islice(entries, size)):
            size = _LIST_BATCH
            with self._op():
                batch = []
                for child, found in chunk:
                    try:
                        batch.append(self._info(child, found))
                    except ProxyError as exc:
                        if exc.status != Status.NOT_FOUND:  # removed since it was listed
                            raise
            yield batch

    def mount(self, raw: str, src: str, opts: dict[str, Any]) -> None:
        """mount: attach a local directory (``/abs`` or ``file:///abs``) at a new path."""
        path = self.normalize(raw)
        v1 = self.dialect == "1.x"

        def failed(message: str, *, acquired: bool = False) -> ProxyError:
            # A 2.9 master reports every mount failure as UNKNOWN, prefixed with the mount
            # command and its options (once a mount id is taken, that id too).
            if v1:
                return ProxyError(Status.UNKNOWN, message)
            head = f"mount command: alluxio fs mount {path} {src} option {_mount_context(opts)}\n"
            if acquired:
                head += f"Acquired mount ID for the new mount point: {secrets.randbits(63)}\n"
            return ProxyError(Status.UNKNOWN, head + message)

        exists_text = (
            f"Mount point {path} already exists"
            if v1
            else f"Mount point target path {path} already exists in Alluxio namespace. "
            "Try mounting to another path."
        )
        with self._op():
            if self._kind(path) is None:
                # Locking the mount point's path traverses it first.
                try:
                    self._check_traversal(path)
                except ProxyError as exc:
                    raise exc if v1 else failed(exc.message or "") from None
            outer = self.mount_of(path)
            if outer.read_only:
                # A master checks the write (creating the mount point) first.
                text = (
                    f"A write operation on {path} under a readonly mount point {outer.path} is "
                    "not allowed"
                )
                if v1:
                    raise ProxyError(Status.PERMISSION_DENIED, text)
                raise failed(text)
            if opts.get("remount"):
                # 2.9.6 unmounts the path first, failing as unmount does when it is no mount
                # point; when it was one, its check for an existing mount point (made before)
                # then fails the mount: the mount point is gone, nothing is mounted anew.
                try:
                    self._unmount_checked(path)
                except ProxyError as exc:
                    raise failed(exc.message or "") from None
                raise failed(exists_text)
            if self._kind(path) is not None:
                raise failed(exists_text)
            if outer.path != "/" and not v1:
                # Deliberate difference (see docs/guides/embedded-vs-real.md): a 2.9 master
                # mounts inside another mount; this proxy keeps mount points in its root.
                raise ProxyError(
                    Status.INVALID_ARGUMENT,
                    f"Mount point {path} is nested under mount point {outer.path}; the "
                    "embedded proxy mounts only under the root mount",
                )
            if src.startswith("file://"):
                local_src = src[len("file://") :]
            elif src.startswith("/"):
                local_src = src
            else:
                raise ProxyError(
                    Status.INVALID_ARGUMENT, f"No Under File System Factory found for: {src}"
                )
            if not local_src.startswith("/"):
                raise ProxyError(Status.INVALID_ARGUMENT, f"Ufs path {src} is invalid")
            # Java's File reports a name with NUL as absent (the real proxy answers the same
            # as for a missing directory); realpath would raise instead.
            real = "" if "\x00" in local_src else os.path.realpath(local_src)
            self.mount_policy.check(src, real)

            def check_mount_table() -> None:
                if outer.path != "/":
                    raise failed(f"Mount point {outer.path} is a prefix of {path}")
                for other in self.mounts.values():
                    if real and _overlaps(real, other.local):
                        a, b = (
                            (src, other.ufs) if len(real) <= len(other.local) else (other.ufs, src)
                        )
                        raise failed(f"Mount point {a} is a prefix of {b}")

            if not v1:
                check_mount_table()
            if real and _overlaps(real, self.state_dir):
                raise failed(f"Mount point {src} is a prefix of {self.root}")
            if not real or not os.path.isdir(real):
                # A file is no directory to mount: the local under store calls it missing.
                raise failed(f"Ufs path {src} does not exist", acquired=True)
            if v1:
                # 1.8 looks at the under store before the mount table.
                check_mount_table()
            # The mount point is created last, once the under store was checked.
            parent = _parent(path)
            pkind = self._kind(parent)
            if pkind is None:
                missing = self._first_missing(path)
                name = missing.rsplit("/", 1)[1]
                text = (
                    f"File {path} creation failed. Component {missing.count('/')}({name}) does "
                    "not exist"
                )
                if v1:
                    raise failed(text)
                raise failed(f"Failed to mount {src} at {path}: \n{text}", acquired=True)
            if pkind == "file":
                raise ProxyError(
                    Status.INVALID_ARGUMENT, f'Path "{parent}" is a file, not a directory.'
                )
            _m, placeholder = self.resolve(path)
            os.mkdir(placeholder)
            m = Mount(
                path=path,
                ufs=src.rstrip("/") or "/",
                local=real,
                read_only=opts.get("readOnly", False),
                shared=opts.get("shared", False),
                mount_id=secrets.randbits(62) + 2,
                properties=dict(opts.get("properties", {})),
            )
            self.mounts[path] = m
            self._save_mount(m)
            # A mount point is the root of an under store: persisted from the start.
            meta = {**self._new_meta(path, folder=True, opts={}), "persisted": True}
            # Its owner, group and mode are the under-store directory's, as a master loads them.
            for key in ("owner", "group", "mode"):
                del meta[key]
            self._put_meta(path, meta)
            self._persist_ancestors(path)

    def unmount(self, raw: str) -> None:
        """unmount: detach a mount point; the mounted directory keeps its data."""
        path = self.normalize(raw)
        with self._op():
            self._unmount_checked(path)

    def _unmount_checked(self, path: str) -> None:
        """Unmount ``path``, or raise the error an unmount of it answers."""
        if path != "/" and path in self.mounts:
            self._unmount(path)
            return
        if self._kind(path) is None:
            self._check_traversal(path)
        if self.dialect == "1.x":
            if self._kind(path) is None:
                raise ProxyError(Status.UNKNOWN, f'Path "{path}" does not exist.')
            raise ProxyError(
                Status.UNKNOWN,
                f"Failed to unmount {path}. Please ensure the path is an existing mount "
                "point and not root.",
            )
        if path == "/":
            raise ProxyError(
                Status.INVALID_ARGUMENT,
                "Failed to unmount /. Please ensure the path is an existing mount point "
                "and not root.",
            )
        if self._kind(path) is None:
            raise ProxyError(Status.NOT_FOUND, f"Failed to unmount: Path {path} does not exist")
        raise ProxyError(
            Status.INVALID_ARGUMENT,
            f"Failed to unmount {path}. Please ensure the path is an existing mount point.",
        )

    def _unmount_deleting(self, path: str, wipe: bool) -> None:
        m = self.mounts[path]
        if wipe and not m.read_only:
            for p in [p for p in self.pending if _under(p, path)]:
                self._abort_pending(self.pending[p])
            for name in self._children(path):
                child = os.path.join(m.local, name)
                if os.path.isdir(child) and not os.path.islink(child):
                    shutil.rmtree(child)
                else:
                    os.unlink(child)
        self._unmount(path)

    def _unmount(self, path: str) -> None:
        for p in [p for p in self.pending if _under(p, path)]:
            self._abort_pending(self.pending[p])
        del self.mounts[path]
        self._write_state()
        self._db.execute("DELETE FROM mounts WHERE path = ?", (path,))
        self._drop_meta_prefix(path)
        _m, placeholder = self.resolve(path)
        with contextlib.suppress(OSError):
            os.rmdir(placeholder)

    def rename(self, raw: str, raw_dst: str, opts: dict[str, Any] | None = None) -> None:
        """rename: move a file or directory (also into other directories of the same mount).

        With ``s3SyntaxOptions.overwrite`` (2.x) an existing destination is replaced in the
        same step, whatever it is: a file, or a directory with everything in it, as a 2.9.6
        master does (a concurrent reader sees the old entry or the new one, never neither).
        """
        s3 = (opts or {}).get("s3SyntaxOptions") or {}
        overwrite = bool(s3.get("overwrite", False))
        src = self.normalize(raw)
        # AlluxioURI takes a "?" as the start of a query: the destination ends there.
        dst = self.normalize(raw_dst.split("?", 1)[0])
        with self._op():
            # A master locks both paths first, the lesser one (Java's String order) first:
            # either may fail the traversal.
            for p in sorted((src, dst), key=_java_order):
                if self._kind(p) is None:
                    self._check_traversal(p)
            # A write under a read-only mount is refused before the path is looked up.
            self._check_writable(src)
            self._check_writable(dst)
            self._require(src)
            if dst == src:
                # A real master accepts renaming a path onto itself (even the root), and
                # changes nothing.
                return
            if src == "/":
                raise ProxyError(self._invalid_status, "The root directory cannot be renamed")
            if dst == "/":
                raise ProxyError(self._invalid_status, "Cannot rename a path to the root directory")
            cross = ProxyError(
                self._invalid_status, f"Renaming {src} to {dst} is a cross mount operation"
            )
            # A move between mounts is refused first; a mount point is the root of its mount:
            # moving it (or a directory holding one) is across mounts too, refused after the
            # prefix check (all before a master looks at the destination or its parent).
            src_mount = self.mount_of(src)
            if src_mount is not self.mount_of(dst):
                raise cross
            if _under(dst, src) and dst != src:
                raise ProxyError(
                    self._invalid_status, f"Cannot rename because {src} is a prefix of {dst}"
                )
            if any(_under(mp, src) for mp in self.mounts):
                raise cross
            if dst in self.mounts:
                # (From inside the mount: the same mount, yet not onto its root.)
                raise ProxyError(
                    self._invalid_status, f"{dst} is a mount point and cannot be renamed onto"
                )
            replaced = self._kind(dst)
            if replaced is not None and overwrite and _under(src, dst):
                # A 2.9.6 master accepts this, then died (NoSuchElementException in
                # InodeTreePersistentState.applyRename, a fatal journal error) or hung
                # holding the path's locks: measured once each.
                raise ProxyError(
                    Status.INVALID_ARGUMENT,
                    f"Cannot rename because {dst} is a prefix of {src}, and replacing it "
                    "would remove the source",
                )
            if replaced is not None and not overwrite:
                if self.dialect == "1.x":
                    # A 1.8 master reports this as UNKNOWN, in fewer words.
                    raise ProxyError(Status.UNKNOWN, f"{dst} already exists")
                raise ProxyError(
                    Status.ALREADY_EXISTS,
                    f"Cannot rename because destination already exists. src: {src} dst: {dst}",
                )
            if self.dialect == "2.x":
                self._check_traversal(dst)
            dparent = _parent(dst)
            pkind = self._kind(dparent)
            if pkind is None:
                raise ProxyError(Status.NOT_FOUND, f'Path "{dparent}" does not exist.')
            if pkind == "file":
                raise ProxyError(
                    Status.INVALID_ARGUMENT, f'Path "{dparent}" is a file, not a directory.'
                )
            self._check_writable(src, src_mount)
            if replaced is not None:
                self._remove_replaced(dst, replaced)
            pending = self.pending.get(src)
            if pending is None:
                _a, local_src = self.resolve(src)
                _b, local_dst = self.resolve(dst)
                os.rename(local_src, local_dst)
            for p in [p for p in self.pending if _under(p, src)]:
                pf = self.pending.pop(p)
                pf.path = dst + p[len(src) :]
                self.pending[pf.path] = pf
            self._move_meta_prefix(src, dst)

    def _remove_replaced(self, path: str, kind: str) -> None:
        """Remove the destination a rename with overwrite replaces (the lock is held)."""
        if kind == "file":
            self._delete_file(path)
            return
        # Mount points inside a replaced directory are dropped from the namespace; the data
        # they show stays in their under stores (as on a real master).
        for mp in sorted((p for p in self.mounts if p != "/" and _under(p, path)), reverse=True):
            self._unmount(mp)
        for p in [p for p in self.pending if _under(p, path)]:
            self._abort_pending(self.pending[p])
        _m, local = self.resolve(path)
        shutil.rmtree(local)
        self._drop_meta_prefix(path)

    def set_attribute(self, raw: str, opts: dict[str, Any]) -> None:
        """set-attribute: owner, group, mode, pinned, persisted, ttl, replication.

        As a master does, a recursive call sets the descendants first, then the path; for
        each entry pinning and replication take effect at once (on a directory: for its
        whole subtree), then ``persisted`` is checked, then the rest is applied. A failure
        therefore leaves what was done before it.
        """
        path = self.normalize(raw)
        with self._op():
            if self.dialect == "1.x":
                # A 1.8 master refuses any set-attribute under a read-only mount, first.
                if self._kind(path) is None:
                    self._check_traversal(path)
                self._check_writable(path)
            kind = self._require(path)
            targets = [path]
            if kind == "dir" and opts.get("recursive", False):
                targets = [*self._descendants(path), path]
            if any(k in opts for k in ("owner", "group", "mode")):
                self._check_writable(path)
            owner, group = opts.get("owner"), opts.get("group")
            if owner and group and not _user_in_group(owner, group):
                # The master checks the new owner against the group mapping (the OS's).
                raise ProxyError(
                    Status.UNKNOWN,
                    f"Could not update owner:group for {path} to {owner}:{group}. "
                    "alluxio.exception.status.FailedPreconditionException: "
                    f"Owner {owner} does not belong to the group {group}",
                )
            common = opts.get("commonOptions", {})
            rest: dict[str, Any] = {k: opts[k] for k in ("owner", "group") if k in opts}
            if "mode" in opts:
                rest["mode"] = mode_to_int(opts["mode"])
            ttl = opts.get("ttl", common.get("ttl"))
            ttl_action = opts.get("ttlAction", common.get("ttlAction"))
            if ttl is not None:
                rest["ttl"] = ttl
            if ttl_action is not None:
                rest["ttlAction"] = ttl_action
            # The under-store fingerprint a master computed for one entry, kept for the rest.
            shared: list[str] = []
            for target in targets:
                self._set_attributes_of(target, opts, rest, shared)

    def _set_attributes_of(
        self, path: str, opts: dict[str, Any], rest: dict[str, Any], shared: list[str]
    ) -> None:
        folder = self._kind(path) == "dir"
        subtree = [path, *self._descendants(path)] if folder else [path]
        if "pinned" in opts:
            # Pinning a directory pins (or unpins) its whole subtree; a pinned file keeps a
            # copy in Alluxio storage (its minimum replication), a directory has none.
            pinned = bool(opts["pinned"])
            for p in subtree:
                change: dict[str, Any] = {"pinned": pinned}
                # (Before a replicationMin in the same request is looked at.)
                if self._kind(p) == "file":
                    change["replicationMin"] = 1 if pinned else 0
                self._update_meta(p, change)
        if "replicationMax" in opts or "replicationMin" in opts:
            # Replication is a property of files' blocks: set on a directory, it goes to
            # every file below it; a minimum above 0 pins.
            change = {k: opts[k] for k in ("replicationMax", "replicationMin") if k in opts}
            if change.get("replicationMin", 0) < 0:
                # (After pinning, which stays done.)
                raise ProxyError(Status.UNKNOWN, "Min replication must be a non-negative integer")
            for p in subtree:
                if self._kind(p) != "file":
                    continue
                # Checked file by file (in the order a master walks the subtree): a refusal
                # leaves the files before it changed.
                meta = self._current_meta(p)
                rmax = change.get("replicationMax", meta.get("replicationMax", -1))
                rmin = change.get("replicationMin", meta.get("replicationMin", 0))
                if rmax != -1 and rmax < rmin:
                    raise ProxyError(
                        Status.UNKNOWN,
                        f"Cannot set min and max replication to be {rmin} and {rmax}: min "
                        "replication must be smaller or equal than max replication",
                    )
                # Whatever ``pinned`` asked for: pinned exactly when a copy must stay.
                self._update_meta(p, {**change, "pinned": rmin > 0})
        change = dict(rest)
        if any(k in rest for k in ("owner", "group", "mode")):
            self._update_fingerprint(path, folder, opts, rest, shared)
        if shared:
            change["fingerprint"] = shared[0]
        if self.dialect == "1.x":
            # A 1.8 master sets the TTL before it looks at ``persisted``.
            ttl_change: dict[str, Any] = {
                k: change.pop(k) for k in ("ttl", "ttlAction") if k in change
            }
            if ttl_change:
                self._update_meta(path, ttl_change)
        if "persisted" in opts:
            if folder:
                raise ProxyError(Status.UNKNOWN, "Only files can be persisted")
            if path in self.pending:
                raise ProxyError(Status.UNKNOWN, "File being persisted must be complete")
            if not opts["persisted"]:
                raise ProxyError(Status.UNKNOWN, "Cannot set the state of a file to not-persisted")
        if opts.get("persisted"):
            change["persisted"] = True
        xattr_update = opts.get("xattr")
        if xattr_update:
            # (An empty map changes nothing, whatever the strategy.)
            strategy = opts.get("xattrUpdateStrategy", "UNION_REPLACE")
            # The under store's etag is one of the attributes the strategy applies to.
            old = dict(self._info(path).get("xattr", {}))
            change["xattr"] = _update_xattr(old, xattr_update, strategy)
            change["etagInXattr"] = True
        if change:
            self._update_meta(path, change)
        if opts.get("persisted"):
            # A file in the under store has its directories there.
            self._persist_ancestors(path)

    def _update_fingerprint(
        self,
        path: str,
        folder: bool,
        opts: dict[str, Any],
        rest: dict[str, Any],
        shared: list[str],
    ) -> None:
        """The under-store fingerprint after a change of owner, group or mode, as a master
        computes it for an entry in the under store (a complete file or a directory): its
        fingerprint parsed (which trims the values), the new values put in (2.9.6: the mode as
        protobuf text). The master keeps the result for the whole request (``shared``): the
        entries set after this one get it too, even those not in the under store (as 2.9.6
        and 1.8.1 do)."""
        meta = self._current_meta(path)
        if not meta.get("persisted", True) or meta.get("incomplete") or path in self.pending:
            return
        info = self._info(path)
        sep = "|" if self.dialect == "2.x" else ":"
        existing = meta.get("fingerprint")
        if existing is None and folder:
            existing = (
                f"TYPE{sep}DIRECTORY UFS{sep}local OWNER{sep}{info['owner']} "
                f"GROUP{sep}{info['group']} MODE{sep}{info['mode']} "
            )
        elif existing is None:
            existing = info["ufsFingerprint"]
        tags: dict[str, str] = {}
        for token in existing.split(" "):
            if token.strip() and sep in token:
                tag, value = token.split(sep, 1)
                tags[tag] = value.strip()
        for key in ("owner", "group"):
            if key in rest:
                tags[key.upper()] = str(rest[key])
        if "mode" in rest:
            if self.dialect == "2.x":
                mode = opts["mode"]
                tags["MODE"] = "".join(
                    f"{k}: {mode[k]}\n" for k in ("ownerBits", "groupBits", "otherBits")
                )
            else:
                tags["MODE"] = str(rest["mode"])
        text = "".join(
            f"{tag}{sep}{value.replace(' ', '_').replace(sep, '_')} " for tag, value in tags.items()
        )
        shared[:] = [text]

    def _current_meta(self, path: str) -> dict[str, Any]:
        pending = self.pending.get(path)
        return pending.meta if pending is not None else self._meta_for(path)

    def _update_meta(self, path: str, change: dict[str, Any]) -> None:
        pending = self.pending.get(path)
        if pending is not None:
            pending.meta.update(change)
        else:
            self._put_meta(path, {**self._meta_for(path), **change})

    def open_file(self, raw: str, opts: dict[str, Any]) -> tuple[str, int]:
        """open-file: open a complete file for reading; returns (path, file descriptor)."""
        path = self.normalize(raw)
        with self._op():
            kind = self._require(path)
            if kind == "dir":
                if self.dialect == "1.x":
                    # 1.x names the directory, and calls it a missing file.
                    name = path.rsplit("/", 1)[1]
                    raise ProxyError(
                        Status.NOT_FOUND, f"Cannot read from {name} because it is a directory"
                    )
                raise ProxyError(
                    Status.UNKNOWN, f"Cannot read from {path} because it is a directory"
                )
            if path in self.pending:
                if self.dialect == "1.x":
                    # A 1.8 master opens an incomplete file; it has no complete block to read.
                    return path, os.open(os.devnull, os.O_RDONLY)
                raise ProxyError(
                    Status.UNKNOWN,
                    f"Cannot read from {path} because it is incomplete. Wait for the file to be "
                    "marked as complete by the writing thread or application.",
                )
            _m, local = self.resolve(path)
            fd = os.open(local, os.O_RDONLY)
            meta = self._meta_for(path)
            update: dict[str, Any] = {}
            if opts.get("readType", "CACHE") != "NO_CACHE" and not meta.get("cached", True):
                update["cached"] = True
            if opts.get("updateLastAccessTime", True):
                update["lastAccessTimeMs"] = _now_ms()
            if update:
                self._put_meta(path, {**meta, **update})
            return path, fd


def _without_mount_info(info: dict[str, Any]) -> dict[str, Any]:
    # The under store's block locations come from the mount too.
    blocks = [{**b, "ufsLocations": []} for b in info["fileBlockInfos"]]
    out = {**info, "ufsPath": "", "mountId": 0, "fileBlockInfos": blocks}
    if isinstance(info.get("fileInfo"), dict):
        # The wire FileInfo repeated inside: without them too.
        out["fileInfo"] = {
            **info["fileInfo"],
            "ufsPath": "",
            "mountId": 0,
            "fileBlockInfos": blocks,
        }
    return out


def _update_xattr(old: dict[str, str], new: dict[str, str], strategy: str) -> dict[str, str]:
    """Extended attributes after a set-attribute with ``strategy`` (XAttrUpdateStrategy)."""
    if strategy == "TRUNCATE":
        return dict(new)
    if strategy == "UNION_PRESERVE":
        return {**new, **old}
    if strategy == "DELETE_KEYS":
        return {k: v for k, v in old.items() if k not in new}
    return {**old, **new}


@lru_cache(maxsize=1024)
def _acl_entries(mode: int) -> tuple[str, str, str]:
    """The base ACL entries of a mode, as FileInfo's ``acl.stringEntries`` spells them."""
    return (f"user::{_rwx(mode >> 6)}", f"group::{_rwx(mode >> 3)}", f"other::{_rwx(mode)}")


def _rwx(bits: int) -> str:
    return ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-") + ("x" if bits & 1 else "-")


def _user_in_group(user: str, group: str) -> bool:
    """Whether the OS group mapping puts ``user`` in ``group`` (what Alluxio's default
    ShellBasedUnixGroupsMapping asks ``id -gn``/``id -Gn``)."""
    try:
        entry = pwd.getpwnam(user)
        return group in {grp.getgrgid(gid).gr_name for gid in os.getgrouplist(user, entry.pw_gid)}
    except (KeyError, OSError):
        return False


def _mount_context(opts: dict[str, Any]) -> str:
    """The mount options as a 2.9 master prints them (``MountContext{ProtoOptions=...}``).

    Protobuf text format, fields in field-number order, with the defaults the master fills
    in. Property values are replaced: they may be credentials, and error messages must not
    carry secrets (a deliberate difference from the real message).
    """
    lines = [f"readOnly: {_proto_bool(opts.get('readOnly', False))}"]
    for key in opts.get("properties", {}):
        lines += ["properties {", f"  key: {_proto_str(key)}", '  value: "<hidden>"', "}"]
    lines.append(f"shared: {_proto_bool(opts.get('shared', False))}")
    common = opts.get("commonOptions", {})
    lines.append("commonOptions {")
    if "syncIntervalMs" in common:
        lines.append(f"  syncIntervalMs: {common['syncIntervalMs']}")
    lines.append(f"  ttl: {common.get('ttl', -1)}")
    lines.append(f"  ttlAction: {common.get('ttlAction', 'FREE')}")
    op = common.get("operationId")
    if op is not None:
        lines.append("  operationId {")
        for k in ("mostSignificantBits", "leastSignificantBits"):
            if k in op:
                lines.append(f"    {k}: {op[k]}")
        lines.append("  }")
    lines.append("}")
    if "remount" in opts:
        lines.append(f"remount: {_proto_bool(opts['remount'])}")
    return "MountContext{ProtoOptions=" + "\n".join(lines) + "\n}"


def _proto_bool(value: object) -> str:
    return "true" if value else "false"


def _proto_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _under(path: str, prefix: str) -> bool:
    return prefix == "/" or path == prefix or path.startswith(prefix + "/")


def _overlaps(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip("/") + "/") or b.startswith(a.rstrip("/") + "/")


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] or "/"


def _join(parent: str, name: str) -> str:
    return f"/{name}" if parent == "/" else f"{parent}/{name}"


def _unlink_quiet(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


_counter = itertools.count()


def _replace(temp: str, local: str) -> None:
    """Move ``temp`` to ``local`` atomically, also across file systems (mounted dirs)."""
    try:
        os.replace(temp, local)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        staged = os.path.join(
            os.path.dirname(local), f"{_HIDDEN_PREFIX}-{os.getpid()}-{next(_counter)}.part"
        )
        try:
            shutil.copyfile(temp, staged)
            os.replace(staged, local)
        finally:
            _unlink_quiet(staged)
            _unlink_quiet(temp)


def _spill(names: list[str], directory: str) -> IO[bytes]:
    """Write sorted ``names`` to an anonymous temporary file (NUL-separated: no name has one)."""
    run = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - the caller closes it
    try:
        run.write(os.fsencode("\0".join(names)) + b"\0")
        run.seek(0)
    except BaseException:
        run.close()
        raise
    return run


_SUPPLEMENTARY = re.compile("[\U00010000-\U0010ffff]")
_SUPPLEMENTARY_UTF8 = re.compile(b"[\xf0-\xf4]")


def _java_order(name: str) -> bytes:
    return name.encode("utf-16-be", "surrogatepass")


def _sort_names(names: list[str]) -> bool:
    """Sort ``names`` in place in the order of Java's ``String.compareTo`` (UTF-16 code
    units), the order in which a 2.9.6 master lists a directory; True when it differs from
    code point order for these names (some are beyond U+FFFF: they sort before U+E000)."""
    joined = "".join(names)
    if joined.isascii() or not _SUPPLEMENTARY.search(joined):
        names.sort()
        return False
    names.sort(key=_java_order)
    return True


def _settled_key(local: str) -> tuple[int, int, int, int] | None:
    """What identifies the state of directory ``local`` by its time stamps: adding, removing
    or renaming an entry changes them. None when the directory changed too recently for
    a later change to be sure to show (time stamps have a coarse clock's granularity)."""
    try:
        st = os.stat(local)
    except OSError:
        return None
    if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) < _SETTLED_NS:
        return None
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def _packed_names(packed: bytearray) -> Iterator[str]:
    """The names of NUL-terminated ``packed`` names, decoded a block at a time."""
    start, size = 0, len(packed)
    while start < size:
        end = packed.find(b"\0", min(start + _UNSPILL_BLOCK, size - 1))
        yield from os.fsdecode(bytes(packed[start:end])).split("\0")
        start = end + 1


def _packed_holds(packed: bytearray, name: str) -> bool:
    """Whether NUL-terminated ``packed`` names include ``name``."""
    needle = os.fsencode(name) + b"\0"
    found = packed.find(needle)
    while found > 0 and packed[found - 1] != 0:
        found = packed.find(needle, found + 1)
    return found >= 0


def _unspill(run: IO[bytes]) -> Iterator[str]:
    # Small reads: a merge holds one block's names per run at a time (blocks of 1 MiB held
    # ~60 MB of names over the 16 runs of a million names).
    rest = b""
    while block := run.read(_UNSPILL_BLOCK):
        names, _, rest = (rest + block).rpartition(b"\0")
        if names:
            yield from os.fsdecode(names).split("\0")
