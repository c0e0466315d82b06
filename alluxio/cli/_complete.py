"""Shell completion of Alluxio paths (bash, zsh, fish through Typer's completion scripts).

``alluxio-py --install-completion`` installs the script for the current shell (or
``--show-completion`` prints it). Completing an argument that starts with ``/`` lists the
directory typed so far on the proxy the command line would use (``--proxy``,
``ALLUXIO_PROXY``, the HTTP options, the profile), with a short timeout: a slow or unreachable proxy
yields no candidates rather than a hanging shell.
"""

from __future__ import annotations

import posixpath
from typing import Any

COMPLETION_TIMEOUT = 1.0
"""Seconds a completion waits for the proxy (connecting, and for its answer)."""

__all__ = ["COMPLETION_TIMEOUT", "complete_remote"]


def _client_options(root: Any) -> tuple[str, dict[str, Any]]:
    from ._app import _origins, resolve_connection

    connection = resolve_connection(dict(root.params), _origins(root))
    return connection.url, connection.http


def complete_remote(ctx: Any, incomplete: str) -> list[str]:
    """The Alluxio paths starting with ``incomplete`` (directories end with ``/``); no
    candidates when it is not an absolute path or the proxy does not answer in time."""
    if not incomplete.startswith("/"):
        return []
    directory, _, prefix = incomplete.rpartition("/")
    directory = directory or "/"
    try:
        from ..client import Client

        url, http = _client_options(ctx.find_root())
        with Client.from_url(
            url,
            timeout=COMPLETION_TIMEOUT,
            connect_timeout=COMPLETION_TIMEOUT,
            retries=False,
            **http,
        ) as client:
            infos = client.list_status(directory)
    except Exception:  # completion must never print a traceback into the shell
        return []
    candidates = []
    for info in infos:
        name = posixpath.basename(info.path)
        if not name.startswith(prefix) or (name.startswith(".") and not prefix.startswith(".")):
            continue
        path = posixpath.join(directory, name)
        candidates.append(path + "/" if info.folder else path)
    return sorted(candidates)
