"""Website chart of the release-race game ("Crunch or wait?"), computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.release_race`: a four-row grid (one row per
outcome) computes each lab's payoff, the payoff it would get by switching, its best response and
whether the cell is a Nash equilibrium; a one-row dataset computes the same payoffs in closed
form, each lab's dominant strategy and the prisoner's-dilemma flag, from which a formatted layer
writes the plain-language reading. The parity test checks both datasets against the model.
"""

from __future__ import annotations

from typing import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import release_race as model

TITLE = "Crunch or wait? What each lab earns in each outcome"
SUBTITLE = ["Payoffs in USD bn (A, B); the outlined, dark cells are Nash equilibria:",
            "neither lab gains by changing its choice alone"]
DESCRIPTION = (
    "Two-by-two payoff matrix of a release race between two AI labs, A and B, each choosing to crunch "
    "(ship fast at a cost) or to wait. Rows are lab A's choices, columns lab B's; each cell shows both "
    "labs' payoffs in billions of US dollars. Cells that are pure-strategy Nash equilibria are dark and "
    "outlined. A reading beside it says whether crunching or waiting is dominant for each lab, which "
    "outcomes are equilibria and whether the game is a prisoner's dilemma."
)
SCENARIO = "deepseek_shock_2025"

# Grid rows: one per outcome, in the model's order.
GRID = [{"code": code, "a_crunch": a, "b_crunch": b} for code, a, b in model.CELLS]

_STEPS_GRID = [
    ("share_a",
     "datum.a_crunch == datum.b_crunch ? size_share_a"
     " : (datum.a_crunch == 1 ? first_mover_share : 1 - first_mover_share)"),
    ("payoff_a", "datum.share_a * prize_usd_bn - datum.a_crunch * crunch_cost_a_usd_bn"),
    ("alt_share_a",
     "datum.a_crunch != datum.b_crunch ? size_share_a"
     " : (datum.a_crunch == 0 ? first_mover_share : 1 - first_mover_share)"),
    ("alt_payoff_a", "datum.alt_share_a * prize_usd_bn - (1 - datum.a_crunch) * crunch_cost_a_usd_bn"),
    ("share_b",
     "datum.a_crunch == datum.b_crunch ? 1 - size_share_a"
     " : (datum.b_crunch == 1 ? first_mover_share : 1 - first_mover_share)"),
    ("payoff_b", "datum.share_b * prize_usd_bn - datum.b_crunch * crunch_cost_b_usd_bn"),
    ("alt_share_b",
     "datum.a_crunch != datum.b_crunch ? 1 - size_share_a"
     " : (datum.b_crunch == 0 ? first_mover_share : 1 - first_mover_share)"),
    ("alt_payoff_b", "datum.alt_share_b * prize_usd_bn - (1 - datum.b_crunch) * crunch_cost_b_usd_bn"),
    ("a_best", "datum.payoff_a >= datum.alt_payoff_a ? 1 : 0"),
    ("b_best", "datum.payoff_b >= datum.alt_payoff_b ? 1 : 0"),
    ("nash", "datum.a_best == 1 && datum.b_best == 1 ? 1 : 0"),
    ("a_action", "datum.a_crunch == 1 ? 'A crunches' : 'A waits'"),
    ("b_action", "datum.b_crunch == 1 ? 'B crunches' : 'B waits'"),
    ("status", "datum.nash == 1 ? 'Nash equilibrium' : 'Not an equilibrium'"),
]

_STEPS_SUMMARY = [
    ("a_cc", "size_share_a * prize_usd_bn - crunch_cost_a_usd_bn"),
    ("a_cw", "first_mover_share * prize_usd_bn - crunch_cost_a_usd_bn"),
    ("a_wc", "(1 - first_mover_share) * prize_usd_bn"),
    ("a_ww", "size_share_a * prize_usd_bn"),
    ("b_cc", "(1 - size_share_a) * prize_usd_bn - crunch_cost_b_usd_bn"),
    ("b_cw", "(1 - first_mover_share) * prize_usd_bn"),
    ("b_wc", "first_mover_share * prize_usd_bn - crunch_cost_b_usd_bn"),
    ("b_ww", "(1 - size_share_a) * prize_usd_bn"),
    ("a_dominant",
     "datum.a_cc >= datum.a_wc && datum.a_cw >= datum.a_ww ? 1"
     " : (datum.a_wc >= datum.a_cc && datum.a_ww >= datum.a_cw ? -1 : 0)"),
    ("b_dominant",
     "datum.b_cc >= datum.b_cw && datum.b_wc >= datum.b_ww ? 1"
     " : (datum.b_cw >= datum.b_cc && datum.b_ww >= datum.b_wc ? -1 : 0)"),
    ("nash_cc", "datum.a_cc >= datum.a_wc && datum.b_cc >= datum.b_cw ? 1 : 0"),
    ("nash_cw", "datum.a_cw >= datum.a_ww && datum.b_cw >= datum.b_cc ? 1 : 0"),
    ("nash_wc", "datum.a_wc >= datum.a_cc && datum.b_wc >= datum.b_ww ? 1 : 0"),
    ("nash_ww", "datum.a_ww >= datum.a_cw && datum.b_ww >= datum.b_wc ? 1 : 0"),
    ("prisoners_dilemma",
     "datum.nash_cc == 1 && datum.nash_cw == 0 && datum.nash_wc == 0 && datum.nash_ww == 0"
     " && datum.a_ww > datum.a_cc && datum.b_ww > datum.b_cc ? 1 : 0"),
]


