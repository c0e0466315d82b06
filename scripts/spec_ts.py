#!/usr/bin/env python3
"""Generate the TypeScript types of the proxy API from spec/alluxio-proxy.yaml.

    scripts/spec_ts.py              # regenerate generated/ts/alluxio-proxy.d.ts
    scripts/spec_ts.py --check      # fail if the committed file differs from a fresh generation
    scripts/spec_ts.py --typecheck  # also type-check tests/ts (tsc --noEmit) against the types

The output is produced by the pinned `openapi-typescript` (package.json) and is never edited
by hand. npm packages are installed with `npm ci` on first use.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

from spec_toolchain import DEFAULT_SPEC, REPO_ROOT, ToolError, node_bin, run_tool

DEFAULT_OUT = REPO_ROOT / "generated" / "ts" / "alluxio-proxy.d.ts"
TS_PROJECT = REPO_ROOT / "tests" / "ts" / "tsconfig.json"

# Schema types are also exported at the top level (`import type { FileInfo } ...`); the
# spec's schema names cannot collide with openapi-typescript's own exports (paths,
# components, operations, webhooks, $defs), so the "Schema" prefix is dropped.
OPENAPI_TS_FLAGS = ["--root-types", "--root-types-no-schema-prefix"]


def generate(spec: Path, out: Path) -> None:
    """Write the TypeScript declarations for `spec` to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = run_tool(
        [node_bin("openapi-typescript"), str(spec), "-o", str(out), *OPENAPI_TS_FLAGS],
        capture=True,
    )
    if proc.returncode != 0:
        raise ToolError(f"openapi-typescript failed on {spec}:\n{proc.stdout}{proc.stderr}")


def check(spec: Path, out: Path) -> bool:
    """True if `out` is exactly what the generator produces from `spec`; prints a diff if not."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / out.name
        generate(spec, fresh)
        expected = fresh.read_text()
    actual = out.read_text() if out.exists() else ""
    if actual == expected:
        return True
    diff = difflib.unified_diff(
        actual.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        fromfile=f"{out} (committed)",
        tofile=f"{out} (generated from {spec})",
    )
    sys.stdout.writelines(diff)
    return False


def typecheck(project: Path) -> bool:
    """Run `tsc --noEmit` on a TypeScript project; True if it type-checks."""
    proc = run_tool([node_bin("tsc"), "--noEmit", "-p", str(project)])
    return proc.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="generated .d.ts file")
    parser.add_argument(
        "--check", action="store_true", help="verify the committed output instead of writing it"
    )
    parser.add_argument(
        "--typecheck",
        action="store_true",
        help=f"type-check the TypeScript example ({TS_PROJECT.relative_to(REPO_ROOT)})",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            if not check(args.spec, args.out):
                print(
                    f"DRIFT: {args.out} is out of date with {args.spec}; "
                    "run scripts/spec_ts.py and commit the result.",
                    file=sys.stderr,
                )
                return 1
            print(f"OK: {args.out} is up to date with {args.spec}")
        else:
            generate(args.spec, args.out)
            print(f"wrote {args.out}")
        if args.typecheck:
            if not typecheck(TS_PROJECT):
                print(f"FAILED: tsc --noEmit -p {TS_PROJECT}", file=sys.stderr)
                return 1
            print(f"OK: tsc --noEmit -p {TS_PROJECT}")
    except ToolError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
