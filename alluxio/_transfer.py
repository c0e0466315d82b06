"""Recursive upload and download between the local file system and Alluxio.

A transfer is planned first (what to create, which files, how many bytes) and then run with
``threads`` workers sharing one :class:`~alluxio.Client` (its ``httpx`` pool is thread-safe).

Destinations are atomic per file: a file only ever appears under its final name complete.
Downloads are written to ``NAME.part-XXXXXXXX`` next to the destination and moved into place
with :func:`os.replace`; uploads are written to ``/dir/.NAME.alluxio-py-tmp-XXXXXXXX`` and
renamed. A failure or an interruption (``KeyboardInterrupt``) removes the temporary file, so
files that were complete stay and no partial file is left under a destination name.

Naming follows ``cp`` and HdfsCLI: if the destination is an existing directory, the source is
copied into it under its own name; otherwise the destination is the new name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import posixpath
import queue
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from . import option
from ._core import TEMP_MARKER, check_path, is_unicode, temp_name
from .exceptions import AlluxioError, AlreadyExistsError, HTTPError, NotFoundError
from .wire import FileInfo

if TYPE_CHECKING:
    from .client import Client

__all__ = [
    "FileTask",
    "OnError",
    "Progress",
    "TransferPlan",
    "download",
    "plan_copy",
    "plan_download",
    "plan_upload",
    "run_copy",
    "run_download",
    "run_upload",
    "upload",
]

OnError = Callable[["FileTask", BaseException], None]
"""``on_error(task, error)``: called from a worker thread when one file of a transfer failed
with an Alluxio, HTTP or local file error; the transfer goes on with the other files
(without it, the first failure stops the transfer and is raised)."""

# Failures of one file that leave the others worth trying (not KeyboardInterrupt, not bugs).
_KEEP_GOING_ERRORS = (AlluxioError, HTTPError, OSError)

Progress = Callable[[str, int], None]
"""``progress(source, nbytes)``: called from worker threads each time ``nbytes`` more bytes
of the file ``source`` have been transferred (a delta, not a running total)."""

UPLOAD_TEMP_MARKER = TEMP_MARKER
DOWNLOAD_TEMP_MARKER = ".part-"
MAX_THREADS = 64
# After an interruption, how long workers get to clean up their own temporary files before
# the caller removes them (a worker blocked on a silent server cannot notice the request).
_CLEANUP_GRACE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class FileTask:
    """One file to copy: ``source`` to ``destination``; ``size`` is ``None`` when unknown
    (a pipe or a character device)."""

    source: str
    destination: str
    size: int | None


@dataclass(frozen=True, slots=True)
class TransferPlan:
    """What a transfer will do.

    Attributes:
        destination: The path the source ends up at (a file or the top directory).
        directories: Directories to create, parents first.
        files: The files to copy.
    """

    destination: str
    directories: tuple[str, ...]
    files: tuple[FileTask, ...]

    @property
    def total_bytes(self) -> int | None:
        """Bytes to transfer, or ``None`` if a file's size is not known in advance."""
        total = 0
        for task in self.files:
            if task.size is None:
                return None
            total += task.size
        return total

    @staticmethod
    def merge(plans: list[TransferPlan], destination: str) -> TransferPlan:
        """Combine plans (several sources into one directory) into one."""
        directories: list[str] = []
        files: list[FileTask] = []
        for plan in plans:
            directories.extend(d for d in plan.directories if d not in directories)
            files.extend(plan.files)
        return TransferPlan(destination, tuple(directories), tuple(files))


class _Cancelled(Exception):
    """Raised inside a worker when the transfer is being abandoned."""


def _check_threads(threads: object) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, got {type(threads).__name__}")
    if not 1 <= threads <= MAX_THREADS:
        raise ValueError(f"threads must be in 1..{MAX_THREADS}, got {threads}")
    return threads


def _remote_join(parent: str, name: str) -> str:
    return posixpath.join(parent, name) if name else parent


def _normalize_remote(path: str) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"remote path must be an absolute Alluxio path, got {path!r}")
    normalized = posixpath.normpath(path)
    # normpath keeps a leading '//' (POSIX allows it to mean something else); Alluxio does not.
    return "/" + normalized.lstrip("/")


