"""Options for :class:`alluxio.Client` methods.

Every class takes keyword arguments only; an option left out (or ``None``) is not sent, and
the proxy applies its own default. ``json()`` returns the options as a ``dict`` with the
camelCase keys of the Alluxio 0.1.x client (``ttl``/``ttlAction`` at the top level,
``LoadMetadataType`` as given); the client translates that into the JSON dialect of the proxy it
talks to (for 2.x proxies ``ttl``/``ttlAction`` move into ``commonOptions`` and enum names are
upper-cased).

Arguments are checked when an option is built: a wrong type raises ``TypeError`` and a bad
value ``ValueError``, each naming the argument.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from .wire import LoadMetadataType, Mode, ReadType, TTLAction, WriteType, _Name

__all__ = [
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
]


def _check(owner: str, name: str, value: object, kind: type | tuple[type, ...]) -> None:
    if value is None:
        return
    kinds = kind if isinstance(kind, tuple) else (kind,)
    # bool is an int: a flag passed as a size is a bug, not a 1.
    if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
        expected = " or ".join(k.__name__ for k in kinds)
        raise TypeError(f"{owner}: {name} must be {expected}, got {type(value).__name__}")


def _enum(owner: str, name: str, value: object, cls: type[_Name]) -> Any:
    """Accept an instance of the wire class or its name as a str."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError as exc:
            raise ValueError(f"{owner}: {name}: {exc}") from None
    raise TypeError(
        f"{owner}: {name} must be alluxio.wire.{cls.__name__}, got {type(value).__name__}"
    )


def _non_negative(owner: str, name: str, value: int | None) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{owner}: {name} must be >= 0, got {value}")


class _Options:
    """Base class: ``_keys`` maps attribute names to the JSON keys of the 0.1.x client."""

    _keys: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        # Defined so that options without arguments reject one by name
        # ("got an unexpected keyword argument 'x'"), not as "takes no arguments".
        pass

    def json(self) -> dict[str, Any]:
        """Return the set options as a dict with camelCase keys; unset options are left out."""
        obj: dict[str, Any] = {}
        for attr, key in self._keys.items():
            value = getattr(self, attr)
            if value is None:
                continue
            if isinstance(value, _Name | Mode):
                value = value.json()
            elif isinstance(value, Mapping):
                value = dict(value)
            obj[key] = value
        return obj

    def _shown(self) -> dict[str, Any]:
        return {attr: getattr(self, attr) for attr in self._keys if getattr(self, attr) is not None}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._shown().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]


class CreateDirectory(_Options):
    """Options for :meth:`alluxio.Client.create_directory`.

    Args:
        allow_exists: Whether the directory can already exist.
        mode: The directory's access mode.
        recursive: Whether to create intermediate directories along the path as necessary.
        write_type: Where to create the directory: Alluxio only, the under store only, or both.
    """

    _keys = {
        "allow_exists": "allowExists",
        "mode": "mode",
        "recursive": "recursive",
        "write_type": "writeType",
    }

    def __init__(
        self,
        *,
        allow_exists: bool | None = None,
        mode: Mode | None = None,
        recursive: bool | None = None,
        write_type: WriteType | None = None,
    ) -> None:
        name = type(self).__name__
        _check(name, "allow_exists", allow_exists, bool)
        _check(name, "mode", mode, Mode)
        _check(name, "recursive", recursive, bool)
        self.allow_exists = allow_exists
        self.mode = mode
        self.recursive = recursive
        self.write_type: WriteType | None = _enum(name, "write_type", write_type, WriteType)


