"""Graded assignments with a different scenario for every student.

Exercise answers in an open course cannot stay secret, so grading does not rely on secrecy:
every student gets the same questions with **inputs drawn for them** (seeded by their student
id, inside ranges that keep each question meaningful), and is graded on the model's answer at
those inputs.

* One assignment notebook per chapter is written once, in ``assignments/`` (:data:`ASSIGNMENTS`
  says which; its questions are defined here, with the model calculation that answers each).
* :func:`write_assignment` (``./course assignment CHAPTER --roster roster.csv``) writes one
  notebook per student and, for the instructor only, the expected answers (``answers.json``,
  with the inputs drawn for each student and a fingerprint of every cell students must not
  edit; ``answers.csv`` for reading).
* Students answer in Binder or on a JupyterHub. Each question has a self-check (:class:`SelfCheck`)
  that says whether the answer has the right form (a number, a share between 0 and 1, one of
  the choices...), never whether it is right.
* :func:`grade` (``./course grade CHAPTER SUBMISSIONS_DIR``) runs each submission top to bottom
  in a fresh kernel, reads the answers out of the kernel with a cell of its own, and compares
  them with the instructor's answers file at that student's inputs, within each question's
  stated tolerance. It writes ``grades.csv`` (one line per submission, problems spelled out) and
  one feedback file per student. A submission that cannot be read, raises errors, misses
  answers, has edited cells or the wrong student id gets a line that says so; it never stops
  the run.

Why not otter-grader: Otter (``otter assign``/``otter grade``) is built around one notebook and
one autograder for the whole class: its tests, with their expected values, are written once in
the master notebook and shipped in one configuration zip, and ``otter grade`` runs them in Docker
containers (``otter run``, without Docker, grades one submission per call). Per-student inputs
would need one autograder zip per student, and its tests run inside the student's kernel,
next to code the student wrote. Here the expected values never enter the student's notebook or
kernel: the grader only reads the answers out, and compares them in its own process with the
file that only the instructor has. Execution uses ``nbclient`` (what Otter and Jupyter Book use
to run notebooks), already in the course's pinned environment; no Docker, no extra packages.

Tampering: the self-checks only test form, so editing them gains nothing, and grading never
runs them; an edited input cell does not change the inputs the answers are graded at; a
notebook submitted under another student's name is flagged. What a student writes in the
notebook can still print anything, so the grader's cell reads the answer variables themselves.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import numbers
import random
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "assignments"
OUTPUT = ROOT / "_build" / "assignments"
#: Roles of template cells (``metadata.omcd.role``); a student must not edit the protected ones.
PROTECTED_ROLES = ("inputs", "setup", "check")
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Seconds one cell of a submission may run before the grader interrupts it.
CELL_TIMEOUT_S = 60
MIN_WRITTEN_WORDS = 25
DRAW_ATTEMPTS = 10_000

Inputs = dict[str, dict[str, float]]


# ----------------------------------------------------------------------------- definitions


@dataclass(frozen=True)
class Draw:
    """One input drawn per student: ``low + k * step`` up to ``high`` (inclusive)."""

    calculator: str
    param: str
    low: float
    high: float
    step: float

    def values(self) -> list[float]:
        count = int(round((self.high - self.low) / self.step)) + 1
        return [round(self.low + k * self.step, 10) for k in range(count)]


@dataclass(frozen=True)
class Question:
    """One question. ``kind``: ``number``, ``share`` (0 to 1), ``integer``, ``choice`` or
    ``written`` (read by the instructor, not scored). ``answer(inputs)`` is the model's answer.
    A number is right within ``rel_tol`` of the answer or ``abs_tol`` of it, whichever is wider."""

    id: str
    title: str
    kind: str
    unit: str = ""
    answer: Callable[[Inputs], float | int | str] | None = None
    rel_tol: float = 0.0
    abs_tol: float = 0.0
    choices: tuple[str, ...] = ()
    points: int = 1
    hint: str = ""

    @property
    def scored(self) -> bool:
        return self.kind != "written"

    def tolerance_text(self) -> str:
        if self.kind in ("integer", "choice"):
            return "exact"
        parts = []
        if self.rel_tol:
            parts.append(f"{self.rel_tol:.0%} of the model's value")
        if self.abs_tol:
            parts.append(f"{self.abs_tol:g} {self.unit}".strip())
        return "within " + " or ".join(parts) + (" (the wider)" if len(parts) > 1 else "")

    def form(self) -> str:
        """What the answer must look like (shown by the self-check)."""
        return {
            "number": f"a number, in {self.unit}" if self.unit else "a number",
            "share": "a share between 0 and 1 (0.25 for 25%)",
            "integer": f"a whole number ({self.unit})" if self.unit else "a whole number",
            "choice": "one of: " + ", ".join(f'"{c}"' for c in self.choices),
            "written": f"a text of at least {MIN_WRITTEN_WORDS} words, in quotes",
        }[self.kind]


@dataclass(frozen=True)
class Assignment:
    """One chapter's assignment: its template notebook, base scenarios, draws and questions.

    ``meaningful(inputs)`` returns why drawn inputs would make a question meaningless (an answer
    that does not exist, a tie...), or None; draws are repeated until it returns None.
    """

    chapter: str
    title: str
    template: str
    scenarios: Mapping[str, str]
    draws: tuple[Draw, ...]
    questions: tuple[Question, ...]
    meaningful: Callable[[Inputs], str | None]
    #: Inputs that move together (e.g. both labs' crunch costs): {(calc, param): (calc, param)}.
    same_as: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    @property
    def template_path(self) -> Path:
        return TEMPLATES / self.template

    def question(self, qid: str) -> Question:
        (found,) = [q for q in self.questions if q.id == qid]
        return found

    @property
    def max_score(self) -> int:
        return sum(q.points for q in self.questions if q.scored)


def _model(name: str):
    import importlib

    return importlib.import_module(f"omcd.models.{name}")


# Chapter 1: open weights or closed API -----------------------------------------------------


def _ch1_result(x: Inputs, **override):
    return _model("open_vs_closed").evaluate(**{**x["open_vs_closed"], **override})


def _ch1_meaningful(x: Inputs) -> str | None:
    r = _ch1_result(x)
    if r.threshold_share is None or not 0.05 <= r.threshold_share <= 0.9:
        return "the threshold share must exist, between 5% and 90%"
    if abs(x["open_vs_closed"]["own_cloud_share"] - r.threshold_share) < 0.03:
        return "the share on own cloud must not sit on the threshold"
    if abs(r.npv_difference_usd_m) < 5 or abs(_ch1_result(x, own_cloud_share=0.04).npv_difference_usd_m) < 5:
        return "each NPV difference asked for must be at least USD 5 million away from zero"
    return None


CH1 = Assignment(
    chapter="ch1",
    title="Open weights or closed API?",
    template="ch1-open-source-catalyst.ipynb",
    scenarios={"open_vs_closed": "alibaba_2025"},
    draws=(
        Draw("open_vs_closed", "own_cloud_share", 0.10, 0.60, 0.01),
        Draw("open_vs_closed", "market_open_deployments", 300_000, 800_000, 10_000),
        Draw("open_vs_closed", "market_closed_deployments", 60_000, 160_000, 10_000),
        Draw("open_vs_closed", "spend_usd_per_deployment_month", 500, 2_000, 50),
        Draw("open_vs_closed", "cloud_gross_margin", 0.20, 0.45, 0.01),
        Draw("open_vs_closed", "api_gross_margin", 0.35, 0.65, 0.01),
        Draw("open_vs_closed", "discount_rate", 0.05, 0.15, 0.01),
    ),
    questions=(
        Question(
            "q1",
            "Monthly gross profit of an average open deployment",
            "number",
            "USD per month",
            lambda x: _ch1_result(x).profit_per_open_deployment_usd_month,
            rel_tol=0.01,
            hint="share on own cloud x spend per deployment x cloud gross margin",
        ),
        Question(
            "q2",
            "NPV of open weights minus NPV of the closed API",
            "number",
            "USD million",
            lambda x: _ch1_result(x).npv_difference_usd_m,
            rel_tol=0.01,
            abs_tol=0.5,
            hint="open_vs_closed.evaluate(...).npv_difference_usd_m",
        ),
        Question(
            "q3",
            "Threshold share of open deployments on own cloud",
            "share",
            "share",
            lambda x: _ch1_result(x).threshold_share,
            abs_tol=0.005,
            hint="the share at which both NPVs are equal (threshold_share)",
        ),
        Question(
            "q4",
            "NPV difference with only 4% of open deployments on own cloud",
            "number",
            "USD million",
            lambda x: _ch1_result(x, own_cloud_share=0.04).npv_difference_usd_m,
            rel_tol=0.01,
            abs_tol=0.5,
            hint="set own_cloud_share to 0.04, all else as drawn",
        ),
        Question("q5", "Recommendation to the board", "written", points=0),
    ),
    meaningful=_ch1_meaningful,
)


# Chapter 2: crunch or wait, and the price war ------------------------------------------------

_EQUILIBRIUM_NAMES = {"CC": "both crunch", "CW": "A crunches, B waits", "WC": "A waits, B crunches", "WW": "both wait"}
_CH2_CHOICES = ("both crunch", "both wait", "A crunches, B waits", "A waits, B crunches", "none")


def _ch2_race(x: Inputs):
    return _model("release_race").evaluate(**x["release_race"])


def _ch2_equilibrium(x: Inputs) -> str:
    found = _ch2_race(x).equilibria
    return _EQUILIBRIUM_NAMES[found[0]] if found else "none"


def _ch2_war(x: Inputs):
    return _model("price_war").evaluate(**x["price_war"])


def _ch2_first_loss(x: Inputs):
    rows = _ch2_war(x).rows
    return next((r for r in rows if r.price_usd_per_million_tokens < r.serving_cost_usd_per_million_tokens), None)


def _ch2_meaningful(x: Inputs) -> str | None:
    race = x["release_race"]
    threshold = 0.5 + race["crunch_cost_a_usd_bn"] / race["prize_usd_bn"]
    if not 0.53 <= threshold <= 0.85:
        return "the crunch threshold must lie between 53% and 85%"
    if abs(race["first_mover_share"] - threshold) < 0.02:
        return "the first-mover share must not sit on the threshold"
    if len(_ch2_race(x).equilibria) != 1:
        return "the game must have exactly one equilibrium"
    if abs(x["price_war"]["elasticity"] - 1) < 0.1:
        return "the elasticity must be clearly above or below 1"
    loss = _ch2_first_loss(x)
    if loss is None or loss.year < 1:
        return "the price must fall below the serving cost within the horizon, after year 0"
    if not 0.05 <= -loss.serving_margin_usd_bn <= 100:
        return "the sellers' loss in that year must be between USD 0.05bn and USD 100bn"
    return None


CH2 = Assignment(
    chapter="ch2",
    title="Crunch or wait, and the price war",
    template="ch2-competition.ipynb",
    scenarios={"release_race": "deepseek_shock_2025", "price_war": "llmflation_2022"},
    draws=(
        Draw("release_race", "prize_usd_bn", 5, 30, 0.5),
        Draw("release_race", "crunch_cost_a_usd_bn", 0.2, 3.0, 0.05),
        Draw("release_race", "first_mover_share", 0.51, 0.85, 0.01),
        Draw("price_war", "elasticity", 0.5, 1.5, 0.05),
        Draw("price_war", "price_factor_per_year", 0.10, 0.50, 0.01),
        Draw("price_war", "throughput_growth_per_year", 1.5, 4.0, 0.1),
        Draw("price_war", "years", 8, 8, 1),
    ),
    same_as={("release_race", "crunch_cost_b_usd_bn"): ("release_race", "crunch_cost_a_usd_bn")},
    questions=(
        Question(
            "q1",
            "First-mover share from which crunching is dominant",
            "share",
            "share",
            lambda x: _model("release_race").crunch_dominance_threshold(
                x["release_race"]["prize_usd_bn"], x["release_race"]["crunch_cost_a_usd_bn"]
            ),
            abs_tol=0.005,
            hint="with equal sizes: 1/2 + crunch cost / prize",
        ),
        Question(
            "q2",
            "The game's equilibrium at your inputs",
            "choice",
            answer=_ch2_equilibrium,
            choices=_CH2_CHOICES,
            hint="release_race.evaluate(...).equilibria",
        ),
        Question(
            "q3",
            "Yearly growth factor of spending on tokens",
            "number",
            "ratio",
            lambda x: _ch2_war(x).spending_growth_per_year,
            rel_tol=0.01,
            hint="price factor ** (1 - elasticity)",
        ),
        Question(
            "q4",
            "First year in which the price is below the GPU cost of serving",
            "integer",
            "year",
            lambda x: _ch2_first_loss(x).year,
            hint="compare price_usd_per_million_tokens with serving_cost_usd_per_million_tokens, year by year",
        ),
        Question(
            "q5",
            "Token sellers' serving margin in that year",
            "number",
            "USD bn",
            lambda x: _ch2_first_loss(x).serving_margin_usd_bn,
            rel_tol=0.01,
            hint="serving_margin_usd_bn of that year's row",
        ),
        Question("q6", "Rational or panic?", "written", points=0),
    ),
    meaningful=_ch2_meaningful,
)


# Chapter 3: a GPU, a million tokens, a build-out --------------------------------------------


def _ch3_gpu(x: Inputs):
    return _model("gpu_cluster").evaluate(**x["gpu_cluster"])


def _ch3_tokens(x: Inputs):
    return _model("token_cost").evaluate(**x["token_cost"])


def _ch3_buildout(x: Inputs):
    return _model("ai_buildout").evaluate(**x["ai_buildout"])


def _ch3_meaningful(x: Inputs) -> str | None:
    gpu = _ch3_gpu(x)
    if gpu.break_even_utilisation is None or not 0.1 <= gpu.break_even_utilisation <= 0.95:
        return "the GPU's break-even utilisation must exist, between 10% and 95%"
    if abs(gpu.npv_usd) < 500:
        return "the GPU's NPV must be at least USD 500 away from zero"
    if _ch3_buildout(x).payback_year is None:
        return "the build-out must pay back within its 10 years"
    return None


CH3 = Assignment(
    chapter="ch3",
    title="A GPU, a million tokens and a build-out",
    template="ch3-cloud-economics.ipynb",
    scenarios={"gpu_cluster": "h100_2025", "token_cost": "h100_rented_2025", "ai_buildout": "alibaba_plan_2025"},
    draws=(
        Draw("gpu_cluster", "gpu_price_usd", 20_000, 40_000, 500),
        Draw("gpu_cluster", "electricity_usd_per_kwh", 0.05, 0.15, 0.005),
        Draw("gpu_cluster", "utilisation", 0.40, 0.90, 0.01),
        Draw("gpu_cluster", "price_usd_per_gpu_hour", 1.50, 4.00, 0.05),
        Draw("token_cost", "gpu_cost_usd_per_hour", 1.50, 4.00, 0.05),
        Draw("token_cost", "tokens_per_second_per_gpu", 200, 1_500, 10),
        Draw("token_cost", "load_factor", 0.40, 1.00, 0.01),
        Draw("ai_buildout", "capex_usd_bn_per_year", 5, 30, 0.1),
        Draw("ai_buildout", "utilisation", 0.60, 0.90, 0.01),
        Draw("ai_buildout", "price_usd_per_gpu_hour", 2.00, 3.50, 0.05),
    ),
    questions=(
        Question(
            "q1",
            "Break-even utilisation of one GPU",
            "share",
            "share",
            lambda x: _ch3_gpu(x).break_even_utilisation,
            abs_tol=0.005,
            hint="(depreciation + other costs a year) / (8,760 x (price - energy per hour))",
        ),
        Question(
            "q2",
            "NPV of one GPU over its economic life",
            "number",
            "USD",
            lambda x: _ch3_gpu(x).npv_usd,
            rel_tol=0.01,
            abs_tol=50,
            hint="gpu_cluster.evaluate(...).npv_usd",
        ),
        Question(
            "q3",
            "GPU cost of a million output tokens",
            "number",
            "USD per million output tokens",
            lambda x: _ch3_tokens(x).cost_per_million_output_tokens,
            rel_tol=0.01,
            hint="cost per GPU-hour x 1e6 / (tokens per second x 3,600 x load)",
        ),
        Question(
            "q4",
            "Peak funding need of the build-out",
            "number",
            "USD bn",
            lambda x: _ch3_buildout(x).peak_funding_need_bn,
            rel_tol=0.01,
            abs_tol=0.05,
            hint="the lowest cumulative cash, as a positive number",
        ),
        Question(
            "q5",
            "Payback year of the build-out",
            "integer",
            "year",
            lambda x: _ch3_buildout(x).payback_year,
            hint="first year with cumulative cash >= 0",
        ),
        Question("q6", "Does AI make cloud richer?", "written", points=0),
    ),
    meaningful=_ch3_meaningful,
)

ASSIGNMENTS: dict[str, Assignment] = {a.chapter: a for a in (CH1, CH2, CH3)}


def assignment(chapter: str | int) -> Assignment:
    """The assignment of ``chapter`` (``2``, ``"2"``, ``"02"``, ``"ch2"`` or ``"02-competition"``)."""
    text = str(chapter).strip().lower()
    match = re.match(r"^(?:ch)?0*(\d+)", text)
    key = f"ch{match.group(1)}" if match else text
    if key not in ASSIGNMENTS:
        raise ValueError(
            f"chapter = {chapter!r}: there is no assignment for it; "
            f"chapters with an assignment: {', '.join(a[2:] for a in ASSIGNMENTS)}."
        )
    return ASSIGNMENTS[key]


# ----------------------------------------------------------------------------- drawing inputs


def _seed(chapter: str, student_id: str) -> int:
    return int.from_bytes(hashlib.sha256(f"omcd|{chapter}|{student_id}".encode()).digest()[:8], "big")


def base_inputs(spec: Assignment) -> Inputs:
    from omcd.data import scenario_values

    return {calc: dict(scenario_values(calc, name)) for calc, name in spec.scenarios.items()}


def draw_inputs(spec: Assignment, student_id: str, base: Inputs | None = None) -> Inputs:
    """The inputs of ``student_id``: the chapter's base scenarios with the draws replaced by
    values seeded by the student id (the same id always gets the same inputs)."""
    rng = random.Random(_seed(spec.chapter, student_id))
    base = base or base_inputs(spec)
    for _ in range(DRAW_ATTEMPTS):
        x = {calc: dict(values) for calc, values in base.items()}
        for d in spec.draws:
            x[d.calculator][d.param] = rng.choice(d.values())
        for (calc, param), (src_calc, src_param) in spec.same_as.items():
            x[calc][param] = x[src_calc][src_param]
        for calc, values in x.items():  # every value inside the model's own ranges
            from omcd.params import validate

            validate(_model(calc).PARAMS, values)
        if spec.meaningful(x) is None:
            return x
    raise RuntimeError(
        f"{spec.chapter}: no meaningful inputs found for {student_id!r} in "
        f"{DRAW_ATTEMPTS} draws; widen the draws' ranges."
    )


def expected_answers(spec: Assignment, inputs: Inputs) -> dict[str, float | int | str | None]:
    """The model's answer to every scored question at ``inputs``."""
    out = {}
    for q in spec.questions:
        if q.scored:
            value = q.answer(inputs)
            out[q.id] = int(value) if q.kind == "integer" else (value if q.kind == "choice" else float(value))
    return out


