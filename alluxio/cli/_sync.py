"""``alluxio-py sync``: make a directory tree the same as another, in either direction
(local -> Alluxio or Alluxio -> local), sending only what is missing or changed.

Registered on the group by importing this module (``alluxio.cli._app`` does, at its end).

When a file counts as unchanged (and is skipped): same size, and the destination's
modification time is not older than the source's. Alluxio stamps a file with the time its
write completed (measured on Alluxio 2.9.6: ``lastModificationTimeMs`` is the close of the
write, and a rename keeps it), so an uploaded copy is newer than its local source until the
source is written again. Downloads are given the Alluxio file's time. A local file written
while it is uploaded is not published (its copy would look newer than that change). With
``--checksum`` the contents decide instead (MD5 of both sides; the Alluxio side is read
through the proxy).
"""

# Only what --help needs is imported here (startup time); the rest inside the functions.
import contextlib
import errno
import fnmatch
import functools
import os
import posixpath
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import typer

from ..exceptions import AlluxioError, HTTPError, NotFoundError
from . import _format as fmt
from ._app import (
    PROG,
    ContinueFlag,
    FileErrors,
    QuietFlag,
    ThreadsOption,
    _client,
    _failing,
    _remote,
    _transfer_run,
    command,
    usage_error,
)

if TYPE_CHECKING:
    from .._transfer import FileTask
    from ..client import Client

__all__: list[str] = []

SCHEME = "alluxio:"
"""How the Alluxio side of ``sync`` is written: ``alluxio:/data/logs``."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One file or directory of a tree, relative to its top."""

    size: int
    mtime_ms: int
    folder: bool
    link: bool = False  # a local symbolic link at the destination (never followed there)


@dataclass
class Tree:
    """The entries of a tree by relative path (``a/b.txt``), and the excluded ones."""

    entries: dict[str, Entry] = field(default_factory=dict)
    excluded: set[str] = field(default_factory=set)

    def protected(self) -> set[str]:
        """The directories with an excluded entry below them (not deleted whole)."""
        return {parent for path in self.excluded for parent in _parents(path)}


def _parents(path: str) -> Iterator[str]:
    """``a/b/c`` -> ``a``, ``a/b``."""
    parts = path.split("/")
    for end in range(1, len(parts)):
        yield "/".join(parts[:end])


class Excludes:
    """``--exclude`` patterns. One without ``/`` matches a name at any depth (``*.tmp``,
    ``node_modules``); one with ``/`` matches the path from the top of the tree
    (``logs/2024-*``). Either way an excluded directory excludes all below it."""

    def __init__(self, patterns: list[str]) -> None:
        self.names = [p for p in patterns if "/" not in p.strip("/")]
        self.paths = [p.strip("/") for p in patterns if "/" in p.strip("/")]

    def __call__(self, relative: str) -> bool:
        parts = relative.split("/")
        if any(fnmatch.fnmatchcase(part, name) for part in parts for name in self.names):
            return True
        prefixes = ("/".join(parts[: i + 1]) for i in range(len(parts)))
        return any(fnmatch.fnmatchcase(p, pattern) for p in prefixes for pattern in self.paths)


# -- the two kinds of tree ----------------------------------------------------------------------


def _local_tree(top: str, excluded: Excludes, *, follow: bool) -> Tree:
    """The tree below the local directory ``top``. As a source (``follow``) symbolic links
    are followed like ``put`` (a link to a directory above it, a cycle, is left out); as a
    destination a link is an entry of its own, replaced or deleted, never written through."""
    from .._transfer import _check_uploadable

    tree = Tree()
    top_stat = os.stat(top)
    # (relative directory, the (device, inode) of it and of each directory above it)
    pending: list[tuple[str, frozenset[tuple[int, int]]]] = [
        ("", frozenset({(top_stat.st_dev, top_stat.st_ino)}))
    ]
    while pending:
        relative, above = pending.pop()
        directory = os.path.join(top, *relative.split("/")) if relative else top
        with os.scandir(directory) as scan:
            for item in scan:
                path = f"{relative}/{item.name}" if relative else item.name
                if excluded(path):
                    tree.excluded.add(path)
                    continue
                if follow:
                    _check_uploadable(top, path)
                try:
                    info = item.stat(follow_symlinks=follow)
                except FileNotFoundError:
                    continue  # a dangling link, or removed meanwhile: nothing to copy
                mtime_ms = info.st_mtime_ns // 1_000_000
                if stat.S_ISDIR(info.st_mode):
                    key = (info.st_dev, info.st_ino)
                    if key in above:
                        continue  # a link back up the tree: copying it would never end
                    tree.entries[path] = Entry(0, mtime_ms, folder=True)
                    pending.append((path, above | {key}))
                elif stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode):
                    link = stat.S_ISLNK(info.st_mode)
                    tree.entries[path] = Entry(info.st_size, mtime_ms, False, link)
                # Sockets, pipes and devices are not files to copy (as put).
    return tree


