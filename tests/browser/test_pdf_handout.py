"""``./course pdf``: a PDF an instructor would hand out (scripts/make_pdf.py).

Printed from the built site as the command prints it, into a temporary folder:

* a title page and the contents, each page of the book listed with the page it starts on (that
  page holds its title), page numbers at the foot of every page but the title page;
* a page count in a stated range (the book changes; a count far outside means pages went missing
  or spilled), no blank page, no chart cut between two pages (a chart's title and the last texts
  of its drawing are on one page), no code and no notebook-widget cell;
* the PDF's title, authors, language and bookmarks;
* ``--chapter 2`` prints chapter 2 alone, and the instructor edition prints the same way.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import unicodedata

import pytest
from pypdf import PdfReader

from omcd.devtools import CHARTS_DRAWN, REPO_ROOT, START_ALL_CHARTS

pytestmark = pytest.mark.browser

#: The student edition's length: 114 pages when this test was written (16 pages of the book,
#: the title page and the contents). Outside this range, pages went missing or spilled.
PAGES = range(95, 141)
CHAPTER_2_PAGES = range(25, 46)


def _load(name: str, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_pdf = _load("make_pdf_handout", REPO_ROOT / "scripts" / "make_pdf.py")


def _squash(text: str) -> str:
    """Words and numbers only, lower case: a PDF's line breaks, hyphens and ligatures do not count."""
    return " ".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).lower()))


