"""AI build-out model against values worked out by hand (arithmetic written out, not copied)."""

import pytest

from omcd.models import ai_buildout as m

# USD 1bn a year for 2 years buys 50,000 GPUs at USD 20,000 each; each GPU sells half of 8,760 hours
# at USD 2 = USD 8,760 a year and costs USD 760 a year to run: USD 8,000 cash a GPU-year.
CASE = dict(capex_usd_bn_per_year=1.0, build_years=2, gpu_all_in_cost_usd=20_000, utilisation=0.5,
            price_usd_per_gpu_hour=2.0, opex_usd_per_gpu_year=760, economic_life_years=3,
            depreciation_life_years=4, discount_rate=0.0)
PER_VINTAGE_CASH = 50_000 * 8_000 / 1e9     # USD 0.4bn a year per vintage in service
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
    assert y1.operating_profit_bn == approx(0.438 - 0.038 - 0.25)        # 0.15
    assert y1.cash_flow_bn == approx(0.4 - 1.0)                         # -0.6
    assert y2.cash_flow_bn == approx(2 * 0.4 - 1.0)                     # -0.2
    assert y2.cumulative_cash_bn == approx(-0.8)
    assert y4.cash_flow_bn == approx(0.4) and y4.depreciation_bn == approx(0.5)
    assert y4.operating_profit_bn == approx(0.4 - 0.5)                 # one vintage earning, two depreciating
    assert y5.revenue_bn == 0 and y5.depreciation_bn == approx(0.25)    # retired but still depreciating


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


def test_discounting():
    r = m.evaluate(**{**CASE, "discount_rate": 0.1})
    by_hand = -0.6 / 1.1 - 0.2 / 1.1**2 + 0.8 / 1.1**3 + 0.4 / 1.1**4
    assert r.npv_bn == approx(by_hand)


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
    assert "never" in m.summary(r, 4)


@pytest.mark.parametrize("name, bad, fragment", [
    ("capex_usd_bn_per_year", 0, "0.5 to 200"),
    ("build_years", 6, "1 to 5"),
    ("build_years", 2.5, "whole number"),
    ("utilisation", 0, "0.05 to 1"),
    ("depreciation_life_years", 7, "2 to 6"),
    ("discount_rate", float("inf"), "finite"),
    ("gpu_all_in_cost_usd", None, "must be a number"),
])
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_unknown_parameter_is_named():
    with pytest.raises(ValueError, match="Unknown parameter.*capex_usd"):
        m.evaluate(**CASE, capex_usd=1)
