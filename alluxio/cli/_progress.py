"""The transfer progress bar (Rich), shown only when stderr is a terminal.

Imported only by the transfer commands: Rich costs tens of milliseconds to import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from ._format import binary_size

if TYPE_CHECKING:
    from .._transfer import Progress as ProgressCallback

__all__ = ["progress_bar"]


class _BytesColumn(ProgressColumn):
    """``18.9 MiB / 302.0 MiB`` (binary units, as ``du -h``), or ``18.9 MiB`` with no total."""

    def render(self, task: Task) -> Text:
        done = binary_size(task.completed)
        if task.total is None:
            return Text(done, style="progress.download")
        return Text(f"{done} / {binary_size(task.total)}", style="progress.download")


class _SpeedColumn(ProgressColumn):
    """``94.4 MiB/s``; blank until Rich has enough samples to estimate it."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{binary_size(speed)}/s", style="progress.data.speed")


@contextlib.contextmanager
def progress_bar(
    description: str, total: int | None, *, enabled: bool = True
) -> Iterator[ProgressCallback | None]:
    """Yield a progress callback drawing a bar on stderr, or ``None`` when there is no
    terminal to draw on (output piped or redirected) or ``enabled`` is false.

    With ``total`` unknown (standard input) there is no bar and no ETA, only the bytes sent,
    the rate and the time spent. The bar stays on screen after the transfer so the final
    rate remains visible.
    """
    # The bar goes to stderr: stdout stays clean for data (``get`` to a pipe, ``cat``).
    console = Console(stderr=True)
    if not enabled or not console.is_terminal or console.is_dumb_terminal:
        yield None
        return
    columns: tuple[ProgressColumn | str, ...]
    if total is None:
        columns = (
            TextColumn("{task.description}"),
            SpinnerColumn(),
            _BytesColumn(),
            _SpeedColumn(),
            TimeElapsedColumn(),
        )
    else:
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            _BytesColumn(),
            _SpeedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
        )
    with Progress(*columns, console=console, refresh_per_second=8) as progress:
        task = progress.add_task(description, total=total)

        # Progress.advance takes a lock: workers may call it concurrently.
        def advance(_source: str, nbytes: int) -> None:
            progress.advance(task, nbytes)

        yield advance
