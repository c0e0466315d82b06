"""iter_status: entries as the answer arrives, over real HTTP (embedded and real proxies), cut
or broken answers from a raw socket server, and memory that stays bounded on a big listing."""

from __future__ import annotations

import contextlib
import json
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import anyio
import httpx
import pytest

import alluxio
from alluxio import exceptions, option
from alluxio.wire import FileInfo
from tests._servers import canned_http, embedded_proxy_process


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=120) as c:
        yield c


def _tree(client: alluxio.Client, root: str) -> None:
    client.create_directory(f"{root}/sub", option.CreateDirectory(recursive=True))
    for name in ("b", "a", "c d"):
        client.write_bytes(f"{root}/{name}", name.encode())
    client.write_bytes(f"{root}/sub/deep", b"deep")


def test_iter_status_yields_the_entries_of_list_status(
    client: alluxio.Client, workdir: str
) -> None:
    _tree(client, workdir)
    with client.iter_status(workdir) as entries:
        streamed = list(entries)
    assert all(isinstance(info, FileInfo) for info in streamed)
    assert sorted(info.path for info in streamed) == [
        f"{workdir}/{name}" for name in ("a", "b", "c d", "sub")
    ]
    assert {i.path: i.length for i in streamed} == {
        i.path: i.length for i in client.list_status(workdir)
    }
    recursive = [i.path for i in client.iter_status(workdir, option.ListStatus(recursive=True))]
    assert sorted(recursive) == sorted(
        [*(f"{workdir}/{n}" for n in ("a", "b", "c d", "sub")), f"{workdir}/sub/deep"]
    )
    # A file lists as itself.
    assert [i.path for i in client.iter_status(f"{workdir}/a")] == [f"{workdir}/a"]


def test_iter_status_errors_come_at_the_start(client: alluxio.Client, workdir: str) -> None:
    listing = client.iter_status(f"{workdir}/missing")
    with pytest.raises(exceptions.NotFoundError):
        next(listing)
    with pytest.raises(exceptions.NotFoundError), client.iter_status(f"{workdir}/missing"):
        pass
    with pytest.raises(ValueError, match="absolute Alluxio path"):
        client.iter_status("relative")
    with pytest.raises(TypeError, match=r"opt must be alluxio\.option\.ListStatus"):
        client.iter_status("/", option.GetStatus())  # type: ignore[arg-type]


def test_leaving_early_releases_the_connection(client: alluxio.Client, workdir: str) -> None:
    _tree(client, workdir)
    for _ in range(3):
        with client.iter_status(workdir) as entries:
            next(iter(entries))
        # The next call works (the half-read answer was not left on a pooled connection).
        assert client.exists(f"{workdir}/a")
    entries = client.iter_status(workdir)
    entries.close()
    with pytest.raises(ValueError, match="closed StatusIterator"):
        next(entries)


def test_async_iter_status(proxy_url: str, client: alluxio.Client, workdir: str) -> None:
    _tree(client, workdir)

    async def main() -> tuple[list[str], list[str], bool]:
        async with alluxio.AsyncClient.from_url(proxy_url, timeout=120) as aclient:
            async with aclient.iter_status(workdir) as entries:
                paths = [info.path async for info in entries]
            plain = [info.name async for info in aclient.iter_status(workdir)]
            async with aclient.iter_status(workdir) as entries:
                await anext(entries)  # left early
            with pytest.raises(exceptions.NotFoundError):
                async with aclient.iter_status(f"{workdir}/missing"):
                    pass
            assert await aclient.ls(workdir) == ["a", "b", "c d", "sub"]
            return paths, plain, await aclient.exists(f"{workdir}/b")

    paths, plain, exists = anyio.run(main)
    assert sorted(paths) == [f"{workdir}/{n}" for n in ("a", "b", "c d", "sub")]
    assert sorted(plain) == ["a", "b", "c d", "sub"]
    assert exists


# -- broken answers, from a server that sends exactly what it is told --------------------------


def _entry(name: str) -> bytes:
    return json.dumps(FileInfo(name=name, path=f"/d/{name}").json()).encode()


