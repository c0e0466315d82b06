"""Typed Python client for the Alluxio REST proxy.

>>> import alluxio
>>> with alluxio.Client("localhost", 39999) as client:
...     client.ls("/")

Public names: :class:`Client` (with :class:`~alluxio.client.Reader` and
:class:`~alluxio.client.Writer`), the modules :mod:`alluxio.option`, :mod:`alluxio.wire` and
:mod:`alluxio.exceptions`, as in the 0.1.x client; :class:`AsyncClient` (its asyncio/trio
counterpart, in :mod:`alluxio.aio`).
"""

from importlib.metadata import PackageNotFoundError, version

from . import _logs, exceptions, option, wire
from ._retry import RetryPolicy
from .aio import AsyncClient
from .client import Client, Reader, Writer

_logs.install()

try:
    __version__ = version("alluxio-py")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

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
