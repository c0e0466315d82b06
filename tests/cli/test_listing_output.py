"""ls --unsorted prints entries in the proxy's order; the same entries as the sorted output,
in every format; a listing cut short is an error, not a shorter listing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

import alluxio
from alluxio import option
from alluxio.wire import FileInfo
from tests._servers import canned_http
from tests.cli.conftest import Cli


@pytest.fixture
def tree(client: alluxio.Client) -> list[str]:
    client.create_directory("/t/sub", option.CreateDirectory(recursive=True))
    for name in ("b", "a", "sub/z", "sub/y"):
        client.write_bytes(f"/t/{name}", b"xyz")
    return ["a", "b", "sub", "sub/y", "sub/z"]


def test_unsorted_gives_the_same_entries(cli: Cli, tree: list[str]) -> None:
    for flags in ([], ["-R"]):
        names = cli("ls", *flags, "/t").out.splitlines()
        unsorted = cli("ls", "-U", *flags, "/t")
        assert unsorted.code == 0
        assert sorted(unsorted.out.splitlines()) == names
    assert cli("ls", "-R", "/t").out.splitlines() == tree


def test_unsorted_long_and_json(cli: Cli, tree: list[str]) -> None:
    long = cli("ls", "-U", "-l", "-R", "/t").out.splitlines()
    assert sorted(line.rsplit(" ", 1)[1] for line in long) == tree
    assert all(re.match(r"[d-][rwx-]{9}  ", line) for line in long)
    streamed = cli("ls", "-U", "--json", "-R", "/t").out
    whole = cli("ls", "--json", "-R", "/t").out
    # Valid JSON, the same entries; written as one json.dumps of the list would be.
    assert sorted(json.loads(streamed), key=lambda i: i["path"]) == json.loads(whole)
    assert streamed.startswith("[\n  {\n") and streamed.endswith("\n  }\n]\n")
    assert cli("ls", "-U", "--json", "/t/sub/y").out == cli("ls", "--json", "/t/sub/y").out


def test_empty_directory(cli: Cli, client: alluxio.Client) -> None:
    client.create_directory("/e")
    for flags in ([], ["-U"], ["-U", "-l"]):
        assert cli("ls", *flags, "/e").out == ""
    assert cli("ls", "-U", "--json", "/e").out == "[]\n"


def test_files_and_spellings_of_a_directory(cli: Cli, client: alluxio.Client) -> None:
    # ls tells a file from a directory by the listing alone (no get-status first): a file
    # lists as itself under the name given; a directory whose only entry is a file, however
    # its path is spelled, lists that entry.
    client.create_directory("/one")
    client.write_bytes("/one/one", b"x")
    for spelling in ("/one", "/one/", "//one", "/one//"):
        for flags in ([], ["-U"], ["-R"], ["-U", "-R"]):
            assert cli("ls", *flags, spelling).out == "one\n", (spelling, flags)
    for flags in ([], ["-U"], ["-R"]):
        assert cli("ls", *flags, "/one/one").out == "/one/one\n"
        assert cli("ls", *flags, "//one/one").out == "//one/one\n"
    assert cli("ls", "-R", "/").out.splitlines()[-2:] == ["one", "one/one"]


def test_help_says_why(cli: Cli) -> None:
    text = " ".join(cli("ls", "--help").out.split())
    assert "-U, --unsorted" in text
    assert "Lines print as the listing arrives, in bounded memory" in text
    assert "a/x before a-b" in text and "before U+E000-U+FFFF" in text


def test_du_sums_a_streamed_listing(cli: Cli, tree: list[str]) -> None:
    assert cli("du", "-s", "/t").out.split() == ["12", "/t"]
    assert [line.split() for line in cli("du", "/t").out.splitlines()] == [
        ["3", "/t/a"],
        ["3", "/t/b"],
        ["6", "/t/sub"],
    ]


@pytest.fixture
def cut_proxy() -> Iterator[str]:
    """Answers get-status with a directory and list-status with an array cut off."""
    status = json.dumps(FileInfo(name="d", path="/d", folder=True).json()).encode()
    entries = b"[" + b",".join(
        json.dumps(FileInfo(name=f"f{i}", path=f"/d/f{i}").json()).encode() for i in range(5)
    )

    def answer(request: bytes) -> bytes:
        body = status if b"/get-status" in request else entries
        length = b"Content-Length: %d\r\n" % len(body) if body is status else b""
        return (
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + length
            + b"Connection: close\r\n\r\n"
            + body
        )

    with canned_http(answer) as url:
        yield url


def test_a_cut_listing_is_an_error(cli: Cli, cut_proxy: str) -> None:
    for flags in ([], ["-U"], ["-U", "-l"]):
        outcome = cli("ls", *flags, "/d", proxy=cut_proxy)
        assert outcome.code == 1
        assert "cut short" in outcome.err and len(outcome.err.splitlines()) == 1
    assert cli("du", "/d", proxy=cut_proxy).code == 1