@pytest.fixture
def canned() -> Iterator[Callable[[bytes], str]]:
    """Serve one raw HTTP response (then close the connection) to every request."""
    with contextlib.ExitStack() as servers:
        yield lambda response: servers.enter_context(canned_http(lambda request: response))


ENTRIES = b"[" + b",".join(_entry(f"f{i}") for i in range(50))
CLOSE_DELIMITED = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"


def _chunked(body: bytes) -> bytes:
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    return head + b"%x\r\n" % len(body) + body + b"\r\n"  # no last chunk: cut off


@pytest.mark.parametrize(
    "response",
    [CLOSE_DELIMITED + ENTRIES, CLOSE_DELIMITED + ENTRIES + b",", _chunked(ENTRIES + b"]")],
    ids=["close-delimited, inside an entry", "close-delimited, after a comma", "chunked"],
)
def test_a_cut_answer_raises_http_error(canned: Callable[[bytes], str], response: bytes) -> None:
    url = canned(response)
    with alluxio.Client.from_url(url, retries=False) as c:
        got: list[str] = []
        with pytest.raises(exceptions.HTTPError) as caught:
            got.extend(info.name for info in c.iter_status("/d"))
        # Entries before the cut came whole; the error says some are missing.
        assert got == [f"f{i}" for i in range(len(got))] and len(got) < 50
        assert "list-status" in str(caught.value)
        with pytest.raises(exceptions.HTTPError):
            c.list_status("/d")

    async def main() -> None:
        async with alluxio.AsyncClient.from_url(url, retries=False) as aclient:
            with pytest.raises(exceptions.HTTPError):
                async for _ in aclient.iter_status("/d"):
                    pass

    anyio.run(main)


def test_garbage_and_errors_map_as_for_list_status(canned: Callable[[bytes], str]) -> None:
    garbage = canned(CLOSE_DELIMITED + b"<html>not json</html>")
    envelope = json.dumps({"statusCode": "NOT_FOUND", "message": 'Path "/d" does not exist.'})
    missing = canned(
        b"HTTP/1.1 500 Server Error\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(envelope), envelope.encode())
    )
    for url, error, message in (
        (garbage, exceptions.UnknownError, "with a body that is not JSON: b'<html>not json"),
        (missing, exceptions.NotFoundError, 'Path "/d" does not exist.'),
    ):
        with alluxio.Client.from_url(url, retries=False) as c:
            with pytest.raises(error, match=None) as streamed:
                list(c.iter_status("/d"))
            with pytest.raises(error, match=None) as whole:
                c.list_status("/d")
        assert message in str(streamed.value) and str(streamed.value) == str(whole.value)


# -- a big listing in bounded memory ------------------------------------------------------------

ENTRY_COUNT = 20_000


@pytest.fixture(scope="module")
def big_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An embedded proxy in its own process (its memory is not this test's) over a directory
    of ENTRY_COUNT empty files, made straight in its under store."""
    root = tmp_path_factory.mktemp("big-root")
    (root / "d").mkdir()
    for i in range(ENTRY_COUNT):
        (root / "d" / f"f{i:06d}").touch()
    with embedded_proxy_process(root) as url:
        yield url


def test_a_big_listing_streams_in_bounded_memory(big_proxy: str, tmp_path: Path) -> None:
    # The proxy streams it: chunked, not one announced (whole) body.
    with httpx.stream("POST", f"{big_proxy}/api/v1/paths//d/list-status", timeout=120) as raw:
        assert raw.headers.get("transfer-encoding") == "chunked"
        first = next(raw.iter_raw())
    assert first.startswith(b'[{"') and len(first) < 5_000_000
    body_size = ENTRY_COUNT * len(first) // (first.count(b'},{"blockIds"') + 1)  # about
    with alluxio.Client.from_url(big_proxy, timeout=120) as c:
        c.exists("/d")  # the connection is made before measuring
        tracemalloc.start()
        try:
            count = 0
            previous = ""
            with c.iter_status("/d") as entries:
                for info in entries:
                    assert info.name > previous  # the embedded proxy lists in name order
                    previous = info.name
                    count += 1
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert count == ENTRY_COUNT
    # ~36 MB of JSON went through; a few pieces of it were held at a time.
    assert body_size > 30_000_000
    assert peak < body_size / 4, (peak, body_size)
