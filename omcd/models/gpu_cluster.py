"""GPU cluster unit economics: what one rented-out GPU costs, earns and is worth over its life.

The business: a cloud provider buys a GPU (plus its share of server and network), rents it out by
the hour and runs it for as long as it earns. Only a share of the year's 8,760 hours is sold
(utilisation). Money is in US dollars, per GPU, before tax.

Conventions, the same as in the build-out model (:mod:`omcd.models.ai_buildout`):

* money is **nominal** (dollars of each year) and the discount rate is a nominal cost of capital;
  running costs are held flat in dollars;
* the capex is paid at the start of year 1 (time 0); each year's operating cash comes in at the
  year's end;
* the rent falls by ``d`` a year: year 1 at today's price ``p``, year ``t`` at ``p (1 - d)^(t-1)``;
* the GPU earns for its **economic life** ``E``, or until the first year in which its rent no
  longer covers its running cost (energy and other operating cost): it is then switched off, and
  since the rent only falls, it never pays to switch it back on;
* the accounts spread the capex over the **depreciation life** ``L`` (straight line, no salvage
  value), whatever ``E`` is: ``L`` moves reported profit, never cash, NPV, IRR or payback.

Formulas (``u`` utilisation, ``H`` = 8,760 hours a year, ``r`` discount rate):

* capex per GPU          ``K = gpu_price_usd + server_overhead_usd_per_gpu``
* depreciation per year  ``D = K / L``
* energy per sold hour   ``e = power_kw_per_gpu * pue * electricity_usd_per_kwh``
  (the GPU draws its rated power in sold hours; idle draw is neglected)
* other cost per year    ``O = other_opex_usd_per_gpu_year``

In year 1, at today's price (what the accounts of a year show):

* cost per sold GPU-hour ``c = D / (u H) + e + O / (u H)``
* gross margin per hour  ``p - c``; in percent of price ``(p - c) / p``
* break-even utilisation ``u* = (D + O) / (H (p - e))``; none when ``p <= e``
* accounting profit      ``u H (p - e) - O - D``
* cash from operations   ``C_1 = u H (p - e) - O``

Over the GPU's life, year ``t = 1 .. E``:

* cash from operations   ``C_t = u H (p (1 - d)^(t-1) - e) - O`` while it is switched on (all
  years up to the first with ``C_t <= 0``; ``C_t`` falls year by year, so that is every year with
  ``C_t > 0``), else 0
* NPV                    ``-K + sum_t C_t / (1 + r)^t``
* payback                the time at which cumulative cash ``-K + C_1 + ... + C_t`` reaches 0,
  counting each year's cash as earned evenly over the year: ``t - cum_t / C_t`` in the first year
  ``t`` with ``cum_t >= 0``; none within the economic life if cumulative cash stays negative
* discounted payback     the same with each ``C_t`` discounted to time 0
* IRR                    the rate at which the NPV is 0 (``numpy_financial.irr``; see
  :mod:`omcd.models._finance`); none when the GPU is never switched on
* cost per million tokens ``c / (tokens_per_second_per_gpu * 3600) * 1e6``, in year 1
* tornado: NPV with each of :data:`TORNADO_INPUTS` times 0.75 and 1.25 (kept inside its range, a
  whole number of years rounded half up), the others held
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from omcd.formats import Case, Cmp, Fmt, IsNone, Note, Sentence, Shown, Verdict
from omcd.models._finance import irr, irr_row
from omcd.params import Param, validate

HOURS_PER_YEAR = 8760.0
SECONDS_PER_HOUR = 3600.0
#: The longest economic life: the site's year grid has one row per year up to it.
MAX_LIFE_YEARS = 8
TORNADO_FACTORS = (0.75, 1.25)

PARAMS: tuple[Param, ...] = (
    Param("gpu_price_usd", "GPU purchase price", "USD", 5_000, 60_000, 500, fmt="$,.0f"),
    Param("server_overhead_usd_per_gpu", "Server and network per GPU", "USD", 0, 40_000, 500, fmt="$,.0f"),
    Param(
        "economic_life_years",
        "Economic life (years the GPU can earn)",
        "years",
        2,
        MAX_LIFE_YEARS,
        1,
        integer=True,
        fmt=".0f",
    ),
    Param(
        "depreciation_life_years",
        "Depreciation life (accounts)",
        "years",
        2,
        MAX_LIFE_YEARS,
        1,
        integer=True,
        fmt=".0f",
    ),
    Param("power_kw_per_gpu", "Power per GPU", "kW", 0.1, 2.0, 0.05, fmt=".2f"),
    Param("pue", "Data-centre PUE", "ratio", 1.0, 2.5, 0.01, fmt=".2f"),
    Param("electricity_usd_per_kwh", "Electricity price", "USD/kWh", 0.01, 0.50, 0.0005, fmt="$.4f"),
    Param("other_opex_usd_per_gpu_year", "Other operating cost", "USD per GPU-year", 0, 20_000, 100, fmt="$,.0f"),
    Param("utilisation", "Utilisation (share of hours sold)", "share", 0.05, 1.0, 0.01, fmt=".0%"),
    Param("price_usd_per_gpu_hour", "Rental price in year 1", "USD per GPU-hour", 0.25, 15.0, 0.05, fmt="$.2f"),
    Param("rent_decline_per_year", "Rent decline", "per year", 0.0, 0.5, 0.01, fmt=".0%"),
    Param("discount_rate", "Discount rate (nominal)", "per year", 0.0, 0.30, 0.01, fmt=".0%"),
    Param("tokens_per_second_per_gpu", "Throughput", "tokens per second per GPU", 10, 20_000, 10, fmt=",.0f"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

#: The inputs the tornado moves: every input of the cash flows, and the depreciation life, which
#: moves no cash (its bars have no length: that is the point). Throughput affects no cash either.
TORNADO_INPUTS: tuple[str, ...] = (
    "gpu_price_usd",
    "server_overhead_usd_per_gpu",
    "economic_life_years",
    "depreciation_life_years",
    "power_kw_per_gpu",
    "pue",
    "electricity_usd_per_kwh",
    "other_opex_usd_per_gpu_year",
    "utilisation",
    "price_usd_per_gpu_hour",
    "rent_decline_per_year",
    "discount_rate",
)

#: Arguments of the helper functions that are not calculator inputs, with their valid ranges.
_COST_PER_HOUR = Param("cost_usd_per_gpu_hour", "Cost of a GPU-hour", "USD per GPU-hour", 0.0, 10_000.0, 0.01)
_YEAR = Param("year", "Year of the GPU's life", "", 1, MAX_LIFE_YEARS, 1, integer=True)
_FACTOR = Param("factor", "Tornado factor", "", 0.0, 10.0, 0.01)
#: The helper :func:`capex_per_gpu` takes any price a notebook may try, not only the sliders' range.
_PRICE = Param("gpu_price_usd", "GPU purchase price", "USD", 0.0, 1e9, 1.0)
_SERVER = Param("server_overhead_usd_per_gpu", "Server and network per GPU", "USD", 0.0, 1e9, 1.0)


@dataclass(frozen=True)
class GpuYear:
    """One year of the GPU's economic life (USD)."""

    year: int
    rent_usd_per_gpu_hour: float
    #: False from the first year in which the rent no longer covers the running cost.
    switched_on: bool
    cash_usd: float
    cumulative_cash_usd: float
    discounted_cash_usd: float


