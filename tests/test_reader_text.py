"""What a reader reads on the built website, in both editions (run after ./course site and
./course site --instructor, or ./course test).

- Maths is maths: no rendered formula holds prose or a currency amount (a sentence with two dollar
  amounts once became one italic formula).
- No code input is shown on a reader's page (a cell may keep a "Show code" toggle), and tables
  carry readable headers and percentages, not raw column names and bare fractions.
- Page and section numbers read 1, 1.1, 1.1.1 ... in order, with one number per heading.
- No internal fact-base id ("F3.16", "row C4.8") reaches a reader, on a page or in data/.
- Every chapter page links each glossary term it uses, at its first use.
- Every calculator page says in words what drives the result before its formulas, which sit in a
  collapsed "The model in formulas" block.

OMCD_SITE_DIR and OMCD_INSTRUCTOR_SITE_DIR point the tests at another build (e.g. an old one).
"""

from __future__ import annotations

import csv
import json
import os
import re
from functools import cache, lru_cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = {
    "student": Path(os.environ.get("OMCD_SITE_DIR", ROOT / "_build" / "html")),
    "instructor": Path(os.environ.get("OMCD_INSTRUCTOR_SITE_DIR", ROOT / "_build" / "instructor" / "_build" / "html")),
}
SKIPPED = {"genindex.html", "search.html", "index.html"}  # Sphinx's own pages; the root index.html redirects
FACT_ID = re.compile(r"\b[CF]\d{1,2}\.\d{1,2}\b|\bfact[- ]base\b|\bfacts\.csv\b", re.I)


# Reading the built site -------------------------------------------------------------------------


def site(edition: str) -> Path:
    folder = EDITIONS[edition]
    if not (folder / "intro.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the {edition} edition is not built: run ./course test")
        pytest.skip(
            f"the {edition} edition is not built: run ./course site"
            + (" --instructor" if edition == "instructor" else "")
        )
    return folder


def pages(edition: str) -> list[Path]:
    folder = site(edition)
    return sorted(
        p
        for p in folder.rglob("*.html")
        if p.relative_to(folder).as_posix() not in SKIPPED
        and not {"_static", "_sources"} & set(p.relative_to(folder).parts)
    )


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(path: Path) -> Tag:
    found = soup(path).select_one("article.bd-article")
    assert found is not None, f"{path}: no article element"
    return found


def reader_text(node: Tag) -> str:
    """The text a reader sees in ``node``: no scripts, styles or JSON payloads."""
    copy = BeautifulSoup(str(node), "html.parser")
    for hidden in copy(["script", "style", "template", "noscript"]):
        hidden.decompose()
    return copy.get_text(" ", strip=True)


def where(path: Path, edition: str) -> str:
    return f"{edition}:{path.relative_to(EDITIONS[edition]).as_posix()}"


def chapter_pages(edition: str) -> list[Path]:
    return [p for p in pages(edition) if p.relative_to(EDITIONS[edition]).parts[0] == "chapters"]


def calculator_pages(edition: str) -> list[Path]:
    return [p for p in chapter_pages(edition) if article(p).select_one("figure.omcd-calc")]


EDITION_NAMES = list(EDITIONS)


# 1. Maths holds maths ---------------------------------------------------------------------------

_TEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_PROSE = re.compile(r"\b[A-Za-z]{2,}\b[\s,;:.]+\b[A-Za-z]{2,}\b")
_CURRENCY = re.compile(r"\\?\$\s*\d|\bUSD\b|\bRMB\b|\bEUR\b|\d[\d,.]*\s*(?:million|billion|bn|trillion)\b", re.I)


def maths_problem(tex: str) -> str | None:
    """Why ``tex``, the source of one rendered formula, is not maths; None if it is."""
    body = tex.strip()
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]"), ("$$", "$$"), ("$", "$")):
        if body.startswith(opening) and body.endswith(closing):
            body = body[len(opening) : len(body) - len(closing)]
            break
    if _CURRENCY.search(body):
        return "a currency amount"
    words = _TEX_COMMAND.sub(" ", body)  # \frac, \text, \quad ... are not words of prose
    if _PROSE.search(words):
        return "two ordinary words in a row"
    return None


