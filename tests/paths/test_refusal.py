"""Every path of the matrix that would not reach the proxy intact is refused by all four
interfaces (Client, AsyncClient, fsspec, CLI), as a source and as a destination, with
InvalidArgumentError naming the character, its index and why, before any request.

The clients here point at a closed port with retries off: a request that went out would fail
with an HTTP error, so InvalidArgumentError also shows that nothing was sent.
"""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import alluxio
from alluxio import option
from alluxio.cli import app
from alluxio.exceptions import InvalidArgumentError
from alluxio.fsspec import AlluxioProxyFileSystem
from alluxio.server.pytest_plugin import ProxyFactory

from .cases import REFUSED, Case

PARENT = "/dir"
GOOD = "/dir/good"


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def port() -> int:
    return _closed_port()


@pytest.fixture(params=REFUSED, ids=[case.id for case in REFUSED])
def case(request: pytest.FixtureRequest) -> Case:
    value: Case = request.param
    return value


def _path(case: Case) -> str:
    return f"{PARENT}/{case.relative}"


def _message(case: Case) -> str:
    return rf"{re.escape(case.offence)} at index {len(PARENT) + 1 + case.index}: "


SYNC: dict[str, Callable[[alluxio.Client, str, Path], Any]] = {
    "create_directory": lambda c, p, _: c.create_directory(p),
    "create_file": lambda c, p, _: c.create_file(p),
    "delete": lambda c, p, _: c.delete(p),
    "exists": lambda c, p, _: c.exists(p),
    "free": lambda c, p, _: c.free(p),
    "get_status": lambda c, p, _: c.get_status(p),
    "list_status": lambda c, p, _: c.list_status(p),
    "ls": lambda c, p, _: c.ls(p),
    "mount": lambda c, p, _: c.mount(p, "file:///tmp"),
    "open_file": lambda c, p, _: c.open_file(p),
    "rename source": lambda c, p, _: c.rename(p, GOOD),
    "rename destination": lambda c, p, _: c.rename(GOOD, p),
    "set_attribute": lambda c, p, _: c.set_attribute(p, option.SetAttribute(pinned=True)),
    "unmount": lambda c, p, _: c.unmount(p),
    "open r": lambda c, p, _: c.open(p, "r").__enter__(),
    "open w": lambda c, p, _: c.open(p, "w").__enter__(),
    "read_bytes": lambda c, p, _: c.read_bytes(p),
    "write_bytes": lambda c, p, _: c.write_bytes(p, b"x"),
    "upload destination": lambda c, p, local: c.upload(local / "file", p),
    "download source": lambda c, p, local: c.download(p, local / "copy"),
}


@pytest.fixture
def local(tmp_path: Path) -> Path:
    (tmp_path / "file").write_bytes(b"data")
    return tmp_path


@pytest.mark.parametrize("operation", list(SYNC))
def test_client_refuses(port: int, case: Case, operation: str, local: Path) -> None:
    with (
        alluxio.Client("127.0.0.1", port, retries=False) as client,
        pytest.raises(InvalidArgumentError, match=_message(case)),
    ):
        SYNC[operation](client, _path(case), local)


ASYNC: dict[str, Callable[[alluxio.AsyncClient, str], Any]] = {
    "create_directory": lambda c, p: c.create_directory(p),
    "create_file": lambda c, p: c.create_file(p),
    "delete": lambda c, p: c.delete(p),
    "exists": lambda c, p: c.exists(p),
    "free": lambda c, p: c.free(p),
    "get_status": lambda c, p: c.get_status(p),
    "list_status": lambda c, p: c.list_status(p),
    "ls": lambda c, p: c.ls(p),
    "mount": lambda c, p: c.mount(p, "file:///tmp"),
    "open_file": lambda c, p: c.open_file(p),
    "rename source": lambda c, p: c.rename(p, GOOD),
    "rename destination": lambda c, p: c.rename(GOOD, p),
    "set_attribute": lambda c, p: c.set_attribute(p, option.SetAttribute(pinned=True)),
    "unmount": lambda c, p: c.unmount(p),
    "open r": lambda c, p: c.open(p, "r").__aenter__(),
    "open w": lambda c, p: c.open(p, "w").__aenter__(),
    "read_bytes": lambda c, p: c.read_bytes(p),
    "write_bytes": lambda c, p: c.write_bytes(p, b"x"),
}


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.parametrize("operation", list(ASYNC))
@pytest.mark.anyio
async def test_async_client_refuses(port: int, case: Case, operation: str) -> None:
    async with alluxio.AsyncClient("127.0.0.1", port, retries=False) as client:
        with pytest.raises(InvalidArgumentError, match=_message(case)):
            await ASYNC[operation](client, _path(case))


FSSPEC: dict[str, Callable[[AlluxioProxyFileSystem, str, Path], Any]] = {
    "info": lambda fs, p, _: fs.info(p),
    "exists": lambda fs, p, _: fs.exists(p),
    "ls": lambda fs, p, _: fs.ls(p),
    "cat_file": lambda fs, p, _: fs.cat_file(p),
    "pipe_file": lambda fs, p, _: fs.pipe_file(p, b"x"),
    "open rb": lambda fs, p, _: fs.open(p, "rb"),
    "open wb": lambda fs, p, _: fs.open(p, "wb"),
    "rm_file": lambda fs, p, _: fs.rm_file(p),
    "mkdir": lambda fs, p, _: fs.mkdir(p),
    "makedirs": lambda fs, p, _: fs.makedirs(p),
    "mv destination": lambda fs, p, _: fs.mv(GOOD, p),
    "put_file destination": lambda fs, p, local: fs.put_file(str(local / "file"), p),
    "get_file source": lambda fs, p, local: fs.get_file(p, str(local / "copy")),
    "url": lambda fs, p, _: fs.info(f"alluxio-proxy://127.0.0.1:{fs.port}{p}"),
}


