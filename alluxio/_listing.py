"""Decoding a list-status answer as it arrives: FileInfos in bounded memory.

The proxy answers list-status with one JSON array and no pagination: a million entries are
~1.8 GB of JSON. :class:`ListingDecoder` is fed the body piece by piece and returns the
entries completed so far. It splits the array at top-level object boundaries and decodes each
run of whole objects with the same decoder as a whole listing (:mod:`alluxio._json`: msgspec
where installed), so streaming costs no speed and memory stays at a few pieces.

Finding boundaries without a JSON parser in Python: every entry starts with the same key, so
``},{"KEY"`` (learned from the first entry) can be searched for with ``bytes.rfind``. A match
is only a candidate - the same bytes may sit at the end of a string or between two nested
objects - but a wrong candidate never decodes (the run it ends is cut inside a string or an
unclosed object), so every run is checked by decoding it, and when a candidate fails (or a
server writes whitespace that defeats the search) an exact scanner that tracks strings and
nesting finds the boundary instead. Each run is a complete JSON array of its own, so the body
is accepted exactly when all its runs are: nothing is skipped or made up.

A body that ends before its closing bracket (a connection closed early, without HTTP framing
to tell) raises :class:`~alluxio.exceptions.HTTPError`; anything that is not a JSON array of
FileInfo objects raises :class:`~alluxio.exceptions.UnknownError`, as a whole listing does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import _json
from .exceptions import HTTPError, UnknownError
from .wire import FileInfo

__all__ = ["ListingDecoder", "decode_listing"]

T = TypeVar("T")

_WHITESPACE = b" \t\r\n"
_OPEN, _CLOSE = 0x5B, 0x5D  # "[" and "]"
_STRUCTURE = re.compile(rb'["{}\[\]]')
_STRING_REST = re.compile(rb'[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_KEY = re.compile(rb'\[[ \t\r\n]*\{"([A-Za-z0-9_]{1,64})"')
_EXACT_AFTER = 1 << 20
"""Bytes buffered without a boundary found by search, after which the exact scanner looks."""
_NOT_A_LIST_LIMIT = 1 << 16
"""Bytes of a body that is not a JSON array kept for its error message."""


def _file_infos_slowly(items: list[Any], what: str) -> list[FileInfo]:
    try:
        return [FileInfo.from_json(item) for item in items]
    except ValueError as exc:
        raise UnknownError(f"malformed FileInfo from the proxy in {what}: {exc}") from None


def _names_slowly(items: list[Any], what: str) -> list[str]:
    names: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str):
            raise UnknownError(f"malformed FileInfo from the proxy in {what}: no name")
        names.append(name)
    return names


class ListingDecoder(Generic[T]):
    """Decodes one list-status body fed in pieces; see the module's description.

    ``fast`` decodes a JSON array of entries (``None`` when it cannot tell: then ``slow``
    builds each entry from the standard library's decoding and names the problem).
    """

    __slots__ = ("_buf", "_fast", "_learned", "_marker", "_searched", "_slow", "_state", "what")

    def __init__(
        self,
        what: str,
        fast: Callable[[bytes], list[T] | None],
        slow: Callable[[list[Any], str], list[T]],
    ) -> None:
        self.what = what
        self._fast = fast
        self._slow = slow
        self._buf = bytearray()
        # "start", "array" (buf starts with "["), "other" (not an array: kept for the
        # error message), "cut" (the same, too long to keep whole)
        self._state = "start"
        self._marker: bytes | None = None
        self._learned = False
        self._searched = 0

    @classmethod
    def file_infos(cls, what: str) -> ListingDecoder[FileInfo]:
        """A decoder of FileInfo entries."""
        return ListingDecoder(what, _json.file_infos, _file_infos_slowly)

    @classmethod
    def names(cls, what: str) -> ListingDecoder[str]:
        """A decoder of the entries' names only (cheaper: nothing else is built)."""
        return ListingDecoder(what, _json.names, _names_slowly)

    def feed(self, data: bytes) -> list[T]:
        """Take the next piece of the body; return the entries it completed (maybe none)."""
        buf = self._buf
        buf += data
        if self._state == "start":
            start = len(buf) - len(buf.lstrip(_WHITESPACE))
            if start == len(buf):
                buf.clear()
                return []
            del buf[:start]
            self._state = "array" if buf[0] == _OPEN else "other"
        if self._state != "array":
            if len(buf) > _NOT_A_LIST_LIMIT:
                del buf[_NOT_A_LIST_LIMIT:]
                self._state = "cut"
            return []
        if not self._learned:
            self._learn_marker()
        if self._marker is not None:
            end = buf.rfind(self._marker, self._searched)
            if end >= 0:
                entries = self._fast_run(end, end + 1)
                # A failed candidate: not a boundary after all, or a malformed entry.
                return entries if entries is not None else self._exact_run()
            self._searched = max(0, len(buf) - len(self._marker) + 1)
        if len(buf) > _EXACT_AFTER or (self._learned and self._marker is None):
            return self._exact_run()
        return []

    def finish(self) -> list[T]:
        """The body ended: return the last entries, or raise if the body was not a whole
        JSON array of entries (see the module's description)."""
        body = bytes(self._buf)
        self._buf.clear()
        if self._state == "cut":
            raise UnknownError(
                f"the proxy answered {self.what} with a body that is not a JSON list: "
                f"{body[:200]!r}"
            )
        if self._state != "array":
            # Not an array at all (or empty): the whole-document decoding names the problem.
            value = self._load(body)
            if not isinstance(value, list):
                raise UnknownError(
                    f"the proxy answered {self.what} with {type(value).__name__}, not a list"
                )
            return self._slow(value, self.what)
        entries = self._fast(body)
        if entries is not None:
            return entries
        if _json.truncated(body):
            raise HTTPError(
                f"{self.what}: the listing was cut short (the body ended before its JSON "
                "array was closed); entries may be missing"
            )
        value = self._load(body)
        return self._slow(value, self.what)

    # -- boundaries ------------------------------------------------------------------------

    def _learn_marker(self) -> None:
        """Learn the first key of the entries (``[{"KEY"``) once the body shows it."""
        buf = self._buf
        found = _KEY.match(buf)
        if found is not None:
            self._marker = b'},{"' + found.group(1) + b'"'
            self._learned = True
            return
        after = bytes(buf[1:64]).lstrip(_WHITESPACE)
        if (after and not after.startswith(b"{")) or len(buf) > 256:
            # No such key (an empty array, whitespace, escapes): the exact scanner cuts.
            self._learned = True

    def _fast_run(self, end: int, comma: int) -> list[T] | None:
        """Decode the entries up to ``buf[end]`` (a ``}``) if they decode; ``buf[comma]`` is
        the comma after them. ``None`` if ``end`` is no boundary or an entry is malformed."""
        buf = self._buf
        buf[comma] = _CLOSE
        run = bytes(buf[: comma + 1])
        buf[comma] = 0x2C  # ","
        entries = self._fast(run)
        if entries is not None:
            self._consume(comma)
        return entries

    def _consume(self, comma: int) -> None:
        buf = self._buf
        del buf[:comma]
        buf[0] = _OPEN
        self._searched = 0 if self._marker is None else max(0, len(buf) - len(self._marker) + 1)

    def _exact_run(self) -> list[T]:
        """Cut at the last top-level boundary the exact scanner finds; entries that the fast
        decoder refuses are decoded the slow way, which accepts them or names the problem."""
        found = _last_boundary(self._buf)
        if found is None:
            return []
        end, comma = found
        entries = self._fast_run(end, comma)
        if entries is not None:
            return entries
        run = bytes(self._buf[: end + 1]) + b"]"
        self._consume(comma)
        entries = self._fast(run)
        if entries is not None:
            return entries
        return self._slow(self._load(run), self.what)

    def _load(self, body: bytes) -> Any:
        try:
            return _json.loads(body)
        except ValueError:
            raise UnknownError(
                f"the proxy answered {self.what} with a body that is not JSON: {body[:200]!r}"
            ) from None


def _last_boundary(buf: bytearray) -> tuple[int, int] | None:
    """``(end, comma)`` of the last top-level entry of the array in ``buf`` (from its ``[``)
    that is followed by a comma: ``buf[end]`` closes the entry; or None."""
    depth = 0
    pos = 1
    found: tuple[int, int] | None = None
    search = _STRUCTURE.search
    string_rest = _STRING_REST.match
    while (hit := search(buf, pos)) is not None:
        at = hit.start()
        char = buf[at]
        if char == 0x22:  # '"'
            rest = string_rest(buf, at + 1)
            if rest is None:
                break  # the string goes on in the next piece
            pos = rest.end()
            continue
        pos = at + 1
        if char in (0x7B, _OPEN):  # "{", "["
            depth += 1
            continue
        depth -= 1
        if depth < 0:
            break  # the array's own "]"
        if depth == 0:
            comma = pos
            while comma < len(buf) and buf[comma] in _WHITESPACE:
                comma += 1
            if comma < len(buf) and buf[comma] == 0x2C:
                found = (at, comma)
    return found


def decode_listing(decoder: ListingDecoder[T], body: bytes) -> list[T]:
    """All the entries of a whole ``body``."""
    return [*decoder.feed(body), *decoder.finish()]
