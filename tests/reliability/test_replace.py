"""Replacing an existing file (``overwrite=True``, ``put --force``, fsspec put/pipe).

On a 2.x proxy the complete new file is renamed onto the old one with
``s3SyntaxOptions.overwrite``: one request, so a concurrent reader finds the old file or the
new one and never a missing path. A 1.x proxy has no such rename: the old file is deleted
first, and for a moment the path is missing. Directories (mount points included) are never
replaced: a 2.9.6 master would replace them, contents and all (tests/differential).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fsspec  # type: ignore[import-untyped]
import httpx
import pytest
import respx
from typer.testing import CliRunner

import alluxio
from alluxio import option, wire
from alluxio._core import is_temp_name
from alluxio._dialect import Dialect
from alluxio.cli import app
from alluxio.exceptions import AlreadyExistsError, InvalidArgumentError, NotFoundError
from alluxio.server import EmbeddedProxy

DIRECTORY = 'ALREADY_EXISTS: Path "{}" already exists and is a directory; only files are replaced'


@pytest.fixture
def client(proxy_url: str) -> Iterator[alluxio.Client]:
    with alluxio.Client.from_url(proxy_url, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def embedded_v1(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedProxy]:
    with EmbeddedProxy(tmp_path_factory.mktemp("replace-v1"), dialect="1.x") as proxy:
        yield proxy


@pytest.fixture
def base(client: alluxio.Client) -> str:
    path = f"/replace-{uuid.uuid4().hex[:10]}"
    client.create_directory(path)
    return path


def temps(client: alluxio.Client, directory: str) -> list[str]:
    return [name for name in client.ls(directory) if is_temp_name(name)]


class Poller:
    """Polls get-status of one path from its own client until stopped; counts answers."""

    def __init__(self, url: str, path: str, dialect: str = "2.x") -> None:
        self.url, self.path, self.dialect = url, path, dialect
        self.found = self.missing = 0
        self.lengths: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        with alluxio.Client.from_url(self.url, timeout=120, dialect=self.dialect) as other:
            while not self._stop.is_set():
                try:
                    info = other.get_status(self.path)
                except NotFoundError:
                    self.missing += 1
                    continue
                self.found += 1
                self.lengths.add(info.length if info.completed else -1)

    def __enter__(self) -> Poller:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def payload(i: int) -> bytes:
    return bytes([65 + i % 26]) * (1000 + i)


def test_a_forced_replace_never_shows_a_missing_path(
    client: alluxio.Client, base: str, proxy_url: str, tmp_path: Path
) -> None:
    """write_bytes(overwrite=True) and upload(overwrite=True) (put --force) on 2.x: a poller
    never gets NOT_FOUND, and only ever sees complete files."""
    path = f"{base}/f"
    client.write_bytes(path, payload(0))
    local = tmp_path / "f"
    rounds = 12
    with Poller(proxy_url, path) as poller:
        for i in range(1, rounds + 1):
            if i % 2:
                assert client.write_bytes(path, payload(i), overwrite=True) == len(payload(i))
            else:
                local.write_bytes(payload(i))
                assert client.upload(local, path, overwrite=True) == path
    assert poller.missing == 0
    assert poller.found > 0
    assert poller.lengths <= {len(payload(i)) for i in range(rounds + 1)}
    assert client.read_bytes(path) == payload(rounds)
    assert client.ls(base) == ["f"]


def test_on_1x_the_replacement_deletes_first(embedded_v1: EmbeddedProxy) -> None:
    """The same poller does see the path missing on 1.x, where there is no replacing
    rename: the window the 2.x test proves absent is real, and this test can see it."""
    with alluxio.Client.from_url(embedded_v1.url, dialect="1.x") as client:
        path = f"/v1-{uuid.uuid4().hex[:10]}"
        client.write_bytes(path, payload(0))
        with Poller(embedded_v1.url, path, "1.x") as poller:
            for i in range(1, 201):
                client.write_bytes(path, payload(i), overwrite=True)
                if poller.missing:
                    break
        assert poller.missing > 0
        assert client.read_bytes(path) == payload(i)


@pytest.mark.anyio
async def test_async_forced_replace(proxy_url: str) -> None:
    async with alluxio.AsyncClient.from_url(proxy_url, timeout=120) as client:
        base = f"/replace-async-{uuid.uuid4().hex[:10]}"
        await client.create_directory(base)
        path = f"{base}/f"
        await client.write_bytes(path, b"old")
        with Poller(proxy_url, path) as poller:
            for i in range(1, 7):
                await client.write_bytes(path, payload(i), overwrite=True)
        assert poller.missing == 0
        assert await client.read_bytes(path) == payload(6)
        with pytest.raises(AlreadyExistsError, match="already exists"):
            await client.write_bytes(path, b"no")
        await client.create_directory(f"{base}/d")
        with pytest.raises(AlreadyExistsError) as caught:
            await client.write_bytes(f"{base}/d", b"no", overwrite=True)
        assert str(caught.value) == DIRECTORY.format(f"{base}/d")
        assert sorted(await client.ls(base)) == ["d", "f"]


def test_1x_forced_replace_works(embedded_v1: EmbeddedProxy, tmp_path: Path) -> None:
    with alluxio.Client.from_url(embedded_v1.url, dialect="1.x") as client:
        base = f"/v1-{uuid.uuid4().hex[:10]}"
        client.create_directory(base)
        client.write_bytes(f"{base}/f", b"old")
        client.write_bytes(f"{base}/f", b"new", overwrite=True)
        (tmp_path / "f").write_bytes(b"newer")
        client.upload(tmp_path / "f", f"{base}/f", overwrite=True)
        assert client.read_bytes(f"{base}/f") == b"newer"
        assert client.ls(base) == ["f"]


def test_directories_and_mount_points_are_never_replaced(
    client: alluxio.Client, base: str, local_dir: Path, tmp_path: Path
) -> None:
    client.create_directory(f"{base}/d")
    client.write_bytes(f"{base}/d/keep", b"keep")
    (local_dir / "mounted").write_bytes(b"mounted")
    client.mount(f"{base}/mnt", str(local_dir))
    pulled: list[int] = []

    def data() -> Iterator[bytes]:
        pulled.append(1)
        yield b"new"

    for target in (f"{base}/d", f"{base}/mnt"):
        with pytest.raises(AlreadyExistsError) as caught:
            client.write_bytes(target, data(), overwrite=True)
        assert str(caught.value) == DIRECTORY.format(target)
    assert pulled == []
    # upload of a file named like an existing directory, into their parent.
    (tmp_path / "d").write_bytes(b"new")
    with pytest.raises(AlreadyExistsError, match="already exists and is a directory"):
        client.upload(tmp_path / "d", f"{base}/", overwrite=True)
    assert client.read_bytes(f"{base}/d/keep") == b"keep"
    assert client.ls(f"{base}/mnt") == ["mounted"]
    assert (local_dir / "mounted").read_bytes() == b"mounted"
    assert sorted(client.ls(base)) == ["d", "mnt"]
    client.unmount(f"{base}/mnt")


def test_a_directory_made_while_the_data_is_sent_is_not_replaced(
    client: alluxio.Client, base: str
) -> None:
    """The destination is checked again right before the rename."""
    path = f"{base}/f"
    client.write_bytes(path, b"old")

    def data() -> Iterator[bytes]:
        yield b"new"
        client.delete(path)
        client.create_directory(path)
        client.write_bytes(f"{path}/inside", b"inside")

    with pytest.raises(AlreadyExistsError) as caught:
        client.write_bytes(path, data(), overwrite=True)
    assert str(caught.value) == DIRECTORY.format(path)
    assert client.read_bytes(f"{path}/inside") == b"inside"
    assert client.ls(base) == ["f"]


def test_a_file_being_written_is_not_replaced(
    client: alluxio.Client, base: str, proxy_url: str, tmp_path: Path
) -> None:
    """A real proxy would replace it and still answer the writer's close with success: its
    data would be lost without anybody knowing. Refused instead, before and after sending."""
    path = f"{base}/f"
    writer_id = client.create_file(path)
    refused = (
        f'ALREADY_EXISTS: Path "{path}" is incomplete (being written, or abandoned by its '
        "writer); only complete files are replaced: delete it first if nobody is writing it"
    )
    with pytest.raises(AlreadyExistsError) as caught:
        client.write_bytes(path, b"forced", overwrite=True)
    assert str(caught.value) == refused
    (tmp_path / "f").write_bytes(b"forced")
    result = CliRunner().invoke(
        app, ["put", "-q", "--force", str(tmp_path / "f"), path], env={"ALLUXIO_PROXY": proxy_url}
    )
    assert result.exit_code == 1
    assert "is incomplete (being written" in result.stderr

    def data() -> Iterator[bytes]:
        yield b"forced"
        # The writer starts while the forced data is on its way: found at the last check.
        client.delete(path)
        nonlocal writer_id
        writer_id = client.create_file(path)

    client.close(writer_id)
    client.delete(path)
    client.write_bytes(path, b"old")
    with pytest.raises(AlreadyExistsError) as caught:
        client.write_bytes(path, data(), overwrite=True)
    assert str(caught.value) == refused
    with client.write(writer_id) as stream:
        stream.write(b"the writer's data")
    client.close(writer_id)
    assert client.read_bytes(path) == b"the writer's data"
    assert client.ls(base) == ["f"]


def test_concurrent_forced_writers(client: alluxio.Client, base: str, proxy_url: str) -> None:
    """Several writers replacing one file at once: all succeed, the last rename wins whole,
    no temporary file is left."""
    path = f"{base}/f"
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            with alluxio.Client.from_url(proxy_url, timeout=120) as own:
                for i in range(3):
                    own.write_bytes(path, payload(n * 3 + i), overwrite=True)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert client.read_bytes(path) in {payload(i) for i in range(12)}
    assert client.ls(base) == ["f"]


def test_cli_put_force(
    client: alluxio.Client, base: str, proxy_url: str, tmp_path: Path, local_dir: Path
) -> None:
    runner = CliRunner()

    def cli(*args: str) -> Any:
        return runner.invoke(app, list(args), env={"ALLUXIO_PROXY": proxy_url})

    (tmp_path / "f").write_bytes(b"new")
    client.write_bytes(f"{base}/f", b"old")
    result = cli("put", "-q", str(tmp_path / "f"), f"{base}/f")
    assert result.exit_code == 1
    assert "already exists (use --force to overwrite)" in result.stderr
    result = cli("put", "-q", "--force", str(tmp_path / "f"), f"{base}/f")
    assert result.exit_code == 0, result.stderr
    assert client.read_bytes(f"{base}/f") == b"new"
    # A file onto a directory of the same name, and onto a mount point: refused, untouched.
    client.create_directory(f"{base}/d/sub", option.CreateDirectory(recursive=True))
    client.mount(f"{base}/m", str(local_dir))
    for name in ("d", "m"):
        (tmp_path / name).write_bytes(b"file")
        result = cli("put", "-q", "--force", str(tmp_path / name), f"{base}/")
        assert result.exit_code == 1
        assert f'"{base}/{name}" already exists and is a directory' in result.stderr
    assert client.ls(f"{base}/d") == ["sub"]
    assert client.get_status(f"{base}/m").mount_point
    assert temps(client, base) == []
    client.unmount(f"{base}/m")


def test_cli_force_help_says_what_it_does() -> None:
    result = CliRunner().invoke(app, ["put", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert "2.x proxies: one atomic rename" in text
    assert "1.x: delete, then rename" in text
    assert "never a directory" in text


def test_fsspec_put_and_pipe_replace(
    client: alluxio.Client, base: str, proxy_url: str, tmp_path: Path
) -> None:
    host, port = proxy_url.removeprefix("http://").split(":")
    fs = fsspec.filesystem(
        "alluxio-proxy", host=host, port=int(port), timeout=120, skip_instance_cache=True
    )
    path = f"{base}/f"
    client.write_bytes(path, b"old")
    with Poller(proxy_url, path) as poller:
        fs.pipe_file(path, b"piped")
        (tmp_path / "up").write_bytes(b"uploaded")
        fs.put_file(str(tmp_path / "up"), path)
    assert poller.missing == 0
    assert client.read_bytes(path) == b"uploaded"
    client.create_directory(f"{base}/d")
    with pytest.raises(IsADirectoryError):
        fs.pipe_file(f"{base}/d", b"x")
    assert client.ls(base) == ["d", "f"]


# -- on the wire ------------------------------------------------------------------------------


def recording(calls: list[tuple[str, str, Any]]) -> Callable[[httpx.Request], httpx.Response]:
    """A fake proxy where the destination exists as a file: records (action, path, body) of
    each path operation (the stream writes and closes are left out)."""

    def answer(request: httpx.Request) -> httpx.Response:
        head, action = request.url.path.rsplit("/", 1)
        if "/paths/" in head:
            path = request.url.params.get("dst") or head.split("/paths/", 1)[1]
            name = path.rsplit("/", 1)[1]
            body = json.loads(request.content) if request.content else None
            calls.append((action, "TEMP" if is_temp_name(name) else path, body))
        if action == "create-file":
            return httpx.Response(200, json=5)
        if action == "write":
            return httpx.Response(200, json=len(request.content))
        if action == "get-status":
            return httpx.Response(
                200, json=wire.FileInfo(name="f", path="/d/f", completed=True).json()
            )
        return httpx.Response(200)

    return answer


REPLACE = {"s3SyntaxOptions": {"overwrite": True}}
EXPECTED: dict[Dialect, list[tuple[str, str, Any]]] = {
    # Checked before the data is sent and again right before the rename.
    "2.x": [
        ("get-status", "/d/f", None),
        ("create-file", "TEMP", None),
        ("get-status", "/d/f", None),
        ("rename", "/d/f", REPLACE),
    ],
    "1.x": [
        ("get-status", "/d/f", None),
        ("create-file", "TEMP", None),
        ("get-status", "/d/f", None),
        ("delete", "/d/f", None),
        ("rename", "/d/f", None),
    ],
}


@pytest.mark.parametrize("dialect", list(EXPECTED))
def test_wire_one_rename_on_2x_delete_then_rename_on_1x(dialect: Dialect) -> None:
    calls: list[tuple[str, str, Any]] = []
    with respx.mock(base_url="http://proxy.test:39999") as router:
        router.post(url__regex=r".*").mock(side_effect=recording(calls))
        with alluxio.Client("proxy.test", 39999, dialect=dialect) as client:
            client.write_bytes("/d/f", b"data", overwrite=True)
    assert calls == EXPECTED[dialect]


@pytest.mark.anyio
@pytest.mark.parametrize("dialect", list(EXPECTED))
async def test_wire_async(dialect: Dialect) -> None:
    calls: list[tuple[str, str, Any]] = []
    with respx.mock(base_url="http://proxy.test:39999") as router:
        router.post(url__regex=r".*").mock(side_effect=recording(calls))
        async with alluxio.AsyncClient("proxy.test", 39999, dialect=dialect) as client:
            await client.write_bytes("/d/f", b"data", overwrite=True)
    assert calls == EXPECTED[dialect]


# -- misuse ---------------------------------------------------------------------------------


def test_bad_arguments_fail_before_anything_is_sent() -> None:
    with respx.mock(base_url="http://proxy.test:39999", assert_all_called=False) as router:
        route = router.post(url__regex=r".*").mock(return_value=httpx.Response(200))
        with alluxio.Client("proxy.test", 39999) as client:
            with pytest.raises(ValueError, match=r"overwrite=True .* needs atomic=True"):
                client.write_bytes("/f", b"x", atomic=False, overwrite=True)
            with pytest.raises(TypeError, match="overwrite must be a bool, got str"):
                client.write_bytes("/f", b"x", overwrite="yes")  # type: ignore[arg-type]
            replace = option.Rename(s3_syntax_options=option.S3SyntaxOptions(overwrite=True))
            crash = r"an ancestor of .*, and breaks an Alluxio 2\.9\.6 master"
            for src, dst in (("/a/b/c", "/a"), ("/a/b", "/a/"), ("/a", "/"), ("/a//b", "//a")):
                with pytest.raises(InvalidArgumentError, match=crash):
                    client.rename(src, dst, replace)
        assert not route.called
