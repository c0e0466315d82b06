"""Every option field of the spec, sent once to the real 2.9.6 proxy and to the embedded one.

Parametrized from the spec (tests/spec/_spec_fields.py): each field a 2.x client can send goes
out alone, with a valid value, on the operation it belongs to, against the same prepared paths
on both servers. Both must answer alike: the same HTTP status (200, or the same error), and
for an error the same status name. A field one server binds and the other rejects fails here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import alluxio
from alluxio import option
from tests.spec._spec_fields import FIELDS, OptionField, sendable, sent_body, valid

pytestmark = pytest.mark.real_proxy

CASES = [pytest.param(f, id=f.id) for f in FIELDS if sendable(f, "2.x")]


@pytest.fixture(scope="module")
def servers(real_proxy_url: str, embedded_proxy_url: str) -> dict[str, str]:
    return {"real": real_proxy_url, "embedded": embedded_proxy_url}


@pytest.fixture
def mount_source(tmp_path: Path) -> Iterator[Path]:
    source = tmp_path / "ufs"
    source.mkdir()
    (source / "m.txt").write_bytes(b"mounted")
    yield source


def _prepare(url: str, base: str, field: OptionField, source: Path) -> tuple[str, dict[str, str]]:
    """Create the paths the operation works on; return its path and query parameters."""
    with alluxio.Client.from_url(url, timeout=120) as client:
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
    return body.get("statusCode") if isinstance(body, dict) else None


@pytest.mark.parametrize("field", CASES)
def test_both_proxies_answer_a_field_alike(
    servers: dict[str, str], mount_source: Path, field: OptionField
) -> None:
    _arg, sent = valid(field.prop, "2.x")
    body = sent_body(field, "2.x", sent)
    base = f"/spec-live-{uuid.uuid4().hex[:10]}"
    answers: dict[str, httpx.Response] = {}
    for name, url in servers.items():
        path, params = _prepare(url, base, field, mount_source)
        answers[name] = _send(url, path, field, params, body)
        if field.op.action in ("mount", "unmount"):
            with alluxio.Client.from_url(url, timeout=120) as client:
                if client.exists(f"{base}/mnt"):
                    client.unmount(f"{base}/mnt")
    real, embedded = answers["real"], answers["embedded"]
    assert (embedded.status_code, _status_name(embedded)) == (
        real.status_code,
        _status_name(real),
    ), f"{body}: real {real.status_code} {real.text[:300]!r}, embedded {embedded.text[:300]!r}"
