"""Idle streams beyond ``Limits.max_idle_fds`` give their file descriptor back and reopen their
file when used again; nothing a client sees changes.

Each test makes the stream it looks at the least recently used one, checks (with psutil) that
the proxy really closed its file, then uses it: bytes, offsets, deleted, renamed and
overwritten files, incomplete files, concurrency and errors all answer as with a descriptor
held all along (for a deleted or renamed file that is also what a real 2.9.6 proxy answers
for a file cached in Alluxio: the old bytes).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import random
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest

from alluxio.server import EmbeddedProxy, Limits
from alluxio.server.pytest_plugin import ProxyFactory
from tests.server._api import Api

LINUX = sys.platform.startswith("linux")


def open_names() -> list[str]:
    """What this process (the proxies run in it) holds open: on Linux every descriptor's
    target (a deleted file's name ends with " (deleted)"), elsewhere psutil's open files."""
    if not LINUX:
        return [f.path for f in psutil.Process().open_files()]
    names = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # closed meanwhile
            names.append(os.readlink(f"/proc/self/fd/{fd}"))
    return names


def held(directory: str) -> list[str]:
    """Files under ``directory`` held open now, outside the proxy's state directory unless
    ``directory`` is in it."""
    top = os.path.realpath(directory).rstrip("/") + "/"
    inside_state = "/.alluxio-proxy/" in top
    return sorted(
        name
        for name in open_names()
        if name.startswith(top) and (inside_state or "/.alluxio-proxy/" not in name)
    )


def uploads_held(proxy: EmbeddedProxy) -> int:
    """Upload (``.part``) files held open."""
    return len(held(os.path.join(proxy.root, ".alluxio-proxy", "tmp")))


def uploads(proxy: EmbeddedProxy) -> int:
    """Upload (``.part``) files present."""
    return len(list(Path(proxy.root, ".alluxio-proxy", "tmp").glob("*.part")))


def links(proxy: EmbeddedProxy) -> list[str]:
    """The hard links evicted read streams keep in the proxy's state directory."""
    tmp = Path(proxy.root, ".alluxio-proxy", "tmp")
    return sorted(p.name for p in tmp.iterdir() if p.name.endswith(".open"))


@pytest.fixture
def proxy(alluxio_proxy_factory: ProxyFactory) -> EmbeddedProxy:
    """A proxy keeping at most 2 idle streams' descriptors."""
    return alluxio_proxy_factory(limits=Limits(max_idle_fds=2))


@pytest.fixture
def api(proxy: EmbeddedProxy) -> Iterator[Api]:
    client = Api(proxy.url)
    yield client
    client.close()


def push_out(api: Api, count: int = 2) -> list[int]:
    """Open ``count`` fresh write streams: the streams used before lose their descriptors."""
    return [api.create(f"/filler-{random.randrange(1 << 62)}") for _ in range(count)]


def read(api: Api, sid: int) -> bytes:
    r = api.stream(sid, "read")
    assert r.status_code == 200, r.text
    return r.content


def test_read_streams_reopen_at_the_offset_reached(
    proxy: EmbeddedProxy, api: Api, tmp_path: Path
) -> None:
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "log").write_bytes(b"first part;")
    api.ok("/m", "mount", {}, params={"src": str(outside)})
    sid = api.ok("/m/log", "open-file").json()
    assert read(api, sid) == b"first part;"
    push_out(api)
    assert held(str(outside)) == []
    # Another program appends to the mounted file: the stream reads on from where it was.
    with open(outside / "log", "ab") as f:
        f.write(b"appended later")
    assert read(api, sid) == b"appended later"
    assert read(api, sid) == b""
    push_out(api)
    assert read(api, sid) == b""
    assert api.stream(sid, "close").status_code == 200


@pytest.mark.parametrize(
    "change", ["delete", "rename", "overwrite", "renamed-over", "delete-parent"]
)
def test_evicted_read_streams_keep_reading_what_they_opened(
    proxy: EmbeddedProxy, api: Api, change: str
) -> None:
    data = os.urandom(3 << 20)
    api.mkdir("/d")
    api.put("/d/f", data)
    sid = api.ok("/d/f", "open-file").json()
    push_out(api)
    assert held(proxy.root + "/d") == []
    assert links(proxy) == [f"stream-{sid}.open"]
    if change == "delete":
        api.ok("/d/f", "delete")
    elif change == "rename":
        api.ok("/d/f", "rename", params={"dst": "/moved"})
    elif change == "overwrite":
        api.put("/d/f", b"new contents", {"overwrite": True})
    elif change == "renamed-over":
        api.put("/other", b"new contents")
        replace = {"s3SyntaxOptions": {"overwrite": True}}
        api.ok("/other", "rename", replace, params={"dst": "/d/f"})
    else:
        api.ok("/d", "delete", {"recursive": True})
    assert read(api, sid) == data
    assert api.stream(sid, "close").status_code == 200
    assert links(proxy) == []
    if change == "rename":
        assert api.get("/moved") == data
    if change in ("overwrite", "renamed-over"):
        assert api.get("/d/f") == b"new contents"


