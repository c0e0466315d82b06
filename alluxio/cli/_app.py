"""The ``alluxio-py`` commands (Typer), on top of :class:`alluxio.Client`."""

from __future__ import annotations

import contextlib
import enum
import errno
import json
import os
import posixpath
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, NoReturn

import typer
import typer.core

from .. import __version__, option
from .. import _transfer as transfer
from .._core import check_path, is_unicode
from .._endpoints import parse_proxy_urls
from .._http import HTTPOptions
from ..client import Client
from ..exceptions import AlluxioError, HTTPError, HTTPTimeoutError, NotFoundError
from ..wire import Mode
from . import _format as fmt
from ._progress import progress_bar

__all__ = ["DEFAULT_PROXY", "app", "main", "run"]

PROG = "alluxio-py"
DEFAULT_PROXY = "http://localhost:39999"
DEFAULT_PORT = 39999
EXIT_ERROR = 1
EXIT_INTERRUPTED = 130


class _Group(typer.core.TyperGroup):
    """Ends an interrupted command with status 130 (Click's default is "Aborted!" and 1)."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (vendored by Typer)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            settings = ctx.find_object(_Settings)
            if settings is not None:
                settings.interrupted = True
            typer.echo(f"\n{PROG}: interrupted", err=True)
            raise typer.Exit(EXIT_INTERRUPTED) from None


app = typer.Typer(
    name=PROG,
    cls=_Group,
    help=(
        "Work with Alluxio files over the Alluxio REST proxy: list, copy in and out (in "
        "parallel, with progress), change attributes, mount. Exit status: 0 success, 1 an "
        "Alluxio or connection error, 2 a usage error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


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


@dataclass
class _Settings:
    """Global options; the client is made on first use (``serve`` and ``demo`` need none)."""

    url: str
    timeout: float | None
    dialect: DialectChoice
    interrupted: bool = False
    # verify, cert, proxy, headers...: may hold secrets, so never in the repr.
    http: dict[str, Any] = field(default_factory=dict, repr=False)
    _client: Client | None = field(default=None, repr=False)

    def client(self, ctx: typer.Context) -> Client:
        if self._client is None:
            kwargs: dict[str, Any] = {} if self.timeout is None else {"timeout": self.timeout}
            self._client = Client.from_url(
                self.url, dialect=self.dialect.value, **kwargs, **self.http
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
        parse_proxy_urls(url, name="--proxy")
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    return url


def _http_options(
    headers: list[str],
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
    pairs = []
    for header in headers:
        name, sep, value = header.partition(":")
        if not sep:
            raise typer.BadParameter("expected 'Name: value'", param_hint="'--header'")
        pairs.append((name.strip(), value.strip()))
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
        HTTPOptions(**kwargs)
    except (ValueError, TypeError, OSError) as exc:
        raise typer.BadParameter(str(exc)) from None
    return kwargs


def _settings(ctx: typer.Context) -> _Settings:
    settings = ctx.find_object(_Settings)
    if settings is None:  # a command invoked without the group (not through main)
        raise RuntimeError("alluxio-py commands must run through the alluxio-py group")
    return settings


def _client(ctx: typer.Context) -> Client:
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


def _report(command: str, subject: str, exc: BaseException, hint: str = "") -> None:
    line = f"{PROG}: {command} {subject}: {_error_text(exc)}{hint}"
    typer.echo(_one_line(line), err=True)


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
        return check_path(value, "Alluxio path")
    except ValueError as exc:
        message = exc.message if isinstance(exc, AlluxioError) else str(exc)
        raise typer.BadParameter(message) from None


def _ufs_uri(value: str) -> str:
    if not value:
        raise typer.BadParameter("name the under store to mount, e.g. s3://bucket/dir")
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


RemotePath = Annotated[str, typer.Argument(metavar="PATH", callback=_remote, show_default=False)]
RemotePaths = Annotated[
    list[str], typer.Argument(metavar="PATH...", callback=_remotes, show_default=False)
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON, for scripts.")]
HumanFlag = Annotated[
    bool, typer.Option("-h", "--human-readable", help="Sizes like 1.5K, 23M, 4.0G.")
]
RecursiveFlag = Annotated[
    bool, typer.Option("-R", "--recursive", help="Apply to everything below directories too.")
]
ThreadsOption = Annotated[
    int,
    typer.Option(
        "-t",
        "--threads",
        metavar="N",
        min=1,
        max=transfer.MAX_THREADS,
        help="Files transferred in parallel.",
    ),
]
ForceFlag = Annotated[
    bool, typer.Option("-f", "--force", help="Overwrite files that exist at the destination.")
]
QuietFlag = Annotated[bool, typer.Option("-q", "--quiet", help="No progress bar.")]


# -- the group --------------------------------------------------------------------------------


def _show_version(value: bool) -> None:
    if value:
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
            min=0.001,
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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Global options (before the command)."""
    http = _http_options(header, token, ca_cert, insecure, cert, key, http_proxy, trust_env)
    ctx.obj = _Settings(proxy, timeout, dialect, http=http)


