"""Keeping mount credentials out of httpx's request log.

httpx logs every request at INFO (``HTTP Request: POST <url> "HTTP/1.1 200 OK"``), and a
mount's under-storage address travels in the URL's ``src`` query parameter. An address may
carry credentials (``s3a://key:secret@bucket/``); this filter, installed on the ``httpx``
logger when :mod:`alluxio` is imported, replaces them with ``***`` in those records. It
changes nothing else, for any client in the process.
"""

from __future__ import annotations

import logging

import httpx

from ._core import _mount_secrets

__all__ = ["install"]


class _MountSourceFilter(logging.Filter):
    """Redacts credentials in the ``src`` parameter of the URLs in a log record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(_has_src(arg) for arg in args):
            record.args = tuple(_redacted(arg) if _has_src(arg) else arg for arg in args)
        return True


def _has_src(arg: object) -> bool:
    return isinstance(arg, httpx.URL) and b"src=" in arg.query


def _redacted(url: object) -> object:
    assert isinstance(url, httpx.URL)
    src = url.params.get("src")
    secrets = _mount_secrets(src, None) if src else []
    if not src or not secrets:
        return url
    for secret in sorted(secrets, key=len, reverse=True):  # longest first: whole secrets
        src = src.replace(secret, "***")
    return url.copy_set_param("src", src)


_FILTER = _MountSourceFilter()


def install() -> None:
    """Add the filter to the ``httpx`` logger (once)."""
    logger = logging.getLogger("httpx")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
