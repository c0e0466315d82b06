"""Sorted listings that print as they arrive (``ls``, ``ls -R``, ``find``).

"Sorted" is a depth-first walk: a directory, then everything below it, before its next
sibling; the entries of each directory by name, compared as Java (and so Alluxio) compares
strings: by UTF-16 code units. That is code point order except that characters beyond
U+FFFF sort before U+E000-U+FFFF. A depth-first walk differs from sorting by full path for
names with a character below ``/`` (space, ``!``, ``-``, ``.``...) after a directory's
name: ``a/x`` comes before ``a-b`` here, after it by path. Sorting by path cannot start
printing before the whole listing has arrived; this order can:

- A 2.x proxy lists a directory in this order (the master keeps each directory's children
  sorted) and a recursive listing depth-first, so its one recursive listing is printed as
  it arrives. Each entry is checked against the order; if the proxy breaks it, the command
  stops with an error instead of printing entries out of order. Memory: one entry per level.
- A 1.x proxy lists in no particular order: each directory is listed on its own and sorted
  here. Memory: the entries of the directories on the current path (bounded by the
  largest directory, not the tree).
"""

from __future__ import annotations

import contextlib
import posixpath
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from ..exceptions import UnknownError

if TYPE_CHECKING:
    from ..client import Client
    from ..wire import FileInfo

__all__ = ["name_key", "sorted_listing"]


def name_key(name: str) -> bytes:
    """The sort key of an entry's name: its UTF-16 code units (Java's ``String`` order)."""
    return name.encode("utf-16-be", "surrogatepass")


def _before(a: str, b: str) -> bool:
    """``a`` sorts strictly before ``b`` (see :func:`name_key`)."""
    if a.isascii() and b.isascii():
        return a < b  # the same order, without encoding either
    return name_key(a) < name_key(b)


def _normal(path: str) -> str:
    return "/" + posixpath.normpath(path).lstrip("/")


@contextlib.contextmanager
def sorted_listing(client: Client, path: str, *, recursive: bool) -> Iterator[Iterator[FileInfo]]:
    """The entries below directory ``path`` (``recursive``: all descendants) in sorted order
    (see the module's description), as they arrive; for a file, the file itself.

    The proxy's order is checked as the entries are taken: an entry out of order raises
    :class:`~alluxio.exceptions.UnknownError` (entries yielded before were in order).
    """
    from .. import option

    top = _normal(path)
    if client.dialect == "1.x":
        yield _per_directory(client, top, recursive=recursive)
        return
    with client.iter_status(path, option.ListStatus(recursive=recursive or None)) as infos:
        yield _checked(infos, top)


def _checked(infos: Iterable[FileInfo], top: str) -> Iterator[FileInfo]:
    """``infos`` (a 2.x listing of ``top``) as they come, checked to be in sorted order."""
    entries = iter(infos)
    first = next(entries, None)
    if first is None:
        return
    if first.path == top and not first.folder:
        yield first  # a file: its listing is itself
        extra = next(entries, None)
        if extra is not None:
            raise _out_of_order(extra.path, first.path)
        return
    # The directories from ``top`` down to the one whose entries are coming, and the name of
    # the last entry taken in each; a directory is left (popped) once an entry of one of its
    # ancestors comes, which in a depth-first listing means that its entries are done.
    dirs = [top]
    last: list[str | None] = [None]
    previous = top
    for info in _chain(first, entries):
        here = info.path
        cut = here.rfind("/")
        parent = here[:cut] or "/"
        name = here[cut + 1 :]
        while dirs[-1] != parent:
            dirs.pop()
            last.pop()
            if not dirs:
                raise _out_of_order(here, previous)
        prior = last[-1]
        if not name or (prior is not None and not _before(prior, name)):
            raise _out_of_order(here, previous)
        last[-1] = name
        previous = here
        yield info
        if info.folder:
            dirs.append(here)
            last.append(None)


def _chain(first: FileInfo, rest: Iterator[FileInfo]) -> Iterator[FileInfo]:
    yield first
    yield from rest


def _out_of_order(path: str, after: str) -> UnknownError:
    return UnknownError(
        f"the proxy listed {path} after {after}, out of the sorted order this command prints "
        "in as the listing arrives (a 1.x proxy lists in no particular order: give --dialect "
        "1.x or auto to sort each directory here); --unsorted prints the proxy's order"
    )


def _per_directory(client: Client, top: str, *, recursive: bool) -> Iterator[FileInfo]:
    """A 1.x listing of ``top``: each directory listed on its own and sorted here."""
    children = _sorted_children(client, top)
    if len(children) == 1 and children[0].path == top and not children[0].folder:
        yield children[0]  # a file: its listing is itself
        return
    # The iterators over the sorted entries of the directories on the current path.
    levels = [iter(children)]
    del children
    while levels:
        info = next(levels[-1], None)
        if info is None:
            levels.pop()
            continue
        yield info
        if recursive and info.folder:
            levels.append(iter(_sorted_children(client, info.path, gone_ok=True)))


def _sorted_children(client: Client, path: str, *, gone_ok: bool = False) -> list[FileInfo]:
    from ..exceptions import NotFoundError

    try:
        with client.iter_status(path) as infos:
            children = list(infos)
    except NotFoundError:
        if not gone_ok:
            raise
        return []  # removed since its parent was listed, as from a recursive listing
    children.sort(key=lambda info: name_key(posixpath.basename(info.path)))
    return children
