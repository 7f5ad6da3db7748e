"""Website chart of the token-cost calculator, computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.token_cost` step by step; the parity test checks
them against the Python model at random inputs. The API price lists are data (from
``data/api_list_prices.csv``, RMB converted with ``data/exchange_rates.csv``), carried into the
chart as inline rows.
"""

from __future__ import annotations

from typing import Mapping

import altair as alt
import pandas as pd

from omcd.charts._controls import bound_params, calculate, calculator_layout, results_table
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import load_table, scenario_values
from omcd.models import token_cost as model

TITLE = "At rented-H100 costs, the cheapest Chinese API prices sit below the GPU cost of serving"
SUBTITLE = ("Revenue per million output tokens (with their prompts) at list prices, against the GPU cost "
            "of serving them; move the sliders below the chart")
DESCRIPTION = (
    "Horizontal bar chart, logarithmic scale, of what six AI model API price lists earn per million "
    "output tokens, in US dollars, counting the input tokens that come with each answer: OpenAI o1, "
    "DeepSeek-R1, DeepSeek-V3, DeepSeek-V3.2-Exp, DeepSeek-V2 and Alibaba Qwen-Long (input price only). "
    "A vertical line marks the GPU cost of serving one million output tokens, computed from the cost "
    "of a GPU-hour, the throughput and the load. Bars below the cost are coloured red. A table below "
    "gives the cost and the throughput each price would need."
)
X_TITLE = "Revenue per million output tokens at list prices (USD, log scale)"
Y_TITLE = "API price list (model, date)"

#: The price lists shown: (provider, model, date) in data/api_list_prices.csv, and a short label.
SHOWN = [
    ("OpenAI", "o1", "2025-01", "OpenAI o1 (Jan 2025)"),
    ("DeepSeek", "DeepSeek-R1 (deepseek-reasoner)", "2025-01-20", "DeepSeek-R1 (Jan 2025)"),
    ("DeepSeek", "DeepSeek-V3 (deepseek-chat)", "2025-02-08", "DeepSeek-V3 (Feb 2025)"),
    ("DeepSeek", "DeepSeek-V3.2-Exp (deepseek-chat)", "2025-09-29", "DeepSeek-V3.2-Exp (Sep 2025)"),
    ("DeepSeek", "DeepSeek-V2", "2024-05-06", "DeepSeek-V2 (May 2024, RMB)"),
    ("Alibaba", "Qwen-Long", "2024-05-21", "Qwen-Long (May 2024, RMB, input price only)"),
]


def nearest_rate(month: str) -> tuple[str, float]:
    """The month of ``data/exchange_rates.csv`` nearest to ``month`` (YYYY-MM) and its RMB per USD."""
    rates = load_table("exchange_rates")
    y, m = (int(part) for part in month[:7].split("-"))
    distance = rates["month"].map(lambda s: abs((int(s[:4]) - y) * 12 + int(s[5:7]) - m))
    row = rates.loc[distance.idxmin()]
    return row["month"], float(row["rmb_per_usd"])


def price_cards() -> pd.DataFrame:
    """The shown price lists in USD per million tokens: label, input, output, currency, rate used."""
    prices = load_table("api_list_prices")
    rows = []
    for provider, name, date, label in SHOWN:
        sel = prices[(prices["provider"] == provider) & (prices["model"] == name) & (prices["date"] == date)]
        by_type = dict(zip(sel["price_type"], sel["price_per_million_tokens"]))
        (currency,) = set(sel["currency"])
        rate_month, rate = nearest_rate(date) if currency == "RMB" else ("", None)
        rows.append({
            "label": label,
            "input_usd": model.usd_per_million(by_type["input"], currency, rate),
            "output_usd": model.usd_per_million(by_type.get("output", 0.0), currency, rate),
            "currency": currency,
            "rate_month": rate_month,
            "rmb_per_usd": rate,
        })
    return pd.DataFrame(rows)


_STEPS_COST = [
    ("output_tokens_per_gpu_hour", f"tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g} * load_factor"),
    ("gpu_hours_per_million_tokens", "1000000 / datum.output_tokens_per_gpu_hour"),
    ("cost_per_million_output_tokens", "gpu_cost_usd_per_hour * datum.gpu_hours_per_million_tokens"),
]
_STEPS_PRICES = [
    ("revenue_per_million_output_tokens", "datum.output_usd + input_tokens_per_output_token * datum.input_usd"),
    ("margin_pct",
     "datum.revenue_per_million_output_tokens > 0 ? (datum.revenue_per_million_output_tokens"
     " - datum.cost_per_million_output_tokens) / datum.revenue_per_million_output_tokens : null"),
    ("below_cost", "datum.revenue_per_million_output_tokens < datum.cost_per_million_output_tokens ? 1 : 0"),
    ("break_even_tokens_per_second",
     "datum.revenue_per_million_output_tokens > 0 ? gpu_cost_usd_per_hour * 1000000"
     f" / (datum.revenue_per_million_output_tokens * {model.SECONDS_PER_HOUR:g} * load_factor) : null"),
]

