"""The embedded proxy streams listings: batches rendered as the directory is read, sorted in
bounded memory, errors before the answer starts, and no work for a client that went away."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from alluxio.server import EmbeddedProxy, _fs
from alluxio.server._errors import ProxyError
from tests.server._api import Api


def _files(directory: Path, count: int) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    names = [f"f{(i * 7919) % count:05d}" for i in range(count)]  # not created in order
    for name in names:
        (directory / name).touch()
    return sorted(names)


def test_batches_are_sorted_across_spilled_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fs, "_SORT_RUN", 7)
    monkeypatch.setattr(_fs, "_SCAN_CHUNK", 3)
    monkeypatch.setattr(_fs, "_LIST_BATCH", 5)
    monkeypatch.setattr(_fs, "_FIRST_BATCH", 3)
    names = _files(tmp_path / "d", 40)
    (tmp_path / "d" / ".alluxio-proxy-x").touch()  # the proxy's own names never show
    (tmp_path / "d" / "sub").mkdir()
    (tmp_path / "d" / "sub" / "deep").touch()
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    try:
        pending = ns.create_file("/d/g-being-written", {})
        batches = list(ns.list_status_batches("/d", {}))
        assert [len(b) for b in batches] == [3] + [5] * 7 + [4]
        listed = [info["name"] for batch in batches for info in batch]
        assert listed == sorted([*names, "g-being-written", "sub"])
        recursive = [
            i["path"] for b in ns.list_status_batches("/d", {"recursive": True}) for i in b
        ]
        assert recursive == [f"/d/{n}" for n in listed] + ["/d/sub/deep"]
        assert os.listdir(ns.tmp_dir) == [os.path.basename(pending.temp)]  # runs are anonymous
        # An entry removed after the directory was read is left out, not an error.
        batches_of_d = ns.list_status_batches("/d", {})
        first = next(batches_of_d)
        (tmp_path / "d" / names[-1]).unlink()
        rest = [info["name"] for batch in batches_of_d for info in batch]
        assert [i["name"] for i in first] + rest == sorted([*names[:-1], "g-being-written", "sub"])
        ns.abort(pending)
    finally:
        ns.close()


def test_names_keep_the_masters_order_across_runs_and_read_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small runs, scan chunks and read blocks: multi-byte names are cut by block ends and
    # every run holds a mix; the listing is in the order of Java's String.compareTo (UTF-16
    # code units), as a 2.9.6 master lists (checked against it: a, z, \U0001f600, \ue000,
    # \uff01): names beyond U+FFFF come before U+E000-U+FFFF, unlike code point order.
    monkeypatch.setattr(_fs, "_SORT_RUN", 4)
    monkeypatch.setattr(_fs, "_SCAN_CHUNK", 3)
    monkeypatch.setattr(_fs, "_UNSPILL_BLOCK", 5)
    names = ["Zeta", "a", "a b", "a-c", "a.d", "é", "éé", "z", "日本語", "\U0001f600", "\uff01"]
    names += ["\ue000", "\U0001f600\U0001f600", "x\U00010000", "x\uffff"]
    names += [f"n{i:02d}" for i in range(20)]
    (tmp_path / "d").mkdir()
    for name in names:
        (tmp_path / "d" / name).touch()
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    try:
        pending = ns.create_file("/d/\u00e9-being-written", {})
        listed = [i["name"] for b in ns.list_status_batches("/d", {}) for i in b]
        expected = sorted([*names, "\u00e9-being-written"], key=lambda n: n.encode("utf-16-be"))
        assert listed == expected
        assert listed.index("\U0001f600") < listed.index("\ue000") < listed.index("\uff01")
        assert listed.index("x\U00010000") < listed.index("x\uffff")
        # The directory's length counts the same entries.
        assert ns.get_status("/d")["length"] == len(expected)
        ns.abort(pending)
        assert ns.get_status("/d")["length"] == len(names)
    finally:
        ns.close()


def test_symlinks_and_special_files_in_a_listing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Among plain files (read in chunks): a symlink inside the root is listed as what it
    # leads to, one leading out of it, a dangling one and a FIFO are not entries at all.
    monkeypatch.setattr(_fs, "_SCAN_CHUNK", 4)
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "root"
    d = root / "d"
    d.mkdir(parents=True)
    for i in range(10):
        (d / f"f{i}").write_bytes(b"x" * i)
    (d / "sub").mkdir()
    os.symlink(d / "f3", d / "inner-file")
    os.symlink(d / "sub", d / "inner-dir")
    os.symlink(outside, d / "escape")
    os.symlink(d / "missing", d / "dangling")
    os.mkfifo(d / "fifo")
    ns = _fs.Namespace(root, dialect="2.x", host="127.0.0.1")
    try:
        infos = [i for b in ns.list_status_batches("/d", {}) for i in b]
        assert [i["name"] for i in infos] == sorted(
            [*(f"f{i}" for i in range(10)), "inner-dir", "inner-file", "sub"]
        )
        by_name = {i["name"]: i for i in infos}
        assert by_name["inner-file"]["length"] == 3 and not by_name["inner-file"]["folder"]
        assert by_name["inner-dir"]["folder"]
        assert ns.get_status("/d")["length"] == len(infos)
    finally:
        ns.close()


def _settle() -> None:
    """Wait until the directories changed so far count as settled (their sorted names may
    be kept): ``_SETTLED_NS`` is 0.2 s in these tests, far above time stamps' granularity."""
    time.sleep(0.25)


