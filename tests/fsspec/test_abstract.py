"""fsspec's own conformance suites (``fsspec.tests.abstract``) on the alluxio-proxy file system."""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Callable

import pytest
from fsspec.tests.abstract import (  # type: ignore[import-untyped]
    AbstractCopyTests,
    AbstractFixtures,
    AbstractGetTests,
    AbstractOpenTests,
    AbstractPipeTests,
    AbstractPutTests,
)

from alluxio.fsspec import AlluxioProxyFileSystem
from tests.fsspec.conftest import filesystem


class AlluxioFixtures(AbstractFixtures):  # type: ignore[misc]
    """The fixtures fsspec's suites need, for the session's embedded proxy."""

    @pytest.fixture
    def fs(self, embedded_proxy_url: str) -> AlluxioProxyFileSystem:
        return filesystem(embedded_proxy_url)

    @pytest.fixture
    def fs_path(self) -> str:
        # A fresh root per test: the proxy is shared by the session.
        return f"/abstract-{uuid.uuid4().hex[:12]}"

    @pytest.fixture
    def fs_join(self) -> Callable[..., str]:
        return posixpath.join

    @pytest.fixture
    def supports_empty_directories(self) -> bool:
        return True


class TestCopy(AbstractCopyTests, AlluxioFixtures):  # type: ignore[misc]
    pass


class TestGet(AbstractGetTests, AlluxioFixtures):  # type: ignore[misc]
    pass


class TestPut(AbstractPutTests, AlluxioFixtures):  # type: ignore[misc]
    pass


class TestOpen(AbstractOpenTests, AlluxioFixtures):  # type: ignore[misc]
    pass


class TestPipe(AbstractPipeTests, AlluxioFixtures):  # type: ignore[misc]
    pass
