"""Wire objects: the data the Alluxio proxy sends and receives.

Every class has a ``json()`` method that converts an instance to a Python object that can be
encoded as JSON, and a ``from_json()`` class method that decodes such an object (or a JSON
string) back into an instance; ``C.from_json(c.json())`` round-trips.

Enum-like classes (:class:`Bits`, :class:`WriteType`, ...) are thin wrappers around their
string name, with module-level constants for every value (``BITS_ALL``, ``WRITE_TYPE_THROUGH``,
...). Constructing one with an unknown name raises ``ValueError``; decoding a server response
with ``from_json`` accepts any name, since servers add values over time.
"""

from __future__ import annotations

import datetime
import functools
import json as _json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from alluxio_proxy_api.facade import wire as _generated
from alluxio_proxy_api.facade.wire import *  # noqa: F403  (the enums and their constants)
from alluxio_proxy_api.facade.wire import Bits, PersistenceState, TTLAction

from ._facade import Name as _Name

# The enum classes and their constants are generated from the spec (scripts/generate); the
# classes below are hand-written.
__all__ = [
    *_generated.__all__,
    "BlockInfo",
    "BlockLocation",
    "FileBlockInfo",
    "FileInfo",
    "Mode",
    "WorkerNetAddress",
]

_T = TypeVar("_T")


def _decode(obj: object, what: str) -> Mapping[str, Any]:
    """Accept a decoded JSON object or a JSON string; anything else is a clear ValueError."""
    if type(obj) is dict:  # the common case, decoded by the client: skip the checks below
        return obj
    if isinstance(obj, str | bytes | bytearray):
        try:
            obj = _json.loads(obj)
        except ValueError as exc:
            raise ValueError(f"{what}: not valid JSON: {exc}") from None
    if not isinstance(obj, Mapping):
        raise ValueError(f"{what}: expected a JSON object, got {type(obj).__name__}")
    return obj


def _field(obj: Mapping[str, Any], key: str, kind: type[_T], what: str) -> _T:
    try:
        value = obj[key]
    except KeyError:
        raise ValueError(f"{what}: missing key {key!r}") from None
    if type(value) is kind:  # the common case, first: listings decode thousands of fields
        return value
    # bool is an int subclass: keep `length: true` from passing as an integer.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ValueError(
            f"{what}: key {key!r} should be {kind.__name__}, got {type(value).__name__}"
        )
    return value


def _optional(obj: Mapping[str, Any], key: str, kind: type[_T], default: _T, what: str) -> _T:
    if obj.get(key) is None:
        return default
    return _field(obj, key, kind, what)


# Bits by octal digit (0 = NONE ... 7 = ALL).
_BITS_ORDER = (
    "NONE",
    "EXECUTE",
    "WRITE",
    "WRITE_EXECUTE",
    "READ",
    "READ_EXECUTE",
    "READ_WRITE",
    "ALL",
)


def _bits(name: str, value: object) -> Bits:
    if isinstance(value, Bits):
        return value
    if not isinstance(value, str):
        raise TypeError(
            f"Mode: {name} must be alluxio.wire.Bits or str, got {type(value).__name__}"
        )
    try:
        return Bits(value)
    except ValueError as exc:
        raise ValueError(f"Mode: {name}: {exc}") from None


class Mode:
    """A file's access mode.

    Args:
        owner_bits: Access mode of the file's owner.
        group_bits: Access mode of the users in the file's group.
        other_bits: Access mode of others.
    """

    def __init__(
        self,
        owner_bits: Bits | str = "",
        group_bits: Bits | str = "",
        other_bits: Bits | str = "",
    ) -> None:
        self.owner_bits = _bits("owner_bits", owner_bits)
        self.group_bits = _bits("group_bits", group_bits)
        self.other_bits = _bits("other_bits", other_bits)

    @classmethod
    def from_octal(cls, mode: int) -> Mode:
        """Build a Mode from POSIX permission bits, e.g. ``Mode.from_octal(0o755)``."""
        if not isinstance(mode, int) or isinstance(mode, bool) or not 0 <= mode <= 0o777:
            raise ValueError(f"mode must be an integer in 0..0o777, got {mode!r}")
        return cls(
            Bits(_BITS_ORDER[(mode >> 6) & 7]),
            Bits(_BITS_ORDER[(mode >> 3) & 7]),
            Bits(_BITS_ORDER[mode & 7]),
        )

    def to_octal(self) -> int:
        """Return the POSIX permission bits, e.g. ``0o755``; unset bits count as NONE."""
        value = 0
        for bits in (self.owner_bits, self.group_bits, self.other_bits):
            value = (value << 3) | _BITS_ORDER.index(bits.name or "NONE")
        return value

    def json(self) -> dict[str, str]:
        """Return ``{"ownerBits": ..., "groupBits": ..., "otherBits": ...}``."""
        return {
            "ownerBits": self.owner_bits.json(),
            "groupBits": self.group_bits.json(),
            "otherBits": self.other_bits.json(),
        }

    @classmethod
    def from_json(cls, obj: object) -> Mode:
        """Decode a Mode object."""
        data = _decode(obj, "Mode")
        return cls(
            Bits.from_json(_field(data, "ownerBits", str, "Mode")),
            Bits.from_json(_field(data, "groupBits", str, "Mode")),
            Bits.from_json(_field(data, "otherBits", str, "Mode")),
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mode):
            return NotImplemented
        return self.json() == other.json()

    def __hash__(self) -> int:
        return hash(tuple(self.json().values()))

    def __repr__(self) -> str:
        return f"Mode({self.owner_bits.name!r}, {self.group_bits.name!r}, {self.other_bits.name!r})"


