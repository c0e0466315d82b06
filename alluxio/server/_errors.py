"""Errors raised inside the embedded proxy and how they reach the wire."""

from __future__ import annotations

__all__ = ["BadRequest", "ProxyError", "RawError", "Status", "jersey_error"]


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

    ``status`` is the status name (see :class:`Status`), ``message`` the human readable text.
    """

    def __init__(self, status: str, message: str) -> None:
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

    def __init__(self, body: str, content_type: bytes | None = None) -> None:
        super().__init__(body)
        self.body = body
        self.content_type = content_type


_REASONS = {
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    500: "Internal Server Error",
}


def jersey_error(code: int, content_type: bytes | None = None) -> RawError:
    """The real proxy's answer to a Jersey-level failure ``code`` (always HTTP 500)."""
    return RawError(f"HTTP {code} {_REASONS[code]}", content_type)
