"""Website chart of the GPU-cluster calculator, computed in the reader's browser.

The Vega expressions below restate :mod:`omcd.models.gpu_cluster` step by step (same names,
same order). The parity test checks them against the Python model at random inputs, so the
two cannot drift apart unnoticed.
"""

from __future__ import annotations

from typing import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import gpu_cluster as model

TITLE = "Below break-even utilisation, an H100 rented by the hour loses money"
SUBTITLE = "Cost per sold GPU-hour (stacked) against the rental price, by share of hours sold"
DESCRIPTION = (
    "Stacked area chart of the cost of one sold GPU-hour, in US dollars, split into depreciation, "
    "energy and other operating cost, against utilisation from 5% to 100% of hours sold. The cost "
    "falls steeply as utilisation rises because fixed costs are shared by more sold hours. A "
    "horizontal line marks the rental price; where the cost curve crosses it, a vertical line marks "
    "break-even utilisation. A diamond marks the chosen utilisation. A table beside the chart lists "
    "the results."
)
X_TITLE = "Utilisation (share of the year's hours sold, %)"
Y_TITLE = "Cost per sold GPU-hour (USD)"
UTILISATION_GRID = [round(0.05 + 0.01 * i, 2) for i in range(96)]  # 5% .. 100%

# Vega expressions, one per step of the model. Inputs are the bound parameters (signals).
_STEPS_PER_GPU = [
    ("capex_usd", "gpu_price_usd + server_overhead_usd_per_gpu"),
    ("depreciation_per_year", "datum.capex_usd / useful_life_years"),
    ("energy_per_sold_hour", "power_kw_per_gpu * pue * electricity_usd_per_kwh"),
    ("other_per_year", "other_opex_usd_per_gpu_year"),
]


def _steps_at(utilisation: str) -> list[tuple[str, str]]:
    """Cost and margin per sold hour at a utilisation given as a Vega expression."""
    return [
        ("sold_hours", f"{utilisation} * {model.HOURS_PER_YEAR:g}"),
        ("depreciation_per_sold_hour", "datum.depreciation_per_year / datum.sold_hours"),
        ("other_per_sold_hour", "datum.other_per_year / datum.sold_hours"),
        ("cost_per_sold_hour",
         "datum.depreciation_per_sold_hour + datum.energy_per_sold_hour + datum.other_per_sold_hour"),
        ("margin_per_sold_hour", "price_usd_per_gpu_hour - datum.cost_per_sold_hour"),
    ]


_STEPS_RESULTS = [
    ("margin_pct", "datum.margin_per_sold_hour / price_usd_per_gpu_hour"),
    ("contribution_per_sold_hour", "price_usd_per_gpu_hour - datum.energy_per_sold_hour"),
    ("break_even_utilisation",
     f"datum.contribution_per_sold_hour > 0 ? (datum.depreciation_per_year + datum.other_per_year)"
     f" / ({model.HOURS_PER_YEAR:g} * datum.contribution_per_sold_hour) : null"),
    ("annual_cash_flow_usd", "datum.sold_hours * datum.contribution_per_sold_hour - datum.other_per_year"),
    ("annual_profit_usd", "datum.annual_cash_flow_usd - datum.depreciation_per_year"),
    ("payback_years", "datum.annual_cash_flow_usd > 0 ? datum.capex_usd / datum.annual_cash_flow_usd : null"),
    ("annuity_factor",
     "discount_rate == 0 ? useful_life_years"
     " : (1 - pow(1 + discount_rate, -useful_life_years)) / discount_rate"),
    ("npv_usd", "-datum.capex_usd + datum.annual_cash_flow_usd * datum.annuity_factor"),
    ("cost_per_million_tokens",
     f"datum.cost_per_sold_hour / (tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g}) * 1000000"),
]


def defaults() -> dict[str, float]:
    """The documented 2025 H100 scenario from ``data/gpu_cluster_scenarios.csv``."""
    return scenario_values("gpu_cluster", "h100_2025")


