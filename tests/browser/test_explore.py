"""Exploring and taking away, for every calculator on every page (found in the built HTML):

* "Try this" steps: each step's button sets every input to the step's values (and the address),
  the chart changes when the inputs do, the step's text is shown and what it highlights is marked;
  Next walks on, Reset returns to the defaults.
* "Pin this scenario": the ghost (the chart's marks at the pinned inputs) and the pinned columns of
  the results stay put while the sliders move; the pinned texts and each change equal Python's
  (``SiteCalculator.texts`` and ``compare_texts``); the ghost is drawn on the live chart's scales
  (set the inputs back to the pinned ones and the ghost lies exactly on the chart); a reload from
  the page's link restores the comparison.
* "Take it away": the SVG and PNG are valid images of the chart with its title, the CSV holds
  every input and results row, each number equal to the model's and each text to Python's (with
  the pinned columns when a scenario is pinned), reached with the keyboard; the Python snippet
  runs in the students' environment and gives the same inputs and results; the citation names
  the course (CITATION.cff) and the scenario's link.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from omcd.charts._compile import vega_views
from omcd.charts.registry import get
from omcd.devtools import REPO_ROOT, SITE_DIR, START_ALL_CHARTS, calculator_figures

pytestmark = pytest.mark.browser

CASES = calculator_figures()
IDS = [f"{page}#{figure_id}" for page, figure_id, _ in CASES]


@pytest.fixture()
def open_page(browser, base_url):
    contexts = []

    def open_(path: str, figure_id: str, query: str = "", start: bool = True):
        """The page, its calculator started (``start``; otherwise it starts only when used: the
        charts do not start on their own, as if the reader had not come near them)."""
        context = browser.new_context(accept_downloads=True, viewport={"width": 1366, "height": 900})
        contexts.append(context)
        if not start:
            context.add_init_script("window.IntersectionObserver = class { observe() {} unobserve() {} };")
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"{error.name}: {error.message}"))
        page.on(
            "console", lambda m: page.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
        )
        page.goto(base_url + path + query)
        if start:
            page.evaluate(START_ALL_CHARTS)
            page.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def signals(page, figure_id: str, names) -> dict[str, float]:
    return page.evaluate(
        "([id, names]) => Object.fromEntries(names.map(n => [n, window.omcdViews[id].signal(n)]))",
        [figure_id, list(names)],
    )


def close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=1e-9, abs_tol=1e-12) for k in a)


def settle(page, figure_id: str) -> None:
    page.evaluate(
        """async id => {
      await Promise.all(window.omcdCalculators[id].views.map(v => v.runAsync()));
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }""",
        figure_id,
    )


def chart_svg(page, figure_id: str) -> str:
    settle(page, figure_id)
    return page.eval_on_selector(f"#{figure_id} .omcd-view[data-view='0'] svg", "svg => svg.outerHTML")


def table(page, figure_id: str) -> list[list[str]]:
    """The results table as the reader reads it: label, now, pinned, change."""
    return page.evaluate(
        """id => [...document.querySelectorAll(`#${id} table.omcd-results tbody tr`)].map(
        tr => [...tr.children].map(c => c.textContent.replace(/\\s+/g, " ").trim()))""",
        figure_id,
    )


def random_point(calc, rng: random.Random) -> dict[str, float]:
    return {p.name: p.snap(rng.uniform(p.minimum, p.maximum)) for p in calc.params}


def query_values(url: str, prefix: str) -> dict[str, float]:
    """The inputs in an address: ``gpu_cluster.`` gives the live ones, ``gpu_cluster.pin.`` the pinned."""
    return {
        k[len(prefix) :]: float(v[0])
        for k, v in parse_qs(urlsplit(url).query).items()
        if k.startswith(prefix) and "." not in k[len(prefix) :]
    }


ONE_EACH = list({name: (page, figure_id, name) for page, figure_id, name in reversed(CASES)}.values())


@pytest.mark.parametrize("path, figure_id, name", ONE_EACH, ids=[n for _, _, n in ONE_EACH])
def test_a_step_a_pin_or_an_export_used_before_the_chart_started_starts_it_and_works(open_page, path, figure_id, name):
    """Charts start lazily (when the reader comes near, or reaches for a control): a button of the
    calculator clicked before its chart started must start it and then do what it says. The click
    is the button's alone (no pointer or focus event that would start the chart first)."""
    calc = get(name)
    step = calc.steps()[1]
    ready = f"document.getElementById({figure_id!r}).dataset.ready === 'true'"
    click = "([id, selector]) => document.querySelector(`#${id} ${selector}`).click()"

    page = open_page(path, figure_id, start=False)
    page.wait_for_timeout(500)
    assert not page.evaluate(f"() => {ready}"), f"{name}: started although nothing asked it to"
    page.evaluate(click, [figure_id, "button.omcd-step[data-step='1']"])
    page.wait_for_function(f"() => {ready}", timeout=10_000)
    page.wait_for_function(
        "([id]) => document.querySelector(`#${id} button.omcd-step[data-step='1']`)"
        ".getAttribute('aria-pressed') === 'true'",
        arg=[figure_id],
    )
    now = signals(page, figure_id, [p.name for p in calc.params])
    assert close(now, step.values), f"{name}: after the early step, inputs {now}, expected {step.values}"
    assert step.title in page.locator(f"#{figure_id} .omcd-step-text").text_content()
    assert not page.problems, page.problems

    page = open_page(path, figure_id, start=False)
    page.evaluate(click, [figure_id, "button.omcd-pin"])
    page.wait_for_function(f"() => {ready}", timeout=10_000)
    page.wait_for_function(f"() => window.omcdCalculators[{figure_id!r}].pinned() !== null")
    assert page.locator(f"#{figure_id} button.omcd-pin").get_attribute("aria-pressed") == "true"
    assert close(query_values(page.url, f"{name}.pin."), calc.defaults())
    assert not page.problems, page.problems

    page = open_page(path, figure_id, start=False)
    with page.expect_download() as info:
        page.evaluate(click, [figure_id, "button[data-takeaway='csv']"])
    assert info.value.suggested_filename == f"{name}.csv"
    with open(info.value.path(), "rb") as handle:
        check_csv(handle.read(), calc, calc.defaults(), None, page.url)
    assert page.evaluate(f"() => {ready}")
    assert not page.problems, page.problems


