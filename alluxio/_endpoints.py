"""Proxy endpoints: the list a client may fail over across, and which proxy owns which stream.

I/O-free and shared by :class:`alluxio.Client` and :class:`alluxio.AsyncClient`. A client is
given one or more proxies; requests go to the *current* one, which changes only when it cannot
be reached (see :mod:`alluxio._retry`), so a client sticks to a proxy that works instead of
spreading load. Stream ids (from ``create_file``/``open_file``) are counters local to the proxy
that issued them, so the client remembers which proxy issued each id and sends every request on
that stream (read, write, close) there, never to another proxy.

After a failover two proxies may issue the same id, so the issuer is recorded per issuing call:
with several proxies ``create_file``/``open_file`` return a :class:`StreamId`, an ``int`` that
carries its proxy, and a :class:`alluxio.Writer` keeps the proxy of its stream from creation.
A plain ``int`` id (one rebuilt from a number) can only be looked up by value: it goes to the
proxy that issued that number last.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_PORT", "Endpoint", "Endpoints", "StreamId", "parse_proxy_urls"]

DEFAULT_PORT = 39999

# Stream ids the client remembers at most; an id never closed (the proxy expires idle streams
# after an hour) must not grow the table forever. The oldest ids are forgotten first.
_MAX_PINNED_STREAMS = 65536


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One proxy: ``scheme://host:port``."""

    scheme: str
    host: str
    port: int

    def __post_init__(self) -> None:
        if self.scheme not in ("http", "https"):
            raise ValueError(f"scheme must be 'http' or 'https', got {self.scheme!r}")
        if not isinstance(self.host, str) or not self.host:
            raise ValueError(f"host must be a non-empty str, got {self.host!r}")
        if isinstance(self.port, bool) or not isinstance(self.port, int):
            raise TypeError(f"port must be an int, got {type(self.port).__name__}")
        if not 0 < self.port < 65536:
            raise ValueError(f"port must be in 1..65535, got {self.port}")

    @property
    def url(self) -> str:
        """``scheme://host:port`` (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def join(self, path: str) -> httpx.URL:
        """The absolute URL of ``path`` (an already-encoded ``/api/v1/...`` reference) here.

        The same URL ``httpx.Client(base_url=...)`` would build (encoding left untouched),
        from one parse of the joined text: a third of the cost, paid on every request.
        """
        # Imported here: the command line checks --proxy with this module before (and
        # without) making any request; a client has imported httpx already.
        import httpx

        return httpx.URL(self.url + "/" + path.lstrip("/"))

    def __str__(self) -> str:
        return self.url


class StreamId(int):
    """A stream id as issued by one proxy of a client with several: equal to, hashing and
    printing as the proxy's ``int`` id (so it is used wherever an id is), and remembering
    which proxy issued it, since another proxy may issue the same number after a failover."""

    endpoint: Endpoint

    def __new__(cls, value: int, endpoint: Endpoint) -> Self:
        self = super().__new__(cls, value)
        self.endpoint = endpoint
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (StreamId, (int(self), self.endpoint))


def parse_proxy_url(url: object, *, name: str = "url") -> Endpoint:
    """Parse ``http://host:port`` (scheme optional, ``http`` by default; port 39999 by default).

    Raises:
        TypeError: ``url`` is not a str.
        ValueError: ``url`` has a path, query, fragment or credentials, or a bad scheme/port.
    """
    if not isinstance(url, str):
        raise TypeError(f"{name} must be a str, got {type(url).__name__}")
    text = url.strip()
    if not text:
        raise ValueError(f"{name} must name a proxy, e.g. 'http://localhost:39999', got {url!r}")
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    # Never echo a URL that may hold credentials in an error message.
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{name} must not contain credentials")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ValueError(
            f"{name} must be scheme://host:port with no path, query or fragment, got {url!r}"
        )
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{name} has an invalid port: {url!r}") from None
    if not parts.hostname:
        raise ValueError(f"{name} has no host: {url!r}")
    return Endpoint(parts.scheme, parts.hostname, DEFAULT_PORT if port is None else port)


def parse_proxy_urls(urls: str, *, name: str = "url") -> list[Endpoint]:
    """Parse a comma-separated list such as ``http://a:39999,http://b:39999``."""
    if not isinstance(urls, str):
        raise TypeError(f"{name} must be a str, got {type(urls).__name__}")
    return [parse_proxy_url(part, name=name) for part in urls.split(",")]


