"""Request shape of every Client method (respx: what goes on the wire, nothing else)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

import alluxio
from alluxio import option, wire

BASE = "http://proxy.test:39999"


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
def client() -> Iterator[alluxio.Client]:
    with alluxio.Client("proxy.test", 39999) as c:
        yield c


def _body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


VOID = httpx.Response(200)


@pytest.mark.parametrize(
    ("call", "action", "query", "body", "reply", "result"),
    [
        pytest.param(
            lambda c: c.create_directory("/d", option.CreateDirectory(recursive=True)),
            "create-directory",
            {},
            {"recursive": True},
            VOID,
            None,
            id="create_directory",
        ),
        pytest.param(
            lambda c: c.create_file(
                "/f",
                option.CreateFile(
                    block_size_bytes=64 << 20,
                    write_type=wire.WRITE_TYPE_CACHE_THROUGH,
                    ttl=1000,
                    ttl_action=wire.TTL_ACTION_FREE,
                    mode=wire.Mode(wire.BITS_ALL, wire.BITS_READ, wire.BITS_NONE),
                ),
            ),
            "create-file",
            {},
            {
                "blockSizeBytes": 64 << 20,
                "writeType": "CACHE_THROUGH",
                "mode": {"ownerBits": "ALL", "groupBits": "READ", "otherBits": "NONE"},
                "commonOptions": {"ttl": 1000, "ttlAction": "FREE"},
            },
            httpx.Response(200, json=7),
            7,
            id="create_file",
        ),
        pytest.param(
            lambda c: c.delete("/d", option.Delete(recursive=True)),
            "delete",
            {},
            {"recursive": True},
            VOID,
            None,
            id="delete",
        ),
        pytest.param(
            lambda c: c.exists("/d"),
            "exists",
            {},
            None,
            httpx.Response(200, json=False),
            False,
            id="exists",
        ),
        pytest.param(
            lambda c: c.free("/d", option.Free(recursive=True)),
            "free",
            {},
            {"recursive": True},
            VOID,
            None,
            id="free",
        ),
        pytest.param(
            lambda c: c.list_status(
                "/", option.ListStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_ALWAYS)
            ),
            "list-status",
            {},
            {"loadMetadataType": "ALWAYS"},
            httpx.Response(200, json=[]),
            [],
            id="list_status",
        ),
        pytest.param(
            lambda c: c.mount(
                "/mnt/s3",
                "s3://bucket/dir?x=1",
                option.Mount(properties={"aws.secretKey": "s3cr3t"}, read_only=True),
            ),
            "mount",
            {"src": "s3://bucket/dir?x=1"},
            {"properties": {"aws.secretKey": "s3cr3t"}, "readOnly": True},
            VOID,
            None,
            id="mount",
        ),
        pytest.param(
            lambda c: c.open_file("/f", option.OpenFile(read_type=wire.READ_TYPE_NO_CACHE)),
            "open-file",
            {},
            {"readType": "NO_CACHE"},
            httpx.Response(200, json=3),
            3,
            id="open_file",
        ),
        pytest.param(
            lambda c: c.rename("/a b", "/x y/z#%&=+"),
            "rename",
            {"dst": "/x y/z#%&=+"},
            None,
            VOID,
            None,
            id="rename",
        ),
        pytest.param(
            lambda c: c.set_attribute(
                "/f", option.SetAttribute(pinned=True, owner="alice", ttl=-1)
            ),
            "set-attribute",
            {},
            {"pinned": True, "owner": "alice", "commonOptions": {"ttl": -1}},
            VOID,
            None,
            id="set_attribute",
        ),
        pytest.param(
            lambda c: c.unmount("/mnt/s3"),
            "unmount",
            {},
            None,
            VOID,
            None,
            id="unmount",
        ),
    ],
)
def test_path_operation_request(
    mock: respx.MockRouter,
    client: alluxio.Client,
    call: Callable[[alluxio.Client], Any],
    action: str,
    query: dict[str, str],
    body: Any,
    reply: httpx.Response,
    result: Any,
) -> None:
    route = mock.post(url__regex=rf".*/{action}(\?.*)?$").mock(return_value=reply)
    assert call(client) == result
    request = route.calls.last.request
    assert request.method == "POST"
    assert request.url.raw_path.split(b"?")[0].startswith(b"/api/v1/paths//")
    assert dict(request.url.params) == query
    assert _body(request) == body
    if body is None:
        # No options: no body at all (the proxy then applies its defaults).
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"


def test_rename_destination_is_fully_encoded(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    route = mock.post(url__regex=r".*/rename\?.*").mock(return_value=VOID)
    client.rename("/a", "/x y/z#%&=+")
    assert route.calls.last.request.url.query == b"dst=%2Fx+y%2Fz%23%25%26%3D%2B"


def test_get_status_parses_file_info(mock: respx.MockRouter, client: alluxio.Client) -> None:
    info = wire.FileInfo(name="f", path="/d/f", length=5, mode=0o644, ttl=-1, ttl_action="DELETE")
    payload = {**info.json(), "inAlluxioPercentage": 100, "mountId": 1}
    mock.post("/api/v1/paths//d/f/get-status").mock(return_value=httpx.Response(200, json=payload))
    got = client.get_status("/d/f")
    assert (got.path, got.length, got.mode, got.ttl_action.name) == ("/d/f", 5, 0o644, "DELETE")
    assert got.extra == {"inAlluxioPercentage": 100, "mountId": 1}


def test_list_status_and_ls_sort_by_name(mock: respx.MockRouter, client: alluxio.Client) -> None:
    entries = [wire.FileInfo(name=n, path=f"/d/{n}").json() for n in ("b", "c", "a")]
    mock.post("/api/v1/paths//d/list-status").mock(return_value=httpx.Response(200, json=entries))
    assert [i.name for i in client.list_status("/d")] == ["a", "b", "c"]
    assert client.ls("/d") == ["a", "b", "c"]


def test_root_path(mock: respx.MockRouter, client: alluxio.Client) -> None:
    route = mock.post(url__regex=r".*").mock(return_value=httpx.Response(200, json=True))
    client.exists("/")
    assert route.calls.last.request.url.raw_path == b"/api/v1/paths///exists"


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/a b/c#de%f+g", b"/api/v1/paths//a%20b/c%23de%25f%2Bg/exists"),
        ("/semi;amp&eq=", b"/api/v1/paths//semi%3Bamp%26eq%3D/exists"),
        ("/q'\"\t", b"/api/v1/paths//q%27%22%09/exists"),
        ("/é/日本", b"/api/v1/paths//%C3%A9/%E6%97%A5%E6%9C%AC/exists"),
        ("/x/%2F/y", b"/api/v1/paths//x/%252F/y/exists"),
        ("/trailing/", b"/api/v1/paths//trailing//exists"),
    ],
)
def test_paths_reach_the_proxy_exactly(
    mock: respx.MockRouter, client: alluxio.Client, path: str, raw: bytes
) -> None:
    route = mock.post(url__regex=r".*").mock(return_value=httpx.Response(200, json=True))
    client.exists(path)
    assert route.calls.last.request.url.raw_path == raw


# One client for all examples: building an httpx client per example dominates the run time.
_SHARED_CLIENT = alluxio.Client("proxy.test", 39999)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        # '?', '\\' and dot segments are refused before any request (tests/paths).
        st.characters(exclude_categories=["Cs"], exclude_characters="\x00?\\"),
        min_size=1,
    ).filter(lambda tail: not {".", ".."} & set(tail.split("/")))
)
def test_any_unicode_path_survives_url_building(tail: str) -> None:
    path = "/" + tail
    with respx.mock(base_url=BASE) as router:
        route = router.post(url__regex=r".*").mock(return_value=httpx.Response(200, json=True))
        _SHARED_CLIENT.exists(path)
        raw = route.calls.last.request.url.raw_path.decode("ascii")
    prefix, suffix = "/api/v1/paths/", "/exists"
    assert raw.startswith(prefix) and raw.endswith(suffix)
    encoded = raw[len(prefix) : -len(suffix)]
    # Only the separators stay literal; everything else is escaped.
    assert all(ch.isalnum() or ch in "-._~/%" for ch in encoded)
    assert unquote(encoded, errors="strict") == path


def test_streams(mock: respx.MockRouter, client: alluxio.Client) -> None:
    write = mock.post("/api/v1/streams/5/write").mock(return_value=httpx.Response(200, json=11))
    read = mock.post("/api/v1/streams/6/read").mock(
        return_value=httpx.Response(200, content=b"hello world")
    )
    close = mock.post("/api/v1/streams/5/close").mock(return_value=VOID)
    assert client.write(5).write(b"hello world") == 11
    assert write.calls.last.request.content == b"hello world"
    assert write.calls.last.request.headers["content-type"] == "application/octet-stream"
    with client.read(6) as reader:
        assert reader.read(5) == b"hello"
        assert reader.read() == b" world"
        assert reader.read() == b""
    client.close(5)
    assert read.called and close.called


def test_dialect_1x_translation(mock: respx.MockRouter) -> None:
    route = mock.post(url__regex=r".*").mock(return_value=httpx.Response(200, json=1))
    with alluxio.Client("proxy.test", 39999, dialect="1.x") as client:
        client.create_file(
            "/f",
            option.CreateFile(ttl=5, ttl_action=wire.TTL_ACTION_DELETE, location_policy_class="P"),
        )
        assert _body(route.calls.last.request) == {
            "ttl": 5,
            "ttlAction": "DELETE",
            "locationPolicyClass": "P",
        }
        route.mock(return_value=httpx.Response(200, json=[]))
        client.list_status(
            "/", option.ListStatus(load_metadata_type=wire.LoadMetadataType("NEVER"))
        )
        assert _body(route.calls.last.request) == {"loadMetadataType": "Never"}


def test_2x_rejects_1x_only_options_before_sending(
    mock: respx.MockRouter, client: alluxio.Client
) -> None:
    route = mock.post(url__regex=r".*")
    with pytest.raises(ValueError, match=r"location_policy_class is only understood by 1\.x"):
        client.create_file("/f", option.CreateFile(location_policy_class="x.Y"))
    assert not route.called


def test_dialect_auto_detects_1x(mock: respx.MockRouter) -> None:
    mock.get("/api/v1/proxy/info").mock(
        return_value=httpx.Response(200, json={"version": "1.8.2", "configuration": {}})
    )
    route = mock.post(url__regex=r".*list-status").mock(return_value=httpx.Response(200, json=[]))
    with alluxio.Client("proxy.test", 39999, dialect="auto") as client:
        client.list_status("/", option.ListStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_ONCE))
        assert client.dialect == "1.x"
    assert _body(route.calls.last.request) == {"loadMetadataType": "Once"}
