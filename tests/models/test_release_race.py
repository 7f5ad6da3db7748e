"""Release-race game against payoff matrices worked out by hand (arithmetic written out)."""

import math

import pytest

from omcd.models import release_race as m

# Equal sizes, prize 10, sole first mover takes 70%, each crunch costs 0.5 (USD bn).
SYMMETRIC = dict(prize_usd_bn=10, first_mover_share=0.7, crunch_cost_a_usd_bn=0.5,
                 crunch_cost_b_usd_bn=0.5, size_share_a=0.5)


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def payoffs(result):
    return {c.code: (c.payoff_a, c.payoff_b) for c in result.cells}


def test_symmetric_matrix_by_hand():
    p = payoffs(m.evaluate(**SYMMETRIC))
    assert p["CC"] == (approx(0.5 * 10 - 0.5), approx(0.5 * 10 - 0.5))   # 4.5, 4.5
    assert p["CW"] == (approx(0.7 * 10 - 0.5), approx(0.3 * 10))         # 6.5, 3.0
    assert p["WC"] == (approx(0.3 * 10), approx(0.7 * 10 - 0.5))         # 3.0, 6.5
    assert p["WW"] == (approx(5.0), approx(5.0))


def test_symmetric_game_is_a_prisoners_dilemma():
    # A: vs B crunching, crunch 4.5 > wait 3.0; vs B waiting, crunch 6.5 > wait 5.0 -> crunch dominant.
    r = m.evaluate(**SYMMETRIC)
    assert r.a_dominant == m.CRUNCH_DOMINANT and r.b_dominant == m.CRUNCH_DOMINANT
    assert r.equilibria == ["CC"] and r.equilibria_count == 1
    assert r.prisoners_dilemma == 1  # (4.5, 4.5) is worse for both than (5, 5)
    assert "prisoner's dilemma" in m.summary(r)


def test_known_matrix_equilibria_and_best_responses():
    # Incumbent A (75% when together), first mover takes 60%, costs 0.5 each, prize 10:
    #   CC: A 7.5-0.5=7.0, B 2.5-0.5=2.0   CW: A 6.0-0.5=5.5, B 4.0
    #   WC: A 4.0,        B 6.0-0.5=5.5    WW: A 7.5,         B 2.5
    # A matches B (crunch 7.0 > 4.0 if B crunches; wait 7.5 > 5.5 if B waits);
    # B does the opposite (wait 4.0 > 2.0 if A crunches; crunch 5.5 > 2.5 if A waits): no pure equilibrium.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.6, "size_share_a": 0.75})
    p = payoffs(r)
    assert p["CC"] == (approx(7.0), approx(2.0))
    assert p["CW"] == (approx(5.5), approx(4.0))
    assert p["WC"] == (approx(4.0), approx(5.5))
    assert p["WW"] == (approx(7.5), approx(2.5))
    assert r.equilibria == [] and r.equilibria_count == 0 and r.prisoners_dilemma == 0
    assert r.a_dominant == m.NO_DOMINANT and r.b_dominant == m.NO_DOMINANT
    assert [(c.a_best, c.b_best) for c in r.cells] == [(1, 0), (0, 1), (0, 1), (1, 0)]


def test_waiting_dominant_when_first_mover_gain_is_small():
    # m = 0.55: crunching alone gains (0.55 - 0.5) * 10 = 0.5 at a cost of 1.0 -> never worth it.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.55, "crunch_cost_a_usd_bn": 1.0,
                      "crunch_cost_b_usd_bn": 1.0})
    assert r.a_dominant == m.WAIT_DOMINANT and r.b_dominant == m.WAIT_DOMINANT
    assert r.equilibria == ["WW"] and r.prisoners_dilemma == 0


def test_negative_first_mover_gain_makes_waiting_dominant():
    # m = 0.3, costs 0: a sole crunching lab ends up with less (e.g. shipping a weaker model).
    #   vs B crunching: A crunch 5 < wait 7; vs B waiting: A crunch 3 < wait 5 -> wait dominant.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.3, "crunch_cost_a_usd_bn": 0,
                      "crunch_cost_b_usd_bn": 0})
    assert r.a_dominant == m.WAIT_DOMINANT and r.equilibria == ["WW"]


def test_large_first_mover_share_outweighs_large_costs():
    # m = 0.9, costs 3: vs B crunching, A crunch 5 - 3 = 2 > wait 1; vs B waiting, 9 - 3 = 6 > 5.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.9, "crunch_cost_a_usd_bn": 3,
                      "crunch_cost_b_usd_bn": 3})
    assert payoffs(r)["CC"] == (approx(2.0), approx(2.0))
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 1  # 2 < 5 for both


def test_dominance_threshold_equal_sizes():
    # m* = 1/2 + c / P = 0.5 + 0.5 / 10 = 0.55
    assert m.crunch_dominance_threshold(10, 0.5) == approx(0.55)
    just_above = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.56})
    just_below = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.54})
    assert just_above.a_dominant == m.CRUNCH_DOMINANT
    assert just_below.a_dominant == m.WAIT_DOMINANT


def test_zero_cost_crunch_is_weakly_dominant_and_no_dilemma():
    # Costs 0, m = 0.7: CC (5, 5) = WW (5, 5): both crunch is the equilibrium, but nobody loses by it.
    r = m.evaluate(**{**SYMMETRIC, "crunch_cost_a_usd_bn": 0, "crunch_cost_b_usd_bn": 0})
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 0


@pytest.mark.parametrize("name, bad, fragment", [
    ("first_mover_share", 1.2, "0 to 1 share"),
    ("prize_usd_bn", 0, "1 to 100 USD bn"),
    ("crunch_cost_a_usd_bn", -1, "0 to 20 USD bn"),
    ("size_share_a", 1.0, "0.05 to 0.95"),
    ("prize_usd_bn", float("nan"), "finite"),
    ("crunch_cost_b_usd_bn", "high", "must be a number"),
])
def test_bad_input_names_parameter_and_range(name, bad, fragment):
    with pytest.raises(ValueError) as error:
        m.evaluate(**{**SYMMETRIC, name: bad})
    assert name in str(error.value) and fragment in str(error.value)


def test_unknown_and_missing_parameters_are_named():
    with pytest.raises(ValueError, match="Unknown parameter.*prize_usd"):
        m.evaluate(**SYMMETRIC, prize_usd=1)
    partial = dict(SYMMETRIC)
    del partial["size_share_a"]
    with pytest.raises(ValueError, match="Missing parameter.*size_share_a"):
        m.evaluate(**partial)


def test_outputs_are_finite_at_the_corners():
    for inputs in ({p.name: p.minimum for p in m.PARAMS}, {p.name: p.maximum for p in m.PARAMS}):
        r = m.evaluate(**inputs)
        assert all(math.isfinite(c.payoff_a) and math.isfinite(c.payoff_b) for c in r.cells)
