"""Error mapping: the one place where HTTP responses and transport failures become exceptions.

The proxy reports every handled error as HTTP 500 with a JSON envelope, ``{"statusCode": NAME,
"message": ...}`` (2.x) or ``{"status": NAME, "message": ...}`` (1.x); request-binding errors
(malformed JSON, unknown option fields, bad enum spellings) are HTTP 400 with plain text; and
anything else (a gateway's HTML page, an empty body) is whatever the server in front sent.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import httpx

from .exceptions import (
    AlluxioError,
    HTTPError,
    HTTPTimeoutError,
    InvalidArgumentError,
    PermissionDeniedError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnknownError,
    new_alluxio_exception,
)

__all__ = [
    "ERROR_BODY_LIMIT",
    "aread_error_body",
    "error_from_response",
    "error_from_transport",
    "read_error_body",
    "snippet",
]

ERROR_BODY_LIMIT = 64 * 1024
"""Bytes of an error response's body read at most. Alluxio's envelopes and Jersey's messages
are far smaller; a gateway's (or a broken server's) huge error page is cut here instead of
being held in memory, and its connection is dropped rather than drained."""

_SNIPPET = 300

# A real proxy answers its own errors with the JSON envelope; a bare status comes from whatever
# stands in front of it (an authenticating gateway, a load balancer). The statuses that mean
# the same thing for every server map to their class here; everything else is UnknownError.
_BARE_STATUS_ERRORS: dict[int, tuple[Callable[[str], AlluxioError], str]] = {
    401: (
        UnauthenticatedError,
        " (it needs credentials: headers= or auth=; on the command line --header or"
        " ALLUXIO_PY_TOKEN)",
    ),
    403: (PermissionDeniedError, ""),
    429: (ResourceExhaustedError, ""),
    502: (UnavailableError, ""),
    503: (UnavailableError, ""),
    504: (UnavailableError, ""),
}


def snippet(text: str, limit: int = _SNIPPET) -> str:
    """One line of at most ``limit`` characters, for error messages."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _reason(status_code: int) -> str:
    try:
        return f"{status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return str(status_code)


def _envelope(body: bytes) -> tuple[str, str] | None:
    """Return (status name, message) if ``body`` is Alluxio's JSON error envelope."""
    try:
        data: Any = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    code = data.get("statusCode", data.get("status"))
    if not isinstance(code, str) or not code:
        return None
    message = data.get("message")
    return code, message if isinstance(message, str) else ""


def _collect(chunks: list[bytes], chunk: bytes, size: int) -> int:
    room = ERROR_BODY_LIMIT - size
    chunks.append(chunk[:room])
    return size + min(len(chunk), room)


def read_error_body(response: httpx.Response) -> bytes:
    """Read at most :data:`ERROR_BODY_LIMIT` bytes of an unsuccessful streamed response, then
    close it. A transport failure while reading becomes :class:`HTTPError`."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size = _collect(chunks, chunk, size)
            if size >= ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError as exc:
        raise error_from_transport(exc, response.request) from exc
    finally:
        response.close()
    return b"".join(chunks)


async def aread_error_body(response: httpx.Response) -> bytes:
    """The async counterpart of :func:`read_error_body`."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size = _collect(chunks, chunk, size)
            if size >= ERROR_BODY_LIMIT:
                break
    except httpx.HTTPError as exc:
        raise error_from_transport(exc, response.request) from exc
    finally:
        await response.aclose()
    return b"".join(chunks)


def error_from_response(response: httpx.Response, body: bytes) -> AlluxioError:
    """Build the exception for an unsuccessful response whose body has been read."""
    status_code = response.status_code
    envelope = _envelope(body)
    error: AlluxioError
    if envelope is not None:
        error = new_alluxio_exception(*envelope)
    else:
        text = body.decode("utf-8", errors="replace").strip()
        if status_code == 400 and text and not text.lstrip().startswith("<"):
            # Jersey's binding errors: the server's text says what was wrong with the request.
            error = InvalidArgumentError(snippet(text, 2000))
        else:
            detail = f": {snippet(text)}" if text else " with an empty body"
            make, hint = _BARE_STATUS_ERRORS.get(status_code, (UnknownError, ""))
            error = make(f"HTTP {_reason(status_code)} from the Alluxio proxy{detail}{hint}")
    error.http_status = status_code
    return error


def _where(request: httpx.Request | None) -> str:
    # Only method and path: a query (mount's src) may carry credentials.
    if request is None:
        return "request"
    return f"{request.method} {request.url.copy_with(query=None, fragment=None)}"


def error_from_transport(exc: httpx.HTTPError, request: httpx.Request | None = None) -> HTTPError:
    """Wrap an httpx transport error; the caller chains it with ``raise ... from exc``."""
    # httpx raises RuntimeError when an error carries no request.
    with contextlib.suppress(RuntimeError):
        request = request or exc.request
    name = type(exc).__name__
    detail = str(exc) or name
    if isinstance(exc, httpx.TimeoutException):
        return HTTPTimeoutError(f"{_where(request)}: timed out ({name}: {detail})")
    return HTTPError(f"{_where(request)}: {name}: {detail}")
