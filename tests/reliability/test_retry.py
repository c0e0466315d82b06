"""Retry decisions, request by request (respx): what is resent, how often, after how long."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import alluxio
from alluxio import exceptions as exc
from alluxio import option, wire
from alluxio._retry import RetryPolicy, retry_policy

BASE = "http://proxy.test:39999"
PATHS = f"{BASE}/api/v1/paths/"


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the client's backoff sleeps instead of sleeping."""
    slept: list[float] = []
    monkeypatch.setattr("alluxio.client.time.sleep", slept.append)
    return slept


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _client(**kwargs: Any) -> alluxio.Client:
    kwargs.setdefault("retries", RetryPolicy(attempts=3, base_delay=0.1, random=lambda: 1.0))
    return alluxio.Client("proxy.test", 39999, **kwargs)


FILE_INFO = wire.FileInfo(name="f", path="/f").json()

# (name, call, action, success response, result): every idempotent call of the client.
IDEMPOTENT: list[tuple[str, Callable[[alluxio.Client], Any], str, httpx.Response, Any]] = [
    ("exists", lambda c: c.exists("/f"), "/f/exists", httpx.Response(200, json=True), True),
    (
        "get_status",
        lambda c: c.get_status("/f").name,
        "/f/get-status",
        httpx.Response(200, json=FILE_INFO),
        "f",
    ),
    (
        "list_status",
        lambda c: [i.name for i in c.list_status("/")],
        "//list-status",
        httpx.Response(200, json=[FILE_INFO]),
        ["f"],
    ),
    ("ls", lambda c: c.ls("/"), "//list-status", httpx.Response(200, json=[FILE_INFO]), ["f"]),
    ("free", lambda c: c.free("/f"), "/f/free", httpx.Response(200), None),
    (
        "set_attribute",
        lambda c: c.set_attribute("/f", option.SetAttribute(pinned=True)),
        "/f/set-attribute",
        httpx.Response(200),
        None,
    ),
]

IDEMPOTENT.append(
    (
        "create_directory-allow_exists",
        lambda c: c.create_directory("/d", option.CreateDirectory(allow_exists=True)),
        "/d/create-directory",
        httpx.Response(200),
        None,
    )
)

# Calls whose repetition could change the outcome: never resent.
NOT_IDEMPOTENT: list[tuple[str, Callable[[alluxio.Client], Any], str]] = [
    ("create_directory", lambda c: c.create_directory("/d"), "/d/create-directory"),
    ("create_file", lambda c: c.create_file("/f"), "/f/create-file"),
    ("delete", lambda c: c.delete("/f"), "/f/delete"),
    ("rename", lambda c: c.rename("/f", "/g"), "/f/rename"),
    ("mount", lambda c: c.mount("/m", "s3://bucket"), "/m/mount"),
    ("unmount", lambda c: c.unmount("/m"), "/m/unmount"),
    ("open_file", lambda c: c.open_file("/f"), "/f/open-file"),
    ("close", lambda c: c.close(3), "streams/3/close"),
    ("read", lambda c: c.read(3), "streams/3/read"),
    ("write", lambda c: c.write(3).write(b"abc"), "streams/3/write"),
]


def _route(mock: respx.MockRouter, action: str) -> respx.Route:
    if action.startswith("streams/"):
        return mock.post(f"{BASE}/api/v1/{action}")
    return mock.post(PATHS + action)


@pytest.mark.parametrize(("status"), [502, 503, 504])
@pytest.mark.parametrize(
    ("call", "action", "ok", "result"),
    [pytest.param(*row[1:], id=row[0]) for row in IDEMPOTENT],
)
def test_idempotent_calls_are_retried_on_gateway_errors(
    mock: respx.MockRouter,
    sleeps: list[float],
    status: int,
    call: Callable[[alluxio.Client], Any],
    action: str,
    ok: httpx.Response,
    result: Any,
) -> None:
    route = _route(mock, action)
    route.side_effect = [httpx.Response(status, text="busy"), httpx.Response(status), ok]
    with _client() as client:
        assert call(client) == result
    assert route.call_count == 3
    # Exponential: base * 2**(n-1), times the jitter draw (fixed at 1 here).
    assert sleeps == [pytest.approx(0.1), pytest.approx(0.2)]


