"""Each difference once found between the embedded proxy and a real Alluxio 2.9.6 proxy.

Every test runs against both servers (``proxy_url``: the embedded proxy, and the real proxy
with marker ``real_proxy``) and asserts what the real one answers: the same assertion passing
on both is the regression test. Raw HTTP (tests.server._api), not the client library.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server._api import Api

ALL = {"ownerBits": "ALL", "groupBits": "ALL", "otherBits": "ALL"}
NOT_PERSISTED = "Cannot free file {} which is not persisted"
INCOMPLETE = (
    "Cannot read from {} because it is incomplete. Wait for the file to be marked as complete "
    "by the writing thread or application."
)
CONTEXT = (
    "MountContext{ProtoOptions=readOnly: false\nshared: false\ncommonOptions {\n"
    "  ttl: -1\n  ttlAction: FREE\n}\n}"
)


@pytest.fixture
def api(proxy_url: str) -> Iterator[Api]:
    client = Api(proxy_url)
    yield client
    client.close()


@pytest.fixture
def base(api: Api, workdir: str) -> str:
    api.mkdir(workdir)
    return workdir


def state(info: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("persisted", "persistenceState", "inMemoryPercentage", "completed", "length")
    return tuple(info[k] for k in keys)


def wait_persisted(api: Api, path: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll get-status until ``path`` is PERSISTED, as a client waiting for persistence does."""
    deadline = time.monotonic() + timeout
    while True:
        info = api.status(path)
        if info["persistenceState"] == "PERSISTED" or time.monotonic() > deadline:
            return info
        time.sleep(0.2)


def test_async_through_file_is_persisted_later_and_cannot_be_freed_before(
    api: Api, base: str
) -> None:
    api.put(f"{base}/d/f", b"hello", {"recursive": True})
    assert state(api.status(f"{base}/d/f")) == (False, "TO_BE_PERSISTED", 100, True, 5)
    assert state(api.status(f"{base}/d")) == (False, "NOT_PERSISTED", 0, True, 1)
    msg = NOT_PERSISTED.format(f"{base}/d/f")
    api.error(api.call(f"{base}/d/f", "free"), "UNKNOWN", msg)
    api.error(api.call(base, "free", {"recursive": True}), "UNKNOWN", msg)
    assert state(wait_persisted(api, f"{base}/d/f")) == (True, "PERSISTED", 100, True, 5)
    # Persisting a file takes its directories to the under store.
    assert state(api.status(f"{base}/d")) == (True, "PERSISTED", 0, True, 1)
    api.ok(f"{base}/d/f", "free")
    # (A real cluster drops the blocks with the next worker heartbeat: wait for it.)
    deadline = time.monotonic() + 30
    while api.status(f"{base}/d/f")["inMemoryPercentage"] != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert api.status(f"{base}/d/f")["inMemoryPercentage"] == 0


# (persisted, persistenceState, inMemoryPercentage, completed, length) right after closing.
WRITE_TYPES = {
    "MUST_CACHE": (False, "NOT_PERSISTED", 100, True, 3),
    "TRY_CACHE": (False, "NOT_PERSISTED", 100, True, 3),
    "CACHE_THROUGH": (True, "PERSISTED", 100, True, 3),
    "THROUGH": (True, "PERSISTED", 0, True, 3),
    "ASYNC_THROUGH": (False, "TO_BE_PERSISTED", 100, True, 3),
    # The data of a NONE file goes nowhere: it stays incomplete and empty.
    "NONE": (False, "NOT_PERSISTED", 100, False, 0),
}


@pytest.mark.parametrize("write_type", list(WRITE_TYPES))
def test_write_types(api: Api, base: str, write_type: str) -> None:
    path = f"{base}/f"
    api.put(path, b"abc", {"writeType": write_type})
    assert state(api.status(path)) == WRITE_TYPES[write_type]
    api.mkdir(f"{base}/d", writeType=write_type)
    through = write_type in ("CACHE_THROUGH", "THROUGH")
    expected = (True, "PERSISTED") if through else (False, "NOT_PERSISTED")
    assert state(api.status(f"{base}/d"))[:2] == expected
    if write_type == "NONE":
        api.error(api.call(path, "open-file"), "UNKNOWN", INCOMPLETE.format(path))
        api.error(api.call(path, "free"), "UNKNOWN", NOT_PERSISTED.format(path))
        api.error(api.call(path, "create-file"), "ALREADY_EXISTS")
        api.ok(path, "delete")
        assert api.call(path, "exists").json() is False


def test_incomplete_file(api: Api, base: str) -> None:
    path = f"{base}/inc"
    sid = api.create(path)
    assert state(api.status(path)) == (False, "TO_BE_PERSISTED", 100, False, 0)
    api.error(api.call(path, "open-file"), "UNKNOWN", INCOMPLETE.format(path))
    api.error(api.call(path, "free"), "UNKNOWN", NOT_PERSISTED.format(path))
    assert api.stream(sid, "write", content=b"xy").json() == 2
    assert api.stream(sid, "close").status_code == 200
    assert api.get(path) == b"xy"


