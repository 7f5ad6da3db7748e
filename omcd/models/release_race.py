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

Best responses are weak: an action is a best response when it pays at least as much as the other
action against the rival's action. A cell is a (pure-strategy) **Nash equilibrium** when each
lab's action is a best response to the other's. Crunching is **dominant** for a lab when it is a
best response to both of the rival's actions; waiting is dominant when waiting is; otherwise the
lab's best action depends on the rival's. For lab A:

* crunching beats waiting when B waits iff ``(m - s) P >= cA``;
* crunching beats waiting when B crunches iff ``(s + m - 1) P >= cA``.

With equal sizes (``s = 1/2``) both conditions are ``(m - 1/2) P >= c``: crunching is dominant
exactly when the first-mover share exceeds one half by more than the crunch cost as a share of
the prize, ``m >= 1/2 + c / P``. The game is a **prisoner's dilemma** when the only equilibrium
is "both crunch" while both labs would be better off if both waited (true as soon as both crunch
costs are positive: with both crunching, each gets its size share minus its cost).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from omcd.formats import Case, Cmp, Fmt, Note, Sentence, Shown, Verdict
from omcd.params import Param, validate

PARAMS: tuple[Param, ...] = (
    Param("prize_usd_bn", "Prize: value of the market at stake", "USD bn", 1, 100, 0.5, fmt="$,.1f"),
    Param("first_mover_share", "Share of the prize a sole crunching lab takes", "share", 0, 1, 0.01, fmt=".0%"),
    Param("crunch_cost_a_usd_bn", "Crunch cost of lab A", "USD bn", 0, 20, 0.05, fmt="$,.2f"),
    Param("crunch_cost_b_usd_bn", "Crunch cost of lab B", "USD bn", 0, 20, 0.05, fmt="$,.2f"),
    Param("size_share_a", "Lab A's share of the prize when both move together", "share", 0.05, 0.95, 0.01,
          fmt=".0%"),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}

#: The four outcomes, in reading order: (code, A crunches, B crunches).
CELLS: tuple[tuple[str, int, int], ...] = (("CC", 1, 1), ("CW", 1, 0), ("WC", 0, 1), ("WW", 0, 0))
ACTION = {1: "Crunch", 0: "Wait"}
#: Codes of a lab's dominant strategy.
CRUNCH_DOMINANT, NO_DOMINANT, WAIT_DOMINANT = 1, 0, -1


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
class ReleaseRaceResult:
    """The payoff matrix (four cells, in the order of :data:`CELLS`) and its reading."""

    cells: tuple[Cell, ...]
    #: +1 crunching is dominant, -1 waiting is dominant, 0 the best action depends on the rival.
    a_dominant: int
    b_dominant: int
    equilibria_count: int
    #: 1 when "both crunch" is the only equilibrium and both labs would earn more if both waited.
    prisoners_dilemma: int

    def cell(self, code: str) -> Cell:
        (found,) = [c for c in self.cells if c.code == code]
        return found

    @property
    def equilibria(self) -> list[str]:
        return [c.code for c in self.cells if c.nash]

    def summary_dict(self) -> dict[str, int]:
        return {"a_dominant": self.a_dominant, "b_dominant": self.b_dominant,
                "equilibria_count": self.equilibria_count, "prisoners_dilemma": self.prisoners_dilemma}

    def as_dict(self) -> dict:
        return asdict(self)


def prize_share(own_crunch: int, rival_crunch: int, own_size_share: float, first_mover_share: float) -> float:
    """Share of the prize a lab takes: its size share if both labs act alike, ``m`` if it alone
    crunches, ``1 - m`` if it alone waits."""
    if own_crunch == rival_crunch:
        return own_size_share
    return first_mover_share if own_crunch == 1 else 1.0 - first_mover_share


def payoff(own_crunch: int, rival_crunch: int, prize_usd_bn: float, own_size_share: float,
           first_mover_share: float, own_crunch_cost_usd_bn: float) -> float:
    """A lab's payoff (USD bn): its prize share times the prize, minus its crunch cost if it crunches."""
    share = prize_share(own_crunch, rival_crunch, own_size_share, first_mover_share)
    return share * prize_usd_bn - own_crunch * own_crunch_cost_usd_bn


def _dominance(best_vs_crunch: bool, best_vs_wait: bool, other_vs_crunch: bool, other_vs_wait: bool) -> int:
    """Dominance code from whether crunching is a (weak) best response to each rival action."""
    if best_vs_crunch and best_vs_wait:
        return CRUNCH_DOMINANT
    if other_vs_crunch and other_vs_wait:
        return WAIT_DOMINANT
    return NO_DOMINANT