@pytest.fixture
def fs(port: int) -> Iterator[AlluxioProxyFileSystem]:
    fs = AlluxioProxyFileSystem("127.0.0.1", port, retries=False, skip_instance_cache=True)
    yield fs
    fs.client.close_connections()


@pytest.mark.parametrize("operation", list(FSSPEC))
def test_fsspec_refuses(
    fs: AlluxioProxyFileSystem, case: Case, operation: str, local: Path
) -> None:
    with pytest.raises(InvalidArgumentError, match=_message(case)):
        FSSPEC[operation](fs, _path(case), local)


CLI: dict[str, Callable[[str, Path], list[str]]] = {
    "ls": lambda p, _: ["ls", p],
    "stat": lambda p, _: ["stat", p],
    "cat": lambda p, _: ["cat", p],
    "rm": lambda p, _: ["rm", p],
    "mkdir": lambda p, _: ["mkdir", p],
    "touch": lambda p, _: ["touch", p],
    "mv source": lambda p, _: ["mv", p, GOOD],
    "mv destination": lambda p, _: ["mv", GOOD, p],
    "put destination": lambda p, local: ["put", str(local / "file"), p],
    "get source": lambda p, local: ["get", p, str(local / "copy")],
    "free": lambda p, _: ["free", p],
    "mount": lambda p, _: ["mount", p, "file:///tmp"],
}


# The commands that expand wildcards read '?' as one (any single character, as `alluxio fs`
# and a shell do): they list the directory above the pattern and match names there, so the
# path with '?' itself never reaches the proxy (matching is tested in tests/cli).
WILDCARD_OPERATIONS = {"ls", "stat", "cat", "rm", "mv source", "get source", "free"}


def _listed_for(pattern: str) -> str:
    """The directory a wildcard command lists to expand ``pattern``."""
    parts = pattern.split("/")
    first = next(i for i, part in enumerate(parts) if "?" in part)
    return "/".join(parts[:first]) or "/"


@pytest.mark.parametrize("operation", list(CLI))
def test_cli_refuses(port: int, case: Case, operation: str, local: Path) -> None:
    result = CliRunner().invoke(
        app,
        CLI[operation](_path(case), local),
        env={"ALLUXIO_PROXY": f"http://127.0.0.1:{port}"},
        catch_exceptions=False,
    )
    if case.offence == "'?'" and operation in WILDCARD_OPERATIONS:
        # The one request is the listing of the pattern's directory (refused: no proxy).
        assert result.exit_code == 1, result.stderr
        listed = _listed_for(_path(case))
        assert f"/api/v1/paths/{listed}/list-status: ConnectError" in result.stderr
        return
    assert result.exit_code == 2, result.stderr
    # A usage error naming the character and its index, not a connection error.
    assert re.search(_message(case), result.stderr), result.stderr
    assert "CONNECTION_ERROR" not in result.stderr


def test_put_of_a_tree_with_a_name_alluxio_cannot_hold_creates_nothing(
    embedded_proxy_url: str, tmp_path: Path
) -> None:
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    (tree / "a.txt").write_bytes(b"x")
    (tree / "sub" / "what?.txt").write_bytes(b"x")
    with alluxio.Client.from_url(embedded_proxy_url) as client:
        client.create_directory(dest := f"/put-{uuid.uuid4().hex[:10]}")
        result = CliRunner().invoke(
            app, ["put", "-q", str(tree), dest], env={"ALLUXIO_PROXY": embedded_proxy_url}
        )
        assert result.exit_code == 1
        index = len(f"{dest}/tree/sub/what")
        assert f"has '?' at index {index}: the proxy ends the path there" in result.stderr
        # Refused while planning: not even the directories were created.
        assert client.ls(dest) == []


def test_get_of_a_tree_holding_a_name_the_client_refuses_makes_nothing_locally(
    alluxio_proxy_factory: ProxyFactory, tmp_path: Path
) -> None:
    # A name with a backslash, put there by something else (here: the embedded proxy's own
    # directory): the download is refused while planning, before any local directory is made
    # (it used to fail part-way, leaving empty directories).
    root = tmp_path / "root"
    (root / "tree" / "sub").mkdir(parents=True)
    (root / "tree" / "a.txt").write_bytes(b"x")
    (root / "tree" / "sub" / "b\\c").write_bytes(b"x")
    proxy = alluxio_proxy_factory(root)
    local = tmp_path / "local"
    local.mkdir()
    result = CliRunner().invoke(
        app, ["get", "-q", "/tree", str(local / "copy")], env={"ALLUXIO_PROXY": proxy.url}
    )
    assert result.exit_code == 1
    assert "'/tree/sub/b\\\\c' has a backslash at index 11" in result.stderr, result.stderr
    assert list(local.iterdir()) == []
