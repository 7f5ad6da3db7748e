"""Website charts of the GPU-cluster calculator, computed in the reader's browser.

The Vega expressions below restate :mod:`omcd.models.gpu_cluster` step by step (same names,
same order). The parity test checks them against the Python model at random inputs, so the
two cannot drift apart unnoticed.

* The main chart: the cost of a sold GPU-hour in year 1 against utilisation (one row per
  utilisation on a grid), with the price and break-even.
* The results: one row per year of the GPU's life (``t = 0`` the purchase, then years 1 to 8;
  beyond the economic life a year earns nothing): running sums give payback, sums give the NPV.
  The row ``t = 0`` then carries every output the page shows; the page's results add the IRR,
  found by bisection (:mod:`omcd.charts._irr`).
* The tornado: the NPV with each input moved 25% down and up, one row per (input, case, year),
  summed by case.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import altair as alt

from omcd.charts import _irr
from omcd.charts._controls import calculate, input_params, view
from omcd.charts._tornado import HIGHER as HIGHER  # the notebook widget's tornado names its cases alike
from omcd.charts._tornado import LOWER as LOWER
from omcd.charts._tornado import inputs_y, ranked_rows, tornado, value_x
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import gpu_cluster as model

TITLE = "Below break-even utilisation, a GPU rented by the hour makes an accounting loss"
SUBTITLE = "Cost per sold GPU-hour in year 1 (stacked) against the rental price, by share of hours sold"
DESCRIPTION = (
    "Stacked area chart of the cost of one sold GPU-hour in year 1, in US dollars, split into "
    "depreciation, energy and other operating cost, against utilisation from 5% to 100% of hours sold. "
    "The cost falls steeply as utilisation rises because fixed costs are shared by more sold hours. A "
    "horizontal line marks the rental price; where the cost curve crosses it, a vertical line marks "
    "break-even utilisation. A diamond marks the chosen utilisation. A table beside the chart lists "
    "the results over the GPU's economic life, with its rent falling each year: payback, discounted "
    "payback and NPV."
)
TORNADO_TITLE = "Which inputs move one GPU's NPV most"
TORNADO_SUBTITLE = [
    "NPV over its economic life (USD) with one input moved 25% down or up, the others held;",
    "the black line is the current NPV",
]
TORNADO_DESCRIPTION = (
    "Tornado chart: for each of twelve inputs, two horizontal bars show the NPV of one GPU over its "
    "economic life, in US dollars, when that input alone is moved 25% down (grey) or 25% up (blue) from "
    "its current value, starting from a black line at the current NPV. Inputs are sorted by how much "
    "they move the NPV, largest first; a dashed line marks zero. The depreciation life moves no cash, "
    "so its bars have no length."
)
X_TITLE = "Utilisation (share of the year's hours sold, %)"
Y_TITLE = "Cost per sold GPU-hour (USD)"
#: The utilisations the cost curve is computed at: 40 points from 5% to 100%, each 8% above the
#: last (the cost per sold hour falls as 1 / utilisation, so it bends most at low utilisation, where
#: the points are closest; a straight line between two points is then within 0.1% of the curve).
#: Every point is computed again at each slider move: 96 evenly spaced points took twice the time.
UTILISATION_GRID = [round(0.05 * 20 ** (i / 39), 4) for i in range(40)]  # 5% .. 100%
#: Colours, one meaning each: the three cost components, the price (black, dashed), break-even
#: (red) and the chosen utilisation (purple diamond).
COMPONENT_COLOURS = ["#1f4e79", "#c55a11", "#7f7f7f"]
PRICE_COLOUR, BREAK_EVEN_COLOUR, CHOSEN_COLOUR = "#000000", "#a50f15", "#6a3d9a"
#: The tornado's two cases, named so that they sort in this order (down before up).
SHORT_LABELS = {
    "gpu_price_usd": "GPU price",
    "server_overhead_usd_per_gpu": "Server and network",
    "economic_life_years": "Economic life",
    "depreciation_life_years": "Depreciation life",
    "power_kw_per_gpu": "Power per GPU",
    "pue": "PUE",
    "electricity_usd_per_kwh": "Electricity price",
    "other_opex_usd_per_gpu_year": "Other operating cost",
    "utilisation": "Utilisation",
    "price_usd_per_gpu_hour": "Rental price",
    "rent_decline_per_year": "Rent decline",
    "discount_rate": "Discount rate",
}
if set(SHORT_LABELS) != set(model.TORNADO_INPUTS):
    raise ValueError("every input of the tornado needs a short label")
LAST_YEAR = model.MAX_LIFE_YEARS
TIMES = range(LAST_YEAR + 1)

_SIGNALS = {p.name: p.name for p in model.PARAMS}


def _per_gpu_steps(v: Mapping[str, str], books: bool = True) -> list[tuple[str, str]]:
    """Capex and the yearly costs of one GPU, with the inputs as Vega expressions ``v[name]``;
    depreciation only with ``books`` (the cash flows of the tornado never use it)."""
    return [
        ("capex_usd", f"{v['gpu_price_usd']} + {v['server_overhead_usd_per_gpu']}"),
        *([("depreciation_per_year", f"datum.capex_usd / {v['depreciation_life_years']}")] if books else []),
        ("energy_per_sold_hour", f"{v['power_kw_per_gpu']} * {v['pue']} * {v['electricity_usd_per_kwh']}"),
        ("other_per_year", f"{v['other_opex_usd_per_gpu_year']}"),
    ]


def _year_steps(v: Mapping[str, str]) -> list[tuple[str, str]]:
    """The cash flow at time ``datum.t`` (0: the purchase; then each year's end) and its present
    value, with the inputs as Vega expressions ``v[name]``."""
    return [
        (
            "rent_usd_per_gpu_hour",
            f"{v['price_usd_per_gpu_hour']} * pow(1 - {v['rent_decline_per_year']}, datum.t - 1)",
        ),
        (
            "year_cash_if_on_usd",
            f"{v['utilisation']} * {model.HOURS_PER_YEAR:g} * (datum.rent_usd_per_gpu_hour - datum.energy_per_sold_hour)"
            " - datum.other_per_year",
        ),
        # The rent only falls, so the years with positive cash are the years before the switch-off.
        (
            "switched_on",
            f"datum.t >= 1 && datum.t <= {v['economic_life_years']} && datum.year_cash_if_on_usd > 0 ? 1 : 0",
        ),
        # A ternary, not switched_on * cash: 0 times a negative number is -0, which VegaFusion (Arrow's
        # total order) counts as below 0 where the browser and Python do not.
        ("flow_usd", "datum.t == 0 ? -datum.capex_usd : datum.switched_on == 1 ? datum.year_cash_if_on_usd : 0"),
        ("discounted_flow_usd", f"datum.flow_usd * pow(1 + {v['discount_rate']}, -datum.t)"),
    ]


def _steps_at(utilisation: str) -> list[tuple[str, str]]:
    """Cost and margin per sold hour at a utilisation given as a Vega expression."""
    return [
        ("sold_hours", f"{utilisation} * {model.HOURS_PER_YEAR:g}"),
        ("depreciation_per_sold_hour", "datum.depreciation_per_year / datum.sold_hours"),
        ("other_per_sold_hour", "datum.other_per_year / datum.sold_hours"),
        (
            "cost_per_sold_hour",
            "datum.depreciation_per_sold_hour + datum.energy_per_sold_hour + datum.other_per_sold_hour",
        ),
        ("margin_per_sold_hour", "price_usd_per_gpu_hour - datum.cost_per_sold_hour"),
    ]


_STEPS_FIRST_YEAR = [
    ("margin_pct", "datum.margin_per_sold_hour / price_usd_per_gpu_hour"),
    ("contribution_per_sold_hour", "price_usd_per_gpu_hour - datum.energy_per_sold_hour"),
    (
        "break_even_utilisation",
        f"datum.contribution_per_sold_hour > 0 ? (datum.depreciation_per_year + datum.other_per_year)"
        f" / ({model.HOURS_PER_YEAR:g} * datum.contribution_per_sold_hour) : null",
    ),
    ("first_year_cash_usd", "datum.sold_hours * datum.contribution_per_sold_hour - datum.other_per_year"),
    ("first_year_profit_usd", "datum.first_year_cash_usd - datum.depreciation_per_year"),
    (
        "cost_per_million_tokens",
        f"datum.cost_per_sold_hour / (tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g}) * 1000000",
    ),
]
#: The last output computed: the page's results are cut from the dataset that computes it.
RESULTS_ANCHOR = _STEPS_FIRST_YEAR[-1][0]


def defaults() -> dict[str, float]:
    """The documented 2025 H100 scenario from ``data/gpu_cluster_scenarios.csv``."""
    return scenario_values("gpu_cluster", "h100_2025")


def _results() -> alt.Chart:
    """One row holding every output: the life cycle (one row per time ``t``, 0 the purchase, then
    years 1 to 8) summed over the years, then year 1's costs at the chosen utilisation. The formulas
    are those of the tornado's rows (:func:`_year_steps`): one formula for every year."""
    life = calculate(
        alt.Chart(alt.Data(values=[{"t": t} for t in TIMES], name="life_years")),
        _per_gpu_steps(_SIGNALS) + _year_steps(_SIGNALS),
    )
    life = life.transform_window(
        cumulative_cash_usd="sum(flow_usd)",
        cumulative_discounted_usd="sum(discounted_flow_usd)",
        sort=[alt.SortField("t")],
        frame=[None, 0],
    )
    life = calculate(
        life,
        [
            # Payback in the year cumulative cash turns non-negative, the year's cash earned evenly.
            (
                "payback_row",
                "datum.cumulative_cash_usd >= 0 && datum.cumulative_cash_usd - datum.flow_usd < 0"
                " ? datum.t - datum.cumulative_cash_usd / datum.flow_usd : null",
            ),
            (
                "discounted_payback_row",
                "datum.cumulative_discounted_usd >= 0"
                " && datum.cumulative_discounted_usd - datum.discounted_flow_usd < 0"
                " ? datum.t - datum.cumulative_discounted_usd / datum.discounted_flow_usd : null",
            ),
            *_irr.flow_steps("datum.t", "datum.flow_usd", TIMES),
        ],
    ).transform_joinaggregate(
        payback_years="max(payback_row)",
        discounted_payback_years="max(discounted_payback_row)",
        years_earning="sum(switched_on)",
        npv_usd="sum(discounted_flow_usd)",
        **_irr.flow_sums(TIMES),
    )
    one = life.transform_filter("datum.t == 0")
    return calculate(one, [("utilisation", "utilisation")] + _steps_at("utilisation") + _STEPS_FIRST_YEAR)


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The calculator's chart: cost curve by component, price line, break-even and chosen point."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)

    curve = calculate(
        alt.Chart(alt.Data(values=[{"utilisation": u} for u in UTILISATION_GRID], name="utilisation_grid")),
        _per_gpu_steps(_SIGNALS) + _steps_at("datum.utilisation"),
    )
    results = _results()

    x = alt.X("utilisation:Q", title=X_TITLE, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    y_scale = alt.Scale(domainMin=0, domainMax=alt.ExprRef("max(3 * price_usd_per_gpu_hour, 1)"), clamp=True)

    component_names = {
        "depreciation_per_sold_hour": "Depreciation",
        "energy_per_sold_hour": "Energy",
        "other_per_sold_hour": "Other operating cost",
    }
    stacked = (
        curve.transform_fold(list(component_names), as_=["component_key", "usd_per_hour"])
        .transform_calculate(
            component=" : ".join(f"datum.component_key == '{k}' ? '{v}'" for k, v in component_names.items()) + " : ''",
            order=" : ".join(f"datum.component_key == '{k}' ? {i}" for i, k in enumerate(component_names)) + " : 0",
        )
        .mark_area(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y("usd_per_hour:Q", stack="zero", scale=y_scale, title=Y_TITLE),
            color=alt.Color(
                "component:N",
                title="Cost component",
                sort=list(component_names.values()),
                scale=alt.Scale(range=COMPONENT_COLOURS),
                legend=alt.Legend(orient="bottom"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("utilisation:Q", format=".0%", title="Utilisation"),
                alt.Tooltip("component:N", title="Cost"),
                alt.Tooltip("usd_per_hour:Q", format="$.2f", title="USD per sold hour"),
            ],
        )
    )
    price_line = (
        alt.Chart(alt.Data(values=[{"row": 1}]))
        .transform_calculate(
            price="price_usd_per_gpu_hour", label="'Price in year 1 $' + format(price_usd_per_gpu_hour, '.2f')"
        )
        .mark_rule(color=PRICE_COLOUR, strokeWidth=2, strokeDash=[6, 3])
        .encode(y=alt.Y("price:Q", scale=y_scale, title=Y_TITLE))
    )
    price_label = price_line.mark_text(align="right", dx=-4, dy=-8, fontWeight="bold", color=PRICE_COLOUR).encode(
        x=alt.datum(1), text="label:N"
    )
    break_even = results.transform_filter(
        "datum.break_even_utilisation != null && datum.break_even_utilisation <= 1"
    ).transform_calculate(label="'Break-even ' + format(datum.break_even_utilisation, '.0%')")
    break_even_rule = break_even.mark_rule(color=BREAK_EVEN_COLOUR, strokeWidth=2).encode(
        x=alt.X("break_even_utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE)
    )
    break_even_label = break_even.mark_text(
        align="left", dx=4, dy=8, color=BREAK_EVEN_COLOUR, fontWeight="bold"
    ).encode(
        x=alt.X("break_even_utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE),
        y=alt.value(0),
        text="label:N",
    )
    chosen = results.mark_point(filled=True, size=120, color=CHOSEN_COLOUR, shape="diamond").encode(
        x=alt.X("utilisation:Q", scale=alt.Scale(domain=[0, 1]), title=X_TITLE),
        y=alt.Y("cost_per_sold_hour:Q", scale=y_scale, title=Y_TITLE),
        tooltip=[
            alt.Tooltip("utilisation:Q", format=".0%", title="Chosen utilisation"),
            alt.Tooltip("cost_per_sold_hour:Q", format="$.2f", title="Cost per sold hour"),
        ],
    )
    plot = alt.layer(
        stacked,
        price_line.properties(name="price"),
        price_label,
        break_even_rule.properties(name="break_even"),
        break_even_label,
        chosen,
    ).properties(
        width=560,
        height=300,
        title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"),
    )

    return view(plot, params=params, description=DESCRIPTION)


# The tornado ------------------------------------------------------------------------------

#: Tornado inputs with a varied value in the rows (the depreciation life enters no cash flow,
#: so its rows are the current NPV: it has no formula to vary).
NO_CASH = "depreciation_life_years"
VARIED = tuple(n for n in model.TORNADO_INPUTS if n != NO_CASH)


def _vary(chart: alt.Chart) -> tuple[alt.Chart, dict[str, str]]:
    """Add ``v_<name>`` for each input of :data:`VARIED`: the slider's value times the row's factor
    (rounded half up for a whole number), kept inside the slider's range, in rows whose
    ``input_key`` names that input; the slider's value elsewhere (:func:`model.varied_value`)."""
    varied = dict(_SIGNALS)
    for name in VARIED:
        p = model.PARAM_BY_NAME[name]
        moved = f"datum.r_{name}"
        product = f"{name} * datum.factor"
        if p.integer:
            product = f"floor({product} + 0.5)"
        # Nested ternaries for the bounds (VegaFusion evaluates neither min() nor max()).
        kept = f"{moved} > {p.maximum!r} ? {p.maximum!r} : {moved}"
        if p.minimum > 0:
            kept = f"{moved} < {p.minimum!r} ? {p.minimum!r} : {kept}"
        chart = chart.transform_calculate(**{f"r_{name}": f"datum.input_key == '{name}' ? {product} : {name}"})
        chart = chart.transform_calculate(**{f"v_{name}": kept})
        varied[name] = f"datum.v_{name}"
    return chart, varied


def _tornado() -> alt.Chart:
    """One row per (input, case): the NPV with that input at 0.75, 1 and 1.25 times its value,
    and the input's swing."""
    grid = alt.Chart(alt.Data(values=[{"t": t} for t in range(LAST_YEAR + 1)], name="year_grid"))
    rows = (
        grid.transform_calculate(**{name: "1" for name in model.TORNADO_INPUTS})
        .transform_fold(list(model.TORNADO_INPUTS), as_=["input_key", "unused"])
        .transform_calculate(low=repr(model.TORNADO_FACTORS[0]), base="1", high=repr(model.TORNADO_FACTORS[1]))
        .transform_fold(["low", "base", "high"], as_=["case", "factor"])
    )
    rows, varied = _vary(rows)
    return (
        calculate(rows, _per_gpu_steps(varied, books=False) + _year_steps(varied))
        .transform_aggregate(npv_usd="sum(discounted_flow_usd)", groupby=["input_key", "case", "factor"])
        .transform_joinaggregate(highest="max(npv_usd)", lowest="min(npv_usd)", groupby=["input_key"])
        .transform_calculate(swing_usd="datum.highest - datum.lowest")
    )


def tornado_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The tornado: the NPV with each input moved 25% down or up, largest swing first."""
    inputs = {**defaults(), **(values or {})}
    params = input_params(model.PARAMS, inputs)
    rows = ranked_rows(_tornado(), value="npv_usd", base="base_npv", swing="swing_usd", labels=SHORT_LABELS)
    npv_title = "NPV over the economic life (USD)"
    # The depreciation life, which moves no cash, gets one note instead of two values.
    no_cash = (
        rows.transform_filter(f"datum.input_key == '{NO_CASH}' && datum.case == 'high'")
        .transform_calculate(note="'moves profit, not cash'")
        .mark_text(align="left", dx=4, fontSize=10, color="#333333", aria=False)
        .encode(y=inputs_y(), x=value_x("npv_usd", npv_title, 40), text="note:N")
    )
    chart = tornado(
        rows,
        value="npv_usd",
        base="base_npv",
        value_title=npv_title,
        padding=40,
        height=360,
        title=TORNADO_TITLE,
        subtitle=TORNADO_SUBTITLE,
        tooltip=alt.Tooltip("npv_usd:Q", format="$,.0f", title="NPV (USD)"),
        description=(
            "datum.input_label + ', ' + lower(datum.direction) + ': NPV ' + format(datum.npv_usd, '$,.0f')"
            " + ', against ' + format(datum.base_npv, '$,.0f') + ' now'"
        ),
        label_format="$,.0f",
        labelled=f"datum.input_key != '{NO_CASH}'",
        now=rows.transform_filter(f"datum.input_key == '{model.TORNADO_INPUTS[0]}' && datum.case == 'high'"),
        now_value="base_npv",
        now_label="'now ' + format(datum.base_npv, '$,.0f')",
        notes=[no_cash],
    )
    return view(chart, params=params, description=TORNADO_DESCRIPTION)


# Parity -----------------------------------------------------------------------------------


def _key(inputs: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, float(v)) for k, v in inputs.items()))


#: The outputs the chart's one-row dataset computes (the IRR is in the page's results only: see
#: the ``results_steps``, checked with every output by the results dataset's own check).
SITE_OUTPUTS = frozenset(model.outputs(defaults())) - {"irr"}


@functools.lru_cache(maxsize=256)
def _cached_result(key) -> dict:
    return model.evaluate(**dict(key)).as_dict()


@functools.lru_cache(maxsize=4096)
def _cached_npv(key, name: str, factor: float) -> float:
    return model.npv_varied(dict(key), name, factor)


def _expected_results(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return {k: v for k, v in _cached_result(_key(inputs)).items() if k in SITE_OUTPUTS}


def _expected_curve(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    r = model.evaluate(**{**inputs, "utilisation": float(row["utilisation"])})
    return {
        "depreciation_per_sold_hour": r.depreciation_per_sold_hour,
        "energy_per_sold_hour": r.energy_per_sold_hour,
        "other_per_sold_hour": r.other_per_sold_hour,
        "cost_per_sold_hour": r.cost_per_sold_hour,
        "margin_per_sold_hour": r.margin_per_sold_hour,
    }


def _expected_tornado(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    return {"npv_usd": _cached_npv(_key(inputs), str(row["input_key"]), float(row["factor"]))}


def _expected_swing(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    values = [_cached_npv(_key(inputs), str(row["input_key"]), f) for f in (*model.TORNADO_FACTORS, 1.0)]
    return {"swing_usd": max(values) - min(values)}


CALCULATOR = register(
    SiteCalculator(
        name="gpu_cluster",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        extra_charts=lambda values=None: [tornado_chart(values)],
        outputs=model.outputs,
        results_anchor=RESULTS_ANCHOR,
        results_steps=_irr.root_steps(TIMES),
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Results for one GPU: year 1 at the chosen utilisation, then over its economic life",
        # Knife edges: the GPU switched off in year 1 (its rent never covers its running cost), and
        # the rent falling so fast that it is switched off before its economic life ends.
        edge_cases=(
            # The longest life, every year earning: no term of the IRR's NPV polynomial is zero.
            {"economic_life_years": 8, "rent_decline_per_year": 0.0},
            {"utilisation": 0.05, "price_usd_per_gpu_hour": 0.5},
            {"rent_decline_per_year": 0.5, "economic_life_years": 8, "discount_rate": 0.0},
        ),
        checks=(
            ParityCheck(
                columns=tuple(k for k in model.outputs(defaults()) if k in SITE_OUTPUTS), expected=_expected_results
            ),
            ParityCheck(
                columns=(
                    "utilisation",
                    "depreciation_per_sold_hour",
                    "energy_per_sold_hour",
                    "other_per_sold_hour",
                    "cost_per_sold_hour",
                    "margin_per_sold_hour",
                ),
                expected=_expected_curve,
            ),
            ParityCheck(
                columns=_irr.series_columns(TIMES),
                expected=lambda inputs, row: _irr.expected_series(model.cash_flows(**inputs), TIMES),
            ),
            ParityCheck(columns=("input_key", "factor", "npv_usd"), expected=_expected_tornado),
            ParityCheck(columns=("input_key", "swing_usd"), expected=_expected_swing),
        ),
    )
)
