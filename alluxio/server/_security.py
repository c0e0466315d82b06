"""What keeps the embedded proxy safe on a developer's machine.

The real proxy is deployed by an operator, behind a gateway; this one is started by a test or a
developer, as the user owning everything around it. So, unlike a real proxy, it

* mounts only directories under the ones the operator allowed (:class:`MountPolicy`);
* answers only requests naming it in their ``Host`` header, and no cross-site request (an
  ``Origin`` header) unless the origin is allowed, which defeats DNS rebinding and pages
  driving it from a browser (:class:`RequestGate`);
* optionally requires a bearer token on every request (:class:`RequestGate`);
* bounds what one client can make it hold: request head size (:func:`bounded_http_protocol`),
  open streams, descriptors held by idle streams, blocks per file and JSON body size
  (:class:`Limits`, enforced by the app).

Refusals use the real proxy's JSON error envelope, so clients raise the usual exceptions.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from .. import _json
from ._errors import ProxyError, Status
from ._options import MAX_JSON_BODY, Dialect

__all__ = [
    "TOKEN_ENV",
    "Limits",
    "MountPolicy",
    "RequestGate",
    "SecurityConfig",
    "bounded_http_protocol",
    "is_loopback",
]

logger = logging.getLogger("alluxio.server")

DEFAULT_MAX_IDLE_FDS = 64
"""Idle streams keeping their file descriptor by default (:attr:`Limits.max_idle_fds`)."""

TOKEN_ENV = "ALLUXIO_PY_SERVER_TOKEN"
"""Environment variable the server command reads its bearer token from (see ``--token``)."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def envelope(dialect: Dialect, status: str, message: str) -> bytes:
    """The real proxy's JSON error envelope in ``dialect``."""
    key = "statusCode" if dialect == "2.x" else "status"
    return _json.dumps({key: status, "message": message})


# -- mounts -----------------------------------------------------------------------------------