# -- read commands ----------------------------------------------------------------------------


@app.command("ls")
def ls_command(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(metavar="[PATH]", callback=_remote)] = "/",
    long: Annotated[
        bool, typer.Option("-l", "--long", help="Mode, owner, group, size, modified time.")
    ] = False,
    recursive: Annotated[
        bool, typer.Option("-R", "--recursive", help="List subdirectories too.")
    ] = False,
    human: HumanFlag = False,
    as_json: JsonFlag = False,
) -> None:
    """List a directory (or show a file)."""
    client = _client(ctx)
    with _failing("ls", path):
        status = client.get_status(path)
        if status.folder:
            infos = client.list_status(path, option.ListStatus(recursive=recursive or None))
            infos.sort(key=lambda info: info.path)
            rows = [(info, fmt.relative_name(info.path, status.path)) for info in infos]
        else:
            rows = [(status, path)]
    if as_json:
        _echo_json([info.json() for info, _ in rows])
    elif long:
        for line in fmt.long_listing(rows, human=human):
            typer.echo(line)
    else:
        for _, name in rows:
            typer.echo(name)


@app.command("stat")
def stat_command(ctx: typer.Context, path: RemotePath, as_json: JsonFlag = False) -> None:
    """Show everything Alluxio knows about a path."""
    with _failing("stat", path):
        info = _client(ctx).get_status(path)
    if as_json:
        _echo_json(info.json())
    else:
        for line in fmt.stat_lines(info):
            typer.echo(line)


@app.command("cat")
def cat_command(ctx: typer.Context, paths: RemotePaths) -> None:
    """Write files' contents to standard output."""
    client = _client(ctx)
    out = sys.stdout.buffer
    outcome = _Outcome("cat")
    try:
        for path in paths:
            with outcome.on(path), client.open(path, "r") as reader:
                for chunk in reader:
                    out.write(chunk)
            out.flush()
    except BrokenPipeError:
        # The reader went away (``| head``): not an error. Point stdout at devnull so the
        # interpreter's final flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return
    outcome.finish()


@app.command("du")
def du_command(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PATH]...", callback=lambda v: _remotes(v or ["/"])),
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
    for path in paths or ["/"]:
        with outcome.on(path):
            rows.extend(_disk_usage(client, path, summarize))
    if as_json:
        _echo_json(rows)
    else:
        for row in rows:
            typer.echo(fmt.du_line(row["size"], row["path"], human=human))
    outcome.finish()


def _disk_usage(client: Client, path: str, summarize: bool) -> list[dict[str, Any]]:
    status = client.get_status(path)
    if not status.folder:
        return [{"path": status.path, "size": status.length, "files": 1}]
    infos = client.list_status(path, option.ListStatus(recursive=True))
    top = status.path.rstrip("/") + "/"
    totals: dict[str, list[int]] = {}
    children: list[str] = []
    for info in infos:
        relative = info.path[len(top) :] if info.path.startswith(top) else info.path
        child = top + relative.split("/", 1)[0]
        if child not in totals:
            totals[child] = [0, 0]
            children.append(child)
        if not info.folder:
            totals[child][0] += info.length
            totals[child][1] += 1
    if summarize:
        size = sum(total[0] for total in totals.values())
        files = sum(total[1] for total in totals.values())
        return [{"path": status.path, "size": size, "files": files}]
    return [
        {"path": child, "size": totals[child][0], "files": totals[child][1]}
        for child in sorted(children)
    ]


@app.command("info")
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


@app.command("mkdir")
def mkdir_command(
    ctx: typer.Context,
    paths: RemotePaths,
    parents: Annotated[
        bool,
        typer.Option("-p", "--parents", help="Create parents as needed; no error if it exists."),
    ] = False,
) -> None:
    """Create directories."""
    client = _client(ctx)
    opt = option.CreateDirectory(recursive=True, allow_exists=True) if parents else None
    outcome = _Outcome("mkdir")
    for path in paths:
        with outcome.on(path):
            client.create_directory(path, opt)
    outcome.finish()


@app.command("touch")
def touch_command(ctx: typer.Context, paths: RemotePaths) -> None:
    """Create empty files (an existing path is an error, as with 'alluxio fs touch')."""
    client = _client(ctx)
    outcome = _Outcome("touch")
    for path in paths:
        with outcome.on(path):
            client.close(client.create_file(path))
    outcome.finish()


