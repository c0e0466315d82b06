"""Alluxio paths reach the proxy intact: slashes literal, everything else percent-encoded.

The proxy takes the percent-decoded text between `/api/v1/paths/` and `/<action>` as the Alluxio
path, so decoding that part of the raw request path must give back exactly the path the caller
passed (leading slash included, which yields the documented `paths//...` double slash).
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from urllib.parse import unquote

import httpx
import pytest
import respx
from alluxio_proxy_api import Client
from alluxio_proxy_api.api.paths import exists
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BASE_URL = "http://proxy.test:39999"
PREFIX = b"/api/v1/paths/"
SUFFIX = b"/exists"
# What may appear unencoded in the path part: RFC 3986 unreserved characters and the separator.
ALLOWED_RAW = re.compile(rb"^(?:[A-Za-z0-9\-._~/]|%[0-9A-F]{2})*$")


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(base_url=BASE_URL) as c:
        yield c


def sent_raw_path(client: Client, path: str) -> bytes:
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(return_value=httpx.Response(200, json=True))
        exists.sync_detailed(path, client=client)
        raw: bytes = route.calls.last.request.url.raw_path
    return raw


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/", "/api/v1/paths///exists"),
        ("/a/b", "/api/v1/paths//a/b/exists"),
        ("/a b/c#d?e%f+g", "/api/v1/paths//a%20b/c%23d%3Fe%25f%2Bg/exists"),
        ("/dir/", "/api/v1/paths//dir//exists"),
        ("/é/日本/😀", "/api/v1/paths//%C3%A9/%E6%97%A5%E6%9C%AC/%F0%9F%98%80/exists"),
        ("/tab\there/new\nline", "/api/v1/paths//tab%09here/new%0Aline/exists"),
        ("/\"quoted\" 'single'", "/api/v1/paths//%22quoted%22%20%27single%27/exists"),
        ("/a;b&c=d", "/api/v1/paths//a%3Bb%26c%3Dd/exists"),
        ("/!$*(),:@[]", "/api/v1/paths//%21%24%2A%28%29%2C%3A%40%5B%5D/exists"),
        ("/back\\slash", "/api/v1/paths//back%5Cslash/exists"),
        ("/x/%2F/y", "/api/v1/paths//x/%252F/y/exists"),
        ("/a-b_c.d~e", "/api/v1/paths//a-b_c.d~e/exists"),
        ("/exists/exists", "/api/v1/paths//exists/exists/exists"),
    ],
)
def test_awkward_paths(client: Client, path: str, raw: str) -> None:
    assert sent_raw_path(client, path) == raw.encode("ascii")


def test_dot_segments_reach_the_proxy_exactly(client: Client) -> None:
    """`.` is unreserved, so quoting leaves it alone, and httpx would then remove `.`/`..`
    segments (RFC 3986), even eating the route (`/..` -> `/api/v1/paths/exists`). The template
    sends whole dot segments as `%2E`: the proxy decodes them and Alluxio resolves them itself.
    """
    assert sent_raw_path(client, "/a/./b") == b"/api/v1/paths//a/%2E/b/exists"
    assert sent_raw_path(client, "/a/b/../c") == b"/api/v1/paths//a/b/%2E%2E/c/exists"
    assert sent_raw_path(client, "/..") == b"/api/v1/paths//%2E%2E/exists"
    assert sent_raw_path(client, "/a..b/.x/...") == b"/api/v1/paths//a..b/.x/.../exists"


alluxio_paths = (
    st.text(
        # Lone surrogates cannot be encoded as UTF-8, so no HTTP client can send them.
        alphabet=st.characters(codec="utf-8"),
        max_size=40,
    )
    | st.text(alphabet=string.printable + "/./é", max_size=40)
).map(lambda s: "/" + s)


def capturing_client(seen: list[httpx.Request]) -> Client:
    """A generated client whose transport records requests instead of sending them."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=True)

    return Client(base_url=BASE_URL, httpx_args={"transport": httpx.MockTransport(handler)})


SEEN: list[httpx.Request] = []
# One client for all examples: building it per example would dominate the run time.
CAPTURING = capturing_client(SEEN)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=alluxio_paths)
def test_any_unicode_path_round_trips(path: str) -> None:
    exists.sync_detailed(path, client=CAPTURING)
    raw = SEEN.pop().url.raw_path
    assert raw.startswith(PREFIX)
    assert raw.endswith(SUFFIX)
    middle = raw[len(PREFIX) : -len(SUFFIX)]
    assert ALLOWED_RAW.match(middle), middle
    # Raw slashes are exactly the path's own separators.
    assert middle.count(b"/") == path.count("/")
    assert unquote(middle.decode("ascii"), errors="strict") == path
