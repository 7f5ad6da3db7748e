"""Building blocks shared by the website charts: bound sliders built from the model's
:class:`~omcd.params.Param` list, chained Vega calculations, the results table and the layout."""

from __future__ import annotations

import json
from typing import Mapping, Sequence

import altair as alt

from omcd.params import Param


def slider_label(p: Param) -> str:
    unit = f" ({p.unit})" if p.unit and p.unit not in {"share", "ratio"} else ""
    return f"{p.label}{unit} "


def bound_params(params: Sequence[Param], values: Mapping[str, float]) -> list[alt.Parameter]:
    """One Altair parameter per input, bound to a range slider with the input's range and step.

    The parameter's name is the model's argument name, so Vega expressions read like the model.
    """
    return [
        alt.param(
            name=p.name,
            value=values[p.name],
            bind=alt.binding_range(min=p.minimum, max=p.maximum, step=p.step, name=slider_label(p)),
        )
        for p in params
    ]


def calculate(chart: alt.Chart, steps: Sequence[tuple[str, str]]) -> alt.Chart:
    """Apply ``(field, Vega expression)`` steps in order, each able to use the fields before it."""
    for field, expression in steps:
        chart = chart.transform_calculate(**{field: expression})
    return chart


def results_table(base: alt.Chart, rows: Sequence[tuple[str, str]], title: str, *,
                  value_x: int = 300, width: int = 560, row_height: int = 22) -> alt.LayerChart:
    """A two-column text table: each row's label and a value formatted by a Vega expression
    over the fields of ``base`` (one row, computed in the browser like the chart).

    The labels are fixed data. Each value is a text mark of its own over ``base``, so a slider move
    rewrites the values in place: folding the rows into one dataset would make new rows, and so
    new SVG elements, at every move. Each value's ARIA label names its row; the labels' column
    is hidden from screen readers, which would otherwise read every label twice.
    """
    y_centre = [(i + 0.5) * row_height for i in range(len(rows))]
    labels = alt.Chart(alt.Data(values=[{"label": label, "y": y} for (label, _), y in zip(rows, y_centre)]))
    values = base.transform_calculate(
        **{f"value_{i}": expression for i, (_, expression) in enumerate(rows)}
    ).transform_calculate(**{f"row_{i}": f"{json.dumps(label)} + ': ' + datum.value_{i}" for i, (label, _) in enumerate(rows)})
    return alt.layer(
        labels.mark_text(align="left", fontSize=13, aria=False).encode(
            x=alt.value(0), y=alt.Y("y:Q", scale=None, axis=None), text="label:N"),
        *(values.mark_text(align="left", fontSize=13, fontWeight="bold").encode(
            x=alt.value(value_x), y=alt.value(y), text=f"value_{i}:N",
            description=alt.Description(f"row_{i}:N"))
          for i, y in enumerate(y_centre)),
    ).properties(width=width, height=row_height * len(rows), title=alt.Title(title, anchor="start"))


def calculator_layout(*charts: alt.TopLevelMixin, params: Sequence[alt.Parameter], description: str,
                      spacing: int = 24, label_font_size: int = 12) -> alt.VConcatChart:
    """Stack a calculator's charts, attach its sliders and its alt text, apply the house style."""
    return (
        alt.vconcat(*charts, spacing=spacing)
        .add_params(*params)
        .properties(description=description)
        .configure_view(strokeWidth=0)
        .configure_axis(labelFontSize=label_font_size, titleFontSize=13)
    )