@app.command("rm")
def rm_command(
    ctx: typer.Context,
    paths: RemotePaths,
    recursive: Annotated[
        bool, typer.Option("-r", "-R", "--recursive", help="Remove directories and contents.")
    ] = False,
    force: Annotated[
        bool, typer.Option("-f", "--force", help="No error for paths that do not exist.")
    ] = False,
) -> None:
    """Remove files (and directories with -r)."""
    client = _client(ctx)
    opt = option.Delete(recursive=True) if recursive else None
    outcome = _Outcome("rm")
    for path in paths:
        with outcome.on(path):
            try:
                client.delete(path, opt)
            except NotFoundError:
                if not force:
                    raise
    outcome.finish()


@app.command("mv")
def mv_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="SOURCE", callback=_remote)],
    destination: Annotated[str, typer.Argument(metavar="DEST", callback=_remote)],
) -> None:
    """Move or rename a path; into DEST if DEST is an existing directory."""
    client = _client(ctx)
    with _failing("mv", source):
        target = destination
        with contextlib.suppress(NotFoundError):
            if client.get_status(destination).folder:
                target = posixpath.join(destination, posixpath.basename(source.rstrip("/")))
        client.rename(source, target)


# -- transfers --------------------------------------------------------------------------------


_STDIN = "/dev/stdin"


def _is_remote_dir(client: Client, path: str) -> bool:
    if path.endswith("/"):
        return True
    try:
        return client.get_status(path).folder
    except NotFoundError:
        return False


def _transfer_description(verb: str, plan: transfer.TransferPlan) -> str:
    count = len(plan.files)
    return f"{verb} {count} file{'' if count == 1 else 's'}"


@app.command("put")
def put_command(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(metavar="LOCAL...", show_default=False)],
    destination: Annotated[str, typer.Argument(metavar="DEST", callback=_remote)],
    threads: ThreadsOption = 4,
    force: ForceFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Copy local files or directory trees into Alluxio ('-': standard input).

    If DEST is an existing directory (or ends with /), each LOCAL goes into it under its own
    name; otherwise DEST is the new name. A file appears under its final name only once it
    is complete.
    """
    client = _client(ctx)
    hint = " (use --force to overwrite)"
    subject = destination if len(sources) > 1 else sources[0]
    if "-" in sources:
        if len(sources) > 1:
            raise typer.BadParameter("'-' (standard input) must be the only source")
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
        with progress_bar(
            _transfer_description("put", plan), plan.total_bytes, enabled=not quiet
        ) as progress:
            transfer.run_upload(client, plan, threads=threads, overwrite=force, progress=progress)


@app.command("get")
def get_command(
    ctx: typer.Context,
    sources: Annotated[
        list[str], typer.Argument(metavar="PATH...", callback=_remotes, show_default=False)
    ],
    destination: Annotated[str, typer.Argument(metavar="LOCAL")],
    threads: ThreadsOption = 4,
    force: ForceFlag = False,
    quiet: QuietFlag = False,
) -> None:
    """Copy Alluxio files or directory trees to the local disk.

    If LOCAL is an existing directory, each PATH goes into it under its own name; otherwise
    LOCAL is the new name. Data is written to NAME.part-XXXXXXXX and renamed when complete.
    """
    client = _client(ctx)
    hint = " (use --force to overwrite)"
    with _failing("get", sources[0] if len(sources) == 1 else destination, hint):
        if len(sources) > 1 and not os.path.isdir(destination):
            raise NotADirectoryError(f"{destination} is not a directory (copying several paths)")
        plans = [
            transfer.plan_download(client, source, destination, overwrite=force)
            for source in sources
        ]
        plan = transfer.TransferPlan.merge(plans, destination)
        with progress_bar(
            _transfer_description("get", plan), plan.total_bytes, enabled=not quiet
        ) as progress:
            transfer.run_download(client, plan, threads=threads, overwrite=force, progress=progress)


# -- attributes -------------------------------------------------------------------------------


def _set_attribute(
    ctx: typer.Context, command: str, paths: list[str], opt: option.SetAttribute
) -> None:
    client = _client(ctx)
    outcome = _Outcome(command)
    for path in paths:
        with outcome.on(path):
            client.set_attribute(path, opt)
    outcome.finish()


@app.command("free")
def free_command(
    ctx: typer.Context,
    paths: RemotePaths,
    force: Annotated[bool, typer.Option("-f", "--force", help="Free pinned files too.")] = False,
) -> None:
    """Free files from Alluxio storage (they stay in the under store)."""
    client = _client(ctx)
    opt = option.Free(recursive=True, forced=force or None)
    outcome = _Outcome("free")
    for path in paths:
        with outcome.on(path):
            client.free(path, opt)
    outcome.finish()


@app.command("pin")
def pin_command(ctx: typer.Context, paths: RemotePaths) -> None:
    """Pin files in Alluxio storage (never evicted)."""
    _set_attribute(ctx, "pin", paths, option.SetAttribute(pinned=True))


@app.command("unpin")
def unpin_command(ctx: typer.Context, paths: RemotePaths) -> None:
    """Unpin files."""
    _set_attribute(ctx, "unpin", paths, option.SetAttribute(pinned=False))


@app.command("chmod")
def chmod_command(
    ctx: typer.Context,
    mode: Annotated[str, typer.Argument(metavar="MODE", help="Octal, e.g. 755 or 0640.")],
    paths: RemotePaths,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the permission bits of paths."""
    bits = _octal_mode(mode)
    opt = option.SetAttribute(mode=Mode.from_octal(bits), recursive=recursive or None)
    _set_attribute(ctx, "chmod", paths, opt)


