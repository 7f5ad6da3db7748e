"""What every notebook calculator shares: one row per input (label, slider, value in its unit, a
box to type a value), a message line for invalid input, a chart drawn as SVG (no JavaScript, no
CDN), the verdict and the results table.

The labels, formats, results rows and verdict come from the calculator's one definition (its
``Param`` list, ``ROWS`` and ``VERDICT``, through :class:`omcd.charts.registry.SiteCalculator`),
so the widget reads exactly like the website's calculator.
"""

from __future__ import annotations

import base64
import html
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import altair as alt
import ipywidgets as widgets

from omcd.params import Param

if TYPE_CHECKING:
    from omcd.charts.registry import SiteCalculator

#: Calculators alive in this kernel, so a test can move every control of every calculator.
LIVE: weakref.WeakSet[CalculatorWidget] = weakref.WeakSet()
LABEL_WIDTH = "17rem"
SLIDER_WIDTH = "15rem"


def scenario_presets(calculator: str) -> dict[str, dict[str, float]]:
    """The calculator's named scenarios from ``data/{calculator}_scenarios.csv``, by label."""
    from omcd.data import scenario_names, scenario_values
    from omcd.display import preset_label

    return {preset_label(s): scenario_values(calculator, s) for s in scenario_names(calculator)}


def _has_scenarios(calculator: str) -> bool:
    from omcd.data import DataValidationError, load_table

    try:
        load_table(f"{calculator}_scenarios")
    except DataValidationError:
        return False
    return True


def svg_figure(chart: alt.TopLevelMixin, alt_text: str) -> str:
    """The chart as an SVG image with alt text, drawn by vl-convert (no browser, no network)."""
    import vl_convert

    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    data = base64.b64encode(svg.encode()).decode()
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{html.escape(alt_text)}" style="max-width:100%">'


#: Background of what a "Try this" step asks the reader to look at (as on the website).
HIGHLIGHT = "#fff1c2"


def results_table(
    rows: Sequence[tuple[str, str]], caption: str = "Results", highlighted: frozenset[int] = frozenset()
) -> str:
    """The results rows as an HTML table; the rows whose index is in ``highlighted`` are marked."""
    marked = f" class='omcd-highlight' style='background:{HIGHLIGHT}'"
    body = "".join(
        f"<tr{marked if i in highlighted else ''}>"
        f"<th scope='row' style='text-align:left;font-weight:normal;"
        f"padding-left:{'1.5em' if k.startswith(' ') else '0.3em'}'>{html.escape(k.strip())}</th>"
        f"<td style='text-align:right;font-weight:bold'>{html.escape(v)}</td></tr>"
        for i, (k, v) in enumerate(rows)
    )
    return f"<table><caption style='text-align:left;font-weight:bold'>{html.escape(caption)}</caption><tbody>{body}</tbody></table>"


def parse_number(text: str) -> float:
    """A number typed by a student: ``2.5``, ``$30,000``, ``70%`` (read as 0.70), ``1e6``, ``−3``,
    or pasted from a calculator (``−⁠$3``: the sign joined to the "$" by a word joiner)."""
    cleaned = (
        text.strip().replace("\u2060", "").replace("\u2212", "-").replace(",", "").replace("$", "").replace("USD", "")
    )
    percent = cleaned.endswith("%")
    match = re.match(r"^\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)", cleaned.rstrip("%"))
    if not match:
        raise ValueError(f"“{text}” is not a number")
    value = float(match.group(1))
    return value / 100 if percent else value


