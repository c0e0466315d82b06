from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.read_type import ReadType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.worker_net_address import WorkerNetAddress


T = TypeVar("T", bound="OpenFileOptions")


@_attrs_define
class OpenFileOptions:
    """Options of `open-file`. Every field is optional. The location-policy class names are
    1.x only.

        Example:
            {'readType': 'CACHE_PROMOTE', 'maxUfsReadConcurrency': 2}

        Attributes:
            read_type (ReadType | Unset): Caching behaviour of a read. `NO_CACHE`: do not cache; `CACHE`: cache in Alluxio;
                `CACHE_PROMOTE`: cache and move to the top storage tier.
                 Example: CACHE.
            max_ufs_read_concurrency (int | Unset): Maximum number of concurrent reads of one block from the under storage.
            common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
                object).
                In 2.x this is the only place for `ttl`/`ttlAction`.
                 Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
            update_last_access_time (bool | Unset): Update the file's last access time (server default true).
            ufs_read_worker_location (WorkerNetAddress | Unset): Network address of an Alluxio worker. Example: {'host':
                'worker-1.example.com', 'rpcPort': 29999, 'dataPort': 29999, 'webPort': 30000, 'domainSocketPath': ''}.
            location_policy_class (str | Unset): 1.x only: Java class name of the block location policy for caching.
                Example: alluxio.client.file.policy.LocalFirstPolicy.
            cache_location_policy_class (str | Unset): 1.x only: Java class name of the policy choosing the worker that
                caches a block. Example: alluxio.client.file.policy.LocalFirstPolicy.
            ufs_read_location_policy_class (str | Unset): 1.x only: Java class name of the policy choosing the worker that
                reads from the under storage. Example: alluxio.client.block.policy.DeterministicHashPolicy.
    """

    read_type: ReadType | Unset = UNSET
    max_ufs_read_concurrency: int | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    update_last_access_time: bool | Unset = UNSET
    ufs_read_worker_location: WorkerNetAddress | Unset = UNSET
    location_policy_class: str | Unset = UNSET
    cache_location_policy_class: str | Unset = UNSET
    ufs_read_location_policy_class: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        read_type: str | Unset = UNSET
        if not isinstance(self.read_type, Unset):
            read_type = self.read_type.value

        max_ufs_read_concurrency = self.max_ufs_read_concurrency

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        update_last_access_time = self.update_last_access_time

        ufs_read_worker_location: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ufs_read_worker_location, Unset):
            ufs_read_worker_location = self.ufs_read_worker_location.to_dict()

        location_policy_class = self.location_policy_class

        cache_location_policy_class = self.cache_location_policy_class

        ufs_read_location_policy_class = self.ufs_read_location_policy_class

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if read_type is not UNSET:
            field_dict["readType"] = read_type
        if max_ufs_read_concurrency is not UNSET:
            field_dict["maxUfsReadConcurrency"] = max_ufs_read_concurrency
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if update_last_access_time is not UNSET:
            field_dict["updateLastAccessTime"] = update_last_access_time
        if ufs_read_worker_location is not UNSET:
            field_dict["ufsReadWorkerLocation"] = ufs_read_worker_location
        if location_policy_class is not UNSET:
            field_dict["locationPolicyClass"] = location_policy_class
        if cache_location_policy_class is not UNSET:
            field_dict["cacheLocationPolicyClass"] = cache_location_policy_class
        if ufs_read_location_policy_class is not UNSET:
            field_dict["ufsReadLocationPolicyClass"] = ufs_read_location_policy_class

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions
        from ..models.worker_net_address import WorkerNetAddress

        d = dict(src_dict)
        _read_type = d.pop("readType", UNSET)
        read_type: ReadType | Unset
        if isinstance(_read_type, Unset):
            read_type = UNSET
        else:
            read_type = ReadType(_read_type)

        max_ufs_read_concurrency = d.pop("maxUfsReadConcurrency", UNSET)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        update_last_access_time = d.pop("updateLastAccessTime", UNSET)

        _ufs_read_worker_location = d.pop("ufsReadWorkerLocation", UNSET)
        ufs_read_worker_location: WorkerNetAddress | Unset
        if isinstance(_ufs_read_worker_location, Unset):
            ufs_read_worker_location = UNSET
        else:
            ufs_read_worker_location = WorkerNetAddress.from_dict(
                _ufs_read_worker_location
            )

        location_policy_class = d.pop("locationPolicyClass", UNSET)

        cache_location_policy_class = d.pop("cacheLocationPolicyClass", UNSET)

        ufs_read_location_policy_class = d.pop("ufsReadLocationPolicyClass", UNSET)

        open_file_options = cls(
            read_type=read_type,
            max_ufs_read_concurrency=max_ufs_read_concurrency,
            common_options=common_options,
            update_last_access_time=update_last_access_time,
            ufs_read_worker_location=ufs_read_worker_location,
            location_policy_class=location_policy_class,
            cache_location_policy_class=cache_location_policy_class,
            ufs_read_location_policy_class=ufs_read_location_policy_class,
        )

        open_file_options.additional_properties = d
        return open_file_options

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
