"""The ``alluxio-py`` configuration file: named profiles of connection options.

A TOML file, by default ``config.toml`` in the user's configuration directory (platformdirs:
``~/.config/alluxio-py/`` on Linux, ``~/Library/Application Support/alluxio-py/`` on macOS,
``%APPDATA%\\alluxio-py\\`` on Windows); the ``ALLUXIO_PY_CONFIG`` environment variable names
another file. Each ``[profiles.NAME]`` table holds options of the global command line
options' names::

    [profiles.default]
    proxy = "http://localhost:39999"

    [profiles.prod]
    proxy = ["http://proxy-a:39999", "http://proxy-b:39999"]
    timeout = 60
    token = "..."
    headers = { "X-Team" = "data" }

The file is read only when a command needs a proxy (``serve``, ``demo``, ``config path`` and
``--help`` work with a broken file). Token and header values are never printed: not in
errors, not by ``config show``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CONFIG_ENV", "KEYS", "PROFILE_ENV", "ConfigError", "Profile", "config_path", "load"]

CONFIG_ENV = "ALLUXIO_PY_CONFIG"
"""The environment variable naming the configuration file (default: see :func:`config_path`)."""
PROFILE_ENV = "ALLUXIO_PROFILE"
"""The environment variable naming the profile (``--profile`` overrides it)."""
DEFAULT_PROFILE = "default"
"""The profile used when none is named, if the file has one."""

_DIALECTS = ("2.x", "1.x", "auto")
SECRET_KEYS = frozenset({"token", "headers"})
"""Keys whose values are never shown (``config show`` masks them)."""


class ConfigError(ValueError):
    """The configuration file cannot be used: its message names the file, the profile and
    the key (never a secret's value)."""


def config_path() -> Path:
    """The configuration file: ``$ALLUXIO_PY_CONFIG``, else ``config.toml`` in the user's
    configuration directory (which need not exist)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path("alluxio-py", appauthor=False) / "config.toml"


def _string(value: object) -> bool:
    return isinstance(value, str)


def _proxy(value: object) -> bool:
    return (isinstance(value, str) and bool(value)) or (
        isinstance(value, list) and bool(value) and all(isinstance(v, str) and v for v in value)
    )


def _seconds(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _headers(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())


KEYS: Mapping[str, tuple[Any, str]] = {
    "proxy": (_proxy, "a URL or a list of URLs"),
    "dialect": (lambda v: v in _DIALECTS, "one of " + ", ".join(_DIALECTS)),
    "timeout": (_seconds, "a positive number of seconds"),
    "headers": (_headers, "a table of header names to string values"),
    "token": (_string, "a string"),
    "ca_cert": (_string, "a path (string)"),
    "insecure": (lambda v: isinstance(v, bool), "true or false"),
    "cert": (_string, "a path (string)"),
    "key": (_string, "a path (string)"),
    "http_proxy": (_string, "a URL (string)"),
    "trust_env": (lambda v: isinstance(v, bool), "true or false"),
}
"""The keys a profile may hold (the global options' names, ``header`` as ``headers``), each
with its check and what it must be."""

_PATH_KEYS = ("ca_cert", "cert", "key")


@dataclass(frozen=True)
class Profile:
    """One profile of the configuration file, checked."""

    name: str
    path: Path
    values: dict[str, Any] = field(repr=False)  # may hold a token: not in the repr

    def describe(self) -> str:
        """``profile 'prod' of /home/me/.config/alluxio-py/config.toml``."""
        return f"profile {self.name!r} of {self.path}"


def _read(path: Path) -> dict[str, Any] | None:
    """The parsed file, or None when there is none."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        # The message ends with "(at line L, column C)"; it never quotes the file's text.
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _unknown(what: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {what} {name!r}{hint} (known: {', '.join(sorted(known)) or 'none'})"


def _check_profile(path: Path, name: str, table: object) -> Profile:
    where = f"{path}: profile {name!r}"
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: must be a table ([profiles.{name}])")
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in KEYS:
            raise ConfigError(f"{where}: {_unknown('key', key, list(KEYS))}")
        check, expected = KEYS[key]
        if not check(value):
            # A secret's value is never repeated; the others help to see the mistake.
            shown = "" if key in SECRET_KEYS else f", not {value!r}"
            raise ConfigError(f"{where}: {key} must be {expected}{shown}")
        if key in _PATH_KEYS:
            # ~ is the user's home; a relative path is relative to the file's directory.
            value = str(path.parent / Path(value).expanduser())
        if key == "proxy" and isinstance(value, list):
            value = ",".join(value)
        values[key] = value
    return Profile(name, path, values)


def load(path: Path) -> dict[str, Profile] | None:
    """The profiles of the file at ``path``, checked (None when there is no file).

    Raises:
        ConfigError: the file cannot be read, is not TOML, or holds an unknown key or a
            value of the wrong type.
    """
    document = _read(path)
    if document is None:
        return None
    for key in document:
        if key != "profiles":
            raise ConfigError(f"{path}: {_unknown('section', key, ['profiles'])}")
    profiles = document.get("profiles", {})
    if not isinstance(profiles, dict):
        raise ConfigError(f"{path}: profiles must be tables, [profiles.NAME]")
    return {name: _check_profile(path, name, table) for name, table in profiles.items()}


def select(
    profiles: dict[str, Profile] | None, name: str | None, path: Path, named_by: str
) -> Profile | None:
    """The profile ``name`` (named by ``named_by``: ``--profile`` or the environment), or the
    ``default`` profile when no name is given (None if there is none).

    Raises:
        ConfigError: a profile was named and the file has no such profile (or no file).
    """
    if name is None:
        return (profiles or {}).get(DEFAULT_PROFILE)
    if profiles is None:
        raise ConfigError(
            f"profile {name!r} ({named_by}): there is no configuration file {path} "
            f"(write one, or set {CONFIG_ENV} to its path)"
        )
    if name not in profiles:
        raise ConfigError(f"{named_by}: {_unknown('profile', name, list(profiles))} in {path}")
    return profiles[name]
