"""Wire-protocol facts of the real Alluxio 2.9 proxy, asserted against the running server.

Each test pins one fact that the spec, the client and the embedded proxy rely on; the same
exchanges are recorded in tests/fixtures/real_proxy/ (scripts/capture-real-fixtures) and
summarised in its README. Plain httpx on purpose: these tests check the server, not our client.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator

import httpx
import pytest

from tests._real_proxy import RealProxy, RealProxyError, RealProxyUnavailable, start_real_proxy

pytestmark = pytest.mark.real_proxy

JSON = {"Content-Type": "application/json"}
OCTETS = {"Content-Type": "application/octet-stream"}

# Keys alluxio-py 0.1.4's FileInfo.from_json requires.
CORE_FILE_INFO_KEYS = {
    "blockIds",
    "blockSizeBytes",
    "cacheable",
    "completed",
    "creationTimeMs",
    "fileBlockInfos",
    "fileId",
    "folder",
    "group",
    "inMemoryPercentage",
    "lastModificationTimeMs",
    "length",
    "mode",
    "mountPoint",
    "name",
    "owner",
    "path",
    "persisted",
    "persistenceState",
    "pinned",
    "ttl",
    "ttlAction",
    "ufsPath",
}


@pytest.fixture
def http(real_proxy_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{real_proxy_url}/api/v1", timeout=60) as client:
        yield client


@pytest.fixture
def base(http: httpx.Client, workdir: str) -> str:
    """A fresh directory for this test, e.g. ``/t-0123abcd``."""
    assert http.post(f"/paths/{workdir}/create-directory").status_code == 200
    return workdir


def paths(path: str, action: str) -> str:
    # Alluxio paths start with "/", so the URL has the double slash the reference clients send.
    return f"/paths/{path}/{action}"


def write_file(http: httpx.Client, path: str, data: bytes) -> None:
    sid = http.post(paths(path, "create-file")).json()
    assert http.post(f"/streams/{sid}/write", content=data, headers=OCTETS).json() == len(data)
    assert http.post(f"/streams/{sid}/close").status_code == 200


def assert_envelope(response: httpx.Response, status_code: str) -> str:
    """Check the 2.x error envelope and return its message."""
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == {"statusCode", "message"}
    assert body["statusCode"] == status_code
    message: str = body["message"]
    return message


def assert_plain_500(response: httpx.Response, text: str) -> None:
    """Errors raised inside Jersey come back as HTTP 500 whose body is the bare text."""
    assert response.status_code == 500
    assert response.text == text


# --- proxy info -------------------------------------------------------------------------------


def test_proxy_info(http: httpx.Client) -> None:
    r = http.get("/proxy/info")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"configuration", "startTimeMs", "uptimeMs", "version"}
    assert body["version"].startswith("2.9.")
    assert body["configuration"]["alluxio.proxy.s3.v2.version.enabled"] is False


# --- success shapes ---------------------------------------------------------------------------


def test_void_operations_answer_200_with_no_body_and_no_content_type(
    http: httpx.Client, base: str
) -> None:
    r = http.post(paths(f"{base}/d", "create-directory"))
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["content-length"] == "0"
    assert "content-type" not in r.headers


def test_options_body_may_be_absent_null_or_object(http: httpx.Client, base: str) -> None:
    for body, headers in ((None, {}), (b"null", JSON), (b"{}", JSON)):
        r = http.post(paths(base, "list-status"), content=body, headers=headers)
        assert r.status_code == 200, body
        assert r.json() == []


def test_exists_is_a_json_boolean(http: httpx.Client, base: str) -> None:
    yes = http.post(paths(base, "exists"))
    no = http.post(paths(f"{base}/missing", "exists"))
    assert (yes.status_code, yes.text, yes.headers["content-type"]) == (
        200,
        "true",
        "application/json",
    )
    assert (no.status_code, no.text) == (200, "false")


def test_stream_ids_are_json_integers_from_one_shared_counter(
    http: httpx.Client, base: str
) -> None:
    created = http.post(paths(f"{base}/f", "create-file"))
    assert created.headers["content-type"] == "application/json"
    wid = created.json()
    assert isinstance(wid, int) and wid >= 1
    http.post(f"/streams/{wid}/close")
    rid = http.post(paths(f"{base}/f", "open-file")).json()
    # In- and out-streams draw from one counter.
    assert rid == wid + 1
    http.post(f"/streams/{rid}/close")


def test_write_returns_bytes_written_per_call_and_appends(http: httpx.Client, base: str) -> None:
    sid = http.post(paths(f"{base}/f", "create-file")).json()
    first = http.post(f"/streams/{sid}/write", content=b"hello, ", headers=OCTETS)
    # No Content-Type at all is accepted too (alluxio-py 0.1.4 sends none).
    second = http.post(f"/streams/{sid}/write", content=b"world")
    empty = http.post(f"/streams/{sid}/write", content=b"", headers=OCTETS)
    assert (first.status_code, first.headers["content-type"], first.json()) == (
        200,
        "application/json",
        7,
    )
    assert second.json() == 5
    assert empty.json() == 0
    closed = http.post(f"/streams/{sid}/close")
    assert (closed.status_code, closed.content) == (200, b"")
    status = http.post(paths(f"{base}/f", "get-status")).json()
    assert status["length"] == 12
    assert status["completed"] is True


def test_chunked_write_is_accepted(http: httpx.Client, base: str) -> None:
    data = os.urandom(300_000)
    sid = http.post(paths(f"{base}/f", "create-file")).json()

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(data), 65536):
            yield data[i : i + 65536]

    r = http.post(f"/streams/{sid}/write", content=chunks(), headers=OCTETS)
    assert r.json() == len(data)
    http.post(f"/streams/{sid}/close")
    rid = http.post(paths(f"{base}/f", "open-file")).json()
    assert http.post(f"/streams/{rid}/read").content == data
    http.post(f"/streams/{rid}/close")


def test_read_returns_whole_remaining_file_then_nothing(http: httpx.Client, base: str) -> None:
    write_file(http, f"{base}/f", b"abcdef")
    rid = http.post(paths(f"{base}/f", "open-file")).json()
    first = http.post(f"/streams/{rid}/read")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/octet-stream"
    assert first.headers["content-length"] == "6"  # small bodies fit Jetty's buffer
    assert first.content == b"abcdef"
    drained = http.post(f"/streams/{rid}/read")
    assert (drained.status_code, drained.content) == (200, b"")
    assert http.post(f"/streams/{rid}/close").status_code == 200
    after_close = http.post(f"/streams/{rid}/read")
    assert after_close.headers["content-type"] == "application/octet-stream"
    assert_plain_500(after_close, "HTTP 500 Internal Server Error")


def test_large_read_is_chunked(http: httpx.Client, base: str) -> None:
    data = os.urandom(1 << 20)
    write_file(http, f"{base}/big", data)
    rid = http.post(paths(f"{base}/big", "open-file")).json()
    r = http.post(f"/streams/{rid}/read")
    assert r.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in r.headers
    assert r.content == data
    http.post(f"/streams/{rid}/close")


def test_download_file(http: httpx.Client, base: str) -> None:
    write_file(http, f"{base}/name.txt", b"payload")
    r = http.get(paths(f"{base}/name.txt", "download-file"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"] == "attachment; filename=name.txt"
    assert r.content == b"payload"
    assert_plain_500(
        http.post(paths(f"{base}/name.txt", "download-file")), "HTTP 405 Method Not Allowed"
    )


# --- FileInfo -----------------------------------------------------------------------------------


def test_file_info_of_a_file(http: httpx.Client, base: str) -> None:
    write_file(http, f"{base}/f.txt", b"0123456789")
    r = http.post(paths(f"{base}/f.txt", "get-status"))
    assert (r.status_code, r.headers["content-type"]) == (200, "application/json")
    info = r.json()
    assert set(info) >= CORE_FILE_INFO_KEYS
    assert {"fileInfo", "acl", "defaultAcl", "xattr", "lastAccessTimeMs", "mountId"} <= set(info)
    assert info["path"] == f"{base}/f.txt"
    assert info["name"] == "f.txt"
    assert info["folder"] is False
    assert info["length"] == 10
    assert info["mode"] == 0o644  # an int, not the request's Mode object
    assert info["ttl"] == -1
    assert info["ttlAction"] == "FREE"  # 2.x default (the 1.x default was DELETE)
    assert info["blockSizeBytes"] == 64 * 1024 * 1024
    assert info["persistenceState"] in {"TO_BE_PERSISTED", "PERSISTED"}  # ASYNC_THROUGH default
    assert info["ufsPath"].endswith(f"{base}/f.txt")
    # The wrapped wire FileInfo repeats the fields, plus mediumTypes.
    assert info["fileInfo"]["path"] == info["path"]
    assert "mediumTypes" in info["fileInfo"]
    (block,) = info["fileBlockInfos"]
    assert set(block) == {"blockInfo", "offset", "ufsLocations"}
    (location,) = block["blockInfo"]["locations"]
    assert location["tierAlias"] == "MEM"
    assert {"host", "rpcPort", "dataPort", "webPort"} <= set(location["workerAddress"])


def test_file_info_of_a_directory(http: httpx.Client, base: str) -> None:
    info = http.post(paths(base, "get-status")).json()
    assert info["folder"] is True
    assert info["mode"] == 0o755
    assert info["length"] == 0
    assert info["blockSizeBytes"] == 0
    assert info["blockIds"] == [] and info["fileBlockInfos"] == []
    assert info["completed"] is True


def test_create_file_options_in_2x_shape(http: httpx.Client, base: str) -> None:
    options = {
        "blockSizeBytes": 1048576,
        "writeType": "CACHE_THROUGH",
        "mode": {"ownerBits": "ALL", "groupBits": "READ", "otherBits": "NONE"},
        "commonOptions": {"ttl": 3600000, "ttlAction": "DELETE"},
    }
    sid = http.post(
        paths(f"{base}/o.bin", "create-file"), content=json.dumps(options), headers=JSON
    ).json()
    http.post(f"/streams/{sid}/close")
    info = http.post(paths(f"{base}/o.bin", "get-status")).json()
    assert info["mode"] == 0o740
    assert (info["ttl"], info["ttlAction"]) == (3600000, "DELETE")
    assert info["blockSizeBytes"] == 1048576
    assert (info["persisted"], info["persistenceState"]) == (True, "PERSISTED")


def test_list_status_is_an_array_of_file_infos(http: httpx.Client, base: str) -> None:
    for name in ("b", "a", "c"):
        http.post(paths(f"{base}/{name}", "create-directory"))
    r = http.post(paths(base, "list-status"))
    assert r.headers["content-type"] == "application/json"
    listing = r.json()
    assert isinstance(listing, list)
    assert sorted(e["name"] for e in listing) == ["a", "b", "c"]
    assert all(set(e) >= CORE_FILE_INFO_KEYS for e in listing)


# --- errors with the JSON envelope (always HTTP 500) --------------------------------------------


def test_not_found(http: httpx.Client, base: str) -> None:
    message = assert_envelope(http.post(paths(f"{base}/nope", "get-status")), "NOT_FOUND")
    assert message == f'Path "{base}/nope" does not exist.'


def test_already_exists(http: httpx.Client, base: str) -> None:
    message = assert_envelope(http.post(paths(base, "create-directory")), "ALREADY_EXISTS")
    assert message == f"Not allowed to create directory because path already exists: {base}"
    write_file(http, f"{base}/f", b"")
    message = assert_envelope(http.post(paths(f"{base}/f", "create-file")), "ALREADY_EXISTS")
    assert message.startswith(f"{base}/f already exists.")


def test_directory_not_empty(http: httpx.Client, base: str) -> None:
    http.post(paths(f"{base}/sub", "create-directory"))
    message = assert_envelope(http.post(paths(base, "delete")), "FAILED_PRECONDITION")
    assert message == (
        f"Cannot delete non-empty directory {base[1:]} because recursive is set to false"
    )
    r = http.post(paths(base, "delete"), content=b'{"recursive":true}', headers=JSON)
    assert r.status_code == 200


def test_recursive_defaults_to_false(http: httpx.Client, base: str) -> None:
    for action in ("create-file", "create-directory"):
        message = assert_envelope(http.post(paths(f"{base}/x/y", action)), "NOT_FOUND")
        assert message == f"File {base}/x/y creation failed. Component 2(x) does not exist"


@pytest.mark.parametrize("path", ["rel", "", "rel/sub"])
def test_relative_or_empty_path_is_invalid(http: httpx.Client, path: str) -> None:
    # paths/<p>/... with no leading "/" in <p>: the handler does not prepend one.
    for action in ("get-status", "list-status", "create-directory"):
        message = assert_envelope(http.post(f"/paths/{path}/{action}"), "INVALID_ARGUMENT")
        assert message == f'Path "{path}" is invalid.'
    # ... except exists, which answers false instead of failing.
    assert http.post(f"/paths/{path}/exists").json() is False


def test_missing_src_and_dst_are_internal_errors(http: httpx.Client, base: str) -> None:
    dst = assert_envelope(http.post(paths(base, "rename")), "INTERNAL")
    src = assert_envelope(http.post(paths(f"{base}/m", "mount")), "INTERNAL")
    assert dst == "required 'dst' parameter is missing"
    assert src == "required 'src' parameter is missing"


def test_unknown_stream_ids_for_write_and_close(http: httpx.Client) -> None:
    write = http.post("/streams/999999/write", content=b"x", headers=OCTETS)
    close = http.post("/streams/999999/close")
    assert assert_envelope(write, "INTERNAL") == "stream does not exist"
    assert assert_envelope(close, "INTERNAL") == "stream does not exist"
    # close consumes JSON like the paths actions: an octet-stream body is refused.
    octets = http.post("/streams/999999/close", content=b"x", headers=OCTETS)
    assert_plain_500(octets, "HTTP 415 Unsupported Media Type")


def test_closing_twice(http: httpx.Client, base: str) -> None:
    sid = http.post(paths(f"{base}/f", "create-file")).json()
    assert http.post(f"/streams/{sid}/close").status_code == 200
    assert assert_envelope(http.post(f"/streams/{sid}/close"), "INTERNAL") == (
        "stream does not exist"
    )


def test_write_stream_and_read_stream_ids_are_not_interchangeable(
    http: httpx.Client, base: str
) -> None:
    write_file(http, f"{base}/f", b"abc")
    wid = http.post(paths(f"{base}/g", "create-file")).json()
    rid = http.post(paths(f"{base}/f", "open-file")).json()
    assert_plain_500(http.post(f"/streams/{wid}/read"), "HTTP 500 Internal Server Error")
    wrong = http.post(f"/streams/{rid}/write", content=b"x", headers=OCTETS)
    assert assert_envelope(wrong, "INTERNAL") == "stream does not exist"
    http.post(f"/streams/{wid}/close")
    http.post(f"/streams/{rid}/close")


def test_other_statuses(http: httpx.Client, base: str) -> None:
    write_file(http, f"{base}/f", b"abc")
    assert assert_envelope(http.post(paths(base, "open-file")), "UNKNOWN") == (
        f"Cannot read from {base} because it is a directory"
    )
    under_file = http.post(paths(f"{base}/f/x", "create-directory"))
    assert assert_envelope(under_file, "INVALID_ARGUMENT").startswith("Traversal failed")
    rel_dst = http.post(paths(base, "rename"), params={"dst": "rel"})
    assert assert_envelope(rel_dst, "INVALID_ARGUMENT") == 'Path "rel" is invalid.'
    root = http.post(paths("/", "unmount"))
    assert assert_envelope(root, "INVALID_ARGUMENT").startswith("Failed to unmount /.")


def test_mount_error_echoes_mount_properties(http: httpx.Client, base: str) -> None:
    """The real server leaks mount properties (credentials) into the error message."""
    body = json.dumps({"properties": {"aws.secretKey": "not-a-real-secret"}})
    r = http.post(
        paths(f"{base}/m", "mount"), params={"src": "/nonexistent-ufs"}, content=body, headers=JSON
    )
    message = assert_envelope(r, "UNKNOWN")
    assert "Ufs path /nonexistent-ufs does not exist" in message
    assert "not-a-real-secret" in message


# --- errors without the envelope ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "starts_with"),
    [
        (b"{bad", "Unexpected character ('b' (code 98))"),
        (b'{"bogus":1}', 'Unrecognized field "bogus" (class alluxio.grpc.ListStatusPOptions$'),
        (
            b'{"loadMetadataType":"Always"}',
            "Cannot deserialize value of type `com.google.protobuf.Descriptors$EnumDescriptor`"
            ' from String "Always": value not one of declared Enum instance names',
        ),
        (b'{"recursive":"yes"}', "Cannot deserialize value of type `boolean` from String"),
        (b"[]", "Unexpected token (END_ARRAY), expected FIELD_NAME"),
    ],
    ids=["malformed", "unknown-field", "1x-enum-spelling", "wrong-type", "array"],
)
def test_unbindable_options_are_400_text(
    http: httpx.Client, base: str, body: bytes, starts_with: str
) -> None:
    r = http.post(paths(base, "list-status"), content=body, headers=JSON)
    assert r.status_code == 400
    assert r.headers["content-type"] == "text/plain"
    assert r.text.startswith(starts_with)


def test_1x_top_level_ttl_is_rejected(http: httpx.Client, base: str) -> None:
    r = http.post(paths(f"{base}/f", "create-file"), content=b'{"ttl":5}', headers=JSON)
    assert (r.status_code, r.headers["content-type"]) == (400, "text/plain")
    assert r.text.startswith('Unrecognized field "ttl" (class alluxio.grpc.CreateFilePOptions$')
    assert http.post(paths(f"{base}/f", "exists")).json() is False


def test_uppercase_enum_names_are_accepted(http: httpx.Client, base: str) -> None:
    r = http.post(
        paths(base, "list-status"), content=b'{"loadMetadataType":"ALWAYS"}', headers=JSON
    )
    assert r.status_code == 200


def test_incomplete_mode_is_500_with_a_non_json_body(http: httpx.Client, base: str) -> None:
    r = http.post(
        paths(f"{base}/f", "create-file"), content=b'{"mode":{"ownerBits":"ALL"}}', headers=JSON
    )
    # Declared application/json, but the body is bare text.
    assert r.headers["content-type"] == "application/json"
    assert_plain_500(r, "Message missing required fields: groupBits, otherBits")


def test_content_type_rules(http: httpx.Client, base: str) -> None:
    # A JSON body needs the JSON content type; no body needs none.
    assert_plain_500(
        http.post(paths(base, "list-status"), content=b"{}"), "HTTP 415 Unsupported Media Type"
    )
    assert_plain_500(
        http.post(
            paths(base, "list-status"), content=b"{}", headers={"Content-Type": "text/plain"}
        ),
        "HTTP 415 Unsupported Media Type",
    )
    sid = http.post(paths(f"{base}/f", "create-file")).json()
    r = http.post(f"/streams/{sid}/write", content=b"x", headers=JSON)
    assert "content-type" not in r.headers
    assert_plain_500(r, "HTTP 415 Unsupported Media Type")
    http.post(f"/streams/{sid}/close")


def test_routing_errors_are_http_500_text(http: httpx.Client, base: str) -> None:
    assert_plain_500(http.post(paths(base, "no-such-action")), "HTTP 404 Not Found")
    assert_plain_500(http.get(paths(base, "list-status")), "HTTP 405 Method Not Allowed")
    assert_plain_500(http.get("/no-such-service"), "HTTP 404 Not Found")
    assert_plain_500(http.post("/paths/exists"), "HTTP 404 Not Found")  # no path segment
    non_int = http.post("/streams/abc/close")
    assert non_int.headers["content-type"] == "application/json"  # but not JSON
    assert_plain_500(non_int, "HTTP 404 Not Found")


def test_outside_the_api_jetty_answers_itself(real_proxy_url: str) -> None:
    r = httpx.get(f"{real_proxy_url}/api/v2/x")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    options = httpx.options(f"{real_proxy_url}/api/v1/proxy/info")
    assert options.status_code == 403
    raw_space = httpx.post(f"{real_proxy_url}/api/v1/paths//a b/exists")  # httpx encodes: fine
    assert raw_space.status_code == 200


def test_no_cors_headers_by_default(http: httpx.Client) -> None:
    r = http.get("/proxy/info", headers={"Origin": "http://example.invalid"})
    assert "access-control-allow-origin" not in r.headers


# --- path encoding ----------------------------------------------------------------------------


def _names(http: httpx.Client, path: str) -> list[str]:
    return sorted(e["name"] for e in http.post(paths(path, "list-status")).json())


def _mkdir(http: httpx.Client, raw_path: str) -> None:
    r = http.post(
        f"/paths/{raw_path}/create-directory", content=b'{"recursive":true}', headers=JSON
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("encoded", "created"),
    [
        ("a%20b", "a b"),
        ("c%23d", "c#d"),
        ("pct%25", "pct%"),
        ("p+q", "p+q"),  # '+' is not a space in a path
        ("p%2Bq", "p+q"),
        ("u%3Bv", "u;v"),
        ("%C3%A9t%C3%A9", "été"),
        ("colon:x", "colon:x"),
    ],
)
def test_path_segments_are_percent_decoded(
    http: httpx.Client, base: str, encoded: str, created: str
) -> None:
    _mkdir(http, f"{base}/{encoded}")
    assert _names(http, base) == [created]
    assert http.post(f"/paths/{base}/{encoded}/exists").json() is True


def test_decoded_question_mark_truncates_the_path(http: httpx.Client, base: str) -> None:
    # %3F decodes to "?", which Alluxio's URI parser takes as the start of a query.
    _mkdir(http, f"{base}/q%3Fx")
    assert _names(http, base) == ["q"]


def test_raw_semicolon_starts_matrix_parameters(http: httpx.Client, base: str) -> None:
    _mkdir(http, f"{base}/s;t")
    assert _names(http, base) == ["s"]


def test_encoded_slash_separates_components(http: httpx.Client, base: str) -> None:
    _mkdir(http, f"{base}/x%2Fy")
    assert _names(http, base) == ["x"]
    assert _names(http, f"{base}/x") == ["y"]
    assert http.post("/paths/%2F/exists").json() is True  # the form Alluxio's own probe uses


def test_duplicate_slashes_and_dot_segments_are_normalised(http: httpx.Client, base: str) -> None:
    _mkdir(http, f"{base}//dbl//slash")
    _mkdir(http, f"{base}/dot/../dotdot")
    assert _names(http, base) == ["dbl", "dotdot"]
    assert _names(http, f"{base}/dbl") == ["slash"]


def test_action_is_the_last_segment(http: httpx.Client, base: str) -> None:
    _mkdir(http, f"{base}/exists")
    assert http.post(f"/paths/{base}/exists/exists").json() is True
    assert http.post(f"/paths/{base}/exists/x/exists").json() is False


def test_query_values_decode_plus_as_space(http: httpx.Client, base: str) -> None:
    _mkdir(http, f"{base}/src")
    r = http.post(f"/paths/{base}/src/rename?dst={base}%2Fa%20b%2Bc+d")
    assert r.status_code == 200
    assert _names(http, base) == ["a b+c d"]


def test_root_listing_with_triple_slash(http: httpx.Client, base: str) -> None:
    names = [e["path"] for e in http.post("/paths///list-status").json()]
    assert base in names


# --- stream cache expiry (own server with a short timeout) ---------------------------------------


@pytest.fixture(scope="module")
def short_timeout_proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    conf = {"alluxio.proxy.stream.cache.timeout": "2s"}
    try:
        with start_real_proxy(tmp_path_factory.mktemp("real-ufs-expiry"), conf=conf) as url:
            yield url
    except RealProxyUnavailable as exc:
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")


@pytest.mark.slow
def test_idle_streams_expire_and_an_expired_write_stream_is_completed(
    short_timeout_proxy: str,
) -> None:
    with httpx.Client(base_url=f"{short_timeout_proxy}/api/v1", timeout=60) as http:
        sid = http.post(paths("/expiry", "create-file")).json()
        assert http.post(f"/streams/{sid}/write", content=b"abc", headers=OCTETS).json() == 3
        time.sleep(5)
        late = http.post(f"/streams/{sid}/write", content=b"x", headers=OCTETS)
        assert assert_envelope(late, "INTERNAL") == "stream does not exist"
        # Expired but not yet closed: Guava runs the removal listener (which closes, and so
        # completes, the file) only during later cache writes, i.e. the next create/open.
        info = http.post(paths("/expiry", "get-status")).json()
        assert (info["completed"], info["length"]) == (False, 0)
        for n in range(16):
            other = http.post(paths(f"/expiry-{n}", "create-file")).json()
            http.post(f"/streams/{other}/close")
            info = http.post(paths("/expiry", "get-status")).json()
            if info["completed"]:
                break
        assert (info["completed"], info["length"]) == (True, 3)


@pytest.mark.slow
def test_default_2_9_configuration_serves_no_rest_api(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """2.9's default ``alluxio.proxy.s3.v2.version.enabled=true`` swaps the whole /api/v1
    servlet for an S3-only one that answers every other request with an empty 200."""
    proxy = RealProxy(
        tmp_path_factory.mktemp("real-ufs-v2"),
        conf={"alluxio.proxy.s3.v2.version.enabled": "true"},
    )
    try:
        with pytest.raises(RealProxyError, match="answered 200 with an empty body"):
            proxy.start()
    except RealProxyUnavailable as exc:
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")
    finally:
        proxy.stop()
