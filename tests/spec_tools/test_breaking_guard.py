"""The breaking-change guard (scripts/spec_diff.py) in throw-away git repositories."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import SPEC, run_script

CHANGELOG_HEAD = (
    "# Alluxio proxy API changelog\n\n"
    "Format: - breaking `check-id` `operation`: why\n\n"
    "## Unreleased\n\n"
)
FREE = "/api/v1/paths/{path}/free"

pytestmark = pytest.mark.usefixtures("oasdiff_available")


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
    )
    proc = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return proc.stdout


def load_spec(repo: Path) -> dict[str, Any]:
    doc = yaml.safe_load((repo / "spec" / "alluxio-proxy.yaml").read_text())
    assert isinstance(doc, dict)
    return doc


def save_spec(repo: Path, doc: dict[str, Any]) -> None:
    (repo / "spec" / "alluxio-proxy.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))


def write_changelog(repo: Path, unreleased: str = "", older: str = "") -> None:
    (repo / "spec" / "CHANGELOG-API.md").write_text(CHANGELOG_HEAD + unreleased + older)


def guard(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_script("spec_diff.py", "--repo", repo, *args)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repo holding a copy of the project's spec and an empty changelog, not yet tagged."""
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    (repo / "spec" / "alluxio-proxy.yaml").write_text(SPEC.read_text())
    write_changelog(repo)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "spec 1.0")
    return repo


@pytest.fixture
def tagged(repo: Path) -> Path:
    git(repo, "tag", "v1.0.0")
    return repo


def test_without_a_release_tag_the_guard_says_so_and_passes(repo: Path) -> None:
    git(repo, "tag", "not-a-release")
    doc = load_spec(repo)
    del doc["paths"][FREE]
    save_spec(repo, doc)
    proc = guard(repo)
    assert proc.returncode == 0, proc.stdout
    assert "no tag matching 'v*' is reachable from HEAD" in proc.stdout
    assert "skipping the breaking-change check" in proc.stdout


def test_unchanged_spec_passes(tagged: Path) -> None:
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout
    assert "compared with v1.0.0: 0 breaking change(s)" in proc.stdout


