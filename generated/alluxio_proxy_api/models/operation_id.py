from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="OperationId")


@_attrs_define
class OperationId:
    """A client-chosen 128-bit id making a retried operation idempotent on the master, as two
    signed 64-bit halves.

        Example:
            {'mostSignificantBits': 1234567890123, 'leastSignificantBits': -987654321}

        Attributes:
            most_significant_bits (int | Unset): High 64 bits.
            least_significant_bits (int | Unset): Low 64 bits.
    """

    most_significant_bits: int | Unset = UNSET
    least_significant_bits: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        most_significant_bits = self.most_significant_bits

        least_significant_bits = self.least_significant_bits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if most_significant_bits is not UNSET:
            field_dict["mostSignificantBits"] = most_significant_bits
        if least_significant_bits is not UNSET:
            field_dict["leastSignificantBits"] = least_significant_bits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        most_significant_bits = d.pop("mostSignificantBits", UNSET)

        least_significant_bits = d.pop("leastSignificantBits", UNSET)

        operation_id = cls(
            most_significant_bits=most_significant_bits,
            least_significant_bits=least_significant_bits,
        )

        operation_id.additional_properties = d
        return operation_id

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
