"""Shared helpers of the spec-sharing scripts (spec_ts.py, spec_html.py, spec_diff.py).

They install what they need themselves, because CI starts from a fresh clone: the npm tools
come from package.json/package-lock.json through `npm ci`, and oasdiff is built with
`go install` into a per-user cache.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SPEC = REPO_ROOT / "spec" / "alluxio-proxy.yaml"
REDOCLY_CONFIG = REPO_ROOT / "spec" / "redocly.yaml"

# oasdiff is pinned here (not in a lockfile): `go install module@version` is reproducible
# because the Go module proxy and checksum database fix the content of a version.
OASDIFF_MODULE = "github.com/oasdiff/oasdiff"
OASDIFF_VERSION = "v1.37.0"

# Redocly CLI phones home by default (telemetry, update checks); CI and tests must not.
NODE_TOOL_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "NO_UPDATE_NOTIFIER": "1",
    "NPM_CONFIG_FUND": "false",
    "NPM_CONFIG_AUDIT": "false",
    "NPM_CONFIG_UPDATE_NOTIFIER": "false",
}


class ToolError(RuntimeError):
    """A required external tool is missing or failed to install."""


def tool_env() -> dict[str, str]:
    """The environment for node tools: the caller's, minus telemetry and update checks."""
    env = dict(os.environ)
    env.update(NODE_TOOL_ENV)
    return env


def _installed_matches_lock() -> bool:
    """True if node_modules holds exactly the versions package-lock.json pins.

    Checked package by package (not by a stamp file) so that an install made by any means,
    e.g. CI's own `npm ci`, is recognised, and a stale one after a lockfile change is not.
    """
    lock = json.loads((REPO_ROOT / "package-lock.json").read_text())
    for key, meta in lock.get("packages", {}).items():
        # Optional packages are platform-specific and may rightly be absent.
        if not key.startswith("node_modules/") or meta.get("optional") or meta.get("link"):
            continue
        manifest = REPO_ROOT / key / "package.json"
        if not manifest.is_file():
            return False
        if json.loads(manifest.read_text()).get("version") != meta.get("version"):
            return False
    return True


def ensure_node_modules(quiet: bool = False) -> Path:
    """Run `npm ci` unless node_modules matches package-lock.json; return the .bin dir."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise ToolError("node and npm are required (install Node.js >= 20.19 with npm)")
    if not _installed_matches_lock():
        if not quiet:
            print("spec tools: installing npm packages (npm ci)...", file=sys.stderr)
        proc = subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund"],
            cwd=REPO_ROOT,
            env=tool_env(),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise ToolError(f"npm ci failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return REPO_ROOT / "node_modules" / ".bin"


def node_bin(name: str) -> str:
    """Path of an installed npm executable (installing the npm packages first if needed)."""
    path = ensure_node_modules() / name
    if not path.exists():
        raise ToolError(f"{name} is not installed in node_modules/.bin; check package.json")
    return str(path)


def run_tool(
    argv: Sequence[str], *, cwd: Path | None = None, capture: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run a tool with telemetry disabled; never raises on a non-zero exit."""
    return subprocess.run(
        list(argv),
        cwd=cwd or REPO_ROOT,
        env=tool_env(),
        capture_output=capture,
        text=True,
    )


def oasdiff_cache_dir() -> Path:
    """Where the pinned oasdiff binary is cached (override with ALLUXIO_SPEC_TOOLS_CACHE)."""
    override = os.environ.get("ALLUXIO_SPEC_TOOLS_CACHE")
    if override:
        base = Path(override)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "alluxio-py"
    return base / "oasdiff" / OASDIFF_VERSION


def ensure_oasdiff(quiet: bool = False) -> str:
    """Return the path of the pinned oasdiff binary, building it with `go install` if needed."""
    bin_dir = oasdiff_cache_dir() / "bin"
    exe = bin_dir / "oasdiff"
    if exe.is_file():
        return str(exe)
    go = shutil.which("go")
    if go is None:
        raise ToolError(
            f"oasdiff {OASDIFF_VERSION} is not cached in {bin_dir} and `go` is not installed "
            f"to build it (install Go >= 1.26, which oasdiff {OASDIFF_VERSION} requires)"
        )
    if not quiet:
        print(
            f"spec tools: building oasdiff {OASDIFF_VERSION} with go install "
            f"(once, into {bin_dir})...",
            file=sys.stderr,
        )
    bin_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["GOBIN"] = str(bin_dir)
    # Outside any module, so the repository's own files cannot influence the build.
    proc = subprocess.run(
        [go, "install", f"{OASDIFF_MODULE}@{OASDIFF_VERSION}"],
        cwd=bin_dir,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not exe.is_file():
        raise ToolError(f"go install {OASDIFF_MODULE}@{OASDIFF_VERSION} failed:\n{proc.stderr}")
    return str(exe)
