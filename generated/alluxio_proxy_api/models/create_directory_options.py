from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ttl_action import TtlAction
from ..models.write_type import WriteType
from ..models.x_attr_propagation_strategy import XAttrPropagationStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.mode import Mode
    from ..models.x_attr import XAttr


T = TypeVar("T", bound="CreateDirectoryOptions")


@_attrs_define
class CreateDirectoryOptions:
    """Options of `create-directory`. Every field is optional.

    Example:
        {'recursive': True, 'allowExists': False, 'mode': {'ownerBits': 'ALL', 'groupBits': 'READ_EXECUTE', 'otherBits':
            'READ_EXECUTE'}, 'writeType': 'CACHE_THROUGH'}

    Attributes:
        recursive (bool | Unset): Create missing parent directories.
        allow_exists (bool | Unset): Succeed if the directory already exists.
        mode (Mode | Unset): Permission of a path in requests, as three named `Bits` values (responses carry the
            mode as an integer instead, see `FileInfo.mode`). All three are required: a partial
            mode gives HTTP 500 with the text `Message missing required fields: groupBits, otherBits`.
             Example: {'ownerBits': 'ALL', 'groupBits': 'READ_EXECUTE', 'otherBits': 'READ_EXECUTE'}.
        write_type (WriteType | Unset): Where written data goes. `MUST_CACHE`: Alluxio only; `TRY_CACHE`: Alluxio if
            space
            allows; `CACHE_THROUGH`: Alluxio and the under storage synchronously; `THROUGH`: under
            storage only; `ASYNC_THROUGH`: Alluxio, persisted asynchronously; `NONE`: no storage
            (not for files with data). Default: `alluxio.user.file.writetype.default` of the proxy.
             Example: CACHE_THROUGH.
        common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
            object).
            In 2.x this is the only place for `ttl`/`ttlAction`.
             Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
        xattr (XAttr | Unset): Extended attributes: attribute name to value, the value being base64-encoded bytes
            (protobuf `bytes` in JSON form).
             Example: {'user.origin': 'aW5nZXN0'}.
        xattr_prop_strat (XAttrPropagationStrategy | Unset): Which created paths receive the extended attributes:
            `NEW_PATHS` (all directories
            created by a recursive create) or `LEAF_NODE` (only the last one).
             Example: NEW_PATHS.
        check_s3_bucket_path (bool | Unset): Check that the path lies inside an existing bucket of the proxy's S3 API.
        ttl (int | Unset): 1.x only: time to live in milliseconds (2.x uses `commonOptions.ttl`).
        ttl_action (TtlAction | Unset): What happens when a TTL expires. `DELETE`: delete from Alluxio and the under
            storage;
            `FREE`: remove from Alluxio only; `DELETE_ALLUXIO` (2.x only): delete from Alluxio,
            keeping the under-storage data.
             Example: FREE.
    """

    recursive: bool | Unset = UNSET
    allow_exists: bool | Unset = UNSET
    mode: Mode | Unset = UNSET
    write_type: WriteType | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    xattr: XAttr | Unset = UNSET
    xattr_prop_strat: XAttrPropagationStrategy | Unset = UNSET
    check_s3_bucket_path: bool | Unset = UNSET
    ttl: int | Unset = UNSET
    ttl_action: TtlAction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recursive = self.recursive

        allow_exists = self.allow_exists

        mode: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.to_dict()

        write_type: str | Unset = UNSET
        if not isinstance(self.write_type, Unset):
            write_type = self.write_type.value

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        xattr: dict[str, Any] | Unset = UNSET
        if not isinstance(self.xattr, Unset):
            xattr = self.xattr.to_dict()

        xattr_prop_strat: str | Unset = UNSET
        if not isinstance(self.xattr_prop_strat, Unset):
            xattr_prop_strat = self.xattr_prop_strat.value

        check_s3_bucket_path = self.check_s3_bucket_path

        ttl = self.ttl

        ttl_action: str | Unset = UNSET
        if not isinstance(self.ttl_action, Unset):
            ttl_action = self.ttl_action.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if recursive is not UNSET:
            field_dict["recursive"] = recursive
        if allow_exists is not UNSET:
            field_dict["allowExists"] = allow_exists
        if mode is not UNSET:
            field_dict["mode"] = mode
        if write_type is not UNSET:
            field_dict["writeType"] = write_type
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if xattr is not UNSET:
            field_dict["xattr"] = xattr
        if xattr_prop_strat is not UNSET:
            field_dict["xattrPropStrat"] = xattr_prop_strat
        if check_s3_bucket_path is not UNSET:
            field_dict["checkS3BucketPath"] = check_s3_bucket_path
        if ttl is not UNSET:
            field_dict["ttl"] = ttl
        if ttl_action is not UNSET:
            field_dict["ttlAction"] = ttl_action

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.common_options import CommonOptions
        from ..models.mode import Mode
        from ..models.x_attr import XAttr

        d = dict(src_dict)
        recursive = d.pop("recursive", UNSET)

        allow_exists = d.pop("allowExists", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: Mode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = Mode.from_dict(_mode)

        _write_type = d.pop("writeType", UNSET)
        write_type: WriteType | Unset
        if isinstance(_write_type, Unset):
            write_type = UNSET
        else:
            write_type = WriteType(_write_type)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        _xattr = d.pop("xattr", UNSET)
        xattr: XAttr | Unset
        if isinstance(_xattr, Unset):
            xattr = UNSET
        else:
            xattr = XAttr.from_dict(_xattr)

        _xattr_prop_strat = d.pop("xattrPropStrat", UNSET)
        xattr_prop_strat: XAttrPropagationStrategy | Unset
        if isinstance(_xattr_prop_strat, Unset):
            xattr_prop_strat = UNSET
        else:
            xattr_prop_strat = XAttrPropagationStrategy(_xattr_prop_strat)

        check_s3_bucket_path = d.pop("checkS3BucketPath", UNSET)

        ttl = d.pop("ttl", UNSET)

        _ttl_action = d.pop("ttlAction", UNSET)
        ttl_action: TtlAction | Unset
        if isinstance(_ttl_action, Unset):
            ttl_action = UNSET
        else:
            ttl_action = TtlAction(_ttl_action)

        create_directory_options = cls(
            recursive=recursive,
            allow_exists=allow_exists,
            mode=mode,
            write_type=write_type,
            common_options=common_options,
            xattr=xattr,
            xattr_prop_strat=xattr_prop_strat,
            check_s3_bucket_path=check_s3_bucket_path,
            ttl=ttl,
            ttl_action=ttl_action,
        )

        create_directory_options.additional_properties = d
        return create_directory_options

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
