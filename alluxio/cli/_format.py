"""Text formatting for the command line: sizes, modes, listings and status records."""

from __future__ import annotations

import posixpath
import time

from ..wire import FileInfo

__all__ = [
    "du_line",
    "human_size",
    "long_listing",
    "parse_octal_mode",
    "permissions",
    "relative_name",
    "stat_lines",
    "timestamp",
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
    """``ls -l`` lines, columns aligned: mode, owner, group, size, modified, name."""
    cells = [
        (
            permissions(info.mode, info.folder),
            info.owner,
            info.group,
            _size(info.length, human),
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
