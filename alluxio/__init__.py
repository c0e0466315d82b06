"""Typed Python client for the Alluxio REST proxy.

Public names: :class:`Client` (with :class:`~alluxio.client.Reader` and
:class:`~alluxio.client.Writer`), the modules :mod:`alluxio.option`, :mod:`alluxio.wire` and
:mod:`alluxio.exceptions`, as in the 0.1.x client; :class:`AsyncClient` (its asyncio/trio
counterpart, in :mod:`alluxio.aio`).

Examples:
    >>> import alluxio
    >>> with alluxio.Client("localhost", 39999) as client:
    ...     client.ls("/")
"""

from typing import TYPE_CHECKING, Any

from . import exceptions
from ._version import __version__

if TYPE_CHECKING:
    from . import option, wire
    from ._retry import RetryPolicy
    from .aio import AsyncClient
    from .client import Client, Reader, Writer

# The clients (httpx, httpcore and the transports) and the option and wire modules are
# imported on first use, so that `import alluxio.exceptions` or the command line's
# `--version` and `--help` stay fast.
_SUBMODULES = ("option", "wire")
_LAZY = {
    "AsyncClient": "aio",
    "Client": "client",
    "Reader": "client",
    "Writer": "client",
    "RetryPolicy": "_retry",
}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "AsyncClient",
    "Client",
    "Reader",
    "RetryPolicy",
    "Writer",
    "__version__",
    "exceptions",
    "option",
    "wire",
]