def _remote_tree(client: "Client", top: str, excluded: Excludes) -> Tree:
    """The tree below the Alluxio directory ``top`` (temporary files of writes in progress
    are neither copied nor deleted)."""
    from .. import option
    from .._core import is_temp_name

    tree = Tree()
    prefix = top.rstrip("/") + "/"
    with client.iter_status(top, option.ListStatus(recursive=True)) as infos:
        for info in infos:
            path = info.path[len(prefix) :]
            if is_temp_name(posixpath.basename(path)):
                continue
            if excluded(path):
                tree.excluded.add(path)
                continue
            tree.entries[path] = Entry(info.length, info.last_modification_time_ms, info.folder)
    return tree


def _local_md5(path: str) -> str:
    import hashlib

    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# -- planning -----------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a sync does: directories to make, files to copy (relative paths), destination
    entries to delete (a directory as a whole), and the count of files left alone."""

    directories: list[str] = field(default_factory=list)
    copy: list[str] = field(default_factory=list)
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def _changed(source: Entry, target: Entry | None, same_contents: Callable[[], bool] | None) -> bool:
    if target is None or target.link:
        return True
    if source.size != target.size:
        return True
    if same_contents is not None:
        return not same_contents()
    return target.mtime_ms < source.mtime_ms


def plan_sync(
    source: Tree,
    target: Tree,
    *,
    delete: bool,
    contents_equal: Callable[[str], bool] | None,
    threads: int,
) -> Plan:
    """Compare the trees; ``contents_equal(relative)`` (``--checksum``) compares a file of
    the same size on both sides."""
    plan = Plan()
    compare: list[str] = []
    for path, entry in sorted(source.entries.items()):
        existing = target.entries.get(path)
        if entry.folder:
            if existing is None:
                plan.directories.append(path)
            elif not existing.folder:
                plan.conflicts.append((path, "is a file at the destination, a directory here"))
            continue
        if existing is not None and existing.folder:
            plan.conflicts.append((path, "is a directory at the destination, a file here"))
        elif contents_equal is not None and existing is not None and not existing.link:
            if existing.size == entry.size:
                compare.append(path)
            else:
                plan.copy.append(path)
        elif _changed(entry, existing, None):
            plan.copy.append(path)
        else:
            plan.unchanged += 1
    if compare and contents_equal is not None:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=threads) as pool:
            for path, equal in zip(compare, pool.map(contents_equal, compare), strict=True):
                if equal:
                    plan.unchanged += 1
                else:
                    plan.copy.append(path)
        plan.copy.sort()
    if delete:
        protected = target.protected()
        gone: set[str] = set()
        for path in sorted(target.entries):
            if path in source.entries or any(p in gone for p in _parents(path)):
                continue
            if target.entries[path].folder and path in protected:
                continue  # its excluded contents stay; what else is extra goes one by one
            gone.add(path)
        plan.delete = sorted(gone)
    return plan


# -- the command --------------------------------------------------------------------------------


def _side(value: str) -> tuple[bool, str]:
    """(is it the Alluxio side, the path)."""
    if not value.startswith(SCHEME):
        return False, value
    path = value[len(SCHEME) :]
    if path.startswith("//"):
        if not path.startswith("///"):
            raise typer.BadParameter(
                f"{value!r}: write the Alluxio side as alluxio:/PATH (the proxy comes "
                "from --proxy, ALLUXIO_PROXY or the profile)"
            )
        path = path[2:]
    return True, _remote(path)


@dataclass
class _Sides:
    """The two ends of a sync: which is Alluxio, and how paths below each are written."""

    upload: bool
    source: str
    destination: str

    def local(self, top: str, relative: str) -> str:
        return os.path.join(top, *relative.split("/")) if relative else top

    def remote(self, top: str, relative: str) -> str:
        return posixpath.join(top, relative) if relative else top

    def source_path(self, relative: str) -> str:
        join = self.local if self.upload else self.remote
        return join(self.source, relative)

    def destination_path(self, relative: str) -> str:
        join = self.remote if self.upload else self.local
        return join(self.destination, relative)

    def shown(self, path: str, remote: bool) -> str:
        return f"{SCHEME}{path}" if remote else path


@command("sync")
def sync_command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(
            metavar="SOURCE",
            help="The directory to copy from: a local one, or alluxio:/PATH.",
            show_default=False,
        ),
    ],
    destination: Annotated[
        str,
        typer.Argument(
            metavar="DEST",
            help="The directory to make the same (created if missing): alluxio:/PATH or local.",
            show_default=False,
        ),
    ],
    checksum: Annotated[
        bool,
        typer.Option(
            "--checksum",
            help="Compare the contents (MD5) of files of the same size instead of their "
            "modification times (reads every such file on both sides).",
        ),
    ] = False,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude",
            metavar="PATTERN",
            help="Leave out matching paths, on both sides (repeatable; quote it). Without / it "
            "matches a name at any depth (`*.tmp`, `node_modules`), with / the path from the "
            "top (`logs/2024-*`, where `*` matches across /). Excluded destination paths are "
            "never deleted.",
        ),
    ] = None,
    delete: Annotated[
        bool,
        typer.Option(
            "--delete",
            help="Delete destination files and directories the source does not have (not "
            "if any copy failed).",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "-n", "--dry-run", help="Print what would be copied and deleted; change nothing."
        ),
    ] = False,
    threads: ThreadsOption = 4,
    quiet: QuietFlag = False,
    keep_going: ContinueFlag = False,
) -> None:
    """Make DEST the same as the directory SOURCE: copy the files that are missing or
    changed, in either direction (one side written alluxio:/PATH).

    A file is unchanged (skipped) when it has the same size and the copy is not older than
    the source (Alluxio dates a file by when its write completed; downloads get the Alluxio
    file's time), or with --checksum the same MD5. Each file appears under its final name
    only once complete, as with put and get. Re-running an interrupted sync, or syncing
    the tree an interrupted put or get was copying, sends only what is still missing. On
    a terminal a progress bar and a summary line show on stderr unless -q; --dry-run
    prints the plan on stdout.
    """
    from .. import _transfer as transfer

    try:
        source_remote, source_path = _side(source)
        destination_remote, destination_path = _side(destination)
    except typer.BadParameter as exc:
        usage_error(ctx, exc.message)
    if source_remote == destination_remote:
        usage_error(
            ctx,
            "write exactly one side as alluxio:/PATH (sync copies between the local disk "
            "and Alluxio; cp copies inside Alluxio)",
        )
    sides = _Sides(upload=destination_remote, source=source_path, destination=destination_path)
    excludes = Excludes(exclude or [])
    client = _client(ctx)
    verb = "sync"
    with _failing(verb, source):
        source_tree, target_tree, target_exists = _trees(client, sides, excludes)
        equal = _contents_equal(client, sides) if checksum else None
        plan = plan_sync(
            source_tree, target_tree, delete=delete, contents_equal=equal, threads=threads
        )
    if not target_exists:
        plan.directories.insert(0, "")
    if dry_run:
        _print_plan(sides, plan, source_tree)
        return
    errors = FileErrors(verb)
    for path, why in plan.conflicts:
        conflict = FileExistsError(errno.EEXIST, why, sides.destination_path(path))
        if not keep_going:
            with _failing(verb, sides.source_path(path)):
                raise conflict
        errors(_task(sides, path, 0), conflict)
    tasks = [_task(sides, path, source_tree.entries[path].size) for path in plan.copy]
    directories = [sides.destination_path(path) for path in plan.directories]
    transfer_plan = transfer.TransferPlan(sides.destination, tuple(directories), tuple(tasks))
    run: Callable[..., None]
    if sides.upload:
        run = functools.partial(
            transfer.run_upload,
            client,
            transfer_plan,
            threads=threads,
            overwrite=True,
            unchanged_sources=True,
        )
    else:
        times = {
            task.source: source_tree.entries[path].mtime_ms
            for task, path in zip(tasks, plan.copy, strict=True)
        }
        run = functools.partial(
            transfer.run_download,
            client,
            transfer_plan,
            threads=threads,
            overwrite=True,
            mtimes=times,
        )
    deleted = [0]

    def summary() -> str:
        return f"; {plan.unchanged} unchanged" + (f"; {deleted[0]} deleted" if delete else "")

    with (
        _failing(verb, sides.shown(sides.destination, sides.upload)),
        _transfer_run(verb, transfer_plan, quiet=quiet, extra=summary) as progress,
    ):
        run(progress=progress, on_error=errors if keep_going else None)
        if delete and not errors.count:
            deleted[0] = _delete(client, sides, plan.delete, errors if keep_going else None)
    errors.finish(len(tasks) + len(plan.conflicts) + len(plan.delete))


def _task(sides: _Sides, relative: str, size: int) -> "FileTask":
    from .._transfer import FileTask

    return FileTask(sides.source_path(relative), sides.destination_path(relative), size)


def _trees(client: "Client", sides: _Sides, excludes: Excludes) -> tuple[Tree, Tree, bool]:
    """(the source tree, the destination tree, whether the destination exists)."""
    if sides.upload:
        if not os.path.isdir(sides.source):
            os.stat(sides.source)  # FileNotFoundError when missing
            raise NotADirectoryError(
                errno.ENOTDIR,
                "Not a directory (sync copies a directory; put copies a file)",
                sides.source,
            )
        source = _local_tree(sides.source, excludes, follow=True)
        from .._core import check_path

        for relative in source.entries:
            # Before anything is written: a name the proxy would cut (with '?') fails here.
            check_path(sides.destination_path(relative), "destination")
        try:
            status = client.get_status(sides.destination)
        except NotFoundError:
            return source, Tree(), False
        if not status.folder:
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", SCHEME + sides.destination)
        return source, _remote_tree(client, sides.destination, excludes), True
    if not client.get_status(sides.source).folder:
        raise NotADirectoryError(
            errno.ENOTDIR,
            "Not a directory (sync copies a directory; get copies a file)",
            SCHEME + sides.source,
        )
    source = _remote_tree(client, sides.source, excludes)
    if not os.path.lexists(sides.destination):
        return source, Tree(), False
    if not os.path.isdir(sides.destination):
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", sides.destination)
    return source, _local_tree(sides.destination, excludes, follow=False), True


def _contents_equal(client: "Client", sides: _Sides) -> Callable[[str], bool]:
    from ._commands import remote_digest

    def equal(relative: str) -> bool:
        here, there = sides.source_path(relative), sides.destination_path(relative)
        local, remote = (here, there) if sides.upload else (there, here)
        return _local_md5(local) == remote_digest(client, remote, "md5")

    return equal


def _delete(client: "Client", sides: _Sides, paths: list[str], errors: "FileErrors | None") -> int:
    """Delete the destination ``paths`` (a directory with all below it); the count done."""
    import shutil

    from .. import option

    done = 0
    lock = threading.Lock()
    for relative in paths:
        target = sides.destination_path(relative)
        try:
            if sides.upload:
                with contextlib.suppress(NotFoundError):
                    client.delete(target, option.Delete(recursive=True))
            elif os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(target)
        except (OSError, AlluxioError, HTTPError) as exc:
            if errors is None:
                raise
            errors(_task(sides, relative, 0), exc)
            continue
        with lock:
            done += 1
    return done


def _print_plan(sides: _Sides, plan: Plan, source: Tree) -> None:
    """``--dry-run``: each action on one line, then the totals."""
    verb = "upload" if sides.upload else "download"
    shown_dest = functools.partial(sides.shown, remote=sides.upload)
    shown_source = functools.partial(sides.shown, remote=not sides.upload)
    lines = [f"(dry run) mkdir: {shown_dest(sides.destination_path(p))}" for p in plan.directories]
    for path in plan.copy:
        lines.append(
            f"(dry run) {verb}: {shown_source(sides.source_path(path))} "
            f"to {shown_dest(sides.destination_path(path))}"
        )
    lines += [f"(dry run) delete: {shown_dest(sides.destination_path(p))}" for p in plan.delete]
    size = sum(source.entries[path].size for path in plan.copy)
    count = len(plan.copy)
    lines.append(
        f"(dry run) sync: {count} file{'' if count == 1 else 's'} to copy "
        f"({fmt.binary_size(size)}), {plan.unchanged} unchanged, {len(plan.delete)} to delete"
    )
    for line in lines:
        typer.echo(line)
    for path, why in plan.conflicts:
        typer.echo(f"{PROG}: sync {sides.source_path(path)}: {why}", err=True)
    if plan.conflicts:
        raise typer.Exit(1)
