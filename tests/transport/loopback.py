"""Small real servers on loopback for the HTTP option tests: a gateway in front of an
Alluxio proxy (TLS, mutual TLS, a required header), and an HTTP forward proxy (absolute-form
requests and CONNECT tunnels).

Both relay one request per connection to their upstream with ``Connection: close`` and pass
the answer back until the upstream closes, which keeps them short; the clients under test
just open a new connection per request.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from tests.transport.test_transport import read_request

_HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"transfer-encoding",
    b"proxy-authorization",
    b"content-length",
}


def make_certificate(
    directory: Path, name: str, *, ca: tuple[Path, Path] | None = None
) -> tuple[Path, Path]:
    """(key, certificate) for 127.0.0.1 named ``name``: self-signed, or signed by ``ca``
    (key, certificate) when given."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make test certificates")
    key, cert = directory / f"{name}-key.pem", directory / f"{name}.pem"
    subject = ["-subj", f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1"]
    if ca is None:
        command = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                   "-keyout", str(key), "-out", str(cert), *subject]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
        return key, cert
    csr = directory / f"{name}.csr"
    subprocess.run(
        [openssl, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(csr), *subject],
        check=True, capture_output=True,
    )  # fmt: skip
    ext = directory / f"{name}.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")
    subprocess.run(
        [openssl, "x509", "-req", "-in", str(csr), "-CA", str(ca[1]), "-CAkey", str(ca[0]),
         "-CAcreateserial", "-days", "1", "-out", str(cert), "-extfile", str(ext)],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


def make_ca(directory: Path, name: str) -> tuple[Path, Path]:
    """A CA (key, certificate) that can sign :func:`make_certificate`'s."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make test certificates")
    key, cert = directory / f"{name}-key.pem", directory / f"{name}.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={name}",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        check=True, capture_output=True,
    )  # fmt: skip
    return key, cert


class _Listener:
    """Accepts connections on 127.0.0.1 and serves each in a thread."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self.listener.getsockname()[1]
        self.errors: list[BaseException] = []
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve_safely, args=(sock,), daemon=True).start()

    def _serve_safely(self, sock: socket.socket) -> None:
        try:
            with sock:
                self.serve(sock)
        except (OSError, ssl.SSLError):
            pass  # a client that gave up (a failed handshake, say)
        except BaseException as exc:  # surfaced by the test
            self.errors.append(exc)

    def serve(self, sock: socket.socket) -> None:
        raise NotImplementedError

    def close(self) -> None:
        self.listener.close()


def _forward(
    line: bytes, headers: dict[bytes, bytes], body: bytes, target: str, client: socket.socket
) -> None:
    """Send one request to ``target`` (host:port) with ``Connection: close`` and relay the
    answer to ``client`` until the target closes."""
    host, _, port = target.rpartition(":")
    with socket.create_connection((host, int(port)), timeout=30) as upstream:
        head = [line]
        head += [name + b": " + value for name, value in headers.items() if name not in _HOP_BY_HOP]
        head += [b"content-length: %d" % len(body), b"connection: close"]
        upstream.sendall(b"\r\n".join(head) + b"\r\n\r\n" + body)
        while data := upstream.recv(65536):
            client.sendall(data)


class Gateway(_Listener):
    """Stands in front of an Alluxio proxy (``upstream``, host:port): TLS with
    ``server_context`` if given (which may require a client certificate), and answers 401
    to requests without ``required`` headers (lower-case name -> value). Keeps every
    request head it received in ``heads``."""

    def __init__(
        self,
        upstream: str,
        *,
        server_context: ssl.SSLContext | None = None,
        required: dict[bytes, bytes] | None = None,
    ) -> None:
        self.upstream = upstream
        self.server_context = server_context
        self.required = required or {}
        self.heads: list[dict[bytes, bytes]] = []
        super().__init__()
        scheme = "https" if server_context is not None else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}"

    def serve(self, sock: socket.socket) -> None:
        conn: socket.socket = sock
        if self.server_context is not None:
            conn = self.server_context.wrap_socket(sock, server_side=True)
        rfile: BinaryIO = conn.makefile("rb")
        request = read_request(rfile)
        if request is None:
            return
        line, headers, body = request
        self.heads.append(headers)
        if any(headers.get(name) != value for name, value in self.required.items()):
            conn.sendall(
                b"HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n"
                b"Content-Length: 12\r\nConnection: close\r\n\r\nunauthorized"
            )
            return
        _forward(line, headers, body, self.upstream, conn)


class ForwardProxy(_Listener):
    """An HTTP forward proxy: ``GET http://host:port/path`` is sent on to host:port in
    origin form, ``CONNECT host:port`` opens a tunnel. ``targets`` lists what it was asked
    for, in order."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def serve(self, sock: socket.socket) -> None:
        rfile = sock.makefile("rb")
        request = read_request(rfile)
        if request is None:
            return
        line, headers, body = request
        method, target, version = line.split(b" ")
        if method == b"CONNECT":
            self.targets.append("CONNECT " + target.decode())
            host, _, port = target.decode().rpartition(":")
            with socket.create_connection((host, int(port)), timeout=30) as upstream:
                sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                _relay_both_ways(sock, upstream)
            return
        url = target.decode()
        self.targets.append(url)
        assert url.startswith("http://"), url
        authority, _, path = url[len("http://") :].partition("/")
        _forward(b"%s /%s %s" % (method, path.encode(), version), headers, body, authority, sock)


def _relay_both_ways(a: socket.socket, b: socket.socket) -> None:
    def pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
            dst.shutdown(socket.SHUT_WR)

    other = threading.Thread(target=pump, args=(b, a), daemon=True)
    other.start()
    pump(a, b)
    other.join(30)


class Silent(_Listener):
    """Accepts connections and records every byte received on them (``received``)."""

    def __init__(self) -> None:
        self.received = b""
        super().__init__()
        self.url = f"http://127.0.0.1:{self.port}"

    def serve(self, sock: socket.socket) -> None:
        sock.settimeout(5)
        with contextlib.suppress(TimeoutError):
            while data := sock.recv(65536):
                self.received += data


@contextlib.contextmanager
def running(server: _Listener) -> Iterator[None]:
    try:
        yield
    finally:
        server.close()
    assert not server.errors, server.errors
