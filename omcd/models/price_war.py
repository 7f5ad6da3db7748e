"""Price war: does cheaper AI shrink or grow the market? Constant-elasticity demand for tokens.

The price of a million tokens starts at ``P0`` (USD) and is multiplied by ``f`` every year
(``f = 0.1`` is a tenfold fall a year). Demand for tokens has a constant price elasticity ``e``:

* demand                 ``Q = A P^(-e)``; ``A`` is calibrated so that demand in year 0 equals
  the chosen starting quantity ``Q0`` (trillion tokens a year; an illustrative figure, labelled so
  on the page): ``A = Q0 P0^e``, hence ``Q_t = Q0 (P_t / P0)^(-e) = Q0 f^(-e t)``
* price in year t        ``P_t = P0 f^t`` (USD per million tokens), t = 0, 1, ..., years
* spending on tokens     ``S_t = P_t Q_t / 1000`` (USD bn: USD per million x trillion = 1e6 USD)
  ``= S_0 f^((1 - e) t)``: it stays constant when ``e = 1``, grows when ``e > 1`` (Jevons'
  paradox: cheaper AI, more money spent on it) and shrinks when ``e < 1``
* GPU throughput         ``T_t = T0 g^t`` tokens per second per GPU, ``g`` the yearly efficiency
  gain of serving (hardware and software; ``g = 1`` means none)
* GPU-hours needed       ``H_t = Q_t 1e6 / (T_t 3600)`` (million GPU-hours a year)
  ``= H_0 (f^(-e) / g)^t``: it grows when ``e > ln g / ln(1/f)``
* cloud spending         ``C_t = H_t h / 1000`` (USD bn) at ``h`` USD per GPU-hour
* serving cost           ``c_t = h / (T_t 3600) 1e6`` (USD per million tokens)
* serving margin         ``S_t - C_t`` (USD bn): what token sellers keep after paying for GPUs
  (negative when the price falls below the serving cost)

Indices divide each series by its year-0 value. The growth threshold ``ln g / ln(1/f)`` does not
exist (``None``) when prices do not fall (``f = 1``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from omcd.params import Param, validate

SECONDS_PER_HOUR = 3600.0
MAX_YEARS = 10

PARAMS: tuple[Param, ...] = (
    Param("start_price_usd_per_million_tokens", "Starting price", "USD per million tokens", 0.05, 100, 0.05,
          fmt="$,.2f"),
    Param("price_factor_per_year", "Price factor per year (0.1 = tenfold fall)", "ratio", 0.01, 1, 0.01,
          fmt=".2f"),
    Param("elasticity", "Price elasticity of demand for tokens", "ratio", 0.1, 3, 0.05, fmt=".2f"),
    Param("years", "Years", "years", 1, MAX_YEARS, 1, integer=True, fmt=".0f"),
    Param("start_tokens_trillion_per_year", "Tokens demanded in year 0", "trillion tokens per year", 1, 1000,
          1, fmt=",.0f"),
    Param("tokens_per_second_per_gpu", "GPU throughput in year 0", "tokens per second per GPU", 10, 20_000, 10,
          fmt=",.0f"),
    Param("throughput_growth_per_year", "Throughput gain per year (1 = none)", "ratio", 1, 20, 0.1, fmt=".1f"),
    Param("price_usd_per_gpu_hour", "GPU rental price", "USD per GPU-hour", 0.25, 15, 0.05, fmt="$.2f"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}


@dataclass(frozen=True)
class YearRow:
    """One year of the price war. Money in USD bn, tokens in trillions, GPU-hours in millions."""

    year: int
    price_usd_per_million_tokens: float
    tokens_trillion: float
    spending_usd_bn: float
    throughput_tokens_per_second: float
    gpu_hours_million: float
    cloud_spend_usd_bn: float
    serving_cost_usd_per_million_tokens: float
    serving_margin_usd_bn: float
    price_index: float
    tokens_index: float
    spending_index: float
    gpu_hours_index: float


@dataclass(frozen=True)
class PriceWarResult:
    """Year-by-year path (year 0 to ``years``) and its yearly growth factors."""

    rows: tuple[YearRow, ...]
    #: Spending on tokens is multiplied by this each year: ``f^(1 - e)``.
    spending_growth_per_year: float
    #: GPU-hours needed are multiplied by this each year: ``f^(-e) / g``.
    gpu_hours_growth_per_year: float
    #: Elasticity above which GPU-hours grow, ``ln g / ln(1/f)``; None when prices do not fall.
    gpu_hours_elasticity_threshold: float | None

    @property
    def first(self) -> YearRow:
        return self.rows[0]

    @property
    def last(self) -> YearRow:
        return self.rows[-1]

    def as_dict(self) -> dict:
        return asdict(self)


def demand_scale(start_price: float, start_tokens: float, elasticity: float) -> float:
    """``A`` in ``Q = A P^(-e)``, calibrated so that ``Q(P0) = Q0``: ``A = Q0 P0^e``."""
    return start_tokens * start_price ** elasticity


def tokens_demanded(price: float, start_price: float, start_tokens: float, elasticity: float) -> float:
    """Tokens demanded (trillion a year) at ``price``: ``Q0 (P / P0)^(-e)``."""
    return start_tokens * (price / start_price) ** -elasticity


def serving_cost_per_million_tokens(price_usd_per_gpu_hour: float, tokens_per_second_per_gpu: float) -> float:
    """GPU cost of serving a million tokens (USD): ``h / (T 3600) 1e6``."""
    return price_usd_per_gpu_hour / (tokens_per_second_per_gpu * SECONDS_PER_HOUR) * 1e6


def year_row(t: int, x: dict[str, float]) -> YearRow:
    """Every quantity of year ``t`` from validated inputs ``x``."""
    p0, f, e = x["start_price_usd_per_million_tokens"], x["price_factor_per_year"], x["elasticity"]
    q0, t0, g, h = (x["start_tokens_trillion_per_year"], x["tokens_per_second_per_gpu"],
                    x["throughput_growth_per_year"], x["price_usd_per_gpu_hour"])
    price = p0 * f ** t
    tokens = tokens_demanded(price, p0, q0, e)
    spending = price * tokens / 1000
    throughput = t0 * g ** t
    gpu_hours = tokens * 1e6 / (throughput * SECONDS_PER_HOUR)
    cloud = gpu_hours * h / 1000
    spending_0 = p0 * q0 / 1000
    gpu_hours_0 = q0 * 1e6 / (t0 * SECONDS_PER_HOUR)
    return YearRow(
        year=t, price_usd_per_million_tokens=price, tokens_trillion=tokens, spending_usd_bn=spending,
        throughput_tokens_per_second=throughput, gpu_hours_million=gpu_hours, cloud_spend_usd_bn=cloud,
        serving_cost_usd_per_million_tokens=serving_cost_per_million_tokens(h, throughput),
        serving_margin_usd_bn=spending - cloud, price_index=price / p0, tokens_index=tokens / q0,
        spending_index=spending / spending_0, gpu_hours_index=gpu_hours / gpu_hours_0,
    )


def evaluate(**inputs: float) -> PriceWarResult:
    """The price war year by year; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    f, e, g = x["price_factor_per_year"], x["elasticity"], x["throughput_growth_per_year"]
    rows = tuple(year_row(t, x) for t in range(int(x["years"]) + 1))
    threshold = math.log(g) / math.log(1 / f) if f < 1 else None
    return PriceWarResult(rows=rows, spending_growth_per_year=f ** (1 - e),
                          gpu_hours_growth_per_year=f ** -e / g, gpu_hours_elasticity_threshold=threshold)


