"""Fault injection over loopback: the client between a fault proxy and the embedded proxy."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import alluxio
from alluxio import exceptions as exc
from alluxio._retry import RetryPolicy
from alluxio.server import EmbeddedProxy

from .faultproxy import FaultProxy

BIG = os.urandom(3 << 20) + b"tail"


@pytest.fixture
def gate(alluxio_proxy: EmbeddedProxy) -> Iterator[FaultProxy]:
    """A fault proxy in front of the embedded proxy (no faults until a test sets some)."""
    with FaultProxy(alluxio_proxy.host, alluxio_proxy.port) as proxy:
        yield proxy


@pytest.fixture
def direct(alluxio_proxy: EmbeddedProxy) -> Iterator[alluxio.Client]:
    """A client talking to the embedded proxy without faults, to check the outcome."""
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        yield client


def _via(gate: FaultProxy, **kwargs: object) -> alluxio.Client:
    return alluxio.Client.from_url(gate.url, **kwargs)


# -- a cut during a read ---------------------------------------------------------------------


# Bytes relayed on a connection before the cut: inside the open-file answer, early in the
# data, late in the data.
CUTS = [120, 200_000, 2_500_000]


@pytest.mark.parametrize("cut", CUTS)
@pytest.mark.parametrize("reset", [True, False], ids=["rst", "fin"])
def test_a_cut_during_a_read_raises_never_returns_short_data(
    alluxio_proxy: EmbeddedProxy, gate: FaultProxy, direct: alluxio.Client, reset: bool, cut: int
) -> None:
    direct.write_bytes("/big", BIG)
    gate.faults.cut_response_after = cut
    gate.faults.cut_with_reset = reset
    with _via(gate) as client:
        with pytest.raises(exc.HTTPError):
            client.read_bytes("/big")
        # Reading in pieces: every byte returned is right, then the cut raises.
        got = bytearray()
        with pytest.raises(exc.HTTPError), client.open("/big", "r") as reader:
            for chunk in reader:
                got += chunk
        assert bytes(got) == BIG[: len(got)]
        assert len(got) < len(BIG)
        # read(n) too.
        with pytest.raises(exc.HTTPError), client.open("/big", "r") as reader:
            while reader.read(65536):
                pass
    # Each failed read closed its stream (the cleanup went through on a fresh connection).
    gate.faults.cut_response_after = None
    with _via(gate) as client:
        assert client.read_bytes("/big") == BIG
    # Every stream the client learned of was closed. A cut inside an open-file answer (only
    # possible with the smallest cut, depending on which pooled connection carried it) loses
    # the stream id: that stream stays open on the proxy until its idle timeout.
    if cut < 1000:
        assert alluxio_proxy.open_streams <= 3
    else:
        assert alluxio_proxy.open_streams == 0


# -- a cut during a write --------------------------------------------------------------------


@pytest.mark.parametrize("cut", [64, 300_000, 2_500_000])
@pytest.mark.parametrize("reset", [True, False], ids=["rst", "fin"])
def test_a_cut_during_a_write_raises_and_leaves_no_complete_file(
    alluxio_proxy: EmbeddedProxy, gate: FaultProxy, direct: alluxio.Client, reset: bool, cut: int
) -> None:
    gate.faults.cut_request_after = cut
    gate.faults.cut_with_reset = reset
    with _via(gate) as client, pytest.raises(exc.HTTPError):
        client.write_bytes("/w", BIG)
    # open(path, "w") deleted the incomplete file.
    assert direct.exists("/w") is False
    assert alluxio_proxy.open_streams == 0  # the cleanup closed the stream before deleting


def test_a_cut_write_stream_is_not_complete_until_closed(
    gate: FaultProxy, direct: alluxio.Client
) -> None:
    # Faults apply per connection: the create-file request fits in, the data does not.
    gate.faults.cut_request_after = 100_000
    with _via(gate) as client:
        file_id = client.create_file("/partial")
        with pytest.raises(exc.HTTPError):
            client.write(file_id).write(BIG)
        status = direct.get_status("/partial")
        assert status.completed is False
        assert status.length < len(BIG)
        gate.faults.cut_request_after = None
        # The caller decides: here it discards the file.
        client.close(file_id)
        client.delete("/partial")
    assert direct.exists("/partial") is False


def test_a_lost_create_answer_leaves_an_incomplete_file(
    gate: FaultProxy, direct: alluxio.Client
) -> None:
    # The proxy created the file and its stream, but the answer (the stream id) never
    # arrived: the client cannot close or delete what it cannot name, and must not delete
    # the path (it may be someone else's file). The file stays visibly incomplete.
    gate.faults.cut_response_after = 10
    with _via(gate) as client, pytest.raises(exc.HTTPError):
        client.write_bytes("/orphan", b"data", atomic=False)  # the create answer is cut
    status = direct.get_status("/orphan")
    assert (status.completed, status.length) == (False, 0)


def test_a_write_through_a_slow_link_completes(gate: FaultProxy, direct: alluxio.Client) -> None:
    gate.faults.delay = 0.002
    data = os.urandom(512 << 10)
    with _via(gate) as client:
        assert client.write_bytes("/slow", data) == len(data)
    assert direct.read_bytes("/slow") == data


# -- a stalled server ------------------------------------------------------------------------


def test_a_stalled_server_times_out_within_the_configured_time(gate: FaultProxy) -> None:
    gate.faults.stall = True
    with _via(gate, timeout=0.5) as client:
        started = time.monotonic()
        with pytest.raises(exc.HTTPTimeoutError, match="timed out") as info:
            client.exists("/x")
        elapsed = time.monotonic() - started
    assert isinstance(info.value, TimeoutError)
    # One timeout, not one per retry: timeouts are never retried.
    # (The generous upper bound is for loaded CI machines; accepted == 1 shows no retry.)
    assert 0.45 <= elapsed < 2.0, elapsed
    assert gate.accepted == 1


def test_a_stall_mid_read_times_out(gate: FaultProxy, direct: alluxio.Client) -> None:
    direct.write_bytes("/big", BIG)
    gate.faults.stall_response_after = 150_000
    with _via(gate, timeout=0.5) as client, client.open("/big", "r") as reader:
        started = time.monotonic()
        with pytest.raises(exc.HTTPTimeoutError):
            reader.read()
        assert time.monotonic() - started < 2.0


# -- resets ----------------------------------------------------------------------------------


def test_connections_reset_before_a_response(gate: FaultProxy, direct: alluxio.Client) -> None:
    gate.faults.reset_on_accept = True
    policy = RetryPolicy(attempts=3, base_delay=0.01)
    with _via(gate, retries=policy) as client:
        with pytest.raises(exc.HTTPError):
            client.exists("/x")
        assert gate.accepted == 3  # idempotent: retried
        with pytest.raises(exc.HTTPError):
            client.create_directory("/d")
        assert gate.accepted == 4  # not idempotent: sent once
        gate.faults.reset_on_accept = False
        assert client.exists("/x") is False
    assert direct.exists("/d") is False


# -- a server restart between calls ----------------------------------------------------------


def _restart_later(proxy: EmbeddedProxy, gap: float) -> threading.Thread:
    proxy.stop()
    thread = threading.Timer(gap, proxy.start)
    thread.start()
    return thread


def test_a_restart_between_calls_is_survived_by_the_next_idempotent_call(
    alluxio_proxy: EmbeddedProxy, caplog: pytest.LogCaptureFixture
) -> None:
    policy = RetryPolicy(attempts=20, base_delay=0.1, max_delay=0.5)
    with alluxio.Client.from_url(alluxio_proxy.url, retries=policy) as client:
        client.write_bytes("/kept", b"state")
        port = alluxio_proxy.port
        restart = _restart_later(alluxio_proxy, 0.5)
        try:
            with caplog.at_level(logging.INFO, logger="alluxio"):
                # Issued while nothing listens: refused, retried with backoff until it is back.
                assert client.exists("/kept") is True
                assert client.read_bytes("/kept") == b"state"
        finally:
            restart.join()
    assert alluxio_proxy.port == port
    assert "ConnectError" in caplog.text
    assert "retry 1 of 19" in caplog.text


def test_a_restart_while_idle_is_survived_with_default_settings(
    alluxio_proxy: EmbeddedProxy,
) -> None:
    with alluxio.Client.from_url(alluxio_proxy.url) as client:
        client.write_bytes("/kept", b"state")
        # The pooled keep-alive connection dies with the server.
        alluxio_proxy.stop()
        alluxio_proxy.start()
        assert client.get_status("/kept").length == 5
        assert client.ls("/") == ["kept"]
        # The dead pooled connection is noticed before use: state-changing calls work too.
        alluxio_proxy.stop()
        alluxio_proxy.start()
        client.create_directory("/after-restart")
        assert client.ls("/") == ["after-restart", "kept"]


def test_without_retries_the_gap_is_an_error(alluxio_proxy: EmbeddedProxy) -> None:
    with alluxio.Client.from_url(alluxio_proxy.url, retries=False) as client:
        client.create_directory("/d")
        restart = _restart_later(alluxio_proxy, 0.5)
        try:
            with pytest.raises(exc.HTTPError, match="ConnectError"):
                client.exists("/d")
        finally:
            restart.join()
        assert client.exists("/d") is True


def test_state_changing_calls_are_not_retried_through_a_restart(
    alluxio_proxy: EmbeddedProxy, tmp_path: Path
) -> None:
    policy = RetryPolicy(attempts=20, base_delay=0.1, max_delay=0.5)
    with alluxio.Client.from_url(alluxio_proxy.url, retries=policy) as client:
        client.exists("/")
        restart = _restart_later(alluxio_proxy, 0.5)
        try:
            with pytest.raises(exc.HTTPError, match="ConnectError"):
                client.create_directory("/made-during-gap")
        finally:
            restart.join()
        assert client.exists("/made-during-gap") is False