def test_sorted_names_of_an_unchanged_directory_are_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fs, "_SORT_RUN", 7)
    monkeypatch.setattr(_fs, "_SCAN_CHUNK", 3)
    monkeypatch.setattr(_fs, "_UNSPILL_BLOCK", 5)
    monkeypatch.setattr(_fs, "_SETTLED_NS", 200_000_000)
    d = tmp_path / "d"
    names = _files(d, 40)
    (d / "\u00e9t\u00e9").touch()
    names = sorted([*names, "\u00e9t\u00e9"])
    scans = 0
    scan = _fs.Namespace._scan_chunks

    def counting(self: _fs.Namespace, path: str, links: list[str] | None = None) -> Any:
        nonlocal scans
        scans += path == "/d"
        return scan(self, path, links)

    monkeypatch.setattr(_fs.Namespace, "_scan_chunks", counting)
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")

    def listed() -> list[str]:
        return [i["name"] for b in ns.list_status_batches("/d", {}) for i in b]

    try:
        assert listed() == names and scans == 1  # changed just now: read every time
        assert listed() == names and scans == 2
        _settle()
        # A listing left early keeps nothing; one taken whole keeps the sorted names.
        next(ns.list_status_batches("/d", {}))
        assert listed() == names and scans == 4
        assert listed() == names and scans == 4
        assert ns.get_status("/d")["length"] == len(names) and scans == 4
        # Files being written are merged in (they are not in the directory yet).
        pending = ns.create_file("/d/f00010-new", {})
        assert listed() == sorted([*names, "f00010-new"]) and scans == 4
        assert ns.get_status("/d")["length"] == len(names) + 1
        ns.complete(pending)  # now in the directory: read again
        names = sorted([*names, "f00010-new"])
        assert listed() == names and scans == 5
        # Changes made in the under store show at once.
        _settle()
        assert listed() == names and scans == 6
        (d / names[3]).unlink()
        (d / "zz").mkdir()
        names = sorted([*names[:3], *names[4:], "zz"])
        assert listed() == names and ns.get_status("/d")["length"] == len(names)
        # A symlink's target may come and go: a directory holding one is read every time.
        _settle()
        os.symlink(d / "later", d / "link")
        _settle()
        before = scans
        assert listed() == names and listed() == names and scans == before + 2
        (d / "later").touch()
        assert listed() == sorted([*names, "later", "link"])
    finally:
        ns.close()


