"""Price-war model against values worked out by hand (arithmetic written out)."""

import math

import pytest

from omcd.models import price_war as m

# Price 10 USD per million tokens, halved every year, elasticity 2, 100 trillion tokens in year 0,
# 1,000 tokens/s per GPU, throughput doubling every year, 2 USD per GPU-hour, 3 years.
CASE = dict(
    start_price_usd_per_million_tokens=10,
    price_factor_per_year=0.5,
    elasticity=2,
    years=3,
    start_tokens_trillion_per_year=100,
    tokens_per_second_per_gpu=1000,
    throughput_growth_per_year=2,
    price_usd_per_gpu_hour=2,
)


def approx(x):
    return pytest.approx(x, rel=1e-12)


def test_year_by_year_by_hand():
    r = m.evaluate(**CASE)
    assert [row.year for row in r.rows] == [0, 1, 2, 3]
    y0, y1, y3 = r.rows[0], r.rows[1], r.rows[3]
    assert y0.price_usd_per_million_tokens == approx(10)
    assert y0.spending_usd_bn == approx(10 * 100 / 1000)  # 1.0 USD bn
    assert y1.price_usd_per_million_tokens == approx(5)
    assert y1.tokens_trillion == approx(100 * 2**2)  # (5/10)^-2 = 4 -> 400
    assert y1.spending_usd_bn == approx(5 * 400 / 1000)  # 2.0 USD bn
    assert y3.price_usd_per_million_tokens == approx(1.25)
    assert y3.tokens_trillion == approx(100 * 8**2)  # 6,400
    assert y3.spending_usd_bn == approx(1.25 * 6400 / 1000)  # 8.0 USD bn
    # GPU-hours: 100e12 tokens / (1,000 tokens/s * 3,600 s) = 27.78e6 GPU-hours in year 0.
    assert y0.gpu_hours_million == approx(100e12 / (1000 * 3600) / 1e6)
    assert y1.gpu_hours_million == approx(400e12 / (2000 * 3600) / 1e6)  # doubles: 55.56 million
    assert y0.cloud_spend_usd_bn == approx(100e12 / 3.6e6 * 2 / 1e9)  # 0.0556 USD bn
    assert y0.serving_cost_usd_per_million_tokens == approx(2 / 3.6e6 * 1e6)  # 0.556 USD
    assert y0.serving_margin_usd_bn == approx(1.0 - 100e12 / 3.6e6 * 2 / 1e9)
    assert y3.spending_index == approx(8.0) and y3.tokens_index == approx(64.0)
    assert y3.price_index == approx(0.125) and y3.gpu_hours_index == approx(64 / 8)


def test_growth_factors_and_threshold():
    r = m.evaluate(**CASE)
    assert r.spending_growth_per_year == approx(0.5 ** (1 - 2))  # 2: spending doubles
    assert r.gpu_hours_growth_per_year == approx(0.5**-2 / 2)  # 4 / 2 = 2
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
    assert a * 5**-2 == approx(m.tokens_demanded(5, 10, 100, 2))


@pytest.mark.parametrize(
    "name, bad, fragment",
    [
        ("elasticity", 0, "0.1 to 3"),
        ("price_factor_per_year", 1.5, "0.01 to 1"),
        ("years", 2.5, "whole number"),
        ("years", 11, "1 to 10 years"),
        ("start_price_usd_per_million_tokens", -1, "USD per million tokens"),
        ("throughput_growth_per_year", 0.5, "1 to 20"),
        ("price_usd_per_gpu_hour", float("inf"), "finite"),
        ("start_tokens_trillion_per_year", None, "must be a number"),
    ],
)
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_outputs_are_finite_at_the_corners():
    corners = [
        {p.name: p.minimum for p in m.PARAMS},
        {p.name: p.maximum for p in m.PARAMS},
        {p.name: (p.minimum if i % 2 else p.maximum) for i, p in enumerate(m.PARAMS)},
        {p.name: (p.maximum if i % 2 else p.minimum) for i, p in enumerate(m.PARAMS)},
    ]
    for inputs in corners:
        r = m.evaluate(**inputs)
        for row in r.rows:
            assert all(math.isfinite(v) for v in vars(row).values())
        assert math.isfinite(r.spending_growth_per_year) and math.isfinite(r.gpu_hours_growth_per_year)


def test_first_year_below_cost_and_the_margin_rows():
    # CASE: price 10 x 0.5^t; serving cost 2 / (1,000 x 2^t x 3,600) x 1e6 = 0.5556 / 2^t: the price
    # and the cost halve together, so the price never falls below the cost.
    assert m.evaluate(**CASE).first_loss_year is None
    # Throughput gain 1: the cost stays 0.5556 while the price falls 10, 5, 2.5, 1.25 ... 0.3125
    # (year 5): first below in year 5 (0.3125 < 0.5556). Margin that year: tokens 100 x 2^(2 x 5)
    # = 102,400 trillion x (0.3125 - 0.5556) / 1000 USD bn.
    slow = {**CASE, "throughput_growth_per_year": 1, "years": 6}
    r = m.evaluate(**slow)
    assert r.first_loss_year == 5
    out = m.outputs(slow)
    assert out["loss_year"] == 5 and out["loss_price"] == approx(0.3125)
    assert out["loss_serving_cost"] == approx(2 / 3.6e3 * 1e3)
    assert out["loss_margin"] == approx(102_400 * (0.3125 - 2 / 3.6) / 1000 * 1e9)
    assert out["serving_margin_first"] == approx((10 - 2 / 3.6) * 100 / 1000 * 1e9)
    assert "From year 5 the price is below the GPU cost of serving" in m.reading(slow)


