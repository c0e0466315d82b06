"""The full client scenario over real HTTP, against every server in ``proxy_url``."""

from __future__ import annotations

import array
import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import alluxio
from alluxio import exceptions, option, wire

MIB = 1 << 20


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=120) as c:
        yield c


def _payload(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 2048  # 64 KiB of non-trivial bytes
    return (block * (size // len(block) + 1))[:size]


def test_directories_listing_and_status(client: alluxio.Client, workdir: str) -> None:
    client.create_directory(f"{workdir}/a/b", option.CreateDirectory(recursive=True))
    with pytest.raises(exceptions.AlreadyExistsError):
        client.create_directory(f"{workdir}/a")
    client.create_directory(f"{workdir}/a", option.CreateDirectory(allow_exists=True))
    with pytest.raises(exceptions.NotFoundError):
        client.create_directory(f"{workdir}/missing/child")
    for name in ("z", "m", "c"):
        client.write_bytes(f"{workdir}/a/{name}.txt", name.encode() * 3)
    assert client.ls(f"{workdir}/a") == ["b", "c.txt", "m.txt", "z.txt"]
    infos = client.list_status(f"{workdir}/a")
    assert [i.folder for i in infos] == [True, False, False, False]
    status = client.get_status(f"{workdir}/a/m.txt")
    assert (status.name, status.path, status.length, status.folder, status.completed) == (
        "m.txt",
        f"{workdir}/a/m.txt",
        3,
        False,
        True,
    )
    assert client.exists(f"{workdir}/a/m.txt") and not client.exists(f"{workdir}/nope")
    with pytest.raises(exceptions.NotFoundError):
        client.get_status(f"{workdir}/nope")
    recursive = client.list_status(workdir, option.ListStatus(recursive=True))
    assert {i.path for i in recursive} >= {f"{workdir}/a/b", f"{workdir}/a/z.txt"}


def test_multi_mib_write_and_read(client: alluxio.Client, workdir: str, tmp_path: Path) -> None:
    data = _payload(5 * MIB + 123)
    client.create_directory(workdir)
    # From bytes, from a file object, from an iterable: each streamed.
    assert client.write_bytes(f"{workdir}/bytes.bin", data) == len(data)
    local = tmp_path / "local.bin"
    local.write_bytes(data)
    with local.open("rb") as source, client.open(f"{workdir}/file.bin", "w") as writer:
        assert writer.write(source) == len(data)
    with client.open(f"{workdir}/iter.bin", "w") as writer:
        written = writer.write(data[i : i + MIB] for i in range(0, len(data), MIB))
        written += writer.write(memoryview(b"tail"))
    assert written == len(data) + 4
    for name in ("bytes.bin", "file.bin"):
        assert client.get_status(f"{workdir}/{name}").length == len(data)
        with client.open(f"{workdir}/{name}", "r") as reader:
            first = reader.read(10)
            rest = reader.read()
        assert first + rest == data
    with client.open(f"{workdir}/iter.bin", "r") as reader:
        chunks = list(reader)
    assert b"".join(chunks) == data + b"tail"
    assert all(len(c) == MIB for c in chunks[:-1])


def test_write_counts_bytes_of_wide_memoryviews(client: alluxio.Client, workdir: str) -> None:
    # A memoryview of 4-byte ints has len() == items, nbytes == bytes: bytes are what count.
    ints = array.array("i", range(1000))
    raw = ints.tobytes()
    client.create_directory(workdir)
    with client.open(f"{workdir}/ints.bin", "w") as writer:
        assert writer.write(memoryview(ints)) == len(raw)
        assert writer.write([memoryview(ints), b"", memoryview(ints)[::2]]) == len(raw) * 3 // 2
        assert writer.write(io.BytesIO(raw)) == len(raw)
    assert client.read_bytes(f"{workdir}/ints.bin") == raw + raw + ints[::2].tobytes() + raw


def test_stream_api_by_id(client: alluxio.Client, workdir: str) -> None:
    file_id = client.create_file(
        f"{workdir}/by-id.txt",
        option.CreateFile(recursive=True, write_type=wire.WRITE_TYPE_MUST_CACHE),
    )
    writer = client.write(file_id)
    assert writer.write(b"hello ") == 6
    assert writer.write(io.BytesIO(b"world")) == 5
    writer.close()
    client.close(file_id)
    read_id = client.open_file(f"{workdir}/by-id.txt")
    assert read_id != file_id
    reader = client.read(read_id)
    assert reader.read() == b"hello world"
    reader.close()
    client.close(read_id)
    with pytest.raises(exceptions.AlluxioError):
        client.close(read_id)


@pytest.mark.parametrize(
    "name",
    [
        "space name",
        "hash#tag",
        "pct%41",
        "plus+sign",
        "semi;colon",
        "amp&eq=",
        "quote'\"",
        "tab\there",
        "é日本",
        "trailing.",
    ],
)
def test_awkward_names_round_trip(client: alluxio.Client, workdir: str, name: str) -> None:
    path = f"{workdir}/{name}/{name}.bin"
    client.create_directory(f"{workdir}/{name}", option.CreateDirectory(recursive=True))
    client.write_bytes(path, name.encode())
    assert client.ls(f"{workdir}/{name}") == [f"{name}.bin"]
    status = client.get_status(path)
    assert status.path == path and status.name == f"{name}.bin"
    assert client.read_bytes(path) == name.encode()
    client.rename(path, f"{workdir}/{name}/renamed {name}")
    assert client.ls(f"{workdir}/{name}") == [f"renamed {name}"]


def test_question_mark_is_refused_before_it_retargets_the_call(
    client: alluxio.Client, workdir: str
) -> None:
    # Alluxio's AlluxioURI reads even a percent-encoded '?' as the start of a URI query:
    # "/d/q?x" names "/d/q" on the real proxy. The client refuses such a path unsent.
    client.create_directory(workdir)
    with pytest.raises(exceptions.InvalidArgumentError, match=r"'\?' at index"):
        client.create_directory(f"{workdir}/q?mark")
    assert client.ls(workdir) == []


def test_rename_delete_and_errors(client: alluxio.Client, workdir: str) -> None:
    client.create_directory(f"{workdir}/d/sub", option.CreateDirectory(recursive=True))
    client.write_bytes(f"{workdir}/d/sub/f", b"x")
    client.rename(f"{workdir}/d", f"{workdir}/e")
    assert client.ls(workdir) == ["e"]
    with pytest.raises(exceptions.NotFoundError):
        client.rename(f"{workdir}/d", f"{workdir}/x")
    with pytest.raises(exceptions.AlreadyExistsError):
        client.create_file(f"{workdir}/e/sub/f")
    with pytest.raises(exceptions.FailedPreconditionError):
        client.delete(f"{workdir}/e")
    client.delete(f"{workdir}/e", option.Delete(recursive=True))
    assert not client.exists(f"{workdir}/e")
    with pytest.raises(exceptions.NotFoundError):
        client.delete(f"{workdir}/e")
    with pytest.raises(exceptions.NotFoundError):
        client.open_file(f"{workdir}/e/sub/f")
    # The real proxy cannot serialise its JSON error as the read's octet-stream: it answers a
    # bare "HTTP 500 Internal Server Error", so only the HTTP status is known.
    with pytest.raises(exceptions.AlluxioError) as info:
        client.read(987654)
    assert info.value.http_status == 500


def test_set_attribute_and_free(client: alluxio.Client, workdir: str) -> None:
    path = f"{workdir}/attr.txt"
    client.create_directory(workdir)
    # Alluxio refuses to free a file that is not persisted yet: write through to the UFS.
    client.write_bytes(path, b"data", option.CreateFile(write_type=wire.WRITE_TYPE_CACHE_THROUGH))
    client.set_attribute(
        path,
        option.SetAttribute(
            pinned=True,
            mode=wire.Mode(wire.BITS_READ_WRITE, wire.BITS_READ, wire.BITS_NONE),
            ttl=3_600_000,
            ttl_action=wire.TTL_ACTION_FREE,
        ),
    )
    status = client.get_status(path)
    assert status.pinned is True
    assert status.mode == 0o640
    assert (status.ttl, status.ttl_action.name) == (3_600_000, "FREE")
    client.set_attribute(path, option.SetAttribute(pinned=False, ttl=-1))
    status = client.get_status(path)
    assert (status.pinned, status.ttl) == (False, -1)
    client.free(path)
    client.free(workdir, option.Free(recursive=True))
    assert client.read_bytes(path) == b"data"


def test_mount_and_unmount_local_directory(
    client: alluxio.Client, workdir: str, local_dir: Path
) -> None:
    (local_dir / "existing.txt").write_bytes(b"from the under store")
    os.chmod(local_dir, 0o777)
    client.create_directory(workdir)
    mount_point = f"{workdir}/mnt"
    client.mount(mount_point, str(local_dir), option.Mount(properties={"secret.key": "s3cr3t"}))
    assert client.get_status(mount_point).mount_point is True
    assert "existing.txt" in client.ls(mount_point)
    assert client.read_bytes(f"{mount_point}/existing.txt") == b"from the under store"
    client.write_bytes(
        f"{mount_point}/new.txt",
        b"through",
        option.CreateFile(write_type=wire.WRITE_TYPE_CACHE_THROUGH),
    )
    assert (local_dir / "new.txt").read_bytes() == b"through"
    client.unmount(mount_point)
    assert not client.exists(mount_point)
    assert (local_dir / "new.txt").exists()

    readonly = f"{workdir}/ro"
    client.mount(readonly, f"file://{local_dir}", option.Mount(read_only=True))
    with pytest.raises(exceptions.PermissionDeniedError):
        client.write_bytes(f"{readonly}/refused.txt", b"no")
    assert not (local_dir / "refused.txt").exists()
    client.unmount(readonly)


def test_dot_segments_are_refused_before_the_server_resolves_them(
    client: alluxio.Client, workdir: str
) -> None:
    # Alluxio resolves '.'/'..' segments, so "/a/./b/../c" would create "/a/c": refused.
    client.create_directory(f"{workdir}/a", option.CreateDirectory(recursive=True))
    with pytest.raises(exceptions.InvalidArgumentError, match="segment at index"):
        client.create_directory(f"{workdir}/a/./b/../c", option.CreateDirectory(recursive=True))
    with pytest.raises(exceptions.InvalidArgumentError, match="would act on"):
        client.exists(f"{workdir}/a/..")
    assert client.ls(f"{workdir}/a") == []
