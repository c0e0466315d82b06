"""The ``alluxio-py`` commands (Typer), on top of :class:`alluxio.Client`."""

# No `from __future__ import annotations`: Typer reads every command's annotations when it
# builds the command line (--help too), and evaluating them from strings cost ~15% of
# `alluxio-py --help`. Names imported only for type checking are quoted.

import contextlib
import enum
import errno
import functools
import itertools
import json
import os
import posixpath
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
import typer.core

from ..exceptions import AlluxioError, HTTPError, HTTPTimeoutError, NotFoundError
from . import _format as fmt
from ._complete import complete_remote

if TYPE_CHECKING:
    from .. import _transfer as transfer
    from .. import option
    from ..client import Client
    from ..wire import FileInfo
    from ._config import Profile

# Startup time: `alluxio-py --version` and `--help` import only Typer and the light modules
# above; the client (httpx, httpcore, the transports), alluxio.option and alluxio.wire (the
# generated facade), the transfer machinery and Rich are imported by the commands that use
# them.

__all__ = ["DEFAULT_PROXY", "app", "main", "run"]

PROG = "alluxio-py"
DEFAULT_PROXY = "http://localhost:39999"
DEFAULT_PORT = 39999
EXIT_ERROR = 1


class _Stopped(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised in the main thread like Ctrl-C's KeyboardInterrupt, so every
    cleanup that runs on Ctrl-C (temporary files of a transfer) runs for these too."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, _frame: object) -> None:
    raise _Stopped(signum)


# Handled like SIGINT: cleanup, one line on stderr, exit status 128 + the signal's number.
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _usage_piece(param: Any) -> str:
    """One argument in a usage line, as people write it: ``PATH``, ``[PATH]``, ``PATH...``."""
    name = re.sub(r"[{}]", "", param.metavar or param.name or "").upper()
    if name.startswith("["):  # "[PATH]...": the brackets said "optional", as below
        name = name[1:].replace("]", "", 1)
    if param.nargs != 1 and "..." not in name:
        name += "..."
    return name if param.required else f"[{name}]"


class _Command(typer.core.TyperCommand):
    """Usage lines for people: ``get [OPTIONS] PATH... LOCAL``, not ``{PATH...} {LOCAL}``."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        pieces += [
            _usage_piece(param)
            for param in self.get_params(ctx)
            if param.param_type_name == "argument"
        ]
        return pieces


def _option_names(params: list[Any]) -> tuple[set[str], set[str]]:
    """(every option name, the names of options that take a value) of ``params``."""
    names: set[str] = set()
    valued: set[str] = set()
    for param in params:
        if param.param_type_name != "option":
            continue
        opts = {*param.opts, *param.secondary_opts}
        names |= opts
        if not param.is_flag and not param.count:
            valued |= opts
    return names, valued


def hoist_global_options(group: Any, ctx: Any, args: list[str]) -> list[str]:
    """Move the group's options written after the command in front of it, so
    ``ls / --proxy URL`` means ``--proxy URL ls /``. A command's own option of the same name
    (``serve --dialect``) stays with the command; nothing after ``--`` moves."""
    global_names, global_valued = _option_names(group.params)
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--" or not arg.startswith("-"):
            break
        index += 2 if arg in global_valued else 1
    if index >= len(args) or args[index] == "--":
        return args
    command = group.get_command(ctx, args[index])
    if command is None or command.context_settings.get("ignore_unknown_options"):
        # serve passes its arguments on as they are: all of them stay with it.
        return args
    own_names, own_valued = _option_names(command.params)
    head = args[: index + 1]
    rest: list[str] = []
    moved: list[str] = []
    position = index + 1
    while position < len(args):
        arg = args[position]
        if arg == "--":
            rest += args[position:]
            break
        name = arg.split("=", 1)[0]
        takes_value = "=" not in arg and (name in global_valued or name in own_valued)
        bucket = moved if name in global_names and name not in own_names else rest
        bucket += args[position : position + (2 if takes_value else 1)]
        position += 2 if takes_value else 1
    return moved + head + rest


_COMPLETION_SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _completion_for_a_named_shell(ctx: Any, args: list[str]) -> None:
    """``--show-completion SHELL``: that shell's script.

    Typer's option only detects the current shell from the process tree: a shell name after
    it was silently ignored (``--show-completion fish`` printed bash's script), and with no
    shell above the process (a Dockerfile, a Makefile) it failed with "Shell  not supported".
    The script comes from Click's documented ``_PROG_COMPLETE=source_SHELL`` protocol, which
    Typer implements, so nothing here depends on Typer's internals.
    """
    if len(args) != 2 or args[0] != "--show-completion":
        return
    shell = args[1]
    if shell not in _COMPLETION_SHELLS:
        raise typer.BadParameter(
            f"{shell!r} is not a shell this command completes in; use one of "
            + ", ".join(_COMPLETION_SHELLS),
            param_hint="'--show-completion'",
        )
    prog_name = ctx.find_root().info_name or "alluxio-py"
    complete_var = "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())
    os.environ[complete_var] = f"source_{shell}"
    try:
        # Prints the script and exits (status 0) before parsing anything.
        typer.main.get_command(app).main(args=[], prog_name=prog_name)
    finally:
        os.environ.pop(complete_var, None)


class _Group(typer.core.TyperGroup):
    """Accepts global options after the command too, and ends an interrupted command with
    status 128 + signal (130 for Ctrl-C; Click's default is "Aborted!" and 1)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        _completion_for_a_named_shell(ctx, args)
        return super().parse_args(ctx, hoist_global_options(self, ctx, list(args)))

    def invoke(self, ctx: Any) -> Any:  # a click Context (vendored by Typer)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            settings = ctx.find_object(_Settings)
            if settings is not None:
                settings.interrupted = True
            signum = exc.signum if isinstance(exc, _Stopped) else signal.SIGINT
            what = (
                "interrupted"
                if signum == signal.SIGINT
                else f"stopped by {signal.Signals(signum).name}"
            )
            with contextlib.suppress(OSError):  # after SIGHUP the terminal may be gone
                typer.echo(f"\n{PROG}: {what}", err=True)
            raise typer.Exit(128 + signum) from None


app = typer.Typer(
    name=PROG,
    cls=_Group,
    help=(
        "Work with Alluxio files over the Alluxio REST proxy: list, copy in and out (in "
        "parallel, with progress), change attributes, mount. Options not given here or in "
        "the environment come from a profile of the configuration file (alluxio-py config "
        "show). Exit status: 0 success, 1 an Alluxio or connection error, 2 a usage error."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


F = TypeVar("F", bound=Callable[..., Any])


def command(name: str) -> Callable[[F], F]:
    """``@command("ls")``: register an ``alluxio-py`` command (with the plain usage line)."""
    register: Callable[[F], F] = app.command(name, cls=_Command)
    return register


class DialectChoice(enum.StrEnum):
    """The ``--dialect`` values."""

    V2 = "2.x"
    V1 = "1.x"
    AUTO = "auto"


class TtlActionChoice(enum.StrEnum):
    """What happens when a TTL expires."""

    DELETE = "delete"
    FREE = "free"


# -- global state and errors -------------------------------------------------------------------


# The global options a profile may set: option name -> key in the profile.
PROFILE_KEYS = {
    "proxy": "proxy",
    "timeout": "timeout",
    "dialect": "dialect",
    "header": "headers",
    "token": "token",
    "ca_cert": "ca_cert",
    "insecure": "insecure",
    "cert": "cert",
    "key": "key",
    "http_proxy": "http_proxy",
    "trust_env": "trust_env",
}


@dataclass(frozen=True)
class Connection:
    """Where and how the commands reach the proxy: each option from the command line, else
    the environment, else the profile, else its default."""

    url: str
    timeout: float | None
    dialect: DialectChoice
    http: dict[str, Any] = field(repr=False)  # headers, token: never in the repr
    profile: "Profile | None"
    origins: dict[str, str]  # option -> "--proxy", "ALLUXIO_PROXY", "profile 'x'", "default"
    values: dict[str, Any] = field(repr=False)  # option -> value, for `config show`


def _origins(ctx: Any) -> dict[str, str]:
    """Where each global option of ``ctx`` (the group's context) came from: its flag, its
    environment variable, or "default"."""
    origins = {}
    for param in ctx.command.params:
        if param.name in (*PROFILE_KEYS, "profile"):
            # By name: Typer vendors Click, so its ParameterSource is not click's.
            source = getattr(ctx.get_parameter_source(param.name), "name", "DEFAULT")
            if source == "COMMANDLINE":
                origins[param.name] = param.opts[0]
            elif source == "ENVIRONMENT":
                origins[param.name] = str(param.envvar)
            else:
                origins[param.name] = "default"
    return origins


def resolve_connection(given: dict[str, Any], origins: dict[str, str]) -> Connection:
    """Apply the precedence command line > environment > profile > default to the global
    options ``given`` (the group's parameters, with their ``origins``).

    Raises:
        ConfigError: the configuration file or the profile named cannot be used.
        typer.BadParameter: an option given on the command line or in the environment is bad.
    """
    from ._config import ConfigError, config_path, load, select

    path = config_path()
    named_by = origins.get("profile", "default")
    profiles = load(path)
    profile = select(profiles, given.get("profile"), path, named_by)
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    for name, key in PROFILE_KEYS.items():
        origin = origins.get(name, "default")
        if origin == "default" and profile is not None and key in profile.values:
            values[name] = profile.values[key]
            where[name] = f"profile {profile.name!r}"
        else:
            values[name] = given.get(name)
            where[name] = origin
    from_profile = profile is not None and any(w.startswith("profile") for w in where.values())
    if where["proxy"].startswith("profile") and profile is not None:
        try:
            _check_proxy(values["proxy"])
        except typer.BadParameter as exc:
            raise ConfigError(f"{profile.describe()}: proxy: {exc.message}") from None
    try:
        headers = values["header"]
        pairs = list(headers.items()) if isinstance(headers, dict) else _header_pairs(headers)
        http = _http_options(
            pairs,
            values["token"],
            values["ca_cert"],
            bool(values["insecure"]),
            values["cert"],
            values["key"],
            values["http_proxy"],
            values["trust_env"] is not False,
        )
    except typer.BadParameter as exc:
        if not from_profile or profile is None:
            raise
        raise ConfigError(f"{profile.describe()}: {exc.message}") from None
    timeout = values["timeout"]
    return Connection(
        url=values["proxy"] or DEFAULT_PROXY,
        timeout=None if timeout is None else float(timeout),
        dialect=DialectChoice(values["dialect"] or DialectChoice.V2),
        http=http,
        profile=profile,
        origins=where,
        values=values,
    )


@dataclass
class _Settings:
    """Global options as given; the profile is applied and the client made on first use
    (``serve``, ``demo`` and ``config path`` need neither, and work with a broken
    configuration file)."""

    given: dict[str, Any] = field(repr=False)  # may hold a token
    origins: dict[str, str]
    interrupted: bool = False
    _connection: Connection | None = field(default=None, repr=False)
    _client: "Client | None" = field(default=None, repr=False)

    def connection(self) -> Connection:
        """The options after applying the profile; a configuration error ends the command
        with status 2 and one line naming the file (never a secret)."""
        if self._connection is None:
            from ._config import ConfigError

            try:
                self._connection = resolve_connection(self.given, self.origins)
            except ConfigError as exc:
                typer.echo(_one_line(f"{PROG}: {exc}"), err=True)
                raise typer.Exit(2) from None
        return self._connection

    @property
    def url(self) -> str:
        return self.connection().url

    def client(self, ctx: typer.Context) -> "Client":
        if self._client is None:
            from ..client import Client

            conn = self.connection()
            kwargs: dict[str, Any] = {} if conn.timeout is None else {"timeout": conn.timeout}
            self._client = Client.from_url(
                conn.url, dialect=conn.dialect.value, **kwargs, **conn.http
            )
            ctx.find_root().call_on_close(self._close)
        return self._client

    def _close(self) -> None:
        # After Ctrl-C a transfer worker may still be blocked on a silent proxy, holding a
        # pooled connection that closing the pool would wait for; the process is exiting.
        if self._client is not None and not self.interrupted:
            self._client.close_connections()


def _check_proxy(url: str) -> str:
    """Validate ``--proxy`` (a URL, or a comma-separated list to fail over between)."""
    try:
        from .._endpoints import parse_proxy_urls

        parse_proxy_urls(url, name="--proxy")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return url


def _header_pairs(headers: list[str] | None) -> list[tuple[str, str]]:
    """``--header 'Name: value'`` options as (name, value) pairs."""
    pairs = []
    for header in headers or []:
        name, sep, value = header.partition(":")
        if not sep:
            raise typer.BadParameter("expected 'Name: value'", param_hint="'--header'")
        pairs.append((name.strip(), value.strip()))
    return pairs


def _http_options(
    headers: list[tuple[str, str]],
    token: str | None,
    ca_cert: str | None,
    insecure: bool,
    cert: str | None,
    key: str | None,
    http_proxy: str | None,
    trust_env: bool,
) -> dict[str, Any]:
    """The HTTP keywords of :class:`Client` the global options give, checked (the messages
    name a bad header, never its value)."""
    pairs = list(headers)
    if token is not None:
        pairs.append(("Authorization", f"Bearer {token}"))
    if key is not None and cert is None:
        raise typer.BadParameter("--key needs --cert", param_hint="'--key'")
    kwargs: dict[str, Any] = {
        "headers": pairs or None,
        "verify": False if insecure else ca_cert or True,
        "cert": None if cert is None else (cert, key),
        "proxy": http_proxy,
        "trust_env": trust_env,
    }
    kwargs = {k: v for k, v in kwargs.items() if v is not None and v is not True}
    try:
        from .._http import HTTPOptions

        HTTPOptions(**kwargs)
    except (ValueError, TypeError, OSError) as exc:
        raise typer.BadParameter(str(exc)) from None
    return kwargs


def _settings(ctx: typer.Context) -> _Settings:
    settings = ctx.find_object(_Settings)
    if settings is None:  # a command invoked without the group (not through main)
        raise RuntimeError("alluxio-py commands must run through the alluxio-py group")
    return settings


def _client(ctx: typer.Context) -> "Client":
    return _settings(ctx).client(ctx)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _error_text(exc: BaseException) -> str:
    """``STATUS: message`` for Alluxio and transport errors, the message for local ones."""
    if isinstance(exc, AlluxioError):
        return f"{exc.status}: {exc.message}"
    if isinstance(exc, HTTPTimeoutError):
        return f"TIMEOUT: {exc}"
    if isinstance(exc, HTTPError):
        return f"CONNECTION_ERROR: {exc}"
    if isinstance(exc, OSError) and exc.strerror and exc.filename:
        return f"{exc.strerror}: {exc.filename}"
    return str(exc) or type(exc).__name__


_PROXY_HINT = (
    " (is the proxy running there? Set it with --proxy URL or ALLUXIO_PROXY;"
    " 'alluxio-py config show' says where it came from)"
)


def _unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` says the proxy could not be reached at all (refused, unknown host)."""
    if not isinstance(exc, HTTPError) or isinstance(exc, HTTPTimeoutError):
        return False
    import httpx  # already imported by the client that raised exc

    return isinstance(exc.__cause__, httpx.ConnectError)


def _report(command: str, subject: str, exc: BaseException, hint: str = "") -> None:
    if _unreachable(exc):
        hint = _PROXY_HINT
    line = f"{PROG}: {command} {subject}: {_error_text(exc)}{hint}"
    typer.echo(_one_line(line), err=True)


def usage_error(ctx: typer.Context, message: str) -> NoReturn:
    """End the command as Click does for a usage error (exit status 2), with ``message``."""
    typer.echo(
        f"{ctx.get_usage()}\nTry '{ctx.command_path} --help' for help.\n\nError: {message}",
        err=True,
    )
    raise typer.Exit(2)


_HANDLED = (AlluxioError, HTTPError, OSError)


class _Outcome:
    """Runs one command's work per path: an error is reported on one line and remembered;
    the command goes on with the next path and exits 1 at the end (like ``rm a b``)."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.failed = False

    @contextlib.contextmanager
    def on(self, subject: str, hint: str = "") -> Iterator[None]:
        try:
            yield
        except BrokenPipeError:
            raise  # our reader went away: not this path's failure (see cat)
        except _HANDLED as exc:
            _report(self.command, subject, exc, hint if isinstance(exc, FileExistsError) else "")
            self.failed = True

    def finish(self) -> None:
        if self.failed:
            raise typer.Exit(EXIT_ERROR)


@contextlib.contextmanager
def _failing(command: str, subject: str, hint: str = "") -> Iterator[None]:
    """Like :class:`_Outcome` for a single subject: an error ends the command with status 1."""
    outcome = _Outcome(command)
    with outcome.on(subject, hint):
        yield
    outcome.finish()


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, sort_keys=True))


# -- argument types ---------------------------------------------------------------------------


def _remote(value: str) -> str:
    if not value.startswith("/"):
        raise typer.BadParameter(f"{value!r} is not an absolute Alluxio path (start it with /)")
    try:
        # The clients' own check: a path that would not reach the proxy intact (e.g. with
        # '?', which the proxy cuts at) is a usage error, before any request.
        from .._core import check_path

        return check_path(value, "Alluxio path")
    except ValueError as exc:
        message = exc.message if isinstance(exc, AlluxioError) else str(exc)
        raise typer.BadParameter(message) from None


def _pattern(value: str) -> str:
    """An Alluxio path that may hold wildcards (``?`` is one: Alluxio paths never have it)."""
    from ._glob import has_magic

    if not has_magic(value):
        return _remote(value)
    _remote(value.replace("?", "*"))
    return value


def _patterns(values: list[str]) -> list[str]:
    return [_pattern(v) for v in values]


def expanded(client: "Client", paths: list[str], outcome: _Outcome) -> Iterator[str]:
    """Each path, with wildcards expanded (sorted matches); a pattern matching nothing is
    reported as NOT_FOUND under its own name, and the command goes on."""
    from ._glob import expand, has_magic

    for path in paths:
        if not has_magic(path):
            yield path
            continue
        matches: list[str] = []
        with outcome.on(path):
            matches = expand(client, path)
            if not matches:
                raise NotFoundError(f'No path matches "{path}"')
        yield from matches


def _ufs_uri(value: str) -> str:
    if not value:
        raise typer.BadParameter("name the under store to mount, e.g. s3://bucket/dir")
    from .._core import is_unicode

    if "\x00" in value or not is_unicode(value):
        raise typer.BadParameter("must be valid UTF-8 without NUL characters")
    return value


def _remotes(values: list[str]) -> list[str]:
    return [_remote(v) for v in values]


def _octal_mode(value: str) -> int:
    try:
        return fmt.parse_octal_mode(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _remote_argument(metavar: str, callback: Callable[[Any], Any]) -> Any:
    """An argument naming Alluxio paths (checked by ``callback``; shells complete it)."""
    return typer.Argument(
        metavar=metavar, callback=callback, show_default=False, autocompletion=complete_remote
    )


RemotePath = Annotated[str, _remote_argument("PATH", _remote)]
RemotePaths = Annotated[list[str], _remote_argument("PATH...", _remotes)]
RemotePattern = Annotated[str, _remote_argument("PATH", _pattern)]
RemotePatterns = Annotated[list[str], _remote_argument("PATH...", _patterns)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON, for scripts.")]
HumanFlag = Annotated[
    bool, typer.Option("-h", "--human-readable", help="Sizes like 1.5K, 23M, 4.0G.")
]
RecursiveFlag = Annotated[
    bool, typer.Option("-R", "--recursive", help="Apply to everything below directories too.")
]
MAX_THREADS = 64  # alluxio._transfer.MAX_THREADS (not imported: startup time)


def _threads(value: int) -> int:
    if not 1 <= value <= MAX_THREADS:
        raise typer.BadParameter(f"{value} is not between 1 and {MAX_THREADS}")
    return value


ThreadsOption = Annotated[
    int,
    typer.Option(
        "-t",
        "--threads",
        metavar="N",
        callback=_threads,
        help=f"Files transferred in parallel (1-{MAX_THREADS}).",
    ),
]
ForceFlag = Annotated[
    bool, typer.Option("-f", "--force", help="Overwrite files that exist at the destination.")
]
RemoteForceFlag = Annotated[
    bool,
    typer.Option(
        "-f",
        "--force",
        help=(
            "Replace files that exist in Alluxio (complete files only, never a directory). "
            "2.x proxies: one atomic rename onto the old file, which readers see until "
            "then. 1.x: delete, then rename (the path is missing in between)."
        ),
    ),
]
ContinueFlag = Annotated[
    bool,
    typer.Option(
        "--continue-on-error",
        help="Go on with the other files when one fails; report each, then exit 1.",
    ),
]
QuietFlag = Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar, no summary line.")]


# -- the group --------------------------------------------------------------------------------


def _positive_seconds(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise typer.BadParameter(f"{value:g} is not a positive number of seconds")
    return value


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"{PROG} {__version__}")
        raise typer.Exit()


@app.callback()
def _group(
    ctx: typer.Context,
    proxy: Annotated[
        str,
        typer.Option(
            "--proxy",
            envvar="ALLUXIO_PROXY",
            metavar="URL",
            callback=_check_proxy,
            help=(
                "The Alluxio proxy, http://HOST[:PORT] (port 39999 if left out); a "
                "comma-separated list fails over between proxies."
            ),
        ),
    ] = DEFAULT_PROXY,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            callback=_positive_seconds,
            help="Give up when the proxy sends nothing for this long [default: 1800].",
        ),
    ] = None,
    dialect: Annotated[
        DialectChoice,
        typer.Option("--dialect", help="The proxy's JSON dialect (auto asks the proxy)."),
    ] = DialectChoice.V2,
    header: Annotated[
        list[str],
        typer.Option(
            "--header", metavar="'NAME: VALUE'", help="Send this header too (repeatable)."
        ),
    ] = [],  # noqa: B006 (Typer reads the default; it is never mutated)
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            metavar="TOKEN",
            envvar="ALLUXIO_PY_TOKEN",
            show_envvar=True,
            help="Send 'Authorization: Bearer TOKEN' (prefer the environment variable).",
        ),
    ] = None,
    ca_cert: Annotated[
        str | None,
        typer.Option(
            "--ca-cert",
            envvar="ALLUXIO_PY_CA_CERT",
            metavar="PATH",
            help="Trust the CAs in this PEM file or directory for https proxies.",
        ),
    ] = None,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure", envvar="ALLUXIO_PY_INSECURE", help="Do not check TLS certificates."
        ),
    ] = False,
    cert: Annotated[
        str | None,
        typer.Option(
            "--cert",
            envvar="ALLUXIO_PY_CERT",
            metavar="PATH",
            help="Client certificate (PEM; with its key unless --key) for mutual TLS.",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", envvar="ALLUXIO_PY_KEY", metavar="PATH", help="The key of --cert."),
    ] = None,
    http_proxy: Annotated[
        str | None,
        typer.Option(
            "--http-proxy",
            envvar="ALLUXIO_PY_HTTP_PROXY",
            metavar="URL",
            help=(
                "Reach the Alluxio proxy through this HTTP proxy (default: HTTP_PROXY, "
                "HTTPS_PROXY, ALL_PROXY and NO_PROXY)."
            ),
        ),
    ] = None,
    trust_env: Annotated[
        bool,
        typer.Option(
            "--trust-env/--no-trust-env",
            help="Read HTTP_PROXY/HTTPS_PROXY/NO_PROXY and SSL_CERT_FILE/SSL_CERT_DIR.",
        ),
    ] = True,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            envvar="ALLUXIO_PROFILE",
            metavar="NAME",
            help=(
                "Take the options this command line does not give from this profile of the "
                "configuration file (`alluxio-py config path`); without it, from the profile "
                "named default if there is one."
            ),
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Global options (before or after the command)."""
    ctx.obj = _Settings(dict(ctx.params), _origins(ctx))


# -- read commands ----------------------------------------------------------------------------


@command("ls")
def ls_command(
    ctx: typer.Context,
    path: Annotated[
        str, typer.Argument(metavar="[PATH]", callback=_pattern, autocompletion=complete_remote)
    ] = "/",
    long: Annotated[
        bool, typer.Option("-l", "--long", help="Mode, owner, group, size, modified time.")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("-R", "--recursive", help="List subdirectories too.")
    ] = False,
    unsorted: Annotated[
        bool,
        typer.Option(
            "-U",
            "--unsorted",
            help="Print entries in the proxy's order, without checking or sorting them.",
        ),
    ] = False,
    human: HumanFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """List a directory (or show a file); with a wildcard, every match (quote it).

    Entries are sorted by name, and with -R each directory is followed by its contents
    before its next sibling (a/x before a-b: not the order of sorting full paths). Names
    compare by UTF-16 code units, as Alluxio compares them: characters beyond U+FFFF come
    before U+E000-U+FFFF. Lines print as the listing arrives, in bounded memory: a 2.x
    proxy lists in this order (checked: an entry out of order is an error); with --dialect
    1.x each directory is listed and sorted on its own. With -l, columns are aligned within
    each block of 1024 lines.
    """
    from .. import option
    from ._walk import sorted_listing

    client = _client(ctx)
    from ._glob import has_magic

    if has_magic(path):
        _ls_matches(client, path, long=long, recursive=recursive, human=human, as_json=as_json)
        return
    # The listing alone tells a file (its only entry is the file itself) from a directory:
    # no get-status first, which makes a proxy count a big directory's entries before the
    # listing starts.
    listing = (
        client.iter_status(path, option.ListStatus(recursive=recursive or None))
        if unsorted
        else sorted_listing(client, path, recursive=recursive)
    )
    with _failing("ls", path), _stdout_reader_may_leave(), listing as infos:
        entries = iter(infos)
        first = next(entries, None)
        normal = "/" + posixpath.normpath(path).lstrip("/")
        if first is not None and not first.folder and first.path == normal:
            _print_listing([(first, path)], long=long, human=human, as_json=as_json)
            return
        top = normal.rstrip("/") + "/"
        rows = (
            (info, info.path[len(top) :] if info.path.startswith(top) else info.path)
            for info in itertools.chain(() if first is None else (first,), entries)
        )
        _print_listing(rows, long=long, human=human, as_json=as_json)


_LONG_BLOCK = 1024
"""Lines of a streamed ``ls -l`` aligned together (the columns of a block are aligned)."""


def _print_listing(
    rows: "Iterable[tuple[FileInfo, str]]", *, long: bool, human: bool, as_json: bool
) -> None:
    """Print ``ls`` rows as they come (from a list or straight from a listing)."""
    if as_json:
        # The same text as one json.dumps of the list, written item by item.
        pieces = (
            "  " + json.dumps(info.json(), indent=2, sort_keys=True).replace("\n", "\n  ")
            for info, _ in rows
        )
        first = next(pieces, None)
        write = sys.stdout.write
        if first is None:
            write("[]\n")
            return
        write("[\n" + first)
        for piece in pieces:
            write(",\n" + piece)
        write("\n]\n")
        sys.stdout.flush()
    elif long and isinstance(rows, list):
        _write_lines(fmt.long_listing(rows, human=human))
    elif long:
        entries = iter(rows)
        while block := list(itertools.islice(entries, _LONG_BLOCK)):
            _write_lines(fmt.long_listing(block, human=human))
    else:
        _write_lines(name for _, name in rows)


def _write_lines(lines: Iterable[str]) -> None:
    """Write lines to standard output (buffered: a listing may have millions)."""
    write = sys.stdout.write
    try:
        for line in lines:
            write(line)
            write("\n")
    finally:
        # Also when the lines stop with an error: what came before it is shown first.
        sys.stdout.flush()


@contextlib.contextmanager
def _stdout_reader_may_leave() -> Iterator[None]:
    """The reader of standard output may go away (``| head``): not an error. Stdout then
    points at devnull so the interpreter's final flush does not complain."""
    try:
        yield
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _ls_matches(
    client: "Client", pattern: str, *, long: bool, recursive: bool, human: bool, as_json: bool
) -> None:
    """``ls`` of a wildcard: matched files first, then each matched directory under a
    ``PATH:`` header when there were several matches (as ls does)."""
    from ._walk import sorted_listing

    outcome = _Outcome("ls")
    groups: list[tuple[str | None, list[tuple[FileInfo, str]]]] = []
    for target in expanded(client, [pattern], outcome):
        with outcome.on(target):
            status = client.get_status(target)
            if status.folder:
                with sorted_listing(client, target, recursive=recursive) as infos:
                    rows = [(info, fmt.relative_name(info.path, status.path)) for info in infos]
                groups.append((target, rows))
            else:
                groups.append((None, [(status, target)]))
    files = [row for header, rows in groups if header is None for row in rows]
    sections: list[tuple[str | None, list[tuple[FileInfo, str]]]] = [(None, files)] if files else []
    sections += [(header if len(groups) > 1 else None, rows) for header, rows in groups if header]
    with _stdout_reader_may_leave():
        if as_json:
            everything = [row for _, rows in groups for row in rows]
            _print_listing(everything, long=False, human=human, as_json=True)
        for index, (header, rows) in enumerate([] if as_json else sections):
            if index:
                _write_lines([""])
            if header is not None:
                _write_lines([f"{header}:"])
            _print_listing(rows, long=long, human=human, as_json=False)
    outcome.finish()


@command("stat")
def stat_command(ctx: typer.Context, paths: RemotePatterns, as_json: JsonFlag = False) -> None:
    """Show everything Alluxio knows about paths (a blank line between them)."""
    client = _client(ctx)
    outcome = _Outcome("stat")
    infos: list[FileInfo] = []
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            infos.append(client.get_status(path))
    if as_json:
        # One path named: its object, as before; several: a list.
        single = len(paths) == 1 and len(infos) == 1 and infos[0].path == paths[0]
        _echo_json(infos[0].json() if single else [info.json() for info in infos])
    else:
        for index, info in enumerate(infos):
            if index:
                typer.echo("")
            for line in fmt.stat_lines(info):
                typer.echo(line)
    outcome.finish()


def write_stdout(data: bytes) -> None:
    """Write ``data`` to standard output (binary); a reader that went away ends quietly."""
    with _stdout_reader_may_leave():
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def _write_to_stdout(client: "Client", command: str, paths: list[str]) -> None:
    """Stream files to standard output, one after the other; a directory is an error."""
    out = sys.stdout.buffer
    outcome = _Outcome(command)
    with _stdout_reader_may_leave():
        for path in expanded(client, paths, outcome):
            with outcome.on(path), client.open(path, "r") as reader:
                for chunk in reader:
                    out.write(chunk)
            out.flush()
        outcome.finish()


@command("cat")
def cat_command(ctx: typer.Context, paths: RemotePatterns) -> None:
    """Write files' contents to standard output."""
    _write_to_stdout(_client(ctx), "cat", paths)


@command("du")
def du_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PATH]...",
            callback=lambda v: _patterns(v or ["/"]),
            autocompletion=complete_remote,
        ),
    ] = None,
    summarize: Annotated[
        bool, typer.Option("-s", "--summary", help="One total per PATH, not per entry.")
    ] = False,
    human: HumanFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """Show the space used by files: per entry of each directory, or one total with -s."""
    client = _client(ctx)
    outcome = _Outcome("du")
    rows: list[dict[str, Any]] = []
    for path in expanded(client, paths or ["/"], outcome):
        with outcome.on(path):
            rows.extend(_disk_usage(client, path, summarize))
    if as_json:
        _echo_json(rows)
    else:
        for row in rows:
            typer.echo(fmt.du_line(row["size"], row["path"], human=human))
    outcome.finish()


def _disk_usage(client: "Client", path: str, summarize: bool) -> list[dict[str, Any]]:
    from .. import option
    from ._walk import name_key

    status = client.get_status(path)
    if not status.folder:
        return [{"path": status.path, "size": status.length, "files": 1}]
    top = status.path.rstrip("/") + "/"
    totals: dict[str, list[int]] = {}
    # Summed as the listing arrives: only the totals per top-level entry are kept.
    with client.iter_status(path, option.ListStatus(recursive=True)) as infos:
        for info in infos:
            relative = info.path[len(top) :] if info.path.startswith(top) else info.path
            total = totals.setdefault(top + relative.split("/", 1)[0], [0, 0])
            if not info.folder:
                total[0] += info.length
                total[1] += 1
    if summarize:
        size = sum(total[0] for total in totals.values())
        files = sum(total[1] for total in totals.values())
        return [{"path": status.path, "size": size, "files": files}]
    return [
        {"path": child, "size": total[0], "files": total[1]}
        # In the order of ls: by name, as Alluxio compares names (UTF-16 code units).
        for child, total in sorted(totals.items(), key=lambda item: name_key(item[0]))
    ]


@command("info")
def info_command(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Show the proxy's version and uptime (checks that the proxy is reachable)."""
    settings = _settings(ctx)
    with _failing("info", settings.url):
        info = settings.client(ctx).proxy_info()
    if as_json:
        _echo_json(info)
        return
    typer.echo(f"Proxy:   {settings.url}")
    typer.echo(f"Version: {info.get('version', '?')}")
    uptime = info.get("uptimeMs")
    if isinstance(uptime, int):
        typer.echo(f"Uptime:  {uptime // 1000} s")


# -- namespace changes ------------------------------------------------------------------------


@command("mkdir")
def mkdir_command(
    ctx: typer.Context,
    paths: RemotePaths,
    parents: Annotated[
        bool,
        typer.Option("-p", "--parents", help="Create parents as needed; no error if it exists."),
    ] = False,
) -> None:
    """Create directories."""
    from .. import option

    client = _client(ctx)
    opt = option.CreateDirectory(recursive=True, allow_exists=True) if parents else None
    outcome = _Outcome("mkdir")
    for path in paths:
        with outcome.on(path):
            client.create_directory(path, opt)
    outcome.finish()


@command("touch")
def touch_command(ctx: typer.Context, paths: RemotePaths) -> None:
    """Create empty files (an existing path is an error, as with 'alluxio fs touch')."""
    client = _client(ctx)
    outcome = _Outcome("touch")
    for path in paths:
        with outcome.on(path):
            client.close(client.create_file(path))
    outcome.finish()


@command("rm")
def rm_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    recursive: Annotated[
        bool, typer.Option("-r", "-R", "--recursive", help="Remove directories and contents.")
    ] = False,
    force: Annotated[
        bool, typer.Option("-f", "--force", help="No error for paths that do not exist.")
    ] = False,
) -> None:
    """Remove files (and directories with -r); wildcards remove every match."""
    from .. import option

    client = _client(ctx)
    opt = option.Delete(recursive=True) if recursive else None
    outcome = _Outcome("rm")
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            try:
                client.delete(path, opt)
            except NotFoundError:
                if not force:
                    raise
    outcome.finish()


@command("mv")
def mv_command(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="SOURCE", callback=_pattern, autocompletion=complete_remote)
    ],
    destination: Annotated[
        str, typer.Argument(metavar="DEST", callback=_remote, autocompletion=complete_remote)
    ],
) -> None:
    """Move or rename a path; into DEST if DEST is an existing directory.

    A DEST ending with / must be an existing directory (as with put, a trailing / means
    "directory"): it is never taken as a new name. A SOURCE with wildcards moves every
    match into the directory DEST.
    """
    client = _client(ctx)
    outcome = _Outcome("mv")
    sources = list(expanded(client, [source], outcome))
    into_dir = destination.endswith("/") or len(sources) > 1 or sources != [source]
    for path in sources:
        with outcome.on(path):
            client.rename(path, _move_target(client, path, destination, into_dir))
    outcome.finish()


def _move_target(client: "Client", source: str, destination: str, into_dir: bool) -> str:
    """Where ``mv`` puts ``source``: into ``destination`` if it is a directory (which it
    must be when ``into_dir``), else at ``destination``."""
    into = posixpath.join(destination, posixpath.basename(source.rstrip("/")))
    if into_dir and destination != "/":
        try:
            folder = client.get_status(destination.rstrip("/")).folder
        except NotFoundError:
            raise FileNotFoundError(errno.ENOENT, "No such directory", destination) from None
        if not folder:
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", destination)
        return into
    with contextlib.suppress(NotFoundError):
        if client.get_status(destination).folder:
            return into
    return destination


# -- transfers --------------------------------------------------------------------------------


_STDIN = "/dev/stdin"


def _is_remote_dir(client: "Client", path: str) -> bool:
    if path.endswith("/"):
        return True
    try:
        return client.get_status(path).folder
    except NotFoundError:
        return False


def _transfer_description(verb: str, plan: "transfer.TransferPlan") -> str:
    count = len(plan.files)
    return f"{verb} {count} file{'' if count == 1 else 's'}"


def _split_local(ctx: typer.Context, args: list[str], last: str) -> tuple[list[str], str]:
    """Split ``SOURCE... DEST`` arguments; name what is missing when only one was given."""
    if len(args) < 2:
        usage_error(ctx, f"Missing argument '{last}' after {args[0]!r} (the destination)")
    return args[:-1], args[-1]


class FileErrors:
    """``--continue-on-error``: each file that failed is reported on one line as it happens
    (from worker threads); :meth:`finish` ends the command with status 1 if any did."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.count = 0
        self._lock = threading.Lock()

    def __call__(self, task: "transfer.FileTask", exc: BaseException) -> None:
        with self._lock:
            self.count += 1
            _report(self.command, task.source, exc)

    def finish(self, total: int) -> None:
        if self.count:
            typer.echo(f"{PROG}: {self.command}: {self.count} of {total} files failed", err=True)
            raise typer.Exit(EXIT_ERROR)


def run_transfer(
    verb: str,
    plan: "transfer.TransferPlan",
    run: Callable[..., None],
    *,
    quiet: bool,
    keep_going: bool,
    errors: "FileErrors | None" = None,
    extra: "Callable[[], str] | None" = None,
) -> None:
    """``run(progress=..., on_error=...)`` (a ``run_*`` of :mod:`alluxio._transfer`) with the
    progress bar and summary line (``extra`` appended to it); with ``keep_going`` each failed
    file is reported (to ``errors`` if given) and the command ends with status 1 if any
    did."""
    if keep_going and errors is None:
        errors = FileErrors(verb)
    with _transfer_run(verb, plan, quiet=quiet, extra=extra) as progress:
        run(progress=progress, on_error=errors if keep_going else None)
    if errors is not None:
        errors.finish(len(plan.files))


@contextlib.contextmanager
def _transfer_run(
    verb: str,
    plan: "transfer.TransferPlan",
    *,
    quiet: bool,
    extra: "Callable[[], str] | None" = None,
) -> "Iterator[transfer.Progress | None]":
    """Draw the progress bar and then the summary line on stderr, when it is a terminal and
    not ``quiet``: ``put: 3 files, 14.0 MiB in 0.8 s (17.5 MiB/s)``. Scripts (stderr
    redirected) see nothing on success."""

    from ._progress import progress_bar

    total = [0]
    lock = threading.Lock()
    with progress_bar(
        _transfer_description(verb, plan), plan.total_bytes, enabled=not quiet
    ) as bar:

        def progress(source: str, nbytes: int) -> None:
            with lock:
                total[0] += nbytes
            if bar is not None:
                bar(source, nbytes)

        started = time.monotonic()
        yield progress
        elapsed = time.monotonic() - started  # the transfer, not the bar's own shutdown
    if bar is not None:
        summary = fmt.transfer_summary(verb, len(plan.files), total[0], elapsed)
        typer.echo(summary + (extra() if extra is not None else ""), err=True)


@command("put")
def put_command(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(metavar="LOCAL... DEST", show_default=False, autocompletion=complete_remote),
    ],
    threads: ThreadsOption = 4,
    force: RemoteForceFlag = False,
    quiet: QuietFlag = False,
    keep_going: ContinueFlag = False,
) -> None:
    """Copy local files or directory trees into Alluxio ('-': standard input).

    If DEST is an existing directory (or ends with /), each LOCAL goes into it under its own
    name; otherwise DEST is the new name. A file appears under its final name only once it
    is complete. On a terminal a progress bar and a summary line (files, bytes, time, rate)
    show on stderr unless -q. Re-running stops at the first file that exists (-f sends
    everything again): to resume an interrupted tree, or send only what changed, use sync.
    """
    from .. import _transfer as transfer

    sources, destination = _split_local(ctx, args, "DEST")
    destination = _remote(destination)
    client = _client(ctx)
    hint = " (use --force to overwrite)"
    subject = destination if len(sources) > 1 else sources[0]
    if "-" in sources:
        if len(sources) > 1:
            usage_error(ctx, "'-' (standard input) must be the only source")
        sources = [_STDIN]
    with _failing("put", subject, hint):
        if sources == [_STDIN] and _is_remote_dir(client, destination):
            raise IsADirectoryError(
                errno.EISDIR, "Give a file name to put standard input in", destination
            )
        if len(sources) > 1 and not destination.endswith("/"):
            status = client.get_status(destination)
            if not status.folder:
                raise NotADirectoryError(
                    f"{destination} is not a directory (copying several sources)"
                )
        plans = [
            transfer.plan_upload(client, source, destination, overwrite=force) for source in sources
        ]
        plan = transfer.TransferPlan.merge(plans, destination)
        run = functools.partial(transfer.run_upload, client, plan, threads=threads, overwrite=force)
        run_transfer("put", plan, run, quiet=quiet, keep_going=keep_going)


@command("get")
def get_command(
    ctx: typer.Context,
    args: Annotated[
        list[str],
        typer.Argument(metavar="PATH... LOCAL", show_default=False, autocompletion=complete_remote),
    ],
    threads: ThreadsOption = 4,
    force: ForceFlag = False,
    quiet: QuietFlag = False,
    keep_going: ContinueFlag = False,
) -> None:
    """Copy Alluxio files or directory trees to the local disk ('-': standard output).

    If LOCAL is an existing directory, each PATH goes into it under its own name; otherwise
    LOCAL is the new name. Data is written to NAME.part-XXXXXXXX and renamed when complete.
    On a terminal a progress bar and a summary line (files, bytes, time, rate) show on
    stderr unless -q. To resume an interrupted tree, or fetch only what changed, use sync.
    """
    from .. import _transfer as transfer

    patterns, destination = _split_local(ctx, args, "LOCAL")
    client = _client(ctx)
    outcome = _Outcome("get")
    sources = list(expanded(client, _patterns(patterns), outcome))
    if destination == "-":
        if len(sources) > 1:
            usage_error(ctx, "'-' (standard output) takes one file; use cat for several")
        _write_to_stdout(client, "get", sources)
        outcome.finish()
        return
    if not sources:
        outcome.finish()
    hint = " (use --force to overwrite)"
    with _failing("get", sources[0] if len(sources) == 1 else destination, hint):
        if len(sources) > 1 and not os.path.isdir(destination):
            raise NotADirectoryError(f"{destination} is not a directory (copying several paths)")
        plans = [
            transfer.plan_download(client, source, destination, overwrite=force)
            for source in sources
        ]
        plan = transfer.TransferPlan.merge(plans, destination)
        run = functools.partial(
            transfer.run_download, client, plan, threads=threads, overwrite=force
        )
        run_transfer("get", plan, run, quiet=quiet, keep_going=keep_going)
    outcome.finish()


@command("clean")
def clean_command(
    ctx: typer.Context,
    path: RemotePath,
    older_than: Annotated[
        str,
        typer.Option(
            "--older-than",
            metavar="DURATION",
            help="Only temporary files last changed at least this long ago (90s, 30m, 12h, "
            "2d; a bare number is seconds). Longer than your longest write: a write in "
            "progress has one too.",
        ),
    ] = "1d",
) -> None:
    """Remove the temporary files that interrupted writes left under PATH.

    Whole-file writes (put, the Python clients' write_bytes and upload, fsspec) go to
    .NAME.alluxio-py-tmp-XXXXXXXX next to their target and are renamed when complete; a
    writer that was killed leaves that file behind. Each one removed is printed.
    """
    from .. import option
    from .._core import is_temp_name

    try:
        age_ms = fmt.parse_duration(older_than, bare_unit="s")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    client = _client(ctx)
    cutoff_ms = time.time() * 1000 - age_ms
    outcome = _Outcome("clean")
    infos: list[FileInfo] = []
    with outcome.on(path):
        infos = client.list_status(path, option.ListStatus(recursive=True))
    for info in infos:
        if info.folder or not is_temp_name(info.name):
            continue
        if info.last_modification_time_ms > cutoff_ms:
            continue
        with outcome.on(info.path):
            with contextlib.suppress(NotFoundError):  # removed meanwhile
                client.delete(info.path)
            typer.echo(info.path)
    outcome.finish()


# -- attributes -------------------------------------------------------------------------------


def _set_attribute(
    ctx: typer.Context, command: str, paths: list[str], opt: "option.SetAttribute"
) -> None:
    client = _client(ctx)
    outcome = _Outcome(command)
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            client.set_attribute(path, opt)
    outcome.finish()


@command("free")
def free_command(
    ctx: typer.Context,
    paths: RemotePatterns,
    force: Annotated[bool, typer.Option("-f", "--force", help="Free pinned files too.")] = False,
) -> None:
    """Free files from Alluxio storage (they stay in the under store)."""
    from .. import option

    client = _client(ctx)
    opt = option.Free(recursive=True, forced=force or None)
    outcome = _Outcome("free")
    for path in expanded(client, paths, outcome):
        with outcome.on(path):
            client.free(path, opt)
    outcome.finish()


@command("pin")
def pin_command(ctx: typer.Context, paths: RemotePatterns) -> None:
    """Pin files in Alluxio storage (never evicted)."""
    from .. import option

    _set_attribute(ctx, "pin", paths, option.SetAttribute(pinned=True))


@command("unpin")
def unpin_command(ctx: typer.Context, paths: RemotePatterns) -> None:
    """Unpin files."""
    from .. import option

    _set_attribute(ctx, "unpin", paths, option.SetAttribute(pinned=False))


@command("chmod")
def chmod_command(
    ctx: typer.Context,
    mode: Annotated[str, typer.Argument(metavar="MODE", help="Octal, e.g. 755 or 0640.")],
    paths: RemotePatterns,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the permission bits of paths."""
    from .. import option
    from ..wire import Mode

    bits = _octal_mode(mode)
    opt = option.SetAttribute(mode=Mode.from_octal(bits), recursive=recursive or None)
    _set_attribute(ctx, "chmod", paths, opt)


@command("chown")
def chown_command(
    ctx: typer.Context,
    owner: Annotated[str, typer.Argument(metavar="OWNER[:GROUP]")],
    paths: RemotePatterns,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the owner (and group) of paths."""
    from .. import option

    user, _, group = owner.partition(":")
    if not user:
        raise typer.BadParameter("the owner is missing (use chgrp to change only the group)")
    opt = option.SetAttribute(owner=user, group=group or None, recursive=recursive or None)
    _set_attribute(ctx, "chown", paths, opt)


@command("chgrp")
def chgrp_command(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(metavar="GROUP")],
    paths: RemotePatterns,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the group of paths."""
    from .. import option

    _set_attribute(
        ctx, "chgrp", paths, option.SetAttribute(group=group, recursive=recursive or None)
    )


def _duration(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return fmt.parse_duration(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@command("ttl")
def ttl_command(
    ctx: typer.Context,
    path: RemotePattern,
    duration: Annotated[
        str | None,
        typer.Argument(
            metavar="DURATION",
            help="Time to live: 500ms, 30s, 30m, 1h, 7d, 1h30m (a bare number: milliseconds).",
            show_default=False,
        ),
    ] = None,
    action: Annotated[
        TtlActionChoice, typer.Option("--action", help="What to do when the TTL expires.")
    ] = TtlActionChoice.DELETE,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the TTL.")] = False,
) -> None:
    """Set a path's time to live, remove it (--remove), or show it."""
    milliseconds = _duration(duration)
    if remove and milliseconds is not None:
        usage_error(ctx, "give either DURATION or --remove, not both")
    client = _client(ctx)
    outcome = _Outcome("ttl")
    for target in expanded(client, [path], outcome):
        with outcome.on(target):
            _ttl(client, target, milliseconds, action, remove)
    outcome.finish()


def _ttl(
    client: "Client", path: str, milliseconds: int | None, action: TtlActionChoice, remove: bool
) -> None:
    """Set, remove or show the TTL of one path."""
    from .. import option

    if remove:
        client.set_attribute(path, option.SetAttribute(ttl=-1))
    elif milliseconds is not None:
        opt = option.SetAttribute(ttl=milliseconds, ttl_action=action.value.upper())  # type: ignore[arg-type]
        client.set_attribute(path, opt)
    else:
        info = client.get_status(path)
        if info.ttl < 0:
            typer.echo(f"{info.path}: no TTL")
        else:
            action_name = info.ttl_action.name or "DELETE"
            shown = fmt.human_duration(info.ttl)
            typer.echo(f"{info.path}: {shown} ({info.ttl} ms), then {action_name}")


# -- mounts -----------------------------------------------------------------------------------


def _properties(values: list[str] | None) -> dict[str, str]:
    properties: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            # Never echo the item: it may be a secret typed without its key.
            raise typer.BadParameter("expected KEY=VALUE", param_hint="'--option'")
        properties[key] = value
    return properties


@command("mount")
def mount_command(
    ctx: typer.Context,
    path: RemotePath,
    ufs: Annotated[
        str, typer.Argument(metavar="UFS_URI", help="e.g. s3://bucket/dir.", callback=_ufs_uri)
    ],
    readonly: Annotated[bool, typer.Option("--readonly", help="Mount read-only.")] = False,
    shared: Annotated[bool, typer.Option("--shared", help="Share with all users.")] = False,
    options: Annotated[
        list[str] | None,
        typer.Option(
            "-o",
            "--option",
            metavar="KEY=VALUE",
            help="An under-store property (e.g. credentials); repeatable, never printed.",
        ),
    ] = None,
) -> None:
    """Mount an under store at an Alluxio path."""
    from .. import option

    opt = option.Mount(
        properties=_properties(options) or None,
        read_only=readonly or None,
        shared=shared or None,
    )
    with _failing("mount", path):
        _client(ctx).mount(path, ufs, opt)


@command("unmount")
def unmount_command(ctx: typer.Context, path: RemotePath) -> None:
    """Unmount the under store mounted at a path."""
    with _failing("unmount", path):
        _client(ctx).unmount(path)


# -- the embedded proxy -----------------------------------------------------------------------


def _serve_failed(exc: OSError) -> NoReturn:
    name = exc.filename
    if isinstance(name, str) and os.path.exists(name) and not os.path.isdir(name):
        # os.makedirs says "File exists" of a file given as the root directory.
        exc = NotADirectoryError(errno.ENOTDIR, "Not a directory", name)
    typer.echo(f"{PROG}: serve: {_error_text(exc)}", err=True)
    raise typer.Exit(EXIT_ERROR)


@app.command(
    "serve",
    cls=_Command,
    # The options are the server's own (one definition: alluxio.server.__main__), passed on
    # as they are; --help shows them.
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def serve_command(ctx: typer.Context) -> None:
    """Run the embedded Alluxio proxy on a local directory; prints its URL, Ctrl-C stops.

    Takes the options of `python -m alluxio.server` (--root DIR, --port, --allow-mount...);
    see `alluxio-py serve --help`.
    """
    try:
        from ..server.__main__ import main as serve_main
    except ImportError as exc:
        typer.echo(
            f"{PROG}: serve: needs the server extra (pip install 'alluxio-py[server]'): {exc}",
            err=True,
        )
        raise typer.Exit(EXIT_ERROR) from None
    try:
        status = serve_main(list(ctx.args), prog=f"{PROG} serve", cli=True)
    except OSError as exc:  # the root cannot be created or used: one line, no traceback
        _serve_failed(exc)
    raise typer.Exit(status)


@command("demo")
def demo_command(
    root: Annotated[
        str | None,
        typer.Option(
            "--root", metavar="DIR", help="Keep the demo's Alluxio namespace here (default: temp)."
        ),
    ] = None,
) -> None:
    """Start an embedded proxy and walk through a round trip, printing each command."""
    from ._demo import run_demo

    raise typer.Exit(run_demo(root))


# -- entry points -----------------------------------------------------------------------------


def run(argv: list[str] | None = None) -> int:
    """Run ``alluxio-py`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    0 success, 1 an Alluxio, connection or local file error, 2 a usage error, 130 Ctrl-C,
    143 SIGTERM, 129 SIGHUP (each cleaned up like Ctrl-C).
    """
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, _stop) for signum in _STOP_SIGNALS}
    try:
        app(args=argv, prog_name=PROG)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        typer.echo(exc.code, err=True)
        return EXIT_ERROR
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def main() -> NoReturn:
    """Console entry point of ``alluxio-py``."""
    sys.exit(run())


# The commands of _commands register themselves on `app` when imported (they use the helpers
# above, hence the import at the end).
from . import _commands, _config_commands, _sync  # noqa: E402,F401
