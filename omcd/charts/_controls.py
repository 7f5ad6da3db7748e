"""Building blocks shared by the website charts: the inputs as Vega signals (from the model's
:class:`~omcd.params.Param` list), chained Vega calculations, and one view in the house style.

The page draws each input's control itself (see :mod:`omcd.display`): a slider with its label
and its value in its unit, which sets the signal of the same name in every view of the
calculator. The results table and the verdict are HTML, filled from the ``omcd_results``
dataset (see :mod:`omcd.charts._compile`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt

from omcd.params import Param


def input_params(params: Sequence[Param], values: Mapping[str, float]) -> list[alt.Parameter]:
    """One Altair parameter (a Vega signal) per input, named like the model's argument, so Vega
    expressions read like the model."""
    return [alt.param(name=p.name, value=values[p.name]) for p in params]


def calculate(chart: alt.Chart, steps: Sequence[tuple[str, str]]) -> alt.Chart:
    """Apply ``(field, Vega expression)`` steps in order, each able to use the fields before it."""
    for field, expression in steps:
        chart = chart.transform_calculate(**{field: expression})
    return chart


def view(
    chart: alt.TopLevelMixin, *, params: Sequence[alt.Parameter], description: str, label_font_size: int = 12
) -> alt.TopLevelMixin:
    """One view of a calculator: its input signals, its alt text and the house style. On the
    site, a single or layered view takes its container's width (the chart's width is the
    fallback)."""
    return (
        chart.add_params(*params)
        .properties(description=description)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=label_font_size, titleFontSize=13)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
