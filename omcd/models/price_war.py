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

Two years the reader needs are found on the path:

* the first year the price is below the GPU cost of serving (``P_t < c_t``, so the serving margin
  ``Q_t (P_t - c_t) / 1000`` is negative); ``P_t / c_t`` changes by ``f g`` a year, so once below,
  the price stays below when ``f g <= 1``;
* the first year the price has fallen more than :data:`OBSERVED_PRICE_FALL` times from year 0: the
  largest fall of a fixed capability's price on record (about 1,000-fold in three years, a16z).
  A constant elasticity is at best measured over the prices seen so far; beyond that range the
  demand it gives is an extrapolation, which the page says.

Both comparisons allow a relative :data:`CROSSING_TOLERANCE`, so that rounding cannot move a year
that sits exactly on the line.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

from omcd.formats import USD_WORDS, Any_, Case, Cmp, Fmt, IsNone, Note, Sentence, Shown, Verdict, small_prices
from omcd.params import Param, validate

SECONDS_PER_HOUR = 3600.0
MAX_YEARS = 10

PARAMS: tuple[Param, ...] = (
    Param(
        "start_price_usd_per_million_tokens", "Starting price", "USD per million tokens", 0.05, 100, 0.05, fmt="$,.2f"
    ),
    Param("price_factor_per_year", "Price factor per year (0.1 = tenfold fall)", "ratio", 0.01, 1, 0.01, fmt=".2f"),
    Param("elasticity", "Price elasticity of demand for tokens", "ratio", 0.1, 3, 0.05, fmt=".2f"),
    Param("years", "Years", "years", 1, MAX_YEARS, 1, integer=True, fmt=".0f"),
    Param(
        "start_tokens_trillion_per_year",
        "Tokens demanded in year 0",
        "trillion tokens per year",
        1,
        1000,
        1,
        fmt=",.0f",
    ),
    Param(
        "tokens_per_second_per_gpu", "GPU throughput in year 0", "tokens per second per GPU", 10, 20_000, 10, fmt=",.0f"
    ),
    Param("throughput_growth_per_year", "Throughput gain per year (1 = none)", "ratio", 1, 20, 0.1, fmt=".1f"),
    Param("price_usd_per_gpu_hour", "GPU rental price", "USD per GPU-hour", 0.25, 15, 0.05, fmt="$.2f"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

#: The largest fall of a fixed capability's price on record in data/inference_price_trends.csv:
#: USD 60 (GPT-3, Nov 2021) to USD 0.06 (Llama 3.2 3B, Nov 2024) per million tokens, 1,000-fold in
#: three years (Guido Appenzeller, "LLMflation", a16z, 12 November 2024). A test keeps the two equal.
OBSERVED_PRICE_FALL = 1000.0
#: Relative tolerance of the two crossings (price below cost; price beyond the observed fall).
CROSSING_TOLERANCE = 1e-9
#: Shown quantities are held within plus or minus this bound (in their base units: USD, GPU-hours,
#: trillion tokens, multiples), with "or more" after them: at the extremes of the sliders (prices
#: falling 100-fold a year for ten years at an elasticity of 3) demand grows 10^60-fold, beyond
#: any meaning and beyond what a browser writes in digits (it switches to exponents at 10^21).
DISPLAY_BOUND = 1e30

# The helpers' own inputs, with the ranges the model can give them.
_P, _T, _F, _G = (
    PARAM_BY_NAME[n]
    for n in (
        "start_price_usd_per_million_tokens",
        "tokens_per_second_per_gpu",
        "price_factor_per_year",
        "throughput_growth_per_year",
    )
)
_PRICE = replace(_P, name="price", minimum=_P.minimum * _F.minimum**MAX_YEARS)
_THROUGHPUT = replace(_T, minimum=_T.minimum, maximum=_T.maximum * _G.maximum**MAX_YEARS)
_YEAR = Param("t", "Year", "years", 0, MAX_YEARS, 1, integer=True, fmt=".0f")
_SPENDING_GROWTH = Param(
    "spending_growth_per_year",
    "Yearly factor of spending",
    "ratio",
    _F.minimum ** (1 - PARAM_BY_NAME["elasticity"].minimum),
    _F.minimum ** (1 - PARAM_BY_NAME["elasticity"].maximum),
    0.01,
)


def _check(name: str, value: object, like: Param) -> float:
    """``value`` checked against ``like``'s range, the error naming the argument ``name``."""
    return replace(like, name=name).check(value)


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
    #: First year the price is below the GPU cost of serving (a negative serving margin); None if never.
    first_loss_year: int | None = None
    #: First year the price is more than OBSERVED_PRICE_FALL times below year 0's; None if never.
    extrapolated_from_year: int | None = None

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
    p0 = _check("start_price", start_price, _P)
    q0 = _check("start_tokens", start_tokens, PARAM_BY_NAME["start_tokens_trillion_per_year"])
    e = _check("elasticity", elasticity, PARAM_BY_NAME["elasticity"])
    return q0 * p0**e


def tokens_demanded(price: float, start_price: float, start_tokens: float, elasticity: float) -> float:
    """Tokens demanded (trillion a year) at ``price``: ``Q0 (P / P0)^(-e)``."""
    p = _check("price", price, _PRICE)
    p0 = _check("start_price", start_price, _P)
    q0 = _check("start_tokens", start_tokens, PARAM_BY_NAME["start_tokens_trillion_per_year"])
    e = _check("elasticity", elasticity, PARAM_BY_NAME["elasticity"])
    return q0 * (p / p0) ** -e


def serving_cost_per_million_tokens(price_usd_per_gpu_hour: float, tokens_per_second_per_gpu: float) -> float:
    """GPU cost of serving a million tokens (USD): ``h / (T 3600) 1e6``."""
    h = _check("price_usd_per_gpu_hour", price_usd_per_gpu_hour, PARAM_BY_NAME["price_usd_per_gpu_hour"])
    throughput = _check("tokens_per_second_per_gpu", tokens_per_second_per_gpu, _THROUGHPUT)
    return h / (throughput * SECONDS_PER_HOUR) * 1e6


def year_row(t: int, x: dict[str, float]) -> YearRow:
    """Every quantity of year ``t`` (0 to 10) at inputs ``x``."""
    t = int(_check("t", t, _YEAR))
    x = validate(PARAMS, x)
    return _year_row(t, x)


def _year_row(t: int, x: dict[str, float]) -> YearRow:
    p0, f, e = x["start_price_usd_per_million_tokens"], x["price_factor_per_year"], x["elasticity"]
    q0, t0, g, h = (
        x["start_tokens_trillion_per_year"],
        x["tokens_per_second_per_gpu"],
        x["throughput_growth_per_year"],
        x["price_usd_per_gpu_hour"],
    )
    price = p0 * f**t
    tokens = tokens_demanded(price, p0, q0, e)
    spending = price * tokens / 1000
    throughput = t0 * g**t
    gpu_hours = tokens * 1e6 / (throughput * SECONDS_PER_HOUR)
    cloud = gpu_hours * h / 1000
    spending_0 = p0 * q0 / 1000
    gpu_hours_0 = q0 * 1e6 / (t0 * SECONDS_PER_HOUR)
    return YearRow(
        year=t,
        price_usd_per_million_tokens=price,
        tokens_trillion=tokens,
        spending_usd_bn=spending,
        throughput_tokens_per_second=throughput,
        gpu_hours_million=gpu_hours,
        cloud_spend_usd_bn=cloud,
        serving_cost_usd_per_million_tokens=serving_cost_per_million_tokens(h, throughput),
        serving_margin_usd_bn=spending - cloud,
        price_index=price / p0,
        tokens_index=tokens / q0,
        spending_index=spending / spending_0,
        gpu_hours_index=gpu_hours / gpu_hours_0,
    )


def below_cost(row: YearRow) -> bool:
    """The year's price is below its GPU cost of serving (beyond :data:`CROSSING_TOLERANCE`)."""
    if not isinstance(row, YearRow):
        raise ValueError(f"row must be a YearRow of price_war.evaluate; got {type(row).__name__}.")
    return row.price_usd_per_million_tokens < row.serving_cost_usd_per_million_tokens * (1 - CROSSING_TOLERANCE)


def beyond_observed_fall(row: YearRow) -> bool:
    """The year's price is more than :data:`OBSERVED_PRICE_FALL` times below year 0's (beyond
    :data:`CROSSING_TOLERANCE`)."""
    if not isinstance(row, YearRow):
        raise ValueError(f"row must be a YearRow of price_war.evaluate; got {type(row).__name__}.")
    return row.price_index < (1 / OBSERVED_PRICE_FALL) * (1 - CROSSING_TOLERANCE)


def observed_range_ends_at(price_factor_per_year: float) -> float | None:
    """The time (years, not necessarily whole) at which the price has fallen
    :data:`OBSERVED_PRICE_FALL` times: ``ln(fall) / ln(1/f)``; None when prices do not fall."""
    f = _check("price_factor_per_year", price_factor_per_year, _F)
    return math.log(OBSERVED_PRICE_FALL) / math.log(1 / f) if f < 1 else None


def evaluate(**inputs: float) -> PriceWarResult:
    """The price war year by year; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    f, e, g = x["price_factor_per_year"], x["elasticity"], x["throughput_growth_per_year"]
    rows = tuple(_year_row(t, x) for t in range(int(x["years"]) + 1))
    threshold = math.log(g) / math.log(1 / f) if f < 1 else None
    return PriceWarResult(
        rows=rows,
        spending_growth_per_year=f ** (1 - e),
        gpu_hours_growth_per_year=f**-e / g,
        gpu_hours_elasticity_threshold=threshold,
        first_loss_year=next((r.year for r in rows if below_cost(r)), None),
        extrapolated_from_year=next((r.year for r in rows if beyond_observed_fall(r)), None),
    )


#: Spending is called flat when its yearly factor is within this distance of 1.
FLAT_TOLERANCE = 1e-12


def spending_trend(spending_growth_per_year: float) -> int:
    """+1 when spending on tokens grows year by year, -1 when it shrinks, 0 when it stays flat
    (its yearly factor within :data:`FLAT_TOLERANCE` of 1)."""
    s = _check("spending_growth_per_year", spending_growth_per_year, _SPENDING_GROWTH)
    if abs(s - 1.0) <= FLAT_TOLERANCE:
        return 0
    return 1 if s > 1 else -1


def bounded(value: float) -> float:
    """``value`` held within plus or minus :data:`DISPLAY_BOUND` (what the page shows)."""
    x = _check("value", value, Param("value", "Value", "", -math.inf, math.inf, 1))
    return x if abs(x) <= DISPLAY_BOUND else math.copysign(DISPLAY_BOUND, x)


#: The outputs that can grow without limit at the sliders' extremes, held within DISPLAY_BOUND.
BOUNDED = (
    "tokens_last",
    "spending_last",
    "gpu_hours_last",
    "cloud_last",
    "serving_margin_last",
    "tokens_multiple_last",
    "loss_margin",
)


def _context(result: PriceWarResult) -> dict[str, float | None]:
    """Every output of a result, by name, in base units (tokens in trillions, GPU-hours, US dollars)."""
    r = result
    out: dict[str, float | None] = {}
    for when, row in (("first", r.first), ("last", r.last)):
        out[f"price_{when}"] = row.price_usd_per_million_tokens
        out[f"tokens_{when}"] = row.tokens_trillion
        out[f"spending_{when}"] = row.spending_usd_bn * 1e9
        out[f"gpu_hours_{when}"] = row.gpu_hours_million * 1e6
        out[f"cloud_{when}"] = row.cloud_spend_usd_bn * 1e9
        out[f"serving_margin_{when}"] = row.serving_margin_usd_bn * 1e9
    out["serving_cost_last"] = r.last.serving_cost_usd_per_million_tokens
    out["tokens_multiple_last"] = r.last.tokens_index
    out["spending_growth_per_year"] = r.spending_growth_per_year
    out["gpu_hours_growth_per_year"] = r.gpu_hours_growth_per_year
    out["gpu_hours_elasticity_threshold"] = r.gpu_hours_elasticity_threshold
    out["spending_trend"] = float(spending_trend(r.spending_growth_per_year))
    # GPU-hours and spending grow at the same pace (the two lines of the chart coincide) when
    # the throughput gain equals the price cut, g = 1/f.
    out["same_pace"] = float(abs(r.gpu_hours_growth_per_year / r.spending_growth_per_year - 1) <= CROSSING_TOLERANCE)
    loss = None if r.first_loss_year is None else r.rows[r.first_loss_year]
    out["loss_year"] = None if loss is None else float(loss.year)
    out["loss_price"] = None if loss is None else loss.price_usd_per_million_tokens
    out["loss_serving_cost"] = None if loss is None else loss.serving_cost_usd_per_million_tokens
    out["loss_margin"] = None if loss is None else loss.serving_margin_usd_bn * 1e9
    out["extrapolated_from_year"] = None if r.extrapolated_from_year is None else float(r.extrapolated_from_year)
    out["beyond_display"] = float(any(out[k] is not None and abs(out[k]) > DISPLAY_BOUND for k in BOUNDED))
    for k in BOUNDED:
        out[k] = None if out[k] is None else bounded(out[k])
    return out


def outputs(inputs) -> dict[str, float | None]:
    """Year 0 and the last year, the first year of a loss and the first year beyond the observed
    price range, and the yearly growth factors, by name (what the results rows and the verdict
    read), in base units (tokens in trillions, GPU-hours, US dollars)."""
    return _context(evaluate(**inputs))


PRICE = small_prices()
TOKENS = Fmt("words", " trillion tokens")
GPU_HOURS = Fmt("words", " GPU-hours")
FACTOR = Fmt(",.2f")
YEAR = Fmt(".0f")
MULTIPLE = Fmt("words")
_FALL = f"{OBSERVED_PRICE_FALL:,.0f}"


#: The results a reader reads: year 0 and the last year of the horizon, the sellers' margin and
#: the first year it is negative, and where the model leaves the observed range of prices.
def _held(*fields: str) -> tuple[Note, ...]:
    """A note on a row whose value sits at the display bound."""
    return (
        Note(
            Any_(*(Cmp(f, ">=", DISPLAY_BOUND) for f in fields), *(Cmp(f, "<=", -DISPLAY_BOUND) for f in fields)),
            " (held at the display bound: the model gives more)",
        ),
    )


ROWS: tuple[Shown, ...] = (
    Shown("Price, year 0 → last year", "price_last", template="{price_first} → {price_last}"),
    Shown(
        "Tokens demanded a year", "tokens_last", template="{tokens_first} → {tokens_last}", notes=_held("tokens_last")
    ),
    Shown(
        "Spending on tokens a year",
        "spending_last",
        template="{spending_first} → {spending_last} (×{spending_growth_per_year} a year)",
        notes=_held("spending_last"),
    ),
    Shown(
        "GPU-hours needed a year",
        "gpu_hours_last",
        template="{gpu_hours_first} → {gpu_hours_last} (×{gpu_hours_growth_per_year} a year)",
        notes=(
            Note(Cmp("same_pace", "==", 1), " (the same pace as spending: the two lines coincide)"),
            *_held("gpu_hours_last"),
        ),
    ),
    Shown(
        "Cloud spending on GPUs a year",
        "cloud_last",
        template="{cloud_first} → {cloud_last}",
        notes=_held("cloud_last"),
    ),
    Shown(
        "Serving margin of token sellers a year",
        "serving_margin_last",
        template="{serving_margin_first} → {serving_margin_last}",
        notes=_held("serving_margin_last"),
    ),
    Shown(
        "First year the price is below the GPU cost of serving",
        "loss_year",
        template="year {loss_year}: {loss_price} against {loss_serving_cost}; margin {loss_margin}",
        none="none within the horizon",
        notes=_held("loss_margin"),
    ),
    Shown(
        "GPU cost of serving, last year",
        "serving_cost_last",
        PRICE,
        notes=(
            Note(Cmp("serving_cost_last", ">", "price_last"), " (above the price: a loss)"),
            Note(Cmp("serving_cost_last", "<=", "price_last"), " (below the price)"),
        ),
    ),
    Shown(
        "GPU-hours grow when elasticity is above",
        "gpu_hours_elasticity_threshold",
        Fmt(".2f"),
        none="none: prices do not fall",
    ),
    Shown(
        f"Price more than {_FALL} times below year 0's (beyond any fall observed)",
        "extrapolated_from_year",
        template="from year {extrapolated_from_year}: demand extrapolated",
        none="no: within the observed range",
    ),
)

_FORMATS = {
    "price_first": PRICE,
    "price_last": PRICE,
    "tokens_first": TOKENS,
    "tokens_last": TOKENS,
    "spending_first": USD_WORDS,
    "spending_last": USD_WORDS,
    "cloud_first": USD_WORDS,
    "cloud_last": USD_WORDS,
    "gpu_hours_first": GPU_HOURS,
    "gpu_hours_last": GPU_HOURS,
    "spending_growth_per_year": FACTOR,
    "gpu_hours_growth_per_year": FACTOR,
    "serving_margin_first": USD_WORDS,
    "serving_margin_last": USD_WORDS,
    "loss_year": YEAR,
    "loss_price": PRICE,
    "loss_serving_cost": PRICE,
    "loss_margin": USD_WORDS,
    "extrapolated_from_year": YEAR,
    "tokens_multiple_last": MULTIPLE,
}

#: The plain-language reading, for a manager.
VERDICT = Verdict(
    (
        Sentence(
            Case(
                Cmp("price_factor_per_year", "==", 1),
                "Prices do not fall, so the tokens demanded and spending on them stay where they are.",
            ),
            Case(
                Cmp("spending_trend", "==", 0),
                "With elasticity {elasticity}, spending on tokens stays flat: the price cuts are exactly offset.",
            ),
            Case(
                Cmp("spending_trend", "==", 1),
                "With elasticity {elasticity} (above 1), every price cut raises spending on tokens: "
                "×{spending_growth_per_year} a year, from {spending_first} to {spending_last} in {years} "
                "(Jevons' paradox).",
            ),
            "With elasticity {elasticity} (below 1), price cuts shrink spending on tokens: "
            "×{spending_growth_per_year} a year, from {spending_first} to {spending_last} in {years}.",
        ),
        Sentence(
            Case(
                Cmp("same_pace", "==", 1),
                "GPU-hours needed change at the same pace as spending, from {gpu_hours_first} to "
                "{gpu_hours_last}: serving gets more efficient exactly as fast as the price falls.",
            ),
            "GPU-hours needed go from {gpu_hours_first} to {gpu_hours_last} (×{gpu_hours_growth_per_year} a year).",
        ),
        Sentence(
            Case(IsNone("loss_year"), "Token sellers cover their GPU bill every year."),
            Case(
                Cmp("serving_margin_last", "<", 0),
                "From year {loss_year} the price is below the GPU cost of serving (in the last year {price_last} "
                "against {serving_cost_last}): token sellers lose money, the GPU owner still gets paid.",
            ),
            "The price starts below the GPU cost of serving, but serving gets cheaper faster than the price "
            "falls: by the last year token sellers cover their GPU bill.",
        ),
        Sentence(
            Case(IsNone("extrapolated_from_year"), ""),
            f"A caution: from year {{extrapolated_from_year}} the price is more than {_FALL} times below year 0's, "
            "a larger fall than any observed for a fixed capability (about 1,000-fold in three years, a16z, "
            "November 2024). One constant elasticity is then an extrapolation, not evidence: by the last year it "
            "asks for {tokens_multiple_last} times year 0's tokens.",
        ),
        Sentence(
            Case(
                Cmp("beyond_display", "==", 1),
                "Some numbers exceed 10^30 and are held at that bound: at these inputs the model has left "
                "any meaning far behind.",
            ),
            "",
        ),
    ),
    formats=_FORMATS,
)


def reading(inputs) -> str:
    """The verdict at ``inputs`` (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    x = validate(PARAMS, inputs)
    return VERDICT.text({**x, **outputs(x)}, format_table(PARAMS, ROWS, _FORMATS))


def summary(result: PriceWarResult, elasticity: float) -> str:
    """Plain-language reading of a result, for a manager (kept for the notebooks; see :func:`reading`)."""
    from omcd.formats import format_table

    if not isinstance(result, PriceWarResult):
        raise ValueError(f"result must be what price_war.evaluate returns; got {type(result).__name__}.")
    e = _check("elasticity", elasticity, PARAM_BY_NAME["elasticity"])
    f = result.rows[1].price_index if len(result.rows) > 1 else 1.0
    ctx = {**_context(result), "elasticity": e, "years": float(result.last.year), "price_factor_per_year": f}
    return VERDICT.text(ctx, format_table(PARAMS, ROWS, _FORMATS))
