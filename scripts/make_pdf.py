"""Print the built site to a PDF an instructor would hand out.

``./course pdf`` prints the student edition to ``_build/pdf/open-models-cloud-demand.pdf``: a title
page, the contents with page numbers, then every page of the book in reading order, each starting
on a new page, numbered at the foot. No code and no notebook-widget cells are printed (the site's
print stylesheet, ``site_assets/omcd.css``): a calculator prints its inputs, its chart and its
results. The PDF carries its title, authors, subject and language, and bookmarks for every page
and its sections.

``./course pdf --chapter 2`` prints chapter 2 alone (its opening page and its sections) to
``_build/pdf/open-models-cloud-demand-chapter-2.pdf``.

``./course pdf --instructor`` prints, from the instructor edition
(``_build/instructor/_build/html``), the teaching notes followed by every chapter page's exercises
with their solutions (the rest of those pages left out, solutions unfolded), the same way, to
``_build/pdf/open-models-cloud-demand-instructor.pdf``; with ``--chapter N``, that chapter's notes
and solutions.

Uses Debian's Chromium through Playwright, offline, and pypdf to join the pieces.
"""

from __future__ import annotations

import argparse
import html
import io
import re
import sys
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from omcd.devtools import CHROMIUM, CHROMIUM_ARGS, PDF_OPTIONS, REPO_ROOT, SITE_DIR, SiteServer, print_page

PDF_DIR = REPO_ROOT / "_build" / "pdf"
TARGET = PDF_DIR / "open-models-cloud-demand.pdf"
INSTRUCTOR_SITE = REPO_ROOT / "_build" / "instructor" / "_build" / "html"
INSTRUCTOR_TOC = REPO_ROOT / "_build" / "instructor" / "_toc.yml"
INSTRUCTOR_TARGET = PDF_DIR / "open-models-cloud-demand-instructor.pdf"
BOOK_TOC = REPO_ROOT / "_toc.yml"
LANGUAGE = "en"
#: The title page's edition line for the whole student edition.
FULL_COURSE = "The complete course"

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

#: Every printed page of the handout: the book's contents replace each page's own list of its
#: sections, and the page's title is printed with its number (1.2. ...), as the contents name it,
#: on every page: a class sheet hides its title when printed alone (omcd.teaching.SHEET_PAGE_PRINT:
#: one activity a page), but in a handout each page starts with the title the contents give it
#: (more specific than the sheet's own rule, which comes later in the page).
_HANDOUT = "#jb-print-toc { display: none !important; } @media print { html body #jb-print-docs-body { display: block !important; } }"
_NUMBERED_TITLE = """() => {
  const printed = document.querySelector("#jb-print-docs-body h1");
  const numbered = document.querySelector("article.bd-article h1 .section-number");
  if (printed && numbered && !printed.textContent.startsWith(numbered.textContent)) {
    printed.prepend(numbered.textContent);
  }
}"""

#: The title and contents pages: the same page box and foot as the site's print stylesheet.
_PAGE_STYLE = """
@page { size: A4; margin: 16mm 14mm 18mm; @bottom-center { content: counter(page); font: 9pt sans-serif;
        color: #4d4d4d; } }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #1a1a1a; }
body { margin: 0; }
"""
_TITLE_STYLE = """
@page { @bottom-center { content: none; } }
.title-page { display: flex; flex-direction: column; min-height: 255mm; }
h1 { font-size: 30pt; line-height: 1.15; margin: 55mm 0 6mm; color: #1f4e79; }
.subtitle { font-size: 15pt; margin: 0 0 14mm; line-height: 1.3; }
.edition { font-size: 13pt; font-weight: 700; margin: 0 0 4mm; }
.meta { margin-top: auto; font-size: 10pt; line-height: 1.5; color: #333333; }
.meta p { margin: 0 0 2.5mm; }
"""
_CONTENTS_STYLE = """
h1 { font-size: 20pt; margin: 0 0 8mm; color: #1f4e79; }
ol { list-style: none; margin: 0; padding: 0; }
li { display: flex; align-items: baseline; gap: 2mm; margin: 0 0 2.2mm; font-size: 11pt; break-inside: avoid; }
li.level-0 { font-weight: 700; margin-top: 4mm; }
li.level-1 { padding-left: 7mm; }
li .dots { flex: 1 1 auto; border-bottom: 1.5px dotted #b3b3b3; transform: translateY(-0.25em); }
li .page { font-variant-numeric: tabular-nums; min-width: 8mm; text-align: right; }
"""


