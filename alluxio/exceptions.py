"""Alluxio exceptions.

All exceptions raised by :class:`alluxio.Client`, :class:`alluxio.client.Reader` and
:class:`alluxio.client.Writer` are one of:

- :class:`AlluxioError` or one of its subclasses, for errors reported by the Alluxio proxy;
- :class:`HTTPError`, for failures of the HTTP transport (connection refused, reset, timeout);
- Python built-in exceptions (``TypeError``/``ValueError``) for misuse, raised before any
  request is sent.

The hierarchy:

```text
Exception
├── AlluxioError(status, message)
│   ├── AbortedError
│   ├── AlreadyExistsError         (also a FileExistsError)
│   ├── CanceledError
│   ├── DataLossError
│   ├── DeadlineExceededError      (also a TimeoutError)
│   ├── FailedPreconditionError
│   ├── InternalError
│   ├── InvalidArgumentError       (also a ValueError)
│   ├── NotFoundError              (also a FileNotFoundError)
│   ├── OutOfRangeError
│   ├── PermissionDeniedError      (also a PermissionError)
│   ├── ResourceExhaustedError
│   ├── UnauthenticatedError       (also a PermissionError)
│   ├── UnavailableError
│   ├── UnimplementedError
│   └── UnknownError
└── HTTPError
    ├── HTTPTimeoutError           (also a TimeoutError)
    └── ClientClosedError          (also a RuntimeError)
```

The builtin bases let code written for local files catch Alluxio errors naturally
(``except FileNotFoundError``) while ``except AlluxioError`` keeps working as in 0.1.x.
"""

from __future__ import annotations

from typing import Any, Final

__all__ = [
    "AbortedError",
    "AlluxioError",
    "AlreadyExistsError",
    "CanceledError",
    "ClientClosedError",
    "DataLossError",
    "DeadlineExceededError",
    "FailedPreconditionError",
    "HTTPError",
    "HTTPTimeoutError",
    "InternalError",
    "InvalidArgumentError",
    "NotFoundError",
    "OutOfRangeError",
    "PermissionDeniedError",
    "ResourceExhaustedError",
    "Status",
    "UnauthenticatedError",
    "UnavailableError",
    "UnimplementedError",
    "UnknownError",
    "new_alluxio_exception",
]


class Status:
    """RPC status codes, as named by Alluxio's ``alluxio.exception.status.Status``.

    Alluxio 2.x proxies report gRPC code names, which spell ``CANCELLED`` with two Ls;
    :func:`new_alluxio_exception` accepts both spellings.
    """

    OK: Final = "OK"
    CANCELED: Final = "CANCELED"
    CANCELLED: Final = "CANCELLED"
    UNKNOWN: Final = "UNKNOWN"
    INVALID_ARGUMENT: Final = "INVALID_ARGUMENT"
    DEADLINE_EXCEEDED: Final = "DEADLINE_EXCEEDED"
    NOT_FOUND: Final = "NOT_FOUND"
    ALREADY_EXISTS: Final = "ALREADY_EXISTS"
    PERMISSION_DENIED: Final = "PERMISSION_DENIED"
    UNAUTHENTICATED: Final = "UNAUTHENTICATED"
    RESOURCE_EXHAUSTED: Final = "RESOURCE_EXHAUSTED"
    FAILED_PRECONDITION: Final = "FAILED_PRECONDITION"
    ABORTED: Final = "ABORTED"
    OUT_OF_RANGE: Final = "OUT_OF_RANGE"
    UNIMPLEMENTED: Final = "UNIMPLEMENTED"
    INTERNAL: Final = "INTERNAL"
    UNAVAILABLE: Final = "UNAVAILABLE"
    DATA_LOSS: Final = "DATA_LOSS"


class AlluxioError(Exception):
    """Base class for all errors reported by Alluxio.

    Args:
        status: The status name, one of :class:`Status` (or a code this client does not know).
        message: The error message from the server.

    Attributes:
        status: The status name.
        message: The error message.
        http_status: The HTTP status code of the response that carried the error, when the
            error came from a response (``None`` when constructed directly).
    """

    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.http_status: int | None = None

    def __str__(self) -> str:
        # ``NOT_FOUND: Path "/x" does not exist.``: the status, then Alluxio's own sentence.
        return f"{self.status}: {self.message}" if self.message else self.status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take only the message; rebuild through the factory so pickling works
        # for every class of the hierarchy (multiprocessing, concurrent.futures).
        return (_rebuild, (type(self), self.status, self.message, self.http_status))


def _rebuild(cls: type[AlluxioError], status: str, message: str, http_status: int | None) -> Any:
    error = cls.__new__(cls)
    AlluxioError.__init__(error, status, message)
    error.http_status = http_status
    return error


class AbortedError(AlluxioError):
    """The operation was aborted, typically due to a concurrency issue (sequencer check
    failures, transaction aborts); the caller may retry at a higher level."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.ABORTED, message)


class AlreadyExistsError(AlluxioError, FileExistsError):
    """An attempt to create an entity failed because one already exists."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.ALREADY_EXISTS, message)


