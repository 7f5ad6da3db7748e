"""Show a website chart in a notebook cell so that it works on the static site with no CDN.

On the course website the cell's HTML is drawn by ``_static/omcd-calculators.js`` (from
``site_assets/``), which loads the Vega bundle the build copied into the site
(``_static/omcd/vega-bundle.js``, from the PyPI package ``vl-convert-python``): every number is
computed in the reader's browser, no kernel and no other host involved. A registered calculator
also gets a scenario menu (its named scenarios from ``data/``) and a shareable address: the
inputs are written to the page's query string, and a link with them opens the same scenario.
Outside the website (JupyterLab, Binder) the output says so and points to the notebook's live
ipywidgets calculator, which runs the same model in Python.
"""

from __future__ import annotations

import html
import itertools
import json

import altair as alt

#: Where the build puts the Vega bundle and the calculators' script, relative to the site root.
BUNDLE_PATH = "_static/omcd/vega-bundle.js"
SCRIPT_PATH = "_static/omcd-calculators.js"
_counter = itertools.count(1)

_SCRIPT = """
const figure = document.getElementById("{uid}");
const root = document.documentElement.dataset.content_root;
if (root === undefined) {{
  figure.querySelector(".omcd-chart-view").textContent =
    "This chart runs on the course website; in Jupyter, use the live calculator below.";
}} else {{
  const {{ mount }} = await import(root + "{script}");
  await mount(figure, root + "{bundle}");
}}
"""


def _json_script(css_class: str, data: object) -> str:
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")
    return f'<script type="application/json" class="{css_class}">{text}</script>'


_SPELLING = {"deepseek": "DeepSeek", "h100": "H100", "api": "API", "gpu": "GPU", "aws": "AWS",
             "qwen": "Qwen", "alibaba": "Alibaba", "llmflation": "LLMflation", "vs": "vs"}


def preset_label(scenario: str) -> str:
    """'neocloud_2024_trough' -> 'Neocloud 2024 trough'; 'deepseek_shock_2025' -> 'DeepSeek shock 2025'."""
    words = [_SPELLING.get(word, word) for word in scenario.split("_")]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def _controls(name: str) -> dict | None:
    """Inputs and named scenarios of a registered calculator, for the page's script."""
    from omcd.charts.registry import get
    from omcd.data import scenario_names, scenario_values

    calculator = get(name)
    if calculator is None:
        return None
    return {
        "name": name,
        "params": [{"name": p.name, "label": p.label, "min": p.minimum, "max": p.maximum,
                    "integer": p.integer} for p in calculator.params],
        "presets": [{"id": s, "label": preset_label(s), "values": scenario_values(name, s)}
                    for s in scenario_names(name)],
    }


class SiteChart:
    """A chart displayed as HTML that draws itself on the course website."""

    def __init__(self, chart: alt.TopLevelMixin, name: str, description: str):
        self.chart = chart
        self.name = name
        self.description = description
        self.uid = f"omcd-{name}-{next(_counter)}"

    def _toolbar(self, controls: dict) -> str:
        options = "".join(f'<option value="{html.escape(p["id"])}">{html.escape(p["label"])}</option>'
                          for p in controls["presets"])
        menu = (f'<label for="{self.uid}-preset">Scenario</label> '
                f'<select id="{self.uid}-preset" class="omcd-preset">'
                f'<option value="">Custom (your settings)</option>{options}</select> ')
        return (f'<div class="omcd-toolbar">{menu if controls["presets"] else ""}'
                f'<a class="omcd-permalink" href="#">Link to these settings</a></div>'
                f'<p class="omcd-notice" role="status"></p>')

    def to_html(self) -> str:
        controls = _controls(self.name)
        parts = [f'<figure class="omcd-chart" id="{self.uid}" data-calculator="{html.escape(self.name)}">']
        if controls is not None:
            parts.append(self._toolbar(controls))
            parts.append(_json_script("omcd-controls", controls))
        parts += [
            '<div class="omcd-chart-view"></div>',
            f'<figcaption class="omcd-chart-description">{html.escape(self.description)}</figcaption>',
            _json_script("omcd-spec", self.chart.to_dict()),
            "<noscript>This calculator is computed by JavaScript in your browser; "
            "turn JavaScript on to use it.</noscript>",
            "</figure>",
            f'<script type="module">{_SCRIPT.format(uid=self.uid, script=SCRIPT_PATH, bundle=BUNDLE_PATH)}</script>',
        ]
        return "".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": self.to_html()}


def site_chart(chart: alt.TopLevelMixin, name: str) -> SiteChart:
    """Wrap an Altair chart for display; its ``description`` becomes the visible caption.

    ``name`` is the calculator's name for a registered calculator (its inputs and scenarios are
    then shareable), or any unique name for a chart without inputs.
    """
    description = chart.to_dict().get("description", "")
    return SiteChart(chart, name, description)
