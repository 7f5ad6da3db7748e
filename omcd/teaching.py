"""The class activities of the teaching notes: groups, their links and QR codes, what each finds.

In an activity, every group of students opens the same calculator in its own scenario, reads a
few results, and writes them on the board; put side by side, the groups' results show the
mechanism (a threshold, a trade-off) that no single run shows. Each activity is defined once,
here, in :data:`ACTIVITIES`:

* a :class:`Group` is a scenario of ``data/<calculator>_scenarios.csv``, with a few inputs
  changed where the activity needs it; every value is checked against the model's range and
  the slider's step, so the page opens it without a notice;
* :meth:`Activity.link` is the link that opens the group's scenario (:func:`omcd.qr.calculator_link`),
  absolute into the public student site (``course: site_url:`` in ``_config.yml``) or relative
  (inside the instructor edition); ``reading=hide`` hides the calculator's verdict when the
  activity asks students to find the answer themselves;
* :meth:`Activity.found` is what the group should find: the calculator's own results rows, as
  the page shows them (:meth:`omcd.charts.registry.SiteCalculator.texts`), so every number an
  activity asks for is one the calculator shows; an activity that reads a row the calculator
  does not have fails when the book is built.

Two renderings, for a ``{code-cell}`` of a teaching note:

* :func:`sheets_html`: the *class sheet* of a chapter, projected in class and printed: for each
  activity its task and one card per group (the setting, a QR code of the public link, the
  links); no answers. Each activity prints on one page.
* :func:`findings_html`: for the instructor only, the table of what each group should find.

``python -m omcd.teaching sheet ch2 --base http://192.168.1.20:8000/`` writes a chapter's class
sheet as one HTML file whose links and codes point to another address (e.g. the laptop that
serves the site with ``./course serve --lan``).
"""

from __future__ import annotations

import argparse
import html
import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from omcd.qr import calculator_link, qr_svg, site_url

#: The link parameter that hides every calculator's verdict on the page it opens.
HIDE_READING = "reading=hide"
#: Links from a teaching note (``teaching-notes/<page>.html``) to a chapter page start here.
LOCAL_BASE = "../"
#: Width of a QR code on the sheet, CSS pixels (the sheet's style may shrink it on a phone).
QR_PX = 180
#: The class sheet of each chapter, a page of ``teaching-notes/`` (instructor edition only).
SHEET_PAGES = {"ch1": "ch1-class-sheet", "ch2": "ch2-class-sheet", "ch3": "ch3-class-sheet"}


@dataclass(frozen=True)
class Group:
    """One group's scenario: ``scenario`` of the calculator's data file, with ``values`` changed.
    ``setting`` says in words what differs, for the sheet (students read it)."""

    setting: str
    scenario: str
    values: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Extra:
    """A number an activity asks for that is not a results row: ``where`` says where on the page
    students read it (e.g. a bar label of the chart), ``value(inputs)`` gives it for the note, and
    ``drawn(inputs)``, when the chart draws it, the text the chart shows (the browser test finds it)."""

    header: str
    where: str
    value: Callable[[Mapping[str, float]], str]
    drawn: Callable[[Mapping[str, float]], str] | None = None