@dataclass(frozen=True)
class GpuClusterResult:
    """Outputs for one GPU. ``None`` means the quantity does not exist (see each field)."""

    capex_usd: float
    depreciation_per_sold_hour: float
    energy_per_sold_hour: float
    other_per_sold_hour: float
    cost_per_sold_hour: float
    margin_per_sold_hour: float
    margin_pct: float
    #: None when the price does not even cover energy per sold hour (no utilisation breaks even).
    break_even_utilisation: float | None
    first_year_profit_usd: float
    first_year_cash_usd: float
    #: Years in which the GPU is switched on and earns (0 to the economic life).
    years_earning: float
    #: None when cumulative cash stays negative over the economic life.
    payback_years: float | None
    #: None when cumulative discounted cash stays negative over the economic life (NPV < 0).
    discounted_payback_years: float | None
    npv_usd: float
    #: None when the GPU is never switched on (no cash comes back).
    irr: float | None
    cost_per_million_tokens: float

    @property
    def break_even_reachable(self) -> bool:
        """True when break-even needs no more than every hour of the year sold."""
        return self.break_even_utilisation is not None and self.break_even_utilisation <= 1.0

    def as_dict(self) -> dict[str, float | None]:
        return asdict(self)


def capex_per_gpu(gpu_price_usd: float, server_overhead_usd_per_gpu: float) -> float:
    """Up-front cost of one GPU with its share of server and network (USD)."""
    return _PRICE.check(gpu_price_usd) + _SERVER.check(server_overhead_usd_per_gpu)


