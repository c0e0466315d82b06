"""``alluxio-py demo``: a guided round trip through an embedded proxy.

Every step is a real ``alluxio-py`` command run in this process against a real HTTP proxy
(the embedded one, on a free loopback port); the demo prints each command line before its
output, so a newcomer can retype them against any Alluxio proxy.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import sys
import tempfile
from collections.abc import Iterator

import typer

__all__ = ["run_demo"]

_SAMPLE_SIZE = 8 << 20


def _say(text: str = "") -> None:
    typer.echo(text)


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def _chdir_env(directory: str, proxy_url: str) -> Iterator[None]:
    """Run the steps from ``directory`` with ``ALLUXIO_PROXY`` set and the user's profiles
    out of the way (a default profile's token or HTTP proxy is not for the demo's proxy),
    restoring all after."""
    from ._config import CONFIG_ENV, PROFILE_ENV

    settings = {
        "ALLUXIO_PROXY": proxy_url,
        CONFIG_ENV: os.path.join(directory, "no-config.toml"),  # never written
        PROFILE_ENV: None,
    }
    old_dir = os.getcwd()
    old = {name: os.environ.get(name) for name in settings}
    os.chdir(directory)
    for name, value in settings.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    try:
        yield
    finally:
        os.chdir(old_dir)
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _step(*args: str) -> int:
    """Print ``$ alluxio-py ARGS`` and run it; return its exit status."""
    from ._app import PROG, run

    _say(f"$ {PROG} {shlex.join(args)}")
    sys.stdout.flush()
    status = run(list(args))
    sys.stdout.flush()
    _say()
    return status


def _steps(work: str) -> bool:
    with open("hello.txt", "w", encoding="utf-8") as text:
        text.write("Hello from alluxio-py!\n")
    with open("sample.bin", "wb") as sample:
        sample.write(os.urandom(_SAMPLE_SIZE))
    _say(f"# Two local files in {work}: hello.txt, and sample.bin with 8 MiB of random bytes.")
    _say()
    steps: list[tuple[str, tuple[str, ...]]] = [
        (
            "Create a directory (-p: with its parents, no error if it exists).",
            ("mkdir", "-p", "/demo/data"),
        ),
        (
            "Copy both files in (on a terminal a progress bar shows; -t N copies N files at once).",
            ("put", "hello.txt", "sample.bin", "/demo/data/"),
        ),
        (
            "List the directory: long format, human-readable sizes (--json for scripts).",
            ("ls", "-l", "-h", "/demo/data"),
        ),
        ("Everything Alluxio knows about one file.", ("stat", "/demo/data/sample.bin")),
        ("Print a file.", ("cat", "/demo/data/hello.txt")),
        (
            "Copy a file back out (written to copy.bin.part-* first, renamed when complete).",
            ("get", "/demo/data/sample.bin", "copy.bin"),
        ),
    ]
    for comment, args in steps:
        _say(f"# {comment}")
        if _step(*args) != 0:
            return False
    original, copy = _sha256("sample.bin"), _sha256("copy.bin")
    _say("# Compare checksums of the original and the round-tripped copy:")
    _say(f"#   sample.bin  sha256 {original}")
    _say(f"#   copy.bin    sha256 {copy}")
    if original != copy:
        _say("# MISMATCH: the copy differs from the original.")
        return False
    _say("#   identical.")
    _say()
    _say("# Space used under a directory.")
    if _step("du", "-s", "-h", "/demo") != 0:
        return False
    _say("# Remove the directory and everything in it.")
    return _step("rm", "-r", "/demo") == 0


def run_demo(root: str | None) -> int:
    """Run the demo; return 0 if every step succeeded and the checksums match, else 1."""
    try:
        from ..server import EmbeddedProxy
    except ImportError as exc:
        typer.echo(
            f"alluxio-py: demo: needs the server extra (pip install 'alluxio-py[server]'): {exc}",
            err=True,
        )
        return 1
    with contextlib.ExitStack() as stack:
        if root is None:
            root = stack.enter_context(tempfile.TemporaryDirectory(prefix="alluxio-demo-root-"))
        work = stack.enter_context(tempfile.TemporaryDirectory(prefix="alluxio-demo-local-"))
        # The demo's own local directory is the only one it may mount.
        proxy = stack.enter_context(EmbeddedProxy(root, allow_mounts=[work]))
        _say(f"# Started an embedded Alluxio proxy at {proxy.url}")
        _say(f"# (its namespace is stored in {root}).")
        _say("# Point alluxio-py at it, as you would at a real proxy on port 39999:")
        _say(f"$ export ALLUXIO_PROXY={proxy.url}")
        _say()
        with _chdir_env(work, proxy.url):
            ok = _steps(work)
        _say("# Done: the embedded proxy stops now." if ok else "# The demo FAILED (see above).")
        return 0 if ok else 1
    raise AssertionError("unreachable")
