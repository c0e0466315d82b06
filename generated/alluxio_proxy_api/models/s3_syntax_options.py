from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="S3SyntaxOptions")


@_attrs_define
class S3SyntaxOptions:
    """Options used by the proxy's S3 API when it renames objects.

    Example:
        {'overwrite': True, 'isMultipartUpload': False}

    Attributes:
        overwrite (bool | Unset): Overwrite an existing destination.
        is_multipart_upload (bool | Unset): The rename completes a multipart upload.
    """

    overwrite: bool | Unset = UNSET
    is_multipart_upload: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        overwrite = self.overwrite

        is_multipart_upload = self.is_multipart_upload

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if overwrite is not UNSET:
            field_dict["overwrite"] = overwrite
        if is_multipart_upload is not UNSET:
            field_dict["isMultipartUpload"] = is_multipart_upload

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        overwrite = d.pop("overwrite", UNSET)

        is_multipart_upload = d.pop("isMultipartUpload", UNSET)

        s3_syntax_options = cls(
            overwrite=overwrite,
            is_multipart_upload=is_multipart_upload,
        )

        s3_syntax_options.additional_properties = d
        return s3_syntax_options

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
