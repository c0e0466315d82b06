"""The command-line reference page (``docs/reference/cli.md``), rendered from the Typer app.

``scripts/cli-reference`` writes it; ``tests/cli/test_reference.py`` fails when the page and
the app disagree, so every command, argument, option, default and environment variable of
``alluxio-py`` is documented exactly as the code defines it.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

import typer
from typer.main import get_command

from ._app import PROG, app

__all__ = ["render"]

_HEADER = """\
# Command-line reference

Every command and option of `alluxio-py`, generated from the application itself by
`scripts/cli-reference` (a test fails if this page and the code disagree). The
[command-line guide](../guides/cli.md) shows them at work. Global options go before or after
the command; exit status: 0 success, 1 an Alluxio, connection or local file error, 2 a usage
error, 130 interrupted.
"""


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, ``|`` escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _default(param: Any) -> str:
    default = param.default
    if callable(default) or default is None or default == [] or default == ():
        return ""
    if param.param_type_name == "option" and param.is_flag:
        if param.secondary_opts:  # --x/--no-x: name the one on by default
            return f"`{(param.opts if default else param.secondary_opts)[0]}`"
        return ""
    if isinstance(default, enum.Enum):
        default = default.value
    return f"`{default}`"


def _names(param: Any, ctx: Any) -> str:
    names = ", ".join(f"`{name}`" for name in [*param.opts, *param.secondary_opts])
    if param.is_flag or param.count:
        return names
    return f"{names} `{_cell(param.make_metavar(ctx))}`"


def _choices(param: Any) -> str:
    choices = getattr(param.type, "choices", None)
    if not choices:
        return ""
    values = [c.value if isinstance(c, enum.Enum) else str(c) for c in choices]
    return " (one of " + ", ".join(f"`{value}`" for value in values) + ")"


def _options_table(params: list[Any], ctx: Any) -> list[str]:
    options = [p for p in params if p.param_type_name == "option" and not p.hidden]
    if not options:
        return []
    lines = [
        "| Option | Default | Environment | Description |",
        "| --- | --- | --- | --- |",
    ]
    for param in options:
        envvar = param.envvar if isinstance(param.envvar, str) else ""
        lines.append(
            f"| {_names(param, ctx)} | {_default(param)} | "
            f"{f'`{envvar}`' if envvar else ''} | {_cell(param.help or '')}{_choices(param)} |"
        )
    return [*lines, ""]


def _arguments_table(params: list[Any], ctx: Any) -> list[str]:
    from ._app import _usage_piece

    arguments = [p for p in params if p.param_type_name == "argument"]
    if not arguments:
        return []
    lines = ["| Argument | Default | Description |", "| --- | --- | --- |"]
    for param in arguments:
        help_text = getattr(param, "help", None) or ("required" if param.required else "")
        lines.append(f"| `{_usage_piece(param)}` | {_default(param)} | {_cell(help_text)} |")
    return [*lines, ""]


def _section(title: str, usage: str, help_text: str, params: list[Any], ctx: Any) -> list[str]:
    lines = [f"## {title}", "", "```text", usage, "```", ""]
    if help_text:
        lines += [inspect.cleandoc(help_text), ""]
    return lines + _arguments_table(params, ctx) + _options_table(params, ctx)


def render() -> str:
    """The Markdown reference of every ``alluxio-py`` command, in the order of ``--help``."""
    group: Any = get_command(app)
    root = typer.Context(group, info_name=PROG)
    out = [_HEADER]
    global_params = [p for p in group.get_params(root) if p.name != "help"]
    usage = f"{PROG} [OPTIONS] COMMAND [ARGS]..."
    out += _section("Global options", usage, group.help or "", global_params, root)
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        ctx = typer.Context(command, info_name=name, parent=root)
        usage = " ".join([f"{PROG} {name}", *command.collect_usage_pieces(ctx)])
        params = [p for p in command.get_params(ctx) if p.name != "help"]
        out += _section(f"`{name}`", usage, command.help or "", params, ctx)
    return "\n".join(out).rstrip("\n") + "\n"