class CreateFile(_Options):
    """Options for :meth:`alluxio.Client.create_file` and ``open(path, "w")``.

    Args:
        block_size_bytes: Block size of the file in bytes.
        location_policy_class: Java class name of the write location policy (1.x proxies only).
        mode: The file's access mode.
        recursive: If True, creates intermediate directories along the path as necessary.
        ttl: Time to live in milliseconds, after which ``ttl_action`` is applied; -1: none.
        ttl_action: What to do when the TTL expires.
        write_type: Where the file is written: Alluxio only, the under store, or both.
        replication_durable: The number of block replicas for durable writes.
        replication_max: The maximum number of block replicas.
        replication_min: The minimum number of block replicas.
    """

    _keys = {
        "block_size_bytes": "blockSizeBytes",
        "location_policy_class": "locationPolicyClass",
        "mode": "mode",
        "recursive": "recursive",
        "ttl": "ttl",
        "ttl_action": "ttlAction",
        "write_type": "writeType",
        "replication_durable": "replicationDurable",
        "replication_max": "replicationMax",
        "replication_min": "replicationMin",
    }

    def __init__(
        self,
        *,
        block_size_bytes: int | None = None,
        location_policy_class: str | None = None,
        mode: Mode | None = None,
        recursive: bool | None = None,
        ttl: int | None = None,
        ttl_action: TTLAction | None = None,
        write_type: WriteType | None = None,
        replication_durable: int | None = None,
        replication_max: int | None = None,
        replication_min: int | None = None,
    ) -> None:
        name = type(self).__name__
        for arg, value in (
            ("block_size_bytes", block_size_bytes),
            ("ttl", ttl),
            ("replication_durable", replication_durable),
            ("replication_max", replication_max),
            ("replication_min", replication_min),
        ):
            _check(name, arg, value, int)
        _check(name, "location_policy_class", location_policy_class, str)
        _check(name, "mode", mode, Mode)
        _check(name, "recursive", recursive, bool)
        if block_size_bytes is not None and block_size_bytes <= 0:
            raise ValueError(f"{name}: block_size_bytes must be > 0, got {block_size_bytes}")
        if ttl is not None and ttl < -1:
            raise ValueError(f"{name}: ttl must be >= -1 (-1 means no TTL), got {ttl}")
        for arg, value in (
            ("replication_durable", replication_durable),
            ("replication_max", replication_max),
            ("replication_min", replication_min),
        ):
            _non_negative(name, arg, value)
        self.block_size_bytes = block_size_bytes
        self.location_policy_class = location_policy_class
        self.mode = mode
        self.recursive = recursive
        self.ttl = ttl
        self.ttl_action: TTLAction | None = _enum(name, "ttl_action", ttl_action, TTLAction)
        self.write_type: WriteType | None = _enum(name, "write_type", write_type, WriteType)
        self.replication_durable = replication_durable
        self.replication_max = replication_max
        self.replication_min = replication_min


class Delete(_Options):
    """Options for :meth:`alluxio.Client.delete`.

    Args:
        recursive: Delete a directory and its contents (a non-empty directory is refused
            otherwise).
        alluxio_only: Delete from Alluxio only, leaving the under store untouched.
    """

    _keys = {"recursive": "recursive", "alluxio_only": "alluxioOnly"}

    def __init__(self, *, recursive: bool | None = None, alluxio_only: bool | None = None) -> None:
        _check("Delete", "recursive", recursive, bool)
        _check("Delete", "alluxio_only", alluxio_only, bool)
        self.recursive = recursive
        self.alluxio_only = alluxio_only


class Exists(_Options):
    """Options for :meth:`alluxio.Client.exists` (none yet)."""


class Free(_Options):
    """Options for :meth:`alluxio.Client.free`.

    Args:
        recursive: Free a directory and its contents.
        forced: Free pinned files too.
    """

    _keys = {"recursive": "recursive", "forced": "forced"}

    def __init__(self, *, recursive: bool | None = None, forced: bool | None = None) -> None:
        _check("Free", "recursive", recursive, bool)
        _check("Free", "forced", forced, bool)
        self.recursive = recursive
        self.forced = forced


class GetStatus(_Options):
    """Options for :meth:`alluxio.Client.get_status`.

    Args:
        load_metadata_type: When to load metadata from the under store, one of
            :data:`alluxio.wire.LOAD_METADATA_TYPE_NEVER`, ``..._ONCE``, ``..._ALWAYS``.
    """

    _keys = {"load_metadata_type": "loadMetadataType"}

    def __init__(self, *, load_metadata_type: LoadMetadataType | None = None) -> None:
        self.load_metadata_type: LoadMetadataType | None = _enum(
            "GetStatus", "load_metadata_type", load_metadata_type, LoadMetadataType
        )


class ListStatus(_Options):
    """Options for :meth:`alluxio.Client.list_status` and :meth:`alluxio.Client.ls`.

    Args:
        load_metadata_type: When to load metadata from the under store.
        recursive: List the whole subtree, not only the direct children.
    """

    _keys = {"load_metadata_type": "loadMetadataType", "recursive": "recursive"}

    def __init__(
        self,
        *,
        load_metadata_type: LoadMetadataType | None = None,
        recursive: bool | None = None,
    ) -> None:
        _check("ListStatus", "recursive", recursive, bool)
        self.load_metadata_type: LoadMetadataType | None = _enum(
            "ListStatus", "load_metadata_type", load_metadata_type, LoadMetadataType
        )
        self.recursive = recursive