@dataclass(frozen=True)
class Activity:
    """A class activity: every group opens ``calculator`` in its own scenario and reads the
    results rows named in ``reads`` (labels of the calculator's rows) and the ``extras``."""

    chapter: str
    number: int
    title: str
    calculator: str
    minutes: int
    task: str
    reads: tuple[str, ...]
    groups: tuple[Group, ...]
    hide_reading: bool = True
    extras: tuple[Extra, ...] = ()

    @property
    def anchor(self) -> str:
        """The activity's id on its class sheet (``ch2-activity-1``)."""
        return f"{self.chapter}-activity-{self.number}"

    @property
    def heading(self) -> str:
        return f"Activity {self.number}: {self.title}"

    @staticmethod
    def group_name(index: int) -> str:
        return f"Group {index + 1}"

    def _params(self):
        return importlib.import_module(f"omcd.models.{self.calculator}").PARAMS

    def inputs(self, group: Group) -> dict[str, float]:
        """Every input of the group's scenario, each checked against its range and its slider's
        step (a value between steps would open with a notice on the page)."""
        from omcd.data import scenario_values
        from omcd.params import validate

        values = validate(self._params(), {**scenario_values(self.calculator, group.scenario), **group.values})
        for p in self._params():
            if abs(p.snap(values[p.name]) - values[p.name]) > 1e-9 * max(1.0, abs(values[p.name])):
                raise ValueError(
                    f"{self.anchor}, {group.setting!r}: {p.name} = {values[p.name]:g} is not on "
                    f"its slider's step ({p.step:g} from {p.minimum:g}); the page would round it."
                )
        return values

    def link(self, group: Group, base: str | None = None) -> str:
        """The link that opens the group's scenario: absolute into the public site (``base=None``),
        or under ``base`` (``LOCAL_BASE`` inside the instructor edition's notes)."""
        url = calculator_link(self.calculator, self.inputs(group), base=base)
        return f"{url}&{HIDE_READING}" if self.hide_reading else url

    def found(self, group: Group) -> list[tuple[str, str]]:
        """(what, as the page shows it) for every row in ``reads`` and every extra, at the group's
        inputs: what the group should find."""
        from omcd.charts import registry

        calc = registry.get(self.calculator)
        if calc is None:
            raise ValueError(f"{self.anchor}: no website calculator called {self.calculator!r}.")
        inputs = self.inputs(group)
        rows = {label.strip(): text for label, text in calc.texts(inputs)["rows"]}
        missing = [label for label in self.reads if label not in rows]
        if missing:
            raise ValueError(
                f"{self.anchor} reads {missing}, which the calculator {self.calculator!r} does not "
                f"show; its results rows are: {list(rows)}."
            )
        return [(label, rows[label]) for label in self.reads] + [(e.header, e.value(inputs)) for e in self.extras]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


# ----------------------------------------------------------------------------- the activities


def _usd_bn(value: float) -> str:
    return f"USD {value:,.1f}bn" if value >= 0 else f"−USD {-value:,.1f}bn"


def _operating_profit(year: int, drawn: bool = False) -> Callable[[Mapping[str, float]], str]:
    """Year ``year``'s operating profit of the build-out: for the note (USD bn), or as the chart's bar
    label draws it (d3 format ',.1f' of the absolute value, a hyphen before a loss)."""

    def value(inputs: Mapping[str, float]) -> str:
        from omcd.models import ai_buildout

        profit = ai_buildout.evaluate(**inputs).years[year - 1].operating_profit_bn
        return f"{'-' if profit < 0 else ''}{abs(profit):,.1f}" if drawn else _usd_bn(profit)

    return value


def _lists_below_cost(inputs: Mapping[str, float]) -> str:
    from omcd.charts import registry

    rows = registry.get("token_cost").texts(inputs)["rows"]
    below = [
        label.split(":", 1)[1].strip()
        for label, text in rows
        if label.startswith("Margin over GPU cost") and "below cost" in text
    ]
    return "; ".join(below) if below else "none"


def _owner_cost_per_hour() -> float:
    """The neocloud's own cost of a sold H100-hour (activity 1 of chapter 3), on the token-cost
    calculator's step (USD 0.05)."""
    from omcd.data import scenario_values
    from omcd.models import gpu_cluster, token_cost

    cost = gpu_cluster.evaluate(**scenario_values("gpu_cluster", "h100_2025")).cost_per_sold_hour
    return token_cost.PARAM_BY_NAME["gpu_cost_usd_per_hour"].snap(cost)


