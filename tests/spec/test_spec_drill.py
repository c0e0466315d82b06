"""The drill: adding an option field to the spec and running scripts/generate is all it takes.

On a copy of the repository, two fields are added to the spec (one both dialects have, one
2.x only) and ``scripts/generate`` runs; nothing else is edited. Then, in the copy:

- only spec/ and generated/ changed (zero hand-written lines);
- the spec-parametrized field tests (tests/spec/test_spec_fields.py) have cases for the new
  fields and pass: ``alluxio.option.<Class>(snake_name=...)`` accepts them and refuses a wrong
  type, ``Client`` and ``AsyncClient`` send them (or refuse them in the dialect without them),
  the embedded proxy binds them;
- mypy sees the new keywords, with their types.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
# What a maintainer's checkout needs for the drill (tests: only what the field tests import).
COPIED = ["alluxio", "generated", "spec", "scripts", "pyproject.toml", "package.json"]
TESTS = ["__init__.py", "conftest.py", "_real_proxy.py", "_servers.py", "spec/__init__.py"]
TESTS += ["spec/_spec_fields.py", "spec/test_spec_fields.py"]
_IGNORE = shutil.ignore_patterns("__pycache__", "target", ".ruff_cache", ".mypy_cache")


def _copy_repo(dest: Path) -> None:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=_IGNORE)
        else:
            shutil.copy2(src, dest / name)
    for name in TESTS:
        (dest / "tests" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / "tests" / name, dest / "tests" / name)
    if (ROOT / "node_modules").is_dir():
        # The TypeScript half of scripts/generate needs the pinned npm tools.
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    if (ROOT / "package-lock.json").exists():
        shutil.copy2(ROOT / "package-lock.json", dest / "package-lock.json")


def _add_fields(spec: Path) -> None:
    doc = yaml.safe_load(spec.read_text(encoding="utf-8"))
    schemas = doc["components"]["schemas"]
    schemas["CreateFileOptions"]["properties"]["drillFlag"] = {
        "type": "boolean",
        "description": "A field added by the drill.",
    }
    schemas["ListStatusOptions"]["properties"]["drillLimitCount"] = {
        "type": "integer",
        "format": "int32",
        "minimum": 0,
        "description": "Another field added by the drill.",
        "x-alluxio-versions": ["2.x"],
    }
    spec.write_text(yaml.safe_dump(doc, sort_keys=False, width=100), encoding="utf-8")


def _changed(a: Path, b: Path) -> list[str]:
    """Relative paths of the files that differ between two trees (added/removed included)."""
    cmp = filecmp.dircmp(a, b, ignore=["__pycache__", "target", ".ruff_cache", "node_modules"])
    out: list[str] = []

    def walk(c: filecmp.dircmp[str], prefix: str) -> None:
        out.extend(prefix + n for n in c.left_only + c.right_only + c.diff_files)
        for name, sub in c.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(cmp, "")
    return sorted(out)


def test_adding_a_field_to_the_spec_is_all_it_takes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repo(repo)
    original = tmp_path / "original"
    _copy_repo(original)
    _add_fields(repo / "spec" / "alluxio-proxy.yaml")
    env = {
        **os.environ,
        "VENV_BIN": str(VENV_BIN),
        # The copy's packages, not the installed (editable) checkout.
        "PYTHONPATH": f"{repo}{os.pathsep}{repo / 'generated'}",
    }

    generate = subprocess.run(
        [str(repo / "scripts" / "generate")],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert generate.returncode == 0, generate.stdout + generate.stderr

    changed = _changed(original, repo)
    assert "spec/alluxio-proxy.yaml" in changed
    assert "generated/alluxio_proxy_api/facade/options.py" in changed
    assert [p for p in changed if not p.startswith(("spec/", "generated/"))] == []

    tests = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/spec/test_spec_fields.py",
            "-q",
            "-p",
            "no:cacheprovider",
            "-k",
            "drill",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert tests.returncode == 0, tests.stdout[-4000:] + tests.stderr[-2000:]
    passed = re.search(r"(\d+) passed", tests.stdout)
    # CreateFile.drill_flag: 2 dialects x (class, client, async client, embedded proxy) + a
    # wrong type; ListStatus.drill_limit_count: 1 dialect x 4 + a wrong type + 1.x refusal.
    assert passed is not None and int(passed.group(1)) == 9 + 6, tests.stdout[-2000:]

    (repo / "drill_typing.py").write_text(
        "from alluxio import option\n"
        "opt = option.CreateFile(drill_flag=True)\n"
        "reveal_type(opt.drill_flag)\n"
        "option.ListStatus(drill_limit_count=3)\n"
        'option.ListStatus(drill_limit_count="3")\n',
        encoding="utf-8",
    )
    typing = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--follow-imports=silent",
            "drill_typing.py",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    out = typing.stdout
    assert 'drill_typing.py:3: note: Revealed type is "bool | None"' in out, out
    assert 'drill_typing.py:5: error: Argument "drill_limit_count"' in out, out
    assert out.count("error:") == 1, out
