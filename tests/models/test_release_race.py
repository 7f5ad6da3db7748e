"""Release-race game against payoff matrices worked out by hand (arithmetic written out)."""

import math

import pytest

from omcd.models import release_race as m

# Equal sizes, prize 10, sole first mover takes 70%, each crunch costs 0.5 (USD bn).
SYMMETRIC = dict(
    prize_usd_bn=10, first_mover_share=0.7, crunch_cost_a_usd_bn=0.5, crunch_cost_b_usd_bn=0.5, size_share_a=0.5
)


def approx(x):
    return pytest.approx(x, rel=1e-12, abs=1e-12)


def payoffs(result):
    return {c.code: (c.payoff_a, c.payoff_b) for c in result.cells}


def test_symmetric_matrix_by_hand():
    p = payoffs(m.evaluate(**SYMMETRIC))
    assert p["CC"] == (approx(0.5 * 10 - 0.5), approx(0.5 * 10 - 0.5))  # 4.5, 4.5
    assert p["CW"] == (approx(0.7 * 10 - 0.5), approx(0.3 * 10))  # 6.5, 3.0
    assert p["WC"] == (approx(0.3 * 10), approx(0.7 * 10 - 0.5))  # 3.0, 6.5
    assert p["WW"] == (approx(5.0), approx(5.0))


def test_symmetric_game_is_a_prisoners_dilemma():
    # A: vs B crunching, crunch 4.5 > wait 3.0; vs B waiting, crunch 6.5 > wait 5.0 -> crunch dominant.
    r = m.evaluate(**SYMMETRIC)
    assert r.a_dominant == m.CRUNCH_STRICT and r.b_dominant == m.CRUNCH_STRICT
    assert r.equilibria == ["CC"] and r.equilibria_count == 1 and r.mixed is None
    assert r.prisoners_dilemma == 1  # (4.5, 4.5) is worse for both than (5, 5)
    assert "prisoner's dilemma" in m.summary(r)


def test_known_matrix_equilibria_and_best_responses():
    # Incumbent A (75% when together), first mover takes 60%, costs 0.5 each, prize 10:
    #   CC: A 7.5-0.5=7.0, B 2.5-0.5=2.0   CW: A 6.0-0.5=5.5, B 4.0
    #   WC: A 4.0,        B 6.0-0.5=5.5    WW: A 7.5,         B 2.5
    # A, the larger lab, matches B (crunch 7.0 > 4.0 if B crunches; wait 7.5 > 5.5 if B waits);
    # B does the opposite (wait 4.0 > 2.0 if A crunches; crunch 5.5 > 2.5 if A waits): no pure equilibrium.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.6, "size_share_a": 0.75})
    p = payoffs(r)
    assert p["CC"] == (approx(7.0), approx(2.0))
    assert p["CW"] == (approx(5.5), approx(4.0))
    assert p["WC"] == (approx(4.0), approx(5.5))
    assert p["WW"] == (approx(7.5), approx(2.5))
    assert r.equilibria == [] and r.equilibria_count == 0 and r.prisoners_dilemma == 0
    assert r.a_dominant == m.MATCH and r.b_dominant == m.OPPOSE
    assert [(c.a_best, c.b_best) for c in r.cells] == [(1, 0), (0, 1), (0, 1), (1, 0)]


def test_mixed_equilibrium_by_hand():
    # Same game. A's gains from crunching: +3.0 against a crunching B (7.0 - 4.0), -2.0 against a
    # waiting B (5.5 - 7.5). A is indifferent when B crunches with probability q: 3q - 2(1 - q) = 0,
    # q = 0.4. B's gains: -2.0 against a crunching A (2.0 - 4.0), +3.0 against a waiting A
    # (5.5 - 2.5); B is indifferent when A crunches with p: -2p + 3(1 - p) = 0, p = 0.6.
    # A expects 0.4 * 4.0 + 0.6 * 7.5 = 6.1 (waiting) = 0.4 * 7.0 + 0.6 * 5.5 (crunching);
    # B expects 0.6 * 4.0 + 0.4 * 2.5 = 3.4 (waiting) = 0.6 * 2.0 + 0.4 * 5.5 (crunching).
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.6, "size_share_a": 0.75})
    assert r.mixed.a_crunch_probability == approx(0.6)
    assert r.mixed.b_crunch_probability == approx(0.4)
    assert r.mixed.expected_payoff_a == approx(6.1) and r.mixed.expected_payoff_b == approx(3.4)
    text = m.summary(r)
    assert "no pure-strategy equilibrium" in text and "A crunches with probability 60%" in text
    assert "B with 40%" in text and "A $6.10bn, B $3.40bn" in text
    assert "match lab B" in text and "opposite of lab A" in text
    out = m.outputs({**SYMMETRIC, "first_mover_share": 0.6, "size_share_a": 0.75})
    assert out["mixed_a_crunch_probability"] == approx(0.6) and out["mixed_expected_payoff_b"] == approx(3.4)


