"""Every page of the built site, in headless Chromium.

For each page (discovered from ``_build/html``; see conftest.py):

* it loads nothing from another host, raises no error and logs no console error;
* every calculator chart draws itself, and each of its sliders, moved with the keyboard,
  changes the chart;
* axe-core finds no serious or critical accessibility violation.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CHART_SELECTOR = "figure.omcd-chart"
MAX_TARGETS = 5  # selectors listed per axe violation
CHART_TIMEOUT_MS = 10_000  # a chart must be drawn within this time after the page has loaded

_CHART_STATE = """
id => {
  const figure = document.getElementById(id);
  const svgs = [...figure.querySelectorAll(".omcd-chart-view svg")];
  const canvases = [...figure.querySelectorAll(".omcd-chart-view canvas")];
  const drawnPaths = svgs.flatMap(svg => [...svg.querySelectorAll("path")])
    .filter(path => (path.getAttribute("d") || "").trim() !== "").length;
  const drawnCanvases = canvases.filter(c => c.width > 0 && c.height > 0).length;
  return {ready: figure.dataset.ready === "true", svgs: svgs.length, drawnPaths, drawnCanvases};
}
"""

_RERENDERED_SVG = """
async id => {
  const view = window.omcdViews[id];
  await view.runAsync();
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const svg = document.getElementById(id).querySelector(".omcd-chart-view svg");
  return svg === null ? null : svg.outerHTML;
}
"""

_SET_STATE = """
(input, state) => {
  if (input.type === "checkbox") input.checked = state === "true"; else input.value = state;
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new Event("change", {bubbles: true}));
}
"""

_INPUT_NAME = """
input => {
  const label = input.closest(".vega-bind");
  const name = label && label.querySelector(".vega-bind-name");
  return (name ? name.textContent.trim() : "") || input.name || input.id || "(unnamed input)";
}
"""


def _chart_ids(loaded) -> list[str]:
    return loaded.page.eval_on_selector_all(CHART_SELECTOR, "figures => figures.map(f => f.id)")


def _wait_for_charts(loaded) -> list[str]:
    """Wait until every chart on the page is drawn; fail naming the charts that are not."""
    ids = _chart_ids(loaded)
    assert all(ids), f"{loaded.url}: a figure.omcd-chart has no id"
    try:
        loaded.page.wait_for_function(
            """ids => ids.every(id => document.getElementById(id).dataset.ready === "true")""",
            arg=ids,
            timeout=CHART_TIMEOUT_MS,
        )
    except Exception:  # playwright's TimeoutError: say which charts, and why if we know
        not_ready = [i for i in ids if not loaded.page.evaluate(_CHART_STATE, i)["ready"]]
        pytest.fail(
            f"{loaded.url}: charts not drawn within {CHART_TIMEOUT_MS / 1000:g} s: {not_ready}\n"
            f"page errors: {loaded.page_errors}\nconsole errors: {loaded.console_errors}\n"
            f"requests to other hosts: {loaded.external_requests}",
            pytrace=False,
        )
    return ids


def _bullets(items) -> str:
    return "".join(f"\n  - {item}" for item in items)


def test_page_loads_nothing_from_other_hosts_and_raises_no_error(loaded_page):
    _wait_for_charts(loaded_page)
    problems = []
    if loaded_page.external_requests:
        problems.append(f"{len(loaded_page.external_requests)} request(s) to other hosts:"
                        + _bullets(loaded_page.external_requests))
    if loaded_page.page_errors:
        problems.append(f"{len(loaded_page.page_errors)} page error(s):" + _bullets(loaded_page.page_errors))
    if loaded_page.console_errors:
        problems.append(f"{len(loaded_page.console_errors)} console error(s):"
                        + _bullets(loaded_page.console_errors))
    assert not problems, f"{loaded_page.url}:\n" + "\n".join(problems)


def test_every_chart_draws(loaded_page):
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        state = loaded_page.page.evaluate(_CHART_STATE, chart_id)
        if state["drawnPaths"] == 0 and state["drawnCanvases"] == 0:
            failures.append(f"#{chart_id} is marked ready but has no drawn marks: {state}")
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


def _state(input_handle, kind: str) -> str:
    return str(input_handle.is_checked()).lower() if kind == "checkbox" else input_handle.input_value()


def _move_with_keyboard(page, input_handle, kind: str) -> tuple[str, str]:
    """Change an input with the keyboard only; return (state before, state after)."""
    before = _state(input_handle, kind)
    input_handle.focus()
    if kind == "checkbox":
        page.keyboard.press("Space")
        return before, _state(input_handle, kind)
    page.keyboard.press("ArrowRight")
    if input_handle.input_value() == before:  # already at the maximum
        page.keyboard.press("ArrowLeft")
    return before, input_handle.input_value()


def _jump_with_keyboard(page, input_handle, before: str) -> str:
    """Move a range input to its far end (Home or End, whichever is further from ``before``)."""
    minimum = float(input_handle.get_attribute("min") or 0)
    maximum = float(input_handle.get_attribute("max") or 100)
    input_handle.focus()
    page.keyboard.press("End" if maximum - float(before) >= float(before) - minimum else "Home")
    return input_handle.input_value()


def test_every_chart_input_changes_the_chart_with_the_keyboard(loaded_page):
    page = loaded_page.page
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        inputs = page.query_selector_all(f"#{chart_id} .vega-bind input")
        original_svg = page.evaluate(_RERENDERED_SVG, chart_id)
        assert original_svg, f"{loaded_page.url}: #{chart_id} has no SVG to compare"
        for input_handle in inputs:
            name = input_handle.evaluate(_INPUT_NAME)
            where = f"#{chart_id}, input {name!r}"
            kind = (input_handle.get_attribute("type") or "text").lower()
            before, after = _move_with_keyboard(page, input_handle, kind)
            if after == before:
                failures.append(f"{where}: the keyboard (ArrowRight/ArrowLeft) did not change its value {before}")
                continue
            changed_svg = page.evaluate(_RERENDERED_SVG, chart_id)
            if changed_svg == original_svg and kind == "range":
                # One step may be too small to move a pixel; the far end must not be.
                after = f"{after}, then {_jump_with_keyboard(page, input_handle, before)}"
                changed_svg = page.evaluate(_RERENDERED_SVG, chart_id)
            if changed_svg == original_svg:
                failures.append(f"{where}: value {before} -> {after} did not change the chart's SVG")
            # Restore the value, so that the next input is compared with the default chart.
            input_handle.evaluate(_SET_STATE, before)
            restored_svg = page.evaluate(_RERENDERED_SVG, chart_id)
            if restored_svg != original_svg:
                failures.append(f"{where}: restoring value {before} did not restore the chart")
                original_svg = restored_svg
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_no_serious_accessibility_violation(loaded_page, axe):
    _wait_for_charts(loaded_page)
    results = axe.run(loaded_page.page)
    serious = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    report = []
    for violation in serious:
        targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
        shown = ", ".join(targets[:MAX_TARGETS]) + (f" (+{len(targets) - MAX_TARGETS} more)"
                                                     if len(targets) > MAX_TARGETS else "")
        report.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                      f"[{len(targets)} node(s): {shown}] {violation.get('helpUrl', '')}")
    assert not report, f"{loaded_page.url}: {len(report)} serious/critical axe violation(s):" + _bullets(report)
