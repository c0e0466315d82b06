#!/usr/bin/env python3
"""Breaking-change guard for spec/alluxio-proxy.yaml.

    scripts/spec_diff.py                 # compare with the last `v*` tag (CI runs this)
    scripts/spec_diff.py --base-ref main # compare with any git ref instead

Compares the working-tree spec with the same file at the last release tag
(`git describe --tags --abbrev=0 --match 'v*'`) using the pinned `oasdiff breaking`
(built with `go install` into a cache on first use). Every change that oasdiff rates as an
error (breaking for existing clients; see SEVERITY_OVERRIDES for this project's additions)
must be acknowledged under the `## Unreleased`
heading of spec/CHANGELOG-API.md with a line of the form

    - breaking `<check-id>` `<operation>` [`<operation>` ...]: <why it is acceptable>

where <check-id> is oasdiff's id (e.g. `api-path-removed-without-deprecation`) and each
<operation> is an operationId (`getStatus`), a `METHOD /path`, or `*` for any operation.
Warnings ("potentially breaking") are reported but do not fail the guard.

With no `v*` tag reachable from HEAD (nothing has been released, or a clone without tags)
there is no published contract to break: the guard says so and exits 0. The same holds when
the spec did not exist yet at the tag.

Exit status: 0 no unacknowledged breaking change, 1 unacknowledged breaking changes,
2 the guard could not run (git, go or oasdiff failure).
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from spec_toolchain import REPO_ROOT, ToolError, ensure_oasdiff

SPEC_REL = Path("spec") / "alluxio-proxy.yaml"
CHANGELOG_REL = Path("spec") / "CHANGELOG-API.md"
TAG_PATTERN = "v*"

# oasdiff's numeric levels in its JSON output.
LEVEL_ERR = 3
LEVEL_WARN = 2

# This project's changes to oasdiff's default levels (`oasdiff checks changelog` lists them).
SEVERITY_OVERRIDES = {
    # Generated clients are named after operationIds (TypeScript `operations["getStatus"]`,
    # Python `api.paths.get_status`): renaming one breaks every caller's code.
    "api-operation-id-removed": "err",
    # openapi-python-client places each operation's module by its first tag.
    "api-tag-removed": "err",
    # A 2.x proxy answers HTTP 400 to an unknown JSON property, so an old client that still
    # sends a removed option fails.
    "request-property-removed": "err",
    # Typed clients lose the field; worth a line in the report, not a failure.
    "response-optional-property-removed": "warn",
}

_UNRELEASED_RE = re.compile(r"^##\s+unreleased\b", re.IGNORECASE)
_ACK_RE = re.compile(r"^\s*[-*]\s+breaking\s+((?:`[^`]+`\s*)+):\s*(\S.*)$", re.IGNORECASE)
_TOKEN_RE = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Change:
    """One change reported by `oasdiff breaking`."""

    check_id: str
    level: int
    text: str
    method: str
    path: str
    operation_id: str

    @property
    def where(self) -> str:
        op = f"{self.method} {self.path}".strip()
        if self.operation_id:
            op = f"{op} ({self.operation_id})"
        return op or "(whole document)"

    @property
    def operation_ref(self) -> str:
        return self.operation_id or f"{self.method} {self.path}".strip() or "*"


@dataclass(frozen=True)
class Ack:
    """One acknowledgment line of the changelog's Unreleased section."""

    line_no: int
    check_id: str
    operations: tuple[str, ...]

    def covers(self, change: Change) -> bool:
        if self.check_id != change.check_id:
            return False
        endpoint = f"{change.method} {change.path}".strip()
        for op in self.operations:
            if op == "*" or (change.operation_id and op == change.operation_id):
                return True
            if " " in op:
                method, _, path = op.partition(" ")
                if f"{method.upper()} {path.strip()}" == endpoint:
                    return True
        return False


def parse_acks(changelog: str) -> tuple[list[Ack], list[str]]:
    """Acknowledgments under `## Unreleased`, plus problems found in malformed lines."""
    acks: list[Ack] = []
    problems: list[str] = []
    in_unreleased = False
    for no, line in enumerate(changelog.splitlines(), start=1):
        if line.startswith("## "):
            in_unreleased = bool(_UNRELEASED_RE.match(line))
            continue
        if not in_unreleased:
            continue
        match = _ACK_RE.match(line)
        if match is None:
            if re.match(r"^\s*[-*]\s+breaking\b", line, re.IGNORECASE):
                problems.append(
                    f"line {no}: not understood as an acknowledgment "
                    "(expected: - breaking `check-id` `operation`: why): " + line.strip()
                )
            continue
        if match.group(2).startswith("<"):
            problems.append(f"line {no}: replace the placeholder with the reason: {line.strip()}")
            continue
        tokens = [t.strip() for t in _TOKEN_RE.findall(match.group(1))]
        if len(tokens) < 2:
            problems.append(f"line {no}: names a check id but no operation: {line.strip()}")
            continue
        acks.append(Ack(line_no=no, check_id=tokens[0], operations=tuple(tokens[1:])))
    return acks, problems


def suggested_acks(changes: list[Change]) -> list[str]:
    """Changelog lines that would acknowledge `changes`, one per check id."""
    by_check: dict[str, dict[str, None]] = {}
    for change in changes:
        by_check.setdefault(change.check_id, {})[change.operation_ref] = None
    return [
        f"- breaking `{check}` " + " ".join(f"`{op}`" for op in ops) + ": <why it is acceptable>"
        for check, ops in by_check.items()
    ]


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)


