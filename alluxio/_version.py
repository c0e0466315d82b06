"""The version of alluxio-py: written here once (pyproject.toml reads it through hatchling).

A module rather than the installed metadata so that ``alluxio-py --version`` does not import
``importlib.metadata`` (tens of milliseconds of the command line's start).
"""

__version__ = "0.2.0"