# ----------------------------------------------------------------------------- self-checks


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def form_problem(question: Question, value: object) -> str | None:
    """Why ``value`` does not have the form ``question`` asks for, or None. Never looks at
    whether it is right."""
    if value is Ellipsis or value is None:
        return "no answer yet: replace the ... with your answer"
    if question.kind == "written":
        if not isinstance(value, str):
            return "write your answer as text, in quotes"
        words = len(value.split())
        return None if words >= MIN_WRITTEN_WORDS else f"{words} words: write at least {MIN_WRITTEN_WORDS}"
    if question.kind == "choice":
        if not isinstance(value, str):
            return "give one of the choices, in quotes"
        return None if _choice(question, value) else f"{value!r} is not one of the choices"
    if isinstance(value, str):
        return "give a number, not text (no quotes)"
    if not _is_number(value):
        return f"give a number; got a {type(value).__name__}"
    if not math.isfinite(float(value)):
        return "give a finite number"
    if question.kind == "share" and not 0 <= float(value) <= 1:
        if 1 < float(value) <= 100:
            return f"{value:g} looks like a percentage: give a share between 0 and 1 ({value:g}% is {float(value) / 100:g})"
        return "a share lies between 0 and 1"
    if question.kind == "integer" and float(value) != round(float(value)):
        return "give a whole number"
    return None


