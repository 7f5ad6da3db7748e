"""Lean pages: what the built site's pages load, and the build steps that make them lean
(omcd/site_theme.py, omcd/site_math.py). Run after ./course site (the first tests need no site).

Each page keeps what a reader sees (icons, maths, search, dark mode) without the weight: no
Font Awesome script, no MathJax, no search index outside the search page, no ipywidgets state,
no Thebe, and every script deferred but the one the inline scripts after it read.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from omcd import site_math, site_theme
from omcd.devtools import REPO_ROOT, SITE_DIR

INSTRUCTOR_SITE = REPO_ROOT / "_build" / "instructor" / "_build" / "html"


# ----------------------------------------------------------------------------- build steps


@pytest.fixture(scope="module")
def icons() -> site_theme.Icons:
    static = site_theme.theme_static_dir()
    return site_theme.Icons((static / "scripts" / "fontawesome.js").read_text(encoding="utf-8"))


def test_an_icon_is_drawn_as_font_awesome_draws_it(icons):
    svg = icons.svg(' class="fa-solid fa-magnifying-glass fa-lg"', "fa-solid fa-magnifying-glass fa-lg")
    assert svg.startswith('<svg class="svg-inline--fa fa-magnifying-glass fa-lg" aria-hidden="true"')
    assert 'viewBox="0 0 512 512"' in svg and 'data-prefix="fas"' in svg
    assert re.search(r'<path fill="currentColor" d="M416 208c[^"]{100,}"></path></svg>$', svg)
    brand = icons.svg(' class="fab fa-github"', "fab fa-github")
    assert 'data-prefix="fab"' in brand and 'viewBox="0 0 496 512"' in brand


def test_an_icon_with_a_title_is_named_for_screen_readers(icons):
    svg = icons.svg(
        ' class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"',
        "theme-switch fa-solid fa-sun fa-lg",
    )
    assert 'aria-label="Light"' in svg and "<title>Light</title>" in svg and "aria-hidden" not in svg
    assert 'data-mode="light"' in svg and "theme-switch" in svg


def test_an_unknown_icon_stops_the_build(icons):
    with pytest.raises(site_theme.IconError, match="no-such-icon"):
        icons.draw('<p><i class="fa-solid fa-no-such-icon"></i></p>')


def test_every_icon_of_a_page_is_drawn_once_and_for_all(icons):
    page = (
        '<button><i class="fa-solid fa-bars"></i></button><span class="fa-solid fa-outdent"></span>'
        '<i class="fas fa-rocket"></i><i>emphasis</i>'
    )
    drawn = icons.draw(page)
    assert site_theme.undrawn_icons(drawn) == [] and drawn.count("<svg") == 3
    assert "<i>emphasis</i>" in drawn and "Font Awesome Free" in drawn  # attribution, once
    assert icons.draw(drawn) == drawn  # idempotent: an incremental build leaves it as it is


def test_formulas_become_mathml_with_their_source():
    mathml = site_math.to_mathml(r"S_t = P_t Q_t", display=False)
    assert mathml.startswith('<math display="inline"><semantics><mrow>')
    assert "<msub><mi>S</mi><mi>t</mi></msub>" in mathml
    assert '<annotation encoding="application/x-tex">S_t = P_t Q_t</annotation></semantics></math>' in mathml
    block = site_math.to_mathml(r"\sum_{k=1}^{K} \frac{C}{(1 + r)^k}", display=True)
    assert block.startswith('<math display="block">') and "<mfrac>" in block and "&#x02211;" in block
    assert "&lt;" in site_math.to_mathml(r"R < C")  # the source is escaped in its annotation


def test_named_functions_apply_to_their_argument():
    assert "<mi>ln</mi><mo>&#x2061;</mo><mspace" in site_math.to_mathml(r"\ln g")
    assert "<mi>ln</mi><mo>&#x2061;</mo><mo" in site_math.to_mathml(r"\ln(1/f)")


def test_a_formula_latex2mathml_cannot_draw_is_an_error():
    with pytest.raises(site_math.MathError, match=r"\\foo"):
        site_math.to_mathml(r"x = \foo{y}")


def test_the_maths_font_covers_the_italic_letters_browsers_draw():
    chars = site_math.characters(site_math.to_mathml(r"\varepsilon > \ln g / x_2"))
    assert {"\U0001d454", "\U0001d465", "\U0001d700", "2", ">", "l", "n"} <= chars  # g, x, epsilon


# ----------------------------------------------------------------------------- the built site


def _sites() -> list[Path]:
    sites = [s for s in (SITE_DIR, INSTRUCTOR_SITE) if (s / "index.html").exists()]
    if not sites:
        if os.environ.get("CI") == "true":
            pytest.fail("the site is not built: run ./course test")
        pytest.skip("the site is not built: run ./course site")
    return sites


def _pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.relative_to(site).parts[0] not in ("_static", "_sources"))


@pytest.fixture(scope="module")
def built() -> list[tuple[Path, str, str]]:
    """(site, page path, page text) for every page of every built edition."""
    return [
        (site, p.relative_to(site).as_posix(), p.read_text(encoding="utf-8")) for site in _sites() for p in _pages(site)
    ]


def _head_scripts(page: str) -> list[str]:
    head = page.split("</head>", 1)[0]
    return re.findall(r"<script\b[^>]*\bsrc=\"[^\"]+\"[^>]*>", head)


def test_no_page_loads_what_it_does_not_use(built):
    unwanted = {
        "Font Awesome's script": r"fontawesome\.js",
        "MathJax": r"MathJax|_static/mathjax|x-mathjax-config",
        "the ipywidgets state": r"application/vnd\.jupyter\.widget-state\+json",
        "Thebe": r"thebe|kernelName =",
        "the theme's full stylesheet": r"pydata-sphinx-theme\.css|styles/theme\.css",
    }
    for site, path, page in built:
        for what, pattern in unwanted.items():
            assert not re.search(pattern, page), f"{site.name}/{path} loads {what}"


def test_the_search_index_is_loaded_by_the_search_page_only(built):
    for _site, path, page in built:
        loads = bool(re.search(r'<script\b[^>]*\bsrc="[^"]*searchindex\.js"', page))
        assert loads == (path == "search.html"), f"{path}: search index {'loaded' if loads else 'missing'}"


def test_every_script_in_the_head_is_deferred_but_the_one_inline_scripts_read(built):
    for _site, path, page in built:
        for tag in _head_scripts(page):
            if "documentation_options.js" in tag:
                continue
            assert re.search(r"\b(defer|async)\b|type=\"module\"", tag), f"{path}: blocks the first paint: {tag}"


def _classes(body: str) -> list[set[str]]:
    return [set(c.split()) for c in re.findall(r'class="([^"]*)"', body)]


def test_toggle_copy_and_tab_scripts_only_where_a_page_uses_them(built):
    for _site, path, page in built:
        if "<body" not in page:
            continue  # index.html: a redirect
        body = page.split("<body", 1)[1]
        # sphinx-togglebutton's selector: ".toggle, .admonition.dropdown"
        uses_toggles = any("toggle" in c or {"admonition", "dropdown"} <= c for c in _classes(body))
        assert ("togglebutton.js" in page) == uses_toggles, f"{path}: toggle script and toggles disagree"
        assert ("copybutton.js" in page) == ('class="highlight' in body), f"{path}: copy button and code disagree"
        uses_design = any(any(name.startswith("sd-") for name in c) for c in _classes(body))
        assert ("sphinx-design.min.css" in page) == uses_design, f"{path}: sphinx-design stylesheet and use disagree"


def test_every_icon_is_inline_svg(built):
    for _site, path, page in built:
        assert site_theme.undrawn_icons(page) == [], f"{path}: icon left to Font Awesome's script"
    assert any("svg-inline--fa" in page for _s, _p, page in built)


def test_every_formula_is_mathml_with_its_source(built):
    formulas = 0
    for _site, path, page in built:
        for element in re.findall(
            r'<(?:span|div) class="math notranslate nohighlight">(.*?)</(?:span|div)>', page, re.S
        ):
            formulas += 1
            assert "<math" in element and "application/x-tex" in element, f"{path}: not MathML: {element[:200]}"
        assert not re.search(
            r"\\\(|\\\[", re.sub(r"<annotation.*?</annotation>|<pre.*?</pre>", "", page, flags=re.S)
        ), f"{path}: a formula left for a script to typeset"
    assert formulas > 0


def _cmap(*fonts: Path) -> set[int]:
    from fontTools.ttLib import TTFont

    return {c for font in fonts for c in TTFont(font).getBestCmap()}


def test_the_maths_font_draws_every_character_of_every_formula():
    for site in _sites():
        covered = _cmap(site / site_math.MATH_FONT)
        asked: set[str] = set()
        for p in _pages(site):
            asked |= site_math.characters(p.read_text(encoding="utf-8"))
        missing = sorted(f"{html.escape(c)} U+{ord(c):04X}" for c in asked if not c.isspace() and ord(c) not in covered)
        assert not missing, f"{site}: the maths font lacks {missing}"


def test_the_icon_fonts_draw_every_icon_the_stylesheet_names():
    for site in _sites():
        css = (site / "_static" / "styles" / "omcd-theme.css").read_text(encoding="utf-8")
        webfonts = site / "_static" / "vendor" / "fontawesome" / "webfonts"
        referenced = re.findall(r"url\(\.\./vendor/fontawesome/webfonts/([^)]+)\)", css)
        assert referenced and all((webfonts / name).exists() for name in referenced), referenced
        covered = _cmap(*(webfonts / name for name in referenced))
        named = site_theme.codepoints(css)
        assert named and not {hex(c) for c in named - covered}, f"{site}: icon glyphs missing"


def test_a_slash_is_set_as_tex_sets_it_and_punctuation_stays_with_its_formula():
    assert '<mo lspace="0em" rspace="0em">&#x0002F;</mo>' in site_math.to_mathml("q/p")
    formula = '<span class="math notranslate nohighlight"><math><mi>H</mi></math></span>'
    page = f"at the horizon {formula}. Because ({formula} and {formula} ok"
    bound = site_math.bind_punctuation(page)
    assert bound.count('<span class="omcd-nobreak">') == 2
    assert (
        f'<span class="omcd-nobreak">{formula}.</span>' in bound
        and f'<span class="omcd-nobreak">({formula}</span>' in bound
    )
    assert site_math.bind_punctuation(bound) == bound
