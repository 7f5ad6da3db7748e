"""Crunch or wait? A release race between two AI labs as a one-shot 2x2 game.

Two labs, A and B, each choose at the same time to **crunch** (ship fast: overtime, cancelled
holidays, burnout and quality risk, all summed up in a crunch cost) or to **wait** (ship on the
normal schedule). A market worth ``prize_usd_bn`` is at stake. All money is in billions of US
dollars; the model is a stylised, illustrative game, not a forecast.

Payoff rules (``P`` prize, ``s`` lab A's share of the prize when both labs move at the same pace,
so B's is ``1 - s``; ``m`` the share of the prize that a *sole* crunching lab takes, the waiting
lab keeping ``1 - m``; ``cA``, ``cB`` the crunch costs):

=============  ==========================  ==========================
A \\ B          B crunches                  B waits
=============  ==========================  ==========================
A crunches     ``s P - cA``, ``(1-s) P - cB``  ``m P - cA``, ``(1-m) P``
A waits        ``(1-m) P``, ``m P - cB``       ``s P``, ``(1-s) P``
=============  ==========================  ==========================

* Both crunch or both wait: they arrive together and split the prize by size (``s`` and
  ``1 - s``); each crunching lab pays its crunch cost.
* Exactly one crunches: it takes ``m`` of the prize (the first-mover share), whatever its size;
  the waiting lab keeps ``1 - m``.

Best responses are weak, and ties are stated: an action is a best response when it pays at least
as much as the other action against the rival's action, payoffs closer than
:data:`TIE_TOLERANCE_USD_BN` (one US dollar) counting as equal, so that rounding in the
computer's arithmetic cannot break a tie (at 70% and a cost of 2, for example, ``0.3 * 10`` is
``3.0000000000000004``). A cell is a (pure-strategy) **Nash equilibrium** when each lab's action
is a best response to the other's.

Each lab's **gain from crunching** against each rival action decides its strategy. For lab A:

* against a waiting B: ``gw = (m - s) P - cA``;
* against a crunching B: ``gc = (s + m - 1) P - cA``.

Crunching is *strictly dominant* when both gains are positive, *weakly dominant* when both are
at least zero and one is zero (the lab is indifferent against one rival action); the same for
waiting with negative gains; the lab is *indifferent* when both are zero. Otherwise the gains
have opposite signs and the lab's best move depends on the rival's: it **matches** it (crunch
against a crunch, wait against a wait: ``gc > 0 > gw``) or does the **opposite**
(``gw > 0 > gc``).

Which game shapes the model can produce: ``gw - gc = (1 - 2s) P`` for lab A and ``(2s - 1) P``
for lab B, of opposite signs. So only the larger lab can want to match and only the smaller to
do the opposite; with equal sizes (``s = 1/2``) each lab has a dominant strategy (weakly, at a
tie). Two labs that both want to do the opposite of each other (a game of chicken) or both want
to match (a coordination game) cannot occur. The game has **no pure-strategy equilibrium**
exactly when the larger lab wants to match and the smaller to do the opposite (like matching
pennies); it then has one **mixed-strategy equilibrium**, in which each lab crunches with the
probability that leaves the *other* indifferent:

* B crunches with probability ``qB = gwA / (gwA - gcA)`` (A's gains),
* A crunches with probability ``pA = gwB / (gwB - gcB)`` (B's gains),

and each lab expects what waiting (or, equally, crunching) earns it against that mix, e.g. A:
``qB (1 - m) P + (1 - qB) s P``.

With equal sizes (``s = 1/2``) both gains of a lab are ``(m - 1/2) P - c``: crunching is dominant
exactly when the first-mover share exceeds one half by more than the crunch cost as a share of
the prize, ``m > 1/2 + c / P``; at equality the lab is indifferent (both actions pay the same
against either rival move, and all four outcomes are equilibria when both labs sit there). The game is a **prisoner's dilemma** when the
only equilibrium is "both crunch" while both labs would be better off if both waited (true as
soon as both crunch costs are positive: with both crunching, each gets its size share minus its
cost).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from omcd.formats import Case, Cmp, Fmt, Note, Sentence, Shown, Verdict
from omcd.params import Param, validate

PARAMS: tuple[Param, ...] = (
    Param("prize_usd_bn", "Prize: value of the market at stake", "USD bn", 1, 100, 0.5, fmt="$,.1f"),
    Param("first_mover_share", "Share of the prize a sole crunching lab takes", "share", 0, 1, 0.01, fmt=".0%"),
    Param("crunch_cost_a_usd_bn", "Crunch cost of lab A", "USD bn", 0, 20, 0.05, fmt="$,.2f"),
    Param("crunch_cost_b_usd_bn", "Crunch cost of lab B", "USD bn", 0, 20, 0.05, fmt="$,.2f"),
    Param("size_share_a", "Lab A's share of the prize when both move together", "share", 0.05, 0.95, 0.01, fmt=".0%"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

#: Payoffs closer than this (USD bn, i.e. one US dollar) count as equal: a tie. On the sliders'
#: grid two payoffs that differ at all differ by at least USD 0.005bn; the computer's rounding
#: errors are below 1e-13.
TIE_TOLERANCE_USD_BN = 1e-9

#: The four outcomes, in reading order: (code, A crunches, B crunches).
CELLS: tuple[tuple[str, int, int], ...] = (("CC", 1, 1), ("CW", 1, 0), ("WC", 0, 1), ("WW", 0, 0))
ACTION = {1: "Crunch", 0: "Wait"}
#: Codes of a lab's strategy, from the signs of its two gains from crunching (see the module's
#: docstring): crunching strictly or weakly dominant, indifferent, waiting weakly or strictly
#: dominant, and, with no dominant strategy, matching the rival or doing the opposite.
CRUNCH_STRICT, CRUNCH_WEAK, INDIFFERENT, WAIT_WEAK, WAIT_STRICT = 2, 1, 0, -1, -2
MATCH, OPPOSE = 3, -3
#: Whether each code makes crunching (+1) or waiting (-1) a dominant strategy, weakly included.
DOMINANT_ACTION = {CRUNCH_STRICT: 1, CRUNCH_WEAK: 1, WAIT_WEAK: -1, WAIT_STRICT: -1}

# The helpers' own inputs, checked with the ranges of the calculator's inputs they stand for.
_CRUNCH = Param("own_crunch", "1 if the lab crunches, 0 if it waits", "", 0, 1, 1, integer=True, fmt=".0f")


def _check(name: str, value: object, like: Param) -> float:
    """``value`` checked against ``like``'s range, the error naming the argument ``name``."""
    return replace(like, name=name).check(value)