def _choice(question: Question, value: str) -> str | None:
    wanted = " ".join(value.lower().replace(",", " ").split())
    for choice in question.choices:
        if " ".join(choice.lower().replace(",", " ").split()) == wanted:
            return choice
    return None


class SelfCheck:
    """The students' self-check: ``check = SelfCheck("ch2")`` then ``check("q1", q1)``.

    It says whether an answer has the right form (a number, a share, one of the choices...),
    never whether it is right: the grader compares it with the model at your inputs.
    """

    def __init__(self, chapter: str):
        self.spec = assignment(chapter)

    def __call__(self, qid: str, value: object) -> bool:
        question = self.spec.question(qid)
        problem = form_problem(question, value)
        if problem is None:
            print(
                f"{qid}: right form ({question.form()}). Whether it is right is checked when your notebook is graded."
            )
            return True
        print(f"{qid}: not yet. {problem[0].upper() + problem[1:]}. Expected: {question.form()}.")
        return False

    def inputs(self, inputs: Inputs) -> None:
        """Print the inputs drawn for you, with their labels and units, and a link that opens the
        website's calculator with them."""
        from omcd.qr import calculator_link

        for calc, values in inputs.items():
            params = {p.name: p for p in _model(calc).PARAMS}
            print(f"{calc} (omcd.models.{calc})")
            for name, value in values.items():
                p = params[name]
                print(f"  {p.label}: {value:g} {p.unit}   [{name}]")
            try:
                print(f"  The website's calculator with these inputs: {calculator_link(calc, values)}")
            except (ValueError, OSError):  # no public address configured: the inputs above suffice
                pass


