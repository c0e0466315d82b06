"""The I/O-free core shared by :class:`alluxio.Client` and :class:`alluxio.AsyncClient`.

Each operation is described once, as a :class:`Call`: the HTTP request (built by the generated
``alluxio_proxy_api`` functions, so URL encoding lives in one place: the spec and its template)
and a parser for the successful response body. The sync and async clients only send calls and
hand the body to the parser; argument checks, dialect translation and response decoding are
here.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import os
import posixpath
import re
import secrets
from collections.abc import AsyncIterable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Generic, Literal, Self, TypeVar

import httpx

from . import _facade, _json, option
from ._dialect import DIALECTS, Dialect, to_dialect
from ._endpoints import Endpoint, Endpoints, parse_proxy_url, parse_proxy_urls
from ._listing import ListingDecoder
from ._retry import RetryPolicy, retry_policy
from .exceptions import (
    AlluxioError,
    AlreadyExistsError,
    DataLossError,
    HTTPError,
    InvalidArgumentError,
    UnknownError,
)
from .wire import FileInfo

__all__ = [
    "ABANDONED_CLOSE_TIMEOUT",
    "CLIENT_CLOSED",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_PORT",
    "DRAIN_BEFORE_CLOSE_BYTES",
    "DRAIN_BEFORE_CLOSE_SECONDS",
    "MAX_STREAM_ID",
    "REPLACE_ATTEMPTS",
    "TEMP_MARKER",
    "Call",
    "ClientBase",
    "Listing",
    "Operations",
    "WriteData",
    "abandoned_close",
    "check_buffer",
    "check_chunk",
    "check_chunk_size",
    "check_client_args",
    "check_file_id",
    "check_listing_args",
    "check_local_path",
    "check_open_args",
    "check_path",
    "check_transfer_args",
    "check_write_bytes_args",
    "check_write_data",
    "check_written",
    "client_endpoints",
    "from_url_args",
    "is_temp_name",
    "is_unicode",
    "iter_write_chunks",
    "log_abandoned_close_failure",
    "not_replaced",
    "primed",
    "redacting",
    "replacing",
    "temp_name",
]

T = TypeVar("T")

CLIENT_CLOSED = "the client is closed (close() or close_connections() was called)"
DEFAULT_CHUNK_SIZE = 1 << 20
"""Default read size: large chunks keep per-chunk overhead negligible on big files."""

DEFAULT_PORT = 39999
MAX_STREAM_ID = (1 << 31) - 1
"""The largest stream id a proxy issues (ids are Java ``int`` values, never negative)."""
DEFAULT_CONNECT_TIMEOUT = 10.0

ABANDONED_CLOSE_TIMEOUT = 5.0
"""Seconds, at most, for closing a read stream that was not read to its end.

Alluxio 2.9.6's proxy intermittently never answers the close of a read stream whose response
was abandoned part-way, which would hold the caller for the client's whole timeout (30
minutes by default). The caller already has all the data it asked for, and the proxy expires
a stream left open, so that close is best-effort: bounded by this, and a timeout or
connection failure is logged (DEBUG), not raised. Closing a stream read to its end, or a
write stream (whose close completes the file), is not bounded this way."""

DRAIN_BEFORE_CLOSE_BYTES = 1 << 20
"""A read stream left with at most this many bytes unread is read to its end (the rest
dropped) before it is closed, so that its close is an ordinary one.

Measured on Alluxio 2.9.6 (a 300 KiB file, 10 bytes read, then closed; 40 times): 14 closes
of the abandoned stream hung until :data:`ABANDONED_CLOSE_TIMEOUT`; read to the end first,
none did (1.2 s for all 40). Reading on also lets the connection be reused. A larger rest is
left (reading it could take long) and closed best-effort."""

DRAIN_BEFORE_CLOSE_SECONDS = 0.5
"""At most this long is spent reading a stream's rest before closing it (see
:data:`DRAIN_BEFORE_CLOSE_BYTES`); past it the stream is closed best-effort."""

_log = logging.getLogger("alluxio")

Bytes = bytes | bytearray | memoryview
WriteData = Bytes | io.RawIOBase | io.BufferedIOBase | Iterable[Bytes]
"""What :meth:`Writer.write` accepts: bytes-like data, a binary file object or an iterable of
bytes-like pieces (each streamed without being loaded whole)."""


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One proxy request and the parser of its successful (HTTP 200) body.

    Attributes:
        request: Keyword arguments for ``httpx.Client.build_request``.
        parse: Turns the response body into the result; raises AlluxioError on a malformed one.
        idempotent: Whether repeating the request cannot change the outcome (safe to retry).
    """

    request: dict[str, Any]
    parse: Callable[[bytes], T]
    idempotent: bool


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    """One list-status request and a factory of the decoder of its answer (streamed).

    Attributes:
        request: Keyword arguments for ``httpx.Client.build_request``.
        decoder: Returns a fresh decoder for one answer's body. Listings are idempotent.
    """

    request: dict[str, Any]
    decoder: Callable[[], ListingDecoder[T]]


