"""What the reader reads is what the model computes: every number on every calculator, as text.

The parity test (tests/test_parity.py) proves that the numbers a chart computes equal the
model's. This test reads what the reader actually reads, as rendered text in Chromium: every
input's value, every results row and the verdict sentence. For every calculator on every page,
at its defaults, its named scenarios, its knife-edge cases and 20 random points on the sliders'
grid (set in every view of the calculator, as a link or a scenario does), each text must equal
the one Python writes from the same definitions (``SiteCalculator.texts``: the model's outputs
formatted by ``omcd.formats``). The notebook widget, set to the same inputs, must show the same
rows, in the same order.

A second test proves the comparison can fail: the page is served with its spec changed the way
a slip would change it (a row showing another output, a format's precision, a unit) and the
comparison must notice each change.
"""

from __future__ import annotations

import html
import json
import random
import re

import pytest

from omcd.charts.registry import SiteCalculator, get
from omcd.devtools import START_ALL_CHARTS, calculator_figures

pytestmark = pytest.mark.browser
N_RANDOM_POINTS = 20

CASES = calculator_figures()
IDS = [f"{page}#{figure_id}" for page, figure_id, _ in CASES]
#: One page per calculator, for the slips.
ONE_EACH = list({name: (page, figure_id, name) for page, figure_id, name in reversed(CASES)}.values())

# What the reader reads in one calculator: each input's shown value, each results row, the verdict.
_READ = """
id => {
  const figure = document.getElementById(id);
  const text = e => e ? e.textContent.replace(/\\s+/g, " ").trim() : null;
  return {
    inputs: Object.fromEntries([...figure.querySelectorAll(".omcd-control input")].map(
      input => [input.name, text(figure.querySelector(`output[for="${input.id}"]`))])),
    valuetexts: Object.fromEntries([...figure.querySelectorAll(".omcd-control input")].map(
      input => [input.name, input.getAttribute("aria-valuetext")])),
    rows: [...figure.querySelectorAll("table.omcd-results tbody tr")].map(
      tr => [text(tr.querySelector("th")), text(tr.querySelector("td"))]),
    verdict: text(figure.querySelector(".omcd-verdict-text")),
  };
}
"""
_APPLY = "async ([id, values]) => { await window.omcdCalculators[id].apply(values); }"


def points(calc: SiteCalculator, seed: str) -> list[dict[str, float]]:
    """The calculator's own test points, then random points on the sliders' grid."""
    rng = random.Random(seed)
    out = [dict(p) for p in calc.test_points()]
    for _ in range(N_RANDOM_POINTS):
        out.append({p.name: p.snap(rng.uniform(p.minimum, p.maximum)) for p in calc.params})
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def differences(calc: SiteCalculator, inputs: dict[str, float], shown: dict) -> list[str]:
    """Every difference between what the page shows and what Python writes, as readable lines."""
    expected = calc.texts(inputs)
    where = f"{calc.name} at {inputs}"
    problems = []
    for name, text in expected["inputs"].items():
        for kind in ("inputs", "valuetexts"):
            if shown[kind].get(name) != text:
                problems.append(f"{where}: input {name} ({kind}) shows {shown[kind].get(name)!r}, expected {text!r}")
    wanted_rows = [(label.strip(), value) for label, value in expected["rows"]]
    got_rows = [tuple(row) for row in shown["rows"]]
    if len(got_rows) != len(wanted_rows):
        problems.append(f"{where}: {len(got_rows)} results rows shown, {len(wanted_rows)} expected")
    for (label, value), got in zip(wanted_rows, got_rows):
        if got != (label, value):
            problems.append(f"{where}: row {label!r} shows {got!r}, expected {(label, value)!r}")
    if _squash(shown["verdict"] or "") != _squash(expected["verdict"]):
        problems.append(f"{where}: the verdict reads {shown['verdict']!r}, expected {expected['verdict']!r}")
    return problems


