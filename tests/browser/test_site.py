"""Every page of the built site, in headless Chromium.

For each page (discovered from ``_build/html``; see conftest.py), loaded once in a fresh
browser context, served over HTTP and opened from disk (file://):

* it loads nothing from another host, every local request succeeds, and it raises no error
  and logs no console error or warning;
* every chart draws itself; each slider starts at the value its chart uses, and moved with
  the keyboard, changes the chart; with any slider at either end, no axis repeats a label, and
  every expression the chart evaluates was compiled at build time;
* every icon of the theme is drawn;
* axe-core finds no serious or critical accessibility violation.

The tests of a page run in this order on the same loaded page; the slider test restores every
value it changes, so that axe checks the page as a reader first sees it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from omcd.devtools import START_ALL_CHARTS

pytestmark = pytest.mark.browser

CHART_SELECTOR = "figure.omcd-calc, figure.omcd-chart"
CHART_TIMEOUT_MS = 10_000  # a chart must be drawn within this time after the page has loaded
MAX_TARGETS = 5  # selectors listed per axe violation
BLOCKING_IMPACTS = {"serious", "critical"}

_CHART_STATE = """
id => {
  const figure = document.getElementById(id);
  const svgs = [...figure.querySelectorAll(".omcd-view svg")];
  const canvases = [...figure.querySelectorAll(".omcd-view canvas")];
  const drawnPaths = svgs.flatMap(svg => [...svg.querySelectorAll("path")])
    .filter(path => (path.getAttribute("d") || "").trim() !== "").length;
  const drawnCanvases = canvases.filter(c => c.width > 0 && c.height > 0).length;
  return {ready: figure.dataset.ready === "true", svgs: svgs.length, drawnPaths, drawnCanvases};
}
"""

# Wait until every view has processed every pending change and the browser has painted it;
# what the figure shows: the SVG of every view, then the verdict and the results table.
_RERENDERED_SVG = """
async id => {
  await Promise.all(window.omcdCalculators[id].views.map(view => view.runAsync()));
  await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const figure = document.getElementById(id);
  const svgs = [...figure.querySelectorAll(".omcd-view svg")];
  if (svgs.length === 0) return null;
  const texts = [...figure.querySelectorAll(".omcd-verdict-text, table.omcd-results")].map(e => e.outerHTML);
  return svgs.map(svg => svg.outerHTML).join("") + texts.join("");
}
"""

# Each input of a calculator: its label, the signal it drives, its own value and the signal's value.
_BOUND_INPUTS = """
id => {
  const view = window.omcdViews[id];
  return [...document.getElementById(id).querySelectorAll(".omcd-control input")].map((input, index) => {
    const label = document.querySelector(`label[for="${input.id}"]`);
    let signal = null;
    try { signal = view.signal(input.name); } catch (error) { signal = null; }
    return {
      index,
      name: input.name,
      label: (label ? label.textContent.trim() : "") || input.name || `input ${index + 1}`,
      type: (input.type || "text").toLowerCase(),
      value: input.type === "checkbox" ? String(input.checked) : input.value,
      signal,
    };
  });
}
"""

# Set an input back to a value in every view (and the control), as a link would.
_RESTORE_SIGNAL = """
async ([id, name, value]) => { await window.omcdCalculators[id].apply({[name]: value}); }
"""


def _bullets(items) -> str:
    return "".join(f"\n  - {item}" for item in items)


def _chart_ids(loaded) -> list[str]:
    return loaded.page.eval_on_selector_all(CHART_SELECTOR, "figures => figures.map(f => f.id)")


def _wait_for_charts(loaded) -> list[str]:
    """Wait until every chart on the page is drawn; fail naming the charts that are not."""
    ids = _chart_ids(loaded)
    assert all(ids), f"{loaded.url}: a {CHART_SELECTOR} has no id"
    loaded.page.evaluate(START_ALL_CHARTS)  # each would start as the reader scrolls near it
    try:
        loaded.page.wait_for_function(
            """ids => ids.every(id => document.getElementById(id).dataset.ready === "true")""",
            arg=ids,
            timeout=CHART_TIMEOUT_MS,
        )
    except Exception:  # playwright's TimeoutError: say which charts, and what went wrong
        not_ready = [i for i in ids if not loaded.page.evaluate(_CHART_STATE, i)["ready"]]
        pytest.fail(
            f"{loaded.url}: chart(s) not drawn within {CHART_TIMEOUT_MS / 1000:g} s: {not_ready}\n"
            f"page errors: {loaded.page_errors}\nconsole errors: {loaded.console_errors}\n"
            f"failed local requests: {loaded.failed_requests}\n"
            f"requests to other hosts: {loaded.external_requests}",
            pytrace=False,
        )
    return ids


def test_page_loads_nothing_from_other_hosts_and_raises_no_error(loaded_page):
    _wait_for_charts(loaded_page)
    problems = []
    for title, items in [
        ("request(s) to other hosts (blocked)", loaded_page.external_requests),
        ("failed local request(s)", loaded_page.failed_requests),
        ("page error(s)", loaded_page.page_errors),
        ("console error(s)", loaded_page.console_errors),
    ]:
        if items:
            problems.append(f"{len(items)} {title}:" + _bullets(items))
    assert not problems, f"{loaded_page.url}:\n" + "\n".join(problems)


def test_the_page_keeps_its_content_security_policy(loaded_page):
    """Each page carries a strict policy (no 'unsafe-eval', no 'unsafe-inline' scripts, nothing
    from another host), and nothing it does, charts included, breaks it."""
    page = loaded_page.page
    _wait_for_charts(loaded_page)
    policy = page.evaluate("() => document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content")
    if loaded_page.url.endswith("/index.html") and policy is None:
        assert page.url != loaded_page.url, "index.html is the redirect to the first page"
        policy = page.evaluate("() => document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')?.content")
    assert policy, f"{loaded_page.url}: no Content-Security-Policy"
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "'unsafe-eval'" not in policy and "'unsafe-inline'" not in directives["script-src"], policy
    assert "http" not in policy and "*" not in policy, policy
    # Move every calculator's first input once: a redraw must keep to the policy too.
    page.evaluate("""async () => { for (const [id, c] of Object.entries(window.omcdCalculators || {})) {
      const input = document.querySelector(`#${id} .omcd-control input`);
      if (input && c.apply) await c.apply({[input.name]: Number(input.max)}); } }""")
    violations = page.evaluate("() => window.omcdPolicyViolations")
    assert not violations, f"{loaded_page.url}:" + _bullets(violations)


def test_every_chart_draws(loaded_page):
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        state = loaded_page.page.evaluate(_CHART_STATE, chart_id)
        if state["drawnPaths"] == 0 and state["drawnCanvases"] == 0:
            failures.append(f"#{chart_id} is marked ready but has no drawn marks: {state}")
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


# The theme's templates write its icons as empty <i class="fa-..."> (or <span>) elements, which
# the site build replaces with inline SVG (omcd/site_theme.py: no Font Awesome script or font).
_ICONS_NOT_DRAWN = """
() => [...document.querySelectorAll("i, span")]
  .filter(e => e.children.length === 0 && e.textContent.trim() === "")
  .filter(e => [...e.classList].some(c => c === "fa" || c.startsWith("fa-") || ["fab", "fas", "far"].includes(c)))
  .map(e => e.outerHTML)
