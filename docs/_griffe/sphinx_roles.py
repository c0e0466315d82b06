"""Griffe extension: Sphinx roles in docstrings become mkdocstrings links.

The package's docstrings use reStructuredText roles (``:class:`Client```,
``:meth:`~alluxio.Client.open```), which Markdown would show verbatim. This
rewrites each role into an autorefs link: resolved in the scope of the object
the docstring belongs to, shown as code, and *optional*, so a name that has no
page (a builtin, a private helper) stays plain code instead of failing the
strict build.
"""

from __future__ import annotations

import html
import re
from typing import Any

from griffe import Extension, Module, NameResolutionError, Object

_ROLE = re.compile(
    r":(?:class|meth|func|mod|attr|data|exc|obj|const):`(?P<target>[^`]+)`"
)
_ROOTS = ("alluxio", "alluxio_proxy_api")


def _path(owner: Object, target: str) -> str | None:
    """Dotted path of ``target`` seen from ``owner``'s docstring, if ours."""
    if target.split(".", 1)[0] in _ROOTS:
        return target
    head, _, rest = target.partition(".")
    scopes: list[Object] = [owner]
    if owner.parent is not None:
        scopes.append(owner.parent)
    for scope in scopes:
        try:
            resolved = scope.resolve(head)
        except NameResolutionError:
            continue
        return f"{resolved}.{rest}" if rest else resolved
    return None


def _rewrite(owner: Object, text: str) -> str:
    def link(match: re.Match[str]) -> str:
        target = match["target"].strip()
        short = target.startswith("~")
        target = target.lstrip("~.").removesuffix("()")
        title = target.rsplit(".", 1)[-1] if short else target
        code = f"<code>{html.escape(title)}</code>"
        path = _path(owner, target)
        if path is None:
            return code
        identifier = html.escape(path)
        return f'<autoref identifier="{identifier}" optional>{code}</autoref>'

    return _ROLE.sub(link, text)


def _walk(obj: Object) -> None:
    if obj.docstring is not None:
        obj.docstring.value = _rewrite(obj, obj.docstring.value)
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, Object):
            _walk(member)


class SphinxRoles(Extension):
    """Rewrite Sphinx roles in every docstring of a loaded package."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        """Run once the package is loaded (names can be resolved)."""
        _walk(pkg)
