"""Notebook calculator for the price war (constant-elasticity token demand): sliders drive
:mod:`omcd.models.price_war`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.price_war import (
    DESCRIPTION,
    SERIES,
    SERIES_COLOURS,
    SERIES_DASHES,
    SERIES_POINTS,
    TITLE,
    X_AXIS,
    X_TITLE,
    Y_AXIS,
    Y_TITLE,
)
from omcd.models import price_war as model
from omcd.widgets._base import CalculatorWidget


def chart(values: Mapping[str, float]) -> alt.LayerChart:
    """The four index series (price, tokens, spending, GPU-hours) on a log scale, each with the
    site's colour, dash and point shape."""
    result = model.evaluate(**values)
    names = list(SERIES.values())
    # One column: two columns of dashed symbols and labels do not fit a phone (390 px).
    legend = alt.Legend(orient="bottom", columns=1, symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)
    layers = []
    for key, name in SERIES.items():  # GPU-hours last, on top of spending when the two coincide
        rows = [{"year": r.year, "series": name, "multiple": getattr(r, key)} for r in result.rows]
        base = alt.Chart(pd.DataFrame(rows)).encode(
            x=alt.X("year:Q", title=X_TITLE, axis=X_AXIS),
            y=alt.Y("multiple:Q", title=Y_TITLE, scale=alt.Scale(type="log"), axis=Y_AXIS),
            color=alt.Color(
                "series:N", title="Series", scale=alt.Scale(domain=names, range=SERIES_COLOURS), legend=legend
            ),
        )
        layers.append(
            base.mark_line(strokeWidth=2.5).encode(
                strokeDash=alt.StrokeDash(
                    "series:N", title="Series", scale=alt.Scale(domain=names, range=SERIES_DASHES), legend=legend
                )
            )
        )
        layers.append(base.mark_point(opacity=1, **SERIES_POINTS[key]))
    return alt.layer(*layers).properties(width=520, height=280, title=alt.Title(TITLE, anchor="start"))


class PriceWarWidget(CalculatorWidget):
    """The price-war calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("price_war", values, chart, DESCRIPTION)