def test_removed_operation_fails_naming_it(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    save_spec(tagged, doc)
    proc = guard(tagged)
    assert proc.returncode == 1, proc.stdout
    assert f"BREAKING [api-path-removed-without-deprecation] POST {FREE} (free)" in proc.stdout
    assert "NOT ACKNOWLEDGED" in proc.stdout
    # It tells the author exactly what to write.
    assert "- breaking `api-path-removed-without-deprecation` `free`:" in proc.stdout


def test_acknowledged_breaking_change_passes(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    save_spec(tagged, doc)
    write_changelog(
        tagged,
        "- breaking `api-path-removed-without-deprecation` `free`: "
        "free was never implemented by the 1.x proxy.\n",
    )
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout
    assert "acknowledged (CHANGELOG-API.md line" in proc.stdout
    assert "OK: no unacknowledged breaking changes." in proc.stdout


def test_acknowledgment_by_endpoint_and_for_shared_schema(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    file_info = doc["components"]["schemas"]["FileInfo"]
    file_info["required"].remove("owner")
    del file_info["properties"]["owner"]
    save_spec(tagged, doc)

    write_changelog(
        tagged,
        f"- breaking `api-path-removed-without-deprecation` `POST {FREE}`: gone.\n"
        "- breaking `response-required-property-removed` `getStatus`: owner dropped.\n",
    )
    proc = guard(tagged)
    # FileInfo is used by get-status and list-status: both must be acknowledged.
    assert proc.returncode == 1, proc.stdout
    assert "(listStatus): removed the required property `items/owner`" in proc.stdout
    assert "- breaking `response-required-property-removed` `listStatus`:" in proc.stdout

    write_changelog(
        tagged,
        f"- breaking `api-path-removed-without-deprecation` `POST {FREE}`: gone.\n"
        "- breaking `response-required-property-removed` `getStatus` `listStatus`: "
        "owner dropped.\n",
    )
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout


def test_acknowledgment_of_an_older_release_does_not_count(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    save_spec(tagged, doc)
    write_changelog(
        tagged,
        unreleased="- Nothing yet.\n\n",
        older="## 1.0.0\n\n- breaking `api-path-removed-without-deprecation` `free`: old.\n",
    )
    proc = guard(tagged)
    assert proc.returncode == 1, proc.stdout


def test_placeholder_reason_is_rejected(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    save_spec(tagged, doc)
    write_changelog(
        tagged,
        "- breaking `api-path-removed-without-deprecation` `free`: <why it is acceptable>\n",
    )
    proc = guard(tagged)
    assert proc.returncode == 1, proc.stdout
    assert "replace the placeholder with the reason" in proc.stdout


def test_non_breaking_changes_pass(tagged: Path) -> None:
    doc = load_spec(tagged)
    # New optional request property, new response property, new operation, new text.
    doc["info"]["description"] += "\nMore words.\n"
    options = doc["components"]["schemas"]["DeleteOptions"]["properties"]
    options["dryRun"] = {"type": "boolean", "description": "Only report what would go."}
    doc["components"]["schemas"]["FileInfo"]["properties"]["etag"] = {"type": "string"}
    doc["paths"]["/api/v1/paths/{path}/touch"] = {
        "post": {
            "tags": ["paths"],
            "operationId": "touch",
            "summary": "Update the modification time.",
            "parameters": [{"$ref": "#/components/parameters/AlluxioPath"}],
            "responses": {"200": {"$ref": "#/components/responses/Void"}},
        }
    }
    save_spec(tagged, doc)
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout
    assert "0 breaking change(s)" in proc.stdout


def test_renamed_operation_id_is_breaking_for_generated_clients(tagged: Path) -> None:
    doc = load_spec(tagged)
    doc["paths"]["/api/v1/paths/{path}/get-status"]["post"]["operationId"] = "getFileStatus"
    save_spec(tagged, doc)
    proc = guard(tagged)
    assert proc.returncode == 1, proc.stdout
    assert "BREAKING [api-operation-id-removed]" in proc.stdout
    assert "`getStatus` removed and replaced with `getFileStatus`" in proc.stdout


def test_removed_request_option_is_breaking(tagged: Path) -> None:
    # A 2.x proxy rejects unknown JSON properties, so old clients sending it would fail.
    doc = load_spec(tagged)
    del doc["components"]["schemas"]["DeleteOptions"]["properties"]["recursive"]
    save_spec(tagged, doc)
    proc = guard(tagged)
    assert proc.returncode == 1, proc.stdout
    assert "BREAKING [request-property-removed] POST /api/v1/paths/{path}/delete" in proc.stdout


def test_removed_optional_response_field_is_only_a_warning(tagged: Path) -> None:
    doc = load_spec(tagged)
    file_info = doc["components"]["schemas"]["FileInfo"]
    assert "mountId" not in file_info["required"]
    del file_info["properties"]["mountId"]
    save_spec(tagged, doc)
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout
    assert "0 breaking change(s), 2 warning(s)" in proc.stdout
    assert "warning  [response-optional-property-removed]" in proc.stdout


def test_compares_with_the_newest_reachable_tag(tagged: Path) -> None:
    doc = load_spec(tagged)
    del doc["paths"][FREE]
    save_spec(tagged, doc)
    write_changelog(
        tagged, "- breaking `api-path-removed-without-deprecation` `free`: dropped in 2.0.\n"
    )
    git(tagged, "commit", "-q", "-am", "spec 2.0")
    git(tagged, "tag", "v2.0.0")
    # After the release the acknowledgment's section is renamed; nothing new is broken.
    write_changelog(tagged, older="## 2.0.0\n\n- dropped free\n")
    proc = guard(tagged)
    assert proc.returncode == 0, proc.stdout
    assert "compared with v2.0.0: 0 breaking change(s)" in proc.stdout


def test_spec_added_after_the_tag_passes(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("x\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "before the spec")
    git(repo, "tag", "v0.1.0")
    (repo / "spec").mkdir()
    (repo / "spec" / "alluxio-proxy.yaml").write_text(SPEC.read_text())
    proc = guard(repo)
    assert proc.returncode == 0, proc.stdout
    assert "does not exist at v0.1.0" in proc.stdout


def test_guard_runs_on_this_repository() -> None:
    # What CI runs: either a real comparison with the last tag or the no-tag message.
    proc = run_script("spec_diff.py")
    assert proc.returncode == 0, proc.stdout
    out = proc.stdout
    assert "OK: no unacknowledged breaking changes." in out or "no tag matching" in out