def _status_or_none(client: Client, path: str) -> FileInfo | None:
    try:
        return client.get_status(path)
    except NotFoundError:
        return None


def _remote_tree(client: Client, path: str) -> Iterator[FileInfo]:
    """Every entry under the directory ``path``, in the proxy's order, as the listing
    arrives (callers keep only what they need of each: a tree may be very large)."""
    with client.iter_status(path, option.ListStatus(recursive=True)) as entries:
        yield from entries


# -- planning ---------------------------------------------------------------------------------


def _check_uploadable(top: str, relative: str) -> None:
    """Refuse a local name below ``top`` that is not UTF-8: it has no Alluxio path."""
    if not is_unicode(relative):
        shown = os.fsencode(os.path.join(top, relative)).decode("utf-8", "backslashreplace")
        raise OSError(errno.EILSEQ, "Name is not valid UTF-8, as Alluxio paths must be", shown)


def _walk_local(top: str) -> Iterator[tuple[str, list[str], list[tuple[str, int | None]]]]:
    """Yield ``(relative dir, subdirectory names, [(file name, size)])`` for a local tree.

    Symbolic links are followed (like ``cp -rL``); a directory reached twice through links is
    visited once, so link cycles terminate.
    """
    seen: set[tuple[int, int]] = set()
    pending = [""]
    while pending:
        relative = pending.pop()
        directory = os.path.join(top, relative) if relative else top
        st = os.stat(directory)
        if (st.st_dev, st.st_ino) in seen:
            continue
        seen.add((st.st_dev, st.st_ino))
        subdirs: list[str] = []
        files: list[tuple[str, int | None]] = []
        with os.scandir(directory) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                try:
                    entry_stat = entry.stat()
                except FileNotFoundError:
                    continue  # a dangling symbolic link: nothing to copy
                if stat.S_ISDIR(entry_stat.st_mode):
                    subdirs.append(entry.name)
                elif stat.S_ISREG(entry_stat.st_mode):
                    files.append((entry.name, entry_stat.st_size))
        yield relative, subdirs, files
        pending.extend(os.path.join(relative, name) for name in reversed(subdirs))


def plan_upload(
    client: Client, local: str | os.PathLike[str], remote: str, *, overwrite: bool = False
) -> TransferPlan:
    """Plan copying the local file or directory ``local`` to the Alluxio path ``remote``.

    Raises:
        FileNotFoundError: ``local`` does not exist.
        OSError: A local name is not valid UTF-8 (``errno.EILSEQ``).
        alluxio.exceptions.AlreadyExistsError: The destination exists and ``overwrite`` is
            false, or it is of the other kind (a file where a directory goes, or the reverse).
        alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
        alluxio.exceptions.HTTPError: The HTTP transport failed.
    """
    source = os.fspath(local)
    source_stat = os.stat(source)
    is_dir = stat.S_ISDIR(source_stat.st_mode)
    into_dir = remote.endswith("/")
    remote = _normalize_remote(remote)
    name = os.path.basename(os.path.normpath(os.path.abspath(source)))
    _check_uploadable(os.path.dirname(os.path.abspath(source)), name)
    destination = remote
    target = remote_status = _status_or_none(client, remote)
    if into_dir or (remote_status is not None and remote_status.folder):
        destination = _remote_join(remote, name)
        target = _status_or_none(client, destination) if remote_status is not None else None
    if target is not None:
        if not overwrite:
            raise AlreadyExistsError(f'Path "{destination}" already exists')
        if target.folder != is_dir:
            kind = "a directory" if target.folder else "a file"
            raise AlreadyExistsError(f'Path "{destination}" already exists and is {kind}')
    check_path(destination, "destination")
    if not is_dir:
        size = source_stat.st_size if stat.S_ISREG(source_stat.st_mode) else None
        return TransferPlan(destination, (), (FileTask(source, destination, size),))

    existing: dict[str, bool] = {}
    if target is not None:
        existing = {info.path: info.folder for info in _remote_tree(client, destination)}
    directories = [destination] if target is None else []
    files: list[FileTask] = []
    for relative, subdirs, entries in _walk_local(source):
        base = _remote_join(destination, relative.replace(os.sep, "/"))
        for subdir in subdirs:
            _check_uploadable(source, os.path.join(relative, subdir))
            path = check_path(_remote_join(base, subdir), "destination")
            folder = existing.get(path)
            if folder is None:
                directories.append(path)
            elif not folder:
                raise AlreadyExistsError(f'Path "{path}" already exists and is a file')
        for file_name, size in entries:
            _check_uploadable(source, os.path.join(relative, file_name))
            path = check_path(_remote_join(base, file_name), "destination")
            if existing.get(path):
                raise AlreadyExistsError(f'Path "{path}" already exists and is a directory')
            files.append(FileTask(os.path.join(source, relative, file_name), path, size))
    return TransferPlan(destination, tuple(directories), tuple(files))


