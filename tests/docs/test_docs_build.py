"""The documentation site builds, with every warning an error (``mkdocs build --strict``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_docs_build_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The API reference is generated from docstrings: spot-check that it has content.
    client_page = (site / "reference" / "client" / "index.html").read_text()
    for name in ("alluxio.Client", "create_directory", "close_connections", "Reader", "Writer"):
        assert name in client_page, name
    server_page = (site / "reference" / "server" / "index.html").read_text()
    assert "EmbeddedProxy" in server_page and "alluxio_proxy_factory" in server_page
    # Sphinx roles in docstrings are turned into links (docs/_griffe/sphinx_roles.py).
    assert 'href="#alluxio.Client.close_connections"' in client_page
    for page in (site / "reference").rglob("*.html"):
        text = page.read_text()
        for role in (":class:`", ":meth:`", ":func:`", ":mod:`", ":attr:`", ":data:`"):
            assert role not in text, f"{page}: raw {role}"
    assert not (site / "_griffe").exists()
