"""Bad input: every public method and constructor, given a wrong type or value, raises
TypeError or ValueError naming the argument, before any request is sent.

One table: for each method, a good call (``GOOD``); for each argument name, bad values
(``BAD``). Every argument of every method is replaced by each of its bad values in turn;
a catch-all respx route counts requests, and must count none.
"""

from __future__ import annotations

import asyncio
import inspect
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

import alluxio
from alluxio import option, wire
from alluxio.aio import AsyncClient
from alluxio.client import Reader
from tests.spec._spec_fields import CLASS_FIELDS as SPEC_FIELDS

Bad = tuple[object, type[Exception], str]  # value, error, text the message must contain

PATH_LIKE: list[tuple[object, type[Exception]]] = [
    (None, TypeError),
    ("relative/path", ValueError),
    ("", ValueError),
    (b"/bytes", TypeError),
    (42, TypeError),
    ("/nul\x00byte", ValueError),
    ("/lone-surrogate-\udcff", ValueError),  # os.fsdecode of a name that is not UTF-8
]
FILE_ID: list[tuple[object, type[Exception]]] = [
    (None, TypeError),
    ("1", TypeError),
    (1.0, TypeError),
    (True, TypeError),
    (-1, ValueError),
]
OPT: list[Bad] = [
    ("opt", TypeError, "opt"),
    ({"recursive": True}, TypeError, "opt"),
    (option.Unmount(), TypeError, "opt"),  # the wrong option class (unmount itself: below)
]

BAD: dict[str, list[Bad]] = {
    "path": [(v, e, "path") for v, e in PATH_LIKE],
    "dst": [(v, e, "dst") for v, e in PATH_LIKE],
    "remote": [(v, e, "remote") for v, e in PATH_LIKE],
    "local": [(None, TypeError, "local"), (42, TypeError, "local"), ("", ValueError, "local")],
    "opt": OPT,
    "src": [
        (None, TypeError, "src"),
        ("", ValueError, "src"),
        (b"s3://b", TypeError, "src"),
        ("s3://b/\x00", ValueError, "src"),
        ("s3://b/\udcff", ValueError, "src"),
    ],
    "file_id": [(v, e, "file_id") for v, e in FILE_ID],
    "mode": [
        ("a", ValueError, "mode"),
        ("rt", ValueError, "mode"),  # text: streams are bytes ("rb" is accepted as "r")
        (None, ValueError, "mode"),
        ("R", ValueError, "mode"),
    ],
    "data": [
        ("text", TypeError, "data"),
        (None, TypeError, "data"),
        (42, TypeError, "data"),
        (io.StringIO("text"), TypeError, "data"),
    ],
    "threads": [
        (0, ValueError, "threads"),
        ("2", TypeError, "threads"),
        (True, TypeError, "threads"),
    ],
    "overwrite": [("yes", TypeError, "overwrite"), (None, TypeError, "overwrite")],
    "atomic": [("yes", TypeError, "atomic"), (None, TypeError, "atomic")],
    "progress": [(42, TypeError, "progress")],
    "url": [
        (None, TypeError, "url"),
        ("ftp://a:1", ValueError, "scheme"),
        ("http://a:1/x", ValueError, "url"),
    ],
    # constructors
    "host": [(None, TypeError, "host"), ("", TypeError, "host"), (42, TypeError, "host")],
    "port": [
        ("39999", TypeError, "port"),
        (0, ValueError, "port"),
        (65536, ValueError, "port"),
        (True, TypeError, "port"),
    ],
    "timeout": [
        (-1, ValueError, "timeout"),
        (0, ValueError, "timeout"),
        ("1", TypeError, "timeout"),
    ],
    "connect_timeout": [
        (-1, ValueError, "connect_timeout"),
        ("1", TypeError, "connect_timeout"),
        (None, TypeError, "connect_timeout"),
    ],
    "dialect": [("3.x", ValueError, "dialect"), (2, ValueError, "dialect")],
    "chunk_size": [
        (0, ValueError, "chunk_size"),
        (-1, ValueError, "chunk_size"),
        ("1", TypeError, "chunk_size"),
    ],
    "scheme": [("ftp", ValueError, "scheme"), (None, ValueError, "scheme")],
    "retries": [("3", TypeError, "retries"), (-1, ValueError, "retries")],
    "proxies": [("http://b:1", TypeError, "proxies"), ([42], TypeError, "proxies")],
    "max_connections": [(0, ValueError, "max_connections"), ("8", TypeError, "max_connections")],
    "verify": [(1, TypeError, "verify"), ("/nonexistent/ca.pem", FileNotFoundError, "verify")],
    "cert": [(["c", "k"], TypeError, "cert"), ("/nonexistent/c.pem", FileNotFoundError, "cert")],
    "trust_env": [("no", TypeError, "trust_env")],
    "proxy": [(3128, TypeError, "proxy"), ("ftp://p:21", ValueError, "proxy")],
    "headers": [
        ("X-A: b", TypeError, "headers"),
        ({"X-A": "b\r\nX-C: d"}, ValueError, "'X-A'"),
        ({"X A": "b"}, ValueError, "'X A'"),
    ],
    "auth": [("user:pass", TypeError, "auth")],
    # Reader / Writer
    "n": [("1", TypeError, "n"), (1.5, TypeError, "n")],
    "buffer": [(b"immutable", TypeError, "buffer"), ("text", TypeError, "buffer")],
}