class Document:
    """One page of the site as printed: its address, title, level in the contents (0 a chapter or
    a page of its own, 1 a section), its PDF and its first page number in the book. (A plain
    class: the tests load this script as a file, where a dataclass cannot find its module.)"""

    def __init__(self, path: str, title: str, level: int):
        self.path, self.title, self.level = path, title, level
        self.pdf = b""
        self.first = 0

    @property
    def pages(self) -> int:
        return len(PdfReader(io.BytesIO(self.pdf)).pages)


# What to print ----------------------------------------------------------------------------------


def _toc(toc: Path) -> dict:
    return yaml.safe_load(toc.read_text(encoding="utf-8"))


def _chapters(toc: Path) -> list[dict]:
    """The numbered chapters of the book (the first part of the table of contents)."""
    return [c for part in _toc(toc).get("parts", []) if part.get("numbered") for c in part.get("chapters", [])]


def book_pages(toc: Path = BOOK_TOC, chapter: int | None = None) -> list[tuple[str, int]]:
    """The book's pages in reading order as (``.html`` path, level): the landing page, each
    chapter (level 0) and its sections at any depth (level 1: e.g. a teaching note's class
    sheet, a section of a section), the reference pages (level 0); with ``chapter``, that
    chapter alone."""

    def entries(chapters, level=0):
        for entry in chapters:
            yield entry["file"] + ".html", level
            yield from entries(entry.get("sections", []), 1)

    if chapter is not None:
        chapters = _chapters(toc)
        if not 1 <= chapter <= len(chapters):
            raise SystemExit(f"--chapter must be 1 to {len(chapters)}: the book has {len(chapters)} chapters.")
        return list(entries([chapters[chapter - 1]]))
    book = _toc(toc)
    pages = [(book["root"] + ".html", 0)]
    for part in book.get("parts", []):
        pages += list(entries(part.get("chapters", [])))
    return pages


def instructor_pages(chapter: int | None = None) -> list[str]:
    """The teaching notes, then every chapter page that has a solution, in reading order; with
    ``chapter``, the notes' opening page, that chapter's notes and its pages with a solution."""
    pages = [path for path, _ in book_pages(INSTRUCTOR_TOC)]
    notes = [p for p in pages if p.startswith("teaching-notes/")]
    chapters = pages
    if chapter is not None:
        chapters = [path for path, _ in book_pages(INSTRUCTOR_TOC, chapter)]
        notes = [p for p in notes if p == "teaching-notes/index.html" or p.startswith(f"teaching-notes/ch{chapter}-")]
    solutions = [
        p
        for p in chapters
        if p.startswith("chapters/") and 'class="solution' in (INSTRUCTOR_SITE / p).read_text(encoding="utf-8")
    ]
    return notes + solutions


def prepare_handout(page, path: str) -> None:
    """A page of the site made ready for the handout (see :data:`_HANDOUT`)."""
    page.add_style_tag(content=_HANDOUT)
    page.evaluate(_NUMBERED_TITLE)


def _prepare_instructor(page, path: str) -> None:
    prepare_handout(page, path)
    page.evaluate(_UNFOLD)
    if path.startswith("chapters/"):
        page.add_style_tag(content=_EXERCISES_ONLY)