@dataclass(frozen=True)
class Cell:
    """One outcome of the game: both labs' actions (1 crunch, 0 wait), payoffs and flags."""

    code: str
    a_crunch: int
    b_crunch: int
    payoff_a: float
    payoff_b: float
    #: 1 when A's action in this cell is a best response to B's action, else 0 (same for B).
    a_best: int
    b_best: int
    #: 1 when the cell is a pure-strategy Nash equilibrium, else 0.
    nash: int


@dataclass(frozen=True)
class MixedEquilibrium:
    """The mixed-strategy equilibrium of a game with no pure-strategy equilibrium: each lab's
    probability of crunching, and each lab's expected payoff (USD bn)."""

    a_crunch_probability: float
    b_crunch_probability: float
    expected_payoff_a: float
    expected_payoff_b: float


@dataclass(frozen=True)
class ReleaseRaceResult:
    """The payoff matrix (four cells, in the order of :data:`CELLS`) and its reading."""

    cells: tuple[Cell, ...]
    #: Each lab's strategy code: :data:`CRUNCH_STRICT` ... :data:`OPPOSE`.
    a_dominant: int
    b_dominant: int
    equilibria_count: int
    #: 1 when "both crunch" is the only equilibrium and both labs would earn more if both waited.
    prisoners_dilemma: int
    #: Each lab's gain from crunching against a crunching and against a waiting rival (USD bn).
    gain_a_vs_crunch: float
    gain_a_vs_wait: float
    gain_b_vs_crunch: float
    gain_b_vs_wait: float
    #: The mixed-strategy equilibrium when there is no pure one; None otherwise.
    mixed: MixedEquilibrium | None

    def cell(self, code: str) -> Cell:
        found = [c for c in self.cells if c.code == code]
        if not found:
            raise ValueError(f"code = {code!r} is not an outcome; use one of {', '.join(c for c, _, _ in CELLS)}.")
        return found[0]

    @property
    def equilibria(self) -> list[str]:
        return [c.code for c in self.cells if c.nash]

    def summary_dict(self) -> dict[str, int]:
        return {
            "a_dominant": self.a_dominant,
            "b_dominant": self.b_dominant,
            "equilibria_count": self.equilibria_count,
            "prisoners_dilemma": self.prisoners_dilemma,
        }

    def as_dict(self) -> dict:
        return asdict(self)