CH1 = (
    Activity(
        "ch1",
        1,
        "Who wins, at which share?",
        "open_vs_closed",
        15,
        "Open your group's link: only the share of open deployments that run on the developer's own "
        "cloud differs. Write on the board the NPV of open weights, the NPV of the closed API, open "
        "minus closed, and the share above which open wins.",
        ("NPV, open weights", "NPV, closed API", "Open minus closed", "Open wins if its share on own cloud is above"),
        (
            Group("4% of open deployments on own cloud (Alibaba's global cloud share)", "alibaba_global_share"),
            Group("10% on own cloud", "alibaba_2025", {"own_cloud_share": 0.10}),
            Group("20% on own cloud", "alibaba_2025", {"own_cloud_share": 0.20}),
            Group("30% on own cloud (the default)", "alibaba_2025"),
            Group("33% on own cloud (Alibaba's share of China's cloud market)", "alibaba_china_share"),
            Group("50% on own cloud", "alibaba_2025", {"own_cloud_share": 0.50}),
        ),
    ),
    Activity(
        "ch1",
        2,
        "What decides the answer?",
        "open_vs_closed",
        15,
        "Open your group's link: one input differs from the default (30% on own cloud). Who wins now, "
        "by how much, and above what share does open win? Then find your input on the tornado chart "
        "below the calculator.",
        ("Open minus closed", "Open wins if its share on own cloud is above"),
        (
            Group("The closed API spreads by word of mouth as fast as open (imitation 0.38)", "no_imitation_gap"),
            Group("A price war halves the API's gross margin (25%)", "api_price_war_2024"),
            Group("Cloud margin at Alibaba Cloud's EBITA margin (9%)", "cloud_margin_at_ebita"),
            Group("A three-year horizon (36 months)", "alibaba_2025", {"horizon_months": 36}),
            Group(
                "About a quarter fewer open deployments (380,000)", "alibaba_2025", {"market_open_deployments": 380_000}
            ),
            Group("Twice the development cost (USD 400 million)", "alibaba_2025", {"development_cost_usd_m": 400}),
        ),
    ),
)

_OUTCOMES = ("Both crunch", "A crunches, B waits", "A waits, B crunches", "Both wait")

CH2 = (
    Activity(
        "ch2",
        1,
        "Where does crunching stop paying?",
        "release_race",
        15,
        "Open your group's link: the share of the prize a lab takes when it ships first alone, or the "
        "cost of a crunch, differs. Copy the four payoffs into a 2×2 matrix, circle each lab's best "
        "response, and write on the board: the equilibrium, and whether both labs would earn more if "
        "both waited.",
        _OUTCOMES,
        (
            Group("A sole first mover takes 70% of the prize (the default)", "deepseek_shock_2025"),
            Group("A sole first mover takes 90%", "deepseek_shock_2025", {"first_mover_share": 0.90}),
            Group("A sole first mover takes 56%", "deepseek_shock_2025", {"first_mover_share": 0.56}),
            Group("A sole first mover takes 54%", "deepseek_shock_2025", {"first_mover_share": 0.54}),
            Group("A crunch costs USD 2bn; a sole first mover takes 75%", "costly_crunch", {"first_mover_share": 0.75}),
            Group("A crunch costs USD 2bn; a sole first mover takes 65%", "costly_crunch"),
        ),
    ),
    Activity(
        "ch2",
        2,
        "Who gains from the price war?",
        "price_war",
        15,
        "Open your group's link: prices fall tenfold a year; the elasticity of demand and the yearly "
        "efficiency gain of serving differ by group. Write on the board spending on tokens and the "
        "GPU-hours needed, year 0 and year 5, and the elasticity above which GPU-hours grow.",
        ("Spending on tokens a year", "GPU-hours needed a year", "GPU-hours grow when elasticity is above"),
        (
            Group("Elasticity 1.2, serving 10 times more efficient a year (the default)", "llmflation_2022"),
            Group("Elasticity 0.6, serving 10 times more efficient a year", "inelastic_demand"),
            Group("Elasticity 0.9, serving 10 times more efficient a year", "llmflation_2022", {"elasticity": 0.9}),
            Group("Elasticity 1.2, serving twice as efficient a year", "slow_efficiency"),
            Group("Elasticity 0.6, serving twice as efficient a year", "slow_efficiency", {"elasticity": 0.6}),
            Group("Elasticity 0.9, serving twice as efficient a year", "slow_efficiency", {"elasticity": 0.9}),
        ),
    ),
    Activity(
        "ch2",
        3,
        "When do token sellers lose money?",
        "price_war",
        10,
        "Serving gets twice as efficient a year while prices fall tenfold. Your link sets how many years "
        "the price war has lasted. Read the last year's price, the GPU cost of serving a million tokens "
        "that year, and the token sellers' serving margin (year 0 → last year).",
        ("Price, year 0 → last year", "GPU cost of serving, last year", "Serving margin of token sellers a year"),
        (
            Group("After 1 year; elasticity 1.2", "slow_efficiency", {"years": 1}),
            Group("After 2 years; elasticity 1.2", "slow_efficiency", {"years": 2}),
            Group("After 3 years; elasticity 1.2", "slow_efficiency", {"years": 3}),
            Group("After 1 year; elasticity 0.6", "slow_efficiency", {"years": 1, "elasticity": 0.6}),
            Group("After 2 years; elasticity 0.6", "slow_efficiency", {"years": 2, "elasticity": 0.6}),
            Group("After 3 years; elasticity 0.6", "slow_efficiency", {"years": 3, "elasticity": 0.6}),
        ),
    ),
)

