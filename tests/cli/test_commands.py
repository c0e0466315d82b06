"""Every ``alluxio-py`` command against the embedded proxy: output, effects, errors, exit codes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

import alluxio
from alluxio.server import EmbeddedProxy
from tests.cli.conftest import Cli

ERROR_LINE = re.compile(r"^alluxio-py: \S+ \S+: [A-Z_]+: .+\n$")


def assert_one_error_line(err: str, command: str, path: str, status: str | None) -> None:
    """Exactly one stderr line: ``alluxio-py: COMMAND PATH: STATUS: message`` (``status``
    None: whatever status the proxy chose)."""
    assert ERROR_LINE.match(err), err
    assert err.startswith(f"alluxio-py: {command} {path}: {status or ''}"), err


# -- ls ---------------------------------------------------------------------------------------


def test_ls_empty_root(cli: Cli) -> None:
    result = cli("ls")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_ls_names_long_human_recursive(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/d/sub", alluxio.option.CreateDirectory(recursive=True))
    client.write_bytes("/d/big.bin", b"x" * 3 * 1024 * 1024)
    client.write_bytes("/d/sub/small.txt", b"hello")

    assert cli("ls", "/d").out == "big.bin\nsub\n"

    long = cli("ls", "-l", "/d").out.splitlines()
    assert len(long) == 2
    assert re.match(
        r"^-rw-r--r--  \S+\s+\S+\s+3145728  \d{4}-\d\d-\d\d \d\d:\d\d  big.bin$", long[0]
    )
    assert long[1].startswith("drwxr-xr-x") and long[1].endswith("  sub")

    human = cli("ls", "-l", "-h", "/d").out
    assert " 3.0M  " in human

    recursive = cli("ls", "-R", "/d").out
    assert recursive == "big.bin\nsub\nsub/small.txt\n"


def test_ls_of_a_file_shows_the_file(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/f.txt", b"abc")
    assert cli("ls", "/f.txt").out == "/f.txt\n"
    assert re.match(r"^-rw-r--r--  .*  3  [-\d]+ [:\d]+  /f.txt\n$", cli("ls", "-l", "/f.txt").out)


def test_ls_json_is_the_file_info_list(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/j")
    client.write_bytes("/j/a", b"12345")
    result = cli("ls", "--json", "/j")
    assert result.code == 0
    entries = json.loads(result.out)
    assert [(e["path"], e["length"], e["folder"]) for e in entries] == [("/j/a", 5, False)]
    assert alluxio.wire.FileInfo.from_json(entries[0]).length == 5


def test_ls_missing_path_is_exit_1_with_one_line(cli: Cli) -> None:
    result = cli("ls", "/nope")
    assert result.code == 1
    assert result.out == ""
    assert_one_error_line(result.err, "ls", "/nope", "NOT_FOUND")
    assert "/nope" in result.err.split(": ", 3)[3]


def test_relative_path_is_a_usage_error(cli: Cli) -> None:
    result = cli("ls", "nope")
    assert result.code == 2
    assert "not an absolute Alluxio path" in result.err


# -- stat -------------------------------------------------------------------------------------


def test_stat_human_and_json(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/s.bin", b"z" * 2048)
    text = cli("stat", "/s.bin")
    assert text.code == 0
    fields = dict(line.split(":", 1) for line in text.out.splitlines())
    assert fields["Path"].strip() == "/s.bin"
    assert fields["Type"].strip() == "file"
    assert fields["Size"].strip() == "2048 (2.0K)"
    assert fields["Mode"].strip() == "-rw-r--r-- (0644)"
    assert fields["TTL"].strip() == "none"

    data = json.loads(cli("stat", "--json", "/s.bin").out)
    assert data["path"] == "/s.bin"
    assert data["length"] == 2048
    assert data["folder"] is False
    assert data["mode"] == 0o644


def test_stat_missing(cli: Cli) -> None:
    result = cli("stat", "/nope")
    assert result.code == 1
    assert_one_error_line(result.err, "stat", "/nope", "NOT_FOUND")


# -- mkdir, touch, rm, mv ---------------------------------------------------------------------


def test_mkdir_plain_parents_and_errors(cli: Cli, client: alluxio.Client) -> None:
    assert cli("mkdir", "/a").code == 0
    assert client.get_status("/a").folder

    again = cli("mkdir", "/a")
    assert again.code == 1
    assert_one_error_line(again.err, "mkdir", "/a", "ALREADY_EXISTS")

    no_parent = cli("mkdir", "/x/y")
    assert no_parent.code == 1
    assert no_parent.err.startswith("alluxio-py: mkdir /x/y: ")

    assert cli("mkdir", "-p", "/x/y/z", "/a").code == 0
    assert client.get_status("/x/y/z").folder


def test_mkdir_goes_on_after_a_failure(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/exists")
    result = cli("mkdir", "/exists", "/new")
    assert result.code == 1
    assert result.err.count("\n") == 1
    assert client.exists("/new")


def test_touch_creates_empty_files(cli: Cli, client: alluxio.Client) -> None:
    assert cli("touch", "/e1", "/e2").code == 0
    assert client.read_bytes("/e1") == b""
    assert client.get_status("/e2").completed
    again = cli("touch", "/e1")
    assert again.code == 1
    assert_one_error_line(again.err, "touch", "/e1", "ALREADY_EXISTS")


def test_rm_file_dir_recursive_force(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/d")
    client.write_bytes("/d/f", b"1")
    client.write_bytes("/g", b"2")

    assert cli("rm", "/g").code == 0
    assert not client.exists("/g")

    not_empty = cli("rm", "/d")
    assert not_empty.code == 1
    assert_one_error_line(not_empty.err, "rm", "/d", "FAILED_PRECONDITION")
    assert client.exists("/d/f")

    assert cli("rm", "-r", "/d").code == 0
    assert not client.exists("/d")

    missing = cli("rm", "/d")
    assert missing.code == 1
    assert_one_error_line(missing.err, "rm", "/d", "NOT_FOUND")
    assert cli("rm", "-f", "/d").code == 0


def test_mv_renames_and_moves_into_directories(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/a.txt", b"A")
    client.create_directory("/dir")
    assert cli("mv", "/a.txt", "/b.txt").code == 0
    assert client.read_bytes("/b.txt") == b"A"
    assert not client.exists("/a.txt")

    assert cli("mv", "/b.txt", "/dir").code == 0
    assert client.read_bytes("/dir/b.txt") == b"A"

    missing = cli("mv", "/nope", "/other")
    assert missing.code == 1
    assert_one_error_line(missing.err, "mv", "/nope", "NOT_FOUND")


# -- cat, du ----------------------------------------------------------------------------------


def test_cat_streams_exact_bytes(cli: Cli, client: alluxio.Client) -> None:
    payload = bytes(range(256)) * 5000
    client.write_bytes("/bin", payload)
    client.write_bytes("/txt", b"tail\n")
    result = cli("cat", "/bin", "/txt")
    assert result.code == 0
    assert result.out_bytes == payload + b"tail\n"


def test_cat_missing_file_keeps_going(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/ok", b"ok\n")
    result = cli("cat", "/missing", "/ok")
    assert result.code == 1
    assert result.out_bytes == b"ok\n"
    assert_one_error_line(result.err, "cat", "/missing", "NOT_FOUND")


def test_du_entries_summary_human_json(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/u/a/b", alluxio.option.CreateDirectory(recursive=True))
    client.write_bytes("/u/a/b/one", b"1" * 1000)
    client.write_bytes("/u/a/two", b"2" * 2000)
    client.write_bytes("/u/three", b"3" * 4096)

    entries = cli("du", "/u").out.split("\n")
    assert [line.split() for line in entries if line] == [["3000", "/u/a"], ["4096", "/u/three"]]
    assert cli("du", "-s", "/u").out.split() == ["7096", "/u"]
    assert cli("du", "-s", "-h", "/u").out.split() == ["6.9K", "/u"]
    assert cli("du", "-s", "/u/three").out.split() == ["4096", "/u/three"]

    rows = json.loads(cli("du", "--json", "/u").out)
    assert rows == [
        {"path": "/u/a", "size": 3000, "files": 2},
        {"path": "/u/three", "size": 4096, "files": 1},
    ]
    summary = json.loads(cli("du", "-s", "--json", "/u", "/u/a").out)
    assert summary == [
        {"path": "/u", "size": 7096, "files": 3},
        {"path": "/u/a", "size": 3000, "files": 2},
    ]


def test_du_missing(cli: Cli) -> None:
    result = cli("du", "/nope")
    assert result.code == 1
    assert_one_error_line(result.err, "du", "/nope", "NOT_FOUND")


# -- attributes -------------------------------------------------------------------------------


def test_pin_unpin_free(cli: Cli, client: alluxio.Client) -> None:
    # Written through: only persisted files can be freed (ASYNC_THROUGH ones a while later).
    through = alluxio.option.CreateFile(write_type=alluxio.wire.WRITE_TYPE_CACHE_THROUGH)
    client.write_bytes("/p", b"data", through)
    assert cli("pin", "/p").code == 0
    assert client.get_status("/p").pinned

    pinned = cli("free", "/p")
    assert pinned.code == 1
    # The status differs between proxy versions; the message says why.
    assert_one_error_line(pinned.err, "free", "/p", None)
    assert "pinned" in pinned.err
    assert cli("free", "--force", "/p").code == 0

    assert cli("unpin", "/p").code == 0
    assert not client.get_status("/p").pinned
    assert cli("free", "/p").code == 0

    missing = cli("pin", "/nope")
    assert missing.code == 1
    assert_one_error_line(missing.err, "pin", "/nope", "NOT_FOUND")


def test_chmod_octal_and_recursive(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/c")
    client.write_bytes("/c/f", b"")
    assert cli("chmod", "640", "/c/f").code == 0
    assert client.get_status("/c/f").mode == 0o640
    assert cli("chmod", "-R", "0700", "/c").code == 0
    assert client.get_status("/c").mode == 0o700
    assert client.get_status("/c/f").mode == 0o700
    assert "-rwx------" in cli("ls", "-l", "/c").out


@pytest.mark.parametrize("mode", ["9", "rwx", "1777", "", "0o8"])
def test_chmod_rejects_bad_modes_as_usage_errors(
    cli: Cli, client: alluxio.Client, mode: str
) -> None:
    client.write_bytes("/m", b"")
    result = cli("chmod", mode, "/m")
    assert result.code == 2
    assert client.get_status("/m").mode == 0o644


def test_chown_and_chgrp(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/o")
    client.write_bytes("/o/f", b"")
    # owner:group together must be a real membership (Alluxio asks the OS group mapping).
    assert cli("chown", "daemon:daemon", "/o/f").code == 0
    info = client.get_status("/o/f")
    assert (info.owner, info.group) == ("daemon", "daemon")
    refused = cli("chown", "alice:staff", "/o/f")
    assert refused.code == 1
    assert (
        "UNKNOWN" in refused.err and "Owner alice does not belong to the group staff" in refused.err
    )
    assert cli("chown", "alice", "/o/f").code == 0

    assert cli("chgrp", "-R", "wheel", "/o").code == 0
    assert client.get_status("/o").group == "wheel"
    assert client.get_status("/o/f").group == "wheel"
    assert client.get_status("/o/f").owner == "alice"

    assert cli("chown", "-R", "bob", "/o").code == 0
    assert client.get_status("/o/f").owner == "bob"
    assert cli("chown", ":grp", "/o").code == 2


def test_ttl_set_show_remove(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/t", b"")
    assert cli("ttl", "/t").out == "/t: no TTL\n"

    assert cli("ttl", "/t", "60000").code == 0
    info = json.loads(cli("stat", "--json", "/t").out)
    assert (info["ttl"], info["ttlAction"]) == (60000, "DELETE")

    assert cli("ttl", "/t", "120000", "--action", "free").code == 0
    assert cli("ttl", "/t").out == "/t: 2m (120000 ms), then FREE\n"

    assert cli("ttl", "/t", "--remove").code == 0
    assert client.get_status("/t").ttl == -1

    assert cli("ttl", "/t", "5", "--remove").code == 2
    assert cli("ttl", "/t", "-5").code == 2
    missing = cli("ttl", "/nope", "100")
    assert missing.code == 1
    assert_one_error_line(missing.err, "ttl", "/nope", "NOT_FOUND")


# -- mounts -----------------------------------------------------------------------------------


def test_mount_unmount_local_directory(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    (ufs / "existing.txt").write_bytes(b"from the under store")
    result = cli("mount", "--readonly", "--shared", "-o", "secret.key=hunter2", "/mnt", str(ufs))
    assert (result.code, result.out, result.err) == (0, "", "")
    assert client.get_status("/mnt").mount_point
    assert client.read_bytes("/mnt/existing.txt") == b"from the under store"

    read_only = cli("touch", "/mnt/new")
    assert read_only.code == 1
    assert read_only.err.startswith("alluxio-py: touch /mnt/new: ")

    assert cli("unmount", "/mnt").code == 0
    assert not client.exists("/mnt")
    assert (ufs / "existing.txt").exists()

    missing = cli("unmount", "/mnt")
    assert missing.code == 1
    assert missing.err.startswith("alluxio-py: unmount /mnt: ")


def test_mount_never_prints_option_values(cli: Cli) -> None:
    failed = cli("mount", "-o", "aws.secretKey=TOPSECRET", "/s3", "s3://bucket/dir")
    assert failed.code == 1
    assert failed.err.startswith("alluxio-py: mount /s3: ")
    assert "TOPSECRET" not in failed.out + failed.err

    malformed = cli("mount", "-o", "TOPSECRET", "/s3", "s3://bucket/dir")
    assert malformed.code == 2
    assert "KEY=VALUE" in malformed.err
    assert "TOPSECRET" not in malformed.out + malformed.err


# -- global options ---------------------------------------------------------------------------


def test_info_reports_the_proxy(cli: Cli, alluxio_proxy: EmbeddedProxy) -> None:
    result = cli("info")
    assert result.code == 0
    assert f"Proxy:   {alluxio_proxy.url}" in result.out
    assert "Version: 2." in result.out
    assert json.loads(cli("info", "--json").out)["version"].startswith("2.")


def test_unreachable_proxy_is_exit_1_with_one_line(cli: Cli) -> None:
    result = cli("stat", "/x", proxy="http://127.0.0.1:1")
    assert result.code == 1
    assert_one_error_line(result.err, "stat", "/x", "CONNECTION_ERROR")
    assert "127.0.0.1:1" in result.err


@pytest.mark.parametrize(
    "url", ["ftp://host:1", "http://host:1/prefix", "http://u:p@host:1", "http://host:99999"]
)
def test_bad_proxy_url_is_a_usage_error(cli: Cli, url: str) -> None:
    result = cli("ls", "/", proxy=url)
    assert result.code == 2
    assert "--proxy" in result.err
    assert "u:p" not in result.err


def test_proxy_option_beats_the_environment(cli: Cli, alluxio_proxy: EmbeddedProxy) -> None:
    result = cli("--proxy", alluxio_proxy.url, "ls", "/", proxy="http://127.0.0.1:1")
    assert result.code == 0


def test_dialect_auto_and_timeout(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/f", b"abc")
    result = cli("--dialect", "auto", "--timeout", "5", "cat", "/f")
    assert (result.code, result.out) == (0, "abc")
    assert cli("--dialect", "3.x", "ls").code == 2


def test_version_and_usage_errors(cli: Cli) -> None:
    version = cli("--version")
    assert version.code == 0
    assert version.out.startswith("alluxio-py ")
    assert cli("no-such-command").code == 2
    assert cli("ls", "--no-such-option").code == 2
    assert cli("stat").code == 2


@pytest.mark.parametrize("ufs", ["", os.fsdecode(b"/bad-\xff")])
def test_mount_of_an_unusable_uri_is_a_usage_error(cli: Cli, ufs: str) -> None:
    result = cli("mount", "/m", ufs)
    assert result.code == 2
    assert "UFS_URI" in result.err
