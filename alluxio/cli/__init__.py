"""``alluxio-py``: the command line for the Alluxio REST proxy.

Installed with the ``cli`` extra (``pip install 'alluxio-py[cli]'``); run ``alluxio-py --help``
or ``python -m alluxio.cli --help``. The proxy comes from ``--proxy URL`` or the
``ALLUXIO_PROXY`` environment variable (default ``http://localhost:39999``).

Exit status: 0 on success, 1 when Alluxio or the connection reported an error (one line on
stderr naming the path and the status), 2 for usage errors, 130 when interrupted.
"""

from ._app import DEFAULT_PROXY, app, main, run

__all__ = ["DEFAULT_PROXY", "app", "main", "run"]