CH3 = (
    Activity(
        "ch3",
        1,
        "One H100: who makes money?",
        "gpu_cluster",
        12,
        "Open your group's link: who rents out the H100, at what price, or how full it is, differs. "
        "Write on the board the cost per sold GPU-hour, the break-even utilisation and the NPV over "
        "the GPU's life.",
        ("Cost per sold GPU-hour, year 1", "Break-even utilisation (accounts, year 1)", "NPV over its economic life"),
        (
            Group("A neocloud at USD 2.50 an hour, 70% of hours sold (the default)", "h100_2025"),
            Group("A neocloud at the late-2024 trough price of USD 2.00", "neocloud_2024_trough"),
            Group("A hyperscaler at its USD 6.90 list price, 6-year life", "hyperscaler_2025"),
            Group(
                "A hyperscaler's costs at the neocloud's USD 2.50", "hyperscaler_2025", {"price_usd_per_gpu_hour": 2.5}
            ),
            Group("A neocloud at USD 2.50 that sells half of its hours", "h100_2025", {"utilisation": 0.5}),
            Group(
                "A neocloud at USD 2.50 with the sourced USD 34,000 capex",
                "h100_2025",
                {"server_overhead_usd_per_gpu": 4_000},
            ),
        ),
    ),
    Activity(
        "ch3",
        2,
        "What does a million tokens cost?",
        "token_cost",
        10,
        "Open your group's link: the GPU's hourly cost, its throughput or its load differs. Write on the "
        "board the GPU cost of a million output tokens and the price lists that fall below it (marked "
        "below cost).",
        ("GPU cost per million output tokens",),
        (
            Group("A rented H100 at USD 2.50, 70% load (the default)", "h100_rented_2025"),
            Group("DeepSeek's own disclosed serving figures", "deepseek_disclosed_2025"),
            Group("A rented H100 at the hyperscaler's USD 6.90 list price", "hyperscaler_list_2025"),
            Group("A rented H100 at 35% load", "h100_rented_half_load"),
            Group(
                f"An H100 at its owner's cost, USD {_owner_cost_per_hour():.2f} an hour",
                "h100_rented_2025",
                {"gpu_cost_usd_per_hour": _owner_cost_per_hour()},
            ),
            Group(
                "A rented H100 at DeepSeek's throughput, 1,072 tokens a second",
                "h100_rented_2025",
                {"tokens_per_second_per_gpu": 1_072},
            ),
        ),
        extras=(Extra("Price lists below cost", "the rows marked “below cost” (red on the chart)", _lists_below_cost),),
    ),
    Activity(
        "ch3",
        3,
        "Profit or cash?",
        "ai_buildout",
        13,
        "Open your group's link: the depreciation life, the utilisation or the GPUs' economic life "
        "differs. Write on the board the operating profit of years 1 and 2 (the bars' labels), the "
        "peak funding need, the payback year and the NPV.",
        (
            "Peak funding need (lowest cumulative cash at a year's end)",
            "Payback (cumulative cash back to zero)",
            "NPV at the discount rate",
        ),
        (
            Group("Alibaba's plan, depreciated over 5 years (the default)", "alibaba_plan_2025"),
            Group("Depreciated over 4 years", "alibaba_plan_2025", {"depreciation_life_years": 4}),
            Group("Depreciated over 6 years", "alibaba_plan_2025", {"depreciation_life_years": 6}),
            Group("60% of hours sold instead of 70%", "alibaba_plan_2025", {"utilisation": 0.6}),
            Group("GPUs earn for 4 years, depreciated over 6", "alibaba_plan_long_books_short_life"),
            Group("GPUs earn for 3 years, depreciated over 6", "alibaba_plan_short_life"),
        ),
        hide_reading=False,
        extras=(
            Extra(
                "Operating profit, year 1",
                "the year-1 bar's label",
                _operating_profit(1),
                _operating_profit(1, drawn=True),
            ),
            Extra(
                "Operating profit, year 2",
                "the year-2 bar's label",
                _operating_profit(2),
                _operating_profit(2, drawn=True),
            ),
        ),
    ),
)

