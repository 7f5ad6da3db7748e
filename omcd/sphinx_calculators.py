"""Sphinx extension (listed in ``_config.yml``): the charts' code, only where it is used.

* A page whose body holds a chart or a calculator written by :mod:`omcd.display` gets
  ``_static/omcd-calculators.js`` as a classic, deferred script; every other page loads no chart
  code at all. The script loads the Vega runtime itself (see ``site_assets/omcd-calculators.js``).
* Writes that runtime, ``vl_convert.javascript_bundle()`` from the PyPI package
  ``vl-convert-python``, into the site, so charts never load a script from another host. The
  bundle is an ES module body; it is wrapped in a function so that, loaded as a classic script
  (which a page opened from disk can do, where a module import is refused), its top-level names
  stay its own instead of clashing with the page's (Sphinx declares ``_`` globally). It sets
  ``window.vegaEmbed`` itself.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

from omcd.display import BUNDLE_PATH, SCRIPT_PATH

MARKERS = ('class="omcd-calc"', 'class="omcd-chart"')


def _add_calculator_script(app: Sphinx, pagename, templatename, context, doctree) -> None:
    body = context.get("body") or ""
    if any(marker in body for marker in MARKERS):
        app.add_js_file(SCRIPT_PATH.removeprefix("_static/"), loading_method="defer")


def _write_vega_bundle(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from importlib.metadata import version

    import vl_convert

    target = Path(app.outdir) / BUNDLE_PATH
    stamp = target.with_suffix(".version")
    made_by = f"vl-convert-python {version('vl-convert-python')}, wrapped"
    if target.exists() and stamp.exists() and stamp.read_text() == made_by:
        return  # building the bundle takes seconds; skip it when the same package made it
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("(function () {\n" + vl_convert.javascript_bundle() + "\n})();\n", encoding="utf-8")
    stamp.write_text(made_by)


def setup(app: Sphinx) -> dict:
    app.connect("html-page-context", _add_calculator_script)
    app.connect("build-finished", _write_vega_bundle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
