"""The ``alluxio-py`` commands users of ``alluxio fs``, ``hdfs dfs`` and s3fs reach for:
``head``, ``tail``, ``checksum``, ``count``, ``test``, ``find`` and ``cp``.

Registered on the group by importing this module (``alluxio.cli._app`` does, at its end).
"""

# No `from __future__ import annotations`: Typer reads every command's annotations when it
# builds the command line (--help too), and evaluating them from strings cost ~15% of
# `alluxio-py --help`. Names imported only for type checking are quoted.

import collections
import contextlib
import enum
import functools
import itertools
import posixpath
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from . import _format as fmt
from ._app import (
    ContinueFlag,
    JsonFlag,
    QuietFlag,
    RemoteForceFlag,
    RemotePath,
    RemotePatterns,
    ThreadsOption,
    _client,
    _echo_json,
    _failing,
    _Outcome,
    _patterns,
    _remote,
    _split_local,
    command,
    expanded,
    run_transfer,
    usage_error,
    write_stdout,
)
from ._complete import complete_remote

if TYPE_CHECKING:
    from ..client import Client
    from ..wire import FileInfo

__all__: list[str] = []


# -- head and tail ------------------------------------------------------------------------------


def _count(value: str | None, what: str) -> int | None:
    if value is None:
        return None
    try:
        number = fmt.parse_size(value) if what == "bytes" else int(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a number of {what}") from None
    if number < 0:
        raise typer.BadParameter(f"{value!r} is not a number of {what}")
    return number


BytesOption = Annotated[
    str | None,
    typer.Option(
        "-c",
        "--bytes",
        metavar="BYTES",
        help="This many bytes (4K, 1M: binary units).",
        show_default=False,
    ),
]
LinesOption = Annotated[
    str | None,
    typer.Option(
        "-n", "--lines", metavar="LINES", help="This many lines [default: 10].", show_default=False
    ),
]


def _lines_and_bytes(
    ctx: typer.Context, lines: str | None, nbytes: str | None
) -> tuple[int | None, int | None]:
    if lines is not None and nbytes is not None:
        usage_error(ctx, "give either -n LINES or -c BYTES, not both")
    count_bytes = _count(nbytes, "bytes")
    count_lines = _count(lines, "lines")
    if count_bytes is None and count_lines is None:
        count_lines = 10
    return count_lines, count_bytes


def _print_part(
    ctx: typer.Context,
    command_name: str,
    paths: list[str],
    lines: str | None,
    nbytes: str | None,
    cut: Callable[[Iterator[bytes], int | None, int | None], bytes],
) -> None:
    """Print ``cut(reader, lines, bytes)`` of each file (head and tail)."""
    count_lines, count_bytes = _lines_and_bytes(ctx, lines, nbytes)
    client = _client(ctx)
    outcome = _Outcome(command_name)
    for path in expanded(client, paths, outcome):
        with outcome.on(path), client.open(path, "r") as reader:
            write_stdout(cut(reader, count_lines, count_bytes))
    outcome.finish()


@command("head")
def head_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    lines: LinesOption = None,
    nbytes: BytesOption = None,
) -> None:
    """Print the first lines (-n, default 10) or bytes (-c) of files.

    Only what is printed is read: the stream is closed after it.
    """
    _print_part(ctx, "head", paths, lines, nbytes, _head)


def _head(reader: Iterator[bytes], lines: int | None, nbytes: int | None) -> bytes:
    out = bytearray()
    if nbytes is not None:
        for chunk in reader:
            out += chunk[: nbytes - len(out)]
            if len(out) >= nbytes:
                break
        return bytes(out)
    assert lines is not None
    seen = 0
    for chunk in reader:
        start = 0
        while seen < lines:
            end = chunk.find(b"\n", start)
            if end < 0:
                break
            seen += 1
            start = end + 1
        if seen >= lines:
            out += chunk[:start]
            break
        out += chunk
    return bytes(out)


@command("tail")
def tail_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    lines: LinesOption = None,
    nbytes: BytesOption = None,
) -> None:
    """Print the last lines (-n, default 10) or bytes (-c) of files.

    The proxy cannot start a stream in the middle of a file: tail reads each file from the
    start and keeps only its end, so it takes as long as reading the whole file.
    """
    _print_part(ctx, "tail", paths, lines, nbytes, _tail)


def _tail(reader: Iterator[bytes], lines: int | None, nbytes: int | None) -> bytes:
    if nbytes is not None:
        kept = bytearray()
        for chunk in reader:
            kept += chunk
            if len(kept) > nbytes:
                del kept[: len(kept) - nbytes]
        return bytes(kept)
    assert lines is not None
    if lines == 0:
        for _ in reader:
            pass
        return b""
    # Keep chunks until they hold more than `lines` line ends past the first kept chunk.
    window: collections.deque[bytes] = collections.deque()
    newlines = 0
    for chunk in reader:
        window.append(chunk)
        newlines += chunk.count(b"\n")
        while len(window) > 1 and newlines - window[0].count(b"\n") > lines:
            newlines -= window.popleft().count(b"\n")
    data = b"".join(window)
    # A last line without a newline counts as a line, as in tail(1).
    end = len(data) - 1 if data.endswith(b"\n") else len(data)
    start = end
    for _ in range(lines):
        start = data.rfind(b"\n", 0, start)
        if start < 0:
            return data
    return data[start + 1 :]