class Mount(_Options):
    """Options for :meth:`alluxio.Client.mount`.

    Args:
        properties: Under-store properties, e.g. credentials. Their values are secrets:
            they are sent to the proxy but never shown in reprs, logs or error messages.
        read_only: Whether the mount point is read-only.
        shared: Whether the mount point is shared with all Alluxio users.
    """

    _keys = {"properties": "properties", "read_only": "readOnly", "shared": "shared"}

    def __init__(
        self,
        *,
        properties: Mapping[str, str] | None = None,
        read_only: bool | None = None,
        shared: bool | None = None,
    ) -> None:
        _check("Mount", "properties", properties, Mapping)
        if properties is not None:
            for key, value in properties.items():
                if not isinstance(key, str) or not isinstance(value, str):
                    raise TypeError(
                        "Mount: properties must map str to str "
                        f"(key {key if isinstance(key, str) else type(key).__name__!r} "
                        f"has a {type(value).__name__} value)"
                    )
        _check("Mount", "read_only", read_only, bool)
        _check("Mount", "shared", shared, bool)
        self.properties = dict(properties) if properties is not None else None
        self.read_only = read_only
        self.shared = shared

    def _shown(self) -> dict[str, Any]:
        shown = super()._shown()
        if self.properties is not None:
            shown["properties"] = {key: "***" for key in self.properties}
        return shown


class OpenFile(_Options):
    """Options for :meth:`alluxio.Client.open_file` and ``open(path, "r")``.

    Args:
        cache_location_policy_class: Java class name of the caching location policy (1.x).
        max_ufs_read_concurrency: Maximum under-store read concurrency for one block on one
            worker.
        read_type: Whether reading caches the file in Alluxio.
        ufs_read_location_policy_class: Java class name of the under-store read location
            policy (1.x).
    """

    _keys = {
        "cache_location_policy_class": "cacheLocationPolicyClass",
        "max_ufs_read_concurrency": "maxUfsReadConcurrency",
        "read_type": "readType",
        "ufs_read_location_policy_class": "ufsReadLocationPolicyClass",
    }

    def __init__(
        self,
        *,
        cache_location_policy_class: str | None = None,
        max_ufs_read_concurrency: int | None = None,
        read_type: ReadType | None = None,
        ufs_read_location_policy_class: str | None = None,
    ) -> None:
        _check("OpenFile", "cache_location_policy_class", cache_location_policy_class, str)
        _check("OpenFile", "max_ufs_read_concurrency", max_ufs_read_concurrency, int)
        _check("OpenFile", "ufs_read_location_policy_class", ufs_read_location_policy_class, str)
        if max_ufs_read_concurrency is not None and max_ufs_read_concurrency <= 0:
            raise ValueError(
                f"OpenFile: max_ufs_read_concurrency must be > 0, got {max_ufs_read_concurrency}"
            )
        self.cache_location_policy_class = cache_location_policy_class
        self.max_ufs_read_concurrency = max_ufs_read_concurrency
        self.read_type: ReadType | None = _enum("OpenFile", "read_type", read_type, ReadType)
        self.ufs_read_location_policy_class = ufs_read_location_policy_class


class Rename(_Options):
    """Options for :meth:`alluxio.Client.rename` (none yet)."""


class SetAttribute(_Options):
    """Options for :meth:`alluxio.Client.set_attribute`.

    Args:
        owner: The owner of the path.
        group: The group of the path.
        mode: The access mode of the path.
        pinned: Whether the path is pinned in Alluxio storage.
        recursive: Apply the change to everything under a directory.
        ttl: Time to live in milliseconds; -1 removes the TTL.
        ttl_action: What to do when the TTL expires.
        persisted: Mark the path as persisted.
    """

    _keys = {
        "owner": "owner",
        "group": "group",
        "mode": "mode",
        "pinned": "pinned",
        "recursive": "recursive",
        "ttl": "ttl",
        "ttl_action": "ttlAction",
        "persisted": "persisted",
    }

    def __init__(
        self,
        *,
        owner: str | None = None,
        group: str | None = None,
        mode: Mode | None = None,
        pinned: bool | None = None,
        recursive: bool | None = None,
        ttl: int | None = None,
        ttl_action: TTLAction | None = None,
        persisted: bool | None = None,
    ) -> None:
        name = "SetAttribute"
        _check(name, "owner", owner, str)
        _check(name, "group", group, str)
        _check(name, "mode", mode, Mode)
        _check(name, "pinned", pinned, bool)
        _check(name, "recursive", recursive, bool)
        _check(name, "ttl", ttl, int)
        _check(name, "persisted", persisted, bool)
        if ttl is not None and ttl < -1:
            raise ValueError(f"{name}: ttl must be >= -1 (-1 means no TTL), got {ttl}")
        self.owner = owner
        self.group = group
        self.mode = mode
        self.pinned = pinned
        self.recursive = recursive
        self.ttl = ttl
        self.ttl_action: TTLAction | None = _enum(name, "ttl_action", ttl_action, TTLAction)
        self.persisted = persisted


class Unmount(_Options):
    """Options for :meth:`alluxio.Client.unmount` (none yet)."""
