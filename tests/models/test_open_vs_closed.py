"""Open-vs-closed model against values worked out by hand (arithmetic written out, not copied)."""

import math

import pytest

from omcd.models import open_vs_closed as m

# A small case with no imitation (q = 0), so that N(t) = m (1 - e^{-p t}) and each month's
# adopters can be written down directly. p = 0.3 a year, so month k (t = k/12) has
# N_open = 120,000 (1 - e^{-0.025 k}) and N_closed = 10,000 (1 - e^{-0.025 k}).
CASE = dict(
    horizon_months=12,
    innovation_p_per_year=0.3,
    imitation_q_open_per_year=0.0,
    market_open_deployments=120_000,
    own_cloud_share=0.5,
    spend_usd_per_deployment_month=100,
    cloud_gross_margin=0.2,
    imitation_q_closed_per_year=0.0,
    market_closed_deployments=10_000,
    api_gross_margin=0.5,
    development_cost_usd_m=10,
    discount_rate=0.1,
    terminal_growth_per_year=-1.0,
)
# Profit a month: open 0.5 * 100 * 0.2 = 10 USD per deployment; closed 100 * 0.5 = 50 USD per customer.
F1, F2, F3 = (1 - math.exp(-0.025)), (1 - math.exp(-0.05)), (1 - math.exp(-0.075))  # adopted share, months 1-3
D1, D2, D3 = 1.1 ** (-1 / 12), 1.1 ** (-2 / 12), 1.1 ** (-3 / 12)  # discount factors


def approx(x):
    return pytest.approx(x, rel=1e-12)


def test_bass_closed_form_at_hand_computed_points():
    # m = 1,000, p = 0.1, q = 0.4, t = 2 years: e^{-(0.5)(2)} = e^{-1} = 0.3678794412
    # N = 1000 (1 - 0.3678794412) / (1 + 4 * 0.3678794412) = 632.1205588 / 2.471517765 = 255.7621...
    e = math.exp(-1.0)
    assert m.bass_cumulative_adopters(1_000, 0.1, 0.4, 2.0) == approx(1_000 * (1 - e) / (1 + 4 * e))
    assert m.bass_cumulative_adopters(1_000, 0.1, 0.4, 2.0) == pytest.approx(255.7621, abs=1e-4)
    assert m.bass_cumulative_adopters(1_000, 0.1, 0.4, 0.0) == 0.0  # nobody at launch
    assert m.bass_cumulative_adopters(1_000, 0.1, 0.0, 1.0) == approx(1_000 * (1 - math.exp(-0.1)))
    assert m.bass_cumulative_adopters(1_000, 0.1, 0.4, 200.0) == pytest.approx(1_000)  # saturates at m


def test_bass_curve_obeys_the_bass_differential_equation():
    # dN/dt = (p + q N / m) (m - N): checked by a central difference at t = 3 years.
    mk, p, q, t, h = 5_000, 0.03, 0.38, 3.0, 1e-5
    n = m.bass_cumulative_adopters(mk, p, q, t)
    slope = (m.bass_cumulative_adopters(mk, p, q, t + h) - m.bass_cumulative_adopters(mk, p, q, t - h)) / (2 * h)
    assert slope == pytest.approx((p + q * n / mk) * (mk - n), rel=1e-7)


def test_monthly_discounting_compounds_to_the_annual_rate():
    assert m.discount_factor(0.1, 12) == approx(1 / 1.1)
    assert m.discount_factor(0.1, 6) == approx(1 / math.sqrt(1.1))
    assert (1 + m.monthly_rate(0.1)) ** 12 == approx(1.1)
    assert m.monthly_rate(0.1) == pytest.approx(0.0079741, abs=1e-7)


