"""Website charts: Altair specs whose inputs are bound to sliders and computed in the browser.

Each module here is named after its model in :mod:`omcd.models` and registers itself in
:mod:`omcd.charts.registry` for the parity test.
"""

from __future__ import annotations

import datetime as _dt


def date_domain(*days: str) -> list[int]:
    """A time scale's domain, given as ISO dates, as milliseconds since 1970 at 00:00 UTC (how
    Vega reads the dates of the data: ``new Date("2024-12-01")``).

    Given as dates, Vega-Lite makes each end a signal, and Vega then makes a data set for them
    named by a counter shared by every chart a page parses: the expression that fills it would
    differ from page to page, so it could not be compiled at build time with the rest
    (``scripts/vega-runtime/compile-expressions.mjs``)."""
    return [int(_dt.datetime.fromisoformat(day).replace(tzinfo=_dt.UTC).timestamp() * 1000) for day in days]
