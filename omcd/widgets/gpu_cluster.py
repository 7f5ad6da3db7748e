"""Notebook calculator for GPU cluster unit economics: sliders drive :mod:`omcd.models.gpu_cluster`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.gpu_cluster import DESCRIPTION, HIGHER, LOWER, SHORT_LABELS, TITLE, TORNADO_TITLE, UTILISATION_GRID
from omcd.models import gpu_cluster as model
from omcd.widgets._base import CalculatorWidget

COMPONENTS = {
    "depreciation_per_sold_hour": "Depreciation",
    "energy_per_sold_hour": "Energy",
    "other_per_sold_hour": "Other operating cost",
}


def cost_chart(values: Mapping[str, float]) -> alt.LayerChart:
    """Cost per sold GPU-hour by component against utilisation, price line and chosen point."""
    rows = []
    for u in UTILISATION_GRID:
        r = model.evaluate(**{**values, "utilisation": u})
        rows += [
            {"utilisation": u, "component": label, "order": i, "usd_per_hour": getattr(r, key)}
            for i, (key, label) in enumerate(COMPONENTS.items())
        ]
    chosen = model.evaluate(**values)
    price = values["price_usd_per_gpu_hour"]
    y_scale = alt.Scale(domain=[0, max(3 * price, 1)], clamp=True)
    x = alt.X(
        "utilisation:Q",
        title="Utilisation (share of the year's hours sold)",
        axis=alt.Axis(format="%"),
        scale=alt.Scale(domain=[0, 1]),
    )
    area = (
        alt.Chart(pd.DataFrame(rows))
        .mark_area(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("usd_per_hour:Q", stack="zero", scale=y_scale, title="Cost per sold GPU-hour (USD)"),
            color=alt.Color(
                "component:N",
                title="Cost component",
                sort=list(COMPONENTS.values()),
                scale=alt.Scale(range=["#1f4e79", "#c55a11", "#7f7f7f"]),
                legend=alt.Legend(orient="bottom"),
            ),
            order="order:Q",
        )
    )
    marks = pd.DataFrame(
        [
            {
                "utilisation": values["utilisation"],
                "cost": chosen.cost_per_sold_hour,
                "price": price,
                "label": f"Price ${price:.2f}",
            }
        ]
    )
    layers = [
        area,
        alt.Chart(marks).mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(y="price:Q"),
        alt.Chart(marks)
        .mark_point(filled=True, size=120, color="#000000", shape="diamond")
        .encode(x=alt.X("utilisation:Q", scale=alt.Scale(domain=[0, 1])), y=alt.Y("cost:Q", scale=y_scale)),
    ]
    if chosen.break_even_reachable:
        be = pd.DataFrame(
            [{"break_even": chosen.break_even_utilisation, "label": f"Break-even {chosen.break_even_utilisation:.0%}"}]
        )
        layers.append(
            alt.Chart(be)
            .mark_rule(color="#a50f15", strokeWidth=2)
            .encode(x=alt.X("break_even:Q", scale=alt.Scale(domain=[0, 1])))
        )
    return alt.layer(*layers).properties(width=520, height=280, title=alt.Title(TITLE, anchor="start"))


def tornado_chart(values: Mapping[str, float]) -> alt.LayerChart:
    """The NPV with each input at 0.75x and 1.25x (:func:`omcd.models.gpu_cluster.tornado`),
    largest swing on top, as on the website."""
    base = model.evaluate(**values).npv_usd
    rows = []
    for r in model.tornado(**values):
        for key, case in (("npv_at_075_usd", LOWER), ("npv_at_125_usd", HIGHER)):
            rows.append({"input": SHORT_LABELS[r["input"]], "case": case, "npv": r[key], "base": base})
    order = list(dict.fromkeys(row["input"] for row in rows))
    bars = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            y=alt.Y("input:N", sort=order, title="Input (moved 25% each way)"),
            yOffset=alt.YOffset("case:N", sort=[LOWER, HIGHER]),
            x=alt.X("npv:Q", title="NPV over the economic life (USD)"),
            x2="base:Q",
            color=alt.Color(
                "case:N",
                title="Case",
                sort=[LOWER, HIGHER],
                scale=alt.Scale(range=["#7f7f7f", "#1f4e79"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    rule = alt.Chart(pd.DataFrame([{"base": base}])).mark_rule(color="#000000", strokeWidth=2).encode(x="base:Q")
    irr = model.evaluate(**values).irr
    subtitle = (
        "IRR: none, it never earns any cash"
        if irr is None
        else f"IRR {irr:.1%} a year against a discount rate of {values['discount_rate']:.0%}"
    )
    return alt.layer(bars, rule).properties(
        width=520, height=300, title=alt.Title(TORNADO_TITLE, subtitle=subtitle, anchor="start")
    )


def chart(values: Mapping[str, float]) -> alt.VConcatChart:
    """The cost chart and the NPV tornado, one above the other."""
    return alt.vconcat(cost_chart(values), tornado_chart(values), spacing=24).resolve_scale(color="independent")


class GpuClusterWidget(CalculatorWidget):
    """The GPU-cluster calculator for Binder/JupyterLab, starting from a data/ scenario
    (``values`` overrides some inputs, e.g. ``GpuClusterWidget({"utilisation": 0.6})``)."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("gpu_cluster", values, chart, DESCRIPTION)
