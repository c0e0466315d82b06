from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.block_info import BlockInfo


T = TypeVar("T", bound="FileBlockInfo")


@_attrs_define
class FileBlockInfo:
    """A block of a file with its offset in the file and its under-storage locations.

    Example:
        {'blockInfo': {'blockId': 16777216, 'length': 12, 'locations': []}, 'offset': 0, 'ufsLocations': []}

    Attributes:
        block_info (BlockInfo | Unset): A block of a file and the replicas of it cached in Alluxio. Example: {'blockId':
            16777216, 'length': 12, 'locations': []}.
        offset (int | Unset): Offset of the block in the file, in bytes.
        ufs_locations (list[str] | Unset): Hosts of the under storage holding the block's data.
    """

    block_info: BlockInfo | Unset = UNSET
    offset: int | Unset = UNSET
    ufs_locations: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.block_info, Unset):
            block_info = self.block_info.to_dict()

        offset = self.offset

        ufs_locations: list[str] | Unset = UNSET
        if not isinstance(self.ufs_locations, Unset):
            ufs_locations = self.ufs_locations

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if block_info is not UNSET:
            field_dict["blockInfo"] = block_info
        if offset is not UNSET:
            field_dict["offset"] = offset
        if ufs_locations is not UNSET:
            field_dict["ufsLocations"] = ufs_locations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.block_info import BlockInfo

        d = dict(src_dict)
        _block_info = d.pop("blockInfo", UNSET)
        block_info: BlockInfo | Unset
        if isinstance(_block_info, Unset):
            block_info = UNSET
        else:
            block_info = BlockInfo.from_dict(_block_info)

        offset = d.pop("offset", UNSET)

        ufs_locations = cast(list[str], d.pop("ufsLocations", UNSET))

        file_block_info = cls(
            block_info=block_info,
            offset=offset,
            ufs_locations=ufs_locations,
        )

        file_block_info.additional_properties = d
        return file_block_info

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
