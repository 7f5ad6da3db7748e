"""Website chart of the price-war calculator, computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.price_war` step by step on a grid of years
(0 to 10, filtered to the chosen horizon). The parity test checks them against the Python model.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import price_war as model

#: A conditional that holds at every input: spending on tokens grows with each price cut if and
#: only if the elasticity is above 1; GPU-hours grow if and only if tokens grow faster than each
#: GPU's throughput (elasticity above ln g / ln(1/f)).
TITLE = [
    "Price cuts raise spending on tokens when elasticity is above 1,",
    "and the GPU-hours needed when demand outgrows efficiency gains",
]
SUBTITLE = [
    "Each series as a multiple of its year-0 value, log scale. Shaded: the price more than",
    f"{model.OBSERVED_PRICE_FALL:,.0f} times below year 0's, a fall never observed, where demand is extrapolated",
]
DESCRIPTION = (
    "Line chart on a logarithmic scale of four series over the years, each as a multiple of its year-0 "
    "value: the price of a million tokens, the tokens demanded, total spending on tokens and the GPU-hours "
    "needed to serve them. The price falls by the chosen factor each year; with a price elasticity of demand "
    "above 1, tokens grow faster than the price falls, so spending rises (Jevons' paradox); below 1 it "
    "shrinks. When serving gets more efficient exactly as fast as the price falls, the GPU-hours line lies "
    "on the spending line (dashed, with open circles). A table gives the first and last year in US dollars, "
    "tokens and GPU-hours, the sellers' serving margin, the first year the price falls below the GPU cost "
    "of serving, and the year from which the price has fallen further than any fall observed so far."
)
X_TITLE = "Year"
Y_TITLE = "Multiple of the year-0 value (log scale)"
SCENARIO = "llmflation_2022"
_TOL = repr(model.CROSSING_TOLERANCE)


def _bounded(expr: str) -> str:
    """``expr`` held within the display bound (:func:`omcd.models.price_war.bounded`); null stays null."""
    bound = repr(model.DISPLAY_BOUND)
    return f"{expr} != null && abs({expr}) > {bound} ? ({expr} > 0 ? {bound} : -{bound}) : {expr}"


YEAR_GRID = list(range(model.MAX_YEARS + 1))
SERIES = {
    "price_index": "Price per million tokens",
    "tokens_index": "Tokens demanded",
    "spending_index": "Spending on tokens",
    "gpu_hours_index": "GPU-hours needed",
}

#: One colour, one dash and one point shape per series. Spending and GPU-hours coincide when the
#: throughput gain equals the price cut: spending is solid with filled dots, GPU-hours dashed with
#: open circles drawn over it, so both stay readable.
SERIES_COLOURS = ["#1f4e79", "#595959", "#a50f15", "#c55a11"]
SERIES_DASHES = [[1, 0], [2, 3], [1, 0], [7, 4]]
SERIES_POINTS = {
    "price_index": {"filled": True, "size": 30},
    "tokens_index": {"filled": True, "size": 30},
    "spending_index": {"filled": True, "size": 40},
    "gpu_hours_index": {"filled": False, "size": 130, "strokeWidth": 2},
}

_STEPS = [
    ("price_usd_per_million_tokens", "start_price_usd_per_million_tokens * pow(price_factor_per_year, datum.year)"),
    (
        "tokens_trillion",
        "start_tokens_trillion_per_year"
        " * pow(datum.price_usd_per_million_tokens / start_price_usd_per_million_tokens, -elasticity)",
    ),
    ("spending_usd_bn", "datum.price_usd_per_million_tokens * datum.tokens_trillion / 1000"),
    ("throughput_tokens_per_second", "tokens_per_second_per_gpu * pow(throughput_growth_per_year, datum.year)"),
    (
        "gpu_hours_million",
        f"datum.tokens_trillion * 1000000 / (datum.throughput_tokens_per_second * {model.SECONDS_PER_HOUR:g})",
    ),
    ("cloud_spend_usd_bn", "datum.gpu_hours_million * price_usd_per_gpu_hour / 1000"),
    (
        "serving_cost_usd_per_million_tokens",
        f"price_usd_per_gpu_hour / (datum.throughput_tokens_per_second * {model.SECONDS_PER_HOUR:g}) * 1000000",
    ),
    ("serving_margin_usd_bn", "datum.spending_usd_bn - datum.cloud_spend_usd_bn"),
    ("spending_0", "start_price_usd_per_million_tokens * start_tokens_trillion_per_year / 1000"),
    (
        "gpu_hours_0",
        f"start_tokens_trillion_per_year * 1000000 / (tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g})",
    ),
    ("price_index", "datum.price_usd_per_million_tokens / start_price_usd_per_million_tokens"),
    ("tokens_index", "datum.tokens_trillion / start_tokens_trillion_per_year"),
    ("spending_index", "datum.spending_usd_bn / datum.spending_0"),
    ("gpu_hours_index", "datum.gpu_hours_million / datum.gpu_hours_0"),
    ("spending_growth_per_year", "pow(price_factor_per_year, 1 - elasticity)"),
    ("gpu_hours_growth_per_year", "pow(price_factor_per_year, -elasticity) / throughput_growth_per_year"),
    (
        "gpu_hours_elasticity_threshold",
        "price_factor_per_year < 1 ? log(throughput_growth_per_year) / log(1 / price_factor_per_year) : null",
    ),
]

#: The outputs of the results (year 0 and the last year, in base units), from the last year's
#: row with year 0's values carried by a window: see :func:`omcd.models.price_war.outputs`.
_RESULTS = [
    ("price_first", "datum.first_price"),
    ("price_last", "datum.price_usd_per_million_tokens"),
    ("tokens_first", "datum.first_tokens"),
    ("tokens_last_raw", "datum.tokens_trillion"),
    ("spending_first", "datum.first_spending * 1000000000"),
    ("spending_last_raw", "datum.spending_usd_bn * 1000000000"),
    ("gpu_hours_first", "datum.first_gpu_hours * 1000000"),
    ("gpu_hours_last_raw", "datum.gpu_hours_million * 1000000"),
    ("cloud_first", "datum.first_cloud * 1000000000"),
    ("cloud_last_raw", "datum.cloud_spend_usd_bn * 1000000000"),
    ("serving_cost_last", "datum.serving_cost_usd_per_million_tokens"),
    ("serving_margin_first", "datum.first_margin * 1000000000"),
    ("serving_margin_last_raw", "datum.serving_margin_usd_bn * 1000000000"),
    ("tokens_multiple_last_raw", "datum.tokens_index"),
    (
        "spending_trend",
        f"abs(datum.spending_growth_per_year - 1) <= {model.FLAT_TOLERANCE!r} ? 0"
        " : (datum.spending_growth_per_year > 1 ? 1 : -1)",
    ),
    ("same_pace", f"abs(datum.gpu_hours_growth_per_year / datum.spending_growth_per_year - 1) <= {_TOL} ? 1 : 0"),
    ("loss_year", "datum.first_loss_year"),
    ("loss_price", "datum.at_loss_price"),
    ("loss_serving_cost", "datum.at_loss_serving_cost"),
    ("loss_margin_raw", "datum.at_loss_margin == null ? null : datum.at_loss_margin * 1000000000"),
    ("extrapolated_from_year", "datum.first_extrapolated_year"),
    (
        "beyond_display",
        " || ".join(f"abs(datum.{k}_raw) > {model.DISPLAY_BOUND!r}" for k in model.BOUNDED) + " ? 1 : 0",
    ),
    # What the page shows: the model's values held within the display bound.
    *((k, _bounded(f"datum.{k}_raw")) for k in model.BOUNDED),
]

#: The band of the chart beyond the observed range of prices: :func:`omcd.models.price_war.observed_range_ends_at`.
_BAND = [
    (
        "range_end",
        f"price_factor_per_year < 1 ? log({model.OBSERVED_PRICE_FALL!r}) / log(1 / price_factor_per_year) : null",
    ),
    # An empty band (at the last year) when the price stays within the observed range.
    ("band_start", "datum.range_end != null && datum.range_end < years ? datum.range_end : years"),
    ("band_end", "years"),
]


def _expected_band(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    end = model.observed_range_ends_at(inputs["price_factor_per_year"])
    years = float(inputs["years"])
    return {"range_end": end, "band_start": end if end is not None and end < years else years, "band_end": years}


#: Each year's flags, for the two first years the results read (see the model's docstring).
_CROSSINGS = [
    (
        "loss_candidate",
        f"datum.price_usd_per_million_tokens < datum.serving_cost_usd_per_million_tokens * (1 - {_TOL})"
        " ? datum.year : null",
    ),
    (
        "extrapolated_candidate",
        f"datum.price_index < {1 / model.OBSERVED_PRICE_FALL!r} * (1 - {_TOL}) ? datum.year : null",
    ),
]


# The axes, shared with the notebook widget. Vega draws only the values inside the domain.
#: Whole years only: with tickMinStep=1, a one- or two-year horizon still got half-year ticks,
#: labelled "1" and "2" twice by the integer format.
X_AXIS = alt.Axis(values=YEAR_GRID, format="d", aria=False)
#: Powers of ten only: a log axis left to itself labels every multiple 1-9 of each power over a
#: short domain, dozens of labels mostly hidden for overlap.
Y_AXIS = alt.Axis(format="~g", aria=False, values=[10.0**k for k in range(-12, 13)])


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
    return alt.Scale(
        type="log",
        nice=False,
        domainMin=alt.ExprRef(f"min(1, {values}) / 2"),
        domainMax=alt.ExprRef(f"max(1, {values}) * 2"),
    )


def defaults() -> dict[str, float]:
    """The documented scenario from ``data/price_war_scenarios.csv``."""
    return scenario_values("price_war", SCENARIO)


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The four index lines (log scale) year by year, and the year-0 and last-year results."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)

    path = calculate(
        alt.Chart(alt.Data(values=[{"year": t} for t in YEAR_GRID], name="year_grid")).transform_filter(
            "datum.year <= years"
        ),
        _STEPS,
    )
    # One line layer per series rather than a fold of the four indices: a fold makes new rows,
    # and so new SVG lines and points, at every slider move; a layer's rows are updated in place.
    names = list(SERIES.values())
    colour = alt.Scale(domain=names, range=SERIES_COLOURS)
    dash = alt.Scale(domain=names, range=SERIES_DASHES)
    # One column: two columns of dashed symbols and labels do not fit a phone (390 px).
    legend = alt.Legend(orient="bottom", columns=1, symbolType="stroke", symbolSize=400, symbolStrokeWidth=2.5)

    def series_line(key: str) -> alt.LayerChart:
        name = SERIES[key]
        data = path.transform_calculate(series=repr(name))
        # aria=False: Vega left the axes' aria-labels stale when the horizon changed (the chart's
        # description carries the alt text).
        x = alt.X("year:Q", title=X_TITLE, axis=X_AXIS)
        y = alt.Y(f"{key}:Q", title=Y_TITLE, scale=_y_scale(), axis=Y_AXIS)
        # One legend for both channels (same field and title): each series' colour and dash.
        color = alt.Color("series:N", title="Series", scale=colour, legend=legend)
        tooltip = [
            alt.Tooltip("year:Q", title="Year"),
            alt.Tooltip("series:N", title="Series"),
            alt.Tooltip(f"{key}:Q", format=",.4~g", title="Multiple of year 0"),
        ]
        line = data.mark_line(strokeWidth=2.5).encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash("series:N", title="Series", scale=dash, legend=legend),
            tooltip=tooltip,
            description=alt.value(f"{name}: multiple of year 0, year by year"),
        )
        # The points apart from the line, so that they are not dashed.
        points = data.mark_point(opacity=1, **SERIES_POINTS[key]).encode(x=x, y=y, color=color, tooltip=tooltip)
        # Both named after the series, so that a "Try this" step highlights the line and its points.
        part = key.removesuffix("_index")
        return alt.layer(line.properties(name=part), points.properties(name=part))

    # GPU-hours last, on top: when they grow exactly like spending (throughput gain = price cut),
    # its dashes and open circles show over the solid spending line and its filled dots.
    lines = alt.layer(*(series_line(key) for key in SERIES))
    # The same axis as the lines': with one of the layers' axes set to None, Vega-Lite drops the
    # merged axis of layers that plot different fields.
    baseline = (
        alt.Chart(alt.Data(values=[{"one": 1}]))
        .mark_rule(color="#000000", strokeDash=[2, 2])
        .encode(y=alt.Y("one:Q", scale=_y_scale(), title=Y_TITLE, axis=Y_AXIS))
    )
    # The results: the last year's row, year 0's values carried by a window. Not drawn; the
    # page reads it (see omcd/charts/_compile.py).
    at_loss = {
        "at_loss_price": "price_usd_per_million_tokens",
        "at_loss_serving_cost": "serving_cost_usd_per_million_tokens",
        "at_loss_margin": "serving_margin_usd_bn",
    }
    results = (
        calculate(
            calculate(
                path.transform_window(
                    first_price="first_value(price_usd_per_million_tokens)",
                    first_tokens="first_value(tokens_trillion)",
                    first_spending="first_value(spending_usd_bn)",
                    first_gpu_hours="first_value(gpu_hours_million)",
                    first_cloud="first_value(cloud_spend_usd_bn)",
                    first_margin="first_value(serving_margin_usd_bn)",
                    sort=[alt.SortField("year", order="ascending")],
                    frame=[None, None],
                ),
                _CROSSINGS,
            )
            .transform_joinaggregate(
                first_loss_year="min(loss_candidate)", first_extrapolated_year="min(extrapolated_candidate)"
            )
            # The first loss year's values; max() of one value (none when there is no loss year).
            .transform_calculate(
                **{f"{k}_one": f"datum.year == datum.first_loss_year ? datum.{v} : null" for k, v in at_loss.items()}
            )
            .transform_joinaggregate(**{k: f"max({k}_one)" for k in at_loss})
            .transform_filter("datum.year == years"),
            _RESULTS,
        )
        .mark_point(opacity=0, size=0, aria=False)
        .encode(
            x=alt.X("year:Q", title=X_TITLE, axis=X_AXIS),
            y=alt.Y("price_index:Q", title=Y_TITLE, scale=_y_scale(), axis=Y_AXIS),
        )
    )
    # Where the model leaves the observed range of prices: from the moment the price has fallen
    # OBSERVED_PRICE_FALL times to the end of the horizon (no band when that comes later or never).
    beyond = calculate(alt.Chart(alt.Data(values=[{"band": 1}], name="observed_range")), _BAND)
    band = beyond.mark_rect(color="#000000", opacity=0.07, aria=False).encode(
        x=alt.X("band_start:Q", title=X_TITLE, axis=X_AXIS), x2="band_end:Q"
    )
    plot = alt.layer(band, lines, baseline, results).properties(
        width=560, height=300, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start")
    )

    return view(plot, params=params, description=DESCRIPTION)


def _expected_path(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    result = model.evaluate(**inputs)
    out = dict(vars(result.rows[int(row["year"])]))
    out.pop("year")
    out.update(
        spending_growth_per_year=result.spending_growth_per_year,
        gpu_hours_growth_per_year=result.gpu_hours_growth_per_year,
        gpu_hours_elasticity_threshold=result.gpu_hours_elasticity_threshold,
    )
    return out


#: Knife edges, each over the defaults (a tenfold price fall a year, throughput x10 a year).
EDGE_CASES = (
    {"elasticity": 1.0},  # spending exactly flat
    {"price_factor_per_year": 1.0},  # prices do not fall: no threshold, no crossing
    # The price equals the GPU cost of serving every year (USD 1 = 3.6 / (1,000 x 3,600) x 1e6): no loss.
    {"start_price_usd_per_million_tokens": 1.0, "price_usd_per_gpu_hour": 3.6, "tokens_per_second_per_gpu": 1000},
    {"throughput_growth_per_year": 2.0},  # the chapter's activity 6: a loss from year 2
    # A loss in year 0 only: serving gets cheaper faster than the price falls.
    {"start_price_usd_per_million_tokens": 0.05, "throughput_growth_per_year": 20.0},
    {"years": 3},  # the price exactly 1,000 times below year 0's in the last year: not beyond
    # The sliders' extreme: tokens x10^60, a loss beyond any bound; values held at the display bound.
    {"price_factor_per_year": 0.01, "elasticity": 3.0, "years": 10, "throughput_growth_per_year": 1.0},
    # The first loss comes late (year 7), when demand is already beyond the bound: its margin is held.
    {
        "start_price_usd_per_million_tokens": 100,
        "price_usd_per_gpu_hour": 0.25,
        "tokens_per_second_per_gpu": 20000,
        "price_factor_per_year": 0.01,
        "throughput_growth_per_year": 20,
        "elasticity": 3,
        "years": 10,
    },
)


CALCULATOR = register(
    SiteCalculator(
        name="price_war",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        outputs=model.outputs,
        results_anchor=model.BOUNDED[-1],
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="From year 0 to the last year of the chosen horizon",
        edge_cases=EDGE_CASES,
        checks=(
            ParityCheck(columns=("range_end", "band_start", "band_end"), expected=_expected_band),
            ParityCheck(
                columns=tuple(f for f in model.YearRow.__dataclass_fields__ if f != "year")
                + ("spending_growth_per_year", "gpu_hours_growth_per_year", "gpu_hours_elasticity_threshold"),
                expected=_expected_path,
            ),
        ),
    )
)