def prize_share(own_crunch: int, rival_crunch: int, own_size_share: float, first_mover_share: float) -> float:
    """Share of the prize a lab takes: its size share if both labs act alike, ``m`` if it alone
    crunches, ``1 - m`` if it alone waits."""
    own = _check("own_crunch", own_crunch, _CRUNCH)
    rival = _check("rival_crunch", rival_crunch, _CRUNCH)
    size = _check("own_size_share", own_size_share, PARAM_BY_NAME["size_share_a"])
    m = _check("first_mover_share", first_mover_share, PARAM_BY_NAME["first_mover_share"])
    if own == rival:
        return size
    return m if own == 1 else 1.0 - m


def payoff(
    own_crunch: int,
    rival_crunch: int,
    prize_usd_bn: float,
    own_size_share: float,
    first_mover_share: float,
    own_crunch_cost_usd_bn: float,
) -> float:
    """A lab's payoff (USD bn): its prize share times the prize, minus its crunch cost if it crunches."""
    share = prize_share(own_crunch, rival_crunch, own_size_share, first_mover_share)
    prize = _check("prize_usd_bn", prize_usd_bn, PARAM_BY_NAME["prize_usd_bn"])
    cost = _check("own_crunch_cost_usd_bn", own_crunch_cost_usd_bn, PARAM_BY_NAME["crunch_cost_a_usd_bn"])
    return share * prize - own_crunch * cost


#: A gain from crunching: at most the prize, at least minus the prize and the crunch cost.
_GAIN = Param("gain_usd_bn", "Gain from crunching", "USD bn", -120, 100, 0.005, fmt="$,.3f")


def gain_sign(gain_usd_bn: float) -> int:
    """+1 for a gain above :data:`TIE_TOLERANCE_USD_BN`, -1 for a loss beyond it, 0 for a tie."""
    gain = _check("gain_usd_bn", gain_usd_bn, _GAIN)
    return 1 if gain > TIE_TOLERANCE_USD_BN else (-1 if gain < -TIE_TOLERANCE_USD_BN else 0)


def strategy(gain_vs_crunch_usd_bn: float, gain_vs_wait_usd_bn: float) -> int:
    """A lab's strategy code from its gains from crunching against a crunching and a waiting
    rival (see the module's docstring)."""
    vs_crunch = gain_sign(_check("gain_vs_crunch_usd_bn", gain_vs_crunch_usd_bn, _GAIN))
    vs_wait = gain_sign(_check("gain_vs_wait_usd_bn", gain_vs_wait_usd_bn, _GAIN))
    if vs_crunch != 0 and vs_crunch == -vs_wait:
        return MATCH if vs_crunch > 0 else OPPOSE
    return vs_crunch + vs_wait


def evaluate(**inputs: float) -> ReleaseRaceResult:
    """The 2x2 payoff matrix, best responses, equilibria, each lab's strategy and, with no pure
    equilibrium, the mixed one; raises ``ValueError`` for any input out of range."""
    x = validate(PARAMS, inputs)
    prize, m, s = x["prize_usd_bn"], x["first_mover_share"], x["size_share_a"]
    cost_a, cost_b = x["crunch_cost_a_usd_bn"], x["crunch_cost_b_usd_bn"]

    def pay_a(a: int, b: int) -> float:
        return payoff(a, b, prize, s, m, cost_a)

    def pay_b(a: int, b: int) -> float:
        return payoff(b, a, prize, 1.0 - s, m, cost_b)

    cells = []
    for code, a, b in CELLS:
        pa, pb = pay_a(a, b), pay_b(a, b)
        a_best = int(pa - pay_a(1 - a, b) >= -TIE_TOLERANCE_USD_BN)
        b_best = int(pb - pay_b(a, 1 - b) >= -TIE_TOLERANCE_USD_BN)
        cells.append(Cell(code, a, b, pa, pb, a_best, b_best, int(a_best == 1 and b_best == 1)))

    # Gains from crunching, against a crunching and a waiting rival.
    ga_c, ga_w = pay_a(1, 1) - pay_a(0, 1), pay_a(1, 0) - pay_a(0, 0)
    gb_c, gb_w = pay_b(1, 1) - pay_b(1, 0), pay_b(0, 1) - pay_b(0, 0)
    count = sum(c.nash for c in cells)
    cc, ww = cells[0], cells[3]
    dilemma = int(
        count == 1
        and cc.nash == 1
        and ww.payoff_a - cc.payoff_a > TIE_TOLERANCE_USD_BN
        and ww.payoff_b - cc.payoff_b > TIE_TOLERANCE_USD_BN
    )
    mixed = None
    if count == 0:
        # No pure equilibrium: one lab matches, the other opposes, so each lab's two gains have
        # strictly opposite signs and the denominators below are not zero.
        q_b = ga_w / (ga_w - ga_c)
        p_a = gb_w / (gb_w - gb_c)
        mixed = MixedEquilibrium(
            a_crunch_probability=p_a,
            b_crunch_probability=q_b,
            expected_payoff_a=q_b * pay_a(0, 1) + (1 - q_b) * pay_a(0, 0),
            expected_payoff_b=p_a * pay_b(1, 0) + (1 - p_a) * pay_b(0, 0),
        )
    return ReleaseRaceResult(
        tuple(cells), strategy(ga_c, ga_w), strategy(gb_c, gb_w), count, dilemma, ga_c, ga_w, gb_c, gb_w, mixed
    )


