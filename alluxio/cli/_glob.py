"""Wildcards in Alluxio paths, expanded on the client with listings (the proxy has no glob).

``*`` matches any run of characters within one name, ``?`` one character, ``[abc]``,
``[a-z]`` and ``[!abc]`` one character of (not of) a set, and a whole ``**`` component any
number of directories (zero included). As in a shell, a wildcard does not match a name's
leading ``.`` (write ``.*`` for hidden names), and ``[*]`` matches a literal ``*``.

Patterns must be quoted on the command line (``alluxio-py ls '/data/part-*'``) or the
local shell expands them against local files first.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import Client

__all__ = ["expand", "has_magic", "name_matcher", "split_magic"]

_MAGIC = re.compile(r"[*?\[]")


def has_magic(path: str) -> bool:
    """Whether ``path`` holds a wildcard."""
    return _MAGIC.search(path) is not None


def _translate(component: str) -> str:
    """The regular expression of one name pattern (no ``/``)."""
    out = [] if component.startswith(".") else [r"(?!\.)"]
    i = 0
    while i < len(component):
        char = component[i]
        i += 1
        if char == "*":
            out.append(r"[^/]*")
        elif char == "?":
            out.append(r"[^/]")
        elif char == "[":
            end = i
            if end < len(component) and component[end] in "!^":
                end += 1
            if end < len(component) and component[end] == "]":
                end += 1
            end = component.find("]", end)
            if end < 0:
                out.append(r"\[")  # no closing bracket: a literal [
                continue
            body = component[i:end]
            i = end + 1
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            body = body.replace("\\", r"\\").replace("^", r"\^")
            out.append(f"[{'^/' if negate else ''}{body}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def name_matcher(pattern: str) -> re.Pattern[str]:
    """A compiled matcher of one name pattern (``find -name``)."""
    return re.compile(_translate(pattern) + r"\Z", re.DOTALL)


def _tree_matcher(components: list[str]) -> re.Pattern[str]:
    """The matcher of a relative path pattern in which ``**`` spans directories."""
    parts: list[str] = []
    for index, component in enumerate(components):
        last = index == len(components) - 1
        if component == "**":
            parts.append(r"(?:(?!\.)[^/]+(?:/|\Z))*" if last else r"(?:(?!\.)[^/]+/)*")
        else:
            parts.append(_translate(component) + ("" if last else "/"))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


def split_magic(pattern: str) -> tuple[str, list[str]]:
    """(the directory before the first wildcard, the components from there on)."""
    components = [c for c in pattern.split("/") if c]
    for index, component in enumerate(components):
        if has_magic(component):
            return "/" + "/".join(components[:index]), components[index:]
    return pattern, []


def expand(client: Client, pattern: str) -> list[str]:
    """The Alluxio paths matching ``pattern``, sorted; ``[pattern]`` if it has no wildcard.

    Directories are listed one level at a time, except below a ``**`` (one recursive
    listing). A directory that does not exist matches nothing.

    Raises:
        alluxio.exceptions.AlluxioError: A listing failed for another reason than absence.
        alluxio.exceptions.HTTPError: The HTTP transport failed.
    """
    from .. import option
    from ..exceptions import NotFoundError

    base, components = split_magic(pattern)
    if not components:
        return [pattern]
    found: list[str] = []
    level = [base]
    for index, component in enumerate(components):
        if component == "**" or "**" in components[index:]:
            matcher = _tree_matcher(components[index:])
            for directory in level:
                try:
                    infos = client.list_status(directory, option.ListStatus(recursive=True))
                except NotFoundError:
                    continue
                prefix = directory.rstrip("/") + "/"
                if components[index:] == ["**"]:
                    found.append(directory)  # ** matches zero directories too
                for info in infos:
                    relative = info.path[len(prefix) :]
                    if matcher.match(relative):
                        found.append(info.path)
            return sorted(set(found))
        if not has_magic(component):
            level = [posixpath.join(directory, component) for directory in level]
            continue
        matcher = name_matcher(component)
        last = index == len(components) - 1
        following: list[str] = []
        for directory in level:
            try:
                infos = client.list_status(directory)
            except NotFoundError:
                continue
            if len(infos) == 1 and infos[0].path == directory and not infos[0].folder:
                continue  # a file lists as itself: it has no children to match
            for info in infos:
                if matcher.match(info.name) and (last or info.folder):
                    following.append(info.path)
        level = following
    if not has_magic(components[-1]):
        # The last component was literal: keep only the paths that exist.
        return sorted(path for path in level if client.exists(path))
    return sorted(level)
