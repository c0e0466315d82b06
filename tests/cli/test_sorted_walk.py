"""``ls``, ``ls -R`` and ``find`` print sorted as the listing arrives: depth-first, each
directory's entries by name in Java's ``String`` order (UTF-16 code units). Checked on
tricky names against the embedded proxy in both dialects and the real 2.9.6 and 1.8.1
proxies; an out-of-order listing is an error; the walk holds little of a big tree."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio import option
from alluxio._dialect import Dialect
from alluxio.cli import app
from alluxio.cli._walk import sorted_listing
from alluxio.server import EmbeddedProxy
from alluxio.wire import FileInfo
from tests._real_proxy import DEFAULT_V1_VERSION
from tests._servers import canned_http, embedded_proxy_process, real_proxy_or_skip
from tests.cli.conftest import Cli, Outcome

# Characters below "/" after a directory's name (a-b, "a b", a.c sort before a/x by full
# path), case, non-ASCII, and names beyond U+FFFF next to U+E000-U+FFFF (UTF-16 order puts
# the emoji first; code point order would not).
Spec = dict[str, "Spec"] | list[str]
TREE: Spec = {
    "a": ["x", "x-y", "x.y", "x y"],
    "a b": ["z"],
    "a-b": ["y"],
    "a.c": ["w"],
    "b": {"c": ["f"], "c-d": ["g"]},
}
FILES = ["Z", "a0", "\u00e9", "\U0001f600", "\ue000", "\uff01", "x\U00010000", "x\uffff"]


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-be", "surrogatepass")


def _make(client: alluxio.Client, top: str) -> list[str]:
    """Make the tricky tree under ``top``; return its ``ls -R`` lines, worked out here."""

    def build(prefix: str, spec: Spec) -> dict[str, object]:
        entries: dict[str, object] = {}
        items = spec.items() if isinstance(spec, dict) else [(n, None) for n in spec]
        for name, below in items:
            if below is None:
                client.write_bytes(f"{top}/{prefix}{name}", name.encode())
                entries[name] = None
            else:
                client.create_directory(
                    f"{top}/{prefix}{name}", option.CreateDirectory(recursive=True)
                )
                entries[name] = build(f"{prefix}{name}/", below)
        return entries

    made = build("", TREE)
    made.update(build("", FILES))

    def walk(prefix: str, entries: dict[str, object]) -> Iterator[str]:
        for name in sorted(entries, key=_utf16):
            yield prefix + name
            below = entries[name]
            if isinstance(below, dict):
                yield from walk(f"{prefix}{name}/", below)

    return list(walk("", made))


def _runner(url: str, *dialect: str) -> Cli:
    runner = CliRunner()

    def invoke(*args: str) -> Outcome:
        result = runner.invoke(app, [*dialect, *args], env={"ALLUXIO_PROXY": url})
        return Outcome(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    return invoke


def _check_order(cli: Cli, top: str, expected: list[str]) -> None:
    listed = cli("ls", "-R", top)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == expected
    # Not the order of full paths: a/x comes before a-b, the emoji before U+E000.
    assert expected.index("a/x") < expected.index("a-b") < expected.index("a.c")
    assert expected.index("\U0001f600") < expected.index("\ue000")
    assert expected.index("x\U00010000") < expected.index("x\uffff")
    # The same entries as the proxy's own order; -l and --json in the same order.
    unsorted = cli("ls", "-R", "-U", top).out.splitlines()
    assert sorted(unsorted) == sorted(expected)
    long = cli("ls", "-R", "-l", top).out.splitlines()
    assert [line.split("  ", 5)[5] for line in long] == expected
    entries = json.loads(cli("ls", "-R", "--json", top).out)
    assert [e["path"] for e in entries] == [f"{top}/{name}" for name in expected]
    # One level: the top's entries in the same order.
    assert cli("ls", top).out.splitlines() == [n for n in expected if "/" not in n]
    found = cli("find", top).out.splitlines()
    assert found == [top, *(f"{top}/{name}" for name in expected)]
    assert cli("find", f"{top}/b", "-type", "f").out.splitlines() == [
        f"{top}/b/c/f",
        f"{top}/b/c-d/g",
    ]


def test_ls_r_order_on_the_embedded_proxy_in_both_dialects(tmp_path: Path) -> None:
    dialects: tuple[Dialect, ...] = ("2.x", "1.x")
    for dialect in dialects:
        with EmbeddedProxy(tmp_path / dialect, dialect=dialect) as proxy:
            with alluxio.Client.from_url(proxy.url, dialect=dialect) as client:
                expected = _make(client, "/t")
            _check_order(_runner(proxy.url, "--dialect", dialect), "/t", expected)


@pytest.mark.real_proxy
def test_ls_r_order_on_the_real_2x_proxy(real_proxy_url: str, workdir: str) -> None:
    with alluxio.Client.from_url(real_proxy_url, timeout=120) as client:
        expected = _make(client, workdir)
    _check_order(_runner(real_proxy_url), workdir, expected)


@pytest.fixture(scope="module")
def real_v1_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_proxy_or_skip(tmp_path_factory.mktemp("real-ufs-v1"), DEFAULT_V1_VERSION) as url:
        yield url


@pytest.mark.real_proxy
def test_ls_r_order_on_the_real_1x_proxy(real_v1_url: str, workdir: str) -> None:
    # 1.8.1 lists in no particular order: each directory is listed and sorted on its own.
    with alluxio.Client.from_url(real_v1_url, dialect="1.x", timeout=120) as client:
        expected = _make(client, workdir)
    for dialect in ("1.x", "auto"):
        _check_order(_runner(real_v1_url, "--dialect", dialect), workdir, expected)
    # (the proxy's own order is not this one)
    assert _runner(real_v1_url)("ls", "-R", "-U", workdir).out.splitlines() != expected


# -- a proxy that lists out of order ------------------------------------------------------------


@pytest.fixture
def shuffled_proxy() -> Iterator[str]:
    """Answers every list-status of /d with /d/a, /d/c, /d/b (whole, well-formed)."""
    body = json.dumps([FileInfo(name=n, path=f"/d/{n}").json() for n in ("a", "c", "b")]).encode()
    response = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        + b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
        + body
    )
    with canned_http(lambda request: response) as url:
        yield url


def test_a_listing_out_of_order_is_an_error(shuffled_proxy: str) -> None:
    cli = _runner(shuffled_proxy)
    for flags in ([], ["-R"], ["-l"]):
        outcome = cli("ls", *flags, "/d")
        assert outcome.code == 1
        # What was in order is printed (-l: lines come in aligned blocks, this one was not
        # complete); the error names the entries and the way out.
        printed = [line.rsplit(" ", 1)[-1] for line in outcome.out.splitlines()]
        assert printed == ([] if flags == ["-l"] else ["a", "c"])
        assert "listed /d/b after /d/c" in outcome.err and "--dialect 1.x" in outcome.err
        assert len(outcome.err.splitlines()) == 1
    assert cli("ls", "-U", "/d").out.splitlines() == ["a", "c", "b"]
    # With the 1.x dialect the listing is sorted here instead.
    assert _runner(shuffled_proxy, "--dialect", "1.x")("ls", "/d").out.splitlines() == [
        "a",
        "b",
        "c",
    ]


# -- memory -------------------------------------------------------------------------------------

DIRS, PER_DIR, BIG = 10, 1_000, 10_000
"""The tree: DIRS directories of PER_DIR files and one directory of BIG files (20,000)."""


@pytest.fixture(scope="module", params=["2.x", "1.x"])
def big_tree(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Dialect]]:
    root = tmp_path_factory.mktemp(f"walk-{request.param}")
    for d in range(DIRS):
        (root / "t" / f"d{d}").mkdir(parents=True)
        for i in range(PER_DIR):
            (root / "t" / f"d{d}" / f"f{i:05d}").touch()
    (root / "t" / "big").mkdir()
    for i in range(BIG):
        (root / "t" / "big" / f"f{i:05d}").touch()
    dialect: Dialect = request.param
    with embedded_proxy_process(root, "--dialect", dialect) as url:
        yield url, dialect


def _peak_while(run: Callable[[], int]) -> tuple[int, int]:
    """What ``run`` returned and the peak of memory allocated while it ran."""
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_walk_holds_little_of_a_big_tree(big_tree: tuple[str, Dialect]) -> None:
    url, dialect = big_tree
    with alluxio.Client.from_url(url, dialect=dialect, timeout=120) as client:

        def walk() -> int:
            with sorted_listing(client, "/t", recursive=True) as infos:
                return sum(1 for _ in infos)

        def largest_directory() -> int:
            with client.iter_status("/t/big") as entries:
                return len(list(entries))

        with client.iter_status("/t/big") as entries:  # the connection is made first
            entry_size = len(json.dumps(next(iter(entries)).json()))
        count, peak = _peak_while(walk)
        big, held = _peak_while(largest_directory)
    assert count == DIRS * (PER_DIR + 1) + 1 + BIG and big == BIG
    whole = count * entry_size  # the JSON of the listing, about
    if dialect == "2.x":
        # A few pieces of the stream at a time.
        assert peak < whole / 8, (peak, whole)
    else:
        # The entries of the largest directory (half the tree), not the whole tree.
        assert peak < held * 1.5, (peak, held)
