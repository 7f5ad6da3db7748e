"""Bound inputs for website charts, built from the model's :class:`~omcd.params.Param` list."""

from __future__ import annotations

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