#: Every chapter's activities, in the order of its session plan.
ACTIVITIES: dict[str, tuple[Activity, ...]] = {"ch1": CH1, "ch2": CH2, "ch3": CH3}


def activities(chapter: str) -> tuple[Activity, ...]:
    if chapter not in ACTIVITIES:
        raise ValueError(f"chapter = {chapter!r}: no activities; chapters: {', '.join(ACTIVITIES)}.")
    return ACTIVITIES[chapter]


def activity(chapter: str, number: int) -> Activity:
    found = [a for a in activities(chapter) if a.number == number]
    if not found:
        raise ValueError(
            f"{chapter} has no activity {number}; it has {', '.join(str(a.number) for a in activities(chapter))}."
        )
    return found[0]


# ----------------------------------------------------------------------------- rendering

STYLE = """<style>
.omcd-sheet { break-inside: avoid; margin: 1.25rem 0 2rem; }
.omcd-sheet + .omcd-sheet { break-before: page; }
.omcd-sheet p, .omcd-sheet .omcd-sheet-groups > li > p { margin: 0; }
.omcd-sheet .omcd-sheet-title { font-size: 1.3rem; font-weight: 700; margin-bottom: 0.3rem; }
.omcd-sheet .omcd-sheet-task { margin-bottom: 0.6rem; }
.omcd-sheet-groups { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.6rem;
  grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); }
.omcd-sheet-groups > li { border: 1px solid #767676; border-radius: 6px; padding: 0.4rem 0.5rem 0.5rem;
  text-align: center; break-inside: avoid; margin: 0; display: flex; flex-direction: column; }
.omcd-sheet .omcd-sheet-group { font-size: 1.2rem; font-weight: 700; }
.omcd-sheet-group a { color: inherit; text-decoration: none; }
.omcd-sheet .omcd-sheet-setting { padding: 0.1rem 0 0.3rem; line-height: 1.3; flex: 1 0 auto; }
.omcd-sheet svg.omcd-qr { display: block; margin: 0 auto; width: 100%; max-width: 170px; height: auto; }
.omcd-sheet .omcd-sheet-links { font-size: 0.85rem; padding-top: 0.3rem; }
.omcd-sheet .omcd-sheet-foot { font-size: 0.9rem; margin-top: 0.5rem; }
.omcd-sheet-back { display: none; }
/* A group's name links to its card: the card then takes the whole width, its code as large as
   the screen allows, for a big room; "all groups" goes back. */
.omcd-sheet-groups > li:target { grid-column: 1 / -1; }
.omcd-sheet-groups > li:target svg.omcd-qr { max-width: min(75vh, 36rem); }
.omcd-sheet-groups > li:target .omcd-sheet-back { display: inline; }
.omcd-findings { overflow-x: auto; margin: 0.5rem 0 1rem; }
.omcd-findings table { border-collapse: collapse; font-size: 0.9rem; }
.omcd-findings th, .omcd-findings td { border: 1px solid #bbb; padding: 0.25rem 0.45rem; vertical-align: top;
  text-align: left; }
.omcd-findings thead th { border-bottom: 2px solid #555; }
.omcd-findings .omcd-nowrap { white-space: nowrap; }
@media print {
  .omcd-sheet-groups { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  .omcd-sheet-groups > li { min-width: 0; }
  .omcd-sheet svg.omcd-qr { max-width: 45mm; }
  .omcd-sheet-groups > li:target { grid-column: auto; }
  .omcd-sheet-links { display: none; }
}
</style>"""


def _links(act: Activity, group: Group, index: int, base: str | None, local_base: str | None) -> str:
    name = act.group_name(index)
    public = act.link(group, base)
    parts = []
    if local_base is not None:
        parts.append(
            f'<a href="{_esc(act.link(group, local_base))}" aria-label="{_esc(name)}: open here">open here</a>'
        )
    label = "public site" if base is None else "link"
    parts.append(f'<a href="{_esc(public)}" aria-label="{_esc(name)}: {label}">{label}</a>')
    return " · ".join(parts)


