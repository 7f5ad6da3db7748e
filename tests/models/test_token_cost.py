"""Token-cost model against values worked out by hand (arithmetic written out, not copied)."""

import math

import pytest

from omcd.models import token_cost as m

# Round numbers: USD 3.60 per GPU-hour, 1,000 tokens/s at half load, 4 input tokens per output token.
CASE = dict(
    gpu_cost_usd_per_hour=3.6, tokens_per_second_per_gpu=1_000, load_factor=0.5, input_tokens_per_output_token=4
)
TOKENS_HOUR = 1_000 * 3_600 * 0.5  # 1,800,000 output tokens per GPU-hour
GPU_HOURS = 1_000_000 / 1_800_000  # 0.5556 GPU-hours per million
COST = 3.6 * GPU_HOURS  # USD 2.00 per million output tokens


def approx(x):
    return pytest.approx(x, rel=1e-12)


def test_cost_per_million_output_tokens():
    r = m.evaluate(**CASE)
    assert r.output_tokens_per_gpu_hour == approx(1_800_000)
    assert r.gpu_hours_per_million_tokens == approx(1 / 1.8)
    assert r.cost_per_million_output_tokens == approx(2.0)


def test_price_list_comparison():
    # output 1.00 + 4 x input 0.50 = USD 3.00 per million output tokens, against a cost of 2.00
    c = m.compare("card", 0.5, 1.0, **CASE)
    assert c.revenue_per_million_output_tokens == approx(3.0)
    assert c.margin_pct == approx((3.0 - 2.0) / 3.0)
    assert c.below_cost is False
    # throughput at which 3.00 covers the cost: 3.6 x 1e6 / (3.00 x 3,600 x 0.5) = 666.67 tokens/s
    assert c.break_even_tokens_per_second == approx(3.6e6 / (3.0 * 3_600 * 0.5))
    at_break_even = m.evaluate(**{**CASE, "tokens_per_second_per_gpu": 1_000})  # sanity: cost fixed above
    assert at_break_even.cost_per_million_output_tokens == approx(2.0)


def test_price_below_cost_and_zero_revenue():
    cheap = m.compare("cheap", 0.1, 0.5, **CASE)  # 0.5 + 4 x 0.1 = 0.90 < 2.00
    assert cheap.revenue_per_million_output_tokens == approx(0.9)
    assert cheap.below_cost is True
    assert cheap.margin_pct == approx((0.9 - 2.0) / 0.9)
    free = m.compare("free", 0.0, 0.0, **CASE)
    assert free.margin_pct is None and free.break_even_tokens_per_second is None and free.below_cost


def test_default_scenario_story():
    # 2.50 / (450 x 3,600 x 0.7) x 1e6 = 2.50 / 1,134,000 x 1e6 = USD 2.2046
    from omcd.charts.token_cost import defaults

    r = m.evaluate(**defaults())
    assert r.cost_per_million_output_tokens == approx(2.5 / 1_134_000 * 1e6)
    # DeepSeek-V3 at 10 input tokens per output token: 1.10 + 10 x 0.27 = 3.80
    assert m.compare("v3", 0.27, 1.10, **defaults()).revenue_per_million_output_tokens == approx(3.8)


def test_rmb_conversion():
    assert m.usd_per_million(7.0881, "RMB", 7.0881) == approx(1.0)
    assert m.usd_per_million(2.19, "USD") == 2.19
    with pytest.raises(ValueError, match="rmb_per_usd"):
        m.usd_per_million(1.0, "RMB", None)
    with pytest.raises(ValueError, match="currency"):
        m.usd_per_million(1.0, "EUR", 1.0)


@pytest.mark.parametrize(
    "name, bad, fragment",
    [
        ("gpu_cost_usd_per_hour", 0.0, "0.25 to 15"),
        ("tokens_per_second_per_gpu", 5, "10 to 20000"),
        ("tokens_per_second_per_gpu", 450.5, "whole number"),
        ("load_factor", 1.5, "0.05 to 1"),
        ("input_tokens_per_output_token", -1, "0 to 50"),
        ("load_factor", float("nan"), "finite"),
        ("gpu_cost_usd_per_hour", "cheap", "must be a number"),
    ],
)
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**CASE, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_negative_price_is_refused():
    with pytest.raises(ValueError, match="input_usd_per_million"):
        m.compare("bad", -1.0, 1.0, **CASE)


def test_outputs_finite_at_the_corners():
    for inputs in ({p.name: p.minimum for p in m.PARAMS}, {p.name: p.maximum for p in m.PARAMS}):
        assert all(math.isfinite(v) for v in m.evaluate(**inputs).as_dict().values())
