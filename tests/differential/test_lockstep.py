"""The embedded proxy and a real Alluxio proxy, driven in lockstep with random sequences.

See tests/differential/_lockstep.py. CI budget, per dialect (2.x against Alluxio 2.9.6, 1.x
against 1.8.1): one run with a fixed seed, ``EXAMPLES`` sequences of at most ``STEPS`` steps
(green in 10 of 10 runs on both dialects). Random seeds still find known, unfixed differences
(see the embedded-vs-real guide), so they run only when asked:
``ALLUXIO_LOCKSTEP_RANDOM_SEEDS=N pytest -m lockstep`` adds N runs with random seeds (printed,
so that ``scripts/differential --seed N`` replays them). A CI run must not fail by chance.
On a difference the test fails with the requests sent, in order, and the rules that sent them;
it does not shrink (against a real cluster that can take many minutes):
``scripts/differential --seed N --dialect D`` replays the run and prints the shrunk sequence.
``scripts/differential --examples N`` runs longer.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from alluxio.server import EmbeddedProxy
from tests.differential._lockstep import Server, run_lockstep

pytestmark = [pytest.mark.real_proxy, pytest.mark.lockstep]

# Sequences per run and steps per sequence: the CI budget.
EXAMPLES = 5
STEPS = 30
FIXED_SEED = 20261205


def _random_seed_runs() -> int:
    raw = os.environ.get("ALLUXIO_LOCKSTEP_RANDOM_SEEDS", "0")
    if not raw.isdigit():
        raise ValueError(f"ALLUXIO_LOCKSTEP_RANDOM_SEEDS must be a count of runs, got {raw!r}")
    return int(raw)


SEEDS = ["fixed", *(f"random-{n}" for n in range(1, _random_seed_runs() + 1))]


@pytest.fixture(params=["2.x", "1.x"])
def dialect(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def lockstep_embedded(dialect: str, tmp_path: Path) -> Iterator[EmbeddedProxy]:
    """An embedded proxy of the dialect, mounting from the test's directory."""
    # Persisting takes a real cluster 2-10 s; 1 s keeps the TO_BE_PERSISTED state visible.
    with EmbeddedProxy(
        tmp_path / "embedded-root",
        dialect="2.x" if dialect == "2.x" else "1.x",
        persist_delay=1.0,
        allow_mounts=[tmp_path],
    ) as proxy:
        yield proxy


@pytest.fixture
def real_url(dialect: str, request: pytest.FixtureRequest) -> str:
    fixture = "real_proxy_url" if dialect == "2.x" else "real_proxy_v1_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.mark.parametrize("seed", SEEDS)
def test_lockstep(
    real_url: str, lockstep_embedded: EmbeddedProxy, tmp_path: Path, dialect: str, seed: str
) -> None:
    value = FIXED_SEED if seed == "fixed" else random.randrange(1 << 32)
    # Shown with a failure: scripts/differential --seed N --dialect D replays the run.
    print(f"lockstep seed {value}: scripts/differential --seed {value} --dialect {dialect}")
    run_lockstep(
        Server("real", real_url, tmp_path / "real-sources"),
        Server("embedded", lockstep_embedded.url, tmp_path / "embedded-sources"),
        lockstep_embedded.dialect,
        seed=value,
        examples=EXAMPLES,
        steps=STEPS,
        shrink=False,
    )
