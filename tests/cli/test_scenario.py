"""One ``alluxio-py`` session end to end, against the embedded proxy and (marker
``real_proxy``) the real Alluxio 2.9 proxy: the commands must behave the same on both."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from alluxio.cli import app
from tests.cli.conftest import Outcome


def test_cli_session(
    proxy_url: str, workdir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def cli(*args: str) -> Outcome:
        result = runner.invoke(
            app, list(args), env={"ALLUXIO_PROXY": proxy_url}, catch_exceptions=False
        )
        return Outcome(result.exit_code, result.stdout, result.stderr, result.stdout_bytes)

    def ok(*args: str) -> Outcome:
        result = cli(*args)
        assert result.code == 0, (args, result.err)
        return result

    tree = tmp_path / "tree"
    files = {
        "a.txt": b"alpha\n",
        "sub/b.bin": os.urandom(3 * 1024 * 1024 + 5),
        "sub/deeper/c.txt": b"",
    }
    for relative, data in files.items():
        (tree / relative).parent.mkdir(parents=True, exist_ok=True)
        (tree / relative).write_bytes(data)

    ok("mkdir", "-p", f"{workdir}/in")
    ok("put", "-t", "3", "tree", f"{workdir}/in")
    top = f"{workdir}/in/tree"
    listing = json.loads(ok("ls", "-R", "--json", top).out)
    assert sorted((e["path"][len(top) + 1 :], e["length"]) for e in listing if not e["folder"]) == [
        ("a.txt", 6),
        ("sub/b.bin", 3 * 1024 * 1024 + 5),
        ("sub/deeper/c.txt", 0),
    ]
    assert ok("cat", f"{top}/a.txt").out == "alpha\n"
    usage = json.loads(ok("du", "-s", "--json", top).out)
    assert usage == [{"path": top, "size": 3 * 1024 * 1024 + 11, "files": 3}]

    # Overwriting goes through rename onto an existing file, which Alluxio refuses.
    (tree / "a.txt").write_bytes(b"changed\n")
    refused = cli("put", "tree/a.txt", f"{top}/a.txt")
    assert refused.code == 1
    assert "ALREADY_EXISTS" in refused.err
    ok("put", "--force", "tree/a.txt", f"{top}/a.txt")
    assert ok("cat", f"{top}/a.txt").out == "changed\n"
    names = [e["name"] for e in json.loads(ok("ls", "-R", "--json", workdir).out)]
    assert not [name for name in names if "alluxio-py-tmp" in name]

    ok("chmod", "-R", "750", top)
    ok("pin", f"{top}/a.txt")
    ok("ttl", f"{top}/a.txt", "3600000", "--action", "free")
    status = json.loads(ok("stat", "--json", f"{top}/a.txt").out)
    assert (status["mode"], status["pinned"], status["ttl"], status["ttlAction"]) == (
        0o750,
        True,
        3600000,
        "FREE",
    )
    ok("ttl", f"{top}/a.txt", "--remove")
    ok("unpin", f"{top}/a.txt")

    ok("get", "-t", "2", top, "copy")
    copied = {
        p.relative_to(tmp_path / "copy").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (tmp_path / "copy").rglob("*")
        if p.is_file()
    }
    files["a.txt"] = b"changed\n"
    assert copied == {k: hashlib.sha256(v).hexdigest() for k, v in files.items()}

    ok("mv", f"{top}/a.txt", f"{workdir}/in")
    assert ok("ls", f"{workdir}/in").out.split() == ["a.txt", "tree"]
    missing = cli("stat", f"{workdir}/nope")
    assert missing.code == 1
    assert missing.err.startswith(f"alluxio-py: stat {workdir}/nope: NOT_FOUND: ")
    not_empty = cli("rm", workdir)
    assert not_empty.code == 1
    ok("rm", "-r", workdir)
    assert cli("ls", workdir).code == 1