def test_three_month_cumulative_profit_by_hand():
    rows = m.cumulative_profit(**CASE)
    assert [r["month"] for r in rows] == list(range(1, 13))
    assert rows[2]["adopters_open"] == approx(120_000 * F3)
    # Open: -10m + 10 USD * 120,000 * (F1 D1 + F2 D2 + F3 D3), in USD million.
    open_3 = (-10e6 + 10 * 120_000 * (F1 * D1 + F2 * D2 + F3 * D3)) / 1e6
    closed_3 = (-10e6 + 50 * 10_000 * (F1 * D1 + F2 * D2 + F3 * D3)) / 1e6
    assert rows[2]["cum_profit_open_usd_m"] == approx(open_3)
    assert rows[2]["cum_profit_closed_usd_m"] == approx(closed_3)
    # Undiscounted, month 1: -10 + 1.2m USD * F1 = -10 + 1.2 * 0.02469 = -9.97037 (USD million)
    undiscounted = m.cumulative_profit(**{**CASE, "discount_rate": 0.0})
    assert undiscounted[0]["cum_profit_open_usd_m"] == approx(-10 + 1.2 * F1)


def test_npv_is_the_cumulative_profit_at_the_horizon():
    r = m.evaluate(**CASE)
    factors = [(1 - math.exp(-0.025 * k)) * 1.1 ** (-k / 12) for k in range(1, 13)]
    assert r.npv_open_usd_m == approx(-10 + 10 * 120_000 * sum(factors) / 1e6)
    assert r.npv_closed_usd_m == approx(-10 + 50 * 10_000 * sum(factors) / 1e6)
    assert r.npv_difference_usd_m == approx((10 * 120_000 - 50 * 10_000) * sum(factors) / 1e6)
    assert r.profit_per_open_deployment_usd_month == approx(10)
    assert r.profit_per_closed_customer_usd_month == approx(50)
    # Open earns 1.2m USD a month per unit of adopted share against closed's 0.5m: ahead from month 1.
    assert r.break_even_month == 1
    # Threshold share: closed's PV over open's PV at full share = (50 * 10,000) / (0.2 * 100 * 120,000).
    assert r.threshold_share == approx(500_000 / 2_400_000)


def test_at_the_threshold_share_both_strategies_are_worth_the_same():
    r = m.evaluate(**CASE)
    at = m.evaluate(**{**CASE, "own_cloud_share": r.threshold_share})
    assert at.npv_open_usd_m == pytest.approx(at.npv_closed_usd_m, rel=1e-12)


def test_break_even_month_is_the_first_month_open_is_ahead():
    # Closed earns more per customer early on (500 vs 90 USD a month), open catches up by imitation.
    values = dict(
        horizon_months=60,
        innovation_p_per_year=0.03,
        imitation_q_open_per_year=0.38,
        market_open_deployments=500_000,
        own_cloud_share=0.3,
        spend_usd_per_deployment_month=1000,
        cloud_gross_margin=0.3,
        imitation_q_closed_per_year=0.19,
        market_closed_deployments=100_000,
        api_gross_margin=0.5,
        development_cost_usd_m=200,
        discount_rate=0.1,
        terminal_growth_per_year=-1.0,
    )
    rows = m.cumulative_profit(**values)
    ahead = [r["month"] for r in rows if r["cum_profit_open_usd_m"] > r["cum_profit_closed_usd_m"]]
    r = m.evaluate(**values)
    assert ahead and r.break_even_month == ahead[0] > 1


def test_none_when_open_never_wins():
    values = {
        **CASE,
        "market_open_deployments": 10_000,
        "market_closed_deployments": 2_000_000,
        "api_gross_margin": 0.95,
    }
    r = m.evaluate(**values)
    assert r.break_even_month is None
    assert r.threshold_share is None  # 0.95 * 2,000,000 / (0.2 * 10,000) = 950 > 1
    assert "would not catch up" in m.summary(r, values)
    assert "never gets ahead" in m.summary(r, values)