def test_a_price_equal_to_the_cost_is_not_a_loss():
    # USD 1 per million tokens = 3.6 / (1,000 x 3,600) x 1e6; both halve each year.
    tie = {**CASE, "start_price_usd_per_million_tokens": 1, "price_usd_per_gpu_hour": 3.6}
    assert m.evaluate(**tie).first_loss_year is None
    assert "cover their GPU bill every year" in m.reading(tie)


def test_losses_that_end_when_serving_gets_cheaper_faster():
    # Price 0.05 falling x0.5 a year, cost 0.5556 falling x1/20 a year: below cost in years 0 and 1
    # (0.05 < 0.556, 0.025 < 0.0278), above from year 2 (0.0125 > 0.00139).
    x = {**CASE, "start_price_usd_per_million_tokens": 0.05, "throughput_growth_per_year": 20}
    r = m.evaluate(**x)
    assert r.first_loss_year == 0 and r.last.serving_margin_usd_bn > 0
    assert "by the last year token sellers cover their GPU bill" in m.reading(x)


def test_warning_beyond_the_observed_price_range():
    # Price halved each year: 1,000-fold after ln 1000 / ln 2 = 9.97 years, so year 10 only.
    assert m.observed_range_ends_at(0.5) == approx(math.log(1000) / math.log(2))
    assert m.evaluate(**{**CASE, "years": 10}).extrapolated_from_year == 10
    assert m.evaluate(**{**CASE, "years": 9}).extrapolated_from_year is None
    assert "A caution" not in m.reading({**CASE, "years": 9})
    # Tenfold a year: exactly 1,000-fold in year 3 (not beyond), beyond from year 4.
    tenfold = {**CASE, "price_factor_per_year": 0.1, "years": 5}
    assert m.evaluate(**{**tenfold, "years": 3}).extrapolated_from_year is None
    assert m.evaluate(**tenfold).extrapolated_from_year == 4
    text = m.reading(tenfold)
    # Tokens in year 5: 10^(2 x 5) = 10 billion times year 0's.
    assert "from year 4 the price is more than 1,000 times below year 0's" in text
    assert "10 billion times year 0's tokens" in text
    assert m.observed_range_ends_at(1.0) is None


def test_same_pace_when_throughput_gain_equals_the_price_cut():
    # f = 0.5, g = 2: GPU-hours x 0.5^-2 / 2 = 2 a year, like spending 0.5^(1 - 2) = 2.
    assert m.outputs(CASE)["same_pace"] == 1
    assert m.outputs({**CASE, "throughput_growth_per_year": 3})["same_pace"] == 0
    assert "change at the same pace as spending" in m.reading(CASE)


def test_no_price_fall_is_not_called_an_offset_price_cut():
    text = m.reading({**CASE, "price_factor_per_year": 1})
    assert "Prices do not fall" in text and "price cuts" not in text


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: m.tokens_demanded(0, 10, 100, 2), "price"),
        (lambda: m.tokens_demanded(5e-324, 10, 100, 3), "price"),
        (lambda: m.tokens_demanded(1, float("nan"), 100, 2), "start_price"),
        (lambda: m.demand_scale(10, 1e308, 2), "start_tokens"),
        (lambda: m.demand_scale(10, 100, -1), "elasticity"),
        (lambda: m.serving_cost_per_million_tokens(2, 0), "tokens_per_second_per_gpu"),
        (lambda: m.serving_cost_per_million_tokens(float("inf"), 100), "price_usd_per_gpu_hour"),
        (lambda: m.year_row(11, CASE), "t"),
        (lambda: m.year_row(1, {**CASE, "elasticity": 9}), "elasticity"),
        (lambda: m.spending_trend(float("nan")), "spending_growth_per_year"),
        (lambda: m.summary(m.evaluate(**CASE), -1), "elasticity"),
        (lambda: m.observed_range_ends_at(0), "price_factor_per_year"),
    ],
)
def test_helpers_name_the_bad_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_the_chart_title_holds_at_every_input():
    # "Price cuts raise spending on tokens when elasticity is above 1, and the GPU-hours needed
    # when demand outgrows efficiency gains": over a grid of inputs, spending grows exactly when
    # e > 1 (prices falling) and GPU-hours grow exactly when tokens grow faster than throughput.
    from omcd.charts.price_war import TITLE

    assert "above 1" in " ".join(TITLE) and "outgrows efficiency" in " ".join(TITLE)
    for f in (0.01, 0.1, 0.5, 0.9):
        for e in (0.1, 0.8, 1.05, 2, 3):
            for g in (1, 2, 10, 20):
                r = m.evaluate(**{**CASE, "price_factor_per_year": f, "elasticity": e, "throughput_growth_per_year": g})
                assert (r.last.spending_usd_bn > r.first.spending_usd_bn) == (e > 1)
                tokens_growth = r.rows[1].tokens_index
                if abs(tokens_growth / g - 1) > 1e-9:
                    assert (r.last.gpu_hours_million > r.first.gpu_hours_million) == (tokens_growth > g)