def test_mixed_equilibrium_leaves_each_lab_indifferent():
    # The defining property, at a game with no pure equilibrium and unequal costs.
    inputs = {
        **SYMMETRIC,
        "first_mover_share": 0.62,
        "size_share_a": 0.8,
        "crunch_cost_a_usd_bn": 0.3,
        "crunch_cost_b_usd_bn": 1.1,
        "prize_usd_bn": 17.5,
    }
    r = m.evaluate(**inputs)
    assert r.equilibria == []
    p_a, q_b = r.mixed.a_crunch_probability, r.mixed.b_crunch_probability
    assert 0 < p_a < 1 and 0 < q_b < 1
    pay = {c.code: (c.payoff_a, c.payoff_b) for c in r.cells}
    a_crunch = q_b * pay["CC"][0] + (1 - q_b) * pay["CW"][0]
    a_wait = q_b * pay["WC"][0] + (1 - q_b) * pay["WW"][0]
    b_crunch = p_a * pay["CC"][1] + (1 - p_a) * pay["WC"][1]
    b_wait = p_a * pay["CW"][1] + (1 - p_a) * pay["WW"][1]
    assert a_crunch == pytest.approx(a_wait, rel=1e-12) == pytest.approx(r.mixed.expected_payoff_a, rel=1e-12)
    assert b_crunch == pytest.approx(b_wait, rel=1e-12) == pytest.approx(r.mixed.expected_payoff_b, rel=1e-12)


def test_no_mixed_equilibrium_reported_when_a_pure_one_exists():
    r = m.evaluate(**SYMMETRIC)
    assert r.mixed is None
    assert m.outputs(SYMMETRIC)["mixed_a_crunch_probability"] is None


# Knife edges: payoffs that are equal on paper but not in floating point (0.3 * 10 is
# 3.0000000000000004). Exact comparisons got every one of these wrong.


def test_threshold_example_is_a_tie_everywhere():
    # Equal sizes, 70% share, cost 2 = the threshold 0.5 + 2/10: each gain from crunching is
    # (0.7 - 0.5) * 10 - 2 = 0. Each lab is indifferent, and all four outcomes are equilibria.
    r = m.evaluate(**{**SYMMETRIC, "crunch_cost_a_usd_bn": 2, "crunch_cost_b_usd_bn": 2})
    assert r.equilibria == ["CC", "CW", "WC", "WW"]
    assert r.a_dominant == m.INDIFFERENT and r.b_dominant == m.INDIFFERENT
    assert r.prisoners_dilemma == 0 and r.mixed is None
    text = m.summary(r)
    assert "Lab A is indifferent" in text and "is dominant" not in text and "no pure" not in text


def test_weak_dominance_is_called_weak():
    # A is the smaller lab (40%), m = 70%, costs 1, prize 10. A's gains: against a crunching B
    # (0.4 + 0.7 - 1) * 10 - 1 = 0 (a tie), against a waiting B (0.7 - 0.4) * 10 - 1 = 2.
    # B's gains: against a crunching A (0.7 - 0.4) * 10 - 1 = 2, against a waiting A 0 (a tie).
    # Both labs weakly prefer crunching; both crunch, and A waiting while B crunches, are equilibria.
    r = m.evaluate(
        **{
            **SYMMETRIC,
            "first_mover_share": 0.7,
            "size_share_a": 0.4,
            "crunch_cost_a_usd_bn": 1,
            "crunch_cost_b_usd_bn": 1,
        }
    )
    assert r.gain_a_vs_crunch == pytest.approx(0, abs=1e-12) and r.gain_a_vs_wait == approx(2)
    assert r.a_dominant == m.CRUNCH_WEAK and r.b_dominant == m.CRUNCH_WEAK
    assert r.equilibria == ["CC", "WC"]
    text = m.summary(r)
    assert "Crunching is weakly dominant for lab A" in text and "pays more whatever" not in text


def test_weak_dominance_of_waiting_at_the_challengers_threshold_cost():
    # Incumbent game with B's crunch cost 3.5: B's gain against a waiting A is 0.6 * 10 - 3.5 - 2.5 = 0,
    # against a crunching A 2.5 - 3.5 - 4.0 = -5: waiting is weakly dominant for B; both wait.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.6, "size_share_a": 0.75, "crunch_cost_b_usd_bn": 3.5})
    assert r.b_dominant == m.WAIT_WEAK and r.a_dominant == m.MATCH
    assert r.equilibria == ["WW"] and r.mixed is None
    assert "Waiting is weakly dominant for lab B" in m.summary(r)


