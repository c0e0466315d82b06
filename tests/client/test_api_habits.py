"""Python API habits users bring from files and other clients (issue #22), over real HTTP:
``close()`` closes the client, ``"rb"``/``"wb"``, ``io`` wrappers around readers and
writers, errors after close, ``str()`` of errors, ``datetime`` times."""

from __future__ import annotations

import datetime
import gc
import io
import pickle
import sys
from typing import Any

import pytest

import alluxio
from alluxio import exceptions, wire


@pytest.fixture
def client(proxy_url: str) -> alluxio.Client:
    return alluxio.Client.from_url(proxy_url, timeout=120)


def test_close_without_argument_closes_the_client(client: alluxio.Client, workdir: str) -> None:
    client.create_directory(workdir)
    client.close()
    with pytest.raises(exceptions.ClientClosedError, match="client is closed") as info:
        client.exists(workdir)
    # Also what httpx raised before, and a transport-level HTTPError as documented.
    assert isinstance(info.value, RuntimeError)
    assert isinstance(info.value, exceptions.HTTPError)
    client.close()  # twice is fine


def test_close_with_a_file_id_still_closes_the_file(client: alluxio.Client, workdir: str) -> None:
    with client:
        file_id = client.create_file(
            f"{workdir}/seed.txt", alluxio.option.CreateFile(recursive=True)
        )
        client.write(file_id).write(b"seed")
        client.close(file_id)
        assert client.read_bytes(f"{workdir}/seed.txt") == b"seed"


def test_calls_after_close_connections_raise_client_closed(client: alluxio.Client) -> None:
    client.close_connections()
    for call in (lambda: client.get_status("/"), lambda: client.open("/x", "w").__enter__()):
        with pytest.raises(exceptions.ClientClosedError):
            call()


def test_binary_modes_are_the_plain_modes(client: alluxio.Client, workdir: str) -> None:
    path = f"{workdir}/b.bin"
    with client:
        client.create_directory(workdir)
        with client.open(path, "wb") as writer:
            writer.write(b"\x00\x01binary")
        with client.open(path, "rb") as reader:
            assert reader.read() == b"\x00\x01binary"
        with pytest.raises(ValueError, match="mode must be 'r' or 'w' \\('rb' and 'wb' too\\)"):
            client.open(path, "rt")  # type: ignore[call-overload]


def test_text_and_buffered_wrappers_read_lines(client: alluxio.Client, workdir: str) -> None:
    path = f"{workdir}/lines.txt"
    text = "première ligne\nzweite Zeile\n" + "x" * 100_000 + "\nlast"
    with client:
        client.create_directory(workdir)
        with client.open(path, "w") as raw_writer:
            assert (raw_writer.writable(), raw_writer.readable(), raw_writer.seekable()) == (
                True,
                False,
                False,
            )
            with io.TextIOWrapper(raw_writer, encoding="utf-8") as out:
                out.write(text)
        # Closing the wrapper closed the writer; open() completed the file all the same.
        assert client.get_status(path).length == len(text.encode())

        with client.open(path, "r") as reader:
            assert (reader.readable(), reader.writable(), reader.seekable()) == (True, False, False)
            assert isinstance(reader, io.RawIOBase)
            lines = io.TextIOWrapper(reader, encoding="utf-8").readlines()
        assert lines == text.splitlines(keepends=True)

        with client.open(path, "r") as reader:
            buffered = io.BufferedReader(reader, buffer_size=4096)
            assert buffered.readline() == "première ligne\n".encode()
            assert buffered.read(6) == b"zweite"
            assert buffered.read() == text.encode()[len("première ligne\nzweite".encode()) :]
        with pytest.raises(ValueError, match="closed"):
            reader.read(1)


def test_buffered_writer_sends_what_was_written(client: alluxio.Client, workdir: str) -> None:
    path = f"{workdir}/buffered.bin"
    with client:
        client.create_directory(workdir)
        with client.open(path, "w") as writer:
            buffered = io.BufferedWriter(writer, buffer_size=1024)
            for i in range(300):
                buffered.write(bytes([i % 256]) * 7)
            buffered.flush()
        assert client.read_bytes(path) == b"".join(bytes([i % 256]) * 7 for i in range(300))


def test_reader_misuse_has_no_finalizer_noise(monkeypatch: pytest.MonkeyPatch) -> None:
    # io.IOBase's finalizer closes half-made objects: that must not fail on missing state.
    unraisable: list[Any] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    with pytest.raises(TypeError, match=r"Reader is created by Client\.read"):
        alluxio.client.Reader("not a response")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Writer is created by Client\.write"):
        alluxio.client.Writer("nope", {}, 1)  # type: ignore[arg-type]
    gc.collect()
    assert unraisable == []


def test_error_str_is_status_and_message(client: alluxio.Client, workdir: str) -> None:
    with client, pytest.raises(exceptions.NotFoundError) as info:
        client.get_status(f"{workdir}/nope")
    error = info.value
    assert str(error) == f'NOT_FOUND: Path "{workdir}/nope" does not exist.'
    # The seed's attributes, unchanged.
    assert (error.status, error.message) == ("NOT_FOUND", f'Path "{workdir}/nope" does not exist.')
    assert repr(error) == (
        f"NotFoundError(status='NOT_FOUND', message='Path \"{workdir}/nope\" does not exist.')"
    )
    assert str(pickle.loads(pickle.dumps(error))) == str(error)


def test_error_str_without_message() -> None:
    assert str(exceptions.AlluxioError("UNKNOWN", "")) == "UNKNOWN"


def test_file_info_times_as_datetimes(client: alluxio.Client, workdir: str) -> None:
    before = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=5)
    with client:
        client.create_directory(workdir)
        client.write_bytes(f"{workdir}/t", b"t")
        info = client.get_status(f"{workdir}/t")
    after = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    for moment, ms in (
        (info.creation_time, info.creation_time_ms),
        (info.last_modification_time, info.last_modification_time_ms),
    ):
        assert moment.tzinfo is datetime.UTC
        assert before <= moment <= after
        assert moment.timestamp() * 1000 == pytest.approx(ms, abs=0.5)


def test_file_info_datetime_is_exact_to_the_millisecond() -> None:
    info = wire.FileInfo(creation_time_ms=1_700_000_000_123, last_modification_time_ms=0)
    assert info.creation_time == datetime.datetime(
        2023, 11, 14, 22, 13, 20, 123000, tzinfo=datetime.UTC
    )
    assert info.last_modification_time == datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_async_close_and_binary_modes(proxy_url: str, workdir: str) -> None:
    client = alluxio.AsyncClient.from_url(proxy_url, timeout=120)
    await client.create_directory(workdir)
    async with client.open(f"{workdir}/a", "wb") as writer:
        assert (writer.writable(), writer.readable(), writer.seekable()) == (True, False, False)
        await writer.write(b"async")
    async with client.open(f"{workdir}/a", "rb") as reader:
        assert (reader.readable(), reader.writable(), reader.seekable()) == (True, False, False)
        assert await reader.read() == b"async"
    await client.close()
    with pytest.raises(exceptions.ClientClosedError, match="client is closed"):
        await client.exists(workdir)
