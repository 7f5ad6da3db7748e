"""Price-war model against values worked out by hand (arithmetic written out)."""

import math

import pytest

from omcd.models import price_war as m

# Price 10 USD per million tokens, halved every year, elasticity 2, 100 trillion tokens in year 0,
# 1,000 tokens/s per GPU, throughput doubling every year, 2 USD per GPU-hour, 3 years.
CASE = dict(start_price_usd_per_million_tokens=10, price_factor_per_year=0.5, elasticity=2, years=3,
            start_tokens_trillion_per_year=100, tokens_per_second_per_gpu=1000,
            throughput_growth_per_year=2, price_usd_per_gpu_hour=2)


def approx(x):
    return pytest.approx(x, rel=1e-12)


def test_year_by_year_by_hand():
    r = m.evaluate(**CASE)
    assert [row.year for row in r.rows] == [0, 1, 2, 3]
    y0, y1, y3 = r.rows[0], r.rows[1], r.rows[3]
    assert y0.price_usd_per_million_tokens == approx(10)
    assert y0.spending_usd_bn == approx(10 * 100 / 1000)                 # 1.0 USD bn
    assert y1.price_usd_per_million_tokens == approx(5)
    assert y1.tokens_trillion == approx(100 * 2 ** 2)                     # (5/10)^-2 = 4 -> 400
    assert y1.spending_usd_bn == approx(5 * 400 / 1000)                   # 2.0 USD bn
    assert y3.price_usd_per_million_tokens == approx(1.25)
    assert y3.tokens_trillion == approx(100 * 8 ** 2)                     # 6,400
    assert y3.spending_usd_bn == approx(1.25 * 6400 / 1000)               # 8.0 USD bn
    # GPU-hours: 100e12 tokens / (1,000 tokens/s * 3,600 s) = 27.78e6 GPU-hours in year 0.
    assert y0.gpu_hours_million == approx(100e12 / (1000 * 3600) / 1e6)
    assert y1.gpu_hours_million == approx(400e12 / (2000 * 3600) / 1e6)  # doubles: 55.56 million
    assert y0.cloud_spend_usd_bn == approx(100e12 / 3.6e6 * 2 / 1e9)      # 0.0556 USD bn
    assert y0.serving_cost_usd_per_million_tokens == approx(2 / 3.6e6 * 1e6)  # 0.556 USD
    assert y0.serving_margin_usd_bn == approx(1.0 - 100e12 / 3.6e6 * 2 / 1e9)
    assert y3.spending_index == approx(8.0) and y3.tokens_index == approx(64.0)
    assert y3.price_index == approx(0.125) and y3.gpu_hours_index == approx(64 / 8)


def test_growth_factors_and_threshold():
    r = m.evaluate(**CASE)
    assert r.spending_growth_per_year == approx(0.5 ** (1 - 2))          # 2: spending doubles
    assert r.gpu_hours_growth_per_year == approx(0.5 ** -2 / 2)          # 4 / 2 = 2
    assert r.gpu_hours_elasticity_threshold == approx(math.log(2) / math.log(2))  # 1.0


def test_unit_elasticity_keeps_spending_constant_as_price_falls():
    # e = 1: P_t Q_t = P0 f^t * Q0 f^-t = P0 Q0 every year.
    r = m.evaluate(**{**CASE, "elasticity": 1, "price_factor_per_year": 0.1, "years": 10})
    for row in r.rows:
        assert row.spending_usd_bn == pytest.approx(1.0, rel=1e-9)
    assert r.spending_growth_per_year == approx(1.0)
    assert "flat" in m.summary(r, 1.0)


def test_jevons_elastic_demand_raises_spending_inelastic_lowers_it():
    elastic = m.evaluate(**{**CASE, "elasticity": 1.5})
    inelastic = m.evaluate(**{**CASE, "elasticity": 0.5})
    assert elastic.last.spending_usd_bn > elastic.first.spending_usd_bn
    assert inelastic.last.spending_usd_bn < inelastic.first.spending_usd_bn
    # e = 0.5, f = 0.5: spending x 0.5^0.5 = 0.7071 a year.
    assert inelastic.spending_growth_per_year == approx(math.sqrt(0.5))


def test_no_price_fall_has_no_threshold():
    r = m.evaluate(**{**CASE, "price_factor_per_year": 1})
    assert r.gpu_hours_elasticity_threshold is None
    assert all(row.spending_usd_bn == approx(1.0) for row in r.rows)


def test_demand_scale_calibration():
    # A = Q0 P0^e = 100 * 10^2 = 10,000; then Q(5) = 10,000 * 5^-2 = 400, as in year 1 above.
    a = m.demand_scale(10, 100, 2)
    assert a == approx(10_000)
    assert a * 5 ** -2 == approx(m.tokens_demanded(5, 10, 100, 2))


@pytest.mark.parametrize("name, bad, fragment", [
    ("elasticity", 0, "0.1 to 3"),
    ("price_factor_per_year", 1.5, "0.01 to 1"),
    ("years", 2.5, "whole number"),
    ("years", 11, "1 to 10 years"),
    ("start_price_usd_per_million_tokens", -1, "USD per million tokens"),
    ("throughput_growth_per_year", 0.5, "1 to 20"),
    ("price_usd_per_gpu_hour", float("inf"), "finite"),
    ("start_tokens_trillion_per_year", None, "must be a number"),
])
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_outputs_are_finite_at_the_corners():
    corners = [{p.name: p.minimum for p in m.PARAMS}, {p.name: p.maximum for p in m.PARAMS},
               {p.name: (p.minimum if i % 2 else p.maximum) for i, p in enumerate(m.PARAMS)},
               {p.name: (p.maximum if i % 2 else p.minimum) for i, p in enumerate(m.PARAMS)}]
    for inputs in corners:
        r = m.evaluate(**inputs)
        for row in r.rows:
            assert all(math.isfinite(v) for v in vars(row).values())
        assert math.isfinite(r.spending_growth_per_year) and math.isfinite(r.gpu_hours_growth_per_year)
