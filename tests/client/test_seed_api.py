"""The 0.1.x API: option and wire classes, constants, json()/from_json() round trips."""

from __future__ import annotations

import io
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


# -- signatures, call styles and behaviours documented for 0.1.1 (and kept by 0.1.4) ----------


def test_client_constructor_positional_as_documented() -> None:
    # Client(host, port, timeout=1800): all three positionally.
    with alluxio.Client("proxy.test", 40000, 60) as client:
        assert (client.host, client.port, client.timeout) == ("proxy.test", 40000, 60)
    with alluxio.Client("proxy.test", 40000) as client:
        assert client.timeout == 1800


def test_open_call_styles(alluxio_proxy: Any) -> None:
    with alluxio.Client(alluxio_proxy.host, alluxio_proxy.port) as client:
        opt = option.CreateFile(write_type=wire.WRITE_TYPE_CACHE_THROUGH)
        # Positional, as in the 0.1.x example client.open('/alluxio-file', 'w', opt).
        with client.open("/f", "w", opt) as writer:
            # Writer.write returns the number of bytes written.
            assert writer.write(b"data") == 4
            assert writer.write(io.BytesIO(b"more")) == 4
        # Keywords, as open(**kwds) documents: path, mode, opt.
        with client.open(path="/f", mode="r", opt=option.OpenFile()) as reader:
            assert reader.read(3) == b"dat"
            assert reader.read() == b"amore"
            # "if all data has been read, returns an empty string" (bytes now).
            assert reader.read() == b""
            assert reader.read(10) == b""
        with client.open(mode="r", path="/f") as reader:
            assert b"".join(reader) == b"datamore"
        with pytest.raises(ValueError, match="mode"):
            client.open("/f", "a")  # type: ignore[call-overload]


def test_stream_api_by_id_as_documented(alluxio_proxy: Any) -> None:
    with alluxio.Client(alluxio_proxy.host, alluxio_proxy.port) as client:
        file_id = client.create_file("/g")
        writer = client.write(file_id)
        assert writer.write(b"abc") == 3
        writer.close()
        client.close(file_id)
        file_id = client.open_file("/g")
        reader = client.read(file_id)
        assert reader.read() == b"abc"
        reader.close()
        client.close(file_id)


def test_reader_and_writer_are_not_built_from_a_session() -> None:
    # 0.1.x documented Reader(session, url)/Writer(session, url) as "not intended to be
    # created by users"; without a requests session they are refused with a pointer.
    untyped: Any = alluxio.client
    with pytest.raises(TypeError, match=r"Client\.read"):
        untyped.Reader(object(), "http://proxy/api/v1/streams/1/read")
    with pytest.raises(TypeError, match=r"Client\.write"):
        untyped.Writer(object(), "http://proxy/api/v1/streams/1/write", 1)


def test_file_info_compares_by_name_only() -> None:
    a, b = wire.FileInfo(name="a", length=1), wire.FileInfo(name="b")
    assert a == wire.FileInfo(name="a", length=2)
    assert a < b and b > a and a <= b and b >= a
    assert len({a, wire.FileInfo(name="a")}) == 1
    assert sorted([b, a]) == [a, b]
    assert a != "a"
    with pytest.raises(TypeError):
        _ = a < "b"


def test_mode_and_enum_defaults() -> None:
    # Mode(owner_bits="", group_bits="", other_bits="") and Bits(name="") as documented.
    assert wire.Mode().json() == {"ownerBits": "", "groupBits": "", "otherBits": ""}
    assert wire.Mode(owner_bits=wire.BITS_ALL).json()["ownerBits"] == "ALL"
    for cls in (wire.Bits, wire.ReadType, wire.WriteType, wire.TTLAction, wire.LoadMetadataType):
        assert cls().json() == "" and cls(name="").name == ""
    assert wire.WorkerNetAddress().json() == {
        "host": "",
        "rpcPort": 0,
        "dataPort": 0,
        "webPort": 0,
    }
    assert wire.BlockInfo().json() == {"blockId": 0, "length": 0, "locations": []}
    assert wire.FileBlockInfo().json() == {
        "blockInfo": {"blockId": 0, "length": 0, "locations": []},
        "offset": 0,
        "ufsLocations": [],
    }


def test_from_json_accepts_what_0_1_4_accepts() -> None:
    # Enum-likes take any value (str() of it), as servers add names over time.
    assert wire.Bits.from_json("SOMETHING_NEW").name == "SOMETHING_NEW"
    assert wire.Mode.from_json(
        {"ownerBits": "ALL", "groupBits": "READ", "otherBits": "NONE"}
    ) == wire.Mode(wire.BITS_ALL, wire.BITS_READ, wire.BITS_NONE)
    # 0.1.4 required ufsLocations; a block info without them is accepted too.
    block = {"blockInfo": {"blockId": 1, "length": 2, "locations": []}, "offset": 0}
    assert wire.FileBlockInfo.from_json(block).ufs_locations == []
    # Decoded objects and JSON text alike.
    info = _sample_info().json()
    assert wire.FileInfo.from_json(json.dumps(info)).path == "/f"
    assert wire.FileInfo.from_json(info).persistence_state == "PERSISTED"


@pytest.mark.parametrize(
    "cls", [option.Exists, option.GetStatus, option.Rename, option.Unmount, option.ListStatus]
)
def test_options_without_arguments(cls: type[Any]) -> None:
    # option.Exists() etc. take no arguments and send no fields.
    assert cls().json() == {}


def test_exceptions_as_documented() -> None:
    error = alluxio.exceptions.AlluxioError("NOT_FOUND", "gone")
    assert (error.status, error.message) == ("NOT_FOUND", "gone")
    assert str(error) == "NOT_FOUND: gone"
    assert isinstance(
        alluxio.exceptions.new_alluxio_exception(alluxio.exceptions.Status.NOT_FOUND, "m"),
        alluxio.exceptions.NotFoundError,
    )
    unknown = alluxio.exceptions.new_alluxio_exception("NEW_STATUS", "m")
    assert type(unknown) is alluxio.exceptions.AlluxioError and unknown.status == "NEW_STATUS"
    assert issubclass(alluxio.exceptions.HTTPError, Exception)
    assert not issubclass(alluxio.exceptions.HTTPError, alluxio.exceptions.AlluxioError)


def test_the_seed_ttl_merges_into_common_options_and_is_given_once() -> None:
    # The 2.x dialect moves the seed's top-level ttl/ttlAction into commonOptions: next to
    # the other common options, never over them.
    opt = option.CreateFile(ttl=5, common_options=option.CommonOptions(sync_interval_ms=-1))
    body = alluxio._dialect.to_dialect(
        opt.json(), "2.x", option_name="create_file", schema=opt._schema
    )
    assert body == {"commonOptions": {"syncIntervalMs": -1, "ttl": 5}}
    with pytest.raises(ValueError, match="ttl is given twice"):
        option.SetAttribute(ttl=5, common_options=option.CommonOptions(ttl=6))


def test_file_info_fast_path_keeps_strict_checks() -> None:
    # bool is an int subclass: the exact-type fast path must fall back to the named check.
    data = _sample_info().json()
    with pytest.raises(ValueError, match="key 'length' should be int, got bool"):
        wire.FileInfo.from_json({**data, "length": True})
    decoded = wire.FileInfo.from_json(data)
    assert decoded.json() == data and isinstance(decoded.persistence_state, wire.PersistenceState)
