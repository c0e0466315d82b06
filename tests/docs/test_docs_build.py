"""The documentation site builds, with every warning an error (``mkdocs build --strict``)."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

# Modules whose public names (``__all__``) the API reference documents.
PUBLIC_MODULES = (
    "alluxio",
    "alluxio.aio",
    "alluxio.option",
    "alluxio.wire",
    "alluxio.exceptions",
    "alluxio.fsspec",
    "alluxio.server",
    "alluxio.server.pytest_plugin",
)


def test_docs_build_strict(site: Path) -> None:
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


def test_docstrings_render_as_markdown(site: Path) -> None:
    # What the browser test (test_docs_browser.py) sees, checked without a browser too: a
    # doctest under "Example:" (an admonition, not the "Examples:" section) renders as
    # nested blockquotes, and reST's "text::" stays literal.
    for page in (site / "reference").rglob("*.html"):
        text = page.read_text()
        assert "<blockquote" not in text, f"{page}: a docstring quoted (Example: with >>>?)"
        assert not re.search(r"::\s*</p>", text), f"{page}: a paragraph ends in reST '::'"


def _public_names(module_name: str) -> list[tuple[str, ...]]:
    """A module's public objects and the public methods and properties of its classes, each
    as the names it may be documented under (where it is exported, where it is defined)."""
    module = importlib.import_module(module_name)
    names: list[tuple[str, ...]] = []
    for name in module.__all__:
        value = getattr(module, name)
        if inspect.ismodule(value) or name.startswith("_"):
            continue
        if not inspect.isclass(value):
            names.append((f"{module_name}.{name}",))
            continue
        homes = (f"{module_name}.{name}", f"{value.__module__}.{value.__qualname__}")
        names.append(homes)
        for member, attr in vars(value).items():
            if not member.startswith("_") and (callable(attr) or isinstance(attr, property)):
                names.append(tuple(f"{home}.{member}" for home in homes))
    return names


def test_every_public_name_is_documented(site: Path) -> None:
    # mkdocstrings leaves out what has no docstring: a missing anchor is a missing docstring.
    anchors = set()
    for page in (site / "reference").rglob("*.html"):
        anchors |= set(re.findall(r'id="([\w.]+)"', page.read_text()))
    missing = [
        homes[0]
        for module in PUBLIC_MODULES
        for homes in _public_names(module)
        if not anchors.intersection(homes)
    ]
    assert not missing, f"not in the API reference: {missing}"