def test_maths_checker_tells_prose_from_formulas():
    assert maths_problem(r'\(5.6 million" at an assumed \)') == "a currency amount"
    assert maths_problem(r"\(x is the share of the market\)") == "two ordinary words in a row"
    for formula in (
        r"\(m_\text{open}\)",
        r"\[N(t) = m\,\frac{1 - e^{-(p+q)t}}{1 + (q/p)\,e^{-(p+q)t}}\]",
        r"\(\text{NPV}_\text{open}\)",
        r"\(u^* = (D + O) / (8760\,(p - e))\)",
        r"\(\varepsilon > \ln g / \ln(1/f)\)",
        r"\(s^* = (100{,}000 \times 0.5)\)",
    ):
        assert maths_problem(formula) is None, formula


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_no_rendered_maths_holds_prose_or_currency(edition):
    problems = []
    for page in pages(edition):
        for node in article(page).select(".math"):
            why = maths_problem(node.get_text())
            if why:
                problems.append(f"{where(page, edition)}: {why} in maths: {node.get_text()[:80]!r}")
    assert not problems, "\n".join(problems)


# 2. No code in front of readers; readable tables ------------------------------------------------


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_no_code_input_is_shown_on_reader_pages(edition):
    shown = []
    for page in pages(edition):
        for cell in article(page).select("div.cell_input"):
            if cell.find_parent("details") is None:
                shown.append(f"{where(page, edition)}: {cell.get_text(' ', strip=True)[:70]!r}")
    assert not shown, "code shown to readers (tag the cell hide-input or remove-input):\n" + "\n".join(shown)


@lru_cache(maxsize=1)
def raw_names() -> frozenset[str]:
    """Column names of every data/ table and names of every scenario: what a table must not show."""
    names = set()
    for path in (ROOT / "data").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        names.update(rows[0].keys() if rows else [])
        if path.stem.endswith("_scenarios"):
            names.update(row["scenario"] for row in rows)
    return frozenset(names)


_FRACTION = re.compile(r"^-?0?\.\d+$")
_PERCENT_WORDS = re.compile(r"share|utilisation|margin|load factor|discount rate|\bload\b", re.I)


def table_problems(table: Tag) -> list[str]:
    problems = []
    header_cells = table.select("thead th") or table.select("tr:first-child th")
    headers = [th.get_text(" ", strip=True) for th in header_cells]
    for text in headers:
        if text in raw_names() or re.fullmatch(r"[a-z0-9]+(?:_[a-z0-9]+)+", text):
            problems.append(f"raw column name {text!r} as a header")
    for row in table.select("tbody tr"):
        cells = row.find_all(["th", "td"])
        row_text = " ".join(c.get_text(" ", strip=True) for c in cells)
        offset = len(headers) - len(cells)  # a blank corner cell for the index
        for index, cell in enumerate(cells):
            value = cell.get_text(strip=True)
            header = headers[index + offset] if 0 <= index + offset < len(headers) else ""
            if _FRACTION.match(value) and (_PERCENT_WORDS.search(header) or _PERCENT_WORDS.search(row_text)):
                problems.append(f"a share shown as a bare fraction {value!r} ({header or row_text[:40]!r})")
    return problems


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_tables_have_readable_headers_and_percentages(edition):
    problems = []
    for page in pages(edition):
        for table in article(page).select("table"):
            problems += [f"{where(page, edition)}: {p}" for p in table_problems(table)]
    assert not problems, "\n".join(problems)


# 3. Numbering in order ---------------------------------------------------------------------------


def toc_order(edition: str) -> list[Path]:
    """The pages in the order of the left-hand table of contents."""
    folder = site(edition)
    nav = soup(folder / "intro.html").select_one("nav.bd-docs-nav")
    order = []
    for link in nav.select("a.reference.internal"):
        target = (folder / link["href"].split("#")[0]).resolve()
        if target.suffix == ".html" and target not in order:
            order.append(target)
    return order


def heading_numbers(page: Path) -> list[tuple[str, str]]:
    """(number, title) of every numbered heading of a page, in document order."""
    found = []
    for heading in article(page).find_all(re.compile(r"^h[1-6]$")):
        number = heading.select_one("span.section-number")
        if number is not None:
            title = heading.get_text(" ", strip=True)[len(number.get_text(" ", strip=True)) :].strip()
            found.append((number.get_text(strip=True).rstrip("."), title))
    return found


def numbering_problems(sequence: list[tuple[str, str, str]]) -> list[str]:
    """Each number must be the first child of the one before it or the next sibling of it or of
    one of its ancestors (1, 1.1, 1.1.1, 1.2, 2 ...), starting at 1; titles carry no second number."""
    problems, previous = [], ()
    for place, number, title in sequence:
        parts = tuple(int(n) for n in number.split("."))
        allowed = {previous + (1,)} | {previous[:i] + (previous[i] + 1,) for i in range(len(previous))}
        if not previous:
            allowed = {(1,)}
        if parts not in allowed:
            problems.append(f"{place}: {number} ({title[:40]!r}) after {'.'.join(map(str, previous)) or 'nothing'}")
        if re.match(r"\d+(\.\d+)*[.)]?\s", title):
            problems.append(f"{place}: heading {number} {title[:40]!r} carries a second number")
        previous = parts
    return problems


