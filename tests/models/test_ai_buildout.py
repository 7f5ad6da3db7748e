"""AI build-out model against values worked out by hand (arithmetic written out, not copied)."""

import numpy_financial
import pytest

from omcd.models import ai_buildout as m

# USD 1bn a year for 2 years buys 50,000 GPUs at USD 20,000 each; each GPU sells half of 8,760 hours
# at USD 2 = USD 8,760 a year and costs USD 760 a year to run: USD 8,000 cash a GPU-year.
CASE = dict(
    capex_usd_bn_per_year=1.0,
    build_years=2,
    gpu_all_in_cost_usd=20_000,
    utilisation=0.5,
    price_usd_per_gpu_hour=2.0,
    rent_decline_per_year=0.0,
    opex_usd_per_gpu_year=760,
    economic_life_years=3,
    depreciation_life_years=4,
    discount_rate=0.0,
)
PER_VINTAGE_CASH = 50_000 * 8_000 / 1e9  # USD 0.4bn a year per vintage in service
PER_VINTAGE_REVENUE = 50_000 * 8_760 / 1e9  # USD 0.438bn


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def test_vintage_counting():
    # Bought in years 1-2, earning 3 years: in service years 1,2,2,2,1 (vintage 1: y1-3, vintage 2: y2-4).
    assert [m.vintages_active(t, 2, 3) for t in range(1, 7)] == [1, 2, 2, 1, 0, 0]
    # Depreciated over 4 years: vintage 1 in y1-4, vintage 2 in y2-5.
    assert [m.vintages_active(t, 2, 4) for t in range(1, 7)] == [1, 2, 2, 2, 1, 0]


def test_year_by_year():
    r = m.evaluate(**CASE)
    assert r.gpus_per_vintage == approx(50_000)
    y1, y2, y4, y5 = r.years[0], r.years[1], r.years[3], r.years[4]
    assert y1.revenue_bn == approx(0.438)
    assert y1.opex_bn == approx(50_000 * 760 / 1e9)
    assert y1.depreciation_bn == approx(1.0 / 4)
    assert y1.operating_profit_bn == approx(0.438 - 0.038 - 0.25)  # 0.15
    assert y1.cash_flow_bn == approx(0.4 - 1.0)  # -0.6
    assert y2.cash_flow_bn == approx(2 * 0.4 - 1.0)  # -0.2
    assert y2.cumulative_cash_bn == approx(-0.8)
    assert y4.cash_flow_bn == approx(0.4) and y4.depreciation_bn == approx(0.5)
    assert y4.operating_profit_bn == approx(0.4 - 0.5)  # one vintage earning, two depreciating
    assert y5.revenue_bn == 0 and y5.depreciation_bn == approx(0.25)  # retired but still depreciating


def test_totals():
    r = m.evaluate(**CASE)
    # cash: -0.6, -0.2, +0.8, +0.4 -> cumulative -0.6, -0.8, 0.0, 0.4
    assert r.total_capex_bn == approx(2.0)
    assert r.peak_funding_need_bn == approx(0.8)
    assert r.payback_year == 3
    assert r.total_cash_bn == approx(0.4)
    assert r.npv_bn == approx(0.4)  # discount rate 0
    total_profit = sum(y.operating_profit_bn for y in r.years)
    assert total_profit == approx(r.total_cash_bn)  # over the whole horizon, profit = cash


def test_discounting_capex_at_the_start_of_its_year():
    r = m.evaluate(**{**CASE, "discount_rate": 0.1})
    # Capex of 1.0 at the start of years 1 and 2 (times 0 and 1); operating cash 0.4, 0.8, 0.8, 0.4
    # at the ends of years 1 to 4 (times 1 to 4), as in the one-GPU model.
    by_hand = -1.0 - 1.0 / 1.1 + 0.4 / 1.1 + 0.8 / 1.1**2 + 0.8 / 1.1**3 + 0.4 / 1.1**4
    assert r.npv_bn == approx(by_hand)
    assert r.years[1].discounted_cash_flow_bn == approx(-1.0 / 1.1 + 0.8 / 1.1**2)