_TABLE_ROWS = [
    ("GPU cost per million output tokens", "'$' + format(datum.cost_per_million_output_tokens, ',.2f')"),
    ("GPU-hours per million output tokens", "format(datum.gpu_hours_per_million_tokens, ',.2f')"),
    ("Output tokens per GPU-hour (at average load)", "format(datum.output_tokens_per_gpu_hour, ',.0f')"),
    ("Revenue per GPU-hour at DeepSeek-V3 list prices",
     "'$' + format(datum.v3_revenue * datum.output_tokens_per_gpu_hour / 1000000, ',.2f')"),
]



def defaults() -> dict[str, float]:
    """The rented-H100 2025 scenario from ``data/token_cost_scenarios.csv``."""
    return scenario_values("token_cost", "h100_rented_2025")


def site_chart(values: Mapping[str, float] | None = None) -> alt.VConcatChart:
    """Sliders, price bars against the cost line, and a results table, as one Vega-Lite spec."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)
    params = bound_params(model.PARAMS, inputs)
    cards = price_cards()
    order = list(cards["label"])

    bars_data = calculate(
        alt.Chart(alt.Data(values=cards[["label", "input_usd", "output_usd"]].to_dict("records"),
                           name="price_lists")),
        _STEPS_COST + _STEPS_PRICES,
    )
    x_scale = alt.Scale(type="log", domain=[0.1, 500], clamp=True)
    x = alt.X("revenue_per_million_output_tokens:Q", title=X_TITLE, scale=x_scale)
    y = alt.Y("label:N", title=Y_TITLE, sort=order, axis=alt.Axis(labelLimit=320))
    bars = (
        bars_data.transform_filter("datum.revenue_per_million_output_tokens > 0")
        .transform_calculate(verdict="datum.below_cost == 1 ? 'Below GPU cost' : 'Covers GPU cost'")
        .mark_bar()
        .encode(
            x=x, y=y,
            color=alt.Color("verdict:N", title="List price", sort=["Below GPU cost", "Covers GPU cost"],
                            scale=alt.Scale(domain=["Below GPU cost", "Covers GPU cost"],
                                            range=["#a50f15", "#1f4e79"]),
                            legend=alt.Legend(orient="bottom")),
            tooltip=[alt.Tooltip("label:N", title="Price list"),
                     alt.Tooltip("revenue_per_million_output_tokens:Q", format="$,.2f",
                                 title="Revenue per million output tokens"),
                     alt.Tooltip("margin_pct:Q", format=".0%", title="Margin over GPU cost")],
        )
    )
    values_text = bars_data.transform_filter("datum.revenue_per_million_output_tokens > 0").transform_calculate(
        text="'$' + format(datum.revenue_per_million_output_tokens, ',.2f')"
    ).mark_text(align="left", dx=4, fontSize=12, color="#000000").encode(x=x, y=y, text="text:N")

    cost = calculate(alt.Chart(alt.Data(values=[{"row": 1}], name="serving_cost")), _STEPS_COST)
    cost_rule = cost.mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(
        x=alt.X("cost_per_million_output_tokens:Q", title=X_TITLE, scale=x_scale))
    cost_label = cost.transform_calculate(
        text="'GPU cost $' + format(datum.cost_per_million_output_tokens, ',.2f')"
    ).mark_text(align="left", dx=4, dy=-6, fontWeight="bold", color="#000000").encode(
        x=alt.X("cost_per_million_output_tokens:Q", title=X_TITLE, scale=x_scale), y=alt.value(0),
        text="text:N")
    plot = alt.layer(bars, values_text, cost_rule, cost_label).properties(
        width=480, height=36 * len(order), title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))

    v3 = cards.loc[cards["label"] == "DeepSeek-V3 (Feb 2025)"].iloc[0]
    table_base = cost.transform_calculate(
        v3_revenue=f"{float(v3['output_usd'])!r} + input_tokens_per_output_token * {float(v3['input_usd'])!r}"
    )
    table = results_table(table_base, _TABLE_ROWS, "Cost of serving at the chosen inputs", value_x=340)

    return calculator_layout(plot, table, params=params, description=DESCRIPTION)


def _expected_cost(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float]:
    return model.evaluate(**inputs).as_dict()


def _expected_prices(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    c = model.compare(str(row["label"]), float(row["input_usd"]), float(row["output_usd"]), **inputs)
    return {
        **model.evaluate(**inputs).as_dict(),
        "revenue_per_million_output_tokens": c.revenue_per_million_output_tokens,
        "margin_pct": c.margin_pct,
        "below_cost": float(c.below_cost),
        "break_even_tokens_per_second": c.break_even_tokens_per_second,
    }


CALCULATOR = register(
    SiteCalculator(
        name="token_cost",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        checks=(
            ParityCheck(columns=tuple(model.TokenCostResult.__dataclass_fields__), expected=_expected_cost),
            ParityCheck(columns=("label", "revenue_per_million_output_tokens", "margin_pct", "below_cost",
                                 "break_even_tokens_per_second"), expected=_expected_prices),
        ),
    )
)
