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
import unicodedata
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
    """The words of ``text``; NFKC first, so "10⁶" reads "106" as a PDF's text does."""
    return re.findall(r"[A-Za-z0-9]+", unicodedata.normalize("NFKC", text))


def passage(markdown: str, length: int = 8) -> str | None:
    """A run of ``length`` words from the longest line of plain prose in ``markdown``."""
    lines = [line for line in _OPTION.sub("", markdown).splitlines() if not re.match(r"\s*([`:]{3}|\$\$|\||#)", line)]
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
    missing = [where for where, words in SECRETS.items() if not any(words in text for text in texts.values())]
    assert not missing, f"not found in the instructor edition (is the passage extraction broken?): {missing}"


def test_student_edition_leaks_no_solution_and_no_note():
    texts = site_text(STUDENT)
    leaks = [f"{where} -> {file}" for where, words in SECRETS.items() for file, text in texts.items() if words in text]
    assert not leaks, "the student edition publishes instructor-only text:\n" + "\n".join(leaks)
    assert not (STUDENT / "teaching-notes").exists()


# --------------------------------------------------------------------------- solution numbers
# A solution's passage can stay secret while a code cell on the same page prints its answer
# (a loop printing the equilibria the solution names, a table holding the margin it states).
# So the numbers of every solution are looked for too, on the exercise's page of the student
# edition. Only a solution's *distinctive* numbers count: those that appear nowhere in the
# page's source outside solutions (the exercise, the prose, the code that sets the inputs),
# since the page may show those freely. Numbers are compared as a reader would: "USD 4.18
# million" is stated by "4182000.0", "66%" by "0.661", in whatever sign (a loss is "−4.667" in a
# table and "a loss of 4.67" in prose).

