"""Every option field of the spec, with a valid value: the parameters of the field tests.

Read from ``spec/alluxio-proxy.yaml`` at import time, so a field added to the spec is a new
test case everywhere these are used (the façade, both clients, the embedded and real proxies).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from alluxio import _facade, option, wire
from alluxio._facade import SEED_COMMON_KEYS

SPEC = Path(__file__).resolve().parents[2] / "spec" / "alluxio-proxy.yaml"
DOC: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
SCHEMAS: dict[str, Any] = DOC["components"]["schemas"]
DIALECTS = ("2.x", "1.x")


def snake(name: str) -> str:
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def target(node: dict[str, Any]) -> str | None:
    ref = node.get("$ref")
    if ref is None and len(node.get("allOf", ())) == 1:
        ref = node["allOf"][0].get("$ref")
    return str(ref).rsplit("/", 1)[1] if ref else None


def dialects_of(node: dict[str, Any]) -> tuple[str, ...]:
    if "x-alluxio-versions" in node:
        return tuple(node["x-alluxio-versions"])
    name = target(node)
    return tuple(SCHEMAS[name].get("x-alluxio-versions", DIALECTS)) if name else DIALECTS


@dataclass(frozen=True)
class Operation:
    """A path operation whose request body is an option schema."""

    action: str  # the last URL segment, e.g. "create-file"
    method: str  # the Client method, e.g. "create_file"
    schema: str  # e.g. "CreateFileOptions"
    extra_args: tuple[str, ...]  # required query parameters, passed after the path


def _operations() -> dict[str, Operation]:
    ops: dict[str, Operation] = {}
    for route, item in DOC["paths"].items():
        for op in item.values():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None:
                continue
            schema = target(body["schema"])
            assert schema is not None
            query = tuple(p["name"] for p in op.get("parameters", []) if p.get("in") == "query")
            action = route.rsplit("/", 1)[1]
            ops[schema] = Operation(action, snake(op["operationId"]), schema, query)
    return ops


OPERATIONS = _operations()


@dataclass(frozen=True)
class OptionField:
    """One property of an option schema."""

    op: Operation
    key: str  # JSON name
    prop: dict[str, Any]

    @property
    def cls(self) -> type[_facade.Options]:
        cls: type[_facade.Options] = getattr(option, self.op.schema.removesuffix("Options"))
        return cls

    @property
    def attr(self) -> str:
        return snake(self.key)

    @property
    def dialects(self) -> tuple[str, ...]:
        return dialects_of(self.prop)

    @property
    def id(self) -> str:
        return f"{self.op.schema.removesuffix('Options')}.{self.attr}"


FIELDS = [
    OptionField(op, key, prop)
    for op in OPERATIONS.values()
    for key, prop in SCHEMAS[op.schema].get("properties", {}).items()
]


@dataclass(frozen=True)
class ClassField:
    """One property of an option class's schema (option schemas and the objects they nest)."""

    schema: str
    key: str
    prop: dict[str, Any]

    @property
    def cls(self) -> type[_facade.Options]:
        name = self.schema.removesuffix("Options") if self.schema in OPERATIONS else self.schema
        cls: type[_facade.Options] = getattr(option, name)
        return cls

    @property
    def attr(self) -> str:
        return snake(self.key)

    @property
    def id(self) -> str:
        return f"{self.cls.__name__}.{self.attr}"


def _option_schemas() -> list[str]:
    """Option schemas, then the object schemas they nest that become option classes too."""
    found = list(OPERATIONS)
    for name in found:
        for prop in SCHEMAS[name].get("properties", {}).values():
            nested = target(prop.get("items", prop))
            if nested is None or nested in found:
                continue
            schema = SCHEMAS[nested]
            if "properties" in schema and "x-python-type" not in schema:
                found.append(nested)
    return found


OPTION_SCHEMAS = _option_schemas()
CLASS_FIELDS = [
    ClassField(name, key, prop)
    for name in OPTION_SCHEMAS
    for key, prop in SCHEMAS[name].get("properties", {}).items()
]


def valid(node: dict[str, Any], dialect: str) -> tuple[Any, Any]:
    """(Python argument, JSON sent to a ``dialect`` proxy) of a valid value of a property."""
    name = target(node)
    if name is not None:
        schema = SCHEMAS[name]
        if "enum" in schema:
            values = schema["enum"]
            spelled = schema.get("x-alluxio-1x-enum", values) if dialect == "1.x" else values
            cls = getattr(wire, schema.get("x-python-name", name))
            return cls(values[0]), spelled[0]
        if schema.get("x-python-type") == "Mode":
            mode = wire.Mode(wire.BITS_ALL, wire.BITS_READ, wire.BITS_NONE)
            return mode, mode.json()
        if schema.get("x-python-type") == "WorkerNetAddress":
            address = wire.WorkerNetAddress("worker-1", 29999, 29999, 30000)
            return address, address.json()
        if "properties" not in schema:
            # A named map (XAttr); its example is a whole document's, not a valid value here.
            return valid({k: v for k, v in schema.items() if k != "example"}, dialect)
        # A nested option object: its first field the dialect has.
        key, prop = next(
            (k, p) for k, p in schema["properties"].items() if dialect in dialects_of(p)
        )
        arg, sent = valid(prop, dialect)
        return getattr(option, name)(**{snake(key): arg}), {key: sent}
    if "example" in node:
        return node["example"], node["example"]
    kind = node["type"]
    if kind == "boolean":
        return True, True
    if kind == "integer":
        low = node.get("minimum")
        value = 1 if low is None else low + (1 if node.get("exclusiveMinimum") else 0)
        return value, value
    if kind == "string":
        return "x", "x"
    if kind == "array":
        return ["MEM"], ["MEM"]
    values = node["additionalProperties"]
    if values.get("format") == "byte":
        return {"k": b"v"}, {"k": base64.b64encode(b"v").decode()}
    return {"k": "v"}, {"k": "v"}


def wrong_type(node: dict[str, Any]) -> object:
    """A value of the wrong Python type for a property."""
    if node.get("type") == "boolean":
        return "yes"
    if node.get("type") in ("integer", "array"):
        return "1"
    return 1


def sent_body(field: OptionField, dialect: str, sent: Any) -> dict[str, Any]:
    """The body a client of ``dialect`` sends for the field alone (the seed TTL keys move)."""
    if dialect == "2.x" and field.key in SEED_COMMON_KEYS:
        return {"commonOptions": {field.key: sent}}
    return {field.key: sent}


def sendable(field: OptionField, dialect: str) -> bool:
    """Whether a client of ``dialect`` can send the field (itself, or a seed alias of it)."""
    if dialect in field.dialects:
        return True
    return dialect == "2.x" and field.key in SEED_COMMON_KEYS
