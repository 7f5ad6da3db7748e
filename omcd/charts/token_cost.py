"""Website chart of the token-cost calculator, computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.token_cost` step by step; the parity test checks
them against the Python model at random inputs. The API price lists are data (from
``data/api_list_prices.csv``, RMB converted with ``data/exchange_rates.csv``), carried into the
chart as inline rows.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import load_table, scenario_values
from omcd.formats import Cmp, Fmt, Note, Shown
from omcd.models import token_cost as model

TITLE = "At rented-H100 costs, the cheapest Chinese API prices sit below the GPU cost of serving"
SUBTITLE = "Revenue per million output tokens (with their prompts) at list prices, against the GPU cost of serving them"
DESCRIPTION = (
    "Horizontal bar chart, logarithmic scale, of what six AI model API price lists earn per million "
    "output tokens, in US dollars, counting the input tokens that come with each answer: OpenAI o1, "
    "DeepSeek-R1, DeepSeek-V3, DeepSeek-V3.2-Exp, DeepSeek-V2 and Alibaba Qwen-Long (input price only). "
    "A vertical line marks the GPU cost of serving one million output tokens, computed from the cost "
    "of a GPU-hour, the throughput and the load. Bars below the cost are coloured red. A table "
    "gives the cost of serving and each price list's margin over it."
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
        rows.append(
            {
                "label": label,
                "input_usd": model.usd_per_million(by_type["input"], currency, rate),
                "output_usd": model.usd_per_million(by_type.get("output", 0.0), currency, rate),
                "currency": currency,
                "rate_month": rate_month,
                "rmb_per_usd": rate,
            }
        )
    return pd.DataFrame(rows)


_STEPS_COST = [
    ("output_tokens_per_gpu_hour", f"tokens_per_second_per_gpu * {model.SECONDS_PER_HOUR:g} * load_factor"),
    ("gpu_hours_per_million_tokens", "1000000 / datum.output_tokens_per_gpu_hour"),
    ("cost_per_million_output_tokens", "gpu_cost_usd_per_hour * datum.gpu_hours_per_million_tokens"),
]
_STEPS_PRICES = [
    ("revenue_per_million_output_tokens", "datum.output_usd + input_tokens_per_output_token * datum.input_usd"),
    (
        "margin_pct",
        "datum.revenue_per_million_output_tokens > 0 ? (datum.revenue_per_million_output_tokens"
        " - datum.cost_per_million_output_tokens) / datum.revenue_per_million_output_tokens : null",
    ),
    ("below_cost", "datum.revenue_per_million_output_tokens < datum.cost_per_million_output_tokens ? 1 : 0"),
    (
        "break_even_tokens_per_second",
        "datum.revenue_per_million_output_tokens > 0 ? gpu_cost_usd_per_hour * 1000000"
        f" / (datum.revenue_per_million_output_tokens * {model.SECONDS_PER_HOUR:g} * load_factor) : null",
    ),
]

V3_LABEL = "DeepSeek-V3 (Feb 2025)"


@functools.lru_cache(maxsize=1)
def _cards() -> tuple[dict, ...]:
    return tuple(price_cards().to_dict("records"))


def _results_steps() -> list[tuple[str, str]]:
    """The outputs in one row: the cost of serving, then each price list's revenue and margin."""
    steps = list(_STEPS_COST)
    below = []
    for i, card in enumerate(_cards()):
        revenue = f"revenue_{i}"
        steps += [
            (revenue, f"{card['output_usd']!r} + input_tokens_per_output_token * {card['input_usd']!r}"),
            (
                f"margin_pct_{i}",
                f"datum.{revenue} > 0 ? (datum.{revenue} - datum.cost_per_million_output_tokens)"
                f" / datum.{revenue} : null",
            ),
            (f"below_cost_{i}", f"datum.{revenue} < datum.cost_per_million_output_tokens ? 1 : 0"),
        ]
        below.append(f"datum.below_cost_{i}")
    v3 = [i for i, card in enumerate(_cards()) if card["label"] == V3_LABEL][0]
    steps += [
        ("price_lists_below_cost", " + ".join(below)),
        ("price_lists_shown", str(len(_cards()))),
        ("v3_revenue_per_gpu_hour", f"datum.revenue_{v3} * datum.output_tokens_per_gpu_hour / 1000000"),
    ]
    return steps


