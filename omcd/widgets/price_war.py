"""Notebook calculator for the price war (constant-elasticity token demand): sliders drive
:mod:`omcd.models.price_war`."""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from omcd.charts.price_war import DESCRIPTION, SERIES, TITLE, X_AXIS, X_TITLE, Y_AXIS, Y_TITLE, defaults
from omcd.models import price_war as model
from omcd.widgets._base import CalculatorWidget


def chart(values: Mapping[str, float]) -> alt.LayerChart:
    """The four index series (price, tokens, spending, GPU-hours) on a log scale."""
    result = model.evaluate(**values)
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


class PriceWarWidget(CalculatorWidget):
    """The price-war calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("price_war", values, chart, DESCRIPTION)