# ----------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""


def read_roster(path: Path) -> list[Student]:
    """Students from a CSV with a ``student_id`` column (and optionally ``name``)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"roster {path}: no such file.")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if "student_id" not in (reader.fieldnames or []):
            raise ValueError(f"roster {path}: it needs a 'student_id' column; found {reader.fieldnames}.")
        students, seen = [], set()
        for line, row in enumerate(reader, start=2):
            sid = (row.get("student_id") or "").strip()
            if not STUDENT_ID.match(sid):
                raise ValueError(
                    f"roster {path}, line {line}: student_id {sid!r} must be 1-64 letters, "
                    "digits, '.', '_' or '-', starting with a letter or digit."
                )
            if sid in seen:
                raise ValueError(f"roster {path}, line {line}: student_id {sid!r} appears twice.")
            seen.add(sid)
            students.append(Student(sid, (row.get("name") or "").strip()))
    if not students:
        raise ValueError(f"roster {path}: no students.")
    return students


def _role(cell) -> dict:
    return cell.get("metadata", {}).get("omcd", {}) or {}


def _fingerprint(source: str) -> str:
    return hashlib.sha256(source.strip().encode()).hexdigest()[:16]


def inputs_source(student_id: str, inputs: Inputs) -> str:
    lines = [
        "# Your inputs, drawn for you. Do not change this cell: your answers are graded at these inputs.",
        f"STUDENT_ID = {student_id!r}",
        "INPUTS = {",
    ]
    for calc, values in inputs.items():
        lines.append(f"    {calc!r}: {{")
        lines += [f"        {name!r}: {value!r}," for name, value in values.items()]
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines)


def _student_notebook(spec: Assignment, student: Student, inputs: Inputs):
    import nbformat

    nb = nbformat.read(spec.template_path, as_version=4)
    for cell in nb.cells:
        if _role(cell).get("role") == "inputs":
            cell.source = inputs_source(student.id, inputs)
    nb.metadata["omcd_assignment"] = {"chapter": spec.chapter, "student_id": student.id}
    return nb


def _protected(nb) -> dict[str, str]:
    """{cell key: fingerprint} of every cell a student must not edit."""
    out = {}
    for cell in nb.cells:
        role = _role(cell)
        if role.get("role") in PROTECTED_ROLES:
            out[f"{role['role']}:{role.get('question', '')}".rstrip(":")] = _fingerprint(cell.source)
    return out


def launch_links(config: Path = ROOT / "_config.yml") -> dict[str, str]:
    """Where students open the course's environment: Binder, and the school's JupyterHub through
    nbgitpuller (both built from ``repository`` and ``launch_buttons`` in ``_config.yml``)."""
    from urllib.parse import quote

    import yaml

    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    repo = settings["repository"]["url"].rstrip("/")
    branch = settings["repository"].get("branch", "main")
    folder = repo.rsplit("/", 1)[-1]
    links = {"binder": f"https://mybinder.org/v2/gh/{repo.removeprefix('https://github.com/')}/{branch}?urlpath=lab"}
    hub = (settings.get("launch_buttons") or {}).get("jupyterhub_url")
    if hub:
        links["jupyterhub"] = (
            f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={quote(repo, safe='')}"
            f"&branch={branch}&urlpath={quote(f'lab/tree/{folder}', safe='')}"
        )
    return links


def _instructions(spec: Assignment, count: int) -> str:
    links = launch_links()
    where = "\n".join(f"- {name}: {url}" for name, url in links.items())
    return f"""# {spec.title}: {count} student notebooks