class InputRow(widgets.HBox):
    """One input: its label, a slider, its value in its unit, and a box to type an exact value."""

    def __init__(self, param: Param, value: float, on_message: Callable[[str], None]):
        self.param = param
        self._on_message = on_message
        kind = widgets.IntSlider if param.integer else widgets.FloatSlider
        cast = int if param.integer else float
        self.slider = kind(
            value=cast(value),
            min=cast(param.minimum),
            max=cast(param.maximum),
            step=cast(param.step),
            readout=False,
            continuous_update=False,
            description_allow_html=False,
            layout=widgets.Layout(width=SLIDER_WIDTH),
        )
        self.slider.description = ""
        self.label = widgets.HTML(
            f"<label>{html.escape(param.label)}</label>", layout=widgets.Layout(width=LABEL_WIDTH)
        )
        self.shown = widgets.HTML(layout=widgets.Layout(width="12rem"))
        self.typed = widgets.Text(
            placeholder="type a value",
            continuous_update=False,
            layout=widgets.Layout(width="8rem"),
            tooltip=f"{param.label}: {param.shown(param.minimum)} to {param.shown(param.maximum)}",
        )
        self.typed.observe(self._typed, names="value")
        self.slider.observe(self._show, names="value")
        self._show()
        super().__init__([self.label, self.slider, self.shown, self.typed], layout=widgets.Layout(align_items="center"))

    @property
    def value(self) -> float:
        return self.slider.value

    def _show(self, change=None) -> None:
        self.shown.value = f"<b>{html.escape(self.param.shown(self.slider.value))}</b>"

    def _typed(self, change) -> None:
        text = change["new"].strip()
        if not text:
            return
        p = self.param
        try:
            value = parse_number(text)
        except ValueError as error:
            self._on_message(f"{p.label}: {error}. The slider stays at {p.shown(self.slider.value)}.")
            return
        if not p.minimum <= value <= p.maximum:
            self._on_message(
                f"{p.label}: {p.shown(value)} is outside its range, {p.shown(p.minimum)} to "
                f"{p.shown(p.maximum)}. The slider stays at {p.shown(self.slider.value)}."
            )
            return
        snapped = p.snap(value)
        self.slider.value = int(snapped) if p.integer else snapped
        if abs(snapped - value) > 1e-9 * max(1.0, abs(value)):
            self._on_message(f"{p.label}: {text} was rounded to the slider's step, {p.shown(snapped)}.")
        self.typed.value = ""


