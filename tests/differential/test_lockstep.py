"""The embedded proxy and a real Alluxio proxy, driven in lockstep with random sequences.

See tests/differential/_lockstep.py. CI budget, per dialect (2.x against Alluxio 2.9.6, 1.x
against 1.8.1): one run with a fixed seed and ``RANDOM_SEEDS`` runs with random seeds, each
``EXAMPLES`` sequences of at most ``STEPS`` steps. ``ALLUXIO_LOCKSTEP_RANDOM_SEEDS=N`` sets
the number of random runs (0: the fixed seed only). On a difference the test fails with the
request, both answers, the requests sent before it, the seed (``scripts/differential --seed N
--dialect D`` replays it) and the sequence shrunk by hypothesis (bounded by hypothesis: at
most about 5 minutes; if a replay does not fail the same way, the first difference unshrunk).
``scripts/differential --examples N`` runs longer.
"""

from __future__ import annotations

import os
import random
import re
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alluxio.server import EmbeddedProxy
from alluxio.server._errors import ProxyError, Status
from alluxio.server._fs import Namespace
from tests.differential._lockstep import Server, run_lockstep

pytestmark = [pytest.mark.real_proxy, pytest.mark.lockstep]

# Sequences per run and steps per sequence: the CI budget.
EXAMPLES = 5
STEPS = 30
FIXED_SEED = 20261205


# Random runs per dialect by default, besides the fixed seed (about a minute per dialect):
# every difference random seeds found is fixed or documented in the embedded-vs-real guide,
# with a regression test in test_divergences.py. Measured on 2026-12-06: rounds of this test
# with 2 random seeds per dialect passed (10 of 11 rounds; the failing one's seed was fixed);
# scripts/differential at the same budget found a new 2.x divergence in about 1 of 10 random
# runs until the last of them were fixed (1.x: 0 in the last 56). A failure here is such a
# divergence: replay its seed with scripts/differential, fix it or document it.
RANDOM_SEEDS = 2


def _random_seed_runs() -> int:
    raw = os.environ.get("ALLUXIO_LOCKSTEP_RANDOM_SEEDS", str(RANDOM_SEEDS))
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
    )


def test_lockstep_catches_a_reintroduced_divergence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The divergence once found first, re-introduced: renaming an existing file or directory
    onto itself answers ALREADY_EXISTS (a real master accepts it and changes nothing). Between
    a correct embedded proxy and one with that bug, the harness must fail with the request
    that shows it, both answers, the requests sent before it, the seed, and the sequence
    shrunk to the steps that matter. (1.x: no persistence to wait for, so it is quick.)"""
    correct_rename = Namespace.rename
    broken_root = os.path.realpath(tmp_path / "broken-root")

    def broken_rename(
        self: Namespace, raw: str, raw_dst: str, opts: dict[str, Any] | None = None
    ) -> None:
        src = self.normalize(raw)
        if self.root == broken_root and src == self.normalize(raw_dst) and self._kind(src):
            raise ProxyError(
                Status.ALREADY_EXISTS,
                f"Cannot rename because destination already exists. src: {src} dst: {src}",
            )
        correct_rename(self, raw, raw_dst, opts)

    monkeypatch.setattr(Namespace, "rename", broken_rename)
    allowed = [tmp_path]
    with (
        EmbeddedProxy(tmp_path / "ok-root", dialect="1.x", allow_mounts=allowed) as ok,
        EmbeddedProxy(broken_root, dialect="1.x", allow_mounts=allowed) as broken,
        pytest.raises(AssertionError) as caught,
    ):
        run_lockstep(
            Server("real", ok.url, tmp_path / "ok-sources"),
            Server("embedded", broken.url, tmp_path / "broken-sources"),
            "1.x",
            seed=FIXED_SEED,
            # Short sequences: quick to find and to shrink (a rename onto itself of a path
            # the sequence created has a rule of its own).
            examples=100,
            steps=6,
        )
    report = "".join(traceback.format_exception(caught.value))
    with capsys.disabled():
        print(f"\n{report}")  # the report a developer gets (recorded in the closing note)
    # The difference: the request, both answers, and the requests sent before it.
    step = re.search(r"step \d+: rename '(/[^']+)' body=.* params=\{'dst': '\1'\}", report)
    assert step, report
    assert "real:     200 None" in report, report
    assert (
        "embedded: 500 {'message': 'Cannot rename because destination already exists. src: "
        f"{step.group(1)} dst: {step.group(1)}', 'status': 'ALREADY_EXISTS'}}"
    ) in report, report
    assert "requests sent (real status):" in report, report
    assert f"lockstep seed {FIXED_SEED}; replay: scripts/differential --seed" in report, report
    # Shrunk by hypothesis: a creation, then the rename onto itself (nothing else is needed).
    rules = re.findall(r"^[\s|]*state\.(\w+)\(", report, flags=re.M)
    rules = [r for r in rules if r not in ("base_listing_agrees", "teardown")]
    assert len(rules) == 2, report
    assert rules[0] in ("create_directory", "create_file", "mount"), report
    assert rules[1] in ("rename", "rename_onto_itself"), report
