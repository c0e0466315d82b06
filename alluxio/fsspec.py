"""An fsspec file system over the Alluxio REST proxy: ``alluxio-proxy://host:port/path``.

Installed with the ``fsspec`` extra (``pip install 'alluxio-py[fsspec]'``), the protocol is
registered through fsspec's entry point, so pandas, Dask and PyArrow users can write:

```python
import pandas as pd

df = pd.read_csv("alluxio-proxy://localhost:39999/data/x.csv")
df.to_parquet("alluxio-proxy://localhost:39999/data/x.parquet")
```

or use the file system directly:

```python
import fsspec

fs = fsspec.filesystem("alluxio-proxy", host="localhost", port=39999)
fs.ls("/data")
```

The host and port in a URL select the proxy; paths are Alluxio paths. Errors are the builtins
fsspec users catch: :class:`FileNotFoundError`, :class:`FileExistsError`,
:class:`PermissionError` (the :mod:`alluxio.exceptions` classes subclass them),
:class:`IsADirectoryError`, :class:`NotADirectoryError`.

The proxy streams a file from its start to its end and knows no byte ranges, so random access
costs: see :class:`AlluxioProxyFile`.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import os
import posixpath
import ssl
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, Literal

import httpx
from fsspec.callbacks import DEFAULT_CALLBACK, Callback  # type: ignore[import-untyped]
from fsspec.spec import AbstractBufferedFile, AbstractFileSystem  # type: ignore[import-untyped]
from fsspec.utils import stringify_path  # type: ignore[import-untyped]

from . import option
from ._core import DEFAULT_CHUNK_SIZE, DEFAULT_CONNECT_TIMEOUT, DEFAULT_PORT, check_path, temp_name
from ._dialect import Dialect
from ._http import AuthTypes, CertTypes, HeaderTypes
from ._retry import RetryPolicy
from .client import Client, Reader, Writer
from .exceptions import AlluxioError, FailedPreconditionError, HTTPError
from .wire import FileInfo

__all__ = ["AlluxioProxyFile", "AlluxioProxyFileSystem"]

PROTOCOL = "alluxio-proxy"
_URL_PREFIX = PROTOCOL + "://"


def _info_dict(info: FileInfo) -> dict[str, Any]:
    """fsspec's info dict (``name``, ``size``, ``type``) plus what Alluxio knows."""
    is_dir = info.folder
    return {
        "name": info.path.rstrip("/") or "/",
        "size": 0 if is_dir else info.length,
        "type": "directory" if is_dir else "file",
        "created": info.creation_time_ms / 1000,
        "mtime": info.last_modification_time_ms / 1000,
        "mode": info.mode,
        "owner": info.owner,
        "group": info.group,
        "completed": info.completed,
        "persisted": info.persisted,
        "pinned": info.pinned,
        "in_memory_percentage": info.in_memory_percentage,
        "block_size": info.block_size_bytes,
        "ufs_path": info.ufs_path,
        "mount_point": info.mount_point,
    }


def _closing_stream(client: Client, file_id: int) -> None:
    # Best effort: a stream left behind expires on the proxy (after an hour by default).
    with contextlib.suppress(AlluxioError, HTTPError):
        client.close(file_id)


def _parent_of(path: str) -> str:
    """The directory holding an Alluxio ``path`` (``/`` for a top-level entry): the key of
    fsspec's listings cache to invalidate after a change there. Our own, because fsspec's
    equivalent (``_parent``) is private. URLs are taken too, as there."""
    path = AlluxioProxyFileSystem._strip_protocol(path)
    return posixpath.dirname(path.rstrip("/")) or "/"