"""
# Every SVG icon: its shape, and its size where the reader can see it.
_SVG_ICONS = """
() => [...document.querySelectorAll("svg.svg-inline--fa")].map(svg => {
  const box = svg.getBoundingClientRect();
  return {icon: svg.dataset.icon, shown: svg.checkVisibility(), width: box.width, height: box.height,
          path: (svg.querySelector("path")?.getAttribute("d") || "").length,
          viewBox: svg.getAttribute("viewBox")};
})
"""


def test_every_icon_is_drawn(loaded_page):
    page = loaded_page.page
    undrawn = page.evaluate(_ICONS_NOT_DRAWN)
    assert not undrawn, f"{loaded_page.url}: icon(s) not drawn:" + _bullets(undrawn)
    icons = page.evaluate(_SVG_ICONS)
    assert icons, f"{loaded_page.url}: no icon drawn at all"
    broken = [i for i in icons if not i["path"] or not i["viewBox"]]
    assert not broken, f"{loaded_page.url}: icon(s) without a shape:" + _bullets(broken)
    shown = [i for i in icons if i["shown"]]
    assert shown, f"{loaded_page.url}: no icon visible"
    empty = [i for i in shown if i["width"] < 4 or i["height"] < 4]
    assert not empty, f"{loaded_page.url}: visible icon(s) drawn smaller than 4 px:" + _bullets(empty)


def _values_equal(input_value: str, signal) -> bool:
    if isinstance(signal, bool):
        return input_value == str(signal).lower()
    try:
        a, b = float(input_value), float(signal)
    except (TypeError, ValueError):
        return input_value == str(signal)
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def test_every_slider_shows_the_value_its_chart_uses(loaded_page):
    """A default off the slider's grid (min + k * step) is shown as another value, and lost once moved."""
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        for bound in loaded_page.page.evaluate(_BOUND_INPUTS, chart_id):
            if bound["signal"] is None:
                failures.append(f"#{chart_id}, input {bound['label']!r}: drives no signal named {bound['name']!r}")
            elif not _values_equal(bound["value"], bound["signal"]):
                failures.append(
                    f"#{chart_id}, input {bound['label']!r} ({bound['name']}): the chart uses {bound['signal']} "
                    f"but the slider can only show {bound['value']}: the default is not on the slider's "
                    f"grid (min + k * step), so readers cannot get back to it"
                )
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


