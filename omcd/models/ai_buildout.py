"""The AI build-out: a provider's capex buys GPUs; the GPUs earn rent; depreciation sets reported profit.

The business, year by year over a horizon of :data:`HORIZON_YEARS` years: the provider spends
the same capex ``K`` (USD bn) in each of its first ``B`` build years. Each year's capex buys
``N = K * 1e9 / g`` GPUs at an all-in cost ``g`` per GPU (a *vintage*), in service from the year
it is bought (a full year, for simplicity) for ``E`` years (its economic life). Each GPU in service
sells a share ``u`` of the year's 8,760 hours at price ``p`` and costs ``o`` a year to run.
The accounts spread each vintage's cost over ``L`` years (straight-line depreciation, no salvage
value), whatever its economic life. All money in USD bn; every flow of a year counts at its end.

Formulas for year ``t = 1 .. 10``:

* vintages in service        ``n_E(t) = max(0, min(t, B) - max(1, t - E + 1) + 1)``
* vintages depreciating      ``n_L(t) = max(0, min(t, B) - max(1, t - L + 1) + 1)``
* GPUs in service            ``G(t) = n_E(t) * N``
* capex                      ``K`` if ``t <= B`` else 0
* revenue                    ``G(t) * u * 8760 * p / 1e9``
* operating cost             ``G(t) * o / 1e9``
* depreciation               ``n_L(t) * K / L``
* operating profit           ``revenue - operating cost - depreciation``  (reported)
* cash flow                  ``revenue - operating cost - capex``          (real)
* cumulative cash            running sum of cash flow
* discounted cash flow       ``cash flow / (1 + r)^t``; NPV = the sum over the horizon

Outputs over the run: NPV, payback year (first year whose cumulative cash is >= 0; none if never
within the horizon), peak funding need (``-min`` cumulative cash, 0 if never negative) and total
cash over the horizon. With ``B <= 5``, ``E <= 6`` and ``L <= 6`` every flow falls inside the
10-year horizon, so total operating profit equals total cash: the depreciation life moves profit
between years, it does not create any.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from omcd.formats import Case, Cmp, Fmt, IsNone, Sentence, Shown, Verdict
from omcd.params import Param, validate

HOURS_PER_YEAR = 8760.0
HORIZON_YEARS = 10
YEARS = tuple(range(1, HORIZON_YEARS + 1))
USD_PER_BN = 1e9

PARAMS: tuple[Param, ...] = (
    Param("capex_usd_bn_per_year", "Capex per build year", "USD bn", 0.5, 200.0, 0.1, fmt="$,.1f", suffix="bn"),
    Param("build_years", "Build years (capex spent each year)", "years", 1, 5, 1, integer=True, fmt=".0f"),
    Param("gpu_all_in_cost_usd", "Capex per GPU (GPU, server, network)", "USD", 5_000, 100_000, 500, fmt="$,.0f"),
    Param("utilisation", "Utilisation (share of hours sold)", "share", 0.05, 1.0, 0.01, fmt=".0%"),
    Param("price_usd_per_gpu_hour", "Rental price", "USD per GPU-hour", 0.25, 15.0, 0.05, fmt="$.2f"),
    Param("opex_usd_per_gpu_year", "Operating cost per GPU", "USD per GPU-year", 0, 20_000, 100, fmt="$,.0f"),
    Param("economic_life_years", "Economic life (years a GPU earns)", "years", 2, 6, 1, integer=True, fmt=".0f"),
    Param("depreciation_life_years", "Depreciation life (accounts)", "years", 2, 6, 1, integer=True, fmt=".0f"),
    Param("discount_rate", "Discount rate", "per year", 0.0, 0.30, 0.01, fmt=".0%"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}


@dataclass(frozen=True)
class BuildoutYear:
    """One year of the build-out, money in USD bn."""

    year: int
    gpus_in_service: float
    capex_bn: float
    revenue_bn: float
    opex_bn: float
    depreciation_bn: float
    operating_profit_bn: float
    cash_flow_bn: float
    cumulative_cash_bn: float
    discounted_cash_flow_bn: float


@dataclass(frozen=True)
class BuildoutResult:
    """The run's totals (USD bn). ``None`` means the quantity does not exist."""

    gpus_per_vintage: float
    total_capex_bn: float
    npv_bn: float
    #: None when cumulative cash never turns non-negative within the horizon.
    payback_year: int | None
    peak_funding_need_bn: float
    total_cash_bn: float
    years: tuple[BuildoutYear, ...]

    def totals(self) -> dict[str, float | None]:
        """Every output except the yearly table."""
        return {k: v for k, v in asdict(self).items() if k != "years"}