def check_listing_args(path: object, opt: object) -> None:
    """Reject bad ``iter_status`` arguments at the call, before anything is sent."""
    check_path(path)
    _check_opt("iter_status", opt, option.ListStatus)


def abandoned_close(call: Call[None], timeout: httpx.Timeout) -> Call[None]:
    """``call`` (a read stream's close) with each of the client's ``timeout`` parts
    (connect, read, write, pool) cut to :data:`ABANDONED_CLOSE_TIMEOUT`, for a stream not
    read to its end."""
    bound = ABANDONED_CLOSE_TIMEOUT
    parts = (timeout.connect, timeout.read, timeout.write, timeout.pool)
    cut = tuple(bound if t is None else min(t, bound) for t in parts)
    return replace(call, request={**call.request, "timeout": cut})


def log_abandoned_close_failure(file_id: int, error: HTTPError) -> None:
    """Record (DEBUG) that closing an abandoned read stream failed; the error is dropped.

    The message names the request by method and path only (:mod:`alluxio._errors`), never a
    query or header, so nothing secret is logged."""
    _log.debug(
        "closing read stream %d (not read to its end) failed; ignored, the proxy expires it: "
        "%s: %s",
        int(file_id),
        type(error).__name__,
        error,
    )


def is_unicode(text: str) -> bool:
    """Whether ``text`` can go into a URL: no lone surrogates (``os.fsdecode`` and
    ``sys.argv`` give them for names that are not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_text(name: str, text: str) -> None:
    if "\x00" in text:
        raise ValueError(f"{name} must not contain NUL characters, got {text!r}")
    if not is_unicode(text):
        raise ValueError(
            f"{name} must be valid Unicode (it has a lone surrogate, as from a file name "
            f"that is not UTF-8), got {text!r}"
        )


# Characters a path cannot carry to the proxy intact, measured against Alluxio 2.9.6 and the
# embedded proxy (docs/guides/paths.md has the whole matrix). Each one would make the call act
# on another path than the one given, so it is refused before anything is sent.
_REFUSED_CHARS = "?\\\x00"


def _refuse(name: str, path: str, what: str, index: int, why: str) -> InvalidArgumentError:
    return InvalidArgumentError(f"{name} {path!r} has {what} at index {index}: {why}")


def _acted_on(path: str) -> str:
    """The path Alluxio resolves ``path`` to (dot segments and repeated slashes removed)."""
    return "/" + posixpath.normpath(path).lstrip("/")


def check_path(path: object, name: str = "path") -> str:
    """Validate an Alluxio path argument before anything is sent; return it as a str.

    The one check of every Alluxio path the clients, the fsspec file system and the CLI take
    (sources and destinations alike). A path is refused unless it reaches the proxy exactly
    as given: ``?`` (the proxy cuts the path there), ``\\`` (Alluxio 2.x reads it as ``/``),
    ``.`` and ``..`` segments (resolved away), NUL and text that is not Unicode. Repeated
    and trailing slashes are accepted: Alluxio drops them and names the same path.

    Raises:
        TypeError: ``path`` is not a str (or os.PathLike of str).
        alluxio.exceptions.InvalidArgumentError: (a ``ValueError``) the path is not absolute
            or would not arrive intact; the message names the character, its index and why.
    """
    if isinstance(path, os.PathLike):
        path = os.fspath(path)
    if not isinstance(path, str):
        raise TypeError(f"{name} must be a str, got {type(path).__name__}")
    if not path.startswith("/"):
        raise InvalidArgumentError(
            f"{name} must be an absolute Alluxio path starting with '/', got {path!r}"
        )
    # One scan for the common case (nothing to refuse); the details only for a refusal.
    if "/." in path or any(char in path for char in _REFUSED_CHARS):
        _refuse_path(name, path)
    if not path.isascii() and not is_unicode(path):
        index = next(i for i, char in enumerate(path) if not is_unicode(char))
        raise _refuse(
            name,
            path,
            f"a lone surrogate {path[index]!r}",
            index,
            "it is not Unicode (as from a local file name that is not UTF-8), so it has no "
            "Alluxio path",
        )
    return path


def _refuse_path(name: str, path: str) -> None:
    """Raise the refusal of ``path`` found by :func:`check_path` (first offence first)."""
    start = 0
    for segment in path.split("/"):
        for offset, char in enumerate(segment):
            index = start + offset
            if char == "?":
                raise _refuse(
                    name,
                    path,
                    "'?'",
                    index,
                    "the proxy ends the path there, so the call would act on "
                    f"{path[:index].rstrip('/') or '/'!r}",
                )
            if char == "\\":
                swapped = path.replace("\\", "/")
                raise _refuse(
                    name,
                    path,
                    "a backslash",
                    index,
                    f"Alluxio reads it as '/', so the call would act on {_acted_on(swapped)!r}",
                )
            if char == "\x00":
                raise _refuse(name, path, "a NUL character", index, "no proxy accepts it")
        if segment in (".", ".."):
            raise _refuse(
                name,
                path,
                f"a {segment!r} segment",
                start,
                f"the proxy resolves it, so the call would act on {_acted_on(path)!r}",
            )
        start += len(segment) + 1


TEMP_MARKER = ".alluxio-py-tmp-"
"""What marks a temporary name: see :func:`temp_name`."""

_TEMP_NAME = re.compile(r"\..*" + re.escape(TEMP_MARKER) + r"[0-9a-f]{8}", re.DOTALL)
# A temporary name stays within the 255 bytes most file systems allow a name: the
# destination's name is shortened (at a character boundary) to make room for the affixes.
_MAX_NAME_BYTES = 255


def temp_name(destination: str) -> str:
    """A fresh hidden temporary path next to ``destination``, where a whole-object write goes
    before it is renamed into place: ``/dir/.NAME.alluxio-py-tmp-XXXXXXXX`` (8 random hex
    digits; a long NAME is shortened). :func:`is_temp_name` recognizes these names, and
    ``alluxio-py clean`` removes the ones a killed writer left behind."""
    # A trailing slash names the same file (Alluxio drops it): the name is the last segment.
    parent, name = posixpath.split(destination.rstrip("/"))
    suffix = f"{TEMP_MARKER}{secrets.token_hex(4)}"
    room = _MAX_NAME_BYTES - len(suffix) - 1
    short = name.encode("utf-8")[:room].decode("utf-8", "ignore")
    return posixpath.join(parent, f".{short}{suffix}")


def is_temp_name(name: str) -> bool:
    """Whether the file name ``name`` (not a path) was made by :func:`temp_name`."""
    return _TEMP_NAME.fullmatch(name) is not None


def _check_seconds(name: str, value: object, *, none_ok: bool) -> None:
    if value is None and none_ok:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not value > 0:  # also rejects NaN
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")


def check_client_args(
    host: object,
    port: object,
    timeout: object,
    dialect: object,
    scheme: object,
    connect_timeout: object = DEFAULT_CONNECT_TIMEOUT,
) -> str:
    """Validate a client's constructor arguments; return the proxy's base URL."""
    if not isinstance(host, str) or not host:
        raise TypeError(f"host must be a non-empty str, got {host!r}")
    if isinstance(port, bool) or not isinstance(port, int):
        raise TypeError(f"port must be an int, got {type(port).__name__}")
    if not 0 < port < 65536:
        raise ValueError(f"port must be in 1..65535, got {port}")
    _check_seconds("timeout", timeout, none_ok=True)
    _check_seconds("connect_timeout", connect_timeout, none_ok=False)
    if dialect not in (*DIALECTS, "auto"):
        raise ValueError(f"dialect must be '2.x', '1.x' or 'auto', got {dialect!r}")
    if scheme not in ("http", "https"):
        raise ValueError(f"scheme must be 'http' or 'https', got {scheme!r}")
    return f"{scheme}://{host}:{port}"


def client_endpoints(scheme: str, host: str, port: int, proxies: object) -> Endpoints:
    """The proxies of a client: ``scheme://host:port`` first, then ``proxies`` (URLs)."""
    if isinstance(proxies, str) or not isinstance(proxies, Sequence):
        raise TypeError(
            f"proxies must be a list of 'http://host:port' str, got {type(proxies).__name__}"
        )
    return Endpoints(
        [
            Endpoint(scheme, host, port),
            *(parse_proxy_url(url, name="proxies[]") for url in proxies),
        ]
    )


