"""The embedded proxy keeps rendered FileInfos between calls; no change may be missed.

Each test lists (or stats) once so the entries are kept, changes one thing, through the API
or straight in the under store as another process would, and checks the next answer.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import alluxio
from alluxio import option, wire
from alluxio.server import EmbeddedProxy, _fs
from alluxio.server.pytest_plugin import ProxyFactory


@pytest.fixture
def alluxio_proxy(alluxio_proxy_factory: ProxyFactory) -> EmbeddedProxy:
    # Persisted at once: the files may be freed right after writing.
    return alluxio_proxy_factory(persist_delay=0)


@pytest.fixture
def client(alluxio_proxy: EmbeddedProxy) -> Iterator[alluxio.Client]:
    url = urlsplit(alluxio_proxy.url)
    with alluxio.Client(url.hostname or "", url.port or 0) as c:
        c.create_directory("/d")
        for name in ("a", "b"):
            put(c, f"/d/{name}", b"x" * 10)
        yield c


def put(client: alluxio.Client, path: str, data: bytes) -> None:
    with client.open(path, "w") as writer:
        writer.write(data)


def listing(client: alluxio.Client) -> dict[str, wire.FileInfo]:
    return {info.name: info for info in client.list_status("/d")}


def under(proxy: EmbeddedProxy, path: str) -> Path:
    return Path(proxy.root) / path.lstrip("/")


def test_set_attribute_shows_in_the_next_listing(client: alluxio.Client) -> None:
    before = listing(client)
    assert (before["a"].pinned, before["a"].mode, before["a"].ttl) == (False, 0o644, -1)
    client.set_attribute(
        "/d/a",
        option.SetAttribute(
            pinned=True,
            mode=wire.Mode(
                owner_bits=wire.BITS_ALL, group_bits=wire.BITS_READ, other_bits=wire.BITS_NONE
            ),
            ttl=60_000,
        ),
    )
    after = listing(client)
    assert (after["a"].pinned, after["a"].mode, after["a"].ttl) == (True, 0o740, 60_000)
    assert client.get_status("/d/a").pinned
    assert not after["b"].pinned


def test_free_shows_in_the_next_listing(client: alluxio.Client) -> None:
    assert listing(client)["a"].in_memory_percentage == 100
    client.free("/d/a")
    assert listing(client)["a"].in_memory_percentage == 0
    assert client.get_status("/d/b").in_memory_percentage == 100


@pytest.mark.parametrize(
    ("change", "names"),
    [
        pytest.param(lambda c: put(c, "/d/c", b"new"), {"a", "b", "c"}, id="file-added"),
        pytest.param(lambda c: c.delete("/d/b"), {"a"}, id="file-deleted"),
        pytest.param(lambda c: c.rename("/d/b", "/d/c"), {"a", "c"}, id="file-renamed"),
        pytest.param(lambda c: c.create_directory("/d/s"), {"a", "b", "s"}, id="dir-added"),
    ],
)
def test_namespace_changes_show_in_the_next_listing(
    client: alluxio.Client, change: Callable[[alluxio.Client], object], names: set[str]
) -> None:
    assert set(listing(client)) == {"a", "b"}
    change(client)
    assert set(listing(client)) == names


def test_rewritten_file_shows_its_new_length(client: alluxio.Client) -> None:
    assert listing(client)["a"].length == 10
    client.delete("/d/a")
    put(client, "/d/a", b"y" * 25)
    info = listing(client)["a"]
    assert info.length == 25
    with client.open("/d/a", "r") as reader:
        assert reader.read() == b"y" * 25


def test_changes_made_in_the_under_store_show(
    client: alluxio.Client, alluxio_proxy: EmbeddedProxy
) -> None:
    before = listing(client)
    local = under(alluxio_proxy, "/d/a")
    with open(local, "ab") as f:  # another process appends to the under-store file
        f.write(b"z" * 5)
    later = (before["b"].last_modification_time_ms + 3_600_000) * 1_000_000
    os.utime(under(alluxio_proxy, "/d/b"), ns=(later, later))  # and another touches a file
    after = listing(client)
    assert after["a"].length == 15
    assert after["b"].last_modification_time_ms == later // 1_000_000


def test_directory_length_follows_its_children(client: alluxio.Client) -> None:
    client.create_directory("/d/sub")
    assert listing(client)["sub"].length == 0
    put(client, "/d/sub/x", b"1")
    assert listing(client)["sub"].length == 1
    client.close(client.create_file("/d/sub/y"))
    assert listing(client)["sub"].length == 2


def test_mount_point_flag_follows_mount_and_unmount(
    client: alluxio.Client, tmp_path_factory: pytest.TempPathFactory
) -> None:
    client.create_directory("/m")
    assert not {i.name: i for i in client.list_status("/")}["m"].mount_point
    client.delete("/m")
    client.mount("/m", str(tmp_path_factory.mktemp("ufs")))
    assert {i.name: i for i in client.list_status("/")}["m"].mount_point
    client.unmount("/m")
    assert "m" not in {i.name for i in client.list_status("/")}


def test_modification_time_moves_with_the_content(client: alluxio.Client) -> None:
    first = listing(client)["a"].last_modification_time_ms
    time.sleep(0.02)
    client.delete("/d/a")
    put(client, "/d/a", b"x" * 10)  # same length as before
    assert listing(client)["a"].last_modification_time_ms >= first
    assert client.get_status("/d/a").file_id != 0


def test_rendered_entries_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_fs, "_RENDERED_MAX", 5)
    namespace = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    (tmp_path / "d").mkdir()
    for i in range(20):
        (tmp_path / "d" / f"f{i:02d}").write_bytes(b"x" * i)
    for _ in range(2):
        listed = namespace.list_status("/d", {})
        assert [(e["name"], e["length"]) for e in listed] == [(f"f{i:02d}", i) for i in range(20)]
        assert len(namespace._rendered) == 5
    namespace.close()
