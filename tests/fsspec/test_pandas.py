"""pandas + pyarrow through ``alluxio-proxy://`` URLs: CSV and Parquet round trips."""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd
import pytest

from tests.fsspec.conftest import filesystem


@pytest.fixture
def frame() -> pd.DataFrame:
    n = 5000
    return pd.DataFrame(
        {
            "id": range(n),
            "name": [f"row-{i}" for i in range(n)],
            "value": [i * 0.5 for i in range(n)],
            "flag": [i % 3 == 0 for i in range(n)],
        }
    )


@pytest.fixture
def base_url(proxy_url: str, workdir: str) -> str:
    parts = urlsplit(proxy_url)
    return f"alluxio-proxy://{parts.hostname}:{parts.port}{workdir}"


def test_csv_round_trip(frame: pd.DataFrame, base_url: str, proxy_url: str) -> None:
    url = f"{base_url}/tables/frame.csv"  # parents are created on write
    frame.to_csv(url, index=False)
    back = pd.read_csv(url)
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    assert filesystem(proxy_url).info(url)["type"] == "file"


def test_parquet_round_trip(frame: pd.DataFrame, base_url: str) -> None:
    url = f"{base_url}/tables/frame.parquet"
    frame.to_parquet(url, engine="pyarrow", index=False)
    back = pd.read_parquet(url, engine="pyarrow")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    columns = pd.read_parquet(url, engine="pyarrow", columns=["name", "flag"])
    pd.testing.assert_frame_equal(columns, frame[["name", "flag"]], check_dtype=False)


def test_compressed_csv_and_storage_options(
    frame: pd.DataFrame, proxy_url: str, workdir: str
) -> None:
    parts = urlsplit(proxy_url)
    url = f"alluxio-proxy://{parts.hostname}:{parts.port}{workdir}/frame.csv.gz"
    frame.to_csv(url, index=False, compression="gzip", storage_options={"timeout": 60})
    back = pd.read_csv(url, compression="gzip", storage_options={"timeout": 60})
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