def test_numbering_checker():
    good = [("a", "1", "A"), ("a", "1.1", "B"), ("b", "1.2", "C"), ("b", "1.2.1", "D"), ("c", "2", "E")]
    assert numbering_problems(good) == []
    assert numbering_problems([("a", "3", "A"), ("a", "3.1", "B"), ("b", "3.6", "C")])
    assert numbering_problems([("a", "1", "A"), ("a", "1.1", "1. DeepSeek-V3")])


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_page_and_section_numbers_read_in_order(edition):
    numbered = [(page, heading_numbers(page)) for page in toc_order(edition)]
    # Page by page: a chapter is n, its pages n.1, n.2 ... (a page's own sections do not count).
    pages_only = [(where(page, edition), found[0][0], found[0][1]) for page, found in numbered if found]
    # Heading by heading, across the whole book.
    sequence = [(where(page, edition), number, title) for page, found in numbered for number, title in found]
    assert len(pages_only) >= 12 and len(sequence) > len(pages_only), "no numbered headings found"
    problems = numbering_problems(pages_only) + numbering_problems(sequence)
    assert not problems, "\n".join(problems)


# 4. No internal fact-base ids ---------------------------------------------------------------------


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_no_internal_fact_ids_in_reader_text(edition):
    leaks = []
    for page in pages(edition):
        text = reader_text(soup(page).body)
        leaks += [
            f"{where(page, edition)}: ...{text[max(0, m.start() - 50) : m.end() + 20]}..."
            for m in FACT_ID.finditer(text)
        ]
    assert not leaks, "\n".join(leaks)


