"""What the lean pages must keep (omcd/site_theme.py, omcd/site_math.py), in headless Chromium:
search (its index is loaded by the search page only), the dark mode switch, and maths drawn as
MathML in its font, on screen and in print, with no script.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

MATHS_PAGE = "chapters/01-open-source-catalyst/open-weights-or-closed-api.html"
TEXT_PAGE = "intro.html"


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(base_url) else r.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    yield page
    context.close()


def test_the_search_box_of_any_page_finds_a_page(page, base_url):
    page.goto(base_url + TEXT_PAGE, wait_until="networkidle")
    assert page.evaluate("typeof Search") == "undefined", "the search index is loaded on a reading page"
    page.keyboard.press("Control+k")
    field = page.locator("#pst-search-dialog input[name=q]")
    field.fill("elasticity")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=elasticity*")
    results = page.locator("#search-results ul.search li a")
    results.first.wait_for(timeout=10_000)
    links = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert any("price-war" in link for link in links), links
    assert not page.errors, page.errors


def test_the_theme_switch_turns_the_page_dark_and_back(page, base_url):
    page.goto(base_url + TEXT_PAGE, wait_until="networkidle")
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    switch = page.locator("button.theme-switch-button").first
    for _ in range(3):  # the switch cycles through the modes
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
        switch.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    dark = page.evaluate(background)
    assert dark != light and sum(int(v) for v in dark[dark.index("(") + 1 : -1].split(",")[:3]) < 3 * 80, dark
    visible = page.locator("button.theme-switch-button svg.theme-switch").evaluate_all(
        "icons => icons.filter(i => i.checkVisibility()).map(i => i.dataset.mode)"
    )
    assert len(visible) == 1, f"the switch shows {visible}"
    assert not page.errors, page.errors


_MATHS = """
() => [...document.querySelectorAll(".math math")].map(m => {
  const box = m.getBoundingClientRect();
  return {tex: m.querySelector("annotation")?.textContent, width: box.width, height: box.height,
          font: getComputedStyle(m).fontFamily};
})
"""


def test_maths_is_drawn_in_its_font_without_a_script(page, base_url):
    page.goto(base_url + MATHS_PAGE, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    formulas = page.evaluate(_MATHS)
    assert len(formulas) > 10
    empty = [f for f in formulas if f["width"] < 3 or f["height"] < 5]
    assert not empty, f"formula(s) not drawn: {empty[:5]}"
    assert all(f["font"].startswith('"OMCD Math"') for f in formulas)
    fonts = page.evaluate("[...document.fonts].filter(f => f.family.includes('OMCD Math')).map(f => f.status)")
    assert fonts == ["loaded"], fonts
    scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(src => /math/i.test(src))")
    assert scripts == [], scripts
    assert not page.errors, page.errors


def test_maths_prints(page, base_url):
    page.goto(base_url + MATHS_PAGE, wait_until="networkidle")
    page.emulate_media(media="print")
    formulas = page.evaluate(_MATHS)
    assert formulas and all(f["width"] >= 3 and f["height"] >= 5 for f in formulas)
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(page.pdf(format="A4"))).pages)
    # The formulas' letters are printed as the maths font draws them: Mathematical Italic
    # (N, pi, k of the profit formulas), not as the prose's letters.
    assert {"\U0001d441", "\U0001d70b", "\U0001d458"} <= set(text), "no formula in the printed page"
