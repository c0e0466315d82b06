"""The HTTP options both clients take (``verify``, ``cert``, ``trust_env``, ``proxy``,
``headers``, ``auth``), with httpx's meanings, checked once at construction.

The clients pass their own transports to httpx, which then ignores the proxy environment
variables and builds no SSL context of its own; this module does both, the way httpx does:
``proxy=`` (or, with ``trust_env``, ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY`` minus
``NO_PROXY``) becomes httpx mounts of its stock transports, and everything else goes through
the clients' own transports, built with the SSL context made here.

Header names and values are checked as h11 checks them; a bad one raises naming the header,
never showing its value (it may be a secret).
"""

from __future__ import annotations

import ipaddress
import os
import re
import ssl
import threading
import urllib.request
from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Mapping, Sequence
from typing import Any, TypeAlias, TypeVar

import httpx

__all__ = [
    "AuthTypes",
    "CertTypes",
    "HTTPOptions",
    "HeaderTypes",
    "check_header",
    "check_headers",
    "environment_proxies",
]

_T = TypeVar("_T")

CertTypes: TypeAlias = (
    "str | os.PathLike[str] | tuple[str, str | None] | tuple[str, str | None, str | None]"
)
"""A client certificate: a PEM file with certificate and key, or (certfile, keyfile[, password])."""
HeaderTypes: TypeAlias = (
    "Mapping[str, str] | Mapping[bytes, bytes] | Sequence[tuple[str, str]]"
    " | Sequence[tuple[bytes, bytes]] | httpx.Headers"
)
"""Headers: a mapping, or a list of (name, value) pairs."""
AuthTypes: TypeAlias = (
    "httpx.Auth | tuple[str | bytes, str | bytes] | Callable[[httpx.Request], httpx.Request]"
)
"""Authentication: an httpx.Auth, a (username, password) tuple, or a request -> request callable."""

# RFC 9110 token characters (header names), and field-value characters: visible ASCII,
# obs-text, space and tab (h11's rules; no CR, LF, NUL or other control characters).
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VALUE = re.compile(rb"[\t\x20-\x7e\x80-\xff]*")


def _name_for_message(name: bytes) -> str:
    """A header name as error messages show it (a bad name is shown escaped, cut short)."""
    text = name.decode("latin-1")
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def check_header(name: object, value: object) -> tuple[bytes, bytes]:
    """``(name, value)`` as bytes, after h11's checks.

    Raises:
        TypeError: The name or the value is not ``str`` or ``bytes``.
        ValueError: The name is not an HTTP token, or the value holds CR, LF, NUL or another
            control character, or is not Latin-1 text. The message names the header but
            never shows its value.
    """
    if isinstance(name, str):
        try:
            raw_name = name.encode("ascii")
        except UnicodeEncodeError:
            raise ValueError(
                f"invalid HTTP header name {_name_for_message(name.encode('utf-8'))}: "
                "not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
            ) from None
    elif isinstance(name, bytes):
        raw_name = name
    else:
        raise TypeError(f"HTTP header names must be str or bytes, got {type(name).__name__}")
    if not _TOKEN.fullmatch(raw_name):
        raise ValueError(
            f"invalid HTTP header name {_name_for_message(raw_name)}: "
            "not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
        )
    shown = _name_for_message(raw_name)
    if isinstance(value, str):
        try:
            raw_value = value.encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(
                f"invalid value for HTTP header {shown}: not Latin-1 text "
                "(encode it, e.g. percent-encode it, first)"
            ) from None
    elif isinstance(value, bytes):
        raw_value = value
    else:
        raise TypeError(
            f"the value of HTTP header {shown} must be str or bytes, got {type(value).__name__}"
        )
    if not _VALUE.fullmatch(raw_value):
        raise ValueError(
            f"invalid value for HTTP header {shown}: it holds CR, LF, NUL or another "
            "control character (the value is not shown: it may be a secret)"
        )
    return raw_name, raw_value


def check_headers(headers: object) -> httpx.Headers | None:
    """``headers`` (a mapping or a sequence of pairs, or ``None``) checked header by header
    (:func:`check_header`), as :class:`httpx.Headers`."""
    if headers is None:
        return None
    pairs: Iterable[Any]
    if isinstance(headers, httpx.Headers):
        pairs = headers.raw
    elif isinstance(headers, Mapping):
        pairs = headers.items()
    elif isinstance(headers, list | tuple):
        pairs = headers
    else:
        raise TypeError(
            "headers must be a mapping or a list of (name, value) pairs, "
            f"got {type(headers).__name__}"
        )
    checked = []
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise TypeError("headers must be a mapping or a list of (name, value) pairs")
        checked.append(check_header(pair[0], pair[1]))
    return httpx.Headers(checked)


