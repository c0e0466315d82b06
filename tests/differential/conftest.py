"""Fixtures of the divergence tests: raw API clients on each server, and the 1.x servers (the
embedded proxy in the 1.x dialect, Alluxio 1.8.1)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from alluxio.server import EmbeddedProxy
from tests._real_proxy import DEFAULT_V1_VERSION
from tests._servers import real_proxy_or_skip
from tests.server._api import Api


@pytest.fixture
def api(proxy_url: str) -> Iterator[Api]:
    """Raw REST calls on each server of ``proxy_url`` (embedded; real with ``real_proxy``)."""
    client = Api(proxy_url)
    yield client
    client.close()


@pytest.fixture
def base(api: Api, workdir: str) -> str:
    """A fresh directory (created) for one test."""
    api.mkdir(workdir)
    return workdir


@pytest.fixture(scope="session")
def embedded_v1_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of one embedded proxy in the 1.x dialect shared by the session."""
    root = tmp_path_factory.mktemp("embedded-ufs-v1")
    # Tests mount directories from their tmp_path (all under pytest's base temp).
    allowed = [tmp_path_factory.getbasetemp()]
    with EmbeddedProxy(root, dialect="1.x", allow_mounts=allowed) as proxy:
        yield proxy.url


@pytest.fixture(
    params=[
        pytest.param("embedded", id="embedded-1.x"),
        pytest.param("real", id="real-1.8.1", marks=pytest.mark.real_proxy),
    ]
)
def proxy_v1_url(request: pytest.FixtureRequest) -> str:
    """Base URL of each 1.x server: the embedded proxy in the 1.x dialect and Alluxio 1.8.1."""
    fixture = "embedded_v1_url" if request.param == "embedded" else "real_proxy_v1_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture(scope="session")
def real_proxy_v1_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of one real Alluxio 1.8.1 proxy shared by the session (skips without Java/Maven)."""
    with real_proxy_or_skip(tmp_path_factory.mktemp("real-ufs-v1"), DEFAULT_V1_VERSION) as url:
        yield url
