#!/usr/bin/env python3
"""Check the spec's option schemas and enums against the real servers' own definitions.

    scripts/spec_check_server.py [--spec FILE] [--dialect 2.x|1.x ...]

Every schema of the spec with an ``x-alluxio-java`` extension names, per dialect, the Java class
the proxy binds that JSON to. For the 2.x dialect (Alluxio 2.9.6) these are protobuf messages
and enums of ``alluxio-core-transport``, described from their descriptors; for the 1.x dialect
(Alluxio 1.8.1) Java beans and enums, described by the Jackson version the 1.x proxy runs
(scripts/spec_check/*.java, compiled and run against the server's Maven classpath, which
``scripts/real-proxy`` resolves and caches).

A property belongs to the dialects of its ``x-alluxio-versions`` (else those of the schema it
references, else every dialect); an enum value to those of ``x-alluxio-enum-versions``; 1.x enum
spellings come from ``x-alluxio-1x-enum``. The check fails on a field missing from the spec, a
field the server does not have, a wrong type or a wrong enum value, printing each difference.
Exit codes: 0 match, 1 differences, 2 the server's definitions could not be loaded.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from spec_facade import Spec

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "alluxio-proxy.yaml"
JAVA_SOURCES = ROOT / "scripts" / "spec_check"
DIALECTS = ("2.x", "1.x")
# Release checked per dialect, and the program describing its classes.
VERSIONS = {"2.x": "2.9.6", "1.x": "1.8.1"}
_DESCRIBERS = {"2.x": "ProtoDescribe", "1.x": "BeanDescribe"}
_JAVA_TIMEOUT_S = 300.0


class ServerUnavailable(RuntimeError):
    """The server's definitions could not be loaded (no Java, Maven or jars)."""