def summary(result: PriceWarResult, elasticity: float) -> str:
    """Plain-language reading of a result, for a manager."""
    first, last, n = result.first, result.last, result.last.year
    s = result.spending_growth_per_year
    if math.isclose(s, 1.0, rel_tol=1e-12):
        spend = f"With elasticity {elasticity:.2f}, spending on tokens stays flat: the price cuts are exactly offset."
    elif s > 1:
        spend = (f"With elasticity {elasticity:.2f} (above 1), every price cut raises spending on tokens: "
                 f"x{s:,.2f} a year, from ${first.spending_usd_bn:,.2f}bn to ${last.spending_usd_bn:,.2f}bn "
                 f"in {n} years (Jevons' paradox).")
    else:
        spend = (f"With elasticity {elasticity:.2f} (below 1), price cuts shrink spending on tokens: "
                 f"x{s:,.2f} a year, from ${first.spending_usd_bn:,.2f}bn to ${last.spending_usd_bn:,.2f}bn "
                 f"in {n} years.")
    gpu = (f"GPU-hours needed go from {first.gpu_hours_million:,.1f} million to "
           f"{last.gpu_hours_million:,.3g} million (x{result.gpu_hours_growth_per_year:,.2f} a year).")
    margin = ("Token sellers still cover their GPU bill in the last year."
              if last.serving_margin_usd_bn >= 0 else
              f"In the last year the price (${last.price_usd_per_million_tokens:,.3g} per million tokens) is below "
              f"the GPU cost of serving (${last.serving_cost_usd_per_million_tokens:,.3g}): token sellers lose "
              f"money, the GPU owner still gets paid.")
    return " ".join([spend, gpu, margin])
