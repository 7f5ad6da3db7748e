"""Notebook calculator for the release race ("Crunch or wait?"): sliders drive
:mod:`omcd.models.release_race`."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from omcd.charts.release_race import DESCRIPTION, NASH_FILL, OTHER_FILL, TITLE
from omcd.models import release_race as model
from omcd.widgets._base import CalculatorWidget


def chart(values: Mapping[str, float]) -> alt.LayerChart:
    """The 2x2 payoff matrix, equilibria dark and outlined; with no pure equilibrium, each cell's
    chance in the mixed equilibrium."""
    result = model.evaluate(**values)
    mixed = result.mixed

    def chance(c: model.Cell) -> str:
        if mixed is None:
            return ""
        pa, qb = mixed.a_crunch_probability, mixed.b_crunch_probability
        return f"Mixed play: {(pa if c.a_crunch else 1 - pa) * (qb if c.b_crunch else 1 - qb):.0%}"

    rows = [
        {
            "a_action": f"A {'crunches' if c.a_crunch else 'waits'}",
            "b_action": f"B {'crunches' if c.b_crunch else 'waits'}",
            "status": "Nash equilibrium" if c.nash else "Not an equilibrium",
            "nash": c.nash,
            "label_a": f"A: ${c.payoff_a:,.2f}bn",
            "label_b": f"B: ${c.payoff_b:,.2f}bn",
            "label_mixed": chance(c),
        }
        for c in result.cells
    ]
    base = alt.Chart(pd.DataFrame(rows))
    x = alt.X(
        "b_action:N", sort=["B crunches", "B waits"], title="Lab B's choice", axis=alt.Axis(orient="top", labelAngle=0)
    )
    y = alt.Y("a_action:N", sort=["A crunches", "A waits"], title="Lab A's choice")
    color = alt.condition("datum.nash == 1", alt.value("#ffffff"), alt.value("#000000"))
    return alt.layer(
        base.mark_rect(stroke="#000000").encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N",
                title="Outcome",
                scale=alt.Scale(domain=["Nash equilibrium", "Not an equilibrium"], range=[NASH_FILL, OTHER_FILL]),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeWidth=alt.condition("datum.nash == 1", alt.value(4), alt.value(1)),
        ),
        base.mark_text(fontSize=15, fontWeight="bold", dy=-18).encode(x=x, y=y, text="label_a:N", color=color),
        base.mark_text(fontSize=15, dy=2).encode(x=x, y=y, text="label_b:N", color=color),
        base.mark_text(fontSize=13, fontStyle="italic", dy=24, color="#000000").encode(x=x, y=y, text="label_mixed:N"),
    ).properties(width=440, height=240, title=alt.Title(TITLE, anchor="start"))


class ReleaseRaceWidget(CalculatorWidget):
    """The release-race game for Binder/JupyterLab, starting from a data/ scenario."""

    def __init__(self, values: Mapping[str, float] | None = None):
        super().__init__("release_race", values, chart, DESCRIPTION)
