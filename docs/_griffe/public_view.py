"""Griffe extension: the API reference shows what users see, not private names.

- A private base class (``class CreateFile(_Options)``) is left out of
  "Bases:": the reader cannot import it, and its public members are documented
  on the subclass anyway.
- A parameter default that names a module constant (``port: int =
  DEFAULT_PORT``) is shown as the constant's value (``39999``), which is what
  the reader needs to know.
"""

from __future__ import annotations

from typing import Any

from griffe import (
    Alias,
    Attribute,
    Class,
    Expr,
    ExprName,
    Extension,
    Function,
    Module,
    Object,
)


def _is_private(base: Expr | str) -> bool:
    name = base.name if isinstance(base, ExprName) else str(base)
    return name.rsplit(".", 1)[-1].startswith("_")


def _constant_value(pkg: Module, default: Expr | str) -> Expr | str | None:
    """The value of the module constant ``default`` names, if it is ours."""
    if not isinstance(default, ExprName) or not default.name.isupper():
        return None
    path = default.canonical_path
    try:
        target = pkg.modules_collection[path]
    except (
        KeyError
    ):  # another package's constant (fsspec's DEFAULT_CALLBACK, ...)
        return None
    if isinstance(target, Alias):
        target = target.final_target
    if isinstance(target, Attribute) and target.value is not None:
        return target.value
    return None


def _walk(pkg: Module, obj: Object) -> None:
    if isinstance(obj, Class):
        obj.bases = [base for base in obj.bases if not _is_private(base)]
    if isinstance(obj, Function):
        for parameter in obj.parameters:
            if parameter.default is not None:
                value = _constant_value(pkg, parameter.default)
                if value is not None:
                    parameter.default = value
    for member in obj.members.values():
        if not member.is_alias and isinstance(member, Object):
            _walk(pkg, member)


class PublicView(Extension):
    """Hide private bases; show constant defaults as values."""

    def on_package(self, *, pkg: Module, **kwargs: Any) -> None:
        """Run once the package is loaded (names can be resolved)."""
        _walk(pkg, pkg)
