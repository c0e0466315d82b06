"""A client library for accessing Alluxio Proxy REST API"""

# The HTTP client (httpx, attrs) is imported on first use: alluxio.option and alluxio.wire
# import this package's facade/, and `alluxio-py --version` must not pay for httpx.
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = (
    "AuthenticatedClient",
    "Client",
)