class CanceledError(AlluxioError):
    """The operation was cancelled (typically by the caller)."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.CANCELED, message)


class DataLossError(AlluxioError):
    """Unrecoverable data loss or corruption."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.DATA_LOSS, message)


class DeadlineExceededError(AlluxioError, TimeoutError):
    """The operation expired before completion. For operations that change the state of the
    system, this may be raised even if the operation completed successfully."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.DEADLINE_EXCEEDED, message)


class FailedPreconditionError(AlluxioError):
    """The system is not in a state required for the operation, for example deleting a
    non-empty directory without ``recursive``. Do not retry until the state is fixed."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.FAILED_PRECONDITION, message)


class InternalError(AlluxioError):
    """An invariant of the server was broken; the proxy also reports unknown stream ids and
    missing ``src``/``dst`` query parameters with this status."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.INTERNAL, message)


class InvalidArgumentError(AlluxioError, ValueError):
    """The client specified an invalid argument (for example a malformed path). Also raised
    for the proxy's HTTP 400 request-binding errors (bad JSON, unknown option field, bad enum
    spelling), with the server's text as the message."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.INVALID_ARGUMENT, message)


class NotFoundError(AlluxioError, FileNotFoundError):
    """Some requested entity (a file or directory) was not found."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.NOT_FOUND, message)


class OutOfRangeError(AlluxioError):
    """An operation was attempted past the valid range, e.g. reading past end of file."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.OUT_OF_RANGE, message)


class PermissionDeniedError(AlluxioError, PermissionError):
    """The caller does not have permission to execute the operation (also: writes to a
    read-only mount)."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.PERMISSION_DENIED, message)


class ResourceExhaustedError(AlluxioError):
    """Some resource has been exhausted: a per-user quota, or the file system is full."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.RESOURCE_EXHAUSTED, message)


class UnauthenticatedError(AlluxioError, PermissionError):
    """The request does not have valid authentication credentials."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.UNAUTHENTICATED, message)


class UnavailableError(AlluxioError):
    """The service is currently unavailable; most likely transient, retry with backoff."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.UNAVAILABLE, message)


class UnimplementedError(AlluxioError):
    """The operation is not implemented, supported or enabled."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.UNIMPLEMENTED, message)


class UnknownError(AlluxioError):
    """An error without enough information to classify it. The client also raises it for
    error responses whose body is not Alluxio's JSON envelope (HTML, empty or garbage
    bodies); the message then names the HTTP status."""

    def __init__(self, message: str) -> None:
        super().__init__(Status.UNKNOWN, message)


# The one table from status names to exception classes.
_STATUS_TO_ERROR: Final[dict[str, type[AlluxioError]]] = {
    Status.CANCELED: CanceledError,
    Status.CANCELLED: CanceledError,
    Status.UNKNOWN: UnknownError,
    Status.INVALID_ARGUMENT: InvalidArgumentError,
    Status.DEADLINE_EXCEEDED: DeadlineExceededError,
    Status.NOT_FOUND: NotFoundError,
    Status.ALREADY_EXISTS: AlreadyExistsError,
    Status.PERMISSION_DENIED: PermissionDeniedError,
    Status.UNAUTHENTICATED: UnauthenticatedError,
    Status.RESOURCE_EXHAUSTED: ResourceExhaustedError,
    Status.FAILED_PRECONDITION: FailedPreconditionError,
    Status.ABORTED: AbortedError,
    Status.OUT_OF_RANGE: OutOfRangeError,
    Status.UNIMPLEMENTED: UnimplementedError,
    Status.INTERNAL: InternalError,
    Status.UNAVAILABLE: UnavailableError,
    Status.DATA_LOSS: DataLossError,
}


def new_alluxio_exception(status: str, message: str) -> AlluxioError:
    """Create the exception for ``status``.

    If ``status`` is not defined in :class:`Status`, a plain :class:`AlluxioError` carrying
    that status is returned.

    Args:
        status: The status name.
        message: The error message.
    """
    exception_class = _STATUS_TO_ERROR.get(status)
    if exception_class is None:
        return AlluxioError(status, message)
    return exception_class(message)  # type: ignore[call-arg]


class HTTPError(Exception):
    """A failure of the HTTP transport: the proxy could not be reached, the connection was
    reset or cut mid-stream, or a response arrived incomplete. The underlying ``httpx``
    exception is chained as ``__cause__``."""


class HTTPTimeoutError(HTTPError, TimeoutError):
    """An :class:`HTTPError` raised because a connect, read or write timeout expired."""


class ClientClosedError(HTTPError, RuntimeError):
    """A call on a client after :meth:`alluxio.Client.close` (or ``close_connections``):
    nothing was sent. Also a ``RuntimeError``, which ``httpx`` raised before."""
