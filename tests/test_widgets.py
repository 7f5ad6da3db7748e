"""The notebook calculators: invalid input shows a message, values read as on the website, a
typed value outside its range is refused with a message, and the control check can fail."""

from __future__ import annotations

import html
import re

import altair as alt
import pandas as pd
import pytest

from omcd.charts.registry import SiteCalculator, all_calculators
from omcd.formats import Fmt, Sentence, Shown, Verdict
from omcd.params import Param
from omcd.widgets import _base
from omcd.widgets._base import CalculatorWidget, exercise_all, parse_number

PARAMS = (
    Param("a", "A long label that a narrow column would cut", "USD", 0, 10, 1, fmt="$,.0f"),
    Param("b", "B", "share", 0, 1, 0.01, fmt=".0%"),
)


def outputs_needing_a_below_b(values):
    if values["a"] >= 10 * values["b"]:
        raise ValueError(f"a = {values['a']:g} must be below 10 b = {10 * values['b']:g}")
    return {"gap": 10 * values["b"] - values["a"]}


def make(outputs=outputs_needing_a_below_b, chart_of=None, presets=None, values=None):
    calc = SiteCalculator(
        name="test_calculator",
        params=PARAMS,
        defaults=lambda: {"a": 1, "b": 0.5},
        chart=lambda values=None: None,
        checks=(),
        outputs=outputs,
        rows=(Shown("Gap", "gap", Fmt("$,.1f")),),
        verdict=Verdict((Sentence("The gap is {gap}."),)),
    )
    chart_of = chart_of or (lambda v: alt.Chart(pd.DataFrame([v])).mark_point().encode(x="a:Q", y="b:Q"))
    return CalculatorWidget(calc, values, chart_of, "A test chart of a against b.", presets=presets or {})


@pytest.fixture(autouse=True)
def no_other_calculators(monkeypatch):
    monkeypatch.setattr(_base, "LIVE", _base.weakref.WeakSet())


def test_invalid_combination_shows_a_message_not_a_traceback():
    w = make()
    assert w.message.value == "" and "$4.0" in w.table.value and "The gap is $4.0." in w.summary.value
    w.controls["a"].value = 7  # now a > 10 b: the model refuses
    assert "must be below" in w.message.value and 'role="alert"' in w.message.value
    assert "$4.0" in w.table.value  # the last valid table stays
    w.controls["a"].value = 2
    assert w.message.value == "" and "$3.0" in w.table.value


def test_values_are_shown_in_their_unit_and_labels_whole():
    w = make()
    assert "$1" in w.rows["a"].shown.value and "50%" in w.rows["b"].shown.value
    assert "A long label that a narrow column would cut" in w.rows["a"].label.value
    assert not w.controls["a"].readout  # no raw readout (3.00e+4, 0.700) next to the formatted value


@pytest.mark.parametrize("typed, expected", [("$3", 3), ("4", 4), ("1e0", 1), ("−0", 0)])
def test_a_typed_value_sets_its_slider(typed, expected):
    w = make(values={"a": 1, "b": 0.9})
    w.rows["a"].typed.value = typed
    assert w.controls["a"].value == expected and w.message.value == ""


def test_a_typed_value_outside_its_range_is_refused_with_a_message():
    w = make()
    w.rows["b"].typed.value = "150%"
    assert w.controls["b"].value == 0.5
    text = html.unescape(w.message.value)
    assert "150%" in text and "outside its range, 0% to 100%" in text and "stays at 50%" in text
    w.rows["a"].typed.value = "lots"
    assert "“lots” is not a number" in html.unescape(w.message.value)


def test_a_typed_value_between_steps_is_rounded_and_said():
    w = make()
    w.rows["b"].typed.value = "0.613"
    assert w.controls["b"].value == 0.61
    assert "rounded to the slider's step, 61%" in html.unescape(w.message.value)


def test_parse_number_reads_what_students_type():
    assert parse_number("$30,000") == 30000 and parse_number("70%") == pytest.approx(0.7)
    assert parse_number(Fmt("$,.1f").text(-3.5)) == -3.5  # as a calculator shows it
    with pytest.raises(ValueError, match="not a number"):
        parse_number("abc")


def test_exercise_all_reports_a_control_that_changes_nothing():
    w = make(
        outputs=lambda v: {"gap": v["a"]},
        chart_of=lambda v: alt.Chart(pd.DataFrame([{"a": v["a"]}])).mark_point().encode(x="a:Q"),
    )
    report = {r["control"]: r for r in exercise_all()}
    assert report["a"]["chart_changed"] and report["a"]["table_changed"]
    assert not report["b"]["chart_changed"] and not report["b"]["table_changed"]
    assert w.values == {"a": 1, "b": 0.5}  # every control is put back


