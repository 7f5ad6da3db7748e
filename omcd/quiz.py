"""Self-checks for readers of the website: a few quick questions at the end of each chapter.

Each question is answered in the page (a number or a choice) and checked by the reader's
browser, with feedback that explains the reasoning; no server, no other host. The questions are
defined here, and every number an answer or an explanation states is **computed from the
course's models when the book is built** (:func:`quiz`), never typed by hand.

On a page, the MyST directive ``{omcd-quiz} ch2`` (``omcd/quiz_ext.py``) renders
:func:`quiz_html`; ``site_assets/omcd-quiz.js`` (a classic script, so it also runs from
``file://``) checks the answers. A number is right within the question's tolerance, in the unit
its label states; the reader may type ``60``, ``60%`` or ``0.6`` for a percentage.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from omcd.data import scenario_values
from omcd.models import ai_buildout, gpu_cluster, open_vs_closed, price_war, release_race, token_cost


@dataclass(frozen=True)
class Choice:
    text: str
    #: Shown when this choice is picked: why it is right, or why not.
    why: str
    correct: bool = False


@dataclass(frozen=True)
class QuizQuestion:
    """A question answered by a number (``answer`` in ``unit``, right within ``tolerance``) or by
    one of ``choices``. ``explanation`` gives the reasoning, shown once the reader has checked."""

    prompt: str
    explanation: str
    answer: float | None = None
    tolerance: float = 0.0
    unit: str = ""
    #: A percentage: the reader may type 0.6 for 60%.
    percent: bool = False
    hint: str = ""
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        return "choice" if self.choices else "number"


def _pct(x: float, digits: int = 0) -> str:
    return f"{x * 100:.{digits}f}%"


# Chapter 1 ------------------------------------------------------------------------------------


def _ch1() -> list[QuizQuestion]:
    x = scenario_values("open_vs_closed", "alibaba_2025")
    r = open_vs_closed.evaluate(**x)
    api, open_ = r.profit_per_closed_customer_usd_month, r.profit_per_open_deployment_usd_month
    ratio = api / open_
    markets = x["market_open_deployments"] / x["market_closed_deployments"]
    return [
        QuizQuestion(
            prompt=(
                f"In the chapter's default scenario, each deployment spends USD {x['spend_usd_per_deployment_month']:,.0f}"
                f" a month on inference. A closed-API customer earns the developer USD {api:,.0f} a month, an "
                f"average open deployment only USD {open_:,.0f}. Why?"
            ),
            choices=(
                Choice(
                    f"Only {_pct(x['own_cloud_share'])} of open deployments run on the developer's cloud, which keeps a "
                    f"{_pct(x['cloud_gross_margin'])} margin",
                    correct=True,
                    why=(
                        f"{_pct(x['own_cloud_share'])} × USD {x['spend_usd_per_deployment_month']:,.0f} × "
                        f"{_pct(x['cloud_gross_margin'])} = USD {open_:,.0f}. The other deployments run on other clouds "
                        "or on their owners' servers and pay the developer nothing."
                    ),
                ),
                Choice(
                    "Open models are sold at a lower price per token",
                    why="Open weights are not sold at all: the developer earns only when a deployment rents its cloud.",
                ),
                Choice(
                    "Open deployments use fewer tokens",
                    why="The model gives both the same spend per deployment; the gap is where they run and at what margin.",
                ),
            ),
            explanation=(
                f"An API customer pays the developer USD {x['spend_usd_per_deployment_month']:,.0f} × "
                f"{_pct(x['api_gross_margin'])} = USD {api:,.0f}; an open deployment pays it only if it runs on its "
                f"cloud: {_pct(x['own_cloud_share'])} × USD {x['spend_usd_per_deployment_month']:,.0f} × "
                f"{_pct(x['cloud_gross_margin'])} = USD {open_:,.0f} on average."
            ),
        ),
        QuizQuestion(
            prompt=(
                "Same default scenario: how many open deployments earn the developer as much gross profit as one "
                "closed-API customer? (one decimal)"
            ),
            answer=round(ratio, 1),
            tolerance=0.1,
            unit="open deployments",
            hint="Divide what one API customer earns the developer a month by what an average open deployment earns.",
            explanation=(
                f"USD {api:,.0f} ÷ USD {open_:,.0f} ≈ {ratio:.1f}. Open must reach about {ratio:.1f} times as "
                f"many users as the closed API to earn as much; the default market potentials differ by "
                f"{markets:.0f} times, so open's edge rests on its faster spread and on the share of deployments "
                "that stay on the developer's cloud."
            ),
        ),
        QuizQuestion(
            prompt="Which input of the open-or-closed calculator decides the answer, and is published by nobody?",
            choices=(
                Choice(
                    "The share of open deployments that run on the developer's own cloud",
                    correct=True,
                    why=(
                        "Open's NPV rises in proportion to it, and no company publishes where open-weight "
                        "deployments run."
                    ),
                ),
                Choice(
                    "The imitation coefficient q of the open model",
                    why=(
                        "It moves the answer, but it can be estimated from how fast derivatives and downloads "
                        "of earlier open models grew."
                    ),
                ),
                Choice(
                    "The discount rate",
                    why="It matters, but it is a choice of the analyst, not a hidden fact about the market.",
                ),
            ),
            explanation=(
                "Open's NPV rises in proportion to the share of its deployments on the developer's cloud, "
                "and no company publishes where open-weight deployments run. Whether the real share is "
                "high enough is the question Tsai's argument leaves open."
            ),
        ),
    ]


# Chapter 2 ------------------------------------------------------------------------------------


def _ch2() -> list[QuizQuestion]:
    prize, cost = 20.0, 2.0
    threshold = release_race.crunch_dominance_threshold(prize, cost)
    base = scenario_values("price_war", "llmflation_2022")
    e, f, g = 0.8, base["price_factor_per_year"], 4.0
    war = price_war.evaluate(**{**base, "elasticity": e, "throughput_growth_per_year": g})
    tokens_growth = war.rows[1].tokens_index
    return [
        QuizQuestion(
            prompt=(
                f"Two labs of equal size race for a prize of USD {prize:.0f}bn; a crunch costs each lab "
                f"USD {cost:.0f}bn. Above what first-mover share (the share of the prize a lab that crunches "
                "alone takes) is crunching dominant for both?"
            ),
            answer=round(threshold * 100, 1),
            tolerance=0.5,
            unit="%",
            percent=True,
            hint="With equal sizes, crunching pays when the first mover's extra share beats the crunch cost as a share of the prize.",
            explanation=(
                f"With equal sizes, crunching is dominant when the first-mover share is above one half plus "
                f"the crunch cost as a share of the prize: 50% + {cost:.0f} / {prize:.0f} = {_pct(threshold)}. "
                "Above it both labs crunch, though both would earn more if both waited: a prisoner's dilemma. "
                "At exactly that share each lab is indifferent between crunching and waiting."
            ),
        ),
        QuizQuestion(
            prompt=(
                f"Demand for tokens has a price elasticity of {e:.1f}, and prices fall {1 / f:.0f}-fold a year. "
                "What happens to total spending on tokens?"
            ),
            choices=(
                Choice(
                    "It shrinks",
                    correct=True,
                    why=(
                        f"With an elasticity below 1, use rises less than the price falls: spending is multiplied "
                        f"by {war.spending_growth_per_year:.2f} each year."
                    ),
                ),
                Choice("It stays the same", why="That needs an elasticity of exactly 1."),
                Choice(
                    "It grows (Jevons' paradox)", why="That needs an elasticity above 1: demand more elastic than this."
                ),
            ),
            explanation=(
                f"Spending is price × quantity: each year the price is divided by {1 / f:.0f} while the "
                f"tokens bought are multiplied by {tokens_growth:.1f} ({1 / f:.0f} to the power {e:.1f}), so "
                f"spending is multiplied by {tokens_growth:.1f} ÷ {1 / f:.0f} = "
                f"{war.spending_growth_per_year:.2f}."
            ),
        ),
        QuizQuestion(
            prompt=(
                f"Same demand (elasticity {e:.1f}, prices falling {1 / f:.0f}-fold a year), and each GPU serves "
                f"{g:.0f} times more tokens each year. By what factor do the GPU-hours a cloud sells grow each year? "
                "(two decimals)"
            ),
            answer=round(war.gpu_hours_growth_per_year, 2),
            tolerance=0.02,
            unit="× a year",
            hint="Tokens grow by the price cut to the power of the elasticity; each GPU-hour serves more of them.",
            explanation=(
                f"Tokens grow {tokens_growth:.2f} times a year ({1 / f:.0f} to the power {e:.1f}); each GPU-hour "
                f"serves {g:.0f} times more, so GPU-hours grow {tokens_growth:.2f} ÷ {g:.0f} = "
                f"{war.gpu_hours_growth_per_year:.2f} times a year. Token sellers' revenue shrinks while the "
                "GPU owner sells more hours: a price war can suit a cloud provider."
            ),
        ),
    ]


# Chapter 3 ------------------------------------------------------------------------------------


def _ch3() -> list[QuizQuestion]:
    x = {**scenario_values("gpu_cluster", "h100_2025"), "depreciation_life_years": 4}
    gpu = gpu_cluster.evaluate(**x)
    capex = x["gpu_price_usd"] + x["server_overhead_usd_per_gpu"]
    fixed = capex / x["depreciation_life_years"] + x["other_opex_usd_per_gpu_year"]
    b = scenario_values("ai_buildout", "alibaba_plan_2025")
    short, long_ = (ai_buildout.evaluate(**{**b, "depreciation_life_years": n}) for n in (4, 6))
    assert (
        abs(short.npv_bn - long_.npv_bn) < 1e-9
        and short.years[0].operating_profit_bn < long_.years[0].operating_profit_bn
    )
    t = {**scenario_values("token_cost", "h100_rented_2025"), "load_factor": 1.0}
    tokens = token_cost.evaluate(**t)
    return [
        QuizQuestion(
            prompt=(
                f"An H100 costs USD {capex:,.0f} with its share of server and network, depreciated over "
                f"{x['depreciation_life_years']} years; other costs are USD {x['other_opex_usd_per_gpu_year']:,.0f} a year. "
                f"It rents at USD {x['price_usd_per_gpu_hour']:.2f} an hour, and energy costs USD "
                f"{gpu.energy_per_sold_hour:.2f} per sold hour. What share of the year's hours must it sell to break even?"
            ),
            answer=round(gpu.break_even_utilisation * 100, 1),
            tolerance=0.5,
            unit="%",
            percent=True,
            hint="Fixed costs a year (depreciation and other costs) divided by what one sold hour leaves after energy, times 8,760 hours.",
            explanation=(
                f"Fixed costs: {capex:,.0f} / {x['depreciation_life_years']} + {x['other_opex_usd_per_gpu_year']:,.0f} = "
                f"USD {fixed:,.0f} a year. Each sold hour leaves {x['price_usd_per_gpu_hour']:.2f} − "
                f"{gpu.energy_per_sold_hour:.2f} = USD {x['price_usd_per_gpu_hour'] - gpu.energy_per_sold_hour:.2f}. "
                f"Break-even: {fixed:,.0f} / (8,760 × {x['price_usd_per_gpu_hour'] - gpu.energy_per_sold_hour:.2f}) = "
                f"{_pct(gpu.break_even_utilisation, 1)} of the hours. A shorter life raises the hourly cost of idle hours."
            ),
        ),
        QuizQuestion(
            prompt="A cloud provider lengthens the depreciation life of its servers from 4 to 6 years. What changes?",
            choices=(
                Choice(
                    "Reported profit rises in the early years; cash and NPV do not change",
                    correct=True,
                    why="Depreciation spreads the same cost over more years: only the timing of the reported cost moves.",
                ),
                Choice(
                    "NPV rises, because yearly costs fall",
                    why="The cash paid for the servers and the cash they earn are the same, so the NPV is too.",
                ),
                Choice(
                    "Cash flow rises in the early years",
                    why="Depreciation is not a payment: the cash left when the servers were bought.",
                ),
            ),
            explanation=(
                "Each year's depreciation charge is smaller with a longer life, so the income statement "
                "shows more profit in the first years and less later; the build-out calculator gives the "
                "same NPV with 4- and 6-year lives. Investors watch such changes for that reason."
            ),
        ),
        QuizQuestion(
            prompt=(
                f"An API provider rents H100s at USD {t['gpu_cost_usd_per_hour']:.2f} an hour; each serves "
                f"{t['tokens_per_second_per_gpu']:,.0f} output tokens a second, and it keeps them busy all the time. "
                "What does one million output tokens cost in GPU time? (USD, two decimals)"
            ),
            answer=round(tokens.cost_per_million_output_tokens, 2),
            tolerance=0.02,
            unit="USD",
            hint="Tokens per GPU-hour are tokens per second × 3,600; divide the hourly cost by the millions of tokens.",
            explanation=(
                f"{t['tokens_per_second_per_gpu']:,.0f} × 3,600 = {tokens.output_tokens_per_gpu_hour:,.0f} tokens "
                f"an hour, {tokens.gpu_hours_per_million_tokens:.3f} GPU-hours per million: "
                f"{tokens.gpu_hours_per_million_tokens:.3f} × USD {t['gpu_cost_usd_per_hour']:.2f} = USD "
                f"{tokens.cost_per_million_output_tokens:.2f}. At a lower average load the cost rises in proportion."
            ),
        ),
    ]


QUIZZES: dict[str, Callable[[], list[QuizQuestion]]] = {"ch1": _ch1, "ch2": _ch2, "ch3": _ch3}


def quiz(name: str) -> list[QuizQuestion]:
    """The questions of quiz ``name``, with their answers computed from the models now."""
    if name not in QUIZZES:
        raise ValueError(f"quiz {name!r} does not exist; quizzes: {', '.join(QUIZZES)}.")
    return QUIZZES[name]()


def _number_text(value: float) -> str:
    return f"{value:g}"


def quiz_html(name: str) -> str:
    """The quiz as HTML: one form per question, answered and checked in the page."""
    esc = html.escape
    parts = [
        f'<section class="omcd-quiz" data-quiz="{esc(name)}" aria-label="Check yourself: quick questions">',
        "<noscript><p>These questions are checked by JavaScript in your browser; turn it on to check "
        "your answers.</p></noscript>",
    ]
    for number, q in enumerate(quiz(name), start=1):
        qid = f"omcd-quiz-{name}-{number}"
        explanation = (
            f'<div class="omcd-quiz-explanation" id="{qid}-why" hidden>'
            f"<p><strong>Reasoning.</strong> {esc(q.explanation)}</p></div>"
        )
        feedback = f'<p class="omcd-quiz-feedback" id="{qid}-feedback" role="status" aria-live="polite"></p>'
        actions = (
            f'<div class="omcd-quiz-actions"><button type="submit">Check</button> '
            f'<button type="button" class="omcd-quiz-reveal" aria-controls="{qid}-why" hidden>'
            f"Show the reasoning</button></div>"
        )
        if q.kind == "number":
            data = json.dumps({"answer": q.answer, "tolerance": q.tolerance, "percent": q.percent, "hint": q.hint})
            unit = f" ({esc(q.unit)})" if q.unit else ""
            body = (
                f'<p class="omcd-quiz-prompt" id="{qid}-prompt"><span class="omcd-quiz-number">{number}.</span> '
                f"{esc(q.prompt)}</p>"
                f'<label for="{qid}-input">Your answer{unit}</label> '
                f'<input id="{qid}-input" type="text" inputmode="decimal" autocomplete="off" size="10" '
                f'aria-describedby="{qid}-prompt {qid}-feedback">'
            )
        else:
            data = json.dumps({"choices": [{"correct": c.correct, "why": c.why} for c in q.choices]})
            options = "".join(
                f'<label class="omcd-quiz-choice"><input type="radio" name="{qid}" value="{i}"> {esc(c.text)}</label>'
                for i, c in enumerate(q.choices)
            )
            body = (
                f'<fieldset><legend id="{qid}-prompt"><span class="omcd-quiz-number">{number}.</span> '
                f"{esc(q.prompt)}</legend>{options}</fieldset>"
            )
        parts.append(
            f'<form class="omcd-quiz-question" id="{qid}" data-kind="{q.kind}" '
            f'data-check="{esc(data, quote=True)}" novalidate>{body}{actions}{feedback}{explanation}</form>'
        )
    parts.append("</section>")
    return "".join(parts)
