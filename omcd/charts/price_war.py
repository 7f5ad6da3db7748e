"""Website chart of the price-war calculator, computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.price_war` step by step on a grid of years
(0 to 10, filtered to the chosen horizon). The parity test checks them against the Python model.
"""

from __future__ import annotations

from typing import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import price_war as model

TITLE = ["When demand for tokens is elastic (above 1), price cuts", "raise total spending and GPU demand"]
SUBTITLE = "Each series as a multiple of its year-0 value, log scale"
DESCRIPTION = (
    "Line chart on a logarithmic scale of four series over the years, each as a multiple of its year-0 "
    "value: the price of a million tokens, the tokens demanded, total spending on tokens and the GPU-hours "
    "needed to serve them. The price falls by the chosen factor each year; with a price elasticity of demand "
    "above 1, tokens grow faster than the price falls, so spending rises (Jevons' paradox); below 1 it "
    "shrinks. A table gives the first and last year in US dollars, tokens and GPU-hours."
)
X_TITLE = "Year"
Y_TITLE = "Multiple of the year-0 value (log scale)"
SCENARIO = "llmflation_2022"
YEAR_GRID = list(range(model.MAX_YEARS + 1))
SERIES = {
    "price_index": "Price per million tokens",
    "tokens_index": "Tokens demanded",
    "spending_index": "Spending on tokens",
    "gpu_hours_index": "GPU-hours needed",
}

_STEPS = [
    ("price_usd_per_million_tokens",
     "start_price_usd_per_million_tokens * pow(price_factor_per_year, datum.year)"),
    ("tokens_trillion",
     "start_tokens_trillion_per_year"
     " * pow(datum.price_usd_per_million_tokens / start_price_usd_per_million_tokens, -elasticity)"),
    ("spending_usd_bn", "datum.price_usd_per_million_tokens * datum.tokens_trillion / 1000"),
    ("throughput_tokens_per_second", "tokens_per_second_per_gpu * pow(throughput_growth_per_year, datum.year)"),
    ("gpu_hours_million",
     f"datum.tokens_trillion * 1000000 / (datum.throughput_tokens_per_second * {model.SECONDS_PER_HOUR:g})"),
    ("cloud_spend_usd_bn", "datum.gpu_hours_million * price_usd_per_gpu_hour / 1000"),
    ("serving_cost_usd_per_million_tokens",
     f"price_usd_per_gpu_hour / (datum.throughput_tokens_per_second * {model.SECONDS_PER_HOUR:g}) * 1000000"),
    ("serving_margin_usd_bn", "datum.spending_usd_bn - datum.cloud_spend_usd_bn"),
    ("spending_0", "start_price_usd_per_million_tokens * start_tokens_trillion_per_year / 1000"),
    ("gpu_hours_0",
     f"start_tokens_trillion_per_year * 1000000 / (tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g})"),
    ("price_index", "datum.price_usd_per_million_tokens / start_price_usd_per_million_tokens"),
    ("tokens_index", "datum.tokens_trillion / start_tokens_trillion_per_year"),
    ("spending_index", "datum.spending_usd_bn / datum.spending_0"),
    ("gpu_hours_index", "datum.gpu_hours_million / datum.gpu_hours_0"),
    ("spending_growth_per_year", "pow(price_factor_per_year, 1 - elasticity)"),
    ("gpu_hours_growth_per_year", "pow(price_factor_per_year, -elasticity) / throughput_growth_per_year"),
    ("gpu_hours_elasticity_threshold",
     "price_factor_per_year < 1 ? log(throughput_growth_per_year) / log(1 / price_factor_per_year) : null"),
]

#: The outputs of the results (year 0 and the last year, in base units), from the last year's
#: row with year 0's values carried by a window: see :func:`omcd.models.price_war.outputs`.
_RESULTS = [
    ("price_first", "datum.first_price"),
    ("price_last", "datum.price_usd_per_million_tokens"),
    ("tokens_first", "datum.first_tokens"),
    ("tokens_last", "datum.tokens_trillion"),
    ("spending_first", "datum.first_spending * 1000000000"),
    ("spending_last", "datum.spending_usd_bn * 1000000000"),
    ("gpu_hours_first", "datum.first_gpu_hours * 1000000"),
    ("gpu_hours_last", "datum.gpu_hours_million * 1000000"),
    ("cloud_first", "datum.first_cloud * 1000000000"),
    ("cloud_last", "datum.cloud_spend_usd_bn * 1000000000"),
    ("serving_cost_last", "datum.serving_cost_usd_per_million_tokens"),
    ("serving_margin_last", "datum.serving_margin_usd_bn * 1000000000"),
    ("spending_trend",
     f"abs(datum.spending_growth_per_year - 1) <= {model.FLAT_TOLERANCE!r} ? 0"
     " : (datum.spending_growth_per_year > 1 ? 1 : -1)"),
]


# The axes, shared with the notebook widget. Vega draws only the values inside the domain.
#: Whole years only: with tickMinStep=1, a one- or two-year horizon still got half-year ticks,
#: labelled "1" and "2" twice by the integer format.
X_AXIS = alt.Axis(values=YEAR_GRID, format="d", aria=False)
#: Powers of ten only: a log axis left to itself labels every multiple 1-9 of each power over a
#: short domain, dozens of labels mostly hidden for overlap.
Y_AXIS = alt.Axis(format="~g", aria=False, values=[10.0 ** k for k in range(-12, 13)])