_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(%|percent\b|million\b|billion\b|bn\b|trillion\b)|(M\b|m\b))?",
    re.I,
)
_SCALE = {"%": 0.01, "percent": 0.01, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
_ARTICLE = re.compile(r"<article\b[^>]*>(.*)</article>", re.S)
_SECTION_NUMBER = re.compile(r'<span class="section-number">[^<]*</span>')


def numbers(text: str) -> set[tuple[float, float]]:
    """Every number in ``text`` as (absolute value, half the unit of its last significant digit), scaled by
    a following %, million, billion... (and also unscaled: a table may drop the unit)."""
    found = set()
    for whole, decimals, unit, attached in _NUMBER.findall(text.replace("\u2009", "").replace("\u202f", "")):
        unit = unit or attached
        digits = whole.replace(",", "") + (decimals or "")
        # The unit of the last significant digit: "4.67" 0.01, "6,950" 10 (a rounded figure).
        zeros = len(digits) - len(digits.rstrip("0")) if not decimals and digits.strip("0") else 0
        half = 0.5 * 10.0 ** (-(len(decimals) - 1) if decimals else zeros)
        value = float(digits)
        found.add((value, half))
        if unit:
            scale = _SCALE[unit.lower()]
            found.add((value * scale, half * scale))
    return found


def _states(shown: set[tuple[float, float]], number: tuple[float, float]) -> bool:
    """True when a shown number, as precise or more, rounds to ``number``."""
    value, half = number
    return any(h <= half * (1 + 1e-9) and abs(v - value) <= half * (1 + 1e-9) for v, h in shown)


def _significant_digits(value: float) -> int:
    """2 for 13 or 0.77 or USD 13 million; 1 for 2.00 or 0.2: a one-digit figure ("year 2",
    "$2.00") is too common on any page to tell an answer from a coincidence."""
    mantissa = f"{value:.10e}".split("e")[0].replace(".", "").replace("-", "")
    return len(mantissa.rstrip("0")) or 1


def notebook_sources(path: Path) -> tuple[str, str]:
    """(markdown, code) of a notebook or text page, the solutions still in the markdown."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = lambda kind: "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == kind)  # noqa: E731
        return text("markdown"), text("code")
    return path.read_text(encoding="utf-8"), ""


def data_numbers(code: str) -> set[tuple[float, float]]:
    """Numbers a page may show from data/: every calculator input of the scenario files, and the
    tables its code loads by name (a solution that restates an input or a sourced figure is not
    leaked by the table that lists it)."""
    import csv

    found = set()
    for table in sorted((ROOT / "data").glob("*_scenarios.csv")):
        with table.open(encoding="utf-8") as handle:
            found |= numbers(" ".join(row["value"] for row in csv.DictReader(handle)))
    for name in sorted(set(re.findall(r"""load_table\(["'](\w+)["']\)""", code))):
        found |= numbers((ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8"))
    return found


def calculator_numbers(code: str) -> set[tuple[float, float]]:
    """Numbers the page's calculators show at their defaults (inputs, results rows, verdict): the
    calculator is the tool an exercise asks students to use, so what it shows is public, like the
    prose (its verdict can be hidden in class: ``?reading=hide``)."""
    from omcd.charts.registry import get

    found = set()
    for name in sorted(set(re.findall(r"""site_chart\(.*?,\s*["'](\w+)["']\)""", code))):
        calc = get(name)
        if calc is not None:
            texts = calc.texts(calc.defaults())
            found |= numbers(" ".join([*texts["inputs"].values(), *(v for _, v in texts["rows"]), texts["verdict"]]))
    return found


def solution_numbers() -> dict[str, dict[str, set[tuple[float, float]]]]:
    """{page: {solution: its distinctive numbers}} for every chapter page with a solution."""
    pages = {}
    for path in sorted((ROOT / "chapters").rglob("*")):
        if path.suffix not in (".ipynb", ".md") or ".ipynb_checkpoints" in path.parts:
            continue
        markdown, code = notebook_sources(path)
        solutions = list(_SOLUTION.finditer(markdown))
        if not solutions:
            continue
        public = numbers(_SOLUTION.sub(" ", markdown) + "\n" + code) | data_numbers(code) | calculator_numbers(code)
        found = {}
        for index, match in enumerate(solutions):
            body = _OPTION.sub("", match.group(2))
            distinctive = {n for n in numbers(body) if _significant_digits(n[0]) >= 2 and not _states(public, n)}
            found[f"solution {index + 1} ({match.group(0).splitlines()[0].split('}')[-1].strip()})"] = distinctive
        pages[path.relative_to(ROOT).with_suffix(".html").as_posix()] = found
    return pages


def visible_numbers(page: Path) -> set[tuple[float, float]]:
    """Numbers a reader sees in the page's article (not its navigation, footer or section numbers)."""
    article = _ARTICLE.search(page.read_text(encoding="utf-8"))
    raw = _SECTION_NUMBER.sub(" ", _SCRIPT_OR_STYLE.sub(" ", article.group(1)))
    return numbers(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


SOLUTION_NUMBERS = solution_numbers()


def test_the_solutions_state_distinctive_numbers():
    """Guard for the test below: it checks something only if solutions carry numbers of their own."""
    counts = {page: sum(len(n) for n in found.values()) for page, found in SOLUTION_NUMBERS.items()}
    assert len(counts) >= 5 and all(counts.values()), counts


def test_numbers_extracted_as_a_reader_reads_them():
    assert _states(numbers("a loss of USD 4.67bn"), (4.667e9, 0.0005e9)) is False  # less precise
    assert _states(numbers("margin (USD bn) -4.667"), next(iter(numbers("4.67"))))
    assert _states(numbers("{1.5: 4182000.0}"), (4.18e6, 0.005e6))
    assert _states(numbers("0.661"), (0.66, 0.005)) and not _states(numbers("0.67"), (0.66, 0.005))
    assert (0.244, 0.0005) in numbers("24.4%") and (24.4, 0.05) in numbers("24.4%")
    assert (13e6, 0.5e6) in numbers("closed $13m") and (5e8, 0.5e8) in numbers("well above $500M")
    assert _states(numbers("NPV -6,950.92"), (6950, 5)) and not _states(numbers("about 7,000"), (6950, 5))
    assert [_significant_digits(v) for v in (2.0, 0.2, 13e6, 0.77, 6950, 1.01e10)] == [1, 1, 2, 2, 3, 3]


def test_student_edition_states_no_solution_number_on_the_exercise_page():
    site_text(STUDENT)  # fails or skips when the site is not built
    leaks = []
    for page, found in SOLUTION_NUMBERS.items():
        shown = visible_numbers(STUDENT / page)
        for where, distinctive in found.items():
            stated = sorted(value for value, half in distinctive if _states(shown, (value, half)))
            if stated:
                leaks.append(f"{page}, {where}: {', '.join(f'{v:g}' for v in stated)}")
    assert not leaks, (
        "the student edition's pages state numbers of their exercises' solutions (tag the "
        "code cell that prints them `solution-output`):\n" + "\n".join(leaks)
    )


def test_instructor_edition_shows_the_solution_numbers():
    site_text(INSTRUCTOR)
    missing = []
    for page, found in SOLUTION_NUMBERS.items():
        shown = visible_numbers(INSTRUCTOR / page)
        for where, distinctive in found.items():
            missing += [f"{page}, {where}: {v:g}" for v, h in distinctive if not _states(shown, (v, h))]
    assert not missing, "solution numbers not found in the instructor edition:\n" + "\n".join(missing)
