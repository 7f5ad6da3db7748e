"""Print the built site to one PDF, in the book's reading order.

``./course pdf`` prints the student edition to ``_build/pdf/open-models-cloud-demand.pdf``.
``./course pdf --instructor`` prints, from the instructor edition (``_build/instructor/_build/html``),
the teaching notes followed by every chapter page's exercises with their solutions (the rest of
those pages left out, solutions unfolded) to
``_build/pdf/open-models-cloud-demand-instructor.pdf``.

Uses Debian's Chromium through Playwright, offline, and the site's print stylesheet.
"""

from __future__ import annotations

import argparse
import sys

from playwright.sync_api import sync_playwright

from omcd.devtools import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, SITE_DIR, SiteServer, print_pdf, toc_pages

TARGET = REPO_ROOT / "_build" / "pdf" / "open-models-cloud-demand.pdf"
INSTRUCTOR_SITE = REPO_ROOT / "_build" / "instructor" / "_build" / "html"
INSTRUCTOR_TOC = REPO_ROOT / "_build" / "instructor" / "_toc.yml"
INSTRUCTOR_TARGET = REPO_ROOT / "_build" / "pdf" / "open-models-cloud-demand-instructor.pdf"

#: On a chapter page of the instructor PDF: the page title, its exercises and their solutions only.
_EXERCISES_ONLY = """
article.bd-article section > :not(section):not(.exercise):not(.solution):not(h1) { display: none !important; }
:is(.exercise, .solution) :is(#exercise-content, #solution-content) > * { display: revert !important; }
article.bd-article :is(.exercise, .solution) { break-inside: avoid; }
#print-main-content { display: none !important; }
"""
#: Unfold every solution (sphinx-togglebutton opens them on 'beforeprint'; Playwright's PDF does not
#: fire it, so it is fired here, and any block still folded is opened).
_UNFOLD = """() => {
  window.dispatchEvent(new Event("beforeprint"));
  document.querySelectorAll(".toggle-hidden").forEach(el => el.classList.remove("toggle-hidden"));
  document.querySelectorAll("details").forEach(el => { el.open = true; });
}"""


def instructor_pages() -> list[str]:
    """The teaching notes, then every chapter page that has a solution, in reading order."""
    pages = toc_pages(INSTRUCTOR_TOC)
    notes = [p for p in pages if p.startswith("teaching-notes/")]
    solutions = [p for p in pages if p.startswith("chapters/")
                 and 'class="solution' in (INSTRUCTOR_SITE / p).read_text(encoding="utf-8")]
    return notes + solutions


def _prepare_instructor(page, path: str) -> None:
    page.evaluate(_UNFOLD)
    if path.startswith("chapters/"):
        page.add_style_tag(content=_EXERCISES_ONLY)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instructor", action="store_true",
                        help="teaching notes and solutions, from the instructor edition")
    args = parser.parse_args(argv)
    site = INSTRUCTOR_SITE if args.instructor else SITE_DIR
    if not (site / "index.html").exists():
        print(f"Build the site first: ./course site{' --instructor' if args.instructor else ''}", file=sys.stderr)
        return 1
    pages, target, prepare = toc_pages(), TARGET, None
    if args.instructor:
        pages, target, prepare = instructor_pages(), INSTRUCTOR_TARGET, _prepare_instructor
    with SiteServer(site) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            count = print_pdf(browser, server.url, pages, target, prepare=prepare)
        finally:
            browser.close()
    print(f"Wrote {target} ({count} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
