"""What each generated operation puts on the wire, and how it reads the proxy's answers.

Requests are captured with respx (no network); assertions are on the bytes a server would see:
method, raw path (percent-encoding included), raw query, body and content type.
"""

from __future__ import annotations

import importlib
import io
import json
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import respx
from alluxio_proxy_api import Client
from alluxio_proxy_api.api.paths import (
    create_directory,
    create_file,
    delete,
    download_file,
    exists,
    free,
    get_status,
    list_status,
    mount,
    open_file,
    rename,
    set_attribute,
    unmount,
)
from alluxio_proxy_api.api.proxy import get_proxy_info
from alluxio_proxy_api.api.streams import close_stream, read_stream, write_stream
from alluxio_proxy_api.models import (
    Bits,
    CommonOptions,
    CreateDirectoryOptions,
    CreateFileOptions,
    DeleteOptions,
    ErrorResponse,
    ErrorResponse1X,
    ExistsOptions,
    FileInfo,
    FreeOptions,
    GetStatusOptions,
    ListStatusOptions,
    LoadMetadataType,
    Mode,
    MountOptions,
    MountOptionsProperties,
    OpenFileOptions,
    ProxyInfo,
    ReadType,
    RenameOptions,
    SetAttributeOptions,
    TtlAction,
    UnmountOptions,
    WriteType,
)
from alluxio_proxy_api.types import File

BASE_URL = "http://proxy.test:39999"
AWKWARD = "/a b/c#d?e%f+g"
AWKWARD_RAW = "/a%20b/c%23d%3Fe%25f%2Bg"


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL) as c:
        yield c


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        yield router


@dataclass(frozen=True)
class Case:
    """One generated operation, how to call it, and the request it must produce."""

    name: str
    call: Callable[[Client], Any]
    method: str
    raw_path: str
    query: str = ""
    json_body: Any = None  # None: empty body
    content: bytes | None = None
    content_type: str | None = "application/json"
    reply: Any = None  # JSON the mocked proxy answers with; None: empty 200


FILE_INFO = {
    "blockIds": [1],
    "blockSizeBytes": 64,
    "cacheable": True,
    "completed": True,
    "creationTimeMs": 1,
    "fileBlockInfos": [
        {
            "blockInfo": {
                "blockId": 1,
                "length": 3,
                "locations": [
                    {
                        "workerId": 9,
                        "workerAddress": {"host": "w", "rpcPort": 1, "dataPort": 2, "webPort": 3},
                        "tierAlias": "MEM",
                    }
                ],
            },
            "offset": 0,
            "ufsLocations": [],
        }
    ],
    "fileId": 5,
    "folder": False,
    "group": "g",
    "inMemoryPercentage": 100,
    "lastModificationTimeMs": 2,
    "length": 3,
    "mode": 420,
    "mountPoint": False,
    "name": "a",
    "owner": "o",
    "path": "/a",
    "persisted": False,
    "persistenceState": "SOME_FUTURE_STATE",
    "pinned": False,
    "ttl": -1,
    "ttlAction": "DELETE_ALLUXIO",
    "ufsPath": "/u/a",
    "xattr": None,
    "someNewKey": {"x": 1},
}


def mount_properties() -> MountOptionsProperties:
    return MountOptionsProperties.from_dict({"fs.s3a.access.key": "AKIA", "k=v&x": "a b"})


