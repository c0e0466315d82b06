"""alluxio._json: msgspec's fast paths agree with the standard library and wire's checks."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from alluxio import _json, wire

FIXTURES = Path(__file__).parent.parent / "fixtures" / "real_proxy"
_FAST = ("_decode_any", "_decode_listing", "_decode_one", "_decode_names", "_encode")


@pytest.fixture(params=["msgspec", "stdlib"])
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with msgspec in use and again as if it were not installed."""
    if request.param == "stdlib":
        for name in _FAST:
            monkeypatch.setattr(_json, name, None)
    else:
        pytest.importorskip("msgspec")
    return str(request.param)


def real_listing() -> list[dict[str, Any]]:
    """A real Alluxio 2.9.6 list-status answer (a file with a block, a directory)."""
    fixture = json.loads((FIXTURES / "list_status_directory.json").read_text())
    items: list[dict[str, Any]] = fixture["response"]["body_json"]
    return items


def describe(info: wire.FileInfo) -> tuple[Any, ...]:
    """Everything a user can read of a FileInfo."""
    return (vars(info) | {"_extra": None, "_source": None}, info.extra, info.json(), repr(info))


def test_msgspec_is_used_where_installed() -> None:
    msgspec = pytest.importorskip("msgspec")
    items = real_listing()
    assert _json._decode_listing is not None
    assert isinstance(_json._decode_listing(json.dumps(items).encode())[0], msgspec.Struct)


def test_fast_listing_equals_from_json(decoder: str) -> None:
    items = real_listing()
    body = json.dumps(items).encode()
    fast = _json.file_infos(body)
    if decoder == "stdlib":
        assert fast is None
        return
    assert fast is not None
    slow = [wire.FileInfo.from_json(item) for item in items]
    assert [describe(i) for i in fast] == [describe(i) for i in slow]
    assert any(i.file_block_infos for i in fast)  # nested objects went through wire too
    assert fast[0].extra["mountId"] == items[0]["mountId"]
    assert _json.names(body) == [item["name"] for item in items]
    one = _json.file_info(json.dumps(items[0]).encode())
    assert one is not None and describe(one) == describe(slow[0])


def test_extra_is_taken_from_the_answer_on_first_use() -> None:
    pytest.importorskip("msgspec")
    items = real_listing()
    infos = _json.file_infos(json.dumps(items).encode())
    assert infos is not None
    # Asked in any order, each entry gets its own keys; the document is decoded once.
    assert [i.extra["fileInfo"]["name"] for i in reversed(infos)] == [
        item["name"] for item in reversed(items)
    ]
    infos[0].extra = {"k": 1}
    assert infos[0].json()["k"] == 1 and "mountId" not in infos[0].json()


def test_enum_attributes_of_a_decoded_listing_are_enums_and_settable(decoder: str) -> None:
    # A listing keeps each entry's enum names as decoded until they are read (cheaper to
    # build); what a user reads and sets is the seed's: wire enum instances.
    items = real_listing()
    items[0]["ttlAction"] = "SOME_FUTURE_ACTION"  # servers add values over time
    body = json.dumps(items).encode()
    infos = _json.file_infos(body) or [wire.FileInfo.from_json(i) for i in _json.loads(body)]
    first = infos[0]
    assert type(first.persistence_state) is wire.PersistenceState
    assert first.persistence_state == items[0]["persistenceState"]
    assert type(first.ttl_action) is wire.TTLAction
    assert first.ttl_action.name == "SOME_FUTURE_ACTION"
    assert first.ttl_action is first.ttl_action  # converted once
    first.ttl_action = wire.TTL_ACTION_DELETE
    first.persistence_state = "LOST"  # type: ignore[assignment]
    assert (first.ttl_action, type(first.persistence_state)) == (
        wire.TTL_ACTION_DELETE,
        wire.PersistenceState,
    )
    assert first.json()["ttlAction"] == "DELETE" and first.json()["persistenceState"] == "LOST"
    made = wire.FileInfo(name="x", persistence_state="PERSISTED", ttl_action=wire.TTL_ACTION_FREE)
    assert made.persistence_state == wire.PERSISTENCE_STATE_PERSISTED
    assert type(made.persistence_state) is wire.PersistenceState
    assert made.ttl_action is wire.TTL_ACTION_FREE


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda o: o.pop("length"), id="missing-key"),
        pytest.param(lambda o: o.update(length="15"), id="string-for-int"),
        pytest.param(lambda o: o.update(folder=1), id="int-for-bool"),
        pytest.param(lambda o: o.update(fileId=True), id="bool-for-int"),
        pytest.param(lambda o: o.update(name=None), id="null-name"),
    ],
)
def test_malformed_entries_leave_the_fast_path(decoder: str, mutate: Any) -> None:
    items = real_listing()
    mutate(items[1])
    body = json.dumps(items).encode()
    assert _json.file_infos(body) is None  # so the caller's strict path names the problem
    with pytest.raises(ValueError, match="FileInfo"):
        [wire.FileInfo.from_json(item) for item in _json.loads(body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'"\\ud800"', "\ud800"),  # a lone surrogate: msgspec refuses it, Python allows it
        (b"123456789012345678901", 123456789012345678901),  # beyond 64 bits
        ('"é"'.encode(), "é"),
        (b'{"a": 1, "a": 2}', {"a": 2}),
        (b"1e400", math.inf),
    ],
)
def test_what_msgspec_refuses_is_decoded_by_the_standard_library(
    decoder: str, body: bytes, expected: object
) -> None:
    assert _json.loads(body) == expected


def test_nan_is_decoded(decoder: str) -> None:
    assert math.isnan(_json.loads(b"[NaN]")[0])


@pytest.mark.parametrize("body", [b"", b"<html>", b"{", b"\xff\xfe", b'{"a":1}x'])
def test_garbage_raises_the_standard_value_error(decoder: str, body: bytes) -> None:
    with pytest.raises(ValueError):
        _json.loads(body)
    assert _json.file_infos(body) is None
    assert _json.names(body) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"n": 1 << 70, "s": "é"}, '{"n":1180591620717411303424,"s":"é"}'.encode()),
        ([None, True, 1, "a/b"], b'[null,true,1,"a/b"]'),
    ],
)
def test_dumps_is_compact_utf8(decoder: str, value: object, expected: bytes) -> None:
    assert _json.dumps(value) == expected


def test_without_msgspec_installed_the_standard_library_does_it_all() -> None:
    # A fresh interpreter where importing msgspec fails, as on PyPy (no wheels there).
    script = """
import sys
sys.modules["msgspec"] = None
from alluxio import _json
assert _json._decode_listing is None and _json._encode is None
body = b'[{"name": "x"}]'
assert _json.loads(body) == [{"name": "x"}] and _json.file_infos(body) is None
assert _json.dumps({"a": "é"}) == '{"a":"é"}'.encode()
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


def test_decoded_file_infos_are_as_small_as_constructed_ones(decoder: str) -> None:
    # A list_status of 100,000 entries holds 100,000 FileInfos: the decoded ones must share
    # their attribute names with each other (key-sharing instance dicts, ~560 B less each).
    items = real_listing()
    body = json.dumps(items).encode()
    infos = _json.file_infos(body) or [wire.FileInfo.from_json(i) for i in _json.loads(body)]
    made = wire.FileInfo(name="x")
    assert {sys.getsizeof(vars(info)) for info in infos} == {sys.getsizeof(vars(made))}
