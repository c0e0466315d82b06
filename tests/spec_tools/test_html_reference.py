"""The HTML API reference: Redocly lint + build-docs, failing on spec errors."""

from __future__ import annotations

from pathlib import Path

import yaml

from .conftest import SPEC, run_script


def operations(spec: Path) -> list[tuple[str, str]]:
    """(operationId, summary) of every operation in the spec."""
    doc = yaml.safe_load(spec.read_text())
    return [
        (op["operationId"], op["summary"])
        for item in doc["paths"].values()
        for method, op in item.items()
        if method in {"get", "put", "post", "delete", "patch", "head", "options"}
    ]


def test_reference_is_built_from_the_spec(node_tools: Path, tmp_path: Path) -> None:
    out = tmp_path / "api-reference.html"
    proc = run_script("spec_html.py", "--out", out)
    assert proc.returncode == 0, proc.stdout
    assert "Your API description is valid" in proc.stdout
    html = out.read_text()
    title = yaml.safe_load(SPEC.read_text())["info"]["title"]
    assert f"<title>{title}</title>" in html
    ops = operations(SPEC)
    assert len(ops) >= 17
    for operation_id, summary in ops:
        assert operation_id in html, operation_id
        assert summary in html, summary
    # Self-contained: Redoc's script is inlined rather than loaded from a CDN.
    assert 'src="https://' not in html
    assert 'redoc.standalone.js"' not in html


def test_unresolvable_reference_fails_the_build(node_tools: Path, tmp_path: Path) -> None:
    broken = tmp_path / "alluxio-proxy.yaml"
    text = SPEC.read_text()
    assert '$ref: "#/components/schemas/FileInfo"' in text
    broken.write_text(
        text.replace(
            '$ref: "#/components/schemas/FileInfo"', '$ref: "#/components/schemas/FileInf"'
        )
    )
    out = tmp_path / "api-reference.html"
    out.write_text("stale page from an earlier build")
    proc = run_script("spec_html.py", "--spec", broken, "--out", out)
    assert proc.returncode == 1, proc.stdout
    assert "no-unresolved-refs" in proc.stdout
    assert "FileInf" in proc.stdout
    assert "FAILED: redocly lint found errors" in proc.stdout
    assert not out.exists()


def test_invalid_openapi_fails_the_build(node_tools: Path, tmp_path: Path) -> None:
    doc = yaml.safe_load(SPEC.read_text())
    # An operation without `responses` is not valid OpenAPI 3.0.
    del doc["paths"]["/api/v1/paths/{path}/exists"]["post"]["responses"]
    broken = tmp_path / "alluxio-proxy.yaml"
    broken.write_text(yaml.safe_dump(doc, sort_keys=False))
    proc = run_script("spec_html.py", "--spec", broken, "--out", tmp_path / "ref.html")
    assert proc.returncode == 1, proc.stdout
    assert "responses" in proc.stdout
    assert not (tmp_path / "ref.html").exists()


def test_yaml_syntax_error_fails_the_build(node_tools: Path, tmp_path: Path) -> None:
    broken = tmp_path / "alluxio-proxy.yaml"
    broken.write_text(SPEC.read_text() + "\n  : - [unbalanced\n")
    proc = run_script("spec_html.py", "--spec", broken, "--out", tmp_path / "ref.html")
    assert proc.returncode == 1, proc.stdout
    assert "Failed to parse" in proc.stdout or "YAMLException" in proc.stdout