def test_there_are_calculators_with_steps():
    assert len({name for _, _, name in CASES}) >= 6, CASES
    for page, _figure_id, name in CASES:
        assert 'class="omcd-step"' in (SITE_DIR / page).read_text(encoding="utf-8"), f"{page}: no steps for {name}"


# Try-this steps ---------------------------------------------------------------------------------

_HIGHLIGHTED = """id => {
  const figure = document.getElementById(id);
  const marks = [...figure.querySelectorAll(".omcd-view[data-view='0'] g.role-mark.omcd-highlight")]
    .flatMap(g => [...g.classList].filter(c => c.endsWith("_marks")));
  const rows = [...figure.querySelectorAll("table.omcd-results tbody tr")]
    .map((tr, i) => tr.classList.contains("omcd-highlight") ? i : -1).filter(i => i >= 0);
  const inputs = [...figure.querySelectorAll(".omcd-control.omcd-highlight input")].map(i => i.name);
  const verdict = !!figure.querySelector(".omcd-verdict.omcd-highlight");
  return {marks, rows, inputs, verdict, text: figure.querySelector(".omcd-step-text").textContent};
}"""


@pytest.mark.parametrize("path, figure_id, name", CASES, ids=IDS)
def test_each_step_sets_its_inputs_changes_the_chart_and_highlights_what_it_names(open_page, path, figure_id, name):
    calc = get(name)
    taken = calc.steps()
    names = [p.name for p in calc.params]
    page = open_page(path, figure_id)
    figure = page.locator(f"#{figure_id}")
    before_values, before_svg = signals(page, figure_id, names), chart_svg(page, figure_id)
    before_table = table(page, figure_id)
    chart_moved = 0
    for index, step in enumerate(taken):
        figure.locator("button.omcd-step").nth(index).click()
        page.wait_for_function(
            "([id, n]) => document.querySelector(`#${id} button.omcd-step[data-step='${n}']`)"
            ".getAttribute('aria-pressed') === 'true'",
            arg=[figure_id, index],
        )
        now = signals(page, figure_id, names)
        assert close(now, step.values), f"{name} step {step.number}: inputs {now}, expected {step.values}"
        assert close(query_values(page.url, f"{name}."), step.values), f"step {step.number}: address {page.url}"
        svg, shown = chart_svg(page, figure_id), table(page, figure_id)
        if not close(now, before_values):
            # Some inputs drive the results only (e.g. a discount rate beside a cost curve).
            assert svg != before_svg or shown != before_table, f"{name} step {step.number} changed nothing shown"
            chart_moved += svg != before_svg
        marked = page.evaluate(_HIGHLIGHTED, figure_id)
        assert step.title in marked["text"] and step.text in marked["text"]
        for target in step.highlight:
            kind, _, what = target.partition(":")
            if kind == "chart":
                assert any(re.fullmatch(rf"{what}(_[0-9]+)?_marks", m) for m in marked["marks"]), (target, marked)
            elif kind == "row":
                rows = [i for i, row in enumerate(calc.rows) if row.field == what]
                assert set(rows) <= set(marked["rows"]), (target, marked)
            elif kind == "input":
                assert what in marked["inputs"], (target, marked)
            else:
                assert marked["verdict"], (target, marked)
        wanted_rows = {i for i, row in enumerate(calc.rows) if f"row:{row.field}" in step.highlight}
        assert set(marked["rows"]) == wanted_rows, f"step {step.number} marks rows it does not name: {marked}"
        before_values, before_svg, before_table = now, svg, shown
    assert chart_moved, f"{name}: no step changed the chart"
    # Next after the last step starts again; Reset returns to the defaults and clears the marks.
    figure.locator("button.omcd-step-next").click()
    page.wait_for_function(
        "id => document.querySelector(`#${id} button.omcd-step[data-step='0']`)"
        ".getAttribute('aria-pressed') === 'true'",
        arg=figure_id,
    )
    assert close(signals(page, figure_id, names), taken[0].values)
    figure.locator("button.omcd-step-reset").click()
    page.wait_for_function(
        "id => !document.querySelector(`#${id} button.omcd-step[aria-pressed='true']`)", arg=figure_id
    )
    assert close(signals(page, figure_id, names), {k: float(v) for k, v in calc.defaults().items()})
    marked = page.evaluate(_HIGHLIGHTED, figure_id)
    assert not (marked["marks"] or marked["rows"] or marked["inputs"] or marked["verdict"]), marked
    assert page.locator(f"#{figure_id} .omcd-notice").text_content() == ""
    assert not page.problems, page.problems


