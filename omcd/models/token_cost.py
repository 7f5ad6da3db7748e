"""What does a million tokens cost to serve? GPU-hour cost and throughput against API list prices.

The business: an API provider pays for GPU-hours (renting them, or owning them at a cost per
hour such as the GPU-cluster calculator's). Each GPU produces output tokens at a peak rate, but
on average only a share of that peak is used (demand varies over the day; latency targets limit
batching). Each answer also needs its prompt read: the throughput is measured for a workload
with a given number of input tokens per output token, and the customer pays for both.

Money in US dollars; "per million" means per million **output** tokens, with the prompt tokens
that come with them.

Formulas (``c`` cost per GPU-hour, ``s`` peak output tokens per second per GPU, ``l`` load,
``k`` input tokens per output token):

* output tokens per GPU-hour     ``T = s * 3600 * l``
* GPU-hours per million tokens   ``G = 1e6 / T``
* cost per million output tokens ``C = c * G``
* revenue per million output tokens at list prices (USD per million):
  ``R = p_out + k * p_in`` (the output price plus the input tokens that come with them)
* margin in percent of revenue   ``(R - C) / R``; none when ``R = 0``
* below cost                     ``R < C``
* break-even throughput          ``s* = c * 1e6 / (R * 3600 * l)`` output tokens per second per
  GPU at which the price list just covers the GPU cost; none when ``R = 0``

Valid ranges are in :data:`PARAMS`. Only the GPU cost is counted: staff, research, training,
free users and the rest of the data centre are not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from omcd.formats import Case, Cmp, Fmt, Sentence, Shown, Verdict
from omcd.params import Param, validate

SECONDS_PER_HOUR = 3600.0
TOKENS_PER_MILLION = 1_000_000.0

PARAMS: tuple[Param, ...] = (
    Param(
        "gpu_cost_usd_per_hour", "Cost of one GPU-hour (rent or own)", "USD per GPU-hour", 0.25, 15.0, 0.05, fmt="$.2f"
    ),
    Param(
        "tokens_per_second_per_gpu",
        "Peak throughput",
        "output tokens per second per GPU",
        10,
        20_000,
        1,
        integer=True,
        fmt=",.0f",
    ),
    Param("load_factor", "Average load (share of peak throughput used)", "share", 0.05, 1.0, 0.01, fmt=".0%"),
    Param("input_tokens_per_output_token", "Input tokens per output token", "ratio", 0.0, 50.0, 0.01, fmt=".2f"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

#: Arguments of the helper functions that are not calculator inputs, with their valid ranges.
_PRICE_IN = Param("input_usd_per_million", "Input price", "USD per million tokens", 0.0, 10_000.0, 0.01)
_PRICE_OUT = Param("output_usd_per_million", "Output price", "USD per million tokens", 0.0, 10_000.0, 0.01)
_LIST_PRICE = Param("price", "List price", "per million tokens, in its currency", 0.0, 100_000.0, 0.01)
_RATE = Param("rmb_per_usd", "Exchange rate", "RMB per USD", 0.1, 100.0, 0.0001)


@dataclass(frozen=True)
class TokenCostResult:
    """Cost of serving, per GPU-hour and per million output tokens (USD)."""

    output_tokens_per_gpu_hour: float
    gpu_hours_per_million_tokens: float
    cost_per_million_output_tokens: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class PriceComparison:
    """One API price list against the cost of serving. ``None``: the quantity does not exist."""

    label: str
    revenue_per_million_output_tokens: float
    #: None when the price list earns nothing (revenue zero).
    margin_pct: float | None
    below_cost: bool
    #: None when the price list earns nothing: no throughput can cover the cost.
    break_even_tokens_per_second: float | None

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def output_tokens_per_gpu_hour(tokens_per_second_per_gpu: float, load_factor: float) -> float:
    """Output tokens one GPU produces in an hour at the average load: ``s * 3600 * l``."""
    return (
        PARAM_BY_NAME["tokens_per_second_per_gpu"].check(tokens_per_second_per_gpu)
        * SECONDS_PER_HOUR
        * PARAM_BY_NAME["load_factor"].check(load_factor)
    )


def cost_per_million_output_tokens(
    gpu_cost_usd_per_hour: float, tokens_per_second_per_gpu: float, load_factor: float
) -> float:
    """GPU cost of one million output tokens (USD): ``c * 1e6 / (s * 3600 * l)``."""
    cost = PARAM_BY_NAME["gpu_cost_usd_per_hour"].check(gpu_cost_usd_per_hour)
    return cost * (TOKENS_PER_MILLION / output_tokens_per_gpu_hour(tokens_per_second_per_gpu, load_factor))


def revenue_per_million_output_tokens(
    input_usd_per_million: float, output_usd_per_million: float, input_tokens_per_output_token: float
) -> float:
    """What a price list earns per million output tokens with their prompts: ``p_out + k * p_in``.

    Prices in USD per million tokens, both >= 0; ``k`` input tokens per output token, >= 0.
    """
    price_in, price_out = _PRICE_IN.check(input_usd_per_million), _PRICE_OUT.check(output_usd_per_million)
    k = PARAM_BY_NAME["input_tokens_per_output_token"].check(input_tokens_per_output_token)
    return price_out + k * price_in


def usd_per_million(price: float, currency: str, rmb_per_usd: float | None = None) -> float:
    """A list price in USD: USD prices unchanged, RMB prices divided by ``rmb_per_usd``."""
    if currency not in ("USD", "RMB"):
        raise ValueError(f"currency must be 'USD' or 'RMB'; got {currency!r}.")
    amount = _LIST_PRICE.check(price)
    rate = None if rmb_per_usd is None else _RATE.check(rmb_per_usd)
    if currency == "USD":
        return amount
    if rate is None:
        raise ValueError(f"rmb_per_usd is needed to convert RMB ({_RATE.range_text}); got None.")
    return amount / rate


def evaluate(**inputs: float) -> TokenCostResult:
    """Cost per million output tokens; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    tokens_hour = output_tokens_per_gpu_hour(x["tokens_per_second_per_gpu"], x["load_factor"])
    gpu_hours = TOKENS_PER_MILLION / tokens_hour
    return TokenCostResult(
        output_tokens_per_gpu_hour=tokens_hour,
        gpu_hours_per_million_tokens=gpu_hours,
        cost_per_million_output_tokens=x["gpu_cost_usd_per_hour"] * gpu_hours,
    )


