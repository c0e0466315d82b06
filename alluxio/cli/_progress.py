"""The transfer progress bar (Rich), shown only when stderr is a terminal."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from .._transfer import Progress as ProgressCallback

__all__ = ["progress_bar"]


@contextlib.contextmanager
def progress_bar(
    description: str, total: int | None, *, enabled: bool = True
) -> Iterator[ProgressCallback | None]:
    """Yield a progress callback drawing a bar on stderr, or ``None`` when there is no
    terminal to draw on (output piped or redirected) or ``enabled`` is false.

    The bar stays on screen after the transfer so the final rate remains visible.
    """
    # The bar goes to stderr: stdout stays clean for data (``get`` to a pipe, ``cat``).
    console = Console(stderr=True)
    if not enabled or not console.is_terminal or console.is_dumb_terminal:
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, refresh_per_second=8) as progress:
        task = progress.add_task(description, total=total)

        # Progress.advance takes a lock: workers may call it concurrently.
        def advance(_source: str, nbytes: int) -> None:
            progress.advance(task, nbytes)

        yield advance
