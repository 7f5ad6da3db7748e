"""Static evidence charts for chapter 3, drawn from data/ (no sliders, not registered).

* :func:`market_share_chart`: cloud infrastructure services shares by quarter (Synergy only).
* :func:`capex_chart`: capital expenditure by company and year.
"""

from __future__ import annotations

import altair as alt

from omcd.data import load_table

PROVIDER_COLOURS = {"Amazon": "#c55a11", "Microsoft": "#1f4e79", "Google": "#2e7d32", "Alibaba": "#6a1b9a"}


def market_share_chart() -> alt.LayerChart:
    """Provider shares of worldwide cloud infrastructure services, Q4 2023 to Q3 2025 (Synergy)."""
    table = load_table("cloud_market_share")
    table = table[["quarter", "provider", "share_pct", "market_usd_bn", "status"]]
    quarters = ["2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"]
    x = alt.X(
        "quarter:O",
        title="Quarter (Synergy Research Group series; 2024-Q1 not in the course data)",
        scale=alt.Scale(domain=quarters),
        axis=alt.Axis(labelAngle=0),
    )
    y = alt.Y("share_pct:Q", title="Share of market revenue (%)", scale=alt.Scale(domain=[0, 35]))
    color = alt.Color(
        "provider:N",
        title="Provider",
        sort=list(PROVIDER_COLOURS),
        scale=alt.Scale(domain=list(PROVIDER_COLOURS), range=list(PROVIDER_COLOURS.values())),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("quarter:O", title="Quarter"),
        alt.Tooltip("provider:N", title="Provider"),
        alt.Tooltip("share_pct:Q", title="Share (%)"),
        alt.Tooltip("market_usd_bn:Q", format="$,.1f", title="Market (USD bn a quarter)"),
        alt.Tooltip("status:N", title="Status"),
    ]
    base = alt.Chart(table)
    # Alibaba is reported for three quarters only: points, not a line across the gaps.
    lines = alt.layer(
        base.transform_filter("datum.provider != 'Alibaba'")
        .mark_line(point=True, strokeWidth=3)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
        base.transform_filter("datum.provider == 'Alibaba'")
        .mark_point(filled=True, size=70)
        .encode(x=x, y=y, color=color, tooltip=tooltip),
    )
    return lines.properties(
        width=560,
        height=280,
        title=alt.Title(
            [
                "Cloud infrastructure grew from $74bn to $107bn a quarter,",
                "while provider shares moved by a few points",
            ],
            subtitle=[
                "Share of worldwide cloud infrastructure services revenue (IaaS, PaaS, hosted",
                "private cloud), Synergy Research Group",
            ],
            anchor="start",
        ),
    ).properties(
        description=(
            "Line chart of the shares of Amazon, Microsoft, Google and Alibaba in worldwide cloud infrastructure "
            "services revenue, by quarter from Q4 2023 to Q3 2025, as published by Synergy Research Group. Amazon "
            "falls from 31-32% to 29-30%, Microsoft from 24% to about 20%, Google rises from 11% to 13%, and "
            "Alibaba stays at 4% where reported, while the market grows from about 74 to 107 billion US dollars a "
            "quarter."
        )
    )


def capex_chart() -> alt.Chart:
    """Capital expenditure by company, 2024 and 2025, USD bn."""
    table = load_table("hyperscaler_capex")[["company", "year", "period", "capex_usd_bn", "basis"]]
    table["year"] = table["year"].astype(int).astype(str)
    order = ["Amazon", "Alphabet", "Microsoft", "Meta", "Alibaba"]
    return (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=alt.X("company:N", title="Company", sort=order, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("year:N", sort=["2024", "2025"]),
            y=alt.Y("capex_usd_bn:Q", title="Capital expenditure (USD bn)"),
            color=alt.Color(
                "year:N",
                title="Year",
                scale=alt.Scale(domain=["2024", "2025"], range=["#9ecae1", "#1f4e79"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("company:N", title="Company"),
                alt.Tooltip("period:N", title="Period"),
                alt.Tooltip("capex_usd_bn:Q", format="$,.1f", title="Capex (USD bn)"),
                alt.Tooltip("basis:N", title="Basis"),
            ],
        )
        .properties(
            width=440,
            height=280,
            title=alt.Title(
                "US hyperscalers' capex jumped in 2025; Alibaba's is a tenth of Amazon's",
                subtitle=[
                    "Capital expenditure, USD bn. Microsoft 2025: fiscal year to June 2025.",
                    "Alibaba: four quarters to September 2025, converted from RMB.",
                ],
                anchor="start",
            ),
        )
        .properties(
            description=(
                "Grouped bar chart of capital expenditure in billions of US dollars for Amazon, Alphabet, Microsoft, "
                "Meta and Alibaba in 2024 and 2025. Amazon rises from about 78 to 131.8, Alphabet from 52.5 to 91.4, "
                "Microsoft from about 56 (calendar 2024) to 64.6 (fiscal year to June 2025) and Meta from about 39.5 "
                "to 72.2. Alibaba's AI and cloud capex over the four quarters to September 2025 is about 16.5."
            )
        )
    )
