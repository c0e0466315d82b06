"""The hand-written part of the spec-generated façade (:mod:`alluxio.option`, enums of
:mod:`alluxio.wire`): everything ``scripts/spec_facade.py`` cannot derive from the spec.

- The runtime the generated classes build on: :class:`Name` (enum members), :class:`Options`
  (``json()``, ``repr()``, ``==``) and the argument checks (each raises ``TypeError`` for a wrong
  type and ``ValueError`` for a bad value, naming the class and the argument).
- Seed aliases: the 0.1.x client sent ``ttl``/``ttlAction`` at the top level of an option
  object (the 1.x form); 2.x proxies only know them inside ``commonOptions``
  (:data:`SEED_COMMON_KEYS`, applied by :func:`to_dialect`).
- Cross-field checks: a TTL given both at the top level and in ``common_options``.

Everything else (fields, types, bounds, docstrings, dialects) comes from the spec.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any, ClassVar, Final, NamedTuple, Self, TypeVar

from alluxio_proxy_api.facade.fields import ENUMS, FIELDS

__all__ = ["SEED_COMMON_KEYS", "Field", "Name", "Options", "to_dialect"]

_N = TypeVar("_N", bound="Name")
_T = TypeVar("_T")

SEED_COMMON_KEYS: Final = ("ttl", "ttlAction")
"""Keys the 0.1.x form carries at the top level and 2.x proxies only in ``commonOptions``."""


class Name:
    """A string-valued enumeration member, compared and hashed by its name."""

    _values: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, name: str = "") -> None:
        if not isinstance(name, str):
            raise TypeError(f"{type(self).__name__} name must be a str, got {type(name).__name__}")
        if self._values and name and name not in self._values:
            allowed = ", ".join(sorted(self._values))
            raise ValueError(f"unknown {type(self).__name__} {name!r}; expected one of: {allowed}")
        self.name = name

    def json(self) -> str:
        """Return the name, as sent on the wire."""
        return self.name

    @classmethod
    def from_json(cls, obj: object) -> Self:
        """Decode a name received from the server (any name is accepted)."""
        instance = cls.__new__(cls)
        instance.name = str(obj)
        return instance

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Name):
            return type(self) is type(other) and self.name == other.name
        if isinstance(other, str):
            return self.name == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.name)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class Field(NamedTuple):
    """One argument of an option class: its JSON key and the dialects that have it."""

    attr: str
    key: str
    dialects: tuple[str, ...]
    secret: bool = False


def _to_json(value: Any) -> Any:
    to_json = getattr(value, "json", None)
    if callable(to_json):
        return to_json()
    if isinstance(value, Mapping):
        # protobuf `bytes` values travel base64-encoded.
        return {
            k: base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v
            for k, v in value.items()
        }
    if isinstance(value, list):
        return list(value)
    return value


class Options:
    """Base class of the option classes: keyword arguments in, camelCase JSON out."""

    _schema: ClassVar[str] = ""
    """The option schema of the spec this class was generated from."""
    _fields: ClassVar[tuple[Field, ...]] = ()
    _keys: ClassVar[dict[str, str]] = {}
    """Argument name -> JSON key (the 0.1.x client's ``_keys``)."""

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls._keys = {f.attr: f.key for f in cls._fields}

    def __init__(self) -> None:
        # Defined so that options without arguments reject one by name
        # ("got an unexpected keyword argument 'x'"), not as "takes no arguments".
        pass

    def _check(self) -> None:
        """The cross-field checks (the per-argument ones ran in ``__init__``)."""
        common = getattr(self, "common_options", None)
        if common is None:
            return
        for f in self._fields:
            given = f.key in SEED_COMMON_KEYS and getattr(self, f.attr) is not None
            if given and getattr(common, f.attr, None) is not None:
                raise ValueError(
                    f"{type(self).__name__}: {f.attr} is given twice, at the top level and "
                    "in common_options; give it once"
                )

    def json(self) -> dict[str, Any]:
        """Return the set options as a dict with camelCase keys; unset options are left out."""
        return {
            f.key: _to_json(value)
            for f in self._fields
            if (value := getattr(self, f.attr)) is not None
        }

    def _shown(self) -> dict[str, Any]:
        shown: dict[str, Any] = {}
        for f in self._fields:
            value = getattr(self, f.attr)
            if value is None:
                continue
            if f.secret:
                value = {key: "***" for key in value} if isinstance(value, Mapping) else "***"
            shown[f.attr] = value
        return shown

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._shown().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.json() == other.json()

    __hash__ = None  # type: ignore[assignment]


# ----- argument checks (called by the generated __init__ methods) -----


def _type_error(owner: str, attr: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{owner}: {attr} must be {expected}, got {type(value).__name__}")


def boolean(owner: str, attr: str, value: bool | None) -> bool | None:
    """Check a boolean argument."""
    if value is not None and not isinstance(value, bool):
        raise _type_error(owner, attr, "bool", value)
    return value


def integer(
    owner: str,
    attr: str,
    value: int | None,
    bits: int,
    *,
    minimum: int | None = None,
    exclusive: bool = False,
) -> int | None:
    """Check an integer argument: its type (bool is not an int here), width and lower bound."""
    if value is None:
        return None
    # bool is an int: a flag passed as a size is a bug, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(owner, attr, "int", value)
    if minimum is not None and (value <= minimum if exclusive else value < minimum):
        raise ValueError(
            f"{owner}: {attr} must be {'>' if exclusive else '>='} {minimum}, got {value}"
        )
    if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
        raise ValueError(f"{owner}: {attr} must fit in a signed {bits}-bit integer, got {value}")
    return value


def string(owner: str, attr: str, value: str | None) -> str | None:
    """Check a string argument."""
    if value is not None and not isinstance(value, str):
        raise _type_error(owner, attr, "str", value)
    return value


def string_list(owner: str, attr: str, value: object) -> list[str] | None:
    """Check a sequence of strings (a lone str is refused: it would be split into letters)."""
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, list | tuple):
        raise _type_error(owner, attr, "a list of str", value)
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"{owner}: {attr} must hold str, got {type(item).__name__}")
    return list(value)