def _press_until_changed(page, handle, keys: list[str], before: str, kind: str) -> tuple[str, str]:
    """Press ``keys`` in turn until the input's value changes; return (keys pressed, value now)."""
    pressed = []
    for key in keys:
        handle.focus()
        page.keyboard.press(key)
        pressed.append(key)
        now = str(handle.is_checked()).lower() if kind == "checkbox" else handle.input_value()
        if now != before:
            return "+".join(pressed), now
    return "+".join(pressed), before


def _svg_parts(svg: str) -> Counter:
    return Counter(re.findall(r"<[^>]+>|[^<]+", svg))


def test_every_input_changes_the_chart_or_its_results_with_the_keyboard(loaded_page):
    page = loaded_page.page
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        bound_inputs = page.evaluate(_BOUND_INPUTS, chart_id)
        handles = page.query_selector_all(f"#{chart_id} .omcd-control input")
        assert len(handles) == len(bound_inputs)
        original_svg = page.evaluate(_RERENDERED_SVG, chart_id)
        assert original_svg, f"{loaded_page.url}: #{chart_id} has no SVG"
        for bound, handle in zip(bound_inputs, handles):
            where = f"#{chart_id}, input {bound['label']!r} ({bound['name']})"
            kind, before = bound["type"], bound["value"]
            if kind == "checkbox":
                steps = [["Space"]]
            else:
                # One step first (ArrowLeft if already at the maximum); if one step is too small
                # to move a pixel, the far end (End, or Home if at the maximum) must not be.
                steps = [["ArrowRight", "ArrowLeft"], ["End", "Home"]]
            changed_svg, tried = original_svg, []
            for keys in steps:
                pressed, after = _press_until_changed(page, handle, keys, before, kind)
                if after == before:
                    tried.append(f"{pressed}: value stayed {before}")
                    continue
                changed_svg = page.evaluate(_RERENDERED_SVG, chart_id)
                tried.append(f"{pressed}: {before} -> {after}")
                if changed_svg != original_svg:
                    break
            if changed_svg == original_svg:
                failures.append(f"{where}: the keyboard changed neither the chart nor its results ({'; '.join(tried)})")
            page.evaluate(_RESTORE_SIGNAL, [chart_id, bound["name"], bound["signal"]])
            restored_svg = page.evaluate(_RERENDERED_SVG, chart_id)
            # Compared as a multiset of SVG tags and texts: Vega may redraw the same axis ticks
            # in another order, which is the same chart.
            if _svg_parts(restored_svg) != _svg_parts(original_svg):
                failures.append(f"{where}: setting it back to {bound['signal']} did not restore the chart")
                original_svg = restored_svg
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


