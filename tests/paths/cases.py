"""The path matrix: names and paths, and what reaches the proxy when a client sends them.

Measured against Alluxio 2.9.6's proxy and the embedded one (``test_path_matrix``), and the
source of the table in ``docs/guides/paths.md``. Outcomes:

* ``exact``: created, listed, found and read back under exactly the name sent;
* ``same``: Alluxio drops the extra slashes and names the same path (accepted by the client);
* ``refused``: the client raises InvalidArgumentError before any request, because the proxy
  would act on another path (``?`` cuts the path, ``\\`` becomes ``/``, dot segments
  resolve);
* ``error``: the proxy answers with an error (nothing is created, nothing else is touched).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    """One path below a fresh test directory; ``real``/``embedded`` are the outcomes there."""

    label: str
    relative: str
    real: str
    embedded: str
    # For "refused": the character (or segment) and the index in the relative path named by
    # the error message.
    offence: str = ""
    index: int = 0

    @property
    def id(self) -> str:
        return self.label.replace(" ", "-")


_REFUSED_CHARS = {"?": "'?'", "\\": "a backslash"}

CASES: list[Case] = []
for _code in range(0x20, 0x7F):
    _char = chr(_code)
    if _char == "/":
        continue  # the separator: see the slash cases below
    for _where, _name, _at in (
        ("inside", f"a{_char}b", 1),
        ("at the end", f"ab{_char}", 2),
        ("at the start", f"{_char}ab", 0),
    ):
        _label = f"{_code:#04x} {_where}"
        if _char in _REFUSED_CHARS:
            CASES.append(Case(_label, _name, "refused", "refused", _REFUSED_CHARS[_char], _at))
        else:
            CASES.append(Case(_label, _name, "exact", "exact"))
for _code in [*range(0x01, 0x20), 0x7F, 0x85, 0xA0]:
    CASES.append(Case(f"control {_code:#04x}", f"a{chr(_code)}b", "exact", "exact"))

UNICODE = {
    "NFC e-acute": unicodedata.normalize("NFC", "café"),
    "NFD e + combining acute": unicodedata.normalize("NFD", "café"),
    "combining marks": "e\u0301\u0302x",
    "right-to-left text": "שלום",
    "right-to-left mark": "a\u200fb",
    "emoji (outside the BMP)": "😀x",
    "CJK": "文件",
    "zero-width space": "a\u200bb",
    "byte order mark": "\ufeffab",
    "line separator U+2028": "a\u2028b",
    "fullwidth solidus U+FF0F": "a\uff0fb",
    "noncharacter U+FFFF": "a\uffffb",
    "private use U+E000": "a\ue000b",
}
for _label, _name in UNICODE.items():
    CASES.append(Case(f"unicode {_label}", _name, "exact", "exact"))

# Alluxio itself has no name limit; the embedded proxy keeps files on a local file system,
# whose names end at 255 bytes (UTF-8).
CASES += [
    Case("name 255 bytes", "a" * 255, "exact", "exact"),
    Case("name 256 bytes", "a" * 256, "exact", "error"),
    Case("name 255 bytes (2-byte chars)", "é" * 127 + "a", "exact", "exact"),
    Case("name 256 bytes (2-byte chars)", "é" * 128, "exact", "error"),
    Case("name 256 bytes (4-byte chars)", "😀" * 64, "exact", "error"),
]
DEEP = "/".join(["b" * 99] * 40)  # 3999 characters
_DEEPER = "/".join(["b" * 99] * 160)  # 15999 characters
CASES += [
    Case("path of 4,000 chars", DEEP, "exact", "exact"),
    # Real: HTTP 414 (Jetty's 8 KiB request line); embedded: the local file system's PATH_MAX.
    Case("path of 16,000 chars", _DEEPER, "error", "error"),
]
CASES += [
    Case("repeated slashes", "d//f", "same", "same"),
    Case("trailing slash", "d/f/", "same", "same"),
    Case("'.' segment", "d/./f", "refused", "refused", "a '.' segment", 2),
    Case("'..' segment", "d/../f", "refused", "refused", "a '..' segment", 2),
    Case("'...' name", "d/.../f", "exact", "exact"),
    Case("'..f' name", "d/..f", "exact", "exact"),
    Case("'.f' name (hidden)", "d/.f", "exact", "exact"),
    Case("encoded-looking '%2e%2e'", "d/%2e%2e/f", "exact", "exact"),
    Case("backslash '..' segment", "d\\..\\f", "refused", "refused", "a backslash", 1),
]

REFUSED = [case for case in CASES if case.real == "refused"]
