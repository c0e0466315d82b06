"""Every code example of the docs runs, so none can rot: each page on its own, in a fresh
interpreter, and the whole site in reading order in one interpreter (as one reader would).

A page brings its own proxy: most start an embedded one with the set-up snippet the quickstart
documents; the command line guide starts ``alluxio-py serve`` and points ``ALLUXIO_PROXY`` at
it. Nothing is predefined, not even in the environment: a page that relies on another page's
variables fails on its own. See ``tests/docs/_markdown.py`` for the block kinds and
``tests/docs/_run_pages.py`` for the runner.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.docs import _markdown

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
GUIDES = [page for page in PAGES if page.startswith("guides/")]
RUNNABLE = {"python", "console"}
CODE_COLUMNS = 80


def _runnable(page: str) -> bool:
    return any(b.lang in RUNNABLE for b in _markdown.blocks((DOCS / page).read_text()))


def _nav_pages(nav: list[object]) -> list[str]:
    """The pages of mkdocs.yml's ``nav``, in reading order."""
    found: list[str] = []
    for entry in nav:
        for value in entry.values() if isinstance(entry, dict) else [entry]:
            found += _nav_pages(value) if isinstance(value, list) else [str(value)]
    return found


def _mkdocs_nav() -> list[object]:
    # mkdocs.yml may hold !!python/name tags (pymdownx): read it without building them.
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *_: None)
    with open(ROOT / "mkdocs.yml") as f:
        nav: list[object] = yaml.load(f, Loader=Loader)["nav"]
    return nav


READING_ORDER = [page for page in _nav_pages(_mkdocs_nav()) if _runnable(page)]
# The embedded proxy every page that needs one starts (documented in the quickstart).
SETUP_PAGE = "guides/quickstart.md"
SETUP_MARK = "proxy = EmbeddedProxy("


def _run(pages: list[str], tmp_path: Path, timeout: float) -> None:
    """Run ``pages`` in one fresh interpreter, with an environment free of proxy settings."""
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLUXIO_")}
    env |= {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "PATH": bin_dir + os.pathsep + os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "NO_COLOR": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.docs._run_pages", str(tmp_path / "work"), *pages],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:]


def test_every_guide_has_runnable_examples() -> None:
    assert len(GUIDES) >= 9
    for page in GUIDES:
        assert _runnable(page), f"{page} has no runnable example"


def test_every_runnable_page_is_in_the_nav() -> None:
    assert sorted(READING_ORDER) == [page for page in PAGES if _runnable(page)]


def test_code_blocks_are_known_kinds() -> None:
    # A typo such as ```pyhton would silently drop an example from this test.
    allowed = RUNNABLE | {"text", "toml", "yaml", "json", "ini", "nginx"}
    for page in PAGES:
        for block in _markdown.blocks((DOCS / page).read_text()):
            assert block.lang in allowed, f"{page}:{block.line}: unknown fence {block.lang!r}"


def test_code_lines_fit_the_column() -> None:
    # The theme's content column shows 80 characters of code at any window size; longer
    # lines scroll sideways (the browser test sees the same in the built site).
    long = [
        f"{page}:{block.line + number}: {len(line)} characters"
        for page in PAGES
        for block in _markdown.blocks((DOCS / page).read_text())
        for number, line in enumerate(block.code.splitlines())
        if len(line) > CODE_COLUMNS
    ]
    assert not long, long


def test_pages_start_the_proxy_with_the_documented_snippet() -> None:
    # One snippet, explained once: a page that needs a proxy copies it verbatim.
    (setup,) = [
        b.code
        for b in _markdown.blocks((DOCS / SETUP_PAGE).read_text())
        if b.lang == "python" and SETUP_MARK in b.code
    ]
    users = []
    for page in PAGES:
        for block in _markdown.blocks((DOCS / page).read_text()):
            if block.lang == "python" and block.title is None and SETUP_MARK in block.code:
                assert block.code == setup, f"{page}:{block.line}: differs from {SETUP_PAGE}"
                users.append(page)
    assert len(users) >= 8, users


@pytest.mark.parametrize("page", READING_ORDER)
def test_page_runs_on_its_own(page: str, tmp_path: Path) -> None:
    _run([page], tmp_path, timeout=300)


def test_pages_run_in_reading_order(tmp_path: Path) -> None:
    _run(READING_ORDER, tmp_path, timeout=900)


def test_output_matching() -> None:
    match = _markdown.output_matches
    assert match(["a", "...", "d"], ["a", "b", "c", "d"])
    assert match(["size ... bytes"], ["size 12 bytes"])
    assert not match(["a"], ["a", "b"])
    assert not match(["a", "b"], ["a"])
    assert match(["..."], [])


def test_block_parsing() -> None:
    text = (
        "intro\n"
        "```python\n"
        "x = 1\n"
        "```\n"
        "1. step\n"
        "\n"
        '    ```console title="in a checkout of the repository"\n'
        "    $ echo hi\n"
        "    hi\n"
        "    ```\n"
    )
    first, second = _markdown.blocks(text)
    assert (first.lang, first.title, first.code, first.line) == ("python", None, "x = 1\n", 3)
    assert (second.lang, second.title) == ("console", "in a checkout of the repository")
    (command,) = _markdown.commands(second)
    assert (command.command, command.expected, command.line) == ("echo hi", ["hi"], 8)
    with pytest.raises(ValueError, match="unterminated"):
        _markdown.blocks("```python\nx = 1\n")


def test_shell_keeps_state_between_commands(tmp_path: Path) -> None:
    shell = _markdown.Shell(tmp_path, {"PATH": os.environ["PATH"]})
    try:
        assert shell.run("export GREETING=hello; mkdir sub; cd sub") == (0, [])
        assert shell.run('echo "$GREETING from $(basename "$PWD")"') == (0, ["hello from sub"])
        # A command reading standard input gets nothing (not the commands after it) ...
        assert shell.run("cat; echo after") == (0, ["after"])
        # ... unless it pipes its own; exit statuses come back.
        assert shell.run("printf 'a\\nb\\n' | wc -l") == (0, ["2"])
        assert shell.run("false")[0] == 1
        status, _ = shell.run("sleep 300 & echo $! > job.pid")
        assert status == 0
    finally:
        shell.close()
    # Closing the shell ends the jobs it started: killed, the job is gone (or a zombie) as
    # soon as the kernel has run its exit, which a loaded machine may take a moment to do.
    stat = Path(f"/proc/{int((tmp_path / 'sub' / 'job.pid').read_text())}/stat")
    deadline = time.monotonic() + 10
    while stat.exists() and not stat.read_text().split(") ", 1)[1].startswith("Z"):
        assert time.monotonic() < deadline, f"still running: {stat.read_text()}"
        time.sleep(0.05)


def test_command_output_mismatch_is_reported(tmp_path: Path) -> None:
    shell = _markdown.Shell(tmp_path, {"PATH": os.environ["PATH"]})
    command = _markdown.Command("echo one; echo two", ["one", "three"], 7)
    try:
        with pytest.raises(AssertionError, match=r"(?s)page.md:7: \$ echo one.*three.*two"):
            _markdown.run_command(command, shell, "page.md")
    finally:
        shell.close()
