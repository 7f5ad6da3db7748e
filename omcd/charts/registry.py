"""Registry of website charts, so that every calculator gets the site-wide tests for free.

A chart module calls :func:`register` once at import time with a :class:`SiteCalculator`.
The parity test (``tests/test_parity.py``) walks :func:`all_calculators`: it sets the chart's
bound parameters to random values inside their ranges, lets VegaFusion compute the chart's
data exactly as the browser would, and compares the result with the Python model. The browser
test of what the reader reads (``tests/browser/test_reader_numbers.py``) compares every shown
number with :meth:`SiteCalculator.texts`, made from the same definitions in Python.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import altair as alt

from omcd.formats import Shown, Verdict, format_table
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
    """A calculator's website face: its charts, inputs, displayed results and parity checks.

    * ``chart(values)`` is the main view; ``extra_charts(values)`` any further views (e.g. a
      tornado), each a single or layered chart that declares the input params it uses.
    * ``outputs(inputs)`` is the Python model's reading of the inputs, as a flat mapping of
      numbers (``None`` where a quantity does not exist); ``results_steps`` are the Vega
      ``(field, expression)`` steps that compute the same outputs in the browser (inputs are
      signals, earlier fields ``datum.x``); or ``results_anchor`` names a field that the main
      chart computes in a one-row dataset holding every output (for outputs that need an
      aggregate over the chart's rows), with ``results_steps`` then computing further outputs
      on that row (e.g. the IRR, :mod:`omcd.charts._irr`).
    * ``rows`` are the results rows the reader reads, ``verdict`` the plain-language reading;
      both are made from ``outputs`` and the inputs, in Python and in Vega alike
      (:mod:`omcd.formats`).
    """

    name: str
    params: Sequence[Param]
    defaults: Callable[[], Mapping[str, float]]
    chart: Callable[..., alt.TopLevelMixin]
    checks: Sequence[ParityCheck]
    outputs: Callable[[Mapping[str, float]], Mapping[str, float | None]] | None = None
    results_steps: Sequence[tuple[str, str]] = ()
    results_anchor: str | None = None
    rows: Sequence[Shown] = ()
    verdict: Verdict | None = None
    results_title: str = "Results"
    extra_charts: Callable[..., Sequence[alt.TopLevelMixin]] | None = None
    #: Knife-edge inputs (a tie, a threshold exactly met) that every test point set includes,
    #: each a partial mapping over the defaults: random points almost never hit them.
    edge_cases: Sequence[Mapping[str, float]] = ()

    def test_points(self) -> list[dict[str, float]]:
        """The defaults, each named scenario and each edge case: inputs every test checks."""
        from omcd.data import scenario_names, scenario_values

        base = dict(self.defaults())
        points = [base] + [scenario_values(self.name, s) for s in scenario_names(self.name)]
        return points + [{**base, **case} for case in self.edge_cases]

    def context(self, inputs: Mapping[str, float]) -> dict[str, object]:
        """Inputs and outputs by name, as the rows and the verdict read them."""
        values = {p.name: float(inputs[p.name]) for p in self.params}
        return {**values, **(self.outputs(values) if self.outputs else {})}

    def compare_texts(self, now: Mapping[str, float], pinned: Mapping[str, float]) -> list[tuple[str, str]]:
        """Each results row's pinned value and its change from ``pinned`` to ``now``, as the
        results table's pinned columns read them (:meth:`omcd.formats.Shown.change_text`)."""
        formats = self.formats()
        then, current = self.context(pinned), self.context(now)
        return [(row.text(then, formats), row.change_text(current, then)) for row in self.rows]

    def formats(self):
        return format_table(self.params, self.rows, self.verdict.formats if self.verdict else None)

    def texts(self, inputs: Mapping[str, float]) -> dict[str, object]:
        """Every text the reader reads at ``inputs``: each input's value, each results row
        (label, value) and the verdict, formatted in Python from the same definitions as the page."""
        ctx = self.context(inputs)
        formats = self.formats()
        return {
            "inputs": {p.name: p.shown(ctx[p.name]) for p in self.params},
            "rows": [(row.label, row.text(ctx, formats)) for row in self.rows],
            "verdict": self.verdict.text(ctx, formats) if self.verdict else "",
        }

    def steps(self):
        """The calculator's "Try this" steps (:func:`omcd.data.steps`), in order."""
        from omcd.data import steps

        return steps(self.name)

    def highlight_targets(self) -> list[str]:
        """What a step may highlight: ``chart:<name>`` for each named layer of the main chart
        (Altair's ``.properties(name=...)``), ``row:<output>`` for each results row,
        ``input:<parameter>`` for each input, and ``verdict``."""
        layers = []

        def walk(node):
            if isinstance(node, dict):
                if ("mark" in node or "layer" in node) and isinstance(node.get("name"), str):
                    layers.append(node["name"])
                for key, value in node.items():
                    if key not in ("data", "datasets"):
                        walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(self.chart().to_dict())
        # Altair may number a layer it had to name again (spending -> spending_0); the page
        # finds the Vega marks of either name (site_assets/omcd-calculators.js).
        targets = list(dict.fromkeys(f"chart:{re.sub(r'_[0-9]+$', '', name)}" for name in layers))
        targets += list(dict.fromkeys(f"row:{row.field}" for row in self.rows))
        targets += [f"input:{p.name}" for p in self.params]
        return targets + (["verdict"] if self.verdict is not None else [])

    @property
    def all_checks(self) -> tuple[ParityCheck, ...]:
        """The chart's own checks, plus the outputs of the results dataset against ``outputs``."""
        checks = tuple(self.checks)
        if self.outputs is not None:
            columns = tuple(self.outputs(dict(self.defaults())))
            checks += (ParityCheck(columns=columns, expected=lambda inputs, row: self.outputs(inputs)),)
        return checks


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