# -- checksum, count, test, find ----------------------------------------------------------------


class Algorithm(enum.StrEnum):
    """The ``checksum`` algorithms."""

    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA512 = "sha512"


@command("checksum")
def checksum_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    algorithm: Annotated[
        Algorithm,
        typer.Option("-a", "--algorithm", help="The hash (MD5 like 'alluxio fs checksum')."),
    ] = Algorithm.MD5,
) -> None:
    """Print the checksum of files' contents: 'HEX  PATH', as md5sum and sha256sum.

    The contents are read through the proxy and hashed here.
    """
    client = _client(ctx)
    outcome = _Outcome("checksum")
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            if client.get_status(path).folder:
                raise IsADirectoryError(21, "Is a directory", path)
            typer.echo(f"{remote_digest(client, path, algorithm.value)}  {path}")
    outcome.finish()


def remote_digest(client: "Client", path: str, algorithm: str) -> str:
    """The hex digest of the Alluxio file ``path``."""
    import hashlib

    digest = hashlib.new(algorithm)
    with client.open(path, "r") as reader:
        for chunk in reader:
            digest.update(chunk)
    return digest.hexdigest()


def _counts(client: "Client", path: str) -> tuple[int, int, int]:
    """Files, directories (the path included) and bytes at or below ``path``, summed as
    the listing arrives (nothing is held)."""
    from .. import option

    status = client.get_status(path)
    if not status.folder:
        return 1, 0, status.length
    files = size = 0
    folders = 1
    with client.iter_status(path, option.ListStatus(recursive=True)) as infos:
        for info in infos:
            if info.folder:
                folders += 1
            else:
                files += 1
                size += info.length
    return files, folders, size


@command("count")
def count_command(ctx: typer.Context, paths: RemotePatterns, as_json: JsonFlag = False) -> None:
    """Count the files, directories and bytes below paths (as 'alluxio fs count')."""
    client = _client(ctx)
    outcome = _Outcome("count")
    rows: list[dict[str, int | str]] = []
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            files, folders, size = _counts(client, path)
            rows.append({"path": path, "files": files, "folders": folders, "bytes": size})
    if as_json:
        _echo_json(rows)
    elif rows:
        typer.echo(f"{'File Count':>12}  {'Folder Count':>12}  {'Folder Size':>14}  Path")
        for row in rows:
            typer.echo(
                f"{row['files']:>12}  {row['folders']:>12}  {row['bytes']:>14}  {row['path']}"
            )
    outcome.finish()


@command("test")
def test_command(
    ctx: typer.Context,
    path: RemotePath,
    exists: Annotated[bool, typer.Option("-e", help="The path exists.")] = False,
    directory: Annotated[bool, typer.Option("-d", help="The path is a directory.")] = False,
    file: Annotated[bool, typer.Option("-f", help="The path is a file.")] = False,
    empty: Annotated[
        bool, typer.Option("-z", help="The path is an empty file or an empty directory.")
    ] = False,
    nonempty: Annotated[
        bool, typer.Option("-s", help="The path is a directory with entries (as 'alluxio fs').")
    ] = False,
) -> None:
    """Test a path, answering with the exit status: 0 true, 1 false (as 'alluxio fs test').

    Give exactly one of -e -d -f -z -s. Nothing is printed; errors other than "no such
    path" (a connection failure) print one line and exit 1 too.
    """
    chosen = [
        flag
        for flag, on in (
            ("-e", exists),
            ("-d", directory),
            ("-f", file),
            ("-z", empty),
            ("-s", nonempty),
        )
        if on
    ]
    if len(chosen) != 1:
        usage_error(ctx, "give exactly one of -e -d -f -z -s")
    from ..exceptions import NotFoundError

    client = _client(ctx)
    with _failing("test", path):
        try:
            status = client.get_status(path)
        except NotFoundError:
            raise typer.Exit(1) from None
        if chosen == ["-e"]:
            answer = True
        elif chosen == ["-d"]:
            answer = status.folder
        elif chosen == ["-f"]:
            answer = not status.folder
        else:
            has_content = bool(client.ls(path)) if status.folder else status.length > 0
            answer = has_content if chosen == ["-s"] else not has_content
    raise typer.Exit(0 if answer else 1)


class EntryType(enum.StrEnum):
    """``find -type`` values."""

    FILE = "f"
    DIRECTORY = "d"


