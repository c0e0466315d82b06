"""A TCP fault proxy for tests: sits between a client and a server on loopback and breaks things.

Every accepted connection is relayed to the upstream server by one thread (``selectors``), with
the faults configured when the connection was accepted:

* ``delay`` - seconds to wait before relaying each piece of data (either direction);
* ``stall`` - accept and read the request but never relay anything (the server never answers);
* ``reset_on_accept`` - reset the connection (RST) as soon as it is accepted;
* ``cut_response_after`` / ``cut_request_after`` - relay that many bytes of the response
  (server to client) or of the request (client to server), then cut the connection;
* ``stall_response_after`` - relay that many response bytes, then go silent (the connection
  stays open, nothing more arrives);
* ``cut_with_reset`` - cut with a TCP reset (default) rather than an orderly close (FIN).

:meth:`FaultProxy.stop` closes the listener and every connection, so the port refuses
connections (``ConnectError`` in the client) until :meth:`FaultProxy.start` opens it again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import selectors
import socket
import struct
import threading
import time
from types import TracebackType

__all__ = ["FaultProxy", "Faults", "free_port"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of the call)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclasses.dataclass
class Faults:
    """The faults applied to the connections accepted from now on."""

    delay: float = 0.0
    stall: bool = False
    reset_on_accept: bool = False
    cut_response_after: int | None = None
    cut_request_after: int | None = None
    stall_response_after: int | None = None
    cut_with_reset: bool = True


def _reset(sock: socket.socket) -> None:
    # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class FaultProxy:
    """Relay ``127.0.0.1:port`` to ``upstream_host:upstream_port`` with injectable faults."""

    def __init__(self, upstream_host: str, upstream_port: int, *, port: int = 0) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = port
        self.faults = Faults()
        self.accepted = 0
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:port``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Listen (on the same port as before after a :meth:`stop`)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(128)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stopping.clear()
        thread = threading.Thread(target=self._accept_loop, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self) -> None:
        """Stop listening and reset every open connection."""
        self._stopping.set()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._lock:
            conns, self._conns = self._conns, set()
        for conn in conns:
            _reset(conn)
        for thread in self._threads:
            thread.join(5)
        self._threads = []

    def __enter__(self) -> FaultProxy:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _accept_loop(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self.accepted += 1
            faults = dataclasses.replace(self.faults)
            if faults.reset_on_accept:
                _reset(client)
                continue
            thread = threading.Thread(target=self._relay, args=(client, faults), daemon=True)
            thread.start()
            with self._lock:
                self._threads = [t for t in self._threads if t.is_alive()]
                self._threads.append(thread)

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._conns.update(socks)

    def _untrack(self, *socks: socket.socket) -> None:
        with self._lock:
            self._conns.difference_update(socks)

    def _relay(self, client: socket.socket, faults: Faults) -> None:
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            _reset(client)
            return
        upstream.settimeout(None)
        self._track(client, upstream)
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ, "up")
        sel.register(upstream, selectors.EVENT_READ, "down")
        sent = {"up": 0, "down": 0}
        limits = {"up": faults.cut_request_after, "down": faults.cut_response_after}
        silent_after = faults.stall_response_after
        try:
            while not self._stopping.is_set():
                for key, _ in sel.select(timeout=0.05):
                    direction: str = key.data
                    source = client if direction == "up" else upstream
                    target = upstream if direction == "up" else client
                    try:
                        data = source.recv(65536)
                    except OSError:
                        return
                    if not data:
                        with contextlib.suppress(OSError):
                            target.shutdown(socket.SHUT_WR)
                        sel.unregister(source)
                        if not sel.get_map():
                            return
                        continue
                    if faults.stall:
                        continue  # swallow: the server never hears of it
                    if direction == "down" and silent_after is not None:
                        room = max(silent_after - sent["down"], 0)
                        data = data[:room]
                    limit = limits[direction]
                    cut = limit is not None and sent[direction] + len(data) >= limit
                    if cut and limit is not None:
                        data = data[: max(limit - sent[direction], 0)]
                    if faults.delay:
                        time.sleep(faults.delay)
                    if data:
                        try:
                            target.sendall(data)
                        except OSError:
                            return
                        sent[direction] += len(data)
                    if cut:
                        return
        finally:
            sel.close()
            self._untrack(client, upstream)
            if faults.cut_with_reset:
                _reset(client)
                _reset(upstream)
            else:
                client.close()
                upstream.close()
