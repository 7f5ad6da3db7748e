"""Static evidence charts of chapter 1, drawn from data/ (no sliders, not registered as calculators).

* :func:`cloud_revenue_chart`: Alibaba Cloud Intelligence Group's quarterly revenue and its
  year-on-year growth, with the Qwen releases marked (open weights solid, API-only dashed).
* :func:`derivatives_chart`: the few reported counts of Qwen-derived models (and Llama and
  DeepSeek in mid-2025), shown as labelled points, not as a fitted curve.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from omcd.charts import date_domain
from omcd.data import load_table

CONFIDENCE_LABELS = {
    "verified-in-source": "Verified in source",
    "widely-reported": "Widely reported",
    "derived": "Derived (implied)",
    "uncertain": "Uncertain or unverified",
    "unverified": "Uncertain or unverified",
}
CONFIDENCE_ORDER = ["Verified in source", "Widely reported", "Derived (implied)", "Uncertain or unverified"]
CONFIDENCE_COLOURS = ["#1f4e79", "#6b8fb5", "#c55a11", "#a6a6a6"]

REVENUE_TITLE = ["Alibaba Cloud's growth rose from 2-4% to 38% a year", "while Qwen went open"]
REVENUE_DESCRIPTION = (
    "Two stacked panels sharing a time axis from mid-2023 to March 2026. Top: quarterly revenue of "
    "Alibaba's Cloud Intelligence Group in RMB billion, bars shaded by how well each figure is sourced. "
    "Bottom: year-on-year revenue growth in percent, rising from 2-4% in 2023 to 34-38% in late 2025 "
    "and early 2026. Vertical lines mark Qwen releases: solid for open-weight families, dashed for "
    "Qwen2.5-Max, which was offered only through an API."
)
DERIVATIVES_TITLE = "Reported Qwen derivative models doubled in 2025, to more than 180,000"
DERIVATIVES_DESCRIPTION = (
    "Labelled points, not a curve: the number of derivative models built on Qwen as reported at four "
    "dates in 2025 (more than 90,000 at the end of January, more than 100,000 around the Qwen3 launch, "
    "about 113,000 in mid-2025, more than 180,000 in November), and mid-2025 counts for Llama (about "
    "27,000) and DeepSeek (about 6,000). Hollow diamonds are uncertain figures from a secondary summary."
)


def revenue_table() -> pd.DataFrame:
    """Quarterly revenue (comparable quarters only: the Mar-2023 quarter used an older segment)."""
    t = load_table("alibaba_cloud_revenue")
    t = t[t["quarter_end"] >= "2023-06-30"].copy()
    t["revenue_rmb_bn"] = t["revenue_rmb_m"] / 1000
    t["confidence_label"] = t["confidence"].map(CONFIDENCE_LABELS)
    return t


def releases_table() -> pd.DataFrame:
    t = load_table("open_model_releases")
    return t[t["developer"] == "Alibaba"].copy()


def _release_layers(y_title: str, label: bool) -> list[alt.Chart]:
    rel = releases_table()
    rel = rel[rel["release_date"] >= "2023-06-30"]
    rel = rel.assign(short=rel["model"].str.replace(" and Qwen-1.8B", "", regex=False))
    base = alt.Chart(rel)
    layers = [
        base.mark_rule(strokeWidth=1.5, color="#595959").encode(
            x="release_date:T",
            strokeDash=alt.StrokeDash(
                "access:N",
                title="Qwen release",
                scale=alt.Scale(domain=["open weights", "API only"], range=[[1, 0], [5, 3]]),
                legend=alt.Legend(orient="bottom") if label else None,
            ),
            tooltip=[
                alt.Tooltip("model:N", title="Model"),
                alt.Tooltip("release_date:T", title="Released"),
                alt.Tooltip("access:N", title="Access"),
                alt.Tooltip("licence:N", title="Licence"),
            ],
        )
    ]
    if label:
        layers.append(
            base.mark_text(
                angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=11, color="#333333"
            ).encode(x="release_date:T", y=alt.value(0), text="short:N")
        )
    return layers


def cloud_revenue_chart() -> alt.VConcatChart:
    t = revenue_table()
    x = alt.X(
        "quarter_end:T",
        title="Quarter ended",
        axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=6),
        scale=alt.Scale(domain=date_domain("2023-05-01", "2026-05-01")),
    )
    bars = (
        alt.Chart(t)
        .mark_bar(width=14)
        .encode(
            x=x,
            y=alt.Y("revenue_rmb_bn:Q", title="Revenue (RMB billion)"),
            color=alt.Color(
                "confidence_label:N",
                title="Figure",
                sort=CONFIDENCE_ORDER,
                scale=alt.Scale(domain=CONFIDENCE_ORDER, range=CONFIDENCE_COLOURS),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("fiscal_quarter:N", title="Fiscal quarter"),
                alt.Tooltip("revenue_rmb_m:Q", format=",.0f", title="Revenue (RMB m)"),
                alt.Tooltip("confidence_label:N", title="Figure"),
            ],
        )
    )
    top = alt.layer(*_release_layers("Revenue (RMB billion)", label=True), bars).properties(
        width=500,
        height=220,
        title=alt.Title(
            REVENUE_TITLE,
            anchor="start",
            subtitle=[
                "Alibaba Cloud Intelligence Group, quarterly;",
                "sources row by row in data/alibaba_cloud_revenue.csv",
            ],
        ),
    )
    growth = (
        alt.Chart(t)
        .mark_line(point=True, color="#1f4e79", strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("yoy_growth_pct:Q", title="Growth on a year earlier (%)"),
            tooltip=[
                alt.Tooltip("fiscal_quarter:N", title="Fiscal quarter"),
                alt.Tooltip("yoy_growth_pct:Q", title="Growth (%)"),
                alt.Tooltip("ai_triple_digit_streak:Q", title="Triple-digit AI quarters in a row"),
            ],
        )
    )
    labels = (
        alt.Chart(t)
        .mark_text(dy=-10, fontSize=11, color="#1f4e79")
        .encode(x=x, y="yoy_growth_pct:Q", text=alt.Text("yoy_growth_pct:Q", format=".0f"))
    )
    bottom = alt.layer(*_release_layers("Growth on a year earlier (%)", label=False), growth, labels).properties(
        width=500, height=160
    )
    return (
        alt.vconcat(top, bottom, spacing=12)
        .resolve_scale(color="independent")
        .properties(description=REVENUE_DESCRIPTION)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=13)
    )


def derivatives_table() -> pd.DataFrame:
    t = load_table("open_model_derivatives").copy()
    t["label"] = t["qualifier"] + " " + t["derivative_models"].map("{:,}".format)
    return t


def derivatives_chart() -> alt.LayerChart:
    t = derivatives_table()
    base = alt.Chart(t).encode(
        x=alt.X(
            "as_of:T",
            title="Date of the count",
            axis=alt.Axis(format="%b %Y", labelAngle=0),
            scale=alt.Scale(domain=date_domain("2024-12-01", "2026-04-01")),
        ),
        y=alt.Y("derivative_models:Q", title="Derivative models (count)", scale=alt.Scale(domain=[0, 200_000])),
    )
    colour = alt.Color(
        "model_family:N",
        title="Base model family",
        scale=alt.Scale(domain=["Qwen", "Llama", "DeepSeek"], range=["#1f4e79", "#c55a11", "#595959"]),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        alt.Tooltip("model_family:N", title="Family"),
        alt.Tooltip("as_of:T", title="As of"),
        alt.Tooltip("label:N", title="Derivatives"),
        alt.Tooltip("source:N", title="Source"),
        alt.Tooltip("confidence:N", title="Confidence"),
    ]
    firm = (
        base.transform_filter("datum.confidence != 'uncertain'")
        .mark_point(size=120, filled=True, shape="circle", opacity=1)
        .encode(color=colour, tooltip=tooltip)
    )
    shaky = (
        base.transform_filter("datum.confidence == 'uncertain'")
        .mark_point(size=130, filled=False, shape="diamond", strokeWidth=2.5)
        .encode(color=colour, tooltip=tooltip)
    )
    text = base.mark_text(align="left", dx=9, dy=-8, fontSize=11, color="#333333").encode(text="label:N")
    return (
        alt.layer(firm, shaky, text)
        .properties(
            width=500,
            height=260,
            description=DERIVATIVES_DESCRIPTION,
            title=alt.Title(
                DERIVATIVES_TITLE,
                anchor="start",
                subtitle=[
                    "Reported counts at a few dates, not a measured series;",
                    "they mix many repositories and quantised copies.",
                    "Hollow diamonds: uncertain figures from a secondary summary (mid-2025)",
                ],
            ),
        )
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=12, titleFontSize=13)
    )
