"""Charts start when the reader comes near them, and read right before they do.

Every chart and calculator is drawn at its defaults when the site is built (SVG from the same
Vega spec), so a page reads right before any chart code runs. The chart code (the Vega runtime)
loads only when a chart comes within 600 px of the window, when the reader reaches for one of
its controls, or at once when the page address carries a calculator's settings.
"""

from __future__ import annotations

import re

import pytest

from omcd.devtools import SITE_DIR, calculator_figures, site_pages

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
MARGIN_PX = 600

_FIGURES = """
() => [...document.querySelectorAll("figure.omcd-calc, figure.omcd-chart")].map(f => ({
  id: f.id, top: f.getBoundingClientRect().top + window.scrollY, ready: f.dataset.ready === "true",
  drawnPaths: [...f.querySelectorAll(".omcd-view svg path")].filter(p => (p.getAttribute("d") || "").trim()).length,
  runtime: !!(window.vega && window.vega.View),
}))
"""


def _pages_with_charts() -> list[str]:
    return [
        p
        for p in site_pages()
        if re.search(r'<figure class="omcd-(calc|chart)"', (SITE_DIR / p).read_text(encoding="utf-8"))
    ]


PAGES = _pages_with_charts()


@pytest.fixture()
def new_page(browser, base_url):
    contexts = []

    def open_(path: str, query: str = ""):
        context = browser.new_context(viewport=LAPTOP)
        contexts.append(context)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        page = context.new_page()
        page.goto(base_url + path + query, wait_until="networkidle")
        page.wait_for_timeout(300)
        return page

    yield open_
    for context in contexts:
        context.close()


def test_there_is_a_chart_far_down_a_page():
    assert PAGES


@pytest.mark.parametrize("path", PAGES)
def test_a_chart_far_below_waits_for_the_reader_and_starts_when_near(new_page, path):
    page = new_page(path)
    figures = page.evaluate(_FIGURES)
    assert all(f["drawnPaths"] > 0 for f in figures), f"{path}: a chart is blank before its code runs: {figures}"
    far = [f for f in figures if f["top"] > LAPTOP["height"] + MARGIN_PX + 50]
    near = [f for f in figures if f["top"] < LAPTOP["height"] + MARGIN_PX - 50]
    for f in near:
        page.wait_for_selector(f"#{f['id']}[data-ready='true']", timeout=10_000)
    for f in far:
        assert not page.evaluate(f"() => document.getElementById('{f['id']}').dataset.ready === 'true'"), (
            f"{path}: #{f['id']} started although it is {f['top']:.0f} px down the page"
        )
    if not near:
        assert not any(f["runtime"] for f in page.evaluate(_FIGURES)), (
            f"{path}: the chart code loaded with no chart near"
        )
    for f in far:
        page.evaluate(f"() => document.getElementById('{f['id']}').scrollIntoView()")
        page.wait_for_selector(f"#{f['id']}[data-ready='true']", timeout=10_000)


def _first_calculator_page():
    for path in PAGES:
        match = re.search(
            r'<figure class="omcd-calc" id="([^"]+)" data-calculator="([^"]+)"',
            (SITE_DIR / path).read_text(encoding="utf-8"),
        )
        if match:
            return path, match.group(1), match.group(2)
    raise AssertionError("no calculator page")


def test_a_slider_moved_before_its_chart_started_keeps_its_place(new_page):
    path, figure_id, _ = _first_calculator_page()
    page = new_page(path)
    page.evaluate("() => window.scrollTo(0, 0)")
    slider = page.locator(f"#{figure_id} .omcd-control input[type='range']").first
    before = slider.input_value()
    slider.focus()  # reaching for a control starts its calculator
    page.keyboard.press("End")
    page.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
    name = slider.get_attribute("name")
    used = page.evaluate(f"() => window.omcdViews['{figure_id}'].signal('{name}')")
    assert slider.input_value() != before and float(slider.input_value()) == pytest.approx(used)


def test_a_link_with_settings_starts_its_calculator_at_once(new_page):
    path, figure_id, name = _first_calculator_page()
    page = new_page(path)
    param = page.locator(f"#{figure_id} .omcd-control input[type='range']").first
    value = param.get_attribute("max")
    linked = new_page(path, f"?{name}.{param.get_attribute('name')}={value}")
    linked.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
    assert linked.evaluate(f"() => window.omcdViews['{figure_id}'].signal('{param.get_attribute('name')}')") == float(
        value
    )


# One slider move of a calculator with two views, as a dragged slider's move arrives (at the start
# of a frame): whether the second view's SVG changed before the frame was painted (a message posted
# once the main view is redrawn arrives after the frame's rendering), and whether it had changed
# once apply() resolved.
_SECOND_VIEW_TIMING = """
async ([id, showSecond]) => {
  const figure = document.getElementById(id);
  const second = figure.querySelectorAll(".omcd-view")[1];
  const frame = () => new Promise(r => requestAnimationFrame(r));
  if (showSecond) second.scrollIntoView({block: "center"}); else figure.scrollIntoView({block: "start"});
  await frame(); await frame(); await frame();  // the page sees what is in view
  const calculator = window.omcdCalculators[id];
  const input = [...figure.querySelectorAll(".omcd-control input[type=range]")]
    .find(i => calculator.views[1].getState({signals: s => s === i.name, data: () => false}).signals[i.name] !== undefined);
  const before = second.innerHTML;
  await frame();
  input.value = input.value === input.max ? input.min : input.max;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  await calculator.views[0].runAsync();
  const inFrame = await new Promise(resolve => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(second.innerHTML !== before);
    channel.port2.postMessage(null);
  });
  await calculator.apply({[input.name]: Number(input.value)});
  const settled = second.innerHTML;
  await calculator.views[1].runAsync();
  return {input: input.name, inFrame, changed: settled !== before, current: settled === second.innerHTML};
}
"""


@pytest.mark.parametrize("in_view", [False, True], ids=["second view out of the window", "second view in the window"])
def test_a_second_view_out_of_the_window_is_redrawn_after_the_frame_in_it_within(new_page, in_view):
    """The GPU cluster's tornado lies below its controls: a slider move redraws the main chart and
    the texts within the frame and the tornado after it, when it is out of the window, which keeps
    the frame short; in the window it is redrawn within the frame. Either way it is up to date once
    the move is applied."""
    path, figure_id = next((p, f) for p, f, n in calculator_figures() if n == "gpu_cluster")
    page = new_page(path)
    page.evaluate("id => window.omcdMountAll()", figure_id)
    page.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
    found = page.evaluate(_SECOND_VIEW_TIMING, [figure_id, in_view])
    assert found["changed"] and found["current"], f"the tornado is not up to date after a move of {found['input']}"
    assert found["inFrame"] is in_view, (
        f"a move of {found['input']}: the tornado was redrawn {'within' if found['inFrame'] else 'after'} the frame "
        f"while {'in' if in_view else 'out of'} the window"
    )
