"""Every number a chapter-2 exercise solution (or the text around it) states, recomputed from the
models and data/, so that a change to a model or a data file cannot silently falsify a solution."""

import math

import pytest

from omcd.charts import china_ecosystem as evidence
from omcd.data import scenario_values
from omcd.models import price_war, release_race


def test_v3_gpu_price():  # ch2-ex-v3-gpu-price
    figures = evidence.deepseek_figures()
    hours = figures["v3_gpu_hours_total"]
    assert hours == 2_788_000
    assert hours == (
        figures["v3_gpu_hours_pretraining"]
        + figures["v3_gpu_hours_context_extension"]
        + figures["v3_gpu_hours_post_training"]
    )
    assert evidence.rental_equivalent_cost_usd(hours, 2.0) == pytest.approx(figures["v3_final_run_cost_usd"])
    assert round(evidence.rental_equivalent_cost_usd(hours, 1.5) / 1e6, 2) == 4.18
    assert round(evidence.rental_equivalent_cost_usd(hours, 3.0) / 1e6, 2) == 8.36
    assert round(figures["hardware_spend_usd"] / evidence.rental_equivalent_cost_usd(hours, 3.0)) == 60


def test_deepseek_cost_chart_title_ratios():  # "90 to 290 times larger"
    figures = evidence.deepseek_figures()
    run = figures["v3_final_run_cost_usd"]
    assert round(figures["hardware_spend_usd"] / run, -1) == 90
    assert round(figures["server_capex_usd"] / run, -1) == 290


def test_o1_over_r1_about_27_times():  # section 2 of the evidence notebook
    prices = evidence.api_prices_table()
    o1 = prices[prices["model"] == "o1"].set_index("price_type")["price_usd_per_million_tokens"]
    r1 = prices[prices["model"] == "DeepSeek-R1 (deepseek-reasoner)"].set_index("price_type")[
        "price_usd_per_million_tokens"
    ]
    assert round(o1["input"] / r1["input"]) == 27 and round(o1["output"] / r1["output"]) == 27


def test_price_war_within_sixteen_days_six_rivals():  # timeline title
    war = evidence.price_war_table()
    assert war["company"].nunique() - 1 == 6
    days = (war["date"].map(lambda d: int(d[-2:]))).agg(["min", "max"])
    assert days["max"] - days["min"] == 16


def test_crunch_threshold():  # ch2-ex-crunch-threshold
    d = scenario_values("release_race", "deepseek_shock_2025")
    assert release_race.crunch_dominance_threshold(d["prize_usd_bn"], d["crunch_cost_a_usd_bn"]) == pytest.approx(0.55)
    assert release_race.crunch_dominance_threshold(d["prize_usd_bn"], 2.0) == pytest.approx(0.70)
    above = release_race.evaluate(**{**d, "first_mover_share": 0.56})
    below = release_race.evaluate(**{**d, "first_mover_share": 0.54})
    assert above.equilibria == ["CC"] and above.prisoners_dilemma == 1
    assert below.equilibria == ["WW"] and below.a_dominant == release_race.WAIT_STRICT
    # "the default first-mover share sits exactly on it": at 70% and a cost of 2 each lab is
    # indifferent, and all four outcomes are equilibria.
    on = release_race.evaluate(**{**d, "crunch_cost_a_usd_bn": 2.0, "crunch_cost_b_usd_bn": 2.0})
    assert d["first_mover_share"] == pytest.approx(0.70)
    assert on.a_dominant == on.b_dominant == release_race.INDIFFERENT
    assert on.equilibria == ["CC", "CW", "WC", "WW"]


def test_default_story_is_a_prisoners_dilemma():  # "what the default shows"
    r = release_race.evaluate(**scenario_values("release_race", "deepseek_shock_2025"))
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 1
    assert r.cell("CC").payoff_a == pytest.approx(4.5) and r.cell("WW").payoff_a == pytest.approx(5.0)


def test_incumbent_challenger():  # ch2-ex-crunch-incumbent
    d = scenario_values("release_race", "incumbent_vs_challenger")
    r = release_race.evaluate(**d)
    assert r.equilibria == []
    # The incumbent matches, the challenger does the opposite; the mixed equilibrium.
    assert (r.a_dominant, r.b_dominant) == (release_race.MATCH, release_race.OPPOSE)
    assert r.mixed.a_crunch_probability == pytest.approx(0.6) and r.mixed.b_crunch_probability == pytest.approx(0.4)
    assert r.mixed.expected_payoff_a == pytest.approx(6.1) and r.mixed.expected_payoff_b == pytest.approx(3.4)
    p = {c.code: (c.payoff_a, c.payoff_b) for c in r.cells}
    assert p["CC"] == pytest.approx((7.0, 2.0)) and p["WC"] == pytest.approx((4.0, 5.5))
    assert p["CW"] == pytest.approx((5.5, 4.0)) and p["WW"] == pytest.approx((7.5, 2.5))
    # B's crunch pays against a waiting A while 0.6 * 10 - c_B >= 2.5, i.e. c_B <= 3.5.
    assert d["first_mover_share"] * d["prize_usd_bn"] - (1 - d["size_share_a"]) * d["prize_usd_bn"] == pytest.approx(
        3.5
    )
    assert release_race.evaluate(**{**d, "crunch_cost_b_usd_bn": 3.45}).equilibria == []
    settled = release_race.evaluate(**{**d, "crunch_cost_b_usd_bn": 3.55})
    assert settled.equilibria == ["WW"] and settled.b_dominant == release_race.WAIT_STRICT
    # At exactly 3.5 B's crunch pays for itself against a waiting A, no more: waiting is weakly
    # dominant for B, and the game already settles on both wait.
    edge = release_race.evaluate(**{**d, "crunch_cost_b_usd_bn": 3.5})
    assert edge.equilibria == ["WW"] and edge.b_dominant == release_race.WAIT_WEAK


