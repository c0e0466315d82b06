"""``alluxio-py sync`` in both directions against the embedded proxy: what is copied, skipped,
excluded and deleted, dry runs, and what a careless user runs into (a file as destination,
empty trees, symbolic links, a file written while it is sent)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import alluxio
from alluxio import _transfer as transfer
from alluxio.server import EmbeddedProxy

from .conftest import Cli

HOUR_NS = 3600 * 10**9


def make_tree(top: Path, files: dict[str, bytes]) -> Path:
    for relative, data in files.items():
        path = top / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return top


def put(client: alluxio.Client, path: str, data: bytes) -> None:
    """Write an Alluxio file, its parents created, replacing what was there."""
    if client.exists(path):
        client.delete(path)
    client.write_bytes(path, data, alluxio.option.CreateFile(recursive=True))


def remote_files(client: alluxio.Client, top: str) -> dict[str, bytes]:
    prefix = top.rstrip("/") + "/"
    infos = client.list_status(top, alluxio.option.ListStatus(recursive=True))
    return {
        info.path[len(prefix) :]: client.read_bytes(info.path) for info in infos if not info.folder
    }


def local_files(top: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(top)): p.read_bytes()
        for p in sorted(top.rglob("*"))
        if p.is_file() or p.is_symlink()
    }


def plan_of(cli: Cli, *args: str) -> list[str]:
    result = cli("sync", "--dry-run", *args)
    assert result.code == 0, result.err
    return result.out.splitlines()


def test_upload_sends_only_what_is_missing_or_changed(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    files = {"a.txt": b"alpha", "sub/b.bin": b"\x00" * 1000, "sub/deep/c": b"c"}
    make_tree(tmp_path / "src", files)
    first = cli("sync", "src", "alluxio:/up")
    assert first.code == 0, first.err
    assert remote_files(client, "/up") == files
    assert plan_of(cli, "src", "alluxio:/up") == [
        "(dry run) sync: 0 files to copy (0 B), 3 unchanged, 0 to delete"
    ]
    # A file written again (same size, newer) and one of another size are sent again.
    (tmp_path / "src" / "a.txt").write_bytes(b"ALPHA")
    (tmp_path / "src" / "sub" / "deep" / "c").write_bytes(b"cc")
    assert plan_of(cli, "src", "alluxio:/up") == [
        "(dry run) upload: src/a.txt to alluxio:/up/a.txt",
        "(dry run) upload: src/sub/deep/c to alluxio:/up/sub/deep/c",
        "(dry run) sync: 2 files to copy (7 B), 1 unchanged, 0 to delete",
    ]
    assert cli("sync", "src", "alluxio:/up").code == 0
    assert client.read_bytes("/up/a.txt") == b"ALPHA"
    assert client.read_bytes("/up/sub/deep/c") == b"cc"


def test_download_gives_files_the_alluxio_time_and_skips_them_next_time(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    put(client, "/down/one", b"1" * 10)
    put(client, "/down/d/two", b"2")
    result = cli("sync", "alluxio:/down", "copy")
    assert result.code == 0, result.err
    assert local_files(tmp_path / "copy") == {"one": b"1" * 10, "d/two": b"2"}
    alluxio_ms = client.get_status("/down/one").last_modification_time_ms
    assert (tmp_path / "copy" / "one").stat().st_mtime_ns == alluxio_ms * 1_000_000
    assert plan_of(cli, "alluxio:/down", "copy")[-1].endswith(
        "0 files to copy (0 B), 2 unchanged, 0 to delete"
    )
    # Rewritten in Alluxio (same size): newer there, so fetched again.
    time.sleep(0.01)
    put(client, "/down/one", b"9" * 10)
    assert (
        plan_of(cli, "alluxio:/down", "copy")[0]
        == "(dry run) download: alluxio:/down/one to copy/one"
    )
    assert cli("sync", "alluxio:/down", "copy").code == 0
    assert (tmp_path / "copy" / "one").read_bytes() == b"9" * 10


def test_checksum_compares_contents_instead_of_times(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "src", {"same": b"same bytes", "differs": b"local vers"})
    assert cli("sync", "src", "alluxio:/ck").code == 0
    put(client, "/ck/differs", b"REMOTE VER")  # same size, newer
    # Newer local times on both: by time both would go; by contents only the one that differs.
    for name in ("same", "differs"):
        os.utime(tmp_path / "src" / name, ns=(time.time_ns() + HOUR_NS,) * 2)
    assert len(plan_of(cli, "src", "alluxio:/ck")) == 3
    assert plan_of(cli, "--checksum", "src", "alluxio:/ck") == [
        "(dry run) upload: src/differs to alluxio:/ck/differs",
        "(dry run) sync: 1 file to copy (10 B), 1 unchanged, 0 to delete",
    ]
    # Older local times: by time nothing goes, by contents the differing file does.
    for name in ("same", "differs"):
        os.utime(tmp_path / "src" / name, ns=(time.time_ns() - HOUR_NS,) * 2)
    assert plan_of(cli, "src", "alluxio:/ck")[-1].endswith(
        "0 files to copy (0 B), 2 unchanged, 0 to delete"
    )
    assert cli("sync", "--checksum", "src", "alluxio:/ck").code == 0
    assert client.read_bytes("/ck/differs") == b"local vers"
    # Downloads too.
    put(client, "/ck/same", b"SAME BYTES")
    os.utime(tmp_path / "src" / "same", ns=(time.time_ns() + HOUR_NS,) * 2)
    assert cli("sync", "--checksum", "alluxio:/ck", "src").code == 0
    assert (tmp_path / "src" / "same").read_bytes() == b"SAME BYTES"


def test_exclude_names_and_paths_on_both_sides(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(
        tmp_path / "src",
        {
            "keep.txt": b"k",
            "junk.tmp": b"j",
            "node_modules/lib/x.js": b"x",
            "logs/2024-01.log": b"old",
            "logs/2025-01.log": b"new",
            "sub/node_modules": b"a file of that name",
        },
    )
    result = cli(
        "sync",
        "src",
        "alluxio:/ex",
        "--exclude",
        "*.tmp",
        "--exclude",
        "node_modules",
        "--exclude",
        "logs/2024*",
    )
    assert result.code == 0, result.err
    assert sorted(remote_files(client, "/ex")) == ["keep.txt", "logs/2025-01.log"]
    assert not client.exists("/ex/node_modules")
    # Excluded destination files are not deleted either.
    put(client, "/ex/remote.tmp", b"r")
    put(client, "/ex/extra", b"e")
    result = cli("sync", "--delete", "--exclude", "*.tmp", "src/logs", "alluxio:/ex")
    assert result.code == 0, result.err
    assert sorted(remote_files(client, "/ex")) == ["2024-01.log", "2025-01.log", "remote.tmp"]
    # A directory the source lacks keeps its excluded entries; the rest of it goes.
    put(client, "/ex/gone/keep.tmp", b"k")
    put(client, "/ex/gone/x", b"x")
    put(client, "/ex/gone/sub/y", b"y")
    assert cli("sync", "--delete", "--exclude", "*.tmp", "src/logs", "alluxio:/ex").code == 0
    assert sorted(remote_files(client, "/ex")) == [
        "2024-01.log",
        "2025-01.log",
        "gone/keep.tmp",
        "remote.tmp",
    ]


def test_delete_removes_what_the_source_lacks_and_dry_run_changes_nothing(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "src", {"a": b"a"})
    put(client, "/del/a", b"a")
    put(client, "/del/gone/x", b"x")
    put(client, "/del/gone/y/z", b"z")
    put(client, "/del/b", b"b")
    lines = plan_of(cli, "--delete", "src", "alluxio:/del")
    assert lines[-3:] == [
        "(dry run) delete: alluxio:/del/b",
        "(dry run) delete: alluxio:/del/gone",
        "(dry run) sync: 0 files to copy (0 B), 1 unchanged, 2 to delete",
    ]
    assert sorted(remote_files(client, "/del")) == ["a", "b", "gone/x", "gone/y/z"]
    assert cli("sync", "--delete", "src", "alluxio:/del").code == 0
    assert remote_files(client, "/del") == {"a": b"a"}
    assert client.ls("/del") == ["a"]
    # Downloads: extra local files and directories go.
    make_tree(tmp_path / "local", {"a": b"a", "old/x": b"x", "old2": b"o"})
    assert cli("sync", "--delete", "alluxio:/del", "local").code == 0
    assert local_files(tmp_path / "local") == {"a": b"a"}
    assert sorted(os.listdir(tmp_path / "local")) == ["a"]


def test_dry_run_of_a_missing_destination_creates_nothing(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "src", {"f": b"f"})
    assert plan_of(cli, "src", "alluxio:/new/deep") == [
        "(dry run) mkdir: alluxio:/new/deep",
        "(dry run) upload: src/f to alluxio:/new/deep/f",
        "(dry run) sync: 1 file to copy (1 B), 0 unchanged, 0 to delete",
    ]
    assert not client.exists("/new")
    put(client, "/r/f", b"f")
    assert plan_of(cli, "alluxio:/r", "fresh")[0] == "(dry run) mkdir: fresh"
    assert not (tmp_path / "fresh").exists()


def test_both_sides_empty(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert cli("sync", "empty", "alluxio:/e").code == 0
    assert client.get_status("/e").folder and client.ls("/e") == []
    assert cli("sync", "--delete", "empty", "alluxio:/e").code == 0
    assert cli("sync", "alluxio:/e", "back").code == 0
    assert os.listdir(tmp_path / "back") == []
    assert plan_of(cli, "alluxio:/e", "back") == [
        "(dry run) sync: 0 files to copy (0 B), 0 unchanged, 0 to delete"
    ]


def test_sync_onto_a_file_or_from_a_file_is_refused(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "src", {"f": b"f"})
    put(client, "/afile", b"x")
    result = cli("sync", "src", "alluxio:/afile")
    assert (result.code, result.err) == (
        1,
        "alluxio-py: sync src: Not a directory: alluxio:/afile\n",
    )
    assert client.read_bytes("/afile") == b"x"
    (tmp_path / "local-file").write_bytes(b"l")
    result = cli("sync", "alluxio:/afile", "x")
    assert result.code == 1
    assert "Not a directory (sync copies a directory; get copies a file)" in result.err
    client.create_directory("/adir")
    result = cli("sync", "alluxio:/adir", "local-file")
    assert result.err == "alluxio-py: sync alluxio:/adir: Not a directory: local-file\n"
    assert (tmp_path / "local-file").read_bytes() == b"l"
    result = cli("sync", "src/f", "alluxio:/adir")
    assert "Not a directory (sync copies a directory; put copies a file): src/f" in result.err
    assert cli("sync", "missing", "alluxio:/adir").err.startswith(
        "alluxio-py: sync missing: No such file or directory"
    )
    # A file where the source has a directory (and the reverse) is reported, not replaced.
    make_tree(tmp_path / "src", {"clash/inner": b"i"})
    put(client, "/c/clash", b"file")
    result = cli("sync", "src", "alluxio:/c")
    assert result.code == 1
    assert "is a file at the destination, a directory here" in result.err
    assert client.read_bytes("/c/clash") == b"file"


def test_a_local_name_alluxio_cannot_take_stops_before_anything_is_sent(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    make_tree(tmp_path / "src", {"fine.txt": b"f", "what?.txt": b"w"})
    result = cli("sync", "src", "alluxio:/q")
    assert result.code == 1
    assert result.err == (
        "alluxio-py: sync src: INVALID_ARGUMENT: destination '/q/what?.txt' has '?' at index 7:"
        " the proxy ends the path there, so the call would act on '/q/what'\n"
    )
    assert not client.exists("/q")
    assert cli("sync", "--exclude", "*[?]*", "src", "alluxio:/q").code == 0
    assert client.ls("/q") == ["fine.txt"]


def test_usage_errors(cli: Cli) -> None:
    both_local = cli("sync", "a", "b")
    assert both_local.code == 2 and "write exactly one side as alluxio:/PATH" in both_local.err
    assert cli("sync", "alluxio:/a", "alluxio:/b").code == 2
    authority = cli("sync", "alluxio://host:19998/data", "x")
    assert authority.code == 2 and "write the Alluxio side as alluxio:/PATH" in authority.err
    assert cli("sync", "alluxio:relative", "x").code == 2
    # alluxio:///PATH is accepted for alluxio:/PATH.
    assert cli("sync", "--dry-run", "alluxio:///nothing-here", "x").code == 1


def test_symbolic_links_in_the_local_trees(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "src", {"real/file": b"data"})
    (src / "link-to-file").symlink_to("real/file")
    (src / "link-to-dir").symlink_to("real")
    (src / "real" / "loop").symlink_to("..")  # a cycle: read once
    (src / "dangling").symlink_to("nowhere")
    result = cli("sync", "src", "alluxio:/ln")
    assert result.code == 0, result.err
    files = remote_files(client, "/ln")
    assert files["link-to-file"] == b"data" and files["link-to-dir/file"] == b"data"
    assert "dangling" not in files and not any("loop/loop" in p for p in files)
    # Downloading onto links replaces the links, never what they point to; --delete removes
    # a link to a directory, not the directory's contents.
    outside = make_tree(tmp_path / "outside", {"victim": b"keep me", "dir/v2": b"keep"})
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "link-to-file").symlink_to(outside / "victim")
    (dest / "extra-link").symlink_to(outside / "dir")
    assert cli("sync", "--delete", "alluxio:/ln", "dest").code == 0
    assert not (dest / "link-to-file").is_symlink()
    assert (dest / "link-to-file").read_bytes() == b"data"
    assert not (dest / "extra-link").exists() and not (dest / "extra-link").is_symlink()
    assert local_files(outside) == {"victim": b"keep me", "dir/v2": b"keep"}


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_continue_on_error_reports_and_skips_deleting(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    src = make_tree(tmp_path / "src", {"a": b"a", "c": b"c"})
    (src / "b").symlink_to("/proc/self/mem")  # a regular file whose read fails (EIO)
    put(client, "/ce/extra", b"e")
    stopped = cli("sync", "-t", "1", "--delete", "src", "alluxio:/ce")
    assert stopped.code == 1 and stopped.err.startswith("alluxio-py: sync alluxio:/ce: ")
    result = cli("sync", "-t", "2", "--delete", "--continue-on-error", "src", "alluxio:/ce")
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith("alluxio-py: sync src/b: ")
    assert lines[-1] == "alluxio-py: sync: 1 of 3 files failed"  # b, c to copy; extra to delete
    # The others went; nothing was deleted since a copy failed.
    assert remote_files(client, "/ce") == {"a": b"a", "c": b"c", "extra": b"e"}


def test_a_file_written_while_it_is_sent_is_not_published(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path
) -> None:
    path = tmp_path / "growing.log"
    path.write_bytes(b"x" * (3 << 20))
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        plan = transfer.TransferPlan("/g", ("/g",), (transfer.FileTask(str(path), "/g/log", None),))

        def append_once(_source: str, _nbytes: int) -> None:
            if path.stat().st_size == 3 << 20:  # after the first chunk went
                with path.open("ab") as out:
                    out.write(b"more")

        with pytest.raises(OSError, match="Changed while it was read") as caught:
            transfer.run_upload(
                client, plan, overwrite=True, progress=append_once, unchanged_sources=True
            )
        assert caught.value.filename == str(path)
        assert client.ls("/g") == []  # neither the file nor its temporary copy
        # Without the check (put), the file is published with what was read.
        path.write_bytes(b"y" * (3 << 20))
        transfer.run_upload(client, plan, overwrite=True, progress=append_once)
        assert client.ls("/g") == ["log"]


def test_rerun_after_an_interruption_sends_the_rest(
    cli: Cli, client: alluxio.Client, tmp_path: Path
) -> None:
    # put of a tree stops at the first existing file; sync resumes it.
    make_tree(tmp_path / "src", {f"f{i}": bytes([i]) * 100 for i in range(6)})
    put(client, "/src/f0", bytes([0]) * 100)  # what an interrupted put had sent
    put(client, "/src/f1", bytes([1]) * 100)
    again = cli("put", "src", "/")
    assert again.code == 1 and "already exists" in again.err
    lines = plan_of(cli, "src", "alluxio:/src")
    assert lines[-1] == "(dry run) sync: 4 files to copy (400 B), 2 unchanged, 0 to delete"
    assert cli("sync", "src", "alluxio:/src").code == 0
    assert len(remote_files(client, "/src")) == 6


def test_summary_line_on_a_terminal(
    alluxio_proxy: EmbeddedProxy, client: alluxio.Client, tmp_path: Path
) -> None:
    from tests.cli.conftest import console_command
    from tests.cli.test_console import run_in_pty, terminal_env

    make_tree(tmp_path / "src", {"a": b"a" * 2048, "b": b"b"})
    put(client, "/sum/b", b"b")
    put(client, "/sum/old", b"o")
    argv = [*console_command(), "sync", "--delete", "src", "alluxio:/sum"]
    status, screen = run_in_pty(argv, tmp_path, terminal_env(alluxio_proxy.url))
    assert status == 0, screen
    assert "sync: 1 file, 2.0 KiB in " in screen
    assert "; 1 unchanged; 1 deleted" in screen
    status, screen = run_in_pty([*argv, "-q"], tmp_path, terminal_env(alluxio_proxy.url))
    assert status == 0 and "sync:" not in screen


def test_sync_both_ways_on_each_server(
    proxy_url: str, workdir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded proxy and (marker real_proxy) Alluxio 2.9.6: times, deletes, excludes."""
    from typer.testing import CliRunner

    from alluxio.cli import app

    monkeypatch.chdir(tmp_path)

    def cli(*args: str) -> list[str]:
        result = CliRunner().invoke(app, list(args), env={"ALLUXIO_PROXY": proxy_url})
        assert result.exit_code == 0, (args, result.stderr)
        return result.stdout.splitlines()

    files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(1 << 20), "skip.tmp": b"t"}
    make_tree(tmp_path / "src", files)
    remote = f"alluxio:{workdir}"
    cli("sync", "--exclude", "*.tmp", "src", remote)
    with alluxio.Client.from_url(proxy_url, timeout=120) as client:
        assert remote_files(client, workdir) == {k: v for k, v in files.items() if k != "skip.tmp"}
        # Unchanged now, by time and by contents.
        summary = "0 files to copy (0 B), 2 unchanged, 0 to delete"
        assert cli("sync", "-n", "--exclude", "*.tmp", "src", remote)[-1].endswith(summary)
        assert cli("sync", "-n", "--checksum", "--exclude", "*.tmp", "src", remote)[-1].endswith(
            summary
        )
        # Down again, then a deletion and a change go up and come back down.
        cli("sync", remote, "copy")
        assert local_files(tmp_path / "copy") == {
            "a.txt": b"alpha",
            "sub/b.bin": files["sub/b.bin"],
        }
        assert cli("sync", "-n", remote, "copy")[-1].endswith(summary)
        (tmp_path / "src" / "sub" / "b.bin").unlink()
        (tmp_path / "src" / "a.txt").write_bytes(b"ALPHA!")
        cli("sync", "--delete", "--exclude", "*.tmp", "src", remote)
        assert remote_files(client, workdir) == {"a.txt": b"ALPHA!"}
        cli("sync", "--delete", remote, "copy")
        assert local_files(tmp_path / "copy") == {"a.txt": b"ALPHA!"}
