"""Cash-flow measures shared by the two capital models (:mod:`omcd.models.gpu_cluster` and
:mod:`omcd.models.ai_buildout`): the internal rate of return and the checks on a cash-flow series.

**IRR.** In Python the IRR is ``numpy_financial.irr`` (a kept library). It is reported only for a
*conventional* series, every outflow before every inflow (a purchase, then rent), with at least
one of each: by Descartes' rule of signs such a series has exactly one IRR above -100%, so
"the" IRR is well defined. A series whose sign changes more than once can have several rates
that make its NPV zero, and none is "the" return: the IRR is then ``None`` (the page says so).

**The same IRR in the reader's browser.** Vega has no loops and cannot call numpy, so the site
finds the same root by a refined grid search, computed with data transforms (see
:func:`irr_by_grid`, which restates it in Python, and ``omcd/charts/_irr.py``, which writes it in
Vega). With ``x = 1 / (1 + r)`` the NPV is the polynomial ``P(x) = sum_t f_t x^t``; the substitution
``x = z / (1 - z)`` maps every rate above -100% to one ``z`` in ``(0, 1)`` (``r = 1 / z - 2``), and
``Q(z) = (1 - z)^n P(x) = sum_t f_t z^t (1 - z)^(n - t)`` has the sign of the NPV on ``(0, 1)``. For
a conventional series ``Q`` is negative below the root and non-negative above it (``Q(0) = f_0 < 0``).
Stage 1 evaluates ``Q`` at ``z = k / J`` for ``k = 0..J`` and keeps the last grid point where
``Q < 0``: the root lies within one grid step above it. Each later stage puts ``J`` finer steps
into that interval; after :data:`GRID_STAGES` stages the interval is ``J**-GRID_STAGES`` = 1e-8
wide, and one linear interpolation between its ends gives the root. No range of rates is assumed
(every rate above -100% is reachable), and the method never fails on a conventional series.

The parity test checks the browser's IRR against ``numpy_financial.irr`` at the calculators'
test points and random inputs (relative tolerance 1e-9, absolute 1e-12), and
``tests/models/test_capital_irr.py`` checks :func:`irr_by_grid` against it on random conventional
series spanning the sliders' ranges, including rates near -100% and above 2,000%; the largest gap
seen is a few parts in 1e11 of the tolerance's scale. Bisection or Newton's method would need a
loop (one unrolled formula per step in Vega), each step depending on the last; the grid stages
are data transforms over rows computed independently, which Vega evaluates natively and the
parity test checks operator by operator.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy_financial

#: Grid points per stage (``J``) and stages of the browser's IRR search (see the module docstring).
GRID_STEPS = 100
GRID_STAGES = 4
#: The largest cash flow, in absolute value, a series may hold (the models' flows are far smaller).
MAX_ABS_FLOW = 1e15
MAX_FLOWS = 60


def check_flows(flows: Sequence[float], name: str = "flows") -> list[float]:
    """``flows`` as a list of floats, or a ``ValueError`` naming what is wrong: a series of 2 to
    :data:`MAX_FLOWS` finite numbers, each at most :data:`MAX_ABS_FLOW` in absolute value."""
    if isinstance(flows, (str, bytes)) or not hasattr(flows, "__len__"):
        raise ValueError(f"{name} must be a sequence of numbers (cash flows); got {flows!r}.")
    if not 2 <= len(flows) <= MAX_FLOWS:
        raise ValueError(f"{name} must hold 2 to {MAX_FLOWS} cash flows; got {len(flows)}.")
    out = []
    for i, value in enumerate(flows):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
            raise ValueError(f"{name}[{i}] must be a finite number; got {value!r}.")
        if abs(value) > MAX_ABS_FLOW:
            raise ValueError(f"{name}[{i}] = {value:g} is outside its valid range: -{MAX_ABS_FLOW:g} to "
                             f"{MAX_ABS_FLOW:g}.")
        out.append(float(value))
    return out


def is_conventional(flows: Sequence[float]) -> bool:
    """Every outflow comes before every inflow, and there is at least one of each (zeros are
    neutral): the series then has exactly one IRR above -100%."""
    f = check_flows(flows)
    negatives = [t for t, v in enumerate(f) if v < 0]
    positives = [t for t, v in enumerate(f) if v > 0]
    return bool(negatives) and bool(positives) and max(negatives) < min(positives)


def irr(flows: Sequence[float]) -> float | None:
    """The IRR of a conventional series (flows at the end of periods 0, 1, 2 ...), by
    ``numpy_financial.irr``; ``None`` when the series is not conventional (see
    :func:`is_conventional`). Trailing zeros are dropped first: they change no NPV, but
    ``numpy_financial`` would read them as roots at a rate of -100%."""
    f = check_flows(flows)
    if not is_conventional(f):
        return None
    last = max(t for t, v in enumerate(f) if v != 0)
    rate = float(numpy_financial.irr(f[: last + 1]))
    if not math.isfinite(rate):  # pragma: no cover - a conventional series always has a root
        raise ArithmeticError(f"numpy_financial.irr found no rate for the conventional series {f!r}")
    return rate


def _q(flows: Sequence[float], z: float) -> float:
    n = len(flows) - 1
    return sum(f * z ** t * (1 - z) ** (n - t) for t, f in enumerate(flows))


def irr_by_grid(flows: Sequence[float]) -> float | None:
    """The IRR as the reader's browser computes it (the refined grid search of the module
    docstring); ``None`` when the series is not conventional, as :func:`irr`."""
    f = check_flows(flows)
    if not is_conventional(f):
        return None
    lo, step = 0.0, 1.0
    for _ in range(GRID_STAGES):
        step /= GRID_STEPS
        values = [_q(f, lo + k * step) for k in range(GRID_STEPS + 1)]
        k_lo = max(k for k, q in enumerate(values) if q < 0)
        lo = lo + k_lo * step
    q_lo = values[k_lo]
    q_hi = values[k_lo + 1] if k_lo < GRID_STEPS else None
    z = lo if q_hi is None else lo + step * q_lo / (q_lo - q_hi)
    return 1 / z - 2
