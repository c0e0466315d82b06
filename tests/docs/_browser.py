"""Headless Chromium driven through the DevTools protocol over a pipe (no extra packages).

``chromium --remote-debugging-pipe`` reads protocol commands from its file descriptor 3 and
writes answers and events to descriptor 4, each message JSON followed by a NUL byte (the
transport Playwright and Puppeteer use). This module starts the browser with those pipes,
opens one tab and offers what the documentation test needs: load a page, evaluate a script,
take a screenshot, collect console errors.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class BrowserError(Exception):
    """The browser failed to start, answered with an error or did not answer in time."""


def find_browser() -> str | None:
    """Path of an installed Chromium, if any."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path is not None:
            return path
    return None


def _above_nine(fd: int) -> int:
    """A copy of ``fd`` numbered 10 or more (``fd`` is closed)."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Browser:
    """One headless Chromium with one tab; a context manager."""

    def __init__(self, executable: str, *, width: int = 1280, height: int = 900) -> None:
        self._executable = executable
        self._size = (width, height)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._session = ""
        self.console_errors: list[str] = []

    def __enter__(self) -> Browser:
        self._profile = tempfile.TemporaryDirectory(prefix="docs-browser-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # The browser's ends above 9, so moving them to 3 and 4 cannot clobber each other.
        to_browser_read = _above_nine(to_browser_read)
        from_browser_write = _above_nine(from_browser_write)

        width, height = self._size
        args = [
            self._executable,
            "--headless=new",
            "--remote-debugging-pipe",
            f"--user-data-dir={self._profile.name}",
            f"--window-size={width},{height}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--mute-audio",
            # Root in a container has no user namespaces for the sandbox.
            *(["--no-sandbox"] if os.geteuid() == 0 else []),
            "about:blank",
        ]
        # The browser expects the pipes as descriptors 3 and 4: bash moves them there.
        moves = (
            f"3<&{to_browser_read} 4>&{from_browser_write} "
            f"{to_browser_read}<&- {from_browser_write}>&-"
        )
        self._process = subprocess.Popen(
            ["bash", "-c", f'exec "$@" {moves}', "bash", *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(to_browser_read, from_browser_write),
            start_new_session=True,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self._session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
                "sessionId"
            ]
            for domain in ("Page", "Runtime", "Log"):
                self.call(f"{domain}.enable")
            self._metrics(width, height)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.call("Browser.close", timeout=5)
            self._process.wait(5)
        except (BrowserError, OSError, subprocess.TimeoutExpired):
            pass
        # Its helper processes too (renderer, GPU, zygote): the browser leads their group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._profile.cleanup()

    # -- protocol ----------------------------------------------------------------------------

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError("no answer from the browser in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                data = os.read(self._from_browser, 1 << 20)
                if not data:
                    raise BrowserError(f"the browser exited (status {self._process.poll()})")
                self._buffer += data
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def _dispatch(self, message: dict[str, Any]) -> None:
        """Keep an event: console errors are collected, the rest queued for wait_for."""
        method, params = message.get("method"), message.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            args = params.get("args", [])
            shown = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
            self.console_errors.append(f"console.{params['type']}: {shown}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exception = details.get("exception", {})
            shown = exception.get("description") or details.get("text", "")
            self.console_errors.append(f"uncaught exception: {shown}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            where = entry.get("url", "")
            self.console_errors.append(f"{entry.get('source')}: {entry.get('text')} {where}")
        else:
            self._events.append(message)

    def call(self, method: str, timeout: float = 30.0, **params: Any) -> dict[str, Any]:
        """Send one command (to the tab once attached) and return its result."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self._session and not method.startswith("Target."):
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            if "method" in answer:
                self._dispatch(answer)

    def wait_for(self, event: str, timeout: float = 30.0) -> dict[str, Any]:
        """Wait for the tab's next ``event``; events seen before are dropped."""
        deadline = time.monotonic() + timeout
        while True:
            for i, message in enumerate(self._events):
                if message.get("method") == event:
                    del self._events[: i + 1]
                    params: dict[str, Any] = message.get("params", {})
                    return params
            self._events.clear()
            message = self._read_message(deadline)
            if "method" in message:
                self._dispatch(message)

    # -- what the tests use ------------------------------------------------------------------

    def load(self, url: str) -> None:
        """Navigate to ``url`` and wait until it has loaded (scripts ran, images loaded)."""
        self._events.clear()
        answer = self.call("Page.navigate", url=url)
        if "errorText" in answer:
            raise BrowserError(f"{url}: {answer['errorText']}")
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a script run in the page (promises are awaited)."""
        answer = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description", str(details)))
        return answer["result"].get("value")

    def screenshot(self, path: Path, max_height: int = 3000) -> None:
        """Save the page, top to bottom (cut at ``max_height`` pixels), as a PNG."""
        width, height = self._size
        full = min(int(self.evaluate("document.documentElement.scrollHeight")), max_height)
        # A window as tall as the page: painting beyond the window leaves blank tiles.
        self._metrics(width, full)
        try:
            self.evaluate("new Promise((done) => requestAnimationFrame(() => done(true)))")
            answer = self.call("Page.captureScreenshot", format="png")
        finally:
            self._metrics(width, height)
        path.write_bytes(base64.b64decode(answer["data"]))

    def _metrics(self, width: int, height: int) -> None:
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
