"""AlluxioProxyFileSystem behaviour over real HTTP: URLs, metadata, files, transfers, errors."""

from __future__ import annotations

import datetime
import os
import pickle
import socket
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import fsspec  # type: ignore[import-untyped]
import pytest
from fsspec.callbacks import Callback  # type: ignore[import-untyped]

from alluxio import option
from alluxio.fsspec import AlluxioProxyFile, AlluxioProxyFileSystem

KIB = 1024


def _payload(size: int) -> bytes:
    return bytes(i % 251 for i in range(size))


class Recorder(Callback):  # type: ignore[misc]
    """An fsspec callback that remembers what it was told."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int | None] = []
        self.updates: list[int] = []

    def set_size(self, size: int | None) -> None:
        self.sizes.append(size)
        super().set_size(size)

    def relative_update(self, inc: int = 1) -> None:
        self.updates.append(inc)
        super().relative_update(inc)


# -- URLs and registration -------------------------------------------------------------------


def test_urls_resolve_host_port_and_path(
    proxy_url: str, afs: AlluxioProxyFileSystem, base: str
) -> None:
    port = urlsplit(proxy_url).port
    url = f"alluxio-proxy://127.0.0.1:{port}{base}/x.csv"
    afs.pipe_file(f"{base}/x.csv", b"a,b\n1,2\n")
    fs, path = fsspec.url_to_fs(url)
    assert isinstance(fs, AlluxioProxyFileSystem)
    assert (fs.host, fs.port, path) == ("127.0.0.1", port, f"{base}/x.csv")
    # fsspec's instance cache: the same arguments, the same file system.
    assert fsspec.filesystem("alluxio-proxy", host="127.0.0.1", port=port) is fs
    with fsspec.open(url, "rb") as f:
        assert f.read() == b"a,b\n1,2\n"
    with fsspec.open(url, "rt") as f:
        assert f.read() == "a,b\n1,2\n"
    assert fs.unstrip_protocol(path) == url
    assert afs.ls(f"alluxio-proxy://127.0.0.1:{port}{base}/", detail=False) == [f"{base}/x.csv"]


@pytest.mark.parametrize(
    ("url", "kwargs", "path"),
    [
        ("alluxio-proxy://h:123/a/b/", {"host": "h", "port": 123}, "/a/b"),
        ("alluxio-proxy://h/a", {"host": "h"}, "/a"),
        ("alluxio-proxy://h:1", {"host": "h", "port": 1}, "/"),
        ("alluxio-proxy://[::1]:39999/x", {"host": "::1", "port": 39999}, "/x"),
        ("/a/b", {}, "/a/b"),
        ("a/b", {}, "/a/b"),
        ("/", {}, "/"),
    ],
)
def test_strip_protocol_and_url_kwargs(url: str, kwargs: dict[str, Any], path: str) -> None:
    assert AlluxioProxyFileSystem._get_kwargs_from_urls(url) == kwargs
    assert AlluxioProxyFileSystem._strip_protocol(url) == path


def test_bad_port_in_url() -> None:
    with pytest.raises(ValueError):
        AlluxioProxyFileSystem._get_kwargs_from_urls("alluxio-proxy://h:notaport/x")


def test_filesystem_pickles_as_its_arguments(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.pipe_file(f"{base}/p", b"pickled")
    clone = pickle.loads(pickle.dumps(afs))
    assert isinstance(clone, AlluxioProxyFileSystem)
    assert clone.cat_file(f"{base}/p") == b"pickled"


# -- metadata ----------------------------------------------------------------------------------


def test_ls_info_exists(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.pipe_file(f"{base}/b.bin", b"12345")
    afs.mkdir(f"{base}/a")
    listing = afs.ls(base)
    assert [(e["name"], e["type"], e["size"]) for e in listing] == [
        (f"{base}/a", "directory", 0),
        (f"{base}/b.bin", "file", 5),
    ]
    assert afs.ls(base, detail=False) == [f"{base}/a", f"{base}/b.bin"]
    info = afs.info(f"{base}/b.bin")
    assert info == listing[1]
    assert info["completed"] is True and isinstance(info["mtime"], float)
    assert {"mode", "owner", "group", "persisted", "pinned", "block_size"} <= info.keys()
    assert afs.ls(f"{base}/b.bin") == [info]  # ls of a file: the file
    assert afs.isdir(f"{base}/a") and afs.isfile(f"{base}/b.bin")
    assert afs.exists(f"{base}/a") and not afs.exists(f"{base}/nope")
    assert isinstance(afs.modified(f"{base}/b.bin"), datetime.datetime)
    assert afs.created(f"{base}/b.bin") <= afs.modified(f"{base}/b.bin")
    with pytest.raises(FileNotFoundError):
        afs.info(f"{base}/nope")
    with pytest.raises(FileNotFoundError):
        afs.ls(f"{base}/nope")
    assert afs.find(base) == [f"{base}/b.bin"]
    assert afs.du(base) == 5


def test_mkdir_makedirs(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.mkdir(f"{base}/x/y")  # create_parents by default
    assert afs.isdir(f"{base}/x/y")
    with pytest.raises(FileExistsError):
        afs.mkdir(f"{base}/x/y")
    with pytest.raises(FileNotFoundError):
        afs.mkdir(f"{base}/p/q", create_parents=False)
    afs.makedirs(f"{base}/x/y", exist_ok=True)
    with pytest.raises(FileExistsError):
        afs.makedirs(f"{base}/x/y")
    afs.pipe_file(f"{base}/f", b"")
    with pytest.raises(FileExistsError):  # a file is never an existing directory
        afs.makedirs(f"{base}/f", exist_ok=True)
    afs.rmdir(f"{base}/x/y")
    assert not afs.exists(f"{base}/x/y")
    with pytest.raises(NotADirectoryError):
        afs.rmdir(f"{base}/f")


def test_rm(afs: AlluxioProxyFileSystem, base: str) -> None:
    for name in ("t/a", "t/b/c", "t/b/d/e", "g1.txt", "g2.txt", "keep.csv"):
        afs.pipe_file(f"{base}/{name}", b"x")
    with pytest.raises(OSError):  # a non-empty directory without recursive
        afs.rm(f"{base}/t")
    afs.rm(f"{base}/t", recursive=True)
    assert not afs.exists(f"{base}/t")
    afs.rm(f"{base}/g*.txt")
    assert afs.ls(base, detail=False) == [f"{base}/keep.csv"]
    with pytest.raises(FileNotFoundError):
        afs.rm(f"{base}/missing")
    afs.pipe_file(f"{base}/m/a/b", b"x")
    afs.rm(f"{base}/m", recursive=True, maxdepth=5)  # fsspec's file-by-file path
    assert not afs.exists(f"{base}/m")


def test_mv(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.pipe_file(f"{base}/src.txt", b"moved")
    afs.mv(f"{base}/src.txt", f"{base}/dst.txt")
    assert afs.cat_file(f"{base}/dst.txt") == b"moved"
    assert not afs.exists(f"{base}/src.txt")
    afs.mkdir(f"{base}/dir")
    afs.mv(f"{base}/dst.txt", f"{base}/dir")  # into an existing directory
    assert afs.ls(f"{base}/dir", detail=False) == [f"{base}/dir/dst.txt"]
    afs.mv(f"{base}/dir", f"{base}/renamed", recursive=True)  # a directory: one rename
    assert afs.cat_file(f"{base}/renamed/dst.txt") == b"moved"
    with pytest.raises(FileNotFoundError):
        afs.mv(f"{base}/missing", f"{base}/x")


# -- whole files -------------------------------------------------------------------------------


def test_cat_file_ranges(afs: AlluxioProxyFileSystem, base: str) -> None:
    data = _payload(300 * KIB)
    afs.pipe_file(f"{base}/r.bin", data)
    path = f"{base}/r.bin"
    assert afs.cat_file(path) == data
    # Ranges that end before the file does leave their read stream part-way: the client reads
    # the (small) rest before closing, as Alluxio 2.9.6 may never answer an abandoned close.
    ranges = [(0, 10), (5, None), (100_000, 200_000), (-10, None), (-20, -10), (10, 5)]
    for start, end in ranges:
        assert afs.cat_file(path, start=start, end=end) == data[start:end], (start, end)
    assert afs.cat_file(path, start=len(data) + 5) == b""
    assert afs.cat_file(path, start=0, end=len(data) + 100) == data
    with pytest.raises(FileNotFoundError):
        afs.cat_file(f"{base}/missing")
    with pytest.raises(FileNotFoundError):
        afs.cat_file(f"{base}/missing", start=5, end=5)


def test_pipe_file_modes(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.pipe_file(f"{base}/deep/er/p.bin", b"one")  # parents are created
    afs.pipe_file(f"{base}/deep/er/p.bin", b"two")  # overwrite by default
    assert afs.cat_file(f"{base}/deep/er/p.bin") == b"two"
    with pytest.raises(FileExistsError):
        afs.pipe_file(f"{base}/deep/er/p.bin", b"three", mode="create")
    assert afs.cat_file(f"{base}/deep/er/p.bin") == b"two"
    with pytest.raises(IsADirectoryError):
        afs.pipe_file(f"{base}/deep", b"x")
    afs.pipe({f"{base}/m1": b"1", f"{base}/m2": b"2"})
    assert afs.cat([f"{base}/m1", f"{base}/m2"]) == {f"{base}/m1": b"1", f"{base}/m2": b"2"}


# -- file objects ------------------------------------------------------------------------------


def _count_opens(afs: AlluxioProxyFileSystem, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    original = afs.client.open_file

    def counting(path: str, opt: option.OpenFile | None = None) -> int:
        opened.append(path)
        return original(path, opt)

    monkeypatch.setattr(afs.client, "open_file", counting)
    return opened


def test_read_file_seeks(
    afs: AlluxioProxyFileSystem, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _payload(200 * KIB)
    path = f"{base}/seek.bin"
    afs.pipe_file(path, data)
    opened = _count_opens(afs, monkeypatch)
    with afs.open(path, "rb", block_size=16 * KIB, cache_type="none") as f:
        assert isinstance(f, AlluxioProxyFile)
        assert f.size == len(data)
        assert f.read(1000) == data[:1000]
        assert f.read(1000) == data[1000:2000]  # reading on: same stream
        f.seek(150_000)  # forward: the gap is read and dropped
        assert f.read(10) == data[150_000:150_010]
        assert len(opened) == 1
        f.seek(50)  # backward: a new stream from the start
        assert f.read(100) == data[50:150]
        assert len(opened) == 2
        f.seek(-5, os.SEEK_END)
        assert f.read() == data[-5:]
        assert len(opened) == 2
    assert f.closed
    with afs.open(path, "rb") as f:  # the default read-ahead cache
        assert b"".join(iter(lambda: f.read(7 * KIB), b"")) == data
    with pytest.raises(FileNotFoundError):
        afs.open(f"{base}/missing", "rb")
    with pytest.raises(IsADirectoryError):
        afs.open(base, "rb")


def test_small_file_is_read_whole_once(
    afs: AlluxioProxyFileSystem, base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _payload(50 * KIB)
    path = f"{base}/small.bin"
    afs.pipe_file(path, data)
    opened = _count_opens(afs, monkeypatch)
    with afs.open(path, "rb", cache_type="none") as f:  # block_size (4 MiB) > size
        f.seek(-8, os.SEEK_END)
        assert f.read() == data[-8:]
        f.seek(100)
        assert f.read(10) == data[100:110]
        f.seek(0)
        assert f.read() == data
    assert len(opened) == 1


def test_write_file_streams_blocks(afs: AlluxioProxyFileSystem, base: str) -> None:
    data = _payload(100 * KIB + 3)
    path = f"{base}/w/out.bin"
    with afs.open(path, "wb", block_size=16 * KIB) as f:
        for i in range(0, len(data), 5000):
            f.write(data[i : i + 5000])
        # Full blocks were already streamed, to a hidden temporary file: the target only
        # appears when complete.
        (temp,) = afs.ls(f"{base}/w", detail=False)
        assert temp.startswith(f"{base}/w/.out.bin.alluxio-py-tmp-")
        assert not afs.exists(path)
    assert afs.cat_file(path) == data
    assert afs.ls(f"{base}/w", detail=False) == [path]
    with afs.open(path, "wb") as f:  # "wb" replaces
        f.write(b"short")
    assert afs.cat_file(path) == b"short"
    with afs.open(f"{base}/empty", "wb"):
        pass
    assert afs.info(f"{base}/empty")["size"] == 0
    with afs.open(f"{base}/text.txt", "w", encoding="utf-8") as t:
        t.write("héllo\n")
    assert afs.cat_file(f"{base}/text.txt") == "héllo\n".encode()
    afs.touch(f"{base}/touched")
    assert afs.info(f"{base}/touched")["size"] == 0


def test_write_file_errors_and_discard(afs: AlluxioProxyFileSystem, base: str) -> None:
    path = f"{base}/failed.bin"
    with pytest.raises(RuntimeError, match="boom"), afs.open(path, "wb", block_size=1024) as f:
        f.write(_payload(5000))
        raise RuntimeError("boom")
    assert not afs.exists(path)  # discarded, not committed half-written
    afs.pipe_file(f"{base}/there", b"keep")
    with pytest.raises(FileExistsError):
        afs.open(f"{base}/there", "xb")  # at open, not at close
    assert afs.cat_file(f"{base}/there") == b"keep"
    with afs.open(f"{base}/new", "xb") as f:
        f.write(b"exclusive")
    assert afs.cat_file(f"{base}/new") == b"exclusive"
    with pytest.raises(NotImplementedError):
        afs.open(f"{base}/there", "ab")
    with pytest.raises(IsADirectoryError):
        afs.open(base, "wb")


def test_transaction_commits_at_the_end(afs: AlluxioProxyFileSystem, base: str) -> None:
    afs.pipe_file(f"{base}/t2", b"old")
    with afs.transaction:
        with afs.open(f"{base}/t1", "wb") as f:
            f.write(b"one")
        with afs.open(f"{base}/t2", "wb") as f:
            f.write(b"new")
        assert not afs.exists(f"{base}/t1")  # not yet
        assert afs.cat_file(f"{base}/t2") == b"old"
    assert afs.cat_file(f"{base}/t1") == b"one"
    assert afs.cat_file(f"{base}/t2") == b"new"
    assert afs.ls(base, detail=False) == [f"{base}/t1", f"{base}/t2"]  # no temporaries left

    with pytest.raises(RuntimeError), afs.transaction:
        with afs.open(f"{base}/t3", "wb") as f:
            f.write(b"never")
        raise RuntimeError
    assert afs.ls(base, detail=False) == [f"{base}/t1", f"{base}/t2"]


# -- local transfers ---------------------------------------------------------------------------


def test_put_get_with_callbacks(afs: AlluxioProxyFileSystem, base: str, tmp_path: Path) -> None:
    data = _payload(3 * (1 << 20) + 11)
    local = tmp_path / "up.bin"
    local.write_bytes(data)
    up = Recorder()
    afs.put_file(str(local), f"{base}/up/remote.bin", callback=up)
    assert afs.cat_file(f"{base}/up/remote.bin") == data
    assert up.sizes == [len(data)] and sum(up.updates) == len(data) and len(up.updates) == 4

    down = Recorder()
    target = tmp_path / "sub" / "down.bin"
    afs.get_file(f"{base}/up/remote.bin", str(target), callback=down)
    assert target.read_bytes() == data
    assert down.sizes == [len(data)] and sum(down.updates) == len(data)

    with pytest.raises(FileNotFoundError):
        afs.get_file(f"{base}/missing", str(tmp_path / "never.bin"))
    assert not (tmp_path / "never.bin").exists()

    (tmp_path / "tree" / "d").mkdir(parents=True)
    (tmp_path / "tree" / "d" / "f.txt").write_bytes(b"f")
    afs.put(str(tmp_path / "tree"), f"{base}/tree", recursive=True)
    assert afs.cat_file(f"{base}/tree/d/f.txt") == b"f"
    afs.get(f"{base}/tree", str(tmp_path / "back"), recursive=True)
    assert (tmp_path / "back" / "d" / "f.txt").read_bytes() == b"f"


def test_permission_error_from_a_read_only_mount(
    afs: AlluxioProxyFileSystem, base: str, tmp_path: Path
) -> None:
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    (ufs / "readable.txt").write_bytes(b"r")
    afs.client.mount(f"{base}/ro", f"file://{ufs}", option.Mount(read_only=True))
    try:
        assert afs.cat_file(f"{base}/ro/readable.txt") == b"r"
        with pytest.raises(PermissionError):
            afs.pipe_file(f"{base}/ro/refused.txt", b"no")
        with pytest.raises(PermissionError):
            afs.rm(f"{base}/ro/readable.txt")
    finally:
        afs.client.unmount(f"{base}/ro")
    assert not (ufs / "refused.txt").exists()


def test_failover_proxies_through_storage_options(
    proxy_url: str, afs: AlluxioProxyFileSystem, base: str
) -> None:
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    afs.pipe_file(f"{base}/f", b"via the second proxy")
    fs = fsspec.filesystem("alluxio-proxy", host="127.0.0.1", port=dead_port, proxies=[proxy_url])
    assert fs.cat_file(f"{base}/f") == b"via the second proxy"
    assert fs.client.current_proxy == proxy_url
    assert any(e["name"] == base for e in fs.ls("/"))


def test_atomic_false_writes_the_target_directly(afs: AlluxioProxyFileSystem, base: str) -> None:
    direct = AlluxioProxyFileSystem(afs.host, afs.port, atomic=False, skip_instance_cache=True)
    path = f"{base}/direct/out.bin"
    with direct.open(path, "wb", block_size=16 * KIB) as f:
        f.write(b"x" * (40 * KIB))
        assert direct.ls(f"{base}/direct", detail=False) == [path]  # no temporary name
    assert direct.cat_file(path) == b"x" * (40 * KIB)
    direct.pipe_file(path, b"new")  # overwrite: replaced in place
    assert direct.ls(f"{base}/direct", detail=False) == [path]
    assert direct.cat_file(path) == b"new"
    with pytest.raises(TypeError, match="atomic must be a bool"):
        AlluxioProxyFileSystem(afs.host, afs.port, atomic="no", skip_instance_cache=True)  # type: ignore[arg-type]