class CalculatorWidget(widgets.VBox):
    """Inputs for a registered calculator; on every change ``chart(values)`` gives the chart, and
    the verdict and results table come from the calculator's own definition. A ``ValueError``
    from the model is shown as a message, never a traceback."""

    def __init__(
        self,
        calculator: str | SiteCalculator,
        values: Mapping[str, float] | None,
        chart: Callable[[Mapping[str, float]], alt.TopLevelMixin],
        description: str,
        presets: Mapping[str, Mapping[str, float]] | None = None,
    ):
        from omcd.charts.registry import get

        self.calculator = get(calculator) if isinstance(calculator, str) else calculator
        name = self.calculator.name
        self.chart_of = chart
        self.description = description
        self.params = tuple(self.calculator.params)
        start = {**self.calculator.defaults(), **(values or {})}
        unknown = sorted(set(values or {}) - {p.name for p in self.params})
        if unknown:
            raise ValueError(
                f"Unknown input(s) {', '.join(unknown)}; this calculator takes: "
                f"{', '.join(p.name for p in self.params)}."
            )
        for p in self.params:
            p.check(start[p.name])
        if presets is None:
            presets = scenario_presets(name) if _has_scenarios(name) else {}
        self.presets = {label: dict(values) for label, values in presets.items()}
        self._holding = False
        self.message = widgets.HTML()
        self.rows = {p.name: InputRow(p, start[p.name], self._say) for p in self.params}
        self.controls = {name: row.slider for name, row in self.rows.items()}
        self.preset = widgets.Dropdown(
            options=[("Custom (your settings)", "")] + [(k, k) for k in self.presets],
            value="",
            description="Scenario",
            layout=widgets.Layout(width="32rem"),
            style={"description_width": "6rem"},
        )
        self.preset.observe(self._apply_preset, names="value")
        self.chart = widgets.HTML()
        self.table = widgets.HTML()
        self.summary = widgets.HTML()
        for control in self.controls.values():
            control.observe(self.update, names="value")
        header = [self.preset] if self.presets else []
        self.steps = list(self.calculator.steps())
        self.step = None  # index of the step taken last, None before any
        self.highlighted: tuple[str, ...] = ()
        self.step_buttons = [
            widgets.Button(description=f"{s.number}. {s.title}", tooltip=s.text, layout=widgets.Layout(width="auto"))
            for s in self.steps
        ]
        self.next_button = widgets.Button(description="Next", button_style="info", layout=widgets.Layout(width="auto"))
        self.reset_button = widgets.Button(description="Reset", layout=widgets.Layout(width="auto"))
        self.step_text = widgets.HTML()
        for index, button in enumerate(self.step_buttons):
            button.on_click(lambda _, index=index: self.go_to_step(index))
        self.next_button.on_click(
            lambda _: self.go_to_step(0 if self.step is None else (self.step + 1) % len(self.steps))
        )
        self.reset_button.on_click(lambda _: self.reset())
        steps = (
            [
                widgets.VBox(
                    [
                        widgets.HBox(
                            [widgets.HTML("<b>Try this:</b>"), *self.step_buttons, self.next_button, self.reset_button],
                            layout=widgets.Layout(flex_flow="row wrap"),
                        ),
                        self.step_text,
                    ]
                )
            ]
            if self.steps
            else []
        )
        super().__init__(
            [
                widgets.VBox(header + list(self.rows.values())),
                *steps,
                self.message,
                self.summary,
                self.chart,
                self.table,
            ]
        )
        self.update()
        LIVE.add(self)

    @property
    def values(self) -> dict[str, float]:
        return {name: float(control.value) for name, control in self.controls.items()}

    def _say(self, text: str) -> None:
        self.message.value = f'<p role="alert" style="color:#a50f15"><b>Check the inputs:</b> {html.escape(text)}</p>'

    def _apply_preset(self, change) -> None:
        values = self.presets.get(change["new"])
        if values:
            self._set_values(values)

    def _set_values(self, values: Mapping[str, float]) -> None:
        self._holding = True  # one redraw for the whole scenario, not one per slider
        try:
            for p in self.params:
                if p.name in values:
                    self.controls[p.name].value = p.check(values[p.name])
        finally:
            self._holding = False
        self.update()

    def _show_matching_preset(self) -> None:
        """The scenario menu names the scenario the inputs now equal, if any (as on the site)."""
        now = self.values
        label = next(
            (
                label
                for label, values in self.presets.items()
                if all(abs(now[k] - v) <= 1e-9 * max(1.0, abs(v)) for k, v in values.items())
            ),
            "",
        )
        self.preset.unobserve(self._apply_preset, names="value")
        try:
            self.preset.value = label
        finally:
            self.preset.observe(self._apply_preset, names="value")

    def go_to_step(self, index: int) -> None:
        """Take "Try this" step ``index`` (from 0): set its inputs, say what to look at and mark
        the results rows, inputs and reading it highlights (as the website's step buttons do)."""
        step = self.steps[index]
        self.step = index
        self.highlighted = step.highlight
        for i, button in enumerate(self.step_buttons):
            button.button_style = "primary" if i == index else ""
        self.next_button.description = "Start again" if index == len(self.steps) - 1 else "Next"
        self.step_text.value = (
            f"<p><b>Step {step.number} of {len(self.steps)}: {html.escape(step.title)}.</b> "
            f"{html.escape(step.text)}</p>"
        )
        self._set_values(step.values)
        self._show_matching_preset()

    def reset(self) -> None:
        """Back to the calculator's defaults, no step taken."""
        self.step = None
        self.highlighted = ()
        for button in self.step_buttons:
            button.button_style = ""
        self.next_button.description = "Next"
        self.step_text.value = ""
        self._set_values(self.calculator.defaults())
        self._show_matching_preset()

    def update(self, change=None) -> None:
        if self._holding:
            return
        if change is not None and self.presets and self.preset.value:
            if any(self.controls[k].value != v for k, v in self.presets[self.preset.value].items()):
                self.preset.value = ""  # the user moved away from the named scenario
        values = self.values
        try:
            texts = self.calculator.texts(values)
            chart = svg_figure(self.chart_of(values), self.description)
        except ValueError as error:
            self._say(str(error))
            return
        if change is not None:
            self.message.value = ""
        self.chart.value = chart
        rows = {i for i, row in enumerate(self.calculator.rows) if f"row:{row.field}" in self.highlighted}
        self.table.value = results_table(texts["rows"], self.calculator.results_title, frozenset(rows))
        marked = f" style='background:{HIGHLIGHT}'" if "verdict" in self.highlighted else ""
        self.summary.value = (
            f"<p{marked}><b>Reading:</b> {html.escape(texts['verdict'])}</p>" if texts["verdict"] else ""
        )
        for name, row in self.rows.items():
            row.label.layout.border = f"2px solid {HIGHLIGHT}" if f"input:{name}" in self.highlighted else ""


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
            report.append(
                {
                    "calculator": type(calculator).__name__,
                    "control": name,
                    "old": old,
                    "new": control.value,
                    "chart_changed": after[0] != before[0],
                    "table_changed": after[1] != before[1],
                    "message": calculator.message.value,
                }
            )
            control.value = old
    return report