Give each student the notebook named after their id, in `students/`. Keep `instructor/` to yourself:
`answers.json` holds every student's inputs and expected answers (the grader needs it), and
`answers.csv` the same answers to read.

Students open the course's environment, then upload their notebook into it (on a JupyterHub, into
the course's folder, next to its README.md) and work through it:

{where}

Collect the submitted notebooks in one folder, then run
`./course grade {spec.chapter[2:]} THAT_FOLDER --answers {{this folder}}/instructor/answers.json`.
Tolerances: {"; ".join(f"{q.id} {q.tolerance_text()}" for q in spec.questions if q.scored)}.
"""


def write_assignment(chapter: str, roster: Path, out: Path | None = None) -> dict[str, Path]:
    """Write one notebook per student and the instructor's answers; return where they went."""
    import nbformat

    spec = assignment(chapter)
    students = read_roster(roster)
    out = Path(out or OUTPUT / spec.chapter)
    notebooks, instructor = out / "students", out / "instructor"
    notebooks.mkdir(parents=True, exist_ok=True)
    instructor.mkdir(parents=True, exist_ok=True)
    base = base_inputs(spec)
    record = {
        "chapter": spec.chapter,
        "title": spec.title,
        "template_fingerprint": _fingerprint(spec.template_path.read_text(encoding="utf-8")),
        "tolerances": {q.id: q.tolerance_text() for q in spec.questions if q.scored},
        "students": {},
    }
    for student in students:
        inputs = draw_inputs(spec, student.id, base)
        nb = _student_notebook(spec, student, inputs)
        nbformat.write(nb, notebooks / f"{spec.chapter}-{student.id}.ipynb")
        record["students"][student.id] = {
            "name": student.name,
            "inputs": inputs,
            "answers": expected_answers(spec, inputs),
            "protected_cells": _protected(nb),
        }
    answers = instructor / "answers.json"
    answers.write_text(json.dumps(record, indent=1), encoding="utf-8")
    table = instructor / "answers.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        scored = [q for q in spec.questions if q.scored]
        writer.writerow(["student_id", "name"] + [f"{q.id}: {q.title} ({q.unit or q.kind})" for q in scored])
        for sid, entry in record["students"].items():
            writer.writerow([sid, entry["name"]] + [entry["answers"][q.id] for q in scored])
    readme = out / "README.md"
    readme.write_text(_instructions(spec, len(students)), encoding="utf-8")
    return {"notebooks": notebooks, "answers": answers, "answers_csv": table, "readme": readme}


