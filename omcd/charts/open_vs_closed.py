"""Website chart of the "Open weights or closed API?" calculator, computed in the reader's browser.

The Vega expressions below restate :mod:`omcd.models.open_vs_closed` step by step (same names,
same order). Vega has no loops, so every monthly sum runs over a grid of months 1 to 120 (inline
values), filtered to the chosen horizon: a cumulative ``window`` sum gives the profit curves, a
``joinaggregate`` the totals. The tornado chart is computed in the browser too, and the parity
test checks it against the model (which recomputes every month for every case) like the main
chart. To keep a slider move fast, the chart uses the model's structure: six of the ten varied
inputs enter the profits only as multipliers (``NPV_open = m_open s w g_cloud F_open - D``, with
``F_open`` the discounted sum of Bass adoption shares, and ``NPV_closed = m_closed w g_api F_closed
- D``), so moving one of them by 25% scales a total. Months are summed only for the four inputs
that shape adoption or discounting (p, both q, r), in their low, base and high cases.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts._tornado import ranked_rows, tornado
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import open_vs_closed as model

TITLE = "Open weights pay only if enough users run them on your cloud"
SUBTITLE = [
    "Cumulative discounted profit of each strategy (USD million), month by month;",
    "with a terminal value, a diamond at the horizon marks each NPV",
]
#: No result stated: which inputs weigh most depends on the inputs.
TORNADO_TITLE = "Which inputs move the answer most?"
TORNADO_SUBTITLE = [
    "NPV of open minus closed (USD million) with one input moved 25% down or up,",
    "the others held; the black line is the current value",
]
DESCRIPTION = (
    "Line chart of the cumulative discounted profit, in US dollars million, of two strategies for a "
    "model developer that also sells cloud: releasing open weights and earning on the share of "
    "deployments that run on its own cloud, or selling the model only through a paid API. Both start "
    "below zero by the development cost; adoption follows Bass diffusion curves. A vertical line "
    "marks the first month in which open gets ahead. When the reader counts a terminal value (profit "
    "after the horizon), a diamond at the horizon marks each strategy's NPV, terminal value included. "
    "A results table gives both NPVs, the break-even month, the share of deployments on the developer's "
    "cloud above which open wins, and the terminal values."
)
TORNADO_DESCRIPTION = (
    "Tornado chart: for each of ten inputs, two horizontal bars show the NPV of open weights minus the "
    "NPV of the closed API, in US dollars million, when that input alone is moved 25% down (grey) or "
    "25% up (blue) from its current value, starting from a black line at the current difference. "
    "Inputs are sorted by how much they move the answer, largest first; a dashed line marks zero, "
    "where the two strategies are worth the same."
)
X_TITLE = "Months after release"
Y_TITLE = "Cumulative discounted profit (USD million)"
MONTH_GRID = list(range(1, model.MAX_HORIZON_MONTHS + 1))
OPEN_COLOUR, CLOSED_COLOUR = "#1f4e79", "#c55a11"
SHORT_LABELS = {
    "innovation_p_per_year": "Innovation p",
    "imitation_q_open_per_year": "Imitation q, open",
    "market_open_deployments": "Market potential, open",
    "own_cloud_share": "Share on own cloud",
    "spend_usd_per_deployment_month": "Spend per deployment",
    "cloud_gross_margin": "Cloud gross margin",
    "imitation_q_closed_per_year": "Imitation q, closed",
    "market_closed_deployments": "Market potential, closed",
    "api_gross_margin": "API gross margin",
    "discount_rate": "Discount rate",
}


def _diffusion_steps(v: Mapping[str, str]) -> list[tuple[str, str]]:
    """Share of each market adopted by a month, and its discounted value, with the inputs as
    Vega expressions ``v[name]`` (a signal, or a varied value in the tornado grid)."""
    p = v["innovation_p_per_year"]
    return [
        ("t_years", f"datum.month / {model.MONTHS_PER_YEAR:g}"),
        ("decay_open", f"exp(-({p} + {v['imitation_q_open_per_year']}) * datum.t_years)"),
        (
            "adopted_share_open",
            f"(1 - datum.decay_open) / (1 + ({v['imitation_q_open_per_year']} / {p}) * datum.decay_open)",
        ),
        ("decay_closed", f"exp(-({p} + {v['imitation_q_closed_per_year']}) * datum.t_years)"),
        (
            "adopted_share_closed",
            f"(1 - datum.decay_closed) / (1 + ({v['imitation_q_closed_per_year']} / {p}) * datum.decay_closed)",
        ),
        ("discount_factor", f"pow(1 + {v['discount_rate']}, -datum.month / {model.MONTHS_PER_YEAR:g})"),
    ]


def _month_steps(v: Mapping[str, str]) -> list[tuple[str, str]]:
    """Adopters, discounting and present values of one month (see :func:`_diffusion_steps`)."""
    return _diffusion_steps(v) + [
        ("adopters_open", f"{v['market_open_deployments']} * datum.adopted_share_open"),
        ("adopters_closed", f"{v['market_closed_deployments']} * datum.adopted_share_closed"),
        (
            "pv_open_full_share",
            f"datum.adopters_open * {v['spend_usd_per_deployment_month']} * {v['cloud_gross_margin']}"
            " * datum.discount_factor",
        ),
        ("pv_open", f"datum.pv_open_full_share * {v['own_cloud_share']}"),
        (
            "pv_closed",
            f"datum.adopters_closed * {v['spend_usd_per_deployment_month']} * {v['api_gross_margin']}"
            " * datum.discount_factor",
        ),
    ]


#: Tornado inputs that enter the monthly profits only as multipliers, and the others, whose
#: low and high cases need the months summed again (see the module's docstring).
OPEN_MULTIPLIERS = (
    "market_open_deployments",
    "own_cloud_share",
    "spend_usd_per_deployment_month",
    "cloud_gross_margin",
)
CLOSED_MULTIPLIERS = ("market_closed_deployments", "spend_usd_per_deployment_month", "api_gross_margin")
MULTIPLIERS = tuple(n for n in model.TORNADO_INPUTS if n in OPEN_MULTIPLIERS + CLOSED_MULTIPLIERS)
SUMMED_INPUTS = tuple(n for n in model.TORNADO_INPUTS if n not in MULTIPLIERS)
if not all(factor > 0 for factor in model.TORNADO_FACTORS):  # _vary relies on it
    raise ValueError(f"TORNADO_FACTORS must be positive, not {model.TORNADO_FACTORS}")


_SIGNALS = {p.name: p.name for p in model.PARAMS}
_DEVELOPMENT_USD = f"development_cost_usd_m * {model.USD_PER_MILLION:.0f}"
_CUMULATIVE = [
    ("cum_profit_open_usd_m", f"(datum.sum_pv_open - {_DEVELOPMENT_USD}) / {model.USD_PER_MILLION:.0f}"),
    ("cum_profit_closed_usd_m", f"(datum.sum_pv_closed - {_DEVELOPMENT_USD}) / {model.USD_PER_MILLION:.0f}"),
]


def _terminal_steps(rate: str) -> list[tuple[str, str]]:
    """The terminal value's multiple of the horizon month's profit, at discount rate ``rate``
    (:func:`omcd.models.open_vs_closed.terminal_multiple`)."""
    return [
        ("discount_monthly", f"pow(1 + {rate}, 1 / {model.MONTHS_PER_YEAR:g}) - 1"),
        ("growth_monthly", f"pow(1 + terminal_growth_per_year, 1 / {model.MONTHS_PER_YEAR:g}) - 1"),
        ("terminal_multiple", "(1 + datum.growth_monthly) / (datum.discount_monthly - datum.growth_monthly)"),
    ]


_RESULTS = _terminal_steps("discount_rate") + [
    ("profit_per_open_deployment_usd_month", "own_cloud_share * spend_usd_per_deployment_month * cloud_gross_margin"),
    ("profit_per_closed_customer_usd_month", "spend_usd_per_deployment_month * api_gross_margin"),
    ("tv_open_full_share", "datum.horizon_pv_open_full_share * datum.terminal_multiple"),
    ("tv_closed", "datum.horizon_pv_closed * datum.terminal_multiple"),
    ("terminal_value_open_usd_m", f"datum.tv_open_full_share * own_cloud_share / {model.USD_PER_MILLION:.0f}"),
    ("terminal_value_closed_usd_m", f"datum.tv_closed / {model.USD_PER_MILLION:.0f}"),
    ("npv_open_usd_m", "datum.horizon_cum_profit_open_usd_m + datum.terminal_value_open_usd_m"),
    ("npv_closed_usd_m", "datum.horizon_cum_profit_closed_usd_m + datum.terminal_value_closed_usd_m"),
    ("npv_difference_usd_m", "datum.npv_open_usd_m - datum.npv_closed_usd_m"),
    (
        "threshold_raw",
        "(datum.total_pv_closed + datum.tv_closed) / (datum.total_pv_open_full_share + datum.tv_open_full_share)",
    ),
    ("threshold_share", "datum.threshold_raw > 1 ? null : datum.threshold_raw"),
    ("adopters_open_at_horizon", "datum.horizon_adopters_open"),
    ("adopters_closed_at_horizon", "datum.horizon_adopters_closed"),
]


def _months() -> alt.Chart:
    """The month grid with every monthly quantity and the running sums, up to the horizon."""
    grid = alt.Chart(alt.Data(values=[{"month": m} for m in MONTH_GRID], name="month_grid"))
    return calculate(
        calculate(grid.transform_filter("datum.month <= horizon_months"), _month_steps(_SIGNALS)).transform_window(
            sum_pv_open="sum(pv_open)", sum_pv_closed="sum(pv_closed)", sort=[alt.SortField("month")], frame=[None, 0]
        ),
        _CUMULATIVE,
    )


def _vary(chart: alt.Chart, names: tuple[str, ...]) -> tuple[alt.Chart, dict[str, str]]:
    """Add ``v_<name>`` for each input: the slider's value times the row's factor, kept inside
    the slider's range, in rows whose ``input_key`` names that input; the slider's value elsewhere
    (:func:`omcd.models.open_vs_closed.varied_value`). Returns the chart and the Vega expression
    of every input's value in a row."""
    varied = {p.name: p.name for p in model.PARAMS}
    for name in names:
        p = model.PARAM_BY_NAME[name]
        varied[name] = f"datum.v_{name}"
        moved = f"datum.r_{name}"
        # Two steps, with nested ternaries for the bounds (VegaFusion evaluates neither min()
        # nor max()). A lower bound of 0 cannot bind: inputs and factors are not negative.
        kept = f"{moved} > {p.maximum!r} ? {p.maximum!r} : {moved}"
        if p.minimum > 0:
            kept = f"{moved} < {p.minimum!r} ? {p.minimum!r} : {kept}"
        chart = chart.transform_calculate(
            **{f"r_{name}": f"datum.input_key == '{name}' ? {name} * datum.factor : {name}"}
        )
        chart = chart.transform_calculate(**{f"v_{name}": kept})
    return chart, varied


