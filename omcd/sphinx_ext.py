"""Sphinx extension used by the book build (listed in ``_config.yml``).

* Chooses the edition: the student edition (default) hides exercise solutions; with
  ``OMCD_EDITION=instructor`` solutions are shown and the Sphinx tag ``instructor`` is set.
* Validates every file in ``data/`` before anything is built: a broken data file stops the
  build with a message naming the file, row and column.
* Writes maths as MathML when the site is built (``omcd.site_math``: no maths script in the
  page; ``html_math_renderer: omcd_mathml`` in ``_config.yml``) and cuts the maths font.
* Lean pages (``omcd.site_theme``): the theme's icons as inline SVG instead of ``fontawesome.js``,
  its stylesheet without the icon-font rules, the search index only on the search page.
* Loads each script and stylesheet only where it is used, and every script deferred (it runs
  once the page is parsed, without holding up the first paint): no ipywidgets state (the site
  runs no kernel), no Thebe, the toggle button and copy button scripts only on pages with
  toggles or code, sphinx-design's only on pages that use it.
* Hides the output of every notebook cell tagged ``solution-output`` in the student edition (a
  cell whose output states an exercise's answer, e.g. a loop printing the equilibria a solution
  names): its code stays on the page, its output is replaced by a note; the instructor edition
  shows the output, marked as hidden from students.
* Gives the sidebar's expand/collapse toggles an accessible name (the theme renders them as an
  empty ``<summary>``, a serious axe-core violation on every page).
* Removes the theme's duplicated ``THEBE_JS_URL`` declaration, which raised a page error on
  every page, and drops the Thebe loader (the site runs no kernel; Binder does).
"""

from __future__ import annotations

import os
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform

from omcd import site_math, site_theme

EDITIONS = ("student", "instructor")

#: Scripts and stylesheets a page needs only when it has one of these features (see
#: ``_page_features``); matched against the asset's file name or inline body.
CONDITIONAL_ASSETS = {
    "toggle": ("togglebutton", "toggleHint", "toggleOpenOnPrint"),
    "code": ("copybutton", "clipboard.min.js"),
    "design": ("design-tabs.js", "sphinx-design"),
}
#: Never on a page: the notebooks' ipywidgets state (no widget manager runs on the site) and
#: Thebe (the site runs no kernel; Binder does).
DROPPED_ASSETS = ("application/vnd.jupyter.widget-state+json", "thebe", "THEBE_JS_URL")
#: Scripts that stay synchronous: the inline scripts after them read what they define.
SYNCHRONOUS_SCRIPTS = ("documentation_options.js",)


def _choose_edition(app: Sphinx, config) -> None:
    edition = os.environ.get("OMCD_EDITION", "student")
    if edition not in EDITIONS:
        raise ExtensionError(f"OMCD_EDITION = {edition!r}: it must be one of {', '.join(EDITIONS)}.")
    config.hide_solutions = edition == "student"
    # The theme's download menu links to source copies (_sources/), which the site does not
    # publish (html_copy_source: false): they would carry the solutions.
    config.html_theme_options = {**config.html_theme_options, "use_download_button": False}
    config.html_context = {**config.html_context, "omcd_edition": edition}
    app.tags.add(edition)


#: Cell tag: the cell's output answers an exercise; shown in the instructor edition only.
SOLUTION_OUTPUT_TAG = "solution-output"
SOLUTION_OUTPUT_NOTE = {
    "student": "The output of this cell answers an exercise: it is shown in the instructor edition. "
    "Run the notebook (Binder, rocket icon above) to see it.",
    "instructor": "Instructor edition: students do not see this output on the website (it answers an "
    "exercise); it appears when they run the notebook.",
}


class SolutionOutputs(SphinxTransform):
    """In the student edition, drop the outputs of cells tagged ``solution-output``."""

    default_priority = 500

    def apply(self, **kwargs) -> None:
        edition = "student" if self.config.hide_solutions else "instructor"
        for cell in list(self.document.findall(nodes.container)):
            if cell.get("nb_element") != "cell_code" or f"tag_{SOLUTION_OUTPUT_TAG}" not in cell["classes"]:
                continue
            outputs = [
                c for c in cell.children if isinstance(c, nodes.container) and c.get("nb_element") == "cell_code_output"
            ]
            if edition == "student":
                for output in outputs:
                    cell.remove(output)
            note = nodes.paragraph(text=SOLUTION_OUTPUT_NOTE[edition], classes=["omcd-solution-output-note"])
            cell.append(note)


