from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.bits import Bits
from ..models.load_metadata_type import LoadMetadataType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions


T = TypeVar("T", bound="GetStatusOptions")


@_attrs_define
class GetStatusOptions:
    """Options of `get-status`. Every field is optional.

    Example:
        {'loadMetadataType': 'ONCE'}

    Attributes:
        load_metadata_type (LoadMetadataType | Unset): When to load metadata from the under storage for paths not yet
            known to Alluxio.
            `NEVER`, `ONCE` (first access only) or `ALWAYS`. 1.x proxies spell these
            `Never`/`Once`/`Always` (see `x-alluxio-1x-enum`) and reject the 2.x spelling, and
            vice versa (HTTP 400).
             Example: ONCE.
        common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
            object).
            In 2.x this is the only place for `ttl`/`ttlAction`.
             Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
        access_mode (Bits | Unset): Permission bits of one class of users (owner, group or others), by name. Example:
            READ_EXECUTE.
        update_timestamps (bool | Unset): Update the access time of the path (server default true).
        include_real_content_hash (bool | Unset): Ask the under storage for the file's real content hash (for the
            fingerprint).
    """

    load_metadata_type: LoadMetadataType | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    access_mode: Bits | Unset = UNSET
    update_timestamps: bool | Unset = UNSET
    include_real_content_hash: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        load_metadata_type: str | Unset = UNSET
        if not isinstance(self.load_metadata_type, Unset):
            load_metadata_type = self.load_metadata_type.value

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        access_mode: str | Unset = UNSET
        if not isinstance(self.access_mode, Unset):
            access_mode = self.access_mode.value

        update_timestamps = self.update_timestamps

        include_real_content_hash = self.include_real_content_hash

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if load_metadata_type is not UNSET:
            field_dict["loadMetadataType"] = load_metadata_type
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if access_mode is not UNSET:
            field_dict["accessMode"] = access_mode
        if update_timestamps is not UNSET:
            field_dict["updateTimestamps"] = update_timestamps
        if include_real_content_hash is not UNSET:
            field_dict["includeRealContentHash"] = include_real_content_hash

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions

        d = dict(src_dict)
        _load_metadata_type = d.pop("loadMetadataType", UNSET)
        load_metadata_type: LoadMetadataType | Unset
        if isinstance(_load_metadata_type, Unset):
            load_metadata_type = UNSET
        else:
            load_metadata_type = LoadMetadataType(_load_metadata_type)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        _access_mode = d.pop("accessMode", UNSET)
        access_mode: Bits | Unset
        if isinstance(_access_mode, Unset):
            access_mode = UNSET
        else:
            access_mode = Bits(_access_mode)

        update_timestamps = d.pop("updateTimestamps", UNSET)

        include_real_content_hash = d.pop("includeRealContentHash", UNSET)

        get_status_options = cls(
            load_metadata_type=load_metadata_type,
            common_options=common_options,
            access_mode=access_mode,
            update_timestamps=update_timestamps,
            include_real_content_hash=include_real_content_hash,
        )

        get_status_options.additional_properties = d
        return get_status_options

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
