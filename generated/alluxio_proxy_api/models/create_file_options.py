from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ttl_action import TtlAction
from ..models.write_type import WriteType
from ..models.x_attr_propagation_strategy import XAttrPropagationStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.mode import Mode
    from ..models.worker_net_address import WorkerNetAddress
    from ..models.x_attr import XAttr


T = TypeVar("T", bound="CreateFileOptions")


@_attrs_define
class CreateFileOptions:
    """Options of `create-file`. Every field is optional. In 2.x the TTL goes in
    `commonOptions`; the top-level `ttl`/`ttlAction` and `locationPolicyClass` are 1.x only.

        Example:
            {'blockSizeBytes': 67108864, 'recursive': True, 'writeType': 'CACHE_THROUGH', 'replicationMin': 1,
                'commonOptions': {'ttl': 3600000, 'ttlAction': 'FREE'}}

        Attributes:
            block_size_bytes (int | Unset): Block size of the new file in bytes.
            recursive (bool | Unset): Create missing parent directories.
            mode (Mode | Unset): Permission of a path in requests, as three named `Bits` values (responses carry the
                mode as an integer instead, see `FileInfo.mode`). All three are required: a partial
                mode gives HTTP 500 with the text `Message missing required fields: groupBits, otherBits`.
                 Example: {'ownerBits': 'ALL', 'groupBits': 'READ_EXECUTE', 'otherBits': 'READ_EXECUTE'}.
            replication_max (int | Unset): Maximum number of block replicas in Alluxio (`-1` = no limit).
            replication_min (int | Unset): Minimum number of block replicas kept in Alluxio.
            replication_durable (int | Unset): Number of replicas kept in Alluxio before the file is persisted
                (ASYNC_THROUGH).
            write_tier (int | Unset): Storage tier to write to (0 = top tier, -1 = bottom tier).
            write_type (WriteType | Unset): Where written data goes. `MUST_CACHE`: Alluxio only; `TRY_CACHE`: Alluxio if
                space
                allows; `CACHE_THROUGH`: Alluxio and the under storage synchronously; `THROUGH`: under
                storage only; `ASYNC_THROUGH`: Alluxio, persisted asynchronously; `NONE`: no storage
                (not for files with data). Default: `alluxio.user.file.writetype.default` of the proxy.
                 Example: CACHE_THROUGH.
            common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
                object).
                In 2.x this is the only place for `ttl`/`ttlAction`.
                 Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
            persistence_wait_time (int | Unset): For ASYNC_THROUGH, milliseconds to wait before persisting (`-1` = only on
                demand).
            xattr (XAttr | Unset): Extended attributes: attribute name to value, the value being base64-encoded bytes
                (protobuf `bytes` in JSON form).
                 Example: {'user.origin': 'aW5nZXN0'}.
            xattr_prop_strat (XAttrPropagationStrategy | Unset): Which created paths receive the extended attributes:
                `NEW_PATHS` (all directories
                created by a recursive create) or `LEAF_NODE` (only the last one).
                 Example: NEW_PATHS.
            overwrite (bool | Unset): Replace an existing file at the path instead of failing with `ALREADY_EXISTS`.
            check_s3_bucket_path (bool | Unset): Check that the path lies inside an existing bucket of the proxy's S3 API.
            worker_location (WorkerNetAddress | Unset): Network address of an Alluxio worker. Example: {'host':
                'worker-1.example.com', 'rpcPort': 29999, 'dataPort': 29999, 'webPort': 30000, 'domainSocketPath': ''}.
            ttl (int | Unset): 1.x only: time to live in milliseconds (2.x uses `commonOptions.ttl`).
            ttl_action (TtlAction | Unset): What happens when a TTL expires. `DELETE`: delete from Alluxio and the under
                storage;
                `FREE`: remove from Alluxio only; `DELETE_ALLUXIO` (2.x only): delete from Alluxio,
                keeping the under-storage data.
                 Example: FREE.
            location_policy_class (str | Unset): 1.x only: Java class name of the block location policy for writes. Example:
                alluxio.client.file.policy.LocalFirstPolicy.
    """

    block_size_bytes: int | Unset = UNSET
    recursive: bool | Unset = UNSET
    mode: Mode | Unset = UNSET
    replication_max: int | Unset = UNSET
    replication_min: int | Unset = UNSET
    replication_durable: int | Unset = UNSET
    write_tier: int | Unset = UNSET
    write_type: WriteType | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    persistence_wait_time: int | Unset = UNSET
    xattr: XAttr | Unset = UNSET
    xattr_prop_strat: XAttrPropagationStrategy | Unset = UNSET
    overwrite: bool | Unset = UNSET
    check_s3_bucket_path: bool | Unset = UNSET
    worker_location: WorkerNetAddress | Unset = UNSET
    ttl: int | Unset = UNSET
    ttl_action: TtlAction | Unset = UNSET
    location_policy_class: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_size_bytes = self.block_size_bytes

        recursive = self.recursive

        mode: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.to_dict()

        replication_max = self.replication_max

        replication_min = self.replication_min

        replication_durable = self.replication_durable

        write_tier = self.write_tier

        write_type: str | Unset = UNSET
        if not isinstance(self.write_type, Unset):
            write_type = self.write_type.value

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        persistence_wait_time = self.persistence_wait_time

        xattr: dict[str, Any] | Unset = UNSET
        if not isinstance(self.xattr, Unset):
            xattr = self.xattr.to_dict()

        xattr_prop_strat: str | Unset = UNSET
        if not isinstance(self.xattr_prop_strat, Unset):
            xattr_prop_strat = self.xattr_prop_strat.value

        overwrite = self.overwrite

        check_s3_bucket_path = self.check_s3_bucket_path

        worker_location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.worker_location, Unset):
            worker_location = self.worker_location.to_dict()

        ttl = self.ttl

        ttl_action: str | Unset = UNSET
        if not isinstance(self.ttl_action, Unset):
            ttl_action = self.ttl_action.value

        location_policy_class = self.location_policy_class

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if block_size_bytes is not UNSET:
            field_dict["blockSizeBytes"] = block_size_bytes
        if recursive is not UNSET:
            field_dict["recursive"] = recursive
        if mode is not UNSET:
            field_dict["mode"] = mode
        if replication_max is not UNSET:
            field_dict["replicationMax"] = replication_max
        if replication_min is not UNSET:
            field_dict["replicationMin"] = replication_min
        if replication_durable is not UNSET:
            field_dict["replicationDurable"] = replication_durable
        if write_tier is not UNSET:
            field_dict["writeTier"] = write_tier
        if write_type is not UNSET:
            field_dict["writeType"] = write_type
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if persistence_wait_time is not UNSET:
            field_dict["persistenceWaitTime"] = persistence_wait_time
        if xattr is not UNSET:
            field_dict["xattr"] = xattr
        if xattr_prop_strat is not UNSET:
            field_dict["xattrPropStrat"] = xattr_prop_strat
        if overwrite is not UNSET:
            field_dict["overwrite"] = overwrite
        if check_s3_bucket_path is not UNSET:
            field_dict["checkS3BucketPath"] = check_s3_bucket_path
        if worker_location is not UNSET:
            field_dict["workerLocation"] = worker_location
        if ttl is not UNSET:
            field_dict["ttl"] = ttl
        if ttl_action is not UNSET:
            field_dict["ttlAction"] = ttl_action
        if location_policy_class is not UNSET:
            field_dict["locationPolicyClass"] = location_policy_class

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions
        from ..models.mode import Mode
        from ..models.worker_net_address import WorkerNetAddress
        from ..models.x_attr import XAttr

        d = dict(src_dict)
        block_size_bytes = d.pop("blockSizeBytes", UNSET)

        recursive = d.pop("recursive", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: Mode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = Mode.from_dict(_mode)

        replication_max = d.pop("replicationMax", UNSET)

        replication_min = d.pop("replicationMin", UNSET)

        replication_durable = d.pop("replicationDurable", UNSET)

        write_tier = d.pop("writeTier", UNSET)

        _write_type = d.pop("writeType", UNSET)
        write_type: WriteType | Unset
        if isinstance(_write_type, Unset):
            write_type = UNSET
        else:
            write_type = WriteType(_write_type)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        persistence_wait_time = d.pop("persistenceWaitTime", UNSET)

        _xattr = d.pop("xattr", UNSET)
        xattr: XAttr | Unset
        if isinstance(_xattr, Unset):
            xattr = UNSET
        else:
            xattr = XAttr.from_dict(_xattr)

        _xattr_prop_strat = d.pop("xattrPropStrat", UNSET)
        xattr_prop_strat: XAttrPropagationStrategy | Unset
        if isinstance(_xattr_prop_strat, Unset):
            xattr_prop_strat = UNSET
        else:
            xattr_prop_strat = XAttrPropagationStrategy(_xattr_prop_strat)

        overwrite = d.pop("overwrite", UNSET)

        check_s3_bucket_path = d.pop("checkS3BucketPath", UNSET)

        _worker_location = d.pop("workerLocation", UNSET)
        worker_location: WorkerNetAddress | Unset
        if isinstance(_worker_location, Unset):
            worker_location = UNSET
        else:
            worker_location = WorkerNetAddress.from_dict(_worker_location)

        ttl = d.pop("ttl", UNSET)

        _ttl_action = d.pop("ttlAction", UNSET)
        ttl_action: TtlAction | Unset
        if isinstance(_ttl_action, Unset):
            ttl_action = UNSET
        else:
            ttl_action = TtlAction(_ttl_action)

        location_policy_class = d.pop("locationPolicyClass", UNSET)

        create_file_options = cls(
            block_size_bytes=block_size_bytes,
            recursive=recursive,
            mode=mode,
            replication_max=replication_max,
            replication_min=replication_min,
            replication_durable=replication_durable,
            write_tier=write_tier,
            write_type=write_type,
            common_options=common_options,
            persistence_wait_time=persistence_wait_time,
            xattr=xattr,
            xattr_prop_strat=xattr_prop_strat,
            overwrite=overwrite,
            check_s3_bucket_path=check_s3_bucket_path,
            worker_location=worker_location,
            ttl=ttl,
            ttl_action=ttl_action,
            location_policy_class=location_policy_class,
        )

        create_file_options.additional_properties = d
        return create_file_options

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
