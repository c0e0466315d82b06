"""``python -m alluxio.server``: run the embedded proxy in the foreground.

Prints the proxy's URL (one line) once it accepts connections; Ctrl-C or SIGTERM stop it
cleanly with exit status 0.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from types import FrameType

import uvicorn

from ._app import create_app
from ._embedded import bind_socket, format_url, uvicorn_config
from ._fs import DEFAULT_PERSIST_DELAY

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m alluxio.server",
        description="Serve the Alluxio proxy REST API from a local directory.",
    )
    parser.add_argument("--root", required=True, help="directory holding the namespace")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=39999, help="port (0: any free port)")
    parser.add_argument("--dialect", choices=("2.x", "1.x"), default="2.x")
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
        help="server log level (logs go to stderr)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the proxy until interrupted; returns the process exit status."""
    args = _parser().parse_args(argv)
    if args.stream_timeout <= 0:
        print("--stream-timeout must be positive", file=sys.stderr)
        return 2
    if args.persist_delay < 0:
        print("--persist-delay must not be negative", file=sys.stderr)
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
    )
    server = uvicorn.Server(uvicorn_config(app, args.log_level))

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
