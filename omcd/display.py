"""Show a website chart in a notebook cell so that it works on the static site with no CDN.

On the course website the cell's HTML loads the Vega bundle that the build copied into the
site (``_static/omcd/vega-bundle.js``, from the PyPI package ``vl-convert-python``) and draws
the chart with ``vegaEmbed``: every number is computed in the reader's browser, no kernel and
no other host involved. Outside the website (JupyterLab, Binder) the output says so and points
to the notebook's live ipywidgets calculator, which runs the same model in Python.
"""

from __future__ import annotations

import html
import itertools
import json

import altair as alt

#: Where the build puts the Vega bundle, relative to the site's root.
BUNDLE_PATH = "_static/omcd/vega-bundle.js"
_counter = itertools.count(1)

_SCRIPT = """
const figure = document.getElementById("{uid}");
const root = document.documentElement.dataset.content_root;
const view = figure.querySelector(".omcd-chart-view");
if (root === undefined) {{
  view.textContent = "This chart runs on the course website; in Jupyter, use the live calculator below.";
}} else {{
  window.omcdVega ??= import(root + "{bundle}");
  await window.omcdVega;
  const spec = JSON.parse(figure.querySelector("script.omcd-spec").textContent);
  const result = await window.vegaEmbed(view, spec, {{actions: false, renderer: "svg"}});
  (window.omcdViews ??= {{}})["{uid}"] = result.view;
  figure.dataset.ready = "true";
}}
"""


class SiteChart:
    """A chart displayed as HTML that draws itself on the course website."""

    def __init__(self, chart: alt.TopLevelMixin, name: str, description: str):
        self.chart = chart
        self.name = name
        self.description = description
        self.uid = f"omcd-{name}-{next(_counter)}"

    def to_html(self) -> str:
        spec = json.dumps(self.chart.to_dict(), separators=(",", ":")).replace("</", "<\\/")
        return (
            f'<figure class="omcd-chart" id="{self.uid}" data-calculator="{html.escape(self.name)}">'
            f'<div class="omcd-chart-view"></div>'
            f'<figcaption class="omcd-chart-description">{html.escape(self.description)}</figcaption>'
            f'<script type="application/json" class="omcd-spec">{spec}</script>'
            f"<noscript>This calculator is computed by JavaScript in your browser; "
            f"turn JavaScript on to use it.</noscript>"
            f'</figure>\n<script type="module">{_SCRIPT.format(uid=self.uid, bundle=BUNDLE_PATH)}</script>'
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html()}


def site_chart(chart: alt.TopLevelMixin, name: str) -> SiteChart:
    """Wrap an Altair chart for display; its ``description`` becomes the visible caption."""
    description = chart.to_dict().get("description", "")
    return SiteChart(chart, name, description)
