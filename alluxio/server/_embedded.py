"""Running the proxy in-process: uvicorn in a background thread."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from types import TracebackType
from typing import Any, Literal

import uvicorn
from starlette.applications import Starlette

from ._app import create_app
from ._fs import DEFAULT_PERSIST_DELAY
from ._options import Dialect
from ._security import (
    TOKEN_ENV,
    Limits,
    SecurityConfig,
    bounded_http_protocol,
    is_loopback,
)

__all__ = ["EmbeddedProxy"]

logger = logging.getLogger("alluxio.server")


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def format_url(host: str, port: int) -> str:
    """``http://host:port`` (IPv6 literals bracketed)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def check_binding(host: str, allow_remote: bool) -> None:
    """Refuse (``ValueError``) listening beyond loopback unless explicitly allowed."""
    if not allow_remote and not is_loopback(host):
        raise ValueError(
            f"listening on {host} exposes the proxy (and every file it can reach) to other "
            "machines; pass allow_remote=True (--allow-remote) if that is intended, and "
            "consider a token"
        )


def remote_warning(host: str, token: bool) -> str | None:
    """The warning printed when listening beyond loopback (None on loopback)."""
    if is_loopback(host):
        return None
    return f"WARNING: the embedded proxy listens on {host}: other machines can reach it" + (
        "" if token else " and it requires no token (--token or " + TOKEN_ENV + ")"
    )


def uvicorn_config(
    app: object, log_level: str, limits: Limits | None = None, dialect: Dialect = "2.x"
) -> uvicorn.Config:
    """The uvicorn settings the proxy runs with (request heads bounded by ``limits``)."""
    limits = limits or Limits()
    try:
        http: Any = bounded_http_protocol(limits.max_header_bytes, dialect)
    except ImportError:  # pragma: no cover - no httptools (the server extra installs it)
        http = "h11"
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        http=http,
        log_level=log_level,
        access_log=False,
        lifespan="on",
        # Without httptools: h11 bounds the request head itself.
        h11_max_incomplete_event_size=limits.max_header_bytes,
        timeout_keep_alive=30,
        # A stalled client must not keep a stopping server alive forever.
        timeout_graceful_shutdown=10,
        server_header=False,
        date_header=True,
    )


class EmbeddedProxy:
    """An Alluxio proxy serving a local directory, running in a background thread.

    Args:
        root: Directory holding the namespace (created if missing); its state store lives in
            ``root/.alluxio-proxy/``, so a new proxy on the same root sees everything written
            before.
        host: Address to listen on.
        port: Port to listen on; 0 picks a free port (read it from :attr:`port` once started).
        dialect: ``"2.x"`` (default) or ``"1.x"`` wire dialect.
        stream_timeout: Seconds after which idle streams are dropped (write streams are
            completed when dropped).
        log_level: uvicorn's log level (``"warning"`` by default).
        persist_delay: Seconds from closing an ASYNC_THROUGH file (the default write type)
            until it is persisted, like the asynchronous persistence of a real cluster
            (default 5 s; until then ``free`` refuses it). 0 persists at once.
        allow_mounts: Directories mount sources may lie in (after resolving symlinks, ``..``
            and ``file://``); by default nothing can be mounted. Mounts restored from an
            earlier run outside these directories stay inactive (a warning is logged).
        allow_hosts: Host names accepted in the ``Host`` header besides loopback names and
            IP addresses (``"*"``: any); guards against DNS rebinding.
        allow_origins: Browser origins (``"http://localhost:8000"``, ``"*"``) whose pages
            may call the proxy; requests with any other ``Origin`` header are refused (403).
        allow_remote: Must be true to listen on a non-loopback address.
        token: If set, every request needs ``Authorization: Bearer <token>`` (401
            otherwise).
        limits: Resource bounds (:class:`~alluxio.server.Limits`: request head size, open
            streams, descriptors held by idle streams, blocks per file, JSON body size), e.g.
            ``Limits(max_idle_fds=16)``.

    See the guide "Security of the embedded proxy" for what these protect against.

    Attributes:
        root: The directory served, as given.
        host: The address the proxy listens on.
        port: The port the proxy listens on: the one chosen once started with port 0.
        dialect: The wire dialect served.
        stream_timeout: Seconds after which idle streams are dropped.

    Examples:
        Use it as a context manager:

        ```python
        from alluxio.server import EmbeddedProxy

        with EmbeddedProxy("/tmp/alluxio-root") as proxy:
            print(proxy.url)  # e.g. http://127.0.0.1:40123
        ```
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        dialect: Literal["2.x", "1.x"] = "2.x",
        stream_timeout: float = 3600.0,
        log_level: str = "warning",
        persist_delay: float = DEFAULT_PERSIST_DELAY,
        allow_mounts: Iterable[str | os.PathLike[str]] = (),
        allow_hosts: Iterable[str] = (),
        allow_origins: Iterable[str] = (),
        allow_remote: bool = False,
        token: str | None = None,
        limits: Limits | None = None,
    ) -> None:
        check_binding(host, allow_remote)
        self.security = SecurityConfig.build(
            allow_mounts=allow_mounts,
            allow_hosts=allow_hosts,
            allow_origins=allow_origins,
            token=token,
            limits=limits,
        )
        self.root = os.fspath(root)
        self.host = host
        self.port = port
        self.dialect: Literal["2.x", "1.x"] = dialect
        self.stream_timeout = stream_timeout
        self.persist_delay = persist_delay
        self._log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._app: Starlette | None = None

    @property
    def url(self) -> str:
        """Base URL of the running proxy, e.g. ``http://127.0.0.1:40123``."""
        return format_url(self.host, self.port)

    @property
    def running(self) -> bool:
        """Whether the server thread is serving."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start serving; returns once the proxy accepts connections."""
        if self.running:
            raise RuntimeError("the proxy is already running")
        app = create_app(
            self.root,
            dialect=self.dialect,
            stream_timeout=self.stream_timeout,
            host=self.host,
            persist_delay=self.persist_delay,
            security=self.security,
        )
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        warning = remote_warning(self.host, self.security.token is not None)
        if warning:
            logger.warning("%s", warning)
        server = uvicorn.Server(
            uvicorn_config(app, self._log_level, self.security.limits, self.dialect)
        )
        failure: list[BaseException] = []

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # reported to start() below
                failure.append(exc)
            finally:
                sock.close()

        thread = threading.Thread(target=run, name=f"alluxio-proxy-{self.port}", daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the embedded proxy failed to start") from (
                    failure[0] if failure else None
                )
            time.sleep(0.005)
        self._server, self._thread = server, thread
        self._app = app

    @property
    def open_streams(self) -> int:
        """How many read and write streams are open now (0 when stopped): for leak checks in
        tests and diagnostics."""
        app = self._app
        if app is None or not self.running:
            return 0
        streams = app.state.proxy.streams
        return len(streams.reads) + len(streams.writes)

    def stop(self, timeout: float = 30.0) -> None:
        """Stop serving: finish in-flight requests, close streams, release the port."""
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        if thread.is_alive():
            server.force_exit = True
            thread.join(timeout)
        self._server = self._thread = None

    def __enter__(self) -> EmbeddedProxy:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmbeddedProxy(root={self.root!r}, url={self.url!r}, dialect={self.dialect!r})"
