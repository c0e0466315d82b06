"""``scripts/bench``: this project's clients, the reference 0.1.4 client and curl, side by side.

Every client runs the same workloads against the same proxy in one run. Each client workload
runs in its own process (peak RSS read from ``wait4``, client CPU not shared with this one);
the embedded proxy runs in its own process too. Repetitions are interleaved across clients
and the best of them is kept, so a noisy neighbour on a shared machine hurts every client
alike rather than whichever happened to run at the wrong moment.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import alluxio
from alluxio.option import Delete

from . import report, workloads
from .listing import run_listings

ROOT = Path(__file__).resolve().parents[2]
WORKLOADS = Path(__file__).resolve().with_name("workloads.py")
REF_VENV = Path.home() / ".cache" / "alluxio-py-bench" / "ref-venv"
REF_REQUIREMENT = "alluxio==0.1.4"
MIB = 1 << 20

CLIENT = "alluxio-py Client"
ASYNC = "alluxio-py AsyncClient"
REFERENCE = "alluxio 0.1.4 (reference)"
CURL = "curl"


@dataclass(frozen=True)
class Sizes:
    """How much work each workload does."""

    meta_files: int
    meta_ops: int
    list_ops: int
    big: int
    small_count: int
    small_size: int
    inflight: int
    conc_ops: int
    reps: int
    big_reps: int  # the 1 GiB transfers are the noisiest figures: more tries
    listings: tuple[int, ...] = ()  # directory sizes listed whole (entries)


FULL = Sizes(
    meta_files=1000,
    meta_ops=600,
    list_ops=10,
    big=1 << 30,
    small_count=1000,
    small_size=64 * 1024,
    inflight=32,
    conc_ops=1500,
    # Many short interleaved tries: on a shared machine the best of them is the figure
    # least distorted by other load.
    reps=5,
    big_reps=5,
    listings=(100_000, 1_000_000),
)
QUICK = Sizes(
    meta_files=50,
    meta_ops=100,
    list_ops=5,
    big=16 * MIB,
    small_count=32,
    small_size=64 * 1024,
    inflight=32,
    conc_ops=128,
    reps=1,
    big_reps=1,
    listings=(2_000,),
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Benchmark alluxio-py against the reference 0.1.4 client and curl.",
    )
    parser.add_argument("--proxy", help="proxy URL (default: start an embedded proxy)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one repetition")
    parser.add_argument("--out", default="bench", help="output directory (default: bench/)")
    parser.add_argument(
        "--tmp",
        help="scratch directory for the embedded proxy's root and source files (default: "
        "/dev/shm when it has room, so the disk does not bound the figures)",
    )
    parser.add_argument("--reps", type=int, help="repetitions per workload (best kept)")
    parser.add_argument(
        "--transfer-reps",
        type=int,
        help="repetitions of the 1 GiB transfers (default: --reps, or 5 in a full run)",
    )
    parser.add_argument(
        "--workloads",
        choices=("all", "standard", "listing"),
        default="all",
        help="the standard workloads (metadata, concurrency, files, transfers), the big "
        "listings, or both (default)",
    )
    parser.add_argument(
        "--listing",
        help="comma-separated directory sizes to list (default: 100000,1000000; quick: 2000)",
    )
    parser.add_argument(
        "--ufs",
        help="the local directory that is the proxy's root under store, where the listed "
        "entries are made (default: the embedded proxy's root; no listings without it)",
    )
    parser.add_argument(
        "--proxy-pid", type=int, help="the proxy's process id, to report its RSS growth"
    )
    parser.add_argument(
        "--ablation",
        action="store_true",
        help="switch each transport optimization off in turn and measure (this project's "
        "clients only; see bench/README.md)",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="only time alluxio-py --version and --help (fresh processes; startup.json)",
    )
    parser.add_argument(
        "--clients",
        default="client,async,reference,curl",
        help="comma-separated subset of: client, async, reference, curl",
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# -- processes ------------------------------------------------------------------------------


def _vm_hwm_mib(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def run_measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[str, float, float]:
    """Run ``cmd``; return its stdout, its peak RSS in MiB and its CPU seconds.

    The peak is the child's own ``VmHWM``, polled while it runs (``ru_maxrss`` from
    ``wait4`` would include this process's RSS, inherited across fork and exec).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        peak = 0.0
        while True:
            hwm = _vm_hwm_mib(proc.pid)
            if hwm is not None:
                peak = max(peak, hwm)
            try:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            except ChildProcessError:
                raise RuntimeError(f"lost child {proc.pid}") from None
            if pid:
                break
            time.sleep(0.005)  # short: curl is timed from out here
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode()
        stderr = err.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])}... failed ({proc.returncode}):\n{stderr[-3000:]}")
    return stdout, peak, usage.ru_utime + usage.ru_stime


