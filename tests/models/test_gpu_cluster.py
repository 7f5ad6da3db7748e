"""GPU-cluster model against values worked out by hand (arithmetic written out, not copied)."""

import math

import pytest

from omcd.models import gpu_cluster as m

# A round-number case, computed by hand below.
CASE = dict(gpu_price_usd=20_000, server_overhead_usd_per_gpu=4_000, useful_life_years=4,
            power_kw_per_gpu=1.0, pue=1.5, electricity_usd_per_kwh=0.10,
            other_opex_usd_per_gpu_year=1_000, utilisation=0.5, price_usd_per_gpu_hour=3.0,
            discount_rate=0.10, tokens_per_second_per_gpu=1_000)
SOLD_HOURS = 0.5 * 8760                     # 4,380 sold hours a year
DEPRECIATION = 24_000 / 4                   # 6,000 USD a year
ENERGY_H = 1.0 * 1.5 * 0.10                 # 0.15 USD per sold hour
CASH_FLOW = SOLD_HOURS * (3.0 - 0.15) - 1_000   # 11,483 USD a year


def approx(x):
    return pytest.approx(x, rel=1e-12)


def test_cost_per_sold_hour_and_its_split():
    r = m.evaluate(**CASE)
    assert r.capex_usd == 24_000
    assert r.depreciation_per_sold_hour == approx(6_000 / 4_380)
    assert r.energy_per_sold_hour == approx(0.15)
    assert r.other_per_sold_hour == approx(1_000 / 4_380)
    assert r.cost_per_sold_hour == approx(7_000 / 4_380 + 0.15)
    assert r.margin_per_sold_hour == approx(3.0 - (7_000 / 4_380 + 0.15))
    assert r.margin_pct == approx((3.0 - (7_000 / 4_380 + 0.15)) / 3.0)


def test_break_even_profit_payback():
    r = m.evaluate(**CASE)
    assert r.break_even_utilisation == approx(7_000 / (8_760 * 2.85))
    assert r.annual_cash_flow_usd == approx(11_483)
    assert r.annual_profit_usd == approx(11_483 - 6_000)
    assert r.payback_years == approx(24_000 / 11_483)
    # At break-even utilisation the margin per sold hour is zero.
    at_be = m.evaluate(**{**CASE, "utilisation": r.break_even_utilisation})
    assert at_be.margin_per_sold_hour == pytest.approx(0, abs=1e-12)


def test_npv_is_the_sum_of_discounted_year_end_cash_flows():
    r = m.evaluate(**CASE)
    by_hand = -24_000 + 11_483 / 1.1 + 11_483 / 1.1**2 + 11_483 / 1.1**3 + 11_483 / 1.1**4
    assert r.npv_usd == approx(by_hand)
    undiscounted = m.evaluate(**{**CASE, "discount_rate": 0.0})
    assert undiscounted.npv_usd == approx(-24_000 + 4 * 11_483)


def test_cost_per_million_tokens():
    r = m.evaluate(**CASE)
    tokens_per_hour = 1_000 * 3_600
    assert r.cost_per_million_tokens == approx((7_000 / 4_380 + 0.15) / tokens_per_hour * 1e6)
    assert m.cost_per_million_tokens(3.6, 1_000) == approx(1.0)


def test_no_break_even_when_price_below_energy_cost():
    # energy per sold hour = 2.0 kW * 2.5 * 0.50 = 2.50 USD > price 2.00
    r = m.evaluate(**{**CASE, "power_kw_per_gpu": 2.0, "pue": 2.5, "electricity_usd_per_kwh": 0.5,
                      "price_usd_per_gpu_hour": 2.0})
    assert r.break_even_utilisation is None
    assert r.payback_years is None
    assert r.npv_usd < -24_000
    assert "No utilisation breaks even" in m.summary(r, 0.5)


def test_unreachable_break_even_is_reported():
    r = m.evaluate(**{**CASE, "price_usd_per_gpu_hour": 0.5})
    assert r.break_even_utilisation == approx(7_000 / (8_760 * 0.35))
    assert r.break_even_utilisation > 1 and not r.break_even_reachable
    assert "cannot pay for itself" in m.summary(r, 0.5)


def test_longer_depreciation_life_lowers_hourly_cost_not_cash_flow():
    four = m.evaluate(**{**CASE, "useful_life_years": 4})
    six = m.evaluate(**{**CASE, "useful_life_years": 6})
    assert six.depreciation_per_sold_hour == approx(24_000 / 6 / 4_380)
    assert six.annual_profit_usd - four.annual_profit_usd == approx(6_000 - 4_000)
    assert six.annual_cash_flow_usd == four.annual_cash_flow_usd


@pytest.mark.parametrize("name, bad, fragment", [
    ("utilisation", 0.0, "0.05 to 1"),
    ("utilisation", 1.2, "0.05 to 1"),
    ("price_usd_per_gpu_hour", -1, "0.25 to 15"),
    ("pue", 0.9, "1 to 2.5"),
    ("discount_rate", float("nan"), "finite"),
    ("gpu_price_usd", float("inf"), "finite"),
    ("useful_life_years", 4.5, "whole number"),
    ("tokens_per_second_per_gpu", "fast", "must be a number"),
    ("electricity_usd_per_kwh", True, "must be a number"),
])
def test_bad_input_names_parameter_value_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    message = str(error.value)
    assert name in message and fragment in message


def test_unknown_and_missing_parameters_are_named():
    with pytest.raises(ValueError, match="Unknown parameter.*gpu_prise_usd"):
        m.evaluate(**CASE, gpu_prise_usd=1)
    partial = dict(CASE)
    del partial["pue"]
    with pytest.raises(ValueError, match="Missing parameter.*pue"):
        m.evaluate(**partial)


def test_outputs_are_finite_across_the_whole_input_box():
    corners = [{p.name: (p.minimum if i % 2 else p.maximum) for i, p in enumerate(m.PARAMS)},
               {p.name: p.minimum for p in m.PARAMS}, {p.name: p.maximum for p in m.PARAMS}]
    for inputs in corners:
        for value in m.evaluate(**inputs).as_dict().values():
            assert value is None or math.isfinite(value)
