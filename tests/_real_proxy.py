"""Run the real Alluxio proxy (Java, from Maven Central) for tests and for ``scripts/real-proxy``.

The Alluxio server jars are resolved by Maven from ``scripts/real_proxy/pom.xml`` into the local
Maven repository (``~/.m2``); a tiny launcher class (``RealProxy.java``) then runs master,
worker, job master, job worker and proxy in one JVM with every listener on 127.0.0.1, the
under store in the caller's directory and all other state in a private work directory.

Usage from tests::

    with start_real_proxy(tmp_path / "ufs") as url:   # "http://127.0.0.1:<port>"
        httpx.post(f"{url}/api/v1/paths//a/create-directory")

``RealProxyUnavailable`` means the machine lacks Java or Maven (callers skip with its message);
``RealProxyError`` means the tools are there but the build or the start failed (a real failure).
Only the standard library is used, so the module imports anywhere.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import IO

__all__ = [
    "DEFAULT_V1_VERSION",
    "DEFAULT_VERSION",
    "RealProxy",
    "RealProxyError",
    "RealProxyUnavailable",
    "build_classpath",
    "main",
    "start_real_proxy",
]

DEFAULT_VERSION = "2.9.6"
"""Alluxio release started when none is named: the last 2.x release on Maven Central."""

_REPO_ROOT = Path(__file__).resolve().parent.parent
_LAUNCHER = _REPO_ROOT / "scripts" / "real_proxy"
# One pom per release line (the server artefacts differ); both compile the same launcher.
_PROJECTS = {"1": _LAUNCHER / "v1", "2": _LAUNCHER}
DEFAULT_V1_VERSION = "1.8.1"
"""Last 1.x release on Maven Central (the 1.x dialect: ``status`` errors, ``Always`` enums)."""
_MAIN_CLASS = "alluxiopy.realproxy.RealProxy"
_READY_PREFIX = "ALLUXIO_PROXY_PORT="
# Serial GC: fewer threads and less memory on a 2-core CI machine; the heap cap keeps three
# masters' worth of caches from growing unbounded during long suites. C1 only: start-up is
# CPU-bound and short test sessions never reach C2's pay-off (measured on a loaded 2-core
# machine: 67-84 s -> 39-42 s to a ready proxy, RSS 315 -> 210-285 MB).
_JVM_OPTIONS = (
    "-Xms64m",
    "-Xmx768m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    "-Djava.net.preferIPv4Stack=true",
    # Alluxio 2.9.0/2.9.1 read JVM internals (MetricsSystem -> sun.management); 2.9.3+ do not.
    # A Java 8 runtime does not know --add-exports: the first flag makes it skip it.
    "-XX:+IgnoreUnrecognizedVMOptions",
    "--add-exports=java.management/sun.management=ALL-UNNAMED",
)
_MAVEN_TIMEOUT_S = 1200.0


_BIND_ATTEMPTS = 3


class RealProxyUnavailable(RuntimeError):
    """Java or Maven is missing on this machine, so the real proxy cannot run here.

    ``reason`` says what is missing; test fixtures turn it into ``pytest.skip(reason)``.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RealProxyError(RuntimeError):
    """Building or starting the real proxy failed although Java and Maven are present."""


def _project_dir(version: str) -> Path:
    major = version.split(".", 1)[0]
    try:
        return _PROJECTS[major]
    except KeyError:
        raise RealProxyError(
            f"no launcher for Alluxio {version}; supported lines: "
            + ", ".join(f"{m}.x" for m in sorted(_PROJECTS))
        ) from None


def _find_java(java: str | None = None) -> str:
    if java is not None:
        # An explicit choice is not silently replaced by another JVM.
        if os.access(java, os.X_OK):
            return java
        raise RealProxyUnavailable(f"Java executable {java!r} not found")
    candidates = [os.environ.get("REAL_PROXY_JAVA")]
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidates.append(str(Path(java_home) / "bin" / "java"))
    candidates.append(shutil.which("java"))
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise RealProxyUnavailable("no Java runtime found (install a JDK or set JAVA_HOME)")


def _find_maven() -> str:
    mvn = os.environ.get("REAL_PROXY_MVN") or shutil.which("mvn")
    if not mvn:
        raise RealProxyUnavailable("Maven ('mvn') not found (install maven or set REAL_PROXY_MVN)")
    return mvn


