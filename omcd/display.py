"""Show a website chart or calculator in a notebook cell, so that it works on the static site.

On the course website, the cell's HTML is drawn by ``_static/omcd-calculators.js`` (from
``site_assets/``), a classic script that works over HTTP and from disk (``file://``). It loads
the Vega runtime the build copied into the site (``_static/omcd/vega-runtime.js``, see
:mod:`omcd.sphinx_calculators`) and draws each chart from its Vega spec, compiled at build time
(:mod:`omcd.charts._compile`): every number is computed in the reader's browser, no kernel and no
other host involved. Until then, each view shows its chart at the defaults, drawn as SVG at build
time by vl-convert from the same Vega spec: the page reads right before any script runs, and
a calculator far down the page loads its code only when the reader comes near it.

A registered calculator is a ``<figure class="omcd-calc">``: a panel of controls (a scenario
menu from ``data/``, one slider per input with its value in its unit, a shareable link), the
chart, the "Try this" steps (from ``data/<calculator>_steps.csv``), "Pin this scenario" and the
"Take it away" menu (the chart as SVG or PNG, the inputs and results as CSV, a Python snippet, the
citation from ``CITATION.cff``), the verdict, the results table (with hidden columns for a pinned
scenario) and a collapsed "Describe this chart". The values, the verdict and the table are written
here, in Python, at the calculator's defaults, so the page reads right before any script runs and
when printed; the script then keeps them up to date from the ``omcd_results`` dataset that Vega
computes. Every control is a ``<button>``, a ``<details>`` or a form control that the script wires
(no inline handler), so a Content-Security-Policy without ``'unsafe-inline'`` keeps them working.

Outside the website build (JupyterLab, Binder) the cell shows a short note naming the notebook's
live ipywidgets calculator instead: a page script cannot run there.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import re

import altair as alt

#: Where the build puts the Vega bundle and the calculators' script, relative to the site root.
BUNDLE_PATH = "_static/omcd/vega-runtime.js"
#: Each chart's Vega expressions compiled to functions at build time, ``<name>.js`` here.
EXPRESSIONS_DIR = "_static/omcd/expressions"
SCRIPT_PATH = "_static/omcd-calculators.js"
#: Set by ``./course`` for the book build; its kernels inherit it.
SITE_BUILD_ENV = "OMCD_EDITION"
_counter = itertools.count(1)


def _json_script(css_class: str, data: object) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" class="{css_class}">{text}</script>'


_SPELLING = {
    "deepseek": "DeepSeek",
    "h100": "H100",
    "api": "API",
    "gpu": "GPU",
    "aws": "AWS",
    "qwen": "Qwen",
    "alibaba": "Alibaba",
    "llmflation": "LLMflation",
    "vs": "vs",
}


def preset_label(scenario: str) -> str:
    """'neocloud_2024_trough' -> 'Neocloud 2024 trough'; 'deepseek_shock_2025' -> 'DeepSeek shock 2025'."""
    words = [_SPELLING.get(word, word) for word in scenario.split("_")]
    label = " ".join(words)
    return label[:1].upper() + label[1:]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _drawn(spec: dict) -> str:
    """The view at its defaults as SVG, drawn now by vl-convert from the Vega spec the page runs:
    what the reader sees before the chart code runs (and without JavaScript)."""
    import vl_convert

    svg = vl_convert.vega_to_svg(spec)
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def _widget_name(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_")) + "Widget"


def citation() -> str:
    """The course's citation, from ``CITATION.cff`` at the repository's root (beside ``data/``):
    authors (year). Title (version) [software]. Address."""
    import yaml

    from omcd.data import find_data_dir

    cff = yaml.safe_load((find_data_dir().parent / "CITATION.cff").read_text(encoding="utf-8"))
    authors = ", ".join(
        a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")]))
        for a in cff.get("authors", [])
    )
    year = str(cff.get("date-released", ""))[:4]
    version = f" (version {cff['version']})" if cff.get("version") else ""
    address = cff.get("url") or cff.get("repository-code") or ""
    return f"{authors} ({year}). {cff['title']}{version} [Computer software]. {address}".strip()


def _steps_html(uid: str, steps) -> str:
    """The "Try this" steps: one button per step, Next and Reset, and the step's text."""
    if not steps:
        return ""
    buttons = "".join(
        f'<button type="button" class="omcd-step" data-step="{i}" aria-pressed="false">'
        f'<span class="omcd-step-number">{s.number}</span> {_esc(s.title)}</button>'
        for i, s in enumerate(steps)
    )
    return (
        f'<div class="omcd-steps" role="group" aria-labelledby="{uid}-steps-label">'
        f'<div class="omcd-steps-bar"><span class="omcd-steps-label" id="{uid}-steps-label">Try this:</span>'
        f'{buttons}<button type="button" class="omcd-step-next">Next</button>'
        f'<button type="button" class="omcd-step-reset">Reset</button></div>'
        f'<p class="omcd-step-text" aria-live="polite">Take the steps one by one, or press Next: each sets the '
        f"inputs, says what to look at and highlights it.</p></div>"
    )


