"""Fixtures of the spec-sharing tests: the scripts under test and the tools they need."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = REPO_ROOT / "scripts"
SPEC = REPO_ROOT / "spec" / "alluxio-proxy.yaml"


def run_script(
    name: str, *args: str | Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run scripts/<name> the way CI does, capturing stdout and stderr together."""
    return subprocess.run(
        [sys.executable, str(SCRIPTS / name), *map(str, args)],
        cwd=cwd or REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="session")
def node_tools() -> Path:
    """node_modules/.bin, installed by the scripts' own `npm ci` step if missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed on this machine (needed for the spec tools)")
    # --check writes nothing; it installs the npm packages as a side effect when needed.
    proc = run_script("spec_ts.py", "--check")
    assert "npm ci failed" not in proc.stdout, proc.stdout
    return REPO_ROOT / "node_modules" / ".bin"


@pytest.fixture(scope="session")
def oasdiff_available() -> None:
    """Skip when oasdiff is neither cached nor buildable (no Go toolchain)."""
    cache = os.environ.get("ALLUXIO_SPEC_TOOLS_CACHE")
    base = (
        Path(cache)
        if cache
        else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "alluxio-py"
    )
    # The pinned version lives in the script; read it rather than repeating it here.
    match = re.search(r'OASDIFF_VERSION = "([^"]+)"', (SCRIPTS / "spec_toolchain.py").read_text())
    assert match is not None
    cached = (base / "oasdiff" / match.group(1) / "bin" / "oasdiff").is_file()
    if not cached and shutil.which("go") is None:
        pytest.skip("go is not installed and oasdiff is not cached (needed for the spec guard)")


@pytest.fixture
def build_dir() -> Iterator[Path]:
    """A scratch dir inside the repo's gitignored build/ (node resolves node_modules from there)."""
    path = REPO_ROOT / "build" / f"spec-tools-test-{os.getpid()}-{os.urandom(4).hex()}"
    path.mkdir(parents=True)
    yield path
    shutil.rmtree(path, ignore_errors=True)