def ensure_reference_venv() -> Path:
    """The reference client's own virtual environment (created once, cached)."""
    python = REF_VENV / "bin" / "python"
    check = "from importlib.metadata import version; assert version('alluxio') == '0.1.4'"
    probe = [str(python), "-c", check]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return python
    log(f"creating {REF_VENV} with {REF_REQUIREMENT}")
    shutil.rmtree(REF_VENV, ignore_errors=True)
    REF_VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", str(REF_VENV)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", REF_REQUIREMENT],
        check=True,
    )
    return python


@contextlib.contextmanager
def embedded_proxy(root: Path) -> Iterator[tuple[str, int]]:
    """``python -m alluxio.server`` in its own process; yields its URL and process id."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "alluxio.server", "--root", str(root), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http"):
            err = proc.stderr.read() if proc.stderr else ""
            raise RuntimeError(f"the embedded proxy did not start: {url!r} {err[-2000:]}")
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def scratch_dir(requested: str | None, need: int) -> Path:
    if requested:
        return Path(tempfile.mkdtemp(prefix="alluxio-py-bench-", dir=requested))
    shm = Path("/dev/shm")
    if shm.is_dir() and shutil.disk_usage(shm).free > need:
        return Path(tempfile.mkdtemp(prefix="alluxio-py-bench-", dir=shm))
    return Path(tempfile.mkdtemp(prefix="alluxio-py-bench-"))


# -- the run --------------------------------------------------------------------------------


class Bench:
    """One benchmark run: a proxy, a scratch directory, the clients, the results."""

    def __init__(self, proxy: str, scratch: Path, sizes: Sizes, clients: list[str]) -> None:
        url = urlsplit(proxy)
        self.proxy = proxy.rstrip("/")
        # This project's client does the set-up, and curl's open/close calls.
        self.admin = alluxio.Client(url.hostname or "127.0.0.1", url.port or 39999)
        self.scratch = scratch
        self.sizes = sizes
        self.clients = clients
        self.base = f"/alluxio-py-bench-{os.getpid()}"
        self.results: list[dict[str, Any]] = []
        self.ref_python: Path | None = None
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        self.ref_env = env
        self.our_env = {**env, "PYTHONPATH": str(ROOT)}

    def record(self, client: str, results: list[dict[str, Any]]) -> None:
        for item in results:
            self.results.append({**item, "client": client})

    def worker(self, client: str, spec: dict[str, Any]) -> tuple[list[dict[str, Any]], float]:
        spec = {"proxy": self.proxy, **spec}
        if client == REFERENCE:
            assert self.ref_python is not None
            cmd = [str(self.ref_python), str(WORKLOADS), "reference", json.dumps(spec)]
            out, rss, _ = run_measured(cmd, self.ref_env)
        else:
            kind = "async" if client == ASYNC else "client"
            cmd = [sys.executable, str(WORKLOADS), kind, json.dumps(spec)]
            out, rss, _ = run_measured(cmd, self.our_env)
        results: list[dict[str, Any]] = json.loads(out)
        # The worker's own high-water mark is exact; polling can miss a short peak.
        reported = [r["value"] for r in results if r["workload"] == workloads.PEAK_RSS]
        results = [r for r in results if r["workload"] != workloads.PEAK_RSS]
        return results, max([rss, *reported])

    def setup(self) -> None:
        s = self.sizes
        self.admin.create_directory(self.base)
        self.meta_dir = f"{self.base}/meta"
        self.small_dir = f"{self.base}/small"
        self.admin.create_directory(self.meta_dir)
        self.admin.create_directory(self.small_dir)
        log(f"creating {s.meta_files} files for the metadata workload")
        for i in range(s.meta_files):
            self.admin.write_bytes(f"{self.meta_dir}/f{i:05d}", b"x")
        log(f"creating {s.small_count} x {s.small_size // 1024} KiB files to read concurrently")
        data = os.urandom(s.small_size)
        for i in range(s.small_count):
            self.admin.write_bytes(f"{self.small_dir}/s{i:05d}", data)
        self.src = self.scratch / "source.bin"
        log(f"writing a {s.big // MIB} MiB source file")
        with open(self.src, "wb") as f:
            for _ in range(s.big // MIB):
                f.write(os.urandom(MIB))
        self.warm_up()

    def warm_up(self) -> None:
        """Every kind of request once, untimed, before anything is measured.

        A JVM proxy compiles its hot paths while serving the first requests: on the real
        2.9.6 proxy the first 128 MiB write ran at 42 MiB/s and the same client's next ones
        at 131-146 MiB/s. Without a warm-up that cost lands on whichever client goes first.
        """
        log("warming the proxy up (untimed)")
        admin = self.admin
        for i in range(min(self.sizes.meta_files, 500)):
            admin.exists(f"{self.meta_dir}/f{i:05d}")
            admin.get_status(f"{self.meta_dir}/f{i:05d}")
        for _ in range(3):
            admin.list_status(self.meta_dir)
        for i in range(min(self.sizes.small_count, 100)):
            admin.read_bytes(f"{self.small_dir}/s{i:05d}")
        path = f"{self.base}/warm-up"
        # 128 MiB is enough to compile the write path; more would also crowd a real worker's
        # 1 GB of memory (scripts/real-proxy) while the small files are not yet persisted:
        # a 1 GiB warm-up failed there with "Not enough space left on worker".
        with open(self.src, "rb") as src, admin.open(path, "w") as writer:
            writer.write(itertools.islice(iter(functools.partial(src.read, MIB), b""), 128))
        with admin.open(path, "r") as reader:
            while reader.read(MIB):
                pass
        admin.delete(path)

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self.admin.delete(self.base, Delete(recursive=True))
        self.admin.close_connections()

    # -- workloads --------------------------------------------------------------------------

    def run_metadata(self, client: str) -> None:
        s = self.sizes
        spec = {
            "workload": "metadata",
            "dir": self.meta_dir,
            "files": s.meta_files,
            "ops": s.meta_ops,
            "list_ops": s.list_ops,
        }
        results, _ = self.worker(client, spec)
        self.record(client, results)

    def run_concurrent(self, client: str) -> None:
        s = self.sizes
        spec = {
            "workload": "concurrent",
            "dir": self.meta_dir,
            "files": s.meta_files,
            "ops": s.conc_ops,
            "inflight": s.inflight,
            "small_dir": self.small_dir,
            "small_count": s.small_count,
            "small_size": s.small_size,
        }
        results, _ = self.worker(client, spec)
        self.record(client, results)

    def run_small_files(self, client: str, rep: int) -> None:
        s = self.sizes
        folder = f"{self.base}/put-{_slug(client)}-{rep}"
        self.admin.create_directory(folder)
        spec = {"workload": "small_files", "dir": folder, "count": s.small_count}
        spec["size"] = s.small_size
        results, _ = self.worker(client, spec)
        self.record(client, results)
        self.admin.delete(folder, Delete(recursive=True))

    def run_big(self, client: str, rep: int) -> None:
        s = self.sizes
        path = f"{self.base}/big-{_slug(client)}-{rep}"
        label = f"{s.big // MIB} MiB"
        if client == CURL:
            write_mib_s, write_rss, write_cpu = self.curl_write(path)
            self.wait_persisted(path)
            read_mib_s, read_rss, read_cpu = self.curl_read(path)
            gib = s.big / (1 << 30)
            write: list[dict[str, Any]] = [
                {"workload": "write 1 file", "value": write_mib_s, "unit": "MiB/s"},
                {"workload": "write 1 file: client CPU", "value": write_cpu / gib, "unit": "s/GiB"},
            ]
            read: list[dict[str, Any]] = [
                {"workload": "read 1 file", "value": read_mib_s, "unit": "MiB/s"},
                {"workload": "read 1 file: client CPU", "value": read_cpu / gib, "unit": "s/GiB"},
            ]
        else:
            spec: dict[str, Any] = {"workload": "write_big", "src": str(self.src), "path": path}
            write, write_rss = self.worker(client, spec)
            self.wait_persisted(path)
            spec = {"workload": "read_big", "path": path, "size": s.big, "chunk": MIB}
            read, read_rss = self.worker(client, spec)
        for item in write + read:
            item["workload"] = item["workload"].replace("1 file", label)
        self.record(client, write + read)
        self.record(
            client,
            [
                {"workload": f"write {label}: peak RSS", "value": write_rss, "unit": "MiB"},
                {"workload": f"read {label}: peak RSS", "value": read_rss, "unit": "MiB"},
            ],
        )
        self.admin.delete(path)

    def wait_persisted(self, path: str, limit: float = 60.0) -> None:
        """Wait (untimed) until ``path`` is persisted to the under store.

        A real 2.x proxy's default write type is ``ASYNC_THROUGH``: at the job scheduler's
        next tick after a file completes, a job copies it to the under store inside the
        same JVM for about a second (1 GiB, 2.9.6), in or next to the timed read of that
        file, by chance. The embedded proxy's files are persisted as written."""
        deadline = time.monotonic() + limit
        while not self.admin.get_status(path).persisted:
            if time.monotonic() > deadline:
                log(f"{path} not persisted after {limit:.0f} s; reading it anyway")
                return
            time.sleep(0.1)

    def curl_write(self, path: str) -> tuple[float, float, float]:
        start = time.perf_counter()
        file_id = self.admin.create_file(path)
        # --data-binary @file loads the whole file into curl's memory (and fails with "out of
        # memory" at 1 GiB); -T streams it. "Expect:" turns off the 100-continue round trip.
        _, rss, cpu = run_measured(
            [
                "curl", "-sS", "--fail", "-X", "POST", "-T", str(self.src),
                "-H", "Expect:", "-H", "Content-Type: application/octet-stream",
                "-o", "/dev/null",
                f"{self.proxy}/api/v1/streams/{file_id}/write",
            ]
        )  # fmt: skip
        self.admin.close(file_id)
        seconds = time.perf_counter() - start
        return os.path.getsize(self.src) / MIB / seconds, rss, cpu

    def curl_read(self, path: str) -> tuple[float, float, float]:
        start = time.perf_counter()
        file_id = self.admin.open_file(path)
        out, rss, cpu = run_measured(
            [
                "curl", "-sS", "--fail", "-X", "POST", "-o", "/dev/null",
                "-w", "%{size_download}",
                f"{self.proxy}/api/v1/streams/{file_id}/read",
            ]
        )  # fmt: skip
        self.admin.close(file_id)
        seconds = time.perf_counter() - start
        if int(out) != self.sizes.big:
            raise RuntimeError(f"curl read {out} bytes, expected {self.sizes.big}")
        return self.sizes.big / MIB / seconds, rss, cpu

    def run(self, reps: int, big_reps: int) -> None:
        for rep in range(max(reps, big_reps)):
            log(f"repetition {rep + 1}/{max(reps, big_reps)}")
            # Each repetition starts with another client: none always runs right after the
            # set-up (or after the same neighbour).
            turn = rep % len(self.clients)
            clients = self.clients[turn:] + self.clients[:turn]
            python_clients = [c for c in clients if c != CURL]
            if rep < reps:
                for client in python_clients:
                    log(f"  metadata: {client}")
                    self.run_metadata(client)
                for client in python_clients:
                    log(f"  {self.sizes.inflight} in flight: {client}")
                    self.run_concurrent(client)
                for client in python_clients:
                    if client != ASYNC:  # the same calls as Client, awaited one at a time
                        log(f"  small files: {client}")
                        self.run_small_files(client, rep)
            if rep < big_reps:
                for client in clients:
                    log(f"  {self.sizes.big // MIB} MiB write + read: {client}")
                    self.run_big(client, rep)