def crunch_dominance_threshold(prize_usd_bn: float, crunch_cost_usd_bn: float) -> float:
    """With equal sizes, the first-mover share above which crunching is dominant: ``1/2 + c / P``
    (at exactly this share the lab is indifferent between crunching and waiting).

    May exceed 1, in which case no first-mover share makes crunching dominant.
    """
    prize = _check("prize_usd_bn", prize_usd_bn, PARAM_BY_NAME["prize_usd_bn"])
    cost = _check("crunch_cost_usd_bn", crunch_cost_usd_bn, PARAM_BY_NAME["crunch_cost_a_usd_bn"])
    return 0.5 + cost / prize


def outputs(inputs) -> dict[str, float | None]:
    """The game's outputs at ``inputs``, by name: each outcome's payoffs (``a_cc`` is A's payoff
    when both crunch, ``b_cw`` B's when A crunches and B waits...) and whether it is an
    equilibrium (``nash_cc``...), each lab's strategy code, the count of equilibria, the
    prisoner's-dilemma flag and the mixed equilibrium (None when a pure one exists)."""
    return {k: (None if v is None else float(v)) for k, v in _context(evaluate(**inputs)).items()}


USD_BN = Fmt("$,.2f", "bn")
PROBABILITY = Fmt(".0%")
_OUTCOMES = (
    ("cc", "Both crunch", "both crunching"),
    ("cw", "A crunches, B waits", "A crunching while B waits"),
    ("wc", "A waits, B crunches", "A waiting while B crunches"),
    ("ww", "Both wait", "both waiting"),
)
_STRATEGY = {
    CRUNCH_STRICT: "crunch",
    CRUNCH_WEAK: "crunch, weakly (a tie against one rival move)",
    INDIFFERENT: "none: crunching and waiting pay the same",
    WAIT_WEAK: "wait, weakly (a tie against one rival move)",
    WAIT_STRICT: "wait",
    MATCH: "none: it matches the rival's move",
    OPPOSE: "none: it does the opposite of the rival",
}

#: The results a reader reads: each outcome's payoffs, then each lab's dominant strategy, then
#: the mixed-strategy equilibrium (when there is no pure one).
ROWS: tuple[Shown, ...] = (
    tuple(
        Shown(
            label,
            f"a_{key}",
            template=f"A {{a_{key}}}, B {{b_{key}}}",
            notes=(Note(Cmp(f"nash_{key}", "==", 1), " (equilibrium)"),),
        )
        for key, label, _ in _OUTCOMES
    )
    + tuple(
        Shown(
            f"Dominant strategy of lab {lab}",
            f"{lab.lower()}_dominant",
            template="",
            notes=tuple(Note(Cmp(f"{lab.lower()}_dominant", "==", code), text) for code, text in _STRATEGY.items()),
        )
        for lab in ("A", "B")
    )
    + (
        Shown(
            "Mixed equilibrium: chance each lab crunches",
            "mixed_a_crunch_probability",
            template="A {mixed_a_crunch_probability}, B {mixed_b_crunch_probability}",
            none="none: a pure equilibrium exists",
        ),
        Shown(
            "Mixed equilibrium: expected payoffs",
            "mixed_expected_payoff_a",
            template="A {mixed_expected_payoff_a}, B {mixed_expected_payoff_b}",
            none="none: a pure equilibrium exists",
        ),
    )
)


