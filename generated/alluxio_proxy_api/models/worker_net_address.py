from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tiered_identity import TieredIdentity


T = TypeVar("T", bound="WorkerNetAddress")


@_attrs_define
class WorkerNetAddress:
    """Network address of an Alluxio worker.

    Example:
        {'host': 'worker-1.example.com', 'rpcPort': 29999, 'dataPort': 29999, 'webPort': 30000, 'domainSocketPath': ''}

    Attributes:
        host (str | Unset): Host name.
        container_host (str | Unset): Host name of the machine running the worker's container, if any.
        rpc_port (int | Unset): RPC port.
        data_port (int | Unset): Data port.
        web_port (int | Unset): Web UI port.
        domain_socket_path (str | Unset): Unix domain socket path for short-circuit reads, or empty.
        tiered_identity (TieredIdentity | Unset): Locality of a worker, from the most to the least specific level.
            Example: {'tiers': [{'tierName': 'node', 'value': 'worker-1.example.com'}, {'tierName': 'rack', 'value':
            None}]}.
    """

    host: str | Unset = UNSET
    container_host: str | Unset = UNSET
    rpc_port: int | Unset = UNSET
    data_port: int | Unset = UNSET
    web_port: int | Unset = UNSET
    domain_socket_path: str | Unset = UNSET
    tiered_identity: TieredIdentity | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        host = self.host

        container_host = self.container_host

        rpc_port = self.rpc_port

        data_port = self.data_port

        web_port = self.web_port

        domain_socket_path = self.domain_socket_path

        tiered_identity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.tiered_identity, Unset):
            tiered_identity = self.tiered_identity.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if host is not UNSET:
            field_dict["host"] = host
        if container_host is not UNSET:
            field_dict["containerHost"] = container_host
        if rpc_port is not UNSET:
            field_dict["rpcPort"] = rpc_port
        if data_port is not UNSET:
            field_dict["dataPort"] = data_port
        if web_port is not UNSET:
            field_dict["webPort"] = web_port
        if domain_socket_path is not UNSET:
            field_dict["domainSocketPath"] = domain_socket_path
        if tiered_identity is not UNSET:
            field_dict["tieredIdentity"] = tiered_identity

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.tiered_identity import TieredIdentity

        d = dict(src_dict)
        host = d.pop("host", UNSET)

        container_host = d.pop("containerHost", UNSET)

        rpc_port = d.pop("rpcPort", UNSET)

        data_port = d.pop("dataPort", UNSET)

        web_port = d.pop("webPort", UNSET)

        domain_socket_path = d.pop("domainSocketPath", UNSET)

        _tiered_identity = d.pop("tieredIdentity", UNSET)
        tiered_identity: TieredIdentity | Unset
        if isinstance(_tiered_identity, Unset):
            tiered_identity = UNSET
        else:
            tiered_identity = TieredIdentity.from_dict(_tiered_identity)

        worker_net_address = cls(
            host=host,
            container_host=container_host,
            rpc_port=rpc_port,
            data_port=data_port,
            web_port=web_port,
            domain_socket_path=domain_socket_path,
            tiered_identity=tiered_identity,
        )

        worker_net_address.additional_properties = d
        return worker_net_address

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
