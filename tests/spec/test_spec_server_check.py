"""The spec's option schemas and enums against the servers' own definitions (2.9.6 and 1.8.1).

scripts/spec_check_server.py describes the Java classes each proxy binds option JSON to (the
2.9.6 protobuf descriptors, the 1.8.1 Jackson beans; Java and the Maven jars, like the real
proxies) and lists every difference with the spec. It must find none, and must find each kind
of drift planted in a copy of the spec.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

pytestmark = pytest.mark.real_proxy

ROOT = Path(__file__).resolve().parents[2]
# Loaded by path: scripts/ is not a package (its scripts import each other by name).
sys.path.insert(0, str(ROOT / "scripts"))
_loader = importlib.util.spec_from_file_location(
    "spec_check_server", ROOT / "scripts" / "spec_check_server.py"
)
assert _loader is not None and _loader.loader is not None
check = importlib.util.module_from_spec(_loader)
_loader.loader.exec_module(check)
DOC: dict[str, Any] = yaml.safe_load(check.SPEC.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def servers() -> dict[str, Any]:
    """Each dialect's description of the classes the spec binds (one JVM run per dialect)."""
    model = check.SpecModel(DOC)
    try:
        return {
            d: check.describe_server(d, sorted(set(model.bound(d).values())))
            for d in check.DIALECTS
        }
    except check.ServerUnavailable as exc:
        if os.environ.get("ALLUXIO_PY_REQUIRE_REAL_PROXY"):
            pytest.fail(f"server definitions required but unavailable: {exc}")
        pytest.skip(f"server definitions unavailable: {exc}")


def problems(servers: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> list[str]:
    doc = copy.deepcopy(DOC)
    edit(doc)
    model = check.SpecModel(doc)
    return [line for d in check.DIALECTS for line in check.compare(model, d, servers[d])]


def schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = doc["components"]["schemas"][name]
    return found


@pytest.mark.parametrize("dialect", check.DIALECTS)
def test_the_spec_matches_the_server(servers: dict[str, Any], dialect: str) -> None:
    model = check.SpecModel(DOC)
    assert check.compare(model, dialect, servers[dialect]) == []
    # Every option schema is checked, in both dialects.
    assert {"CreateFileOptions", "CommonOptions", "Mode", "WriteType"} <= set(model.bound(dialect))


def test_an_added_field_is_reported(servers: dict[str, Any]) -> None:
    def add(doc: dict[str, Any]) -> None:
        schema(doc, "DeleteOptions")["properties"]["syncDirNextTime"] = {"type": "boolean"}

    assert problems(servers, add) == [
        "2.x DeleteOptions (alluxio.grpc.DeletePOptions): field 'syncDirNextTime' (bool) "
        "unknown to the server",
        "1.x DeleteOptions (alluxio.client.file.options.DeleteOptions): field "
        "'syncDirNextTime' (bool) unknown to the server",
    ]


def test_a_removed_field_is_reported(servers: dict[str, Any]) -> None:
    def remove(doc: dict[str, Any]) -> None:
        del schema(doc, "CreateFileOptions")["properties"]["overwrite"]

    assert problems(servers, remove) == [
        "2.x CreateFileOptions (alluxio.grpc.CreateFilePOptions): field 'overwrite' (bool) "
        "missing from the spec"
    ]


def test_a_field_in_the_wrong_dialect_is_reported(servers: dict[str, Any]) -> None:
    def widen(doc: dict[str, Any]) -> None:
        schema(doc, "OpenFileOptions")["properties"]["updateLastAccessTime"].pop(
            "x-alluxio-versions"
        )

    assert problems(servers, widen) == [
        "1.x OpenFileOptions (alluxio.client.file.options.OpenFileOptions): field "
        "'updateLastAccessTime' (bool) unknown to the server"
    ]


def test_a_wrong_type_is_reported(servers: dict[str, Any]) -> None:
    def narrow(doc: dict[str, Any]) -> None:
        schema(doc, "CreateFileOptions")["properties"]["blockSizeBytes"]["format"] = "int32"

    assert problems(servers, narrow) == [
        "2.x CreateFileOptions (alluxio.grpc.CreateFilePOptions): field 'blockSizeBytes' is "
        "int32 in the spec, int64 on the server",
        "1.x CreateFileOptions (alluxio.client.file.options.CreateFileOptions): field "
        "'blockSizeBytes' is int32 in the spec, int64 on the server",
    ]


def test_wrong_enum_values_are_reported(servers: dict[str, Any]) -> None:
    def edit(doc: dict[str, Any]) -> None:
        schema(doc, "WriteType")["enum"].append("SOMETIMES")
        ttl = schema(doc, "TtlAction")
        ttl["enum"].remove("DELETE_ALLUXIO")
        del ttl["x-alluxio-enum-versions"]

    assert problems(servers, edit) == [
        "2.x WriteType (alluxio.grpc.WritePType): enum value SOMETIMES unknown to the server",
        "2.x TtlAction (alluxio.grpc.TtlAction): enum value DELETE_ALLUXIO missing from the spec",
        "1.x WriteType (alluxio.client.WriteType): enum value SOMETIMES unknown to the server",
    ]


def test_the_script_fails_and_prints_the_difference(tmp_path: Path) -> None:
    doc = copy.deepcopy(DOC)
    del schema(doc, "MountOptions")["properties"]["remount"]
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(doc), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "spec_check_server.py"), "--spec", str(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == (
        "2.x MountOptions (alluxio.grpc.MountPOptions): field 'remount' (bool) missing from "
        "the spec\n"
    )
    assert "1 difference(s)" in done.stderr