def test_rename_onto_itself_is_accepted(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1")
    for path in (f"{base}/f", base):
        r = api.ok(path, "rename", params={"dst": path})
        assert r.content == b""
    assert api.get(f"{base}/f") == b"1"


def test_rename_destination_ends_at_a_question_mark(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1")
    api.ok(f"{base}/f", "rename", params={"dst": f"{base}/g?x=1"})
    assert api.ls(base) == ["g"]


def test_delete_root_without_recursive(api: Api, base: str) -> None:
    api.error(
        api.call("/", "delete"),
        "FAILED_PRECONDITION",
        "Cannot delete non-empty directory  because recursive is set to false",
    )
    assert api.call(base, "exists").json() is True


def test_mount_failures(api: Api, base: str, local_dir: Path) -> None:
    a, b = local_dir / "a", local_dir / "b"
    (a / "nested").mkdir(parents=True)
    b.mkdir()
    (b / "file").write_bytes(b"f")
    api.ok(f"{base}/m", "mount", params={"src": str(a)})

    def failure(path: str, src: str) -> str:
        msg = api.error(api.call(path, "mount", params={"src": src}), "UNKNOWN")
        head = f"mount command: alluxio fs mount {path} {src} option {CONTEXT}\n"
        assert msg.startswith(head), msg
        return msg[len(head) :]

    assert failure(f"{base}/m", str(b)) == (
        f"Mount point target path {base}/m already exists in Alluxio namespace. Try mounting "
        "to another path."
    )
    assert failure(f"{base}/m2", str(a / "nested")) == (
        f"Mount point {a} is a prefix of {a / 'nested'}"
    )
    for src in (local_dir / "absent", b / "file"):
        rest = failure(f"{base}/m2", str(src))
        assert re.fullmatch(
            rf"Acquired mount ID for the new mount point: \d+\nUfs path {src} does not exist",
            rest,
        ), rest
    api.error(
        api.call(f"{base}/none", "unmount"),
        "NOT_FOUND",
        f"Failed to unmount: Path {base}/none does not exist",
    )
    api.error(
        api.call(base, "unmount"),
        "INVALID_ARGUMENT",
        f"Failed to unmount {base}. Please ensure the path is an existing mount point.",
    )
    api.error(
        api.call("/", "unmount"),
        "INVALID_ARGUMENT",
        "Failed to unmount /. Please ensure the path is an existing mount point and not root.",
    )
    api.ok(f"{base}/m", "unmount")


def test_mount_points_are_protected(api: Api, base: str, local_dir: Path) -> None:
    (local_dir / "a" / "sub").mkdir(parents=True)
    (local_dir / "b").mkdir()
    mnt, empty = f"{base}/mnt", f"{base}/empty"
    api.ok(mnt, "mount", params={"src": str(local_dir / "a")})
    api.ok(empty, "mount", params={"src": str(local_dir / "b")})
    assert api.ls(mnt) == ["sub"]  # a real master knows a mount's children once listed
    for path in (mnt, empty, base):
        api.error(
            api.call(path, "delete", {"recursive": True}),
            "PERMISSION_DENIED",
            f"Cannot delete path {path} which is or contains a mount point without "
            "--deleteMountPoint/-m option specified",
        )
    api.error(
        api.call(mnt, "delete"),
        "FAILED_PRECONDITION",
        "Cannot delete non-empty directory mnt because recursive is set to false",
    )
    api.error(
        api.call(mnt, "rename", params={"dst": f"{base}/moved"}),
        "INVALID_ARGUMENT",
        f"Renaming {mnt} to {base}/moved is a cross mount operation",
    )
    # An empty mount point goes without recursive; others with deleteMountPoint.
    api.ok(empty, "delete")
    api.ok(mnt, "delete", {"recursive": True, "deleteMountPoint": True})
    assert api.ls(base) == []
    # The mounted directory's (known) contents go with it; the directory itself stays.
    assert os.listdir(local_dir / "a") == []


def test_under_store_files_get_the_reported_mode(api: Api, base: str, local_dir: Path) -> None:
    src = local_dir / "ufs"
    src.mkdir()
    api.ok(f"{base}/m", "mount", params={"src": str(src)})
    api.put(f"{base}/m/f", b"x", {"writeType": "CACHE_THROUGH"})
    assert api.status(f"{base}/m/f")["mode"] == 0o644
    assert os.stat(src / "f").st_mode & 0o777 == 0o644
    api.ok(f"{base}/m", "unmount")


# ---------------------------------------------------------------- found by the lockstep harness


def test_mount_point_is_persisted_and_persists_its_parent(
    api: Api, base: str, local_dir: Path
) -> None:
    api.mkdir(f"{base}/d")
    assert api.status(f"{base}/d")["persistenceState"] == "NOT_PERSISTED"
    api.ok(f"{base}/d/m", "mount", params={"src": str(local_dir)})
    for path in (f"{base}/d/m", f"{base}/d"):
        assert api.status(path)["persistenceState"] == "PERSISTED", path
    api.ok(f"{base}/d/m", "unmount")


def test_mount_under_a_missing_parent(api: Api, base: str, local_dir: Path) -> None:
    msg = api.error(api.call(f"{base}/no/m", "mount", params={"src": str(local_dir)}), "UNKNOWN")
    assert re.search(
        rf"\nAcquired mount ID for the new mount point: \d+\nFailed to mount {local_dir} at "
        rf"{base}/no/m: \nFile {base}/no/m creation failed. Component 2\(no\) does not exist$",
        msg,
    ), msg


def test_set_attribute_persisted_on_a_directory(api: Api, base: str) -> None:
    api.error(
        api.call(base, "set-attribute", {"persisted": True}),
        "UNKNOWN",
        "Only files can be persisted",
    )
    api.error(
        api.call(base, "set-attribute", {"replicationMin": -1, "persisted": True}),
        "UNKNOWN",
        "Min replication must be a non-negative integer",
    )


def test_pinning_a_directory_pins_its_subtree_and_new_entries(api: Api, base: str) -> None:
    api.put(f"{base}/d/old", b"1", {"recursive": True})
    api.ok(f"{base}/d", "set-attribute", {"pinned": True})  # not recursive
    assert api.status(f"{base}/d/old")["pinned"] is True
    api.put(f"{base}/d/new", b"2")
    api.mkdir(f"{base}/d/sub")
    assert api.status(f"{base}/d/new")["pinned"] is True
    assert api.status(f"{base}/d/sub")["pinned"] is True
    # A minimum number of copies in Alluxio storage pins a file too.
    api.put(f"{base}/kept", b"3", {"replicationMin": 1})
    assert api.status(f"{base}/kept")["pinned"] is True


def test_xattr_and_ttl_go_to_new_parents(api: Api, base: str) -> None:
    xattr = {"user.a": "dg=="}
    opts = {"recursive": True, "xattr": xattr, "commonOptions": {"ttl": 60000}}
    api.mkdir(f"{base}/p/leaf", **opts)
    for path in (f"{base}/p", f"{base}/p/leaf"):
        info = api.status(path)
        assert (info["xattr"], info["ttl"]) == (xattr, 60000), path
    api.mkdir(f"{base}/q/leaf", **{**opts, "xattrPropStrat": "LEAF_NODE"})
    assert api.status(f"{base}/q")["xattr"] == {}
    assert api.status(f"{base}/q/leaf")["xattr"] == xattr


def test_delete_through_a_file(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1")
    api.error(
        api.call(f"{base}/f/x", "delete"),
        "INVALID_ARGUMENT",
        f"Traversal failed for path {base}/f/x. Component 2(f) is a file, not a directory.",
    )


def test_free_reports_not_persisted_before_pinned(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1", {"writeType": "MUST_CACHE"})
    api.ok(f"{base}/f", "set-attribute", {"pinned": True})
    api.error(api.call(f"{base}/f", "free"), "UNKNOWN", NOT_PERSISTED.format(f"{base}/f"))


# ---------------------------------------------------------------- the 1.x dialect (1.8.1)


@pytest.fixture
def api_v1(proxy_v1_url: str) -> Iterator[Api]:
    client = Api(proxy_v1_url, error_key="status")
    yield client
    client.close()


def test_v1_answers(api_v1: Api, workdir: str) -> None:
    api, base = api_v1, workdir
    api.mkdir(base)
    api.mkdir(f"{base}/d")
    api.put(f"{base}/f", b"1")
    api.ok(f"{base}/f", "rename", params={"dst": f"{base}/f"})  # onto itself
    api.error(
        api.call(f"{base}/d", "rename", params={"dst": f"{base}/d/sub"}),
        "UNKNOWN",
        f"Cannot rename because {base}/d is a prefix of {base}/d/sub",
    )
    api.error(
        api.call("/", "rename", params={"dst": f"{base}/r"}),
        "UNKNOWN",
        "The root directory cannot be renamed",
    )
    api.error(
        api.call(f"{base}/f", "rename", params={"dst": f"{base}/d"}),
        "UNKNOWN",
        f"{base}/d already exists",
    )
    api.error(api.call(f"{base}/none", "unmount"), "UNKNOWN", f'Path "{base}/none" does not exist.')
    api.error(api.call(f"{base}/x/y", "create-directory"), "UNKNOWN")
    # An incomplete file opens on a 1.8 master, and has nothing to read yet.
    sid = api.create(f"{base}/inc")
    assert api.status(f"{base}/inc")["completed"] is False
    assert api.get(f"{base}/inc") == b""
    assert api.stream(sid, "close").status_code == 200
