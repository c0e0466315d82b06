"""`mypy --strict` accepts correct use of the API and catches misuse in user code."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


def _mypy(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, paths)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_typed_example_passes_mypy_strict() -> None:
    result = _mypy(HERE / "example_app.py")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_catches_misuse(tmp_path: Path) -> None:
    misuse = tmp_path / "misuse.py"
    misuse.write_text(
        textwrap.dedent(
            """
            import alluxio
            from alluxio import option

            client = alluxio.Client("localhost", 39999)
            client.create_directory("/d", option.CreateFile())
            option.CreateDirectory(recursive="yes")
            client.exists(42)
            with client.open("/f", "r") as reader:
                # A Reader is an io.RawIOBase (so it has write(), which raises); what mypy
                # catches is treating its bytes as text.
                text: str = reader.read()
            """
        )
    )
    result = _mypy(misuse)
    assert result.returncode == 1
    out = result.stdout
    assert 'incompatible type "CreateFile"; expected "CreateDirectory | None"' in out
    assert 'Argument "recursive" to "CreateDirectory" has incompatible type "str"' in out
    assert 'Argument 1 to "exists" of "Client" has incompatible type "int"' in out
    assert 'expression has type "bytes", variable has type "str"' in out
