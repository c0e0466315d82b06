"""The commands of issue #22 against the embedded proxy (transfers also against the real
2.9.6 proxy, marker ``real_proxy``): wildcards, cp, head, tail, checksum, count, test, find,
stat of several paths, --continue-on-error."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio.cli import app
from alluxio.cli._glob import name_matcher
from tests.cli.conftest import Cli, Outcome

MIB = 1 << 20


@pytest.fixture
def any_cli(proxy_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """``cli`` on each server of ``proxy_url`` (embedded; real with ``real_proxy``)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Outcome:
        result = runner.invoke(app, list(args), env={"ALLUXIO_PROXY": proxy_url})
        return Outcome(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    return invoke


@pytest.fixture
def any_client(proxy_url: str) -> alluxio.Client:
    return alluxio.Client.from_url(proxy_url, timeout=120)


def _tree(client: alluxio.Client, top: str, files: dict[str, bytes]) -> None:
    for relative, data in files.items():
        client.write_bytes(f"{top}/{relative}", data, alluxio.option.CreateFile(recursive=True))


# -- wildcards ----------------------------------------------------------------------------------


def test_wildcards_in_ls(cli: Cli, client: alluxio.Client) -> None:
    _tree(
        client,
        "/data",
        {
            "part0001": b"1",
            "part0002": b"22",
            "part0010": b"3",
            "part1000": b"4",
            ".hidden0": b"h",
            "sub/part0003": b"5",
            "sub/deep/part0004": b"6",
            "other.txt": b"o",
        },
    )
    assert cli("ls", "/data/part0*").out == "/data/part0001\n/data/part0002\n/data/part0010\n"
    assert cli("ls", "/data/part000?").out == "/data/part0001\n/data/part0002\n"
    assert cli("ls", "/data/part[01]00[!1]").out == "/data/part0002\n/data/part1000\n"
    assert cli("ls", "/data/.*").out == "/data/.hidden0\n"  # * skips hidden names
    recursive = cli("ls", "/data/**/part000[34]").out
    assert recursive == "/data/sub/deep/part0004\n/data/sub/part0003\n"
    everything = cli("ls", "/data/**/part*").out.split()
    assert len(everything) == 6 and "/data/.hidden0" not in everything
    # A directory among the matches is listed under a header, after the files.
    assert cli("ls", "/data/[os]*").out == "/data/other.txt\n\n/data/sub:\ndeep\npart0003\n"


def test_a_pattern_matching_nothing_is_not_found(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/empty")
    result = cli("ls", "/empty/part0*")
    assert result.code == 1
    assert (
        result.err == 'alluxio-py: ls /empty/part0*: NOT_FOUND: No path matches "/empty/part0*"\n'
    )
    missing_parent = cli("cat", "/nowhere/*.txt")
    assert missing_parent.code == 1
    assert "No path matches" in missing_parent.err


def test_wildcards_on_commands_taking_paths(cli: Cli, client: alluxio.Client) -> None:
    _tree(client, "/w", {"a.log": b"A\n", "b.log": b"B\n", "c.txt": b"C\n"})
    assert cli("cat", "/w/*.log").out == "A\nB\n"
    assert cli("du", "/w/*.log").out.split() == ["2", "/w/a.log", "2", "/w/b.log"]
    assert cli("chmod", "600", "/w/*.log").code == 0
    assert [client.get_status(f"/w/{n}").mode & 0o777 for n in ("a.log", "c.txt")] == [
        0o600,
        0o644,
    ]
    assert cli("ttl", "/w/*.log", "1h").code == 0
    assert client.get_status("/w/b.log").ttl == 3_600_000
    stat = json.loads(cli("stat", "--json", "/w/?.log").out)
    assert [entry["path"] for entry in stat] == ["/w/a.log", "/w/b.log"]
    client.create_directory("/w/logs")
    assert cli("mv", "/w/*.log", "/w/logs").code == 0
    assert client.ls("/w/logs") == ["a.log", "b.log"]
    assert cli("rm", "/w/logs/*").code == 0
    assert client.ls("/w/logs") == []
    assert cli("get", "/w/*.txt", ".").code == 0
    assert Path("c.txt").read_bytes() == b"C\n"


def test_wildcards_are_refused_where_a_path_is_created(cli: Cli) -> None:
    # '?' cannot be in an Alluxio path: only commands that match take it.
    assert cli("mkdir", "/a?").code == 2
    assert cli("ls", "/a?").code == 1  # a pattern matching nothing


def test_name_patterns() -> None:
    assert name_matcher("*.txt").match("a.txt")
    assert not name_matcher("*.txt").match(".a.txt")
    assert name_matcher("[*]x").match("*x") and not name_matcher("[*]x").match("ax")
    assert name_matcher("a[!b]c").match("axc") and not name_matcher("a[!b]c").match("abc")
    assert name_matcher("[a").match("[a")  # an unclosed bracket is literal


# -- stat of several paths ---------------------------------------------------------------------


def test_stat_several_paths(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/s1", b"1")
    client.create_directory("/s2")
    result = cli("stat", "/s1", "/nope", "/s2")
    assert result.code == 1
    records = result.out.split("\n\n")
    assert records[0].startswith("Path:        /s1\nType:        file")
    assert records[1].startswith("Path:        /s2\nType:        directory")
    assert result.err.startswith("alluxio-py: stat /nope: NOT_FOUND: ")
    single = json.loads(cli("stat", "--json", "/s1").out)
    assert single["path"] == "/s1"  # one path: the object, as before


# -- head and tail -----------------------------------------------------------------------------


LINES = b"".join(b"line %d\n" % i for i in range(1, 200_001))  # ~2.2 MiB: several chunks


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), b"".join(b"line %d\n" % i for i in range(1, 11))),
        (("-n", "3"), b"line 1\nline 2\nline 3\n"),
        (("-n", "0"), b""),
        (("-c", "9"), b"line 1\nli"),
        (("-c", "1K"), LINES[:1024]),
    ],
)
def test_head(cli: Cli, client: alluxio.Client, args: tuple[str, ...], expected: bytes) -> None:
    client.write_bytes("/lines.txt", LINES)
    result = cli("head", *args, "/lines.txt")
    assert (result.code, result.out_bytes) == (0, expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), b"".join(b"line %d\n" % i for i in range(199_991, 200_001))),
        (("-n", "2"), b"line 199999\nline 200000\n"),
        (("-n", "0"), b""),
        (("-c", "7"), b"200000\n"),
        (("-n", "300000"), LINES),
    ],
)
def test_tail(cli: Cli, client: alluxio.Client, args: tuple[str, ...], expected: bytes) -> None:
    client.write_bytes("/lines.txt", LINES)
    result = cli("tail", *args, "/lines.txt")
    assert (result.code, result.out_bytes) == (0, expected)


