"""Notebook calculator for the price war (constant-elasticity token demand): sliders drive
:mod:`omcd.models.price_war`."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from omcd.charts.price_war import DESCRIPTION, SERIES, TITLE, X_AXIS, X_TITLE, Y_AXIS, Y_TITLE, defaults
from omcd.models import price_war as model
from omcd.widgets._base import CalculatorWidget, results_table, scenario_presets, svg_figure


def chart(result: model.PriceWarResult) -> alt.LayerChart:
    """The four index series (price, tokens, spending, GPU-hours) on a log scale."""
    rows = [{"year": r.year, "series": label, "multiple": getattr(r, key)}
            for r in result.rows for key, label in SERIES.items()]
    base = alt.Chart(pd.DataFrame(rows)).encode(
        x=alt.X("year:Q", title=X_TITLE, axis=X_AXIS),
        y=alt.Y("multiple:Q", title=Y_TITLE, scale=alt.Scale(type="log"), axis=Y_AXIS),
        color=alt.Color("series:N", title="Series", sort=list(SERIES.values()),
                        scale=alt.Scale(range=["#1f4e79", "#7f7f7f", "#a50f15", "#c55a11"]),
                        legend=alt.Legend(orient="bottom", columns=2)),
    )
    spending = base.transform_filter(f"datum.series == '{SERIES['spending_index']}'").mark_line(
        point=True, strokeWidth=7, opacity=0.8)
    others = base.transform_filter(f"datum.series != '{SERIES['spending_index']}'").mark_line(
        point=True, strokeWidth=2.5)
    return alt.layer(spending, others).properties(width=520, height=280, title=alt.Title(TITLE, anchor="start"))


def _usd(x: float) -> str:
    return f"{'-' if x < 0 else ''}${abs(x):,.4g}"


def table_rows(result: model.PriceWarResult) -> list[tuple[str, str]]:
    a, b = result.first, result.last
    threshold = result.gpu_hours_elasticity_threshold
    return [
        ("Price per million tokens (year 0 -> last)",
         f"{_usd(a.price_usd_per_million_tokens)} -> {_usd(b.price_usd_per_million_tokens)}"),
        ("Tokens demanded (trillion a year)", f"{a.tokens_trillion:,.4g} -> {b.tokens_trillion:,.4g}"),
        ("Spending on tokens (USD bn a year)",
         f"{_usd(a.spending_usd_bn)}bn -> {_usd(b.spending_usd_bn)}bn (x{result.spending_growth_per_year:,.3g} a year)"),
        ("GPU-hours needed (million a year)",
         f"{a.gpu_hours_million:,.4g} -> {b.gpu_hours_million:,.4g} (x{result.gpu_hours_growth_per_year:,.3g} a year)"),
        ("Cloud spending on GPUs (USD bn a year)", f"{_usd(a.cloud_spend_usd_bn)}bn -> {_usd(b.cloud_spend_usd_bn)}bn"),
        ("Serving margin, last year (USD bn)", f"{_usd(b.serving_margin_usd_bn)}bn"),
        ("GPU-hours grow when elasticity is above",
         "none: prices do not fall" if threshold is None else f"{threshold:.2f}"),
    ]


def render(values: dict[str, float]) -> tuple[str, str, str]:
    result = model.evaluate(**values)
    return (svg_figure(chart(result), DESCRIPTION), results_table(table_rows(result)),
            model.summary(result, values["elasticity"]))


class PriceWarWidget(CalculatorWidget):
    """The price-war calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__(model.PARAMS, {**defaults(), **(values or {})}, render, scenario_presets("price_war"))