@pytest.mark.parametrize(
    ("call", "action", "ok", "result"),
    [pytest.param(*row[1:], id=row[0]) for row in IDEMPOTENT],
)
@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset by peer"),
        httpx.WriteError("broken pipe"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_idempotent_calls_are_retried_on_connection_failures(
    mock: respx.MockRouter,
    sleeps: list[float],
    call: Callable[[alluxio.Client], Any],
    action: str,
    ok: httpx.Response,
    result: Any,
    failure: Exception,
) -> None:
    route = _route(mock, action)
    route.side_effect = [failure, ok]
    with _client() as client:
        assert call(client) == result
    assert route.call_count == 2
    assert len(sleeps) == 1


def test_retries_give_up_after_the_configured_attempts(
    mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock.post(f"{PATHS}/f/exists").mock(return_value=httpx.Response(503, text="down"))
    policy = RetryPolicy(attempts=4, base_delay=0.1, random=lambda: 1.0)
    with (
        _client(retries=policy) as client,
        pytest.raises(exc.UnavailableError, match="503") as info,
    ):
        client.exists("/f")
    assert info.value.http_status == 503
    assert route.call_count == 4
    assert sleeps == [pytest.approx(0.1), pytest.approx(0.2), pytest.approx(0.4)]


@pytest.mark.parametrize(
    ("call", "action"), [pytest.param(*row[1:], id=row[0]) for row in NOT_IDEMPOTENT]
)
@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(503),
        httpx.Response(502),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset by peer"),
        httpx.ConnectError("refused"),
    ],
    ids=lambda e: str(getattr(e, "status_code", type(e).__name__)),
)
def test_state_changing_calls_are_never_resent(
    mock: respx.MockRouter,
    sleeps: list[float],
    call: Callable[[alluxio.Client], Any],
    action: str,
    failure: Any,
) -> None:
    route = _route(mock, action)
    route.side_effect = [failure, httpx.Response(200, json=1)]
    with _client() as client, pytest.raises((exc.AlluxioError, exc.HTTPError)):
        call(client)
    assert route.call_count == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("timed out"), httpx.WriteTimeout("timed out")],
    ids=lambda e: type(e).__name__,
)
def test_timeouts_are_never_retried(
    mock: respx.MockRouter, sleeps: list[float], failure: Exception
) -> None:
    route = mock.post(f"{PATHS}/f/exists")
    route.side_effect = [failure, httpx.Response(200, json=True)]
    with _client() as client, pytest.raises(exc.HTTPTimeoutError):
        client.exists("/f")
    assert route.call_count == 1


@pytest.mark.parametrize("status", [500, 400, 404, 429])
def test_other_error_statuses_are_answers(
    mock: respx.MockRouter, sleeps: list[float], status: int
) -> None:
    route = mock.post(f"{PATHS}/f/exists").mock(return_value=httpx.Response(status))
    with _client() as client, pytest.raises(exc.AlluxioError):
        client.exists("/f")
    assert route.call_count == 1


@pytest.mark.parametrize("retries", [False, 0, RetryPolicy(attempts=1)])
def test_retries_can_be_turned_off(
    mock: respx.MockRouter, sleeps: list[float], retries: Any
) -> None:
    route = mock.post(f"{PATHS}/f/exists").mock(return_value=httpx.Response(503))
    with _client(retries=retries) as client, pytest.raises(exc.UnavailableError):
        client.exists("/f")
    assert route.call_count == 1
    assert sleeps == []


