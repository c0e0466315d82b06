"""The 0.1.x API: option and wire classes, constants, json()/from_json() round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest

import alluxio
from alluxio import option, wire


def test_seed_names_exist() -> None:
    assert all(isinstance(c, type) for c in (alluxio.Client, alluxio.Reader, alluxio.Writer))
    assert alluxio.client.Reader is alluxio.Reader
    for name in [
        "CreateDirectory",
        "CreateFile",
        "Delete",
        "Exists",
        "Free",
        "GetStatus",
        "ListStatus",
        "Mount",
        "OpenFile",
        "Rename",
        "SetAttribute",
        "Unmount",
    ]:
        assert isinstance(getattr(option, name)().json(), dict)
    constants = {
        "BITS_NONE": "NONE",
        "BITS_EXECUTE": "EXECUTE",
        "BITS_WRITE": "WRITE",
        "BITS_WRITE_EXECUTE": "WRITE_EXECUTE",
        "BITS_READ": "READ",
        "BITS_READ_EXECUTE": "READ_EXECUTE",
        "BITS_READ_WRITE": "READ_WRITE",
        "BITS_ALL": "ALL",
        "LOAD_METADATA_TYPE_NEVER": "Never",
        "LOAD_METADATA_TYPE_ONCE": "Once",
        "LOAD_METADATA_TYPE_ALWAYS": "Always",
        "READ_TYPE_NO_CACHE": "NO_CACHE",
        "READ_TYPE_CACHE": "CACHE",
        "READ_TYPE_CACHE_PROMOTE": "CACHE_PROMOTE",
        "TTL_ACTION_DELETE": "DELETE",
        "TTL_ACTION_FREE": "FREE",
        "WRITE_TYPE_MUST_CACHE": "MUST_CACHE",
        "WRITE_TYPE_CACHE_THROUGH": "CACHE_THROUGH",
        "WRITE_TYPE_THROUGH": "THROUGH",
        "WRITE_TYPE_ASYNC_THROUGH": "ASYNC_THROUGH",
    }
    for name, value in constants.items():
        assert getattr(wire, name).json() == value, name


@pytest.mark.parametrize(
    ("opt", "expected"),
    [
        (option.CreateDirectory(), {}),
        (
            option.CreateDirectory(
                allow_exists=True,
                mode=wire.Mode(wire.BITS_ALL, wire.BITS_READ_EXECUTE, wire.BITS_READ_EXECUTE),
                recursive=False,
                write_type=wire.WRITE_TYPE_THROUGH,
            ),
            {
                "allowExists": True,
                "mode": {
                    "ownerBits": "ALL",
                    "groupBits": "READ_EXECUTE",
                    "otherBits": "READ_EXECUTE",
                },
                "recursive": False,
                "writeType": "THROUGH",
            },
        ),
        (
            option.CreateFile(
                block_size_bytes=1024,
                location_policy_class="alluxio.client.file.policy.LocalFirstPolicy",
                recursive=True,
                ttl=60000,
                ttl_action=wire.TTL_ACTION_FREE,
                write_type=wire.WRITE_TYPE_MUST_CACHE,
                replication_durable=1,
                replication_max=3,
                replication_min=0,
            ),
            {
                "blockSizeBytes": 1024,
                "locationPolicyClass": "alluxio.client.file.policy.LocalFirstPolicy",
                "recursive": True,
                "ttl": 60000,
                "ttlAction": "FREE",
                "writeType": "MUST_CACHE",
                "replicationDurable": 1,
                "replicationMax": 3,
                "replicationMin": 0,
            },
        ),
        (option.Delete(recursive=True), {"recursive": True}),
        (option.Free(recursive=False), {"recursive": False}),
        (
            option.GetStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_ONCE),
            {"loadMetadataType": "Once"},
        ),
        (
            option.ListStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_NEVER, recursive=True),
            {"loadMetadataType": "Never", "recursive": True},
        ),
        (
            option.Mount(properties={"k": "v"}, read_only=True, shared=False),
            {"properties": {"k": "v"}, "readOnly": True, "shared": False},
        ),
        (
            option.OpenFile(
                cache_location_policy_class="C",
                max_ufs_read_concurrency=2,
                read_type=wire.READ_TYPE_CACHE_PROMOTE,
                ufs_read_location_policy_class="U",
            ),
            {
                "cacheLocationPolicyClass": "C",
                "maxUfsReadConcurrency": 2,
                "readType": "CACHE_PROMOTE",
                "ufsReadLocationPolicyClass": "U",
            },
        ),
        (
            option.SetAttribute(
                owner="o",
                group="g",
                pinned=True,
                recursive=True,
                ttl=-1,
                ttl_action=wire.TTL_ACTION_DELETE,
            ),
            {
                "owner": "o",
                "group": "g",
                "pinned": True,
                "recursive": True,
                "ttl": -1,
                "ttlAction": "DELETE",
            },
        ),
    ],
)
def test_option_json(opt: Any, expected: dict[str, Any]) -> None:
    assert opt.json() == expected
    json.dumps(opt.json())


def test_mount_repr_hides_secrets() -> None:
    opt = option.Mount(properties={"aws.secretKey": "TOPSECRET"}, read_only=True)
    assert "TOPSECRET" not in repr(opt)
    assert "aws.secretKey" in repr(opt)


# Misuse on purpose: mypy rejects these calls statically; the runtime checks are tested here.
_untyped_option: Any = option
_untyped_wire: Any = wire


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda: _untyped_option.CreateDirectory(recursive="yes"),
            TypeError,
            "recursive must be bool",
        ),
        (
            lambda: _untyped_option.CreateFile(block_size_bytes=True),
            TypeError,
            "block_size_bytes must be int",
        ),
        (
            lambda: _untyped_option.CreateFile(block_size_bytes=-1),
            ValueError,
            "block_size_bytes must be > 0",
        ),
        (lambda: _untyped_option.CreateFile(ttl=-5), ValueError, "ttl must be >= -1"),
        (
            lambda: _untyped_option.CreateFile(write_type="SOMETIMES"),
            ValueError,
            "unknown WriteType",
        ),
        (
            lambda: _untyped_option.CreateFile(write_type=wire.BITS_ALL),
            TypeError,
            "write_type must be",
        ),
        (
            lambda: _untyped_option.Mount(properties={"k": 1}),
            TypeError,
            "properties must map str to str",
        ),
        (lambda: _untyped_option.CreateFile(bogus=1), TypeError, "bogus"),
        (lambda: _untyped_wire.Bits("RWX"), ValueError, "unknown Bits 'RWX'"),
        (lambda: _untyped_wire.Mode.from_octal(0o1000), ValueError, "mode must be"),
    ],
)
def test_bad_option_values(build: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        build()


def _sample_info() -> wire.FileInfo:
    location = wire.BlockLocation(7, wire.WorkerNetAddress("w1", 29999, 29999, 30000), "MEM")
    block = wire.FileBlockInfo(wire.BlockInfo(1, 10, [location]), 0, ["file:///u/f"])
    return wire.FileInfo(
        block_ids=[1],
        block_size_bytes=64,
        cacheable=True,
        completed=True,
        creation_time_ms=1,
        last_modification_time_ms=2,
        file_block_infos=[block],
        file_id=3,
        folder=False,
        owner="o",
        group="g",
        in_memory_percentage=100,
        length=10,
        name="f",
        path="/f",
        ufs_path="file:///u/f",
        pinned=True,
        persisted=True,
        persistence_state=wire.PERSISTENCE_STATE_PERSISTED,
        mode=0o644,
        mount_point=False,
        ttl=-1,
        ttl_action=wire.TTL_ACTION_DELETE,
        extra={"mountId": 1, "xattr": None},
    )


def test_wire_round_trips() -> None:
    info = _sample_info()
    again = wire.FileInfo.from_json(info.json())
    assert again.json() == info.json()
    assert wire.FileInfo.from_json(json.dumps(info.json())).json() == info.json()
    mode = wire.Mode(wire.BITS_ALL, wire.BITS_READ, wire.BITS_NONE)
    assert wire.Mode.from_json(mode.json()) == mode
    assert mode.to_octal() == 0o740 and wire.Mode.from_octal(0o740) == mode
    for cls, obj in (
        (wire.BlockInfo, info.file_block_infos[0].block_info),
        (wire.FileBlockInfo, info.file_block_infos[0]),
        (wire.BlockLocation, info.file_block_infos[0].block_info.locations[0]),
        (wire.WorkerNetAddress, info.file_block_infos[0].block_info.locations[0].worker_address),
    ):
        assert cls.from_json(obj.json()).json() == obj.json()
    assert wire.TTLAction.from_json("DELETE_ALLUXIO").name == "DELETE_ALLUXIO"


def test_file_info_sorts_by_name() -> None:
    infos = [wire.FileInfo(name=n) for n in "cab"]
    assert [i.name for i in sorted(infos)] == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "missing key 'blockIds'"),
        ("not json", "not valid JSON"),
        ([], "expected a JSON object"),
        ({**_sample_info().json(), "length": "10"}, "key 'length' should be int, got str"),
    ],
)
def test_file_info_from_bad_json(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wire.FileInfo.from_json(data)
