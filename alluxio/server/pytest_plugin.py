"""Pytest plugin: running Alluxio proxies for your tests.

Registered through the ``pytest11`` entry point when ``alluxio-py[server]`` is installed.

Fixtures:

* ``alluxio_proxy`` - a running :class:`~alluxio.server.EmbeddedProxy` (2.x dialect) on a free
  port, its root under the test's ``tmp_path``; stopped after the test. It may mount
  directories under pytest's temporary directory of the session (``tmp_path``,
  ``tmp_path_factory.mktemp()``...) and nowhere else.
* ``alluxio_proxy_factory`` - a callable starting more proxies with options, e.g.
  ``alluxio_proxy_factory(dialect="1.x", stream_timeout=1.0)``; all are stopped after the test.
  Unless ``allow_mounts`` is given, they may mount directories under pytest's temporary
  directory of the session.

Examples:
    ```python
    import httpx

    def test_mkdir(alluxio_proxy):
        r = httpx.post(f"{alluxio_proxy.url}/api/v1/paths//data/create-directory")
        assert r.status_code == 200
    ```
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

import pytest

from ._embedded import EmbeddedProxy

__all__ = ["ProxyFactory", "alluxio_proxy", "alluxio_proxy_factory"]


class ProxyFactory(Protocol):
    """Signature of the ``alluxio_proxy_factory`` fixture."""

    def __call__(self, root: str | os.PathLike[str] | None = None, **options: Any) -> EmbeddedProxy:
        """Start a proxy (root: a fresh directory under ``tmp_path`` unless given; mounts:
        under pytest's temporary directory unless ``allow_mounts`` is given)."""
        ...


@pytest.fixture
def alluxio_proxy_factory(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ProxyFactory]:
    """Start embedded proxies with options; every proxy is stopped after the test."""
    started: list[EmbeddedProxy] = []

    def factory(root: str | os.PathLike[str] | None = None, **options: Any) -> EmbeddedProxy:
        if root is None:
            root = tmp_path / f"alluxio-root-{len(started)}"
        options.setdefault("allow_mounts", [tmp_path_factory.getbasetemp()])
        proxy = EmbeddedProxy(root, **options)
        proxy.start()
        started.append(proxy)
        return proxy

    yield factory
    for proxy in reversed(started):
        proxy.stop()


@pytest.fixture
def alluxio_proxy(alluxio_proxy_factory: ProxyFactory) -> EmbeddedProxy:
    """A running embedded proxy (2.x dialect) with an empty root under ``tmp_path``."""
    return alluxio_proxy_factory()