RESULTS_STEPS = _STEPS_PER_GPU + [("utilisation", "utilisation")] + _steps_at("utilisation") + _STEPS_RESULTS


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The calculator's chart: cost curve by component, price line, break-even and chosen point."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)

    curve = calculate(
        alt.Chart(alt.Data(values=[{"utilisation": u} for u in UTILISATION_GRID], name="utilisation_grid")),
        _STEPS_PER_GPU + _steps_at("datum.utilisation"),
    )
    results = calculate(
        alt.Chart(alt.Data(values=[{"row": 1}], name="chosen_point")), RESULTS_STEPS)

    x = alt.X("utilisation:Q", title=X_TITLE,
              axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    y_scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef("max(3 * price_usd_per_gpu_hour, 1)"), clamp=True)

    component_names = {
        "depreciation_per_sold_hour": "Depreciation",
        "energy_per_sold_hour": "Energy",
        "other_per_sold_hour": "Other operating cost",
    }
    stacked = (
        curve.transform_fold(list(component_names), as_=["component_key", "usd_per_hour"])
        .transform_calculate(
            component=" : ".join(f"datum.component_key == '{k}' ? '{v}'" for k, v in component_names.items())
            + " : ''",
            order=" : ".join(f"datum.component_key == '{k}' ? {i}" for i, k in enumerate(component_names))
            + " : 0",
        )
        .mark_area(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("usd_per_hour:Q", stack="zero", scale=y_scale, title=Y_TITLE),
            color=alt.Color("component:N", title="Cost component",
                            sort=list(component_names.values()),
                            scale=alt.Scale(range=["#1f4e79", "#c55a11", "#7f7f7f"]),
                            legend=alt.Legend(orient="bottom")),
            order=alt.Order("order:Q"),
            tooltip=[alt.Tooltip("utilisation:Q", format=".0%", title="Utilisation"),
                     alt.Tooltip("component:N", title="Cost"),
                     alt.Tooltip("usd_per_hour:Q", format="$.2f", title="USD per sold hour")],
        )
    )
    price_line = (
        alt.Chart(alt.Data(values=[{"row": 1}]))
        .transform_calculate(price="price_usd_per_gpu_hour", label="'Price $' + format(price_usd_per_gpu_hour, '.2f')")
        .mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3])
        .encode(y=alt.Y("price:Q", scale=y_scale, title=Y_TITLE))
    )
    price_label = price_line.mark_text(align="right", dx=-4, dy=-8, fontWeight="bold", color="#000000").encode(
        x=alt.datum(1), text="label:N")
    break_even = (
        results.transform_filter("datum.break_even_utilisation != null && datum.break_even_utilisation <= 1")
        .transform_calculate(label="'Break-even ' + format(datum.break_even_utilisation, '.0%')")
    )
    break_even_rule = break_even.mark_rule(color="#a50f15", strokeWidth=2).encode(
        x=alt.X("break_even_utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE))
    break_even_label = break_even.mark_text(align="left", dx=4, dy=8, color="#a50f15", fontWeight="bold").encode(
        x=alt.X("break_even_utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE), y=alt.value(0),
        text="label:N")
    chosen = results.mark_point(filled=True, size=120, color="#000000", shape="diamond").encode(
        x=alt.X("utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE),
        y=alt.Y("cost_per_sold_hour:Q", scale=y_scale, title=Y_TITLE),
        tooltip=[alt.Tooltip("utilisation:Q", format=".0%", title="Chosen utilisation"),
                 alt.Tooltip("cost_per_sold_hour:Q", format="$.2f", title="Cost per sold hour")],
    )
    plot = alt.layer(stacked, price_line.properties(name="price"), price_label,
                     break_even_rule.properties(name="break_even"), break_even_label, chosen).properties(
        width=560, height=300,
        title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"),
    )

    return view(plot, params=params, description=DESCRIPTION)


def _expected_results(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return model.evaluate(**inputs).as_dict()


def _expected_curve(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    r = model.evaluate(**{**inputs, "utilisation": float(row["utilisation"])})
    return {
        "depreciation_per_sold_hour": r.depreciation_per_sold_hour,
        "energy_per_sold_hour": r.energy_per_sold_hour,
        "other_per_sold_hour": r.other_per_sold_hour,
        "cost_per_sold_hour": r.cost_per_sold_hour,
        "margin_per_sold_hour": r.margin_per_sold_hour,
    }


CALCULATOR = register(
    SiteCalculator(
        name="gpu_cluster",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        outputs=model.outputs,
        results_steps=RESULTS_STEPS,
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Results for one GPU at the chosen utilisation",
        checks=(
            ParityCheck(columns=tuple(model.GpuClusterResult.__dataclass_fields__), expected=_expected_results),
            ParityCheck(columns=("utilisation", "depreciation_per_sold_hour", "energy_per_sold_hour",
                                 "other_per_sold_hour", "cost_per_sold_hour", "margin_per_sold_hour"),
                        expected=_expected_curve),
        ),
    )
)