def check_page(page, figure_id: str, calc: SiteCalculator, inputs_list) -> tuple[list[str], list]:
    problems, seen = [], []
    for inputs in inputs_list:
        page.evaluate(_APPLY, [figure_id, inputs])
        shown = page.evaluate(_READ, figure_id)
        seen.append((inputs, shown))
        problems += differences(calc, inputs, shown)
    return problems, seen


@pytest.fixture()
def open_calculator(browser, base_url):
    contexts = []

    def open_(path: str, figure_id: str, route=None, viewport=None):
        context = browser.new_context(**({"viewport": viewport} if viewport else {}))
        contexts.append(context)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        if route is not None:
            context.route(base_url + path, route)
        page = context.new_page()
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        page.evaluate(START_ALL_CHARTS)
        page.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def _widget(name: str):
    import importlib
    import inspect

    from omcd.widgets._base import CalculatorWidget

    module = importlib.import_module(f"omcd.widgets.{name}")
    (cls,) = [
        c
        for _, c in inspect.getmembers(module, inspect.isclass)
        if issubclass(c, CalculatorWidget) and c is not CalculatorWidget
    ]
    return cls()


def _widget_rows(widget, inputs: dict[str, float]) -> list[tuple[str, str]]:
    widget._holding = True
    try:
        for name, value in inputs.items():
            widget.controls[name].value = value
    finally:
        widget._holding = False
    widget.update()
    return [
        (html.unescape(k), html.unescape(v))
        for k, v in re.findall(r"<th scope='row'[^>]*>(.*?)</th><td[^>]*>(.*?)</td>", widget.table.value)
    ]


def test_there_are_calculators_to_read():
    assert len({name for _, _, name in CASES}) >= 6, CASES


@pytest.mark.parametrize("path, figure_id, name", CASES, ids=IDS)
def test_every_number_shown_is_the_models(open_calculator, path, figure_id, name):
    calc = get(name)
    page = open_calculator(path, figure_id)
    # As the page opens: the defaults, written by Python at build time and rewritten by the page.
    problems = differences(calc, dict(calc.defaults()), page.evaluate(_READ, figure_id))
    more, seen = check_page(page, figure_id, calc, points(calc, f"reader-{name}"))
    problems += more
    assert not problems, f"{len(problems)} difference(s):\n" + "\n".join(problems[:12])
    # The notebook widget at the same inputs shows the same rows, in the same order.
    widget = _widget(name)
    for inputs, shown in seen:
        site_rows = [tuple(row) for row in shown["rows"]]
        assert _widget_rows(widget, inputs) == site_rows, f"{name} at {inputs}: the widget's table differs"


# Slips the comparison must catch, each applied to the first results row that allows it.
def _swap_field(expr: str, calc: SiteCalculator, row: int) -> str | None:
    """The row reads another output: its first output field replaced by one with another value."""
    values = calc.outputs(dict(calc.defaults()))
    used = [name for name in re.findall(r'datum\["(\w+)"\]', expr) if name in values]
    if not used:
        return None
    others = [
        name for name, value in values.items() if name != used[0] and value is not None and value != values[used[0]]
    ]
    return expr.replace(f'datum["{used[0]}"]', f'datum["{others[0]}"]') if others else None


def _precision(expr: str, calc: SiteCalculator, row: int) -> str | None:
    match = re.search(r'"([^"]*\.)(\d)([~]?[f%])"', expr)
    if not match:
        return None
    return expr[: match.start()] + f'"{match.group(1)}{int(match.group(2)) + 1}{match.group(3)}"' + expr[match.end() :]


def _unit(expr: str, calc: SiteCalculator, row: int) -> str | None:
    match = re.search(r"format\(", expr)
    return None if not match else expr.replace("format(", "'USD ' + format(", 1)


MUTATIONS = {"a row shows another output": _swap_field, "a format's precision": _precision, "a unit": _unit}


