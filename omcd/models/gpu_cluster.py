"""GPU cluster unit economics: what one rented-out GPU costs, earns and is worth.

The business: a cloud provider buys a GPU (plus its share of server and network), runs it for
its useful life and rents it out by the hour. Only a share of the year's 8,760 hours is sold
(utilisation). All money is in US dollars, per GPU, before tax.

Formulas (``u`` utilisation, ``p`` price per GPU-hour, ``H`` = 8,760 hours a year):

* capex per GPU          ``K = gpu_price_usd + server_overhead_usd_per_gpu``
* depreciation per year  ``D = K / useful_life_years`` (straight line, no salvage value)
* energy per sold hour   ``e = power_kw_per_gpu * pue * electricity_usd_per_kwh``
  (the GPU draws its rated power in sold hours; idle draw is neglected)
* other cost per year    ``O = other_opex_usd_per_gpu_year``
* cost per sold GPU-hour ``c = D / (u H) + e + O / (u H)``
* gross margin per hour  ``p - c``; in percent of price ``(p - c) / p``
* break-even utilisation ``u* = (D + O) / (H (p - e))``; none when ``p <= e``
* annual profit          ``u H (p - e) - O - D`` (accounting, straight-line depreciation)
* annual cash flow       ``C = u H (p - e) - O``
* simple payback         ``K / C`` years; none when ``C <= 0``
* NPV                    ``-K + C * (1 - (1 + r)^-L) / r`` (``C * L`` when ``r = 0``), cash at
  each year's end over the useful life ``L``
* cost per million tokens ``c / (tokens_per_second_per_gpu * 3600) * 1e6``
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from omcd.formats import Case, Cmp, Fmt, IsNone, Note, Sentence, Shown, Verdict
from omcd.params import Param, validate

HOURS_PER_YEAR = 8760.0
SECONDS_PER_HOUR = 3600.0

PARAMS: tuple[Param, ...] = (
    Param("gpu_price_usd", "GPU purchase price", "USD", 5_000, 60_000, 500, fmt="$,.0f"),
    Param("server_overhead_usd_per_gpu", "Server and network per GPU", "USD", 0, 40_000, 500, fmt="$,.0f"),
    Param("useful_life_years", "Useful life", "years", 2, 8, 1, integer=True, fmt=".0f"),
    Param("power_kw_per_gpu", "Power per GPU", "kW", 0.1, 2.0, 0.05, fmt=".2f"),
    Param("pue", "Data-centre PUE", "ratio", 1.0, 2.5, 0.01, fmt=".2f"),
    Param("electricity_usd_per_kwh", "Electricity price", "USD/kWh", 0.01, 0.50, 0.0005, fmt="$.4f"),
    Param("other_opex_usd_per_gpu_year", "Other operating cost", "USD per GPU-year", 0, 20_000, 100, fmt="$,.0f"),
    Param("utilisation", "Utilisation (share of hours sold)", "share", 0.05, 1.0, 0.01, fmt=".0%"),
    Param("price_usd_per_gpu_hour", "Rental price", "USD per GPU-hour", 0.25, 15.0, 0.05, fmt="$.2f"),
    Param("discount_rate", "Discount rate", "per year", 0.0, 0.30, 0.01, fmt=".0%"),
    Param("tokens_per_second_per_gpu", "Throughput", "tokens per second per GPU", 10, 20_000, 10, fmt=",.0f"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}


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
    annual_profit_usd: float
    annual_cash_flow_usd: float
    #: None when the annual cash flow is zero or negative (the GPU never pays back).
    payback_years: float | None
    npv_usd: float
    cost_per_million_tokens: float

    @property
    def break_even_reachable(self) -> bool:
        """True when break-even needs no more than every hour of the year sold."""
        return self.break_even_utilisation is not None and self.break_even_utilisation <= 1.0

    def as_dict(self) -> dict[str, float | None]:
        return asdict(self)


def capex_per_gpu(gpu_price_usd: float, server_overhead_usd_per_gpu: float) -> float:
    """Up-front cost of one GPU with its share of server and network (USD)."""
    return gpu_price_usd + server_overhead_usd_per_gpu


def energy_cost_per_gpu_hour(power_kw_per_gpu: float, pue: float, electricity_usd_per_kwh: float) -> float:
    """Electricity for one sold GPU-hour, cooling and facility overhead included via PUE (USD)."""
    return power_kw_per_gpu * pue * electricity_usd_per_kwh


def annuity_factor(rate: float, years: int) -> float:
    """Present value of 1 USD received at the end of each of ``years`` years at ``rate``."""
    if rate == 0:
        return float(years)
    return (1.0 - (1.0 + rate) ** -years) / rate


def cost_per_million_tokens(cost_usd_per_gpu_hour: float, tokens_per_second_per_gpu: float) -> float:
    """Cost of serving one million tokens (USD) from a GPU-hour cost and a throughput."""
    PARAM_BY_NAME["tokens_per_second_per_gpu"].check(tokens_per_second_per_gpu)
    return cost_usd_per_gpu_hour / (tokens_per_second_per_gpu * SECONDS_PER_HOUR) * 1e6


def evaluate(**inputs: float) -> GpuClusterResult:
    """Compute every output for one GPU; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    capex = capex_per_gpu(x["gpu_price_usd"], x["server_overhead_usd_per_gpu"])
    life = int(x["useful_life_years"])
    depreciation_per_year = capex / life
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
        (depreciation_per_year + other_per_year) / (HOURS_PER_YEAR * contribution_h)
        if contribution_h > 0
        else None
    )
    cash_flow = sold_hours * contribution_h - other_per_year
    profit = cash_flow - depreciation_per_year
    payback = capex / cash_flow if cash_flow > 0 else None
    npv = -capex + cash_flow * annuity_factor(x["discount_rate"], life)
    return GpuClusterResult(
        capex_usd=capex,
        depreciation_per_sold_hour=depreciation_h,
        energy_per_sold_hour=energy,
        other_per_sold_hour=other_h,
        cost_per_sold_hour=cost_h,
        margin_per_sold_hour=margin_h,
        margin_pct=margin_h / price,
        break_even_utilisation=break_even,
        annual_profit_usd=profit,
        annual_cash_flow_usd=cash_flow,
        payback_years=payback,
        npv_usd=npv,
        cost_per_million_tokens=cost_per_million_tokens(cost_h, x["tokens_per_second_per_gpu"]),
    )


