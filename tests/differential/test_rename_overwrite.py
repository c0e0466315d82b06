"""Replacing an existing path: rename with ``s3SyntaxOptions.overwrite`` and create-file with
``overwrite`` (2.x), as a real 2.9.6 proxy answers them, and their refusal by 1.8.1.

Each test runs against the embedded proxy and the real one (marker ``real_proxy``) and
asserts what the real one answers. What these show is why the client replaces files only by
a rename with overwrite, and only after checking that the destination is a file: the real
master also replaces a directory that way, with everything in it.

(A read stream opened on the old file is left out: on 2.9.6 it reads the old bytes only until
the worker drops their blocks, about 2 s later, and then never answers; the same as after a
delete.)
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import alluxio
from tests.server._api import Api

REPLACE = {"s3SyntaxOptions": {"overwrite": True}}


def test_rename_with_overwrite_replaces_a_file(api: Api, base: str) -> None:
    api.put(f"{base}/new", b"new content")
    api.put(f"{base}/dst", b"old")
    r = api.ok(f"{base}/new", "rename", REPLACE, params={"dst": f"{base}/dst"})
    assert r.content == b""
    assert api.ls(base) == ["dst"]
    assert api.get(f"{base}/dst") == b"new content"
    info = api.status(f"{base}/dst")
    assert (info["completed"], info["length"]) == (True, 11)


def test_rename_with_overwrite_replaces_a_file_being_written(api: Api, base: str) -> None:
    """The writer is not told: its writes and close succeed, and its data is gone. (So the
    client does not replace an incomplete file.)"""
    api.put(f"{base}/new", b"renamed")
    writer = api.create(f"{base}/dst")
    api.ok(f"{base}/new", "rename", REPLACE, params={"dst": f"{base}/dst"})
    assert api.stream(writer, "write", content=b"written").json() == 7
    r = api.stream(writer, "close")
    assert (r.status_code, r.content) == (200, b"")
    assert api.get(f"{base}/dst") == b"renamed"
    assert api.ls(base) == ["dst"]


def test_rename_with_overwrite_onto_a_missing_path_is_a_rename(api: Api, base: str) -> None:
    api.put(f"{base}/a", b"a")
    api.ok(f"{base}/a", "rename", REPLACE, params={"dst": f"{base}/b"})
    assert api.ls(base) == ["b"]
    # Onto itself: accepted, nothing changes.
    api.ok(f"{base}/b", "rename", REPLACE, params={"dst": f"{base}/b"})
    assert api.get(f"{base}/b") == b"a"


def test_rename_with_overwrite_replaces_directories_too(api: Api, base: str) -> None:
    """The real master replaces a directory, however full, by the file (and a file by a
    directory): the contents are gone. The client never asks for this."""
    api.mkdir(f"{base}/empty")
    api.mkdir(f"{base}/full")
    api.put(f"{base}/full/data", b"precious")
    api.put(f"{base}/f1", b"1")
    api.put(f"{base}/f2", b"2")
    api.ok(f"{base}/f1", "rename", REPLACE, params={"dst": f"{base}/empty"})
    api.ok(f"{base}/f2", "rename", REPLACE, params={"dst": f"{base}/full"})
    for path, data in ((f"{base}/empty", b"1"), (f"{base}/full", b"2")):
        assert api.status(path)["folder"] is False
        assert api.get(path) == data
    api.mkdir(f"{base}/dir")
    api.put(f"{base}/dir/x", b"x")
    api.put(f"{base}/file", b"f")
    api.ok(f"{base}/dir", "rename", REPLACE, params={"dst": f"{base}/file"})
    assert api.status(f"{base}/file")["folder"] is True
    assert api.ls(f"{base}/file") == ["x"]
    assert api.ls(base) == ["empty", "file", "full"]


def test_rename_without_overwrite_still_refuses(api: Api, base: str) -> None:
    api.put(f"{base}/a", b"a")
    api.put(f"{base}/b", b"b")
    message = f"Cannot rename because destination already exists. src: {base}/a dst: {base}/b"
    bodies: list[dict[str, Any] | None] = [
        None,
        {"s3SyntaxOptions": {"overwrite": False}},
        {"s3SyntaxOptions": {}},
        {"s3SyntaxOptions": None},
        {"s3SyntaxOptions": {"overwrite": None}},
        {"s3SyntaxOptions": {"isMultipartUpload": False}},
    ]
    for body in bodies:
        r = api.call(f"{base}/a", "rename", body, params={"dst": f"{base}/b"})
        api.error(r, "ALREADY_EXISTS", message)
    assert api.get(f"{base}/b") == b"b"


def test_rename_with_overwrite_failures(api: Api, base: str) -> None:
    api.put(f"{base}/a", b"a")
    api.put(f"{base}/file", b"f")
    r = api.call(f"{base}/a", "rename", REPLACE, params={"dst": f"{base}/none/b"})
    api.error(r, "NOT_FOUND", f'Path "{base}/none" does not exist.')
    r = api.call(f"{base}/none", "rename", REPLACE, params={"dst": f"{base}/a"})
    api.error(r, "NOT_FOUND", f'Path "{base}/none" does not exist.')
    r = api.call(f"{base}/a", "rename", REPLACE, params={"dst": "/"})
    api.error(r, "INVALID_ARGUMENT", "Cannot rename a path to the root directory")
    api.mkdir(f"{base}/d")
    r = api.call(f"{base}/d", "rename", REPLACE, params={"dst": f"{base}/d/sub"})
    api.error(r, "INVALID_ARGUMENT", f"Cannot rename because {base}/d is a prefix of {base}/d/sub")
    r = api.call(f"{base}/a", "rename", REPLACE, params={"dst": f"{base}/file/b"})
    api.error(
        r,
        "INVALID_ARGUMENT",
        f"Traversal failed for path {base}/file/b. Component 2(file) is a file, not a directory.",
    )
    assert api.ls(base) == ["a", "d", "file"]


def test_rename_with_overwrite_bad_bodies(api: Api, base: str) -> None:
    api.put(f"{base}/a", b"a")
    api.put(f"{base}/b", b"b")
    r = api.call(
        f"{base}/a",
        "rename",
        {"s3SyntaxOptions": {"overwrite": "yes"}},
        params={"dst": f"{base}/b"},
    )
    assert r.status_code == 400
    assert r.text.startswith(
        'Cannot deserialize value of type `boolean` from String "yes": only "true"/"True"/'
        '"TRUE" or "false"/"False"/"FALSE" recognized'
    ), r.text
    r = api.call(f"{base}/a", "rename", {"s3SyntaxOptions": {"x": 1}}, params={"dst": f"{base}/b"})
    assert r.status_code == 400
    assert r.text.startswith(
        'Unrecognized field "x" (class alluxio.grpc.S3SyntaxOptions$Builder), not marked as '
        "ignorable"
    ), r.text
    assert api.get(f"{base}/b") == b"b"


def test_rename_with_overwrite_onto_a_mount_point(api: Api, base: str, local_dir: Path) -> None:
    (local_dir / "keep").write_bytes(b"keep")
    api.ok(f"{base}/mnt", "mount", params={"src": str(local_dir)})
    api.put(f"{base}/a", b"a")
    r = api.call(f"{base}/a", "rename", REPLACE, params={"dst": f"{base}/mnt"})
    api.error(r, "INVALID_ARGUMENT", f"Renaming {base}/a to {base}/mnt is a cross mount operation")
    assert api.ls(f"{base}/mnt") == ["keep"]
    assert (local_dir / "keep").read_bytes() == b"keep"
    api.ok(f"{base}/mnt", "unmount")


def test_rename_with_overwrite_onto_a_directory_holding_a_mount_point(
    api: Api, base: str, local_dir: Path
) -> None:
    """The directory goes and its mount with it; the mounted data stays where it is."""
    (local_dir / "keep").write_bytes(b"keep")
    api.mkdir(f"{base}/holder")
    api.ok(f"{base}/holder/m", "mount", params={"src": str(local_dir)})
    assert api.ls(f"{base}/holder/m") == ["keep"]
    api.put(f"{base}/a", b"a")
    api.ok(f"{base}/a", "rename", REPLACE, params={"dst": f"{base}/holder"})
    assert api.get(f"{base}/holder") == b"a"
    assert (local_dir / "keep").read_bytes() == b"keep"
    api.error(
        api.call(f"{base}/holder/m", "get-status"),
        "INVALID_ARGUMENT",
        f"Traversal failed for path {base}/holder/m. Component 2(holder) is a file, not a "
        "directory.",
    )
    api.ok(f"{base}/holder", "delete")
    api.mkdir(f"{base}/holder")
    api.ok(f"{base}/holder/m", "mount", params={"src": str(local_dir)})
    assert api.ls(f"{base}/holder/m") == ["keep"]
    api.ok(f"{base}/holder/m", "unmount")


def test_rename_with_overwrite_onto_an_ancestor_is_refused(embedded_proxy_url: str) -> None:
    """Deliberate difference: a 2.9.6 master accepts replacing an ancestor of the source,
    then died (fatal journal error: NoSuchElementException in
    InodeTreePersistentState.applyRename) or hung with every later request on the path; the
    embedded proxy refuses, changing nothing."""
    api = Api(embedded_proxy_url)
    try:
        api.mkdir("/ancestor/d", recursive=True)
        api.put("/ancestor/d/f", b"f")
        r = api.call("/ancestor/d/f", "rename", REPLACE, params={"dst": "/ancestor"})
        api.error(
            r,
            "INVALID_ARGUMENT",
            "Cannot rename because /ancestor is a prefix of /ancestor/d/f, and replacing it "
            "would remove the source",
        )
        assert api.get("/ancestor/d/f") == b"f"
    finally:
        api.close()


def test_create_file_with_overwrite(api: Api, base: str) -> None:
    path = f"{base}/f"
    api.put(path, b"old")
    sid = api.create(path, {"overwrite": True})
    # The old file is gone at once: until closed, the path is the new, incomplete file.
    info = api.status(path)
    assert (info["completed"], info["length"]) == (False, 0)
    assert api.stream(sid, "write", content=b"new!").json() == 4
    assert api.stream(sid, "close").status_code == 200
    assert api.get(path) == b"new!"
    api.mkdir(f"{base}/d")
    api.put(f"{base}/d/x", b"x")
    for directory in (f"{base}/d", base):
        api.error(
            api.call(directory, "create-file", {"overwrite": True}),
            "ALREADY_EXISTS",
            f"{directory} already exists. Directories cannot be overwritten with create",
        )
    assert api.ls(f"{base}/d") == ["x"]


def test_1x_has_neither(proxy_v1_url: str, workdir: str) -> None:
    api = Api(proxy_v1_url)
    try:
        api.mkdir(workdir)
        api.put(f"{workdir}/a", b"a")
        api.put(f"{workdir}/b", b"b")
        r = api.call(f"{workdir}/a", "rename", REPLACE, params={"dst": f"{workdir}/b"})
        assert r.status_code == 400
        assert r.text.startswith(
            'Unrecognized field "s3SyntaxOptions" (class '
            "alluxio.client.file.options.RenameOptions), not marked as ignorable (one known "
            'property: "commonOptions"])'
        ), r.text
        r = api.call(f"{workdir}/b", "create-file", {"overwrite": True})
        assert r.status_code == 400
        assert r.text.startswith(
            'Unrecognized field "overwrite" (class alluxio.client.file.options.CreateFileOptions),'
            " not marked as ignorable (9 known properties: "
        ), r.text
        assert sorted(api.ls(workdir)) == ["a", "b"]
        assert api.get(f"{workdir}/b") == b"b"
    finally:
        api.close()


def test_1x_clients_replace_by_delete_then_rename(proxy_v1_url: str, tmp_path: Path) -> None:
    """The client's replacement on 1.x (no replacing rename there): works on both servers."""
    with alluxio.Client.from_url(proxy_v1_url, dialect="1.x", timeout=120) as client:
        base = f"/v1-{uuid.uuid4().hex[:10]}"
        client.create_directory(base)
        client.write_bytes(f"{base}/f", b"old")
        client.write_bytes(f"{base}/f", b"new", overwrite=True)
        assert client.read_bytes(f"{base}/f") == b"new"
        (tmp_path / "f").write_bytes(b"newer")
        assert client.upload(tmp_path / "f", f"{base}/f", overwrite=True) == f"{base}/f"
        assert client.read_bytes(f"{base}/f") == b"newer"
        assert client.ls(base) == ["f"]