def sheet_html(act: Activity, *, base: str | None = None, local_base: str | None = LOCAL_BASE) -> str:
    """The projected and printed sheet of one activity: its task and one card per group (its
    setting, the QR code of its link, the links). No answers. ``base``: the site the codes open
    (default: the public student site); ``local_base``: prefix of the "open here" links (None: none)."""
    cards = []
    for index, group in enumerate(act.groups):
        name = act.group_name(index)
        url = act.link(group, base)
        card = f"{act.anchor}-group-{index + 1}"
        cards.append(
            f'<li id="{card}" data-group="{index + 1}" data-link="{_esc(url)}">'
            f'<p class="omcd-sheet-group"><a href="#{card}" title="Enlarge this code">{_esc(name)}</a></p>'
            f'<p class="omcd-sheet-setting">{_esc(group.setting)}</p>'
            f"{qr_svg(url, f'{name}: QR code of the link to its scenario', size_px=QR_PX)}"
            f'<p class="omcd-sheet-links">{_links(act, group, index, base, local_base)}'
            f'<span class="omcd-sheet-back"> · <a href="#{_esc(act.anchor)}">all groups</a></span></p></li>'
        )
    foot = (
        "The link hides the calculator's reading (its verdict): find the answer in the results "
        "table; “Show the reading” brings it back. Click a group's name to enlarge its code."
        if act.hide_reading
        else "Click a group's name to enlarge its code."
    )
    return (
        f'<section class="omcd-sheet" id="{_esc(act.anchor)}" aria-labelledby="{_esc(act.anchor)}-title" '
        f'data-calculator="{_esc(act.calculator)}">'
        f'<p class="omcd-sheet-title" id="{_esc(act.anchor)}-title" role="heading" aria-level="2">'
        f"Chapter {_esc(act.chapter[2:])} · {_esc(act.heading)} ({act.minutes} minutes)</p>"
        f'<p class="omcd-sheet-task">{_esc(act.task)}</p>'
        f'<ol class="omcd-sheet-groups">{"".join(cards)}</ol>'
        f'<p class="omcd-sheet-foot">{_esc(foot)}</p></section>'
    )


#: On a class sheet page only: printed, the page's title and introduction (and the theme's printed
#: title) give way to the sheets, so that each activity, which names its chapter, fills one page; the
#: theme's printed left margin (which pushes the page's right edge off the paper) is dropped.
SHEET_PAGE_PRINT = (
    "<style>@media print { .omcd-sheet-intro, article.bd-article h1, #jb-print-docs-body "
    "{ display: none !important; } .bd-main .bd-content { margin-left: 0 !important; } "
    ".omcd-sheet:first-of-type { margin-top: 0; } }</style>"
)


def sheets_html(chapter: str, *, base: str | None = None, local_base: str | None = LOCAL_BASE) -> str:
    """The class sheet of ``chapter``: every activity's sheet, each printing on its own page."""
    return (
        STYLE + SHEET_PAGE_PRINT + "".join(sheet_html(a, base=base, local_base=local_base) for a in activities(chapter))
    )