# ----------------------------------------------------------------------------- grading

#: Run by the grader in each submission's kernel after the notebook: reads the answer variables.
_PROBE = """
def _omcd_read(names):
    import json as _json, numbers as _numbers
    out = {}
    for _name in names:
        if _name not in globals():
            out[_name] = {"missing": True}
            continue
        _value = globals()[_name]
        if isinstance(_value, _numbers.Real) and not isinstance(_value, bool):
            out[_name] = {"number": float(_value), "type": type(_value).__name__}
        elif isinstance(_value, str):
            out[_name] = {"text": _value[:5000]}
        elif _value is Ellipsis or _value is None:
            out[_name] = {"missing": True}
        else:
            out[_name] = {"other": type(_value).__name__}
    print("OMCD-ANSWERS " + _json.dumps(out))
_omcd_read(%s)
"""


@dataclass
class Graded:
    """The grading of one submission (one line of grades.csv)."""

    file: str
    student_id: str = ""
    status: str = "ok"
    points: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(self.points.values())


def _read_answers(outputs) -> dict | None:
    for output in outputs:
        text = output.get("text", "") if output.get("output_type") == "stream" else ""
        for line in text.splitlines():
            if line.startswith("OMCD-ANSWERS "):
                return json.loads(line[len("OMCD-ANSWERS ") :])
    return None


