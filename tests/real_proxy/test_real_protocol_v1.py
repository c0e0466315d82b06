"""The 1.x wire dialect, asserted against a real Alluxio 1.8.1 proxy (the last 1.x release).

Where 1.x differs from 2.x: error bodies say ``status`` (not ``statusCode``), enums are Java
names (``Always``), ``ttl``/``ttlAction`` are top-level create-file options, ``recursive``
defaults to true for create-file, Jersey's own errors keep their real HTTP status (with Jetty
HTML bodies), and there is no ``download-file``. Fixtures: tests/fixtures/real_proxy/v1/.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests._real_proxy import DEFAULT_V1_VERSION
from tests._servers import real_proxy_or_skip

pytestmark = pytest.mark.real_proxy

JSON = {"Content-Type": "application/json"}
OCTETS = {"Content-Type": "application/octet-stream"}


@pytest.fixture(scope="module")
def v1_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with real_proxy_or_skip(tmp_path_factory.mktemp("real-ufs-v1"), DEFAULT_V1_VERSION) as url:
        yield url


@pytest.fixture
def http(v1_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{v1_url}/api/v1", timeout=60) as client:
        yield client


@pytest.fixture
def base(http: httpx.Client, workdir: str) -> str:
    assert http.post(f"/paths/{workdir}/create-directory").status_code == 200
    return workdir


def paths(path: str, action: str) -> str:
    return f"/paths/{path}/{action}"


def envelope(response: httpx.Response, status: str) -> str:
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "message"}
    assert body["status"] == status
    message: str = body["message"]
    return message


def jetty_error(response: httpx.Response, status: int) -> None:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"HTTP ERROR {status}" in response.text


def test_proxy_info(http: httpx.Client) -> None:
    body = http.get("/proxy/info").json()
    assert body["version"] == DEFAULT_V1_VERSION
    assert set(body) == {"configuration", "startTimeMs", "uptimeMs", "version"}


def test_error_envelope_uses_status(http: httpx.Client, base: str) -> None:
    assert envelope(http.post(paths(f"{base}/nope", "get-status")), "NOT_FOUND") == (
        f'Path "{base}/nope" does not exist.'
    )
    assert envelope(http.post(paths(base, "create-directory")), "ALREADY_EXISTS") == (
        f"{base} already exists"
    )
    assert envelope(http.post(paths(base, "rename")), "INTERNAL") == (
        "required 'dst' parameter is missing"
    )
    # A relative path is UNKNOWN in 1.x (INVALID_ARGUMENT in 2.x).
    assert envelope(http.post("/paths/rel/get-status"), "UNKNOWN") == 'Path "rel" is invalid.'


def test_enum_values_are_java_names(http: httpx.Client, base: str) -> None:
    ok = http.post(
        paths(base, "list-status"), content=b'{"loadMetadataType":"Always"}', headers=JSON
    )
    assert ok.status_code == 200
    upper = http.post(
        paths(base, "list-status"), content=b'{"loadMetadataType":"ALWAYS"}', headers=JSON
    )
    assert (upper.status_code, upper.headers["content-type"]) == (400, "text/plain")
    assert "value not one of declared Enum instance names: [Once, Never, Always]" in upper.text


def test_ttl_is_a_top_level_create_file_option(http: httpx.Client, base: str) -> None:
    body = b'{"ttl":60000,"ttlAction":"FREE"}'
    sid = http.post(paths(f"{base}/f", "create-file"), content=body, headers=JSON).json()
    http.post(f"/streams/{sid}/close")
    info = http.post(paths(f"{base}/f", "get-status")).json()
    assert (info["ttl"], info["ttlAction"]) == (60000, "FREE")
    nested = http.post(
        paths(f"{base}/g", "create-file"), content=b'{"commonOptions":{"ttl":5}}', headers=JSON
    )
    assert nested.status_code == 400
    assert nested.text.startswith('Unrecognized field "ttl" (class alluxio.wire.CommonOptions)')


def test_create_file_is_recursive_by_default(http: httpx.Client, base: str) -> None:
    sid = http.post(paths(f"{base}/x/y/f", "create-file")).json()
    assert isinstance(sid, int)
    http.post(f"/streams/{sid}/close")
    assert http.post(paths(f"{base}/x/y", "exists")).json() is True


def test_file_info_shape_and_defaults(http: httpx.Client, base: str) -> None:
    sid = http.post(paths(f"{base}/f", "create-file")).json()
    assert http.post(f"/streams/{sid}/write", content=b"abc", headers=OCTETS).json() == 3
    http.post(f"/streams/{sid}/close")
    info = http.post(paths(f"{base}/f", "get-status")).json()
    assert "fileInfo" not in info and "acl" not in info  # 2.x additions
    assert info["blockSizeBytes"] == 512 * 1024 * 1024
    assert info["ttlAction"] == "DELETE"
    assert info["mode"] == 0o644
    assert info["persistenceState"] == "NOT_PERSISTED"  # MUST_CACHE default write type
    assert info["length"] == 3


def test_streams_behave_as_in_2x(http: httpx.Client, base: str) -> None:
    wid = http.post(paths(f"{base}/f", "create-file")).json()
    assert http.post(f"/streams/{wid}/write", content=b"abc").json() == 3
    assert http.post(f"/streams/{wid}/close").status_code == 200
    assert envelope(http.post(f"/streams/{wid}/close"), "INTERNAL") == "stream does not exist"
    rid = http.post(paths(f"{base}/f", "open-file")).json()
    assert rid == wid + 1
    assert http.post(f"/streams/{rid}/read").content == b"abc"
    assert http.post(f"/streams/{rid}/read").content == b""
    http.post(f"/streams/{rid}/close")
    jetty_error(http.post(f"/streams/{rid}/read"), 500)


def test_jersey_errors_keep_their_status(http: httpx.Client, base: str) -> None:
    jetty_error(http.post(paths(base, "no-such-action")), 404)
    jetty_error(http.get(paths(base, "list-status")), 405)
    jetty_error(http.post("/streams/abc/close"), 404)
    jetty_error(http.post(paths(base, "list-status"), content=b"{}"), 415)
    jetty_error(http.post("/streams/1/write", content=b"x", headers=JSON), 415)
    jetty_error(http.get(paths(base, "download-file")), 404)  # 2.x only


def test_path_decoding_matches_2x(http: httpx.Client, base: str) -> None:
    for raw in ("a%20b", "q%3Fx", "s;t", "p+q", "%C3%A9t%C3%A9"):
        r = http.post(f"/paths/{base}/{raw}/create-directory")
        assert r.status_code == 200, raw
    names = sorted(e["name"] for e in http.post(paths(base, "list-status")).json())
    assert names == ["a b", "p+q", "q", "s", "été"]
