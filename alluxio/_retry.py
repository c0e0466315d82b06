"""Retries and failover: which failures are retried, where, and after how long.

I/O-free and shared by :class:`alluxio.Client` and :class:`alluxio.AsyncClient`: a client
creates a :class:`CallState` per call, sends to ``state.endpoint``, and after a failure asks
the state for a delay (then sleeps and sends again) or ``None`` (then raises).

The rules:

- **Failover** (any call): a proxy that cannot be *reached* (connection refused, connect
  timeout: the request never left) is skipped and the call goes to the next proxy of the
  client, once each. An HTTP error response is an answer, not a reason to fail over. A call on
  a stream (read, write, close) only ever goes to the proxy that issued the stream id.
- **Retry** (idempotent calls only: exists, get_status, list_status/ls and proxy_info read;
  free frees what is already free; set_attribute sets absolute values (owner, mode, pinned,
  ttl...), so a repeat leaves the same state; create_directory with ``allow_exists=True``
  succeeds again): after a connection failure (refused, reset, closed before a response) or
  an HTTP 502/503/504, the call is sent again after an exponential backoff with full jitter,
  up to ``RetryPolicy.attempts`` times in all. Create, write, rename, delete, mount, unmount,
  open and close are never resent once a proxy may have received them: repeating them could
  change the outcome (a second create fails, a second write appends twice, a second open
  leaks a stream).
- Timeouts are never retried: the configured timeout bounds how long the caller waits.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from time import time as _wall_clock

import httpx

from ._endpoints import Endpoint, Endpoints

__all__ = ["CallState", "RetryPolicy", "retry_policy"]

log = logging.getLogger("alluxio")

# The request never reached the proxy: safe to send elsewhere whatever the call is.
_NOT_SENT: tuple[type[httpx.HTTPError], ...] = (httpx.ConnectError, httpx.ConnectTimeout)
# The connection broke after the request may have been (partly) received.
_LOST: tuple[type[httpx.HTTPError], ...] = (
    httpx.ReadError,
    httpx.WriteError,
    httpx.CloseError,
    httpx.RemoteProtocolError,
)


class RetryPolicy:
    """How idempotent calls are retried.

    Args:
        attempts: Times a call is tried in all (1 disables retries). Default 3.
        base_delay: Seconds; the n-th retry waits a random time in
            ``[0, min(max_delay, base_delay * 2**(n-1))]`` ("full jitter", so many clients
            retrying at once do not hit the proxy in lockstep). Default 0.2.
        max_delay: Upper bound of one wait in seconds, also for a ``Retry-After`` header
            sent with a 503. Default 5.
        statuses: HTTP statuses retried (idempotent calls only). Default 502, 503, 504.
        random: Source of uniform ``[0, 1)`` numbers for the jitter (tests make it fixed).

    Examples:
        >>> alluxio.Client("proxy", retries=RetryPolicy(attempts=5, base_delay=0.5))
        >>> alluxio.Client("proxy", retries=False)  # no retries
    """

    def __init__(
        self,
        attempts: int = 3,
        *,
        base_delay: float = 0.2,
        max_delay: float = 5.0,
        statuses: frozenset[int] = frozenset({502, 503, 504}),
        random: Callable[[], float] = random.random,
    ) -> None:
        if isinstance(attempts, bool) or not isinstance(attempts, int):
            raise TypeError(f"attempts must be an int, got {type(attempts).__name__}")
        if attempts < 1:
            raise ValueError(f"attempts must be >= 1 (1 means no retries), got {attempts}")
        for name, value in (("base_delay", base_delay), ("max_delay", max_delay)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
            if not value >= 0:
                raise ValueError(f"{name} must be >= 0, got {value}")
        if not isinstance(statuses, frozenset | set) or not all(
            isinstance(s, int) and not isinstance(s, bool) for s in statuses
        ):
            raise TypeError("statuses must be a set of int HTTP statuses")
        if not callable(random):
            raise TypeError("random must be callable")
        self.attempts = attempts
        self.base_delay = float(base_delay)
        self.max_delay = float(max_delay)
        self.statuses = frozenset(statuses)
        self._random = random

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(attempts={self.attempts}, base_delay={self.base_delay}, "
            f"max_delay={self.max_delay}, statuses={sorted(self.statuses)})"
        )

    def delay(self, retry: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``retry`` (1 for the first retry)."""
        cap = min(self.max_delay, self.base_delay * 2.0 ** (retry - 1))
        wait = cap * self._random()
        if retry_after is not None:
            # The server said when it expects to be back: no sooner, but never past max_delay.
            wait = max(wait, min(retry_after, self.max_delay))
        return wait


