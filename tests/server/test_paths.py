"""The path actions of the embedded proxy, over real HTTP on loopback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from alluxio.server import EmbeddedProxy
from tests.server._api import Api

CORE_KEYS = {
    "blockIds",
    "blockSizeBytes",
    "cacheable",
    "completed",
    "creationTimeMs",
    "fileBlockInfos",
    "fileId",
    "folder",
    "group",
    "inMemoryPercentage",
    "lastModificationTimeMs",
    "length",
    "mode",
    "mountPoint",
    "name",
    "owner",
    "path",
    "persisted",
    "persistenceState",
    "pinned",
    "ttl",
    "ttlAction",
    "ufsPath",
}


# ---------------------------------------------------------------- create-directory


def test_create_directory_is_void_and_visible(api: Api, alluxio_proxy: EmbeddedProxy) -> None:
    r = api.ok("/data", "create-directory")
    assert r.content == b"" and "content-type" not in r.headers
    assert api.ok("/data", "exists").json() is True
    assert api.ok("/nope", "exists").json() is False
    assert (Path(alluxio_proxy.root) / "data").is_dir()
    info = api.status("/data")
    assert info["folder"] is True and info["mode"] == 0o755 and info["name"] == "data"


def test_create_directory_errors_and_options(api: Api) -> None:
    api.error(
        api.call("/a/b", "create-directory"),
        "NOT_FOUND",
        "File /a/b creation failed. Component 1(a) does not exist",
    )
    api.mkdir("/a/b/c", recursive=True)
    assert api.ls("/a") == ["b"]
    api.error(
        api.call("/a/b", "create-directory"),
        "ALREADY_EXISTS",
        "Not allowed to create directory because path already exists: /a/b",
    )
    api.mkdir("/a/b", allowExists=True)
    api.put("/a/f", b"x")
    # allowExists only tolerates directories (2.9.6 takes the file for one, and fails).
    api.error(
        api.call("/a/f", "create-directory", {"allowExists": True}),
        "UNKNOWN",
        "Inode f is not a directory",
    )
    api.error(
        api.call("/a/f/g", "create-directory", {"recursive": True}),
        "INVALID_ARGUMENT",
        "Traversal failed for path /a/f/g. Component 2(f) is a file, not a directory.",
    )
    api.mkdir("/m", mode={"ownerBits": "ALL", "groupBits": "READ", "otherBits": "NONE"})
    assert api.status("/m")["mode"] == 0o740


# ---------------------------------------------------------------- files and streams


def test_write_read_roundtrip_and_fileinfo(api: Api, alluxio_proxy: EmbeddedProxy) -> None:
    sid = api.create("/f.bin")
    assert sid == 1
    assert api.stream(sid, "write", content=b"hello ").json() == 6
    assert api.stream(sid, "write", content=b"world").json() == 5
    # While writing: listed as incomplete, but nothing under the final name on disk.
    info = api.status("/f.bin")
    assert info["completed"] is False and info["length"] == 0
    assert not (Path(alluxio_proxy.root) / "f.bin").exists()
    api.error(
        api.call("/f.bin", "create-file"),
        "ALREADY_EXISTS",
        "/f.bin already exists. If you want to overwrite the file, you need to specify the "
        "overwrite option.",
    )
    api.error(api.call("/f.bin", "open-file"), "UNKNOWN")
    assert api.stream(sid, "close").content == b""
    assert (Path(alluxio_proxy.root) / "f.bin").read_bytes() == b"hello world"
    assert api.get("/f.bin") == b"hello world"

    info = api.status("/f.bin")
    assert set(info) >= CORE_KEYS
    assert {"inAlluxioPercentage", "mountId", "lastAccessTimeMs"} <= set(info)
    assert info["completed"] is True and info["folder"] is False
    assert info["length"] == 11 and info["mode"] == 0o644 and isinstance(info["mode"], int)
    assert info["path"] == "/f.bin" and info["name"] == "f.bin"
    # ASYNC_THROUGH (the default): persisted a few seconds later, as on a real cluster.
    assert info["persisted"] is False and info["persistenceState"] == "TO_BE_PERSISTED"
    assert info["ttl"] == -1 and info["ttlAction"] == "FREE" and info["pinned"] is False
    assert info["blockSizeBytes"] == 64 << 20
    assert len(info["blockIds"]) == 1 and info["fileBlockInfos"][0]["blockInfo"]["length"] == 11
    assert info["fileBlockInfos"][0]["blockInfo"]["blockId"] == info["blockIds"][0]
    assert info["blockIds"][0] >> 24 == info["fileId"] >> 24
    assert info["ufsPath"] == os.path.join(os.path.realpath(alluxio_proxy.root), "f.bin")
    assert info["inAlluxioPercentage"] == 100 and info["mountId"] == 1


def test_blocks_follow_block_size(api: Api) -> None:
    api.put("/blocks", b"z" * 2500, {"blockSizeBytes": 1024})
    info = api.status("/blocks")
    assert info["blockSizeBytes"] == 1024 and info["length"] == 2500
    assert [b["blockInfo"]["length"] for b in info["fileBlockInfos"]] == [1024, 1024, 452]
    assert [b["offset"] for b in info["fileBlockInfos"]] == [0, 1024, 2048]
    assert [b["blockInfo"]["blockId"] for b in info["fileBlockInfos"]] == info["blockIds"]
    assert len(set(info["blockIds"])) == 3
    api.error(api.call("/bad", "create-file", {"blockSizeBytes": 0}), "INVALID_ARGUMENT")


def test_stream_ids_are_one_counter(api: Api) -> None:
    api.put("/one", b"1")
    read_id = api.ok("/one", "open-file").json()
    write_id = api.create("/two")
    assert (read_id, write_id) == (2, 3)
    # A read stream is not a write stream and the other way round.
    api.error(api.stream(read_id, "write", content=b"x"), "INTERNAL", "stream does not exist")
    # Read errors cannot be written as octet-stream: Jersey's bare 500 text instead.
    for r in (api.stream(write_id, "read"), api.stream(99, "read")):
        assert r.status_code == 500 and r.text == "HTTP 500 Internal Server Error"
        assert r.headers["content-type"] == "application/octet-stream"
    api.error(api.stream(99, "write", content=b"x"), "INTERNAL", "stream does not exist")
    assert api.stream(read_id, "close").status_code == 200
    api.error(api.stream(read_id, "close"), "INTERNAL", "stream does not exist")
    assert api.stream(write_id, "close").status_code == 200
    # A non-integer id is Jersey's 404, reported as a bare 500.
    api.error(api.stream(0, "close"), "INTERNAL")
    r = api.http.post("/api/v1/streams/abc/read")
    assert r.status_code == 500 and r.text == "HTTP 404 Not Found"


def test_create_file_errors(api: Api) -> None:
    api.error(
        api.call("/no/such/file", "create-file"),
        "NOT_FOUND",
        "File /no/such/file creation failed. Component 1(no) does not exist",
    )
    sid = api.create("/deep/er/file", {"recursive": True})
    api.stream(sid, "close")
    assert api.ok("/deep/er/file", "exists").json() is True
    api.mkdir("/dir")
    api.error(api.call("/dir", "create-file"), "ALREADY_EXISTS")
    api.error(
        api.call("/dir", "create-file", {"overwrite": True}),
        "ALREADY_EXISTS",
        "/dir already exists. Directories cannot be overwritten with create",
    )
    api.error(api.call("/", "create-file"), "ALREADY_EXISTS")


def test_create_file_options_are_reported(api: Api) -> None:
    opts = {
        "mode": {"ownerBits": "READ_WRITE", "groupBits": "NONE", "otherBits": "NONE"},
        "commonOptions": {"ttl": 60000, "ttlAction": "FREE"},
        "writeType": "MUST_CACHE",
        "replicationMax": 2,
    }
    api.put("/opts", b"abc", opts)
    info = api.status("/opts")
    assert info["mode"] == 0o600
    assert info["ttl"] == 60000 and info["ttlAction"] == "FREE"
    assert info["persisted"] is False and info["persistenceState"] == "NOT_PERSISTED"
    assert info["replicationMax"] == 2


def test_open_file_errors(api: Api) -> None:
    api.error(api.call("/missing", "open-file"), "NOT_FOUND", 'Path "/missing" does not exist.')
    api.mkdir("/d")
    api.error(
        api.call("/d", "open-file"), "UNKNOWN", "Cannot read from /d because it is a directory"
    )


def test_empty_file_and_second_read(api: Api) -> None:
    api.put("/empty", b"")
    info = api.status("/empty")
    assert info["length"] == 0 and info["blockIds"] == [] and info["completed"] is True
    api.put("/twice", b"abc")
    sid = api.ok("/twice", "open-file").json()
    assert api.stream(sid, "read").content == b"abc"
    # The stream is drained: a second read returns what is left, nothing.
    assert api.stream(sid, "read").content == b""
    api.stream(sid, "close")


def test_download_file(api: Api) -> None:
    api.put("/dl/x y.txt", b"payload", {"recursive": True})
    r = api.http.get("/api/v1/paths//dl/x%20y.txt/download-file")
    assert r.status_code == 200 and r.content == b"payload"
    assert r.headers["content-disposition"] == "attachment; filename=x y.txt"
    assert r.headers["content-type"] == "application/octet-stream"
    for missing in ("/dl/none", "/dl"):
        r = api.http.get(f"/api/v1/paths/{missing}/download-file")
        assert (r.status_code, r.text) == (500, "HTTP 500 Internal Server Error")
        assert r.headers["content-type"] == "application/octet-stream"
    for r in (
        api.http.post("/api/v1/paths//dl/x%20y.txt/download-file"),
        api.http.get("/api/v1/paths//dl/exists"),
    ):
        assert r.status_code == 500 and r.text == "HTTP 405 Method Not Allowed"


# ---------------------------------------------------------------- delete


def test_delete(api: Api, alluxio_proxy: EmbeddedProxy) -> None:
    api.mkdir("/t/sub", recursive=True)
    api.put("/t/sub/f", b"1")
    api.error(
        api.call("/t", "delete"),
        "FAILED_PRECONDITION",
        "Cannot delete non-empty directory t because recursive is set to false",
    )
    r = api.ok("/t/sub/f", "delete")
    assert r.content == b""
    api.ok("/t/sub", "delete")
    api.put("/t/g", b"2")
    api.ok("/t", "delete", {"recursive": True})
    assert not (Path(alluxio_proxy.root) / "t").exists()
    api.error(api.call("/t", "delete"), "NOT_FOUND", 'Path "/t" does not exist.')
    api.error(api.call("/", "delete", {"recursive": True}), "INVALID_ARGUMENT")


def test_delete_file_being_written(api: Api) -> None:
    sid = api.create("/w")
    api.stream(sid, "write", content=b"data")
    api.ok("/w", "delete")
    assert api.ok("/w", "exists").json() is False
    # Closing the orphaned stream succeeds (close errors are only logged by the real proxy).
    assert api.stream(sid, "close").status_code == 200
    assert api.ok("/w", "exists").json() is False


# ---------------------------------------------------------------- rename


def test_rename(api: Api, alluxio_proxy: EmbeddedProxy) -> None:
    api.mkdir("/src/inner", recursive=True)
    api.put("/src/inner/f", b"content")
    file_id = api.status("/src/inner/f")["fileId"]
    api.mkdir("/other")
    r = api.ok("/src/inner/f", "rename", params={"dst": "/other/g"})
    assert r.content == b""
    assert api.get("/other/g") == b"content"
    assert api.status("/other/g")["fileId"] == file_id
    api.ok("/src", "rename", params={"dst": "/moved"})
    assert api.ls("/moved") == ["inner"]
    assert (Path(alluxio_proxy.root) / "moved" / "inner").is_dir()


def test_rename_errors(api: Api) -> None:
    api.mkdir("/a")
    api.put("/a/f", b"1")
    api.put("/a/g", b"2")
    api.error(
        api.call("/a/f", "rename", params={"dst": "/a/g"}),
        "ALREADY_EXISTS",
        "Cannot rename because destination already exists. src: /a/f dst: /a/g",
    )
    api.error(api.call("/a/f", "rename"), "INTERNAL", "required 'dst' parameter is missing")
    api.error(
        api.call("/a/none", "rename", params={"dst": "/a/x"}),
        "NOT_FOUND",
        'Path "/a/none" does not exist.',
    )
    api.error(
        api.call("/a", "rename", params={"dst": "/a/b"}),
        "INVALID_ARGUMENT",
        "Cannot rename because /a is a prefix of /a/b",
    )
    api.error(api.call("/a/f", "rename", params={"dst": "/zz/f"}), "NOT_FOUND")
    api.error(api.call("/a/f", "rename", params={"dst": "relative"}), "INVALID_ARGUMENT")
    api.error(api.call("/", "rename", params={"dst": "/x"}), "INVALID_ARGUMENT")


def test_rename_file_being_written(api: Api) -> None:
    sid = api.create("/before")
    api.stream(sid, "write", content=b"abc")
    api.ok("/before", "rename", params={"dst": "/after"})
    api.stream(sid, "close")
    assert api.get("/after") == b"abc"
    assert api.ok("/before", "exists").json() is False


# ---------------------------------------------------------------- list-status


def test_list_status(api: Api) -> None:
    api.mkdir("/l/b/deep", recursive=True)
    api.put("/l/c", b"c")
    api.put("/l/a", b"a")
    infos = api.ok("/l", "list-status").json()
    assert [i["name"] for i in infos] == ["a", "b", "c"]
    assert [i["path"] for i in infos] == ["/l/a", "/l/b", "/l/c"]
    assert all(set(i) >= CORE_KEYS for i in infos)
    rec = api.ok("/l", "list-status", {"recursive": True}).json()
    assert [i["path"] for i in rec] == ["/l/a", "/l/b", "/l/b/deep", "/l/c"]
    # A file lists as itself.
    assert [i["path"] for i in api.ok("/l/a", "list-status").json()] == ["/l/a"]
    api.error(api.call("/l/none", "list-status"), "NOT_FOUND", 'Path "/l/none" does not exist.')
    # The state directory never shows.
    assert api.ls("/") == ["l"]
    root = api.status("/")
    assert root["path"] == "/" and root["name"] == "" and root["mountPoint"] is False


def test_list_status_load_metadata_type(api: Api) -> None:
    api.mkdir("/x")
    assert api.ls("/", loadMetadataType="ALWAYS") == ["x"]
    r = api.call("/", "list-status", {"loadMetadataType": "Always"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert 'String "Always"' in r.text


# ---------------------------------------------------------------- set-attribute, free


def test_set_attribute(api: Api) -> None:
    api.mkdir("/s/t", recursive=True)
    api.put("/s/t/f", b"x")
    r = api.ok(
        "/s",
        "set-attribute",
        {
            "owner": "daemon",
            "group": "daemon",
            "mode": {"ownerBits": "ALL", "groupBits": "READ_EXECUTE", "otherBits": "NONE"},
            "pinned": True,
            "recursive": True,
            "commonOptions": {"ttl": 5000, "ttlAction": "DELETE"},
        },
    )
    assert r.content == b""
    for p in ("/s", "/s/t", "/s/t/f"):
        info = api.status(p)
        assert (info["owner"], info["group"], info["mode"]) == ("daemon", "daemon", 0o750)
        assert info["pinned"] is True and info["ttl"] == 5000
    # As on the real proxy: owner and group together must be a membership the OS knows.
    refused = api.call("/s", "set-attribute", {"owner": "alice", "group": "staff"})
    api.error(refused, "UNKNOWN")
    assert "Owner alice does not belong to the group staff" in refused.text
    api.ok("/s/t/f", "set-attribute", {"pinned": False})
    assert api.status("/s/t/f")["pinned"] is False
    assert api.status("/s/t")["pinned"] is True
    api.error(api.call("/none", "set-attribute", {"pinned": True}), "NOT_FOUND")
    # 2.x has ttl only inside commonOptions.
    r = api.call("/s", "set-attribute", {"ttl": 5})
    assert r.status_code == 400 and 'Unrecognized field "ttl"' in r.text


def test_free(api: Api) -> None:
    api.mkdir("/fr")
    api.put("/fr/a", b"aaaa", {"writeType": "CACHE_THROUGH"})
    api.put("/fr/pinned", b"p", {"writeType": "CACHE_THROUGH"})
    api.ok("/fr/pinned", "set-attribute", {"pinned": True})
    api.error(api.call("/fr", "free"), "UNKNOWN")
    api.error(
        api.call("/fr", "free", {"recursive": True}),
        "UNKNOWN",
        "Cannot free file /fr/pinned which is pinned. Please unpin it first or set the "
        '"forced" flag of free operation to true',
    )
    api.ok("/fr", "free", {"recursive": True, "forced": True})
    info = api.status("/fr/a")
    assert info["inAlluxioPercentage"] == 0 and info["inMemoryPercentage"] == 0
    assert info["fileBlockInfos"][0]["blockInfo"]["locations"] == []
    # Reading with the default read type caches the file again.
    assert api.get("/fr/a") == b"aaaa"
    assert api.status("/fr/a")["inAlluxioPercentage"] == 100
    api.error(api.call("/fr/none", "free"), "NOT_FOUND")
    api.put("/fr/cache-only", b"c", {"writeType": "MUST_CACHE"})
    api.error(
        api.call("/fr/cache-only", "free"),
        "UNKNOWN",
        "Cannot free file /fr/cache-only which is not persisted",
    )


# ---------------------------------------------------------------- mount / unmount


@pytest.mark.parametrize("scheme", ["", "file://"])
def test_mount_and_unmount(api: Api, tmp_path: Path, scheme: str) -> None:
    ufs = tmp_path / "ufs"
    (ufs / "sub").mkdir(parents=True)
    (ufs / "sub" / "existing.txt").write_bytes(b"from ufs")
    r = api.ok("/mnt", "mount", params={"src": f"{scheme}{ufs}"})
    assert r.content == b""
    info = api.status("/mnt")
    assert info["mountPoint"] is True and info["folder"] is True and info["mountId"] != 1
    assert info["ufsPath"] == f"{scheme}{ufs}"
    assert api.ls("/mnt") == ["sub"]
    assert api.get("/mnt/sub/existing.txt") == b"from ufs"
    assert api.status("/mnt/sub/existing.txt")["ufsPath"] == f"{scheme}{ufs}/sub/existing.txt"
    api.put("/mnt/new.txt", b"into ufs")
    assert (ufs / "new.txt").read_bytes() == b"into ufs"
    api.error(api.call("/mnt/new.txt", "rename", params={"dst": "/elsewhere"}), "INVALID_ARGUMENT")
    r = api.ok("/mnt", "unmount")
    assert r.content == b""
    assert api.ok("/mnt", "exists").json() is False
    # Unmounting leaves the mounted data alone.
    assert (ufs / "new.txt").read_bytes() == b"into ufs"


def test_read_only_mount_refuses_writes(api: Api, tmp_path: Path) -> None:
    ufs = tmp_path / "ro"
    ufs.mkdir()
    (ufs / "keep").write_bytes(b"k")
    api.ok(
        "/ro",
        "mount",
        {"readOnly": True, "properties": {"secret": "s3cr3t"}},
        params={"src": str(ufs)},
    )
    assert api.get("/ro/keep") == b"k"
    for r in (
        api.call("/ro/new", "create-file"),
        api.call("/ro/dir", "create-directory"),
        api.call("/ro/keep", "delete"),
        api.call("/ro/keep", "rename", params={"dst": "/ro/other"}),
    ):
        msg = api.error(r, "PERMISSION_DENIED")
        assert "readonly mount point /ro" in msg and "s3cr3t" not in msg
    assert (ufs / "keep").read_bytes() == b"k"
    assert sorted(p.name for p in ufs.iterdir()) == ["keep"]


def test_mount_errors(api: Api, tmp_path: Path) -> None:
    ufs = tmp_path / "m"
    ufs.mkdir()
    api.error(api.call("/m", "mount"), "INTERNAL", "required 'src' parameter is missing")
    api.mkdir("/taken")
    # A 2.9 master answers mount failures with UNKNOWN and the mount command in front.
    context = (
        "MountContext{ProtoOptions=readOnly: false\nshared: false\ncommonOptions {\n"
        "  ttl: -1\n  ttlAction: FREE\n}\n}"
    )
    api.error(
        api.call("/taken", "mount", params={"src": str(ufs)}),
        "UNKNOWN",
        f"mount command: alluxio fs mount /taken {ufs} option {context}\n"
        "Mount point target path /taken already exists in Alluxio namespace. Try mounting to "
        "another path.",
    )
    msg = api.error(api.call("/no/parent", "mount", params={"src": str(ufs)}), "UNKNOWN")
    assert msg.endswith(
        f"\nFailed to mount {ufs} at /no/parent: \n"
        "File /no/parent creation failed. Component 1(no) does not exist"
    )
    absent = tmp_path / "absent"
    r = api.call("/m", "mount", {"properties": {"k": "v3ry-s3cret"}}, params={"src": str(absent)})
    msg = api.error(r, "UNKNOWN")
    assert msg.startswith(f"mount command: alluxio fs mount /m {absent} option MountContext{{")
    assert 'properties {\n  key: "k"\n  value: "<hidden>"\n}' in msg
    assert re.search(r"\nAcquired mount ID for the new mount point: \d+\n", msg)
    assert msg.endswith(f"\nUfs path {absent} does not exist")
    assert "v3ry-s3cret" not in msg
    api.error(api.call("/m", "mount", params={"src": "hdfs://nn/x"}), "INVALID_ARGUMENT")
    api.ok("/m", "mount", params={"src": str(ufs)})
    msg = api.error(api.call("/m2", "mount", params={"src": str(ufs)}), "UNKNOWN")
    assert msg.endswith(f"\nMount point {ufs} is a prefix of {ufs}")
    api.error(
        api.call("/none", "unmount"),
        "NOT_FOUND",
        "Failed to unmount: Path /none does not exist",
    )
    api.error(
        api.call("/taken", "unmount"),
        "INVALID_ARGUMENT",
        "Failed to unmount /taken. Please ensure the path is an existing mount point.",
    )
    api.error(
        api.call("/", "unmount"),
        "INVALID_ARGUMENT",
        "Failed to unmount /. Please ensure the path is an existing mount point and not root.",
    )


def test_rename_mount_point(api: Api, tmp_path: Path) -> None:
    ufs = tmp_path / "rm"
    ufs.mkdir()
    (ufs / "f").write_bytes(b"f")
    api.ok("/m1", "mount", params={"src": str(ufs)})
    # A mount point is the root of its mount: moving it crosses mounts, as a real master says.
    api.error(
        api.call("/m1", "rename", params={"dst": "/m2"}),
        "INVALID_ARGUMENT",
        "Renaming /m1 to /m2 is a cross mount operation",
    )
    assert api.status("/m1")["mountPoint"] is True
    assert api.get("/m1/f") == b"f"
    api.ok("/m1", "unmount")


# ---------------------------------------------------------------- paths and bodies


def test_path_parameter_handling(api: Api) -> None:
    # Relative and empty paths are invalid, as AlluxioURI("x") is to the master...
    for raw in ("rel", "", "rel/sub"):
        for action in ("get-status", "list-status", "create-directory"):
            r = api.http.post(f"/api/v1/paths/{raw}/{action}")
            api.error(r, "INVALID_ARGUMENT", f'Path "{raw}" is invalid.')
        # ... except for exists, which answers false.
        assert api.http.post(f"/api/v1/paths/{raw}/exists").json() is False
    # Percent-decoding, %2F included; the action is the last segment.
    api.mkdir("/with space")
    assert api.http.post("/api/v1/paths/%2Fwith%20space/exists").json() is True
    api.mkdir("/exists")
    assert api.http.post("/api/v1/paths//exists/exists").json() is True
    api.mkdir("/a")
    api.mkdir("/a%2Fb")  # sent verbatim: the server decodes it to /a/b
    assert api.ls("/a") == ["b"]
    assert api.http.post("/api/v1/paths//x%23y/create-directory").status_code == 200
    assert api.ls("/") == ["a", "exists", "with space", "x#y"]
    # Double slashes collapse like AlluxioURI normalisation.
    assert api.http.post("/api/v1/paths///exists//exists").json() is True
    assert api.http.post("/api/v1/paths/exists").text == "HTTP 404 Not Found"
    # Query values decode "+" as a space (form encoding), path segments do not.
    api.mkdir("/p+q")
    r = api.http.post("/api/v1/paths//p+q/rename?dst=%2Fa%20b%2Bc+d")
    assert r.status_code == 200
    assert "a b+c d" in api.ls("/")
    # Jersey drops matrix parameters; AlluxioURI ends the path at a decoded "?".
    api.mkdir("/s;t")
    api.mkdir("/q%3Fx")
    assert {"s", "q"} <= set(api.ls("/"))
    api.mkdir("/u%3Bv")
    assert "u;v" in api.ls("/")


def test_paths_never_escape_the_root(
    api: Api, alluxio_proxy: EmbeddedProxy, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_bytes(b"secret")
    for raw in (
        "/%2E%2E/outside/secret",
        "/a/%2E%2E/%2E%2E/outside",
        "/.alluxio-proxy/state.sqlite3",
    ):
        r = api.http.post(f"/api/v1/paths/{raw}/get-status")
        api.error(r, "INVALID_ARGUMENT")
    os.symlink(outside, Path(alluxio_proxy.root) / "link")
    api.error(api.call("/link/secret", "open-file"), "PERMISSION_DENIED")
    api.error(api.call("/link/new", "create-file"), "PERMISSION_DENIED")
    # A symlink leading out of the root is not part of the namespace at all.
    assert "link" not in api.ls("/")
    # Symlinks that stay inside are followed.
    api.put("/target", b"t")
    os.symlink(Path(alluxio_proxy.root) / "target", Path(alluxio_proxy.root) / "inner-link")
    assert api.get("/inner-link") == b"t"


def test_bad_bodies_are_400_plain_text(api: Api) -> None:
    cases = [
        (b"{not json", "create-directory"),
        (b'{"ttl": 100}', "create-file"),
        (b'{"recursive": "yes"}', "delete"),
        (b'{"loadMetadataType": "Never"}', "get-status"),
        (
            b'{"mode": {"ownerBits": "RWX", "groupBits": "READ", "otherBits": "READ"}}',
            "create-directory",
        ),
        (b"[1, 2]", "exists"),
        (b"[]", "list-status"),
        (b'{"blockSizeBytes": "many"}', "create-file"),
    ]
    for content, action in cases:
        r = api.call("/bodies", action, content=content)
        assert r.status_code == 400, (content, r.text)
        assert r.headers["content-type"].startswith("text/plain")
    # An empty body and a JSON null both mean "defaults".
    api.ok("/bodies", "create-directory", content=b"")
    api.ok("/bodies", "exists", content=b"null")
    r = api.call("/bodies", "exists", content=b"{" + b'"a":1,' * 200_000 + b"}")
    assert r.status_code == 413
    # Jackson's default coercions: "true" for a boolean, floats and strings for integers.
    api.ok("/coerced", "create-directory", content=b'{"recursive": "true"}')
    api.put("/coerced/f", b"x", {"blockSizeBytes": "2048"})
    assert api.status("/coerced/f")["blockSizeBytes"] == 2048
    # A Mode missing bits fails after binding: a bare 500 message, not the envelope.
    r = api.call("/m.bin", "create-file", content=b'{"mode":{"ownerBits":"ALL"}}')
    assert (
        r.status_code == 500 and r.text == "Message missing required fields: groupBits, otherBits"
    )


def test_jersey_level_failures_are_bare_500s(api: Api) -> None:
    # Routing and media-type failures: HTTP 500 with Jersey's text, never the JSON envelope.
    cases = [
        (api.http.get("/api/v1/paths//x/exists"), "HTTP 405 Method Not Allowed"),
        (api.http.get("/api/v1/streams/1/read"), "HTTP 405 Method Not Allowed"),
        (api.http.post("/api/v1/nothing"), "HTTP 404 Not Found"),
        (api.http.post("/api/v1/paths//x/unknown-action"), "HTTP 404 Not Found"),
        (
            api.http.post(
                "/api/v1/paths//x/list-status",
                content=b"{}",
                headers={"content-type": "text/plain"},
            ),
            "HTTP 415 Unsupported Media Type",
        ),
        (
            api.http.post("/api/v1/paths//x/list-status", content=b"{}"),
            "HTTP 415 Unsupported Media Type",
        ),
        (
            api.http.post(
                "/api/v1/streams/1/write",
                content=b"x",
                headers={"content-type": "application/json"},
            ),
            "HTTP 415 Unsupported Media Type",
        ),
        (
            api.http.post(
                "/api/v1/streams/1/close",
                content=b"x",
                headers={"content-type": "application/octet-stream"},
            ),
            "HTTP 415 Unsupported Media Type",
        ),
    ]
    for r, text in cases:
        assert (r.status_code, r.text) == (500, text)
    # Outside the REST servlet the web server answers a plain 404 page; OPTIONS is refused.
    assert api.http.get("/api/v2/x").status_code == 404
    assert api.http.options("/api/v1/proxy/info").status_code == 403


def test_proxy_info(api: Api) -> None:
    r = api.http.get("/api/v1/proxy/info")
    assert r.status_code == 200
    info = r.json()
    assert set(info) == {"configuration", "startTimeMs", "uptimeMs", "version"}
    assert info["version"].startswith("2.") and info["uptimeMs"] >= 0
    assert info["configuration"]["alluxio.proxy.stream.cache.timeout"] == "1hour"
    assert isinstance(info["configuration"]["alluxio.proxy.web.port"], int)
