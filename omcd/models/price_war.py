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

from omcd.formats import USD_WORDS, Case, Cmp, Fmt, Note, Sentence, Shown, Verdict, small_prices
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


#: Spending is called flat when its yearly factor is within this distance of 1.
FLAT_TOLERANCE = 1e-12


def spending_trend(spending_growth_per_year: float) -> int:
    """+1 when spending on tokens grows year by year, -1 when it shrinks, 0 when it stays flat
    (its yearly factor within :data:`FLAT_TOLERANCE` of 1)."""
    s = spending_growth_per_year
    if abs(s - 1.0) <= FLAT_TOLERANCE:
        return 0
    return 1 if s > 1 else -1


def outputs(inputs) -> dict[str, float | None]:
    """Year 0 and the last year, in base units (tokens in trillions, GPU-hours, US dollars), and
    the yearly growth factors, by name (what the results rows and the verdict read)."""
    r = evaluate(**inputs)
    out: dict[str, float | None] = {}
    for when, row in (("first", r.first), ("last", r.last)):
        out[f"price_{when}"] = row.price_usd_per_million_tokens
        out[f"tokens_{when}"] = row.tokens_trillion
        out[f"spending_{when}"] = row.spending_usd_bn * 1e9
        out[f"gpu_hours_{when}"] = row.gpu_hours_million * 1e6
        out[f"cloud_{when}"] = row.cloud_spend_usd_bn * 1e9
    out["serving_cost_last"] = r.last.serving_cost_usd_per_million_tokens
    out["serving_margin_last"] = r.last.serving_margin_usd_bn * 1e9
    out["spending_growth_per_year"] = r.spending_growth_per_year
    out["gpu_hours_growth_per_year"] = r.gpu_hours_growth_per_year
    out["gpu_hours_elasticity_threshold"] = r.gpu_hours_elasticity_threshold
    out["spending_trend"] = float(spending_trend(r.spending_growth_per_year))
    return out


PRICE = small_prices()
TOKENS = Fmt("words", " trillion tokens")
GPU_HOURS = Fmt("words", " GPU-hours")
FACTOR = Fmt(",.2f")

#: The results a reader reads: year 0 and the last year of the horizon.
ROWS: tuple[Shown, ...] = (
    Shown("Price, year 0 → last year", "price_last", template="{price_first} → {price_last}"),
    Shown("Tokens demanded a year", "tokens_last", template="{tokens_first} → {tokens_last}"),
    Shown("Spending on tokens a year", "spending_last",
          template="{spending_first} → {spending_last} (×{spending_growth_per_year} a year)"),
    Shown("GPU-hours needed a year", "gpu_hours_last",
          template="{gpu_hours_first} → {gpu_hours_last} (×{gpu_hours_growth_per_year} a year)"),
    Shown("Cloud spending on GPUs a year", "cloud_last", template="{cloud_first} → {cloud_last}"),
    Shown("GPU cost of serving, last year", "serving_cost_last", PRICE,
          notes=(Note(Cmp("serving_cost_last", ">", "price_last"), " (above the price: a loss)"),
                 Note(Cmp("serving_cost_last", "<=", "price_last"), " (below the price)"))),
    Shown("Serving margin of token sellers, last year", "serving_margin_last", USD_WORDS),
    Shown("GPU-hours grow when elasticity is above", "gpu_hours_elasticity_threshold", Fmt(".2f"),
          none="none: prices do not fall"),
)

_FORMATS = {"price_first": PRICE, "price_last": PRICE, "tokens_first": TOKENS, "tokens_last": TOKENS,
            "spending_first": USD_WORDS, "spending_last": USD_WORDS, "cloud_first": USD_WORDS,
            "cloud_last": USD_WORDS, "gpu_hours_first": GPU_HOURS, "gpu_hours_last": GPU_HOURS,
            "spending_growth_per_year": FACTOR, "gpu_hours_growth_per_year": FACTOR}

#: The plain-language reading, for a manager.
VERDICT = Verdict((
    Sentence(
        Case(Cmp("spending_trend", "==", 0),
             "With elasticity {elasticity}, spending on tokens stays flat: the price cuts are exactly offset."),
        Case(Cmp("spending_trend", "==", 1),
             "With elasticity {elasticity} (above 1), every price cut raises spending on tokens: "
             "×{spending_growth_per_year} a year, from {spending_first} to {spending_last} in {years} "
             "(Jevons' paradox)."),
        "With elasticity {elasticity} (below 1), price cuts shrink spending on tokens: "
        "×{spending_growth_per_year} a year, from {spending_first} to {spending_last} in {years}."),
    Sentence("GPU-hours needed go from {gpu_hours_first} to {gpu_hours_last} "
             "(×{gpu_hours_growth_per_year} a year)."),
    Sentence(
        Case(Cmp("serving_margin_last", ">=", 0), "Token sellers still cover their GPU bill in the last year."),
        "In the last year the price ({price_last}) is below the GPU cost of serving ({serving_cost_last}): "
        "token sellers lose money, the GPU owner still gets paid."),
), formats=_FORMATS)


def reading(inputs) -> str:
    """The verdict at ``inputs`` (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS, _FORMATS))


def summary(result: PriceWarResult, elasticity: float) -> str:
    """Plain-language reading of a result, for a manager (kept for the notebooks; see :func:`reading`)."""
    from omcd.formats import format_table

    a, b = result.first, result.last
    ctx = {"elasticity": elasticity, "years": float(b.year),
           "price_first": a.price_usd_per_million_tokens, "price_last": b.price_usd_per_million_tokens,
           "spending_first": a.spending_usd_bn * 1e9, "spending_last": b.spending_usd_bn * 1e9,
           "gpu_hours_first": a.gpu_hours_million * 1e6, "gpu_hours_last": b.gpu_hours_million * 1e6,
           "serving_cost_last": b.serving_cost_usd_per_million_tokens,
           "serving_margin_last": b.serving_margin_usd_bn * 1e9,
           "spending_growth_per_year": result.spending_growth_per_year,
           "gpu_hours_growth_per_year": result.gpu_hours_growth_per_year,
           "spending_trend": spending_trend(result.spending_growth_per_year)}
    return VERDICT.text(ctx, format_table(PARAMS, ROWS, _FORMATS))
