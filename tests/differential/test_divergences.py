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


def test_shared_mount_gives_others_the_owners_permissions(
    api: Api, base: str, local_dir: Path
) -> None:
    (local_dir / "sub").mkdir(mode=0o750)
    (local_dir / "f").write_bytes(b"f")
    os.chmod(local_dir, 0o755)
    os.chmod(local_dir / "f", 0o640)
    api.ok(f"{base}/m", "mount", {"shared": True}, params={"src": str(local_dir)})
    modes = {i["name"]: i["mode"] for i in api.call(f"{base}/m", "list-status").json()}
    assert modes == {"sub": 0o757, "f": 0o646}
    assert api.status(f"{base}/m")["mode"] == 0o757
    # What is created through Alluxio keeps the mode it was created with.
    api.put(f"{base}/m/new", b"n", {"writeType": "CACHE_THROUGH"})
    assert api.status(f"{base}/m/new")["mode"] == 0o644
    api.ok(f"{base}/m", "unmount")


def test_mount_inside_a_readonly_mount_and_remount(api: Api, base: str, local_dir: Path) -> None:
    (local_dir / "a").mkdir()
    (local_dir / "b").mkdir()
    a, b = str(local_dir / "a"), str(local_dir / "b")

    def failure(path: str, src: str, opts: dict[str, Any], context: str) -> str:
        msg = api.error(api.call(path, "mount", opts, params={"src": src}), "UNKNOWN")
        head = f"mount command: alluxio fs mount {path} {src} option {context}\n"
        assert msg.startswith(head), msg
        return msg[len(head) :]

    api.ok(f"{base}/ro", "mount", {"readOnly": True}, params={"src": a})
    remount = CONTEXT[:-1] + "remount: true\n}"
    # The write check comes first: not even a remount gets past it.
    for path, opts, context in (
        (f"{base}/ro", {"remount": True}, remount),
        (f"{base}/ro", {}, CONTEXT),
    ):
        assert failure(path, b, opts, context) == (
            f"A write operation on {path} under a readonly mount point {base}/ro is not allowed"
        )
    # remount unmounts first: a path that is no mount point fails as unmount does ...
    assert failure(f"{base}/none", b, {"remount": True}, remount) == (
        f"Failed to unmount: Path {base}/none does not exist"
    )
    assert failure(base, b, {"remount": True}, remount) == (
        f"Failed to unmount {base}. Please ensure the path is an existing mount point."
    )
    # ... and a mount point is unmounted, then the mount fails (2.9.6 checked before).
    api.ok(f"{base}/m", "mount", params={"src": a.replace("/a", "/b")})
    assert failure(f"{base}/m", a, {"remount": True}, remount) == (
        f"Mount point target path {base}/m already exists in Alluxio namespace. Try mounting "
        "to another path."
    )
    assert api.call(f"{base}/m", "exists").json() is False
    api.ok(f"{base}/ro", "unmount")


PATH_ACTIONS = [
    "get-status",
    "list-status",
    "delete",
    "free",
    "set-attribute",
    "open-file",
    "create-directory",
    "create-file",
    "rename",
]