def _real_proxy() -> ModuleType:
    # Loaded by path, as scripts/real-proxy does: tests/ is not a package.
    path = ROOT / "tests" / "_real_proxy.py"
    spec = importlib.util.spec_from_file_location("_real_proxy", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_real_proxy", module)
    spec.loader.exec_module(module)
    return module


def describe_server(dialect: str, classes: Sequence[str]) -> dict[str, Any]:
    """The server's description of ``classes`` (see scripts/spec_check/Json.java)."""
    real_proxy = _real_proxy()
    version = VERSIONS[dialect]
    try:
        classpath = real_proxy.build_classpath(version)
        java = real_proxy._find_java()
    except (real_proxy.RealProxyUnavailable, real_proxy.RealProxyError) as exc:
        raise ServerUnavailable(str(exc)) from exc
    main = _DESCRIBERS[dialect]
    sources = [JAVA_SOURCES / "Json.java", JAVA_SOURCES / f"{main}.java"]
    out = ROOT / "scripts" / "real_proxy" / "target" / f"spec-check-{version}"
    stamp = out / f"{main}.class"
    if not stamp.exists() or stamp.stat().st_mtime < max(s.stat().st_mtime for s in sources):
        out.mkdir(parents=True, exist_ok=True)
        javac = str(Path(java).with_name("javac"))
        _run([javac, "-nowarn", "-d", str(out), "-cp", ":".join(classpath), *map(str, sources)])
    text = _run([java, "-cp", ":".join([str(out), *classpath]), main, *classes])
    result: dict[str, Any] = json.loads(text)
    return result


def _run(cmd: list[str]) -> str:
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=_JAVA_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ServerUnavailable(f"{Path(cmd[0]).name} failed: {exc}") from exc
    if done.returncode != 0:
        raise ServerUnavailable(f"{Path(cmd[0]).name} failed:\n{done.stderr.strip()}")
    return done.stdout


# ----- the spec's side -----


class SpecModel(Spec):
    """The spec's option schemas and enums, as seen by one dialect."""

    def bound(self, dialect: str) -> dict[str, str]:
        """Schema name -> Java class, for every schema the dialect binds."""
        return {
            name: schema["x-alluxio-java"][dialect]
            for name, schema in self.schemas.items()
            if dialect in schema.get("x-alluxio-java", {})
        }

    def fields(self, name: str, dialect: str) -> dict[str, str]:
        """JSON name -> type of the schema's properties that ``dialect`` has."""
        properties = self.schemas[name].get("properties", {})
        return {
            key: self.type_of(prop, dialect)
            for key, prop in properties.items()
            if dialect in self.dialects(prop)
        }

    def type_of(self, node: Mapping[str, Any], dialect: str) -> str:
        target = self.target(node)
        if target is not None:
            schema = self.schemas[target]
            if not self.is_enum(target) and self.is_map(target):
                return self.type_of(schema, dialect)  # a named map (XAttr)
            java = schema.get("x-alluxio-java", {}).get(dialect, f"<{target}: no x-alluxio-java>")
            return ("enum:" if "enum" in schema else "msg:") + str(java)
        kind = node.get("type")
        if kind == "boolean":
            return "bool"
        if kind == "integer":
            return str(node.get("format", "int64"))
        if kind == "number":
            return "float" if node.get("format") == "float" else "double"
        if kind == "string":
            return "bytes" if node.get("format") == "byte" else "string"
        if kind == "array":
            return "list:" + self.type_of(node["items"], dialect)
        if kind == "object" and isinstance(node.get("additionalProperties"), Mapping):
            return "map:" + self.type_of(node["additionalProperties"], dialect)
        return f"<unsupported {node!r}>"


# ----- the comparison -----


def compare(model: SpecModel, dialect: str, server: Mapping[str, Any]) -> list[str]:
    """Every difference between the spec and the server's classes, one line each."""
    problems: list[str] = []
    for name, java in model.bound(dialect).items():
        where = f"{dialect} {name} ({java})"
        described = server[java]
        schema = model.schemas[name]
        if ("enum" in schema) != (described["kind"] == "enum"):
            problems.append(f"{where}: the spec and the server disagree on enum vs object")
            continue
        if described["kind"] == "enum":
            ours, theirs = model.enum_values(name, dialect), described["values"]
            problems += [
                f"{where}: enum value {v} missing from the spec" for v in theirs if v not in ours
            ]
            problems += [
                f"{where}: enum value {v} unknown to the server" for v in ours if v not in theirs
            ]
            continue
        ours_f, theirs_f = model.fields(name, dialect), dict(described["fields"])
        for key, kind in theirs_f.items():
            if key not in ours_f:
                problems.append(f"{where}: field {key!r} ({kind}) missing from the spec")
            elif ours_f[key] != kind:
                problems.append(
                    f"{where}: field {key!r} is {ours_f[key]} in the spec, {kind} on the server"
                )
        problems += [
            f"{where}: field {key!r} ({kind}) unknown to the server"
            for key, kind in ours_f.items()
            if key not in theirs_f
        ]
        # proto2 required fields (1.x beans have none: an unset field keeps its default).
        required, ours_r = sorted(described["required"]), sorted(schema.get("required", []))
        if dialect == "2.x" and required != ours_r:
            problems.append(f"{where}: required {ours_r} in the spec, {required} on the server")
    return problems


def check(spec: Path, dialects: Iterable[str]) -> list[str]:
    """Load the spec and the servers' definitions; return every difference."""
    model = SpecModel(yaml.safe_load(spec.read_text(encoding="utf-8")))
    problems: list[str] = []
    for dialect in dialects:
        classes = sorted(set(model.bound(dialect).values()))
        problems += compare(model, dialect, describe_server(dialect, classes))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=SPEC)
    parser.add_argument("--dialect", action="append", choices=DIALECTS)
    args = parser.parse_args(argv)
    try:
        problems = check(args.spec, args.dialect or DIALECTS)
    except ServerUnavailable as exc:
        print(f"spec check: server definitions unavailable: {exc}", file=sys.stderr)
        return 2
    for line in problems:
        print(line)
    if problems:
        print(f"spec check: {len(problems)} difference(s) with the servers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