def energy_cost_per_gpu_hour(power_kw_per_gpu: float, pue: float, electricity_usd_per_kwh: float) -> float:
    """Electricity for one sold GPU-hour, cooling and facility overhead included via PUE (USD)."""
    return (
        PARAM_BY_NAME["power_kw_per_gpu"].check(power_kw_per_gpu)
        * PARAM_BY_NAME["pue"].check(pue)
        * PARAM_BY_NAME["electricity_usd_per_kwh"].check(electricity_usd_per_kwh)
    )


def rent_in_year(price_usd_per_gpu_hour: float, rent_decline_per_year: float, year: int) -> float:
    """The rent per GPU-hour in ``year`` (1 = today's price): ``p (1 - d)^(year - 1)``."""
    p = PARAM_BY_NAME["price_usd_per_gpu_hour"].check(price_usd_per_gpu_hour)
    d = PARAM_BY_NAME["rent_decline_per_year"].check(rent_decline_per_year)
    return p * (1 - d) ** (_YEAR.check(year) - 1)


def cost_per_million_tokens(cost_usd_per_gpu_hour: float, tokens_per_second_per_gpu: float) -> float:
    """Cost of serving one million tokens (USD) from a GPU-hour cost and a throughput."""
    cost = _COST_PER_HOUR.check(cost_usd_per_gpu_hour)
    return cost / (PARAM_BY_NAME["tokens_per_second_per_gpu"].check(tokens_per_second_per_gpu) * SECONDS_PER_HOUR) * 1e6


def life_cycle(**inputs: float) -> list[GpuYear]:
    """The GPU's economic life year by year: rent, whether it is switched on, and its cash."""
    x = validate(PARAMS, inputs)
    return _life_cycle(x)


def cash_flows(**inputs: float) -> list[float]:
    """The cash flows whose IRR the result gives: the capex now (negative), then each year's cash
    over the economic life (0 once switched off)."""
    x = validate(PARAMS, inputs)
    return [-capex_per_gpu(x["gpu_price_usd"], x["server_overhead_usd_per_gpu"])] + [y.cash_usd for y in _life_cycle(x)]


def _life_cycle(x: Mapping[str, float]) -> list[GpuYear]:
    capex = capex_per_gpu(x["gpu_price_usd"], x["server_overhead_usd_per_gpu"])
    energy = energy_cost_per_gpu_hour(x["power_kw_per_gpu"], x["pue"], x["electricity_usd_per_kwh"])
    sold_hours = x["utilisation"] * HOURS_PER_YEAR
    rows, cumulative, on = [], -capex, True
    for t in range(1, int(x["economic_life_years"]) + 1):
        rent = rent_in_year(x["price_usd_per_gpu_hour"], x["rent_decline_per_year"], t)
        cash = sold_hours * (rent - energy) - x["other_opex_usd_per_gpu_year"]
        on = on and cash > 0  # once switched off, it stays off
        cash = cash if on else 0.0
        cumulative += cash
        rows.append(
            GpuYear(
                year=t,
                rent_usd_per_gpu_hour=rent,
                switched_on=on,
                cash_usd=cash,
                cumulative_cash_usd=cumulative,
                discounted_cash_usd=cash * (1 + x["discount_rate"]) ** -t,
            )
        )
    return rows


def _payback(capex: float, flows: list[float]) -> float | None:
    """When cumulative cash (each year's earned evenly over the year) first covers the capex."""
    cumulative = -capex
    for t, cash in enumerate(flows, start=1):
        cumulative += cash
        if cumulative >= 0 and cumulative - cash < 0:
            return t - cumulative / cash
    return None


