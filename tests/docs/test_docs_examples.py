"""Every code example of the guides runs against an embedded proxy, so none can rot.

Each page gets a fresh :class:`~alluxio.server.EmbeddedProxy` (``proxy``) and a client
connected to it (``client``), bound in the namespace its Python blocks run in; console blocks
see the proxy as ``ALLUXIO_PROXY``. See ``tests/docs/_markdown.py`` for the block kinds.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

import alluxio
from alluxio.server import EmbeddedProxy
from tests.docs import _markdown

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
GUIDES = [page for page in PAGES if page.startswith("guides/")]
RUNNABLE = {"python", "console"}


def test_every_guide_has_runnable_examples() -> None:
    assert len(GUIDES) >= 9
    for page in GUIDES:
        found = _markdown.blocks((DOCS / page).read_text())
        assert any(block.lang in RUNNABLE for block in found), f"{page} has no runnable example"


def test_code_blocks_are_known_kinds() -> None:
    # A typo such as ```pyhton would silently drop an example from this test.
    allowed = RUNNABLE | {"text", "toml", "yaml", "json", "ini"}
    for page in PAGES:
        for block in _markdown.blocks((DOCS / page).read_text()):
            assert block.lang in allowed, f"{page}:{block.line}: unknown fence {block.lang!r}"


@pytest.mark.parametrize("page", PAGES)
def test_page_examples(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, alluxio_proxy: EmbeddedProxy
) -> None:
    source = str(DOCS / page)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    bin_dir = str(Path(sys.executable).parent)
    env = {"ALLUXIO_PROXY": alluxio_proxy.url, "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        namespace: dict[str, Any] = {
            "__name__": "__docs_example__",
            "proxy": alluxio_proxy,
            "client": client,
        }
        for block in _markdown.blocks((DOCS / page).read_text()):
            if block.lang == "python" and block.title is not None:
                (work / block.title).write_text(block.code)
            elif block.lang == "python":
                _markdown.run_python(block, namespace, source)
            elif block.lang == "console":
                cwd = ROOT if block.title and "in a checkout" in block.title else work
                for command in _markdown.commands(block):
                    _markdown.run_command(command, cwd, env, source)


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
