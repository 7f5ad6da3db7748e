"""What every notebook calculator shares: sliders from the model's Params, a message line for
invalid input, a chart drawn as SVG (no JavaScript, no CDN) and a results table."""

from __future__ import annotations

import base64
import html
import weakref
from typing import Callable, Mapping, Sequence

import altair as alt
import ipywidgets as widgets

from omcd.params import Param

#: Calculators alive in this kernel, so a test can move every control of every calculator.
LIVE: "weakref.WeakSet[CalculatorWidget]" = weakref.WeakSet()


def scenario_presets(calculator: str) -> dict[str, dict[str, float]]:
    """The calculator's named scenarios from ``data/{calculator}_scenarios.csv``, by label."""
    from omcd.data import scenario_names, scenario_values
    from omcd.display import preset_label

    return {preset_label(s): scenario_values(calculator, s) for s in scenario_names(calculator)}


def _slider(p: Param, value: float) -> widgets.ValueWidget:
    label = f"{p.label} ({p.unit})" if p.unit not in {"share", "ratio"} else p.label
    common = dict(value=value, min=p.minimum, max=p.maximum, step=p.step, description=label,
                  continuous_update=False, style={"description_width": "260px"},
                  layout=widgets.Layout(width="560px"))
    if p.integer:
        return widgets.IntSlider(**{**common, "value": int(value), "min": int(p.minimum), "max": int(p.maximum),
                                    "step": int(p.step)})
    return widgets.FloatSlider(**common, readout_format=".3g")


def svg_figure(chart: alt.TopLevelMixin, alt_text: str) -> str:
    """The chart as an SVG image with alt text, drawn by vl-convert (no browser, no network)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    data = base64.b64encode(svg.encode()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt_text)}" style="max-width:100%">'


def results_table(rows: Sequence[tuple[str, str]]) -> str:
    body = "".join(f"<tr><th scope='row' style='text-align:left'>{html.escape(k)}</th>"
                   f"<td style='text-align:right'>{html.escape(v)}</td></tr>" for k, v in rows)
    return f"<table><caption>Results</caption><tbody>{body}</tbody></table>"


class CalculatorWidget(widgets.VBox):
    """Sliders for ``params``; on every change ``render(values)`` returns (chart html, table html,
    summary text). A ``ValueError`` from the model is shown as a message, never a traceback."""

    def __init__(self, params: Sequence[Param], values: Mapping[str, float],
                 render: Callable[[dict[str, float]], tuple[str, str, str]],
                 presets: Mapping[str, Mapping[str, float]] | None = None):
        self.params = tuple(params)
        self.render = render
        self.presets = dict(presets or {})
        self._holding = False
        self.controls = {p.name: _slider(p, values[p.name]) for p in self.params}
        self.preset = widgets.Dropdown(options=[("Custom (your settings)", "")] + [(k, k) for k in self.presets],
                                       value="", description="Scenario",
                                       layout=widgets.Layout(width="560px"),
                                       style={"description_width": "260px"})
        self.preset.observe(self._apply_preset, names="value")
        self.message = widgets.HTML()
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.summary = widgets.HTML()
        for control in self.controls.values():
            control.observe(self.update, names="value")
        header = [self.preset] if self.presets else []
        super().__init__([widgets.VBox(header + list(self.controls.values())), self.message, self.summary,
                          self.chart, self.table])
        self.update()
        LIVE.add(self)

    @property
    def values(self) -> dict[str, float]:
        return {name: control.value for name, control in self.controls.items()}

    def _apply_preset(self, change) -> None:
        values = self.presets.get(change["new"])
        if not values:
            return
        self._holding = True  # one redraw for the whole scenario, not one per slider
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()

    def update(self, change=None) -> None:
        if self._holding:
            return
        if change is not None and self.presets and self.preset.value:
            if any(self.controls[k].value != v for k, v in self.presets[self.preset.value].items()):
                self.preset.value = ""  # the user moved away from the named scenario
        try:
            chart, table, summary = self.render(self.values)
        except ValueError as error:
            self.message.value = f'<p role="alert" style="color:#a50f15"><b>Check the inputs:</b> {html.escape(str(error))}</p>'
            return
        self.message.value = ""
        self.chart.value, self.table.value = chart, table
        self.summary.value = f"<p>{html.escape(summary)}</p>"


def exercise_all() -> list[dict]:
    """Move every control of every live calculator to a new value; report whether the chart and
    the table changed. Used by the notebook test; returns one record per control."""
    report = []
    for calculator in list(LIVE):
        for name, control in calculator.controls.items():
            before = (calculator.chart.value, calculator.table.value)
            old = control.value
            span = control.max - control.min
            new = control.min + 0.37 * span if old != control.min + 0.37 * span else control.min + 0.61 * span
            if isinstance(control, widgets.IntSlider):
                new = int(round(new)) if int(round(new)) != old else (old + 1 if old < control.max else old - 1)
            control.value = new
            after = (calculator.chart.value, calculator.table.value)
            report.append({"calculator": type(calculator).__name__, "control": name, "old": old,
                           "new": control.value, "chart_changed": after[0] != before[0],
                           "table_changed": after[1] != before[1], "message": calculator.message.value})
            control.value = old
    return report
