"""``./course pdf --instructor``: the teaching notes and every exercise with its solution, as one
PDF printed from the instructor edition (scripts/make_pdf.py)."""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata

import pytest
from pypdf import PdfReader

from omcd.devtools import REPO_ROOT, SiteServer, print_pdf

pytestmark = pytest.mark.browser


def _load(name: str, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make_pdf = _load("make_pdf", REPO_ROOT / "scripts" / "make_pdf.py")


def _words(text: str) -> str:
    """The text's words, lower case; NFKC turns the PDF's ligatures ("ﬁ") back into letters."""
    return " ".join(re.findall(r"[A-Za-z0-9]+", unicodedata.normalize("NFKC", text))).lower()


def test_instructor_pdf_holds_every_teaching_note_and_solution_and_not_the_chapters_prose(browser, tmp_path):
    if not (make_pdf.INSTRUCTOR_SITE / "index.html").is_file():
        message = "the instructor edition is not built: run ./course site --instructor"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    editions = _load("editions", REPO_ROOT / "tests" / "test_editions.py")
    # A passage of every teaching note and solution, taken from lines without maths: typeset
    # formulas ({math} roles, and any dollar or \( maths) do not come back as words from a PDF.
    secrets = {}
    for path in sorted((REPO_ROOT / "chapters").rglob("*.ipynb")):
        for index, match in enumerate(editions._SOLUTION.finditer(editions.notebook_markdown(path))):
            plain = "\n".join(
                line
                for line in match.group(2).splitlines()
                if "$" not in line and "\\(" not in line and "{math}" not in line
            )
            secrets[f"{path.relative_to(REPO_ROOT)} solution {index + 1}"] = editions.passage(plain, length=6)
    secrets.update(
        {k: v for k, v in editions.SECRETS.items() if k.startswith("teaching-notes") and "class-sheet" not in k}
    )
    # A class sheet prints its activities, one a page, without the screen's introduction for the
    # instructor (omcd.teaching.SHEET_PAGE_PRINT): each activity's heading and task must be there.
    from omcd.teaching import ACTIVITIES

    for chapter, activities in ACTIVITIES.items():
        for act in activities:
            secrets[f"{chapter} class sheet, {act.heading}"] = _words(act.heading)
            secrets[f"{chapter} class sheet, {act.heading}: its task"] = _words(act.task)
    assert all(secrets.values()), secrets
    pages = make_pdf.instructor_pages()
    assert [p for p in pages if p.startswith("teaching-notes/")] and [p for p in pages if p.startswith("chapters/")]
    target = tmp_path / "instructor.pdf"
    with SiteServer(make_pdf.INSTRUCTOR_SITE) as server:
        print_pdf(browser, server.url, pages, target, prepare=make_pdf._prepare_instructor)
    text = _words(" ".join(page.extract_text() for page in PdfReader(target).pages))
    missing = [where for where, words in secrets.items() if words not in text]
    assert not missing, f"not in the instructor PDF (a folded solution, or a note left out?): {missing}"
    solutions = sum(1 for k in secrets if "solution" in k)
    assert text.count("solution to exercise") == solutions
    # The chapters' own prose is left out: only their exercises and solutions are printed.
    assert "what the default shows" not in text and "the live calculator in binder" not in text
