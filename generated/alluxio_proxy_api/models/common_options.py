from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.ttl_action import TtlAction
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.operation_id import OperationId


T = TypeVar("T", bound="CommonOptions")


@_attrs_define
class CommonOptions:
    """Options shared by every operation (`commonOptions` field of each options object).
    In 2.x this is the only place for `ttl`/`ttlAction`.

        Example:
            {'syncIntervalMs': 60000, 'ttl': 86400000, 'ttlAction': 'DELETE'}

        Attributes:
            sync_interval_ms (int | Unset): Sync metadata with the under storage when older than this many milliseconds;
                `-1` never syncs, `0` always syncs.
            ttl (int | Unset): Time to live in milliseconds from creation; `-1` means none.
            ttl_action (TtlAction | Unset): What happens when a TTL expires. `DELETE`: delete from Alluxio and the under
                storage;
                `FREE`: remove from Alluxio only; `DELETE_ALLUXIO` (2.x only): delete from Alluxio,
                keeping the under-storage data.
                 Example: FREE.
            operation_id (OperationId | Unset): A client-chosen 128-bit id making a retried operation idempotent on the
                master, as two
                signed 64-bit halves.
                 Example: {'mostSignificantBits': 1234567890123, 'leastSignificantBits': -987654321}.
    """

    sync_interval_ms: int | Unset = UNSET
    ttl: int | Unset = UNSET
    ttl_action: TtlAction | Unset = UNSET
    operation_id: OperationId | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sync_interval_ms = self.sync_interval_ms

        ttl = self.ttl

        ttl_action: str | Unset = UNSET
        if not isinstance(self.ttl_action, Unset):
            ttl_action = self.ttl_action.value

        operation_id: dict[str, Any] | Unset = UNSET
        if not isinstance(self.operation_id, Unset):
            operation_id = self.operation_id.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if sync_interval_ms is not UNSET:
            field_dict["syncIntervalMs"] = sync_interval_ms
        if ttl is not UNSET:
            field_dict["ttl"] = ttl
        if ttl_action is not UNSET:
            field_dict["ttlAction"] = ttl_action
        if operation_id is not UNSET:
            field_dict["operationId"] = operation_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.operation_id import OperationId

        d = dict(src_dict)
        sync_interval_ms = d.pop("syncIntervalMs", UNSET)

        ttl = d.pop("ttl", UNSET)

        _ttl_action = d.pop("ttlAction", UNSET)
        ttl_action: TtlAction | Unset
        if isinstance(_ttl_action, Unset):
            ttl_action = UNSET
        else:
            ttl_action = TtlAction(_ttl_action)

        _operation_id = d.pop("operationId", UNSET)
        operation_id: OperationId | Unset
        if isinstance(_operation_id, Unset):
            operation_id = UNSET
        else:
            operation_id = OperationId.from_dict(_operation_id)

        common_options = cls(
            sync_interval_ms=sync_interval_ms,
            ttl=ttl,
            ttl_action=ttl_action,
            operation_id=operation_id,
        )

        common_options.additional_properties = d
        return common_options

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
