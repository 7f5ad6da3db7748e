"""Named scenarios and shareable links of every calculator, in the browser.

For every calculator on every page (found in the built HTML, so new chapters are covered):
choosing a named scenario sets every input to the scenario's values and writes them to the
address; opening an address with inputs sets every control; a value outside its range is refused
with a message; and moving a slider with the keyboard rewrites the address.
"""

from __future__ import annotations

import json
import math
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from omcd.devtools import SITE_DIR, START_ALL_CHARTS, site_pages

pytestmark = pytest.mark.browser

_CONTROLS = re.compile(
    r'<figure class="omcd-calc" id="([^"]+)"[^>]*>.*?'
    r'<script type="application/json" class="omcd-spec">(.*?)</script>',
    re.S,
)


def calculators_on_pages() -> list[tuple[str, str, dict]]:
    found = []
    for page in site_pages():
        text = (SITE_DIR / page).read_text(encoding="utf-8")
        for figure_id, controls in _CONTROLS.findall(text):
            found.append((page, figure_id, json.loads(controls.replace("<\\/", "</"))))
    return found


CASES = calculators_on_pages()


@pytest.fixture()
def open_page(browser, base_url):
    contexts = []

    def open_(path: str, figure_id: str, query: str = ""):
        context = browser.new_context()
        contexts.append(context)
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
        page = context.new_page()
        page.goto(base_url + path + query)
        page.wait_for_load_state("load")
        page.evaluate(START_ALL_CHARTS)
        page.wait_for_selector(f"#{figure_id}[data-ready='true']", timeout=10_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def signals(page, figure_id: str, names: list[str]) -> dict[str, float]:
    return page.evaluate(
        "([id, names]) => Object.fromEntries(names.map(n => [n, window.omcdViews[id].signal(n)]))", [figure_id, names]
    )


def query_values(url: str, calculator: str) -> dict[str, float]:
    query = parse_qs(urlsplit(url).query)
    prefix = calculator + "."
    return {k[len(prefix) :]: float(v[0]) for k, v in query.items() if k.startswith(prefix)}


def on_grid(p: dict, value: float) -> float:
    """``value`` moved to the slider's grid (min + k * step), as omcd.params.Param.snap does."""
    from omcd.params import Param

    return Param(p["name"], p["label"], "", p["min"], p["max"], p["step"], p["integer"]).snap(value)


def close(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k], rel_tol=1e-9) for k in a)


def test_there_are_calculators_to_check():
    assert CASES, "no calculator with inputs was found in the built site"


@pytest.mark.parametrize("path, figure_id, meta", CASES, ids=[f"{p}#{f}" for p, f, _ in CASES])
def test_scenario_menu_sets_every_input_and_the_address(open_page, path, figure_id, meta):
    if not meta["presets"]:
        pytest.skip(f"{meta['name']} has no named scenarios in data/")
    names = [p["name"] for p in meta["params"]]
    page = open_page(path, figure_id)
    for preset in meta["presets"]:
        page.select_option(f"#{figure_id} select.omcd-preset", preset["id"])
        page.wait_for_function(
            "([id, n, v]) => window.omcdViews[id].signal(n) === v",
            arg=[figure_id, names[0], preset["values"][names[0]]],
        )
        assert close(signals(page, figure_id, names), preset["values"]), preset["id"]
        assert close(query_values(page.url, meta["name"]), preset["values"]), (
            f"{preset['id']}: the address does not carry the scenario: {page.url}"
        )
        for name in names:  # the sliders show the scenario too
            shown = float(page.locator(f"#{figure_id} .omcd-control input[name='{name}']").input_value())
            assert math.isclose(shown, preset["values"][name], rel_tol=1e-9), (preset["id"], name, shown)


@pytest.mark.parametrize("path, figure_id, meta", CASES, ids=[f"{p}#{f}" for p, f, _ in CASES])
def test_a_link_with_inputs_reproduces_the_scenario(open_page, path, figure_id, meta):
    names = [p["name"] for p in meta["params"]]
    # A scenario different from the page's defaults: each input about 40% of the way through its
    # range, on its slider's grid.
    wanted = {p["name"]: on_grid(p, p["min"] + 0.4 * (p["max"] - p["min"])) for p in meta["params"]}
    query = "?" + urlencode({f"{meta['name']}.{k}": repr(v) for k, v in wanted.items()})
    page = open_page(path, figure_id, query)
    assert close(signals(page, figure_id, names), wanted)
    assert page.locator(f"#{figure_id} .omcd-notice").text_content() == ""
    link = page.locator(f"#{figure_id} a.omcd-permalink").get_attribute("href")
    assert close(query_values(link, meta["name"]), wanted), link


@pytest.mark.parametrize("path, figure_id, meta", CASES, ids=[f"{p}#{f}" for p, f, _ in CASES])
def test_a_value_out_of_range_is_refused_with_a_message(open_page, path, figure_id, meta):
    names = [p["name"] for p in meta["params"]]
    first = meta["params"][0]
    plain = open_page(path, figure_id)
    defaults = signals(plain, figure_id, names)
    query = "?" + urlencode({f"{meta['name']}.{first['name']}": repr(first["max"] * 10 + 1)})
    page = open_page(path, figure_id, query)
    assert signals(page, figure_id, names) == defaults
    notice = page.locator(f"#{figure_id} .omcd-notice").text_content()
    assert first["label"] in notice and "outside its range" in notice, notice


@pytest.mark.parametrize("path, figure_id, meta", CASES, ids=[f"{p}#{f}" for p, f, _ in CASES])
def test_moving_a_slider_rewrites_the_address(open_page, path, figure_id, meta):
    page = open_page(path, figure_id)
    assert "?" not in page.url  # a plain visit keeps a plain address
    slider = page.locator(f"#{figure_id} .omcd-control input[type='range']").first
    name = slider.get_attribute("name")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.location.search.length > 0")
    value = page.evaluate("([id, n]) => window.omcdViews[id].signal(n)", [figure_id, name])
    assert math.isclose(query_values(page.url, meta["name"])[name], value, rel_tol=1e-9)


@pytest.mark.parametrize("path, figure_id, meta", CASES, ids=[f"{p}#{f}" for p, f, _ in CASES])
def test_a_value_between_slider_steps_is_rounded_and_said(open_page, path, figure_id, meta):
    """The chart, the slider and the address agree on the value used, and the notice says so."""
    names = [p["name"] for p in meta["params"]]
    p = next(q for q in meta["params"] if not q["integer"])
    between = on_grid(p, p["min"] + 0.4 * (p["max"] - p["min"])) + 0.37 * p["step"]
    page = open_page(path, figure_id, "?" + urlencode({f"{meta['name']}.{p['name']}": repr(between)}))
    used = signals(page, figure_id, names)[p["name"]]
    assert math.isclose(used, on_grid(p, between), rel_tol=1e-12)
    shown = float(page.locator(f"#{figure_id} .omcd-control input[name='{p['name']}']").input_value())
    assert math.isclose(shown, used, rel_tol=1e-12)
    link = page.locator(f"#{figure_id} a.omcd-permalink").get_attribute("href")
    assert math.isclose(query_values(link, meta["name"])[p["name"]], used, rel_tol=1e-12)
    notice = page.locator(f"#{figure_id} .omcd-notice").text_content()
    assert p["label"] in notice and "rounded to the slider's step" in notice, notice