def environment_proxies() -> dict[str, str | None]:
    """httpx's reading of the proxy environment variables, as mount patterns: ``{"http://":
    url, "https://": url, "all://": url}`` from ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``,
    and ``{"all://HOST": None}`` (go direct) for each ``NO_PROXY`` entry (curl's rules:
    ``example.com`` matches it and its subdomains, ``.example.com`` only subdomains, ``*``
    turns proxies off)."""
    found = urllib.request.getproxies()
    mounts: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            mounts[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (entry.strip() for entry in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if not host:
            continue
        if "://" in host:
            mounts[host] = None
        elif _is_ip(host, ipaddress.IPv4Address):
            mounts[f"all://{host}"] = None
        elif _is_ip(host, ipaddress.IPv6Address):
            mounts[f"all://[{host}]"] = None
        elif host.lower() == "localhost":
            mounts[f"all://{host}"] = None
        else:
            mounts[f"all://*{host}"] = None
    return mounts


def _is_ip(host: str, kind: Callable[[str], object]) -> bool:
    """Whether ``host`` (an address, or a network as ``address/bits``) is of ``kind``."""
    try:
        kind(host.split("/")[0])
    except ValueError:
        return False
    return True


def _check_path(value: object, what: str) -> str:
    if not isinstance(value, str | os.PathLike):
        raise TypeError(f"{what} must be a path (str or os.PathLike), got {type(value).__name__}")
    path = os.fspath(value)
    if not isinstance(path, str):
        raise TypeError(f"{what} must be a str path, got bytes")
    if not os.path.exists(path):
        raise FileNotFoundError(f"{what}: no such file or directory: {path!r}")
    return path


def _check_cert(cert: object) -> tuple[str, str | None, str | bytes | None] | None:
    """``cert`` as httpx takes it: a PEM file with the certificate and key, or
    ``(certfile, keyfile)``, or ``(certfile, keyfile, password)``."""
    if cert is None:
        return None
    if isinstance(cert, str | os.PathLike):
        return _check_path(cert, "cert"), None, None
    if isinstance(cert, tuple) and len(cert) in (2, 3):
        certfile = _check_path(cert[0], "cert[0] (the certificate file)")
        keyfile = None if cert[1] is None else _check_path(cert[1], "cert[1] (the key file)")
        password = cert[2] if len(cert) == 3 else None
        if password is not None and not isinstance(password, str | bytes):
            raise TypeError(
                f"cert[2] (the key password) must be str, got {type(password).__name__}"
            )
        return certfile, keyfile, password
    raise TypeError(
        "cert must be a path to a PEM file, or (certfile, keyfile[, password]), "
        f"got {type(cert).__name__}"
    )


def _check_verify(verify: object) -> bool | str | ssl.SSLContext:
    if verify is None or isinstance(verify, bool):
        return verify is not False
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, str | os.PathLike):
        return _check_path(verify, "verify (a CA bundle file or directory)")
    raise TypeError(
        "verify must be True, False, a CA bundle path or an ssl.SSLContext, "
        f"got {type(verify).__name__}"
    )


def _check_proxy(proxy: object) -> httpx.Proxy | None:
    if proxy is None:
        return None
    if isinstance(proxy, httpx.Proxy):
        return proxy
    if isinstance(proxy, str | httpx.URL):
        try:
            return httpx.Proxy(proxy)
        except ValueError as exc:
            # httpx's message names the URL; without credentials it shows nothing secret.
            url = httpx.URL(proxy) if isinstance(proxy, str) else proxy
            raise ValueError(
                f"proxy: {exc}" if not url.userinfo else "proxy: unsupported proxy URL"
            ) from None
    raise TypeError(
        f"proxy must be a URL (str or httpx.URL) or httpx.Proxy, got {type(proxy).__name__}"
    )


def _check_auth(auth: object) -> httpx.Auth | None:
    if auth is None:
        return None
    if isinstance(auth, httpx.Auth):
        return _CheckedAuth(auth)
    if isinstance(auth, tuple) and len(auth) == 2:
        return _CheckedAuth(httpx.BasicAuth(*auth))
    if callable(auth):
        return _CheckedAuth(_FunctionAuth(auth))
    raise TypeError(
        "auth must be an httpx.Auth, a (username, password) tuple or a callable, "
        f"got {type(auth).__name__}"
    )


def _check_request(request: httpx.Request) -> None:
    for name, value in request.headers.raw:
        check_header(name, value)


class _FunctionAuth(httpx.Auth):
    """A callable taking and returning the request, as httpx accepts for ``auth``."""

    def __init__(self, func: Callable[[httpx.Request], httpx.Request]) -> None:
        self._func = func

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        yield self._func(request)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class _CheckedAuth(httpx.Auth):
    """``auth`` whose every outgoing request has its headers checked (:func:`check_header`)
    before it is sent: the clients' transports write headers as they are, so what an auth
    flow adds is checked here, and only when an auth is used."""

    def __init__(self, auth: httpx.Auth) -> None:
        self._auth = auth
        self.requires_request_body = auth.requires_request_body
        self.requires_response_body = auth.requires_response_body

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {type(self._auth).__name__}>"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        flow = self._auth.sync_auth_flow(request)
        try:
            outgoing = next(flow)
            while True:
                _check_request(outgoing)
                response = yield outgoing
                outgoing = flow.send(response)
        except StopIteration:
            return

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        flow = self._auth.async_auth_flow(request)
        try:
            outgoing = await flow.__anext__()
            while True:
                _check_request(outgoing)
                response = yield outgoing
                outgoing = await flow.asend(response)
        except StopAsyncIteration:
            return


class HTTPOptions:
    """The checked HTTP options of one client. Holds secrets (headers, auth): its repr
    shows none of them."""

    def __init__(
        self,
        *,
        verify: object = True,
        cert: object = None,
        trust_env: object = True,
        proxy: object = None,
        headers: object = None,
        auth: object = None,
    ) -> None:
        if not isinstance(trust_env, bool):
            raise TypeError(f"trust_env must be a bool, got {type(trust_env).__name__}")
        self.verify = _check_verify(verify)
        self.cert = _check_cert(cert)
        self.trust_env = trust_env
        self.proxy = _check_proxy(proxy)
        self.headers = check_headers(headers)
        self.auth = _check_auth(auth)
        self._context: ssl.SSLContext | None = None
        self._lock = threading.Lock()  # one build even when threads connect at once

    def __repr__(self) -> str:
        return "<HTTPOptions>"

    def ssl_context(self) -> ssl.SSLContext:
        """The SSL context of the client's connections, built on first use: loading the CA
        bundle costs tens of milliseconds, which a client speaking plain http never needs."""
        context = self._context
        if context is None:
            with self._lock:
                context = self._context
                if context is None:
                    context = self._context = self._build_ssl_context()
        return context

    def _build_ssl_context(self) -> ssl.SSLContext:
        verify = self.verify
        if isinstance(verify, ssl.SSLContext):
            context = verify  # used as is (plus cert, as httpx does)
        else:
            if verify is True:
                cafile = os.environ.get("SSL_CERT_FILE") if self.trust_env else None
                capath = os.environ.get("SSL_CERT_DIR") if self.trust_env else None
                if cafile:
                    context = ssl.create_default_context(cafile=cafile)
                elif capath:
                    context = ssl.create_default_context(capath=capath)
                else:
                    import certifi  # httpx's own dependency, as its default

                    context = ssl.create_default_context(cafile=certifi.where())
            elif verify is False:
                context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            elif os.path.isdir(verify):
                context = ssl.create_default_context(capath=verify)
            else:
                context = ssl.create_default_context(cafile=verify)
            context.set_alpn_protocols(["http/1.1"])  # the clients speak HTTP/1.1 only
        if self.cert is not None:
            certfile, keyfile, password = self.cert
            context.load_cert_chain(certfile, keyfile, password)
        return context

    def proxy_mounts(self, transport: Callable[[httpx.Proxy], _T]) -> dict[str, _T | None] | None:
        """httpx ``mounts`` sending requests through ``proxy``, or through the environment's
        proxies (with ``trust_env``), each made by ``transport``; ``None`` when no request
        goes through a proxy (the common case: no mount to match per request)."""
        if self.proxy is not None:
            return {"all://": transport(self.proxy)}
        if not self.trust_env:
            return None
        found = environment_proxies()
        if not any(found.values()):
            return None
        made: dict[str, _T] = {}
        mounts: dict[str, _T | None] = {}
        for pattern, url in found.items():
            if url is None:
                mounts[pattern] = None
                continue
            if url not in made:
                made[url] = transport(httpx.Proxy(url))
            mounts[pattern] = made[url]
        return mounts

    def client_kwargs(self) -> dict[str, Any]:
        """The keywords of :class:`httpx.Client` / :class:`httpx.AsyncClient` these options
        set (besides the transports)."""
        kwargs: dict[str, Any] = {"trust_env": self.trust_env}
        if self.headers is not None:
            kwargs["headers"] = self.headers
        if self.auth is not None:
            kwargs["auth"] = self.auth
        return kwargs