def findings_html(act: Activity, *, local_base: str | None = LOCAL_BASE) -> str:
    """For the instructor: one row per group, its setting, its links, and what it should find
    (each number as the calculator shows it)."""
    rows = []
    headers = None
    for index, group in enumerate(act.groups):
        found = act.found(group)
        headers = headers or [what for what, _ in found]
        # A negative number keeps its minus sign on its line ("→ −$4.7 billion" must not read "→ −" / "$4.7").
        cells = "".join(
            "<td>" + re.sub(r"−\S+", lambda m: f'<span class="omcd-nowrap">{m.group(0)}</span>', _esc(text)) + "</td>"
            for _, text in found
        )
        rows.append(
            f'<tr><th scope="row">{_esc(act.group_name(index))}</th><td>{_esc(group.setting)}</td>'
            f"<td>{_links(act, group, index, None, local_base)}</td>{cells}</tr>"
        )
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in ["Group", "Setting", "Link", *headers])
    where = "".join(f" {e.header}: {e.where}." for e in act.extras)
    sheet = SHEET_PAGES[act.chapter]
    caption = (
        f"What each group of activity {act.number} should find, as the calculator shows it."
        f'{where} Project the <a href="{sheet}.html#{_esc(act.anchor)}">class sheet</a>, not this table.'
    )
    return (
        STYLE + f'<div class="omcd-findings" role="region" tabindex="0" aria-label="{_esc(act.heading)}: '
        f'what each group should find"><table data-activity="{_esc(act.anchor)}">'
        f"<caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


# ----------------------------------------------------------------------------- graded assignments

#: The student id whose drawn inputs a teaching note answers the graded assignment at.
SAMPLE_STUDENT = "sample"


def _answer_text(question, value) -> str:
    if question.kind == "share":
        return f"{value:.1%}"
    if question.kind == "integer":
        return f"{value:d}" + (f" ({question.unit})" if question.unit else "")
    if question.kind == "choice":
        return f"“{value}”"
    magnitude = abs(value)
    number = f"{value:,.0f}" if magnitude >= 1000 else f"{value:,.2f}" if magnitude >= 1 else f"{value:.3g}"
    return number.replace("-", "−") + (f" {question.unit}" if question.unit else "")


def assignment_answers_html(chapter: str, student_id: str = SAMPLE_STUDENT) -> str:
    """For the instructor: the graded assignment of ``chapter`` answered at the inputs drawn for
    ``student_id`` (what ``./course assignment`` writes in ``answers.json`` for that student): the
    drawn inputs with their ranges, then each question's answer, how to get it, and its tolerance."""
    from omcd.assignments import assignment, draw_inputs, expected_answers

    spec = assignment(chapter)
    inputs = draw_inputs(spec, student_id)
    answers = expected_answers(spec, inputs)
    drawn = []
    for d in spec.draws:
        p = importlib.import_module(f"omcd.models.{d.calculator}").PARAM_BY_NAME[d.param]
        span = p.shown(d.low) if d.low == d.high else f"{p.shown(d.low)} to {p.shown(d.high)}"
        drawn.append(
            f"<tr><td>{_esc(p.label)}</td><td>{_esc(p.shown(inputs[d.calculator][d.param]))}</td>"
            f"<td>{_esc(span)}</td></tr>"
        )
    asked = []
    for q in spec.questions:
        if q.scored:
            answer, how, tolerance = _answer_text(q, answers[q.id]), q.hint, q.tolerance_text()
        else:
            answer, how, tolerance = "written: see the model answer below", "", "read by you, not scored"
        asked.append(
            f'<tr><th scope="row">{_esc(q.id.upper())}</th><td>{_esc(q.title)}</td><td>{_esc(answer)}</td>'
            f"<td>{_esc(how)}</td><td>{_esc(tolerance)}</td></tr>"
        )
    return (
        STYLE
        + f'<div class="omcd-findings" role="region" tabindex="0" aria-label="Inputs drawn for student {_esc(student_id)}">'
        f'<table data-assignment="{_esc(spec.chapter)}"><caption>Inputs drawn for the student id '
        f"“{_esc(student_id)}” (every other input is the chapter's default).</caption>"
        f'<thead><tr><th scope="col">Input</th><th scope="col">Drawn</th><th scope="col">Drawn from</th></tr></thead>'
        f"<tbody>{''.join(drawn)}</tbody></table></div>"
        f'<div class="omcd-findings" role="region" tabindex="0" aria-label="Answers for student {_esc(student_id)}">'
        f'<table data-assignment-answers="{_esc(spec.chapter)}"><caption>The model\'s answers at those inputs.</caption>'
        f'<thead><tr><th scope="col">Question</th><th scope="col">Asks for</th><th scope="col">Answer</th>'
        f'<th scope="col">How</th><th scope="col">Tolerance</th></tr></thead>'
        f"<tbody>{''.join(asked)}</tbody></table></div>"
    )


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m omcd.teaching", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sheet = sub.add_parser("sheet", help="write a chapter's class sheet as one HTML file")
    sheet.add_argument("chapter", choices=sorted(ACTIVITIES))
    sheet.add_argument(
        "--base", default=None, help=f"the site's address the links and codes open (default: {site_url()})"
    )
    sheet.add_argument(
        "--out", type=Path, default=None, help="the HTML file (default: _build/class-sheet-CHAPTER.html)"
    )
    args = parser.parse_args(argv)
    out = args.out or Path("_build") / f"class-sheet-{args.chapter}.html"
    body = sheets_html(args.chapter, base=args.base, local_base=None)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Class sheet, '
        f'{args.chapter}</title><meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>body {{ font-family: sans-serif; margin: 1rem auto; max-width: 60rem; }}</style>"
        f"</head><body>{body}</body></html>\n",
        encoding="utf-8",
    )
    print(f"Wrote {out} ({len(activities(args.chapter))} activities; links open {args.base or site_url()}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