# A valid call of every public method: argument name -> value. "opt" is the right class.
GOOD: dict[str, dict[str, Any]] = {
    "create_directory": {"path": "/d", "opt": option.CreateDirectory()},
    "create_file": {"path": "/f", "opt": option.CreateFile()},
    "delete": {"path": "/f", "opt": option.Delete()},
    "exists": {"path": "/f", "opt": option.Exists()},
    "free": {"path": "/f", "opt": option.Free()},
    "get_status": {"path": "/f", "opt": option.GetStatus()},
    "list_status": {"path": "/", "opt": option.ListStatus()},
    "iter_status": {"path": "/", "opt": option.ListStatus()},
    "ls": {"path": "/", "opt": option.ListStatus()},
    "mount": {"path": "/m", "src": "s3://bucket", "opt": option.Mount()},
    "open_file": {"path": "/f", "opt": option.OpenFile()},
    "rename": {"path": "/f", "dst": "/g", "opt": option.Rename()},
    "set_attribute": {"path": "/f", "opt": option.SetAttribute()},
    "unmount": {"path": "/m", "opt": option.Unmount()},
    "close": {"file_id": 1},
    "read": {"file_id": 1},
    "write": {"file_id": 1},
    "open": {"path": "/f", "mode": "r", "opt": option.OpenFile()},
    "read_bytes": {"path": "/f", "opt": option.OpenFile()},
    "write_bytes": {
        "path": "/f",
        "data": b"x",
        "opt": option.CreateFile(),
        "atomic": True,
        "overwrite": False,
    },
    "upload": {
        "local": "<file>",
        "remote": "/up",
        "threads": 1,
        "overwrite": False,
        "progress": None,
    },
    "download": {
        "remote": "/f",
        "local": "<dir>",
        "threads": 1,
        "overwrite": False,
        "progress": None,
    },
    "from_url": {"url": "http://proxy.test:39999"},
}
# Keyword arguments passed on by from_url to the constructor, checked there.
FROM_URL_KWARGS: list[Bad] = [
    ({"port": 1}, TypeError, "port"),
    ({"bogus": 1}, TypeError, "bogus"),
    ({"chunk_size": 0}, ValueError, "chunk_size"),
    ({"proxies": ["http://b:1"]}, TypeError, "proxies"),
]
NO_ARGUMENTS = {"close_connections", "proxy_info", "get_dialect"}

CONSTRUCTOR: dict[str, Any] = {
    "host": "proxy.test",
    "port": 39999,
    "timeout": 10,
    "connect_timeout": 5.0,
    "dialect": "2.x",
    "chunk_size": 1024,
    "scheme": "http",
    "retries": 2,
    "proxies": ["http://other.test:39999"],
    "max_connections": 8,
    "verify": True,
    "cert": None,
    "trust_env": True,
    "proxy": None,
    "headers": {"X-Gateway-Key": "k"},
    "auth": None,
}


def _public_methods(cls: type) -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(cls)
        if not name.startswith("_") and callable(member)
    }