def outputs(inputs: Mapping[str, float]) -> dict[str, float | None]:
    """The model's outputs at ``inputs``, by name: the cost of serving and each price list's
    revenue, margin and whether it is below cost (what the results rows and the verdict read)."""
    result = model.evaluate(**inputs)
    out: dict[str, float | None] = result.as_dict()
    for i, card in enumerate(_cards()):
        c = model.compare(card["label"], card["input_usd"], card["output_usd"], **inputs)
        out[f"revenue_{i}"] = c.revenue_per_million_output_tokens
        out[f"margin_pct_{i}"] = c.margin_pct
        out[f"below_cost_{i}"] = float(c.below_cost)
    out["price_lists_below_cost"] = float(sum(out[f"below_cost_{i}"] for i in range(len(_cards()))))
    out["price_lists_shown"] = float(len(_cards()))
    v3 = [i for i, card in enumerate(_cards()) if card["label"] == V3_LABEL][0]
    out["v3_revenue_per_gpu_hour"] = out[f"revenue_{v3}"] * result.output_tokens_per_gpu_hour / 1e6
    return out


def rows() -> tuple[Shown, ...]:
    """The model's rows, the revenue per GPU-hour at DeepSeek-V3's prices, and each price list's
    margin over the GPU cost."""
    return (
        model.ROWS
        + (Shown("Revenue per GPU-hour at DeepSeek-V3 list prices", "v3_revenue_per_gpu_hour", Fmt("$,.2f")),)
        + tuple(
            Shown(
                f"Margin over GPU cost: {card['label']}",
                f"margin_pct_{i}",
                Fmt(".0%"),
                none="none: it charges nothing for output",
                notes=(Note(Cmp(f"below_cost_{i}", "==", 1), " (below cost)"),),
            )
            for i, card in enumerate(_cards())
        )
    )


def defaults() -> dict[str, float]:
    """The rented-H100 2025 scenario from ``data/token_cost_scenarios.csv``."""
    return scenario_values("token_cost", "h100_rented_2025")


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """Price bars (revenue per million output tokens) against the GPU-cost line."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)
    params = input_params(model.PARAMS, inputs)
    cards = price_cards()
    order = list(cards["label"])

    bars_data = calculate(
        alt.Chart(alt.Data(values=cards[["label", "input_usd", "output_usd"]].to_dict("records"), name="price_lists")),
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
            x=x,
            y=y,
            color=alt.Color(
                "verdict:N",
                title="List price",
                sort=["Below GPU cost", "Covers GPU cost"],
                scale=alt.Scale(domain=["Below GPU cost", "Covers GPU cost"], range=["#a50f15", "#1f4e79"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="Price list"),
                alt.Tooltip(
                    "revenue_per_million_output_tokens:Q", format="$,.2f", title="Revenue per million output tokens"
                ),
                alt.Tooltip("margin_pct:Q", format=".0%", title="Margin over GPU cost"),
            ],
        )
    )
    values_text = (
        bars_data.transform_filter("datum.revenue_per_million_output_tokens > 0")
        .transform_calculate(text="'$' + format(datum.revenue_per_million_output_tokens, ',.2f')")
        .mark_text(align="left", dx=4, fontSize=12, color="#000000")
        .encode(x=x, y=y, text="text:N")
    )

    cost = calculate(alt.Chart(alt.Data(values=[{"row": 1}], name="serving_cost")), _STEPS_COST)
    cost_rule = cost.mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(
        x=alt.X("cost_per_million_output_tokens:Q", title=X_TITLE, scale=x_scale)
    )
    cost_label = (
        cost.transform_calculate(text="'GPU cost $' + format(datum.cost_per_million_output_tokens, ',.2f')")
        .mark_text(align="left", dx=4, dy=-6, fontWeight="bold", color="#000000")
        .encode(
            x=alt.X("cost_per_million_output_tokens:Q", title=X_TITLE, scale=x_scale), y=alt.value(0), text="text:N"
        )
    )
    plot = alt.layer(
        bars.properties(name="prices"), values_text, cost_rule.properties(name="gpu_cost"), cost_label
    ).properties(width=480, height=36 * len(order), title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))

    return view(plot, params=params, description=DESCRIPTION)


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
        outputs=outputs,
        results_steps=_results_steps(),
        rows=rows(),
        verdict=model.VERDICT,
        results_title="Cost of serving at the chosen inputs, and each price list against it",
        # A GPU-hour so dear and so slow that every price list is below cost.
        edge_cases=({"gpu_cost_usd_per_hour": 15.0, "tokens_per_second_per_gpu": 10, "load_factor": 0.05},),
        checks=(
            ParityCheck(columns=tuple(model.TokenCostResult.__dataclass_fields__), expected=_expected_cost),
            ParityCheck(
                columns=(
                    "label",
                    "revenue_per_million_output_tokens",
                    "margin_pct",
                    "below_cost",
                    "break_even_tokens_per_second",
                ),
                expected=_expected_prices,
            ),
        ),
    )
)