def _size_test(value: str | None) -> tuple[str, int] | None:
    if value is None:
        return None
    sign = value[:1] if value[:1] in "+-" else ""
    try:
        return sign, fmt.parse_size(value[len(sign) :])
    except ValueError as exc:
        raise typer.BadParameter(f"{exc}, optionally after + (more) or - (less)") from None


def _age_test(value: str | None) -> tuple[str, int] | None:
    if value is None:
        return None
    sign = value[:1]
    if sign not in ("+", "-"):
        raise typer.BadParameter(f"{value!r}: write +AGE (older than) or -AGE (newer than)")
    try:
        return sign, fmt.parse_duration(value[1:], bare_unit="d")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _compare(test: tuple[str, int] | None, value: int) -> bool:
    if test is None:
        return True
    sign, limit = test
    if sign == "+":
        return value > limit
    if sign == "-":
        return value < limit
    return value == limit


@command("find")
def find_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    name: Annotated[
        str | None,
        typer.Option(
            "-name", "--name", metavar="PATTERN", help="Names matching this glob (quote it)."
        ),
    ] = None,
    entry_type: Annotated[
        EntryType | None,
        typer.Option("-type", "--type", help="f: files, d: directories."),
    ] = None,
    size: Annotated[
        str | None,
        typer.Option(
            "-size",
            "--size",
            metavar="[+-]SIZE",
            help="Files larger (+) or smaller (-) than SIZE, or of exactly SIZE (4K, 1M).",
        ),
    ] = None,
    mtime: Annotated[
        str | None,
        typer.Option(
            "-mtime",
            "--mtime",
            metavar="[+-]AGE",
            help="Modified more (+) or less (-) than AGE ago (30m, 2h, 7d; a bare number: days).",
        ),
    ] = None,
) -> None:
    """Print the paths below PATHs (themselves included) that pass every test given.

    Printed as the listing arrives, in the order of 'ls -R' (see 'ls --help').
    """
    from ._glob import name_matcher
    from ._walk import sorted_listing

    matcher = None if name is None else name_matcher(name)
    size_test = _size_test(size)
    age_test = _age_test(mtime)
    now_ms = int(time.time() * 1000)
    client = _client(ctx)
    outcome = _Outcome("find")
    for top in expanded(client, paths, outcome):
        with outcome.on(top), contextlib.ExitStack() as stack:
            status = client.get_status(top)
            below: Iterable[FileInfo] = ()
            if status.folder:
                below = stack.enter_context(sorted_listing(client, top, recursive=True))
            for info in itertools.chain([status], below):
                if matcher is not None and not matcher.match(posixpath.basename(info.path) or "/"):
                    continue
                if entry_type is EntryType.FILE and info.folder:
                    continue
                if entry_type is EntryType.DIRECTORY and not info.folder:
                    continue
                if size_test is not None and (info.folder or not _compare(size_test, info.length)):
                    continue
                if not _compare(age_test, now_ms - info.last_modification_time_ms):
                    continue
                typer.echo(info.path)
    outcome.finish()


# -- cp inside Alluxio --------------------------------------------------------------------------


@command("cp")
def cp_command(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(metavar="PATH... DEST", show_default=False, autocompletion=complete_remote),
    ],
    recursive: Annotated[
        bool, typer.Option("-R", "-r", "--recursive", help="Copy directories and their contents.")
    ] = False,
    threads: ThreadsOption = 4,
    force: RemoteForceFlag = False,
    quiet: QuietFlag = False,
    keep_going: ContinueFlag = False,
) -> None:
    """Copy files (and directory trees with -R) inside Alluxio, several at a time.

    The data goes through this machine (read from the proxy, written back). If DEST is an
    existing directory (or ends with /), each PATH goes into it under its own name;
    otherwise DEST is the new name. Each file appears under its final name only once it is
    complete, as with put.
    """
    from .. import _transfer as transfer

    patterns, destination = _split_local(ctx, args, "DEST")
    destination = _remote(destination)
    client = _client(ctx)
    outcome = _Outcome("cp")
    sources = list(expanded(client, _patterns(patterns), outcome))
    if not sources:
        outcome.finish()
    hint = " (use --force to overwrite)"
    with _failing("cp", sources[0] if len(sources) == 1 else destination, hint):
        several = len(sources) > 1 and not destination.endswith("/")
        if several and not client.get_status(destination).folder:
            raise NotADirectoryError(f"{destination} is not a directory (copying several paths)")
        plans = []
        for source in sources:
            if not recursive and client.get_status(source).folder:
                raise IsADirectoryError(21, "Is a directory (use -R to copy it)", source)
            plans.append(transfer.plan_copy(client, source, destination, overwrite=force))
        plan = transfer.TransferPlan.merge(plans, destination)
        run = functools.partial(transfer.run_copy, client, plan, threads=threads, overwrite=force)
        run_transfer("cp", plan, run, quiet=quiet, keep_going=keep_going)
    outcome.finish()