def plan_download(
    client: Client, remote: str, local: str | os.PathLike[str], *, overwrite: bool = False
) -> TransferPlan:
    """Plan copying the Alluxio file or directory ``remote`` to the local path ``local``.

    Raises:
        FileExistsError: The destination exists and ``overwrite`` is false, or it is of the
            other kind.
        alluxio.exceptions.NotFoundError: ``remote`` does not exist.
        alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
        alluxio.exceptions.HTTPError: The HTTP transport failed.
    """
    remote = _normalize_remote(remote)
    local_path = os.fspath(local)
    status = client.get_status(remote)
    destination = local_path
    if os.path.isdir(local_path) or local_path.endswith(os.sep):
        destination = os.path.join(local_path, posixpath.basename(remote))
    destination = os.path.normpath(destination)
    parent = os.path.dirname(destination) or "."
    if not os.path.isdir(parent):
        # Like cp: the destination's directory must exist (a message naming the parent,
        # not the temporary file that could not be created in it).
        raise FileNotFoundError(errno.ENOENT, "No such directory", parent)
    if os.path.lexists(destination):
        if not overwrite:
            raise FileExistsError(f"{destination} already exists")
        if os.path.isdir(destination) != status.folder:
            kind = "a directory" if os.path.isdir(destination) else "a file"
            raise FileExistsError(f"{destination} already exists and is {kind}")
    if not status.folder:
        return TransferPlan(destination, (), (FileTask(remote, destination, status.length),))

    directories = [destination]
    files: list[FileTask] = []
    for info in _remote_tree(client, remote):
        # Checked before any local directory is made: a name that cannot be read back
        # (e.g. with '?') fails the plan, not the copy part-way.
        check_path(info.path, "remote file")
        relative = posixpath.relpath(info.path, remote)
        path = os.path.join(destination, *relative.split("/"))
        if info.folder:
            if os.path.lexists(path) and not os.path.isdir(path):
                raise FileExistsError(f"{path} already exists and is a file")
            directories.append(path)
        else:
            if os.path.isdir(path):
                raise FileExistsError(f"{path} already exists and is a directory")
            files.append(FileTask(info.path, path, info.length))
    # Parents before children (the listing's order is the proxy's).
    directories[1:] = sorted(directories[1:], key=lambda path: (path.count(os.sep), path))
    files.sort(key=lambda task: (task.source.count("/"), task.source))
    return TransferPlan(destination, tuple(directories), tuple(files))


# -- running ----------------------------------------------------------------------------------