def margin_curve(utilisations: Iterable[float], **inputs: float) -> list[dict[str, float]]:
    """Cost and margin per sold GPU-hour at each utilisation, other inputs held fixed."""
    rows = []
    for u in utilisations:
        r = evaluate(**{**inputs, "utilisation": u})
        rows.append(
            {"utilisation": float(u), "cost_per_sold_hour": r.cost_per_sold_hour,
             "margin_per_sold_hour": r.margin_per_sold_hour}
        )
    return rows


USD_CENTS = Fmt("$,.2f")

#: The results a reader reads, in order: the site's table, the widget's table and print.
ROWS: tuple[Shown, ...] = (
    Shown("Cost per sold GPU-hour", "cost_per_sold_hour", USD_CENTS),
    Shown("  of which depreciation", "depreciation_per_sold_hour", USD_CENTS),
    Shown("  of which energy", "energy_per_sold_hour", USD_CENTS),
    Shown("  of which other operating cost", "other_per_sold_hour", USD_CENTS),
    Shown("Gross margin per sold GPU-hour", "margin_per_sold_hour", USD_CENTS),
    Shown("Gross margin, share of the price", "margin_pct", Fmt(".0%")),
    Shown("Break-even utilisation", "break_even_utilisation", Fmt(".0%"),
          none="none: the price is below the energy cost of a sold hour",
          notes=(Note(Cmp("break_even_utilisation", ">", 1), " (unreachable)"),)),
    Shown("Annual profit per GPU (after depreciation)", "annual_profit_usd", Fmt("$,.0f")),
    Shown("Simple payback", "payback_years", Fmt(".1f", " years"), none="never",
          notes=(Note(Cmp("payback_years", ">", "useful_life_years"), " (longer than its life)"),)),
    Shown("NPV over the useful life", "npv_usd", Fmt("$,.0f")),
    Shown("Cost per million tokens", "cost_per_million_tokens", Fmt("$,.3f")),
)

#: The plain-language reading of a result, for a manager.
VERDICT = Verdict((
    Sentence(
        Case(IsNone("break_even_utilisation"),
             "No utilisation breaks even: the price does not cover the energy of a sold hour "
             "({energy_per_sold_hour})."),
        Case(Cmp("break_even_utilisation", ">", 1),
             "Break-even would need {break_even_utilisation} utilisation, more than every hour of the "
             "year: at this price the GPU cannot pay for itself."),
        "Break-even needs {break_even_utilisation} of hours sold."),
    Sentence(
        Case(Cmp("margin_per_sold_hour", ">=", 0),
             "At {utilisation}, each sold GPU-hour earns {margin_per_sold_hour|abs} ({margin_pct} of price)."),
        "At {utilisation}, each sold GPU-hour loses {margin_per_sold_hour|abs} ({margin_pct} of price)."),
    Sentence(Case(IsNone("payback_years"), "It never pays back."), "Simple payback: {payback_years}."),
    Sentence("NPV over its life: {npv_usd}."),
))


def outputs(inputs) -> dict[str, float | None]:
    """The model's outputs at ``inputs``, by name (what the results rows and the verdict read)."""
    return evaluate(**inputs).as_dict()


def reading(inputs) -> str:
    """The verdict sentence at ``inputs``: break-even, margin, payback and NPV in plain words."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS))


def summary(result: GpuClusterResult, utilisation: float) -> str:
    """Plain-language reading of a result (see :data:`VERDICT`), for a manager."""
    from omcd.formats import format_table

    ctx = {**result.as_dict(), "utilisation": utilisation}
    return VERDICT.text(ctx, format_table(PARAMS, ROWS))
