"""The teaching notes, their class activities and the "Prepare for class" boxes.

Without a build:
- every group of every activity (omcd/teaching.py) opens a scenario the site accepts: each value
  inside its range and on its slider's step, the link carrying exactly those inputs to the page
  that shows the calculator, ``reading=hide`` exactly when the activity hides the verdict;
- every number an activity asks for is a results row the calculator shows;
- every QR code of a class sheet decodes, with an independent decoder, to its group's link;
- each chapter page's "Prepare for class" box lists its teaching note's assignment questions.

On the built editions (``./course site`` and ``./course site --instructor``):
- each note has an Analysis that answers every assignment question, every exercise of its chapter
  and every question of its graded assignment;
- each note's session plan runs from 0 to 90 minutes without a gap;
- each class sheet holds every activity and group, and its codes and links agree;
- the student edition holds no Analysis text and no class sheet; its "Prepare for class" boxes
  state no answer.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from qr_decode import decode, svg_modules

from omcd.assignments import ASSIGNMENTS
from omcd.data import scenario_values
from omcd.qr import calculator_pages, site_url
from omcd.teaching import ACTIVITIES, HIDE_READING, SHEET_PAGES, Activity, Group, sheets_html

ROOT = Path(__file__).resolve().parent.parent
STUDENT = Path(os.environ.get("OMCD_SITE_DIR", ROOT / "_build" / "html"))
INSTRUCTOR = Path(os.environ.get("OMCD_INSTRUCTOR_SITE_DIR", ROOT / "_build" / "instructor" / "_build" / "html"))
CHAPTERS = {"ch1": "01-open-source-catalyst", "ch2": "02-competition", "ch3": "03-cloud-economics"}
NOTES = {"ch1": "ch1-open-source-catalyst", "ch2": "ch2-competition", "ch3": "ch3-cloud-economics"}

CASES = [(act, index, group) for acts in ACTIVITIES.values() for act in acts for index, group in enumerate(act.groups)]
IDS = [f"{act.anchor}-group-{index + 1}" for act, index, _ in CASES]


def _params(act: Activity):
    import importlib

    return importlib.import_module(f"omcd.models.{act.calculator}").PARAMS


# Without a build ----------------------------------------------------------------------------------


def test_every_chapter_has_activities_with_distinct_groups():
    assert set(ACTIVITIES) == set(CHAPTERS) == set(SHEET_PAGES)
    for chapter, acts in ACTIVITIES.items():
        assert acts, chapter
        assert [a.number for a in acts] == list(range(1, len(acts) + 1)), chapter
        for act in acts:
            assert act.chapter == chapter and len(act.groups) >= 3, act.anchor
            links = [act.link(g) for g in act.groups]
            assert len(set(links)) == len(links), f"{act.anchor}: two groups open the same scenario"
            settings = [g.setting for g in act.groups]
            assert len(set(settings)) == len(settings), f"{act.anchor}: two groups are described alike"


@pytest.mark.parametrize("act, index, group", CASES, ids=IDS)
def test_a_group_link_opens_its_scenario_as_the_site_reads_it(act, index, group):
    inputs = act.inputs(group)
    wanted = {**scenario_values(act.calculator, group.scenario), **group.values}
    assert inputs == pytest.approx(wanted)
    for p in _params(act):  # inside the range and on the slider's grid: the page opens it with no notice
        assert p.minimum <= inputs[p.name] <= p.maximum, p.name
        assert p.snap(inputs[p.name]) == pytest.approx(inputs[p.name], abs=1e-9), p.name
    link = act.link(group)
    parts = urlsplit(link)
    assert link.startswith(site_url())
    assert parts.path.endswith("/" + calculator_pages()[act.calculator] + ".html")
    query = parse_qsl(parts.query)
    carried = {k.split(".", 1)[1]: float(v) for k, v in query if k.startswith(act.calculator + ".")}
    assert carried == pytest.approx(inputs) and set(carried) == {p.name for p in _params(act)}
    others = [f"{k}={v}" for k, v in query if not k.startswith(act.calculator + ".")]
    assert others == ([HIDE_READING] if act.hide_reading else [])
    local = act.link(group, "../")
    assert local == "../" + link[len(site_url()) :], "the link inside the instructor edition differs"


def test_a_value_off_the_slider_grid_or_out_of_range_is_refused():
    act = ACTIVITIES["ch2"][0]
    with pytest.raises(ValueError, match="first_mover_share = 0.555 is not on its slider's step"):
        act.inputs(Group("between steps", "deepseek_shock_2025", {"first_mover_share": 0.555}))
    with pytest.raises(ValueError, match="outside its valid range"):
        act.inputs(Group("too high", "deepseek_shock_2025", {"first_mover_share": 1.5}))


@pytest.mark.parametrize("act", [a for acts in ACTIVITIES.values() for a in acts], ids=lambda a: a.anchor)
def test_every_number_an_activity_asks_for_is_shown_by_the_calculator(act):
    from omcd.charts import registry

    calc = registry.get(act.calculator)
    shown = [label.strip() for label, _ in calc.texts(calc.defaults())["rows"]]
    assert set(act.reads) <= set(shown), f"{act.anchor} reads rows the calculator does not show"
    for group in act.groups:
        found = act.found(group)
        assert [what for what, _ in found] == list(act.reads) + [e.header for e in act.extras]
        rows = dict((label.strip(), text) for label, text in calc.texts(act.inputs(group))["rows"])
        for what, text in found[: len(act.reads)]:
            assert text == rows[what] and text.strip(), (act.anchor, group.setting, what)
    broken = Activity(act.chapter, 99, "x", act.calculator, 1, "x", ("No such row",), act.groups[:1])
    with pytest.raises(ValueError, match="does not show"):
        broken.found(act.groups[0])


_CARD = re.compile(r'<li id="([^"]+)" data-group="(\d+)" data-link="([^"]+)">(.*?)</li>', re.S)


def cards(page_html: str) -> list[tuple[str, str, str]]:
    """(card id, link, card HTML) of every group card of a class sheet."""
    import html

    return [(cid, html.unescape(link), body) for cid, _, link, body in _CARD.findall(page_html)]


@pytest.mark.parametrize("chapter", sorted(ACTIVITIES))
def test_every_qr_code_of_a_class_sheet_decodes_to_its_group_link(chapter):
    import html

    found = cards(sheets_html(chapter))
    expected = [(f"{a.anchor}-group-{i + 1}", a.link(g)) for a in ACTIVITIES[chapter] for i, g in enumerate(a.groups)]
    assert [(cid, link) for cid, link, _ in found] == expected
    for cid, link, body in found:
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        assert decode(svg_modules(svg)) == link, cid
        hrefs = [html.unescape(h) for h in re.findall(r'href="([^"#][^"]*)"', body)]
        assert link in hrefs and "../" + link[len(site_url()) :] in hrefs, cid


def test_a_sheet_for_another_address_points_every_code_there():
    base = "http://192.168.1.20:8000/"
    found = cards(sheets_html("ch1", base=base, local_base=None))
    assert found and all(link.startswith(base) for _, link, _ in found)
    for _, link, body in found:
        assert decode(svg_modules(re.search(r"<svg.*?</svg>", body, re.S).group(0))) == link
        assert "open here" not in body


def note_source(chapter: str) -> str:
    return (ROOT / "teaching-notes" / f"{NOTES[chapter]}.md").read_text(encoding="utf-8")


def numbered_items(markdown: str) -> list[str]:
    """The items of the first numbered list in ``markdown``, each on one line."""
    items, current = [], None
    for line in markdown.splitlines():
        match = re.match(r"^(\d+)\. (.*)", line)
        if match:
            current = [match.group(2)]
            items.append(current)
        elif current is not None and line.startswith("   ") and line.strip():
            current.append(line.strip())
        elif current is not None and not line.strip():
            if items:
                break
    return [" ".join(parts) for parts in items]


def note_questions(chapter: str) -> list[str]:
    section = note_source(chapter).split("## Assignment questions\n", 1)[1].split("\n## ", 1)[0]
    return numbered_items(section)


def prepare_box(chapter: str) -> str:
    page = (ROOT / "chapters" / CHAPTERS[chapter] / "index.md").read_text(encoding="utf-8")
    match = re.search(r"^```\{admonition\} Prepare for class\n(.*?)^```$", page, re.S | re.M)
    assert match, f"chapters/{CHAPTERS[chapter]}/index.md has no 'Prepare for class' box"
    return match.group(1)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_the_prepare_box_lists_the_notes_assignment_questions(chapter):
    questions = note_questions(chapter)
    assert len(questions) >= 3
    assert numbered_items(prepare_box(chapter)) == questions
    page = (ROOT / "chapters" / CHAPTERS[chapter] / "index.md").read_text(encoding="utf-8")
    container = re.search(r"^:::\{container\} chapter-overview\n(.*?)^:::$", page, re.S | re.M).group(1)
    assert "Prepare for class" in container, "the box must sit inside the chapter-overview container"


# On the built editions ----------------------------------------------------------------------------


def built(site: Path) -> Path:
    if not (site / "intro.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{site} is not built: run ./course test")
        pytest.skip(f"{site} is not built: run ./course site and ./course site --instructor")
    return site


@cache
def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((built(site) / path).read_text(encoding="utf-8"), "html.parser")


def section(soup: BeautifulSoup, title: str):
    for heading in soup.select("article h2, article h3"):
        if heading.get_text(" ", strip=True).rstrip("#").strip().replace("’", "'") == title:
            return heading.find_parent("section")
    return None


def _text(node) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", node.get_text(" ", strip=True)))


def exercise_labels(chapter: str) -> list[str]:
    labels = []
    for path in sorted((ROOT / "chapters" / CHAPTERS[chapter]).iterdir()):
        if path.suffix == ".ipynb":
            text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"])
        elif path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        else:
            continue
        labels += re.findall(r"\{exercise\}\n:label: (\S+)", text)
    return labels


@pytest.mark.parametrize("chapter", sorted(NOTES))
def test_the_analysis_answers_every_question_exercise_and_assignment_question(chapter):
    soup = page(INSTRUCTOR, f"teaching-notes/{NOTES[chapter]}.html")
    analysis = section(soup, "Analysis")
    assert analysis is not None, "no Analysis section"
    answers = section(analysis, "Answers to the assignment questions")
    starts = [_text(p.strong) for p in answers.select("p") if p.strong]
    wanted = [f"Question {n}:" for n in range(1, len(note_questions(chapter)) + 1)]
    assert [s.split(":")[0] + ":" for s in starts if s.startswith("Question")] == wanted
    for p in answers.select("p"):
        if p.strong and _text(p.strong).startswith("Question"):
            assert p.em is not None and len(_text(p)) > 250, f"a thin answer: {_text(p)[:80]}"
    exercises = section(analysis, "The chapter's exercises")
    linked = {a["href"].split("#")[1] for a in exercises.select("a[href*='#']")}
    labels = exercise_labels(chapter)
    assert labels and not set(labels) - linked, f"exercises without a model answer: {set(labels) - linked}"
    graded = section(analysis, "The graded assignment")
    spec = ASSIGNMENTS[chapter]
    table = graded.select_one(f"table[data-assignment-answers='{chapter}']")
    ids = [_text(th) for th in table.select("tbody th")]
    assert ids == [q.id.upper() for q in spec.questions]
    for row, q in zip(table.select("tbody tr"), spec.questions):
        answer = _text(row.select("td")[1])
        assert answer and answer != "None", q.id
    for q in spec.questions:
        if not q.scored:
            number = q.id[1:]
            assert any(
                _text(p).startswith(f"Question {number} (written)") and len(_text(p)) > 300 for p in graded.select("p")
            ), f"no model answer to the written question {q.id}"


@pytest.mark.parametrize("chapter", sorted(NOTES))
def test_the_session_plan_runs_from_0_to_90_minutes(chapter):
    soup = page(INSTRUCTOR, f"teaching-notes/{NOTES[chapter]}.html")
    plan = section(soup, "Session plan (90 minutes)")
    times = [_text(row.select_one("td")) for row in plan.select("table")[0].select("tbody tr")]
    spans = [tuple(int(x) for x in re.fullmatch(r"(\d+)–(\d+) min", t).groups()) for t in times]
    assert spans[0][0] == 0 and spans[-1][1] == 90
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), spans
    activities = [t for t in (_text(r) for r in plan.select("table")[0].select("tbody tr")) if "Activity" in t]
    assert len(activities) == len(ACTIVITIES[chapter])
    for act in ACTIVITIES[chapter]:  # each activity block lasts the activity's minutes
        row = next(r for r in plan.select("table")[0].select("tbody tr") if f"Activity {act.number}" in _text(r))
        start, end = (int(x) for x in re.findall(r"\d+", _text(row.select_one("td"))))
        assert end - start == act.minutes, act.anchor


@pytest.mark.parametrize("chapter", sorted(SHEET_PAGES))
def test_the_built_class_sheet_holds_every_group_and_its_codes_decode(chapter):
    path = f"teaching-notes/{SHEET_PAGES[chapter]}.html"
    html_text = (built(INSTRUCTOR) / path).read_text(encoding="utf-8")
    found = cards(html_text)
    expected = [(f"{a.anchor}-group-{i + 1}", a.link(g)) for a in ACTIVITIES[chapter] for i, g in enumerate(a.groups)]
    assert [(cid, link) for cid, link, _ in found] == expected
    for cid, link, body in found:
        assert decode(svg_modules(re.search(r"<svg.*?</svg>", body, re.S).group(0))) == link, cid
        local = BeautifulSoup(body, "html.parser").find("a", string="open here")["href"]
        target = urlsplit(urljoin("https://x.test/" + path, local))
        assert (built(INSTRUCTOR) / target.path.lstrip("/")).is_file(), local
        assert target.path.lstrip("/") + "?" + target.query == link[len(site_url()) :], cid


@pytest.mark.parametrize("chapter", sorted(NOTES))
def test_every_link_of_a_note_leads_to_a_page_and_anchor_that_exist(chapter):
    path = f"teaching-notes/{NOTES[chapter]}.html"
    soup = page(INSTRUCTOR, path)
    for a in soup.select("article a[href]"):
        href = a["href"]
        if href.startswith(("http", "mailto:")) or href.startswith("#") and not href[1:]:
            continue
        target = urlsplit(urljoin("https://x.test/" + path, href))
        file = built(INSTRUCTOR) / target.path.lstrip("/")
        assert file.is_file(), href
        if target.fragment:
            assert f'id="{target.fragment}"' in file.read_text(encoding="utf-8"), href


@lru_cache(maxsize=1)
def student_text() -> str:
    texts = []
    for path in built(STUDENT).rglob("*"):
        if path.is_file() and path.suffix in {".html", ".js", ".txt", ".json", ".ipynb", ".md"}:
            raw = path.read_text(encoding="utf-8", errors="ignore")
            if path.suffix == ".html":
                raw = re.sub(r"<[^>]+>", " ", raw)
            texts.append(raw)
    import html

    return " ".join(re.findall(r"[a-z0-9]+", html.unescape(" ".join(texts)).lower()))


def passages(node, length: int = 9) -> list[str]:
    """Every run of ``length`` words, end to end, of every paragraph and list item of ``node``
    (quotations left out: a note may quote the chapter), so that any sentence of twice that length
    copied from it holds one of them."""
    found = []
    for block in node.select("p, li"):
        block = BeautifulSoup(str(block), "html.parser")
        for maths in block.select("math, .math"):
            maths.decompose()
        text = re.sub(r"“[^”]*”", " ", _text(block))
        words = re.findall(r"[a-z0-9]+", text.lower())
        found += [" ".join(words[i : i + length]) for i in range(0, len(words) - length + 1, length)]
    return found


@lru_cache(maxsize=1)
def public_sources() -> str:
    """The words of what the course publishes by design: the chapters' prose and exercises (not their
    solutions), the glossary, the quizzes and data/. An Analysis may restate these."""
    from test_editions import _SOLUTION, notebook_markdown

    texts = []
    for path in sorted((ROOT / "chapters").rglob("*")):
        if path.suffix in (".md", ".ipynb"):
            texts.append(
                _SOLUTION.sub(
                    " ", notebook_markdown(path) if path.suffix == ".ipynb" else path.read_text(encoding="utf-8")
                )
            )
    texts += [(ROOT / name).read_text(encoding="utf-8") for name in ("glossary.md", "intro.md", "omcd/quiz.py")]
    texts += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "data").glob("*.csv"))]
    # What the calculators show at their defaults (texts, and the price lists the token-cost chart
    # labels, in the chart's order): the page draws the chart at build time, so its labels are in
    # the student edition by design.
    from omcd.charts.registry import all_calculators
    from omcd.charts.token_cost import price_cards

    for calc in all_calculators():
        shown = calc.texts(calc.defaults())
        texts += [*shown["inputs"].values(), *(f"{label} {value}" for label, value in shown["rows"]), shown["verdict"]]
        texts.append(" ".join(label for label, _ in shown["rows"]))  # the page's data lists the labels in order
    texts.append(" ".join(price_cards()["label"]))
    return " ".join(re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", " ".join(texts)).lower()))


@pytest.mark.parametrize("chapter", sorted(NOTES))
def test_the_student_edition_holds_no_analysis_and_no_class_sheet(chapter):
    soup = page(INSTRUCTOR, f"teaching-notes/{NOTES[chapter]}.html")
    secret = [p for p in passages(section(soup, "Analysis")) if p not in public_sources()]
    assert len(secret) >= 50
    text = student_text()
    leaks = [p for p in secret if p in text]
    assert not leaks, f"the student edition publishes the Analysis of {chapter}: {leaks[:3]}"
    assert not (STUDENT / "teaching-notes").exists()
    assert "omcd-sheet" not in text.replace(" ", "-") and "omcd qr" not in text


def _numbers(text: str) -> set[str]:
    """The numbers of ``text`` written as numbers (not the digits of a name such as H100 or R1)."""
    return {n.rstrip(".,") for n in re.findall(r"(?<![A-Za-z\d.,])\d[\d,]*(?:\.\d+)?", text)} - {""}


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_the_student_prepare_box_states_no_answer(chapter):
    box = page(STUDENT, f"chapters/{CHAPTERS[chapter]}/index.html").select_one("div.omcd-prepare")
    assert box is not None, "no 'Prepare for class' box on the student edition's chapter page"
    assert box.find_parent("div", class_="chapter-overview") is not None
    shown = _text(box)
    items = [_text(li) for li in box.select("ol > li")]
    assert len(items) == len(note_questions(chapter))
    answers = section(
        section(page(INSTRUCTOR, f"teaching-notes/{NOTES[chapter]}.html"), "Analysis"),
        "Answers to the assignment questions",
    )
    checked = 0
    for p in answers.select("p"):
        if not (p.strong and _text(p.strong).startswith("Question")):
            continue
        number = int(re.search(r"\d+", _text(p.strong)).group(0))
        key = _text(p.em)
        assert key.lower() not in shown.lower(), f"the box states the answer to question {number}: {key!r}"
        # Numbers of the answer that its question does not state must not appear in the box.
        own = _numbers(items[number - 1])
        answer = _text(p)[len(_text(p.strong)) :]  # without its "Question N: ..." label
        stated = [n for n in _numbers(answer) - own if not re.fullmatch(r"(19|20)\d\d", n)]
        leaked = [n for n in stated if n in _numbers(shown)]
        assert not leaked, f"the box shows numbers of the answer to question {number}: {leaked}"
        checked += 1
    assert checked == len(items)