@pytest.mark.parametrize("mutation", list(MUTATIONS))
@pytest.mark.parametrize("path, figure_id, name", ONE_EACH, ids=[name for _, _, name in ONE_EACH])
def test_the_comparison_catches_a_slip(open_calculator, base_url, path, figure_id, name, mutation):
    calc = get(name)
    change = MUTATIONS[mutation]
    applied = []

    def serve_mutated(route):
        body = route.fetch().text()
        match = re.search(
            rf'(<figure class="omcd-calc" id="{figure_id}".*?<script type="application/json" '
            r'class="omcd-spec">)(.*?)(</script>)',
            body,
            re.S,
        )
        meta = json.loads(match.group(2).replace("<\\/", "</"))
        (results,) = [d for d in meta["views"][0]["data"] if d["name"] == "omcd_results"]
        for transform in results["transform"]:
            name = transform.get("as")
            index = re.fullmatch(r"omcd_row_(\d+)", name) if isinstance(name, str) else None
            if index and not applied:
                new = change(transform["expr"], calc, int(index.group(1)))
                if new is not None and new != transform["expr"]:
                    transform["expr"] = new
                    applied.append(f"row {index.group(1)}: {new[:120]}")
        text = json.dumps(meta, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
        route.fulfill(
            body=body[: match.start(2)] + text + body[match.end(2) :],
            headers={**route.request.headers, "content-type": "text/html; charset=utf-8"},
        )

    page = open_calculator(path, figure_id, route=serve_mutated)
    assert applied, f"{name}: no results row could take the slip '{mutation}'"
    problems, _ = check_page(page, figure_id, calc, points(calc, f"slip-{name}")[:6])
    assert problems, f"{name}: the slip '{mutation}' ({applied[0]}) went unnoticed"


# Each signed amount in the results and the verdict ("−⁠$12.3bn", "+5 pp", "−8%"): the page's text
# boxes narrowed to nothing, so that Chromium takes every line break the text allows, and the
# number of lines from the sign to the first digit after it.
_SIGN_LINES = r"""
id => {
  const figure = document.getElementById(id);
  const boxes = [figure.querySelector(".omcd-verdict-text"), ...figure.querySelectorAll("td[data-row]")];
  const found = [];
  for (const box of boxes.filter(Boolean)) {
    box.style.display = "inline-block";
    box.style.width = "0";
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/[\u2212+][^\d\s]*\d/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        found.push({ amount: m[0], lines: lines.size, near: node.data.slice(Math.max(0, m.index - 24), m.index + 16) });
      }
    }
  }
  return found;
}
"""
_SIGNED_CURRENCY = re.compile("[\u2212+]\u2060?\\$")


def test_a_sign_stays_on_the_line_of_its_amount(open_calculator):
    """On a phone, no results row or reading ends a line with "−" and starts the next with the
    amount: at inputs where each calculator shows a signed dollar amount (the AI build-out's
    negative cash flow among them), every sign sits on the line of its digits."""
    checked, problems = set(), []
    for path, figure_id, name in ONE_EACH:
        calc = get(name)
        signed = [
            p
            for p in points(calc, f"signs-{name}")
            if _SIGNED_CURRENCY.search(json.dumps(calc.texts(p), ensure_ascii=False))
        ]
        if not signed:
            continue
        page = open_calculator(path, figure_id, viewport={"width": 390, "height": 844})
        for inputs in signed[:3]:
            page.evaluate(_APPLY, [figure_id, inputs])
            found = page.evaluate(_SIGN_LINES, figure_id)
            assert any(_SIGNED_CURRENCY.match(f["amount"]) for f in found), f"{name} at {inputs}: no signed amount read"
            checked.add(name)
            problems += [f"{name} at {inputs}: {f['near']!r} breaks after the sign" for f in found if f["lines"] != 1]
        page.context.close()
    assert "ai_buildout" in checked, f"no negative dollar amount was shown by the AI build-out (checked: {checked})"
    assert not problems, "\n".join(problems[:12])
