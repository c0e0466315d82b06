"""Fenced code blocks of the documentation's Markdown pages, and running them.

A page's blocks run in order:

- ```` ```python ```` blocks are executed in one namespace per page;
- ```` ```python title="NAME" ```` blocks are written to the file ``NAME`` in the page's
  working directory (a test module, a script), not executed;
- ```` ```console ```` blocks hold ``$ command`` lines, each followed by its expected output.
  Commands run in one ``bash`` per page (see :class:`Shell`), started in the page's working
  directory; a block titled ``in a checkout`` runs at the top of the repository instead. An
  output line ``...`` matches any number of lines; ``...`` inside a line matches any text.

Other fences (``text``, ``toml``, ...) are not code and are not run.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+)(?P<lang>[\w-]*)(?P<attrs>.*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')


@dataclass(frozen=True)
class Block:
    """One fenced code block."""

    lang: str
    title: str | None
    code: str
    line: int  # line number of the first line of code (1-based)


def blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown document, in order (indented ones too)."""
    found: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match is None:
            i += 1
            continue
        indent, fence = match["indent"], match["fence"]
        title = _TITLE.search(match["attrs"])
        body: list[str] = []
        start = i + 2
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            line = lines[i]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            i += 1
        if i == len(lines):
            raise ValueError(f"line {start - 1}: unterminated code block")
        found.append(
            Block(match["lang"], title["title"] if title else None, "\n".join(body) + "\n", start)
        )
        i += 1
    return found


@dataclass(frozen=True)
class Command:
    """One ``$ command`` of a console block with the output shown for it."""

    command: str
    expected: list[str]
    line: int


def commands(block: Block) -> list[Command]:
    """The commands of a console block."""
    found: list[Command] = []
    for offset, line in enumerate(block.code.splitlines()):
        if line.startswith("$ "):
            found.append(Command(line[2:], [], block.line + offset))
        elif found:
            found[-1].expected.append(line)
        elif line.strip():
            raise ValueError(f"line {block.line + offset}: output before any '$ ' command")
    return found


def _line_pattern(expected: str) -> re.Pattern[str]:
    parts = (re.escape(part) for part in expected.rstrip().split("..."))
    return re.compile(".*".join(parts) + r"\s*")


def output_matches(expected: list[str], actual: list[str]) -> bool:
    """Whether ``actual`` output lines match ``expected`` (with ``...`` wildcards)."""
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    while actual and not actual[-1].strip():
        actual = actual[:-1]
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(output_matches(rest, actual[skip:]) for skip in range(len(actual) + 1))
    return (
        bool(actual)
        and _line_pattern(head).fullmatch(actual[0]) is not None
        and output_matches(rest, actual[1:])
    )


def run_python(block: Block, namespace: dict[str, Any], source: str) -> None:
    """Execute a python block in ``namespace`` (tracebacks point into the Markdown file)."""
    code = compile("\n" * (block.line - 1) + block.code, source, "exec")
    exec(code, namespace)


class Shell:
    """One ``bash`` for the console blocks of a page, as a reader's terminal: what a command
    sets (``export``, ``cd``, a job started with ``&``) holds for the commands after it.

    Each command reads no standard input (it would eat the commands after it) unless it pipes
    its own. Closing the shell kills what it started, background jobs included.
    """

    def __init__(self, cwd: Path, env: dict[str, str]) -> None:
        self._process = subprocess.Popen(
            ["bash", "--noprofile", "--norc"],
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,  # interleaved, as a terminal shows them
            start_new_session=True,  # one process group: closing kills background jobs too
        )
        self._marker = f"__docs_{uuid.uuid4().hex}__"
        self._pending = b""

    def run(self, command: str, timeout: float = 300.0) -> tuple[int, list[str]]:
        """Run one command line; its exit status and output lines."""
        assert self._process.stdin is not None and self._process.stdout is not None
        script = f"{{\n{command}\n}} </dev/null\nprintf '\\n{self._marker} %d\\n' $?\n"
        self._process.stdin.write(script.encode())
        self._process.stdin.flush()
        deadline = time.monotonic() + timeout
        pattern = re.compile(rb"\n" + self._marker.encode() + rb" (\d+)\n")
        out = self._process.stdout.fileno()
        while (found := pattern.search(self._pending)) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"$ {command}: no end after {timeout:.0f} s")
            if select.select([out], [], [], remaining)[0]:
                data = os.read(out, 65536)
                if not data:
                    raise AssertionError(f"$ {command}: the shell exited")
                self._pending += data
        output, self._pending = self._pending[: found.start()], self._pending[found.end() :]
        return int(found[1]), output.decode(errors="replace").splitlines()

    def close(self) -> None:
        """End the shell and everything it started."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        for pipe in (self._process.stdin, self._process.stdout):
            if pipe is not None:
                pipe.close()


def run_command(command: Command, shell: Shell, source: str) -> None:
    """Run one console command; fail with a diff-like message if its output differs."""
    status, actual = shell.run(command.command)
    if not output_matches(command.expected, actual):
        shown = "\n".join(command.expected)
        got = "\n".join(actual)
        raise AssertionError(
            f"{source}:{command.line}: $ {command.command}\n"
            f"exit status {status}\n--- expected ---\n{shown}\n--- actual ---\n{got}"
        )
