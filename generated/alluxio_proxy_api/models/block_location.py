from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.worker_net_address import WorkerNetAddress


T = TypeVar("T", bound="BlockLocation")


@_attrs_define
class BlockLocation:
    """Where one replica of a block is stored.

    Example:
        {'workerId': 6422418462138146817, 'workerAddress': {'host': 'worker-1.example.com', 'rpcPort': 29999,
            'dataPort': 29999, 'webPort': 30000}, 'tierAlias': 'MEM', 'mediumType': 'MEM'}

    Attributes:
        worker_id (int | Unset): Id of the worker holding the replica.
        worker_address (WorkerNetAddress | Unset): Network address of an Alluxio worker. Example: {'host':
            'worker-1.example.com', 'rpcPort': 29999, 'dataPort': 29999, 'webPort': 30000, 'domainSocketPath': ''}.
        tier_alias (str | Unset): Storage tier of the replica (`MEM`, `SSD`, `HDD`).
        medium_type (str | Unset): Storage medium of the replica.
    """

    worker_id: int | Unset = UNSET
    worker_address: WorkerNetAddress | Unset = UNSET
    tier_alias: str | Unset = UNSET
    medium_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        worker_id = self.worker_id

        worker_address: dict[str, Any] | Unset = UNSET
        if not isinstance(self.worker_address, Unset):
            worker_address = self.worker_address.to_dict()

        tier_alias = self.tier_alias

        medium_type = self.medium_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if worker_id is not UNSET:
            field_dict["workerId"] = worker_id
        if worker_address is not UNSET:
            field_dict["workerAddress"] = worker_address
        if tier_alias is not UNSET:
            field_dict["tierAlias"] = tier_alias
        if medium_type is not UNSET:
            field_dict["mediumType"] = medium_type

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.worker_net_address import WorkerNetAddress

        d = dict(src_dict)
        worker_id = d.pop("workerId", UNSET)

        _worker_address = d.pop("workerAddress", UNSET)
        worker_address: WorkerNetAddress | Unset
        if isinstance(_worker_address, Unset):
            worker_address = UNSET
        else:
            worker_address = WorkerNetAddress.from_dict(_worker_address)

        tier_alias = d.pop("tierAlias", UNSET)

        medium_type = d.pop("mediumType", UNSET)

        block_location = cls(
            worker_id=worker_id,
            worker_address=worker_address,
            tier_alias=tier_alias,
            medium_type=medium_type,
        )

        block_location.additional_properties = d
        return block_location

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
