"""Notebook calculator for the AI build-out: sliders drive :mod:`omcd.models.ai_buildout`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.ai_buildout import DESCRIPTION, SERIES, TITLE, X_TITLE, Y_TITLE
from omcd.models import ai_buildout as model
from omcd.widgets._base import CalculatorWidget


def chart(values: Mapping[str, float]) -> alt.LayerChart:
    """Reported operating profit (bars) and cumulative cash (line) by year."""
    years = pd.DataFrame(
        [
            {"year": y.year, "profit": y.operating_profit_bn, "cash": y.cumulative_cash_bn}
            for y in model.evaluate(**values).years
        ]
    )
    x = alt.X("year:O", title=X_TITLE, axis=alt.Axis(labelAngle=0))
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=SERIES, range=["#1f4e79", "#a50f15"]),
        legend=alt.Legend(orient="bottom"),
    )
    base = alt.Chart(years)
    bars = (
        base.transform_calculate(series=f"'{SERIES[0]}'")
        .mark_bar(opacity=0.85)
        .encode(x=x, y=alt.Y("profit:Q", title=Y_TITLE), color=color)
    )
    line = (
        base.transform_calculate(series=f"'{SERIES[1]}'")
        .mark_line(point=True, strokeWidth=3)
        .encode(x=x, y=alt.Y("cash:Q", title=Y_TITLE), color=color)
    )
    irr = model.evaluate(**values).irr
    subtitle = (
        "IRR: none (the cash flows change sign more than once)"
        if irr is None
        else f"IRR {irr:.1%} a year against a discount rate of {values['discount_rate']:.0%}"
    )
    return alt.layer(bars, line).properties(
        width=520, height=280, title=alt.Title(TITLE, subtitle=subtitle, anchor="start")
    )


class AiBuildoutWidget(CalculatorWidget):
    """The AI build-out calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("ai_buildout", values, chart, DESCRIPTION)
