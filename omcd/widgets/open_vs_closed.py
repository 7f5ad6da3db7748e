"""Notebook calculator "Open weights or closed API?": sliders drive :mod:`omcd.models.open_vs_closed`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.open_vs_closed import (
    CLOSED_COLOUR,
    DESCRIPTION,
    OPEN_COLOUR,
    SHORT_LABELS,
    TITLE,
    TORNADO_TITLE,
    X_TITLE,
    Y_TITLE,
)
from omcd.models import open_vs_closed as model
from omcd.widgets._base import CalculatorWidget

STRATEGIES = {"cum_profit_open_usd_m": "Open weights", "cum_profit_closed_usd_m": "Closed API"}


def profit_chart(values: Mapping[str, float]) -> alt.LayerChart:
    """Cumulative discounted profit of both strategies, with the break-even month marked."""
    rows = [
        {"month": r["month"], "strategy": label, "usd_m": r[key]}
        for r in model.cumulative_profit(**values)
        for key, label in STRATEGIES.items()
    ]
    result = model.evaluate(**values)
    lines = (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("month:Q", title=X_TITLE),
            y=alt.Y("usd_m:Q", title=Y_TITLE),
            color=alt.Color(
                "strategy:N",
                title="Strategy",
                sort=list(STRATEGIES.values()),
                scale=alt.Scale(domain=list(STRATEGIES.values()), range=[OPEN_COLOUR, CLOSED_COLOUR]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "strategy:N",
                legend=None,
                sort=list(STRATEGIES.values()),
                scale=alt.Scale(domain=list(STRATEGIES.values()), range=[[1, 0], [6, 3]]),
            ),
        )
    )
    layers = [alt.Chart(pd.DataFrame([{"zero": 0}])).mark_rule(color="#595959").encode(y="zero:Q"), lines]
    if result.break_even_month is not None:
        be = pd.DataFrame(
            [{"month": result.break_even_month, "label": f"Open ahead from month {result.break_even_month}"}]
        )
        layers += [
            alt.Chart(be).mark_rule(color="#a50f15", strokeWidth=2).encode(x="month:Q"),
            alt.Chart(be)
            .mark_text(align="left", dx=4, dy=10, color="#a50f15", fontWeight="bold")
            .encode(x="month:Q", y=alt.value(0), text="label:N"),
        ]
    if values["terminal_growth_per_year"] > model.NO_TERMINAL_VALUE:
        horizon = int(values["horizon_months"])
        for npv, colour in ((result.npv_open_usd_m, OPEN_COLOUR), (result.npv_closed_usd_m, CLOSED_COLOUR)):
            layers.append(
                alt.Chart(pd.DataFrame([{"month": horizon, "usd_m": npv}]))
                .mark_point(
                    shape="diamond", filled=True, size=160, opacity=1, color=colour, stroke="#000000", strokeWidth=1
                )
                .encode(x="month:Q", y="usd_m:Q")
            )
    return alt.layer(*layers).properties(width=520, height=280, title=alt.Title(TITLE, anchor="start"))


def tornado_chart(values: Mapping[str, float]) -> alt.LayerChart:
    """Difference in NPV (open minus closed) with each input at 0.75x and 1.25x, largest swing on top."""
    base = model.evaluate(**values).npv_difference_usd_m
    rows = []
    for r in model.tornado(**values):
        for key, case in (
            ("difference_at_075_usd_m", "Input 25% lower"),
            ("difference_at_125_usd_m", "Input 25% higher"),
        ):
            rows.append({"input": SHORT_LABELS[r["input"]], "case": case, "difference": r[key], "base": base})
    order = list(dict.fromkeys(row["input"] for row in rows))
    bars = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            y=alt.Y("input:N", sort=order, title="Input (moved 25% each way)"),
            yOffset=alt.YOffset("case:N", sort=["Input 25% lower", "Input 25% higher"]),
            x=alt.X("difference:Q", title="NPV of open minus closed (USD million)"),
            x2="base:Q",
            color=alt.Color(
                "case:N",
                title="Case",
                sort=["Input 25% lower", "Input 25% higher"],
                scale=alt.Scale(range=["#7f7f7f", "#1f4e79"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    rule = alt.Chart(pd.DataFrame([{"base": base}])).mark_rule(color="#000000", strokeWidth=2).encode(x="base:Q")
    return alt.layer(bars, rule).properties(width=520, height=300, title=alt.Title(TORNADO_TITLE, anchor="start"))


def chart(values: Mapping[str, float]) -> alt.VConcatChart:
    return alt.vconcat(profit_chart(values), tornado_chart(values), spacing=24).resolve_scale(
        color="independent", strokeDash="independent"
    )


class OpenVsClosedWidget(CalculatorWidget):
    """The open-vs-closed calculator for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("open_vs_closed", values, chart, DESCRIPTION)
