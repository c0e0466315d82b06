from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.load_metadata_type import LoadMetadataType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions


T = TypeVar("T", bound="ListStatusOptions")


@_attrs_define
class ListStatusOptions:
    """Options of `list-status`. Every field is optional.

    Example:
        {'loadMetadataType': 'ALWAYS', 'recursive': True}

    Attributes:
        recursive (bool | Unset): List the whole subtree, not only the direct children.
        common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
            object).
            In 2.x this is the only place for `ttl`/`ttlAction`.
             Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
        load_metadata_type (LoadMetadataType | Unset): When to load metadata from the under storage for paths not yet
            known to Alluxio.
            `NEVER`, `ONCE` (first access only) or `ALWAYS`. 1.x proxies spell these
            `Never`/`Once`/`Always` (see `x-alluxio-1x-enum`) and reject the 2.x spelling, and
            vice versa (HTTP 400).
             Example: ONCE.
        load_direct_children (bool | Unset): Deprecated; use `loadMetadataType`.
        load_metadata_only (bool | Unset): Load metadata from the under storage without returning the listing.
        disable_are_descendants_loaded_check (bool | Unset): Skip the check, during a metadata sync, that a directory's
            children were loaded
            (avoids a full traversal in recursive listings; children may stay unloaded).
        exclude_mount_info (bool | Unset): Leave the (costly) mount information out of the listed statuses.
    """

    recursive: bool | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    load_metadata_type: LoadMetadataType | Unset = UNSET
    load_direct_children: bool | Unset = UNSET
    load_metadata_only: bool | Unset = UNSET
    disable_are_descendants_loaded_check: bool | Unset = UNSET
    exclude_mount_info: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recursive = self.recursive

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        load_metadata_type: str | Unset = UNSET
        if not isinstance(self.load_metadata_type, Unset):
            load_metadata_type = self.load_metadata_type.value

        load_direct_children = self.load_direct_children

        load_metadata_only = self.load_metadata_only

        disable_are_descendants_loaded_check = self.disable_are_descendants_loaded_check

        exclude_mount_info = self.exclude_mount_info

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if recursive is not UNSET:
            field_dict["recursive"] = recursive
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if load_metadata_type is not UNSET:
            field_dict["loadMetadataType"] = load_metadata_type
        if load_direct_children is not UNSET:
            field_dict["loadDirectChildren"] = load_direct_children
        if load_metadata_only is not UNSET:
            field_dict["loadMetadataOnly"] = load_metadata_only
        if disable_are_descendants_loaded_check is not UNSET:
            field_dict["disableAreDescendantsLoadedCheck"] = (
                disable_are_descendants_loaded_check
            )
        if exclude_mount_info is not UNSET:
            field_dict["excludeMountInfo"] = exclude_mount_info

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions

        d = dict(src_dict)
        recursive = d.pop("recursive", UNSET)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        _load_metadata_type = d.pop("loadMetadataType", UNSET)
        load_metadata_type: LoadMetadataType | Unset
        if isinstance(_load_metadata_type, Unset):
            load_metadata_type = UNSET
        else:
            load_metadata_type = LoadMetadataType(_load_metadata_type)

        load_direct_children = d.pop("loadDirectChildren", UNSET)

        load_metadata_only = d.pop("loadMetadataOnly", UNSET)

        disable_are_descendants_loaded_check = d.pop(
            "disableAreDescendantsLoadedCheck", UNSET
        )

        exclude_mount_info = d.pop("excludeMountInfo", UNSET)

        list_status_options = cls(
            recursive=recursive,
            common_options=common_options,
            load_metadata_type=load_metadata_type,
            load_direct_children=load_direct_children,
            load_metadata_only=load_metadata_only,
            disable_are_descendants_loaded_check=disable_are_descendants_loaded_check,
            exclude_mount_info=exclude_mount_info,
        )

        list_status_options.additional_properties = d
        return list_status_options

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