def _dominance_sentence(lab: str) -> Sentence:
    code = f"{lab.lower()}_dominant"
    rival = "B" if lab == "A" else "A"
    return Sentence(
        Case(
            Cmp(code, "==", CRUNCH_STRICT),
            f"Crunching is dominant for lab {lab}: it pays more whatever lab {rival} does.",
        ),
        Case(
            Cmp(code, "==", CRUNCH_WEAK),
            f"Crunching is weakly dominant for lab {lab}: it never pays less than waiting, and pays exactly "
            f"the same against one of lab {rival}'s moves.",
        ),
        Case(
            Cmp(code, "==", INDIFFERENT),
            f"Lab {lab} is indifferent: crunching and waiting pay it the same whatever lab {rival} does.",
        ),
        Case(
            Cmp(code, "==", WAIT_WEAK),
            f"Waiting is weakly dominant for lab {lab}: a crunch never pays more than waiting, and pays exactly "
            f"the same against one of lab {rival}'s moves.",
        ),
        Case(Cmp(code, "==", WAIT_STRICT), f"Waiting is dominant for lab {lab}: a crunch never pays for itself."),
        Case(
            Cmp(code, "==", MATCH),
            f"Lab {lab}'s best move is to match lab {rival}: crunch if it crunches, wait if it waits.",
        ),
        f"Lab {lab}'s best move is the opposite of lab {rival}'s: crunch if it waits, wait if it crunches.",
    )


#: The plain-language reading of the game, for a manager.
VERDICT = Verdict(
    (
        _dominance_sentence("A"),
        _dominance_sentence("B"),
        Sentence(
            Case(
                Cmp("equilibria_count", "==", 0),
                "There is no pure-strategy equilibrium: whatever the outcome, one lab would change its move. "
                "In the mixed-strategy equilibrium, each lab keeps the other guessing: A crunches with "
                "probability {mixed_a_crunch_probability} and B with {mixed_b_crunch_probability}, the odds "
                "that leave the rival indifferent, and they expect A {mixed_expected_payoff_a}, "
                "B {mixed_expected_payoff_b}.",
            ),
            "",
        ),
        *(
            Sentence(
                Case(
                    Cmp(f"nash_{key}", "==", 1),
                    f"{name[:1].upper()}{name[1:]} is an equilibrium (A {{a_{key}}}, B {{b_{key}}}).",
                ),
                "",
            )
            for key, _, name in _OUTCOMES
        ),
        Sentence(
            Case(
                Cmp("prisoners_dilemma", "==", 1),
                "It is a prisoner's dilemma: if both waited each would earn more (A {a_ww}, B {b_ww}), "
                "but neither can afford to wait alone.",
            ),
            "",
        ),
    ),
    formats={
        **{f"{lab}_{key}": USD_BN for lab in "ab" for key, _, _ in _OUTCOMES},
        "mixed_a_crunch_probability": PROBABILITY,
        "mixed_b_crunch_probability": PROBABILITY,
        "mixed_expected_payoff_a": USD_BN,
        "mixed_expected_payoff_b": USD_BN,
    },
)


def _context(result: ReleaseRaceResult) -> dict[str, float | None]:
    ctx: dict[str, float | None] = {}
    for c in result.cells:
        key = c.code.lower()
        ctx[f"a_{key}"], ctx[f"b_{key}"], ctx[f"nash_{key}"] = c.payoff_a, c.payoff_b, c.nash
    ctx.update(result.summary_dict())
    mixed = result.mixed
    ctx["mixed_a_crunch_probability"] = None if mixed is None else mixed.a_crunch_probability
    ctx["mixed_b_crunch_probability"] = None if mixed is None else mixed.b_crunch_probability
    ctx["mixed_expected_payoff_a"] = None if mixed is None else mixed.expected_payoff_a
    ctx["mixed_expected_payoff_b"] = None if mixed is None else mixed.expected_payoff_b
    return ctx


def summary(result: ReleaseRaceResult) -> str:
    """Plain-language reading of the game, for a manager (see :data:`VERDICT`)."""
    if not isinstance(result, ReleaseRaceResult):
        raise ValueError(f"result must be what release_race.evaluate returns; got {type(result).__name__}.")
    return VERDICT.text(_context(result), {})