@app.command("chown")
def chown_command(
    ctx: typer.Context,
    owner: Annotated[str, typer.Argument(metavar="OWNER[:GROUP]")],
    paths: RemotePaths,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the owner (and group) of paths."""
    user, _, group = owner.partition(":")
    if not user:
        raise typer.BadParameter("the owner is missing (use chgrp to change only the group)")
    opt = option.SetAttribute(owner=user, group=group or None, recursive=recursive or None)
    _set_attribute(ctx, "chown", paths, opt)


@app.command("chgrp")
def chgrp_command(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(metavar="GROUP")],
    paths: RemotePaths,
    recursive: RecursiveFlag = False,
) -> None:
    """Change the group of paths."""
    _set_attribute(
        ctx, "chgrp", paths, option.SetAttribute(group=group, recursive=recursive or None)
    )


@app.command("ttl")
def ttl_command(
    ctx: typer.Context,
    path: RemotePath,
    milliseconds: Annotated[
        int | None,
        typer.Argument(metavar="[MS]", min=0, help="Time to live in milliseconds."),
    ] = None,
    action: Annotated[
        TtlActionChoice, typer.Option("--action", help="What to do when the TTL expires.")
    ] = TtlActionChoice.DELETE,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the TTL.")] = False,
) -> None:
    """Set a path's time to live in milliseconds, remove it (--remove), or show it."""
    if remove and milliseconds is not None:
        raise typer.BadParameter("give either MS or --remove, not both")
    client = _client(ctx)
    with _failing("ttl", path):
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
                typer.echo(f"{info.path}: {info.ttl} ms, then {action_name}")


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


@app.command("mount")
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
    opt = option.Mount(
        properties=_properties(options) or None,
        read_only=readonly or None,
        shared=shared or None,
    )
    with _failing("mount", path):
        _client(ctx).mount(path, ufs, opt)


@app.command("unmount")
def unmount_command(ctx: typer.Context, path: RemotePath) -> None:
    """Unmount the under store mounted at a path."""
    with _failing("unmount", path):
        _client(ctx).unmount(path)


# -- the embedded proxy -----------------------------------------------------------------------


@app.command("serve")
def serve_command(
    root: Annotated[
        str, typer.Option("--root", metavar="DIR", help="Directory holding the namespace.")
    ],
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port (0: any free port).")
    ] = DEFAULT_PORT,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    dialect: Annotated[
        DialectChoice, typer.Option("--dialect", help="Wire dialect to serve (2.x or 1.x).")
    ] = DialectChoice.V2,
) -> None:
    """Run the embedded Alluxio proxy on a local directory; prints its URL, Ctrl-C stops."""
    if dialect is DialectChoice.AUTO:
        raise typer.BadParameter("serve speaks 2.x or 1.x", param_hint="'--dialect'")
    try:
        from ..server.__main__ import main as serve_main
    except ImportError as exc:
        typer.echo(
            f"{PROG}: serve: needs the server extra (pip install 'alluxio-py[server]'): {exc}",
            err=True,
        )
        raise typer.Exit(EXIT_ERROR) from None
    argv = ["--root", root, "--port", str(port), "--host", host, "--dialect", dialect.value]
    raise typer.Exit(serve_main(argv))


@app.command("demo")
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

    0 success, 1 an Alluxio, connection or local file error, 2 a usage error, 130 Ctrl-C.
    """
    try:
        app(args=argv, prog_name=PROG)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        typer.echo(exc.code, err=True)
        return EXIT_ERROR
    return 0


def main() -> NoReturn:
    """Console entry point of ``alluxio-py``."""
    sys.exit(run())
