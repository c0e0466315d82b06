"""Every generated operation against live servers; every response must be one the spec documents.

Runs over the `proxy_url` servers of tests/conftest.py: the embedded proxy always, the real
Alluxio proxy under the `real_proxy` marker. Each response is checked by an httpx event hook, so
nothing a server sends escapes the check.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
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
    CreateDirectoryOptions,
    CreateFileOptions,
    DeleteOptions,
    ErrorResponse,
    FileInfo,
    FreeOptions,
    GetStatusOptions,
    ListStatusOptions,
    LoadMetadataType,
    Mode,
    MountOptions,
    OpenFileOptions,
    ProxyInfo,
    ReadType,
    SetAttributeOptions,
    WriteType,
)
from alluxio_proxy_api.types import File

from tests.spec._spec_helpers import assert_documented


@dataclass
class Checked:
    """A generated client whose every response is checked against the spec."""

    client: Client
    seen: list[str] = field(default_factory=list)  # "<METHOD> <action>" of each response
    violations: list[str] = field(default_factory=list)


@pytest.fixture
def checked(proxy_url: str) -> Iterator[Checked]:
    state = Checked(Client(base_url=proxy_url))

    def check(response: httpx.Response) -> None:
        response.read()
        request = response.request
        raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
        state.seen.append(f"{request.method} {raw_path.rsplit('/', 1)[-1]}")
        try:
            assert_documented(
                request.method,
                raw_path,
                response.status_code,
                response.headers.get("content-type"),
                response.content,
            )
        except AssertionError as exc:
            state.violations.append(f"{request.method} {raw_path}: {exc}")

    state.client = Client(
        base_url=proxy_url,
        timeout=httpx.Timeout(120.0),
        httpx_args={"event_hooks": {"response": [check]}},
    )
    with state.client:
        yield state


def test_every_operation_conforms(checked: Checked, workdir: str, local_dir: Path) -> None:
    c, seen = checked.client, checked.seen
    d = f"{workdir}/dir with space#%+é"
    f = f"{d}/file;1.txt"

    info = get_proxy_info.sync_detailed(client=c, raw_configuration=True)
    assert isinstance(info.parsed, ProxyInfo)

    made = create_directory.sync_detailed(
        d,
        client=c,
        body=CreateDirectoryOptions(
            recursive=True,
            mode=Mode(owner_bits=Bits.ALL, group_bits=Bits.READ_EXECUTE, other_bits=Bits.NONE),
        ),
    )
    assert made.status_code == 200
    again = create_directory.sync_detailed(d, client=c)
    assert isinstance(again.parsed, ErrorResponse)
    assert again.parsed.status_code == "ALREADY_EXISTS"

    sid = create_file.sync_detailed(
        f, client=c, body=CreateFileOptions(write_type=WriteType.CACHE_THROUGH)
    ).parsed
    assert isinstance(sid, int)
    written = write_stream.sync_detailed(sid, client=c, body=File(payload=io.BytesIO(b"hello")))
    assert written.parsed == 5
    assert close_stream.sync_detailed(sid, client=c).status_code == 200
    assert close_stream.sync_detailed(sid, client=c).status_code == 500

    assert exists.sync_detailed(f, client=c).parsed is True
    status = get_status.sync_detailed(
        f, client=c, body=GetStatusOptions(load_metadata_type=LoadMetadataType.NEVER)
    ).parsed
    assert isinstance(status, FileInfo)
    assert (status.path, status.length, status.folder) == (f, 5, False)
    listing = list_status.sync_detailed(
        d, client=c, body=ListStatusOptions(load_metadata_type=LoadMetadataType.ONCE)
    ).parsed
    assert isinstance(listing, list)
    assert [entry.name for entry in listing] == ["file;1.txt"]

    rid = open_file.sync_detailed(f, client=c, body=OpenFileOptions(read_type=ReadType.CACHE))
    assert isinstance(rid.parsed, int)
    content = read_stream.sync_detailed(rid.parsed, client=c).parsed
    assert isinstance(content, File)
    assert content.payload.read() == b"hello"
    assert close_stream.sync_detailed(rid.parsed, client=c).status_code == 200
    assert read_stream.sync_detailed(rid.parsed, client=c).status_code == 500

    downloaded = download_file.sync_detailed(f, client=c).parsed
    assert isinstance(downloaded, File)
    assert downloaded.payload.read() == b"hello"
    assert download_file.sync_detailed(f"{d}/missing", client=c).status_code == 500

    attrs = SetAttributeOptions(
        pinned=False,
        mode=Mode(owner_bits=Bits.READ_WRITE, group_bits=Bits.READ, other_bits=Bits.READ),
    )
    assert set_attribute.sync_detailed(f, client=c, body=attrs).status_code == 200
    moved = f"{d}/moved & renamed"
    assert rename.sync_detailed(f, client=c, dst=moved).status_code == 200
    assert exists.sync_detailed(moved, client=c).parsed is True
    assert free.sync_detailed(d, client=c, body=FreeOptions(recursive=True)).status_code == 200

    mnt = f"{workdir}/mnt"
    (local_dir / "ext.txt").write_bytes(b"ext")
    assert (
        mount.sync_detailed(
            mnt, client=c, src=str(local_dir), body=MountOptions(read_only=True)
        ).status_code
        == 200
    )
    names = list_status.sync_detailed(mnt, client=c).parsed
    assert isinstance(names, list)
    assert [entry.name for entry in names] == ["ext.txt"]
    assert unmount.sync_detailed(mnt, client=c).status_code == 200

    not_empty = delete.sync_detailed(workdir, client=c)
    assert isinstance(not_empty.parsed, ErrorResponse)
    assert (
        delete.sync_detailed(workdir, client=c, body=DeleteOptions(recursive=True)).status_code
        == 200
    )
    missing = get_status.sync_detailed(workdir, client=c)
    assert isinstance(missing.parsed, ErrorResponse)
    assert missing.parsed.status_code == "NOT_FOUND"

    # Failures detected before an operation runs are documented too.
    raw = c.get_httpx_client()
    assert (
        raw.post("/api/v1/paths///list-status", json={"loadMetadataType": "Always"}).status_code
        == 400
    )
    assert (
        raw.post(
            "/api/v1/paths///exists", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert raw.post("/api/v1/paths//x/mount").status_code == 500
    assert raw.post("/api/v1/streams/abc/close").status_code == 500
    assert raw.get("/api/v1/paths///list-status").status_code == 500

    assert not checked.violations, "responses the spec does not document:\n" + "\n".join(
        checked.violations
    )
    assert len(seen) >= 30, seen
    assert set(seen) >= {
        "POST create-directory",
        "POST create-file",
        "POST delete",
        "GET download-file",
        "POST exists",
        "POST free",
        "POST get-status",
        "POST list-status",
        "POST mount",
        "POST open-file",
        "POST rename",
        "POST set-attribute",
        "POST unmount",
        "GET info",
        "POST read",
        "POST write",
        "POST close",
    }
