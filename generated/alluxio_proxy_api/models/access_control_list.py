from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccessControlList")


@_attrs_define
class AccessControlList:
    """An access control list as the proxy serialises it: owner, owning group and the POSIX
    ACL entries in their string form.

        Example:
            {'owner': 'alice', 'owningGroup': 'staff', 'stringEntries': ['user::rwx', 'group::r-x', 'other::r-x']}

        Attributes:
            owner (str | Unset): Owning user (empty in a file's default ACL).
            owning_group (str | Unset): Owning group (empty in a file's default ACL).
            string_entries (list[str] | Unset): ACL entries in `getfacl` form, e.g. `user::rwx`, `group:staff:r-x`,
                `mask::r-x`.
    """

    owner: str | Unset = UNSET
    owning_group: str | Unset = UNSET
    string_entries: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        owning_group = self.owning_group

        string_entries: list[str] | Unset = UNSET
        if not isinstance(self.string_entries, Unset):
            string_entries = self.string_entries

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if owner is not UNSET:
            field_dict["owner"] = owner
        if owning_group is not UNSET:
            field_dict["owningGroup"] = owning_group
        if string_entries is not UNSET:
            field_dict["stringEntries"] = string_entries

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        owner = d.pop("owner", UNSET)

        owning_group = d.pop("owningGroup", UNSET)

        string_entries = cast(list[str], d.pop("stringEntries", UNSET))

        access_control_list = cls(
            owner=owner,
            owning_group=owning_group,
            string_entries=string_entries,
        )

        access_control_list.additional_properties = d
        return access_control_list

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