def _mapping(owner: str, attr: str, value: object, kind: type[_T]) -> dict[str, _T] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _type_error(owner, attr, "Mapping", value)
    for key, item in value.items():
        if not isinstance(key, str) or not isinstance(item, kind):
            # The key names the entry; the value is never shown (it may be a credential).
            raise TypeError(
                f"{owner}: {attr} must map str to {kind.__name__} "
                f"(key {key if isinstance(key, str) else type(key).__name__!r} "
                f"has a {type(item).__name__} value)"
            )
    return dict(value)


def string_map(owner: str, attr: str, value: object) -> dict[str, str] | None:
    """Check a str -> str mapping."""
    return _mapping(owner, attr, value, str)


def bytes_map(owner: str, attr: str, value: object) -> dict[str, bytes] | None:
    """Check a str -> bytes mapping (sent base64-encoded)."""
    return _mapping(owner, attr, value, bytes)


def enum_value(owner: str, attr: str, value: object, cls: type[_N]) -> _N | None:
    """Accept an instance of the wire class or its name as a str."""
    if value is None or isinstance(value, cls):
        return value
    if isinstance(value, str):
        try:
            return cls(value)
        except ValueError as exc:
            raise ValueError(f"{owner}: {attr}: {exc}") from None
    raise TypeError(
        f"{owner}: {attr} must be alluxio.wire.{cls.__name__}, got {type(value).__name__}"
    )


def instance(owner: str, attr: str, value: object, cls: type[_T]) -> _T | None:
    """Check an argument that is an object of ``cls`` (a Mode, a nested option object...)."""
    if value is not None and not isinstance(value, cls):
        raise _type_error(owner, attr, cls.__name__, value)
    return value


# ----- dialects -----


def _snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def to_dialect(
    options: dict[str, Any], dialect: str, *, option_name: str, schema: str
) -> dict[str, Any]:
    """Translate 0.1.x-form option JSON (of the option schema ``schema``) into ``dialect``.

    Moves the seed's top-level ``ttl``/``ttlAction`` into ``commonOptions`` for 2.x (and back
    for 1.x), spells enum values the dialect's way (``NEVER`` / ``Never``), then checks every
    field and enum value against what the dialect's proxy binds.

    Raises:
        ValueError: An option has no counterpart in ``dialect`` (sending it would be rejected).
    """
    body = dict(options)
    fields = FIELDS[dialect][schema]
    common = dict(body.get("commonOptions") or {})
    if dialect == "2.x" and "commonOptions" in fields:
        moved = {key: body.pop(key) for key in SEED_COMMON_KEYS if key in body}
        if moved:
            body["commonOptions"] = {**common, **moved}
    elif dialect == "1.x" and common:
        # The 1.x beans carry the TTL at the top level, where the dialect has it there.
        for key in SEED_COMMON_KEYS:
            if key in common and key in fields and key not in body:
                body[key] = common.pop(key)
        body["commonOptions"] = common
        if not common:
            del body["commonOptions"]
    return _check_message(body, dialect, schema, option_name, "")


def _check_message(
    body: Mapping[str, Any], dialect: str, schema: str, option_name: str, prefix: str
) -> dict[str, Any]:
    fields = FIELDS[dialect][schema]
    other = "1.x" if dialect == "2.x" else "2.x"
    unsupported = [key for key in body if key not in fields]
    if unsupported:
        names = ", ".join(prefix + _snake(key) for key in sorted(unsupported))
        raise ValueError(
            f"{option_name}: {names} is only understood by {other} proxies; this client speaks "
            f"the {dialect} dialect (pass dialect='{other}' for a {other} proxy)"
        )
    return {
        key: _check_value(value, fields[key], dialect, option_name, prefix + _snake(key))
        for key, value in body.items()
    }


def _check_value(value: Any, ftype: Any, dialect: str, option_name: str, name: str) -> Any:
    if isinstance(ftype, str) or value is None:
        return value
    kind, inner = ftype
    if kind == "msg":
        if not isinstance(value, Mapping):
            return value
        return _check_message(value, dialect, inner, option_name, name + ".")
    if kind == "list":
        return [_check_value(v, inner, dialect, option_name, name) for v in value]
    if kind == "map":
        return value
    # An enum: the dialect's spelling of the same name (the spellings differ by case only).
    allowed = ENUMS[dialect][inner]
    spelled = {v.upper(): v for v in allowed}.get(str(value).upper())
    if spelled is None:
        other = "1.x" if dialect == "2.x" else "2.x"
        known = value in ENUMS[other].get(inner, ())
        raise ValueError(
            f"{option_name}: {name} {value!r} is "
            + (f"only understood by {other} proxies" if known else "not a known value")
            + f"; this client speaks the {dialect} dialect"
        )
    return spelled
