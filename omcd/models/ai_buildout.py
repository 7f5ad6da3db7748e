"""The AI build-out: a provider's capex buys GPUs; the GPUs earn rent; depreciation sets reported profit.

The business, year by year over a horizon of :data:`HORIZON_YEARS` years: the provider spends
the same capex ``K`` (USD bn) in each of its first ``B`` build years. Each year's capex buys
``N = K * 1e9 / g`` GPUs at an all-in cost ``g`` per GPU (a *vintage*), in service from the year
it is bought (a full year, for simplicity) for ``E`` years (its economic life). Each GPU in service
sells a share ``u`` of the year's 8,760 hours at the year's rent and costs ``o`` a year to run
(energy included). The accounts spread each vintage's cost over ``L`` years (straight-line
depreciation, no salvage value), whatever its economic life.

Conventions, the same as in the one-GPU model (:mod:`omcd.models.gpu_cluster`):

* money is **nominal** (dollars of each year) and the discount rate is a nominal cost of capital;
  running costs are held flat in dollars;
* a year's capex is paid at the **start** of that year, its operating cash (revenue less running
  cost) comes in at the year's **end**; NPV, IRR and discounted payback count them so;
* the rent falls by ``d`` a year for every GPU alike: ``p (1 - d)^(t-1)`` in year ``t``;
* a GPU is **switched off** from the first year in which its rent no longer covers its running
  cost (``u 8760 p_t <= o``): running it would lose cash, and the rent only falls. The accounts
  still depreciate it. The rule is the same for every vintage, since all earn the same rent.

Formulas for year ``t = 1 .. 10`` (money in USD bn):

* vintages in service        ``n_E(t) = max(0, min(t, B) - max(1, t - E + 1) + 1)``
* vintages depreciating      ``n_L(t) = max(0, min(t, B) - max(1, t - L + 1) + 1)``
* rent                       ``p_t = p (1 - d)^(t-1)``; switched on ``s_t = 1`` while ``u 8760 p_t > o``
* GPUs in service            ``G(t) = s_t n_E(t) N``
* capex                      ``K`` if ``t <= B`` else 0, paid at the start of the year
* revenue                    ``G(t) u 8760 p_t / 1e9``; operating cost ``G(t) o / 1e9``
* depreciation               ``n_L(t) K / L``
* operating profit           ``revenue - operating cost - depreciation``  (reported)
* cash flow                  ``revenue - operating cost - capex``          (real)
* cumulative cash            running sum of cash flow, at each year's end
* discounted cash flow       ``-capex / (1 + r)^(t-1) + (revenue - operating cost) / (1 + r)^t``;
  NPV = the sum over the horizon

Outputs over the run: NPV, IRR (``numpy_financial.irr`` of the flows at times 0, 1, ..., 10, see
:mod:`omcd.models._finance`; none unless every outflow comes before every inflow), payback year
(first year whose cumulative cash is >= 0; none if never within the horizon), discounted payback
year (the same with discounted cash), peak funding need (``-min`` of the year-end cumulative cash, 0
if never negative), total cash over the horizon, and the first year in which the GPUs are switched
off (none if their rent covers their running cost in every year they are in service).
With ``B <= 5``, ``E <= 6`` and ``L <= 6`` every flow falls inside the 10-year horizon, so total
operating profit equals total cash: the depreciation life moves profit between years, it does
not create any.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

from omcd.formats import Case, Fmt, IsNone, Sentence, Shown, Verdict
from omcd.models._finance import irr, irr_row
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
    Param("price_usd_per_gpu_hour", "Rental price in year 1", "USD per GPU-hour", 0.25, 15.0, 0.05, fmt="$.2f"),
    Param("rent_decline_per_year", "Rent decline", "per year", 0.0, 0.5, 0.01, fmt=".0%"),
    Param(
        "opex_usd_per_gpu_year",
        "Operating cost per GPU (energy included)",
        "USD per GPU-year",
        0,
        20_000,
        100,
        fmt="$,.0f",
    ),
    Param("economic_life_years", "Economic life (years a GPU can earn)", "years", 2, 6, 1, integer=True, fmt=".0f"),
    Param("depreciation_life_years", "Depreciation life (accounts)", "years", 2, 6, 1, integer=True, fmt=".0f"),
    Param("discount_rate", "Discount rate (nominal)", "per year", 0.0, 0.30, 0.01, fmt=".0%"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

_YEAR = Param("year", "Year of the build-out", "", 1, HORIZON_YEARS, 1, integer=True)
#: The helper :func:`gpus_per_vintage` takes any amounts a notebook may try, not only the sliders' range.
_CAPEX_BN = Param("capex_usd_bn_per_year", "Capex per build year", "USD bn", 0.0, 1e6, 0.1)
_GPU_COST = Param("gpu_all_in_cost_usd", "Capex per GPU", "USD", 1.0, 1e9, 1.0)
_LIFE = Param("life_years", "Life of a vintage (economic or depreciation)", "years", 1, HORIZON_YEARS, 1, integer=True)


@dataclass(frozen=True)
class BuildoutYear:
    """One year of the build-out, money in USD bn."""

    year: int
    rent_usd_per_gpu_hour: float
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
    #: None unless every outflow comes before every inflow (then the rate is not unique, or none).
    irr: float | None
    #: None when cumulative cash never turns non-negative within the horizon.
    payback_year: int | None
    #: None when cumulative discounted cash never turns non-negative within the horizon (NPV < 0).
    discounted_payback_year: int | None
    peak_funding_need_bn: float
    total_cash_bn: float
    #: None when the GPUs earn more than their running cost in every year they are in service.
    switch_off_year: int | None
    years: tuple[BuildoutYear, ...]
    #: The cash flows at times 0, 1, ..., 10 whose IRR is ``irr``: each year's capex at its start,
    #: its operating cash at its end.
    flows: tuple[float, ...]

    def totals(self) -> dict[str, float | None]:
        """Every output except the yearly table and the flows."""
        return {k: v for k, v in asdict(self).items() if k not in ("years", "flows")}


def vintages_active(year: int, build_years: int, life_years: int) -> int:
    """How many yearly vintages bought in years 1..B are within ``life_years`` of purchase in ``year``."""
    t, b, life = (
        int(_YEAR.check(year)),
        int(PARAM_BY_NAME["build_years"].check(build_years)),
        int(_LIFE.check(life_years)),
    )
    return max(0, min(t, b) - max(1, t - life + 1) + 1)


def gpus_per_vintage(capex_usd_bn_per_year: float, gpu_all_in_cost_usd: float) -> float:
    """GPUs one year's capex buys: ``K * 1e9 / g``."""
    return _CAPEX_BN.check(capex_usd_bn_per_year) * USD_PER_BN / _GPU_COST.check(gpu_all_in_cost_usd)


