"""Request option binding: the JSON bodies of the path actions, checked like Jackson does.

The real proxy binds option bodies with Jackson (2.x: protobuf ``*POptions`` messages, 1.x: the
client ``*Options`` beans). Unknown fields, wrong JSON types and misspelt enum constants are
binding errors there (HTTP 400, plain text), so they are here too. The fields, types and enum
values of each dialect are generated from the spec (``alluxio_proxy_api.facade.fields``); this
module only knows how Jackson reports a binding failure.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from alluxio_proxy_api.facade.fields import ACTIONS, ENUMS, FIELDS, JAVA, REQUIRED

from ._errors import BadRequest, RawError

__all__ = ["BITS", "Dialect", "mode_to_int", "parse_options"]

Dialect = Literal["2.x", "1.x"]

MAX_JSON_BODY = 1 << 20
_JSON_CT = b"application/json"

BITS = {
    "NONE": 0,
    "EXECUTE": 1,
    "WRITE": 2,
    "WRITE_EXECUTE": 3,
    "READ": 4,
    "READ_EXECUTE": 5,
    "READ_WRITE": 6,
    "ALL": 7,
}

# Jackson 2.6 (1.x proxies) lists an enum's names in its own hash order (seen from a 1.8.1
# proxy); the others list them in the declared order.
_DECLARED_1X = {
    "LoadMetadataType": ("Once", "Never", "Always"),
    "WriteType": ("ASYNC_THROUGH", "THROUGH", "CACHE_THROUGH", "MUST_CACHE", "TRY_CACHE", "NONE"),
    "ReadType": ("CACHE", "CACHE_PROMOTE", "NO_CACHE"),
    "Bits": (
        "ALL",
        "EXECUTE",
        "READ",
        "NONE",
        "READ_EXECUTE",
        "WRITE",
        "WRITE_EXECUTE",
        "READ_WRITE",
    ),
}

# A field type (generated from the spec, see alluxio_proxy_api.facade.fields) is a scalar name,
# ("enum", schema), ("msg", schema), ("list", type) or ("map", value type).
_FieldType = Any
_INT64 = (-(1 << 63), (1 << 63) - 1)
_INT32 = (-(1 << 31), (1 << 31) - 1)


def _class_name(dialect: Dialect, schema: str) -> str:
    java = JAVA[dialect][schema]
    if dialect == "2.x" and schema not in ENUMS[dialect]:
        # Jackson's protobuf module binds into the message builder, and says so.
        return f"{java}$Builder"
    return java


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "Boolean value"
    if isinstance(value, int):
        return "Integer value"
    if isinstance(value, float):
        return "Floating-point value"
    if isinstance(value, str):
        return f'String value ("{value}")'
    if isinstance(value, list):
        return "Array value (token `JsonToken.START_ARRAY`)"
    return "Object value (token `JsonToken.START_OBJECT`)"


_TRUE = ("true", "True", "TRUE")
_FALSE = ("false", "False", "FALSE")
_SOURCE = "org.glassfish.jersey.message.internal.ReaderInterceptorExecutor$UnCloseableInputStream"


class _BindError(Exception):
    """A binding failure: Jackson's message head, and the reference chain if it names one."""

    def __init__(self, head: str, chain: str | None = None) -> None:
        super().__init__(head)
        self.head = head
        self.chain = chain