class _Run:
    """Runs file tasks on daemon worker threads and cleans up after failures.

    Workers register a cleanup action for their temporary file while it exists. If the
    transfer fails or is interrupted, the remaining workers are told to stop (they check
    between chunks), given a grace period to clean up after themselves, and whatever
    temporary files are still registered are then removed by the calling thread. Daemon
    threads (not a ThreadPoolExecutor, whose workers are joined at interpreter exit) let an
    interrupted command exit even if a worker is blocked on a server that stopped answering.
    """

    def __init__(
        self,
        threads: int,
        work: Callable[[FileTask, _Run], None],
        on_error: OnError | None = None,
    ) -> None:
        self.threads = threads
        self.work = work
        self.on_error = on_error
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._cleanups: dict[int, Callable[[], None]] = {}
        self._next_key = 0
        self._errors: list[BaseException] = []

    def register(self, cleanup: Callable[[], None]) -> int:
        with self._lock:
            self._next_key += 1
            self._cleanups[self._next_key] = cleanup
            return self._next_key

    def unregister(self, key: int) -> None:
        with self._lock:
            self._cleanups.pop(key, None)

    def _worker(self, tasks: queue.SimpleQueue[FileTask | None]) -> None:
        while not self.cancel.is_set():
            task = tasks.get()
            if task is None:
                return
            try:
                self.work(task, self)
            except _KEEP_GOING_ERRORS as exc:
                if self.on_error is None:
                    self._fail(exc)
                    return
                self.on_error(task, exc)  # reported; the other files go on
            except BaseException as exc:
                self._fail(exc)
                return

    def _fail(self, exc: BaseException) -> None:
        with self._lock:
            self._errors.append(exc)
        self.cancel.set()

    def run(self, files: tuple[FileTask, ...]) -> None:
        tasks: queue.SimpleQueue[FileTask | None] = queue.SimpleQueue()
        for task in files:
            tasks.put(task)
        count = min(self.threads, len(files))
        for _ in range(count):
            tasks.put(None)
        workers = [
            threading.Thread(target=self._worker, args=(tasks,), name=f"alluxio-transfer-{i}")
            for i in range(count)
        ]
        for worker in workers:
            worker.daemon = True
            worker.start()
        try:
            for worker in workers:
                # A timed join keeps the main thread responsive to Ctrl-C.
                while worker.is_alive():
                    worker.join(0.2)
        except BaseException as exc:
            self.cancel.set()
            self._abandon(workers, exc)
            raise
        if self._errors:
            first = self._errors[0]
            others = sum(not isinstance(e, _Cancelled) for e in self._errors[1:])
            if others:
                first.add_note(f"{others} other transfer(s) failed too")
            raise first

    def _abandon(self, workers: list[threading.Thread], exc: BaseException) -> None:
        deadline = time.monotonic() + _CLEANUP_GRACE_SECONDS
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))
        with self._lock:
            leftovers = list(self._cleanups.values())
            self._cleanups.clear()
        for cleanup in leftovers:
            try:
                cleanup()
            except (OSError, AlluxioError, HTTPError) as error:
                exc.add_note(f"while cleaning up: {type(error).__name__}: {error}")


def _local_chunks(
    stream: IO[bytes],
    chunk_size: int,
    run: _Run,
    report: Callable[[int], None],
    unchanged: str | None = None,
) -> Iterator[bytes]:
    """The chunks of ``stream``; with ``unchanged`` (its path), an error after the last one
    if the file changed while it was read (raised inside the write, so the temporary file
    is dropped, never published)."""
    before = os.fstat(stream.fileno()) if unchanged is not None else None
    while True:
        if run.cancel.is_set():
            raise _Cancelled("transfer cancelled")
        chunk = stream.read(chunk_size)
        if not chunk:
            if unchanged is not None and before is not None:
                _check_unchanged(unchanged, before, os.fstat(stream.fileno()))
            return
        yield chunk
        # httpx asks for the next chunk once this one is on the wire.
        report(len(chunk))


