"""Errors raised inside the embedded proxy and how they reach the wire."""

from __future__ import annotations

import html

__all__ = [
    "BadRequest",
    "ProxyError",
    "RawError",
    "Status",
    "jersey_error",
    "jetty_404_page",
    "jetty_error_page",
]


class Status:
    """Status names the real proxy puts in its error envelope (``io.grpc.Status.Code`` names)."""

    CANCELLED = "CANCELLED"
    UNKNOWN = "UNKNOWN"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    INTERNAL = "INTERNAL"
    UNAVAILABLE = "UNAVAILABLE"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"


class ProxyError(Exception):
    """A handled error: answered with HTTP 500 and the JSON error envelope.

    ``status`` is the status name (see :class:`Status`), ``message`` the human readable text
    (None: the real master's exception had none; the envelope then says ``null``).
    """

    def __init__(self, status: str, message: str | None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class BadRequest(Exception):
    """A request-binding error: answered with a plain-text body, like Jersey's mappers do.

    ``status_code`` is the HTTP status (400 for JSON problems, 413 for oversized bodies,
    404/405/415 for routing problems).
    """

    def __init__(self, message: str, status_code: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class RawError(Exception):
    """An error the real proxy answers with HTTP 500 and a bare text body (no JSON envelope).

    Jersey turns its own failures (unmatched route, wrong method, unsupported media type,
    failing entity writers) into ``HTTP 500`` with bodies like ``HTTP 404 Not Found``; the
    content type depends on how far request matching got (``None``: no header at all).
    """

    def __init__(self, body: str, content_type: bytes | None = None, code: int = 500) -> None:
        super().__init__(body)
        self.body = body
        self.content_type = content_type
        # The status Jersey meant; 1.x proxies (older Jersey) still answer with it.
        self.code = code


_REASONS = {
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


def jersey_error(code: int, content_type: bytes | None = None) -> RawError:
    """The real proxy's answer to a Jersey-level failure ``code`` (always HTTP 500)."""
    return RawError(f"HTTP {code} {_REASONS[code]}", content_type, code)


def jetty_error_page(code: int, uri: str) -> str:
    """The error page Jetty 9.2 (Alluxio 1.x proxies) sends for HTTP status ``code``."""
    reason = _REASONS[code]
    return (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"/>\n'
        f"<title>Error {code} {reason}</title>\n</head>\n<body><h2>HTTP ERROR {code}</h2>\n"
        f"<p>Problem accessing {html.escape(uri)}. Reason:\n<pre>    {reason}</pre></p>"
        "<hr><i><small>Powered by Jetty://</small></i><hr/>\n\n</body>\n</html>\n"
    )


def jetty_404_page(uri: str) -> str:
    """The 404 page Jetty 9.4 (Alluxio 2.x proxies) sends outside the REST servlet."""
    return (
        '<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>'
        "\n<title>Error 404 Not Found</title>\n</head>\n<body><h2>HTTP ERROR 404 Not Found</h2>"
        f"\n<table>\n<tr><th>URI:</th><td>{html.escape(uri)}</td></tr>\n"
        "<tr><th>STATUS:</th><td>404</td></tr>\n<tr><th>MESSAGE:</th><td>Not Found</td></tr>\n"
        "<tr><th>SERVLET:</th><td>org.eclipse.jetty.servlet.ServletHandler$Default404Servlet-"
        "3df7c24</td></tr>\n</table>\n"
        '<hr/><a href="https://eclipse.org/jetty">Powered by Jetty:// 9.4.46.v20220331</a><hr/>'
        "\n\n</body>\n</html>\n"
    )