def page_title(site: Path, path: str) -> str:
    """A page's heading as the article writes it (its section number included, e.g. "1.2. ...")."""
    text = (site / path).read_text(encoding="utf-8")
    headings = re.findall(r"<h1[^>]*>(.*?)</h1>", text, re.S)
    heading = next((h for h in headings if "headerlink" in h), headings[0] if headings else path)
    heading = re.sub(r'<a class="headerlink".*?</a>', "", heading, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", heading)).split())


# The title page and the contents -----------------------------------------------------------------


def course_metadata() -> dict:
    """Title, subtitle, authors, version, date, address, keywords and abstract from CITATION.cff."""
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    title, _, subtitle = cff["title"].partition(": ")
    return {
        "title": title,
        "subtitle": subtitle[:1].upper() + subtitle[1:],
        "authors": ", ".join(
            a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
            for a in cff.get("authors", [])
        ),
        "version": str(cff.get("version", "")),
        "date": str(cff.get("date-released", "")),
        "address": cff.get("url") or cff.get("repository-code") or "",
        "keywords": ", ".join(cff.get("keywords", [])),
        "abstract": " ".join(str(cff.get("abstract", "")).split()),
    }


def _page(title: str, style: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_PAGE_STYLE}{style}</style></head><body>{body}</body></html>"
    )


def title_html(meta: dict, edition: str) -> str:
    from omcd.display import citation

    return _page(
        meta["title"],
        _TITLE_STYLE,
        (
            f'<div class="title-page"><h1>{html.escape(meta["title"])}</h1>'
            f'<p class="subtitle">{html.escape(meta["subtitle"])}</p>'
            f'<p class="edition">{html.escape(edition)}</p>'
            f'<div class="meta"><p>{html.escape(meta["authors"])}. Version {html.escape(meta["version"])}, '
            f"{html.escape(meta['date'])}.</p>"
            f"<p>The calculators run in the website's pages and in Binder: {html.escape(meta['address'])}. "
            f"This handout prints each calculator at its default inputs.</p>"
            f"<p>Text, figures and data compilation: CC BY 4.0. Code: MIT.</p>"
            f"<p>Cite as: {html.escape(citation())}</p></div></div>"
        ),
    )


def contents_html(meta: dict, documents: list[Document]) -> str:
    items = "".join(
        f'<li class="level-{d.level}"><span class="entry">{html.escape(d.title)}</span><span class="dots"></span>'
        f'<span class="page">{d.first}</span></li>'
        for d in documents
    )
    return _page(f"{meta['title']}: contents", _CONTENTS_STYLE, f"<h1>Contents</h1><ol>{items}</ol>")


def _print_html(page, text: str, first_number: int) -> bytes:
    page.set_content(text, wait_until="load")
    page.add_style_tag(content=f"html {{ counter-reset: page {first_number - 1}; }}")
    return page.pdf(**PDF_OPTIONS)


# The PDF ---------------------------------------------------------------------------------------


def _outline_below_title(reader: PdfReader) -> list:
    """A printed page's own bookmarks under its title: Chromium makes one for each heading, the
    page's title (h1) first; its children are the page's sections."""
    outline = reader.outline
    if len(outline) >= 2 and isinstance(outline[1], list):
        return outline[1]
    return [item for item in outline[1:] if not isinstance(item, list)]


def _add_outline(writer: PdfWriter, reader: PdfReader, items: list, offset: int, parent) -> None:
    previous = None
    for item in items:
        if isinstance(item, list):
            if previous is not None:
                _add_outline(writer, reader, item, offset, previous)
            continue
        previous = writer.add_outline_item(
            title=item.title, page_number=offset + reader.get_destination_page_number(item), parent=parent
        )


