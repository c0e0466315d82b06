"""Running the proxy in-process: uvicorn in a background thread."""

from __future__ import annotations

import os
import socket
import threading
import time
from types import TracebackType
from typing import Literal

import uvicorn
from starlette.applications import Starlette

from ._app import create_app
from ._fs import DEFAULT_PERSIST_DELAY

__all__ = ["EmbeddedProxy"]


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


def uvicorn_config(app: object, log_level: str) -> uvicorn.Config:
    """The uvicorn settings the proxy runs with."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        log_level=log_level,
        access_log=False,
        lifespan="on",
        # Big request bodies arrive in large pieces; keep-alive like Jetty's default.
        h11_max_incomplete_event_size=1 << 20,
        timeout_keep_alive=30,
        # A stalled client must not keep a stopping server alive forever.
        timeout_graceful_shutdown=10,
        server_header=False,
        date_header=True,
    )


class EmbeddedProxy:
    """An Alluxio proxy serving a local directory, running in a background thread.

    **Parameters:**

    * `root` - directory holding the namespace (created if missing); its state store lives in
      ``root/.alluxio-proxy/``, so a new proxy on the same root sees everything written before.
    * `host`, `port` - where to listen; port 0 picks a free port (see :attr:`port`).
    * `dialect` - ``"2.x"`` (default) or ``"1.x"`` wire dialect.
    * `stream_timeout` - seconds after which idle streams are dropped (write streams are
      completed when dropped).
    * `persist_delay` - seconds from closing an ASYNC_THROUGH file (the default write type)
      until it is persisted, like the asynchronous persistence of a real cluster (default
      5 s; until then ``free`` refuses it). 0 persists at once.

    Use it as a context manager::

        from alluxio.server import EmbeddedProxy

        with EmbeddedProxy("/tmp/alluxio-root") as proxy:
            print(proxy.url)  # e.g. http://127.0.0.1:40123
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
    ) -> None:
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
        )
        sock = bind_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn_config(app, self._log_level))
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