def _validate_data(app: Sphinx) -> None:
    from omcd.data import DataValidationError, validate_all

    try:
        validate_all()
    except DataValidationError as error:
        raise ExtensionError(f"data/ is invalid, the book is not built:\n{error}") from error


def _slim_site(app: Sphinx, exception: Exception | None) -> None:
    """Once every page is written: icons, theme stylesheet, search scripts, maths font."""
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    try:
        site_theme.slim_site(outdir)
    except site_theme.IconError as error:
        raise ExtensionError(f"theme icons: {error}") from error
    site_math.write_font(outdir, stamp=Path(app.doctreedir) / "omcd-math.chars")


def _drop_thebe_nodes(app: Sphinx, doctree, docname) -> None:
    """sphinx-thebe appends its configuration and a ``kernelName`` script to every page."""
    for raw in list(doctree.findall(nodes.raw)):
        if "x-thebe-config" in raw.astext() or "kernelName =" in raw.astext():
            raw.parent.remove(raw)


def _page_features(doctree) -> set[str]:
    """What a page has that some scripts and stylesheets serve (nothing for generated pages)."""
    features: set[str] = set()
    if doctree is None:
        return features
    for node in doctree.findall(nodes.Element):
        if isinstance(node, nodes.literal_block):
            features.add("code")
        classes = node.get("classes", [])
        if "toggle" in classes or "dropdown" in classes:
            features.add("toggle")
        if any(c.startswith("sd-") for c in classes):
            features.add("design")
    return features


def _asset_text(asset) -> str:
    attributes = getattr(asset, "attributes", {})
    return " ".join(
        str(v) for v in (getattr(asset, "filename", "") or "", attributes.get("body", ""), attributes.get("type", ""))
    )


def _lean_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """Each page's scripts and stylesheets: only those it uses, scripts deferred."""
    features = _page_features(doctree)

    def wanted(asset) -> bool:
        text = _asset_text(asset)
        if any(marker in text for marker in DROPPED_ASSETS):
            return False
        return all(
            feature in features or not any(marker in text for marker in markers)
            for feature, markers in CONDITIONAL_ASSETS.items()
        )

    scripts = context.get("script_files")
    if scripts is not None:
        kept = []
        for script in filter(wanted, scripts):
            attributes = dict(script.attributes)
            if (
                script.filename
                and not {"async", "defer"} & set(attributes)
                and attributes.get("type") != "module"
                and not str(script.filename).endswith(SYNCHRONOUS_SCRIPTS)
            ):
                script = type(script)(script.filename, priority=script.priority, **attributes, defer="defer")
            kept.append(script)
        scripts[:] = kept
    styles = context.get("css_files")
    if styles is not None:
        styles[:] = list(filter(wanted, styles))


def _label_summaries(toctree):
    """Name each empty ``<summary>`` toggle after the section it opens."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(toctree, "html.parser") if isinstance(toctree, str) else toctree
    for summary in soup.select("li.has-children > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        section = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Show or hide the pages of {section}"
    return str(soup) if isinstance(toctree, str) else soup


def _label_toctree_toggles(app: Sphinx, pagename, templatename, context, doctree) -> None:
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_omcd_labelled", False):
        return

    def labelled(*args, **kwargs):
        return _label_summaries(generate(*args, **kwargs))

    labelled._omcd_labelled = True
    context["generate_toctree_html"] = labelled


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", _choose_edition)
    app.add_transform(SolutionOutputs)
    app.connect("builder-inited", _validate_data)
    app.add_html_math_renderer("omcd_mathml", (site_math.visit_math, None), (site_math.visit_displaymath, None))
    app.connect("doctree-resolved", _drop_thebe_nodes, priority=900)
    app.connect("html-page-context", _lean_assets, priority=900)
    app.connect("html-page-context", _label_toctree_toggles, priority=900)
    app.connect("build-finished", _slim_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
