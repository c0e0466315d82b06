"""Fixtures for the fsspec file system tests (embedded proxy over real HTTP)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

import fsspec  # type: ignore[import-untyped]
import pytest

from alluxio.fsspec import AlluxioProxyFileSystem


def filesystem(url: str) -> AlluxioProxyFileSystem:
    """The file system for a proxy URL, resolved the way users get it: by protocol name."""
    parts = urlsplit(url)
    fs = fsspec.filesystem("alluxio-proxy", host=parts.hostname, port=parts.port, timeout=120)
    assert isinstance(fs, AlluxioProxyFileSystem)
    return fs


@pytest.fixture
def afs(proxy_url: str) -> AlluxioProxyFileSystem:
    """The fsspec file system on each server of ``proxy_url`` (embedded; real with
    ``real_proxy``)."""
    return filesystem(proxy_url)


@pytest.fixture
def base(afs: AlluxioProxyFileSystem) -> str:
    """A fresh Alluxio directory (created) for one test."""
    path = f"/fsspec-{uuid.uuid4().hex[:12]}"
    afs.mkdir(path)
    return path
