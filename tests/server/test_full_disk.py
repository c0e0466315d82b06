"""A full disk under the embedded proxy: no truncated file ever shows up as complete.

ENOSPC is injected where the proxy writes (its upload files, the move into place), as a full
file system would raise it; a real master leaves a failed file incomplete, so does this one.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from alluxio.server import EmbeddedProxy, _fs, _streams
from tests.server._api import Api

INCOMPLETE = (
    "Cannot read from /f because it is incomplete. Wait for the file to be marked as complete "
    "by the writing thread or application."
)


class FullAfter:
    """A file opened for appending whose disk fills up after ``room`` bytes."""

    def __init__(self, path: str, room: int) -> None:
        self._file = open(path, "ab", buffering=0)  # noqa: SIM115 - closed by close()
        self.room = room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self._file.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.room -= len(data)
        return self._file.write(data)

    def fileno(self) -> int:
        return self._file.fileno()

    def close(self) -> None:
        self._file.close()


def fill_disk_after(monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    def full_open(path: str, mode: str, buffering: int = -1) -> Any:
        assert mode == "ab"
        return FullAfter(path, room)

    monkeypatch.setattr(_streams, "open", full_open, raising=False)


def assert_left_incomplete(api: Api, root: str) -> None:
    info = api.status("/f")
    assert (info["completed"], info["length"], info["persisted"]) == (False, 0, False)
    assert not os.path.exists(os.path.join(root, "f"))
    api.error(api.call("/f", "open-file"), "UNKNOWN", INCOMPLETE)
    api.error(api.call("/f", "create-file"), "ALREADY_EXISTS")
    # It can be deleted and written again once there is room.
    api.ok("/f", "delete")
    assert api.call("/f", "exists").json() is False


def test_failed_write_leaves_the_file_incomplete(
    api: Api, alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_disk_after(monkeypatch, 1 << 20)
    sid = api.create("/f")
    r = api.stream(sid, "write", content=b"x" * (3 << 20))
    api.error(r, "UNKNOWN", "No space left on device")
    # Like the real proxy, closing reports nothing; the file stays incomplete, not truncated.
    r = api.stream(sid, "close")
    assert (r.status_code, r.content) == (200, b"")
    assert_left_incomplete(api, alluxio_proxy.root)
    monkeypatch.undo()
    api.put("/f", b"fits")
    assert api.get("/f") == b"fits"


def test_failed_move_into_place_leaves_the_file_incomplete(
    api: Api, alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_temp: str, _local: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_fs, "_replace", full)
    sid = api.create("/f")
    assert api.stream(sid, "write", content=b"data").json() == 4
    assert api.stream(sid, "close").status_code == 200
    assert_left_incomplete(api, alluxio_proxy.root)


def test_failed_create_leaves_nothing(
    api: Api, alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_room(path: str, mode: str, buffering: int = -1) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_streams, "open", no_room, raising=False)
    api.error(api.call("/f", "create-file"), "UNKNOWN", "No space left on device")
    assert api.call("/f", "exists").json() is False
    assert alluxio_proxy.open_streams == 0
    monkeypatch.undo()
    api.put("/f", b"ok")
    assert api.get("/f") == b"ok"
    assert os.listdir(Path(alluxio_proxy.root) / _fs.STATE_DIR_NAME / "tmp") == []


def test_incomplete_file_survives_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "root"
    with EmbeddedProxy(root) as proxy:
        api = Api(proxy.url)
        api.put("/none", b"gone", {"writeType": "NONE"})
        fill_disk_after(monkeypatch, 0)
        sid = api.create("/f")
        api.error(api.stream(sid, "write", content=b"x"), "UNKNOWN")
        assert api.stream(sid, "close").status_code == 200
        api.close()
    monkeypatch.undo()
    with EmbeddedProxy(root) as proxy:
        api = Api(proxy.url)
        for path in ("/none", "/f"):
            info = api.status(path)
            assert (info["completed"], info["length"]) == (False, 0), path
        assert api.ls("/") == ["f", "none"]
        api.close()