def _newest_mtime(project: Path) -> float:
    sources = [project / "pom.xml", *(p for p in (_LAUNCHER / "src").rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in sources)


def build_classpath(version: str = DEFAULT_VERSION, *, quiet: bool = True) -> list[str]:
    """Compile the launcher against Alluxio ``version`` and return the JVM classpath entries.

    Maven runs only when the launcher's sources changed since the last build or a jar of the
    recorded classpath vanished from the local repository; concurrent callers (parallel test
    sessions) serialise on a lock file.
    """
    project = _project_dir(version)
    out_dir = _LAUNCHER / "target" / f"alluxio-{version}"
    cp_file = out_dir / "classpath.txt"
    classes = out_dir / "classes"
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(_LAUNCHER / "target" / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_fresh(cp_file, classes, project):
            return _read_classpath(cp_file, classes)
        mvn = _find_maven()
        cmd = [
            mvn,
            "-B",
            *(["-q"] if quiet else []),
            "-f",
            str(project / "pom.xml"),
            f"-Dalluxio.version={version}",
            "compile",
            "dependency:build-classpath",
            f"-Dmdep.outputFile={cp_file}",
        ]
        env = dict(os.environ)
        # Maven itself needs a JDK; point it at the one the proxy will use when it has none.
        if "JAVA_HOME" not in env:
            java = Path(os.path.realpath(_find_java())).parent.parent
            env["JAVA_HOME"] = str(java)
        try:
            done = subprocess.run(
                cmd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=_MAVEN_TIMEOUT_S,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise RealProxyError(f"maven did not finish in {_MAVEN_TIMEOUT_S:.0f} s") from exc
        if done.returncode != 0 or not cp_file.exists():
            tail = "\n".join((done.stdout + done.stderr).splitlines()[-30:])
            raise RealProxyError(
                f"maven build for Alluxio {version} failed (exit {done.returncode}):\n{tail}"
            )
        return _read_classpath(cp_file, classes)


def _is_fresh(cp_file: Path, classes: Path, project: Path) -> bool:
    if not cp_file.exists() or not classes.is_dir():
        return False
    if cp_file.stat().st_mtime < _newest_mtime(project):
        return False
    return all(Path(p).exists() for p in _read_classpath(cp_file, classes))


def _read_classpath(cp_file: Path, classes: Path) -> list[str]:
    jars = [p for p in cp_file.read_text().strip().split(os.pathsep) if p]
    return [str(classes), *jars]


def _proxy_info(url: str, timeout: float) -> dict[str, object] | None:
    """The proxy's info object, or None while it does not answer one yet."""
    # No environment proxies: the target is always loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/api/v1/proxy/info", timeout=timeout) as resp:
            if resp.status != 200:
                return None
            raw = resp.read()
    except (OSError, urllib.error.URLError):
        return None
    if not raw:
        # What 2.9's S3-only servlet answers to every non-S3 request.
        raise RealProxyError(
            f"{url}/api/v1/proxy/info answered 200 with an empty body: the REST paths API "
            "needs alluxio.proxy.s3.v2.version.enabled=false"
        )
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class RealProxy:
    """One real Alluxio cluster (master, worker, job service, proxy) in a child JVM.

    **Parameters:**

    * **root** - directory used as the root under store (created if missing; its content is
      kept and becomes visible through Alluxio's metadata sync).
    * **port** - proxy port; ``0`` or ``None`` picks a free one.
    * **version** - Alluxio release: ``2.x`` (default ``DEFAULT_VERSION``) or ``1.x``
      (``DEFAULT_V1_VERSION``, the 1.x wire dialect; no job service in that line).
    * **work** - directory for journal, worker storage and logs; a private temporary
      directory (removed by ``stop()``) when ``None``.
    * **conf** - extra Alluxio properties, e.g. ``{"alluxio.proxy.stream.cache.timeout": "2s"}``.
    * **java** - Java executable; defaults to ``$REAL_PROXY_JAVA``, ``$JAVA_HOME``, ``PATH``.
      Extra JVM options come from ``$REAL_PROXY_JVM_OPTS``.
    * **startup_timeout** - seconds to wait for ``GET /api/v1/proxy/info`` to answer.
    """

    def __init__(
        self,
        root: Path,
        *,
        port: int | None = None,
        version: str = DEFAULT_VERSION,
        work: Path | None = None,
        conf: Mapping[str, str] | None = None,
        java: str | None = None,
        startup_timeout: float = 180.0,
    ) -> None:
        self.root = Path(root).resolve()
        self.version = version
        self._port = port or 0
        self._work = Path(work).resolve() if work is not None else None
        self._owns_work = work is None
        self._conf = dict(conf or {})
        self._java = java
        self._startup_timeout = startup_timeout
        self._proc: subprocess.Popen[str] | None = None
        self._stdout_thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._reported_port: int | None = None
        self._stderr: IO[str] | None = None
        self.url: str | None = None
        self.startup_seconds: float | None = None

    @property
    def pid(self) -> int | None:
        """Process id of the JVM, while it runs."""
        return self._proc.pid if self._proc is not None else None

    @property
    def work_dir(self) -> Path | None:
        """Directory holding journal, worker storage and ``logs/alluxio.log``."""
        return self._work

    def start(self) -> str:
        """Build if needed, start the JVM and return the proxy's base URL once it answers.

        A start-up that fails with "Address already in use" is retried with new ports (up to
        ``_BIND_ATTEMPTS`` times): the ports are picked free, then released for the services
        to bind, and another process can take one in between.
        """
        if self._proc is not None:
            raise RealProxyError("already started")
        java = _find_java(self._java)
        classpath = build_classpath(self.version)
        for attempt in range(1, _BIND_ATTEMPTS + 1):
            try:
                return self._start_once(java, classpath)
            except RealProxyError as exc:
                if "Address already in use" not in str(exc) or attempt == _BIND_ATTEMPTS:
                    raise
                print(
                    f"real-proxy: a port was taken during start-up (attempt {attempt}); "
                    "retrying with new ports",
                    file=sys.stderr,
                )
        raise AssertionError("unreachable")

    def _start_once(self, java: str, classpath: list[str]) -> str:
        self._ready.clear()
        self._reported_port = None
        if self._work is None:
            self._work = Path(tempfile.mkdtemp(prefix="alluxio-real-proxy-"))
        (self._work / "logs").mkdir(parents=True, exist_ok=True)
        self.root.mkdir(parents=True, exist_ok=True)
        cmd = [
            java,
            *_JVM_OPTIONS,
            *shlex.split(os.environ.get("REAL_PROXY_JVM_OPTS", "")),
            "-cp",
            os.pathsep.join(classpath),
            _MAIN_CLASS,
            "--root",
            str(self.root),
            "--work",
            str(self._work),
            "--port",
            str(self._port),  # 0: the launcher picks it, outside the ephemeral range
            "--exit-on-stdin-eof",
            *(["--delete-work-on-exit"] if self._owns_work else []),
        ]
        for key, value in self._conf.items():
            cmd += ["--conf", f"{key}={value}"]
        self._stderr = open(self._work / "logs" / "jvm-stderr.log", "w")  # noqa: SIM115
        started = time.monotonic()
        # Own session: a Ctrl-C in the terminal reaches only us, and we stop the JVM in order.
        # stdin stays an open pipe; the JVM exits when it closes, i.e. when we die.
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            text=True,
            start_new_session=True,
        )
        self._stdout_thread = threading.Thread(
            target=self._read_stdout, name="real-proxy-stdout", daemon=True
        )
        self._stdout_thread.start()
        try:
            self.url = self._wait_ready(started)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self.url

    def _read_stdout(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(_READY_PREFIX):
                self._reported_port = int(line[len(_READY_PREFIX) :].strip())
                self._ready.set()

    def _wait_ready(self, started: float) -> str:
        deadline = started + self._startup_timeout
        proc = self._proc
        assert proc is not None
        while not self._ready.wait(0.1):
            if proc.poll() is not None:
                raise RealProxyError(
                    f"Alluxio JVM exited with {proc.returncode} during start-up\n{self._log_tail()}"
                )
            if time.monotonic() > deadline:
                raise RealProxyError(
                    f"Alluxio did not start in {self._startup_timeout:.0f} s\n{self._log_tail()}"
                )
        url = f"http://127.0.0.1:{self._reported_port}"
        while _proxy_info(url, timeout=2.0) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RealProxyError(f"{url}/api/v1/proxy/info never answered\n{self._log_tail()}")
            time.sleep(0.1)
        return url

    def _log_tail(self, lines: int = 40) -> str:
        parts = []
        if self._work is not None:
            for name in ("jvm-stderr.log", "alluxio.log"):
                path = self._work / "logs" / name
                if path.exists():
                    text = path.read_text(errors="replace").splitlines()[-lines:]
                    parts.append(f"--- {path} (last {len(text)} lines)\n" + "\n".join(text))
        return "\n".join(parts)

    def alive(self) -> bool:
        """True while the JVM runs."""
        return self._proc is not None and self._proc.poll() is None

    def wait(self, timeout: float | None = None) -> int | None:
        """Wait for the JVM to exit on its own; return its exit code (None on timeout)."""
        if self._proc is None:
            return None
        try:
            return self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the cluster (SIGTERM, then SIGKILL after ``timeout`` s) and clean up."""
        proc, self._proc = self._proc, None
        if proc is not None:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout)
                except subprocess.TimeoutExpired:
                    # The JVM's own watchdog halts after 20 s; this is the last resort.
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
            if self._stdout_thread is not None:
                self._stdout_thread.join(5)
            if proc.stdout is not None:
                proc.stdout.close()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._owns_work and self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None
        self.url = None

    def __enter__(self) -> RealProxy:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def start_real_proxy(
    root: Path,
    port: int | None = None,
    *,
    version: str = DEFAULT_VERSION,
    conf: Mapping[str, str] | None = None,
) -> Iterator[str]:
    """Run a real Alluxio proxy over the under store ``root``; yield its base URL.

    Raises ``RealProxyUnavailable`` (Java or Maven missing: skip) or ``RealProxyError``.
    The JVM is stopped and its work directory removed on exit.
    """
    with RealProxy(root, port=port, version=version, conf=conf) as proxy:
        assert proxy.url is not None
        yield proxy.url


class _Stop(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    """``scripts/real-proxy``: start, print the URL on stdout, block until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(
        prog="real-proxy",
        description="Run a single-node Alluxio (master, worker, [job service,] proxy) on "
        "127.0.0.1 from Maven Central jars; print the proxy URL once it answers.",
    )
    parser.add_argument("--port", type=int, default=0, help="proxy port (0: any free port)")
    parser.add_argument("--root", type=Path, required=True, help="under-store root directory")
    parser.add_argument(
        "--version", default=DEFAULT_VERSION, help="Alluxio release (2.9.x or 1.8.1)"
    )
    parser.add_argument(
        "--work", type=Path, help="journal/storage/log directory (default: temporary, removed)"
    )
    parser.add_argument(
        "--conf",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra Alluxio property (repeatable)",
    )
    parser.add_argument("--java", help="Java executable (default: $JAVA_HOME or PATH)")
    parser.add_argument("--startup-timeout", type=float, default=180.0)
    parser.add_argument("--build-only", action="store_true", help="resolve and compile, then exit")
    args = parser.parse_args(argv)
    conf = {}
    for item in args.conf:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--conf expects KEY=VALUE, got {item!r}")
        conf[key] = value

    def on_signal(signum: int, frame: FrameType | None) -> None:
        raise _Stop

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    proxy = RealProxy(
        args.root,
        port=args.port,
        version=args.version,
        work=args.work,
        conf=conf,
        java=args.java,
        startup_timeout=args.startup_timeout,
    )
    try:
        if args.build_only:
            build_classpath(args.version, quiet=False)
            return 0
        url = proxy.start()
        print(url, flush=True)
        print(
            f"real-proxy: Alluxio {args.version} up in {proxy.startup_seconds:.1f} s "
            f"(pid {proxy.pid}, logs in {proxy.work_dir}/logs)",
            file=sys.stderr,
            flush=True,
        )
        code = proxy.wait()
        print(f"real-proxy: Alluxio JVM exited unexpectedly ({code})", file=sys.stderr)
        return 1
    except _Stop:
        return 0
    except RealProxyUnavailable as exc:
        print(f"real-proxy: unavailable: {exc.reason}", file=sys.stderr)
        return 3
    except RealProxyError as exc:
        print(f"real-proxy: {exc}", file=sys.stderr)
        return 2
    finally:
        # Signals during the orderly stop would abort it half-way.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        proxy.stop()


if __name__ == "__main__":
    sys.exit(main())
