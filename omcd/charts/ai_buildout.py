"""Website chart of the AI build-out calculator, computed in the reader's browser.

One row per year (a year grid, Vega has no loops); the vintages a year holds are counted in
closed form, and cumulative cash is a window sum. The expressions restate
:mod:`omcd.models.ai_buildout`; the parity test checks them against the Python model.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt

from omcd.charts import _irr
from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import ai_buildout as model

TITLE = "The build-out reports profits from year 1 while cash stays negative for years"
SUBTITLE = (
    "Reported operating profit (bars) and cumulative cash (line) by year, USD bn; the depreciation "
    "life moves profit between years, never cash"
)
DESCRIPTION = (
    "Bar and line chart over ten years, in billions of US dollars. Bars show the reported operating "
    "profit of an AI build-out each year: rental revenue from the GPUs in service minus their operating "
    "cost and straight-line depreciation. A line shows cumulative cash: the same revenue minus operating "
    "cost and the capex actually paid. During the build years the bars are positive while cumulative "
    "cash falls; changing the depreciation life changes the bars but not the line. A dotted line marks "
    "the lowest cumulative cash, the peak funding need. A table gives NPV, payback year and peak "
    "funding need."
)
X_TITLE = "Year of the build-out"
# Each bar and point also carries its value in USD bn. The axis is hidden from screen readers
# (aria=False): Vega does not update an axis's aria-label when its domain changes, so it would
# read out stale values; the chart's description and the value labels say what it shows.
Y_AXIS = alt.Axis(format=",~f", aria=False)
Y_TITLE = "USD bn"
SERIES = ["Reported operating profit", "Cumulative cash"]

_STEPS_YEAR = [
    ("gpus_per_vintage", "capex_usd_bn_per_year * 1000000000 / gpu_all_in_cost_usd"),
    # VegaFusion has no min() or max(): the model's max(0, min(t, B) - max(1, t - E + 1) + 1) as ternaries.
    ("last_vintage", "datum.year < build_years ? datum.year : build_years"),
    ("first_in_service", "datum.year > economic_life_years ? datum.year - economic_life_years + 1 : 1"),
    (
        "vintages_in_service",
        "datum.last_vintage < datum.first_in_service ? 0 : datum.last_vintage - datum.first_in_service + 1",
    ),
    ("first_depreciating", "datum.year > depreciation_life_years ? datum.year - depreciation_life_years + 1 : 1"),
    (
        "vintages_depreciating",
        "datum.last_vintage < datum.first_depreciating ? 0 : datum.last_vintage - datum.first_depreciating + 1",
    ),
    ("rent_usd_per_gpu_hour", "price_usd_per_gpu_hour * pow(1 - rent_decline_per_year, datum.year - 1)"),
    # Switched off from the first year the rent no longer covers the running cost (the rent only
    # falls, so every later year too).
    ("switched_on", f"utilisation * {model.HOURS_PER_YEAR:g} * datum.rent_usd_per_gpu_hour > opex_usd_per_gpu_year"),
    ("gpus_in_service", "datum.switched_on ? datum.vintages_in_service * datum.gpus_per_vintage : 0"),
    ("capex_bn", "datum.year <= build_years ? capex_usd_bn_per_year : 0"),
    (
        "revenue_bn",
        f"datum.gpus_in_service * utilisation * {model.HOURS_PER_YEAR:g} * datum.rent_usd_per_gpu_hour / 1000000000",
    ),
    ("opex_bn", "datum.gpus_in_service * opex_usd_per_gpu_year / 1000000000"),
    ("depreciation_bn", "datum.vintages_depreciating * capex_usd_bn_per_year / depreciation_life_years"),
    ("operating_profit_bn", "datum.revenue_bn - datum.opex_bn - datum.depreciation_bn"),
    ("cash_flow_bn", "datum.revenue_bn - datum.opex_bn - datum.capex_bn"),
    # Capex at the start of its year, operating cash at the year's end (as in the one-GPU model).
    (
        "discounted_cash_flow_bn",
        "-datum.capex_bn / pow(1 + discount_rate, datum.year - 1)"
        " + (datum.revenue_bn - datum.opex_bn) / pow(1 + discount_rate, datum.year)",
    ),
    ("switch_off_flag", "!datum.switched_on && datum.vintages_in_service > 0 ? datum.year : 99"),
    # The IRR's cash flow at the year's end (time ``year``): its operating cash, less the next
    # year's capex, paid at that year's start (time 0 holds the first year's capex).
    (
        "flow_at_end_bn",
        "datum.revenue_bn - datum.opex_bn - (datum.year < build_years ? capex_usd_bn_per_year : 0)",
    ),
]
_STEPS_TOTALS = [
    ("gpus_per_vintage", "capex_usd_bn_per_year * 1000000000 / gpu_all_in_cost_usd"),
    ("total_capex_bn", "capex_usd_bn_per_year * build_years"),
    ("payback_year", "datum.first_payback_year < 99 ? datum.first_payback_year : null"),
    (
        "discounted_payback_year",
        "datum.first_discounted_payback_year < 99 ? datum.first_discounted_payback_year : null",
    ),
    ("switch_off_year", "datum.first_switch_off_year < 99 ? datum.first_switch_off_year : null"),
    ("peak_funding_need_bn", "datum.lowest_cumulative_cash_bn < 0 ? -datum.lowest_cumulative_cash_bn : 0"),
    ("first_year_cash_flow_bn", "datum.cash_flow_bn"),
    ("first_year_operating_profit_bn", "datum.operating_profit_bn"),
]


def defaults() -> dict[str, float]:
    """Alibaba's 2025 three-year plan, from ``data/ai_buildout_scenarios.csv``."""
    return scenario_values("ai_buildout", "alibaba_plan_2025")