def make_pdf(site: Path, documents: list[Document], target: Path, edition: str, prepare=None, browser=None) -> int:
    """Print ``documents`` (pages of the built ``site``) behind a title page and the contents,
    join them into ``target`` with bookmarks and metadata; returns the page count. Uses
    ``browser`` (a Playwright browser) if given, else starts Debian's Chromium."""
    if browser is None:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return make_pdf(site, documents, target, edition, prepare, chromium)
            finally:
                chromium.close()
    meta = course_metadata()
    with SiteServer(site) as server:
        # bypass_csp: the page numbers and the prepare steps are inline <style> tags, which the
        # site's Content-Security-Policy refuses (see omcd.devtools.print_page).
        context = browser.new_context(bypass_csp=True)
        try:
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(server.url) else r.abort())
            page = context.new_page()
            title = _print_html(page, title_html(meta, edition), 1)
            # The contents' length first (numbers do not change it), then every page, numbered on.
            contents = _print_html(page, contents_html(meta, documents), 2)
            number = 2 + len(PdfReader(io.BytesIO(contents)).pages)
            for document in documents:
                document.first = number
                document.pdf = print_page(
                    page, server.url + document.path, first_number=number, prepare=prepare, path=document.path
                )
                number += document.pages
            final = _print_html(page, contents_html(meta, documents), 2)
            if len(PdfReader(io.BytesIO(final)).pages) != len(PdfReader(io.BytesIO(contents)).pages):
                raise RuntimeError("the contents changed length once numbered")
        finally:
            context.close()
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(title)), import_outline=False)
    writer.append(PdfReader(io.BytesIO(final)), import_outline=False)
    writer.add_outline_item(title="Contents", page_number=1)
    parents: dict[int, object] = {}
    for document in documents:
        reader = PdfReader(io.BytesIO(document.pdf))
        offset = len(writer.pages)
        writer.append(reader, import_outline=False)
        item = writer.add_outline_item(title=document.title, page_number=offset, parent=parents.get(document.level - 1))
        parents[document.level] = item
        _add_outline(writer, reader, _outline_below_title(reader), offset, item)
    writer.add_metadata(
        {
            "/Title": f"{meta['title']}: {meta['subtitle']}" + ("" if edition == FULL_COURSE else f" ({edition})"),
            "/Author": meta["authors"],
            "/Subject": meta["abstract"],
            "/Keywords": meta["keywords"],
            "/Creator": "Open Models, Cloud Demand: scripts/make_pdf.py (Chromium and pypdf)",
        }
    )
    writer._root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
    writer.create_viewer_preferences()
    writer.viewer_preferences.display_doctitle = True
    writer.page_mode = "/UseOutlines"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as handle:
        writer.write(handle)
    return len(writer.pages)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--instructor", action="store_true", help="teaching notes and solutions, from the instructor edition"
    )
    parser.add_argument("--chapter", type=int, metavar="N", help="chapter N alone")
    args = parser.parse_args(argv)
    site = INSTRUCTOR_SITE if args.instructor else SITE_DIR
    if not (site / "index.html").exists():
        print(f"Build the site first: ./course site{' --instructor' if args.instructor else ''}", file=sys.stderr)
        return 1
    suffix = f"-chapter-{args.chapter}" if args.chapter is not None else ""
    chapter_title = ""
    if args.chapter is not None:
        (first, _), *_ = book_pages(BOOK_TOC, args.chapter)
        chapter_title = page_title(site, first)
    if args.instructor:
        # The notes' opening page and each chapter's exercises at the top level, each chapter's
        # notes under the opening page.
        pages = [(path, 1 if path.startswith("teaching-notes/ch") else 0) for path in instructor_pages(args.chapter)]
        target, prepare = INSTRUCTOR_TARGET.with_name(INSTRUCTOR_TARGET.stem + suffix + ".pdf"), _prepare_instructor
        edition = "Instructor edition: teaching notes and solutions" + (f", {chapter_title}" if chapter_title else "")
    else:
        pages = book_pages(BOOK_TOC, args.chapter)
        target, prepare = TARGET.with_name(TARGET.stem + suffix + ".pdf"), prepare_handout
        edition = chapter_title or FULL_COURSE
    documents = [Document(path, page_title(site, path), level) for path, level in pages]
    count = make_pdf(site, documents, target, edition, prepare=prepare)
    print(f"Wrote {target} ({count} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