def _tornado() -> alt.Chart:
    """One row per (varied input, case): ``NPV_open - NPV_closed`` with that input at 0.75, 1 and
    1.25 times its value, and the input's swing."""
    is_summed = " || ".join(f"datum.input_key == '{name}'" for name in SUMMED_INPUTS)
    grid = alt.Chart(alt.Data(values=[{"month": m} for m in MONTH_GRID], name="month_grid"))
    rows = (
        grid.transform_calculate(**{name: "1" for name in model.TORNADO_INPUTS})
        .transform_fold(list(model.TORNADO_INPUTS), as_=["input_key", "unused"])
        # A multiplier's cases need no months of their own (they scale the sums of the base
        # case), so one row is kept for each, only to carry its cases to the totals.
        .transform_filter(f"{is_summed} || datum.month == 1")
        .transform_calculate(low=repr(model.TORNADO_FACTORS[0]), base="1", high=repr(model.TORNADO_FACTORS[1]))
        .transform_fold(["low", "base", "high"], as_=["case", "factor"])
        # The horizon filters last: moving it then only adds or removes rows already made.
        .transform_filter("datum.month <= horizon_months")
    )
    # 1. The discounted adoption shares summed over the months, in every case of an input
    #    that shapes adoption or discounting (the base case is the same for every input).
    rows, varied = _vary(rows, SUMMED_INPUTS)
    sums = (
        # The horizon month also carries the terminal value: its weight is 1 + the multiple.
        calculate(
            rows,
            _diffusion_steps(varied)
            + _terminal_steps(varied["discount_rate"])
            + [
                ("horizon_weight", "datum.month == horizon_months ? 1 + datum.terminal_multiple : 1"),
                ("pv_share_open", "datum.adopted_share_open * datum.discount_factor * datum.horizon_weight"),
                ("pv_share_closed", "datum.adopted_share_closed * datum.discount_factor * datum.horizon_weight"),
            ],
        )
        .transform_aggregate(
            sum_pv_share_open="sum(pv_share_open)",
            sum_pv_share_closed="sum(pv_share_closed)",
            groupby=["input_key", "case", "factor"],
        )
        .transform_calculate(
            base_open=f"datum.case == 'base' && datum.input_key == '{SUMMED_INPUTS[0]}' ? datum.sum_pv_share_open : null",
            base_closed=f"datum.case == 'base' && datum.input_key == '{SUMMED_INPUTS[0]}' ? datum.sum_pv_share_closed : null",
        )
        .transform_joinaggregate(base_sum_open="max(base_open)", base_sum_closed="max(base_closed)")
        .transform_calculate(
            sum_open=f"{is_summed} ? datum.sum_pv_share_open : datum.base_sum_open",
            sum_closed=f"{is_summed} ? datum.sum_pv_share_closed : datum.base_sum_closed",
        )
    )
    # 2. The totals: the sums times the multipliers, one of which may be moved in this row.
    sums, varied = _vary(sums, MULTIPLIERS)
    open_factors = " * ".join(varied[name] for name in OPEN_MULTIPLIERS)
    closed_factors = " * ".join(varied[name] for name in CLOSED_MULTIPLIERS)
    return (
        sums.transform_calculate(
            total_pv_open=f"{open_factors} * datum.sum_open", total_pv_closed=f"{closed_factors} * datum.sum_closed"
        )
        .transform_calculate(
            npv_difference_usd_m=f"(datum.total_pv_open - datum.total_pv_closed) / {model.USD_PER_MILLION:.0f}"
        )
        .transform_joinaggregate(
            highest="max(npv_difference_usd_m)", lowest="min(npv_difference_usd_m)", groupby=["input_key"]
        )
        .transform_calculate(swing_usd_m="datum.highest - datum.lowest")
    )


