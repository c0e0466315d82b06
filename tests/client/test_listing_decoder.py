"""The incremental list-status decoder: same entries as a whole-body decoding, whatever the
piece boundaries, the names or the formatting; never fewer entries than the body holds."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from alluxio import _json
from alluxio._listing import ListingDecoder, decode_listing
from alluxio.exceptions import HTTPError, UnknownError
from alluxio.wire import FileInfo

# Names that contain the decoder's boundary candidates, quotes, escapes and non-ASCII.
AWKWARD = ['x},{"blockIds"', "},{", 'q"\\},{"', "new\nline", "é☃", "\\", "z" * 3000]


def _entries(count: int) -> list[dict[str, Any]]:
    entries = [
        FileInfo(name=name, path=f"/d/{name}", length=i).json()
        for i, name in enumerate([*AWKWARD, *(f"f{i:05d}" for i in range(count))])
    ]
    # Nested objects that start like an entry: candidates between depth-2 objects.
    entries[1]["xattr"] = {"k": [{"blockIds": 1}, {"blockIds": 2}]}
    entries[1]["fileBlockInfos"] = []
    return entries


def _decode_in_pieces(body: bytes, sizes: list[int], rng: random.Random) -> list[FileInfo]:
    decoder = ListingDecoder.file_infos("list-status '/d'")
    out: list[FileInfo] = []
    at = 0
    while at < len(body):
        size = rng.choice(sizes)
        out += decoder.feed(body[at : at + size])
        at += size
    return out + decoder.finish()


@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")], ids=["compact", "spaced"])
def test_any_split_gives_every_entry_in_order(separators: tuple[str, str]) -> None:
    entries = _entries(300)
    body = json.dumps(entries, separators=separators).encode()
    rng = random.Random(7)
    for _ in range(20):
        got = _decode_in_pieces(body, [1, 7, 100, 1000, 5000, 70_000], rng)
        assert [info.name for info in got] == [e["name"] for e in entries]
        assert [info.length for info in got] == [e["length"] for e in entries]
        assert got[1].extra["xattr"] == entries[1]["xattr"]


def test_entries_come_before_the_body_ends() -> None:
    body = json.dumps(_entries(100), separators=(",", ":")).encode()
    decoder = ListingDecoder.file_infos("list-status '/d'")
    early = decoder.feed(body[: len(body) // 2])
    assert 0 < len(early) < 107
    assert len(early) + len(decoder.feed(body[len(body) // 2 :])) + len(decoder.finish()) == 107


def test_names_only() -> None:
    entries = _entries(50)
    body = json.dumps(entries).encode()
    names = decode_listing(ListingDecoder.names("list-status '/d'"), body)
    assert names == [e["name"] for e in entries]


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (b"", UnknownError, "with a body that is not JSON: b''"),
        (b"garbage", UnknownError, "with a body that is not JSON: b'garbage'"),
        (b'{"a": 1}', UnknownError, "answered list-status '/d' with dict, not a list"),
        (b"[1]", UnknownError, "FileInfo: expected a JSON object, got int"),
        (b'[{"name": "a"}]', UnknownError, "FileInfo: missing key 'blockIds'"),
        (b"[]x", UnknownError, "with a body that is not JSON: b'[]x'"),
        (b"[", HTTPError, "the listing was cut short"),
        (b'[{"blockIds":[],"name":"a', HTTPError, "the listing was cut short"),
    ],
)
def test_bad_bodies(body: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=None) as caught:
        decode_listing(ListingDecoder.file_infos("list-status '/d'"), body)
    assert message in str(caught.value)


def test_cut_between_entries_is_cut_short_not_fewer_entries() -> None:
    body = json.dumps(_entries(20), separators=(",", ":")).encode()
    cut = body.index(b'},{"blockIds"', len(body) // 2) + 2  # just after a comma
    decoder = ListingDecoder.file_infos("list-status '/d'")
    decoder.feed(body[:cut])
    with pytest.raises(HTTPError, match="cut short"):
        decoder.finish()


def test_a_corrupted_body_never_decodes_to_different_entries() -> None:
    entries = [FileInfo(name=f"f{i}" + '},{"blockIds"', path=f"/d/{i}").json() for i in range(30)]
    body = json.dumps(entries, separators=(",", ":")).encode()
    rng = random.Random(3)
    outcomes = set()
    for _ in range(400):
        mutated = bytearray(body)
        for _ in range(rng.randint(1, 3)):
            mutated[rng.randrange(len(mutated))] = rng.choice(b'{}[],:"\\ x1')
        try:
            want: list[str] | None = [FileInfo.from_json(e).name for e in json.loads(mutated)]
        except (ValueError, TypeError, AttributeError):
            want = None
        try:
            got: list[str] | str = [
                i.name for i in _decode_in_pieces(bytes(mutated), [3, 400], rng)
            ]
        except (UnknownError, HTTPError) as exc:
            got = type(exc).__name__
        outcomes.add("error" if isinstance(got, str) else "decoded")
        if want is None:
            assert isinstance(got, str), bytes(mutated)
        else:
            assert got == want, bytes(mutated)
    assert outcomes == {"error", "decoded"}


def test_without_msgspec_the_standard_library_decodes_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = _entries(40)
    body = json.dumps(entries, separators=(",", ":")).encode()
    for name in ("_decode_any", "_decode_listing", "_decode_one", "_decode_names"):
        monkeypatch.setattr(_json, name, None)
    got = _decode_in_pieces(body, [10, 999], random.Random(1))
    assert [info.name for info in got] == [e["name"] for e in entries]
    with pytest.raises(HTTPError, match="cut short"):
        decode_listing(ListingDecoder.file_infos("list-status '/d'"), body[:-300])