def _pages(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _documents(site, pages):
    return [make_pdf.Document(path, make_pdf.page_title(site, path), level) for path, level in pages]


@pytest.fixture(scope="module")
def handout(tmp_path_factory, site_dir, browser):
    target = tmp_path_factory.mktemp("pdf") / "course.pdf"
    documents = _documents(site_dir, make_pdf.book_pages())
    make_pdf.make_pdf(
        site_dir, documents, target, make_pdf.FULL_COURSE, prepare=make_pdf.prepare_handout, browser=browser
    )
    return target, documents


def _check_layout(target, documents, title_words: str) -> list[str]:
    """Title page, contents, page numbers, starts of pages, no blank page; returns each page's text."""
    texts = _pages(target)
    assert title_words in _squash(texts[0]) and _squash("Open Models, Cloud Demand") in _squash(texts[0])
    assert _squash(texts[1]).startswith("2 contents")
    for number, text in enumerate(texts[1:], start=2):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert str(number) in lines, f"page {number} does not show its number: {lines[:3]}"
        rest = _squash(" ".join(line for line in lines if line != str(number)))
        assert len(rest) > 20, f"page {number} is blank but for its number: {lines}"
    assert not re.search(r"(^|\n)\s*1\s*(\n|$)", texts[0]), "the title page carries a number"
    contents = _squash(texts[1])
    for document in documents:
        entry = _squash(f"{document.title} {document.first}")
        assert entry in contents, f"the contents do not list {document.title!r} on page {document.first}"
        start = _squash(texts[document.first - 1])
        assert _squash(document.title) in start, f"page {document.first} does not start {document.title!r}"
        if document is not documents[0]:  # each page of the book starts on a new page
            assert _squash(document.title) not in _squash(texts[document.first - 2].split("\n", 1)[-1][-400:])
    return texts


def test_the_handout_has_a_title_page_contents_and_numbered_pages_and_no_blank_page(handout):
    target, documents = handout
    texts = _check_layout(target, documents, _squash("The complete course"))
    assert len(texts) in PAGES, f"{len(texts)} pages, expected {PAGES.start} to {PAGES.stop - 1}"
    assert [d.path for d in documents] == [p for p, _ in make_pdf.book_pages()]


def _code_lines() -> list[str]:
    """Distinctive lines of the notebooks' code cells (calls and assignments, not comments)."""
    lines = []
    for path in sorted((REPO_ROOT / "chapters").rglob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for line in "".join(cell["source"]).splitlines():
                    line = line.strip()
                    if len(line) > 24 and not line.startswith("#") and re.search(r"\w\(|\w = ", line):
                        lines.append(line)
    return lines


def test_no_code_and_no_widget_cell_is_printed(handout):
    target, _ = handout
    text = _squash(" ".join(_pages(target)))
    code = _code_lines()
    assert len(code) > 30
    printed = [line for line in code if _squash(line) in text]
    assert not printed, f"code printed: {printed[:5]}"
    for words in (
        "Show code cell source",
        "calculator = GpuClusterWidget()",
        "On the website this cell shows nothing",
        "Pin this scenario",
        "Take it away",
        "Link to these settings",
    ):
        assert _squash(words) not in text, words
    # A printed calculator shows its inputs, its chart and its results (the GPU cluster's, as the
    # model defines them: its results caption, an input with its value as the reader reads it).
    from omcd.charts.registry import get

    gpu = get("gpu_cluster")
    assert _squash(gpu.results_title) in text
    assert _squash(f"Electricity price {gpu.texts(gpu.defaults())['inputs']['electricity_usd_per_kwh']}") in text


# Each chart's title and the last texts of its drawing (a legend, an axis title), in the pages as printed.
_CHARTS = """() => [...document.querySelectorAll(".omcd-chart-block")].filter(b => b.offsetParent !== null).map(b => {
  const title = b.querySelector(".omcd-title");
  const texts = [...b.querySelectorAll(".omcd-view svg text")].map(t => t.textContent.trim()).filter(t => t.length > 3);
  return {title: title ? title.textContent : "", last: texts.slice(-2)};
})"""


def test_no_chart_is_cut_between_two_pages(handout, browser, base_url):
    target, documents = handout
    texts = [_squash(t) for t in _pages(target)]
    context = browser.new_context()
    page = context.new_page()
    page.emulate_media(media="print")
    charts = []
    try:
        for document in documents:
            page.goto(base_url + document.path, wait_until="networkidle")
            page.evaluate(START_ALL_CHARTS)  # each would start as the reader scrolls near it
            page.wait_for_function(CHARTS_DRAWN, timeout=15_000)
            charts += [(document.path, c) for c in page.evaluate(_CHARTS) if c["title"] and c["last"]]
    finally:
        context.close()
    assert len(charts) >= 10, charts
    cut = []
    for path, chart in charts:
        title = _squash(chart["title"])
        on = [i for i, t in enumerate(texts) if title in t]
        assert on, f"{path}: the chart {chart['title']!r} is not in the PDF"
        if not any(all(_squash(last) in texts[i] for last in chart["last"]) for i in on):
            cut.append(f"{path}: {chart['title']!r} (page {on[0] + 1}) and {chart['last']} are on different pages")
    assert not cut, "\n".join(cut)


def test_the_pdf_carries_its_title_authors_language_and_bookmarks(handout):
    target, documents = handout
    reader = PdfReader(target)
    meta = reader.metadata
    assert meta.title.startswith("Open Models, Cloud Demand") and "authors" in meta.author
    assert meta.subject and "cloud" in meta.keywords.lower()
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and root["/ViewerPreferences"]["/DisplayDocTitle"]

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1

    marks = list(titles(reader.outline))
    for document in documents:
        assert (document.title, document.first) in marks, document.title
    assert len(marks) > 3 * len(documents), "each page's sections are bookmarked too"


def test_one_chapter_prints_alone(tmp_path, site_dir, browser):
    target = tmp_path / "chapter-2.pdf"
    pages = make_pdf.book_pages(chapter=2)
    assert [p for p, _ in pages][0] == "chapters/02-competition/index.html" and len(pages) >= 3
    assert all(p.startswith("chapters/02-competition/") for p, _ in pages)
    documents = _documents(site_dir, pages)
    make_pdf.make_pdf(
        site_dir, documents, target, documents[0].title, prepare=make_pdf.prepare_handout, browser=browser
    )
    texts = _check_layout(target, documents, _squash(documents[0].title))
    assert len(texts) in CHAPTER_2_PAGES, len(texts)
    text = _squash(" ".join(texts))
    assert _squash(make_pdf.page_title(site_dir, "chapters/01-open-source-catalyst/index.html")) not in text
    with pytest.raises(SystemExit, match="--chapter must be 1 to 3"):
        make_pdf.book_pages(chapter=9)


def test_the_instructor_edition_prints_the_same_way(tmp_path, browser):
    site = make_pdf.INSTRUCTOR_SITE
    if not (site / "index.html").is_file():
        message = "the instructor edition is not built: run ./course site --instructor"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    target = tmp_path / "instructor.pdf"
    pages = [(p, 1 if p.startswith("teaching-notes/ch") else 0) for p in make_pdf.instructor_pages(chapter=2)]
    assert any(p.startswith("teaching-notes/ch2-") for p, _ in pages)
    assert any(p.startswith("chapters/02-") for p, _ in pages)
    documents = _documents(site, pages)
    make_pdf.make_pdf(
        site,
        documents,
        target,
        "Instructor edition: teaching notes and solutions",
        prepare=make_pdf._prepare_instructor,
        browser=browser,
    )
    texts = _check_layout(target, documents, _squash("Instructor edition"))
    text = _squash(" ".join(texts))
    assert "solution to exercise" in text
    assert PdfReader(target).trailer["/Root"]["/Lang"] == "en"


def test_the_course_command_passes_its_options(site_dir):
    """./course pdf --chapter N reaches make_pdf with its option (the shell script's own case)."""
    script = (REPO_ROOT / "course").read_text(encoding="utf-8")
    case = script[script.index("  pdf)") : script.index(";;", script.index("  pdf)"))]
    assert 'scripts/make_pdf.py "${@:2}"' in case
    with pytest.raises(SystemExit, match="--chapter must be 1 to 3"):
        make_pdf.main(["--chapter", "0"])
