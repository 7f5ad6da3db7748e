"""The class activities' links, sheets and notes, in Chromium (after ./course site and
./course site --instructor).

- Every group's public link, opened on the student edition (the public site), sets every input of
  the calculator to the group's scenario, shows no notice, hides the verdict exactly when the
  activity asks, and shows the numbers the teaching note says the group will find. Each
  activity's "open here" link does the same inside the instructor edition.
- Each class sheet, printed by Chromium's print engine, puts every activity on one page of its own.
- The teaching notes and class sheets load with no error and no serious accessibility violation.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from omcd.devtools import SiteServer, print_pdf
from omcd.qr import site_url
from omcd.teaching import ACTIVITIES, SHEET_PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
INSTRUCTOR = Path(os.environ.get("OMCD_INSTRUCTOR_SITE_DIR", ROOT / "_build" / "instructor" / "_build" / "html"))
NOTES = ["ch1-open-source-catalyst", "ch2-competition", "ch3-cloud-economics"]
ACTS = [act for acts in ACTIVITIES.values() for act in acts]

_READ = """
figure => {
  const text = e => e ? e.textContent.replace(/\\s+/g, " ").trim() : null;
  const verdict = figure.querySelector(".omcd-verdict");
  return {
    notice: text(figure.querySelector(".omcd-notice")),
    rows: [...figure.querySelectorAll("table.omcd-results tbody tr")].map(
      tr => [text(tr.querySelector("th")), text(tr.querySelector("td"))]),
    verdictShown: verdict ? verdict.getClientRects().length > 0 : null,
    switchOn: figure.querySelector(".omcd-verdict-switch")?.checked ?? null,
  };
}
"""


@pytest.fixture(scope="session")
def instructor_url():
    if not (INSTRUCTOR / "index.html").is_file():
        pytest.fail(
            f"The instructor edition is not built ({INSTRUCTOR}): run ./course site --instructor", pytrace=False
        )
    with SiteServer(INSTRUCTOR) as server:
        yield server.url


@pytest.fixture()
def open_link(browser):
    """Opens a link in a fresh page; the pages of one test share a context (and its cache)."""
    contexts = {}

    def open_(url: str, calculator: str):
        root = urlsplit(url)._replace(path="/", query="", fragment="").geturl()
        if root not in contexts:
            contexts[root] = context = browser.new_context()
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(root) else r.abort())
        for old in contexts[root].pages:
            old.close()
        page = contexts[root].new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        figure = page.wait_for_selector(
            f"figure.omcd-calc[data-calculator='{calculator}'][data-ready='true']", timeout=15_000
        )
        return page, figure, errors

    yield open_
    for context in contexts.values():
        context.close()


def check_group(page, figure, errors, act, group) -> list[str]:
    inputs = act.inputs(group)
    figure_id = figure.get_attribute("id")
    names = list(inputs)
    problems = []
    signals = page.evaluate(
        "([id, names]) => Object.fromEntries(names.map(n => [n, window.omcdViews[id].signal(n)]))", [figure_id, names]
    )
    for name, value in inputs.items():
        if not math.isclose(signals[name], value, rel_tol=1e-9, abs_tol=1e-12):
            problems.append(f"{name} = {signals[name]}, the link says {value}")
    wanted = dict(act.found(group)[: len(act.reads)])
    page.wait_for_function(  # the results rows follow the inputs once the page has applied them
        "([figure, wanted]) => Object.entries(wanted).every(([label, value]) => [...figure.querySelectorAll("
        "'table.omcd-results tbody tr')].some(tr => tr.querySelector('th').textContent.trim() === label && "
        "tr.querySelector('td').textContent.replace(/\\s+/g, ' ').trim() === value))",
        arg=[figure, wanted],
        timeout=10_000,
        polling=100,
    ) if not problems else None
    shown = figure.evaluate(_READ)
    if shown["notice"]:
        problems.append(f"the page shows a notice: {shown['notice']!r}")
    rows = {label: value for label, value in shown["rows"]}
    for label, value in wanted.items():
        if rows.get(label) != value:
            problems.append(f"row {label!r} shows {rows.get(label)!r}, the note says {value!r}")
    drawn = figure.evaluate("f => [...f.querySelectorAll('svg text')].map(t => t.textContent.trim())")
    for extra in act.extras:  # a number read off the chart: its text is drawn
        if extra.drawn is not None and extra.drawn(inputs) not in drawn:
            problems.append(f"{extra.header}: the chart draws no {extra.drawn(inputs)!r} ({extra.where})")
    if shown["verdictShown"] is act.hide_reading or shown["switchOn"] is act.hide_reading:
        problems.append(
            f"the reading is {'shown' if shown['verdictShown'] else 'hidden'}; "
            f"the activity {'hides' if act.hide_reading else 'shows'} it"
        )
    problems += [f"page error: {e}" for e in errors]
    return [f"{act.anchor}, {group.setting!r}: {p}" for p in problems]


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.anchor)
def test_every_public_link_opens_its_groups_scenario_on_the_student_site(open_link, base_url, act):
    problems = []
    for group in act.groups:
        path = act.link(group)[len(site_url()) :]
        page, figure, errors = open_link(base_url + path, act.calculator)
        problems += check_group(page, figure, errors, act, group)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("act", ACTS, ids=lambda a: a.anchor)
def test_the_open_here_links_work_in_the_instructor_edition(open_link, instructor_url, act):
    problems = []
    for group in act.groups[:2]:
        sheet = instructor_url + f"teaching-notes/{SHEET_PAGES[act.chapter]}.html"
        page, figure, errors = open_link(urljoin(sheet, act.link(group, "../")), act.calculator)
        problems += check_group(page, figure, errors, act, group)
    assert not problems, "\n".join(problems)


def test_the_checker_catches_a_wrong_link(open_link, base_url):
    """Guard for the test itself: a link one slider step off, or without reading=hide, fails."""
    act = ACTIVITIES["ch2"][0]
    group = act.groups[2]
    wrong = act.link(group)[len(site_url()) :].replace("first_mover_share=0.56", "first_mover_share=0.57")
    page, figure, errors = open_link(base_url + wrong, act.calculator)
    assert any("first_mover_share" in p for p in check_group(page, figure, errors, act, group))
    shown = act.link(group)[len(site_url()) :].replace("&reading=hide", "")
    page, figure, errors = open_link(base_url + shown, act.calculator)
    assert any("the reading is shown" in p for p in check_group(page, figure, errors, act, group))
    # A number read off the chart that the chart does not draw.
    buildout = ACTIVITIES["ch3"][2]
    extra = buildout.extras[1]
    wrong_label = dataclasses.replace(buildout, extras=(dataclasses.replace(extra, drawn=lambda x: "999.9"),))
    page, figure, errors = open_link(base_url + buildout.link(buildout.groups[0])[len(site_url()) :], "ai_buildout")
    assert check_group(page, figure, errors, buildout, buildout.groups[0]) == []
    assert any(
        "the chart draws no '999.9'" in p for p in check_group(page, figure, errors, wrong_label, buildout.groups[0])
    )


@pytest.mark.parametrize("chapter", sorted(SHEET_PAGES))
def test_each_activity_of_a_class_sheet_prints_on_one_page(browser, instructor_url, tmp_path, chapter):
    from pypdf import PdfReader

    target = tmp_path / f"{chapter}.pdf"
    print_pdf(browser, instructor_url, [f"teaching-notes/{SHEET_PAGES[chapter]}.html"], target)
    pages = [squash(p.extract_text() or "") for p in PdfReader(str(target)).pages]
    acts = ACTIVITIES[chapter]
    assert len(pages) == len(acts), f"{len(pages)} printed pages for {len(acts)} activities"
    for act in acts:
        where = [i for i, text in enumerate(pages) if squash(act.heading) in text]
        assert len(where) == 1, f"{act.heading!r} printed on pages {where}"
        text = pages[where[0]]
        for index, group in enumerate(act.groups):
            assert squash(f"Group {index + 1}") in text and squash(group.setting) in text, (act.anchor, group.setting)
        others = [a for a in acts if a is not act]
        assert not any(squash(a.heading) in text for a in others), f"{act.heading!r} shares its page"


def squash(text: str) -> str:
    """Letters and digits only (NFKC: a PDF's ligatures and line-broken words compare as written)."""
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKC", text).lower())


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize(
    "path", [f"teaching-notes/{n}.html" for n in NOTES] + [f"teaching-notes/{s}.html" for s in SHEET_PAGES.values()]
)
def test_notes_and_sheets_load_cleanly_and_pass_axe(browser, instructor_url, axe, path):
    context = browser.new_context()
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(instructor_url) else r.abort())
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None
    )
    try:
        page.goto(instructor_url + path, wait_until="networkidle")
        width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if width[0] > width[1]:
            problems.append(f"the page scrolls sideways ({width[0]} px wide in {width[1]})")
        for violation in axe.run(page).response["violations"]:
            if violation.get("impact") in ("serious", "critical"):
                targets = [" ".join(map(str, n.get("target", []))) for n in violation["nodes"]][:5]
                problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    finally:
        context.close()
    assert not problems, f"{path}:\n" + "\n".join(problems)