NO_RETRIES = RetryPolicy(attempts=1)


def retry_policy(retries: object) -> RetryPolicy:
    """The policy for a client's ``retries`` argument: ``True`` (the default policy, 3
    attempts), ``False`` or ``0`` (no retries), a number of retries after the first attempt
    (as in urllib3 and httpx: ``retries=4`` tries up to 5 times), or a :class:`RetryPolicy`."""
    if isinstance(retries, RetryPolicy):
        return retries
    if retries is False:
        return NO_RETRIES
    if retries is True:
        return RetryPolicy()
    if isinstance(retries, int):
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries}")
        return RetryPolicy(attempts=retries + 1)
    raise TypeError(
        f"retries must be an int, a bool or an alluxio.RetryPolicy, got {type(retries).__name__}"
    )


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - _wall_clock())


def _describe(request: httpx.Request | None) -> str:
    # Method and path only: a query (mount's src) may carry credentials.
    if request is None:
        return "request"
    return f"{request.method} {request.url.copy_with(query=None, fragment=None)}"


class CallState:
    """The retry and failover state of one call.

    Args:
        policy: The client's retry policy.
        endpoints: The client's proxies.
        idempotent: Whether repeating the call cannot change its outcome.
        pinned: The proxy the call must go to (a stream's issuer): no failover then.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        endpoints: Endpoints,
        *,
        idempotent: bool,
        pinned: Endpoint | None = None,
    ) -> None:
        self._policy = policy
        self._endpoints = endpoints
        self._idempotent = idempotent
        self._pinned = pinned is not None
        self.endpoint: Endpoint = pinned if pinned is not None else endpoints.current
        self.attempt = 1
        # Proxies found unreachable since the last backoff: each is tried once per round.
        self._tried: set[Endpoint] = set()

    def _backoff(
        self, what: str, request: httpx.Request | None, retry_after: float | None
    ) -> float | None:
        if not self._idempotent or self.attempt >= self._policy.attempts:
            return None
        wait = self._policy.delay(self.attempt, retry_after)
        self.attempt += 1
        self._tried.clear()
        log.info(
            "alluxio: %s: %s; retry %d of %d in %.3fs",
            _describe(request),
            what,
            self.attempt - 1,
            self._policy.attempts - 1,
            wait,
        )
        return wait

    def after_error(
        self, exc: httpx.HTTPError, request: httpx.Request | None = None
    ) -> float | None:
        """A transport failure: the seconds to wait before sending again (to
        ``self.endpoint``, which may now be another proxy), or ``None`` to give up."""
        what = f"{type(exc).__name__}: {exc}"
        if isinstance(exc, _NOT_SENT):
            if self._pinned:
                return None
            failed = self.endpoint
            self._tried.add(failed)
            self._endpoints.unreachable(failed)
            following = self._endpoints.after(failed, self._tried)
            if following is not None:
                log.warning(
                    "alluxio: proxy %s cannot be reached (%s); failing over to %s",
                    failed,
                    what,
                    following,
                )
                self.endpoint = following
                return 0.0
            wait = self._backoff(what, request, None)
            if wait is not None:
                self.endpoint = self._endpoints.current
            return wait
        if isinstance(exc, _LOST):
            return self._backoff(what, request, None)
        return None

    def after_status(self, response: httpx.Response) -> float | None:
        """An HTTP error response (after :meth:`answered`): the seconds to wait before
        sending it again, or ``None`` to raise the error. Responses never cause a failover."""
        if response.status_code not in self._policy.statuses:
            return None
        what = f"HTTP {response.status_code}"
        return self._backoff(what, response.request, _retry_after(response.headers))

    def answered(self) -> None:
        """The proxy sent a response (any status): stick to it for the next calls."""
        if not self._pinned:
            self._endpoints.reachable(self.endpoint)