def defaults() -> dict[str, float]:
    """The illustrative Alibaba 2025 scenario from ``data/open_vs_closed_scenarios.csv``."""
    return scenario_values("open_vs_closed", "alibaba_2025")


def _results() -> alt.Chart:
    """One row (month 1) carrying the totals and the values at the horizon: every output."""
    months = _months()
    # The results row is month 1, carrying the values at the horizon: a row that stays the same
    # when the horizon moves is updated in place, where the horizon's own row would be a new
    # row, and so new SVG elements, at every move of that slider.
    at_horizon = (
        "cum_profit_open_usd_m",
        "cum_profit_closed_usd_m",
        "adopters_open",
        "adopters_closed",
        "pv_open_full_share",
        "pv_closed",
    )
    return calculate(
        months.transform_calculate(
            ahead_month="datum.cum_profit_open_usd_m > datum.cum_profit_closed_usd_m ? datum.month : null",
            **{f"at_horizon_{f}": f"datum.month == horizon_months ? datum.{f} : null" for f in at_horizon},
        )
        .transform_joinaggregate(
            break_even_month="min(ahead_month)",
            total_pv_open_full_share="sum(pv_open_full_share)",
            total_pv_closed="sum(pv_closed)",
            **{f"horizon_{f}": f"max(at_horizon_{f})" for f in at_horizon},
        )
        .transform_filter("datum.month == 1"),
        _RESULTS,
    )


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The profit curves of both strategies, with the month open gets ahead marked."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)
    months = _months()
    results = _results()

    # Axes are hidden from screen readers (aria=False): Vega does not refresh an axis' generated
    # aria-label when its domain changes with a slider, so the label would go stale. The chart's
    # description (the figure caption) and the results table carry the content instead.
    # An explicit domain (no field's extent): with no break-even month, the rule has no data, and
    # a data-driven domain would warn of an infinite extent.
    month_scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef("horizon_months"), nice=False)
    x = alt.X("month:Q", title=X_TITLE, scale=month_scale, axis=alt.Axis(aria=False))
    # One line layer per strategy rather than a fold of the two columns: a fold makes new rows,
    # and so new SVG paths, at every slider move; a layer's rows are updated in place.
    strategies = {"cum_profit_open_usd_m": "Open weights", "cum_profit_closed_usd_m": "Closed API"}
    names = list(strategies.values())
    colour = alt.Scale(domain=names, range=[OPEN_COLOUR, CLOSED_COLOUR])
    dash = alt.Scale(domain=names, range=[[1, 0], [6, 3]])
    lines = [
        months.transform_calculate(strategy=repr(name))
        .mark_line(strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y(f"{field}:Q", title=Y_TITLE, axis=alt.Axis(aria=False)),
            color=alt.Color("strategy:N", title="Strategy", scale=colour, legend=alt.Legend(orient="bottom")),
            strokeDash=alt.StrokeDash("strategy:N", legend=None, scale=dash),
            tooltip=[
                alt.Tooltip("month:Q", title="Month"),
                alt.Tooltip("strategy:N", title="Strategy"),
                alt.Tooltip(f"{field}:Q", format=",.1f", title="USD million"),
            ],
            # A line's ARIA label (Vega-Lite's default describes its first point only).
            description=alt.value(f"{name}: cumulative discounted profit, month by month"),
        )
        for field, name in strategies.items()
    ]
    zero = alt.Chart(alt.Data(values=[{"zero": 0}])).mark_rule(color="#595959").encode(y=alt.Y("zero:Q", title=Y_TITLE))
    break_even = results.transform_filter("datum.break_even_month != null").transform_calculate(
        label="'Open ahead from month ' + format(datum.break_even_month, '.0f')"
    )
    be_x = alt.X("break_even_month:Q", title=X_TITLE, scale=month_scale, axis=alt.Axis(aria=False))
    be_rule = break_even.mark_rule(color="#a50f15", strokeWidth=2).encode(x=be_x)
    be_label = break_even.mark_text(align="left", dx=4, dy=10, color="#a50f15", fontWeight="bold").encode(
        x=be_x, y=alt.value(0), text="label:N"
    )
    # Each NPV, terminal value included, at the horizon: drawn only when a terminal value is
    # counted (otherwise the NPV is the end of the curve). Hidden rather than filtered out: an
    # empty dataset would give the y scale an infinite extent.
    counted = f"terminal_growth_per_year > {model.NO_TERMINAL_VALUE!r}"
    npv_points = results.transform_calculate(horizon="horizon_months")
    npv_x = alt.X("horizon:Q", title=X_TITLE, scale=month_scale, axis=alt.Axis(aria=False))
    diamonds = [
        npv_points.mark_point(shape="diamond", filled=True, color=colour_of, stroke="#000000", strokeWidth=1).encode(
            opacity=alt.condition(counted, alt.value(1), alt.value(0)),
            size=alt.condition(counted, alt.value(160), alt.value(0)),
            x=npv_x,
            y=alt.Y(f"{field}:Q", title=Y_TITLE, axis=alt.Axis(aria=False)),
            tooltip=[alt.Tooltip(f"{field}:Q", format=",.1f", title=f"NPV, {name} (USD million)")],
            description=alt.value(f"{name}: NPV with the terminal value, at the horizon"),
        )
        for field, name, colour_of in (
            ("npv_open_usd_m", "Open weights", OPEN_COLOUR),
            ("npv_closed_usd_m", "Closed API", CLOSED_COLOUR),
        )
    ]
    plot = alt.layer(
        zero,
        *(line.properties(name=f"{key}_profit") for key, line in zip(("open", "closed"), lines)),
        be_rule.properties(name="open_ahead"),
        be_label,
        *diamonds,
    ).properties(width=440, height=300, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))
    return view(plot, params=params, description=DESCRIPTION)