def test_development_cost_shifts_both_npvs_but_not_the_choice():
    a = m.evaluate(**CASE)
    b = m.evaluate(**{**CASE, "development_cost_usd_m": 510})
    assert b.npv_open_usd_m == approx(a.npv_open_usd_m - 500)
    assert b.npv_closed_usd_m == approx(a.npv_closed_usd_m - 500)
    assert b.npv_difference_usd_m == pytest.approx(a.npv_difference_usd_m, rel=1e-9)
    assert b.threshold_share == approx(a.threshold_share)


def test_tornado_varies_one_input_inside_its_range():
    assert m.varied_value("own_cloud_share", 0.9, 1.25) == 1.0  # 1.125 kept at the maximum
    assert m.varied_value("own_cloud_share", 0.4, 0.75) == approx(0.3)
    base = m.evaluate(**CASE).npv_difference_usd_m
    assert m.npv_difference_varied(CASE, "discount_rate", 1.0) == pytest.approx(base, rel=1e-9)
    # NPV_open is linear in the share: open's PV at share s is 1.2m * S per unit share, so moving
    # s from 0.375 to 0.625 (0.75x to 1.25x of 0.5) adds 0.25 * 2 * (open's PV at s = 0.5).
    r = m.evaluate(**CASE)
    open_pv = r.npv_open_usd_m + 10
    low = m.npv_difference_varied(CASE, "own_cloud_share", 0.75)
    high = m.npv_difference_varied(CASE, "own_cloud_share", 1.25)
    assert high - low == pytest.approx(0.5 * open_pv, rel=1e-9)
    rows = m.tornado(**CASE)
    assert [r["input"] for r in rows] != [] and len(rows) == len(m.TORNADO_INPUTS)
    swings = [r["swing_usd_m"] for r in rows]
    assert swings == sorted(swings, reverse=True)


@pytest.mark.parametrize(
    "name, value, words",
    [
        ("own_cloud_share", -0.1, ["own_cloud_share", "0 to 1"]),
        ("own_cloud_share", 1.5, ["own_cloud_share", "outside its valid range"]),
        ("horizon_months", 12.5, ["horizon_months", "whole number"]),
        ("innovation_p_per_year", 0.0, ["innovation_p_per_year", "0.005 to 0.3"]),
        ("cloud_gross_margin", float("nan"), ["cloud_gross_margin", "finite"]),
        ("market_open_deployments", "many", ["market_open_deployments", "must be a number"]),
    ],
)
def test_bad_input_names_the_parameter_and_its_range(name, value, words):
    with pytest.raises(ValueError) as info:
        m.evaluate(**{**CASE, name: value})
    assert all(w in str(info.value) for w in words), str(info.value)


def test_missing_and_unknown_inputs_are_refused():
    with pytest.raises(ValueError, match="Missing parameter"):
        m.evaluate(**{k: v for k, v in CASE.items() if k != "api_gross_margin"})
    with pytest.raises(ValueError, match="Unknown parameter"):
        m.evaluate(**CASE, share_on_aws=0.3)
    with pytest.raises(ValueError, match="p_per_year"):
        m.bass_cumulative_adopters(100, 0.0, 0.4, 1.0)


def test_no_terminal_value_by_default():
    # -100% a year: the month after the horizon earns nothing, so the NPV is the cumulative
    # discounted profit at the horizon, as before the terminal value existed.
    r = m.evaluate(**CASE)
    rows = m.cumulative_profit(**CASE)
    assert r.terminal_value_open_usd_m == 0 and r.terminal_value_closed_usd_m == 0
    assert r.npv_open_usd_m == rows[-1]["cum_profit_open_usd_m"]
    assert m.terminal_multiple(0.1, -1.0) == 0
    assert "no terminal value" in m.summary(r, CASE)


