"""The spec against what a real Alluxio proxy answered.

`tests/fixtures/real_proxy/*.json` are exchanges recorded from a running Alluxio 2.9 proxy. Every
recorded response must be one the spec documents for that operation (status code, content type,
body schema), and the generated client must parse it without losing data.
"""

from __future__ import annotations

import importlib
import json
import re
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from alluxio_proxy_api import Client

from tests.spec._spec_helpers import ROOT, assert_documented, find_operation

FIXTURES = ROOT / "tests" / "fixtures" / "real_proxy"


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
    body = (
        json.dumps(exchange.body_json).encode()
        if exchange.has_json
        else (exchange.body_text or "").encode()
    )
    assert_documented(exchange.method, exchange.path, exchange.status, exchange.content_type, body)


@pytest.mark.parametrize(
    "exchange",
    [e for e in EXCHANGES if e.has_json],
    ids=[e.name for e in EXCHANGES if e.has_json],
)
def test_generated_client_parses_recorded_json_without_loss(exchange: Exchange) -> None:
    operation = find_operation(exchange.method, exchange.path)
    assert operation is not None
    parsed = parsed_by_generated_client(operation, exchange)
    if isinstance(parsed, list):
        assert [item.to_dict() for item in parsed] == exchange.body_json
    elif hasattr(parsed, "to_dict"):
        assert parsed.to_dict() == exchange.body_json
    else:
        assert parsed == exchange.body_json
        assert type(parsed) is type(exchange.body_json)
