# mypy: ignore-errors
"""Full scenario for the UNMODIFIED reference client ``alluxio==0.1.4`` (the Alluxio project's).

Runs inside the reference client's own virtualenv (see ``test_reference_client.py``), never
imported by this project's code: ``import alluxio`` here is the PyPI package, not ours.

Usage: ``python ref_scenario.py HOST PORT UFS_DIR``. Prints one ``ok <step>`` line per step
and ``SCENARIO PASSED`` at the end; any failure raises (non-zero exit).
"""

import hashlib
import io
import sys
import time

import requests

import alluxio
from alluxio import exceptions, option, wire

MIB = 1 << 20
STARTED = time.monotonic()
# Real proxies (Jetty) close a keep-alive connection after 30 s without traffic; never reuse
# one that may be that old (see FreshAfterIdleAdapter).
MAX_IDLE_S = 10.0


class FreshAfterIdleAdapter(requests.adapters.HTTPAdapter):
    """Gives the reference client's session a fresh connection after an idle pause.

    The real proxy's Jetty closes a keep-alive connection after 30 s idle (Jetty's default,
    which Alluxio's WebServer keeps). A request sent on such a connection just as Jetty times
    it out fails with "Remote end closed connection without response" (reproduced with a
    29.8 s pause), and requests never resends a POST. A careful application does what this
    adapter does: it does not reuse a connection that may have been idle for long. With one
    pooled connection, that connection's last traffic is never older than the adapter's last
    request, so dropping the pool after ``max_idle`` seconds without a request is enough.
    The client's own code and requests are unchanged: only the session's transport is set up.
    """

    def __init__(self, max_idle):
        super().__init__(pool_maxsize=1)
        self.max_idle = max_idle
        self.last_request = time.monotonic()

    def send(self, request, **kwargs):
        if time.monotonic() - self.last_request > self.max_idle:
            self.poolmanager.clear()
        try:
            return super().send(request, **kwargs)
        finally:
            self.last_request = time.monotonic()


def blob(size, seed):
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(f"{seed}-{counter}".encode()).digest() * 128
        counter += 1
    return bytes(out[:size])


def expect(error_class, func, *args):
    try:
        func(*args)
    except error_class as exc:
        return exc
    raise AssertionError(f"expected {error_class.__name__} from {func.__name__}{args!r}")


def step(name):
    print("ok " + name, flush=True)
    # Timings on stderr: a slow step shows in the test's failure message.
    print(f"{name} done at {time.monotonic() - STARTED:.1f} s", file=sys.stderr, flush=True)


def connect(host, port):
    """The unmodified reference client, its session set up as a careful application would."""
    client = alluxio.Client(host, port)
    client.session.mount("http://", FreshAfterIdleAdapter(MAX_IDLE_S))
    return client


