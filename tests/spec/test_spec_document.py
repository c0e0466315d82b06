"""The hand-written OpenAPI document: valid, complete, documented.

Non-Python teams read `spec/alluxio-proxy.yaml` as the API reference, so every operation, schema
and property must say what it is, and every endpoint of the proxy must be there.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "alluxio-proxy.yaml"

PATH_ACTIONS = {
    "create-directory": "createDirectory",
    "create-file": "createFile",
    "delete": "delete",
    "exists": "exists",
    "free": "free",
    "get-status": "getStatus",
    "list-status": "listStatus",
    "mount": "mount",
    "open-file": "openFile",
    "rename": "rename",
    "set-attribute": "setAttribute",
    "unmount": "unmount",
}

# (method, route) -> operationId for every endpoint the proxy serves besides the path actions.
OTHER_OPERATIONS = {
    ("get", "/api/v1/paths/{path}/download-file"): "downloadFile",
    ("get", "/api/v1/proxy/info"): "getProxyInfo",
    ("post", "/api/v1/streams/{id}/read"): "readStream",
    ("post", "/api/v1/streams/{id}/write"): "writeStream",
    ("post", "/api/v1/streams/{id}/close"): "closeStream",
}

OCTET_STREAM_OPERATIONS = {"readStream", "downloadFile"}

REQUIRED_SCHEMAS = {
    "CommonOptions",
    "CreateDirectoryOptions",
    "CreateFileOptions",
    "DeleteOptions",
    "ExistsOptions",
    "FreeOptions",
    "GetStatusOptions",
    "ListStatusOptions",
    "MountOptions",
    "OpenFileOptions",
    "RenameOptions",
    "SetAttributeOptions",
    "UnmountOptions",
    "Mode",
    "Bits",
    "WriteType",
    "ReadType",
    "TtlAction",
    "LoadMetadataType",
    "PersistenceState",
    "FileInfo",
    "FileBlockInfo",
    "BlockInfo",
    "BlockLocation",
    "WorkerNetAddress",
    "ProxyInfo",
    "ErrorResponse",
    "ErrorResponse1x",
}

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@functools.cache
def load() -> dict[str, Any]:
    """The parsed document (shared by the tests, which only read it)."""
    doc, _ = read_from_filename(str(SPEC))
    return dict(doc)


def resolve(doc: dict[str, Any], node: Any) -> Any:
    """Follow a local `$ref` (one level is all this document uses)."""
    if isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return target
    return node


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, route, op)
        for route, item in doc["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]


def test_spec_validates() -> None:
    spec_dict, _ = read_from_filename(str(SPEC))
    validate(spec_dict)


def test_spec_is_openapi_3_0_3_with_a_described_info_section() -> None:
    doc = load()
    assert doc["openapi"] == "3.0.3"
    description = doc["info"]["description"]
    for topic in ("Dialects", "Error model", "Stream lifecycle", "x-alluxio-versions"):
        assert topic in description


def test_every_proxy_endpoint_is_described() -> None:
    doc = load()
    found = {(method, route): op["operationId"] for method, route, op in operations(doc)}
    expected = {
        ("post", f"/api/v1/paths/{{path}}/{action}"): op_id
        for action, op_id in PATH_ACTIONS.items()
    }
    expected.update(OTHER_OPERATIONS)
    assert found == expected


def test_one_tag_per_operation() -> None:
    doc = load()
    for _, route, op in operations(doc):
        expected = route.split("/")[3]  # /api/v1/<tag>/...
        assert op["tags"] == [expected], route


def test_download_file_is_marked_2x_only() -> None:
    op = load()["paths"]["/api/v1/paths/{path}/download-file"]["get"]
    assert op["x-alluxio-versions"] == ["2.x"]


def test_required_query_parameters() -> None:
    doc = load()
    for action, name in (("mount", "src"), ("rename", "dst")):
        params = doc["paths"][f"/api/v1/paths/{{path}}/{action}"]["post"]["parameters"]
        query = [resolve(doc, p) for p in params if resolve(doc, p)["in"] == "query"]
        assert [(p["name"], p["required"]) for p in query] == [(name, True)]


def test_path_actions_take_optional_json_options() -> None:
    doc = load()
    for action, op_id in PATH_ACTIONS.items():
        body = doc["paths"][f"/api/v1/paths/{{path}}/{action}"]["post"]["requestBody"]
        assert body["required"] is False
        schema = body["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{op_id[0].upper()}{op_id[1:]}Options"}


def test_error_responses_are_declared_without_default() -> None:
    doc = load()
    for method, route, op in operations(doc):
        responses = op["responses"]
        assert "default" not in responses, route
        assert "200" in responses, route
        server_error = resolve(doc, responses["500"])
        if op["operationId"] in OCTET_STREAM_OPERATIONS:
            # Jersey cannot write the JSON error entity for these: a fixed text is all there is.
            assert responses["500"] == {"$ref": "#/components/responses/OctetStreamError"}
            continue
        union = server_error["content"]["application/json"]["schema"]["oneOf"]
        assert {r["$ref"].rsplit("/", 1)[1] for r in union} == {"ErrorResponse", "ErrorResponse1x"}
        if "requestBody" in op and method == "post":
            bad = resolve(doc, responses["400"])
            assert bad["content"]["text/plain"]["schema"] == {"type": "string"}


def test_every_operation_has_a_description_and_an_example() -> None:
    doc = load()
    for _, route, op in operations(doc):
        assert op.get("description", "").strip(), route
        examples: list[Any] = []
        for param in op.get("parameters", []):
            param = resolve(doc, param)
            assert param.get("description", "").strip(), (route, param["name"])
            assert "example" in param, (route, param["name"])
            examples.append(param["example"])
        if "requestBody" in op:
            for media in op["requestBody"]["content"].values():
                assert "example" in media, route
        for status, response in op["responses"].items():
            response = resolve(doc, response)
            assert response.get("description", "").strip(), (route, status)
            for media in response.get("content", {}).values():
                schema = resolve(doc, media["schema"])
                assert "example" in media or "example" in schema, (route, status)
        assert examples, route


def walk_schema(doc: dict[str, Any], name: str, schema: dict[str, Any]) -> None:
    """Check the properties and items below a component schema, recursively."""
    nested: list[tuple[str, Any]] = [
        (f"{name}.{prop_name}", prop) for prop_name, prop in schema.get("properties", {}).items()
    ]
    if isinstance(schema.get("items"), dict):
        nested.append((f"{name}[]", schema["items"]))
    if isinstance(schema.get("additionalProperties"), dict):
        nested.append((f"{name}{{}}", schema["additionalProperties"]))
    for where, prop in nested:
        # Enums must be named components so generated code gets one shared class per enum.
        assert "enum" not in prop, f"{where}: inline enum"
        if where.endswith(("[]", "{}")):
            continue
        target = resolve(doc, prop)
        assert prop.get("description") or target.get("description"), f"{where}: no description"
        if "$ref" not in prop:
            walk_schema(doc, where, prop)


def test_every_schema_and_property_is_described_with_an_example() -> None:
    doc = load()
    schemas = doc["components"]["schemas"]
    assert set(schemas) >= REQUIRED_SCHEMAS
    for name, schema in schemas.items():
        assert schema.get("description", "").strip(), name
        assert "example" in schema, name
        walk_schema(doc, name, schema)


def test_examples_use_only_declared_enum_values() -> None:
    doc = load()
    schemas = doc["components"]["schemas"]
    for name, schema in schemas.items():
        if "enum" in schema:
            assert schema["example"] in schema["enum"], name


def test_enums_are_2x_spelled_with_1x_spelling_in_an_extension() -> None:
    schemas = load()["components"]["schemas"]
    assert schemas["LoadMetadataType"]["enum"] == ["NEVER", "ONCE", "ALWAYS"]
    assert schemas["LoadMetadataType"]["x-alluxio-1x-enum"] == ["Never", "Once", "Always"]
    for name, schema in schemas.items():
        for value in schema.get("enum", []):
            assert value == value.upper(), (name, value)


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        ("CreateFileOptions", "ttl"),
        ("CreateFileOptions", "ttlAction"),
        ("CreateFileOptions", "locationPolicyClass"),
        ("SetAttributeOptions", "ttl"),
        ("SetAttributeOptions", "ttlAction"),
        ("OpenFileOptions", "locationPolicyClass"),
        ("OpenFileOptions", "cacheLocationPolicyClass"),
        ("OpenFileOptions", "ufsReadLocationPolicyClass"),
    ],
)
def test_1x_only_fields_are_marked(schema: str, field: str) -> None:
    prop = load()["components"]["schemas"][schema]["properties"][field]
    assert prop["x-alluxio-versions"] == ["1.x"]


def test_every_2x_options_object_has_common_options() -> None:
    schemas = load()["components"]["schemas"]
    for op_id in PATH_ACTIONS.values():
        name = f"{op_id[0].upper()}{op_id[1:]}Options"
        prop = schemas[name]["properties"]["commonOptions"]
        # A bare $ref, or a one-entry allOf carrying the dialects (1.x open-file has none).
        ref = prop["allOf"][0] if "allOf" in prop else prop
        assert ref == {"$ref": "#/components/schemas/CommonOptions"}, name
        assert "2.x" in prop.get("x-alluxio-versions", ["2.x"]), name


def test_file_info_requires_the_23_core_keys_and_keeps_server_enums_open() -> None:
    file_info = load()["components"]["schemas"]["FileInfo"]
    assert len(file_info["required"]) == 23
    assert set(file_info["required"]) <= set(file_info["properties"])
    for key in ("persistenceState", "ttlAction"):
        assert file_info["properties"][key]["type"] == "string"
        assert "enum" not in file_info["properties"][key]
    assert file_info["properties"]["mode"]["type"] == "integer"
    assert set(file_info["required"]) <= set(file_info["example"])


def test_mount_properties_are_marked_secret_bearing() -> None:
    mount = load()["components"]["schemas"]["MountOptions"]
    assert mount["properties"]["properties"]["additionalProperties"] == {"type": "string"}
    assert "SECRET" in mount["properties"]["properties"]["description"]