RESULTS_STEPS = _STEPS_SUMMARY + [
    ("equilibria_count", "datum.nash_cc + datum.nash_cw + datum.nash_wc + datum.nash_ww"),
]


def defaults() -> dict[str, float]:
    """The documented scenario from ``data/release_race_scenarios.csv``."""
    return scenario_values("release_race", SCENARIO)


def site_chart(values: Mapping[str, float] | None = None) -> alt.LayerChart:
    """The payoff matrix, equilibria dark and outlined."""
    inputs = {**defaults(), **(values or {})}
    model.evaluate(**inputs)  # refuse to draw a chart from invalid defaults
    params = input_params(model.PARAMS, inputs)

    grid = calculate(alt.Chart(alt.Data(values=GRID, name="outcome_grid")), _STEPS_GRID)
    x = alt.X("b_action:N", sort=["B crunches", "B waits"], title="Lab B's choice",
              axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold"))
    y = alt.Y("a_action:N", sort=["A crunches", "A waits"], title="Lab A's choice",
              axis=alt.Axis(labelFontWeight="bold"))
    cells = grid.mark_rect(stroke="#000000").encode(
        x=x, y=y,
        color=alt.Color("status:N", title="Outcome",
                        scale=alt.Scale(domain=["Nash equilibrium", "Not an equilibrium"],
                                        range=["#1f4e79", "#f0f0f0"]),
                        legend=alt.Legend(orient="bottom")),
        strokeWidth=alt.condition("datum.nash == 1", alt.value(4), alt.value(1)),
        tooltip=[alt.Tooltip("a_action:N", title="A"), alt.Tooltip("b_action:N", title="B"),
                 alt.Tooltip("payoff_a:Q", format="$,.2f", title="A's payoff (USD bn)"),
                 alt.Tooltip("payoff_b:Q", format="$,.2f", title="B's payoff (USD bn)"),
                 alt.Tooltip("status:N", title="Outcome")],
    )
    labels = grid.transform_calculate(
        label_a="'A: $' + format(datum.payoff_a, ',.2f') + 'bn'",
        label_b="'B: $' + format(datum.payoff_b, ',.2f') + 'bn'",
    )
    text_color = alt.condition("datum.nash == 1", alt.value("#ffffff"), alt.value("#000000"))
    text_a = labels.mark_text(fontSize=15, fontWeight="bold", dy=-10).encode(x=x, y=y, text="label_a:N",
                                                                          color=text_color)
    text_b = labels.mark_text(fontSize=15, dy=12).encode(x=x, y=y, text="label_b:N", color=text_color)
    matrix = alt.layer(cells.properties(name="outcomes"), text_a, text_b).properties(
        width=440, height=220, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start"))
    return view(matrix, params=params, description=DESCRIPTION, label_font_size=13)


def _expected_grid(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float]:
    r = model.evaluate(**inputs)
    a, b = int(row["a_crunch"]), int(row["b_crunch"])
    (cell,) = [c for c in r.cells if c.a_crunch == a and c.b_crunch == b]
    p, m, s = inputs["prize_usd_bn"], inputs["first_mover_share"], inputs["size_share_a"]
    ca, cb = inputs["crunch_cost_a_usd_bn"], inputs["crunch_cost_b_usd_bn"]
    return {
        "share_a": model.prize_share(a, b, s, m),
        "alt_share_a": model.prize_share(1 - a, b, s, m),
        "alt_payoff_a": model.payoff(1 - a, b, p, s, m, ca),
        "share_b": model.prize_share(b, a, 1 - s, m),
        "alt_share_b": model.prize_share(1 - b, a, 1 - s, m),
        "alt_payoff_b": model.payoff(1 - b, a, p, 1 - s, m, cb),
        "payoff_a": cell.payoff_a, "payoff_b": cell.payoff_b,
        "a_best": cell.a_best, "b_best": cell.b_best, "nash": cell.nash,
    }


CALCULATOR = register(
    SiteCalculator(
        name="release_race",
        params=model.PARAMS,
        defaults=defaults,
        chart=site_chart,
        outputs=model.outputs,
        results_steps=RESULTS_STEPS,
        rows=model.ROWS,
        verdict=model.VERDICT,
        results_title="Payoffs (USD bn) and dominant strategies",
        # Knife edges: the chapter's threshold example (70% share, cost 2: crunching exactly as good
        # as waiting) and a tie in every cell (60% share, cost 1: all four outcomes equilibria).
        edge_cases=({"prize_usd_bn": 10, "first_mover_share": 0.7, "crunch_cost_a_usd_bn": 2,
                     "crunch_cost_b_usd_bn": 2, "size_share_a": 0.5},
                    {"prize_usd_bn": 10, "first_mover_share": 0.6, "crunch_cost_a_usd_bn": 1,
                     "crunch_cost_b_usd_bn": 1, "size_share_a": 0.5}),
        checks=(
            ParityCheck(columns=("share_a", "alt_share_a", "alt_payoff_a", "share_b", "alt_share_b",
                                 "alt_payoff_b", "payoff_a", "payoff_b", "a_best", "b_best", "nash"),
                        expected=_expected_grid),
        ),
    )
)