@pytest.mark.skipif(not LINUX, reason="deleted files are listed by /proc only")
def test_a_file_deleted_while_its_stream_holds_it_keeps_its_descriptor(
    proxy: EmbeddedProxy, api: Api
) -> None:
    # Its data is reachable only through the descriptor: the stream keeps it.
    api.put("/gone", b"only the stream still has these bytes")
    sid = api.ok("/gone", "open-file").json()
    api.ok("/gone", "delete")
    push_out(api, 4)
    assert held(proxy.root) == [os.path.join(proxy.root, "gone") + " (deleted)"]
    assert links(proxy) == []
    assert read(api, sid) == b"only the stream still has these bytes"
    assert api.stream(sid, "close").status_code == 200
    assert held(proxy.root) == []


def test_files_that_cannot_be_linked_keep_their_descriptor(
    alluxio_proxy_factory: ProxyFactory, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A mount on another file system than the proxy's root: hard links cannot cross it.
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm")
    other = tempfile.mkdtemp(dir="/dev/shm")
    try:
        if os.stat(other).st_dev == os.stat(tmp_path_factory.getbasetemp()).st_dev:
            pytest.skip("/dev/shm is on the same file system as the temporary directory")
        Path(other, "f").write_bytes(b"on another file system")
        proxy = alluxio_proxy_factory(
            limits=Limits(max_idle_fds=2),
            allow_mounts=[tmp_path_factory.getbasetemp(), other],
        )
        api = Api(proxy.url)
        api.ok("/shm", "mount", {}, params={"src": other})
        sid = api.ok("/shm/f", "open-file").json()
        push_out(api, 4)
        assert held(other) == [os.path.join(os.path.realpath(other), "f")]
        assert links(proxy) == []
        api.ok("/shm/f", "delete")
        assert read(api, sid) == b"on another file system"
        assert api.stream(sid, "close").status_code == 200
        assert held(other) == []
        api.close()
    finally:
        shutil.rmtree(other, ignore_errors=True)


def test_a_full_disk_when_linking_keeps_the_descriptor(
    proxy: EmbeddedProxy, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_link = os.link

    def full_disk(src: str, dst: str, **kwargs: Any) -> None:
        if dst.endswith(".open"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_link(src, dst, **kwargs)

    api.put("/f", b"still readable")
    monkeypatch.setattr(os, "link", full_disk)
    sid = api.ok("/f", "open-file").json()
    push_out(api, 3)
    assert held(proxy.root) == [os.path.join(proxy.root, "f")]
    api.ok("/f", "delete")
    assert read(api, sid) == b"still readable"
    assert api.stream(sid, "close").status_code == 200


def test_write_streams_append_in_order_across_reopens(proxy: EmbeddedProxy, api: Api) -> None:
    sids = {f"/w{i}": api.create(f"/w{i}") for i in range(12)}
    expected = dict.fromkeys(sids, b"")
    rng = random.Random(7)
    for _ in range(8):
        for path in rng.sample(list(sids), len(sids)):
            piece = os.urandom(rng.choice((1, 100, 70_000, (1 << 20) + 3)))
            r = api.stream(sids[path], "write", content=piece)
            assert r.json() == len(piece)
            expected[path] += piece
        assert uploads_held(proxy) <= 2
    for path, sid in sids.items():
        assert api.stream(sid, "close").status_code == 200
        assert api.get(path) == expected[path]


@pytest.mark.parametrize("change", ["delete", "rename", "overwrite"])
def test_evicted_write_streams_see_changes_as_before(
    proxy: EmbeddedProxy, api: Api, change: str
) -> None:
    sid = api.create("/up")
    assert api.stream(sid, "write", content=b"before;").json() == 7
    push_out(api)
    assert (uploads(proxy), uploads_held(proxy)) == (3, 2)
    if change == "delete":
        api.ok("/up", "delete")
    elif change == "rename":
        api.ok("/up", "rename", params={"dst": "/renamed"})
    else:
        api.put("/up", b"the new upload", {"overwrite": True})
    # The write is accepted either way; only a live upload keeps its bytes.
    assert api.stream(sid, "write", content=b"after").json() == 5
    assert api.stream(sid, "close").status_code == 200
    if change == "delete":
        assert api.call("/up", "exists").json() is False
    elif change == "rename":
        assert api.get("/renamed") == b"before;after"
    else:
        assert api.get("/up") == b"the new upload"
    # Only the two fillers' uploads are left: none was recreated for a discarded upload.
    assert uploads(proxy) == 2


def test_incomplete_files_stay_incomplete(alluxio_proxy_factory: ProxyFactory) -> None:
    proxy = alluxio_proxy_factory(limits=Limits(max_idle_fds=1))
    api = Api(proxy.url)
    sid = api.create("/none", {"writeType": "NONE"})
    api.stream(sid, "write", content=b"never persisted")
    push_out(api)
    api.stream(sid, "write", content=b"!")
    assert api.stream(sid, "close").status_code == 200
    info = api.status("/none")
    assert (info["completed"], info["length"]) == (False, 0)
    api.close()
    # 1.x opens an incomplete file and reads nothing from it, also after a reopen.
    old = alluxio_proxy_factory(dialect="1.x", limits=Limits(max_idle_fds=1))
    api = Api(old.url, error_key="status")
    writing = api.create("/half")
    api.stream(writing, "write", content=b"not yet")
    sid = api.ok("/half", "open-file").json()
    push_out(api)
    assert read(api, sid) == b""
    assert api.stream(sid, "close").status_code == 200
    api.close()


def test_concurrent_requests_on_evicted_streams(proxy: EmbeddedProxy, api: Api) -> None:
    data = os.urandom(8 << 20)
    api.put("/big", data)
    readers = [api.ok("/big", "open-file").json() for _ in range(6)]
    writer = api.create("/many")
    results: list[bytes] = []
    lock = threading.Lock()

    def one_read(sid: int) -> None:
        got = Api(proxy.url)
        try:
            content = read(got, sid)
        finally:
            got.close()
        with lock:
            results.append(content)

    def one_write(index: int) -> int:
        got = Api(proxy.url)
        try:
            reply = got.stream(writer, "write", content=bytes([index]) * 1000)
            assert reply.status_code == 200, reply.text
            count: int = reply.json()
            return count
        finally:
            got.close()

    def churn() -> None:
        # New streams keep evicting whatever is idle while the reads and writes run.
        got = Api(proxy.url)
        try:
            for sid in push_out(got, 20):
                assert got.stream(sid, "close").status_code == 200
        finally:
            got.close()

    # Two requests on each read stream: one gets the bytes, the other what is left (none).
    jobs: list[Callable[[], Any]] = [churn]
    jobs += [functools.partial(one_read, sid) for sid in readers for _ in range(2)]
    jobs += [functools.partial(one_write, i) for i in range(16)]
    random.Random(3).shuffle(jobs)
    with ThreadPoolExecutor(8) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()
    assert sorted(results, key=len) == [b""] * 6 + [data] * 6
    assert api.stream(writer, "close").status_code == 200
    written = api.get("/many")
    # Each write is whole and in one piece, in whichever order they came.
    assert sorted(written[i : i + 1000] for i in range(0, len(written), 1000)) == [
        bytes([i]) * 1000 for i in range(16)
    ]
    for sid in readers:
        assert api.stream(sid, "close").status_code == 200
    assert links(proxy) == []


def test_a_write_stream_that_cannot_reopen_leaves_its_file_incomplete(
    proxy: EmbeddedProxy, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid = api.create("/f")
    api.stream(sid, "write", content=b"first")
    push_out(api)
    real_open = os.open

    def out_of_descriptors(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".part") and flags & os.O_APPEND:
            raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", out_of_descriptors)
    api.error(api.stream(sid, "write", content=b"second"), "UNKNOWN", "Too many open files")
    monkeypatch.undo()
    # A write was refused: closing must not complete the file without it.
    assert api.stream(sid, "close").status_code == 200
    info = api.status("/f")
    assert (info["completed"], info["length"]) == (False, 0)


def test_evicted_streams_expire_and_stop_cleanly(
    alluxio_proxy_factory: ProxyFactory,
) -> None:
    proxy = alluxio_proxy_factory(stream_timeout=0.5, limits=Limits(max_idle_fds=1))
    api = Api(proxy.url)
    api.put("/r", b"read me")
    sid = api.create("/w")
    api.stream(sid, "write", content=b"completed by expiry")
    rid = api.ok("/r", "open-file").json()
    push_out(api, 1)
    assert links(proxy) == [f"stream-{rid}.open"]
    deadline = 10.0
    while proxy.open_streams and deadline > 0:
        threading.Event().wait(0.1)
        deadline -= 0.1
    assert proxy.open_streams == 0
    assert api.get("/w") == b"completed by expiry"
    assert links(proxy) == []
    # Stopping with evicted streams open leaves nothing behind either.
    api.put("/r2", b"x")
    api.ok("/r2", "open-file")
    push_out(api, 2)
    assert links(proxy) != []
    proxy.stop()
    assert links(proxy) == []
    assert held(proxy.root) == []
    api.close()
