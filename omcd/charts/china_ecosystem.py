"""Static evidence charts of chapter 2 (China's competitive AI ecosystem), drawn from data/.

These charts have no sliders and no model: they show sourced figures. They are not registered
as calculators (nothing to check against a model); the notebooks show them with
:func:`omcd.display.site_chart`. Every figure comes from a table in ``data/`` with its source.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from omcd.charts import date_domain
from omcd.data import load_table
from omcd.params import Param

#: Month of data/exchange_rates.csv used to convert 2025 RMB figures that have no USD equivalent
#: in their source (the latest month in the table; the page says so).
CONVERSION_MONTH = "2025-02"


def _full_date(text: str) -> str:
    """'2021-11' -> '2021-11-01' so that every browser parses it the same way."""
    return text if len(text) == 10 else f"{text}-01"


def rmb_per_usd(month: str = CONVERSION_MONTH) -> float:
    """Monthly average RMB per USD from data/exchange_rates.csv."""
    rates = load_table("exchange_rates").set_index("month")["rmb_per_usd"]
    if not isinstance(month, str) or month not in rates.index:
        raise ValueError(
            f"month = {month!r} has no exchange rate in data/exchange_rates.csv; available: {', '.join(rates.index)}."
        )
    return float(rates[month])


def rental_equivalent_cost_usd(gpu_hours: float, usd_per_gpu_hour: float) -> float:
    """Cost of a training run priced as rented GPU time: GPU-hours x price per GPU-hour (USD).

    This is how DeepSeek put a dollar figure on V3's final run (2.788M H800 GPU-hours x $2).
    It leaves out everything else: research and ablation runs, the GPUs' purchase, staff, data.
    """
    hours = _GPU_HOURS.check(gpu_hours)
    price = _USD_PER_GPU_HOUR.check(usd_per_gpu_hour)
    return hours * price


#: The ranges rental_equivalent_cost_usd accepts: up to a trillion GPU-hours, a cent to USD 1,000 an hour.
_GPU_HOURS = Param("gpu_hours", "GPU-hours", "GPU-hours", 0, 1e12, 1)
_USD_PER_GPU_HOUR = Param("usd_per_gpu_hour", "Price per GPU-hour", "USD per GPU-hour", 0.01, 1000, 0.01)


def deepseek_figures() -> dict[str, float]:
    """``{item: value}`` from data/deepseek_shock.csv."""
    table = load_table("deepseek_shock")
    return dict(zip(table["item"], table["value"]))


# 1. The May 2024 price war ------------------------------------------------------------------

PRICE_WAR_DESCRIPTION = (
    "Timeline of the May 2024 Chinese API price war, one row per provider: DeepSeek set its V2 price at RMB 1 "
    "per million input tokens on 6 May; Zhipu, ByteDance, Alibaba, Baidu, Tencent and iFlytek answered with "
    "cuts of 80 to 97 percent or free models by 22 May. Each point is labelled with the model and its input "
    "price in renminbi per million tokens."
)


def price_war_table() -> pd.DataFrame:
    """The price-war events with a short label per event (RMB per million input tokens)."""
    t = load_table("price_war_2024")

    def label(row) -> str:
        after = row.input_price_after_rmb_per_million_tokens
        after_text = "free" if after == 0 else f"RMB {after:g}"
        if pd.notna(row.input_price_before_rmb_per_million_tokens):
            return f"{row.model}: RMB {row.input_price_before_rmb_per_million_tokens:g} -> {after_text}"
        return f"{row.model}: {after_text}" + (" (launch)" if row.action == "launch price" else "")

    t["label"] = [label(r) for r in t.itertuples()]
    return t


def price_war_timeline() -> alt.LayerChart:
    t = price_war_table()[["date", "company", "model", "action", "label", "input_price_after_rmb_per_million_tokens"]]
    order = list(dict.fromkeys(t.sort_values("date")["company"]))
    x = alt.X(
        "date:T",
        title="Date of the announcement (May 2024)",
        scale=alt.Scale(domain=date_domain("2024-05-04", "2024-06-08")),
        axis=alt.Axis(format="%d %b", values=["2024-05-06", "2024-05-11", "2024-05-15", "2024-05-21"]),
    )
    y = alt.Y("company:N", sort=order, title="Provider")
    base = alt.Chart(alt.Data(values=t.to_dict("records"))).encode(x=x, y=y)
    points = base.mark_point(filled=True, size=140, color="#a50f15").encode(
        tooltip=[
            alt.Tooltip("date:T", format="%d %b %Y", title="Date"),
            alt.Tooltip("company:N", title="Provider"),
            alt.Tooltip("label:N", title="Move"),
        ]
    )
    text = base.mark_text(align="left", dx=9, fontSize=12).encode(text="label:N")
    return (
        alt.layer(points, text)
        .properties(
            width=420,
            height=260,
            title=alt.Title(
                ["Within 16 days of DeepSeek-V2's price, six rivals cut", "API prices by up to 97% or went free"],
                subtitle="Input price per million tokens, May 2024 (sources: data/price_war_2024.csv)",
                anchor="start",
            ),
            description=PRICE_WAR_DESCRIPTION,
        )
        .configure_view(strokeWidth=0)
    )


# 2. API list prices over time ----------------------------------------------------------------

API_PRICES_DESCRIPTION = (
    "Log-scale chart of API list prices in US dollars per million tokens, 2021 to 2025. Two constant-capability "
    "series fall steeply: the cheapest model scoring at least 42 on MMLU went from 60 dollars (GPT-3, 2021) to 6 "
    "cents (2024), and the cheapest GPT-3.5-level model from 20 dollars to 7 cents. In January 2025 "
    "DeepSeek-R1 cost about 27 times less than OpenAI o1 for both input and output tokens."
)


#: Rows of data/api_list_prices.csv (provider price lists, chapter 3's table) shown on the chart,
#: as (model, series label).
_LIST_PRICE_SERIES = {
    "o1": "Reasoning models: OpenAI o1",
    "DeepSeek-R1 (deepseek-reasoner)": "Reasoning models: DeepSeek-R1",
    "DeepSeek-V3 (deepseek-chat)": "DeepSeek chat model (V3 to V3.2)",
    "DeepSeek-V3.2-Exp (deepseek-chat)": "DeepSeek chat model (V3 to V3.2)",
}


def api_prices_table() -> pd.DataFrame:
    """USD list prices per million tokens: the constant-capability series of
    data/inference_price_trends.csv and the o1 / DeepSeek input and output (cache-miss) prices of
    data/api_list_prices.csv. Columns: date, series, model, price_type, price, status, source_date."""
    trends = load_table("inference_price_trends").rename(columns={"price_usd_per_million_tokens": "price"})
    lists = load_table("api_list_prices")
    lists = lists[
        lists["model"].isin(list(_LIST_PRICE_SERIES))
        & (lists["currency"] == "USD")
        & lists["price_type"].isin(["input", "output"])
    ].copy()
    lists["series"] = lists["model"].map(_LIST_PRICE_SERIES)
    lists["price"] = lists["price_per_million_tokens"]
    lists["status"] = lists["note"].map(
        lambda n: "widely-reported" if "widely reported" in n.lower() else "verified-in-source"
    )
    columns = ["date", "series", "model", "price_type", "price", "status", "source", "source_date"]
    t = pd.concat([trends[columns], lists[columns]], ignore_index=True)
    t["date"] = t["date"].map(_full_date)
    return t.rename(columns={"price": "price_usd_per_million_tokens"})


def api_prices_chart() -> alt.LayerChart:
    t = api_prices_table()[["date", "series", "model", "price_type", "price_usd_per_million_tokens", "status"]]
    series_order = list(dict.fromkeys(t["series"]))
    base = alt.Chart(alt.Data(values=t.to_dict("records"))).encode(
        x=alt.X("date:T", title="Date of the price", axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y(
            "price_usd_per_million_tokens:Q",
            title="List price (USD per million tokens, log scale)",
            scale=alt.Scale(type="log"),
            axis=alt.Axis(format="$~g"),
        ),
        color=alt.Color(
            "series:N",
            title="Series",
            sort=series_order,
            scale=alt.Scale(range=["#1f4e79", "#6baed6", "#000000", "#a50f15", "#c55a11"]),
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=400),
        ),
        detail="price_type:N",
    )
    lines = base.mark_line(strokeWidth=2)
    points = base.mark_point(filled=True, size=80).encode(
        shape=alt.Shape("price_type:N", title="Price of", legend=alt.Legend(orient="bottom")),
        tooltip=[
            alt.Tooltip("date:T", format="%b %Y", title="Date"),
            alt.Tooltip("model:N", title="Model"),
            alt.Tooltip("price_type:N", title="Price of"),
            alt.Tooltip("price_usd_per_million_tokens:Q", format="$,.2f", title="USD per million tokens"),
            alt.Tooltip("status:N", title="Status"),
        ],
    )
    return (
        alt.layer(lines, points)
        .properties(
            width=470,
            height=320,
            title=alt.Title(
                [
                    "For a given capability, API prices fell about tenfold a year;",
                    "DeepSeek-R1 undercut OpenAI o1 about 27 times",
                ],
                subtitle=[
                    "Sources: a16z (Nov 2024), Stanford AI Index 2025, OpenAI and DeepSeek",
                    "price lists (data/inference_price_trends.csv, api_list_prices.csv)",
                ],
                anchor="start",
            ),
            description=API_PRICES_DESCRIPTION,
        )
        .configure_view(strokeWidth=0)
    )


# 3. What the "$5.6 million" covers ------------------------------------------------------------

DEEPSEEK_COST_DESCRIPTION = (
    "Horizontal bar chart on a logarithmic scale, in US dollars: DeepSeek-V3's reported final training run "
    "(5.6 million dollars at an assumed 2 dollars per GPU-hour) and R1's reinforcement-learning stage (0.29 "
    "million) against SemiAnalysis' contested estimates of DeepSeek's total spending: hardware well above 500 "
    "million, server capital spending 1.6 billion, operating costs 0.9 billion."
)
_COST_ITEMS = {
    "v3_final_run_cost_usd": "V3 final training run (reported)",
    "r1_rl_cost_usd": "R1 reinforcement learning (reported)",
    "hardware_spend_usd": "Hardware to date (estimate, lower bound)",
    "operating_costs_usd": "Operating costs (estimate)",
    "server_capex_usd": "Server capital spending (estimate)",
}


def deepseek_cost_table() -> pd.DataFrame:
    t = load_table("deepseek_shock").set_index("item")
    rows = [
        {
            "figure": label,
            "usd": float(t.loc[key, "value"]),
            "status": t.loc[key, "status"],
            "source": t.loc[key, "source"],
            "source_date": t.loc[key, "source_date"],
        }
        for key, label in _COST_ITEMS.items()
    ]
    return pd.DataFrame(rows)


def deepseek_cost_chart() -> alt.LayerChart:
    t = deepseek_cost_table()
    t["kind"] = t["status"].map(lambda s: "Analyst estimate (uncertain)" if s == "estimate" else "Reported by DeepSeek")
    t["label"] = t["usd"].map(lambda v: f"${v / 1e6:,.1f}M" if v < 1e9 else f"${v / 1e9:,.2f}bn")
    base = alt.Chart(alt.Data(values=t[["figure", "usd", "kind", "label", "source_date"]].to_dict("records"))).encode(
        y=alt.Y("figure:N", sort=list(_COST_ITEMS.values()), title=None, axis=alt.Axis(labelLimit=400)),
        x=alt.X(
            "usd:Q",
            title="US dollars (log scale)",
            scale=alt.Scale(type="log", domain=[1e5, 1e10]),
            axis=alt.Axis(format="$~s"),
        ),
    )
    bars = base.mark_bar().encode(
        x2=alt.datum(1e5),  # a log scale has no zero: bars start at the axis' left end
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(range=["#bdbdbd", "#1f4e79"]),
            sort=["Reported by DeepSeek", "Analyst estimate (uncertain)"],
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("figure:N", title="Figure"),
            alt.Tooltip("label:N", title="USD"),
            alt.Tooltip("source_date:N", title="Source date"),
        ],
    )
    text = base.mark_text(align="left", dx=4, fontSize=12).encode(text="label:N")
    return (
        alt.layer(bars, text)
        .properties(
            width=260,
            height=200,
            title=alt.Title(
                [
                    "The '$5.6 million' is one training run; estimates of",
                    "DeepSeek's total spending are 90 to 290 times larger",
                ],
                subtitle=[
                    "Sources: DeepSeek-V3 report (Dec 2024), Nature via TechSpot",
                    "(Sep 2025), SemiAnalysis (Jan 2025, contested)",
                ],
                anchor="start",
            ),
            description=DEEPSEEK_COST_DESCRIPTION,
        )
        .configure_view(strokeWidth=0)
    )


# 4. The "USD 300 billion" beside the sourced figures -------------------------------------------

INVESTMENT_DESCRIPTION = (
    "Horizontal bar chart in billions of US dollars. The article's claim that Chinese tech giants invested about "
    "300 billion dollars in AI has no source. Beside it, sourced figures: a 2025 forecast of China's AI capital "
    "spending from all sources of 84 to 98 billion, Alibaba's 53 billion three-year plan, about 24 and 21 "
    "billion for internet companies and ByteDance in 2025, state funds of 138 billion over 20 years (not "
    "AI-only) and 8.3 billion."
)
_INVESTMENT_LABELS = {
    "article_claim_300bn": "Article: 'tech giants invested' (no source found)",
    "china_ai_capex_2025_forecast": "China AI capex 2025, all sources incl. state (forecast)",
    "national_vc_guidance_fund": "State VC guidance fund, 20 years (not AI-only)",
    "alibaba_3_year_plan": "Alibaba cloud and AI plan, 3 years",
    "internet_companies_ai_capex_2025_forecast": "Internet companies' AI capex 2025 (forecast, up to)",
    "bytedance_capex_2025": "ByteDance capex 2025",
    "national_ai_fund": "National AI industry fund, 13 years",
    "national_ai_industry_fund": "National AI industry fund, 13 years",
    "big3_capex_h1_2024": "Alibaba + Tencent + Baidu capex, H1 2024",
}


def investment_table(month: str = CONVERSION_MONTH) -> pd.DataFrame:
    """Investment figures in USD bn: the source's own USD figure where it gives one, else converted
    from RMB at the monthly rate of ``month`` (column ``usd_basis`` says which)."""
    t = load_table("china_ai_policy")
    t = t[t["category"].isin(["investment", "state fund", "claim"])].copy()
    rate = rmb_per_usd(month)
    rows = []
    for r in t.itertuples():
        if pd.notna(r.usd_bn_low):
            low, high, basis = r.usd_bn_low, r.usd_bn_high, "USD figure given by the source"
        else:
            rmb_low = r.value_low if pd.notna(r.value_low) else r.value_high
            low = rmb_low / rate
            high = r.value_high / rate if pd.notna(r.value_high) and pd.notna(r.value_low) else float("nan")
            basis = f"converted at RMB {rate:.4f} per USD ({month} average, data/exchange_rates.csv)"
        rows.append(
            {
                "item": r.item,
                "figure": _INVESTMENT_LABELS.get(r.item, r.item),
                "period": r.period,
                "usd_bn_low": float(low),
                "usd_bn_high": None if pd.isna(high) else float(high),
                "status": r.status,
                "usd_basis": basis,
                "source_date": r.source_date,
            }
        )
    return pd.DataFrame(rows).sort_values("usd_bn_low", ascending=False).reset_index(drop=True)


def investment_chart() -> alt.LayerChart:
    t = investment_table()
    t["kind"] = t["status"].map(lambda s: "Claim without a source" if s == "unsourced" else "Sourced figure")
    t["label"] = [
        f"${lo:,.1f}bn" if hi is None or pd.isna(hi) else f"${lo:,.0f}-{hi:,.0f}bn"
        for lo, hi in zip(t["usd_bn_low"], t["usd_bn_high"])
    ]
    t["usd_bn_high"] = t["usd_bn_high"].astype(object).where(t["usd_bn_high"].notna(), None)
    records = t[["figure", "usd_bn_low", "usd_bn_high", "kind", "label", "period", "source_date"]].to_dict("records")
    order = list(t["figure"])
    base = alt.Chart(alt.Data(values=records)).encode(
        y=alt.Y("figure:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    )
    x = alt.X("usd_bn_low:Q", title="US dollars, billions", scale=alt.Scale(domain=[0, 340]))
    bars = base.mark_bar().encode(
        x=x,
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=["Claim without a source", "Sourced figure"], range=["#a50f15", "#1f4e79"]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("figure:N", title="Figure"),
            alt.Tooltip("label:N", title="USD"),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("source_date:N", title="Source date"),
        ],
    )
    ranges = (
        base.transform_filter("datum.usd_bn_high != null")
        .mark_bar(opacity=0.4, color="#1f4e79")
        .encode(x=x, x2="usd_bn_high:Q")
    )
    text = (
        base.mark_text(align="left", dx=4, fontSize=12)
        .encode(x=alt.X("usd_bn_max:Q", scale=alt.Scale(domain=[0, 340]), title="US dollars, billions"), text="label:N")
        .transform_calculate(usd_bn_max="datum.usd_bn_high == null ? datum.usd_bn_low : datum.usd_bn_high")
    )
    return (
        alt.layer(bars, ranges, text)
        .properties(
            width=300,
            height=260,
            title=alt.Title(
                [
                    "The article's 'USD 300 billion' has no source; sourced",
                    "figures are far smaller, even over several years",
                ],
                subtitle="Sources in data/china_ai_policy.csv; RMB-only figures converted at "
                f"the {CONVERSION_MONTH} rate",
                anchor="start",
            ),
            description=INVESTMENT_DESCRIPTION,
        )
        .configure_view(strokeWidth=0)
    )
