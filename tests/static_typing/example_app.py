"""A small typed application using the documented API; `mypy --strict` must accept it."""

from __future__ import annotations

import alluxio
from alluxio import exceptions, option, wire


def copy_tree(client: alluxio.Client, src: str, dst: str) -> int:
    """Copy every file under ``src`` to ``dst``; return the number of bytes copied."""
    client.create_directory(dst, option.CreateDirectory(recursive=True, allow_exists=True))
    copied = 0
    for info in client.list_status(src):
        target = f"{dst}/{info.name}"
        if info.folder:
            copied += copy_tree(client, info.path, target)
            continue
        with client.open(info.path, "r") as reader, client.open(target, "w") as writer:
            for chunk in reader:
                copied += writer.write(chunk)
    return copied


def describe(client: alluxio.Client, path: str) -> str:
    try:
        status: wire.FileInfo = client.get_status(
            path, option.GetStatus(load_metadata_type=wire.LOAD_METADATA_TYPE_ONCE)
        )
    except exceptions.NotFoundError as error:
        return f"missing: {error.message}"
    mode = wire.Mode.from_octal(status.mode)
    return f"{status.path} {status.length} {mode.owner_bits} pinned={status.pinned}"


def main(host: str, port: int) -> None:
    with alluxio.Client(host, port, timeout=60, dialect="auto") as client:
        opt = option.CreateFile(
            write_type=wire.WRITE_TYPE_CACHE_THROUGH, ttl=3_600_000, ttl_action=wire.TTL_ACTION_FREE
        )
        file_id: int = client.create_file("/example/a.bin", opt)
        written: int = client.write(file_id).write(b"\x00" * 1024)
        client.close(file_id)
        names: list[str] = client.ls("/example")
        exists: bool = client.exists("/example/a.bin")
        print(written, names, exists, describe(client, "/example/a.bin"))
        print(copy_tree(client, "/example", "/example-copy"))
        client.set_attribute("/example", option.SetAttribute(pinned=True, recursive=True))
        client.rename("/example-copy", "/example-moved")
        client.delete("/example-moved", option.Delete(recursive=True))
