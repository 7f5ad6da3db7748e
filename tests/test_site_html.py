"""Static checks of the built website's HTML (run after ./course site or ./course test)."""

from __future__ import annotations

import os
import re
import pytest

from omcd.devtools import SITE_DIR as SITE


def built_pages() -> list[Path]:
    if not (SITE / "index.html").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("the site is not built: run ./course test")
        pytest.skip("the site is not built: run ./course site")
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def test_no_page_shows_or_loads_ipywidgets():
    for page in built_pages():
        text = page.read_text(encoding="utf-8")
        assert "application/vnd.jupyter.widget-view+json" not in text, f"{page}: a dead ipywidget is shown"
        assert not re.search(r"html-manager|require\.min\.js|require\.js", text), (
            f"{page}: loads the ipywidgets HTML manager")


def test_no_page_references_assets_on_other_hosts():
    pattern = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?//[^"]+"', re.I)
    for page in built_pages():
        hits = [m.group(0)[:120] for m in pattern.finditer(page.read_text(encoding="utf-8"))]
        assert not hits, f"{page}: {hits}"


def test_every_chart_has_a_text_description():
    charts = 0
    for page in built_pages():
        for match in re.finditer(r'<figure class="omcd-chart".*?<figcaption[^>]*>(.*?)</figcaption>',
                                 page.read_text(encoding="utf-8"), re.S):
            charts += 1
            assert len(match.group(1).split()) >= 20, f"{page}: chart description too short"
    assert charts >= 1