class _Binder:
    """Binds one options body the way the dialect's Jackson setup does."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect: Dialect = dialect
        self.enums = ENUMS[dialect]
        self.fields = FIELDS[dialect]

    def at(self, line: int, column: int) -> str:
        if self.dialect == "2.x":
            return f"\n at [Source: ({_SOURCE}); line: {line}, column: {column}]"
        # Jackson 2.6 (1.x proxies) prints the stream object itself.
        return f"\n at [Source: {_SOURCE}@{id(self) & 0xFFFFFFF:x}; line: {line}, column: {column}]"

    def fail(self, exc: _BindError) -> BadRequest:
        text = exc.head + self.at(1, 2)
        if exc.chain is not None:
            text += f" (through reference chain: {exc.chain})"
        return BadRequest(text)

    def message(self, value: Any, schema: str, chain: str) -> dict[str, Any]:
        fields = self.fields[schema]
        cls = _class_name(self.dialect, schema)
        if not isinstance(value, dict):
            raise _BindError(
                f"Cannot deserialize value of type `{cls}` from {_json_kind(value)}"
                if self.dialect == "2.x"
                else f"Can not deserialize instance of {cls} out of {_token(value)} token",
                chain or None,
            )
        out: dict[str, Any] = {}
        for key, item in value.items():
            link = f'{chain}->{cls}["{key}"]' if chain else f'{cls}["{key}"]'
            if key not in fields:
                head = f'Unrecognized field "{key}" (class {cls}), not marked as ignorable'
                if self.dialect == "1.x":
                    known = ", ".join(f'"{k}"' for k in fields)
                    head += (
                        f" (one known property: {known}])"
                        if len(fields) == 1
                        else f" ({len(fields)} known properties: {known}])"
                    )
                raise _BindError(head, link)
            bound = self.value(item, fields[key], link)
            if self.dialect == "1.x" and key in _POLICY_FIELDS and bound is not None:
                problem = _policy_problem(key, bound)
                if problem is not None:
                    # The setter loads the class; Jackson reports the root cause's message.
                    raise BadRequest(f"{problem} (through reference chain: {link})")
            if bound is not None:
                out[key] = bound
        if schema in REQUIRED:
            missing = [k for k in REQUIRED[schema] if k not in out]
            if missing and self.dialect == "2.x":
                # proto2 required fields: building the message fails after binding, outside
                # Jackson, so the real proxy answers 500 with the bare message.
                raise RawError(f"Message missing required fields: {', '.join(missing)}", _JSON_CT)
            for k in missing:
                out[k] = "NONE"  # 1.x Mode bean: unset bits stay NONE
        return out

    def value(self, value: Any, ftype: _FieldType, chain: str) -> Any:
        """Check ``value`` against ``ftype``; return it normalised (None for JSON null).

        Jackson's default scalar coercions are accepted (2.x: "true"/"True"/"TRUE" for
        booleans; both: numeric strings and floats for integers, scalars for strings).
        """
        if value is None:
            # Jackson treats null as "not set".
            return None
        v1 = self.dialect == "1.x"
        if ftype == "bool":
            if isinstance(value, bool):
                return value
            accepted = ("true", "false") if v1 else _TRUE + _FALSE
            if isinstance(value, str) and value in accepted:
                return value in _TRUE
            if v1:
                raise _BindError(
                    f"Can not construct instance of boolean from String value '{value}': only "
                    '"true" or "false" recognized',
                    chain,
                )
            if isinstance(value, str):
                raise _BindError(
                    f'Cannot deserialize value of type `boolean` from String "{value}": only '
                    '"true"/"True"/"TRUE" or "false"/"False"/"FALSE" recognized'
                )
            raise _BindError(f"Cannot deserialize value of type `boolean` from {_json_kind(value)}")
        if ftype in ("int64", "int32"):
            lo, hi = _INT64 if ftype == "int64" else _INT32
            java = "long" if ftype == "int64" else "int"
            if isinstance(value, str):
                try:
                    value = int(value.strip()) if value.strip() else 0
                except ValueError:
                    raise _BindError(
                        f"Can not construct instance of {java} from String value '{value}': "
                        f"not a valid {java.capitalize()} value"
                        if v1
                        else f'Cannot deserialize value of type `{java}` from String "{value}": '
                        f"not a valid `{java}` value",
                        chain if v1 else None,
                    ) from None
            elif isinstance(value, float):
                if not math.isfinite(value):
                    raise _BindError(f"Cannot deserialize value of type `{java}` from {value}")
                value = int(value)
            if isinstance(value, bool) or not isinstance(value, int):
                raise _BindError(
                    f"Cannot deserialize value of type `{java}` from {_json_kind(value)}",
                    chain if v1 else None,
                )
            if not lo <= value <= hi:
                raise _BindError(f"Numeric value ({value}) out of range of {java} ({lo} - {hi})")
            return value
        if ftype in ("string", "bytes"):
            if isinstance(value, str):
                return value
            if isinstance(value, (bool, int, float)) and ftype == "string":
                # Jackson coerces scalars to String.
                return json.dumps(value)
            raise _BindError(
                f"Cannot deserialize value of type `java.lang.String` from {_json_kind(value)}",
                chain if v1 else None,
            )
        kind = ftype[0]
        if kind == "enum":
            allowed = self.enums[ftype[1]]
            if isinstance(value, str) and value in allowed:
                return value
            if v1:
                cls = _class_name(self.dialect, ftype[1])
                names = _DECLARED_1X.get(ftype[1], allowed)
                raise _BindError(
                    f"Can not construct instance of {cls} from String value '{value}': value "
                    f"not one of declared Enum instance names: [{', '.join(names)}]",
                    chain,
                )
            shown = f'String "{value}"' if isinstance(value, str) else _json_kind(value)
            raise _BindError(
                "Cannot deserialize value of type "
                f"`com.google.protobuf.Descriptors$EnumDescriptor` from {shown}: value not one "
                "of declared Enum instance names"
            )
        if kind == "list":
            if not isinstance(value, list):
                raise _BindError(
                    f"Cannot deserialize value of type `java.util.List` from {_json_kind(value)}"
                )
            return [self.value(v, ftype[1], chain) for v in value]
        if kind == "map":
            if not isinstance(value, dict):
                raise _BindError(
                    f"Cannot deserialize value of type `java.util.Map` from {_json_kind(value)}",
                    chain if v1 else None,
                )
            out: dict[str, Any] = {}
            for k, v in value.items():
                if v is None:
                    raise _BindError("Map value cannot be null")
                out[k] = self.value(v, ftype[1], chain)
            return out
        # nested message: ("msg", schema)
        return self.message(value, ftype[1], chain)


# 1.x location policies, named by Java class: the setters of the option beans load and
# instantiate the class (measured on 1.8.1). A policy has no effect here (one emulated worker).
_FILE_POLICY = "alluxio.client.file.policy.FileWriteLocationPolicy"
_FILE_POLICIES = {
    f"alluxio.client.file.policy.{name}"
    for name in (
        "LocalFirstPolicy",
        "LocalFirstAvoidEvictionPolicy",
        "MostAvailableFirstPolicy",
        "RoundRobinPolicy",
    )
}
_BLOCK_ONLY_POLICY = "alluxio.client.block.policy.DeterministicHashPolicy"
_NO_DEFAULT_CONSTRUCTOR = "alluxio.client.file.policy.SpecificHostPolicy"
_POLICY_FIELDS = {"locationPolicyClass", "cacheLocationPolicyClass", "ufsReadLocationPolicyClass"}


def _policy_problem(field: str, name: str) -> str | None:
    """Why 1.8.1 cannot use class ``name`` as the policy of ``field`` (None: it can).

    A class that exists on a real proxy's class path but is no policy (``java.lang.String``)
    fails there with a ClassCastException; here every other name is a class not found.
    """
    if name in _FILE_POLICIES or (
        name == _BLOCK_ONLY_POLICY and field == "ufsReadLocationPolicyClass"
    ):
        return None
    if name == _BLOCK_ONLY_POLICY:
        return (
            f"class {name} cannot be cast to class {_FILE_POLICY} ({name} and {_FILE_POLICY} "
            "are in unnamed module of loader 'app')"
        )
    if name == _NO_DEFAULT_CONSTRUCTOR:
        return f"{name}.<init>()"  # NoSuchMethodException: it needs a host name
    return name  # ClassNotFoundException


def _reject_constant(name: str) -> Any:
    raise ValueError(
        f"Non-standard token '{name}': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"
    )


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
_VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')"


def _token(value: Any) -> str:
    if isinstance(value, dict):
        return "START_OBJECT"
    if isinstance(value, list):
        return "START_ARRAY"
    if isinstance(value, bool):
        return "VALUE_TRUE" if value else "VALUE_FALSE"
    if isinstance(value, int):
        return "VALUE_NUMBER_INT"
    if isinstance(value, float):
        return "VALUE_NUMBER_FLOAT"
    if isinstance(value, str):
        return "VALUE_STRING"
    return "VALUE_NULL"


def _next_token(value: Any) -> str:
    """The JSON token following the first one of a top-level non-object value."""
    if isinstance(value, list):
        return _token(value[0]) if value else "END_ARRAY"
    return "null"


def _open_marker(doc: str) -> tuple[str, int, int]:
    """The innermost object or array left open at the end of ``doc``: kind, line, column."""
    stack: list[tuple[str, int, int]] = []
    line, column = 1, 0
    in_string = escaped = False
    for c in doc:
        column += 1
        if c == "\n":
            line, column = line + 1, 0
        elif in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in "{[":
            stack.append(("Object" if c == "{" else "Array", line, column))
        elif c in "}]" and stack:
            stack.pop()
    return stack[-1] if stack else ("Object", 1, 1)


def _jackson_syntax_message(exc: json.JSONDecodeError, dialect: Dialect) -> str:
    """Jackson's wording for the JSON syntax error Python found."""
    doc, pos, msg = exc.doc, exc.pos, exc.msg
    if pos >= len(doc):
        kind, line, column = _open_marker(doc)
        last = doc.rstrip()[-1:]
        # The input ended after a comma, a field name or a colon: Jackson was inside an
        # entry, not looking for the end of the object or array.
        inside = msg.startswith("Expecting ':'") or (
            msg.startswith("Expecting value") and last != "["
        )
        if inside or (msg.startswith("Expecting property name") and last == ","):
            desc = kind.upper() if dialect == "1.x" else kind
            return f"Unexpected end-of-input within/between {desc} entries"
        if dialect == "1.x":
            # Jackson 2.6 (Alluxio 1.8.1): upper-case kind, "from", a 0-based start column.
            marker = _Binder(dialect).at(line, column - 1).removeprefix("\n at ")
            return (
                f"Unexpected end-of-input: expected close marker for {kind.upper()} (from {marker})"
            )
        marker = _Binder(dialect).at(line, column).removeprefix("\n at ")
        return (
            f"Unexpected end-of-input: expected close marker for {kind} (start marker at {marker})"
        )
    c = doc[pos]
    seen = f"Unexpected character ('{c}' (code {ord(c)}))"
    if msg.startswith("Expecting property name"):
        return f"{seen}: was expecting double-quote to start field name"
    if msg.startswith("Expecting value"):
        if c.isalpha():
            word = re.match(r"[A-Za-z0-9_]+", doc[pos:])
            return f"Unrecognized token '{word.group(0) if word else c}': was expecting {_VALUE}"
        return f"{seen}: expected a valid value {_VALUE}"
    if msg.startswith("Expecting ':'"):
        return f"{seen}: was expecting a colon to separate field name and value"
    if msg.startswith("Expecting ','"):
        return f"{seen}: was expecting comma to separate Object entries"
    if msg.startswith("Unterminated string"):
        return "Unexpected end-of-input: was expecting closing quote for a string value"
    if msg.startswith("Invalid control character"):
        return (
            f"Illegal unquoted character ((CTRL-CHAR, code {ord(c)})): has to be escaped using "
            "backslash to be included in string value"
        )
    return f"{seen}: {msg}"


