"""``python -m alluxio.server``: run the embedded proxy in the foreground.

Prints the proxy's URL (one line) once it accepts connections; Ctrl-C or SIGTERM stop it
cleanly with exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
from types import FrameType
from typing import Any

import uvicorn

from ._app import create_app
from ._embedded import bind_socket, check_binding, format_url, remote_warning, uvicorn_config
from ._fs import DEFAULT_PERSIST_DELAY
from ._security import TOKEN_ENV, Limits, SecurityConfig

__all__ = ["build_parser", "main"]


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0-65535)") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0-65535)")
    return value


_ALLOW_OPTIONS = (
    (
        "--allow-mount",
        "DIR",
        "allow mounting directories under DIR (repeatable; default: no mounts)",
    ),
    (
        "--allow-host",
        "NAME",
        "accept NAME in the Host header besides loopback names and IP addresses "
        "(repeatable; '*': any)",
    ),
    (
        "--allow-origin",
        "ORIGIN",
        "let browser pages from ORIGIN (e.g. http://localhost:8000) call the proxy "
        "(repeatable; '*': any; default: cross-site requests are refused)",
    ),
)
# The Limits fields, each an option (--max-header-bytes...): help, and the default as
# documented where it depends on the machine.
_LIMIT_OPTIONS = (
    ("max_header_bytes", "N", "request line plus headers", None),
    (
        "max_open_streams",
        "N",
        "open read and write streams",
        "1024, at most half the process's descriptor limit",
    ),
    ("max_idle_fds", "N", "idle streams keeping their file open; others reopen it on use", None),
    ("max_blocks_per_file", "N", "blocks of one file at its block size", None),
    ("max_json_body", "BYTES", "one JSON request body", None),
)


class _Usage(argparse.HelpFormatter):
    """``Usage:`` capitalized, as the other ``alluxio-py`` commands write it."""

    def add_usage(self, *args: Any, **kwargs: Any) -> None:
        kwargs["prefix"] = kwargs.get("prefix") or "Usage: "
        super().add_usage(*args, **kwargs)


def build_parser(
    prog: str = "python -m alluxio.server", *, cli: bool = False, width: int | None = None
) -> argparse.ArgumentParser:
    """The server's command-line options: the one definition behind ``python -m
    alluxio.server`` and ``alluxio-py serve`` (``cli``: with the command line's usage style;
    ``width``: help lines wrapped at that many columns instead of the terminal's)."""
    defaults = Limits()
    style = _Usage if cli else argparse.HelpFormatter
    parser = argparse.ArgumentParser(
        prog=prog,
        formatter_class=lambda prog: style(prog, width=width),
        description="Serve the Alluxio proxy REST API from a local directory.",
        epilog="See the guide 'Security of the embedded proxy' for what the allow-, token and "
        "limit options protect against.",
    )
    parser.add_argument("--root", required=True, help="directory holding the namespace")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=_port, default=39999, help="port (0: any free port)")
    parser.add_argument(
        "--dialect",
        choices=("2.x", "1.x"),
        default="2.x",
        metavar="DIALECT",
        help="wire dialect: 2.x (default) or 1.x",
    )
    parser.add_argument(
        "--stream-timeout",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="idle time after which open streams are dropped (default 3600)",
    )
    parser.add_argument(
        "--persist-delay",
        type=float,
        default=DEFAULT_PERSIST_DELAY,
        metavar="SECONDS",
        help="time an ASYNC_THROUGH file takes to become persisted, as on a real cluster "
        f"(default {DEFAULT_PERSIST_DELAY:g}; 0: at once)",
    )
    parser.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        metavar="LEVEL",
        help="server log level: critical, error, warning (default), info or debug (logs go "
        "to stderr)",
    )
    guard = parser.add_argument_group("security")
    for flag, metavar, what in _ALLOW_OPTIONS:
        guard.add_argument(flag, action="append", default=[], metavar=metavar, help=what)
    guard.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow --host to be a non-loopback address (exposes the proxy to the network)",
    )
    guard.add_argument(
        "--token",
        default=os.environ.get(TOKEN_ENV) or None,
        metavar="TOKEN",
        help=f"require 'Authorization: Bearer TOKEN' on every request (default: ${TOKEN_ENV}; "
        "prefer the variable: a command line is visible to other users)",
    )
    limits = parser.add_argument_group("limits")
    for field, metavar, what, documented in _LIMIT_OPTIONS:
        default = getattr(defaults, field)
        limits.add_argument(
            "--" + field.replace("_", "-"),
            type=_positive_int,
            default=default,
            metavar=metavar,
            help=f"{what} (default {documented or default})",
        )
    return parser


def main(
    argv: list[str] | None = None, prog: str = "python -m alluxio.server", *, cli: bool = False
) -> int:
    """Run the proxy until interrupted; returns the process exit status (``cli``: run as
    ``alluxio-py serve``)."""
    parser = build_parser(prog, cli=cli)
    args = parser.parse_args(argv)
    if args.stream_timeout <= 0:
        print("--stream-timeout must be positive", file=sys.stderr)
        return 2
    if args.persist_delay < 0:
        print("--persist-delay must not be negative", file=sys.stderr)
        return 2
    try:
        check_binding(args.host, args.allow_remote)
        security = SecurityConfig.build(
            allow_mounts=args.allow_mount,
            allow_hosts=args.allow_host,
            allow_origins=args.allow_origin,
            token=args.token,
            limits=Limits(**{option[0]: getattr(args, option[0]) for option in _LIMIT_OPTIONS}),
        )
    except ValueError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(args.host, args.port)
    except OSError as exc:
        print(f"cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    port = sock.getsockname()[1]
    app = create_app(
        args.root,
        dialect=args.dialect,
        stream_timeout=args.stream_timeout,
        host=args.host,
        persist_delay=args.persist_delay,
        security=security,
    )
    warning = remote_warning(args.host, security.token is not None)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    server = uvicorn.Server(uvicorn_config(app, args.log_level, security.limits, args.dialect))

    def request_exit(_sig: int, _frame: FrameType | None) -> None:
        server.should_exit = True

    # uvicorn re-raises a captured signal once it has shut down; with these handlers in
    # place that ends the process normally (status 0) instead of by the signal.
    signal.signal(signal.SIGTERM, request_exit)
    signal.signal(signal.SIGINT, request_exit)

    async def serve() -> int:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:
            if task.done():
                await task
                return 1
            await asyncio.sleep(0.01)
        print(format_url(args.host, port), flush=True)
        await task
        return 0

    try:
        # The loop uvicorn would pick itself (uvloop when installed).
        with asyncio.Runner(loop_factory=server.config.get_loop_factory()) as runner:
            return runner.run(serve())
    finally:
        sock.close()


if __name__ == "__main__":
    sys.exit(main())
