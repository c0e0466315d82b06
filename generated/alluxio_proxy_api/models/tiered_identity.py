from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.locality_tier import LocalityTier


T = TypeVar("T", bound="TieredIdentity")


@_attrs_define
class TieredIdentity:
    """Locality of a worker, from the most to the least specific level.

    Example:
        {'tiers': [{'tierName': 'node', 'value': 'worker-1.example.com'}, {'tierName': 'rack', 'value': None}]}

    Attributes:
        tiers (list[LocalityTier] | Unset): Locality levels.
    """

    tiers: list[LocalityTier] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        tiers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.tiers, Unset):
            tiers = []
            for tiers_item_data in self.tiers:
                tiers_item = tiers_item_data.to_dict()
                tiers.append(tiers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if tiers is not UNSET:
            field_dict["tiers"] = tiers

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.locality_tier import LocalityTier

        d = dict(src_dict)
        _tiers = d.pop("tiers", UNSET)
        tiers: list[LocalityTier] | Unset = UNSET
        if _tiers is not UNSET:
            tiers = []
            for tiers_item_data in _tiers:
                tiers_item = LocalityTier.from_dict(tiers_item_data)

                tiers.append(tiers_item)

        tiered_identity = cls(
            tiers=tiers,
        )

        tiered_identity.additional_properties = d
        return tiered_identity

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
