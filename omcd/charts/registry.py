"""Registry of website charts, so that every calculator gets the site-wide tests for free.

A chart module calls :func:`register` once at import time with a :class:`SiteCalculator`.
The parity test (``tests/test_parity.py``) walks :func:`all_calculators`: it sets the chart's
bound parameters to random values inside their ranges, lets VegaFusion compute the chart's
data exactly as the browser would, and compares the result with the Python model.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import altair as alt

from omcd.params import Param


@dataclass(frozen=True)
class ParityCheck:
    """One dataset of the chart and the Python that must reproduce it.

    ``columns`` are the dataset's computed columns to compare. ``expected(inputs, row)`` returns
    the model's values for those columns, given the chart inputs and one row of the dataset
    (so a row may carry its own x value, e.g. a utilisation on a curve). ``None`` means
    "the quantity does not exist" and must be null in the chart too.
    """

    columns: Sequence[str]
    expected: Callable[[Mapping[str, float], Mapping[str, object]], Mapping[str, float | None]]


@dataclass(frozen=True)
class SiteCalculator:
    """A calculator's website face: its chart factory, its bound inputs and its parity checks."""

    name: str
    params: Sequence[Param]
    defaults: Callable[[], Mapping[str, float]]
    chart: Callable[..., alt.TopLevelMixin]
    checks: Sequence[ParityCheck]


_REGISTRY: dict[str, SiteCalculator] = {}


def register(calculator: SiteCalculator) -> SiteCalculator:
    _REGISTRY[calculator.name] = calculator
    return calculator


def get(name: str) -> SiteCalculator | None:
    """The registered calculator called ``name`` (importing its chart module), or None."""
    if name not in _REGISTRY:
        try:
            importlib.import_module(f"omcd.charts.{name}")
        except ModuleNotFoundError:
            return None
    return _REGISTRY.get(name)


def all_calculators() -> list[SiteCalculator]:
    """Every registered calculator, importing each chart module of ``omcd.charts`` first."""
    import omcd.charts as package

    for module in pkgutil.iter_modules(package.__path__):
        if not module.name.startswith("_") and module.name != "registry":
            importlib.import_module(f"omcd.charts.{module.name}")
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]
