"""find and du from one recursive, streamed listing give what fsspec's generic versions (a
listing per directory, a status per file) give."""

from __future__ import annotations

import pytest
from fsspec.spec import AbstractFileSystem  # type: ignore[import-untyped]

from alluxio.fsspec import AlluxioProxyFileSystem


@pytest.fixture
def tree(afs: AlluxioProxyFileSystem, base: str) -> str:
    for path, data in (("a", b"1"), ("d/b", b"22"), ("d/e/c", b"333"), ("d/e/f/g", b"4444")):
        afs.makedirs(f"{base}/{path}".rsplit("/", 1)[0], exist_ok=True)
        afs.pipe_file(f"{base}/{path}", data)
    afs.makedirs(f"{base}/empty")
    return base


@pytest.mark.parametrize("maxdepth", [None, 1, 2, 3])
@pytest.mark.parametrize("withdirs", [False, True])
def test_find_and_du_agree_with_fsspec(
    afs: AlluxioProxyFileSystem, tree: str, maxdepth: int | None, withdirs: bool
) -> None:
    found = afs.find(tree, maxdepth=maxdepth, withdirs=withdirs)
    assert found == AbstractFileSystem.find(afs, tree, maxdepth=maxdepth, withdirs=withdirs)
    detail = afs.find(tree, maxdepth=maxdepth, withdirs=withdirs, detail=True)
    assert isinstance(detail, dict) and list(detail) == found
    assert all(detail[name]["name"] == name for name in found)
    for total in (True, False):
        assert afs.du(tree, total=total, maxdepth=maxdepth, withdirs=withdirs) == (
            AbstractFileSystem.du(afs, tree, total=total, maxdepth=maxdepth, withdirs=withdirs)
        )


def test_find_edges(afs: AlluxioProxyFileSystem, tree: str) -> None:
    assert afs.find(f"{tree}/a") == [f"{tree}/a"]
    assert afs.find(f"{tree}/missing") == []
    assert afs.du(f"{tree}/missing") == 0
    assert afs.ls(f"{tree}/d", detail=False) == [f"{tree}/d/b", f"{tree}/d/e"]
    with pytest.raises(ValueError, match="maxdepth must be at least 1"):
        afs.find(tree, maxdepth=0)