# Pin this scenario ---------------------------------------------------------------------------------

# Every drawn item of the main view's marks, by mark name (numbers rounded to 1e-6 px): the
# ghost's marks are named pinned_<name>.
_GEOMETRY = """id => {
  const out = {};
  const keys = ["x", "y", "x2", "y2", "width", "height", "size"];
  const walk = (node, name) => {
    if (node.marktype !== undefined) {
      const key = node.name || name;
      for (const item of node.items || []) {
        if (node.marktype === "group") { for (const child of item.items || []) walk(child, key); continue; }
        (out[key] = out[key] || []).push(keys.map(k => typeof item[k] === "number" ? Math.round(item[k] * 1e6) / 1e6 : null));
      }
    } else for (const item of node.items || []) walk(item, name);
  };
  walk(window.omcdViews[id].scenegraph().root, "");
  return out;
}"""


def domains(page, figure_id: str) -> str:
    """The domain of every scale of the main view (named in the spec the page holds)."""
    return page.evaluate(
        """id => { const view = window.omcdViews[id];
      const spec = JSON.parse(document.querySelector(`#${id} script.omcd-spec`).textContent).views[0];
      return JSON.stringify((spec.scales || []).map(s => [s.name, view.scale(s.name).domain()])); }""",
        figure_id,
    )


def ghost(geometry: dict) -> dict:
    return {k: v for k, v in geometry.items() if k.startswith("pinned_")}


def pinned_read(page, figure_id: str) -> dict:
    return page.evaluate(
        """id => { const v = window.omcdViews[id];
      return {pinned: v.data("pinned_omcd_results"), on: v.signal("omcd_pinned")}; }""",
        figure_id,
    )


def check_pinned_table(page, figure_id: str, calc, now: dict, pinned: dict) -> None:
    shown = table(page, figure_id)
    texts = calc.texts(now)["rows"]
    compared = calc.compare_texts(now, pinned)
    for (label, value), (then, change), row in zip(texts, compared, shown):
        assert row == [label.strip(), value, then, change], f"{calc.name} now {now}, pinned {pinned}"
    assert len(shown) == len(texts)