def test_terminal_value_by_hand():
    # Profit at month 12: open 10 USD x 120,000 (1 - e^-0.3), closed 50 USD x 10,000 (1 - e^-0.3);
    # discounted by 1.1^-1. Falling 50% a year: gm = 0.5^(1/12) - 1, rm = 1.1^(1/12) - 1, and the
    # perpetuity is worth (1 + gm) / (rm - gm) months of that profit at month 12.
    x = {**CASE, "terminal_growth_per_year": -0.5}
    gm, rm = 0.5 ** (1 / 12) - 1, 1.1 ** (1 / 12) - 1
    k = (1 + gm) / (rm - gm)
    share = 1 - math.exp(-0.3)
    tv_open = 10 * 120_000 * share / 1.1 * k / 1e6
    tv_closed = 50 * 10_000 * share / 1.1 * k / 1e6
    r, base = m.evaluate(**x), m.evaluate(**CASE)
    assert m.terminal_multiple(0.1, -0.5) == approx(k)
    assert r.terminal_value_open_usd_m == approx(tv_open) and r.terminal_value_closed_usd_m == approx(tv_closed)
    assert r.npv_open_usd_m == approx(base.npv_open_usd_m + tv_open)
    assert r.npv_difference_usd_m == approx(base.npv_difference_usd_m + tv_open - tv_closed)
    # The same perpetuity summed month by month (profit x (1 + gm)^j, discounted to month 12 + j).
    monthly = sum(10 * 120_000 * share * (1 + gm) ** j * 1.1 ** (-(12 + j) / 12) for j in range(1, 20_000)) / 1e6
    assert tv_open == pytest.approx(monthly, rel=1e-9)
    assert "adds $" in m.summary(r, x) and "terminal value included" in m.summary(r, x)


def test_threshold_share_with_a_terminal_value():
    # Different adoption curves, so that the terminal values do not scale like the sums.
    x = {
        **CASE,
        "terminal_growth_per_year": -0.2,
        "market_closed_deployments": 20_000,
        "imitation_q_open_per_year": 0.6,
    }
    r = m.evaluate(**x)
    at = m.evaluate(**{**x, "own_cloud_share": r.threshold_share})
    assert at.npv_open_usd_m == pytest.approx(at.npv_closed_usd_m, rel=1e-12)
    # The tornado's base case is the NPV difference, terminal value included.
    assert m.npv_difference_varied(x, "discount_rate", 1.0) == pytest.approx(r.npv_difference_usd_m, rel=1e-9)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: m.monthly_rate(float("nan")), "annual_rate"),
        (lambda: m.monthly_rate(-2), "annual_rate"),
        (lambda: m.discount_factor(0.1, 1e308), "month"),
        (lambda: m.discount_factor(-0.5, 3), "annual_rate"),
        (lambda: m.bass_cumulative_adopters(float("inf"), 0.1, 0.4, 1), "market"),
        (lambda: m.bass_cumulative_adopters(100, 0.1, 0.4, -1), "t_years"),
        (lambda: m.terminal_multiple(0.1, 0.0), "terminal_growth_per_year"),
        (lambda: m.varied_value("share_on_aws", 0.3, 1.25), "name"),
        (lambda: m.varied_value("own_cloud_share", 0.3, float("nan")), "factor"),
        (lambda: m.npv_difference_varied(CASE, "own_cloud_share", -1), "factor"),
        (lambda: m.summary(m.evaluate(**CASE), {**CASE, "discount_rate": 2}), "discount_rate"),
    ],
)
def test_helpers_name_the_bad_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_the_chart_title_holds_at_every_input():
    # "Open weights pay only if enough users run them on your cloud": with no deployment on its
    # own cloud, open never beats the closed API, terminal value or not.
    import random

    from omcd.charts.open_vs_closed import TITLE

    assert "only if enough users run them on your cloud" in TITLE
    rng = random.Random(7)
    for _ in range(40):
        x = {
            p.name: (round(rng.uniform(p.minimum, p.maximum)) if p.integer else rng.uniform(p.minimum, p.maximum))
            for p in m.PARAMS
        }
        assert m.evaluate(**{**x, "own_cloud_share": 0.0}).npv_difference_usd_m < 0
