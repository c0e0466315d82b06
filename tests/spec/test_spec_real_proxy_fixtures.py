"""The spec against what a real Alluxio proxy answered.

`tests/fixtures/real_proxy/*.json` are exchanges recorded from a running Alluxio 2.9 proxy. Every
recorded response must be one the spec documents for that operation (status code, content type,
body schema), and the generated client must parse it without losing data.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from alluxio_proxy_api import Client
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "alluxio-proxy.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "real_proxy"

# Bodies Jersey itself sends (as HTTP 500) before an operation runs; the spec's ServerError
# response documents them as the one non-JSON exception, whatever the Content-Type says.
JERSEY_TEXT = re.compile(r"HTTP [45]\d\d [A-Za-z ]+|Message missing required fields: .+")

ROUTES = [
    (re.compile(r"/api/v1/paths/(?P<path>.*)/(?P<action>[a-z-]+)"), "/api/v1/paths/{path}/"),
    (re.compile(r"/api/v1/streams/(?P<id>[^/]+)/(?P<action>[a-z]+)"), "/api/v1/streams/{id}/"),
    (re.compile(r"/api/v1/proxy/info"), "/api/v1/proxy/info"),
]


@dataclass(frozen=True)
class Exchange:
    name: str
    method: str
    path: str
    status: int
    content_type: str | None
    body_json: Any
    body_text: str | None
    has_json: bool


def load_exchanges() -> list[Exchange]:
    exchanges = []
    for file in sorted(FIXTURES.glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "request" not in data or "response" not in data:
            continue  # summaries and other non-exchange files
        response = data["response"]
        exchanges.append(
            Exchange(
                name=file.stem,
                method=data["request"]["method"].lower(),
                path=data["request"]["path"].split("?", 1)[0],
                status=response["status"],
                content_type=response.get("content_type"),
                body_json=response.get("body_json"),
                body_text=response.get("body_text"),
                has_json="body_json" in response,
            )
        )
    return exchanges


EXCHANGES = load_exchanges()


@functools.cache
def spec() -> dict[str, Any]:
    doc, _ = read_from_filename(str(SPEC))
    return dict(doc)


def resolve(node: Any) -> Any:
    if isinstance(node, dict) and "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return target
    return node


def find_operation(exchange: Exchange) -> dict[str, Any] | None:
    """The spec operation serving this request, or None when no documented route matches."""
    for pattern, prefix in ROUTES:
        match = pattern.fullmatch(exchange.path)
        if match is None:
            continue
        groups = match.groupdict()
        if "id" in groups and not re.fullmatch(r"-?\d{1,9}", groups["id"]):
            return None  # does not match Jersey's Integer parameter
        route = prefix + groups["action"] if "action" in groups else prefix
        item = spec()["paths"].get(route, {})
        operation = item.get(exchange.method)
        return operation if isinstance(operation, dict) else None
    return None


def validate(instance: Any, schema: dict[str, Any]) -> None:
    root = {**schema, "components": spec()["components"]}
    OAS30Validator(root).validate(instance)


def parsed_by_generated_client(operation: dict[str, Any], exchange: Exchange) -> Any:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", operation["operationId"]).lower()
    module = importlib.import_module(f"alluxio_proxy_api.api.{operation['tags'][0]}.{snake}")
    headers = {"content-type": exchange.content_type} if exchange.content_type else {}
    content = (
        json.dumps(exchange.body_json).encode()
        if exchange.has_json
        else (exchange.body_text or "").encode()
    )
    response = httpx.Response(exchange.status, content=content, headers=headers)
    with Client(base_url="http://proxy.test") as client:
        return module._build_response(client=client, response=response).parsed


def test_fixtures_were_recorded() -> None:
    assert len(EXCHANGES) >= 20, f"expected real-proxy exchanges in {FIXTURES}"


@pytest.mark.parametrize("exchange", EXCHANGES, ids=[e.name for e in EXCHANGES])
def test_recorded_response_is_documented(exchange: Exchange) -> None:
    operation = find_operation(exchange)
    if operation is None:
        # Unknown route or method: Jersey's text as a 500, or Jetty's 404 outside /api/v1.
        if exchange.status == 404:
            assert not exchange.path.startswith("/api/v1/")
        else:
            assert exchange.status == 500
            assert JERSEY_TEXT.fullmatch(exchange.body_text or ""), exchange.body_text
        return

    responses = operation["responses"]
    assert str(exchange.status) in responses, f"undocumented status {exchange.status}"
    response = resolve(responses[str(exchange.status)])
    content: dict[str, Any] = response.get("content", {})

    if not content:
        assert not exchange.has_json
        assert exchange.body_text == ""
        return
    if "application/json" in content:
        if exchange.has_json:
            validate(exchange.body_json, content["application/json"]["schema"])
        else:
            assert exchange.status == 500
            assert JERSEY_TEXT.fullmatch(exchange.body_text or ""), exchange.body_text
        return
    (media_type,) = content
    assert exchange.content_type is not None
    assert exchange.content_type.split(";")[0] == media_type
    assert not exchange.has_json


@pytest.mark.parametrize(
    "exchange",
    [e for e in EXCHANGES if e.has_json],
    ids=[e.name for e in EXCHANGES if e.has_json],
)
def test_generated_client_parses_recorded_json_without_loss(exchange: Exchange) -> None:
    operation = find_operation(exchange)
    assert operation is not None
    parsed = parsed_by_generated_client(operation, exchange)
    if isinstance(parsed, list):
        assert [item.to_dict() for item in parsed] == exchange.body_json
    elif hasattr(parsed, "to_dict"):
        assert parsed.to_dict() == exchange.body_json
    else:
        assert parsed == exchange.body_json
        assert type(parsed) is type(exchange.body_json)
