"""data/ statuses, their notes and the page's words agree, and a figure's date is its source's date.

- A note that opens with a status word ("Illustrative:", "Derived:", "UNCERTAIN:", ...) carries
  the row's status: a price called uncertain in its note is not "sourced" in its status column.
- A row's ``source_date`` is a date its ``source`` names, whenever the source names one (a price
  read in an October 2024 article is dated 2024-10, not 2025).
- On the built pages, a calculator input qualified with a status word ("USD 6.90, uncertain",
  "the illustrative 70%") or a year ("the late-2024 price of USD 2.00") agrees with a data/ row
  holding that value.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SITES = {
    "student": Path(os.environ.get("OMCD_SITE_DIR", ROOT / "_build" / "html")),
    "instructor": Path(os.environ.get("OMCD_INSTRUCTOR_SITE_DIR", ROOT / "_build" / "instructor" / "_build" / "html")),
}


def rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(enumerate(csv.DictReader(handle), start=2))


def tables() -> list[Path]:
    return sorted(DATA.glob("*.csv"))


def status_of(row: dict[str, str]) -> str:
    return (row.get("status") or row.get("confidence") or "").strip()


# 1. The note's label and the status column -------------------------------------------------------

# The label a note opens with, and the statuses it allows.
NOTE_LABELS = {
    "illustrative": {"illustrative"},
    "derived": {"derived"},
    "uncertain": {"uncertain", "estimate"},
    "unverified": {"unverified"},
    "unsourced": {"unsourced"},
}


def note_label_problem(row: dict[str, str]) -> str | None:
    match = re.match(r"\s*([A-Za-z-]+)\s*:", row.get("note", ""))
    if not match or match.group(1).lower() not in NOTE_LABELS:
        return None
    label = match.group(1).lower()
    if status_of(row) not in NOTE_LABELS[label]:
        return f"note opens with {match.group(1)!r} but the status is {status_of(row)!r}"
    return None


def test_note_label_checker():
    assert note_label_problem({"status": "sourced", "note": "UNCERTAIN: one secondary source."})
    assert note_label_problem({"status": "uncertain", "note": "UNCERTAIN: one secondary source."}) is None
    assert note_label_problem({"status": "derived", "note": "Illustrative: no public figure."})
    assert note_label_problem({"status": "sourced", "note": "Middle of the range: see the source."}) is None


def test_a_status_word_opening_a_note_is_the_rows_status():
    problems = []
    for path in tables():
        for line, row in rows(path):
            why = note_label_problem(row)
            if why:
                problems.append(f"data/{path.name}:{line} ({row.get('parameter') or row.get('item') or ''}): {why}")
    assert not problems, "\n".join(problems)


# 2. A figure's date is its source's date ---------------------------------------------------------

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DATE = re.compile(
    r"\b(?P<y1>20[0-2]\d)-(?P<m1>[01]\d)(?:-(?P<d1>[0-3]\d))?\b"  # 2025-02-24, 2024-10
    r"|/(?P<y2>20[0-2]\d)/(?P<m2>[01]\d)/(?:(?P<d2>[0-3]\d)/)?"  # /2025/06/12/ in an address
    r"|(?<=/)(?P<y3>20[0-2]\d)(?P<m3>0[1-9]|1[0-2])(?P<d3>[0-2]\d|3[01])(?=[/.])"  # /20251226/ in an address
    r"|\b(?:(?P<d4>[0-3]?\d)\s+)?(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<y4>20[0-2]\d)\b",
    re.I,
)


def named_dates(text: str) -> list[tuple[int, int | None, int | None]]:
    """(year, month, day) of every explicit date in ``text``: ISO dates, dated addresses and
    'Oct 2024' or '12 June 2025'; a bare year names a title or a period, not a date, and is ignored."""
    found = []
    for m in _DATE.finditer(text):
        for y, mo, d in (("y1", "m1", "d1"), ("y2", "m2", "d2"), ("y3", "m3", "d3")):
            if m.group(y):
                found.append((int(m.group(y)), int(m.group(mo)), int(m.group(d)) if m.group(d) else None))
        if m.group("y4"):
            found.append(
                (
                    int(m.group("y4")),
                    _MONTHS.index(m.group("mon").lower()[:3]) + 1,
                    int(m.group("d4")) if m.group("d4") else None,
                )
            )
    return found


def agrees(source_date: str, dates: list[tuple[int, int | None, int | None]]) -> bool:
    parts = [int(p) for p in source_date.split("-")] + [None, None]
    year, month, day = parts[:3]
    return any(
        y == year and (month is None or m is None or m == month) and (day is None or d is None or d == day)
        for y, m, d in dates
    )


def test_date_checker():
    source = "Eugene Cheah, '$2 H100s' (Latent Space, Oct 2024), via https://chaincatcher.com/en/article/2148352"
    assert named_dates(source) == [(2024, 10, None)]
    assert not agrees("2025", named_dates(source)) and agrees("2024-10", named_dates(source))
    assert named_dates("CNA via ETtoday, https://www.ettoday.net/news/20251226/3090853.htm") == [(2025, 12, 26)]
    assert named_dates("Stanford HAI AI Index 2025; Alibaba December Quarter 2024 results") == []
    assert named_dates("People's Daily, http://en.people.cn/n3/2025/0224/c90000-20280703.html") == []
    assert agrees("2025-06", named_dates("AWS cut of June 2025; launch 2023/07/27 at /2023/07/27/"))


def test_source_date_is_a_date_its_source_names():
    """Assumptions (status illustrative) are dated when they were made; every other row's date is
    one its source names, where the source names any."""
    problems = []
    for path in tables():
        for line, row in rows(path):
            if "source" not in row or not row.get("source_date") or status_of(row) == "illustrative":
                continue
            dates = named_dates(row["source"])
            if dates and not agrees(row["source_date"], dates):
                problems.append(
                    f"data/{path.name}:{line}: source_date {row['source_date']} but the source is "
                    f"dated {sorted(set(dates))}: {row['source'][:80]!r}"
                )
    assert not problems, "\n".join(problems)


# 3. The page's words about a figure agree with data/ ----------------------------------------------

_NUMBER = r"(?:(?:USD|US\$|\$)\s?(?P<usd>\d[\d,]*(?:\.\d+)?)|(?P<pct>\d+(?:\.\d+)?)\s?%)"
_UNIT = r"(?:\s(?:an hour|a year|per GPU-hour|a GPU-hour|per hour|a month|per kWh))?"
_WORD = r"(?P<word>sourced|uncertain|illustrative|derived)"
_YEAR = r"(?:(?:late|early|mid)-)?(?P<year>20[0-2]\d)"
# "USD 6.90, uncertain" / "(USD 6.90, uncertain)" / "70% (illustrative)"
_WORD_AFTER = re.compile(_NUMBER + _UNIT + r"\s*[(,]\s*" + _WORD + r"\b", re.I)
# "the illustrative 70%" / "an illustrative USD 3,000"
_WORD_BEFORE = re.compile(r"\b" + _WORD + r"\s+(?:[A-Za-z-]+\s+){0,2}?" + _NUMBER, re.I)
# "the 2025 neocloud price of USD 2.50" / "the late-2024 trough of USD 2.00"
_YEAR_BEFORE = re.compile(r"\b" + _YEAR + r"\s+(?:[A-Za-z-]+\s+){1,3}?(?:of|at)\s+" + _NUMBER, re.I)
# "USD 2.50 an hour (the 2025 neocloud range)"
_YEAR_AFTER = re.compile(_NUMBER + _UNIT + r"\s*\((?:the\s+)?" + _YEAR + r"\b", re.I)
# A page's status word and the data statuses it may stand for.
WORD_STATUSES = {
    "sourced": {"sourced"},
    "uncertain": {"uncertain"},
    "illustrative": {"illustrative"},
    "derived": {"derived"},
}


def scenario_rows() -> list[dict[str, str]]:
    return [row for path in sorted(DATA.glob("*_scenarios.csv")) for _, row in rows(path)]


def rows_for(match: re.Match) -> list[dict[str, str]]:
    """The scenario rows whose value the matched figure shows (a percentage is a share)."""
    if match.group("usd"):
        value = float(match.group("usd").replace(",", ""))
        return [r for r in scenario_rows() if abs(float(r["value"]) - value) < 1e-9 and "USD" in r["unit"]]
    value = float(match.group("pct")) / 100
    return [r for r in scenario_rows() if abs(float(r["value"]) - value) < 1e-9 and "share" in r["unit"]]


def word_problems(text: str) -> list[str]:
    problems = []
    for pattern in (_WORD_AFTER, _WORD_BEFORE):
        for match in pattern.finditer(text):
            candidates = rows_for(match)
            word = match.group("word").lower()
            if candidates and not {status_of(r) for r in candidates} & WORD_STATUSES[word]:
                problems.append(f"{match.group(0)!r}: data/ says {sorted({status_of(r) for r in candidates})}")
    for pattern in (_YEAR_BEFORE, _YEAR_AFTER):
        for match in pattern.finditer(text):
            candidates = rows_for(match)
            years = {r["source_date"][:4] for r in candidates}
            if candidates and match.group("year") not in years:
                problems.append(f"{match.group(0)!r}: data/ dates it {sorted(years)}")
    return problems


def test_word_checker():
    hits = [m.group(0) for m in _WORD_AFTER.finditer("price (USD 6.90, uncertain) it breaks even")]
    assert hits == ["USD 6.90, uncertain"]
    assert [m.group(0) for m in _WORD_BEFORE.finditer("at the illustrative 70% its NPV")] == ["illustrative 70%"]
    assert not list(_WORD_AFTER.finditer("it needs 66%, and at the illustrative 70% it loses"))
    assert [m.group("year") for m in _YEAR_BEFORE.finditer("the late-2024 trough of USD 2.00")] == ["2024"]
    assert [m.group("year") for m in _YEAR_AFTER.finditer("USD 2.50 an hour (the 2025 neocloud range)")] == ["2025"]


def page_prose(path: Path) -> str:
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = page.select_one("article.bd-article")
    if body is None:
        return ""
    for hidden in body(["script", "style", "table", "figure", "noscript"]):
        hidden.decompose()
    return body.get_text(" ", strip=True)


@pytest.mark.parametrize("edition", list(SITES))
def test_page_words_about_a_figure_agree_with_data(edition):
    folder = SITES[edition]
    if not (folder / "intro.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the {edition} edition is not built")
        pytest.skip(f"the {edition} edition is not built")
    problems = []
    for page in sorted(folder.rglob("*.html")):
        if "_static" in page.parts:
            continue
        problems += [f"{edition}:{page.relative_to(folder).as_posix()}: {p}" for p in word_problems(page_prose(page))]
    assert not problems, "\n".join(problems)
