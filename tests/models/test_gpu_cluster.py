"""GPU-cluster model against values worked out by hand (arithmetic written out, not copied)."""

import math

import numpy_financial
import pytest

from omcd.models import gpu_cluster as m

# A round-number case, computed by hand below.
CASE = dict(
    gpu_price_usd=20_000,
    server_overhead_usd_per_gpu=4_000,
    economic_life_years=4,
    depreciation_life_years=4,
    power_kw_per_gpu=1.0,
    pue=1.5,
    electricity_usd_per_kwh=0.10,
    other_opex_usd_per_gpu_year=1_000,
    utilisation=0.5,
    price_usd_per_gpu_hour=3.0,
    rent_decline_per_year=0.0,
    discount_rate=0.10,
    tokens_per_second_per_gpu=1_000,
)
SOLD_HOURS = 0.5 * 8760  # 4,380 sold hours a year
DEPRECIATION = 24_000 / 4  # 6,000 USD a year
ENERGY_H = 1.0 * 1.5 * 0.10  # 0.15 USD per sold hour
CASH_FLOW = SOLD_HOURS * (3.0 - 0.15) - 1_000  # 11,483 USD a year


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
    assert r.first_year_cash_usd == approx(11_483)
    assert r.first_year_profit_usd == approx(11_483 - 6_000)
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
    r = m.evaluate(
        **{**CASE, "power_kw_per_gpu": 2.0, "pue": 2.5, "electricity_usd_per_kwh": 0.5, "price_usd_per_gpu_hour": 2.0}
    )
    assert r.break_even_utilisation is None
    assert r.payback_years is None
    # Running it would lose cash every year: it stays switched off and loses its capex only.
    assert r.npv_usd == -24_000 and r.years_earning == 0 and r.irr is None
    assert "No utilisation breaks even" in m.summary(r, CASE)


def test_unreachable_break_even_is_reported():
    r = m.evaluate(**{**CASE, "price_usd_per_gpu_hour": 0.5})
    assert r.break_even_utilisation == approx(7_000 / (8_760 * 0.35))
    assert r.break_even_utilisation > 1 and not r.break_even_reachable
    assert "cannot pay for itself" in m.summary(r, CASE)


def test_longer_depreciation_life_flatters_profit_not_cash():
    four = m.evaluate(**{**CASE, "depreciation_life_years": 4})
    six = m.evaluate(**{**CASE, "depreciation_life_years": 6})
    assert six.depreciation_per_sold_hour == approx(24_000 / 6 / 4_380)
    assert six.first_year_profit_usd - four.first_year_profit_usd == approx(6_000 - 4_000)
    # The economic life is unchanged (4 years): cash, NPV, IRR and payback do not move.
    for name in ("first_year_cash_usd", "npv_usd", "irr", "payback_years", "discounted_payback_years"):
        assert getattr(six, name) == getattr(four, name), name


def test_longer_economic_life_adds_cash_years():
    five = m.evaluate(**{**CASE, "economic_life_years": 5})
    assert five.npv_usd == approx(-24_000 + sum(11_483 / 1.1**t for t in range(1, 6)))
    assert five.first_year_profit_usd == m.evaluate(**CASE).first_year_profit_usd  # the books use 4 years


def test_rent_decline_npv_payback_on_the_declining_path():
    r = m.evaluate(**{**CASE, "rent_decline_per_year": 0.2})
    # rents 3.00, 2.40, 1.92, 1.536; cash = 4,380 x (rent - 0.15) - 1,000
    cash = [4_380 * (3.0 * 0.8 ** (t - 1) - 0.15) - 1_000 for t in range(1, 5)]
    assert cash[1] == approx(4_380 * 2.25 - 1_000)  # 8,855
    assert r.npv_usd == approx(-24_000 + sum(c / 1.1**t for t, c in enumerate(cash, start=1)))
    assert r.first_year_cash_usd == approx(11_483)  # year 1 is at today's price
    # cumulative: -12,517 after year 1, -3,662 after year 2; year 3 earns 6,752.6
    assert r.payback_years == approx(2 + (24_000 - cash[0] - cash[1]) / cash[2])
    assert r.irr == approx(float(numpy_financial.irr([-24_000, *cash])))
    years = m.life_cycle(**{**CASE, "rent_decline_per_year": 0.2})
    assert [y.rent_usd_per_gpu_hour for y in years] == [approx(3.0 * 0.8**k) for k in range(4)]


