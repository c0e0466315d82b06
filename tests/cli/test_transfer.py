"""``put``/``get`` and ``Client.upload``/``Client.download``: trees, parallelism, checksums,
overwrite rules, and atomicity when a transfer fails half-way."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

import alluxio
from alluxio import _transfer
from alluxio.exceptions import AlreadyExistsError, HTTPError, NotFoundError
from alluxio.server import EmbeddedProxy
from tests.cli.conftest import Cli, CuttingRelay


def make_tree(root: Path) -> dict[str, str]:
    """A local tree with nested, empty and zero-byte entries; returns {relative: sha256}."""
    files = {
        "top.txt": b"top level\n",
        "empty.bin": b"",
        "a/big.bin": os.urandom(5 * 1024 * 1024 + 17),
        "a/b/c/deep.txt": b"deep\n" * 1000,
        **{f"many/f{i:02d}.dat": os.urandom(1000 + i) for i in range(20)},
    }
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "a" / "empty-dir").mkdir()
    return {relative: hashlib.sha256(data).hexdigest() for relative, data in files.items()}


def local_digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


def remote_digests(client: alluxio.Client, top: str) -> dict[str, str]:
    infos = client.list_status(top, alluxio.option.ListStatus(recursive=True))
    return {
        info.path[len(top) + 1 :]: hashlib.sha256(client.read_bytes(info.path)).hexdigest()
        for info in infos
        if not info.folder
    }


def remote_paths(client: alluxio.Client, top: str = "/") -> list[str]:
    infos = client.list_status(top, alluxio.option.ListStatus(recursive=True))
    return sorted(info.path for info in infos)


def assert_no_temporaries(client: alluxio.Client, local: Path | None = None) -> None:
    leftovers = [p for p in remote_paths(client) if _transfer.UPLOAD_TEMP_MARKER in p]
    assert leftovers == []
    if local is not None:
        assert [p for p in local.rglob("*") if _transfer.DOWNLOAD_TEMP_MARKER in p.name] == []


# -- round trips ------------------------------------------------------------------------------


@pytest.mark.parametrize("threads", ["1", "4"])
def test_put_get_tree_round_trip_with_checksums(
    cli: Cli, client: alluxio.Client, tmp_path: Path, threads: str
) -> None:
    digests = make_tree(tmp_path / "tree")

    put = cli("put", "-t", threads, "tree", "/")
    assert (put.code, put.out, put.err) == (0, "", "")
    assert remote_digests(client, "/tree") == digests
    assert client.get_status("/tree/a/empty-dir").folder

    get = cli("get", "-t", threads, "/tree", "copy")
    assert (get.code, get.out, get.err) == (0, "", "")
    assert local_digests(tmp_path / "copy") == digests
    assert (tmp_path / "copy" / "a" / "empty-dir").is_dir()
    assert_no_temporaries(client, tmp_path / "copy")


def test_put_get_single_files_and_naming(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_bytes(b"one")
    (tmp_path / "two.txt").write_bytes(b"two")
    client.create_directory("/dir")

    assert cli("put", "one.txt", "/renamed.txt").code == 0  # a new name
    assert cli("put", "one.txt", "/dir").code == 0  # into an existing directory
    assert cli("put", "two.txt", "/made/by/put/").code == 0  # trailing slash: a directory
    assert cli("put", "one.txt", "two.txt", "/dir/sub/").code == 0  # several sources
    assert client.read_bytes("/renamed.txt") == b"one"
    assert client.read_bytes("/dir/one.txt") == b"one"
    assert client.read_bytes("/made/by/put/two.txt") == b"two"
    assert client.ls("/dir/sub") == ["one.txt", "two.txt"]

    (tmp_path / "out").mkdir()
    assert cli("get", "/renamed.txt", "local.txt").code == 0
    assert cli("get", "/dir/one.txt", "/dir/sub/two.txt", "out").code == 0
    assert (tmp_path / "local.txt").read_bytes() == b"one"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["one.txt", "two.txt"]
    assert (tmp_path / "local.txt").stat().st_mode & 0o777 == 0o666 & ~_transfer._umask()


def test_several_sources_need_a_directory(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"a")
    client.write_bytes("/file", b"x")
    put = cli("put", "a", "a", "/file")
    assert put.code == 1
    assert "is not a directory" in put.err
    get = cli("get", "/file", "/file", "nodir")
    assert get.code == 1
    assert "is not a directory" in get.err


# -- overwrite rules --------------------------------------------------------------------------


def test_put_refuses_to_overwrite_without_force(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    (tmp_path / "f.txt").write_bytes(b"new")
    client.write_bytes("/f.txt", b"old")
    refused = cli("put", "f.txt", "/f.txt")
    assert refused.code == 1
    assert refused.err.startswith("alluxio-py: put f.txt: ALREADY_EXISTS: ")
    assert refused.err.rstrip().endswith("(use --force to overwrite)")
    assert refused.err.count("\n") == 1
    assert client.read_bytes("/f.txt") == b"old"

    assert cli("put", "--force", "f.txt", "/f.txt").code == 0
    assert client.read_bytes("/f.txt") == b"new"
    assert_no_temporaries(client)


def test_put_force_merges_into_an_existing_tree(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    digests = make_tree(tmp_path / "tree")
    client.create_directory("/tree/a", alluxio.option.CreateDirectory(recursive=True))
    client.write_bytes("/tree/top.txt", b"stale")
    client.write_bytes("/tree/only-remote.txt", b"kept")

    assert cli("put", "tree", "/").code == 1
    assert client.read_bytes("/tree/top.txt") == b"stale"

    assert cli("put", "-f", "-t", "3", "tree", "/").code == 0
    merged = remote_digests(client, "/tree")
    assert merged.pop("only-remote.txt") == hashlib.sha256(b"kept").hexdigest()
    assert merged == digests


def test_put_kind_conflicts_are_refused(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "tree" / "x").mkdir(parents=True)
    client.create_directory("/tree")
    client.write_bytes("/tree/x", b"a file where a directory goes")
    result = cli("put", "-f", "tree", "/")
    assert result.code == 1
    assert "ALREADY_EXISTS" in result.err and "/tree/x" in result.err


def test_get_refuses_to_overwrite_without_force(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    client.write_bytes("/g.txt", b"remote")
    (tmp_path / "g.txt").write_bytes(b"local")
    refused = cli("get", "/g.txt", "g.txt")
    assert refused.code == 1
    assert refused.err.startswith("alluxio-py: get /g.txt: ")
    assert "already exists (use --force to overwrite)" in refused.err
    assert (tmp_path / "g.txt").read_bytes() == b"local"

    assert cli("get", "-f", "/g.txt", "g.txt").code == 0
    assert (tmp_path / "g.txt").read_bytes() == b"remote"


def test_transfer_errors_name_the_path(cli: Cli) -> None:
    missing_local = cli("put", "no-such-file", "/x")
    assert missing_local.code == 1
    assert (
        missing_local.err
        == "alluxio-py: put no-such-file: No such file or directory: no-such-file\n"
    )

    missing_remote = cli("get", "/no-such-file", "x")
    assert missing_remote.code == 1
    assert missing_remote.err.startswith("alluxio-py: get /no-such-file: NOT_FOUND: ")

    assert cli("put", "-t", "0", "x", "/x").code == 2
    assert cli("get", "-t", "65", "/x", "x").code == 2


# -- the client API ---------------------------------------------------------------------------


def test_client_upload_download_report_progress(client: alluxio.Client, tmp_path: Path) -> None:
    digests = make_tree(tmp_path / "tree")
    total = sum(p.stat().st_size for p in (tmp_path / "tree").rglob("*") if p.is_file())
    sent: dict[str, int] = {}

    def on_upload(source: str, nbytes: int) -> None:
        sent[source] = sent.get(source, 0) + nbytes

    assert client.upload(tmp_path / "tree", "/up", threads=4, progress=on_upload) == "/up"
    assert sum(sent.values()) == total
    assert len(sent) == len(digests) - 1  # the empty file reports nothing

    received = []
    local = client.download(
        "/up", tmp_path / "down", threads=3, progress=lambda _, n: received.append(n)
    )
    assert local == str(tmp_path / "down")
    assert sum(received) == total
    assert local_digests(tmp_path / "down") == digests


def test_client_transfer_argument_checks(client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"")
    with pytest.raises(ValueError, match="threads"):
        client.upload(tmp_path / "f", "/f", threads=0)
    with pytest.raises(TypeError, match="threads"):
        client.download("/f", tmp_path / "g", threads=True)
    with pytest.raises(ValueError, match="absolute"):
        client.upload(tmp_path / "f", "relative")
    with pytest.raises(NotFoundError):
        client.download("/missing", tmp_path / "g")
    client.write_bytes("/f", b"")
    with pytest.raises(AlreadyExistsError):
        client.upload(tmp_path / "f", "/f")


# -- atomicity --------------------------------------------------------------------------------


def test_failed_upload_leaves_no_partial_file(client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    calls = []

    def explode(_source: str, nbytes: int) -> None:
        calls.append(nbytes)
        if len(calls) == 2:  # after the first MiB went out
            raise RuntimeError("local failure mid-upload")

    with pytest.raises(RuntimeError, match="mid-upload"):
        client.upload(tmp_path / "big.bin", "/dest.bin", progress=explode)
    assert not client.exists("/dest.bin")
    assert remote_paths(client) == []


def test_local_file_vanishing_mid_tree_leaves_no_partial_files(
    client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "tree")
    plan = _transfer.plan_upload(client, tmp_path / "tree", "/tree")
    (tmp_path / "tree" / "many" / "f10.dat").unlink()  # read fails after planning
    with pytest.raises(FileNotFoundError):
        _transfer.run_upload(client, plan, threads=4)
    assert_no_temporaries(client)
    assert not client.exists("/tree/many/f10.dat")
    for path in remote_paths(client, "/tree"):
        info = client.get_status(path)
        if not info.folder:  # whatever was copied is complete
            local = tmp_path / "tree" / path[len("/tree/") :]
            assert info.length == local.stat().st_size


def test_download_cut_mid_way_leaves_no_partial_file(
    cli: Cli,
    client: alluxio.Client,
    tmp_path: Path,
    cutting_relay: Callable[..., CuttingRelay],
) -> None:
    client.write_bytes("/big.bin", os.urandom(4 * 1024 * 1024))
    relay = cutting_relay(256 * 1024)
    result = cli("--proxy", relay.url, "get", "/big.bin", "big.bin")
    assert result.code == 1
    assert result.err.startswith("alluxio-py: get /big.bin: CONNECTION_ERROR: ")
    assert result.err.count("\n") == 1
    assert relay.cuts >= 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("big.bin")] == []


def test_tree_download_cut_mid_way_keeps_only_complete_files(
    client: alluxio.Client, tmp_path: Path, cutting_relay: Callable[..., CuttingRelay]
) -> None:
    digests = make_tree(tmp_path / "tree")
    client.upload(tmp_path / "tree", "/tree", threads=4)
    relay = cutting_relay(1024 * 1024)
    with alluxio.Client.from_url(relay.url) as cut, pytest.raises(HTTPError):
        cut.download("/tree", tmp_path / "copy", threads=2)
    copied = local_digests(tmp_path / "copy")
    assert "a/big.bin" not in copied
    assert all(digests[name] == digest for name, digest in copied.items())
    assert_no_temporaries(client, tmp_path / "copy")


def test_upload_cut_mid_way_leaves_no_partial_file(
    client: alluxio.Client,
    alluxio_proxy: EmbeddedProxy,
    tmp_path: Path,
    cutting_relay: Callable[..., CuttingRelay],
) -> None:
    (tmp_path / "big.bin").write_bytes(os.urandom(4 * 1024 * 1024))
    relay = cutting_relay(512 * 1024, "up")
    with alluxio.Client.from_url(relay.url) as cut, pytest.raises(HTTPError):
        cut.upload(tmp_path / "big.bin", "/big.bin")
    assert relay.cuts >= 1
    assert remote_paths(client) == []


def test_get_needs_the_destination_directory(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/f", b"x")
    client.create_directory("/d")
    for source in ("/f", "/d"):
        result = cli("get", source, "missing/sub/name")
        assert result.code == 1
        assert result.err == f"alluxio-py: get {source}: No such directory: missing/sub\n"


def test_put_of_a_name_that_is_not_utf8_fails_before_copying(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    # Alluxio paths are Unicode; a local name that is not UTF-8 (os.fsdecode gives it a lone
    # surrogate) cannot be uploaded. Refused while planning: nothing is created.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "ok.txt").write_bytes(b"ok")
    try:
        (tree / os.fsdecode(b"bad-\xff.txt")).write_bytes(b"bad")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take names that are not UTF-8")
    result = cli("put", str(tree), "/up")
    assert result.code == 1
    assert "bad-" in result.err and "not valid UTF-8" in result.err
    assert "Traceback" not in result.err
    assert not client.exists("/up")


def test_remote_argument_that_is_not_utf8_is_a_usage_error(cli: Cli) -> None:
    result = cli("ls", os.fsdecode(b"/bad-\xff"))
    assert result.code == 2
    assert "UTF-8" in result.err
