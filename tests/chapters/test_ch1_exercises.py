"""Every number a chapter-1 solution or narrative states, recomputed from the model and data/.

If the model or a scenario changes, these tests fail before a solution silently goes wrong. The
expected values are the (rounded) numbers printed in chapters/01-open-source-catalyst/*.ipynb.
"""

from __future__ import annotations

import pytest

from omcd.data import scenario_values
from omcd.models import open_vs_closed as m

DEFAULTS = scenario_values("open_vs_closed", "alibaba_2025")


def run(**changes):
    return m.evaluate(**{**DEFAULTS, **changes})


def test_default_story():
    # "What the default shows": $500 vs $90 a month, ahead in month 20, +$49m, threshold 24.4%.
    r = run()
    assert r.profit_per_closed_customer_usd_month == pytest.approx(500)
    assert r.profit_per_open_deployment_usd_month == pytest.approx(90)
    assert r.break_even_month == 20
    assert round(r.npv_difference_usd_m) == 49
    assert round(r.npv_closed_usd_m) == 13
    assert round(r.threshold_share, 3) == 0.244


def test_ch1_ex_cloud_share():
    r = run()
    assert round(100 * r.threshold_share, 1) == 24.4
    # Below the threshold open loses, above it open wins (checked on the slider's 0.01 grid).
    assert run(own_cloud_share=0.24).npv_difference_usd_m < 0 < run(own_cloud_share=0.25).npv_difference_usd_m
    # The development cost drops out of the threshold.
    assert run(development_cost_usd_m=1000).threshold_share == pytest.approx(r.threshold_share)


def test_ch1_ex_global_share():
    r = m.evaluate(**scenario_values("open_vs_closed", "alibaba_global_share"))
    assert round(r.npv_difference_usd_m) == -178
    assert round(r.npv_open_usd_m) == -165
    assert round(r.npv_closed_usd_m) == 13
    assert r.break_even_month is None
    assert r.profit_per_open_deployment_usd_month == pytest.approx(12)


def test_ch1_ex_q_three_years():
    grid = [round(0.01 * k, 2) for k in range(0, 201)]
    winning = [q for q in grid if run(horizon_months=36, imitation_q_open_per_year=q).npv_difference_usd_m > 0]
    assert winning[0] == 0.30
    assert round(run(horizon_months=36, imitation_q_open_per_year=0.30).npv_difference_usd_m, 1) == 0.6
    assert run(horizon_months=36, imitation_q_open_per_year=0.29).npv_difference_usd_m < 0
    r36 = run(horizon_months=36)
    assert round(r36.npv_difference_usd_m, 1) == 7.7
    assert round(r36.npv_open_usd_m) == -112
    assert round(r36.npv_closed_usd_m) == -120


def test_ch1_ex_price_war():
    r = run(api_gross_margin=0.25)
    assert round(100 * r.threshold_share, 1) == 12.2
    assert r.threshold_share == pytest.approx(run().threshold_share / 2, rel=1e-12)
    assert round(r.npv_difference_usd_m) == 155


def test_ch1_ex_imitation_gap():
    values = scenario_values("open_vs_closed", "no_imitation_gap")
    r = m.evaluate(**values)
    assert round(r.npv_difference_usd_m) == -29
    hand = (values["market_closed_deployments"] * values["api_gross_margin"]) / (
        values["market_open_deployments"] * values["cloud_gross_margin"]
    )  # 50,000 / 150,000
    assert hand == pytest.approx(1 / 3)
    assert r.threshold_share == pytest.approx(hand, rel=1e-12)


def test_what_to_try_development_cost_moves_both_curves_not_the_gap():
    a, b = run(), run(development_cost_usd_m=400)
    assert b.npv_open_usd_m == pytest.approx(a.npv_open_usd_m - 200)
    assert b.npv_difference_usd_m == pytest.approx(a.npv_difference_usd_m)


def test_tornado_title_holds_at_the_defaults():
    # Title: open's cloud share, margin and market move the answer most; closed's market and margin next.
    order = [row["input"] for row in m.tornado(**DEFAULTS)]
    assert set(order[:3]) == {"own_cloud_share", "cloud_gross_margin", "market_open_deployments"}
    assert set(order[3:5]) == {"market_closed_deployments", "api_gross_margin"}


def test_terminal_value_narrative():
    # "about a third of open's market and a fifth of closed's have adopted" at five years.
    r = run()
    assert round(r.adopters_open_at_horizon / DEFAULTS["market_open_deployments"], 2) == 0.33
    assert round(r.adopters_closed_at_horizon / DEFAULTS["market_closed_deployments"], 1) == 0.2
    # The default counts nothing after the horizon.
    assert DEFAULTS["terminal_growth_per_year"] == m.NO_TERMINAL_VALUE and r.terminal_value_open_usd_m == 0
    # "-20% a year: open's lead widens from about USD 49 million to about USD 145 million, and the
    # threshold share falls from 24.4% to 22.8%".
    tv = run(terminal_growth_per_year=-0.2)
    assert round(tv.npv_difference_usd_m) == 145 and round(100 * tv.threshold_share, 1) == 22.8
    assert tv.terminal_value_open_usd_m > tv.terminal_value_closed_usd_m > 0
