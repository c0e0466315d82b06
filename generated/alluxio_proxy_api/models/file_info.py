from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.access_control_list import AccessControlList
    from ..models.cache_context import CacheContext
    from ..models.file_block_info import FileBlockInfo
    from ..models.wire_file_info import WireFileInfo
    from ..models.x_attr import XAttr


T = TypeVar("T", bound="FileInfo")


@_attrs_define
class FileInfo:
    """Status of a file or directory (`URIStatus` serialised by Jackson). The 23 required
    keys are sent by every proxy version; the others depend on the version. Values the
    server may extend (`persistenceState`, `ttlAction`) are plain strings. Unknown keys
    must be tolerated. 2.x proxies also send `fileInfo`: the wrapped wire `FileInfo`
    behind this status (`URIStatus.getFileInfo()`), see `WireFileInfo`.

        Example:
            {'blockIds': [16777216], 'blockSizeBytes': 67108864, 'cacheable': True, 'completed': True, 'creationTimeMs':
                1700000000000, 'fileBlockInfos': [{'blockInfo': {'blockId': 16777216, 'length': 12, 'locations': [{'workerId':
                6422418462138146817, 'workerAddress': {'host': 'worker-1.example.com', 'rpcPort': 29999, 'dataPort': 29999,
                'webPort': 30000, 'domainSocketPath': ''}, 'tierAlias': 'MEM'}]}, 'offset': 0, 'ufsLocations': []}], 'fileId':
                16793599, 'folder': False, 'group': 'staff', 'inMemoryPercentage': 100, 'lastModificationTimeMs': 1700000000123,
                'length': 12, 'mode': 420, 'mountPoint': False, 'name': 'a.txt', 'owner': 'alice', 'path': '/data/a.txt',
                'persisted': True, 'persistenceState': 'PERSISTED', 'pinned': False, 'ttl': -1, 'ttlAction': 'FREE', 'ufsPath':
                '/opt/alluxio/underFSStorage/data/a.txt', 'inAlluxioPercentage': 100, 'mountId': 1, 'lastAccessTimeMs':
                1700000000123, 'replicationMax': -1, 'replicationMin': 0, 'ufsFingerprint': 'TYPE|FILE UFS|local OWNER|alice
                GROUP|staff MODE|420 CONTENT_HASH|(len:12,_modtime:1700000000100) ', 'acl': {'owner': 'alice', 'owningGroup':
                'staff', 'stringEntries': ['user::rw-', 'group::r--', 'other::r--']}, 'defaultAcl': {'owner': '', 'owningGroup':
                '', 'stringEntries': []}, 'xattr': {}, 'pinnedMediumTypes': [], 'cacheContext': None}

        Attributes:
            block_ids (list[int]): Ids of the file's blocks.
            block_size_bytes (int): Block size in bytes.
            cacheable (bool): Whether the file may be cached in Alluxio.
            completed (bool): Whether the file has been completed (write stream closed).
            creation_time_ms (int): Creation time, milliseconds since the epoch.
            file_block_infos (list[FileBlockInfo]): The file's blocks with their locations.
            file_id (int): Alluxio file id.
            folder (bool): Whether the path is a directory.
            group (str): Owning group.
            in_memory_percentage (int): Percentage of the file held in the MEM tier.
            last_modification_time_ms (int): Last modification time, milliseconds since the epoch.
            length (int): Length of a file in bytes; for a directory, its number of children.
            mode (int): Permission bits as an integer (e.g. 420 = 0644), not a `Mode` object.
            mount_point (bool): Whether the path is a mount point.
            name (str): Last component of the path (empty for the root).
            owner (str): Owner.
            path (str): Full Alluxio path.
            persisted (bool): Whether the file is persisted in the under storage.
            persistence_state (str): One of the `PersistenceState` values (`NOT_PERSISTED`, `TO_BE_PERSISTED`, `PERSISTED`,
                `LOST`) or a newer one.
            pinned (bool): Whether the file is pinned in Alluxio storage.
            ttl (int): Time to live in milliseconds; -1 means none.
            ttl_action (str): One of the `TtlAction` values (`DELETE`, `FREE`) or a newer one.
            ufs_path (str): Corresponding path in the under storage.
            in_alluxio_percentage (int | Unset): Percentage of the file held in Alluxio storage (any tier).
            mount_id (int | Unset): Id of the mount point the path belongs to.
            ufs_fingerprint (str | Unset): Fingerprint of the under-storage object, used to detect external changes.
            replication_max (int | Unset): Maximum number of block replicas (-1 = no limit).
            replication_min (int | Unset): Minimum number of block replicas.
            last_access_time_ms (int | Unset): Last access time, milliseconds since the epoch.
            acl (AccessControlList | Unset): An access control list as the proxy serialises it: owner, owning group and the
                POSIX
                ACL entries in their string form.
                 Example: {'owner': 'alice', 'owningGroup': 'staff', 'stringEntries': ['user::rwx', 'group::r-x',
                'other::r-x']}.
            default_acl (AccessControlList | Unset): An access control list as the proxy serialises it: owner, owning group
                and the POSIX
                ACL entries in their string form.
                 Example: {'owner': 'alice', 'owningGroup': 'staff', 'stringEntries': ['user::rwx', 'group::r-x',
                'other::r-x']}.
            xattr (None | Unset | XAttr): Extended attributes (name to base64 bytes; `{}` when there are none, null
                possible).
                Files persisted to a local under store carry e.g. `s3_etag`.
            pinned_medium_types (list[str] | Unset): Media the pinned file must stay on.
            cache_context (CacheContext | None | Unset): Client-side cache context (`URIStatus.getCacheContext()`); null
                from the proxy.
            file_info (WireFileInfo | Unset): The wire `FileInfo` behind a 2.x status (`URIStatus.getFileInfo()`, key
                `fileInfo`):
                the keys of `FileInfo` except `cacheContext`, `pinnedMediumTypes` and `fileInfo`, plus
                `mediumTypes`. Only `mediumTypes` is declared here; the other keys repeat the status.
                 Example: {'mediumTypes': ['MEM'], 'path': '/data/a.txt'}.
    """

    block_ids: list[int]
    block_size_bytes: int
    cacheable: bool
    completed: bool
    creation_time_ms: int
    file_block_infos: list[FileBlockInfo]
    file_id: int
    folder: bool
    group: str
    in_memory_percentage: int
    last_modification_time_ms: int
    length: int
    mode: int
    mount_point: bool
    name: str
    owner: str
    path: str
    persisted: bool
    persistence_state: str
    pinned: bool
    ttl: int
    ttl_action: str
    ufs_path: str
    in_alluxio_percentage: int | Unset = UNSET
    mount_id: int | Unset = UNSET
    ufs_fingerprint: str | Unset = UNSET
    replication_max: int | Unset = UNSET
    replication_min: int | Unset = UNSET
    last_access_time_ms: int | Unset = UNSET
    acl: AccessControlList | Unset = UNSET
    default_acl: AccessControlList | Unset = UNSET
    xattr: None | Unset | XAttr = UNSET
    pinned_medium_types: list[str] | Unset = UNSET
    cache_context: CacheContext | None | Unset = UNSET
    file_info: WireFileInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.cache_context import CacheContext
        from ..models.x_attr import XAttr

        block_ids = self.block_ids

        block_size_bytes = self.block_size_bytes

        cacheable = self.cacheable

        completed = self.completed

        creation_time_ms = self.creation_time_ms

        file_block_infos = []
        for file_block_infos_item_data in self.file_block_infos:
            file_block_infos_item = file_block_infos_item_data.to_dict()
            file_block_infos.append(file_block_infos_item)

        file_id = self.file_id

        folder = self.folder

        group = self.group

        in_memory_percentage = self.in_memory_percentage

        last_modification_time_ms = self.last_modification_time_ms

        length = self.length

        mode = self.mode

        mount_point = self.mount_point

        name = self.name

        owner = self.owner

        path = self.path

        persisted = self.persisted

        persistence_state = self.persistence_state

        pinned = self.pinned

        ttl = self.ttl

        ttl_action = self.ttl_action

        ufs_path = self.ufs_path

        in_alluxio_percentage = self.in_alluxio_percentage

        mount_id = self.mount_id

        ufs_fingerprint = self.ufs_fingerprint

        replication_max = self.replication_max

        replication_min = self.replication_min

        last_access_time_ms = self.last_access_time_ms

        acl: dict[str, Any] | Unset = UNSET
        if not isinstance(self.acl, Unset):
            acl = self.acl.to_dict()

        default_acl: dict[str, Any] | Unset = UNSET
        if not isinstance(self.default_acl, Unset):
            default_acl = self.default_acl.to_dict()

        xattr: dict[str, Any] | None | Unset
        if isinstance(self.xattr, Unset):
            xattr = UNSET
        elif isinstance(self.xattr, XAttr):
            xattr = self.xattr.to_dict()
        else:
            xattr = self.xattr

        pinned_medium_types: list[str] | Unset = UNSET
        if not isinstance(self.pinned_medium_types, Unset):
            pinned_medium_types = self.pinned_medium_types

        cache_context: dict[str, Any] | None | Unset
        if isinstance(self.cache_context, Unset):
            cache_context = UNSET
        elif isinstance(self.cache_context, CacheContext):
            cache_context = self.cache_context.to_dict()
        else:
            cache_context = self.cache_context

        file_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.file_info, Unset):
            file_info = self.file_info.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "blockIds": block_ids,
                "blockSizeBytes": block_size_bytes,
                "cacheable": cacheable,
                "completed": completed,
                "creationTimeMs": creation_time_ms,
                "fileBlockInfos": file_block_infos,
                "fileId": file_id,
                "folder": folder,
                "group": group,
                "inMemoryPercentage": in_memory_percentage,
                "lastModificationTimeMs": last_modification_time_ms,
                "length": length,
                "mode": mode,
                "mountPoint": mount_point,
                "name": name,
                "owner": owner,
                "path": path,
                "persisted": persisted,
                "persistenceState": persistence_state,
                "pinned": pinned,
                "ttl": ttl,
                "ttlAction": ttl_action,
                "ufsPath": ufs_path,
            }
        )
        if in_alluxio_percentage is not UNSET:
            field_dict["inAlluxioPercentage"] = in_alluxio_percentage
        if mount_id is not UNSET:
            field_dict["mountId"] = mount_id
        if ufs_fingerprint is not UNSET:
            field_dict["ufsFingerprint"] = ufs_fingerprint
        if replication_max is not UNSET:
            field_dict["replicationMax"] = replication_max
        if replication_min is not UNSET:
            field_dict["replicationMin"] = replication_min
        if last_access_time_ms is not UNSET:
            field_dict["lastAccessTimeMs"] = last_access_time_ms
        if acl is not UNSET:
            field_dict["acl"] = acl
        if default_acl is not UNSET:
            field_dict["defaultAcl"] = default_acl
        if xattr is not UNSET:
            field_dict["xattr"] = xattr
        if pinned_medium_types is not UNSET:
            field_dict["pinnedMediumTypes"] = pinned_medium_types
        if cache_context is not UNSET:
            field_dict["cacheContext"] = cache_context
        if file_info is not UNSET:
            field_dict["fileInfo"] = file_info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.access_control_list import AccessControlList
        from ..models.cache_context import CacheContext
        from ..models.file_block_info import FileBlockInfo
        from ..models.wire_file_info import WireFileInfo
        from ..models.x_attr import XAttr

        d = dict(src_dict)
        block_ids = cast(list[int], d.pop("blockIds"))

        block_size_bytes = d.pop("blockSizeBytes")

        cacheable = d.pop("cacheable")

        completed = d.pop("completed")

        creation_time_ms = d.pop("creationTimeMs")

        file_block_infos = []
        _file_block_infos = d.pop("fileBlockInfos")
        for file_block_infos_item_data in _file_block_infos:
            file_block_infos_item = FileBlockInfo.from_dict(file_block_infos_item_data)

            file_block_infos.append(file_block_infos_item)

        file_id = d.pop("fileId")

        folder = d.pop("folder")

        group = d.pop("group")

        in_memory_percentage = d.pop("inMemoryPercentage")

        last_modification_time_ms = d.pop("lastModificationTimeMs")

        length = d.pop("length")

        mode = d.pop("mode")

        mount_point = d.pop("mountPoint")

        name = d.pop("name")

        owner = d.pop("owner")

        path = d.pop("path")

        persisted = d.pop("persisted")

        persistence_state = d.pop("persistenceState")

        pinned = d.pop("pinned")

        ttl = d.pop("ttl")

        ttl_action = d.pop("ttlAction")

        ufs_path = d.pop("ufsPath")

        in_alluxio_percentage = d.pop("inAlluxioPercentage", UNSET)

        mount_id = d.pop("mountId", UNSET)

        ufs_fingerprint = d.pop("ufsFingerprint", UNSET)

        replication_max = d.pop("replicationMax", UNSET)

        replication_min = d.pop("replicationMin", UNSET)

        last_access_time_ms = d.pop("lastAccessTimeMs", UNSET)

        _acl = d.pop("acl", UNSET)
        acl: AccessControlList | Unset
        if isinstance(_acl, Unset):
            acl = UNSET
        else:
            acl = AccessControlList.from_dict(_acl)

        _default_acl = d.pop("defaultAcl", UNSET)
        default_acl: AccessControlList | Unset
        if isinstance(_default_acl, Unset):
            default_acl = UNSET
        else:
            default_acl = AccessControlList.from_dict(_default_acl)

        def _parse_xattr(data: object) -> None | Unset | XAttr:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                xattr_type_0 = XAttr.from_dict(data)

                return xattr_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | XAttr, data)

        xattr = _parse_xattr(d.pop("xattr", UNSET))

        pinned_medium_types = cast(list[str], d.pop("pinnedMediumTypes", UNSET))

        def _parse_cache_context(data: object) -> CacheContext | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                cache_context_type_0 = CacheContext.from_dict(data)

                return cache_context_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CacheContext | None | Unset, data)

        cache_context = _parse_cache_context(d.pop("cacheContext", UNSET))

        _file_info = d.pop("fileInfo", UNSET)
        file_info: WireFileInfo | Unset
        if isinstance(_file_info, Unset):
            file_info = UNSET
        else:
            file_info = WireFileInfo.from_dict(_file_info)

        file_info_ = cls(
            block_ids=block_ids,
            block_size_bytes=block_size_bytes,
            cacheable=cacheable,
            completed=completed,
            creation_time_ms=creation_time_ms,
            file_block_infos=file_block_infos,
            file_id=file_id,
            folder=folder,
            group=group,
            in_memory_percentage=in_memory_percentage,
            last_modification_time_ms=last_modification_time_ms,
            length=length,
            mode=mode,
            mount_point=mount_point,
            name=name,
            owner=owner,
            path=path,
            persisted=persisted,
            persistence_state=persistence_state,
            pinned=pinned,
            ttl=ttl,
            ttl_action=ttl_action,
            ufs_path=ufs_path,
            in_alluxio_percentage=in_alluxio_percentage,
            mount_id=mount_id,
            ufs_fingerprint=ufs_fingerprint,
            replication_max=replication_max,
            replication_min=replication_min,
            last_access_time_ms=last_access_time_ms,
            acl=acl,
            default_acl=default_acl,
            xattr=xattr,
            pinned_medium_types=pinned_medium_types,
            cache_context=cache_context,
            file_info=file_info,
        )

        file_info_.additional_properties = d
        return file_info_

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
