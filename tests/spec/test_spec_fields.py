"""Every option field of the spec reaches the wire: parametrized from the spec itself.

For each property of each option schema: ``alluxio.option.<Class>(snake_name=...)`` accepts a
valid value and refuses a wrong type; ``Client`` and ``AsyncClient`` send it (in the JSON
dialect of the proxy, or refuse it before sending when that dialect lacks it); the embedded
proxy binds it. A field added to the spec is a new case of each test, so a façade that misses
it fails here (tests/spec/test_spec_drill.py proves that end to end).
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

import alluxio
from alluxio import option
from alluxio.server._errors import BadRequest
from alluxio.server._options import parse_options
from tests.spec._spec_fields import (
    CLASS_FIELDS,
    DIALECTS,
    FIELDS,
    OPERATIONS,
    OPTION_SCHEMAS,
    SCHEMAS,
    ClassField,
    Operation,
    OptionField,
    sendable,
    sent_body,
    snake,
    valid,
    wrong_type,
)

BASE = "http://proxy.test:39999"
_FILE_INFO = SCHEMAS["FileInfo"]["example"]
# What the mocked proxy answers, by client method.
_REPLIES: dict[str, Any] = {
    "create_file": 1,
    "open_file": 1,
    "exists": True,
    "get_status": _FILE_INFO,
    "list_status": [_FILE_INFO],
}

CASES = [pytest.param(f, d, id=f"{f.id}-{d}") for f in FIELDS for d in DIALECTS if sendable(f, d)]
REFUSED = [
    pytest.param(f, d, id=f"{f.id}-{d}") for f in FIELDS for d in DIALECTS if not sendable(f, d)
]


@pytest.fixture
def mock() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def _route(mock: respx.MockRouter, op: Operation) -> respx.Route:
    reply = _REPLIES.get(op.method)
    response = httpx.Response(200) if reply is None else httpx.Response(200, json=reply)
    return mock.post(url__regex=rf".*/{op.action}(\?.*)?$").mock(return_value=response)


def _args(op: Operation) -> list[str]:
    return ["/spec/f", *("/spec/other" for _ in op.extra_args)]


def _body(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


def test_every_option_schema_is_covered() -> None:
    # The parametrization reads the spec; this keeps it from silently reading nothing.
    assert len(OPERATIONS) == 12 and len(FIELDS) >= 60
    assert {f.id for f in FIELDS} >= {"CreateFile.overwrite", "Delete.sync_parent_next_time"}


@pytest.mark.parametrize(("field", "dialect"), CASES)
def test_option_class_accepts_the_field(field: OptionField, dialect: str) -> None:
    arg, _sent = valid(field.prop, dialect)
    opt = field.cls(**{field.attr: arg})
    assert getattr(opt, field.attr) == arg
    assert field.key in opt.json()
    assert field.attr in repr(opt)


def test_option_classes_are_the_spec_schemas() -> None:
    # One class per option schema and nested object, one keyword argument per property.
    names = {
        name: name.removesuffix("Options") if name in OPERATIONS else name
        for name in OPTION_SCHEMAS
    }
    assert sorted(option.__all__) == sorted(names.values())
    for name in OPTION_SCHEMAS:
        cls = getattr(option, names[name])
        expected = [snake(key) for key in SCHEMAS[name].get("properties", {})]
        assert list(inspect.signature(cls).parameters) == expected, name


@pytest.mark.parametrize("field", [pytest.param(f, id=f.id) for f in CLASS_FIELDS])
def test_option_class_refuses_a_wrong_type(field: ClassField) -> None:
    with pytest.raises(TypeError, match=rf"^{field.cls.__name__}: {field.attr} must "):
        field.cls(**{field.attr: wrong_type(field.prop)})


@pytest.mark.parametrize(("field", "dialect"), CASES)
def test_client_sends_the_field(mock: respx.MockRouter, field: OptionField, dialect: str) -> None:
    arg, sent = valid(field.prop, dialect)
    route = _route(mock, field.op)
    with alluxio.Client("proxy.test", 39999, dialect=dialect) as client:  # type: ignore[arg-type]
        getattr(client, field.op.method)(*_args(field.op), field.cls(**{field.attr: arg}))
    assert route.call_count == 1
    assert _body(route) == sent_body(field, dialect, sent)


@pytest.mark.parametrize(("field", "dialect"), CASES)
def test_async_client_sends_the_field(
    mock: respx.MockRouter, field: OptionField, dialect: str
) -> None:
    arg, sent = valid(field.prop, dialect)
    route = _route(mock, field.op)

    async def call() -> None:
        async with alluxio.AsyncClient("proxy.test", 39999, dialect=dialect) as client:  # type: ignore[arg-type]
            await getattr(client, field.op.method)(*_args(field.op), field.cls(**{field.attr: arg}))

    asyncio.run(call())
    assert route.call_count == 1
    assert _body(route) == sent_body(field, dialect, sent)


@pytest.mark.parametrize(("field", "dialect"), REFUSED)
def test_client_refuses_a_field_the_dialect_lacks(
    mock: respx.MockRouter, field: OptionField, dialect: str
) -> None:
    arg, _sent = valid(field.prop, field.dialects[0])
    route = mock.post(url__regex=r".*")
    with (
        alluxio.Client("proxy.test", 39999, dialect=dialect) as client,  # type: ignore[arg-type]
        pytest.raises(ValueError, match=rf"{field.attr}\b.* is only understood by"),
    ):
        getattr(client, field.op.method)(*_args(field.op), field.cls(**{field.attr: arg}))
    assert not route.called


@pytest.mark.parametrize(("field", "dialect"), CASES)
def test_embedded_proxy_binds_the_field(field: OptionField, dialect: str) -> None:
    _arg, sent = valid(field.prop, dialect)
    body = sent_body(field, dialect, sent)
    bound = parse_options(field.op.action, json.dumps(body).encode(), dialect)  # type: ignore[arg-type]
    assert bound == body


@pytest.mark.parametrize(
    ("op", "dialect"),
    [pytest.param(op, d, id=f"{op.action}-{d}") for op in OPERATIONS.values() for d in DIALECTS],
)
def test_embedded_proxy_refuses_an_unknown_field_like_the_real_one(
    op: Operation, dialect: str
) -> None:
    with pytest.raises(BadRequest) as info:
        parse_options(op.action, b'{"bogusField": true}', dialect)  # type: ignore[arg-type]
    java = SCHEMAS[op.schema]["x-alluxio-java"][dialect]
    owner = f"{java}$Builder" if dialect == "2.x" else java
    assert info.value.status_code == 400
    assert info.value.message.startswith(
        f'Unrecognized field "bogusField" (class {owner}), not marked as ignorable'
    )


def test_embedded_proxy_over_http_refuses_what_2_9_6_refuses(embedded_proxy_url: str) -> None:
    # The field the spec had by mistake: 2.9.6 answers exactly this (curl, 2026-12).
    response = httpx.post(
        f"{embedded_proxy_url}/api/v1/paths//spec/x/delete", json={"syncDirNextTime": True}
    )
    assert response.status_code == 400
    assert response.text.startswith(
        'Unrecognized field "syncDirNextTime" (class alluxio.grpc.DeletePOptions$Builder), '
        "not marked as ignorable\n at [Source: "
    )
    assert response.text.endswith(
        '(through reference chain: alluxio.grpc.DeletePOptions$Builder["syncDirNextTime"])'
    )