def test_a_named_scenario_sets_every_control_with_one_redraw():
    seen = []

    def counting(values):
        seen.append(dict(values))
        return outputs_needing_a_below_b(values)

    w = make(outputs=counting, presets={"Wide gap": {"a": 0, "b": 0.9}})
    seen.clear()
    w.preset.value = "Wide gap"
    assert w.values == {"a": 0, "b": 0.9}
    assert seen == [{"a": 0, "b": 0.9}]  # no half-applied scenario was ever drawn
    w.controls["b"].value = 0.8  # moving a slider leaves the named scenario
    assert w.preset.value == ""


def test_gpu_cluster_widget_starts_from_the_data_scenario():
    from omcd.charts.gpu_cluster import defaults
    from omcd.widgets.gpu_cluster import GpuClusterWidget

    w = GpuClusterWidget()
    assert w.values == pytest.approx(defaults())
    assert "<img" in w.chart.value and "alt=" in w.chart.value
    assert "Break-even utilisation" in w.table.value


def test_gpu_cluster_widget_has_both_lives_the_rent_decline_and_a_tornado():
    from omcd.charts.gpu_cluster import TORNADO_TITLE
    from omcd.models import gpu_cluster
    from omcd.widgets.gpu_cluster import GpuClusterWidget, chart

    w = GpuClusterWidget({"economic_life_years": 4})
    for name in ("economic_life_years", "depreciation_life_years", "rent_decline_per_year"):
        assert name in w.values
    # Payback at the default (4.2 years) comes after a 4-year economic life.
    assert "never within its economic life" in w.table.value
    titles = {c.title.text: c.title.subtitle for c in chart(w.values).vconcat}
    assert (
        titles[TORNADO_TITLE] == f"IRR {gpu_cluster.evaluate(**w.values).irr:.1%} a year against a discount rate of 10%"
    )
    assert len(gpu_cluster.tornado(**w.values)) == len(gpu_cluster.TORNADO_INPUTS)


def test_buildout_widget_shows_switch_off_and_discounted_payback():
    from omcd.widgets.ai_buildout import AiBuildoutWidget

    w = AiBuildoutWidget({"rent_decline_per_year": 0.3})
    assert "from year 6" in w.table.value and "Discounted payback" in w.table.value
    from omcd.widgets.ai_buildout import chart

    assert chart(w.values).title.subtitle.startswith("IRR ")


def test_gpu_cluster_widget_offers_the_data_scenarios():
    from omcd.data import scenario_names, scenario_values
    from omcd.widgets.gpu_cluster import GpuClusterWidget

    w = GpuClusterWidget()
    assert len(w.presets) == len(scenario_names("gpu_cluster")) >= 3
    w.preset.value = "Neocloud 2024 trough"
    assert w.values == pytest.approx(scenario_values("gpu_cluster", "neocloud_2024_trough"))


def _widget_class(name):
    import importlib
    import inspect

    module = importlib.import_module(f"omcd.widgets.{name}")
    (cls,) = [
        c
        for _, c in inspect.getmembers(module, inspect.isclass)
        if issubclass(c, CalculatorWidget) and c is not CalculatorWidget
    ]
    return cls


NAMES = [c.name for c in all_calculators()]


@pytest.mark.parametrize("name", NAMES)
def test_every_calculator_widget_offers_every_data_scenario(name):
    from omcd.data import scenario_names, scenario_values

    w = _widget_class(name)()
    assert len(w.presets) == len(scenario_names(name)) >= 1
    for scenario in scenario_names(name):
        label = next(k for k, v in w.presets.items() if v == scenario_values(name, scenario))
        w.preset.value = label
        assert w.values == pytest.approx(scenario_values(name, scenario)), scenario
        assert w.message.value == "", f"{name}/{scenario}: {w.message.value}"


def _table_rows(table_html: str) -> list[tuple[str, str]]:
    return [
        (html.unescape(k), html.unescape(v))
        for k, v in re.findall(r"<th scope='row'[^>]*>(.*?)</th><td[^>]*>(.*?)</td>", table_html)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_every_widget_reads_like_the_site_definition(name):
    """The widget's table, verdict and input values are the calculator's one definition, in its
    rows' order (the site is checked against the same definition in the browser)."""
    from omcd.charts.registry import get

    calc = get(name)
    w = _widget_class(name)()
    texts = calc.texts(w.values)
    assert _table_rows(w.table.value) == [(label.strip(), value) for label, value in texts["rows"]]
    assert html.unescape(w.summary.value).endswith(texts["verdict"] + "</p>")
    for p in calc.params:
        assert texts["inputs"][p.name] in html.unescape(w.rows[p.name].shown.value)
