"""Notebook calculator for the cost of serving a million tokens: sliders drive :mod:`omcd.models.token_cost`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.token_cost import DESCRIPTION, TITLE, X_TITLE, Y_TITLE, price_cards
from omcd.models import token_cost as model
from omcd.widgets._base import CalculatorWidget


def comparisons(values: Mapping[str, float]) -> list[model.PriceComparison]:
    """Every shown price list against the cost of serving at ``values``."""
    return [model.compare(r.label, r.input_usd, r.output_usd, **values) for r in price_cards().itertuples()]


def chart(values: Mapping[str, float]) -> alt.LayerChart:
    """Revenue per million output tokens by price list (log scale) and the GPU-cost line."""
    cost = model.evaluate(**values).cost_per_million_output_tokens
    rows = pd.DataFrame(
        [
            {
                "label": c.label,
                "revenue": c.revenue_per_million_output_tokens,
                "verdict": "Below GPU cost" if c.below_cost else "Covers GPU cost",
            }
            for c in comparisons(values)
            if c.revenue_per_million_output_tokens > 0
        ]
    )
    x_scale = alt.Scale(type="log", domain=[0.1, 500], clamp=True)
    bars = (
        alt.Chart(rows)
        .mark_bar()
        .encode(
            x=alt.X("revenue:Q", title=X_TITLE, scale=x_scale),
            y=alt.Y("label:N", title=Y_TITLE, sort=list(rows["label"]), axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "verdict:N",
                title="List price",
                scale=alt.Scale(domain=["Below GPU cost", "Covers GPU cost"], range=["#a50f15", "#1f4e79"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame([{"cost": cost}]))
        .mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3])
        .encode(x=alt.X("cost:Q", scale=x_scale))
    )
    return alt.layer(bars, rule).properties(width=420, height=36 * len(rows), title=alt.Title(TITLE, anchor="start"))


class TokenCostWidget(CalculatorWidget):
    """The token-cost calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("token_cost", values, chart, DESCRIPTION)