def _years() -> alt.Chart:
    base = calculate(alt.Chart(alt.Data(values=[{"year": t} for t in model.YEARS], name="year_grid")), _STEPS_YEAR)
    return base.transform_window(
        cumulative_cash_bn="sum(cash_flow_bn)",
        discounted_cumulative_cash_bn="sum(discounted_cash_flow_bn)",
        sort=[{"field": "year"}],
        frame=[None, 0],
    )


def _totals() -> alt.Chart:
    """One row: the first year's, with the totals over the years joined. An aggregate would hand
    on a new row at every slider move, and so new SVG elements for the results table."""
    return calculate(
        _years()
        .transform_calculate(
            payback_flag="datum.cumulative_cash_bn >= 0 ? datum.year : 99",
            discounted_payback_flag="datum.discounted_cumulative_cash_bn >= 0 ? datum.year : 99",
            **dict(_irr.flow_steps("datum.year", "datum.flow_at_end_bn", model.YEARS)),
        )
        .transform_joinaggregate(
            first_payback_year="min(payback_flag)",
            first_discounted_payback_year="min(discounted_payback_flag)",
            first_switch_off_year="min(switch_off_flag)",
            lowest_cumulative_cash_bn="min(cumulative_cash_bn)",
            npv_bn="sum(discounted_cash_flow_bn)",
            total_cash_bn="sum(cash_flow_bn)",
            **_irr.flow_sums(model.YEARS),
        )
        .transform_filter(f"datum.year == {model.YEARS[0]}"),
        _STEPS_TOTALS,
    )


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """Profit bars and cumulative-cash line by year, with the peak funding need marked."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)
    params = input_params(model.PARAMS, inputs)
    years = _years()
    x = alt.X("year:O", title=X_TITLE, axis=alt.Axis(labelAngle=0))
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=SERIES, range=["#1f4e79", "#a50f15"]),
        legend=alt.Legend(orient="bottom"),
    )
    bars = (
        years.transform_calculate(series=f"'{SERIES[0]}'")
        .mark_bar(opacity=0.85)
        .encode(
            x=x,
            # 24 px of room above the highest and below the lowest value, for the labels.
            y=alt.Y("operating_profit_bn:Q", title=Y_TITLE, axis=Y_AXIS, scale=alt.Scale(padding=24)),
            color=color,
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("revenue_bn:Q", format="$,.1f", title="Revenue (USD bn)"),
                alt.Tooltip("depreciation_bn:Q", format="$,.1f", title="Depreciation (USD bn)"),
                alt.Tooltip("operating_profit_bn:Q", format="$,.1f", title="Operating profit (USD bn)"),
            ],
        )
    )
    line = (
        years.transform_calculate(series=f"'{SERIES[1]}'")
        .mark_line(point=True, strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y("cumulative_cash_bn:Q", title=Y_TITLE, axis=Y_AXIS),
            color=color,
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("cash_flow_bn:Q", format="$,.1f", title="Cash flow (USD bn)"),
                alt.Tooltip("cumulative_cash_bn:Q", format="$,.1f", title="Cumulative cash (USD bn)"),
            ],
        )
    )
    zero = (
        alt.Chart(alt.Data(values=[{"zero": 0}]))
        .mark_rule(color="#000000")
        .encode(y=alt.Y("zero:Q", title=Y_TITLE, axis=Y_AXIS))
    )
    funding = (
        _totals()
        .mark_rule(color="#a50f15", strokeDash=[2, 3])
        .encode(
            y=alt.Y("lowest_cumulative_cash_bn:Q", title=Y_TITLE, axis=Y_AXIS),
            tooltip=[alt.Tooltip("peak_funding_need_bn:Q", format="$,.1f", title="Peak funding need (USD bn)")],
        )
    )
    # Labels that sit on no other mark: each bar's value just above the bar, or for a loss just
    # above the zero line (the bar hangs below it, where the cash line runs); the cash line's
    # value only where it ends (year 1's is in the reading and the results, and near the bars);
    # its lowest point, the peak funding need, in words under the dotted rule from the year it is
    # reached (the line never goes lower, and a loss-making bar would need a loss larger than the
    # peak funding need; the y scale keeps room for the words below the lowest value).
    label = "(datum.{f} < 0 ? '-' : '') + format(abs(datum.{f}), ',.1f')"
    bar_labels = (
        years.transform_calculate(
            text=label.format(f="operating_profit_bn"),
            label_y="datum.operating_profit_bn > 0 ? datum.operating_profit_bn : 0",
        )
        .mark_text(baseline="bottom", dy=-3, fontSize=11, color="#1f4e79")
        .encode(x=x, y=alt.Y("label_y:Q", title=Y_TITLE, axis=Y_AXIS), text="text:N")
    )
    end_label = (
        years.transform_filter(f"datum.year == {model.YEARS[-1]}")
        .transform_calculate(text=label.format(f="cumulative_cash_bn"))
        .mark_text(baseline="top", dy=7, fontSize=11, fontWeight="bold", color="#a50f15")
        .encode(x=x, y=alt.Y("cumulative_cash_bn:Q", title=Y_TITLE, axis=Y_AXIS), text="text:N")
    )
    funding_label = (
        years.transform_joinaggregate(lowest_bn="min(cumulative_cash_bn)")
        .transform_calculate(at_lowest="datum.cumulative_cash_bn == datum.lowest_bn ? datum.year : 99")
        .transform_joinaggregate(lowest_year="min(at_lowest)")
        .transform_filter("datum.year == datum.lowest_year && datum.lowest_bn < 0")
        .transform_calculate(text="'Peak funding need: USD ' + format(-datum.lowest_bn, ',.1f') + 'bn'")
        .mark_text(align="left", baseline="top", dx=-8, dy=5, fontSize=11, color="#a50f15")
        .encode(x=x, y=alt.Y("lowest_bn:Q", title=Y_TITLE, axis=Y_AXIS), text="text:N")
    )
    plot = alt.layer(
        bars.properties(name="operating_profit"),
        line.properties(name="cumulative_cash"),
        zero,
        funding.properties(name="peak_funding"),
        bar_labels,
        end_label,
        funding_label,
    ).properties(width=560, height=300, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))

    return view(plot, params=params, description=DESCRIPTION)


_YEAR_COLUMNS = (
    "year",
    "rent_usd_per_gpu_hour",
    "gpus_in_service",
    "capex_bn",
    "revenue_bn",
    "opex_bn",
    "depreciation_bn",
    "operating_profit_bn",
    "cash_flow_bn",
    "cumulative_cash_bn",
    "discounted_cash_flow_bn",
)
#: The chart's totals (the IRR is the page's results only: see the ``results_steps``).
_TOTAL_COLUMNS = tuple(
    k
    for k in model.outputs(defaults())
    if k not in ("first_year_operating_profit_bn", "first_year_cash_flow_bn", "irr")
)


def _expected_year(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float]:
    year = model.evaluate(**inputs).years[int(row["year"]) - 1]
    return {c: getattr(year, c) for c in _YEAR_COLUMNS}


def _expected_totals(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return {k: v for k, v in model.outputs(inputs).items() if k in _TOTAL_COLUMNS}


CALCULATOR = register(
    SiteCalculator(
        name="ai_buildout",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        outputs=model.outputs,
        results_anchor="first_year_operating_profit_bn",
        # The first year's capex, paid now (time 0): the one flow the year rows do not hold.
        results_steps=_irr.root_steps(model.YEARS, outflow_now="-capex_usd_bn_per_year"),
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Results of the build-out",
        # Knife edges: the GPUs switched off part-way (rent halving each year against USD 9,000 of
        # running cost), and never switched on (their first year's rent is below running cost);
        # and a flat rent, with which the default plan pays back, discounted too (year 6).
        edge_cases=(
            {"rent_decline_per_year": 0.5, "opex_usd_per_gpu_year": 9_000},
            {"rent_decline_per_year": 0.0},
            # GPUs in service to the last year: no term of the IRR's NPV polynomial is zero.
            {"build_years": 5, "economic_life_years": 6, "rent_decline_per_year": 0.0},
            {"utilisation": 0.05, "price_usd_per_gpu_hour": 0.25},
        ),
        checks=(
            ParityCheck(columns=_YEAR_COLUMNS, expected=_expected_year),
            ParityCheck(
                columns=_irr.series_columns(model.YEARS),
                expected=lambda inputs, row: _irr.expected_series(model.evaluate(**inputs).flows, model.YEARS),
            ),
            ParityCheck(columns=_TOTAL_COLUMNS, expected=_expected_totals),
        ),
    )
)