def from_url_args(url: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The constructor arguments of ``Client.from_url(url, **kwargs)`` (and the async one)."""
    first, *rest = parse_proxy_urls(url)
    for name in ("host", "port", "scheme", "proxies"):
        if name in kwargs:
            raise TypeError(f"from_url: {name} comes from the url; do not pass it too")
    return {
        "host": first.host,
        "port": first.port,
        "scheme": first.scheme,
        "proxies": [endpoint.url for endpoint in rest],
        **kwargs,
    }


class CookieStore(httpx.Cookies):
    """httpx's cookie store, minus the cost of wrapping every response for
    :mod:`http.cookiejar` (a message object, a urllib request) when it sets no cookie, where
    the jar would find nothing to store: ~20% of a metadata call's client CPU otherwise.

    Both clients' httpx clients keep their cookies in one (:class:`HTTPClient`)."""

    def extract_cookies(self, response: httpx.Response) -> None:
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class HTTPClient(httpx.Client):
    """:class:`httpx.Client` whose cookies live in a :class:`CookieStore`: its public
    ``cookies`` property, through which httpx reaches the store, returns one (httpx would
    copy a store passed to it into a plain :class:`httpx.Cookies`)."""

    def __init__(self, **kwargs: Any) -> None:
        self._alluxio_cookies = CookieStore()
        super().__init__(**kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._alluxio_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._alluxio_cookies = CookieStore(cookies)


class AsyncHTTPClient(httpx.AsyncClient):
    """The async twin of :class:`HTTPClient`."""

    def __init__(self, **kwargs: Any) -> None:
        self._alluxio_cookies = CookieStore()
        super().__init__(**kwargs)

    @property
    def cookies(self) -> httpx.Cookies:
        return self._alluxio_cookies

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        self._alluxio_cookies = CookieStore(cookies)


class ClientBase:
    """The settings, proxies and constructors :class:`alluxio.Client` and
    :class:`alluxio.AsyncClient` share; each adds its HTTP client and its I/O."""

    base_url: str
    """``scheme://host:port`` of the configured proxy."""
    host: str
    port: int
    timeout: float | None
    chunk_size: int
    _retry: RetryPolicy
    _endpoints: Endpoints
    _dialect_setting: Dialect | Literal["auto"]
    _ops: Operations | None

    def _configure(
        self,
        host: str,
        port: int,
        timeout: float | None,
        *,
        connect_timeout: float,
        dialect: Dialect | Literal["auto"],
        chunk_size: int,
        scheme: str,
        retries: bool | int | RetryPolicy,
        proxies: Sequence[str],
    ) -> None:
        """Check and keep the constructor arguments both clients have."""
        self.base_url = check_client_args(host, port, timeout, dialect, scheme, connect_timeout)
        self._retry = retry_policy(retries)
        self._endpoints = client_endpoints(scheme, host, port, proxies)
        self.host = host
        self.port = port
        self.timeout = timeout
        self.chunk_size = check_chunk_size(chunk_size)
        self._dialect_setting = dialect
        self._ops = None if dialect == "auto" else Operations(dialect)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Self:
        """Create a client from a proxy URL, or a comma-separated list of them to fail over
        between, e.g. ``"http://a:39999,http://b:39999"`` (scheme ``http`` and port 39999 when
        left out). ``kwargs`` are the other arguments of the constructor.

        Raises:
            ValueError: A URL has a path, query, credentials or a bad scheme or port.
        """
        return cls(**from_url_args(url, kwargs))

    @property
    def proxies(self) -> list[str]:
        """The URLs of the proxies this client may use, the configured one first."""
        return [endpoint.url for endpoint in self._endpoints.all]

    @property
    def current_proxy(self) -> str:
        """The URL of the proxy the next call goes to (changes on failover)."""
        return self._endpoints.current.url

    def __repr__(self) -> str:
        urls = ",".join(self.proxies)
        return f"{type(self).__name__}({urls!r}, dialect={self._dialect_setting!r})"


def check_chunk_size(chunk_size: object) -> int:
    """Validate a read/stream chunk size."""
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise TypeError(f"chunk_size must be an int, got {type(chunk_size).__name__}")
    if chunk_size <= 0:
        raise ValueError(f"chunk_size must be > 0, got {chunk_size}")
    return chunk_size


_BINARY_MODES: dict[str, str] = {"rb": "r", "wb": "w"}


def check_open_args(
    mode: object, opt: object
) -> tuple[Literal["r"], option.OpenFile | None] | tuple[Literal["w"], option.CreateFile | None]:
    """Validate ``open(path, mode, opt)``: mode ``"r"`` takes OpenFile, ``"w"`` CreateFile.

    ``"rb"`` and ``"wb"`` (the spelling of binary files in :func:`open`) mean the same:
    streams are always bytes."""
    if isinstance(mode, str):
        mode = _BINARY_MODES.get(mode, mode)
    if mode == "r":
        if opt is None or type(opt) is option.OpenFile:
            return "r", opt
        expected: type[_facade.Options] = option.OpenFile
    elif mode == "w":
        if opt is None or type(opt) is option.CreateFile:
            return "w", opt
        expected = option.CreateFile
    else:
        raise ValueError(f"mode must be 'r' or 'w' ('rb' and 'wb' too), got {mode!r}")
    raise TypeError(
        f"open: opt must be alluxio.option.{expected.__name__} for mode {mode!r}, "
        f"got {type(opt).__name__}"
    )


def check_file_id(file_id: object) -> int:
    """Validate a stream id returned by ``open_file``/``create_file``."""
    if isinstance(file_id, bool) or not isinstance(file_id, int):
        raise TypeError(f"file_id must be an int, got {type(file_id).__name__}")
    if not 0 <= file_id <= MAX_STREAM_ID:
        # The proxy's ids are Java ints: another number names no stream it could have issued.
        raise InvalidArgumentError(
            f"file_id must be a stream id in 0..{MAX_STREAM_ID} (the proxy's range), got {file_id}"
        )
    return file_id


def _check_opt(method: str, opt: object, cls: type[_facade.Options]) -> dict[str, Any] | None:
    if opt is None:
        return None
    if type(opt) is not cls:
        raise TypeError(
            f"{method}: opt must be alluxio.option.{cls.__name__}, got {type(opt).__name__}"
        )
    return opt.json()


def _decode_json(body: bytes, what: str) -> Any:
    try:
        return _json.loads(body)
    except ValueError:
        raise UnknownError(
            f"the proxy answered {what} with a body that is not JSON: {body[:200]!r}"
        ) from None


def _expect(kind: type[T], what: str) -> Callable[[bytes], T]:
    def parse(body: bytes) -> T:
        value = _decode_json(body, what)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise UnknownError(
                f"the proxy answered {what} with {value!r}; expected a JSON {kind.__name__}"
            )
        return value

    return parse


def _ignore(_body: bytes) -> None:
    return None


def _file_info(what: str) -> Callable[[bytes], FileInfo]:
    def parse(body: bytes) -> FileInfo:
        fast = _json.file_info(body)
        if fast is not None:
            return fast
        try:
            return FileInfo.from_json(_decode_json(body, what))
        except ValueError as exc:
            raise UnknownError(f"malformed FileInfo from the proxy in {what}: {exc}") from None

    return parse


def _with_body(kwargs: dict[str, Any], body: dict[str, Any] | None) -> dict[str, Any]:
    if body is None:
        # No options: no body at all, so the proxy applies its own defaults.
        kwargs.pop("headers", None)
    else:
        kwargs["json"] = body
    return kwargs


REPLACE_ATTEMPTS = 3
"""How often publishing a file with ``overwrite`` tries again when another writer keeps
taking the destination between its check and its rename."""


def replacing() -> option.Rename:
    """The options of a rename that replaces an existing destination in the same step
    (``s3SyntaxOptions.overwrite``, 2.x proxies only)."""
    return option.Rename(s3_syntax_options=option.S3SyntaxOptions(overwrite=True))


def not_replaced(path: str, found: FileInfo) -> AlreadyExistsError | None:
    """The error for a destination that publishing with ``overwrite`` must not replace, or
    None for a complete file. A rename with overwrite replaces anything: a directory with
    its contents, and a file still being written, whose writer's close then succeeds while
    its data is gone (both measured on 2.9.6)."""
    if found.folder:
        return AlreadyExistsError(
            f'Path "{path}" already exists and is a directory; only files are replaced'
        )
    if not found.completed:
        return AlreadyExistsError(
            f'Path "{path}" is incomplete (being written, or abandoned by its writer); only '
            "complete files are replaced: delete it first if nobody is writing it"
        )
    return None


def _check_replaceable(path: str, dst: str) -> None:
    """Refuse a rename with overwrite onto the source's own ancestor: 2.9.6 accepts it and
    its master then died (a fatal journal error) or hung holding the path's locks, every
    later request on the path hanging: measured once each."""
    src = posixpath.normpath("/" + path.lstrip("/"))
    target = posixpath.normpath("/" + dst.lstrip("/"))
    if target != src and (target == "/" or src.startswith(target + "/")):
        raise InvalidArgumentError(
            f"rename: {dst!r} is an ancestor of {path!r}; replacing it (s3_syntax_options "
            "overwrite) would remove the source, and breaks an Alluxio 2.9.6 master (it died or "
            "hung in our measurements)"
        )


class Operations:
    """Builds the :class:`Call` of every proxy operation for one dialect.

    Each method imports its generated endpoint module when first called (later calls find
    it imported: well under a microsecond): a command that makes one kind of request does
    not import the other endpoints and their models at start-up.
    """

    def __init__(self, dialect: Dialect) -> None:
        self.dialect: Dialect = dialect

    def _body(self, method: str, opt: object, cls: type[_facade.Options]) -> dict[str, Any] | None:
        options = _check_opt(method, opt, cls)
        if options is None:
            return None
        return to_dialect(
            options, self.dialect, option_name=f"{method}: {cls.__name__}", schema=cls._schema
        )

    def create_directory(self, path: str, opt: option.CreateDirectory | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import create_directory as _create_directory

        path = check_path(path)
        body = self._body("create_directory", opt, option.CreateDirectory)
        # With allow_exists a second attempt succeeds like the first: safe to retry.
        idempotent = isinstance(opt, option.CreateDirectory) and opt.allow_exists is True
        return Call(_with_body(_create_directory._get_kwargs(path), body), _ignore, idempotent)

    def create_file(self, path: str, opt: option.CreateFile | None) -> Call[int]:
        from alluxio_proxy_api.api.paths import create_file as _create_file

        path = check_path(path)
        body = self._body("create_file", opt, option.CreateFile)
        request = _with_body(_create_file._get_kwargs(path), body)
        return Call(request, _expect(int, f"create-file {path!r}"), False)

    def delete(self, path: str, opt: option.Delete | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import delete as _delete

        path = check_path(path)
        body = self._body("delete", opt, option.Delete)
        return Call(_with_body(_delete._get_kwargs(path), body), _ignore, False)

    def exists(self, path: str, opt: option.Exists | None) -> Call[bool]:
        from alluxio_proxy_api.api.paths import exists as _exists

        path = check_path(path)
        body = self._body("exists", opt, option.Exists)
        request = _with_body(_exists._get_kwargs(path), body)
        return Call(request, _expect(bool, f"exists {path!r}"), True)

    def free(self, path: str, opt: option.Free | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import free as _free

        path = check_path(path)
        body = self._body("free", opt, option.Free)
        return Call(_with_body(_free._get_kwargs(path), body), _ignore, True)

    def get_status(self, path: str, opt: option.GetStatus | None) -> Call[FileInfo]:
        from alluxio_proxy_api.api.paths import get_status as _get_status

        path = check_path(path)
        body = self._body("get_status", opt, option.GetStatus)
        request = _with_body(_get_status._get_kwargs(path), body)
        return Call(request, _file_info(f"get-status {path!r}"), True)

    def list_status(self, path: str, opt: option.ListStatus | None) -> Listing[FileInfo]:
        """list-status, decoded into FileInfo entries as the answer arrives."""
        from alluxio_proxy_api.api.paths import list_status as _list_status

        path = check_path(path)
        body = self._body("list_status", opt, option.ListStatus)
        request = _with_body(_list_status._get_kwargs(path), body)
        what = f"list-status {path!r}"
        return Listing(request, lambda: ListingDecoder.file_infos(what))

    def ls(self, path: str, opt: option.ListStatus | None) -> Listing[str]:
        """list-status, decoded for the entries' names only."""
        listing = self.list_status(path, opt)
        what = f"list-status {path!r}"
        return Listing(listing.request, lambda: ListingDecoder.names(what))

    def mount(self, path: str, src: str, opt: option.Mount | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import mount as _mount

        path = check_path(path)
        if not isinstance(src, str):
            raise TypeError(f"src must be a str, got {type(src).__name__}")
        if not src:
            raise ValueError("src must name the under storage to mount, got ''")
        _check_text("src", src)
        body = self._body("mount", opt, option.Mount)
        return Call(_with_body(_mount._get_kwargs(path, src=src), body), _ignore, False)

    def open_file(self, path: str, opt: option.OpenFile | None) -> Call[int]:
        from alluxio_proxy_api.api.paths import open_file as _open_file

        path = check_path(path)
        body = self._body("open_file", opt, option.OpenFile)
        request = _with_body(_open_file._get_kwargs(path), body)
        return Call(request, _expect(int, f"open-file {path!r}"), False)

    def rename(self, path: str, dst: str, opt: option.Rename | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import rename as _rename

        path = check_path(path)
        dst = check_path(dst, "dst")
        body = self._body("rename", opt, option.Rename)
        if body is not None and (body.get("s3SyntaxOptions") or {}).get("overwrite"):
            _check_replaceable(path, dst)
        return Call(_with_body(_rename._get_kwargs(path, dst=dst), body), _ignore, False)

    def set_attribute(self, path: str, opt: option.SetAttribute | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import set_attribute as _set_attribute

        path = check_path(path)
        body = self._body("set_attribute", opt, option.SetAttribute)
        return Call(_with_body(_set_attribute._get_kwargs(path), body), _ignore, True)

    def unmount(self, path: str, opt: option.Unmount | None) -> Call[None]:
        from alluxio_proxy_api.api.paths import unmount as _unmount

        path = check_path(path)
        body = self._body("unmount", opt, option.Unmount)
        return Call(_with_body(_unmount._get_kwargs(path), body), _ignore, False)

    def close_stream(self, file_id: int) -> Call[None]:
        from alluxio_proxy_api.api.streams import close_stream as _close_stream

        file_id = check_file_id(file_id)
        return Call(_with_body(_close_stream._get_kwargs(file_id), None), _ignore, False)

    def read_stream(self, file_id: int) -> dict[str, Any]:
        """The request that streams a file's remaining bytes (sent with streaming)."""
        from alluxio_proxy_api.api.streams import read_stream as _read_stream

        file_id = check_file_id(file_id)
        return _read_stream._get_kwargs(file_id)

    def write_stream(self, file_id: int, content: Any) -> Call[int]:
        from alluxio_proxy_api.api.streams import write_stream as _write_stream
        from alluxio_proxy_api.types import File

        file_id = check_file_id(file_id)
        request = _write_stream._get_kwargs(file_id, body=File(payload=io.BytesIO()))
        request["content"] = content
        return Call(request, _expect(int, f"write to stream {file_id}"), False)

    @staticmethod
    def proxy_info() -> Call[dict[str, Any]]:
        from alluxio_proxy_api.api.proxy import get_proxy_info as _get_proxy_info

        parse: Callable[[bytes], dict[str, Any]] = _expect(dict, "proxy/info")
        return Call(_get_proxy_info._get_kwargs(), parse, True)


def _mount_secrets(src: str, opt: object) -> list[str]:
    secrets: list[str] = []
    if isinstance(opt, option.Mount) and opt.properties:
        secrets.extend(value for value in opt.properties.values() if value)
    # Credentials written into the under-storage URI (scheme://user:password@host/...).
    authority = src.partition("://")[2].partition("/")[0]
    if "@" in authority:
        userinfo = authority.rpartition("@")[0]
        secrets.extend(part for part in userinfo.split(":") if part)
    return secrets


@contextlib.contextmanager
def redacting(src: str, opt: object) -> Iterator[None]:
    """Around a mount call: remove the mount's secrets (property values, credentials in
    ``src``) from the message of an :class:`AlluxioError` raised inside. The proxy may echo
    what it was sent (a binding error quoting the body, a UFS error quoting ``src``)."""
    try:
        yield
    except AlluxioError as error:
        message = error.message
        # Longest first, so a secret containing another is replaced whole.
        for secret in sorted(_mount_secrets(src, opt), key=len, reverse=True):
            message = message.replace(secret, "***")
        if message != error.message:
            error.message = message
            error.args = (message,)
        raise


def check_buffer(buffer: object) -> memoryview:
    """Validate ``readinto``'s buffer (before anything is read); return it as bytes."""
    try:
        view = memoryview(buffer)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"buffer must be a writable bytes-like object, got {type(buffer).__name__}"
        ) from None
    if view.readonly:
        raise TypeError(f"buffer must be writable, got a read-only {type(buffer).__name__}")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


def check_local_path(local: object, name: str = "local") -> str:
    """Validate a local file-system path argument (str or os.PathLike of str)."""
    if isinstance(local, os.PathLike):
        local = os.fspath(local)
    if not isinstance(local, str):
        raise TypeError(f"{name} must be a str or os.PathLike, got {type(local).__name__}")
    if not local:
        raise ValueError(f"{name} must name a local file or directory, got ''")
    if "\x00" in local:
        raise ValueError(f"{name} must not contain NUL characters, got {local!r}")
    return local


def check_transfer_args(
    local: object, remote: object, overwrite: object, progress: object
) -> tuple[str, str]:
    """Validate ``upload``/``download`` arguments before anything is sent or written."""
    local = check_local_path(local)
    remote = check_path(remote, "remote")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be a bool, got {type(overwrite).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None, got {type(progress).__name__}")
    return local, remote


def check_write_bytes_args(
    path: object,
    data: object,
    opt: object,
    atomic: object,
    overwrite: object = False,
    *,
    async_ok: bool = False,
) -> None:
    """Validate ``write_bytes`` arguments before anything is sent (its atomic form asks
    whether the path exists first)."""
    check_path(path)
    check_write_data(data, async_ok=async_ok)
    check_open_args("w", opt)
    if not isinstance(atomic, bool):
        raise TypeError(f"atomic must be a bool, got {type(atomic).__name__}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be a bool, got {type(overwrite).__name__}")
    if overwrite and not atomic:
        raise ValueError(
            "overwrite=True replaces the file by renaming the complete new one onto it, which "
            "needs atomic=True; to write in place over a file, pass "
            "option.CreateFile(overwrite=True) (2.x proxies) instead"
        )


def check_write_data(data: object, *, async_ok: bool = False) -> None:
    """Reject what :meth:`Writer.write` cannot stream, before a request is sent.

    With ``async_ok`` (the async writer), async iterables are accepted too.
    """
    if isinstance(data, str):
        raise TypeError(
            "data must be bytes-like, a binary file object or an iterable of bytes, got str; "
            "encode it first, e.g. data.encode('utf-8')"
        )
    if isinstance(data, io.TextIOBase):
        raise TypeError("data must be a binary file object; open the file with 'rb'")
    if isinstance(data, bytes | bytearray | memoryview):
        return
    if hasattr(data, "read") or isinstance(data, Iterable):
        return
    if async_ok and isinstance(data, AsyncIterable):
        return
    raise TypeError(
        "data must be bytes-like, a binary file object or an iterable of bytes, "
        f"got {type(data).__name__}"
    )


def check_chunk(chunk: object, *, from_file: bool = False) -> int:
    """Check one piece of streamed write data; return its size in bytes.

    A str is a TypeError, never silently encoded.
    """
    if isinstance(chunk, bytes | bytearray | memoryview):
        return memoryview(chunk).nbytes
    if from_file:
        if isinstance(chunk, str):
            raise TypeError("data must be a binary file object; got text from read()")
        raise TypeError(f"read() of the data file returned {type(chunk).__name__}, not bytes")
    raise TypeError(f"iterable data must yield bytes-like objects, got {type(chunk).__name__}")


def check_written(file_id: int, sent: int, written: int) -> int:
    """Compare the bytes sent in one stream write with the count the proxy reports."""
    if written != sent:
        raise DataLossError(f"stream {file_id}: sent {sent} bytes but the proxy stored {written}")
    return written


def iter_write_chunks(data: Any, chunk_size: int, counter: list[int]) -> Iterator[Bytes]:
    """Yield ``data`` in pieces for a streamed request body, counting the bytes in ``counter``.

    File objects are read ``chunk_size`` bytes at a time; iterables are passed through,
    each element checked to be bytes-like (a str in an iterable is a TypeError, never
    silently encoded).
    """
    if hasattr(data, "read"):
        read = data.read
        while True:
            chunk = read(chunk_size)
            if not chunk:
                return
            counter[0] += check_chunk(chunk, from_file=True)
            yield _as_bytes(chunk)
    for chunk in data:
        counter[0] += check_chunk(chunk)
        yield _as_bytes(chunk)


def primed(chunks: Iterator[Bytes]) -> Iterable[Bytes]:
    """Take the first piece of a streamed body now, so that data whose pieces are not bytes
    (a list of ints, a dict) raises before the request starts, not half-way through it."""
    first = next(chunks, None)
    return () if first is None else itertools.chain((first,), chunks)


def _as_bytes(chunk: Bytes) -> Bytes:
    # The transport frames a chunk by len(): for a memoryview of wider items (an int array)
    # that is the item count, not the byte count. Hand it over as a view of bytes.
    if isinstance(chunk, memoryview) and (chunk.format != "B" or chunk.ndim != 1):
        return chunk.cast("B") if chunk.c_contiguous else chunk.tobytes()
    return chunk
