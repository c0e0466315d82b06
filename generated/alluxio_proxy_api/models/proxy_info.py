from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.proxy_info_configuration import ProxyInfoConfiguration


T = TypeVar("T", bound="ProxyInfo")


@_attrs_define
class ProxyInfo:
    """The proxy's version, start time, uptime and configuration.

    Example:
        {'configuration': {'alluxio.proxy.web.port': 39999, 'alluxio.debug': False, 'alluxio.home': '/opt/alluxio',
            'alluxio.fuse.auth.policy.custom.user': None}, 'startTimeMs': 1700000000000, 'uptimeMs': 3600000, 'version':
            '2.9.6'}

    Attributes:
        configuration (ProxyInfoConfiguration | Unset): Configuration property name to value. Values keep their JSON
            type: strings,
            booleans, numbers, or null for unset properties.
        start_time_ms (int | Unset): Start time of the proxy, milliseconds since the epoch.
        uptime_ms (int | Unset): Milliseconds since the proxy started.
        version (str | Unset): Alluxio version of the proxy.
    """

    configuration: ProxyInfoConfiguration | Unset = UNSET
    start_time_ms: int | Unset = UNSET
    uptime_ms: int | Unset = UNSET
    version: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.configuration, Unset):
            configuration = self.configuration.to_dict()

        start_time_ms = self.start_time_ms

        uptime_ms = self.uptime_ms

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if configuration is not UNSET:
            field_dict["configuration"] = configuration
        if start_time_ms is not UNSET:
            field_dict["startTimeMs"] = start_time_ms
        if uptime_ms is not UNSET:
            field_dict["uptimeMs"] = uptime_ms
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.proxy_info_configuration import ProxyInfoConfiguration

        d = dict(src_dict)
        _configuration = d.pop("configuration", UNSET)
        configuration: ProxyInfoConfiguration | Unset
        if isinstance(_configuration, Unset):
            configuration = UNSET
        else:
            configuration = ProxyInfoConfiguration.from_dict(_configuration)

        start_time_ms = d.pop("startTimeMs", UNSET)

        uptime_ms = d.pop("uptimeMs", UNSET)

        version = d.pop("version", UNSET)

        proxy_info = cls(
            configuration=configuration,
            start_time_ms=start_time_ms,
            uptime_ms=uptime_ms,
            version=version,
        )

        proxy_info.additional_properties = d
        return proxy_info

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
