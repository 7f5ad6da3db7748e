"""The two editions built from one source: the student edition (the public site) carries no
solution and no teaching note anywhere; the instructor edition carries them all.

A passage of every solution and every teaching note is looked for in the text of every file of
each built site (HTML with tags removed, the search index, anything else in text form). The same
search must find every passage in the instructor edition, so the test cannot pass by looking
for text that is never published at all.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "_build" / "html"
INSTRUCTOR = ROOT / "_build" / "instructor" / "_build" / "html"
TEXT_SUFFIXES = {".html", ".js", ".txt", ".json", ".ipynb", ".md", ".inv", ".xml"}

_SOLUTION = re.compile(r"^(`{3,}|:{3,})\{solution\}[^\n]*\n(.*?)^\1\s*$", re.S | re.M)
_OPTION = re.compile(r"^:[a-z-]+:.*$", re.M)
_CODE_CELL = re.compile(r"^```\{code-cell\}.*?^```\s*$", re.S | re.M)
_FRONT_MATTER = re.compile(r"\A---\n.*?^---\s*$", re.S | re.M)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


def passage(markdown: str, length: int = 8) -> str | None:
    """A run of ``length`` words from the longest line of plain prose in ``markdown``."""
    lines = [line for line in _OPTION.sub("", markdown).splitlines()
             if not re.match(r"\s*([`:]{3}|\$\$|\||#)", line)]
    best = max(lines, key=lambda line: len(_words(line)), default="")
    words = _words(best)
    return " ".join(words[:length]).lower() if len(words) >= length else None


def notebook_markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def secret_passages() -> dict[str, str]:
    """{where: passage} for every solution in the chapters and every teaching note."""
    found = {}
    for path in sorted((ROOT / "chapters").rglob("*")):
        if path.suffix == ".ipynb":
            text = notebook_markdown(path)
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        for index, match in enumerate(_SOLUTION.finditer(text)):
            words = passage(match.group(2))
            if words:
                found[f"{path.relative_to(ROOT)} solution {index + 1}"] = words
    for path in sorted((ROOT / "teaching-notes").glob("*.md")):
        # Text notebooks: only the prose is published, not the code cells or the front matter.
        prose = _CODE_CELL.sub("", _FRONT_MATTER.sub("", path.read_text(encoding="utf-8")))
        words = passage(prose)
        if words:
            found[str(path.relative_to(ROOT))] = words
    return found


def site_text(site: Path) -> dict[str, str]:
    if not (site / "index.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{site} is not built: run ./course test")
        pytest.skip(f"{site} is not built: run ./course test")
    texts = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "mathjax" not in path.parts:
            raw = path.read_text(encoding="utf-8", errors="ignore")
            if path.suffix == ".html":
                raw = html.unescape(re.sub(r"<[^>]+>", " ", raw))
            texts[str(path.relative_to(site))] = " ".join(_words(raw)).lower()
    return texts


SECRETS = secret_passages()


def test_the_book_has_solutions_and_teaching_notes():
    assert any("solution" in where for where in SECRETS), "no exercise solution found in chapters/"
    assert any(where.startswith("teaching-notes") for where in SECRETS), "no teaching note found"


def test_instructor_edition_shows_every_solution_and_note():
    texts = site_text(INSTRUCTOR)
    missing = [where for where, words in SECRETS.items()
               if not any(words in text for text in texts.values())]
    assert not missing, f"not found in the instructor edition (is the passage extraction broken?): {missing}"


def test_student_edition_leaks_no_solution_and_no_note():
    texts = site_text(STUDENT)
    leaks = [f"{where} -> {file}" for where, words in SECRETS.items()
             for file, text in texts.items() if words in text]
    assert not leaks, "the student edition publishes instructor-only text:\n" + "\n".join(leaks)
    assert not (STUDENT / "teaching-notes").exists()