def test_errors_are_found_before_the_listing_starts(tmp_path: Path) -> None:
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    try:
        with pytest.raises(ProxyError, match='Path "/missing" does not exist'):
            ns.list_status_batches("/missing", {})
        with pytest.raises(ProxyError, match="is invalid"):
            ns.list_status_batches("relative", {})
    finally:
        ns.close()


def test_the_answer_is_chunked_json_when_it_spans_batches(
    alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fs, "_LIST_BATCH", 4)
    monkeypatch.setattr(_fs, "_FIRST_BATCH", 4)
    names = _files(Path(alluxio_proxy.root) / "big", 10)
    _files(Path(alluxio_proxy.root) / "small", 3)
    (Path(alluxio_proxy.root) / "empty").mkdir()
    api = Api(alluxio_proxy.url)
    try:
        big = api.call("/big", "list-status")
        assert big.status_code == 200 and big.headers["content-type"] == "application/json"
        assert big.headers.get("transfer-encoding") == "chunked"
        assert [i["name"] for i in big.json()] == names
        # One batch: sent whole with its length, as before.
        small = api.call("/small", "list-status")
        assert "content-length" in small.headers and len(small.json()) == 3
        empty = api.call("/empty", "list-status")
        assert empty.content == b"[]" and empty.headers["content-length"] == "2"
        api.error(api.call("/none", "list-status"), "NOT_FOUND", 'Path "/none" does not exist.')
    finally:
        api.close()


def test_a_client_that_leaves_stops_the_rendering(
    alluxio_proxy: EmbeddedProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_fs, "_LIST_BATCH", 2)
    monkeypatch.setattr(_fs, "_FIRST_BATCH", 2)
    count = 1000
    _files(Path(alluxio_proxy.root) / "d", count)
    rendered = 0
    render = _fs.Namespace._info

    def counting(self: _fs.Namespace, path: str, found: Any = None) -> dict[str, Any]:
        nonlocal rendered
        rendered += 1
        return render(self, path, found)

    monkeypatch.setattr(_fs.Namespace, "_info", counting)
    url = f"{alluxio_proxy.url}/api/v1/paths//d/list-status"
    with httpx.stream("POST", url, timeout=60) as response:
        first = next(response.iter_raw())
        assert first.startswith(b'[{"')
    settled = -1
    while settled != rendered:  # until the proxy stops rendering
        settled = rendered
        time.sleep(0.5)
    assert rendered < count / 2, rendered
    # The proxy still answers (and renders everything for a client that stays).
    assert len(json.loads(httpx.post(url, timeout=60).content)) == count


def test_ids_given_by_a_first_listing_are_kept_across_a_restart(tmp_path: Path) -> None:
    # A first listing gives every entry found in the under store its id and metadata
    # record, written to the state store once per batch: they must all be there after a
    # restart, and the id counters with them (no id handed out twice).
    names = _files(tmp_path / "d", 1200)
    (tmp_path / "d" / "sub").mkdir()
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    try:
        listed = {i["name"]: i["fileId"] for b in ns.list_status_batches("/d", {}) for i in b}
    finally:
        ns.close()
    assert sorted(listed) == sorted([*names, "sub"]) and len(set(listed.values())) == 1201
    ns = _fs.Namespace(tmp_path, dialect="2.x", host="127.0.0.1")
    try:
        again = {i["name"]: i["fileId"] for b in ns.list_status_batches("/d", {}) for i in b}
        assert again == listed
        ns.create_directory("/d/newdir", {})
        ns.complete(ns.create_file("/d/newfile", {}))
        new = {ns.get_status(f"/d/{n}")["fileId"] for n in ("newdir", "newfile")}
        assert not new & set(listed.values()) and len(new) == 2
    finally:
        ns.close()