def _y_scale() -> alt.Scale:
    """Log scale whose domain is computed from the inputs (closed forms of the four indices at the
    last year, with 1 = year 0), halved and doubled for a margin. An explicit domain keeps the axis
    identical whenever the inputs are the same (a data-driven domain kept stale extremes)."""
    last = {
        "price": "pow(price_factor_per_year, years)",
        "tokens": "pow(price_factor_per_year, -elasticity * years)",
        "spending": "pow(price_factor_per_year, (1 - elasticity) * years)",
        "gpu_hours": "pow(pow(price_factor_per_year, -elasticity) / throughput_growth_per_year, years)",
    }
    values = ", ".join(last.values())
    return alt.Scale(type="log", nice=False, domainMin=alt.ExprRef(f"min(1, {values}) / 2"),
                     domainMax=alt.ExprRef(f"max(1, {values}) * 2"))



def defaults() -> dict[str, float]:
    """The documented scenario from ``data/price_war_scenarios.csv``."""
    return scenario_values("price_war", SCENARIO)


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The four index lines (log scale) year by year, and the year-0 and last-year results."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)

    path = calculate(
        alt.Chart(alt.Data(values=[{"year": t} for t in YEAR_GRID], name="year_grid"))
        .transform_filter("datum.year <= years"),
        _STEPS,
    )
    # One line layer per series rather than a fold of the four indices: a fold makes new rows,
    # and so new SVG lines and points, at every slider move; a layer's rows are updated in place.
    names = list(SERIES.values())
    colour = alt.Scale(domain=names, range=["#1f4e79", "#7f7f7f", "#a50f15", "#c55a11"])
    dash = alt.Scale(domain=names, range=[[1, 0], [4, 3], [1, 0], [8, 3]])

    def series_line(key: str, **mark) -> alt.Chart:
        name = SERIES[key]
        return path.transform_calculate(series=repr(name)).mark_line(point=True, **mark).encode(
            # aria=False: Vega left the axes' aria-labels stale when the horizon changed (the chart's
            # description carries the alt text).
            x=alt.X("year:Q", title=X_TITLE, axis=X_AXIS),
            y=alt.Y(f"{key}:Q", title=Y_TITLE, scale=_y_scale(), axis=Y_AXIS),
            color=alt.Color("series:N", title="Series", scale=colour, legend=alt.Legend(orient="bottom", columns=2)),
            strokeDash=alt.StrokeDash("series:N", legend=None, scale=dash),
            tooltip=[alt.Tooltip("year:Q", title="Year"), alt.Tooltip("series:N", title="Series"),
                     alt.Tooltip(f"{key}:Q", format=",.4~g", title="Multiple of year 0")],
            description=alt.value(f"{name}: multiple of year 0, year by year"),
        ).properties(name=key.removesuffix("_index"))  # a "Try this" step may highlight it

    # Spending is drawn wide underneath, so that GPU-hours (dashed) stay visible when the two coincide.
    lines = alt.layer(
        series_line("spending_index", strokeWidth=7, opacity=0.8),
        *(series_line(key, strokeWidth=2.5) for key in SERIES if key != "spending_index"),
    )
    # The same axis as the lines': with one of the layers' axes set to None, Vega-Lite drops the
    # merged axis of layers that plot different fields.
    baseline = alt.Chart(alt.Data(values=[{"one": 1}])).mark_rule(color="#000000", strokeDash=[2, 2]).encode(
        y=alt.Y("one:Q", scale=_y_scale(), title=Y_TITLE, axis=Y_AXIS))
    # The results: the last year's row, year 0's values carried by a window. Not drawn; the
    # page reads it (see omcd/charts/_compile.py).
    results = calculate(
        path.transform_window(
            first_price="first_value(price_usd_per_million_tokens)",
            first_tokens="first_value(tokens_trillion)",
            first_spending="first_value(spending_usd_bn)",
            first_gpu_hours="first_value(gpu_hours_million)",
            first_cloud="first_value(cloud_spend_usd_bn)",
            sort=[alt.SortField("year", order="ascending")],
            frame=[None, None],
        )
        .transform_filter("datum.year == years"),
        _RESULTS,
    ).mark_point(opacity=0, size=0, aria=False).encode(
        x=alt.X("year:Q", title=X_TITLE, axis=X_AXIS),
        y=alt.Y("price_index:Q", title=Y_TITLE, scale=_y_scale(), axis=Y_AXIS))
    plot = alt.layer(lines, baseline, results).properties(
        width=560, height=300, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))

    return view(plot, params=params, description=DESCRIPTION)


def _expected_path(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    result = model.evaluate(**inputs)
    out = dict(vars(result.rows[int(row["year"])]))
    out.pop("year")
    out.update(spending_growth_per_year=result.spending_growth_per_year,
               gpu_hours_growth_per_year=result.gpu_hours_growth_per_year,
               gpu_hours_elasticity_threshold=result.gpu_hours_elasticity_threshold)
    return out


CALCULATOR = register(
    SiteCalculator(
        name="price_war",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        outputs=model.outputs,
        results_anchor="spending_trend",
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Year 0 and the last year of the chosen horizon",
        # Unit elasticity: spending stays exactly flat; prices that do not fall.
        edge_cases=({"elasticity": 1.0}, {"price_factor_per_year": 1.0}),
        checks=(
            ParityCheck(columns=tuple(f for f in model.YearRow.__dataclass_fields__ if f != "year")
                        + ("spending_growth_per_year", "gpu_hours_growth_per_year",
                           "gpu_hours_elasticity_threshold"),
                        expected=_expected_path),
        ),
    )
)
