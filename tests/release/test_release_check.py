"""Release readiness: one version, a changelog entry for it, and a wheel that installs clean."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

import alluxio

ROOT = Path(__file__).resolve().parents[2]
_VERSION_FILE = ROOT / "alluxio" / "_version.py"
_written = re.search(r'^__version__ = "([^"]+)"$', _VERSION_FILE.read_text(), re.MULTILINE)
assert _written is not None, f"no __version__ in {_VERSION_FILE}"
VERSION: str = _written.group(1)


def test_version_is_single_sourced() -> None:
    # alluxio/_version.py is the only place the version is written: pyproject.toml reads it
    # (hatchling's version source), the package and --version import it.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "alluxio/_version.py"
    assert alluxio.__version__ == VERSION
    for path in (ROOT / "alluxio").rglob("*.py"):
        if path == _VERSION_FILE:
            continue
        for quote in "'\"":
            assert f"{quote}{VERSION}{quote}" not in path.read_text(), f"{path} repeats {VERSION}"


def test_changelog_has_an_entry_for_the_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## [Unreleased]" in changelog
    headings = re.findall(r"^## \[(\d[^\]]*)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.MULTILINE)
    assert headings, "no released version in CHANGELOG.md"
    assert headings[0][0] == VERSION, f"newest CHANGELOG entry {headings[0][0]} != {VERSION}"


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_release_check(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(ROOT / "scripts" / "release-check"), "--keep", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1400,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert f"alluxio-py {VERSION}: wheel imports, CLI and round trip OK" in result.stdout
    wheel = tmp_path / "dist" / f"alluxio_py-{VERSION}-py3-none-any.whl"
    assert wheel.is_file()