CASES = [
    Case(
        "create_directory",
        lambda c: create_directory.sync_detailed(
            AWKWARD,
            client=c,
            body=CreateDirectoryOptions(
                recursive=True,
                allow_exists=False,
                mode=Mode(owner_bits=Bits.ALL, group_bits=Bits.READ_EXECUTE, other_bits=Bits.NONE),
                write_type=WriteType.CACHE_THROUGH,
            ),
        ),
        "POST",
        f"/api/v1/paths/{AWKWARD_RAW}/create-directory",
        json_body={
            "recursive": True,
            "allowExists": False,
            "mode": {"ownerBits": "ALL", "groupBits": "READ_EXECUTE", "otherBits": "NONE"},
            "writeType": "CACHE_THROUGH",
        },
    ),
    Case(
        "create_directory_without_options",
        lambda c: create_directory.sync_detailed("/d", client=c),
        "POST",
        "/api/v1/paths//d/create-directory",
    ),
    Case(
        "create_file",
        lambda c: create_file.sync_detailed(
            "/data/a.txt",
            client=c,
            body=CreateFileOptions(
                block_size_bytes=2**40,
                write_type=WriteType.MUST_CACHE,
                replication_min=1,
                common_options=CommonOptions(ttl=60_000, ttl_action=TtlAction.FREE),
            ),
        ),
        "POST",
        "/api/v1/paths//data/a.txt/create-file",
        json_body={
            "blockSizeBytes": 2**40,
            "writeType": "MUST_CACHE",
            "replicationMin": 1,
            "commonOptions": {"ttl": 60_000, "ttlAction": "FREE"},
        },
        reply=3,
    ),
    Case(
        "delete",
        lambda c: delete.sync_detailed(
            "/data", client=c, body=DeleteOptions(recursive=True, alluxio_only=True)
        ),
        "POST",
        "/api/v1/paths//data/delete",
        json_body={"recursive": True, "alluxioOnly": True},
    ),
    Case(
        "exists_root",
        lambda c: exists.sync_detailed(
            "/", client=c, body=ExistsOptions(load_metadata_type=LoadMetadataType.NEVER)
        ),
        "POST",
        "/api/v1/paths///exists",
        json_body={"loadMetadataType": "NEVER"},
        reply=True,
    ),
    Case(
        "free",
        lambda c: free.sync_detailed("/x", client=c, body=FreeOptions(recursive=True, forced=True)),
        "POST",
        "/api/v1/paths//x/free",
        json_body={"recursive": True, "forced": True},
    ),
    Case(
        "get_status",
        lambda c: get_status.sync_detailed(
            "/é", client=c, body=GetStatusOptions(load_metadata_type=LoadMetadataType.ALWAYS)
        ),
        "POST",
        "/api/v1/paths//%C3%A9/get-status",
        json_body={"loadMetadataType": "ALWAYS"},
        reply=FILE_INFO,
    ),
    Case(
        "list_status",
        lambda c: list_status.sync_detailed(
            "/",
            client=c,
            body=ListStatusOptions(load_metadata_type=LoadMetadataType.ONCE, recursive=True),
        ),
        "POST",
        "/api/v1/paths///list-status",
        json_body={"loadMetadataType": "ONCE", "recursive": True},
        reply=[FILE_INFO],
    ),
    Case(
        "mount",
        lambda c: mount.sync_detailed(
            "/mnt/s3",
            client=c,
            src="s3://bucket/dir with space?&=#",
            body=MountOptions(read_only=True, properties=mount_properties()),
        ),
        "POST",
        "/api/v1/paths//mnt/s3/mount",
        query="src=s3%3A%2F%2Fbucket%2Fdir+with+space%3F%26%3D%23",
        json_body={"readOnly": True, "properties": {"fs.s3a.access.key": "AKIA", "k=v&x": "a b"}},
    ),
    Case(
        "open_file",
        lambda c: open_file.sync_detailed(
            "/f", client=c, body=OpenFileOptions(read_type=ReadType.NO_CACHE)
        ),
        "POST",
        "/api/v1/paths//f/open-file",
        json_body={"readType": "NO_CACHE"},
        reply=4,
    ),
    Case(
        "rename",
        lambda c: rename.sync_detailed(AWKWARD, client=c, dst="/x y/z#?%&=+", body=RenameOptions()),
        "POST",
        f"/api/v1/paths/{AWKWARD_RAW}/rename",
        query="dst=%2Fx+y%2Fz%23%3F%25%26%3D%2B",
        json_body={},
    ),
    Case(
        "set_attribute",
        lambda c: set_attribute.sync_detailed(
            "/f",
            client=c,
            body=SetAttributeOptions(
                owner="alice",
                group="staff",
                pinned=True,
                pinned_media=["MEM"],
                common_options=CommonOptions(ttl=-1),
            ),
        ),
        "POST",
        "/api/v1/paths//f/set-attribute",
        json_body={
            "owner": "alice",
            "group": "staff",
            "pinned": True,
            "pinnedMedia": ["MEM"],
            "commonOptions": {"ttl": -1},
        },
    ),
    Case(
        "unmount",
        lambda c: unmount.sync_detailed("/mnt/s3", client=c, body=UnmountOptions()),
        "POST",
        "/api/v1/paths//mnt/s3/unmount",
        json_body={},
    ),
    Case(
        "download_file",
        lambda c: download_file.sync_detailed(AWKWARD, client=c),
        "GET",
        f"/api/v1/paths/{AWKWARD_RAW}/download-file",
        content_type=None,
    ),
    Case(
        "get_proxy_info",
        lambda c: get_proxy_info.sync_detailed(client=c, raw_configuration=True),
        "GET",
        "/api/v1/proxy/info",
        query="raw_configuration=true",
        content_type=None,
        reply={},
    ),
    Case(
        "get_proxy_info_default",
        lambda c: get_proxy_info.sync_detailed(client=c),
        "GET",
        "/api/v1/proxy/info",
        content_type=None,
        reply={},
    ),
    Case(
        "read_stream",
        lambda c: read_stream.sync_detailed(7, client=c),
        "POST",
        "/api/v1/streams/7/read",
        content_type=None,
    ),
    Case(
        "write_stream",
        lambda c: write_stream.sync_detailed(
            2**31 - 1, client=c, body=File(payload=io.BytesIO(b"\x00hello\xff"))
        ),
        "POST",
        "/api/v1/streams/2147483647/write",
        content=b"\x00hello\xff",
        content_type="application/octet-stream",
        reply=7,
    ),
    Case(
        "close_stream",
        lambda c: close_stream.sync_detailed(1, client=c),
        "POST",
        "/api/v1/streams/1/close",
        content_type=None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_request_on_the_wire(case: Case, client: Client, mock: respx.MockRouter) -> None:
    reply = httpx.Response(200) if case.reply is None else httpx.Response(200, json=case.reply)
    route = mock.route().mock(return_value=reply)
    case.call(client)

    request = route.calls.last.request
    raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
    assert request.method == case.method
    assert raw_path == case.raw_path
    assert raw_query == case.query
    assert request.headers.get("content-type") == case.content_type
    if case.json_body is not None:
        assert json.loads(request.content) == case.json_body
    else:
        assert request.content == (case.content or b"")


def test_every_generated_operation_is_exercised() -> None:
    generated = {
        info.name
        for tag in ("paths", "proxy", "streams")
        for info in pkgutil.iter_modules(
            importlib.import_module(f"alluxio_proxy_api.api.{tag}").__path__
        )
    }
    # The operation module each case calls is the first global name its lambda loads.
    exercised = {
        name for case in CASES for name in case.call.__code__.co_names if name in generated
    }
    assert generated == exercised
    assert len(generated) == 17


# --- how responses are parsed: what the façade gets back from sync_detailed() ---


def test_exists_parses_a_json_boolean(client: Client, mock: respx.MockRouter) -> None:
    mock.post("/api/v1/paths//a/exists").mock(return_value=httpx.Response(200, json=False))
    assert exists.sync_detailed("/a", client=client).parsed is False


def test_stream_ids_and_byte_counts_are_ints(client: Client, mock: respx.MockRouter) -> None:
    mock.post("/api/v1/paths//a/create-file").mock(return_value=httpx.Response(200, json=3))
    mock.post("/api/v1/streams/3/write").mock(return_value=httpx.Response(200, json=5))
    assert create_file.sync_detailed("/a", client=client).parsed == 3
    written = write_stream.sync_detailed(3, client=client, body=File(payload=io.BytesIO(b"12345")))
    assert written.parsed == 5


def test_void_operation_parses_empty_200(client: Client, mock: respx.MockRouter) -> None:
    mock.post("/api/v1/streams/3/close").mock(return_value=httpx.Response(200))
    response = close_stream.sync_detailed(3, client=client)
    assert response.status_code == 200
    assert response.parsed is None


def test_file_info_tolerates_unknown_keys_and_values(
    client: Client, mock: respx.MockRouter
) -> None:
    mock.post("/api/v1/paths//a/list-status").mock(
        return_value=httpx.Response(200, json=[FILE_INFO])
    )
    parsed = list_status.sync_detailed("/a", client=client).parsed
    assert isinstance(parsed, list)
    (info,) = parsed
    assert isinstance(info, FileInfo)
    assert info.persistence_state == "SOME_FUTURE_STATE"
    assert info.ttl_action == "DELETE_ALLUXIO"
    assert info.mode == 420
    assert info.xattr is None
    assert info.additional_properties == {"someNewKey": {"x": 1}}
    assert info.to_dict() == FILE_INFO


def test_2x_error_body(client: Client, mock: respx.MockRouter) -> None:
    body = {"statusCode": "NOT_FOUND", "message": 'Path "/a" does not exist.'}
    mock.post("/api/v1/paths//a/get-status").mock(return_value=httpx.Response(500, json=body))
    response = get_status.sync_detailed("/a", client=client)
    assert response.status_code == 500
    assert isinstance(response.parsed, ErrorResponse)
    assert response.parsed.status_code == "NOT_FOUND"
    assert response.parsed.message == 'Path "/a" does not exist.'


def test_1x_error_body_and_null_message(client: Client, mock: respx.MockRouter) -> None:
    body = {"status": "CANCELED", "message": None}
    mock.post("/api/v1/streams/4/close").mock(return_value=httpx.Response(500, json=body))
    response = close_stream.sync_detailed(4, client=client)
    assert isinstance(response.parsed, ErrorResponse1X)
    assert response.parsed.status == "CANCELED"
    assert response.parsed.message is None


def test_octet_stream_errors_are_returned_as_bytes(client: Client, mock: respx.MockRouter) -> None:
    # What Alluxio 2.9.6 sends when reading an unknown stream id (tests/fixtures/real_proxy).
    mock.post("/api/v1/streams/999/read").mock(
        return_value=httpx.Response(
            500,
            content=b"HTTP 500 Internal Server Error",
            headers={"content-type": "application/octet-stream"},
        )
    )
    response = read_stream.sync_detailed(999, client=client)
    assert response.status_code == 500
    assert isinstance(response.parsed, File)
    assert response.parsed.payload.read() == b"HTTP 500 Internal Server Error"


def test_400_is_plain_text(client: Client, mock: respx.MockRouter) -> None:
    text = 'Unrecognized field "ttl" (class alluxio.grpc.CreateFilePOptions)'
    mock.post("/api/v1/paths//a/create-file").mock(
        return_value=httpx.Response(400, text=text, headers={"content-type": "text/plain"})
    )
    assert create_file.sync_detailed("/a", client=client).parsed == text


def test_read_and_download_return_bytes(client: Client, mock: respx.MockRouter) -> None:
    mock.post("/api/v1/streams/1/read").mock(return_value=httpx.Response(200, content=b"\x00\x01"))
    mock.get("/api/v1/paths//a/download-file").mock(
        return_value=httpx.Response(
            200, content=b"abc", headers={"content-disposition": "attachment; filename=a"}
        )
    )
    read = read_stream.sync_detailed(1, client=client).parsed
    assert isinstance(read, File)
    assert read.payload.read() == b"\x00\x01"
    downloaded = download_file.sync_detailed("/a", client=client)
    assert isinstance(downloaded.parsed, File)
    assert downloaded.parsed.payload.read() == b"abc"
    assert downloaded.headers["content-disposition"] == "attachment; filename=a"


def test_proxy_info(client: Client, mock: respx.MockRouter) -> None:
    body = {
        "configuration": {"alluxio.proxy.web.port": "39999"},
        "startTimeMs": 1,
        "uptimeMs": 2,
        "version": "2.9.6",
    }
    mock.get("/api/v1/proxy/info").mock(return_value=httpx.Response(200, json=body))
    info = get_proxy_info.sync_detailed(client=client).parsed
    assert isinstance(info, ProxyInfo)
    assert info.version == "2.9.6"
    assert info.to_dict() == body
