"""The clients' per-request plumbing: the URL they address and the async cookie store."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import alluxio
from alluxio import option
from alluxio._core import Call, CookieStore, Listing, Operations
from alluxio._dialect import Dialect
from alluxio._endpoints import Endpoint

# ('?', '\\' and dot segments are refused before a request is built: tests/paths.)
PATHS = [
    "/f",
    "/a b/ü x#",
    "/..x/.y/...",
    "/a/%2F/b",
    "/ a;b=c",
    "/[x]@:!$&'()*+,;=",
    "/%",
    "/a//b/",
    "/~_-.",
    "/\x7f\u2028é",
]


@pytest.mark.parametrize(
    "endpoint",
    [
        Endpoint("http", "127.0.0.1", 39151),
        Endpoint("https", "::1", 443),
        Endpoint("http", "Host.Example", 80),
    ],
    ids=str,
)
def test_endpoint_join_is_httpx_base_url_joining(endpoint: Endpoint) -> None:
    dialects: list[Dialect] = ["2.x", "1.x"]
    for dialect in dialects:
        ops = Operations(dialect)
        for path in PATHS:
            calls: list[Call[Any] | Listing[Any]] = [
                ops.exists(path, None),
                ops.get_status(path, None),
                ops.list_status(path, option.ListStatus(recursive=True)),
                ops.rename(path, path + "&=x#", None),
                ops.mount(path, "s3://b/" + path, None),
                ops.close_stream(7),
            ]
            for call in calls:
                url = call.request["url"]
                got = endpoint.join(url)
                # How httpx.Client(base_url=...) joins (and Endpoint.join used to).
                base = httpx.URL(endpoint.url + "/")
                joined = base.copy_with(
                    raw_path=base.raw_path + httpx.URL(url).raw_path.lstrip(b"/")
                )
                assert got == joined
                assert (got.raw_path, got.host, got.port, got.scheme) == (
                    joined.raw_path,
                    joined.host,
                    joined.port,
                    joined.scheme,
                )
                assert str(got) == str(joined)


def _response(headers: list[tuple[str, str]]) -> httpx.Response:
    request = httpx.Request("POST", "http://proxy.example:39999/api/v1/paths//f/exists")
    return httpx.Response(200, headers=headers, request=request)


@pytest.mark.parametrize("client_class", [alluxio.Client, alluxio.AsyncClient])
def test_cookies_are_still_stored_when_set(
    client_class: type[alluxio.Client] | type[alluxio.AsyncClient],
) -> None:
    """Both clients skip the cookie jar for responses without Set-Cookie, and only those."""
    client = client_class("localhost", 39999)
    cookies = client._http.cookies
    assert isinstance(cookies, CookieStore)
    cookies.extract_cookies(_response([("Content-Length", "4")]))
    assert len(cookies.jar) == 0
    cookies.extract_cookies(_response([("Set-Cookie", "a=1; Path=/"), ("set-cookie", "b=2")]))
    assert {c.name: c.value for c in cookies.jar} == {"a": "1", "b": "2"}
    # What httpx would have stored, for the same response.
    plain = httpx.Cookies()
    plain.extract_cookies(_response([("Set-Cookie", "a=1; Path=/"), ("set-cookie", "b=2")]))
    assert sorted((c.name, c.value, c.path) for c in plain.jar) == sorted(
        (c.name, c.value, c.path) for c in cookies.jar
    )