def _cases(cls: type) -> Iterator[Any]:
    for method in sorted(GOOD):
        if not hasattr(cls, method):
            continue
        params = inspect.signature(getattr(cls, method)).parameters
        for arg in GOOD[method]:
            if arg not in params:
                continue
            for value, error, text in BAD[arg]:
                if method == "close" and value is None:
                    continue  # close() without a file id closes the client (tested elsewhere)
                if arg == "opt" and method == "unmount" and type(value) is option.Unmount:
                    value = option.Delete()
                if arg == "opt" and method == "open" and type(value) is option.Unmount:
                    value = option.CreateFile()  # the class of the other mode
                yield pytest.param(
                    cls, method, arg, value, error, text, id=f"{method}-{arg}={value!r}"
                )


def _constructor_cases(cls: type) -> Iterator[Any]:
    params = inspect.signature(cls).parameters
    for arg in CONSTRUCTOR:
        if arg not in params:
            continue
        for value, error, text in BAD[arg]:
            yield pytest.param(cls, arg, value, error, text, id=f"{cls.__name__}-{arg}={value!r}")


@pytest.fixture(scope="module")
def sync_client() -> Iterator[alluxio.Client]:
    # One client for all cases: creating one costs an SSL context, and none sends anything.
    with alluxio.Client("proxy.test", 39999) as client:
        yield client


@pytest.fixture(scope="module")
def async_client() -> Iterator[AsyncClient]:
    client = AsyncClient("proxy.test", 39999)
    yield client
    asyncio.run(client.close_connections())


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as mock:
        mock.route().mock(return_value=httpx.Response(200, json=1))
        yield mock


def _arguments(method: str, tmp_path: Path) -> dict[str, Any]:
    arguments = dict(GOOD[method])
    if arguments.get("local") == "<file>":
        (tmp_path / "upload-me").write_bytes(b"x")
        arguments["local"] = str(tmp_path / "upload-me")
    elif arguments.get("local") == "<dir>":
        arguments["local"] = str(tmp_path)
    return arguments


def _check(
    call: Callable[[], Any], error: type[Exception], text: str, router: respx.MockRouter
) -> None:
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value), f"{info.value!r} does not name {text!r}"
    assert router.calls.call_count == 0, [str(c.request.url) for c in router.calls]


def _sync_call(client: alluxio.Client, method: str, arguments: dict[str, Any]) -> Any:
    if method == "open":
        with client.open(**arguments):
            pass
        return None
    if method == "from_url":
        return alluxio.Client.from_url(**arguments)
    if method == "iter_status":
        return list(client.iter_status(**arguments))
    return getattr(client, method)(**arguments)


async def _async_call(client: AsyncClient, method: str, arguments: dict[str, Any]) -> Any:
    if method == "open":
        async with client.open(**arguments):
            pass
        return None
    if method == "iter_status":
        return [info async for info in client.iter_status(**arguments)]
    return await getattr(client, method)(**arguments)


@pytest.mark.parametrize(
    ("cls", "method", "arg", "value", "error", "text"), list(_cases(alluxio.Client))
)
def test_client_method_rejects_bad_input_before_sending(
    sync_client: alluxio.Client,
    router: respx.MockRouter,
    tmp_path: Path,
    cls: type,
    method: str,
    arg: str,
    value: object,
    error: type[Exception],
    text: str,
) -> None:
    arguments = _arguments(method, tmp_path)
    arguments[arg] = value
    _check(lambda: _sync_call(sync_client, method, arguments), error, text, router)


@pytest.mark.parametrize(
    ("cls", "method", "arg", "value", "error", "text"), list(_cases(AsyncClient))
)
def test_async_client_method_rejects_bad_input_before_sending(
    async_client: AsyncClient,
    router: respx.MockRouter,
    tmp_path: Path,
    cls: type,
    method: str,
    arg: str,
    value: object,
    error: type[Exception],
    text: str,
) -> None:
    arguments = _arguments(method, tmp_path)
    arguments[arg] = value

    _check(lambda: asyncio.run(_async_call(async_client, method, arguments)), error, text, router)


@pytest.mark.parametrize("cls", [alluxio.Client, AsyncClient])
@pytest.mark.parametrize(("kwargs", "error", "text"), FROM_URL_KWARGS)
def test_from_url_rejects_bad_keywords(
    router: respx.MockRouter, cls: Any, kwargs: Any, error: type[Exception], text: str
) -> None:
    _check(lambda: cls.from_url("http://a:1", **kwargs), error, text, router)


