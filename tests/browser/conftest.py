"""Fixtures for the browser tests: the built site on a local server, and headless Chromium.

The tests drive the site exactly as a reader gets it: `./course site` builds it into
``_build/html``; these fixtures serve that folder on 127.0.0.1 and open every page in Chromium,
and open every page from disk too (``file://``, as a reader who opens ``index.html`` or a
downloaded copy does). Pages are discovered from the folder, so a new chapter is tested with no
new test code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from omcd.devtools import CHROMIUM, CHROMIUM_ARGS, SITE_DIR, SiteServer, site_pages

#: Milliseconds a chart may take to draw itself.
CHART_TIMEOUT_MS = 10_000
#: Every page is loaded served over HTTP and opened from disk.
SCHEMES = ["http", "file"]

NOT_BUILT = (
    f"The site is not built: {SITE_DIR} has no index.html. "
    "Run `./course site` first (the browser tests test the built site, they do not build it)."
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize every test that asks for ``page_path`` with every page of the built site."""
    if "page_path" in metafunc.fixturenames:
        # With no site, still generate one test, so that the server fixture fails with NOT_BUILT
        # instead of pytest silently skipping an empty parameter set.
        # Module scope: each page is loaded once, and every test of the module runs on it.
        pages = site_pages() or ["(site not built)"]
        metafunc.parametrize("page_path", pages, ids=pages, scope="module")
    if "scheme" in metafunc.fixturenames:
        metafunc.parametrize("scheme", SCHEMES, ids=SCHEMES, scope="module")


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(NOT_BUILT, pytrace=False)
    return SITE_DIR


@pytest.fixture(scope="session")
def base_url(site_dir: Path):
    """The built site served on 127.0.0.1 at a free port, for the whole session."""
    with SiteServer(site_dir) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (Debian's, since `playwright install` cannot run)."""
    if not Path(CHROMIUM).is_file() or not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium is not installed at {CHROMIUM}: install the Debian package `chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} The browser tests must run in CI.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class LoadedPage:
    """A page loaded in a fresh browser context, with everything it did on the way."""

    page: object  # playwright.sync_api.Page
    url: str
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def site_root_url(base_url: str, scheme: str, site_dir: Path) -> str:
    """The site's root address over HTTP, or as a file:// address of the folder."""
    return base_url if scheme == "http" else site_dir.resolve().as_uri() + "/"


@pytest.fixture(scope="module")
def loaded_page(base_url: str, browser, page_path: str, scheme: str, site_dir: Path):
    """``page_path`` loaded in a fresh context, over HTTP or from disk (``scheme``); requests to any
    other host are blocked and recorded.

    The page is loaded once and shared by the tests of a module (in definition order), so keep
    tests that change the page's state (sliders) restoring it.
    """
    context = browser.new_context()
    context.set_default_timeout(CHART_TIMEOUT_MS)
    # Every Content-Security-Policy violation of the page, from its first byte.
    context.add_init_script("""
      window.omcdPolicyViolations = [];
      document.addEventListener("securitypolicyviolation", e => window.omcdPolicyViolations.push(
        `${e.violatedDirective} refused ${e.blockedURI || "an inline script or style"} (${e.sourceFile}:${e.lineNumber})`));
    """)
    page = context.new_page()
    root = site_root_url(base_url, scheme, site_dir)
    base_url = root
    loaded = LoadedPage(page=page, url=root + page_path)

    def route(route):
        url = route.request.url
        if url.startswith(base_url):
            route.continue_()
        else:
            loaded.external_requests.append(f"{route.request.method} {url}")
            route.abort()

    context.route("**/*", route)
    page.on(
        "response",
        lambda response: (
            loaded.failed_requests.append(f"HTTP {response.status} {response.url}")
            if response.status >= 400 and response.url.startswith(base_url)
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda request: (
            loaded.failed_requests.append(f"{request.failure} {request.url}")
            if request.url.startswith(base_url)
            else None
        ),
    )
    page.on("pageerror", lambda error: loaded.page_errors.append(f"{error.name}: {error.message}"))
    page.on(
        "console",
        lambda message: (
            loaded.console_errors.append(f"{message.type}: {message.text} (at {message.location.get('url')})")
            if message.type in ("error", "warning")
            else None
        ),
    )
    try:
        page.goto(loaded.url, wait_until="networkidle")
        yield loaded
    finally:
        context.close()
