"""Mount sources the under storage cannot name: answered like a missing UFS path, not a crash."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ._api import Api


@pytest.mark.parametrize("prefix", ["", "file://"])
def test_mount_src_with_nul_is_a_missing_ufs_path(
    api: Api, tmp_path: Path, caplog: pytest.LogCaptureFixture, prefix: str
) -> None:
    ufs = tmp_path / "ufs"
    ufs.mkdir()
    src = f"{prefix}{ufs}\x00/x"
    with caplog.at_level(logging.DEBUG):
        r = api.call("/m", "mount", params={"src": src})
    msg = api.error(r, "UNKNOWN")
    assert msg.startswith(f"mount command: alluxio fs mount /m {src} option MountContext{{")
    assert msg.endswith(f"\nUfs path {src} does not exist")
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert api.call("/m", "exists").json() is False