def compare(
    label: str, input_usd_per_million: float, output_usd_per_million: float, **inputs: float
) -> PriceComparison:
    """One price list (USD per million input and output tokens) against the cost of serving."""
    if not isinstance(label, str):
        raise ValueError(f"label must be the price list's name, a string; got {label!r}.")
    x = validate(PARAMS, inputs)
    cost = evaluate(**x).cost_per_million_output_tokens
    revenue = revenue_per_million_output_tokens(
        input_usd_per_million, output_usd_per_million, x["input_tokens_per_output_token"]
    )
    earns = revenue > 0
    return PriceComparison(
        label=label,
        revenue_per_million_output_tokens=revenue,
        margin_pct=(revenue - cost) / revenue if earns else None,
        below_cost=revenue < cost,
        break_even_tokens_per_second=(
            x["gpu_cost_usd_per_hour"] * TOKENS_PER_MILLION / (revenue * SECONDS_PER_HOUR * x["load_factor"])
            if earns
            else None
        ),
    )


#: The results a reader reads, before one row per API price list (added by the chart module,
#: which reads the price lists from data/).
ROWS: tuple[Shown, ...] = (
    Shown("GPU cost per million output tokens", "cost_per_million_output_tokens", Fmt("$,.2f")),
    Shown("GPU-hours per million output tokens", "gpu_hours_per_million_tokens", Fmt(",.2f")),
    Shown("Output tokens per GPU-hour (at average load)", "output_tokens_per_gpu_hour", Fmt(",.0f")),
)

#: The plain-language reading; ``price_lists_below_cost`` and ``price_lists_shown`` count the
#: price lists compared (see :mod:`omcd.charts.token_cost`).
VERDICT = Verdict(
    (
        Sentence(
            "Serving one million output tokens (with their prompts) costs {cost_per_million_output_tokens} "
            "of GPU time ({gpu_hours_per_million_tokens} GPU-hours)."
        ),
        Sentence(
            Case(Cmp("price_lists_below_cost", "==", 0), "Every price list shown covers that GPU cost."),
            Case(Cmp("price_lists_below_cost", "==", 1), "One price list shown is below it (in red)."),
            Case(
                Cmp("price_lists_below_cost", "==", "price_lists_shown"),
                "All {price_lists_shown} price lists shown are below it.",
            ),
            "{price_lists_below_cost} of the {price_lists_shown} price lists shown are below it (in red).",
        ),
    ),
    formats={"price_lists_below_cost": Fmt(",.0f"), "price_lists_shown": Fmt(",.0f")},
)


def summary(result: TokenCostResult, comparisons: list[PriceComparison]) -> str:
    """Plain-language reading for a manager (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    if not isinstance(result, TokenCostResult):
        raise ValueError(f"result must be a TokenCostResult from evaluate(); got {type(result).__name__}.")
    if isinstance(comparisons, (str, bytes)) or not all(isinstance(c, PriceComparison) for c in comparisons):
        raise ValueError("comparisons must be a list of PriceComparison from compare().")
    ctx = {
        **result.as_dict(),
        "price_lists_below_cost": sum(c.below_cost for c in comparisons),
        "price_lists_shown": len(comparisons),
    }
    return VERDICT.text(ctx, format_table(PARAMS, ROWS))
