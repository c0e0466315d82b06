"""Session-wide servers for the integration suites.

``proxy_url`` is parametrized over the servers a scenario must pass against: the embedded
proxy (always) and the real Alluxio proxy (Java, from Maven Central; marker ``real_proxy``).
One instance of each is started per session; tests work under their own unique directory.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import respx.mocks

from alluxio.server import EmbeddedProxy
from tests._real_proxy import (
    DEFAULT_V1_VERSION,
    DEFAULT_VERSION,
    RealProxyError,
    RealProxyUnavailable,
    build_classpath,
)
from tests._servers import real_proxy_or_skip

# A test that talks to a real proxy fails after this many seconds instead of stalling until
# CI's own limit: room for a cold JVM start-up on a loaded 2-core machine (its own limit is
# 180 s; Maven runs before the first test, below) plus the longest real-proxy test.
REAL_PROXY_TEST_TIMEOUT_S = 300


@pytest.fixture(scope="session", autouse=True)
def _no_user_cli_profiles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The command line's configuration file and profile come from the test, never from the
    developer's own (a default profile's token, HTTP proxy or timeout would change results)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ALLUXIO_PY_CONFIG", str(tmp_path_factory.getbasetemp() / "no-config.toml"))
        patch.delenv("ALLUXIO_PROFILE", raising=False)
        yield


# After -m/-k deselection: a run without real-proxy tests never starts Maven.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    real = [item for item in items if item.get_closest_marker("real_proxy")]
    for item in real:
        if not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(REAL_PROXY_TEST_TIMEOUT_S))
    if real:
        _build_real_proxies()


def _build_real_proxies() -> None:
    """Resolve and compile the real proxies before any test runs, so that no test's timeout
    covers a first Maven download (minutes on a fresh machine)."""
    for version in (DEFAULT_VERSION, DEFAULT_V1_VERSION):
        try:
            build_classpath(version)
        except (RealProxyUnavailable, RealProxyError):
            # The fixtures meet the same error again and skip or fail with its message.
            return


# The clients' pools are not httpcore's, but take and return its request and response models
# in handle_request / handle_async_request: respx's public hook for such pools makes
# ``respx.mock`` (its httpcore mocker, the default) intercept requests made through them.
respx.mocks.HTTPCoreMocker.add_targets("alluxio._transport._Pool", "alluxio._transport._AsyncPool")


@pytest.fixture(scope="session")
def embedded_proxy_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of one embedded proxy shared by the session."""
    root = tmp_path_factory.mktemp("embedded-ufs")
    # Scenarios mount directories from their tmp_path (all under pytest's base temp).
    with EmbeddedProxy(root, allow_mounts=[tmp_path_factory.getbasetemp()]) as proxy:
        yield proxy.url


@pytest.fixture(scope="session")
def real_proxy_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of one real Alluxio 2.x proxy shared by the session (skips without Java/Maven)."""
    with real_proxy_or_skip(tmp_path_factory.mktemp("real-ufs")) as url:
        yield url


@pytest.fixture(
    params=[
        pytest.param("embedded", id="embedded"),
        pytest.param("real", id="real", marks=pytest.mark.real_proxy),
    ]
)
def proxy_url(request: pytest.FixtureRequest) -> str:
    """Base URL of each server the integration scenarios run against."""
    fixture = "embedded_proxy_url" if request.param == "embedded" else "real_proxy_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def workdir() -> str:
    """A fresh, unique Alluxio directory name for one test (servers are shared)."""
    return f"/t-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def local_dir(tmp_path: Path) -> Path:
    """A local directory for mount sources and downloads."""
    path = tmp_path / "local"
    path.mkdir()
    return path
