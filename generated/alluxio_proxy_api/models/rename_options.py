from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.s3_syntax_options import S3SyntaxOptions


T = TypeVar("T", bound="RenameOptions")


@_attrs_define
class RenameOptions:
    """Options of `rename`. Every field is optional.

    Example:
        {'persist': False}

    Attributes:
        common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
            object).
            In 2.x this is the only place for `ttl`/`ttlAction`.
             Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
        persist (bool | Unset): Persist the renamed file to the under storage.
        s_3_syntax_options (S3SyntaxOptions | Unset): Options used by the proxy's S3 API when it renames objects.
            Example: {'overwrite': True, 'isMultipartUpload': False}.
    """

    common_options: CommonOptions | Unset = UNSET
    persist: bool | Unset = UNSET
    s_3_syntax_options: S3SyntaxOptions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        persist = self.persist

        s_3_syntax_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.s_3_syntax_options, Unset):
            s_3_syntax_options = self.s_3_syntax_options.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if persist is not UNSET:
            field_dict["persist"] = persist
        if s_3_syntax_options is not UNSET:
            field_dict["s3SyntaxOptions"] = s_3_syntax_options

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions
        from ..models.s3_syntax_options import S3SyntaxOptions

        d = dict(src_dict)
        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        persist = d.pop("persist", UNSET)

        _s_3_syntax_options = d.pop("s3SyntaxOptions", UNSET)
        s_3_syntax_options: S3SyntaxOptions | Unset
        if isinstance(_s_3_syntax_options, Unset):
            s_3_syntax_options = UNSET
        else:
            s_3_syntax_options = S3SyntaxOptions.from_dict(_s_3_syntax_options)

        rename_options = cls(
            common_options=common_options,
            persist=persist,
            s_3_syntax_options=s_3_syntax_options,
        )

        rename_options.additional_properties = d
        return rename_options

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