def test_tail_and_head_edge_cases(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/nonl", b"a\nb\nlast")
    client.write_bytes("/empty", b"")
    assert cli("tail", "-n", "2", "/nonl").out == "b\nlast"
    assert cli("head", "-n", "5", "/nonl").out == "a\nb\nlast"
    assert cli("tail", "/empty").out == "" and cli("head", "/empty").out == ""
    both = cli("head", "-n", "1", "-c", "1", "/nonl")
    assert both.code == 2 and "either -n LINES or -c BYTES" in both.err
    bad = cli("tail", "-n", "many", "/nonl")
    assert bad.code == 2 and "'many' is not a number of lines" in bad.err
    assert "reads each file from the start" in " ".join(cli("tail", "--help").out.split())


# -- checksum, count, test, find --------------------------------------------------------------


def test_checksum(cli: Cli, client: alluxio.Client) -> None:
    payload = os.urandom(3 * MIB + 7)
    client.write_bytes("/c.bin", payload)
    client.create_directory("/cdir")
    assert cli("checksum", "/c.bin").out == f"{hashlib.md5(payload).hexdigest()}  /c.bin\n"
    sha = cli("checksum", "--algorithm", "sha256", "/c.bin").out
    assert sha == f"{hashlib.sha256(payload).hexdigest()}  /c.bin\n"
    directory = cli("checksum", "/cdir")
    assert (directory.code, directory.err) == (
        1,
        "alluxio-py: checksum /cdir: Is a directory: /cdir\n",
    )


def test_count(cli: Cli, client: alluxio.Client) -> None:
    _tree(client, "/n", {"a": b"12", "s/b": b"345", "s/t/c": b""})
    result = cli("count", "/n", "/n/a")
    assert result.out.splitlines() == [
        "  File Count  Folder Count     Folder Size  Path",
        "           3             3               5  /n",
        "           1             0               2  /n/a",
    ]
    as_json = json.loads(cli("count", "--json", "/n").out)
    assert as_json == [{"path": "/n", "files": 3, "folders": 3, "bytes": 5}]


@pytest.mark.parametrize(
    ("flag", "path", "code"),
    [
        ("-e", "/t/file", 0),
        ("-e", "/t/missing", 1),
        ("-d", "/t", 0),
        ("-d", "/t/file", 1),
        ("-f", "/t/file", 0),
        ("-f", "/t", 1),
        ("-z", "/t/empty", 0),
        ("-z", "/t/file", 1),
        ("-z", "/t/emptydir", 0),
        ("-s", "/t", 0),
        ("-s", "/t/emptydir", 1),
        ("-d", "/t/missing", 1),
    ],
)
def test_test_exit_codes(cli: Cli, client: alluxio.Client, flag: str, path: str, code: int) -> None:
    _tree(client, "/t", {"file": b"x", "empty": b""})
    client.create_directory("/t/emptydir")
    result = cli("test", flag, path)
    assert (result.code, result.out, result.err) == (code, "", "")


def test_test_usage_and_connection_errors(cli: Cli) -> None:
    assert cli("test", "/x").code == 2
    assert cli("test", "-e", "-d", "/x").code == 2
    unreachable = cli("test", "-e", "/x", proxy="http://127.0.0.1:1")
    assert unreachable.code == 1 and "CONNECTION_ERROR" in unreachable.err


def test_find(cli: Cli, client: alluxio.Client) -> None:
    _tree(
        client,
        "/f",
        {"a.txt": b"x" * 10, "big.bin": b"y" * 5000, "sub/b.txt": b"", "sub/c.log": b"z"},
    )
    assert cli("find", "/f", "-name", "*.txt").out == "/f/a.txt\n/f/sub/b.txt\n"
    assert cli("find", "/f", "-type", "d").out == "/f\n/f/sub\n"
    assert cli("find", "/f", "-type", "f", "-size", "+1K").out == "/f/big.bin\n"
    assert cli("find", "/f", "-size", "-1", "-type", "f").out == "/f/sub/b.txt\n"
    assert cli("find", "/f", "-size", "10").out == "/f/a.txt\n"
    assert cli("find", "/f", "-mtime", "-1h", "-name", "c.*").out == "/f/sub/c.log\n"
    assert cli("find", "/f", "-mtime", "+1d").out == ""
    bad = cli("find", "/f", "-mtime", "7")
    assert bad.code == 2 and "+AGE (older than) or -AGE (newer than)" in bad.err
    assert cli("find", "/f/*.bin").out == "/f/big.bin\n"


# -- cp inside Alluxio ---------------------------------------------------------------------------


def test_cp_file_and_tree(any_cli: Cli, any_client: alluxio.Client, workdir: str) -> None:
    payload = os.urandom(2 * MIB + 3)
    files = {"a.bin": payload, "sub/b.txt": b"b", "sub/deeper/c": b""}
    _tree(any_client, f"{workdir}/src", files)
    assert any_cli("cp", f"{workdir}/src/a.bin", f"{workdir}/copy.bin").code == 0
    assert any_client.read_bytes(f"{workdir}/copy.bin") == payload

    refused = any_cli("cp", f"{workdir}/src", f"{workdir}/dst")
    assert refused.code == 1 and "use -R to copy it" in refused.err
    assert any_cli("cp", "-R", "-t", "3", f"{workdir}/src", f"{workdir}/dst").code == 0
    for relative, data in files.items():
        assert any_client.read_bytes(f"{workdir}/dst/{relative}") == data
    # Into an existing directory, under its own name; no temporary names left behind.
    assert any_cli("cp", "-R", f"{workdir}/src", f"{workdir}/dst").code == 0
    everything = alluxio.option.ListStatus(recursive=True)
    names = [i.path for i in any_client.list_status(f"{workdir}/dst", everything)]
    assert f"{workdir}/dst/src/sub/deeper/c" in names
    assert not [n for n in names if "alluxio-py-tmp" in n]
    again = any_cli("cp", "-R", f"{workdir}/src", f"{workdir}/dst")
    assert again.code == 1 and "ALREADY_EXISTS" in again.err


def test_cp_force_and_self(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/one", b"new")
    client.write_bytes("/two", b"old")
    refused = cli("cp", "/one", "/two")
    assert refused.code == 1 and refused.err.rstrip().endswith("(use --force to overwrite)")
    assert cli("cp", "-f", "/one", "/two").code == 0
    assert client.read_bytes("/two") == b"new"
    client.create_directory("/loop")
    into_itself = cli("cp", "-R", "/loop", "/loop/inner")
    assert into_itself.code == 1
    assert "Cannot copy a path onto or into itself" in into_itself.err
    assert cli("cp", "/one").code == 2


# -- going on past errors ----------------------------------------------------------------------


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_continue_on_error_on_put(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    # A link to /proc/self/mem is a regular file to stat, whose read fails (EIO), for root
    # too: that file fails while it is sent; the others go on.
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a").write_bytes(b"a")
    (tree / "c").write_bytes(b"c")
    (tree / "b").symlink_to("/proc/self/mem")
    stopped = cli("put", "-t", "1", "tree", "/first")
    assert stopped.code == 1
    result = cli("put", "-t", "2", "--continue-on-error", "tree", "/second")
    assert result.code == 1, result.err
    failures = result.err.splitlines()
    assert failures[-1] == "alluxio-py: put: 1 of 3 files failed"
    assert len(failures) == 2 and failures[0].startswith("alluxio-py: put tree/b: ")
    assert sorted(client.ls("/second")) == ["a", "c"]


def test_continue_on_error_on_get(cli: Cli, client: alluxio.Client, tmp_path: Path) -> None:
    # A 245-character Alluxio name fits, but not NAME.part-XXXXXXXX on the local disk.
    long_name = "y" * 245
    _tree(client, "/g", {"a": b"a", long_name: b"b", "c": b"c"})
    result = cli("get", "-t", "2", "--continue-on-error", "/g", "out")
    assert result.code == 1
    failures = result.err.splitlines()
    assert failures[-1] == "alluxio-py: get: 1 of 3 files failed"
    assert len(failures) == 2 and failures[0].startswith(f"alluxio-py: get /g/{long_name}: ")
    assert sorted(os.listdir(tmp_path / "out")) == ["a", "c"]


def test_find_ages_use_the_modification_time(cli: Cli, client: alluxio.Client) -> None:
    client.write_bytes("/recent", b"r")
    time.sleep(1.1)
    assert cli("find", "/recent", "-mtime", "+1s").out == "/recent\n"
    assert cli("find", "/recent", "-mtime", "-1s").out == ""