def test_irr_and_discounted_payback_by_hand():
    r = m.evaluate(**CASE)
    # At the IRR the NPV of -24,000 and four years of 11,483 is zero.
    assert -24_000 + sum(11_483 / (1 + r.irr) ** t for t in range(1, 5)) == pytest.approx(0, abs=1e-6)
    assert r.irr == approx(float(numpy_financial.irr([-24_000] + [11_483] * 4)))
    d1, d2, d3 = 11_483 / 1.1, 11_483 / 1.1**2, 11_483 / 1.1**3
    assert r.discounted_payback_years == approx(2 + (24_000 - d1 - d2) / d3)


def test_payback_beyond_the_economic_life_is_never():
    # Undiscounted payback takes 24,000 / 11,483 = 2.09 years: longer than a 2-year economic life.
    r = m.evaluate(**{**CASE, "economic_life_years": 2})
    assert r.payback_years is None and r.discounted_payback_years is None
    row = next(s for s in m.ROWS if s.field == "payback_years")
    assert row.none == "never within its economic life"
    assert "does not earn back its cost within its economic life" in m.reading({**CASE, "economic_life_years": 2})


def test_gpu_is_switched_off_when_rent_falls_below_running_cost():
    # rents 3.00, 1.50, 0.75, 0.375: cash 11,483, 5,913, 2,628, -15.5 -> off in year 4
    r = m.evaluate(**{**CASE, "rent_decline_per_year": 0.5})
    years = m.life_cycle(**{**CASE, "rent_decline_per_year": 0.5})
    assert [y.switched_on for y in years] == [True, True, True, False]
    assert years[3].cash_usd == 0
    assert r.years_earning == 3
    assert r.npv_usd == approx(
        -24_000 + sum(4_380 * (3.0 * 0.5 ** (t - 1) - 0.15) / 1.1**t - 1_000 / 1.1**t for t in range(1, 4))
    )
    assert "stops covering its running cost after year 3" in m.reading({**CASE, "rent_decline_per_year": 0.5})


def test_tornado_moves_each_input_and_depreciation_life_moves_no_cash():
    rows = {r["input"]: r for r in m.tornado(**CASE)}
    assert set(rows) == set(m.TORNADO_INPUTS)
    assert rows["depreciation_life_years"]["swing_usd"] == 0
    # Utilisation 0.375 and 0.625: cash changes by 4,380 x 0.25 x 2.85 per 0.5 of utilisation.
    low = m.evaluate(**{**CASE, "utilisation": 0.375}).npv_usd
    assert rows["utilisation"]["npv_at_075_usd"] == approx(low)
    # Economic life 4 x 0.75 = 3 years and 4 x 1.25 = 5 years.
    assert rows["economic_life_years"]["npv_at_075_usd"] == approx(-24_000 + sum(11_483 / 1.1**t for t in range(1, 4)))
    assert m.varied_value("economic_life_years", 2, 1.25) == 3  # 2.5 rounds half up
    assert m.varied_value("utilisation", 0.9, 1.25) == 1.0  # kept inside its range


@pytest.mark.parametrize(
    "name, bad, fragment",
    [
        ("utilisation", 0.0, "0.05 to 1"),
        ("utilisation", 1.2, "0.05 to 1"),
        ("price_usd_per_gpu_hour", -1, "0.25 to 15"),
        ("pue", 0.9, "1 to 2.5"),
        ("discount_rate", float("nan"), "finite"),
        ("gpu_price_usd", float("inf"), "finite"),
        ("economic_life_years", 4.5, "whole number"),
        ("depreciation_life_years", 9, "2 to 8"),
        ("rent_decline_per_year", 0.6, "0 to 0.5"),
        ("tokens_per_second_per_gpu", "fast", "must be a number"),
        ("electricity_usd_per_kwh", True, "must be a number"),
    ],
)
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
    corners = [
        {p.name: (p.minimum if i % 2 else p.maximum) for i, p in enumerate(m.PARAMS)},
        {p.name: p.minimum for p in m.PARAMS},
        {p.name: p.maximum for p in m.PARAMS},
    ]
    for inputs in corners:
        for value in m.evaluate(**inputs).as_dict().values():
            assert value is None or math.isfinite(value)