def test_game_shapes_the_model_can_produce():
    # Over a grid of inputs: the game has no pure equilibrium exactly when one lab matches and the
    # other does the opposite, and the lab that matches is the larger one; two labs that both want
    # to do the opposite of each other (chicken), or both want to match, never occur.
    shapes = set()
    for prize in (1, 10, 55.5):
        for share in (0.0, 0.3, 0.5, 0.62, 0.9, 1.0):
            for size in (0.05, 0.3, 0.5, 0.75, 0.95):
                for cost_a in (0, 0.5, 3, 20):
                    for cost_b in (0, 1.5, 20):
                        r = m.evaluate(
                            prize_usd_bn=prize,
                            first_mover_share=share,
                            size_share_a=size,
                            crunch_cost_a_usd_bn=cost_a,
                            crunch_cost_b_usd_bn=cost_b,
                        )
                        codes = (r.a_dominant, r.b_dominant)
                        shapes.add(codes)
                        assert codes not in {(m.MATCH, m.MATCH), (m.OPPOSE, m.OPPOSE)}
                        assert (r.equilibria_count == 0) == (set(codes) == {m.MATCH, m.OPPOSE})
                        if r.a_dominant == m.MATCH:
                            assert size > 0.5
                        if r.b_dominant == m.MATCH:
                            assert size < 0.5
                        assert (r.mixed is None) == (r.equilibria_count > 0)
    assert (m.MATCH, m.OPPOSE) in shapes and (m.OPPOSE, m.MATCH) in shapes


def test_waiting_dominant_when_first_mover_gain_is_small():
    # m = 0.55: crunching alone gains (0.55 - 0.5) * 10 = 0.5 at a cost of 1.0 -> never worth it.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.55, "crunch_cost_a_usd_bn": 1.0, "crunch_cost_b_usd_bn": 1.0})
    assert r.a_dominant == m.WAIT_STRICT and r.b_dominant == m.WAIT_STRICT
    assert r.equilibria == ["WW"] and r.prisoners_dilemma == 0


def test_negative_first_mover_gain_makes_waiting_dominant():
    # m = 0.3, costs 0: a sole crunching lab ends up with less (e.g. shipping a weaker model).
    #   vs B crunching: A crunch 5 < wait 7; vs B waiting: A crunch 3 < wait 5 -> wait dominant.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.3, "crunch_cost_a_usd_bn": 0, "crunch_cost_b_usd_bn": 0})
    assert r.a_dominant == m.WAIT_STRICT and r.equilibria == ["WW"]


def test_large_first_mover_share_outweighs_large_costs():
    # m = 0.9, costs 3: vs B crunching, A crunch 5 - 3 = 2 > wait 1; vs B waiting, 9 - 3 = 6 > 5.
    r = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.9, "crunch_cost_a_usd_bn": 3, "crunch_cost_b_usd_bn": 3})
    assert payoffs(r)["CC"] == (approx(2.0), approx(2.0))
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 1  # 2 < 5 for both


def test_dominance_threshold_equal_sizes():
    # m* = 1/2 + c / P = 0.5 + 0.5 / 10 = 0.55
    assert m.crunch_dominance_threshold(10, 0.5) == approx(0.55)
    just_above = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.56})
    just_below = m.evaluate(**{**SYMMETRIC, "first_mover_share": 0.54})
    assert just_above.a_dominant == m.CRUNCH_STRICT
    assert just_below.a_dominant == m.WAIT_STRICT


def test_zero_cost_crunch_gives_no_dilemma():
    # Costs 0, m = 0.7: CC (5, 5) = WW (5, 5): both crunch is the equilibrium, but nobody loses by it.
    r = m.evaluate(**{**SYMMETRIC, "crunch_cost_a_usd_bn": 0, "crunch_cost_b_usd_bn": 0})
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 0
    # One lab's cost 0: it loses nothing by both crunching, so still no dilemma.
    r = m.evaluate(**{**SYMMETRIC, "crunch_cost_a_usd_bn": 0})
    assert r.equilibria == ["CC"] and r.prisoners_dilemma == 0


@pytest.mark.parametrize(
    "name, bad, fragment",
    [
        ("first_mover_share", 1.2, "0 to 1 share"),
        ("prize_usd_bn", 0, "1 to 100 USD bn"),
        ("crunch_cost_a_usd_bn", -1, "0 to 20 USD bn"),
        ("size_share_a", 1.0, "0.05 to 0.95"),
        ("prize_usd_bn", float("nan"), "finite"),
        ("crunch_cost_b_usd_bn", "high", "must be a number"),
    ],
)
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


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: m.payoff(2, 0, 10, 0.5, 0.7, 0.5), "own_crunch"),
        (lambda: m.payoff(1, 0.5, 10, 0.5, 0.7, 0.5), "rival_crunch"),
        (lambda: m.payoff(1, 0, float("nan"), 0.5, 0.7, 0.5), "prize_usd_bn"),
        (lambda: m.payoff(1, 0, 10, 0.5, 0.7, -1), "own_crunch_cost_usd_bn"),
        (lambda: m.prize_share(1, 0, 1e308, 0.7), "own_size_share"),
        (lambda: m.crunch_dominance_threshold(0, 0.5), "prize_usd_bn"),
        (lambda: m.crunch_dominance_threshold(10, float("inf")), "crunch_cost_usd_bn"),
    ],
)
def test_helpers_name_the_bad_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()
