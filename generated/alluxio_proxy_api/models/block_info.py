from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.block_location import BlockLocation


T = TypeVar("T", bound="BlockInfo")


@_attrs_define
class BlockInfo:
    """A block of a file and the replicas of it cached in Alluxio.

    Example:
        {'blockId': 16777216, 'length': 12, 'locations': []}

    Attributes:
        block_id (int | Unset): Block id.
        length (int | Unset): Block length in bytes.
        locations (list[BlockLocation] | Unset): Alluxio replicas of the block (empty when not cached).
    """

    block_id: int | Unset = UNSET
    length: int | Unset = UNSET
    locations: list[BlockLocation] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        block_id = self.block_id

        length = self.length

        locations: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.locations, Unset):
            locations = []
            for locations_item_data in self.locations:
                locations_item = locations_item_data.to_dict()
                locations.append(locations_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if block_id is not UNSET:
            field_dict["blockId"] = block_id
        if length is not UNSET:
            field_dict["length"] = length
        if locations is not UNSET:
            field_dict["locations"] = locations

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.block_location import BlockLocation

        d = dict(src_dict)
        block_id = d.pop("blockId", UNSET)

        length = d.pop("length", UNSET)

        _locations = d.pop("locations", UNSET)
        locations: list[BlockLocation] | Unset = UNSET
        if _locations is not UNSET:
            locations = []
            for locations_item_data in _locations:
                locations_item = BlockLocation.from_dict(locations_item_data)

                locations.append(locations_item)

        block_info = cls(
            block_id=block_id,
            length=length,
            locations=locations,
        )

        block_info.additional_properties = d
        return block_info

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
