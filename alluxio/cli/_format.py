"""Text formatting for the command line: sizes, modes, listings and status records."""

from __future__ import annotations

import posixpath
import re
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..wire import FileInfo

__all__ = [
    "binary_size",
    "du_line",
    "human_duration",
    "human_size",
    "long_listing",
    "parse_duration",
    "parse_octal_mode",
    "parse_size",
    "permissions",
    "relative_name",
    "stat_lines",
    "timestamp",
    "transfer_summary",
]

_UNITS = ("K", "M", "G", "T", "P", "E")


def human_size(size: int) -> str:
    """``ls -h`` style: bytes below 1024, then one decimal and a binary unit (``1.5M``)."""
    if size < 1024:
        return str(size)
    value = float(size)
    for unit in _UNITS:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    raise AssertionError("unreachable")


def binary_size(size: float) -> str:
    """Bytes with a binary unit, for progress and summaries: ``512 B``, ``316.5 MiB``."""
    if size < 1024:
        return f"{size:.0f} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):
        value /= 1024
        if value < 1024 or unit == "EiB":
            break
    return f"{value:.1f} {unit}"


def transfer_summary(verb: str, files: int, nbytes: int, seconds: float) -> str:
    """The line after a transfer: ``put: 3 files, 14.0 MiB in 0.8 s (17.5 MiB/s)``."""
    rate = f" ({binary_size(nbytes / seconds)}/s)" if seconds > 0 else ""
    plural = "" if files == 1 else "s"
    return f"{verb}: {files} file{plural}, {binary_size(nbytes)} in {seconds:.1f} s{rate}"


_DURATION_UNITS = {
    "ms": 1,
    "s": 1000,
    "m": 60_000,
    "h": 3_600_000,
    "d": 86_400_000,
    "w": 604_800_000,
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w)")


def parse_duration(text: str, *, bare_unit: str = "ms") -> int:
    """Parse ``500ms``, ``30s``, ``30m``, ``1h``, ``7d``, ``2w`` or ``1h30m`` into
    milliseconds; a bare number is in ``bare_unit``.

    Raises:
        ValueError: Not a duration.
    """
    spec = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", spec):
        return round(float(spec) * _DURATION_UNITS[bare_unit])
    parts = _DURATION.findall(spec)
    if not spec or "".join(number + unit for number, unit in parts) != spec:
        raise ValueError(f"{text!r} is not a duration such as 500ms, 30s, 30m, 1h or 7d")
    return round(sum(float(number) * _DURATION_UNITS[unit] for number, unit in parts))


def human_duration(ms: int) -> str:
    """``1h30m``, ``7d``, ``500ms``: the largest units that divide ``ms`` exactly."""
    if ms == 0:
        return "0s"
    out = ""
    rest = ms
    for unit in ("w", "d", "h", "m", "s", "ms"):
        count, rest = divmod(rest, _DURATION_UNITS[unit])
        if count:
            out += f"{count}{unit}"
    return out


_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(?:([kmgtpe])(?:i?b)?|b)?")


def parse_size(text: str) -> int:
    """Parse ``100``, ``1.5K``, ``10M``, ``2GiB`` (binary units; ``B`` optional) into bytes.

    Raises:
        ValueError: Not a size.
    """
    match = _SIZE.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"{text!r} is not a size such as 100, 4K, 1.5M or 2GiB")
    power = " kmgtpe".index(match.group(2) or " ")
    return round(float(match.group(1)) * (1 << (10 * power)))


def permissions(mode: int, folder: bool) -> str:
    """``drwxr-xr-x`` style permission string for POSIX mode bits."""
    letters = ""
    for shift in (6, 3, 0):
        bits = (mode >> shift) & 7
        letters += ("r" if bits & 4 else "-") + ("w" if bits & 2 else "-")
        letters += "x" if bits & 1 else "-"
    return ("d" if folder else "-") + letters


def timestamp(ms: int) -> str:
    """Local time of a millisecond epoch timestamp, to the minute."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000))


def _size(size: int, human: bool) -> str:
    return human_size(size) if human else str(size)


def long_listing(rows: list[tuple[FileInfo, str]], *, human: bool) -> list[str]:
    """``ls -l`` lines, columns aligned: mode, owner, group, size, modified, name.

    A directory's size is ``-``: Alluxio reports its number of children as its length."""
    cells = [
        (
            permissions(info.mode, info.folder),
            info.owner,
            info.group,
            "-" if info.folder else _size(info.length, human),
            timestamp(info.last_modification_time_ms),
            name,
        )
        for info, name in rows
    ]
    if not cells:
        return []
    widths = [max(len(row[i]) for row in cells) for i in range(4)]
    return [
        f"{mode}  {owner:<{widths[1]}}  {group:<{widths[2]}}  {size:>{widths[3]}}  {mtime}  {name}"
        for mode, owner, group, size, mtime, name in cells
    ]


def stat_lines(info: FileInfo) -> list[str]:
    """The human-readable ``stat`` record of one path."""
    ttl = "none" if info.ttl < 0 else f"{info.ttl} ms, then {info.ttl_action.name or 'DELETE'}"
    in_alluxio = info.extra.get("inAlluxioPercentage", info.in_memory_percentage)
    fields = [
        ("Path", info.path),
        ("Type", "directory" if info.folder else "file"),
        ("Size", _size_detail(info.length)),
        ("Mode", f"{permissions(info.mode, info.folder)} ({info.mode & 0o7777:04o})"),
        ("Owner", info.owner),
        ("Group", info.group),
        ("Modified", timestamp(info.last_modification_time_ms)),
        ("Created", timestamp(info.creation_time_ms)),
        ("Completed", _yes_no(info.completed)),
        ("Pinned", _yes_no(info.pinned)),
        ("Persistence", info.persistence_state.name or "-"),
        ("TTL", ttl),
        ("In Alluxio", f"{in_alluxio}%"),
        ("Block size", _size_detail(info.block_size_bytes)),
        ("Mount point", _yes_no(info.mount_point)),
        ("UFS path", info.ufs_path or "-"),
        ("File id", str(info.file_id)),
    ]
    width = max(len(key) for key, _ in fields)
    return [f"{key + ':':<{width + 1}} {value}" for key, value in fields]


def _size_detail(size: int) -> str:
    return str(size) if size < 1024 else f"{size} ({human_size(size)})"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def du_line(size: int, path: str, *, human: bool) -> str:
    """One ``du`` line: size, two spaces, path."""
    text = _size(size, human)
    return f"{text:>{6 if human else 12}}  {path}"


def parse_octal_mode(text: str) -> int:
    """Parse ``755``, ``0755`` or ``0o755`` into mode bits.

    Raises:
        ValueError: Not an octal number in 0..777.
    """
    digits = text.lower().removeprefix("0o")
    if not digits or len(digits) > 4 or any(ch not in "01234567" for ch in digits):
        raise ValueError(f"{text!r} is not an octal mode such as 755")
    mode = int(digits, 8)
    if mode > 0o777:
        raise ValueError(f"{text!r}: only permission bits (up to 777) can be set")
    return mode


def relative_name(path: str, top: str) -> str:
    """``path`` relative to the directory ``top`` (for recursive listings)."""
    return posixpath.relpath(path, top)
