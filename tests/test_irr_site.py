"""The website's IRR (:mod:`omcd.charts._irr`, bisection in Vega formulas) equals Python's
(:func:`omcd.models._finance.irr`, numpy-financial) on series of every shape the capital models
can make and beyond: one or several outflows first, inflows over 1 to 10 years, amounts from
cents to a thousand billion, rates from near -100% to several thousand percent. Computed by
VegaFusion from the steps the site ships; the calculators' own parity tests cover the rest."""

from __future__ import annotations

import math
import random

import pytest
import vegafusion

from omcd.charts import _irr
from omcd.models._finance import irr

TIMES = range(11)


def _site_irr(series: list[list[float]]) -> list[float | None]:
    rows = []
    for i, flows in enumerate(series):
        expected = _irr.expected_series(flows, TIMES)
        rows.append({"i": i, **{k: v for k, v in expected.items()}})
    transform = [{"type": "formula", "as": name, "expr": expr} for name, expr in _irr.root_steps(TIMES)]
    spec = {"data": [{"name": "d", "values": rows, "transform": transform}]}
    (frame,), _ = vegafusion.runtime.pre_transform_datasets(spec, ["d"])
    out = frame.sort_values("i")["irr"].tolist()
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else v for v in out]


def _random_series(rng: random.Random) -> list[float]:
    n = rng.randint(1, 10)
    outflows = rng.randint(1, min(3, n))
    scale = 10 ** rng.uniform(-2, 12)
    flows = [-rng.uniform(0.01, 1) * scale for _ in range(outflows)]
    flows += [rng.uniform(0, 1) * scale * 10 ** rng.uniform(-3, 1.5) for _ in range(n + 1 - outflows)]
    flows[-1] = abs(flows[-1]) + scale * 1e-3  # at least one inflow
    return flows + [0.0] * (len(TIMES) - len(flows))


def test_site_irr_equals_numpy_financial_on_conventional_series():
    rng = random.Random("irr-site")
    series = [_random_series(rng) for _ in range(400)]
    # Knife edges: a rate of exactly 0, a single year, tiny and huge returns.
    series += [[-100.0, 100.0] + [0.0] * 9, [-100.0, 0.0, 0.0, 100.0] + [0.0] * 7]
    series += [[-1e5, 1e-2] + [0.0] * 9, [-5e3, 1.3e5, 1.3e5] + [0.0] * 8]
    expected = [irr(flows) for flows in series]
    assert all(e is not None for e in expected), "every series here is conventional"
    for flows, got, want in zip(series, _site_irr(series), expected, strict=True):
        assert got is not None and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), (flows, got, want)


@pytest.mark.parametrize(
    "flows",
    [
        [-100.0, 50.0, -20.0, 80.0],  # outflow after an inflow: several rates may make the NPV zero
        [-100.0, -50.0],  # no inflow
        [100.0, 50.0],  # no outflow
        [0.0, 0.0],
    ],
)
def test_site_irr_is_null_where_python_has_none(flows):
    flows = flows + [0.0] * (len(TIMES) - len(flows))
    assert irr(flows) is None
    assert _site_irr([flows]) == [None]
