"""Print the built site (student edition) to one PDF, in the book's reading order.

Run with ``./course pdf``. Uses Debian's Chromium through Playwright, offline, and the site's
print stylesheet; writes ``_build/pdf/open-models-cloud-demand.pdf``.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

from omcd.devtools import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, SITE_DIR, SiteServer, print_pdf, toc_pages

TARGET = REPO_ROOT / "_build" / "pdf" / "open-models-cloud-demand.pdf"


def main() -> int:
    if not (SITE_DIR / "index.html").exists():
        print("Build the site first: ./course site", file=sys.stderr)
        return 1
    with SiteServer() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            count = print_pdf(browser, server.url, toc_pages(), TARGET)
        finally:
            browser.close()
    print(f"Wrote {TARGET} ({count} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
