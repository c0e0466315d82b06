from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.mount_options_properties import MountOptionsProperties


T = TypeVar("T", bound="MountOptions")


@_attrs_define
class MountOptions:
    """Options of `mount`. Every field is optional. `properties` usually holds credentials
    of the under storage: it is SECRET-BEARING and must never be logged or shown.

        Example:
            {'readOnly': True, 'shared': True, 'properties': {'fs.s3a.access.key': '<access key>', 'fs.s3a.secret.key':
                '<secret key>'}}

        Attributes:
            read_only (bool | Unset): Mount read-only.
            properties (MountOptionsProperties | Unset): Under-storage configuration (e.g. `fs.s3a.access.key`) for this
                mount point.
                SECRET-BEARING: values are credentials; never log, print or echo them (the proxy
                itself quotes them in the message of a failed mount).
                 Example: {'fs.s3a.access.key': '<access key>'}.
            shared (bool | Unset): Make the mount point visible to all users.
            common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
                object).
                In 2.x this is the only place for `ttl`/`ttlAction`.
                 Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
            remount (bool | Unset): Mount again over an existing mount point (2.9.6 unmounts it first: with nothing
                mounted at the path, the mount fails with `UNKNOWN` "Failed to unmount: ...").
                 Example: False.
    """

    read_only: bool | Unset = UNSET
    properties: MountOptionsProperties | Unset = UNSET
    shared: bool | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    remount: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        read_only = self.read_only

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        shared = self.shared

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        remount = self.remount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if read_only is not UNSET:
            field_dict["readOnly"] = read_only
        if properties is not UNSET:
            field_dict["properties"] = properties
        if shared is not UNSET:
            field_dict["shared"] = shared
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if remount is not UNSET:
            field_dict["remount"] = remount

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions
        from ..models.mount_options_properties import MountOptionsProperties

        d = dict(src_dict)
        read_only = d.pop("readOnly", UNSET)

        _properties = d.pop("properties", UNSET)
        properties: MountOptionsProperties | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = MountOptionsProperties.from_dict(_properties)

        shared = d.pop("shared", UNSET)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        remount = d.pop("remount", UNSET)

        mount_options = cls(
            read_only=read_only,
            properties=properties,
            shared=shared,
            common_options=common_options,
            remount=remount,
        )

        mount_options.additional_properties = d
        return mount_options

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