def last_tag(repo: Path) -> str | None:
    """The newest `v*` tag reachable from HEAD, or None when there is none."""
    proc = git(repo, "describe", "--tags", "--abbrev=0", "--match", TAG_PATTERN, "HEAD")
    if proc.returncode != 0:
        return None
    return proc.stdout.strip() or None


def extract_spec_dir(repo: Path, ref: str, spec_rel: Path, dest: Path) -> Path | None:
    """Write the spec's directory as of `ref` into `dest`; return the spec path or None.

    The whole directory is taken (not just the file) so that a spec split into several
    files with relative $refs still resolves.
    """
    proc = subprocess.run(
        ["git", "archive", "--format=tar", ref, "--", spec_rel.parent.as_posix()],
        cwd=repo,
        capture_output=True,
    )
    if proc.returncode != 0:
        stderr = proc.stderr.decode(errors="replace")
        if "did not match any files" in stderr or "pathspec" in stderr:
            return None
        raise ToolError(f"git archive {ref} failed: {stderr.strip()}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        tar.extractall(dest, filter="data")
    spec = dest / spec_rel
    return spec if spec.is_file() else None


def run_oasdiff(base: Path, revision: Path, workdir: Path) -> list[Change]:
    exe = ensure_oasdiff()
    levels = workdir / "oasdiff-levels.txt"
    levels.write_text("".join(f"{check} {level}\n" for check, level in SEVERITY_OVERRIDES.items()))
    proc = subprocess.run(
        [
            *(exe, "breaking", str(base), str(revision.resolve())),
            *("--format", "json", "--severity-levels", str(levels)),
        ],
        # Run outside the repository so that no stray .oasdiff.* config changes the rules.
        cwd=workdir,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise ToolError(f"oasdiff failed (exit {proc.returncode}):\n{proc.stderr.strip()}")
    raw = json.loads(proc.stdout or "[]") or []
    return [
        Change(
            check_id=str(item.get("id", "")),
            level=int(item.get("level", 0)),
            text=str(item.get("text", "")),
            method=str(item.get("operation", "")),
            path=str(item.get("path", "")),
            operation_id=str(item.get("operationId", "")),
        )
        for item in raw
    ]


def guard(repo: Path, spec: Path, changelog: Path, base_ref: str | None) -> int:
    if git(repo, "rev-parse", "--git-dir").returncode != 0:
        raise ToolError(f"{repo} is not a git repository")
    try:
        spec_rel = spec.resolve().relative_to(repo.resolve())
    except ValueError as exc:
        raise ToolError(f"{spec} is not inside the repository {repo}") from exc

    ref = base_ref or last_tag(repo)
    if ref is None:
        print(
            f"spec_diff: no tag matching '{TAG_PATTERN}' is reachable from HEAD, so no API "
            "version has been released to compare with; skipping the breaking-change check.\n"
            "  (In a clone without tags run `git fetch --tags`; "
            "to compare with another ref use --base-ref REF.)"
        )
        return 0

    with tempfile.TemporaryDirectory(prefix="spec-diff-") as tmp:
        base = extract_spec_dir(repo, ref, spec_rel, Path(tmp) / "base")
        if base is None:
            print(f"spec_diff: {spec_rel} does not exist at {ref}; nothing released to break.")
            return 0
        changes = run_oasdiff(base, spec, Path(tmp))

    errors = [c for c in changes if c.level >= LEVEL_ERR]
    warnings = [c for c in changes if c.level == LEVEL_WARN]
    acks, problems = parse_acks(changelog.read_text() if changelog.is_file() else "")

    print(
        f"spec_diff: {spec_rel} compared with {ref}: {len(errors)} breaking change(s), "
        f"{len(warnings)} warning(s)."
    )
    for problem in problems:
        print(f"  {changelog.name}: {problem}")

    unacked: list[Change] = []
    used: set[Ack] = set()
    for change in errors:
        covering = [a for a in acks if a.covers(change)]
        used.update(covering)
        status = (
            f"acknowledged ({changelog.name} line {covering[0].line_no})"
            if covering
            else "NOT ACKNOWLEDGED"
        )
        print(f"  BREAKING [{change.check_id}] {change.where}: {change.text} -- {status}")
        if not covering:
            unacked.append(change)
    for change in warnings:
        print(f"  warning  [{change.check_id}] {change.where}: {change.text}")
    for ack in acks:
        if ack not in used:
            print(
                f"  note: {changelog.name} line {ack.line_no} acknowledges `{ack.check_id}` "
                "but no such breaking change was found"
            )

    if unacked:
        print(
            f"\nFAILED: {len(unacked)} breaking change(s) against {ref} are not acknowledged.\n"
            f"Either make the change backward compatible, or add a line per change under "
            f"'## Unreleased' in {changelog}, e.g.:"
        )
        for line in suggested_acks(unacked):
            print(f"  {line}")
        return 1
    print("OK: no unacknowledged breaking changes.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n", 1)[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--repo", type=Path, default=REPO_ROOT, help="git repository")
    parser.add_argument("--spec", type=Path, help=f"spec file (default: REPO/{SPEC_REL})")
    parser.add_argument(
        "--changelog", type=Path, help=f"changelog file (default: REPO/{CHANGELOG_REL})"
    )
    parser.add_argument(
        "--base-ref", help=f"compare with this git ref instead of the last '{TAG_PATTERN}' tag"
    )
    args = parser.parse_args(argv)
    repo: Path = args.repo
    try:
        return guard(
            repo,
            args.spec or repo / SPEC_REL,
            args.changelog or repo / CHANGELOG_REL,
            args.base_ref,
        )
    except ToolError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