class AlluxioProxyFileSystem(AbstractFileSystem):  # type: ignore[misc]
    """fsspec file system for one Alluxio proxy (protocol ``alluxio-proxy``).

    Args:
        host: The proxy's host name (taken from ``alluxio-proxy://HOST:PORT/...`` URLs).
        port: The proxy's web port.
        timeout: Seconds to wait for the proxy to respond; ``None`` waits forever.
        connect_timeout: Seconds to wait for a connection.
        dialect: ``"2.x"`` (default), ``"1.x"`` or ``"auto"``; see :class:`alluxio.Client`.
        chunk_size: Bytes per chunk when streaming (default 1 MiB).
        scheme: ``"http"`` or ``"https"``.
        retries: Retries of idempotent calls, as in :class:`alluxio.Client`.
        proxies: Further proxies to fail over to, as in :class:`alluxio.Client`.
        verify: TLS certificate checks (``True``, ``False``, a CA bundle path or an
            :class:`ssl.SSLContext`), as in :class:`alluxio.Client`.
        cert: A client certificate for mutual TLS, as in :class:`alluxio.Client`.
        trust_env: Read the proxy and ``SSL_CERT_*`` environment variables (default ``True``).
        proxy: An HTTP(S) proxy for every request, as in :class:`alluxio.Client`.
        headers: Headers sent with every request, as in :class:`alluxio.Client`.
        auth: Authentication for every request (an :class:`httpx.Auth`, ...), as in
            :class:`alluxio.Client`.
        atomic: Whole-file writes (``pipe``, ``put``, ``cp``, ``open(..., "wb")``) go to a
            hidden temporary file next to the target (``.NAME.alluxio-py-tmp-XXXXXXXX``),
            renamed into place once complete, so a failed or killed writer never leaves a
            partial file under the target's name (default). ``False`` writes the target
            directly: one rename less per file, which matters where a rename copies (files
            already persisted to an object store such as S3).
        **storage_options: Passed to :class:`fsspec.spec.AbstractFileSystem`
            (``skip_instance_cache``, ``use_listings_cache``, ...).

    Instances are cached per arguments, like every fsspec file system, and pickle as their
    arguments (so Dask workers make their own connections). Writes create missing parent
    directories, as object stores do.
    """

    protocol: ClassVar[str] = PROTOCOL
    root_marker: ClassVar[str] = "/"

    def __init__(
        self,
        host: str = "localhost",
        port: int = DEFAULT_PORT,
        *,
        timeout: float | None = 1800,
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
        atomic: bool = True,
        **storage_options: Any,
    ) -> None:
        super().__init__(**storage_options)
        if not isinstance(atomic, bool):
            raise TypeError(f"atomic must be a bool, got {type(atomic).__name__}")
        self.atomic = atomic
        self.client = Client(
            host,
            port,
            timeout,
            connect_timeout=connect_timeout,
            dialect=dialect,
            chunk_size=chunk_size,
            scheme=scheme,
            retries=retries,
            proxies=proxies,
            verify=verify,
            cert=cert,
            trust_env=trust_env,
            proxy=proxy,
            headers=headers,
            auth=auth,
        )
        self.host = host
        self.port = port
        self.chunk_size = chunk_size
        # fsspec's put_file/get_file/cp read in pieces of this size.
        self.blocksize = chunk_size

    def __repr__(self) -> str:
        return f"AlluxioProxyFileSystem({self.client.base_url!r})"

    # -- URLs --------------------------------------------------------------------------------

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        """``alluxio-proxy://host:port/a/b/`` -> ``/a/b``; plain paths are made absolute."""
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        path = stringify_path(path)
        if path.startswith(_URL_PREFIX):
            # Drop the authority (host:port), keep the path.
            path = "/" + path[len(_URL_PREFIX) :].partition("/")[2]
        elif path.startswith(PROTOCOL + "::"):
            path = path[len(PROTOCOL) + 2 :]
        if not path.startswith("/"):
            path = "/" + path
        return path.rstrip("/") or "/"

    @staticmethod
    def _get_kwargs_from_urls(path: str) -> dict[str, Any]:
        """Host and port from ``alluxio-proxy://host:port/...``."""
        if not path.startswith(_URL_PREFIX):
            return {}
        url = urllib.parse.urlsplit(path)
        out: dict[str, Any] = {}
        if url.hostname:
            out["host"] = url.hostname
        if url.port is not None:  # .port raises ValueError for a malformed port
            out["port"] = url.port
        return out

    def unstrip_protocol(self, name: str) -> str:
        """A full ``alluxio-proxy://host:port/path`` URL for an Alluxio path."""
        if name.startswith(_URL_PREFIX):
            return name
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{_URL_PREFIX}{host}:{self.port}{self._strip_protocol(name)}"

    # -- metadata ----------------------------------------------------------------------------

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        """List a directory (or a file: a list of itself), sorted by name.

        With ``detail``, fsspec info dicts (``name``, ``size``, ``type`` and Alluxio's
        ``mtime``, ``created``, ``mode``, ``owner``, ``group``, ``persisted``, ...).
        """
        # Decoded as the listing arrives; only what is returned is kept.
        with self.client.iter_status(self._strip_protocol(path)) as entries:
            if detail:
                return sorted(map(_info_dict, entries), key=lambda info: info["name"])
            return sorted(info.path.rstrip("/") or "/" for info in entries)

    def _below(self, path: str, maxdepth: int | None, withdirs: bool) -> Iterator[FileInfo]:
        """The files below ``path`` (a file: itself; ``withdirs``: directories too, ``path``
        included) down to ``maxdepth`` levels, from one recursive listing, as it arrives."""
        if maxdepth is not None and maxdepth < 1:
            raise ValueError("maxdepth must be at least 1")
        try:
            status = self.client.get_status(path)
        except FileNotFoundError:
            return  # as fsspec's walk: nothing below a missing path
        if not status.folder or withdirs:
            yield status
        if not status.folder:
            return
        top = status.path.rstrip("/") + "/"
        with self.client.iter_status(path, option.ListStatus(recursive=True)) as entries:
            for info in entries:
                if info.folder and not withdirs:
                    continue
                if maxdepth is not None and info.path[len(top) :].count("/") >= maxdepth:
                    continue
                yield info

    def find(
        self,
        path: str,
        maxdepth: int | None = None,
        withdirs: bool = False,
        detail: bool = False,
        **kwargs: Any,
    ) -> list[str] | dict[str, dict[str, Any]]:
        """All files below ``path`` (``withdirs``: directories too), sorted: one recursive
        listing, decoded as it arrives, instead of one listing per directory."""
        found = self._below(self._strip_protocol(path), maxdepth, withdirs)
        if detail:
            infos = {info["name"]: info for info in map(_info_dict, found)}
            return {name: infos[name] for name in sorted(infos)}
        return sorted({info.path.rstrip("/") or "/" for info in found})

    def du(
        self,
        path: str,
        total: bool = True,
        maxdepth: int | None = None,
        withdirs: bool = False,
        **kwargs: Any,
    ) -> int | dict[str, int]:
        """Bytes used by the files below ``path`` (a directory counts 0): the sum, or
        ``{path: size}`` with ``total=False``; one recursive listing, summed as it arrives
        (fsspec's default asks for every file's status in turn)."""
        found = self._below(self._strip_protocol(path), maxdepth, withdirs)
        sizes = (
            (info.path.rstrip("/") or "/", 0 if info.folder else info.length) for info in found
        )
        if total:
            return sum(size for _, size in sizes)
        return dict(sorted(sizes))

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        """The info dict of one path (see :meth:`ls`); :class:`FileNotFoundError` if absent."""
        return _info_dict(self.client.get_status(self._strip_protocol(path)))

    def exists(self, path: str, **kwargs: Any) -> bool:
        """Whether the path exists (one request)."""
        path = check_path(self._strip_protocol(path))  # a refused path raises, not False
        try:
            return self.client.exists(path)
        except (FileNotFoundError, ValueError):
            return False

    def created(self, path: str) -> datetime.datetime:
        """Creation time (UTC)."""
        return datetime.datetime.fromtimestamp(self.info(path)["created"], datetime.UTC)

    def modified(self, path: str) -> datetime.datetime:
        """Last modification time (UTC)."""
        return datetime.datetime.fromtimestamp(self.info(path)["mtime"], datetime.UTC)

    # -- directories -------------------------------------------------------------------------

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """Create a directory; :class:`FileExistsError` if the path exists."""
        path = self._strip_protocol(path)
        self.client.create_directory(path, option.CreateDirectory(recursive=create_parents))
        self.invalidate_cache(_parent_of(path))

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Create a directory and its parents; an existing directory is fine with
        ``exist_ok`` (an existing *file* is always :class:`FileExistsError`)."""
        path = self._strip_protocol(path)
        try:
            self.client.create_directory(path, option.CreateDirectory(recursive=True))
        except FileExistsError:
            if not exist_ok or self.info(path)["type"] != "directory":
                raise
        self.invalidate_cache(_parent_of(path))

    def rmdir(self, path: str) -> None:
        """Remove an empty directory."""
        path = self._strip_protocol(path)
        if self.info(path)["type"] != "directory":
            raise NotADirectoryError(path)
        self.rm_file(path)

    # -- deletion and moves ------------------------------------------------------------------

    def rm_file(self, path: str) -> None:
        """Delete one file (or an empty directory: a non-empty one is ``OSError(ENOTEMPTY)``,
        as from :func:`os.rmdir`)."""
        path = self._strip_protocol(path)
        try:
            self.client.delete(path)
        except FailedPreconditionError as exc:
            raise OSError(errno.ENOTEMPTY, f"{exc.message} ({path})") from exc
        self.invalidate_cache(_parent_of(path))

    def _rm(self, path: str) -> None:
        self.rm_file(path)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        """Delete files or directories (globs allowed).

        With ``recursive`` and no ``maxdepth``, each directory is removed by the proxy in one
        request instead of file by file.
        """
        if not recursive or maxdepth is not None:
            super().rm(path, recursive=recursive, maxdepth=maxdepth)
            return
        for p in self.expand_path(path, recursive=False):
            with contextlib.suppress(FileNotFoundError):  # inside one removed before
                self.client.delete(p, option.Delete(recursive=True))
            self.invalidate_cache(_parent_of(p))

    def mv(
        self,
        path1: Any,
        path2: Any,
        recursive: bool = False,
        maxdepth: int | None = None,
        **kwargs: Any,
    ) -> None:
        """Move a file or directory with one rename (into ``path2`` if it is a directory).

        Lists and globs fall back to fsspec's copy-then-delete.
        """
        if not (isinstance(path1, str) and isinstance(path2, str)) or any(
            c in path1 for c in "*?["
        ):
            super().mv(path1, path2, recursive=recursive, maxdepth=maxdepth, **kwargs)
            return
        src = self._strip_protocol(path1)
        dst = self._strip_protocol(path2)
        if src == dst:
            return
        with contextlib.suppress(FileNotFoundError):
            if self.info(dst)["type"] == "directory":
                dst = posixpath.join(dst, posixpath.basename(src))
        self.client.rename(src, dst)
        self.invalidate_cache(_parent_of(src))
        self.invalidate_cache(_parent_of(dst))

    # -- whole files -------------------------------------------------------------------------

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        """Bytes ``start:end`` of a file (negative values count from the end).

        The proxy has no ranges: the bytes before ``start`` are streamed and dropped.
        """
        path = self._strip_protocol(path)
        if (start is not None and start < 0) or (end is not None and end < 0):
            size = self.info(path)["size"]
            start = max(0, size + start) if start is not None and start < 0 else start
            end = max(0, size + end) if end is not None and end < 0 else end
        start = start or 0
        if end is not None and end <= start:
            self.info(path)  # still FileNotFoundError for a missing file
            return b""
        with self.client.open(path, "r") as reader:
            _skip(reader, start, self.chunk_size)
            return reader.read() if end is None else reader.read(end - start)

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        """Write ``value`` as the whole content of a file.

        ``mode="overwrite"`` replaces an existing file; ``"create"`` raises
        :class:`FileExistsError` instead.
        """
        path = self._strip_protocol(path)
        with self._writing(path, overwrite=mode == "overwrite") as writer:
            writer.write(value)

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Copy a file by streaming it through this client (a directory: create it)."""
        src = self._strip_protocol(path1)
        dst = self._strip_protocol(path2)
        if self.info(src)["type"] == "directory":
            self.makedirs(dst, exist_ok=True)
            return
        with self.client.open(src, "r") as reader, self._writing(dst) as writer:
            writer.write(iter(reader))

    @contextlib.contextmanager
    def _writing(self, path: str, *, overwrite: bool = True) -> Iterator[Writer]:
        """A writer for a new file at ``path`` (replacing a file there if ``overwrite``);
        the file is complete on success and deleted on failure. With :attr:`atomic` the
        data goes to a temporary name, renamed to ``path`` when complete."""
        if not self.atomic:
            if overwrite:
                self._clear_for_write(path)
            with self.client.open(path, "w", option.CreateFile(recursive=True)) as writer:
                yield writer
        else:
            self._check_target(path, overwrite=overwrite)
            temp = temp_name(path)
            with self.client.open(temp, "w", option.CreateFile(recursive=True)) as writer:
                yield writer
            self.client._publish(temp, path, overwrite=overwrite)
        self.invalidate_cache(_parent_of(path))

    def _check_target(self, path: str, *, overwrite: bool) -> bool:
        """Fail before any data is sent if ``path`` cannot be written: a directory, or a
        file without ``overwrite``. Return whether a file is there."""
        try:
            info = self.client.get_status(path)
        except FileNotFoundError:
            return False
        if info.folder:
            raise IsADirectoryError(f"{path} is a directory")
        if not overwrite:
            raise FileExistsError(f"{path} already exists")
        return True

    def _clear_for_write(self, path: str) -> None:
        if self._check_target(path, overwrite=True):
            self.client.delete(path)

    # -- local transfers ---------------------------------------------------------------------

    def put_file(
        self,
        lpath: str,
        rpath: str,
        callback: Callback = DEFAULT_CALLBACK,
        mode: str = "overwrite",
        **kwargs: Any,
    ) -> None:
        """Upload one local file (streamed in ``chunk_size`` pieces, reported to ``callback``)."""
        rpath = self._strip_protocol(rpath)
        if os.path.isdir(lpath):
            self.makedirs(rpath, exist_ok=True)
            return
        with open(lpath, "rb") as local:
            callback.set_size(os.fstat(local.fileno()).st_size)

            def chunks() -> Iterator[bytes]:
                while chunk := local.read(self.chunk_size):
                    yield chunk
                    callback.relative_update(len(chunk))

            with self._writing(rpath, overwrite=mode == "overwrite") as writer:
                writer.write(chunks())

    def get_file(
        self,
        rpath: str,
        lpath: Any,
        callback: Callback = DEFAULT_CALLBACK,
        outfile: Any = None,
        **kwargs: Any,
    ) -> None:
        """Download one file (streamed, reported to ``callback``); a partial local file is
        removed if the transfer fails."""
        rpath = self._strip_protocol(rpath)
        if outfile is None and hasattr(lpath, "write"):
            outfile, lpath = lpath, None
        info = self.info(rpath)
        if info["type"] == "directory":
            if outfile is None:
                os.makedirs(lpath, exist_ok=True)
            return
        callback.set_size(info["size"])
        with self.client.open(rpath, "r") as reader:
            if outfile is not None:
                _copy_out(reader, outfile, callback)
                return
            parent = os.path.dirname(os.fspath(lpath))
            if parent:
                os.makedirs(parent, exist_ok=True)
            try:
                with open(lpath, "wb") as local:
                    _copy_out(reader, local, callback)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.remove(lpath)
                raise

    # -- file objects ------------------------------------------------------------------------

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> AlluxioProxyFile:
        return AlluxioProxyFile(
            self,
            self._strip_protocol(path),
            mode,
            block_size=block_size,
            autocommit=autocommit,
            cache_options=cache_options,
            **kwargs,
        )


