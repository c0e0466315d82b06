"""The command-line reference page (``docs/reference/cli.md``), rendered from the Typer app.

``scripts/cli-reference`` writes it; ``tests/cli/test_reference.py`` fails when the page and
the app disagree, so every command, argument, option, default and environment variable of
``alluxio-py`` is documented exactly as the code defines it.
"""

from __future__ import annotations

import enum
import inspect
import json
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


def _line(text: str) -> str:
    """Help text on one line (a list item)."""
    return " ".join(text.split())


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
    return f"{names} `{param.make_metavar(ctx)}`"


def _choices(param: Any) -> str:
    choices = getattr(param.type, "choices", None)
    if not choices:
        return ""
    values = [c.value if isinstance(c, enum.Enum) else str(c) for c in choices]
    return " One of " + ", ".join(f"`{value}`" for value in values) + "."


def _item(names: str, default: str, envvar: str, text: str) -> str:
    """One list item: the names, then what defaults it (value, variable), then the help.

    A list, not a table: tables of four columns broke variable names and defaults mid-word
    on narrow pages, and a ``|`` in a metavar needs escaping that shows in code spans."""
    facts = [f"default {default}" if default else "", f"environment `{envvar}`" if envvar else ""]
    said = "; ".join(fact for fact in facts if fact)
    return f"- {names}{f' ({said})' if said else ''}: {text}".rstrip(": ")


def _options_list(params: list[Any], ctx: Any) -> list[str]:
    options = [p for p in params if p.param_type_name == "option" and not p.hidden]
    if not options:
        return []
    lines = ["Options:", ""]
    for param in options:
        envvar = param.envvar if isinstance(param.envvar, str) else ""
        text = _line(param.help or "") + _choices(param)
        lines.append(_item(_names(param, ctx), _default(param), envvar, text.strip()))
    return [*lines, ""]


def _arguments_list(params: list[Any], ctx: Any) -> list[str]:
    from ._app import _usage_piece

    arguments = [p for p in params if p.param_type_name == "argument"]
    if not arguments:
        return []
    lines = ["Arguments:", ""]
    for param in arguments:
        help_text = getattr(param, "help", None) or ("required" if param.required else "")
        lines.append(_item(f"`{_usage_piece(param)}`", _default(param), "", _line(help_text)))
    return [*lines, ""]


def _passed_on(ctx: Any) -> list[str]:
    """The options of a command that hands its arguments to another parser: ``serve`` takes
    the server's (``alluxio.server.__main__``, their one definition), shown as its help."""
    if ctx.info_name != "serve":
        return []
    try:
        from ..server.__main__ import build_parser
    except ImportError:  # pragma: no cover - without the server extra
        return []
    text = build_parser(f"{PROG} serve", cli=True, width=80).format_help()
    options = text[text.index("\noptions:\n") + 1 :].rstrip("\n")
    return ["```text", options, "```", ""]


def _section(title: str, usage: str, help_text: str, params: list[Any], ctx: Any) -> list[str]:
    lines = [f"## {title}", "", "```text", usage, "```", ""]
    if help_text:
        lines += [inspect.cleandoc(help_text), ""]
    return lines + _arguments_list(params, ctx) + _options_list(params, ctx) + _passed_on(ctx)


def render() -> str:
    """The Markdown reference of every ``alluxio-py`` command, in the order of ``--help``."""
    group: Any = get_command(app)
    root = typer.Context(group, info_name=PROG)
    out = [_HEADER]
    global_params = [p for p in group.get_params(root) if p.name != "help"]
    usage = f"{PROG} [OPTIONS] COMMAND [ARGS]..."
    out += _section("Global options", usage, group.help or "", global_params, root)
    for name in group.list_commands(root):
        out += _command_sections(group.get_command(root, name), name, root)
    return "\n".join(out).rstrip("\n") + "\n"


def render_top_help() -> str:
    """What ``alluxio-py --help`` prints on a terminal at least 80 columns wide (Click wraps
    help at 78 columns then), as Typer renders it."""
    from typer.testing import CliRunner

    # Click wraps at min(columns, 80) - 2 on a terminal; CliRunner forces its own width.
    result = CliRunner().invoke(app, ["--help"], prog_name=PROG, terminal_width=78)
    if result.exit_code != 0:
        raise RuntimeError(f"alluxio-py --help failed: {result.output}")
    return result.stdout


def render_top_help_module() -> str:
    """``alluxio/cli/_top_help.py``: the top-level help as a constant, for ``main()``."""
    return (
        '"""Generated by scripts/cli-reference from the Typer application: do not edit.\n\n'
        "``alluxio-py --help`` prints this without importing Typer and every command (see\n"
        '``alluxio.cli.main``); tests/cli/test_reference.py fails when it is stale."""\n\n'
        "TOP_HELP = (\n"
        # JSON string literals are Python ones, double-quoted as ruff format wants them.
        + "".join(
            f"    {json.dumps(line, ensure_ascii=False)}\n"
            for line in render_top_help().splitlines(keepends=True)
        )
        + ")\n"
    )


def _command_sections(command: Any, name: str, parent: Any) -> list[str]:
    """The section of one command; a group of commands (``config``) gets one per command."""
    ctx = typer.Context(command, info_name=name.rsplit(" ", 1)[-1], parent=parent)
    if hasattr(command, "list_commands"):
        out = [f"## `{name}`", "", inspect.cleandoc(command.help or ""), ""]
        for sub in command.list_commands(ctx):
            out += _command_sections(command.get_command(ctx, sub), f"{name} {sub}", ctx)
        return out
    usage = " ".join([f"{PROG} {name}", *command.collect_usage_pieces(ctx)])
    params = [p for p in command.get_params(ctx) if p.name != "help"]
    return _section(f"`{name}`", usage, command.help or "", params, ctx)
