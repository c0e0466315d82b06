"""The built site, as a reader sees it: every page rendered in headless Chromium.

Fails on what a reader would trip over: a blockquote inside an API docstring (a doctest
rendered as nested quotes), a literal ``::`` ending a paragraph (reStructuredText leftovers),
anything wider than the content column (overflowing tables, cut-off signatures, long code
lines), console errors, and internal links to pages or anchors that do not exist.
Screenshots of the main pages are saved under ``build/docs-screenshots/`` for review.

Needs Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it). Without it the test
is skipped, except in CI (``ALLUXIO_PY_REQUIRE_BROWSER``), where it fails.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.docs._browser import Browser, find_browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "docs-screenshots"
MAIN_PAGES = (
    "",
    "guides/quickstart/",
    "guides/cli/",
    "guides/limits/",
    "reference/client/",
    "reference/fsspec/",
    "reference/cli/",
)

# Runs in each page; returns what is wrong with it, its internal links and its anchors.
INSPECT_PAGE = r"""
(() => {
  const article = document.querySelector("article.md-content__inner");
  if (article === null) return {problems: ["no content column"], links: [], ids: []};
  const column = article.getBoundingClientRect();
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 70);
    return `<${el.tagName.toLowerCase()}${id}${cls}> ${JSON.stringify(text)}`;
  };
  const problems = [];
  for (const quote of article.querySelectorAll(".doc-contents blockquote"))
    problems.push("blockquote in an API docstring: " + describe(quote));
  for (const block of article.querySelectorAll("p, td, dd"))
    if (/::\s*$/.test(block.textContent))
      problems.push("reST '::' ends a paragraph: " + describe(block));
  // Material lets some blocks (tables, admonitions) bleed into the article's side margins.
  const style = getComputedStyle(article);
  const left = column.left - parseFloat(style.marginLeft);
  const right = column.right + parseFloat(style.marginRight);
  const outside = (box) => box.right > right + 1 || box.left < left - 1;
  // What scrolls sideways inside its box (a wide table, a long code line) is cut off.
  const scrollers = [...article.querySelectorAll("*")].filter((el) =>
    ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX));
  for (const el of scrollers)
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`cut off by ${el.scrollWidth - el.clientWidth} px: ` + describe(el));
  for (const el of article.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || !outside(box)) continue;
    if (scrollers.some((s) => s !== el && s.contains(el))) continue;  // reported above
    if (outside(el.parentElement.getBoundingClientRect())) continue;  // its parent is reported
    const by = Math.round(Math.max(box.right - right, left - box.left));
    problems.push(`wider than the content column by ${by} px: ` + describe(el));
  }
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push("the page scrolls sideways");
  const links = [...document.querySelectorAll("a[href]")]
    .map((a) => a.href)
    .filter((href) => href.startsWith(location.origin + "/"));
  const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
  return {problems, links, ids};
})()
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _serve(directory: Path) -> Iterator[str]:
    """A local HTTP server for ``directory`` (the search index is fetched, so not file://)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = find_browser()
    if executable is None:
        if os.environ.get("ALLUXIO_PY_REQUIRE_BROWSER"):
            pytest.fail("Chromium required (ALLUXIO_PY_REQUIRE_BROWSER) but not installed")
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")
    with Browser(executable) as browser:
        yield browser


def _inspect(browser: Browser, url: str) -> tuple[list[str], list[str], set[str]]:
    """Load ``url``; its problems (console errors included), internal links and anchors."""
    errors_before = len(browser.console_errors)
    browser.load(url)
    found = browser.evaluate(INSPECT_PAGE)
    problems = list(found["problems"]) + browser.console_errors[errors_before:]
    return problems, list(found["links"]), set(found["ids"])


def _page_of(site: Path, path: str) -> Path:
    """The file a URL path is served from."""
    target = site / unquote(path).lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_site_in_a_browser(site: Path, browser: Browser) -> None:
    folders = sorted(p.relative_to(site).parent.as_posix() for p in site.rglob("index.html"))
    pages = ["" if folder == "." else folder + "/" for folder in folders]
    assert len(pages) >= 20 and "reference/client/" in pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    links: dict[str, list[str]] = {}  # target URL -> pages linking to it
    anchors: dict[Path, set[str]] = {}
    with _serve(site) as base:
        for page in pages:
            found, page_links, ids = _inspect(browser, base + page)
            problems += [f"/{page}: {problem}" for problem in found]
            anchors[_page_of(site, "/" + page)] = ids
            for link in page_links:
                links.setdefault(link, []).append(page)
            if page in MAIN_PAGES:
                name = page.strip("/").replace("/", "-") or "home"
                browser.screenshot(SCREENSHOTS / f"{name}.png")
    for link, sources in sorted(links.items()):
        parts = urlsplit(link)
        target = _page_of(site, parts.path)
        if not target.is_file():
            problems.append(f"/{sources[0]}: broken link to {parts.path}")
        elif parts.fragment and parts.fragment not in anchors.get(target, set()):
            problems.append(f"/{sources[0]}: broken link to {parts.path}#{parts.fragment}")
    assert not problems, "\n".join(problems)
    for name in MAIN_PAGES:
        shot = SCREENSHOTS / f"{name.strip('/').replace('/', '-') or 'home'}.png"
        assert shot.stat().st_size > 10_000, shot


def test_the_checks_catch_each_defect(tmp_path: Path, browser: Browser) -> None:
    # A page with one of each defect, in the structure Material and mkdocstrings produce.
    (tmp_path / "index.html").write_text(
        """<!doctype html><html><head><meta charset="utf-8"></head>
        <body style="margin:0"><main style="width:600px">
        <article class="md-content__inner" style="width:500px">
          <div class="doc-contents"><blockquote><p>&gt;&gt; with client.open()</p>
          </blockquote></div>
          <p>or use it in-process::</p>
          <table style="width:800px"><tr><td>wide</td></tr></table>
          <a href="missing/">a page that does not exist</a>
          <a href="#nowhere">an anchor that does not exist</a>
        </article></main>
        <script>console.error("something broke")</script></body></html>"""
    )
    with _serve(tmp_path) as base:
        problems, links, ids = _inspect(browser, base)
    text = "\n".join(problems)
    assert "blockquote in an API docstring" in text
    assert "reST '::' ends a paragraph: <p>" in text
    assert "wider than the content column by 300 px: <table>" in text
    assert "console.error: something broke" in text
    assert sorted(links) == [base + "#nowhere", base + "missing/"]
    assert "nowhere" not in ids