# Every axis's shown labels (Vega hides a label that would overlap another by opacity 0) with
# each range input at its minimum and at its maximum, the others at their values; restores all.
_AXIS_LABELS_AT_EXTREMES = """
async id => {
  const calculator = window.omcdCalculators[id];
  const figure = document.getElementById(id);
  const shownLabels = () => [...figure.querySelectorAll(".omcd-view g.role-axis")].map(axis =>
    [...axis.querySelectorAll(".role-axis-label text")]
      .filter(text => text.getAttribute("opacity") !== "0" && text.textContent.trim() !== "")
      .map(text => text.textContent));
  const out = [];
  for (const input of figure.querySelectorAll(".omcd-control input[type=range]")) {
    const original = calculator.views[0].signal(input.name);
    for (const end of [input.min, input.max]) {
      await calculator.apply({[input.name]: Number(end)});
      out.push({input: input.name, value: Number(end), axes: shownLabels()});
    }
    await calculator.apply({[input.name]: original});
  }
  return out;
}
"""


def test_no_axis_shows_a_label_twice(loaded_page):
    """With any slider at either end, each axis labels each tick once (a half-year tick with
    an integer format once read "0 1 1 2 2")."""
    page = loaded_page.page
    failures = []
    for chart_id in _wait_for_charts(loaded_page):
        for state in page.evaluate(_AXIS_LABELS_AT_EXTREMES, chart_id):
            for labels in state["axes"]:
                repeated = sorted(label for label, n in Counter(labels).items() if n > 1)
                if repeated:
                    failures.append(
                        f"#{chart_id} with {state['input']} = {state['value']:g}: "
                        f"an axis shows {repeated} more than once ({labels})"
                    )
    assert not failures, f"{loaded_page.url}:" + _bullets(failures)


# The expressions of a page's charts: how many compiled functions loaded, and the keys of those
# the page had to hand to the interpreter; first each calculator pins its scenario, moves each
# range input to both ends and back, and unpins.
_EXPRESSIONS = """
async ids => {
  const settle = () => new Promise(resolve => setTimeout(resolve, 50));
  for (const id of ids) {
    const calculator = window.omcdCalculators[id];
    const pin = document.getElementById(id).querySelector("button.omcd-pin");
    if (pin) { pin.click(); await settle(); }
    for (const input of document.getElementById(id).querySelectorAll(".omcd-control input[type=range]")) {
      const original = calculator.views[0].signal(input.name);
      for (const end of [input.min, input.max]) await calculator.apply({[input.name]: Number(end)});
      await calculator.apply({[input.name]: original});
    }
    if (pin) { pin.click(); await settle(); }
  }
  return {compiled: Object.keys(window.omcdVegaExpressions || {}).length, misses: window.omcdExpressionMisses || []};
}
"""


def test_every_chart_runs_the_expressions_compiled_at_build_time(loaded_page):
    """Every Vega expression a chart evaluates, at its defaults, with a scenario pinned and with
    any slider at either end, is a function the build compiled (``_static/omcd/expressions``), not one left to the
    slower interpreter (which walks the expression's syntax tree for every row)."""
    ids = _wait_for_charts(loaded_page)
    if not ids:
        return
    found = loaded_page.page.evaluate(_EXPRESSIONS, ids)
    assert found["compiled"] >= 20 * len(ids), f"{loaded_page.url}: only {found['compiled']} compiled expressions"
    assert not found["misses"], (
        f"{loaded_page.url}: {len(found['misses'])} expression(s) not compiled at build time:"
        + _bullets(m.replace("\u0001", " | ")[:200] for m in found["misses"][:5])
    )


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_no_serious_accessibility_violation(loaded_page, axe):
    _wait_for_charts(loaded_page)
    results = axe.run(loaded_page.page)
    report = []
    for violation in results.response["violations"]:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        targets = [" ".join(map(str, node.get("target", []))) for node in violation["nodes"]]
        shown = ", ".join(targets[:MAX_TARGETS])
        if len(targets) > MAX_TARGETS:
            shown += f" (+{len(targets) - MAX_TARGETS} more)"
        report.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{len(targets)} node(s): {shown}] {violation.get('helpUrl', '')}"
        )
    assert not report, f"{loaded_page.url}: {len(report)} serious or critical axe violation(s):" + _bullets(report)