def _check_unchanged(path: str, before: os.stat_result, after: os.stat_result) -> None:
    """Refuse a copy of a file that was written to (or replaced) while it was read: Alluxio
    stamps the copy with the time it completed, later than that change, so comparing times
    would never send the file again."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        now = None
    same = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    if not same or now is None or (now.st_dev, now.st_ino) != (after.st_dev, after.st_ino):
        raise OSError(errno.EAGAIN, "Changed while it was read (not copied; run again)", path)


def _quiet_delete(client: Client, path: str) -> None:
    with contextlib.suppress(NotFoundError):
        client.delete(path)


def _write_atomically(
    client: Client,
    task: FileTask,
    run: _Run,
    source: Callable[[], contextlib.AbstractContextManager[Iterator[bytes]]],
    overwrite: bool,
) -> None:
    """Write ``source()``'s chunks to a hidden temporary file next to ``task.destination``
    and rename it into place when complete; any failure removes the temporary file."""
    temp = temp_name(task.destination)
    key = run.register(lambda: _quiet_delete(client, temp))
    try:
        with (
            source() as chunks,
            client.open(temp, "w", option.CreateFile(recursive=True)) as writer,
        ):
            writer.write(chunks)
            if run.cancel.is_set():
                # Before the close: client.open drops the file instead of completing it.
                raise _Cancelled("transfer cancelled")
        # Renames into place, or removes the temp file if that fails.
        client._publish(temp, task.destination, overwrite=overwrite)
    finally:
        run.unregister(key)


def _reporter(progress: Progress | None, source: str) -> Callable[[int], None]:
    def report(nbytes: int) -> None:
        if progress is not None:
            progress(source, nbytes)

    return report


def _create_directories(client: Client, plan: TransferPlan) -> None:
    for directory in plan.directories:
        client.create_directory(
            directory, option.CreateDirectory(recursive=True, allow_exists=True)
        )


def run_upload(
    client: Client,
    plan: TransferPlan,
    *,
    threads: int = 1,
    overwrite: bool = False,
    progress: Progress | None = None,
    on_error: OnError | None = None,
    unchanged_sources: bool = False,
) -> None:
    """Run an upload planned by :func:`plan_upload` (see :func:`upload`); with ``on_error``,
    a file that fails is reported to it and the others go on. With ``unchanged_sources``, a
    regular file that changes while it is read fails (``errno.EAGAIN``) instead of being
    published (``alluxio-py sync``)."""
    threads = _check_threads(threads)
    _create_directories(client, plan)

    def work(task: FileTask, run: _Run) -> None:
        @contextlib.contextmanager
        def source() -> Iterator[Iterator[bytes]]:
            with open(task.source, "rb") as stream:
                check = unchanged_sources and stat.S_ISREG(os.fstat(stream.fileno()).st_mode)
                yield _local_chunks(
                    stream,
                    client.chunk_size,
                    run,
                    _reporter(progress, task.source),
                    task.source if check else None,
                )

        _write_atomically(client, task, run, source, overwrite)

    _Run(threads, work, on_error).run(plan.files)


def plan_copy(
    client: Client, source: str, destination: str, *, overwrite: bool = False
) -> TransferPlan:
    """Plan copying the Alluxio file or directory ``source`` to the Alluxio path
    ``destination`` (into it if it is a directory or ends with ``/``).

    Raises:
        OSError: ``destination`` is inside the directory ``source`` (``errno.EINVAL``).
        alluxio.exceptions.NotFoundError: ``source`` does not exist.
        alluxio.exceptions.AlreadyExistsError: The destination exists and ``overwrite`` is
            false, or it is of the other kind.
        alluxio.exceptions.AlluxioError: Any other error reported by Alluxio.
        alluxio.exceptions.HTTPError: The HTTP transport failed.
    """
    into_dir = destination.endswith("/")
    source = _normalize_remote(source)
    destination = _normalize_remote(destination)
    status = client.get_status(source)
    target_path = destination
    target = destination_status = _status_or_none(client, destination)
    if into_dir or (destination_status is not None and destination_status.folder):
        target_path = _remote_join(destination, posixpath.basename(source))
        target = _status_or_none(client, target_path) if destination_status is not None else None
    if target_path == source or target_path.startswith(source.rstrip("/") + "/"):
        raise OSError(errno.EINVAL, "Cannot copy a path onto or into itself", target_path)
    if target is not None:
        if not overwrite:
            raise AlreadyExistsError(f'Path "{target_path}" already exists')
        if target.folder != status.folder:
            kind = "a directory" if target.folder else "a file"
            raise AlreadyExistsError(f'Path "{target_path}" already exists and is {kind}')
    check_path(target_path, "destination")
    if not status.folder:
        return TransferPlan(target_path, (), (FileTask(source, target_path, status.length),))
    existing: dict[str, bool] = {}
    if target is not None:
        existing = {info.path: info.folder for info in _remote_tree(client, target_path)}
    directories = [target_path] if target is None else []
    files: list[FileTask] = []
    for info in _remote_tree(client, source):
        path = check_path(
            _remote_join(target_path, posixpath.relpath(info.path, source)), "destination"
        )
        folder = existing.get(path)
        if info.folder:
            if folder is None:
                directories.append(path)
            elif not folder:
                raise AlreadyExistsError(f'Path "{path}" already exists and is a file')
        elif folder:
            raise AlreadyExistsError(f'Path "{path}" already exists and is a directory')
        else:
            files.append(FileTask(info.path, path, info.length))
    return TransferPlan(target_path, tuple(directories), tuple(files))


def run_copy(
    client: Client,
    plan: TransferPlan,
    *,
    threads: int = 1,
    overwrite: bool = False,
    progress: Progress | None = None,
    on_error: OnError | None = None,
) -> None:
    """Run a copy inside Alluxio planned by :func:`plan_copy`: each file is read from the
    proxy and written back under a temporary name, renamed when complete."""
    threads = _check_threads(threads)
    _create_directories(client, plan)

    def work(task: FileTask, run: _Run) -> None:
        report = _reporter(progress, task.source)

        @contextlib.contextmanager
        def source() -> Iterator[Iterator[bytes]]:
            with client.open(task.source, "r") as reader:
                yield _remote_chunks(reader, run, report)

        _write_atomically(client, task, run, source, overwrite)

    _Run(threads, work, on_error).run(plan.files)


def _remote_chunks(
    chunks: Iterable[bytes], run: _Run, report: Callable[[int], None]
) -> Iterator[bytes]:
    for chunk in chunks:
        if run.cancel.is_set():
            raise _Cancelled("transfer cancelled")
        yield chunk
        report(len(chunk))


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    # Elsewhere the umask can only be read by setting it (briefly, before workers start).
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def run_download(
    client: Client,
    plan: TransferPlan,
    *,
    threads: int = 1,
    overwrite: bool = False,
    progress: Progress | None = None,
    on_error: OnError | None = None,
    mtimes: Mapping[str, int] | None = None,
) -> None:
    """Run a download planned by :func:`plan_download` (see :func:`download`); with
    ``on_error``, a file that fails is reported to it and the others go on. ``mtimes``
    (milliseconds by source path) sets the modification time of the files written."""
    threads = _check_threads(threads)
    mode = 0o666 & ~_umask()
    for directory in plan.directories:
        os.makedirs(directory, exist_ok=True)

    def work(task: FileTask, run: _Run) -> None:
        parent, name = os.path.split(task.destination)
        fd, temp = tempfile.mkstemp(prefix=f"{name}{DOWNLOAD_TEMP_MARKER}", dir=parent or ".")
        key = run.register(lambda: _unlink(temp))
        try:
            with os.fdopen(fd, "wb") as out, client.open(task.source, "r") as reader:
                for chunk in reader:
                    if run.cancel.is_set():
                        raise _Cancelled("transfer cancelled")
                    out.write(chunk)
                    if progress is not None:
                        progress(task.source, len(chunk))
                # mkstemp creates 0600; give the file the mode a plain open() would have.
                os.fchmod(out.fileno(), mode)
            if mtimes is not None and task.source in mtimes:
                ns = mtimes[task.source] * 1_000_000  # after the close: its flush is a write
                os.utime(temp, ns=(ns, ns))
            if run.cancel.is_set():
                raise _Cancelled("transfer cancelled")
            if not overwrite and os.path.lexists(task.destination):
                raise FileExistsError(f"{task.destination} already exists")
            os.replace(temp, task.destination)
        except BaseException:
            _unlink(temp)
            raise
        finally:
            run.unregister(key)

    _Run(threads, work, on_error).run(plan.files)


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def upload(
    client: Client,
    local: str | os.PathLike[str],
    remote: str,
    *,
    threads: int = 1,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> str:
    """Copy a local file or directory tree to Alluxio; return the Alluxio destination path.

    See :meth:`alluxio.Client.upload`.
    """
    _check_threads(threads)
    plan = plan_upload(client, local, remote, overwrite=overwrite)
    run_upload(client, plan, threads=threads, overwrite=overwrite, progress=progress)
    return plan.destination


def download(
    client: Client,
    remote: str,
    local: str | os.PathLike[str],
    *,
    threads: int = 1,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> str:
    """Copy an Alluxio file or directory tree to the local disk; return the local path.

    See :meth:`alluxio.Client.download`.
    """
    _check_threads(threads)
    plan = plan_download(client, remote, local, overwrite=overwrite)
    run_download(client, plan, threads=threads, overwrite=overwrite, progress=progress)
    return plan.destination
