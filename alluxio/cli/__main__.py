"""``python -m alluxio.cli``: the same as the ``alluxio-py`` command."""

from ._app import main

if __name__ == "__main__":
    main()