def evaluate(**inputs: float) -> GpuClusterResult:
    """Compute every output for one GPU; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    capex = capex_per_gpu(x["gpu_price_usd"], x["server_overhead_usd_per_gpu"])
    depreciation_per_year = capex / x["depreciation_life_years"]
    other_per_year = x["other_opex_usd_per_gpu_year"]
    energy = energy_cost_per_gpu_hour(x["power_kw_per_gpu"], x["pue"], x["electricity_usd_per_kwh"])
    price = x["price_usd_per_gpu_hour"]
    sold_hours = x["utilisation"] * HOURS_PER_YEAR

    depreciation_h = depreciation_per_year / sold_hours
    other_h = other_per_year / sold_hours
    cost_h = depreciation_h + energy + other_h
    margin_h = price - cost_h

    contribution_h = price - energy
    break_even = (
        (depreciation_per_year + other_per_year) / (HOURS_PER_YEAR * contribution_h) if contribution_h > 0 else None
    )
    first_cash = sold_hours * contribution_h - other_per_year
    years = _life_cycle(x)
    cash = [y.cash_usd for y in years]
    discounted = [y.discounted_cash_usd for y in years]
    return GpuClusterResult(
        capex_usd=capex,
        depreciation_per_sold_hour=depreciation_h,
        energy_per_sold_hour=energy,
        other_per_sold_hour=other_h,
        cost_per_sold_hour=cost_h,
        margin_per_sold_hour=margin_h,
        margin_pct=margin_h / price,
        break_even_utilisation=break_even,
        first_year_profit_usd=first_cash - depreciation_per_year,
        first_year_cash_usd=first_cash,
        years_earning=float(sum(y.switched_on for y in years)),
        payback_years=_payback(capex, cash),
        discounted_payback_years=_payback(capex, discounted),
        npv_usd=-capex + sum(discounted),
        irr=irr([-capex, *cash]),
        cost_per_million_tokens=cost_per_million_tokens(cost_h, x["tokens_per_second_per_gpu"]),
    )


def varied_value(name: str, value: float, factor: float) -> float:
    """``value * factor``, kept inside the parameter's range, and rounded half up to a whole number
    for a whole-number input (the tornado's low and high cases)."""
    if name not in PARAM_BY_NAME:
        raise ValueError(f"name must be one of the inputs ({', '.join(PARAM_BY_NAME)}); got {name!r}.")
    p = PARAM_BY_NAME[name]
    moved = p.check(value) * _FACTOR.check(factor)
    if p.integer:
        moved = math.floor(moved + 0.5)
    return min(max(moved, p.minimum), p.maximum)


def npv_varied(inputs: Mapping[str, float], name: str, factor: float) -> float:
    """The NPV (USD) with input ``name`` multiplied by ``factor`` (see :func:`varied_value`)."""
    if name not in TORNADO_INPUTS:
        raise ValueError(f"name must be one of the tornado's inputs ({', '.join(TORNADO_INPUTS)}); got {name!r}.")
    x = validate(PARAMS, inputs)
    x[name] = varied_value(name, x[name], factor)
    capex = capex_per_gpu(x["gpu_price_usd"], x["server_overhead_usd_per_gpu"])
    return -capex + sum(y.discounted_cash_usd for y in _life_cycle(x))


def tornado(**inputs: float) -> list[dict[str, float | str]]:
    """For each input of :data:`TORNADO_INPUTS`: the NPV at 0.75x and 1.25x, and its swing (the
    gap between the lowest and highest of the two and the current NPV), largest swing first."""
    x = validate(PARAMS, inputs)
    base = evaluate(**x).npv_usd
    rows = []
    for name in TORNADO_INPUTS:
        low, high = (npv_varied(x, name, f) for f in TORNADO_FACTORS)
        rows.append(
            {
                "input": name,
                "label": PARAM_BY_NAME[name].label,
                "npv_at_075_usd": low,
                "npv_at_125_usd": high,
                "swing_usd": max(low, high, base) - min(low, high, base),
            }
        )
    return sorted(rows, key=lambda r: -r["swing_usd"])


USD_CENTS = Fmt("$,.2f")
USD = Fmt("$,.0f")
YEARS_1DP = Fmt(".1f", " years")

#: The results a reader reads, in order: the site's table, the widget's table and print.
ROWS: tuple[Shown, ...] = (
    Shown("Cost per sold GPU-hour, year 1", "cost_per_sold_hour", USD_CENTS),
    Shown("  of which depreciation", "depreciation_per_sold_hour", USD_CENTS),
    Shown("  of which energy", "energy_per_sold_hour", USD_CENTS),
    Shown("  of which other operating cost", "other_per_sold_hour", USD_CENTS),
    Shown("Gross margin per sold GPU-hour, year 1", "margin_per_sold_hour", USD_CENTS),
    Shown("Gross margin, share of the price", "margin_pct", Fmt(".0%")),
    Shown(
        "Break-even utilisation (accounts, year 1)",
        "break_even_utilisation",
        Fmt(".0%"),
        none="none: the price is below the energy cost of a sold hour",
        notes=(Note(Cmp("break_even_utilisation", ">", 1), " (unreachable)"),),
    ),
    Shown("Accounting profit, year 1 (after depreciation)", "first_year_profit_usd", USD),
    Shown(
        "Cash from operations, year 1 (depreciation plays no part)",
        "first_year_cash_usd",
        USD,
        notes=(Note(Cmp("first_year_cash_usd", "<=", 0), " (it would be switched off)"),),
    ),
    Shown(
        "Years it earns, of its economic life",
        "years_earning",
        template="{years_earning} of {economic_life_years}",
        notes=(
            Note(
                Cmp("years_earning", "<", "economic_life_years"), " (then its rent no longer covers its running cost)"
            ),
        ),
    ),
    Shown("Payback", "payback_years", YEARS_1DP, none="never within its economic life"),
    Shown("Discounted payback", "discounted_payback_years", YEARS_1DP, none="never within its economic life"),
    Shown("NPV over its economic life", "npv_usd", USD),
    irr_row(none="none: it never earns any cash"),
    Shown("Cost per million tokens, year 1", "cost_per_million_tokens", Fmt("$,.3f")),
)

#: The plain-language reading of a result, for a manager.
VERDICT = Verdict(
    (
        Sentence(
            Case(
                IsNone("break_even_utilisation"),
                "No utilisation breaks even: the price does not cover the energy of a sold hour "
                "({energy_per_sold_hour}).",
            ),
            Case(
                Cmp("break_even_utilisation", ">", 1),
                "Break-even would need {break_even_utilisation} utilisation, more than every hour of the "
                "year: at this price the GPU cannot pay for itself.",
            ),
            "In year 1 the accounts break even at {break_even_utilisation} of hours sold.",
        ),
        Sentence(
            Case(
                Cmp("margin_per_sold_hour", ">=", 0),
                "At {utilisation}, each sold GPU-hour earns {margin_per_sold_hour|abs} ({margin_pct} of price).",
            ),
            "At {utilisation}, each sold GPU-hour loses {margin_per_sold_hour|abs} ({margin_pct} of price).",
        ),
        Sentence(
            Case(Cmp("years_earning", "==", 0), "Its rent never covers its running cost, so it stays switched off."),
            Case(
                Cmp("years_earning", "<", "economic_life_years"),
                "With the rent falling {rent_decline_per_year} a year, it stops covering its running cost "
                "after year {years_earning}.",
            ),
            "",
        ),
        Sentence(
            Case(IsNone("payback_years"), "It does not earn back its cost within its economic life."),
            Case(
                IsNone("discounted_payback_years"),
                "It earns back its cost in {payback_years}, but not its cost of capital: its NPV is {npv_usd},"
                " its IRR {irr} against a discount rate of {discount_rate}.",
            ),
            "Payback: {payback_years} ({discounted_payback_years} discounted); NPV {npv_usd}; IRR {irr}.",
        ),
    ),
    formats={"years_earning": Fmt(".0f")},
)


def outputs(inputs) -> dict[str, float | None]:
    """The model's outputs at ``inputs``, by name (what the site's results rows and verdict read)."""
    return evaluate(**inputs).as_dict()


def reading(inputs) -> str:
    """The verdict sentence at ``inputs``: break-even, margin, payback and NPV in plain words."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS, VERDICT.formats))


def summary(result: GpuClusterResult, inputs: Mapping[str, float]) -> str:
    """Plain-language reading of a result (see :data:`VERDICT`) computed at ``inputs``, for a manager."""
    from omcd.formats import format_table

    if not isinstance(result, GpuClusterResult):
        raise ValueError(f"result must be a GpuClusterResult from evaluate(); got {type(result).__name__}.")
    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **result.as_dict()}, format_table(PARAMS, ROWS, VERDICT.formats))
