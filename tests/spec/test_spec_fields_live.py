"""Every option field of the spec, sent once to a real proxy and to the embedded one.

Parametrized from the spec (tests/spec/_spec_fields.py): each field a client of the dialect
can send goes out alone, with a valid value, on the operation it belongs to, against the same
prepared paths on both servers: the real 2.9.6 proxy and an embedded 2.x proxy, the real 1.8.1
proxy and an embedded 1.x proxy. Both must answer alike: the same HTTP status (200, or the
same error), and for an error the same status name. A field one server binds and the other
rejects fails here.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import alluxio
from alluxio import option
from alluxio.server import EmbeddedProxy
from tests._real_proxy import DEFAULT_V1_VERSION, RealProxyUnavailable, start_real_proxy
from tests.spec._spec_fields import DIALECTS, FIELDS, OptionField, sendable, sent_body, valid

pytestmark = pytest.mark.real_proxy

CASES = [pytest.param(f, d, id=f"{f.id}-{d}") for d in DIALECTS for f in FIELDS if sendable(f, d)]


@pytest.fixture(scope="module")
def servers_1x(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real 1.8.1 proxy and an embedded 1.x one, for this module."""
    try:
        with (
            start_real_proxy(
                tmp_path_factory.mktemp("real-ufs-v1"), version=DEFAULT_V1_VERSION
            ) as real,
            EmbeddedProxy(
                tmp_path_factory.mktemp("embedded-ufs-v1"),
                dialect="1.x",
                # Mount sources are pytest's temporary directories, as in tests/conftest.py.
                allow_mounts=[tmp_path_factory.getbasetemp()],
            ) as embedded,
        ):
            yield {"real": real, "embedded": embedded.url}
    except RealProxyUnavailable as exc:
        if os.environ.get("ALLUXIO_PY_REQUIRE_REAL_PROXY"):
            pytest.fail(f"real Alluxio proxy required but unavailable: {exc.reason}")
        pytest.skip(f"real Alluxio proxy unavailable: {exc.reason}")


def _servers(request: pytest.FixtureRequest, dialect: str) -> dict[str, str]:
    if dialect == "1.x":
        found: dict[str, str] = request.getfixturevalue("servers_1x")
        return found
    return {
        "real": request.getfixturevalue("real_proxy_url"),
        "embedded": request.getfixturevalue("embedded_proxy_url"),
    }


@pytest.fixture
def mount_source(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "ufs"
    source.mkdir()
    (source / "m.txt").write_bytes(b"mounted")
    yield source


def _prepare(
    url: str, dialect: str, base: str, field: OptionField, source: Path
) -> tuple[str, dict[str, str]]:
    """Create the paths the operation works on; return its path and query parameters."""
    with alluxio.Client.from_url(url, timeout=120, dialect=dialect) as client:
        client.create_directory(base, option.CreateDirectory(recursive=True))
        with client.open(f"{base}/f", "w") as writer:
            writer.write(b"spec field")
        action = field.op.action
        if action in ("create-file", "create-directory"):
            return f"{base}/new", {}
        if action == "rename":
            return f"{base}/f", {"dst": f"{base}/g"}
        if action == "mount":
            return f"{base}/mnt", {"src": str(source)}
        if action == "unmount":
            client.mount(f"{base}/mnt", str(source))
            return f"{base}/mnt", {}
        if action == "list-status":
            return base, {}
        return f"{base}/f", {}


def _send(
    url: str, path: str, field: OptionField, params: dict[str, str], body: Any
) -> httpx.Response:
    response = httpx.post(
        f"{url}/api/v1/paths/{path}/{field.op.action}", params=params, json=body, timeout=120
    )
    if response.status_code == 200 and field.op.action in ("create-file", "open-file"):
        httpx.post(f"{url}/api/v1/streams/{response.json()}/close", timeout=120)
    return response


def _status_name(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    name = body.get("statusCode", body.get("status"))  # 2.x, 1.x error bodies
    return str(name) if name is not None else None


@pytest.mark.parametrize(("field", "dialect"), CASES)
def test_both_proxies_answer_a_field_alike(
    request: pytest.FixtureRequest, mount_source: Path, field: OptionField, dialect: str
) -> None:
    _arg, sent = valid(field.prop, dialect)
    body = sent_body(field, dialect, sent)
    base = f"/spec-live-{uuid.uuid4().hex[:10]}"
    answers: dict[str, httpx.Response] = {}
    for name, url in _servers(request, dialect).items():
        path, params = _prepare(url, dialect, base, field, mount_source)
        answers[name] = _send(url, path, field, params, body)
        if field.op.action in ("mount", "unmount"):
            with alluxio.Client.from_url(url, timeout=120, dialect=dialect) as client:
                if client.exists(f"{base}/mnt"):
                    client.unmount(f"{base}/mnt")
    real, embedded = answers["real"], answers["embedded"]
    assert (embedded.status_code, _status_name(embedded)) == (
        real.status_code,
        _status_name(real),
    ), f"{body}: real {real.status_code} {real.text[:300]!r}, embedded {embedded.text[:300]!r}"