def test_price_war_default_story():  # "what the default shows"
    r = price_war.evaluate(**scenario_values("price_war", "llmflation_2022"))
    assert round(r.spending_growth_per_year, 1) == 1.6
    assert round(r.rows[1].tokens_index) == 16
    assert r.first.spending_usd_bn == pytest.approx(2.0) and r.last.spending_usd_bn == pytest.approx(20.0)
    assert r.gpu_hours_growth_per_year == pytest.approx(r.spending_growth_per_year)
    assert r.last.price_index == pytest.approx(1e-5)  # "prices fall 100,000-fold" over five years
    # "from year 4 the price is more than 1,000 times below its starting level ... the last two years"
    assert r.extrapolated_from_year == 4 and r.last.year - r.extrapolated_from_year + 1 == 2
    assert price_war.observed_range_ends_at(0.1) == pytest.approx(3.0)
    # "the GPU-hours line ... lies on the spending line"
    assert price_war.outputs(scenario_values("price_war", "llmflation_2022"))["same_pace"] == 1


def test_elasticity_for_the_cloud():  # ch2-ex-elasticity-cloud
    d = {**scenario_values("price_war", "llmflation_2022"), "price_factor_per_year": 0.04, "years": 1}
    no_gain = price_war.evaluate(**{**d, "throughput_growth_per_year": 1})
    tenfold = price_war.evaluate(**{**d, "throughput_growth_per_year": 10})
    assert no_gain.gpu_hours_elasticity_threshold == 0
    assert round(tenfold.gpu_hours_elasticity_threshold, 2) == 0.72
    assert tenfold.gpu_hours_elasticity_threshold == pytest.approx(math.log(10) / math.log(25))


def test_price_outruns_cost():  # ch2-ex-price-outruns-cost
    d = {**scenario_values("price_war", "llmflation_2022"), "throughput_growth_per_year": 2}
    rows = price_war.evaluate(**d).rows
    assert round(rows[1].price_usd_per_million_tokens, 2) == 2.00
    assert round(rows[1].serving_cost_usd_per_million_tokens, 2) == 0.77
    assert round(rows[2].price_usd_per_million_tokens, 2) == 0.20
    assert round(rows[2].serving_cost_usd_per_million_tokens, 2) == 0.39
    assert round(rows[2].serving_margin_usd_bn, 1) == -4.7
    assert rows[1].serving_margin_usd_bn > 0
    # The calculator shows the answer itself: the first year below cost, its price, cost and margin.
    out = price_war.outputs(d)
    assert out["loss_year"] == 2 and out["loss_price"] == pytest.approx(rows[2].price_usd_per_million_tokens)
    assert out["loss_serving_cost"] == pytest.approx(rows[2].serving_cost_usd_per_million_tokens)
    assert out["loss_margin"] == pytest.approx(rows[2].serving_margin_usd_bn * 1e9)


def test_investment_conversions():  # section 6 of the evidence notebook
    assert evidence.rmb_per_usd("2025-02") == 7.2734
    t = evidence.investment_table().set_index("item")
    assert t.loc["article_claim_300bn", "status"] == "unsourced"
    assert round(t.loc["internet_companies_ai_capex_2025_forecast", "usd_bn_low"], 1) == 23.6
    assert round(t.loc["bytedance_capex_2025", "usd_bn_low"], 1) == 20.6
    with pytest.raises(ValueError, match="1999-01"):
        evidence.rmb_per_usd("1999-01")


def test_price_war_events_agree_with_the_list_price_table():
    """data/price_war_2024.csv (events, chapter 2) and data/api_list_prices.csv (chapter 3) agree."""
    from omcd.data import load_table

    lists = load_table("api_list_prices")
    lists = lists[(lists["currency"] == "RMB") & (lists["price_type"] == "input")]
    war = evidence.price_war_table()
    merged = war.merge(lists, on=["model", "date"])
    assert len(merged) >= 3
    assert (merged["input_price_after_rmb_per_million_tokens"] == merged["price_per_million_tokens"]).all()
