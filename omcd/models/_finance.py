"""Cash-flow measures shared by the two capital models (:mod:`omcd.models.gpu_cluster` and
:mod:`omcd.models.ai_buildout`): the internal rate of return and the checks on a cash-flow series.

**IRR.** The IRR is ``numpy_financial.irr`` (a kept library). It is reported only for a
*conventional* series, every outflow before every inflow (a purchase, then rent), with at least
one of each: by Descartes' rule of signs such a series has exactly one IRR above -100%, so
"the" IRR is well defined. A series whose sign changes more than once can have several rates
that make its NPV zero, and none is "the" return: the IRR is then ``None``.

The website's calculators find the same rate in the page by bisection (:mod:`omcd.charts._irr`),
and the parity test holds the two equal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy_financial

from omcd.formats import Cmp, Fmt, Note, Shown

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
            raise ValueError(
                f"{name}[{i}] = {value:g} is outside its valid range: -{MAX_ABS_FLOW:g} to {MAX_ABS_FLOW:g}."
            )
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


def irr_row(none: str) -> Shown:
    """The IRR's results row, the same in both capital models; ``none`` says why a result has no
    IRR. The discount rate is an input of both."""
    return Shown(
        "IRR (the discount rate at which the NPV is zero)",
        "irr",
        Fmt(".1%"),
        none=none,
        notes=(Note(Cmp("irr", "<", "discount_rate"), " (below the discount rate)"),),
    )
