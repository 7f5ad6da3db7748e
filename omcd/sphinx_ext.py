"""Sphinx extension used by the book build (listed in ``_config.yml``).

* Chooses the edition: the student edition (default) hides exercise solutions; with
  ``OMCD_EDITION=instructor`` solutions are shown and the Sphinx tag ``instructor`` is set.
* Validates every file in ``data/`` before anything is built: a broken data file stops the
  build with a message naming the file, row and column.
* Copies MathJax 2 from the PyPI package ``jupyter-server-mathjax`` into the site
  (``_static/mathjax``; ``mathjax_path`` in ``_config.yml`` points there) instead of a CDN.
* Gives the sidebar's expand/collapse toggles an accessible name (the theme renders them as an
  empty ``<summary>``, a serious axe-core violation on every page).
* Removes the theme's duplicated ``THEBE_JS_URL`` declaration, which raised a page error on
  every page, and drops the Thebe loader (the site runs no kernel; Binder does).
* Hides the output of every notebook cell tagged ``solution-output`` in the student edition (a
  cell whose output states an exercise's answer, e.g. a loop printing the equilibria a solution
  names): its code stays on the page, its output is replaced by a note; the instructor edition
  shows the output, marked as hidden from students.
* Stops Font Awesome (the theme's icons) from watching every change to the page: its
  ``MutationObserver`` re-scanned the page each time a calculator redrew its chart, a few
  milliseconds per slider move. The icons in the page are still drawn when it loads (the theme
  adds icons later only to version-switcher banners, which this site does not use).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.transforms import SphinxTransform



EDITIONS = ("student", "instructor")

#: Read by Font Awesome when its (deferred) script starts; an inline script runs before it.
FONTAWESOME_CONFIG = "window.FontAwesomeConfig = { observeMutations: false };"


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
            outputs = [c for c in cell.children if isinstance(c, nodes.container)
                       and c.get("nb_element") == "cell_code_output"]
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


def _copy_mathjax(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from importlib.util import find_spec

    # Locate the package without importing it: importing it would start loading a Jupyter server.
    source = Path(find_spec("jupyter_server_mathjax").submodule_search_locations[0]) / "static"
    target = Path(app.outdir) / "_static" / "mathjax"
    if not (target / "MathJax.js").exists():
        shutil.copytree(source, target, dirs_exist_ok=True)


def _drop_thebe_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """sphinx-thebe adds `const THEBE_JS_URL = ...` inline and again in a file on every page."""
    scripts = context.get("script_files")
    if not scripts:
        return
    kept = []
    for script in scripts:
        text = f"{getattr(script, 'filename', '') or ''} {getattr(script, 'attributes', {}).get('body', '')}"
        if "thebe" in text.lower() or "THEBE_JS_URL" in text:
            continue
        kept.append(script)
    scripts[:] = kept


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
    app.add_js_file(None, body=FONTAWESOME_CONFIG)
    app.connect("builder-inited", _validate_data)
    app.connect("html-page-context", _drop_thebe_scripts, priority=900)
    app.connect("html-page-context", _label_toctree_toggles, priority=900)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
