"""``python -m alluxio.cli``: the same as the ``alluxio-py`` command."""

from . import main

if __name__ == "__main__":
    main()
