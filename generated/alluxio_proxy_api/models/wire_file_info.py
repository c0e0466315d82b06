from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="WireFileInfo")


@_attrs_define
class WireFileInfo:
    """The wire `FileInfo` behind a 2.x status (`URIStatus.getFileInfo()`, key `fileInfo`):
    the keys of `FileInfo` except `cacheContext`, `pinnedMediumTypes` and `fileInfo`, plus
    `mediumTypes`. Only `mediumTypes` is declared here; the other keys repeat the status.

        Example:
            {'mediumTypes': ['MEM'], 'path': '/data/a.txt'}

        Attributes:
            medium_types (list[str] | Unset): Storage media holding the file's blocks (e.g. `MEM`); empty when uncached.
    """

    medium_types: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        medium_types: list[str] | Unset = UNSET
        if not isinstance(self.medium_types, Unset):
            medium_types = self.medium_types

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if medium_types is not UNSET:
            field_dict["mediumTypes"] = medium_types

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        medium_types = cast(list[str], d.pop("mediumTypes", UNSET))

        wire_file_info = cls(
            medium_types=medium_types,
        )

        wire_file_info.additional_properties = d
        return wire_file_info

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
