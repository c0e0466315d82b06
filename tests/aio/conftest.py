"""Fixtures for the async client tests: anyio's pytest plugin on asyncio, a client per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

import alluxio


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Each async test runs on asyncio and on trio (anyio's pytest plugin)."""
    return str(request.param)


@pytest.fixture
async def aclient(proxy_url: str) -> AsyncIterator[alluxio.AsyncClient]:
    """An AsyncClient on each server of ``proxy_url`` (embedded; real with ``real_proxy``)."""
    async with alluxio.AsyncClient.from_url(proxy_url, timeout=120) as client:
        yield client
