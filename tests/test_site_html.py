"""Static checks of the built website's HTML (run after ./course site or ./course test)."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from omcd.devtools import REPO_ROOT
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
            f"{page}: loads the ipywidgets HTML manager"
        )


def test_no_page_references_assets_on_other_hosts():
    pattern = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?//[^"]+"', re.I)
    for page in built_pages():
        hits = [m.group(0)[:120] for m in pattern.finditer(page.read_text(encoding="utf-8"))]
        assert not hits, f"{page}: {hits}"


def test_every_chart_has_a_title_and_a_text_description():
    """Each view of a chart or calculator: a title stating its point (HTML, above the chart), and
    a long description referenced by the view (aria-describedby) and offered under "Describe
    this chart"."""
    views = 0
    for page in built_pages():
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(
            r'<div class="omcd-view"[^>]*aria-labelledby="([^"]+)"[^>]*'
            r'aria-describedby="([^"]+)"',
            text,
        ):
            views += 1
            title = re.search(rf'<p class="omcd-title" id="{match.group(1)}">(.*?)</p>', text)
            assert title and len(title.group(1).split()) >= 4, f"{page}: view {match.group(1)} has no title"
            description = re.search(rf'<p id="{match.group(2)}">(.*?)</p>', text)
            assert description and len(description.group(1).split()) >= 20, (
                f"{page}: view {match.group(2)} has no description of 20 words or more"
            )
        assert text.count('class="omcd-view"') == len(re.findall(r'class="omcd-view"[^>]*aria-describedby=', text)), (
            page
        )
    assert views >= 8


def _repository() -> dict:
    import yaml

    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    return config["repository"]


def test_notebook_pages_launch_the_student_copy_in_binder_and_jupyterhub(student_script, student_tree):
    repository = _repository()
    repo = repository["url"]  # set once in _config.yml
    owner_repo = repo.removeprefix("https://github.com/")
    # The buttons open the branch the Pages workflow publishes the student copies to.
    branch = student_script.STUDENT_BRANCH
    assert repository["branch"] == branch
    notebooks = [p for p in built_pages() if (REPO_ROOT / p.relative_to(SITE)).with_suffix(".ipynb").exists()]
    assert notebooks, "no notebook page found"
    for page in notebooks:
        text = page.read_text(encoding="utf-8")
        source = page.relative_to(SITE).with_suffix(".ipynb").as_posix()
        assert f"https://mybinder.org/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/{source}" in text, page
        hub = re.search(r'href="(https://[^"]*/hub/user-redirect/git-pull\?[^"]+)"', text)
        assert hub, f"{page}: no JupyterHub link"
        query = parse_qs(urlparse(html.unescape(hub.group(1))).query)
        assert query["repo"] == [repo] and query["branch"] == [branch], f"{page}: {query}"
        assert query["urlpath"] == [f"lab/tree/{repo.rsplit('/', 1)[-1]}/{source}"], f"{page}: {query}"
        # What the buttons open exists in the student tree, and is the student copy.
        assert (student_tree / source).is_file(), f"{page}: the student branch has no {source}"
        assert "{solution}" not in (student_tree / source).read_text(encoding="utf-8")
        assert "colab.research.google.com" not in text, f"{page}: Colab cannot run our notebooks"
        assert f'href="{repo}"' in text, f"{page}: no repository button"


def test_no_link_points_to_source_copies_the_site_does_not_publish():
    for page in built_pages():
        assert "_sources/" not in page.read_text(encoding="utf-8"), f"{page} links to _sources/"