def _tools_html(uid: str, ghost: bool) -> str:
    """Pin this scenario, and the take-away menu (chart as SVG or PNG, inputs and results as CSV,
    Python, citation) with the box that shows a snippet or the citation. ``ghost``: the chart
    draws the pinned scenario (a grid of cells does not; its table does)."""
    items = [
        ("svg", "Chart as SVG image"),
        ("png", "Chart as PNG image"),
        ("csv", "Inputs and results as CSV"),
        ("python", "Copy as Python"),
        ("cite", "Cite this"),
    ]
    menu = "".join(f'<button type="button" data-takeaway="{kind}">{label}</button>' for kind, label in items)
    return (
        f'<div class="omcd-tools">'
        f'<button type="button" class="omcd-pin" aria-pressed="false">Pin this scenario</button>'
        f'<details class="omcd-menu"><summary>Take it away</summary>'
        f'<div class="omcd-menu-items">{menu}</div></details>'
        + (
            '<span class="omcd-pin-note">Dashed and faint: the pinned scenario.</span>'
            if ghost
            else '<span class="omcd-pin-note">The table compares the pinned scenario with yours.</span>'
        )
        + f"</div>"
        f'<div class="omcd-takeaway" hidden><p class="omcd-takeaway-label" id="{uid}-takeaway-label"></p>'
        f'<pre class="omcd-takeaway-text" tabindex="0" aria-labelledby="{uid}-takeaway-label"></pre>'
        f'<p class="omcd-takeaway-actions"><button type="button" class="omcd-copy">Copy</button> '
        f'<button type="button" class="omcd-takeaway-close">Close</button> '
        f'<span class="omcd-copied" role="status"></span></p></div>'
    )