def test_irr_and_discounted_payback():
    r = m.evaluate(**{**CASE, "discount_rate": 0.05})
    flows = [-1.0, 0.4 - 1.0, 0.8, 0.8, 0.4]  # times 0 .. 4
    assert r.irr == approx(float(numpy_financial.irr(flows)))
    assert sum(f / (1 + r.irr) ** t for t, f in enumerate(flows)) == pytest.approx(0, abs=1e-12)
    # Discounted at 5%, cumulative: year 3 -1.0 - 0.6/1.05 + 0.8/1.05^2 + 0.8/1.05^3 = -0.155; year 4 +0.174
    assert -1.0 + 0.4 / 1.05 - 1.0 / 1.05 + 0.8 / 1.05**2 + 0.8 / 1.05**3 < 0
    assert r.discounted_payback_year == 4
    assert r.payback_year == 3


def test_same_capex_timing_as_the_one_gpu_model():
    # One vintage (build_years 1) is the one-GPU model times the GPUs it buys: the same NPV and IRR.
    from omcd.models import gpu_cluster

    one_gpu = dict(
        gpu_price_usd=20_000,
        server_overhead_usd_per_gpu=0,
        economic_life_years=3,
        depreciation_life_years=4,
        power_kw_per_gpu=1.0,
        pue=1.0,
        electricity_usd_per_kwh=0.1,
        other_opex_usd_per_gpu_year=0,
        utilisation=0.5,
        price_usd_per_gpu_hour=2.0,
        rent_decline_per_year=0.1,
        discount_rate=0.1,
        tokens_per_second_per_gpu=1_000,
    )
    gpu = gpu_cluster.evaluate(**one_gpu)
    # energy 0.1 USD per sold hour x 4,380 sold hours = USD 438 a year of running cost
    build = m.evaluate(
        **{**CASE, "build_years": 1, "opex_usd_per_gpu_year": 438, "rent_decline_per_year": 0.1, "discount_rate": 0.1}
    )
    assert build.npv_bn == approx(gpu.npv_usd * 50_000 / 1e9)
    assert build.irr == approx(gpu.irr)


def test_gpus_switched_off_when_rent_falls_below_running_cost():
    # Rent halves each year: 2, 1, 0.5 -> revenue per GPU 8,760, 4,380, 2,190 against 2,500 to run.
    r = m.evaluate(**{**CASE, "rent_decline_per_year": 0.5, "opex_usd_per_gpu_year": 2_500})
    assert r.switch_off_year == 3
    assert [y.gpus_in_service for y in r.years[:4]] == [approx(50_000), approx(100_000), 0, 0]
    assert r.years[2].revenue_bn == 0 and r.years[2].opex_bn == 0
    assert r.years[2].depreciation_bn == approx(0.5)  # the accounts still depreciate them
    assert r.total_cash_bn == approx(50_000 * (8_760 - 2_500) / 1e9 + 100_000 * (4_380 - 2_500) / 1e9 - 2.0)
    assert "switched off" in m.reading({**CASE, "rent_decline_per_year": 0.5, "opex_usd_per_gpu_year": 2_500})
    assert m.evaluate(**CASE).switch_off_year is None


def test_depreciation_life_moves_profit_not_cash():
    four = m.evaluate(**{**CASE, "depreciation_life_years": 4})
    six = m.evaluate(**{**CASE, "depreciation_life_years": 6})
    # year 2: two vintages depreciating, 2 x 1.0/4 = 0.5 against 2 x 1.0/6 = 0.3333
    assert six.years[1].operating_profit_bn - four.years[1].operating_profit_bn == approx(0.5 - 2 / 6)
    assert [y.cash_flow_bn for y in six.years] == [y.cash_flow_bn for y in four.years]
    assert six.npv_bn == four.npv_bn and six.payback_year == four.payback_year


def test_never_pays_back():
    r = m.evaluate(**{**CASE, "price_usd_per_gpu_hour": 0.25})
    assert r.payback_year is None and r.total_cash_bn < 0
    assert "never" in m.summary(r, {**CASE, "price_usd_per_gpu_hour": 0.25})


@pytest.mark.parametrize(
    "name, bad, fragment",
    [
        ("capex_usd_bn_per_year", 0, "0.5 to 200"),
        ("build_years", 6, "1 to 5"),
        ("build_years", 2.5, "whole number"),
        ("utilisation", 0, "0.05 to 1"),
        ("depreciation_life_years", 7, "2 to 6"),
        ("discount_rate", float("inf"), "finite"),
        ("rent_decline_per_year", -0.1, "0 to 0.5"),
        ("gpu_all_in_cost_usd", None, "must be a number"),
    ],
)
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_unknown_parameter_is_named():
    with pytest.raises(ValueError, match="Unknown parameter.*capex_usd"):
        m.evaluate(**CASE, capex_usd=1)