def _errors(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                role = _role(cell)
                where = {
                    "answer": f"the answer cell of {role.get('question')}",
                    "check": f"the self-check of {role.get('question')}",
                }.get(role.get("role"), f"cell {index + 1}")
                found.append(f"{where} raised {output.get('ename')}: {str(output.get('evalue'))[:120]}")
    return found


def _ids_in_name(name: str, known: set[str]) -> list[str]:
    return [sid for sid in known if re.search(rf"(?:^|[^A-Za-z0-9]){re.escape(sid)}(?:$|[^A-Za-z0-9])", name)]


def _notebook_id(nb) -> str | None:
    meta = nb.metadata.get("omcd_assignment", {}) or {}
    if meta.get("student_id"):
        return str(meta["student_id"])
    for cell in nb.cells:
        match = re.search(r"""^STUDENT_ID\s*=\s*['"]([^'"]+)['"]""", cell.source, re.M)
        if cell.cell_type == "code" and match:
            return match.group(1)
    return None


def _score(spec: Assignment, graded: Graded, expected: Mapping, answers: Mapping) -> None:
    for q in spec.questions:
        got = answers.get(q.id, {"missing": True})
        if not q.scored:
            text = got.get("text", "")
            graded.written[q.id] = text
            graded.feedback.append(
                f"{q.id} ({q.title}): {'read by your instructor' if text else 'no answer'}"
                f" ({len(text.split())} words; not scored automatically)."
            )
            continue
        want = expected[q.id]
        value = got.get("number", got.get("text"))
        problem = (
            "no answer"
            if got.get("missing")
            else (f"not a number or text ({got['other']})" if "other" in got else form_problem(q, value))
        )
        right = False
        if problem is None:
            if q.kind == "choice":
                right = _choice(q, value) == want
            elif q.kind == "integer":
                right = int(round(value)) == int(want)
            else:
                right = math.isclose(value, want, rel_tol=q.rel_tol, abs_tol=q.abs_tol)
        graded.points[q.id] = q.points if right else 0
        shown = _shown(q, want)
        if right:
            graded.feedback.append(f"{q.id} ({q.title}): right ({_shown(q, value)}).")
        elif problem is not None:
            graded.feedback.append(f"{q.id} ({q.title}): 0 points, {problem}. The model gives {shown}.")
            graded.problems.append(f"{q.id}: {problem}")
        else:
            graded.feedback.append(
                f"{q.id} ({q.title}): 0 points. You gave {_shown(q, value)}; the model "
                f"gives {shown} at your inputs ({q.tolerance_text()}). Hint: {q.hint}."
            )


def _shown(q: Question, value) -> str:
    if q.kind == "choice":
        return f'"{value}"'
    if q.kind == "integer":
        return f"{int(round(value))}"
    if q.kind == "share":
        return f"{value:.4g} ({value:.1%})"
    return f"{value:,.6g} {q.unit}".strip()


def _grade_one(spec: Assignment, path: Path, record: Mapping, kernel_name: str, workdir: Path) -> Graded:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    graded = Graded(file=path.name)
    students = record["students"]
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as error:  # noqa: BLE001 - whatever stops it opening is reported
        graded.status = "unreadable"
        graded.problems.append(
            f"the file does not open as a notebook ({type(error).__name__}: "
            f"{str(error).splitlines()[0][:120] if str(error) else ''})"
        )
        named = _ids_in_name(path.stem, set(students))
        graded.student_id = named[0] if len(named) == 1 else ""
        graded.points = {q.id: 0 for q in spec.questions if q.scored}
        return graded
    owner = _notebook_id(nb)
    named = _ids_in_name(path.stem, set(students))
    graded.student_id = owner or (named[0] if len(named) == 1 else "")
    if owner is None or owner not in students:
        graded.status = "unknown student"
        graded.problems.append(
            f"student id {owner!r} in the notebook is not in the answers file "
            f"({'none found' if owner is None else 'not on the roster'})"
        )
        graded.points = {q.id: 0 for q in spec.questions if q.scored}
        return graded
    if len(named) == 1 and named[0] != owner:
        graded.status = "wrong student id"
        graded.student_id = named[0]
        graded.problems.append(
            f"the file is named for {named[0]} but the notebook was written for {owner}: "
            "not graded; check with the student"
        )
        graded.points = {q.id: 0 for q in spec.questions if q.scored}
        return graded
    entry = students[owner]
    edited = [key for key, fingerprint in entry["protected_cells"].items() if _fingerprint_of(nb, key) != fingerprint]
    for key in edited:
        role, _, qid = key.partition(":")
        what = {"inputs": "the inputs cell", "setup": "the setup cell"}.get(role, f"the self-check of {qid}")
        graded.problems.append(f"{what} was edited or removed (graded at the inputs drawn for you)")
    if nb.metadata.get("omcd_assignment", {}).get("chapter", spec.chapter) != spec.chapter:
        graded.problems.append(f"the notebook is for {nb.metadata['omcd_assignment']['chapter']}, not {spec.chapter}")
    # Outputs a student left in the file are dropped: only this run counts.
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    names = [q.id for q in spec.questions]
    probe = nbformat.v4.new_code_cell(_PROBE % json.dumps(names))
    client = NotebookClient(
        nb,
        kernel_name=kernel_name,
        timeout=CELL_TIMEOUT_S,
        allow_errors=True,
        interrupt_on_timeout=True,
        resources={"metadata": {"path": str(workdir)}},
    )
    answers = None
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)
            nb.cells.append(probe)
            client.execute_cell(probe, len(nb.cells) - 1)
        answers = _read_answers(probe.outputs)
    except DeadKernelError:
        graded.problems.append("the kernel died while running the notebook (a cell crashed Python)")
    except Exception as error:  # noqa: BLE001 - a broken submission must not stop the run
        graded.problems.append(f"the notebook could not be run ({type(error).__name__}: {str(error)[:120]})")
    errors = _errors(nb)
    graded.problems[:0] = errors
    if answers is None:
        answers = {}
        graded.problems.append("no answer could be read from the notebook")
    _score(spec, graded, entry["answers"], answers)
    scored = [q for q in spec.questions if q.scored]
    if graded.score == spec.max_score and not graded.problems:
        graded.status = "ok"
    elif errors or answers == {}:
        graded.status = "errors"
    elif all(answers.get(q.id, {}).get("missing") for q in scored):
        graded.status = "not answered"
    elif edited:
        graded.status = "edited cells"
    elif any(graded.points[q.id] == 0 for q in scored):
        graded.status = "partial"
    if errors:
        graded.feedback.insert(0, "Errors when your notebook ran top to bottom: " + "; ".join(errors) + ".")
    return graded


def _fingerprint_of(nb, key: str) -> str | None:
    role, _, qid = key.partition(":")
    for cell in nb.cells:
        r = _role(cell)
        if r.get("role") == role and r.get("question", "") == qid:
            return _fingerprint(cell.source)
    return None


