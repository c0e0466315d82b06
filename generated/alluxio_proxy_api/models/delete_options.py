from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions


T = TypeVar("T", bound="DeleteOptions")


@_attrs_define
class DeleteOptions:
    """Options of `delete`. Every field is optional.

    Example:
        {'recursive': True, 'alluxioOnly': False}

    Attributes:
        recursive (bool | Unset): Delete a non-empty directory with its contents.
        alluxio_only (bool | Unset): Remove from Alluxio's namespace only, keeping the under-storage data.
        unchecked (bool | Unset): Skip the check that Alluxio and the under storage are in sync.
        common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
            object).
            In 2.x this is the only place for `ttl`/`ttlAction`.
             Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
        sync_parent_next_time (bool | Unset): Mark the parent directory for a metadata sync on its next access.
        delete_mount_point (bool | Unset): Allow deleting a directory that contains mount points.
    """

    recursive: bool | Unset = UNSET
    alluxio_only: bool | Unset = UNSET
    unchecked: bool | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    sync_parent_next_time: bool | Unset = UNSET
    delete_mount_point: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recursive = self.recursive

        alluxio_only = self.alluxio_only

        unchecked = self.unchecked

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        sync_parent_next_time = self.sync_parent_next_time

        delete_mount_point = self.delete_mount_point

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if recursive is not UNSET:
            field_dict["recursive"] = recursive
        if alluxio_only is not UNSET:
            field_dict["alluxioOnly"] = alluxio_only
        if unchecked is not UNSET:
            field_dict["unchecked"] = unchecked
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if sync_parent_next_time is not UNSET:
            field_dict["syncParentNextTime"] = sync_parent_next_time
        if delete_mount_point is not UNSET:
            field_dict["deleteMountPoint"] = delete_mount_point

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions

        d = dict(src_dict)
        recursive = d.pop("recursive", UNSET)

        alluxio_only = d.pop("alluxioOnly", UNSET)

        unchecked = d.pop("unchecked", UNSET)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        sync_parent_next_time = d.pop("syncParentNextTime", UNSET)

        delete_mount_point = d.pop("deleteMountPoint", UNSET)

        delete_options = cls(
            recursive=recursive,
            alluxio_only=alluxio_only,
            unchecked=unchecked,
            common_options=common_options,
            sync_parent_next_time=sync_parent_next_time,
            delete_mount_point=delete_mount_point,
        )

        delete_options.additional_properties = d
        return delete_options

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