def tornado_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The tornado: open minus closed with each input moved 25% down or up, largest swing first."""
    inputs = {**defaults(), **(values or {})}
    params = input_params(model.PARAMS, inputs)
    results = _results()
    rows = ranked_rows(
        _tornado(), value="npv_difference_usd_m", base="base_difference", swing="swing_usd_m", labels=SHORT_LABELS
    )
    chart = tornado(
        rows,
        value="npv_difference_usd_m",
        base="base_difference",
        value_title="NPV of open minus closed (USD million)",
        padding=30,
        height=340,
        title=TORNADO_TITLE,
        subtitle=TORNADO_SUBTITLE,
        tooltip=alt.Tooltip("npv_difference_usd_m:Q", format=",.1f", title="Open minus closed (USD m)"),
        description=(
            "datum.input_label + ', ' + lower(datum.direction) + ': open minus closed '"
            " + format(datum.npv_difference_usd_m, '+$,.0f') + 'm, against '"
            " + format(datum.base_difference, '+$,.0f') + 'm now'"
        ),
        label_format="+,.0f",
        now=results,
        now_value="npv_difference_usd_m",
        now_label=(
            "'now ' + (datum.npv_difference_usd_m < 0 ? '-' : '+') + format(abs(datum.npv_difference_usd_m), ',.0f')"
        ),
    )
    return view(chart, params=params, description=TORNADO_DESCRIPTION)


@functools.lru_cache(maxsize=256)
def _cached_series(key: tuple[tuple[str, float], ...]) -> dict[int, dict[str, float]]:
    return {r["month"]: r for r in model.cumulative_profit(**dict(key))}


@functools.lru_cache(maxsize=256)
def _cached_result(key: tuple[tuple[str, float], ...]) -> dict:
    return model.evaluate(**dict(key)).as_dict()


@functools.lru_cache(maxsize=4096)
def _cached_tornado(key: tuple[tuple[str, float], ...], name: str, factor: float) -> float:
    return model.npv_difference_varied(dict(key), name, factor)


def _key(inputs: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, float(v)) for k, v in inputs.items()))


def _expected_curve(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    r = _cached_series(_key(inputs))[int(row["month"])]
    return {k: r[k] for k in ("adopters_open", "adopters_closed", "cum_profit_open_usd_m", "cum_profit_closed_usd_m")}


def _expected_results(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return _cached_result(_key(inputs))


def _expected_tornado(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return {"npv_difference_usd_m": _cached_tornado(_key(inputs), str(row["input_key"]), float(row["factor"]))}


def _expected_swing(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    name = str(row["input_key"])
    values = [_cached_tornado(_key(inputs), name, f) for f in (*model.TORNADO_FACTORS, 1.0)]
    return {"swing_usd_m": max(values) - min(values)}


CALCULATOR = register(
    SiteCalculator(
        name="open_vs_closed",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        extra_charts=lambda values=None: [tornado_chart(values)],
        outputs=model.outputs,
        results_anchor="adopters_closed_at_horizon",
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Results: NPVs over the horizon, with any terminal value",
        checks=(
            ParityCheck(
                columns=(
                    "month",
                    "adopters_open",
                    "adopters_closed",
                    "cum_profit_open_usd_m",
                    "cum_profit_closed_usd_m",
                ),
                expected=_expected_curve,
            ),
            ParityCheck(columns=tuple(model.OpenVsClosedResult.__dataclass_fields__), expected=_expected_results),
            ParityCheck(columns=("input_key", "factor", "npv_difference_usd_m"), expected=_expected_tornado),
            ParityCheck(columns=("input_key", "swing_usd_m"), expected=_expected_swing),
        ),
    )
)