@pytest.mark.parametrize("path, figure_id, name", CASES, ids=IDS)
def test_a_pinned_scenario_stays_put_matches_the_model_and_survives_a_reload(open_page, path, figure_id, name):
    calc = get(name)
    names = [p.name for p in calc.params]
    rng = random.Random(f"pin-{name}")
    page = open_page(path, figure_id)
    pinned = random_point(calc, rng)
    page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, pinned])
    assert page.locator(f"#{figure_id} .omcd-pin-col").first.is_hidden()
    page.locator(f"#{figure_id} button.omcd-pin").click()
    page.wait_for_function("id => document.getElementById(id).classList.contains('omcd-pinned')", arg=figure_id)
    settle(page, figure_id)
    assert page.locator(f"#{figure_id} button.omcd-pin").get_attribute("aria-pressed") == "true"
    assert close(signals(page, figure_id, [f"pinned_{n}" for n in names]), {f"pinned_{n}": pinned[n] for n in names})
    first = pinned_read(page, figure_id)
    shapes = ghost(page.evaluate(_GEOMETRY, figure_id))
    # A chart draws the pinned scenario as a ghost, unless it is a grid of cells that do not move
    # (a payoff matrix: omcd.charts._compile._in_place); the note under the chart says which.
    drawn = any(m["name"].startswith("pinned_") for m in vega_views(calc)[0]["marks"])
    assert bool(shapes and any(shapes.values())) == drawn, f"{name}: ghost drawn {shapes.keys()}, expected {drawn}"
    note = page.locator(f"#{figure_id} .omcd-pin-note").text_content()
    assert ("Dashed and faint" in note) == drawn and page.locator(f"#{figure_id} .omcd-pin-note").is_visible()
    check_pinned_table(page, figure_id, calc, pinned, pinned)
    assert all(row[3] in ("no change", "") for row in table(page, figure_id))
    # The reader moves sliders (with the keyboard, and to random points): the pinned scenario
    # stays put, its columns and each change read as Python writes them.
    # Each slider moved once: where the scales stay the same, the ghost does not move a pixel
    # (where a scale follows the live data, the ghost moves with it, as the live chart does).
    sliders = page.locator(f"#{figure_id} .omcd-control input[type='range']")
    stayed = 0
    for k in range(sliders.count()):
        before_domains, before_ghost = domains(page, figure_id), ghost(page.evaluate(_GEOMETRY, figure_id))
        before_live = {key: v for key, v in page.evaluate(_GEOMETRY, figure_id).items() if key not in before_ghost}
        sliders.nth(k).focus()
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        settle(page, figure_id)
        geometry = page.evaluate(_GEOMETRY, figure_id)
        if (
            domains(page, figure_id) == before_domains
            and {key: v for key, v in geometry.items() if key not in before_ghost} != before_live
        ):
            assert ghost(geometry) == before_ghost, f"{name}: the ghost moved with slider {k}"
            stayed += 1
    assert stayed or not drawn, f"{name}: no slider moved the chart and kept its scales: the ghost was not tested"
    for _ in range(3):
        now = random_point(calc, rng)
        page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, now])
        settle(page, figure_id)
        assert pinned_read(page, figure_id) == first, f"{name}: the pinned results moved with the sliders"
        check_pinned_table(page, figure_id, calc, now, pinned)
    # On the live chart's scales: with the inputs back at the pinned ones, the ghost lies exactly
    # on the live marks.
    page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, pinned])
    settle(page, figure_id)
    geometry = page.evaluate(_GEOMETRY, figure_id)
    for ghost_name, items in ghost(geometry).items():
        assert items == geometry[ghost_name.removeprefix("pinned_")], f"{name}: {ghost_name} is off the live chart"
    # A reload from the page's link shows the same comparison (a slider moved last, as a reader
    # does, so that the page has rewritten its link).
    page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, now])
    sliders.nth(0).focus()
    page.keyboard.press("ArrowLeft" if now[names[0]] > calc.params[0].minimum else "ArrowRight")
    settle(page, figure_id)
    now = signals(page, figure_id, names)
    link = page.locator(f"#{figure_id} a.omcd-permalink").get_attribute("href")
    assert close(query_values(link, f"{name}.pin."), pinned), link
    assert not page.problems, page.problems
    again = open_page(path, figure_id, "?" + urlsplit(link).query)
    settle(again, figure_id)
    assert close(signals(again, figure_id, names), now)
    assert close(signals(again, figure_id, [f"pinned_{n}" for n in names]), {f"pinned_{n}": pinned[n] for n in names})
    check_pinned_table(again, figure_id, calc, now, pinned)
    assert pinned_read(again, figure_id) == first
    assert again.locator(f"#{figure_id} .omcd-notice").text_content() == ""
    # Unpin: the ghost and the pinned columns go, and so do the pin's keys in the address.
    again.locator(f"#{figure_id} button.omcd-pin").click()
    again.wait_for_function("id => !document.getElementById(id).classList.contains('omcd-pinned')", arg=figure_id)
    settle(again, figure_id)
    assert not any(ghost(again.evaluate(_GEOMETRY, figure_id)).values())
    assert again.locator(f"#{figure_id} .omcd-pin-col").first.is_hidden()
    assert not query_values(again.url, f"{name}.pin.")
    assert not again.problems, again.problems


