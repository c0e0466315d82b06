"""The two JSON dialects of the proxy's option bodies, and translation into them.

Options are built in the 0.1.x client's form (:meth:`alluxio.option.CreateFile.json`):
``ttl``/``ttlAction`` at the top level, ``LoadMetadataType`` in whatever spelling the user chose.

- ``"2.x"`` proxies bind options to protobuf messages: ``ttl``/``ttlAction`` live only inside
  ``commonOptions``, enum names are the proto names (``NEVER``), and unknown fields are rejected
  with HTTP 400, so the 1.x-only Java location-policy fields cannot be sent at all.
- ``"1.x"`` proxies bind Java beans: ``ttl``/``ttlAction`` at the top level and
  ``LoadMetadataType`` spelled ``Never``/``Once``/``Always``.
"""

from __future__ import annotations

from typing import Any, Final, Literal

__all__ = ["DIALECTS", "Dialect", "dialect_of_version", "to_dialect"]

Dialect = Literal["2.x", "1.x"]
DIALECTS: Final[tuple[Dialect, ...]] = ("2.x", "1.x")

_COMMON_KEYS: Final = ("ttl", "ttlAction")
_ONLY_1X: Final = frozenset(
    {"locationPolicyClass", "cacheLocationPolicyClass", "ufsReadLocationPolicyClass"}
)
_LOAD_METADATA_1X: Final = {"NEVER": "Never", "ONCE": "Once", "ALWAYS": "Always"}
_OPTION_NAMES: Final = {
    "locationPolicyClass": "location_policy_class",
    "cacheLocationPolicyClass": "cache_location_policy_class",
    "ufsReadLocationPolicyClass": "ufs_read_location_policy_class",
}


def to_dialect(options: dict[str, Any], dialect: Dialect, *, option_name: str) -> dict[str, Any]:
    """Translate 0.1.x-form option JSON into ``dialect``.

    Raises:
        ValueError: An option has no counterpart in ``dialect`` (sending it would be rejected).
    """
    body = dict(options)
    load = body.get("loadMetadataType")
    if dialect == "2.x":
        unsupported = sorted(_OPTION_NAMES[key] for key in body if key in _ONLY_1X)
        if unsupported:
            raise ValueError(
                f"{option_name}: {', '.join(unsupported)} is only understood by 1.x proxies; "
                "this client speaks the 2.x dialect (pass dialect='1.x' for a 1.x proxy)"
            )
        if isinstance(load, str):
            body["loadMetadataType"] = load.upper()
        # No option class has a commonOptions field of its own, so this builds it whole.
        common = {key: body.pop(key) for key in _COMMON_KEYS if key in body}
        if common:
            body["commonOptions"] = common
    else:
        if isinstance(load, str):
            body["loadMetadataType"] = _LOAD_METADATA_1X.get(load.upper(), load)
    return body


def dialect_of_version(version: str) -> Dialect:
    """The dialect of a proxy reporting ``version`` (from ``GET /api/v1/proxy/info``)."""
    major = version.strip().split(".", 1)[0]
    return "1.x" if major == "1" else "2.x"