def _resolve_dir(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    if text.startswith("file://"):
        text = text[len("file://") :]
    if not text or "\x00" in text:
        raise ValueError(f"allowed mount directory {path!r} is not a directory name")
    return os.path.realpath(os.path.expanduser(text))


class MountPolicy:
    """The directories mount sources must lie in (after resolving symlinks and ``..``).

    An empty policy refuses every mount.
    """

    def __init__(self, allowed: Iterable[str | os.PathLike[str]] = ()) -> None:
        self.allowed: tuple[str, ...] = tuple(dict.fromkeys(_resolve_dir(p) for p in allowed))

    def allows(self, real: str) -> bool:
        """Whether the resolved local path ``real`` is one of, or under, the allowed ones."""
        return any(real == top or real.startswith(top.rstrip("/") + "/") for top in self.allowed)

    def check(self, src: str, real: str) -> None:
        """Refuse mounting ``src`` (resolved: ``real``) unless it is under an allowed directory.

        Raises :class:`ProxyError` (PERMISSION_DENIED). ``real`` empty (a name no file system
        can hold) is left to the caller's existence check. The message names neither the
        allowed directories nor whether ``src`` exists: clients learn nothing about the host.
        """
        if real and not self.allows(real):
            raise ProxyError(
                Status.PERMISSION_DENIED,
                f"Mounting {src} is not allowed: the embedded proxy mounts only directories "
                "under those its operator allowed (--allow-mount DIR, "
                "EmbeddedProxy(allow_mounts=[...]))",
            )

    def __repr__(self) -> str:
        return f"MountPolicy({list(self.allowed)!r})"


# -- limits and configuration -----------------------------------------------------------------


def _default_max_streams() -> int:
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # pragma: no cover - no such limit (Windows)
        return 1024
    if soft == resource.RLIM_INFINITY:
        return 1024
    return max(16, min(1024, soft // 2))


@dataclass(frozen=True)
class Limits:
    """Resource bounds; each refusal is a clear error in the real proxy's shape.

    * ``max_header_bytes`` - request line plus headers of one request (HTTP 431).
    * ``max_open_streams`` - open read and write streams together (RESOURCE_EXHAUSTED). Each
      holds a file descriptor: the default, 1024, is lowered to half the process's
      descriptor limit where that is smaller (macOS: 256), so streams cannot exhaust it.
    * ``max_idle_fds`` - file descriptors held by idle streams: beyond it, the least
      recently used idle streams close their file and reopen it when used again (invisibly
      to clients), so many open streams do not hold many descriptors.
    * ``max_blocks_per_file`` - blocks of one file at its block size: a write making a file
      longer is refused and the upload discarded (RESOURCE_EXHAUSTED). Bounds what a
      get-status or listing renders for a file created with a tiny ``blockSizeBytes``.
    * ``max_json_body`` - one JSON request body (HTTP 413).
    """

    max_header_bytes: int = 64 << 10
    max_open_streams: int = field(default_factory=_default_max_streams)
    max_idle_fds: int = DEFAULT_MAX_IDLE_FDS
    max_blocks_per_file: int = 10_000
    max_json_body: int = MAX_JSON_BODY

    def __post_init__(self) -> None:
        for name in ("max_header_bytes", "max_open_streams", "max_idle_fds", "max_blocks_per_file"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive int, not {value!r}")
        if isinstance(self.max_json_body, bool) or not isinstance(self.max_json_body, int):
            raise ValueError(f"max_json_body must be an int, not {self.max_json_body!r}")
        if self.max_json_body < 1:
            raise ValueError(f"max_json_body must be positive, not {self.max_json_body}")
        if self.max_header_bytes < 1024:
            raise ValueError("max_header_bytes must be at least 1024")


@dataclass(frozen=True)
class SecurityConfig:
    """Everything :func:`~alluxio.server.create_app` needs to protect itself.

    ``allow_hosts`` are host names (without port) accepted in the ``Host`` header besides
    loopback names and IP literals (``"*"``: any); ``allow_origins`` are browser origins
    (``scheme://host[:port]``, ``"*"``: any) allowed to send cross-site requests; ``token``,
    when set, is required as ``Authorization: Bearer <token>`` on every request.
    """

    mounts: MountPolicy = field(default_factory=MountPolicy)
    allow_hosts: frozenset[str] = frozenset()
    allow_origins: frozenset[str] = frozenset()
    token: str | None = field(default=None, repr=False)
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def build(
        cls,
        *,
        allow_mounts: Iterable[str | os.PathLike[str]] = (),
        allow_hosts: Iterable[str] = (),
        allow_origins: Iterable[str] = (),
        token: str | None = None,
        limits: Limits | None = None,
    ) -> SecurityConfig:
        """Validate and normalize the options (``ValueError`` naming a bad one)."""
        if isinstance(allow_mounts, str | bytes):
            raise TypeError("allow_mounts must be a list of directories, not a string")
        if token is not None and (not isinstance(token, str) or not token.strip()):
            raise ValueError("token must be a non-empty string")
        if token is not None and not token.isascii():
            raise ValueError("token must be ASCII (it travels in an HTTP header)")
        hosts = frozenset(h.strip().lower().rstrip(".") for h in allow_hosts if h.strip())
        origins = frozenset(o.strip().lower().rstrip("/") for o in allow_origins if o.strip())
        return cls(
            mounts=MountPolicy(allow_mounts),
            allow_hosts=hosts,
            allow_origins=origins,
            token=token,
            limits=limits or Limits(),
        )


# -- binding ----------------------------------------------------------------------------------


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server reachable from this machine only."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# -- the request gate -------------------------------------------------------------------------


def _host_name(value: str) -> str:
    """The host part of a Host header value (no port, IPv6 brackets kept off)."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    name = value.rsplit(":", 1)[0] if value.count(":") == 1 else value
    return name.rstrip(".")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class RequestGate:
    """ASGI middleware refusing requests before the proxy sees them.

    * ``Host`` must name this server: a loopback name, an IP literal (DNS rebinding needs a
      host *name*), the bound address or an allowed name; else 403.
    * A request with an ``Origin`` header comes from a browser page; refused (403) unless the
      origin is allowed. Allowed origins get CORS headers and preflight answers; no one else.
    * With a token, ``Authorization: Bearer <token>`` is required (401), compared in constant
      time. The token is never logged or echoed.
    """

    def __init__(
        self, app: ASGIApp, config: SecurityConfig, *, dialect: Dialect, bound_host: str
    ) -> None:
        self.app = app
        self.dialect: Dialect = dialect
        self._hosts = {"localhost", bound_host.strip("[]").lower(), *config.allow_hosts}
        self._any_host = "*" in config.allow_hosts
        self._origins = config.allow_origins
        self._any_origin = "*" in config.allow_origins
        self._expected = (
            b"bearer " + config.token.encode("ascii") if config.token is not None else None
        )

    def _host_allowed(self, value: bytes) -> bool:
        name = _host_name(value.decode("latin-1"))
        return self._any_host or name in self._hosts or name.endswith(".localhost") or _is_ip(name)

    def _token_ok(self, value: bytes | None) -> bool:
        assert self._expected is not None
        if value is None:
            return False
        # The scheme is case-insensitive (RFC 9110); the token is compared in constant time.
        scheme, _, token = value.partition(b" ")
        presented = scheme.lower() + b" " + token.strip()
        return hmac.compare_digest(presented, self._expected)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        host: bytes | None = None
        origin: bytes | None = None
        authorization: bytes | None = None
        for name, value in scope["headers"]:
            if name == b"host":
                host = value
            elif name == b"origin":
                origin = value
            elif name == b"authorization":
                authorization = value
        if host is not None and not self._host_allowed(host):
            await self._refuse(
                send,
                403,
                Status.PERMISSION_DENIED,
                f"Host {host.decode('latin-1')!r} does not name this server; the embedded "
                "proxy answers only requests addressed to it by a loopback name, an IP "
                "address or a name allowed with --allow-host",
            )
            return
        cors: list[tuple[bytes, bytes]] = []
        if origin is not None:
            text = origin.decode("latin-1").strip().lower().rstrip("/")
            if not (self._any_origin or text in self._origins):
                await self._refuse(
                    send,
                    403,
                    Status.PERMISSION_DENIED,
                    f"Cross-site request from origin {text!r} refused; the embedded proxy "
                    "answers browser pages only from origins allowed with --allow-origin",
                )
                return
            cors = [(b"access-control-allow-origin", origin), (b"vary", b"Origin")]
            if scope["method"] == "OPTIONS" and _header(scope, b"access-control-request-method"):
                await self._preflight(scope, send, cors)
                return
        if self._expected is not None and not self._token_ok(authorization):
            await self._refuse(
                send,
                401,
                "UNAUTHENTICATED",  # grpc Status.Code name (the gateway-style refusal)
                "This proxy requires a bearer token (Authorization: Bearer <token>)"
                if authorization is None
                else "The bearer token is not valid for this proxy",
                [(b"www-authenticate", b'Bearer realm="alluxio-proxy"'), *cors],
            )
            return
        if not cors:
            await self.app(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _preflight(self, scope: Scope, send: Send, cors: list[tuple[bytes, bytes]]) -> None:
        requested = _header(scope, b"access-control-request-headers") or b""
        headers = [
            *cors,
            (b"access-control-allow-methods", b"GET, HEAD, POST"),
            (b"access-control-allow-headers", requested),
            (b"access-control-max-age", b"600"),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(
        self,
        send: Send,
        status: int,
        name: str,
        message: str,
        extra: list[tuple[bytes, bytes]] | None = None,
    ) -> None:
        body = envelope(self.dialect, name, message)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            # The request body is not read: drop the connection rather than parse it.
            (b"connection", b"close"),
            *(extra or []),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, wanted: bytes) -> bytes | None:
    for name, value in scope["headers"]:
        if name == wanted:
            found: bytes = value
            return found
    return None


# -- request head size ------------------------------------------------------------------------


def bounded_http_protocol(max_header_bytes: int, dialect: Dialect) -> type[Any]:
    """uvicorn's httptools protocol with the request head (line + headers) bounded.

    httptools has no size limit of its own and accumulates a header value by repeated
    concatenation, so one client sending a huge header stalls every other client. Bytes are
    fed to the parser in pieces no larger than the room left for the current head: the parser
    never holds more than ``max_header_bytes`` of one. Once the head is complete, data goes to
    the parser untouched (no per-chunk cost on request bodies).
    """
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    body = envelope(
        dialect,
        Status.RESOURCE_EXHAUSTED,
        f"Request line and headers larger than {max_header_bytes} bytes",
    )
    refusal = (
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
        b"content-type: application/json\r\n"
        b"content-length: " + str(len(body)).encode() + b"\r\n"
        b"connection: close\r\n\r\n" + body
    )

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        in_head = True
        head_bytes = 0
        refused = False

        def data_received(self, data: bytes) -> None:
            while data and not self.refused:
                if not self.in_head:
                    super().data_received(data)
                    return
                room = max_header_bytes - self.head_bytes
                if room <= 0:
                    self.refuse()
                    return
                piece, data = data[:room], data[room:]
                self.head_bytes += len(piece)
                super().data_received(piece)
                if self.transport.is_closing():
                    return

        def refuse(self) -> None:
            self.refused = True
            logger.warning(
                "refused a request whose head exceeds %d bytes from %s",
                max_header_bytes,
                self.client[0] if self.client else "?",
            )
            self.transport.write(refusal)
            self.transport.close()

        def on_message_begin(self) -> None:
            self.in_head = True
            super().on_message_begin()

        def on_headers_complete(self) -> None:
            self.in_head = False
            self.head_bytes = 0
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            # The next request's head starts here (pipelining: possibly in this very piece).
            self.in_head = True
            self.head_bytes = 0
            super().on_message_complete()

    return BoundedHttpToolsProtocol