def test_paths_through_a_file(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1")
    for action in PATH_ACTIONS:
        r = api.call(f"{base}/f/x/y", action, {}, params={"dst": f"{base}/g"})
        api.error(
            r,
            "INVALID_ARGUMENT",
            f"Traversal failed for path {base}/f/x/y. Component 2(f) is a file, not a directory.",
        )
    assert api.call(f"{base}/f/x/y", "exists").json() is False
    # Both paths of a rename are traversed before the source is looked up.
    api.error(
        api.call(f"{base}/none", "rename", params={"dst": f"{base}/f/x/y"}),
        "INVALID_ARGUMENT",
        f"Traversal failed for path {base}/f/x/y. Component 2(f) is a file, not a directory.",
    )
    api.error(
        api.call(f"{base}/f/x", "unmount"),
        "INVALID_ARGUMENT",
        f"Traversal failed for path {base}/f/x. Component 2(f) is a file, not a directory.",
    )
    msg = api.error(api.call(f"{base}/f/x", "mount", params={"src": "/tmp"}), "UNKNOWN")
    assert msg.endswith(
        f"}}\nTraversal failed for path {base}/f/x. Component 2(f) is a file, not a directory."
    ), msg


def test_writes_under_a_readonly_mount_are_refused_before_lookup(
    api: Api, base: str, local_dir: Path
) -> None:
    (local_dir / "f").write_bytes(b"f")
    api.ok(f"{base}/ro", "mount", {"readOnly": True}, params={"src": str(local_dir)})
    for action in ("delete", "rename", "create-file"):
        r = api.call(f"{base}/ro/none", action, {}, params={"dst": f"{base}/ro/x"})
        api.error(
            r,
            "PERMISSION_DENIED",
            f"A write operation on {base}/ro/none under a readonly mount point {base}/ro is not "
            "allowed",
        )
    for action in ("set-attribute", "free"):
        r = api.call(f"{base}/ro/none", action, {})
        api.error(r, "NOT_FOUND", f'Path "{base}/ro/none" does not exist.')
    # The read-only mount point itself cannot be deleted either, however asked.
    for opts in ({}, {"recursive": True, "deleteMountPoint": True}):
        api.error(
            api.call(f"{base}/ro", "delete", opts),
            "PERMISSION_DENIED",
            f"A write operation on {base}/ro under a readonly mount point {base}/ro is not allowed",
        )
    assert api.ls(f"{base}/ro") == ["f"]  # (a real master learns of f here)
    api.ok(f"{base}/ro/f", "set-attribute", {"pinned": True})
    api.ok(f"{base}/ro", "unmount")


def _creations_under_a_readonly_mount(api: Api, base: str, local_dir: Path) -> list[str]:
    """Create-file and create-directory on a read-only mount point, on an existing file and
    directory in it, and under a missing parent in it, however asked: every one refused as a
    write (before the path is looked up); through a file, the traversal fails first.
    Returns the traversal messages."""
    (local_dir / "f").write_bytes(b"f")
    (local_dir / "sub").mkdir()
    ro = f"{base}/ro"
    api.ok(ro, "mount", {"readOnly": True}, params={"src": str(local_dir)})
    assert sorted(api.ls(ro)) == ["f", "sub"]  # (a real master learns of them here)
    for path in (ro, f"{ro}/f", f"{ro}/sub", f"{ro}/new", f"{ro}/new/x"):
        for action, body in (
            ("create-file", {}),
            ("create-file", {"recursive": True}),
            ("create-directory", {}),
            ("create-directory", {"allowExists": True}),
            ("create-directory", {"recursive": True, "allowExists": True}),
        ):
            api.error(
                api.call(path, action, body),
                "PERMISSION_DENIED",
                f"A write operation on {path} under a readonly mount point {ro} is not allowed",
            )
    # A rename onto a path under it is refused before the source is looked up.
    for dst in (ro, f"{ro}/x", f"{ro}/x?y=1"):
        api.error(
            api.call(f"{base}/none", "rename", params={"dst": dst}),
            "PERMISSION_DENIED",
            f"A write operation on {dst.split('?')[0]} under a readonly mount point {ro} is not "
            "allowed",
        )
    traversal = [
        api.error(api.call(f"{ro}/f/x", action, {}), "INVALID_ARGUMENT")
        for action in ("create-file", "create-directory")
    ]
    assert sorted(api.ls(ro)) == ["f", "sub"]
    api.ok(ro, "unmount")
    return traversal


def test_creations_under_a_readonly_mount_are_refused_before_lookup(
    api: Api, base: str, local_dir: Path
) -> None:
    message = f"Traversal failed for path {base}/ro/f/x. Component 3(f) is a file, not a directory."
    assert _creations_under_a_readonly_mount(api, base, local_dir) == [message, message]


def _rename_and_the_root(api: Api, base: str, refusal: str) -> None:
    """Renames onto and of the root; ``refusal`` is the status of the two refusals (1.8.1
    reports them as UNKNOWN)."""
    api.mkdir(f"{base}/d")
    api.put(f"{base}/f", b"1")
    # Onto itself, even the root: accepted, nothing changes.
    api.ok("/", "rename", params={"dst": "/"})
    for src, dst in ((f"{base}/f", "/"), (f"{base}/d", "/"), (f"{base}/f", "/?x=1")):
        api.error(
            api.call(src, "rename", params={"dst": dst}),
            refusal,
            "Cannot rename a path to the root directory",
        )
    api.error(
        api.call(f"{base}/none", "rename", params={"dst": "/"}),
        "NOT_FOUND",
        f'Path "{base}/none" does not exist.',
    )
    for dst in (base, f"{base}/d/x"):
        api.error(
            api.call("/", "rename", params={"dst": dst}),
            refusal,
            "The root directory cannot be renamed",
        )
    assert sorted(api.ls(base)) == ["d", "f"]


def test_rename_and_the_root(api: Api, base: str) -> None:
    _rename_and_the_root(api, base, "INVALID_ARGUMENT")


def _free_while_written(api: Api, base: str) -> None:
    """A file being written through is persisted already: freeing it (or its directory)
    succeeds and changes nothing; one written to Alluxio storage only cannot be freed."""
    closed = {"CACHE_THROUGH": (True, "PERSISTED", 100), "THROUGH": (True, "PERSISTED", 0)}
    for write_type in ("CACHE_THROUGH", "THROUGH", "MUST_CACHE"):
        path = f"{base}/{write_type}"
        sid = api.create(path, {"writeType": write_type})
        assert api.stream(sid, "write", content=b"hello").status_code == 200
        for target, body in ((path, {}), (base, {"recursive": True})):
            r = api.call(target, "free", body)
            if write_type == "MUST_CACHE":
                api.error(r, "UNKNOWN", NOT_PERSISTED.format(path))
            else:
                assert (r.status_code, r.content) == (200, b"")
        assert api.stream(sid, "close").status_code == 200
        info = api.status(path)
        assert state(info)[:3] == closed.get(write_type, (False, "NOT_PERSISTED", 100))
        assert (info["completed"], info["length"]) == (True, 5)
        api.ok(path, "delete")


def test_free_while_written(api: Api, base: str) -> None:
    _free_while_written(api, base)


# While its stream is open, and once closed: (persisted, state, in-memory %) of a file written
# with each write type, and whether its new parent directory is persisted (2.9.6 and 1.8.1
# alike, but for ASYNC_THROUGH while open: 1.8.1 says NOT_PERSISTED).
OPEN_AND_CLOSED = {
    "THROUGH": ((True, "PERSISTED", 100), (True, "PERSISTED", 0), True),
    "CACHE_THROUGH": ((True, "PERSISTED", 100), (True, "PERSISTED", 100), True),
    "MUST_CACHE": ((False, "NOT_PERSISTED", 100), (False, "NOT_PERSISTED", 100), False),
    "ASYNC_THROUGH": ((False, "TO_BE_PERSISTED", 100), (False, "TO_BE_PERSISTED", 100), False),
}


def _open_and_closed(api: Api, base: str, write_type: str, dialect: str) -> None:
    opened, closed, dir_persisted = OPEN_AND_CLOSED[write_type]
    if dialect == "1.x" and write_type == "ASYNC_THROUGH":
        opened = (False, "NOT_PERSISTED", 100)
    f = f"{base}/new/f"
    sid = api.create(f, {"writeType": write_type, "recursive": True})
    octets = {"content-type": "application/octet-stream"}
    assert api.stream(sid, "write", content=b"x" * 5000, headers=octets).status_code == 200
    keys = ("persisted", "persistenceState", "inMemoryPercentage")
    info = api.status(f)
    assert (tuple(info[k] for k in keys), info["completed"]) == (opened, False)
    # Nothing is in the under store to take a fingerprint of yet.
    assert (info["ufsFingerprint"], info.get("xattr", {})) == ("", {})
    assert api.status(f"{base}/new")["persisted"] is dir_persisted
    assert api.stream(sid, "close").status_code == 200
    info = api.status(f)
    assert (tuple(info[k] for k in keys), info["length"]) == (closed, 5000)


@pytest.mark.parametrize("write_type", sorted(OPEN_AND_CLOSED))
def test_file_states_while_written_and_after(api: Api, base: str, write_type: str) -> None:
    _open_and_closed(api, base, write_type, "2.x")


def test_list_status_without_mount_info(api: Api, base: str, local_dir: Path) -> None:
    api.mkdir(f"{base}/d")
    api.ok(f"{base}/m", "mount", params={"src": str(local_dir)})
    listing = api.call(base, "list-status", {"excludeMountInfo": True}).json()
    assert [(i["name"], i["ufsPath"], i["mountId"]) for i in listing] == [
        ("d", "", 0),
        ("m", "", 0),
    ]
    # (and in the wire FileInfo that 2.9.6 repeats inside each entry)
    assert {(i["fileInfo"]["ufsPath"], i["fileInfo"]["mountId"]) for i in listing} == {("", 0)}
    assert api.status(f"{base}/d")["ufsPath"].endswith(f"{base}/d")
    api.ok(f"{base}/m", "unmount")
    # A file only in the under store: its blocks' under-store locations come from the mount.
    api.put(f"{base}/f", b"x" * 2000, {"writeType": "THROUGH", "blockSizeBytes": 1024})
    for opts, where in (({}, ["127.0.0.1"]), ({"excludeMountInfo": True}, [])):
        [info] = api.call(f"{base}/f", "list-status", opts).json()
        for blocks in (info["fileBlockInfos"], info["fileInfo"]["fileBlockInfos"]):
            assert [b["ufsLocations"] for b in blocks] == [where, where], opts


@pytest.mark.parametrize("write_type", sorted(WRITE_TYPES))
def test_more_copies_than_workers(api: Api, base: str, write_type: str) -> None:
    # One worker (the real test cluster's; the embedded proxy's emulated one), two copies.
    f = f"{base}/f"
    sid = api.create(f, {"writeType": write_type, "replicationMin": 2})
    octets = {"content-type": "application/octet-stream"}
    r = api.stream(sid, "write", content=b"hello", headers=octets)
    cached_first = write_type in ("MUST_CACHE", "TRY_CACHE", "ASYNC_THROUGH")
    if cached_first:
        api.error(
            r,
            "UNKNOWN",
            "Failed to cache: Not enough workers for replications, 1 workers selected but 2 "
            "required",
        )
    else:
        assert (r.status_code, r.json()) == (200, 5)
    assert api.stream(sid, "close").status_code == 200
    info = api.status(f)
    completed = not cached_first and write_type != "NONE"
    assert (info["completed"], info["length"]) == (completed, 5 if completed else 0)
    if write_type in ("CACHE_THROUGH", "THROUGH"):
        assert info["inMemoryPercentage"] == 0


def test_negative_replication_min_on_create(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1", {"replicationMin": -1, "writeType": "MUST_CACHE"})
    info = api.status(f"{base}/f")
    assert (info["replicationMin"], info["pinned"]) == (0, False)


def test_v1_ufs_fingerprint(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    api_v1.put(f"{workdir}/f", b"hello", {"writeType": "CACHE_THROUGH"})
    fingerprint = api_v1.status(f"{workdir}/f")["ufsFingerprint"]
    assert re.fullmatch(
        r"TYPE:FILE UFS:local OWNER:\S+ GROUP:\S+ MODE:420 CONTENT_HASH:\(len_5,_modtime_\d+\) ",
        fingerprint,
    ), fingerprint


# set-attribute on a directory d holding a MUST_CACHE file f, refused part-way: the answer,
# then (pinned, ttl, persisted) of d and of f. A master sets the descendants first, then the
# path; for each, pinning and replication take effect at once, then "persisted" is checked.
ONLY_FILES = "Only files can be persisted"
NOT_PERSISTED_STATE = "Cannot set the state of a file to not-persisted"
PARTLY_DONE = [
    ({"pinned": True, "persisted": False}, ONLY_FILES, (True, -1, False), (True, -1, False)),
    (
        {"pinned": True, "persisted": False, "recursive": True},
        NOT_PERSISTED_STATE,
        (False, -1, False),
        (True, -1, False),
    ),
    ({"persisted": True, "recursive": True}, ONLY_FILES, (False, -1, True), (False, -1, True)),
]


def _partly_done(api: Api, base: str, body: dict[str, Any], msg: str) -> tuple[Any, ...]:
    api.mkdir(f"{base}/d")
    api.put(f"{base}/d/f", b"1", {"writeType": "MUST_CACHE"})
    api.error(api.call(f"{base}/d", "set-attribute", body), "UNKNOWN", msg)
    keys = ("pinned", "ttl", "persisted")
    return tuple(tuple(api.status(f"{base}/{p}")[k] for k in keys) for p in ("d", "d/f"))


@pytest.mark.parametrize(("body", "msg", "d", "f"), PARTLY_DONE)
def test_set_attribute_refused_part_way(
    api: Api, base: str, body: dict[str, Any], msg: str, d: Any, f: Any
) -> None:
    assert _partly_done(api, base, body, msg) == (d, f)


def test_replication_set_on_a_directory_goes_to_its_files(api: Api, base: str) -> None:
    body = {
        "replicationMax": 5,
        "replicationMin": 1,
        "persisted": True,
        "commonOptions": {"ttl": 1},
    }
    api.mkdir(f"{base}/d")
    api.put(f"{base}/d/f", b"1", {"writeType": "MUST_CACHE"})
    api.error(api.call(f"{base}/d", "set-attribute", body), "UNKNOWN", ONLY_FILES)
    keys = ("pinned", "replicationMin", "replicationMax", "ttl")
    assert [api.status(f"{base}/d")[k] for k in keys] == [False, 0, 0, -1]
    assert [api.status(f"{base}/d/f")[k] for k in keys] == [True, 1, 5, -1]


def test_blocks_only_in_the_under_store_name_its_host(api: Api, base: str) -> None:
    for write_type, ufs_locations in (("THROUGH", ["127.0.0.1"]), ("CACHE_THROUGH", [])):
        api.put(f"{base}/{write_type}", b"hello", {"writeType": write_type})
        blocks = api.status(f"{base}/{write_type}")["fileBlockInfos"]
        assert [b["ufsLocations"] for b in blocks] == [ufs_locations], write_type


def test_directories_created_for_a_file_written_through(api: Api, base: str) -> None:
    # The file is refused (minimum above maximum), its new directories stay, persisted, and
    # so do the existing ones above them.
    api.mkdir(f"{base}/e", writeType="MUST_CACHE")
    opts = {"writeType": "CACHE_THROUGH", "recursive": True, "replicationMin": 3}
    r = api.call(f"{base}/e/a/b/f", "create-file", {**opts, "replicationMax": 1})
    api.error(r, "UNKNOWN", None)
    for path in (base, f"{base}/e", f"{base}/e/a", f"{base}/e/a/b"):
        assert api.status(path)["persistenceState"] == "PERSISTED", path
    api.mkdir(f"{base}/g", writeType="MUST_CACHE")
    r = api.call(f"{base}/g/f", "create-file", {**opts, "replicationMax": 1, "recursive": False})
    api.error(r, "UNKNOWN", None)
    assert api.status(f"{base}/g")["persistenceState"] == "PERSISTED"


@pytest.mark.parametrize("write_type", ["THROUGH", "CACHE_THROUGH"])
def test_an_empty_file_is_wholly_in_alluxio_storage(api: Api, base: str, write_type: str) -> None:
    api.put(f"{base}/f", b"", {"writeType": write_type})
    api.ok(f"{base}/f", "free")
    assert api.status(f"{base}/f")["inMemoryPercentage"] == 100


def test_durable_copies_of_an_async_through_file_need_workers(api: Api, base: str) -> None:
    sid = api.create(f"{base}/f", {"replicationDurable": 3})
    r = api.stream(
        sid, "write", content=b"hello", headers={"content-type": "application/octet-stream"}
    )
    api.error(
        r,
        "UNKNOWN",
        "Failed to cache: Not enough workers for replications, 1 workers selected but 3 required",
    )
    assert api.stream(sid, "close").status_code == 200


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


def test_v1_shared_mount(api_v1: Api, workdir: str, local_dir: Path) -> None:
    (local_dir / "f").write_bytes(b"f")
    os.chmod(local_dir / "f", 0o600)
    api_v1.mkdir(workdir)
    api_v1.ok(f"{workdir}/m", "mount", {"shared": True}, params={"src": str(local_dir)})
    assert api_v1.status(f"{workdir}/m/f")["mode"] == 0o606
    api_v1.ok(f"{workdir}/m", "unmount")


# The properties Jackson 2.6 lists for each 1.x options class. Their order is its hash
# table's, whose collisions fall in reflection order, which varies between JVM runs (seen:
# OpenFileOptions in two orders from two starts of the same 1.8.1): compared as sets.
V1_KNOWN = {
    "create-directory": "allowExists commonOptions mode recursive ttl ttlAction writeType",
    "create-file": "blockSizeBytes commonOptions locationPolicyClass mode recursive ttl "
    "ttlAction writeTier writeType",
    "delete": "alluxioOnly commonOptions recursive unchecked",
    "exists": "commonOptions loadMetadataType",
    "free": "commonOptions forced recursive",
    "get-status": "commonOptions loadMetadataType",
    "list-status": "commonOptions loadMetadataType recursive",
    "mount": "commonOptions properties readOnly shared",
    "open-file": "cacheLocationPolicyClass locationPolicyClass maxUfsReadConcurrency readType "
    "ufsReadLocationPolicyClass",
    "set-attribute": "commonOptions group mode owner persisted pinned recursive ttl ttlAction",
}
SOURCE = "org.glassfish.jersey.message.internal.ReaderInterceptorExecutor$UnCloseableInputStream"


def _masked(text: str) -> str:
    # The stream object's hash is the JVM's; columns are a documented difference.
    text = re.sub(r"UnCloseableInputStream@[0-9a-f]+", "UnCloseableInputStream@H", text)
    return re.sub(r"column: \d+", "column: N", text)


@pytest.mark.parametrize("action", sorted(V1_KNOWN))
def test_v1_unrecognized_field_lists_the_known_properties(api_v1: Api, action: str) -> None:
    r = api_v1.call("/x", action, content=b'{"nope": 1}', params={"src": "/tmp", "dst": "/y"})
    assert r.status_code == 400
    cls = "alluxio.client.file.options.{}Options".format(
        "".join(w.capitalize() for w in action.split("-"))
    )
    names = V1_KNOWN[action].split()
    found = re.fullmatch(
        rf'Unrecognized field "nope" \(class {re.escape(cls)}\), not marked as ignorable '
        rf"\({len(names)} known properties: (.*)\]\)\n at \[Source: {re.escape(SOURCE)}@H; "
        rf'line: 1, column: N\] \(through reference chain: {re.escape(cls)}\["nope"\]\)',
        _masked(r.text),
    )
    assert found, r.text
    assert sorted(found.group(1).split(", ")) == [f'"{n}"' for n in names]


# A body cut short: Jackson says where its streaming parser was when the input ended.
CUT_SHORT = [
    (b'{"recursive": true', "expected close marker"),
    (b"{ ", "expected close marker"),
    (b'{"recursive": true,', "within/between"),
    (b'{"recursive"', "within/between"),
    (b'{"mode": {"ownerBits": ', "within/between"),
]


def _cut_short_message(where: str, dialect: str) -> str:
    at = f"[Source: {SOURCE}@H; line: 1, column: N]"
    if dialect == "2.x":
        at = f"[Source: ({SOURCE}); line: 1, column: N]"
        if where == "within/between":
            return f"Unexpected end-of-input within/between Object entries\n at {at}"
        return (
            "Unexpected end-of-input: expected close marker for Object (start marker at "
            f"{at})\n at {at}"
        )
    if where == "within/between":
        return f"Unexpected end-of-input within/between OBJECT entries\n at {at}"
    return f"Unexpected end-of-input: expected close marker for OBJECT (from {at})\n at {at}"


@pytest.mark.parametrize(("body", "where"), CUT_SHORT)
def test_body_cut_short(api: Api, body: bytes, where: str) -> None:
    r = api.call("/x", "create-directory", content=body)
    assert (r.status_code, _masked(r.text)) == (400, _cut_short_message(where, "2.x"))


# (Not the nested one: 1.8.1 adds the reference chain of the field it was binding, which the
# embedded proxy does not, as it parses the whole body before binding.)
@pytest.mark.parametrize(("body", "where"), CUT_SHORT[:-1])
def test_v1_body_cut_short(api_v1: Api, body: bytes, where: str) -> None:
    r = api_v1.call("/x", "create-directory", content=body)
    assert (r.status_code, _masked(r.text)) == (400, _cut_short_message(where, "1.x"))


def test_v1_mount_inside_a_readonly_mount(api_v1: Api, workdir: str, local_dir: Path) -> None:
    api_v1.mkdir(workdir)
    api_v1.ok(f"{workdir}/ro", "mount", {"readOnly": True}, params={"src": str(local_dir)})
    for path in (f"{workdir}/ro", f"{workdir}/ro/sub"):
        api_v1.error(
            api_v1.call(path, "mount", params={"src": "/tmp"}),
            "PERMISSION_DENIED",
            f"A write operation on {path} under a readonly mount point {workdir}/ro is not allowed",
        )
    api_v1.ok(f"{workdir}/ro", "unmount")


def test_v1_paths_through_a_file(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    api_v1.put(f"{workdir}/f", b"1")
    for action in PATH_ACTIONS:
        r = api_v1.call(f"{workdir}/f/x/y", action, {}, params={"dst": f"{workdir}/g"})
        creates = action in ("create-directory", "create-file")
        api_v1.error(
            r,
            "INVALID_ARGUMENT" if creates else "UNKNOWN",
            "Traversal failed. Component 2(f) is a file",
        )
    for path, action in (
        (f"{workdir}/f/x", "mount"),
        (f"{workdir}/f/x", "unmount"),
        (f"{workdir}/none", "rename"),
    ):
        r = api_v1.call(path, action, params={"src": "/tmp", "dst": f"{workdir}/f/x/y"})
        api_v1.error(r, "UNKNOWN", "Traversal failed. Component 2(f) is a file")


def test_v1_writes_under_a_readonly_mount_are_refused_before_lookup(
    api_v1: Api, workdir: str, local_dir: Path
) -> None:
    (local_dir / "f").write_bytes(b"f")
    api_v1.mkdir(workdir)
    api_v1.ok(f"{workdir}/ro", "mount", {"readOnly": True}, params={"src": str(local_dir)})
    for path, action, body in (
        (f"{workdir}/ro/none", "delete", None),
        (f"{workdir}/ro/none", "rename", None),
        (f"{workdir}/ro/none", "set-attribute", {}),
        (f"{workdir}/ro/f", "set-attribute", {"pinned": True}),
        (f"{workdir}/ro", "delete", {"recursive": True}),
    ):
        api_v1.error(
            api_v1.call(path, action, body, params={"dst": f"{workdir}/ro/x"}),
            "PERMISSION_DENIED",
            f"A write operation on {path} under a readonly mount point {workdir}/ro is not allowed",
        )
    api_v1.error(
        api_v1.call(f"{workdir}/ro/none", "free"),
        "NOT_FOUND",
        f'Path "{workdir}/ro/none" does not exist.',
    )
    api_v1.ok(f"{workdir}/ro", "unmount")


@pytest.mark.parametrize("write_type", sorted(OPEN_AND_CLOSED))
def test_v1_file_states_while_written_and_after(api_v1: Api, workdir: str, write_type: str) -> None:
    api_v1.mkdir(workdir)
    _open_and_closed(api_v1, workdir, write_type, "1.x")


@pytest.mark.parametrize(("body", "msg", "d", "f"), PARTLY_DONE)
def test_v1_set_attribute_refused_part_way(
    api_v1: Api, workdir: str, body: dict[str, Any], msg: str, d: Any, f: Any
) -> None:
    api_v1.mkdir(workdir)
    assert _partly_done(api_v1, workdir, body, msg) == (d, f)


def test_v1_set_attribute_sets_the_ttl_before_it_checks_persisted(
    api_v1: Api, workdir: str
) -> None:
    api_v1.mkdir(workdir)
    body = {"pinned": True, "ttl": 5000, "persisted": True}
    assert _partly_done(api_v1, workdir, body, ONLY_FILES) == (
        (True, 5000, False),
        (True, -1, False),
    )


def test_v1_creations_under_a_readonly_mount_are_refused_before_lookup(
    api_v1: Api, workdir: str, local_dir: Path
) -> None:
    api_v1.mkdir(workdir)
    message = "Traversal failed. Component 3(f) is a file"
    assert _creations_under_a_readonly_mount(api_v1, workdir, local_dir) == [message, message]


def test_v1_rename_and_the_root(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    _rename_and_the_root(api_v1, workdir, "UNKNOWN")


def test_v1_free_while_written(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    _free_while_written(api_v1, workdir)


def test_v1_recursive_delete_takes_mount_points_along(
    api_v1: Api, workdir: str, local_dir: Path
) -> None:
    """1.8.1 has no deleteMountPoint option: a recursive delete of a mount point, or of a
    directory holding one, unmounts it and empties its under-store directory (kept)."""
    api, base = api_v1, workdir
    api.mkdir(base)
    for name in ("s", "t"):
        (local_dir / name / "sub").mkdir(parents=True)
        (local_dir / name / "f").write_bytes(b"f")
    api.ok(f"{base}/m", "mount", params={"src": str(local_dir / "s")})
    api.mkdir(f"{base}/d")
    api.ok(f"{base}/d/m", "mount", params={"src": str(local_dir / "t")})
    for path, mount_point, source in (
        (f"{base}/m", f"{base}/m", "s"),
        (f"{base}/d", f"{base}/d/m", "t"),
    ):
        assert sorted(api.ls(mount_point, recursive=True)) == ["f", "sub"]
        api.ok(path, "delete", {"recursive": True})
        assert api.call(path, "exists").json() is False
        assert list((local_dir / source).iterdir()) == []
        api.error(
            api.call(mount_point, "unmount"), "UNKNOWN", f'Path "{mount_point}" does not exist.'
        )


POLICY = "alluxio.client.file.policy"
HASH_POLICY = "alluxio.client.block.policy.DeterministicHashPolicy"
NOT_A_FILE_POLICY = (
    f"class {HASH_POLICY} cannot be cast to class {POLICY}.FileWriteLocationPolicy ({HASH_POLICY} "
    f"and {POLICY}.FileWriteLocationPolicy are in unnamed module of loader 'app')"
)


@pytest.mark.parametrize(
    ("action", "field", "name", "problem"),
    [
        ("create-file", "locationPolicyClass", f"{POLICY}.LocalFirstPolicy", None),
        ("create-file", "locationPolicyClass", f"{POLICY}.RoundRobinPolicy", None),
        ("create-file", "locationPolicyClass", HASH_POLICY, NOT_A_FILE_POLICY),
        ("create-file", "locationPolicyClass", f"{POLICY}.SpecificHostPolicy", "<init>"),
        ("create-file", "locationPolicyClass", "nope.Nope", "nope.Nope"),
        ("create-file", "locationPolicyClass", "", ""),
        ("open-file", "locationPolicyClass", f"{POLICY}.MostAvailableFirstPolicy", None),
        ("open-file", "cacheLocationPolicyClass", f"{POLICY}.LocalFirstAvoidEvictionPolicy", None),
        ("open-file", "cacheLocationPolicyClass", HASH_POLICY, NOT_A_FILE_POLICY),
        ("open-file", "ufsReadLocationPolicyClass", HASH_POLICY, None),
        ("open-file", "ufsReadLocationPolicyClass", f"{POLICY}.LocalFirstPolicy", None),
        ("open-file", "ufsReadLocationPolicyClass", "x", "x"),
    ],
)
def test_v1_location_policy_classes(
    api_v1: Api, workdir: str, action: str, field: str, name: str, problem: str | None
) -> None:
    """1.8.1 loads a location policy by class name while it binds the options: a policy
    class works (the file is written or read as usual); any other name is a 400 with the
    Java exception's message."""
    api_v1.mkdir(workdir)
    path = f"{workdir}/f"
    if action == "open-file":
        api_v1.put(path, b"hello", {"writeType": "CACHE_THROUGH"})
    r = api_v1.call(path, action, {field: name})
    if problem is None:
        assert r.status_code == 200, r.text
        sid: int = r.json()
        if action == "create-file":
            assert api_v1.stream(sid, "write", content=b"hello").status_code == 200
        else:
            assert api_v1.stream(sid, "read").content == b"hello"
        assert api_v1.stream(sid, "close").status_code == 200
        assert api_v1.get(path) == b"hello"
        return
    if problem == "<init>":
        problem = f"{name}.<init>()"
    cls = "CreateFileOptions" if action == "create-file" else "OpenFileOptions"
    chain = f'alluxio.client.file.options.{cls}["{field}"]'
    assert (r.status_code, r.text) == (400, f"{problem} (through reference chain: {chain})")
    assert api_v1.call(path, "exists").json() is (action == "open-file")


def test_v1_mount_inside_a_mount_checks_the_under_store_first(
    api_v1: Api, workdir: str, local_dir: Path
) -> None:
    api, base = api_v1, workdir
    api.mkdir(base)
    for name in ("a", "b"):
        (local_dir / name).mkdir()
    (local_dir / "file").write_bytes(b"f")
    api.ok(f"{base}/m", "mount", params={"src": str(local_dir / "a")})
    for src in (local_dir / "missing", local_dir / "file"):
        api.error(
            api.call(f"{base}/m/x", "mount", params={"src": str(src)}),
            "UNKNOWN",
            f"Ufs path {src} does not exist",
        )
    api.error(
        api.call(f"{base}/m/x", "mount", params={"src": str(local_dir / "b")}),
        "UNKNOWN",
        f"Mount point {base}/m is a prefix of {base}/m/x",
    )
    api.ok(f"{base}/m", "unmount")


def _moving_a_mount_point(api: Api, base: str, local_dir: Path, status: str) -> None:
    """Moving a mount point anywhere, or anything onto or into a mount, is across mounts,
    refused before the destination (or its parent) is looked at."""
    (local_dir / "x").mkdir()
    (local_dir / "y").write_bytes(b"y")
    api.mkdir(f"{base}/a")
    api.ok(f"{base}/m", "mount", params={"src": str(local_dir)})
    api.ok(f"{base}/m", "list-status")
    moves = [(f"{base}/m", dst) for dst in (f"{base}/no/such/x", f"{base}/x", f"{base}/a")]
    moves += [(f"{base}/a", dst) for dst in (f"{base}/m", f"{base}/m/x", f"{base}/m/y")]
    for src, dst in moves:
        api.error(
            api.call(src, "rename", params={"dst": dst}),
            status,
            f"Renaming {src} to {dst} is a cross mount operation",
        )
    # A mount point into itself: the same mount, refused as a prefix; a directory holding a
    # mount point into that mount: across mounts first.
    api.error(
        api.call(f"{base}/m", "rename", params={"dst": f"{base}/m/x/z"}),
        status,
        f"Cannot rename because {base}/m is a prefix of {base}/m/x/z",
    )
    api.mkdir(f"{base}/h")
    other = local_dir.parent / "other-source"
    other.mkdir()
    api.ok(f"{base}/h/n", "mount", params={"src": str(other)})
    api.error(
        api.call(f"{base}/h", "rename", params={"dst": f"{base}/h/n/z"}),
        status,
        f"Renaming {base}/h to {base}/h/n/z is a cross mount operation",
    )
    api.ok(f"{base}/h/n", "unmount")
    # From inside the mount onto its mount point: the same mount, refused all the same.
    for dst in (f"{base}/m", f"{base}/m?x=1"):
        api.error(
            api.call(f"{base}/m/x", "rename", params={"dst": dst}),
            status,
            f"{base}/m is a mount point and cannot be renamed onto",
        )
    api.ok(f"{base}/m", "unmount")


def test_moving_a_mount_point(api: Api, base: str, local_dir: Path) -> None:
    _moving_a_mount_point(api, base, local_dir, "INVALID_ARGUMENT")


def test_v1_moving_a_mount_point(api_v1: Api, workdir: str, local_dir: Path) -> None:
    api_v1.mkdir(workdir)
    _moving_a_mount_point(api_v1, workdir, local_dir, "UNKNOWN")


# ---------------------------------------------------------------- found by random lockstep seeds


def test_a_creation_gives_its_xattr_to_the_directory_above_it(api: Api, base: str) -> None:
    v = "dg=="
    api.mkdir(f"{base}/a")
    # The deepest existing directory above a new path gets the creation's extended
    # attributes in place of its own (createPath's update of the last traversed inode).
    api.mkdir(f"{base}/a/b/c", recursive=True, xattr={"k": v})
    assert api.status(f"{base}/a")["xattr"] == {"k": v}
    assert api.status(f"{base}/a/b")["xattr"] == {"k": v}
    api.create(f"{base}/a/f", {"xattr": {"k2": v}})
    assert api.status(f"{base}/a")["xattr"] == {"k2": v}
    # Not when nothing is created, nor with LEAF_NODE propagation, nor without attributes.
    api.mkdir(f"{base}/a", allowExists=True, xattr={"k3": v}, commonOptions={"ttl": 60000})
    api.mkdir(f"{base}/a/e", xattr={"k4": v}, xattrPropStrat="LEAF_NODE")
    api.mkdir(f"{base}/a/g", xattr={})
    info = api.status(f"{base}/a")
    assert (info["xattr"], info["ttl"], info["mode"]) == ({"k2": v}, -1, 0o755)
    # Nor when create-file overwrites a file (the path is not new).
    api.put(f"{base}/a/h", b"1", {"writeType": "MUST_CACHE"})
    api.create(f"{base}/a/h", {"overwrite": True, "xattr": {"k5": v}})
    assert api.status(f"{base}/a")["xattr"] == {"k2": v}


def test_allow_exists_on_a_file(api: Api, base: str) -> None:
    api.put(f"{base}/x y", b"1", {"writeType": "MUST_CACHE"})
    for recursive in (False, True):
        r = api.call(
            f"{base}/x y", "create-directory", {"allowExists": True, "recursive": recursive}
        )
        api.error(r, "UNKNOWN", "Inode x y is not a directory")


def test_v1_allow_exists_on_a_file(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    api_v1.put(f"{workdir}/f", b"1")
    r = api_v1.call(f"{workdir}/f", "create-directory", {"allowExists": True})
    api_v1.error(r, "ALREADY_EXISTS", f"{workdir}/f already exists")


def test_written_through_creation_persists_every_directory_above(api: Api, base: str) -> None:
    api.mkdir(f"{base}/a/b", recursive=True, writeType="MUST_CACHE")
    opts = {"writeType": "CACHE_THROUGH", "recursive": True}
    api.put(f"{base}/a/b/c/f", b"1", opts)
    for path in (f"{base}/a", f"{base}/a/b", f"{base}/a/b/c"):
        assert api.status(path)["persistenceState"] == "PERSISTED", path
    api.mkdir(f"{base}/d/e", recursive=True, writeType="MUST_CACHE")
    api.mkdir(f"{base}/d/e/g/h", recursive=True, writeType="THROUGH")
    for path in (f"{base}/d", f"{base}/d/e", f"{base}/d/e/g"):
        assert api.status(path)["persistenceState"] == "PERSISTED", path


def _rename_through_files(api: Api, base: str, status: str, message: str) -> None:
    # Both paths fail the traversal: the one Java's String order puts first is reported.
    api.put(f"{base}/m", b"1")
    for src, dst in ((f"{base}/m/m", f"{base}/m/a"), (f"{base}/m/a", f"{base}/m/m")):
        r = api.call(src, "rename", params={"dst": dst})
        api.error(r, status, message.format(f"{base}/m/a"))


def test_rename_through_files_reports_the_lesser_path(api: Api, base: str) -> None:
    msg = "Traversal failed for path {}. Component 2(m) is a file, not a directory."
    _rename_through_files(api, base, "INVALID_ARGUMENT", msg)


def test_v1_rename_through_files_reports_the_lesser_path(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    _rename_through_files(api_v1, workdir, "UNKNOWN", "Traversal failed. Component 2(m) is a file")


def _deleted_while_written_through(api: Api, base: str) -> None:
    # The worker writes the under-store file whatever the master did meanwhile: closed, it is
    # there, and a listing of its directory finds it (as loaded from the under store: nothing
    # in Alluxio storage, the mode it was written with).
    octets = {"content-type": "application/octet-stream"}
    for write_type in ("THROUGH", "CACHE_THROUGH"):
        d = f"{base}/{write_type}"
        api.mkdir(d)
        sid = api.create(f"{d}/f", {"writeType": write_type, "mode": {**ALL, "otherBits": "NONE"}})
        assert api.stream(sid, "write", content=b"hello", headers=octets).json() == 5
        api.ok(f"{d}/f", "delete")
        assert api.stream(sid, "write", content=b"more", headers=octets).json() == 4
        assert api.stream(sid, "close").status_code == 200
        [info] = api.ok(d, "list-status").json()
        assert (info["name"], info["mode"], *state(info)) == (
            "f",
            0o770,
            True,
            "PERSISTED",
            0,
            True,
            9,
        )
        assert api.get(f"{d}/f") == b"hellomore"


def test_a_file_deleted_while_written_through_is_found_in_the_under_store(
    api: Api, base: str
) -> None:
    _deleted_while_written_through(api, base)


def test_v1_a_file_deleted_while_written_through_is_found_in_the_under_store(
    api_v1: Api, workdir: str
) -> None:
    api_v1.mkdir(workdir)
    _deleted_while_written_through(api_v1, workdir)


def _writing_a_file_that_is_gone(api: Api, base: str, local_dir: Path) -> None:
    # A write that starts a block of a file cached in Alluxio storage: the worker asks the
    # master for the file, and it is gone (deleted, or its mount unmounted).
    octets = {"content-type": "application/octet-stream"}
    for how in ("delete", "unmount"):
        src = local_dir / how
        src.mkdir()
        api.ok(f"{base}/{how}", "mount", params={"src": str(src)})
        path = f"{base}/{how}/f"
        sid = api.create(path, {"writeType": "MUST_CACHE"})
        api.ok(path if how == "delete" else f"{base}/{how}", how)
        for _ in range(2):
            r = api.stream(sid, "write", content=b"more", headers=octets)
            api.error(r, "UNKNOWN", f'Failed to cache: Path "{path}" does not exist.')
        assert api.stream(sid, "close").status_code == 200
        # Once a block is started, its writes go on (to nowhere).
        sid = api.create(f"{base}/g-{how}", {"writeType": "MUST_CACHE"})
        assert api.stream(sid, "write", content=b"x", headers=octets).json() == 1
        api.ok(f"{base}/g-{how}", "delete")
        assert api.stream(sid, "write", content=b"y", headers=octets).json() == 1
        assert api.stream(sid, "close").status_code == 200
        assert api.call(f"{base}/g-{how}", "exists").json() is False


def test_writing_a_file_that_is_gone(api: Api, base: str, local_dir: Path) -> None:
    _writing_a_file_that_is_gone(api, base, local_dir)


def test_v1_writing_a_file_that_is_gone(api_v1: Api, workdir: str, local_dir: Path) -> None:
    api_v1.mkdir(workdir)
    _writing_a_file_that_is_gone(api_v1, workdir, local_dir)


def test_replication_min_above_max_is_refused_file_by_file(api: Api, base: str) -> None:
    api.mkdir(f"{base}/d")
    api.put(f"{base}/d/f", b"1", {"writeType": "MUST_CACHE"})
    api.put(f"{base}/d/g", b"1", {"writeType": "MUST_CACHE", "replicationMax": 1})
    msg = (
        "Cannot set min and max replication to be 3 and 1: min replication must be smaller or "
        "equal than max replication"
    )

    def replication() -> list[tuple[int, int, bool]]:
        infos = [api.status(f"{base}/d/{name}") for name in ("f", "g")]
        return [(i["replicationMin"], i["replicationMax"], i["pinned"]) for i in infos]

    for body in ({"replicationMin": 3, "replicationMax": 1}, {"replicationMin": 3}):
        api.error(api.call(f"{base}/d/g", "set-attribute", body), "UNKNOWN", msg)
    api.error(
        api.call(f"{base}/d", "set-attribute", {"replicationMin": 3, "replicationMax": 1}),
        "UNKNOWN",
        msg,
    )
    assert replication() == [(0, -1, False), (0, 1, False)]
    # Set on a directory, file by file in name order: f is changed before g is refused.
    body = {"replicationMin": 3, "recursive": True}
    api.error(api.call(f"{base}/d", "set-attribute", body), "UNKNOWN", msg)
    assert replication() == [(3, -1, True), (0, 1, False)]


def _fingerprints_after_set_attribute(api: Api, base: str, dialect: str) -> None:
    """A master puts the new owner, group or mode into the under-store fingerprint of each
    entry in the under store (2.9.6: the mode as protobuf text; parsing it again trims it),
    and keeps the last one computed for the rest of the request: entries set after it get it
    too, even files not in the under store (name order, the directory itself last)."""
    sep = "|" if dialect == "2.x" else ":"
    api.put(f"{base}/f", b"hi", {"writeType": "THROUGH"})
    api.put(f"{base}/g", b"hi", {"writeType": "MUST_CACHE"})
    api.mkdir(f"{base}/s")
    api.mkdir(f"{base}/s/d", writeType="THROUGH")
    api.put(f"{base}/s/e", b"hi", {"writeType": "MUST_CACHE"})

    def fingerprint(path: str) -> str:
        text: str = api.status(path)["ufsFingerprint"]
        return re.sub(r"modtime.\d+", "modtime", text)

    owner, group = (api.status(f"{base}/f")[k] for k in ("owner", "group"))
    head = f"TYPE{sep}FILE UFS{sep}local OWNER{sep}{owner} GROUP{sep}{group} MODE{sep}"
    content = (
        "CONTENT_HASH|(len:2,_modtime) " if dialect == "2.x" else "CONTENT_HASH:(len_2,_modtime) "
    )
    assert fingerprint(f"{base}/f") == f"{head}420 {content}"
    mode = {"ownerBits": "ALL", "groupBits": "READ", "otherBits": "NONE"}
    text = "ownerBits:_ALL\ngroupBits:_READ\notherBits:_NONE\n" if dialect == "2.x" else "480"
    for path in (f"{base}/f", f"{base}/g"):
        api.ok(path, "set-attribute", {"mode": mode})
    assert fingerprint(f"{base}/f") == f"{head}{text} {content}"
    assert fingerprint(f"{base}/g") == ""  # not in the under store, set alone
    api.ok(f"{base}/f", "set-attribute", {"pinned": True})
    assert fingerprint(f"{base}/f") == f"{head}{text} {content}"
    api.ok(base, "set-attribute", {"mode": {**mode, "groupBits": "EXECUTE"}, "recursive": True})
    text = "ownerBits:_ALL\ngroupBits:_EXECUTE\notherBits:_NONE\n" if dialect == "2.x" else "456"
    assert fingerprint(f"{base}/f") == f"{head}{text} {content}"
    assert fingerprint(f"{base}/g") == f"{head}{text} {content}"  # f's, set after it
    # s/d (a directory in the under store) comes before s/e.
    dir_head = f"TYPE{sep}DIRECTORY UFS{sep}local OWNER{sep}{owner} GROUP{sep}{group} MODE{sep}"
    assert fingerprint(f"{base}/s/e") == f"{dir_head}{text} "
    api.ok(f"{base}/f", "set-attribute", {"owner": owner})
    assert fingerprint(f"{base}/f") == f"{head}{text.strip()} {content}"
    assert api.status(f"{base}/f")["mode"] == 0o710


def test_fingerprints_after_set_attribute(api: Api, base: str) -> None:
    _fingerprints_after_set_attribute(api, base, "2.x")


def test_v1_fingerprints_after_set_attribute(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    _fingerprints_after_set_attribute(api_v1, workdir, "1.x")


def test_replication_decides_pinned(api: Api, base: str) -> None:
    # Pinning comes first, then replication: a file is pinned exactly when its minimum is
    # above 0 (pinning a file sets its minimum to 1 unless one is given).
    cases = [
        ({"pinned": True, "replicationMin": 0}, (False, 0, -1)),
        ({"pinned": True, "replicationMax": 1}, (True, 1, 1)),
        ({"pinned": False, "replicationMin": 2}, (True, 2, -1)),
    ]
    for i, (body, expected) in enumerate(cases):
        path = f"{base}/d{i}/f"
        api.put(path, b"1", {"writeType": "MUST_CACHE", "recursive": True})
        for target in (path, f"{base}/d{i}"):
            api.ok(target, "set-attribute", body)
            info = api.status(path)
            assert (info["pinned"], info["replicationMin"], info["replicationMax"]) == expected


def _persisting_a_file_being_written(api: Api, base: str) -> None:
    api.create(f"{base}/f", {"writeType": "MUST_CACHE"})
    for body in ({"persisted": False}, {"persisted": True}, {"persisted": False, "pinned": True}):
        r = api.call(f"{base}/f", "set-attribute", body)
        api.error(r, "UNKNOWN", "File being persisted must be complete")
    assert api.status(f"{base}/f")["pinned"] is True  # pinning came first


def test_persisting_a_file_being_written(api: Api, base: str) -> None:
    _persisting_a_file_being_written(api, base)


def test_v1_persisting_a_file_being_written(api_v1: Api, workdir: str) -> None:
    api_v1.mkdir(workdir)
    _persisting_a_file_being_written(api_v1, workdir)


def test_xattr_strategies_apply_to_the_under_store_etag(api: Api, base: str) -> None:
    # The etag of a file written through is one of its extended attributes; an empty map
    # changes nothing.
    cases = [
        ({"xattr": {}, "xattrUpdateStrategy": "TRUNCATE"}, ["a", "s3_etag"]),
        ({"xattr": {"k": "dg=="}, "xattrUpdateStrategy": "TRUNCATE"}, ["k"]),
        ({"xattr": {"s3_etag": ""}, "xattrUpdateStrategy": "DELETE_KEYS"}, ["a"]),
        ({"xattr": {"k": "dg=="}, "xattrUpdateStrategy": "UNION_PRESERVE"}, ["a", "k", "s3_etag"]),
    ]
    for i, (body, names) in enumerate(cases):
        path = f"{base}/f{i}"
        api.put(path, b"hi", {"writeType": "THROUGH", "xattr": {"a": "dg=="}})
        api.ok(path, "set-attribute", body)
        assert sorted(api.status(path)["xattr"]) == names, body


def test_directories_made_for_a_file_share_its_xattr(api: Api, base: str) -> None:
    # The directories a create-file makes get the file's own map of extended attributes
    # (NEW_PATHS, the default): the etag completing a written-through file puts in shows on
    # them too; with LEAF_NODE they have a map of their own.
    octets = {"content-type": "application/octet-stream"}
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"writeType": "THROUGH"}, ["s3_etag"]),
        ({"writeType": "CACHE_THROUGH", "xattr": {"k": "dg=="}}, ["k", "s3_etag"]),
        ({"writeType": "THROUGH", "xattrPropStrat": "LEAF_NODE", "xattr": {"k": "dg=="}}, []),
        ({"writeType": "MUST_CACHE"}, []),
    ]
    for i, (opts, names) in enumerate(cases):
        d = f"{base}/d{i}"
        sid = api.create(f"{d}/a/f", {**opts, "recursive": True})
        assert api.stream(sid, "write", content=b"hi", headers=octets).json() == 2
        assert api.stream(sid, "close").status_code == 200
        etag = api.status(f"{d}/a/f")["xattr"].get("s3_etag")
        for path in (d, f"{d}/a"):
            xattr = api.status(path)["xattr"]
            assert sorted(xattr) == names, (opts, path)
            assert xattr.get("s3_etag") == (etag if "s3_etag" in names else None)


def test_negative_replication_min_is_refused_after_pinning(api: Api, base: str) -> None:
    api.put(f"{base}/f", b"1", {"writeType": "MUST_CACHE"})
    body = {"pinned": True, "replicationMin": -1, "persisted": False}
    r = api.call(f"{base}/f", "set-attribute", body)
    api.error(r, "UNKNOWN", "Min replication must be a non-negative integer")
    info = api.status(f"{base}/f")
    assert (info["pinned"], info["replicationMin"]) == (True, 1)


def test_overwrite_refused_for_its_replication(api: Api, base: str) -> None:
    # The master removes the old file from Alluxio, then refuses the new one: a file only in
    # Alluxio storage is gone, one in the under store is found there again (as loaded).
    opts = {"overwrite": True, "replicationMin": 3, "replicationMax": 1}
    for write_type in ("MUST_CACHE", "ASYNC_THROUGH", "CACHE_THROUGH", "THROUGH"):
        path = f"{base}/{write_type}"
        api.put(path, b"old", {"writeType": write_type, "mode": {**ALL, "otherBits": "NONE"}})
        if write_type == "ASYNC_THROUGH":
            assert wait_persisted(api, path)["persisted"]
        api.error(api.call(path, "create-file", opts), "UNKNOWN", None)
        # (exists loads it from the under store; 2.9.6's get-status would not.)
        assert api.call(path, "exists").json() is (write_type != "MUST_CACHE")
        if write_type == "MUST_CACHE":
            continue
        info = api.status(path)
        assert (*state(info), info["mode"], sorted(info["xattr"])) == (
            True,
            "PERSISTED",
            0,
            True,
            3,
            0o770,
            ["s3_etag"],
        )
        assert api.get(path) == b"old"