def test_a_pin_out_of_range_in_a_link_is_refused_with_a_message(open_page):
    path, figure_id, name = next(c for c in CASES if c[2] == "gpu_cluster")
    page = open_page(path, figure_id, f"?{name}.pin.utilisation=7")
    assert not page.evaluate("id => window.omcdViews[id].signal('omcd_pinned')", figure_id)
    notice = page.locator(f"#{figure_id} .omcd-notice").text_content()
    assert "Pinned scenario, Utilisation" in notice and "outside its range" in notice, notice


# Take it away ---------------------------------------------------------------------------------


def _download(page, figure_id: str, kind: str, keyboard: bool = False) -> bytes:
    figure = page.locator(f"#{figure_id}")
    with page.expect_download() as info:
        if keyboard:  # the menu with the keyboard: Enter opens it, Tab reaches the item
            figure.locator("details.omcd-menu summary").focus()
            page.keyboard.press("Enter")
            item = figure.locator(f"button[data-takeaway='{kind}']")
            for _ in range(6):
                page.keyboard.press("Tab")
                if item.evaluate("b => b === document.activeElement"):
                    break
            page.keyboard.press("Enter")
        else:
            figure.locator("details.omcd-menu summary").click()
            figure.locator(f"button[data-takeaway='{kind}']").click()
    download = info.value
    assert download.suggested_filename == f"{get(figure.get_attribute('data-calculator')).name}.{kind}"
    with open(download.path(), "rb") as handle:
        return handle.read()


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def check_csv(data: bytes, calc, now: dict, pinned: dict | None, page_url: str) -> None:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    texts = calc.texts(now)
    outputs = calc.context(now)
    inputs = [r for r in rows if r["kind"] == "input"]
    results = [r for r in rows if r["kind"] == "result"]
    assert [r["name"] for r in inputs] == [p.name for p in calc.params]
    for row, p in zip(inputs, calc.params):
        assert math.isclose(float(row["value"]), now[p.name], rel_tol=1e-12) and row["text"] == texts["inputs"][p.name]
        assert row["label"] == p.label
    assert [(r["label"], r["text"]) for r in results] == [(label.strip(), value) for label, value in texts["rows"]]
    for row, shown in zip(results, calc.rows):
        expected = outputs[shown.field]
        got = _number(row["value"])
        assert (got is None) == (expected is None), (shown.field, got, expected)
        if expected is not None:
            assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-12), (shown.field, got, expected)
    if calc.verdict is not None:
        (verdict,) = [r for r in rows if r["kind"] == "verdict"]
        assert " ".join(verdict["text"].split()) == " ".join(texts["verdict"].split())
    (address,) = [r for r in rows if r["kind"] == "link"]
    assert address["text"].split("?")[0] == page_url.split("?")[0]
    assert close(query_values(address["text"], f"{calc.name}."), now)
    assert close(query_values(address["text"], f"{calc.name}.pin."), pinned or {})
    if pinned is None:
        assert "pinned_value" not in rows[0]
        return
    then = calc.context(pinned)
    compared = calc.compare_texts(now, pinned)
    for row, shown, (text, change) in zip(results, calc.rows, compared):
        expected = then[shown.field]
        got = _number(row["pinned_value"])
        assert (got is None) == (expected is None) and (expected is None or math.isclose(got, expected, rel_tol=1e-9))
        assert (row["pinned_text"], row["change"]) == (text, change)