@pytest.mark.parametrize(
    ("cls", "arg", "value", "error", "text"),
    [*_constructor_cases(alluxio.Client), *_constructor_cases(AsyncClient)],
)
def test_constructor_rejects_bad_input(
    router: respx.MockRouter, cls: type, arg: str, value: object, error: type[Exception], text: str
) -> None:
    params = inspect.signature(cls).parameters
    arguments = {k: v for k, v in CONSTRUCTOR.items() if k in params}
    arguments[arg] = value
    _check(lambda: cls(**arguments), error, text, router)


def test_reader_and_writer_reject_bad_input(
    sync_client: alluxio.Client, router: respx.MockRouter
) -> None:
    reader = Reader(httpx.Response(200, stream=httpx.ByteStream(b"abc")))
    for arg, method in (("n", reader.read), ("buffer", reader.readinto)):
        for value, error, text in BAD[arg]:
            _check(lambda m=method, v=value: m(v), error, text, router)  # type: ignore[misc]
    writer = sync_client.write(1)
    for value, error, text in BAD["data"]:
        _check(lambda v=value: writer.write(v), error, text, router)  # type: ignore[misc]


# -- options and wire values -----------------------------------------------------------------

OPTION_CASES: list[tuple[Callable[[], object], type[Exception], str]] = [
    (lambda: option.CreateDirectory(allow_exists="yes"), TypeError, "allow_exists"),  # type: ignore[arg-type]
    (lambda: option.CreateDirectory(mode="755"), TypeError, "mode"),  # type: ignore[arg-type]
    (lambda: option.CreateDirectory(recursive=1), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.CreateDirectory(write_type="SOMETIMES"), ValueError, "write_type"),  # type: ignore[arg-type]
    (lambda: option.CreateDirectory(write_type=3), TypeError, "write_type"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(block_size_bytes=-1), ValueError, "block_size_bytes"),
    (lambda: option.CreateFile(block_size_bytes=0), ValueError, "block_size_bytes"),
    (lambda: option.CreateFile(block_size_bytes="1"), TypeError, "block_size_bytes"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(block_size_bytes=True), TypeError, "block_size_bytes"),
    (lambda: option.CreateFile(location_policy_class=1), TypeError, "location_policy_class"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(ttl=-2), ValueError, "ttl"),
    (lambda: option.CreateFile(ttl=1.5), TypeError, "ttl"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(ttl_action="KEEP"), ValueError, "ttl_action"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(write_type=wire.READ_TYPE_CACHE), TypeError, "write_type"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(replication_durable=-1), ValueError, "replication_durable"),
    (lambda: option.CreateFile(replication_max="2"), TypeError, "replication_max"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(replication_min=-1), ValueError, "replication_min"),
    (lambda: option.CreateFile(mode=wire.BITS_ALL), TypeError, "mode"),  # type: ignore[arg-type]
    (lambda: option.CreateFile(recursive="no"), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.Delete(recursive="yes"), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.Delete(alluxio_only=0), TypeError, "alluxio_only"),  # type: ignore[arg-type]
    (lambda: option.Free(recursive=None, forced="x"), TypeError, "forced"),  # type: ignore[arg-type]
    (lambda: option.Free(recursive=1), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.GetStatus(load_metadata_type="Sometimes"), ValueError, "load_metadata_type"),  # type: ignore[arg-type]
    (lambda: option.GetStatus(load_metadata_type=1), TypeError, "load_metadata_type"),  # type: ignore[arg-type]
    (lambda: option.ListStatus(load_metadata_type="x"), ValueError, "load_metadata_type"),  # type: ignore[arg-type]
    (lambda: option.ListStatus(recursive="x"), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.Mount(properties=[("k", "v")]), TypeError, "properties"),  # type: ignore[arg-type]
    (lambda: option.Mount(properties={"k": 1}), TypeError, "properties"),  # type: ignore[dict-item]
    (lambda: option.Mount(properties={1: "v"}), TypeError, "properties"),  # type: ignore[dict-item]
    (lambda: option.Mount(read_only="no"), TypeError, "read_only"),  # type: ignore[arg-type]
    (lambda: option.Mount(shared=1), TypeError, "shared"),  # type: ignore[arg-type]
    (lambda: option.OpenFile(read_type="FAST"), ValueError, "read_type"),  # type: ignore[arg-type]
    (lambda: option.OpenFile(max_ufs_read_concurrency=0), ValueError, "max_ufs_read_concurrency"),
    (lambda: option.OpenFile(max_ufs_read_concurrency="1"), TypeError, "max_ufs_read_concurrency"),  # type: ignore[arg-type]
    (
        lambda: option.OpenFile(cache_location_policy_class=1),  # type: ignore[arg-type]
        TypeError,
        "cache_location_policy_class",
    ),
    (
        lambda: option.OpenFile(ufs_read_location_policy_class=b"x"),  # type: ignore[arg-type]
        TypeError,
        "ufs_read_location_policy_class",
    ),
    (lambda: option.SetAttribute(owner=1), TypeError, "owner"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(group=b"g"), TypeError, "group"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(mode=0o755), TypeError, "mode"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(pinned="yes"), TypeError, "pinned"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(recursive=1), TypeError, "recursive"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(ttl=-5), ValueError, "ttl"),
    (lambda: option.SetAttribute(ttl_action="KEEP"), ValueError, "ttl_action"),  # type: ignore[arg-type]
    (lambda: option.SetAttribute(persisted="yes"), TypeError, "persisted"),  # type: ignore[arg-type]
    (lambda: option.Exists(recursive=True), TypeError, "recursive"),  # type: ignore[call-arg]
    (lambda: option.Rename("x"), TypeError, "positional"),  # type: ignore[call-arg, arg-type]
    (lambda: wire.WriteType("SOMETIMES"), ValueError, "WriteType"),
    (lambda: wire.WriteType(1), TypeError, "WriteType"),  # type: ignore[arg-type]
    (lambda: wire.ReadType("FAST"), ValueError, "ReadType"),
    (lambda: wire.TTLAction("KEEP"), ValueError, "TTLAction"),
    (lambda: wire.LoadMetadataType("Sometimes"), ValueError, "LoadMetadataType"),
    (lambda: wire.Bits("rwx"), ValueError, "Bits"),
    (lambda: wire.Mode("ALL", "READ", "rwx"), ValueError, "other_bits"),
    (lambda: wire.Mode(7, "READ", "NONE"), TypeError, "owner_bits"),  # type: ignore[arg-type]
    (lambda: wire.Mode("ALL", None, "NONE"), TypeError, "group_bits"),  # type: ignore[arg-type]
    (lambda: wire.Mode.from_octal(0o1000), ValueError, "mode"),
    (lambda: wire.Mode.from_octal("755"), ValueError, "mode"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("build", "error", "text"), OPTION_CASES)
def test_option_and_wire_constructors_reject_bad_input(
    build: Callable[[], object], error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as info:
        build()
    assert text in str(info.value), f"{info.value!r} does not name {text!r}"


# -- the table covers everything -------------------------------------------------------------


@pytest.mark.parametrize("cls", [alluxio.Client, AsyncClient])
def test_every_public_method_is_in_the_table(cls: type) -> None:
    for method in _public_methods(cls) - NO_ARGUMENTS:
        assert method in GOOD, f"{cls.__name__}.{method} has no bad-input cases"
        params = inspect.signature(getattr(cls, method)).parameters.values()
        for name in [p.name for p in params if p.kind is not p.VAR_KEYWORD and p.name != "self"]:
            assert name in GOOD[method], f"{cls.__name__}.{method}({name}) is not covered"
            assert BAD.get(name), f"no bad values for {name!r}"
    for name in inspect.signature(cls).parameters:
        assert name in CONSTRUCTOR, f"{cls.__name__}({name}) is not covered"


def test_every_option_argument_is_in_the_table() -> None:
    # Every argument gets a wrong type from the spec-parametrized tests; bad values are here.
    named = {m for _, _, m in OPTION_CASES} | {f.attr for f in SPEC_FIELDS}
    for cls_name in option.__all__:
        cls = getattr(option, cls_name)
        for name in inspect.signature(cls).parameters:
            assert name in named, f"option.{cls_name}({name}) is not covered"
