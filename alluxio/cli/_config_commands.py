"""``alluxio-py config``: where the configuration file is, its profiles, and the options a
command would use (secrets masked).

Registered on the group by importing this module (``alluxio.cli._app`` does, at its end).
"""

import typer

from ._app import PROFILE_KEYS, PROG, Connection, _Command, _settings, app

__all__: list[str] = []

config_app = typer.Typer(
    name="config",
    help="The configuration file and its profiles (see the profiles section of the guide).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(config_app)

MASK = "***"


@config_app.command("path", cls=_Command)
def path_command() -> None:
    """Print the path of the configuration file (ALLUXIO_PY_CONFIG, else the user's
    configuration directory); it need not exist."""
    from ._config import config_path

    typer.echo(str(config_path()))


@config_app.command("list", cls=_Command)
def list_command() -> None:
    """Print the names of the profiles in the configuration file, one per line."""
    from ._config import ConfigError, config_path, load

    try:
        profiles = load(config_path())
    except ConfigError as exc:
        typer.echo(f"{PROG}: {exc}", err=True)
        raise typer.Exit(2) from None
    for name in sorted(profiles or {}):
        typer.echo(name)


def _shown(name: str, value: object) -> str:
    """An option's value as ``config show`` prints it: secrets masked."""
    if value is None or value in ([], (), {}):
        return "(not set)"
    if name == "token":
        return MASK
    if name == "header":
        pairs = list(value.items()) if isinstance(value, dict) else []
        if isinstance(value, list):
            pairs = [_split(str(header)) for header in value]
        return ", ".join(f"{header}: {MASK}" for header, _ in pairs)
    if name == "http_proxy" and isinstance(value, str) and "@" in value:
        scheme, _, rest = value.rpartition("://")
        return f"{scheme}://{MASK}@{rest.rsplit('@', 1)[1]}" if scheme else MASK
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _split(header: str) -> tuple[str, str]:
    name, _, value = header.partition(":")
    return name.strip(), value.strip()


@config_app.command("show", cls=_Command)
def show_command(ctx: typer.Context) -> None:
    """Print the options a command would use and where each comes from (the command line,
    an environment variable, the profile, or the default). Token and header values are
    masked."""
    connection: Connection = _settings(ctx).connection()
    from ._config import config_path

    typer.echo(f"config file: {config_path()}")
    typer.echo(f"profile:     {connection.profile.name if connection.profile else '(none)'}")
    width = max(len(name) for name in PROFILE_KEYS)
    for name in PROFILE_KEYS:
        value = connection.url if name == "proxy" else connection.values.get(name)
        if name == "dialect":
            value = connection.dialect.value
        typer.echo(f"{name:<{width}}  {_shown(name, value)}  ({connection.origins[name]})")