def main():
    host, port, ufs = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    client = connect(host, port)

    # Directories.
    client.create_directory("/ref/dir", option.CreateDirectory(recursive=True))
    assert client.exists("/ref/dir") is True
    assert client.exists("/ref/none") is False
    expect(exceptions.AlreadyExistsError, client.create_directory, "/ref/dir")
    expect(exceptions.NotFoundError, client.create_directory, "/ref/no/parent")
    client.create_directory(
        "/ref/dir",
        option.CreateDirectory(allow_exists=True, recursive=True),
    )
    step("directories")

    # Multi-MiB writes: bytes, a file object, a generator (chunked), appended writes.
    big = blob(9 * MIB + 7, 1)
    with client.open("/ref/dir/big.bin", "w") as f:
        assert f.write(big) == len(big)
    with client.open("/ref/dir/file-object.bin", "w") as f:
        assert f.write(io.BytesIO(big)) == len(big)
    with client.open("/ref/dir/chunked.bin", "w") as f:
        f.write(big[i : i + MIB] for i in range(0, len(big), MIB))
    file_id = client.create_file("/ref/dir/appended.txt")
    writer = client.write(file_id)
    assert writer.write(b"hello, ") == 7
    writer.close()
    writer = client.write(file_id)
    assert writer.write(b"alluxio\n") == 8
    writer.close()
    client.close(file_id)
    expect(exceptions.AlreadyExistsError, client.create_file, "/ref/dir/big.bin")
    step("writes")

    # Reads: whole, partial, iterated.
    for path in ("/ref/dir/big.bin", "/ref/dir/file-object.bin", "/ref/dir/chunked.bin"):
        with client.open(path, "r") as f:
            assert f.read() == big, path
    with client.open("/ref/dir/big.bin", "r") as f:
        assert f.read(10) == big[:10]
        assert f.read(MIB) == big[10 : 10 + MIB]
        # Read to the end before closing, as a careful application does on 2.9.6: closing a
        # stream with unread data there can block the close for up to 3 minutes (the worker's
        # local block reader waits alluxio.user.streaming.data.read.timeout; seen in 2 of 6
        # tries, jstack: LocalFileDataReader$Factory.close -> GrpcBlockingStream.waitForComplete).
        # (Sized reads only: 0.1.4 cannot mix read(n) and read() on a chunked response.)
        assert f.read(len(big) - 10 - MIB) == big[10 + MIB :]
        assert f.read(1) == b""
    with client.open("/ref/dir/chunked.bin", "r") as f:
        assert b"".join(f) == big
    with client.open("/ref/dir/appended.txt", "r") as f:
        assert f.read() == b"hello, alluxio\n"
    step("reads")

    # Status and listing, through the client's own FileInfo decoder.
    status = client.get_status("/ref/dir/big.bin")
    assert isinstance(status, wire.FileInfo)
    assert status.length == len(big) and status.folder is False and status.completed is True
    assert status.name == "big.bin" and status.path == "/ref/dir/big.bin"
    assert status.mode == 0o644 and status.block_size_bytes > 0
    assert status.persistence_state.json() in ("PERSISTED", "TO_BE_PERSISTED", "NOT_PERSISTED")
    assert len(status.file_block_infos) == len(status.block_ids) >= 1
    names = client.ls("/ref/dir")
    assert names == ["appended.txt", "big.bin", "chunked.bin", "file-object.bin"], names
    statuses = client.list_status(
        "/ref/dir",
        option.ListStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_ALWAYS),
    )
    assert [s.name for s in statuses] == names
    assert client.list_status("/ref/dir/big.bin")[0].path == "/ref/dir/big.bin"
    root = client.get_status("/")
    assert root.folder is True and root.mount_point is False  # as the real proxy reports
    expect(exceptions.NotFoundError, client.get_status, "/ref/none")
    expect(exceptions.NotFoundError, client.list_status, "/ref/none")
    step("status")

    # Attributes, free.
    client.set_attribute(
        "/ref/dir/appended.txt",
        option.SetAttribute(
            pinned=True,
            owner="daemon",
            group="daemon",
            mode=wire.Mode(wire.BITS_ALL, wire.BITS_READ, wire.BITS_NONE),
        ),
    )
    status = client.get_status("/ref/dir/appended.txt")
    assert status.pinned is True and status.owner == "daemon" and status.group == "daemon"
    assert status.mode == 0o740
    expect(exceptions.UnknownError, client.free, "/ref/dir/appended.txt")
    client.set_attribute("/ref/dir/appended.txt", option.SetAttribute(pinned=False))
    # A real 2.x proxy persists ASYNC_THROUGH files a moment after they are closed, and
    # refuses to free them before; the embedded proxy persists them at once.
    deadline = time.monotonic() + 60
    while not all(s.persisted for s in client.list_status("/ref/dir")):
        assert time.monotonic() < deadline, "files under /ref/dir were never persisted"
        time.sleep(0.2)
    client.free("/ref/dir", option.Free(recursive=True))
    expect(exceptions.NotFoundError, client.free, "/ref/none")
    # The 0.1.4 client sends ttl at the top level, which a 2.x proxy refuses while binding
    # (HTTP 400, plain text): the client then fails decoding that body as JSON.
    expect(ValueError, client.set_attribute, "/ref/dir/big.bin", option.SetAttribute(ttl=10))
    step("attributes")

    # Rename.
    client.create_directory("/ref/other")
    client.rename("/ref/dir/chunked.bin", "/ref/other/moved.bin")
    assert client.exists("/ref/dir/chunked.bin") is False
    with client.open("/ref/other/moved.bin", "r") as f:
        assert f.read() == big
    expect(exceptions.AlreadyExistsError, client.rename, "/ref/dir/big.bin", "/ref/other/moved.bin")
    expect(exceptions.NotFoundError, client.rename, "/ref/none", "/ref/x")
    expect(exceptions.InvalidArgumentError, client.rename, "/ref/dir", "/ref/dir/sub")
    step("rename")

    # Delete.
    expect(exceptions.FailedPreconditionError, client.delete, "/ref/other")
    client.delete("/ref/other/moved.bin")
    client.delete("/ref/other")
    expect(exceptions.NotFoundError, client.delete, "/ref/other")
    step("delete")

    # Mount and unmount a local directory, read-only and writable.
    client.create_directory("/ref/mnt")
    client.mount("/ref/mnt/ro", ufs, option.Mount(read_only=True))
    assert client.get_status("/ref/mnt/ro").mount_point is True
    assert client.ls("/ref/mnt/ro") == ["seed.txt"]
    with client.open("/ref/mnt/ro/seed.txt", "r") as f:
        assert f.read() == b"from the under store\n"
    expect(exceptions.PermissionDeniedError, client.create_file, "/ref/mnt/ro/new")
    expect(exceptions.PermissionDeniedError, client.delete, "/ref/mnt/ro/seed.txt")
    client.unmount("/ref/mnt/ro")
    assert client.exists("/ref/mnt/ro") is False
    client.mount("/ref/mnt/rw", "file://" + ufs)
    with client.open("/ref/mnt/rw/written.txt", "w") as f:
        f.write(b"through the proxy\n")
    client.unmount("/ref/mnt/rw")
    expect(exceptions.InvalidArgumentError, client.unmount, "/ref/mnt")
    step("mount")

    # Remaining documented errors.
    expect(exceptions.UnknownError, client.open_file, "/ref/dir")
    expect(exceptions.NotFoundError, client.open_file, "/ref/none")
    expect(exceptions.InvalidArgumentError, client.get_status, "relative")
    assert client.exists("relative") is False  # the real proxy answers false here too
    expect(exceptions.InternalError, client.close, 999)
    writer = client.write(999)
    expect(exceptions.InternalError, writer.write, b"x")
    # Reading an unknown stream: the proxy cannot send its JSON envelope as octet-stream,
    # so the 0.1.4 client fails decoding the bare 500 text.
    expect(ValueError, client.read(999).read)
    step("errors")

    client.delete("/ref", option.Delete(recursive=True))
    assert client.exists("/ref") is False
    print("SCENARIO PASSED", flush=True)


if __name__ == "__main__":
    main()