@pytest.mark.parametrize("path, figure_id, name", CASES, ids=IDS)
def test_exports_are_valid_files_whose_numbers_are_the_models(open_page, path, figure_id, name):
    calc = get(name)
    rng = random.Random(f"export-{name}")
    page = open_page(path, figure_id)
    now = random_point(calc, rng)
    page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, now])
    settle(page, figure_id)
    check_csv(_download(page, figure_id, "csv", keyboard=True), calc, now, None, page.url)
    # SVG: an SVG document, the chart's title above the very texts the page's chart shows.
    svg = _download(page, figure_id, "svg").decode("utf-8")
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]
    title = page.locator(f"#{figure_id} .omcd-chart-block[data-view='0'] .omcd-title").text_content()
    assert " ".join(title.split()) in " ".join(texts)
    shown = page.evaluate(
        "id => [...document.querySelectorAll(`#${id} .omcd-view[data-view='0'] svg text`)].map(t => t.textContent)",
        figure_id,
    )
    chart_texts = [t for t in texts[len(texts) - len(shown) :]]  # after the title's lines
    assert [t for t in chart_texts if t] == [t for t in shown if t], "the SVG's texts are not the chart's"
    # PNG: a PNG twice the chart's width, taller than the chart by the title.
    png = _download(page, figure_id, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    view_width, view_height = page.evaluate(
        "id => { const v = window.omcdViews[id]; return [v.width(), v.height()]; }", figure_id
    )
    assert width >= 2 * view_width and height > 2 * view_height
    # With a pinned scenario, the CSV has its columns too.
    pinned = random_point(calc, rng)
    page.evaluate(
        "async ([id, p, v]) => { const c = window.omcdCalculators[id]; await c.pin(p); await c.apply(v); }",
        [figure_id, pinned, now],
    )
    settle(page, figure_id)
    check_csv(_download(page, figure_id, "csv"), calc, now, pinned, page.url)
    assert not page.problems, page.problems


def _student_python() -> str:
    python = os.environ.get("OMCD_STUDENT_PYTHON")
    if not python:
        if os.environ.get("CI") == "true":
            pytest.fail("OMCD_STUDENT_PYTHON is not set: run the tests with ./course test")
        python = sys.executable
    return python


#: Runs a snippet as a notebook cell would (its last line is the widget shown) and prints the
#: widget's inputs and the rows of its results table.
_RUN_SNIPPET = """
import ast, html, json, re, sys
code = sys.stdin.read()
tree = ast.parse(code)
*body, last = tree.body
exec(compile(ast.Module(body=body, type_ignores=[]), "<snippet>", "exec"))
widget = eval(compile(ast.Expression(last.value), "<snippet>", "eval"))
rows = [(html.unescape(k), html.unescape(v)) for k, v in
        re.findall(r"<th scope='row'[^>]*>(.*?)</th><td[^>]*>(.*?)</td>", widget.table.value)]
print(json.dumps({"values": widget.values, "rows": rows}))
"""


@pytest.mark.parametrize("path, figure_id, name", CASES, ids=IDS)
def test_the_python_snippet_recreates_the_scenario_in_the_students_environment(open_page, path, figure_id, name):
    calc = get(name)
    page = open_page(path, figure_id)
    now = random_point(calc, random.Random(f"python-{name}"))
    page.evaluate("async ([id, v]) => { await window.omcdCalculators[id].apply(v); }", [figure_id, now])
    figure = page.locator(f"#{figure_id}")
    figure.locator("details.omcd-menu summary").click()
    figure.locator("button[data-takeaway='python']").click()
    snippet = figure.locator(".omcd-takeaway-text").text_content()
    assert figure.locator(".omcd-takeaway-text").evaluate("e => e === document.activeElement")
    ast.parse(snippet)
    assert len(snippet.splitlines()) <= len(calc.params) + 5, snippet
    shown = [row[:2] for row in table(page, figure_id)]
    result = subprocess.run(
        [_student_python(), "-c", _RUN_SNIPPET],
        input=snippet,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    got = json.loads(result.stdout.strip().splitlines()[-1])
    assert close(got["values"], now), (got["values"], now)
    assert [list(row) for row in got["rows"]] == shown
    figure.locator(".omcd-takeaway-close").click()
    assert figure.locator(".omcd-takeaway").is_hidden()
    assert not page.problems, page.problems


def test_cite_this_gives_the_courses_citation_and_the_scenarios_link(open_page):
    cff = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for path, figure_id, name in CASES:
        page = open_page(path, figure_id)
        figure = page.locator(f"#{figure_id}")
        figure.locator("button.omcd-step").first.click()
        figure.locator("details.omcd-menu summary").click()
        figure.locator("button[data-takeaway='cite']").click()
        text = figure.locator(".omcd-takeaway-text").text_content()
        link = figure.locator("a.omcd-permalink").get_attribute("href")
        title = figure.locator(".omcd-chart-block[data-view='0'] .omcd-title").text_content()
        assert cff["title"] in text and cff["authors"][0]["name"] in text and str(cff["version"]) in text
        assert str(cff["date-released"])[:4] in text and cff["repository-code"] in text
        assert link in text and f"{name}." in link and title in text, text
        assert not page.problems, page.problems
