"""The notebook calculators: invalid input shows a message, and the control check can fail."""

from __future__ import annotations

import pytest

from omcd.params import Param
from omcd.widgets import _base
from omcd.widgets._base import CalculatorWidget, exercise_all

PARAMS = (Param("a", "A", "USD", 0, 10, 1), Param("b", "B", "USD", 0, 10, 1))


def render_needing_a_below_b(values):
    if values["a"] >= values["b"]:
        raise ValueError(f"a = {values['a']:g} must be below b = {values['b']:g}")
    return f"<svg>{values['a']}-{values['b']}</svg>", f"<table>{values['b'] - values['a']}</table>", "ok"


@pytest.fixture(autouse=True)
def no_other_calculators(monkeypatch):
    monkeypatch.setattr(_base, "LIVE", _base.weakref.WeakSet())


def test_invalid_combination_shows_a_message_not_a_traceback():
    w = CalculatorWidget(PARAMS, {"a": 1, "b": 5}, render_needing_a_below_b)
    assert w.message.value == "" and "1.0-5.0" in w.chart.value
    w.controls["a"].value = 7  # now a > b: the model refuses
    assert "must be below b" in w.message.value and 'role="alert"' in w.message.value
    assert "1.0-5.0" in w.chart.value  # the last valid chart stays
    w.controls["a"].value = 2
    assert w.message.value == "" and "2.0-5.0" in w.chart.value


def test_exercise_all_reports_a_control_that_changes_nothing():
    def ignores_b(values):
        return f"<svg>{values['a']}</svg>", f"<table>{values['a']}</table>", "ok"

    w = CalculatorWidget(PARAMS, {"a": 1, "b": 5}, ignores_b)
    report = {r["control"]: r for r in exercise_all()}
    assert report["a"]["chart_changed"] and report["a"]["table_changed"]
    assert not report["b"]["chart_changed"] and not report["b"]["table_changed"]
    assert w.values == {"a": 1, "b": 5}  # every control is put back


def test_gpu_cluster_widget_starts_from_the_data_scenario():
    from omcd.charts.gpu_cluster import defaults
    from omcd.widgets.gpu_cluster import GpuClusterWidget

    w = GpuClusterWidget()
    assert w.values == pytest.approx(defaults())
    assert "<img" in w.chart.value and "alt=" in w.chart.value
    assert "Break-even utilisation" in w.table.value


def test_a_named_scenario_sets_every_control_with_one_redraw():
    renders = []

    def counting(values):
        renders.append(dict(values))
        return render_needing_a_below_b(values)

    w = CalculatorWidget(PARAMS, {"a": 1, "b": 5}, counting, presets={"Wide gap": {"a": 0, "b": 9}})
    renders.clear()
    w.preset.value = "Wide gap"
    assert w.values == {"a": 0, "b": 9}
    assert renders == [{"a": 0, "b": 9}]  # no half-applied scenario was ever drawn
    w.controls["b"].value = 8  # moving a slider leaves the named scenario
    assert w.preset.value == ""


def test_gpu_cluster_widget_offers_the_data_scenarios():
    from omcd.data import scenario_names, scenario_values
    from omcd.widgets.gpu_cluster import GpuClusterWidget

    w = GpuClusterWidget()
    assert len(w.presets) == len(scenario_names("gpu_cluster")) >= 3
    w.preset.value = "Neocloud 2024 trough"
    assert w.values == pytest.approx(scenario_values("gpu_cluster", "neocloud_2024_trough"))


@pytest.mark.parametrize("name", [c.name for c in __import__("omcd.charts.registry", fromlist=["x"]).all_calculators()])
def test_every_calculator_widget_offers_every_data_scenario(name):
    import importlib
    import inspect

    from omcd.data import scenario_names, scenario_values

    module = importlib.import_module(f"omcd.widgets.{name}")
    (cls,) = [c for _, c in inspect.getmembers(module, inspect.isclass)
              if issubclass(c, CalculatorWidget) and c is not CalculatorWidget]
    w = cls()
    assert len(w.presets) == len(scenario_names(name)) >= 1
    for scenario in scenario_names(name):
        label = next(k for k, v in w.presets.items() if v == scenario_values(name, scenario))
        w.preset.value = label
        assert w.values == pytest.approx(scenario_values(name, scenario)), scenario
        assert w.message.value == "", f"{name}/{scenario}: {w.message.value}"
