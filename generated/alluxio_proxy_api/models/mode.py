from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bits import Bits

T = TypeVar("T", bound="Mode")


@_attrs_define
class Mode:
    """Permission of a path in requests, as three named `Bits` values (responses carry the
    mode as an integer instead, see `FileInfo.mode`). All three are required: a partial
    mode gives HTTP 500 with the text `Message missing required fields: groupBits, otherBits`.

        Example:
            {'ownerBits': 'ALL', 'groupBits': 'READ_EXECUTE', 'otherBits': 'READ_EXECUTE'}

        Attributes:
            owner_bits (Bits): Permission bits of one class of users (owner, group or others), by name. Example:
                READ_EXECUTE.
            group_bits (Bits): Permission bits of one class of users (owner, group or others), by name. Example:
                READ_EXECUTE.
            other_bits (Bits): Permission bits of one class of users (owner, group or others), by name. Example:
                READ_EXECUTE.
    """

    owner_bits: Bits
    group_bits: Bits
    other_bits: Bits
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner_bits = self.owner_bits.value

        group_bits = self.group_bits.value

        other_bits = self.other_bits.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ownerBits": owner_bits,
                "groupBits": group_bits,
                "otherBits": other_bits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        owner_bits = Bits(d.pop("ownerBits"))

        group_bits = Bits(d.pop("groupBits"))

        other_bits = Bits(d.pop("otherBits"))

        mode = cls(
            owner_bits=owner_bits,
            group_bits=group_bits,
            other_bits=other_bits,
        )

        mode.additional_properties = d
        return mode

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
