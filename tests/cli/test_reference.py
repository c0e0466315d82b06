"""The generated command-line reference (docs/reference/cli.md) covers the app as it is."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import typer
from typer.main import get_command

from alluxio.cli import app
from alluxio.cli._reference import render

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "reference" / "cli.md"


def test_the_page_is_what_the_generator_renders() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(), "run scripts/cli-reference"


def test_the_check_script_passes() -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "cli-reference"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0].strip("`"): part for part in parts}


def test_every_command_option_default_and_variable_is_documented() -> None:
    sections = _sections(PAGE.read_text(encoding="utf-8"))
    group: Any = get_command(app)
    root = typer.Context(group, info_name="alluxio-py")
    checked: list[tuple[str, Any]] = [("Global options", group)]
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        checked.append((name, command))
        if hasattr(command, "list_commands"):  # a group (config): each of its commands too
            ctx = typer.Context(command, info_name=name, parent=root)
            checked += [
                (f"{name} {sub}", command.get_command(ctx, sub))
                for sub in command.list_commands(ctx)
            ]
    assert set(sections) == {title for title, _ in checked}
    assert {"config path", "config list", "config show"} <= set(sections)
    for title, command in checked:
        section = sections[title]
        for param in command.params:
            if param.param_type_name == "option":
                for name in [*param.opts, *param.secondary_opts]:
                    assert f"`{name}`" in section, (title, name)
                if isinstance(param.envvar, str):
                    assert f"`{param.envvar}`" in section, (title, param.envvar)
            else:
                assert param.human_readable_name.strip("[]{}.").split()[0] in section
        if command.help:
            first_line = command.help.strip().splitlines()[0]
            assert first_line in section, title


def test_the_page_is_in_the_navigation() -> None:
    assert "reference/cli.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