def parse_options(action: str, body: bytes, dialect: Dialect) -> dict[str, Any]:
    """Bind the JSON body of ``action`` to its options; ``{}`` for an empty or ``null`` body.

    Raises :class:`BadRequest` for malformed JSON, unknown fields, wrong types and bad enums.
    """
    text = body.strip()
    if not text:
        return {}
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(
            f"Invalid UTF-8 middle byte in request body{_Binder(dialect).at(1, 1)}"
        ) from None
    try:
        # Jackson stops after the first value: trailing content is ignored.
        value, _end = _DECODER.raw_decode(decoded)
    except json.JSONDecodeError as exc:
        at = _Binder(dialect).at(exc.lineno, exc.colno + 1)
        raise BadRequest(_jackson_syntax_message(exc, dialect) + at) from None
    except ValueError as exc:
        raise BadRequest(f"{exc}{_Binder(dialect).at(1, 1)}") from None
    except RecursionError:
        # A body nested thousands deep ("[[[[..."): a binding error, as Jackson's nesting
        # limit makes it, not an unexpected server failure.
        at = _Binder(dialect).at(1, 1)
        raise BadRequest(f"Document nesting depth exceeds the maximum allowed{at}") from None
    if value is None:
        return {}
    binder = _Binder(dialect)
    if not isinstance(value, dict) and dialect == "2.x":
        # The protobuf deserializer reads one token past the start and wants a field name.
        raise BadRequest(
            # (Jackson appends ": " and its empty detail message.)
            f"Unexpected token ({_next_token(value)}), expected FIELD_NAME: {binder.at(1, 2)}"
        )
    try:
        return binder.message(value, ACTIONS[action], "")
    except _BindError as exc:
        raise binder.fail(exc) from None


def mode_to_int(mode: dict[str, Any]) -> int:
    """Convert a bound Mode object (``{"ownerBits": "ALL", ...}``) to its integer form."""
    return (BITS[mode["ownerBits"]] << 6) | (BITS[mode["groupBits"]] << 3) | BITS[mode["otherBits"]]
