"""``alluxio-py``: the command line for the Alluxio REST proxy.

Installed with the ``cli`` extra (``pip install 'alluxio-py[cli]'``); run ``alluxio-py --help``
or ``python -m alluxio.cli --help``. The proxy comes from ``--proxy URL``, the
``ALLUXIO_PROXY`` environment variable or a profile of the configuration file (default
``http://localhost:39999``).

Exit status: 0 on success, 1 when Alluxio or the connection reported an error (one line on
stderr naming the path and the status), 2 for usage errors, 130 when interrupted.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from ._app import DEFAULT_PROXY, app, run

__all__ = ["DEFAULT_PROXY", "app", "main", "run"]


def main() -> NoReturn:
    """Console entry point of ``alluxio-py``.

    ``alluxio-py --version`` and ``--help`` alone are answered without importing the command
    line (Typer and every command): people type them in loops and scripts, and they should
    start at once.
    """
    if sys.argv[1:] == ["--version"]:
        from .._version import __version__

        print(f"alluxio-py {__version__}")
        sys.exit(0)
    if sys.argv[1:] == ["--help"] and _wide_terminal():
        # The same text Typer prints (generated from it; a test compares them), without
        # building the application: Click wraps help at 78 columns on any terminal this wide.
        from ._top_help import TOP_HELP

        sys.stdout.write(TOP_HELP)
        sys.exit(0)
    _skip_unused_imports()
    from ._app import main as app_main

    app_main()


_UNUSED = ("trio",)
"""Packages that this process's libraries import when they are installed, for features it
never uses: trio (httpcore's async locks under trio; this process runs no async code).
httpcore expects the import to fail when the package is missing (``except ImportError``),
and ``None`` in ``sys.modules`` makes it fail: about 0.1 s of every command's start-up in
an environment that has trio (the test dependencies bring it)."""


def _skip_unused_imports() -> None:
    """Make the imports of :data:`_UNUSED` fail in this (console) process. Not done when
    ``alluxio.cli`` is imported as a library, whose process may want them."""
    for name in _UNUSED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


def _wide_terminal() -> bool:
    import shutil

    return shutil.get_terminal_size().columns >= 80


def __getattr__(name: str) -> Any:
    # The Typer application is imported on first use (see main).
    if name in ("DEFAULT_PROXY", "app", "run"):
        from . import _app

        value = getattr(_app, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