def vintages_active(year: int, build_years: int, life_years: int) -> int:
    """How many yearly vintages bought in years 1..B are within ``life_years`` of purchase in ``year``."""
    return max(0, min(year, build_years) - max(1, year - life_years + 1) + 1)


def gpus_per_vintage(capex_usd_bn_per_year: float, gpu_all_in_cost_usd: float) -> float:
    """GPUs one year's capex buys: ``K * 1e9 / g``."""
    return capex_usd_bn_per_year * USD_PER_BN / gpu_all_in_cost_usd


def evaluate(**inputs: float) -> BuildoutResult:
    """The year-by-year build-out and its totals; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    capex, build = x["capex_usd_bn_per_year"], int(x["build_years"])
    econ, dep_life = int(x["economic_life_years"]), int(x["depreciation_life_years"])
    per_vintage = gpus_per_vintage(capex, x["gpu_all_in_cost_usd"])
    rows, cumulative, npv = [], 0.0, 0.0
    for t in YEARS:
        gpus = vintages_active(t, build, econ) * per_vintage
        capex_t = capex if t <= build else 0.0
        revenue = gpus * x["utilisation"] * HOURS_PER_YEAR * x["price_usd_per_gpu_hour"] / USD_PER_BN
        opex = gpus * x["opex_usd_per_gpu_year"] / USD_PER_BN
        depreciation = vintages_active(t, build, dep_life) * capex / dep_life
        cash = revenue - opex - capex_t
        cumulative += cash
        discounted = cash / (1 + x["discount_rate"]) ** t
        npv += discounted
        rows.append(BuildoutYear(
            year=t, gpus_in_service=gpus, capex_bn=capex_t, revenue_bn=revenue, opex_bn=opex,
            depreciation_bn=depreciation, operating_profit_bn=revenue - opex - depreciation,
            cash_flow_bn=cash, cumulative_cash_bn=cumulative, discounted_cash_flow_bn=discounted))
    payback = next((r.year for r in rows if r.cumulative_cash_bn >= 0), None)
    lowest = min(r.cumulative_cash_bn for r in rows)
    return BuildoutResult(
        gpus_per_vintage=per_vintage,
        total_capex_bn=capex * build,
        npv_bn=npv,
        payback_year=payback,
        peak_funding_need_bn=-lowest if lowest < 0 else 0.0,
        total_cash_bn=cumulative,
        years=tuple(rows),
    )


def outputs(inputs) -> dict[str, float | None]:
    """The run's totals and year 1's reported operating profit, by name (what the results rows
    and the verdict read)."""
    r = evaluate(**inputs)
    return {**r.totals(), "first_year_operating_profit_bn": r.years[0].operating_profit_bn}


USD_BN = Fmt("$,.1f", "bn")

#: The results a reader reads.
ROWS: tuple[Shown, ...] = (
    Shown("GPUs bought per build year", "gpus_per_vintage", Fmt(",.0f")),
    Shown("Total capex", "total_capex_bn", USD_BN),
    Shown("Peak funding need (lowest cumulative cash)", "peak_funding_need_bn", USD_BN),
    Shown("Payback (cumulative cash back to zero)", "payback_year", template="year {payback_year}",
          none=f"not within {len(YEARS)} years"),
    Shown(f"Total cash over {len(YEARS)} years (= total operating profit)", "total_cash_bn", USD_BN),
    Shown("NPV at the discount rate", "npv_bn", USD_BN),
)

#: The plain-language reading, for a manager.
VERDICT = Verdict((
    Sentence("Capex of {total_capex_bn} buys {gpus_per_vintage} GPUs a year."),
    Sentence("Year 1 reports an operating profit of {first_year_operating_profit_bn} with depreciation over "
             "{depreciation_life_years}, while cash goes out: peak funding need {peak_funding_need_bn}."),
    Sentence(Case(IsNone("payback_year"), f"Cumulative cash never turns positive within {len(YEARS)} years."),
             "Cumulative cash turns positive in year {payback_year}."),
    Sentence("NPV: {npv_bn}."),
), formats={"first_year_operating_profit_bn": USD_BN, "payback_year": Fmt(".0f")})


def reading(inputs) -> str:
    """The verdict at ``inputs`` (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS, VERDICT.formats))


def summary(result: BuildoutResult, depreciation_life_years: int) -> str:
    """Plain-language reading for a manager (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    ctx = {**result.totals(), "first_year_operating_profit_bn": result.years[0].operating_profit_bn,
           "depreciation_life_years": float(depreciation_life_years)}
    return VERDICT.text(ctx, format_table(PARAMS, ROWS, VERDICT.formats))
