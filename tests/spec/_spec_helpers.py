"""Shared by the spec tests: the parsed document and "is this response documented?"."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30Validator
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "alluxio-proxy.yaml"

# Bodies Jersey itself sends (as HTTP 500) before an operation runs; the spec's ServerError
# response documents them as the one non-JSON exception, whatever the Content-Type says.
JERSEY_TEXT = re.compile(r"HTTP [45]\d\d [A-Za-z ]+|Message missing required fields: .+")

_ROUTES = [
    (re.compile(r"/api/v1/paths/(?P<path>.*)/(?P<action>[a-z-]+)"), "/api/v1/paths/{path}/"),
    (re.compile(r"/api/v1/streams/(?P<id>[^/]+)/(?P<action>[a-z]+)"), "/api/v1/streams/{id}/"),
    (re.compile(r"/api/v1/proxy/info"), "/api/v1/proxy/info"),
]


@functools.cache
def spec() -> dict[str, Any]:
    """The parsed document (shared; callers only read it)."""
    doc, _ = read_from_filename(str(SPEC))
    return dict(doc)


def resolve(node: Any) -> Any:
    """Follow a local `$ref` (one level is all this document uses)."""
    if isinstance(node, dict) and "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return target
    return node


def find_operation(method: str, path: str) -> dict[str, Any] | None:
    """The operation serving `method path` (no query), or None when no route matches."""
    for pattern, prefix in _ROUTES:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        groups = match.groupdict()
        if "id" in groups and not re.fullmatch(r"-?\d{1,9}", groups["id"]):
            return None  # does not match Jersey's Integer parameter
        route = prefix + groups["action"] if "action" in groups else prefix
        operation = spec()["paths"].get(route, {}).get(method.lower())
        return operation if isinstance(operation, dict) else None
    return None


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Validate a JSON value against a schema of the document (OpenAPI 3.0 rules)."""
    OAS30Validator({**schema, "components": spec()["components"]}).validate(instance)


def assert_documented(
    method: str, path: str, status: int, content_type: str | None, body: bytes
) -> dict[str, Any] | None:
    """Fail unless the spec documents this response; return the operation (None: no route)."""
    operation = find_operation(method, path)
    text = body.decode("utf-8", errors="replace")
    if operation is None:
        # Unknown route or method: Jersey's text as a 500, or Jetty's 404 outside /api/v1.
        if status == 404:
            assert not path.startswith("/api/v1/"), path
        else:
            assert status == 500, (method, path, status)
            assert JERSEY_TEXT.fullmatch(text), text
        return None

    responses = operation["responses"]
    assert str(status) in responses, f"{method} {path}: undocumented status {status}: {text!r}"
    content: dict[str, Any] = resolve(responses[str(status)]).get("content", {})
    if not content:
        assert body == b"", f"{method} {path}: expected an empty body, got {text!r}"
    elif "application/json" in content:
        try:
            value = json.loads(body)
        except ValueError:
            assert status == 500, f"{method} {path}: {status} body is not JSON: {text!r}"
            assert JERSEY_TEXT.fullmatch(text), text
        else:
            validate(value, content["application/json"]["schema"])
    else:
        (media_type,) = content
        assert content_type is not None, (method, path)
        assert content_type.split(";")[0] == media_type, (method, path, content_type)
    return operation
