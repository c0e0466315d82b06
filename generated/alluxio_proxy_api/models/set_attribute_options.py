from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ttl_action import TtlAction
from ..models.x_attr_update_strategy import XAttrUpdateStrategy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.common_options import CommonOptions
    from ..models.mode import Mode
    from ..models.x_attr import XAttr


T = TypeVar("T", bound="SetAttributeOptions")


@_attrs_define
class SetAttributeOptions:
    """Options of `set-attribute`: the attributes to change; absent fields stay unchanged.
    In 2.x the TTL goes in `commonOptions`; the top-level `ttl`/`ttlAction` are 1.x only.

        Example:
            {'owner': 'alice', 'group': 'staff', 'mode': {'ownerBits': 'READ_WRITE', 'groupBits': 'READ', 'otherBits':
                'NONE'}, 'recursive': True}

        Attributes:
            pinned (bool | Unset): Pin the file in Alluxio storage (not evicted).
            persisted (bool | Unset): Mark the file as persisted.
            owner (str | Unset): New owner.
            group (str | Unset): New group.
            mode (Mode | Unset): Permission of a path in requests, as three named `Bits` values (responses carry the
                mode as an integer instead, see `FileInfo.mode`). All three are required: a partial
                mode gives HTTP 500 with the text `Message missing required fields: groupBits, otherBits`.
                 Example: {'ownerBits': 'ALL', 'groupBits': 'READ_EXECUTE', 'otherBits': 'READ_EXECUTE'}.
            recursive (bool | Unset): Apply to the whole subtree.
            replication_max (int | Unset): Maximum number of block replicas in Alluxio (`-1` = no limit).
            replication_min (int | Unset): Minimum number of block replicas kept in Alluxio.
            common_options (CommonOptions | Unset): Options shared by every operation (`commonOptions` field of each options
                object).
                In 2.x this is the only place for `ttl`/`ttlAction`.
                 Example: {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}.
            pinned_media (list[str] | Unset): Storage media types the pinned file must stay on (e.g. `MEM`, `SSD`).
            xattr (XAttr | Unset): Extended attributes: attribute name to value, the value being base64-encoded bytes
                (protobuf `bytes` in JSON form).
                 Example: {'user.origin': 'aW5nZXN0'}.
            xattr_update_strategy (XAttrUpdateStrategy | Unset): How `SetAttributeOptions.xattr` is applied: `TRUNCATE`
                (replace all), `UNION_REPLACE`
                (merge, new values win), `UNION_PRESERVE` (merge, old values win), `DELETE_KEYS`
                (remove the given keys).
                 Example: UNION_REPLACE.
            direct_children_loaded (bool | Unset): Internal flag marking a directory's children as loaded.
            ttl (int | Unset): 1.x only: time to live in milliseconds (2.x uses `commonOptions.ttl`).
            ttl_action (TtlAction | Unset): What happens when a TTL expires. `DELETE`: delete from Alluxio and the under
                storage;
                `FREE`: remove from Alluxio only; `DELETE_ALLUXIO` (2.x only): delete from Alluxio,
                keeping the under-storage data.
                 Example: FREE.
    """

    pinned: bool | Unset = UNSET
    persisted: bool | Unset = UNSET
    owner: str | Unset = UNSET
    group: str | Unset = UNSET
    mode: Mode | Unset = UNSET
    recursive: bool | Unset = UNSET
    replication_max: int | Unset = UNSET
    replication_min: int | Unset = UNSET
    common_options: CommonOptions | Unset = UNSET
    pinned_media: list[str] | Unset = UNSET
    xattr: XAttr | Unset = UNSET
    xattr_update_strategy: XAttrUpdateStrategy | Unset = UNSET
    direct_children_loaded: bool | Unset = UNSET
    ttl: int | Unset = UNSET
    ttl_action: TtlAction | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pinned = self.pinned

        persisted = self.persisted

        owner = self.owner

        group = self.group

        mode: dict[str, Any] | Unset = UNSET
        if not isinstance(self.mode, Unset):
            mode = self.mode.to_dict()

        recursive = self.recursive

        replication_max = self.replication_max

        replication_min = self.replication_min

        common_options: dict[str, Any] | Unset = UNSET
        if not isinstance(self.common_options, Unset):
            common_options = self.common_options.to_dict()

        pinned_media: list[str] | Unset = UNSET
        if not isinstance(self.pinned_media, Unset):
            pinned_media = self.pinned_media

        xattr: dict[str, Any] | Unset = UNSET
        if not isinstance(self.xattr, Unset):
            xattr = self.xattr.to_dict()

        xattr_update_strategy: str | Unset = UNSET
        if not isinstance(self.xattr_update_strategy, Unset):
            xattr_update_strategy = self.xattr_update_strategy.value

        direct_children_loaded = self.direct_children_loaded

        ttl = self.ttl

        ttl_action: str | Unset = UNSET
        if not isinstance(self.ttl_action, Unset):
            ttl_action = self.ttl_action.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if pinned is not UNSET:
            field_dict["pinned"] = pinned
        if persisted is not UNSET:
            field_dict["persisted"] = persisted
        if owner is not UNSET:
            field_dict["owner"] = owner
        if group is not UNSET:
            field_dict["group"] = group
        if mode is not UNSET:
            field_dict["mode"] = mode
        if recursive is not UNSET:
            field_dict["recursive"] = recursive
        if replication_max is not UNSET:
            field_dict["replicationMax"] = replication_max
        if replication_min is not UNSET:
            field_dict["replicationMin"] = replication_min
        if common_options is not UNSET:
            field_dict["commonOptions"] = common_options
        if pinned_media is not UNSET:
            field_dict["pinnedMedia"] = pinned_media
        if xattr is not UNSET:
            field_dict["xattr"] = xattr
        if xattr_update_strategy is not UNSET:
            field_dict["xattrUpdateStrategy"] = xattr_update_strategy
        if direct_children_loaded is not UNSET:
            field_dict["directChildrenLoaded"] = direct_children_loaded
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
        pinned = d.pop("pinned", UNSET)

        persisted = d.pop("persisted", UNSET)

        owner = d.pop("owner", UNSET)

        group = d.pop("group", UNSET)

        _mode = d.pop("mode", UNSET)
        mode: Mode | Unset
        if isinstance(_mode, Unset):
            mode = UNSET
        else:
            mode = Mode.from_dict(_mode)

        recursive = d.pop("recursive", UNSET)

        replication_max = d.pop("replicationMax", UNSET)

        replication_min = d.pop("replicationMin", UNSET)

        _common_options = d.pop("commonOptions", UNSET)
        common_options: CommonOptions | Unset
        if isinstance(_common_options, Unset):
            common_options = UNSET
        else:
            common_options = CommonOptions.from_dict(_common_options)

        pinned_media = cast(list[str], d.pop("pinnedMedia", UNSET))

        _xattr = d.pop("xattr", UNSET)
        xattr: XAttr | Unset
        if isinstance(_xattr, Unset):
            xattr = UNSET
        else:
            xattr = XAttr.from_dict(_xattr)

        _xattr_update_strategy = d.pop("xattrUpdateStrategy", UNSET)
        xattr_update_strategy: XAttrUpdateStrategy | Unset
        if isinstance(_xattr_update_strategy, Unset):
            xattr_update_strategy = UNSET
        else:
            xattr_update_strategy = XAttrUpdateStrategy(_xattr_update_strategy)

        direct_children_loaded = d.pop("directChildrenLoaded", UNSET)

        ttl = d.pop("ttl", UNSET)

        _ttl_action = d.pop("ttlAction", UNSET)
        ttl_action: TtlAction | Unset
        if isinstance(_ttl_action, Unset):
            ttl_action = UNSET
        else:
            ttl_action = TtlAction(_ttl_action)

        set_attribute_options = cls(
            pinned=pinned,
            persisted=persisted,
            owner=owner,
            group=group,
            mode=mode,
            recursive=recursive,
            replication_max=replication_max,
            replication_min=replication_min,
            common_options=common_options,
            pinned_media=pinned_media,
            xattr=xattr,
            xattr_update_strategy=xattr_update_strategy,
            direct_children_loaded=direct_children_loaded,
            ttl=ttl,
            ttl_action=ttl_action,
        )

        set_attribute_options.additional_properties = d
        return set_attribute_options

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
