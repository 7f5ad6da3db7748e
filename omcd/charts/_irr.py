"""The internal rate of return (IRR) in the reader's browser, as Vega formula steps.

Python takes the IRR from ``numpy_financial.irr`` (:func:`omcd.models._finance.irr`), which finds
the roots of the NPV as a polynomial. A Vega data flow has no loops and no root finder, so the
site finds the same root by bisection, written out as a fixed number of formula steps:

* Each row of a capital model's yearly dataset holds the cash flow at one time ``t`` (0 = now). The
  rows put it in a column of its own (``irr_c<t>``) and a join-aggregate sums each column, so every
  row then holds the whole series ``irr_f0 .. irr_fn`` (:func:`flow_steps`, :func:`flow_sums`).
* With ``x = 1 / (1 + r)`` the NPV is the polynomial ``f0 + f1 x + ... + fn x^n`` (written in
  Horner's form). The IRR exists only for a *conventional* series, every outflow before every
  inflow (the rule of :func:`omcd.models._finance.is_conventional`). Its NPV divided by ``x^k``
  (``k`` the last outflow's time) rises with ``x``, so the polynomial is negative below its one
  positive root and positive above it: bisection cannot miss.
* :func:`root_steps` halves a bracket for ``u = ln x`` from ``[-20, 20]`` (an IRR from -100% to
  e^20, about 5e8) :data:`HALVINGS` times, to a width of 40 / 2^32, about 1e-8, then interpolates
  linearly between its ends (regula falsi): across so short a bracket the NPV is a straight line to
  within about 1e-16 in ``u``, so the rate equals numpy's to the parity test's 1e-9. Each halving
  is the same three formulas, word for word.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Halvings of the bracket for ln(1 / (1 + IRR)), from a width of 40 to 40 / 2^32, about 1e-8.
HALVINGS = 32
LOWEST_LOG_FACTOR, HIGHEST_LOG_FACTOR = -20, 20


def flow_steps(time: str, flow: str, times: Sequence[int]) -> list[tuple[str, str]]:
    """Per row: its cash flow ``flow`` (a Vega expression) in the column of its ``time``, and its
    time again if the flow goes out (negative) or comes in (positive)."""
    return [(f"irr_c{t}", f"{time} == {t} ? {flow} : 0") for t in times] + [
        ("irr_outflow_time", f"{flow} < 0 ? {time} : null"),
        ("irr_inflow_time", f"{flow} > 0 ? {time} : null"),
    ]


def flow_sums(times: Sequence[int]) -> dict[str, str]:
    """Join-aggregate fields: the series ``irr_f<t>``, the last outflow's time and the first
    inflow's."""
    return {f"irr_f{t}": f"sum(irr_c{t})" for t in times} | {
        "irr_last_outflow": "max(irr_outflow_time)",
        "irr_first_inflow": "min(irr_inflow_time)",
    }


def _npv(times: Sequence[int], x: str) -> str:
    """``f0 + x * (f1 + x * (f2 + ... + x * fn))``: the NPV at the discount factor ``x``."""
    *rest, last = sorted(times)
    inner = f"datum.irr_f{last}"
    for t in reversed(rest):
        inner = f"datum.irr_f{t} + {x} * ({inner})"
    return inner


def root_steps(times: Sequence[int], *, outflow_now: str | None = None) -> list[tuple[str, str]]:
    """Steps on one row holding :func:`flow_sums`: ``irr``, the rate at which the NPV is zero,
    null unless the series is conventional. ``outflow_now``: an expression for a flow at time 0
    not in the rows (it must be an outflow, e.g. the first capex); it becomes ``irr_f0``."""
    times = sorted(set(times) | ({0} if outflow_now else set()))
    first = ([("irr_f0", outflow_now)] if outflow_now else []) + [
        (
            "irr_conventional",
            "datum.irr_first_inflow != null && datum.irr_last_outflow != null"
            " && datum.irr_last_outflow < datum.irr_first_inflow"
            if not outflow_now
            else "datum.irr_first_inflow != null"
            " && (datum.irr_last_outflow == null || datum.irr_last_outflow < datum.irr_first_inflow)",
        ),
        # Read a field: in the browser, a formula that reads no field nor signal is computed for
        # new rows only, so the bracket would start where the last search ended.
        ("irr_lo", f"datum.irr_conventional ? {LOWEST_LOG_FACTOR} : null"),
        ("irr_hi", f"datum.irr_conventional ? {HIGHEST_LOG_FACTOR} : null"),
    ]
    halving = [
        ("irr_u", "(datum.irr_lo + datum.irr_hi) / 2"),
        ("irr_lo", f"{_npv(times, 'exp(datum.irr_u)')} < 0 ? datum.irr_u : datum.irr_lo"),
        ("irr_hi", "datum.irr_lo == datum.irr_u ? datum.irr_hi : datum.irr_u"),
    ]
    # The NPV is all but a straight line across the last bracket: one interpolation (regula falsi).
    last = [
        ("irr_npv_lo", _npv(times, "exp(datum.irr_lo)")),
        ("irr_npv_hi", _npv(times, "exp(datum.irr_hi)")),
        (
            "irr_u",
            "datum.irr_npv_hi > datum.irr_npv_lo"
            " ? datum.irr_lo + (datum.irr_hi - datum.irr_lo) * datum.irr_npv_lo / (datum.irr_npv_lo - datum.irr_npv_hi)"
            " : datum.irr_lo",
        ),
        ("irr", "datum.irr_conventional ? exp(-datum.irr_u) - 1 : null"),
    ]
    return first + halving * HALVINGS + last


def series_columns(times: Sequence[int]) -> tuple[str, ...]:
    """The columns :func:`flow_sums` adds, for a parity check of the series."""
    return tuple(flow_sums(times))


def expected_series(flows: Sequence[float], times: Sequence[int]) -> dict[str, float | None]:
    """What :func:`flow_sums` must compute from rows at ``times`` for the model's ``flows`` (at
    times 0, 1, ...; a time past the end holds 0)."""
    at = {t: (float(flows[t]) if t < len(flows) else 0.0) for t in times}
    return {f"irr_f{t}": at[t] for t in times} | {
        "irr_last_outflow": max((t for t in times if at[t] < 0), default=None),
        "irr_first_inflow": min((t for t in times if at[t] > 0), default=None),
    }