def _rents(x: Mapping[str, float]) -> list[float]:
    return [x["price_usd_per_gpu_hour"] * (1 - x["rent_decline_per_year"]) ** (t - 1) for t in YEARS]


def evaluate(**inputs: float) -> BuildoutResult:
    """The year-by-year build-out and its totals; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    capex, build = x["capex_usd_bn_per_year"], int(x["build_years"])
    econ, dep_life = int(x["economic_life_years"]), int(x["depreciation_life_years"])
    rate, opex_per_gpu = x["discount_rate"], x["opex_usd_per_gpu_year"]
    per_vintage = gpus_per_vintage(capex, x["gpu_all_in_cost_usd"])
    rows, cumulative, discounted_cumulative, on = [], 0.0, 0.0, True
    switch_off, discounted_payback = None, None
    operating = []
    for t, rent in zip(YEARS, _rents(x)):
        in_service = vintages_active(t, build, econ)
        on = on and x["utilisation"] * HOURS_PER_YEAR * rent > opex_per_gpu  # once off, off for good
        if not on and in_service and switch_off is None:
            switch_off = t
        gpus = in_service * per_vintage if on else 0.0
        capex_t = capex if t <= build else 0.0
        revenue = gpus * x["utilisation"] * HOURS_PER_YEAR * rent / USD_PER_BN
        opex = gpus * opex_per_gpu / USD_PER_BN
        depreciation = vintages_active(t, build, dep_life) * capex / dep_life
        cash = revenue - opex - capex_t
        cumulative += cash
        discounted = -capex_t / (1 + rate) ** (t - 1) + (revenue - opex) / (1 + rate) ** t
        discounted_cumulative += discounted
        if discounted_payback is None and discounted_cumulative >= 0:
            discounted_payback = t
        operating.append(revenue - opex)
        rows.append(
            BuildoutYear(
                year=t,
                rent_usd_per_gpu_hour=rent,
                gpus_in_service=gpus,
                capex_bn=capex_t,
                revenue_bn=revenue,
                opex_bn=opex,
                depreciation_bn=depreciation,
                operating_profit_bn=revenue - opex - depreciation,
                cash_flow_bn=cash,
                cumulative_cash_bn=cumulative,
                discounted_cash_flow_bn=discounted,
            )
        )
    # Flows at times 0, 1, ..., 10: each year's capex at its start, its operating cash at its end.
    flows = [
        (operating[s - 1] if s >= 1 else 0.0) - (capex if s + 1 <= build else 0.0) for s in range(HORIZON_YEARS + 1)
    ]
    lowest = min(r.cumulative_cash_bn for r in rows)
    return BuildoutResult(
        gpus_per_vintage=per_vintage,
        total_capex_bn=capex * build,
        npv_bn=sum(r.discounted_cash_flow_bn for r in rows),
        irr=irr(flows),
        payback_year=next((r.year for r in rows if r.cumulative_cash_bn >= 0), None),
        discounted_payback_year=discounted_payback,
        peak_funding_need_bn=-lowest if lowest < 0 else 0.0,
        total_cash_bn=cumulative,
        switch_off_year=switch_off,
        years=tuple(rows),
        flows=tuple(flows),
    )


def outputs(inputs) -> dict[str, float | None]:
    """The run's totals and year 1's reported operating profit and cash flow, by name (what the
    site's results rows and verdict read)."""
    r = evaluate(**inputs)
    return {k: (None if v is None else float(v)) for k, v in r.totals().items()} | {
        "first_year_operating_profit_bn": r.years[0].operating_profit_bn,
        "first_year_cash_flow_bn": r.years[0].cash_flow_bn,
    }


USD_BN = Fmt("$,.1f", "bn")
HORIZON = f"{HORIZON_YEARS} years"

#: The results a reader reads.
ROWS: tuple[Shown, ...] = (
    Shown("GPUs bought per build year", "gpus_per_vintage", Fmt(",.0f")),
    Shown("Total capex", "total_capex_bn", USD_BN),
    Shown("Cash flow in year 1", "first_year_cash_flow_bn", USD_BN),
    Shown("Peak funding need (lowest cumulative cash at a year's end)", "peak_funding_need_bn", USD_BN),
    Shown(
        "Payback (cumulative cash back to zero)",
        "payback_year",
        template="year {payback_year}",
        none=f"not within {HORIZON}",
    ),
    Shown(
        "Discounted payback",
        "discounted_payback_year",
        template="year {discounted_payback_year}",
        none=f"not within {HORIZON}",
    ),
    Shown(
        "GPUs switched off (rent below running cost)",
        "switch_off_year",
        template="from year {switch_off_year}",
        none="never while in service",
    ),
    Shown(f"Total cash over {HORIZON} (= total operating profit)", "total_cash_bn", USD_BN),
    Shown("NPV at the discount rate", "npv_bn", USD_BN),
    irr_row(none="none: the cash flows change sign more than once"),
)

#: The plain-language reading, for a manager.
VERDICT = Verdict(
    (
        Sentence("Capex of {total_capex_bn} buys {gpus_per_vintage} GPUs a year."),
        Sentence(
            "Year 1 reports an operating profit of {first_year_operating_profit_bn} with depreciation over "
            "{depreciation_life_years}, while its cash flow is {first_year_cash_flow_bn}; the peak funding "
            "need is {peak_funding_need_bn}."
        ),
        Sentence(
            Case(IsNone("switch_off_year"), ""),
            "From year {switch_off_year} the rent no longer covers the GPUs' running cost: they are switched "
            "off, while the accounts still depreciate them.",
        ),
        Sentence(
            Case(IsNone("payback_year"), f"Cumulative cash never turns positive within {HORIZON}."),
            Case(
                IsNone("discounted_payback_year"),
                "Cumulative cash turns positive in year {payback_year}, but not once discounted at {discount_rate}.",
            ),
            "Cumulative cash turns positive in year {payback_year}, discounted in year {discounted_payback_year}.",
        ),
        Sentence(Case(IsNone("irr"), "NPV: {npv_bn}."), "NPV: {npv_bn}; IRR {irr}."),
    ),
    formats={
        "first_year_operating_profit_bn": USD_BN,
        "payback_year": Fmt(".0f"),
        "discounted_payback_year": Fmt(".0f"),
        "switch_off_year": Fmt(".0f"),
    },
)


def reading(inputs) -> str:
    """The verdict at ``inputs`` (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS, VERDICT.formats))


def summary(result: BuildoutResult, inputs: Mapping[str, float]) -> str:
    """Plain-language reading of a result (see :data:`VERDICT`) computed at ``inputs``, for a manager."""
    from omcd.formats import format_table

    if not isinstance(result, BuildoutResult):
        raise ValueError(f"result must be a BuildoutResult from evaluate(); got {type(result).__name__}.")
    x = validate(PARAMS, inputs)
    ctx = {
        **x,
        **{k: (None if v is None else float(v)) for k, v in result.totals().items()},
        "first_year_operating_profit_bn": result.years[0].operating_profit_bn,
        "first_year_cash_flow_bn": result.years[0].cash_flow_bn,
    }
    return VERDICT.text(ctx, format_table(PARAMS, ROWS, VERDICT.formats))
