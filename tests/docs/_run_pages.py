"""Run the examples of documentation pages in this interpreter, as a reader would.

Usage: ``python -m tests.docs._run_pages WORKDIR PAGE...`` (pages relative to ``docs/``).

The pages run in the order given, in one namespace, as one reader working through them in one
Python session: a page sees nothing but what the pages before it defined. Each page gets a
fresh working directory under ``WORKDIR`` and its own shell for console blocks. See
``tests/docs/_markdown.py`` for the kinds of blocks. Exits non-zero on the first failure,
with a traceback pointing into the Markdown file.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from tests.docs import _markdown

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
CHECKOUT = "in a checkout"


def run_page(page: str, namespace: dict[str, Any], work: Path) -> None:
    """Run every block of ``docs/page`` in order, in ``namespace``, from ``work``."""
    source = str(DOCS / page)
    work.mkdir(parents=True)
    os.chdir(work)
    shells: dict[Path, _markdown.Shell] = {}
    try:
        for block in _markdown.blocks((DOCS / page).read_text()):
            if block.lang == "python" and block.title is not None:
                (work / block.title).write_text(block.code)
            elif block.lang == "python":
                _markdown.run_python(block, namespace, source)
            elif block.lang == "console":
                where = ROOT if block.title and CHECKOUT in block.title else work
                if where not in shells:
                    shells[where] = _markdown.Shell(where, dict(os.environ))
                for command in _markdown.commands(block):
                    _markdown.run_command(command, shells[where], source)
    finally:
        for shell in shells.values():
            shell.close()


def main(argv: list[str]) -> int:
    """Run the pages named in ``argv`` (after the working directory)."""
    workdir, pages = Path(argv[0]), argv[1:]
    namespace: dict[str, Any] = {"__name__": "__main__"}
    for number, page in enumerate(pages):
        run_page(page, namespace, workdir / f"{number:02}-{page.replace('/', '-')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