class Endpoints:
    """The proxies of one client, the current one, and the issuer of each open stream.

    Thread-safe: one client may be shared by threads (and the async client's tasks).
    """

    def __init__(self, endpoints: Iterable[Endpoint]) -> None:
        unique = list(dict.fromkeys(endpoints))
        if not unique:
            raise ValueError("at least one proxy is needed")
        self.all: Sequence[Endpoint] = tuple(unique)
        self._current = 0
        self._lock = threading.Lock()
        self._streams: OrderedDict[int, Endpoint] = OrderedDict()

    def __len__(self) -> int:
        return len(self.all)

    @property
    def current(self) -> Endpoint:
        """Where the next request goes (unless it is pinned to a stream's proxy)."""
        return self.all[self._current]

    def after(self, endpoint: Endpoint, tried: set[Endpoint]) -> Endpoint | None:
        """The next proxy after ``endpoint`` (in list order, wrapping) not yet in ``tried``."""
        start = self.all.index(endpoint)
        for step in range(1, len(self.all)):
            candidate = self.all[(start + step) % len(self.all)]
            if candidate not in tried:
                return candidate
        return None

    def unreachable(self, endpoint: Endpoint) -> None:
        """``endpoint`` could not be reached: move the current proxy past it."""
        with self._lock:
            if self.all[self._current] == endpoint:
                self._current = (self._current + 1) % len(self.all)

    def reachable(self, endpoint: Endpoint) -> None:
        """``endpoint`` answered: make it the current proxy (stick to what works)."""
        with self._lock:
            self._current = self.all.index(endpoint)

    # -- streams -------------------------------------------------------------------------------

    def pin(self, file_id: int, endpoint: Endpoint) -> int:
        """Remember that ``endpoint`` issued the stream ``file_id``; return the id to hand to
        the caller: a :class:`StreamId` carrying ``endpoint`` when there are several proxies."""
        if len(self.all) == 1:
            return file_id
        with self._lock:
            # Ids are per proxy: after a failover a second proxy may issue an id the first
            # one also issued. The StreamId returned keeps each apart; a plain int of that
            # value can only mean the newest.
            self._streams.pop(file_id, None)
            self._streams[int(file_id)] = endpoint
            while len(self._streams) > _MAX_PINNED_STREAMS:
                self._streams.popitem(last=False)
        return StreamId(file_id, endpoint)

    def of_stream(self, file_id: int) -> Endpoint:
        """The proxy that issued ``file_id``: its own for a :class:`StreamId` of this client,
        else the last to issue that number (the current one for an id this client never saw,
        e.g. one obtained by another client)."""
        if len(self.all) == 1:
            return self.all[0]
        if isinstance(file_id, StreamId) and file_id.endpoint in self.all:
            return file_id.endpoint
        with self._lock:
            return self._streams.get(int(file_id), self.all[self._current])

    def unpin(self, file_id: int) -> None:
        """Forget the stream ``file_id`` (it was closed), unless the number now belongs to a
        newer stream of another proxy."""
        with self._lock:
            pinned = self._streams.get(int(file_id))
            if not isinstance(file_id, StreamId) or pinned == file_id.endpoint:
                self._streams.pop(int(file_id), None)

    @property
    def open_streams(self) -> int:
        """How many stream ids are remembered (for tests and diagnostics)."""
        with self._lock:
            return len(self._streams)
