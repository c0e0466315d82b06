"""`scripts/generate`: the committed generated client is exactly what the spec produces."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openapi_python_client

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TEMPLATE = "endpoint_module.py.jinja"


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VENV_BIN": str(VENV_BIN)}
    return subprocess.run(
        [str(root / "scripts" / "generate"), "--check"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_committed_generated_tree_matches_the_spec() -> None:
    result = run_check(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_drift_in_a_copy_is_detected(tmp_path: Path) -> None:
    copy = tmp_path / "repo"
    (copy / "scripts").mkdir(parents=True)
    for script in ("generate", "spec_facade.py"):
        shutil.copy2(ROOT / "scripts" / script, copy / "scripts" / script)
    shutil.copytree(ROOT / "spec", copy / "spec")
    shutil.copytree(
        ROOT / "generated", copy / "generated", ignore=shutil.ignore_patterns("__pycache__")
    )
    edited = copy / "generated" / "alluxio_proxy_api" / "models" / "bits.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "# hand edit\n", encoding="utf-8")

    result = run_check(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "models/bits.py" in result.stdout
    assert "# hand edit" in result.stdout
    assert "out of date" in result.stderr


def test_template_override_changes_only_path_quoting() -> None:
    upstream = Path(openapi_python_client.__file__).parent / "templates" / TEMPLATE
    ours = ROOT / "spec" / "templates" / TEMPLATE
    diff = [
        line
        for line in difflib.unified_diff(
            upstream.read_text(encoding="utf-8").splitlines(),
            ours.read_text(encoding="utf-8").splitlines(),
            lineterm="",
            n=0,
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == 2, diff
    assert 'safe=""' in diff[0]
    # Only `path` keeps its slashes, and its whole dot segments go out as %2E (httpx would
    # otherwise remove them); every other parameter stays fully quoted.
    assert 'quote(str({{parameter.python_name}}), safe="/")' in diff[1]
    assert '"%2E" * len(s) if s in (".", "..")' in diff[1]
    assert 'quote(str({{parameter.python_name}}), safe="")' in diff[1]