def _skip(reader: Reader, n: int, chunk_size: int) -> int:
    """Read and drop ``n`` bytes in bounded pieces; return how many were there."""
    skipped = 0
    while skipped < n:
        data = reader.read(min(chunk_size, n - skipped))
        if not data:
            break
        skipped += len(data)
    return skipped


def _copy_out(reader: Reader, out: Any, callback: Callback) -> None:
    for chunk in reader:
        out.write(chunk)
        callback.relative_update(len(chunk))


class AlluxioProxyFile(AbstractBufferedFile):  # type: ignore[misc]
    """A file of :class:`AlluxioProxyFileSystem`, opened ``"rb"``, ``"wb"`` or ``"xb"``.

    Reading goes through fsspec's block cache (``cache_type``, default ``"readahead"``); on a
    miss, :meth:`_fetch_range` serves the range from one open proxy stream, which only goes
    forward:

    * reading on from where the stream is costs only the bytes read;
    * a forward seek reads and drops the bytes skipped (cost: the gap, streamed);
    * a backward seek closes the stream and opens a new one from the start of the file
      (cost: one open plus every byte up to the new position).

    So sequential reads (CSV, ``get``) cost one pass; formats that jump around (Parquet reads
    its footer first, then the columns) pay about one extra pass per backward jump. A file no
    larger than ``block_size`` (default 4 MiB) is therefore read whole on the first miss and
    served from memory: one pass, whatever the access pattern. For larger files that are
    read out of order, fetching the whole file first (``cat_file``, or
    ``cache_type="all"``) is often cheaper. An open reading file holds one HTTP connection.

    Writing is sequential: data is buffered up to ``block_size`` and each full buffer is
    streamed to the proxy's write stream (created when the file is opened, parents
    included). The stream writes a hidden temporary file next to the target
    (``.NAME.alluxio-py-tmp-XXXXXXXX``); closing completes it and renames it into place
    (with ``autocommit=False``, fsspec transactions, :meth:`commit` does that at the end of
    the transaction), so the target never holds a partial file. If the ``with`` block raises,
    the temporary file is discarded instead. ``"wb"`` replaces an existing file when the
    data is complete; ``"xb"`` raises :class:`FileExistsError` at open if the target exists.
    With the file system's ``atomic=False`` the target is written directly (``"wb"``
    removes an existing file at open). Appending (``"ab"``) is not supported by the proxy.
    """

    DEFAULT_BLOCK_SIZE = 4 * DEFAULT_CHUNK_SIZE

    fs: AlluxioProxyFileSystem

    def __init__(
        self,
        fs: AlluxioProxyFileSystem,
        path: str,
        mode: str = "rb",
        block_size: int | str | None = "default",
        autocommit: bool = True,
        cache_type: str = "readahead",
        cache_options: dict[str, Any] | None = None,
        size: int | None = None,
        **kwargs: Any,
    ) -> None:
        if mode == "ab":
            raise NotImplementedError("the Alluxio proxy cannot append to an existing file")
        self._reader: Reader | None = None
        self._read_id: int | None = None
        self._stream_pos = 0
        self._whole: bytes | None = None
        self._writer: Writer | None = None
        self._write_id: int | None = None
        self._write_path = path
        super().__init__(
            fs,
            path,
            mode,
            block_size=block_size,
            autocommit=autocommit,
            cache_type=cache_type,
            cache_options=cache_options,
            size=size,
            **kwargs,
        )
        if mode == "rb":
            if self.details["type"] == "directory":
                raise IsADirectoryError(f"{path} is a directory")
            return
        # Create the stream now, so "xb" on an existing path and "wb" on a directory fail
        # at open, not at close.
        try:
            self._initiate_upload()
        except BaseException:
            self.closed = True
            raise
        self.offset = 0

    # -- reading -----------------------------------------------------------------------------

    def _close_reader(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            reader._drain_rest()  # a small rest: read to the end, so the close is not abandoned
            reader.close()
        if self._read_id is not None:
            read_id, self._read_id = self._read_id, None
            # Bounded and best-effort when the stream was left part-way (it usually is).
            with contextlib.suppress(AlluxioError, HTTPError):
                self.fs.client._close_read(read_id, reader)

    def _fetch_range(self, start: int, end: int) -> bytes:
        client = self.fs.client
        if self._whole is None and self.size <= self.blocksize:
            # Small: one pass for the whole file beats a reopen per backward seek.
            with client.open(self.path, "r") as reader:
                self._whole = reader.read()
        if self._whole is not None:
            return self._whole[start:end]
        if self._reader is None or start < self._stream_pos:
            # Backward (or first) access: a new stream from the start of the file.
            self._close_reader()
            self._read_id = client.open_file(self.path)
            self._reader = client.read(self._read_id)
            self._stream_pos = 0
        if start > self._stream_pos:
            self._stream_pos += _skip(self._reader, start - self._stream_pos, client.chunk_size)
        data = self._reader.read(max(0, end - start))
        self._stream_pos += len(data)
        return data

    # -- writing -----------------------------------------------------------------------------

    def _initiate_upload(self) -> None:
        client = self.fs.client
        if self.fs.atomic or not self.autocommit:
            # To a temporary name, renamed into place by commit(): on close (autocommit) or
            # at the end of an fsspec transaction.
            self.fs._check_target(self.path, overwrite=self.mode == "wb")
            self._write_path = temp_name(self.path)
        elif self.mode == "wb":
            self.fs._clear_for_write(self.path)
        elif client.exists(self.path):
            raise FileExistsError(f"{self.path} already exists")
        self._write_id = client.create_file(self._write_path, option.CreateFile(recursive=True))
        self._writer = client.write(self._write_id)

    def _upload_chunk(self, final: bool = False) -> bool:
        assert self._writer is not None and self._write_id is not None
        data = self.buffer.getvalue()
        if data:
            self._writer.write(data)
        if final:
            self._writer.close()
            self._writer = None
            write_id, self._write_id = self._write_id, None
            self.fs.client.close(write_id)  # completes the file
            if self.autocommit:
                self.commit()
        return True

    def commit(self) -> None:
        """Move the completed temporary file into place (on close, or at the end of an
        fsspec transaction with ``autocommit=False``). If that fails, the temporary file is
        deleted."""
        if self._write_path == self.path:
            return
        self.fs.client._publish(self._write_path, self.path, overwrite=self.mode == "wb")
        self._write_path = self.path
        self.fs.invalidate_cache(_parent_of(self.path))

    def discard(self) -> None:
        """Drop what was written: close the stream and delete the (partial) file."""
        client = self.fs.client
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self._write_id is not None:
            # Deleted while its stream is open, so closing the stream cannot complete it
            # (see alluxio.Client.open); deleted again below if that failed.
            with contextlib.suppress(AlluxioError, HTTPError, FileNotFoundError):
                client.delete(self._write_path)
            _closing_stream(client, self._write_id)
            self._write_id = None
        with contextlib.suppress(AlluxioError, HTTPError, FileNotFoundError):
            client.delete(self._write_path)

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file: complete a written file, release a read stream."""
        if self.closed:
            return
        try:
            super().close()
        finally:
            if self.mode == "rb":
                self._close_reader()

    def __del__(self) -> None:
        if not self.closed and self.mode == "rb":
            # Finalizers run in whichever thread collects garbage (an in-process proxy's
            # server thread, even), so no request here: drop the connection and let the
            # proxy expire the stream.
            self.closed = True
            if self._reader is not None:
                self._reader.close()
            return
        super().__del__()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None and self.mode != "rb" and not self.closed:
            # A failed block must not leave a file that looks complete.
            self.closed = True
            self.discard()
            return
        self.close()