class SiteChart:
    """A chart (or a registered calculator) displayed as HTML that draws itself on the website."""

    def __init__(self, chart: alt.TopLevelMixin, name: str, description: str):
        self.chart = chart
        self.name = name
        self.description = description
        self.uid = f"omcd-{name}-{next(_counter)}"

    # The website -------------------------------------------------------------------------

    def _describe(self, views: list[dict]) -> str:
        paragraphs = "".join(
            f'<p id="{self.uid}-desc-{i}">{_esc(v.get("description", ""))}</p>'
            for i, v in enumerate(views)
            if v.get("description")
        )
        return (
            f'<details class="omcd-describe"><summary>Describe this chart</summary>{paragraphs}</details>'
            if paragraphs
            else ""
        )

    def _views(self, views: list[dict], titles: list[tuple[str, str]], start: int = 0) -> str:
        out = []
        for i in range(start, len(views)):
            title, subtitle = titles[i]
            heading = f'<p class="omcd-title" id="{self.uid}-title-{i}">{_esc(title)}</p>' if title else ""
            heading += f'<p class="omcd-subtitle">{_esc(subtitle)}</p>' if subtitle else ""
            out.append(
                f'<div class="omcd-chart-block" data-view="{i}">{heading}'
                f'<div class="omcd-view" data-view="{i}" role="img" aria-labelledby="{self.uid}-title-{i}" '
                f'aria-describedby="{self.uid}-desc-{i}">{_drawn(views[i])}</div></div>'
            )
        return "".join(out)

    def _static_html(self) -> str:
        from omcd.charts._compile import compile_chart, title_of

        views = [compile_chart(self.chart)]
        return "".join(
            [
                f'<figure class="omcd-chart" id="{self.uid}">',
                self._views(views, [title_of(self.chart)]),
                self._describe(views),
                _json_script("omcd-spec", {"name": self.name, "views": views}),
                "<noscript>This chart is drawn by JavaScript in your browser; turn JavaScript on to see it.</noscript>",
                "</figure>",
            ]
        )

    def _calculator_html(self, calc) -> str:
        from omcd.charts._compile import COMPARE_DATASET, PINNED, PINNED_RESULTS, RESULTS_DATASET, title_of, vega_views
        from omcd.data import scenario_names, scenario_values

        defaults = dict(calc.defaults())
        views = vega_views(calc)
        titles = [title_of(calc.chart())] + [title_of(c) for c in (calc.extra_charts() if calc.extra_charts else [])]
        texts = calc.texts(defaults)
        uid = self.uid
        presets = [
            {"id": s, "label": preset_label(s), "values": scenario_values(calc.name, s)}
            for s in scenario_names(calc.name)
        ]
        options = "".join(f'<option value="{_esc(p["id"])}">{_esc(p["label"])}</option>' for p in presets)
        controls = []
        for p in calc.params:
            value = defaults[p.name]
            shown = texts["inputs"][p.name]
            controls.append(
                f'<div class="omcd-control">'
                f'<label for="{uid}-in-{p.name}">{_esc(p.label)}</label>'
                f'<output id="{uid}-out-{p.name}" for="{uid}-in-{p.name}">{_esc(shown)}</output>'
                f'<input type="range" id="{uid}-in-{p.name}" name="{_esc(p.name)}" min="{p.minimum:g}" '
                f'max="{p.maximum:g}" step="{p.step:g}" value="{value!r}" aria-valuetext="{_esc(shown)}">'
                f"</div>"
            )
        rows = "".join(
            f'<tr class="{"omcd-sub" if label.startswith(" ") else ""}"><th scope="row">{_esc(label.strip())}</th>'
            f'<td data-row="{i}">{_esc(value)}</td>'
            f'<td class="omcd-pin-col" data-pinned-row="{i}"></td><td class="omcd-pin-col" data-change-row="{i}"></td></tr>'
            for i, (label, value) in enumerate(texts["rows"])
        )
        head = (
            '<thead class="omcd-pin-col"><tr><td></td><th scope="col">Now</th><th scope="col">Pinned</th>'
            '<th scope="col">Change</th></tr></thead>'
        )
        steps = calc.steps()
        meta = {
            "name": calc.name,
            "params": [
                {
                    "name": p.name,
                    "label": p.label,
                    "min": p.minimum,
                    "max": p.maximum,
                    "step": p.step,
                    "integer": p.integer,
                }
                for p in calc.params
            ],
            "defaults": defaults,
            "presets": presets,
            "steps": [
                {
                    "number": st.number,
                    "title": st.title,
                    "text": st.text,
                    "highlight": list(st.highlight),
                    "values": st.values,
                }
                for st in steps
            ],
            "results": RESULTS_DATASET,
            "pinned": PINNED_RESULTS,
            "compare": COMPARE_DATASET,
            "rows": len(texts["rows"]),
            "rowFields": [row.field for row in calc.rows],
            "rowLabels": [label.strip() for label, _ in texts["rows"]],
            "title": titles[0][0],
            "widget": {"module": f"omcd.widgets.{calc.name}", "name": _widget_name(calc.name)},
            "citation": citation(),
            "views": views,
        }
        verdict = (
            f'<p class="omcd-verdict" aria-live="polite"><span class="omcd-verdict-label">Reading:</span> '
            f'<span class="omcd-verdict-text">{_esc(texts["verdict"])}</span></p>'
            if calc.verdict is not None
            else ""
        )
        return "".join(
            [
                f'<figure class="omcd-calc" id="{uid}" data-calculator="{_esc(calc.name)}">',
                '<div class="omcd-layout">',
                '<div class="omcd-panel" role="group" aria-label="Inputs of the calculator">',
                '<div class="omcd-toolbar">',
                (
                    f'<label for="{uid}-preset">Scenario</label>'
                    f'<select id="{uid}-preset" class="omcd-preset">'
                    f'<option value="">Custom (your settings)</option>{options}</select>'
                    if presets
                    else ""
                ),
                "</div>",
                f'<div class="omcd-controls">{"".join(controls)}</div>',
                '<div class="omcd-actions">',
                '<a class="omcd-permalink" href="#">Link to these settings</a>',
                (
                    '<label class="omcd-switch"><input type="checkbox" class="omcd-verdict-switch" checked> '
                    "Show the reading</label>"
                    if verdict
                    else ""
                ),
                "</div>",
                '<p class="omcd-notice" role="status"></p>',
                "</div>",
                '<div class="omcd-main">',
                self._views(views[:1], titles),
                _steps_html(uid, steps),
                _tools_html(uid, any(m["name"].startswith(PINNED) for m in views[0].get("marks", []))),
                verdict,
                f'<table class="omcd-results"><caption>{_esc(calc.results_title)}</caption>{head}<tbody>{rows}</tbody></table>',
                self._views(views, titles, start=1),
                self._describe(views),
                "</div></div>",
                _json_script("omcd-spec", meta),
                "<noscript>This calculator is computed by JavaScript in your browser; turn JavaScript on to use "
                "it. The values above are its defaults.</noscript>",
                "</figure>",
            ]
        )

    def to_html(self) -> str:
        from omcd.charts.registry import get

        calc = get(self.name)
        return self._calculator_html(calc) if calc is not None else self._static_html()

    # JupyterLab and Binder ---------------------------------------------------------------

    def jupyter_html(self) -> str:
        from omcd.charts.registry import get

        if get(self.name) is None:
            return (
                "<p><em>On the course website this cell draws an interactive chart. In Jupyter, "
                "the same chart is drawn by the next cells.</em></p>"
            )
        widget = _widget_name(self.name)
        return (
            f"<p><em>On the course website this cell is the interactive calculator, computed in the "
            f"reader's browser. In Jupyter, use the live calculator <code>{widget}</code> further "
            f"down this notebook: it runs the same model in Python.</em></p>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        if os.environ.get(SITE_BUILD_ENV):
            return {"text/html": self.to_html()}
        return {"text/html": self.jupyter_html(), "text/plain": f"{self.name}: see the live calculator below"}


def site_chart(chart: alt.TopLevelMixin, name: str) -> SiteChart:
    """Wrap an Altair chart for display on the website.

    ``name`` is the calculator's name for a registered calculator (its controls, results and
    scenarios are then drawn with it), or any unique name for a chart without inputs.
    """
    description = chart.to_dict().get("description", "")
    return SiteChart(chart, name, description)
