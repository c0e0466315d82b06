"""The same retry and failover rules hold for :class:`alluxio.AsyncClient` (shared policy)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

import alluxio
from alluxio import exceptions as exc
from alluxio._retry import RetryPolicy

A = "http://a.test:39999"
B = "http://b.test:39999"
POLICY = RetryPolicy(attempts=3, base_delay=0.1, random=lambda: 1.0)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def record(delay: float) -> None:
        slept.append(delay)

    monkeypatch.setattr("alluxio.aio.anyio.sleep", record)
    return slept


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def _run(
    action: Callable[[alluxio.AsyncClient], Awaitable[Any]], url: str = A, **kwargs: Any
) -> Any:
    async def main() -> Any:
        kwargs.setdefault("retries", POLICY)
        async with alluxio.AsyncClient.from_url(url, **kwargs) as client:
            return await action(client)

    return asyncio.run(main())


def test_idempotent_calls_are_retried(mock: respx.MockRouter, sleeps: list[float]) -> None:
    route = mock.post(f"{A}/api/v1/paths//f/exists")
    route.side_effect = [
        httpx.Response(503),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.Response(200, json=True),
    ]
    assert _run(lambda c: c.exists("/f")) is True
    assert route.call_count == 3
    assert sleeps == [pytest.approx(0.1), pytest.approx(0.2)]


@pytest.mark.parametrize(
    ("action", "url"),
    [
        (lambda c: c.create_file("/f"), f"{A}/api/v1/paths//f/create-file"),
        (lambda c: c.delete("/f"), f"{A}/api/v1/paths//f/delete"),
        (lambda c: c.rename("/f", "/g"), f"{A}/api/v1/paths//f/rename"),
        (lambda c: c.close(4), f"{A}/api/v1/streams/4/close"),
    ],
    ids=["create_file", "delete", "rename", "close"],
)
def test_state_changing_calls_are_not_resent(
    mock: respx.MockRouter, sleeps: list[float], action: Any, url: str
) -> None:
    route = mock.post(url)
    route.side_effect = [httpx.Response(503), httpx.Response(200, json=1)]
    with pytest.raises(exc.UnavailableError):
        _run(action)
    assert route.call_count == 1
    assert sleeps == []


def test_failover_and_stream_pinning(mock: respx.MockRouter, sleeps: list[float]) -> None:
    mock.post(f"{A}/api/v1/paths//f/open-file").mock(return_value=httpx.Response(200, json=5))
    mock.post(f"{A}/api/v1/paths//f/exists").mock(side_effect=httpx.ConnectError("refused"))
    mock.post(f"{B}/api/v1/paths//f/exists").mock(return_value=httpx.Response(200, json=True))
    close_a = mock.post(f"{A}/api/v1/streams/5/close").mock(return_value=httpx.Response(200))
    close_b = mock.post(f"{B}/api/v1/streams/5/close").mock(return_value=httpx.Response(200))

    async def scenario(client: alluxio.AsyncClient) -> str:
        file_id = await client.open_file("/f")
        assert await client.exists("/f") is True
        await client.close(file_id)
        return client.current_proxy

    assert _run(scenario, f"{A},{B}") == B
    assert (close_a.call_count, close_b.call_count) == (1, 0)
    assert sleeps == []


def test_timeouts_are_not_retried(mock: respx.MockRouter, sleeps: list[float]) -> None:
    route = mock.post(f"{A}/api/v1/paths//f/get-status")
    route.side_effect = [httpx.ReadTimeout("timed out"), httpx.Response(200, json={})]
    with pytest.raises(exc.HTTPTimeoutError):
        _run(lambda c: c.get_status("/f"))
    assert route.call_count == 1
