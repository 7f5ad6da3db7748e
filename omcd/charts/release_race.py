"""Website chart of the release-race game ("Crunch or wait?"), computed in the reader's browser.

The Vega expressions restate :mod:`omcd.models.release_race`: a four-row grid (one row per
outcome) computes each lab's payoff, the payoff it would get by switching, its best response and
whether the cell is a Nash equilibrium; a one-row dataset computes the same payoffs in closed
form, each lab's dominant strategy and the prisoner's-dilemma flag, from which a formatted layer
writes the plain-language reading. The parity test checks both datasets against the model.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt

from omcd.charts._controls import calculate, input_params, view
from omcd.charts.registry import ParityCheck, SiteCalculator, register
from omcd.data import scenario_values
from omcd.models import release_race as model

TITLE = "Crunch or wait? What each lab earns in each outcome"
SUBTITLE = [
    "Payoffs in USD bn (A, B); the outlined, dark cells are Nash equilibria: neither lab gains",
    "by changing its choice alone. With none, each cell shows its chance in the mixed equilibrium",
]
DESCRIPTION = (
    "Two-by-two payoff matrix of a release race between two AI labs, A and B, each choosing to crunch "
    "(ship fast at a cost) or to wait. Rows are lab A's choices, columns lab B's; each cell shows both "
    "labs' payoffs in billions of US dollars. Cells that are pure-strategy Nash equilibria are dark and "
    "outlined. When no cell is an equilibrium, each cell also shows how likely it is in the "
    "mixed-strategy equilibrium, where each lab crunches with the probability that leaves the other "
    "indifferent. A reading beside it says each lab's dominant strategy, if any, which outcomes are "
    "equilibria and whether the game is a prisoner's dilemma."
)
SCENARIO = "deepseek_shock_2025"
#: The tie tolerance as a Vega number literal.
_TOL = repr(model.TIE_TOLERANCE_USD_BN)
#: Fill of the cells: equilibria dark, other cells light; no other colour has a meaning here.
NASH_FILL, OTHER_FILL = "#1f4e79", "#f0f0f0"

# Grid rows: one per outcome, in the model's order.
GRID = [{"code": code, "a_crunch": a, "b_crunch": b} for code, a, b in model.CELLS]


def _sign(gain: str) -> str:
    return f"datum.{gain} > {_TOL} ? 1 : (datum.{gain} < -{_TOL} ? -1 : 0)"


def _strategy(lab: str) -> str:
    c, w = f"datum.sign_{lab}_vs_crunch", f"datum.sign_{lab}_vs_wait"
    return f"{c} != 0 && {c} == -{w} ? ({c} > 0 ? {model.MATCH} : {model.OPPOSE}) : {c} + {w}"


#: Every output of the game in one row, from the input signals (see the model's docstring).
RESULTS_STEPS = [
    ("a_cc", "size_share_a * prize_usd_bn - crunch_cost_a_usd_bn"),
    ("a_cw", "first_mover_share * prize_usd_bn - crunch_cost_a_usd_bn"),
    ("a_wc", "(1 - first_mover_share) * prize_usd_bn"),
    ("a_ww", "size_share_a * prize_usd_bn"),
    ("b_cc", "(1 - size_share_a) * prize_usd_bn - crunch_cost_b_usd_bn"),
    ("b_cw", "(1 - first_mover_share) * prize_usd_bn"),
    ("b_wc", "first_mover_share * prize_usd_bn - crunch_cost_b_usd_bn"),
    ("b_ww", "(1 - size_share_a) * prize_usd_bn"),
    # Gains from crunching against a crunching and a waiting rival, and their signs (ties within
    # the model's tolerance are 0).
    ("gain_a_vs_crunch", "datum.a_cc - datum.a_wc"),
    ("gain_a_vs_wait", "datum.a_cw - datum.a_ww"),
    ("gain_b_vs_crunch", "datum.b_cc - datum.b_cw"),
    ("gain_b_vs_wait", "datum.b_wc - datum.b_ww"),
    ("sign_a_vs_crunch", _sign("gain_a_vs_crunch")),
    ("sign_a_vs_wait", _sign("gain_a_vs_wait")),
    ("sign_b_vs_crunch", _sign("gain_b_vs_crunch")),
    ("sign_b_vs_wait", _sign("gain_b_vs_wait")),
    ("a_dominant", _strategy("a")),
    ("b_dominant", _strategy("b")),
    ("nash_cc", "datum.sign_a_vs_crunch >= 0 && datum.sign_b_vs_crunch >= 0 ? 1 : 0"),
    ("nash_cw", "datum.sign_a_vs_wait >= 0 && datum.sign_b_vs_crunch <= 0 ? 1 : 0"),
    ("nash_wc", "datum.sign_a_vs_crunch <= 0 && datum.sign_b_vs_wait >= 0 ? 1 : 0"),
    ("nash_ww", "datum.sign_a_vs_wait <= 0 && datum.sign_b_vs_wait <= 0 ? 1 : 0"),
    ("equilibria_count", "datum.nash_cc + datum.nash_cw + datum.nash_wc + datum.nash_ww"),
    (
        "prisoners_dilemma",
        f"datum.equilibria_count == 1 && datum.nash_cc == 1 && datum.a_ww - datum.a_cc > {_TOL}"
        f" && datum.b_ww - datum.b_cc > {_TOL} ? 1 : 0",
    ),
    # The mixed equilibrium, when no cell is an equilibrium: each lab's crunch probability leaves
    # the other lab indifferent.
    (
        "mixed_a_crunch_probability",
        "datum.equilibria_count == 0 ? datum.gain_b_vs_wait / (datum.gain_b_vs_wait - datum.gain_b_vs_crunch) : null",
    ),
    (
        "mixed_b_crunch_probability",
        "datum.equilibria_count == 0 ? datum.gain_a_vs_wait / (datum.gain_a_vs_wait - datum.gain_a_vs_crunch) : null",
    ),
    (
        "mixed_expected_payoff_a",
        "datum.equilibria_count == 0 ? datum.mixed_b_crunch_probability * datum.a_wc"
        " + (1 - datum.mixed_b_crunch_probability) * datum.a_ww : null",
    ),
    (
        "mixed_expected_payoff_b",
        "datum.equilibria_count == 0 ? datum.mixed_a_crunch_probability * datum.b_cw"
        " + (1 - datum.mixed_a_crunch_probability) * datum.b_ww : null",
    ),
]

#: The grid: the game's outputs (the same steps), then each cell's payoffs, best responses,
#: equilibrium flag and chance in the mixed equilibrium.
_STEPS_GRID = RESULTS_STEPS + [
    (
        "share_a",
        "datum.a_crunch == datum.b_crunch ? size_share_a"
        " : (datum.a_crunch == 1 ? first_mover_share : 1 - first_mover_share)",
    ),
    ("payoff_a", "datum.share_a * prize_usd_bn - datum.a_crunch * crunch_cost_a_usd_bn"),
    (
        "alt_share_a",
        "datum.a_crunch != datum.b_crunch ? size_share_a"
        " : (datum.a_crunch == 0 ? first_mover_share : 1 - first_mover_share)",
    ),
    ("alt_payoff_a", "datum.alt_share_a * prize_usd_bn - (1 - datum.a_crunch) * crunch_cost_a_usd_bn"),
    (
        "share_b",
        "datum.a_crunch == datum.b_crunch ? 1 - size_share_a"
        " : (datum.b_crunch == 1 ? first_mover_share : 1 - first_mover_share)",
    ),
    ("payoff_b", "datum.share_b * prize_usd_bn - datum.b_crunch * crunch_cost_b_usd_bn"),
    (
        "alt_share_b",
        "datum.a_crunch != datum.b_crunch ? 1 - size_share_a"
        " : (datum.b_crunch == 0 ? first_mover_share : 1 - first_mover_share)",
    ),
    ("alt_payoff_b", "datum.alt_share_b * prize_usd_bn - (1 - datum.b_crunch) * crunch_cost_b_usd_bn"),
    ("a_best", f"datum.payoff_a - datum.alt_payoff_a >= -{_TOL} ? 1 : 0"),
    ("b_best", f"datum.payoff_b - datum.alt_payoff_b >= -{_TOL} ? 1 : 0"),
    ("nash", "datum.a_best == 1 && datum.b_best == 1 ? 1 : 0"),
    (
        "cell_probability",
        "datum.equilibria_count == 0 ?"
        " (datum.a_crunch == 1 ? datum.mixed_a_crunch_probability : 1 - datum.mixed_a_crunch_probability)"
        " * (datum.b_crunch == 1 ? datum.mixed_b_crunch_probability : 1 - datum.mixed_b_crunch_probability)"
        " : null",
    ),
    ("a_action", "datum.a_crunch == 1 ? 'A crunches' : 'A waits'"),
    ("b_action", "datum.b_crunch == 1 ? 'B crunches' : 'B waits'"),
    ("status", "datum.nash == 1 ? 'Nash equilibrium' : 'Not an equilibrium'"),
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
    x = alt.X(
        "b_action:N",
        sort=["B crunches", "B waits"],
        title="Lab B's choice",
        axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold"),
    )
    y = alt.Y(
        "a_action:N", sort=["A crunches", "A waits"], title="Lab A's choice", axis=alt.Axis(labelFontWeight="bold")
    )
    cells = grid.mark_rect(stroke="#000000").encode(
        x=x,
        y=y,
        color=alt.Color(
            "status:N",
            title="Outcome",
            scale=alt.Scale(domain=["Nash equilibrium", "Not an equilibrium"], range=[NASH_FILL, OTHER_FILL]),
            legend=alt.Legend(orient="bottom"),
        ),
        strokeWidth=alt.condition("datum.nash == 1", alt.value(4), alt.value(1)),
        tooltip=[
            alt.Tooltip("a_action:N", title="A"),
            alt.Tooltip("b_action:N", title="B"),
            alt.Tooltip("payoff_a:Q", format="$,.2f", title="A's payoff (USD bn)"),
            alt.Tooltip("payoff_b:Q", format="$,.2f", title="B's payoff (USD bn)"),
            alt.Tooltip("status:N", title="Outcome"),
        ],
    )
    labels = grid.transform_calculate(
        label_a="'A: $' + format(datum.payoff_a, ',.2f') + 'bn'",
        label_b="'B: $' + format(datum.payoff_b, ',.2f') + 'bn'",
        label_mixed="datum.cell_probability == null ? '' : 'Mixed play: ' + format(datum.cell_probability, '.0%')",
    )
    text_color = alt.condition("datum.nash == 1", alt.value("#ffffff"), alt.value("#000000"))
    text_a = labels.mark_text(fontSize=15, fontWeight="bold", dy=-18).encode(
        x=x, y=y, text="label_a:N", color=text_color
    )
    text_b = labels.mark_text(fontSize=15, dy=2).encode(x=x, y=y, text="label_b:N", color=text_color)
    # Only drawn when no cell is an equilibrium, so on light cells: always black.
    text_mixed = labels.mark_text(fontSize=13, fontStyle="italic", dy=24, color="#000000").encode(
        x=x, y=y, text="label_mixed:N"
    )
    matrix = alt.layer(cells.properties(name="outcomes"), text_a, text_b, text_mixed).properties(
        width=440, height=240, title=alt.Title(TITLE, subtitle=SUBTITLE, anchor="start")
    )
    return view(matrix, params=params, description=DESCRIPTION, label_font_size=13)


def _expected_grid(inputs: Mapping[str, float], row: Mapping[str, object]) -> dict[str, float | None]:
    r = model.evaluate(**inputs)
    a, b = int(row["a_crunch"]), int(row["b_crunch"])
    cell = r.cell(next(code for code, ca, cb in model.CELLS if (ca, cb) == (a, b)))
    p, m, s = inputs["prize_usd_bn"], inputs["first_mover_share"], inputs["size_share_a"]
    ca, cb = inputs["crunch_cost_a_usd_bn"], inputs["crunch_cost_b_usd_bn"]
    probability = None
    if r.mixed is not None:
        pa, qb = r.mixed.a_crunch_probability, r.mixed.b_crunch_probability
        probability = (pa if a else 1 - pa) * (qb if b else 1 - qb)
    return {
        "share_a": model.prize_share(a, b, s, m),
        "alt_share_a": model.prize_share(1 - a, b, s, m),
        "alt_payoff_a": model.payoff(1 - a, b, p, s, m, ca),
        "share_b": model.prize_share(b, a, 1 - s, m),
        "alt_share_b": model.prize_share(1 - b, a, 1 - s, m),
        "alt_payoff_b": model.payoff(1 - b, a, p, 1 - s, m, cb),
        "payoff_a": cell.payoff_a,
        "payoff_b": cell.payoff_b,
        "a_best": cell.a_best,
        "b_best": cell.b_best,
        "nash": cell.nash,
        "cell_probability": probability,
    }


#: Knife edges (ties within the model's tolerance), each over the defaults: random points never
#: hit them, and at each a comparison without the tolerance gives a wrong reading.
EDGE_CASES = (
    # The chapter's threshold example: 70% share, cost 2, equal sizes; each lab indifferent,
    # all four outcomes equilibria (0.3 * 10 is 3.0000000000000004, not 3).
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.7,
        "crunch_cost_a_usd_bn": 2,
        "crunch_cost_b_usd_bn": 2,
        "size_share_a": 0.5,
    },
    # The same at 60% and cost 1.
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.6,
        "crunch_cost_a_usd_bn": 1,
        "crunch_cost_b_usd_bn": 1,
        "size_share_a": 0.5,
    },
    # Crunching weakly dominant for both (a tie against a crunching rival for A, a waiting one
    # for B): both crunch, and A waiting while B crunches, are equilibria.
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.7,
        "crunch_cost_a_usd_bn": 1,
        "crunch_cost_b_usd_bn": 1,
        "size_share_a": 0.4,
    },
    # The incumbent and the challenger at B's cost of 3.5: waiting weakly dominant for B, both wait.
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.6,
        "crunch_cost_a_usd_bn": 0.5,
        "crunch_cost_b_usd_bn": 3.5,
        "size_share_a": 0.75,
    },
    # The incumbent is B: A does the opposite of B, B matches; the mixed equilibrium.
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.6,
        "crunch_cost_a_usd_bn": 0.5,
        "crunch_cost_b_usd_bn": 0.5,
        "size_share_a": 0.25,
    },
    # One lab's crunch costs nothing: for it, both crunching pays exactly what both waiting pays,
    # so both crunch is the only equilibrium but not a prisoner's dilemma.
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.7,
        "crunch_cost_a_usd_bn": 0,
        "crunch_cost_b_usd_bn": 0.5,
        "size_share_a": 0.5,
    },
    {
        "prize_usd_bn": 10,
        "first_mover_share": 0.7,
        "crunch_cost_a_usd_bn": 0.5,
        "crunch_cost_b_usd_bn": 0,
        "size_share_a": 0.5,
    },
)


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
        edge_cases=EDGE_CASES,
        checks=(
            ParityCheck(
                columns=(
                    "share_a",
                    "alt_share_a",
                    "alt_payoff_a",
                    "share_b",
                    "alt_share_b",
                    "alt_payoff_b",
                    "payoff_a",
                    "payoff_b",
                    "a_best",
                    "b_best",
                    "nash",
                    "cell_probability",
                ),
                expected=_expected_grid,
            ),
        ),
    )
)