class WorkerNetAddress:
    """Worker network address.

    Args:
        host: Worker's hostname.
        rpc_port: Port of the worker's RPC server.
        data_port: Port of the worker's data server.
        web_port: Port of the worker's web server.
    """

    def __init__(self, host: str = "", rpc_port: int = 0, data_port: int = 0, web_port: int = 0):
        self.host = host
        self.rpc_port = rpc_port
        self.data_port = data_port
        self.web_port = web_port

    def json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {
            "host": self.host,
            "rpcPort": self.rpc_port,
            "dataPort": self.data_port,
            "webPort": self.web_port,
        }

    @classmethod
    def from_json(cls, obj: object) -> WorkerNetAddress:
        """Decode a WorkerNetAddress object."""
        data = _decode(obj, "WorkerNetAddress")
        what = "WorkerNetAddress"
        return cls(
            _field(data, "host", str, what),
            _field(data, "rpcPort", int, what),
            _field(data, "dataPort", int, what),
            _field(data, "webPort", int, what),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WorkerNetAddress) and self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"WorkerNetAddress({self.json()!r})"


class BlockLocation:
    """A block's location.

    Args:
        worker_id: ID of the worker that contains the block.
        worker_address: Address of the worker that contains the block.
        tier_alias: Alias of the storage tier that contains the block (MEM, SSD, HDD).
    """

    def __init__(
        self,
        worker_id: int = 0,
        worker_address: WorkerNetAddress | None = None,
        tier_alias: str = "",
    ) -> None:
        self.worker_id = worker_id
        self.worker_address = worker_address if worker_address is not None else WorkerNetAddress()
        self.tier_alias = tier_alias

    def json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {
            "workerId": self.worker_id,
            "workerAddress": self.worker_address.json(),
            "tierAlias": self.tier_alias,
        }

    @classmethod
    def from_json(cls, obj: object) -> BlockLocation:
        """Decode a BlockLocation object."""
        data = _decode(obj, "BlockLocation")
        return cls(
            _field(data, "workerId", int, "BlockLocation"),
            WorkerNetAddress.from_json(_field(data, "workerAddress", dict, "BlockLocation")),
            _field(data, "tierAlias", str, "BlockLocation"),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BlockLocation) and self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BlockLocation({self.json()!r})"


class BlockInfo:
    """A block's information.

    Args:
        block_id: Block ID.
        length: Block size in bytes.
        locations: The block's locations.
    """

    def __init__(
        self, block_id: int = 0, length: int = 0, locations: list[BlockLocation] | None = None
    ) -> None:
        self.block_id = block_id
        self.length = length
        self.locations = list(locations) if locations else []

    def json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {
            "blockId": self.block_id,
            "length": self.length,
            "locations": [location.json() for location in self.locations],
        }

    @classmethod
    def from_json(cls, obj: object) -> BlockInfo:
        """Decode a BlockInfo object."""
        data = _decode(obj, "BlockInfo")
        return cls(
            _field(data, "blockId", int, "BlockInfo"),
            _field(data, "length", int, "BlockInfo"),
            [BlockLocation.from_json(x) for x in _field(data, "locations", list, "BlockInfo")],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BlockInfo) and self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"BlockInfo({self.json()!r})"