def test_no_internal_fact_ids_in_data_sources_and_notes():
    """data/ cites public sources; only the fact_ids column may name rows of the internal fact base."""
    leaks = []
    for path in sorted((ROOT / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                for column, value in row.items():
                    if column != "fact_ids" and value and FACT_ID.search(value):
                        leaks.append(f"data/{path.name}:{line} {column}: {value[:90]!r}")
    assert not leaks, "\n".join(leaks)


# 5. Glossary links at each term's first use on every chapter page --------------------------------

_SKIP_TAGS = {
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "table",
    "figure",
    "figcaption",
    "summary",
    "script",
    "style",
    "nav",
    "button",
    "noscript",
}
# The end-of-chapter quiz is a form (choices and answer boxes): a link inside a choice's label
# would compete with the choice itself; its terms are the chapter's, defined in its prose.
_SKIP_CLASSES = {"math", "cell_output", "cell_input", "admonition-title", "headerlink", "sd-summary-title", "omcd-quiz"}


@cache
def glossary_terms(edition: str) -> dict[str, str]:
    """{anchor id: term} of every glossary entry."""
    page = soup(site(edition) / "glossary.html")
    return {dt["id"]: dt.get_text(" ", strip=True).rstrip("#").strip() for dt in page.select("dl.glossary dt[id]")}


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[’'`]", "", text)).lower()


def term_pattern(term: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(_normal(term)) + r"(?:s|es)?(?![\w-])")


def prose_runs(node: Tag):
    """(text, glossary anchor of the enclosing link or None) for every run of prose text, in order."""
    for child in node.children:
        if isinstance(child, NavigableString):
            if child.strip() and child.find_parent(["p", "li", "dd"]) is not None:
                link = child.find_parent("a")
                anchor = None
                if link is not None:
                    if "glossary.html#" not in link.get("href", ""):
                        continue  # the title of another page: a link cannot hold a link
                    anchor = link["href"].split("#", 1)[1]
                yield str(child), anchor
        elif isinstance(child, Tag):
            if child.name in _SKIP_TAGS or _SKIP_CLASSES & set(child.get("class", [])):
                continue
            yield from prose_runs(child)


def first_use_problems(runs: list[tuple[str, str | None]], terms: dict[str, str]) -> list[str]:
    """Terms whose first use in ``runs`` is not a link to their glossary entry.

    A use inside a longer term (e.g. "utilisation" in "break-even utilisation") is the longer
    term's, not the shorter one's."""
    problems = []
    for anchor, term in terms.items():
        pattern = term_pattern(term)
        longer = [term_pattern(t) for a, t in terms.items() if a != anchor and _normal(term) in _normal(t)]
        for text, link in runs:
            text = _normal(text)
            for other in longer:
                text = other.sub(lambda m: " " * len(m.group(0)), text)
            if pattern.search(text):
                if link != anchor:
                    problems.append(f"{term!r} first used without a link: {text.strip()[:70]!r}")
                break
    return problems


def test_first_use_checker():
    terms = {
        "term-GPU-hour": "GPU-hour",
        "term-Utilisation": "Utilisation",
        "term-Break-even-utilisation": "Break-even utilisation",
    }
    runs = [("The ", None), ("GPU-hour", "term-GPU-hour"), (" and break-even utilisation, then GPU-hours", None)]
    assert first_use_problems(runs, terms) == [
        "'Break-even utilisation' first used without a link: 'and break-even utilisation, then gpu-hours'"
    ]
    runs = [("break-even utilisation", "term-Break-even-utilisation"), ("utilisation of GPUs", None)]
    assert first_use_problems(runs, terms) == ["'Utilisation' first used without a link: 'utilisation of gpus'"]


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_glossary_terms_are_linked_at_first_use_on_every_chapter_page(edition):
    terms = glossary_terms(edition)
    assert len(terms) >= 20, "the glossary lost its terms"
    problems, linked_pages = [], 0
    for page in chapter_pages(edition):
        runs = list(prose_runs(article(page)))
        linked_pages += any(anchor for _, anchor in runs)
        problems += [f"{where(page, edition)}: {p}" for p in first_use_problems(runs, terms)]
    assert linked_pages == len(chapter_pages(edition)), "a chapter page links no glossary term"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "term",
    [
        "adjusted EBITA",
        "mixture-of-experts",
        "dense model",
        "cache hit",
        "throughput",
        "economic life",
        "depreciation life",
        "vintage",
    ],
)
def test_glossary_defines_the_terms_readers_asked_for(term):
    assert _normal(term) in {_normal(t) for t in glossary_terms("student").values()}, term


def test_glossary_says_elasticity_is_given_as_a_positive_number():
    entry = soup(site("student") / "glossary.html").select_one("dl.glossary dt#term-Elasticity")
    assert entry is not None
    assert "positive number" in entry.find_next_sibling("dd").get_text(" ", strip=True)


# 6. Intuition first, then the formulas, collapsed -------------------------------------------------


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_calculator_pages_put_formulas_in_a_collapsed_block_after_words(edition):
    found = calculator_pages(edition)
    assert len(found) >= 6, f"calculator pages not found: {found}"
    for page in found:
        body = article(page)
        blocks = [
            d
            for d in body.select("details")
            if "The model in formulas" in d.select_one("summary").get_text(" ", strip=True)
        ]
        assert len(blocks) == 1, f"{where(page, edition)}: one 'The model in formulas' block expected"
        block = blocks[0]
        assert not block.has_attr("open"), f"{where(page, edition)}: the formulas block is open"
        assert block.select(".math"), f"{where(page, edition)}: the formulas block holds no formula"
        outside = [m for m in body.select("div.math") if m.find_parent("details") is None]
        assert not outside, f"{where(page, edition)}: a displayed formula outside a collapsed block"
        # The words come first: the section that holds the block explains the model in prose.
        words = []
        for element in block.find_all_previous(["p", "li", "h2"]):
            if element.name == "h2":
                break
            if not element.select(".math"):
                words.append(element.get_text(" ", strip=True))
        assert len(" ".join(words).split()) >= 40, (
            f"{where(page, edition)}: no explanation in words before the formulas"
        )


# A formula opened by a dollar sign: "$$", or "$" then a letter, a backslash, "(" or "{" (an
# amount of money has a digit after its dollar sign).
_DOLLAR_MATHS = re.compile(r"\$\$|\$[A-Za-z\\({]")


def test_no_page_source_writes_maths_with_dollar_signs():
    """MyST's dollarmath is off (a $ is a currency sign): a formula written between $ signs would
    show as raw text, so the sources must use {math} roles or math blocks instead."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    extensions = (config.get("parse") or {}).get("myst_enable_extensions")
    assert extensions is not None, "Jupyter Book's default extensions include dollarmath: list them"
    assert "dollarmath" not in extensions and "amsmath" in extensions
    offenders = []
    for path in sorted(ROOT.glob("chapters/**/*.ipynb")) + [ROOT / "sources.ipynb"]:
        for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown" and _DOLLAR_MATHS.search("".join(cell["source"])):
                offenders.append(f"{path.relative_to(ROOT)} cell {index}")
    for path in (
        sorted(ROOT.glob("chapters/**/*.md"))
        + sorted(ROOT.glob("teaching-notes/*.md"))
        + [ROOT / "intro.md", ROOT / "glossary.md"]
    ):
        if _DOLLAR_MATHS.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