def _slug(client: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in client.lower()).strip("-")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.ablation:
        from . import ablation

        return ablation.main(args)
    if args.startup:
        from . import startup

        return startup.main(Path(args.out), args.reps)
    sizes = QUICK if args.quick else FULL
    reps = args.reps or sizes.reps
    big_reps = args.transfer_reps or args.reps or sizes.big_reps
    names = {"client": CLIENT, "async": ASYNC, "reference": REFERENCE, "curl": CURL}
    wanted = [part.strip() for part in args.clients.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in names]
    if unknown:
        print(f"unknown client(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    clients = [names[w] for w in wanted]
    if CURL in clients and shutil.which("curl") is None:
        log("curl not found: skipping it")
        clients.remove(CURL)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = scratch_dir(args.tmp, 3 * sizes.big + (256 << 20))
    listings = list(sizes.listings)
    if args.listing is not None:
        listings = [int(n) for n in args.listing.split(",") if n.strip() and int(n)]
    ufs = Path(args.ufs) if args.ufs else None
    proxy_pid: int | None = args.proxy_pid
    started = time.time()
    try:
        with contextlib.ExitStack() as stack:
            if args.proxy:
                proxy = args.proxy
            else:
                root = scratch / "root"
                root.mkdir()
                proxy, proxy_pid = stack.enter_context(embedded_proxy(root))
                ufs = root
                log(f"embedded proxy at {proxy} (root {root})")
            bench = Bench(proxy, scratch, sizes, clients)
            if REFERENCE in clients:
                bench.ref_python = ensure_reference_venv()
            try:
                if args.workloads != "listing":
                    bench.setup()
                    bench.run(reps, big_reps)
                if args.workloads != "standard" and listings:
                    if ufs is None:
                        log("no --ufs for this proxy: the listings are skipped")
                    else:

                        def partial(count: int) -> None:
                            summary = report.summarize(bench.results, clients)
                            report.write_json(out_dir / "results-partial.json", summary)
                            log(f"listing {count:,} done; results so far:")
                            print(report.table(summary, clients, {}), file=sys.stderr)

                        run_listings(bench, ufs, listings, proxy_pid, partial)
            finally:
                bench.cleanup()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    # Against a real proxy every workload is to be at least as fast as the reference client.
    summary = report.summarize(bench.results, clients, versus_reference=bool(args.proxy))
    meta = {
        "proxy": "embedded (python -m alluxio.server)" if not args.proxy else args.proxy,
        "quick": args.quick,
        "repetitions": reps,
        "transfer_repetitions": big_reps,
        "big_file_mib": sizes.big // MIB,
        "listings": ",".join(map(str, listings)) if args.workloads != "standard" else "none",
        "seconds": round(time.time() - started, 1),
    }
    print(report.table(summary, clients, meta))
    report.write_json(out_dir / "results.json", summary)
    report.write_json(out_dir / "repetitions.json", bench.results)  # every try, in run order
    report.write_chart(out_dir / "results.png", summary, clients, meta)
    log(f"wrote {out_dir / 'results.json'} and {out_dir / 'results.png'}")
    return 0