class FileBlockInfo:
    """A file block's information.

    Args:
        block_info: The block's information.
        offset: The block's offset in the file.
        ufs_locations: The under storage locations that contain this block.
    """

    def __init__(
        self,
        block_info: BlockInfo | None = None,
        offset: int = 0,
        ufs_locations: list[str] | None = None,
    ) -> None:
        self.block_info = block_info if block_info is not None else BlockInfo()
        self.offset = offset
        self.ufs_locations = list(ufs_locations) if ufs_locations else []

    def json(self) -> dict[str, Any]:
        """Return the JSON object."""
        return {
            "blockInfo": self.block_info.json(),
            "offset": self.offset,
            "ufsLocations": list(self.ufs_locations),
        }

    @classmethod
    def from_json(cls, obj: object) -> FileBlockInfo:
        """Decode a FileBlockInfo object."""
        data = _decode(obj, "FileBlockInfo")
        return cls(
            BlockInfo.from_json(_field(data, "blockInfo", dict, "FileBlockInfo")),
            _field(data, "offset", int, "FileBlockInfo"),
            [str(x) for x in _optional(data, "ufsLocations", list, [], "FileBlockInfo")],
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileBlockInfo) and self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FileBlockInfo({self.json()!r})"


# (JSON key, attribute, type) of the FileInfo keys every proxy version emits (the spec's
# required keys, in the seed's positional order).
_FILE_INFO_CORE = _generated.FILE_INFO_CORE
_FILE_INFO_KEYS = frozenset(key for key, _, _ in _FILE_INFO_CORE)
_FILE_INFO_JSON_KEYS = tuple(key for key, _, _ in _FILE_INFO_CORE)
_FILE_INFO_ATTRS = tuple(attr for _, attr, _ in _FILE_INFO_CORE)
_FILE_INFO_TYPES = tuple(kind for _, _, kind in _FILE_INFO_CORE)
# The instance attributes that hold them: the enum-valued ones under a private name until
# first read (see FileInfo.persistence_state), in the same order as __init__ sets them, so
# that every FileInfo's __dict__ shares its keys with the others (~560 B less per entry).
_FILE_INFO_LAZY = frozenset({"persistence_state", "ttl_action"})
_FILE_INFO_SLOTS = tuple(f"_{a}" if a in _FILE_INFO_LAZY else a for a in _FILE_INFO_ATTRS)


_N = TypeVar("_N", bound=_Name)


def _enum(kind: type[_N], value: object) -> _N:
    """``value`` as an instance of ``kind``: kept if it is one, else decoded from its name
    (any name: servers add values over time)."""
    return value if isinstance(value, kind) else kind.from_json(value)


def _utc(ms: int) -> datetime.datetime:
    # timedelta arithmetic, not fromtimestamp: exact to the millisecond, any platform's epoch.
    return _EPOCH + datetime.timedelta(milliseconds=ms)