def evaluate(**inputs: float) -> ReleaseRaceResult:
    """The 2x2 payoff matrix, best responses, equilibria and dominance; raises ``ValueError`` for
    any input out of range."""
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
        a_best = int(pa >= pay_a(1 - a, b))
        b_best = int(pb >= pay_b(a, 1 - b))
        cells.append(Cell(code, a, b, pa, pb, a_best, b_best, int(a_best == 1 and b_best == 1)))

    a_dom = _dominance(pay_a(1, 1) >= pay_a(0, 1), pay_a(1, 0) >= pay_a(0, 0),
                       pay_a(0, 1) >= pay_a(1, 1), pay_a(0, 0) >= pay_a(1, 0))
    b_dom = _dominance(pay_b(1, 1) >= pay_b(1, 0), pay_b(0, 1) >= pay_b(0, 0),
                       pay_b(1, 0) >= pay_b(1, 1), pay_b(0, 0) >= pay_b(0, 1))
    count = sum(c.nash for c in cells)
    cc, ww = cells[0], cells[3]
    dilemma = int(count == 1 and cc.nash == 1 and ww.payoff_a > cc.payoff_a and ww.payoff_b > cc.payoff_b)
    return ReleaseRaceResult(tuple(cells), a_dom, b_dom, count, dilemma)


def crunch_dominance_threshold(prize_usd_bn: float, crunch_cost_usd_bn: float) -> float:
    """With equal sizes, the first-mover share above which crunching is dominant: ``1/2 + c / P``.

    May exceed 1, in which case no first-mover share makes crunching dominant.
    """
    PARAM_BY_NAME["prize_usd_bn"].check(prize_usd_bn)
    PARAM_BY_NAME["crunch_cost_a_usd_bn"].check(crunch_cost_usd_bn)
    return 0.5 + crunch_cost_usd_bn / prize_usd_bn


def outputs(inputs) -> dict[str, float]:
    """The game's outputs at ``inputs``, by name: each outcome's payoffs (``a_cc`` is A's payoff
    when both crunch, ``b_cw`` B's when A crunches and B waits...) and whether it is an
    equilibrium (``nash_cc``...), each lab's dominant strategy, the count of equilibria and the
    prisoner's-dilemma flag."""
    r = evaluate(**inputs)
    out: dict[str, float] = {}
    for c in r.cells:
        key = c.code.lower()
        out[f"a_{key}"], out[f"b_{key}"], out[f"nash_{key}"] = c.payoff_a, c.payoff_b, float(c.nash)
    out.update({k: float(v) for k, v in r.summary_dict().items()})
    return out


USD_BN = Fmt("$,.2f", "bn")
_OUTCOMES = (("cc", "Both crunch", "both crunching"), ("cw", "A crunches, B waits", "A crunching while B waits"),
             ("wc", "A waits, B crunches", "A waiting while B crunches"), ("ww", "Both wait", "both waiting"))
_STRATEGY = {CRUNCH_DOMINANT: "crunch", WAIT_DOMINANT: "wait", NO_DOMINANT: "depends on the rival"}

#: The results a reader reads: each outcome's payoffs, then each lab's dominant strategy.
ROWS: tuple[Shown, ...] = tuple(
    Shown(label, f"a_{key}", template=f"A {{a_{key}}}, B {{b_{key}}}",
          notes=(Note(Cmp(f"nash_{key}", "==", 1), " (equilibrium)"),))
    for key, label, _ in _OUTCOMES
) + tuple(
    Shown(f"Dominant strategy of lab {lab}", f"{lab.lower()}_dominant", template="",
          notes=tuple(Note(Cmp(f"{lab.lower()}_dominant", "==", code), text) for code, text in _STRATEGY.items()))
    for lab in ("A", "B")
)


def _dominance_sentence(lab: str) -> Sentence:
    code = f"{lab.lower()}_dominant"
    return Sentence(
        Case(Cmp(code, "==", CRUNCH_DOMINANT), f"Crunching is dominant for lab {lab}: it pays whatever the rival does."),
        Case(Cmp(code, "==", WAIT_DOMINANT), f"Waiting is dominant for lab {lab}: a crunch never pays for itself."),
        f"Lab {lab}'s best move depends on what the rival does.")


#: The plain-language reading of the game, for a manager.
VERDICT = Verdict((
    _dominance_sentence("A"),
    _dominance_sentence("B"),
    Sentence(Case(Cmp("equilibria_count", "==", 0), "There is no pure-strategy equilibrium."), ""),
    *(Sentence(Case(Cmp(f"nash_{key}", "==", 1),
                    f"{name[:1].upper()}{name[1:]} is an equilibrium (A {{a_{key}}}, B {{b_{key}}})."), "")
      for key, _, name in _OUTCOMES),
    Sentence(Case(Cmp("prisoners_dilemma", "==", 1),
                  "It is a prisoner's dilemma: if both waited each would earn more (A {a_ww}, B {b_ww}), "
                  "but neither can afford to wait alone."), ""),
), formats={f"{lab}_{key}": USD_BN for lab in "ab" for key, _, _ in _OUTCOMES})


def summary(result: ReleaseRaceResult) -> str:
    """Plain-language reading of the game, for a manager (see :data:`VERDICT`)."""
    ctx = {}
    for c in result.cells:
        key = c.code.lower()
        ctx[f"a_{key}"], ctx[f"b_{key}"], ctx[f"nash_{key}"] = c.payoff_a, c.payoff_b, c.nash
    ctx.update(result.summary_dict())
    return VERDICT.text(ctx, {})
