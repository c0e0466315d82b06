"""The two JSON dialects of the proxy's option bodies, and translation into them.

Options are built in the 0.1.x client's form (:meth:`alluxio.option.CreateFile.json`):
``ttl``/``ttlAction`` at the top level, ``LoadMetadataType`` in whatever spelling the user chose.

- ``"2.x"`` proxies bind options to protobuf messages: ``ttl``/``ttlAction`` live only inside
  ``commonOptions``, enum names are the proto names (``NEVER``), and unknown fields are rejected
  with HTTP 400, so the 1.x-only Java location-policy fields cannot be sent at all.
- ``"1.x"`` proxies bind Java beans: ``ttl``/``ttlAction`` at the top level and
  ``LoadMetadataType`` spelled ``Never``/``Once``/``Always``; the 2.x-only fields cannot be sent.

Which fields and enum values each dialect has comes from the spec (``x-alluxio-versions``);
the translation itself is in :func:`alluxio._facade.to_dialect`.
"""

from __future__ import annotations

from typing import Final, Literal

from ._facade import to_dialect

__all__ = ["DIALECTS", "Dialect", "dialect_of_version", "to_dialect"]

Dialect = Literal["2.x", "1.x"]
DIALECTS: Final[tuple[Dialect, ...]] = ("2.x", "1.x")


def dialect_of_version(version: str) -> Dialect:
    """The dialect of a proxy reporting ``version`` (from ``GET /api/v1/proxy/info``)."""
    major = version.strip().split(".", 1)[0]
    return "1.x" if major == "1" else "2.x"
