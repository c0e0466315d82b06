"""The path matrix against both proxies: each path reaches the proxy exactly as sent, or the
client refuses it before any request (never a silently different path)."""

from __future__ import annotations

import posixpath
import re
import uuid
from collections.abc import Iterator

import pytest

import alluxio
from alluxio import option
from alluxio.exceptions import AlluxioError, InvalidArgumentError, UnknownError

from .cases import CASES, DEEP, Case


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=60) as client:
        yield client


def _server(proxy_url: str, embedded_url: str) -> str:
    return "embedded" if proxy_url == embedded_url else "real"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_path_arrives_exactly_or_is_refused(
    client: alluxio.Client, proxy_url: str, embedded_proxy_url: str, case: Case
) -> None:
    expected = getattr(case, _server(proxy_url, embedded_proxy_url))
    parent = f"/paths-{uuid.uuid4().hex[:10]}"
    path = f"{parent}/{case.relative}"
    client.create_directory(parent)
    if expected == "refused":
        index = len(parent) + 1 + case.index
        with pytest.raises(
            InvalidArgumentError, match=rf"{re.escape(case.offence)} at index {index}:"
        ):
            client.create_file(path, option.CreateFile(recursive=True))
        assert client.ls(parent) == []  # nothing was sent
        return
    if expected == "error":
        with pytest.raises(AlluxioError):
            client.write_bytes(path, b"x", option.CreateFile(recursive=True), atomic=False)
        assert client.ls(parent) == []
        return
    # Direct: what arrives at create (an atomic write adds a rename, which carries the path
    # twice; its limit is in the Paths guide).
    created = client.write_bytes(path, b"x", option.CreateFile(recursive=True), atomic=False)
    assert created == 1
    named = path if expected == "exact" else "/" + posixpath.normpath(path).lstrip("/")
    files = [
        info.path
        for info in client.list_status(parent, option.ListStatus(recursive=True))
        if not info.folder
    ]
    assert files == [named]
    assert client.get_status(path).path == named
    assert client.read_bytes(path) == b"x"
    assert client.exists(named)


def test_an_atomic_write_to_a_4000_char_path(
    client: alluxio.Client, proxy_url: str, embedded_proxy_url: str
) -> None:
    # The rename of an atomic write sends the path twice (URL and dst): over Jetty's 8 KiB
    # of request headers on the real proxy. It fails cleanly: nothing is left behind.
    parent = f"/paths-{uuid.uuid4().hex[:10]}"
    path = f"{parent}/{DEEP}"
    client.create_directory(parent)
    if _server(proxy_url, embedded_proxy_url) == "real":
        with pytest.raises(UnknownError, match="HTTP 431"):
            client.write_bytes(path, b"x", option.CreateFile(recursive=True))
        listing = client.list_status(parent, option.ListStatus(recursive=True))
        assert [info.path for info in listing if not info.folder] == []
    else:
        assert client.write_bytes(path, b"x", option.CreateFile(recursive=True)) == 1
        assert client.read_bytes(path) == b"x"
