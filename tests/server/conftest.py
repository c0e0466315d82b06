"""Fixtures for the embedded-proxy tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alluxio.server import EmbeddedProxy
from tests.server._api import Api


@pytest.fixture
def api(alluxio_proxy: EmbeddedProxy) -> Iterator[Api]:
    """Raw API access to a fresh 2.x proxy."""
    client = Api(alluxio_proxy.url)
    yield client
    client.close()
