#!/usr/bin/env python3
"""Lint spec/alluxio-proxy.yaml and render it as a static HTML API reference.

    scripts/spec_html.py                  # -> build/api-reference.html (gitignored)
    scripts/spec_html.py --out ref.html   # elsewhere
    scripts/spec_html.py --lint-only      # just `redocly lint`

Both steps use the pinned Redocly CLI (package.json) with spec/redocly.yaml. Lint errors fail
the build (exit 1); lint warnings are printed but do not. The page is self-contained (Redoc's
script is inlined), so it can be opened offline or published as one file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spec_toolchain import DEFAULT_SPEC, REDOCLY_CONFIG, REPO_ROOT, ToolError, node_bin, run_tool

DEFAULT_OUT = REPO_ROOT / "build" / "api-reference.html"


def lint(spec: Path, config: Path) -> bool:
    """Run `redocly lint`; True when the spec has no errors."""
    proc = run_tool([node_bin("redocly"), "lint", "--config", str(config), str(spec)])
    return proc.returncode == 0


def build(spec: Path, config: Path, out: Path) -> bool:
    """Run `redocly build-docs` into `out`; True on success."""
    out.parent.mkdir(parents=True, exist_ok=True)
    proc = run_tool(
        [
            node_bin("redocly"),
            "build-docs",
            str(spec),
            "--config",
            str(config),
            # Inline Redoc's bundle: the page must work without the Redocly CDN.
            "--inlineBundle",
            "--output",
            str(out),
        ]
    )
    return proc.returncode == 0 and out.is_file()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document")
    parser.add_argument("--config", type=Path, default=REDOCLY_CONFIG, help="Redocly config")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="HTML file to write")
    parser.add_argument("--lint-only", action="store_true", help="lint, do not build")
    args = parser.parse_args(argv)
    try:
        if not args.lint_only:
            # Remove a previous page first: a failed run must never leave a stale one behind.
            args.out.unlink(missing_ok=True)
        if not lint(args.spec, args.config):
            print(f"FAILED: redocly lint found errors in {args.spec}", file=sys.stderr)
            return 1
        if args.lint_only:
            return 0
        if not build(args.spec, args.config, args.out):
            print(f"FAILED: redocly build-docs could not render {args.spec}", file=sys.stderr)
            return 1
    except ToolError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    print(f"OK: API reference written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