def test_an_int_is_the_number_of_retries(mock: respx.MockRouter, sleeps: list[float]) -> None:
    route = mock.post(f"{PATHS}/f/exists").mock(return_value=httpx.Response(502))
    with _client(retries=5) as client, pytest.raises(exc.UnavailableError):
        client.exists("/f")
    assert route.call_count == 6


def test_the_default_is_three_attempts(mock: respx.MockRouter, sleeps: list[float]) -> None:
    route = mock.post(f"{PATHS}/f/exists").mock(return_value=httpx.Response(502))
    with alluxio.Client("proxy.test", 39999) as client, pytest.raises(exc.UnavailableError):
        client.exists("/f")
    assert route.call_count == 3
    # Full jitter: each wait is somewhere in [0, cap].
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.2
    assert 0 <= sleeps[1] <= 0.4


def test_retry_after_is_honoured_up_to_max_delay(
    mock: respx.MockRouter, sleeps: list[float]
) -> None:
    route = mock.post(f"{PATHS}/f/exists")
    route.side_effect = [
        httpx.Response(503, headers={"Retry-After": "2"}),
        httpx.Response(503, headers={"Retry-After": "120"}),
        httpx.Response(200, json=False),
    ]
    policy = RetryPolicy(attempts=3, base_delay=0.01, max_delay=5, random=lambda: 0.0)
    with _client(retries=policy) as client:
        assert client.exists("/f") is False
    assert sleeps == [2.0, 5.0]


def test_the_auto_dialect_probe_is_retried(mock: respx.MockRouter, sleeps: list[float]) -> None:
    info = mock.get(f"{BASE}/api/v1/proxy/info")
    info.side_effect = [
        httpx.ConnectError("refused"),
        httpx.Response(200, json={"version": "1.8.2"}),
    ]
    with _client(dialect="auto") as client:
        assert client.dialect == "1.x"
    assert info.call_count == 2


def test_retries_are_logged_without_the_query(
    mock: respx.MockRouter, sleeps: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    mock.post(f"{BASE}/api/v1/proxy/info")
    route = mock.get(f"{BASE}/api/v1/proxy/info")
    route.side_effect = [httpx.Response(503), httpx.Response(200, json={"version": "2.9.6"})]
    with caplog.at_level(logging.INFO, logger="alluxio"), _client() as client:
        client.proxy_info()
    assert "retry 1 of 2" in caplog.text
    assert "GET http://proxy.test:39999/api/v1/proxy/info" in caplog.text


def test_backoff_is_capped_and_jittered() -> None:
    draws = iter([0.5, 1.0, 1.0, 1.0, 1.0])
    policy = RetryPolicy(attempts=10, base_delay=1.0, max_delay=3.0, random=lambda: next(draws))
    assert [policy.delay(n) for n in range(1, 6)] == [0.5, 2.0, 3.0, 3.0, 3.0]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("3", TypeError),
        (None, TypeError),
        (-1, ValueError),
        (1.5, TypeError),
    ],
)
def test_bad_retries_argument(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match="retries"):
        retry_policy(value)
    with pytest.raises(error, match="retries"):
        alluxio.Client("proxy.test", retries=value)


@pytest.mark.parametrize(
    ("kwargs", "error", "name"),
    [
        ({"attempts": 0}, ValueError, "attempts"),
        ({"attempts": True}, TypeError, "attempts"),
        ({"attempts": "3"}, TypeError, "attempts"),
        ({"base_delay": -1}, ValueError, "base_delay"),
        ({"max_delay": "1"}, TypeError, "max_delay"),
        ({"max_delay": float("nan")}, ValueError, "max_delay"),
        ({"statuses": [503]}, TypeError, "statuses"),
        ({"random": 0.5}, TypeError, "random"),
    ],
)
def test_bad_policy_arguments(kwargs: dict[str, Any], error: type[Exception], name: str) -> None:
    with pytest.raises(error, match=name):
        RetryPolicy(**kwargs)