_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@functools.total_ordering
class FileInfo:
    """A file or directory's information.

    Two FileInfo are compared (``==``, ``<``, ...) and hashed by their ``name`` only, as in
    0.1.x, so a list of them can be sorted with ``sorted()``. Keys the server sends beyond
    the documented ones (``inAlluxioPercentage``, ``mountId``, ``lastAccessTimeMs``,
    ``xattr``, ...) are kept in :attr:`extra` and emitted again by :meth:`json`.
    """

    def __init__(
        self,
        block_ids: list[int] | None = None,
        block_size_bytes: int = 0,
        cacheable: bool = False,
        completed: bool = False,
        creation_time_ms: int = 0,
        last_modification_time_ms: int = 0,
        file_block_infos: list[FileBlockInfo] | None = None,
        file_id: int = 0,
        folder: bool = False,
        owner: str = "",
        group: str = "",
        in_memory_percentage: int = 0,
        length: int = 0,
        name: str = "",
        path: str = "",
        ufs_path: str = "",
        pinned: bool = False,
        persisted: bool = False,
        persistence_state: PersistenceState | str = "",
        mode: int = 0,
        mount_point: bool = False,
        ttl: int = 0,
        ttl_action: TTLAction | str = "",
        *,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        self.block_ids = list(block_ids) if block_ids else []
        self.block_size_bytes = block_size_bytes
        self.cacheable = cacheable
        self.completed = completed
        self.creation_time_ms = creation_time_ms
        self.last_modification_time_ms = last_modification_time_ms
        self.file_block_infos = list(file_block_infos) if file_block_infos else []
        self.file_id = file_id
        self.folder = folder
        self.owner = owner
        self.group = group
        self.in_memory_percentage = in_memory_percentage
        self.length = length
        self.name = name
        self.path = path
        self.ufs_path = ufs_path
        self.pinned = pinned
        self.persisted = persisted
        self.persistence_state = persistence_state  # type: ignore[assignment]
        self.mode = mode
        self.mount_point = mount_point
        self.ttl = ttl
        self.ttl_action = ttl_action  # type: ignore[assignment]
        self._extra: dict[str, Any] | None = dict(extra) if extra else {}
        self._source: Mapping[str, Any] | Callable[[], Mapping[str, Any]] | None = None

    _persistence_state: PersistenceState | str
    _ttl_action: TTLAction | str

    # The two enum attributes hold the name a listing decoded until they are first read:
    # building a FileInfo then costs no enum object (a million-entry listing builds millions).
    @property
    def persistence_state(self) -> PersistenceState:
        """The persistence state (:class:`PersistenceState`)."""
        value = self._persistence_state
        if type(value) is not PersistenceState:
            value = _enum(PersistenceState, value)
            self._persistence_state = value
        return value

    @persistence_state.setter
    def persistence_state(self, value: PersistenceState) -> None:
        self._persistence_state = value

    @property
    def ttl_action(self) -> TTLAction:
        """The action taken when the TTL expires (:class:`TTLAction`)."""
        value = self._ttl_action
        if type(value) is not TTLAction:
            value = _enum(TTLAction, value)
            self._ttl_action = value
        return value

    @ttl_action.setter
    def ttl_action(self, value: TTLAction) -> None:
        self._ttl_action = value

    @property
    def extra(self) -> dict[str, Any]:
        """The keys the server sent beyond the documented ones (e.g. ``mountId``, ``xattr``)."""
        extra = self._extra
        if extra is None:
            # Collected on first use: most FileInfos of a listing never need them.
            source = self._source
            if callable(source):
                source = source()
            extra = {k: v for k, v in (source or {}).items() if k not in _FILE_INFO_KEYS}
            self._extra = extra
            self._source = None
        return extra

    @extra.setter
    def extra(self, value: Mapping[str, Any]) -> None:
        self._extra = dict(value)
        self._source = None

    @property
    def creation_time(self) -> datetime.datetime:
        """:attr:`creation_time_ms` as a timezone-aware UTC :class:`~datetime.datetime`."""
        return _utc(self.creation_time_ms)

    @property
    def last_modification_time(self) -> datetime.datetime:
        """:attr:`last_modification_time_ms` as a timezone-aware UTC
        :class:`~datetime.datetime`."""
        return _utc(self.last_modification_time_ms)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, FileInfo):
            return NotImplemented
        return self.name < other.name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FileInfo):
            return NotImplemented
        return self.name == other.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        kind = "dir" if self.folder else "file"
        return f"FileInfo(path={self.path!r}, {kind}, length={self.length}, mode={self.mode:o})"

    def json(self) -> dict[str, Any]:
        """Return the JSON object, with the documented keys and any extra ones."""
        obj: dict[str, Any] = dict(self.extra)
        for key, attr, _ in _FILE_INFO_CORE:
            value = getattr(self, attr)
            if key == "fileBlockInfos":
                value = [info.json() for info in value]
            elif isinstance(value, _Name):
                value = value.json()
            elif key == "blockIds":
                value = list(value)
            obj[key] = value
        return obj

    @classmethod
    def from_json(cls, obj: object) -> FileInfo:
        """Decode a FileInfo object (a dict or a JSON string).

        Raises:
            ValueError: A documented key is missing or has the wrong type.
        """
        data = _decode(obj, "FileInfo")
        # Listings decode thousands of these: the common case (every key there, each of its
        # exact type) is checked in C, and the instance is filled without __init__.
        try:
            checked = list(map(data.__getitem__, _FILE_INFO_JSON_KEYS))
        except KeyError:
            checked = []
        if tuple(map(type, checked)) != _FILE_INFO_TYPES:
            # A subclass, a missing key or a wrong type: the check that names it.
            checked = [_field(data, key, kind, "FileInfo") for key, _, kind in _FILE_INFO_CORE]
        return cls._from_checked(checked, data)

    @classmethod
    def _from_checked(
        cls, checked: Iterable[Any], source: Mapping[str, Any] | Callable[[], Mapping[str, Any]]
    ) -> FileInfo:
        """Build from the documented keys' values (in ``_FILE_INFO_CORE`` order, types checked).

        ``source`` is the whole JSON object, or a function returning it: :attr:`extra` is
        taken from it on first use. No ``__init__`` round trip: listings build millions.
        """
        info = cls.__new__(cls)
        attributes = info.__dict__
        # Pair by pair, in __init__'s order (_FILE_INFO_SLOTS): the instance dict keeps
        # sharing its keys with every other FileInfo's (~560 B less per entry).
        attributes.update(zip(_FILE_INFO_SLOTS, checked, strict=True))
        blocks = attributes["file_block_infos"]
        if blocks:
            attributes["file_block_infos"] = [FileBlockInfo.from_json(x) for x in blocks]
        attributes["_extra"] = None
        attributes["_source"] = source
        return info