def grade(
    chapter: str, submissions: Path, answers: Path | None = None, out: Path | None = None, kernel_name: str = "python3"
) -> Path:
    """Grade every ``*.ipynb`` in ``submissions``; write ``grades.csv`` and ``feedback/<id>.md``
    in ``out`` (default: beside the answers file) and return the CSV's path."""
    spec = assignment(chapter)
    answers = Path(answers or OUTPUT / spec.chapter / "instructor" / "answers.json")
    if not answers.is_file():
        raise ValueError(
            f"no answers file at {answers}: write the assignment first "
            f"(./course assignment {spec.chapter[2:]} --roster roster.csv) or pass --answers."
        )
    record = json.loads(answers.read_text(encoding="utf-8"))
    if record.get("chapter") != spec.chapter:
        raise ValueError(f"{answers} is the answers file of {record.get('chapter')}, not {spec.chapter}.")
    stale = [
        sid
        for sid, entry in record["students"].items()
        if _differs(expected_answers(spec, entry["inputs"]), entry["answers"])
    ]
    submissions = Path(submissions)
    if not submissions.is_dir():
        raise ValueError(f"{submissions} is not a folder of submitted notebooks.")
    out = Path(out or answers.parent.parent / "grades")
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    workdir = out / "run"
    workdir.mkdir(exist_ok=True)
    results = []
    files = sorted(p for p in submissions.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    for path in files:
        print(f"Grading {path.name} ...", flush=True)
        results.append(_grade_one(spec, path, record, kernel_name, workdir))
    counts: dict[str, int] = {}
    for r in results:
        counts[r.student_id] = counts.get(r.student_id, 0) + 1
    for r in results:
        if r.student_id and counts[r.student_id] > 1:
            r.problems.append(f"{counts[r.student_id]} submissions for {r.student_id}: keep one")
    missing = sorted(set(record["students"]) - {r.student_id for r in results})
    scored = [q for q in spec.questions if q.scored]
    table = out / "grades.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "file", "score", "max_score", "status"] + [q.id for q in scored] + ["problems"])
        for r in results:
            writer.writerow(
                [r.student_id, r.file, f"{r.score:g}", spec.max_score, r.status]
                + [f"{r.points.get(q.id, 0):g}" for q in scored]
                + ["; ".join(r.problems)]
            )
        for sid in missing:
            writer.writerow(
                [sid, "", 0, spec.max_score, "no submission"]
                + ["0"] * len(scored)
                + ["no notebook found for this student"]
            )
    for r in results:
        name = r.student_id or Path(r.file).stem
        if r.student_id and counts[r.student_id] > 1:
            name = f"{r.student_id}--{Path(r.file).stem}"
        lines = [f"# {spec.title}: feedback for {name}", "", f"Score: {r.score:g} / {spec.max_score} ({r.status}).", ""]
        lines += [f"- {line}" for line in r.feedback]
        if r.problems:
            lines += ["", "Problems with the submission:"] + [f"- {p}" for p in r.problems]
        (out / "feedback" / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = [f"# Written answers: {spec.title}", ""]
    for r in results:
        for qid, text in r.written.items():
            written += [f"## {r.student_id or r.file}, {qid} ({spec.question(qid).title})", "", text or "(none)", ""]
    (out / "written-answers.md").write_text("\n".join(written), encoding="utf-8")
    if stale:
        print(
            f"Warning: the model now gives other answers than the answers file for {len(stale)} student(s) "
            f"(the model changed since the assignment was written); graded against the answers file.",
            file=sys.stderr,
        )
    return table


def _differs(now: Mapping, then: Mapping) -> bool:
    for key, value in then.items():
        other = now.get(key)
        if isinstance(value, str) or isinstance(other, str) or value is None or other is None:
            if value != other:
                return True
        elif not math.isclose(value, other, rel_tol=1e-9, abs_tol=1e-12):
            return True
    return False


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m omcd.assignments", description="Per-student assignments: write them, grade them."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    write_cmd = commands.add_parser("write", help="one notebook per student and the expected answers")
    write_cmd.add_argument("chapter")
    write_cmd.add_argument("--roster", type=Path, required=True, help="CSV with a student_id column")
    write_cmd.add_argument("--out", type=Path, help="default: _build/assignments/<chapter>/")
    grade_cmd = commands.add_parser("grade", help="grade a folder of submitted notebooks")
    grade_cmd.add_argument("chapter")
    grade_cmd.add_argument("submissions", type=Path)
    grade_cmd.add_argument("--answers", type=Path, help="default: _build/assignments/<chapter>/instructor/answers.json")
    grade_cmd.add_argument("--out", type=Path, help="default: _build/assignments/<chapter>/grades/")
    grade_cmd.add_argument("--kernel", default="python3", help="Jupyter kernel to run submissions in")
    args = parser.parse_args(argv)
    try:
        if args.command == "write":
            where = write_assignment(args.chapter, args.roster, args.out)
            count = len(list(where["notebooks"].glob("*.ipynb")))
            print(
                f"Wrote {count} student notebooks to {where['notebooks']}\n"
                f"Instructor only (keep it private): {where['answers']} and {where['answers_csv']}\n"
                f"What to tell students, and how to grade: {where['readme']}"
            )
        else:
            table = grade(args.chapter, args.submissions, args.answers, args.out, args.kernel)
            print(f"Wrote {table} and one feedback file per student in {table.parent / 'feedback'}")
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
