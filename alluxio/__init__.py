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

from . import exceptions, option, wire

if TYPE_CHECKING:
    from ._retry import RetryPolicy
    from .aio import AsyncClient
    from .client import Client, Reader, Writer

    __version__: str

# The clients (httpx, httpcore and the transports) are imported on first use, so that
# `import alluxio.option` or the command line's `--version` and `--help` stay fast.
_LAZY = {
    "AsyncClient": "aio",
    "Client": "client",
    "Reader": "client",
    "Writer": "client",
    "RetryPolicy": "_retry",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("alluxio-py")
        except PackageNotFoundError:  # running from a source tree without installation
            value = "0.0.0"
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
