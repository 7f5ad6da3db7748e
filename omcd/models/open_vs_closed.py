"""Open weights or closed API? Two ways for a model developer that also sells cloud to earn money.

The developer has trained a model family (cost ``D``, paid at month 0 in both strategies) and
compares, month by month over a horizon of ``H`` months:

* **Open weights.** Anyone may download the model, so adoption is wide (market potential
  ``m_open`` deployments) and spreads fast by imitation (``q_open``). The developer earns only on
  the share ``s`` of deployments that run on its own cloud: each spends ``w`` USD a month on
  inference, of which the cloud keeps the gross margin ``g_cloud``.
* **Closed API.** Only the developer serves the model, so every customer pays it, and it keeps
  the API's gross margin ``g_api`` on the same monthly spend ``w``; but fewer adopt
  (``m_closed``) and word of mouth is weaker (``q_closed``).

Formulas (``t`` in years, month ``k`` at ``t = k / 12``; ``p``, ``q`` are per year):

* Bass diffusion, cumulative adopters (Bass 1969, closed form):
  ``N(t) = m (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t))``
* discount factor of month ``k`` at annual rate ``r``: ``d(k) = (1 + r)^(-k / 12)``
  (a monthly rate of ``(1 + r)^(1/12) - 1``, compounded; cash at each month's end)
* monthly profit, open:   ``pi_open(k) = N_open(k) * s * w * g_cloud``
* monthly profit, closed: ``pi_closed(k) = N_closed(k) * w * g_api``
* cumulative discounted profit: ``CDP(K) = -D * 1e6 + sum_{k=1..K} pi(k) d(k)`` (USD)
* terminal value (profit after the horizon): the last month's profit then changes at ``gT`` a year
  forever, a Gordon perpetuity in months, ``TV = pi(H) (1 + gm) / (rm - gm) d(H)`` with
  ``gm = (1 + gT)^(1/12) - 1`` and ``rm = (1 + r)^(1/12) - 1``. ``gT`` runs from -100% a year
  (profit stops at the horizon: no terminal value, the default) to -1%: a model family fades as
  newer models replace it, and a perpetuity that grows would credit this model with its
  successors' profit (and be infinite at a 0% discount rate). ``rm - gm > 0`` at every input.
* NPV of each strategy: ``CDP(H) + TV``
* break-even month: the first ``k`` in ``1..H`` with ``CDP_open(k) > CDP_closed(k)``; None if
  there is none within the horizon
* ``NPV_open`` is linear in ``s``: ``NPV_open = s V - D * 1e6`` with
  ``V = sum_k N_open(k) w g_cloud d(k)`` plus the terminal value at ``s = 1``, and
  ``NPV_closed = C - D * 1e6`` with ``C = sum_k pi_closed(k) d(k) + TV_closed``. The development cost cancels, so open beats closed exactly
  when ``s > s* = C / V``: the threshold share. None when ``s* > 1`` (open loses even with every
  deployment on its own cloud).
* tornado: each input times 0.75 and 1.25 (kept inside its range), the others held, and the
  resulting ``NPV_open - NPV_closed``.

Ranges are in :data:`PARAMS`; ``p`` and the margins have positive minimums, so ``V > 0`` and no
quantity divides by zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace

from omcd.formats import All, Case, Cmp, Fmt, IsNone, Note, Sentence, Shown, Verdict
from omcd.params import Param, validate

MONTHS_PER_YEAR = 12.0
USD_PER_MILLION = 1e6
MAX_HORIZON_MONTHS = 120
TORNADO_FACTORS = (0.75, 1.25)

PARAMS: tuple[Param, ...] = (
    Param("horizon_months", "Horizon", "months", 12, MAX_HORIZON_MONTHS, 1, integer=True, fmt=".0f"),
    Param("innovation_p_per_year", "Innovation coefficient p (both)", "per year", 0.005, 0.3, 0.005, fmt=".3f"),
    Param("imitation_q_open_per_year", "Imitation coefficient q, open", "per year", 0.0, 2.0, 0.01, fmt=".2f"),
    Param("market_open_deployments", "Market potential, open", "deployments", 10_000, 2_000_000, 10_000, fmt=",.0f"),
    Param("own_cloud_share", "Share of open deployments on own cloud", "share", 0.0, 1.0, 0.01, fmt=".0%"),
    Param(
        "spend_usd_per_deployment_month", "Inference spend per deployment", "USD per month", 50, 20_000, 50, fmt="$,.0f"
    ),
    Param("cloud_gross_margin", "Cloud gross margin on inference", "share", 0.01, 0.9, 0.01, fmt=".0%"),
    Param("imitation_q_closed_per_year", "Imitation coefficient q, closed", "per year", 0.0, 2.0, 0.01, fmt=".2f"),
    Param(
        "market_closed_deployments", "Market potential, closed", "deployments", 10_000, 2_000_000, 10_000, fmt=",.0f"
    ),
    Param("api_gross_margin", "API gross margin", "share", 0.01, 0.95, 0.01, fmt=".0%"),
    Param("development_cost_usd_m", "Model development cost", "USD million", 0, 2_000, 10, fmt="$,.0f"),
    Param("discount_rate", "Discount rate", "per year", 0.0, 0.3, 0.01, fmt=".0%"),
    Param(
        "terminal_growth_per_year",
        "Profit change a year after the horizon (−100%: none)",
        "per year",
        -1.0,
        -0.01,
        0.01,
        fmt=".0%",
    ),
)
PARAM_BY_NAME = {p.name: p for p in PARAMS}
#: The terminal growth that counts nothing after the horizon: profit falls 100% a year.
NO_TERMINAL_VALUE = -1.0

#: Inputs varied in the tornado chart: the development cost is left out because it is paid in
#: both strategies and cancels from the difference; the horizon is a whole number of months; the
#: terminal growth is negative (25% more of -100% is out of its range).
TORNADO_INPUTS: tuple[str, ...] = (
    "innovation_p_per_year",
    "imitation_q_open_per_year",
    "market_open_deployments",
    "own_cloud_share",
    "spend_usd_per_deployment_month",
    "cloud_gross_margin",
    "imitation_q_closed_per_year",
    "market_closed_deployments",
    "api_gross_margin",
    "discount_rate",
)


@dataclass(frozen=True)
class OpenVsClosedResult:
    """Outputs of one run. Money in USD million unless named otherwise; ``None`` where the
    quantity does not exist."""

    #: Gross profit a month from one open deployment on the developer's cloud, averaged over all
    #: open deployments: ``s * w * g_cloud`` (USD per deployment per month).
    profit_per_open_deployment_usd_month: float
    #: Gross profit a month from one closed-API customer: ``w * g_api`` (USD per month).
    profit_per_closed_customer_usd_month: float
    npv_open_usd_m: float
    npv_closed_usd_m: float
    npv_difference_usd_m: float
    #: First month in which open's cumulative discounted profit exceeds closed's; None if never.
    break_even_month: int | None
    #: Share of open deployments on own cloud above which open's NPV beats closed's; None if > 1.
    threshold_share: float | None
    adopters_open_at_horizon: float
    adopters_closed_at_horizon: float
    #: Present value of the profit after the horizon (USD million; 0 with no terminal value).
    terminal_value_open_usd_m: float = 0.0
    terminal_value_closed_usd_m: float = 0.0

    def as_dict(self) -> dict[str, float | int | None]:
        return asdict(self)


#: The helpers' own inputs: wide enough for any use of the formulas, narrow enough for finite results.
_MARKET = Param("market", "Market potential", "adopters", 0, 1e12, 1)
_P_ANY = Param("p_per_year", "Innovation coefficient", "per year", 1e-6, 10, 1e-6)
_Q_ANY = Param("q_per_year", "Imitation coefficient", "per year", 0, 100, 0.01)
_T_ANY = Param("t_years", "Time since release", "years", 0, 1000, 1 / 12)
_RATE = Param("annual_rate", "Annual rate", "per year", 0, 1, 0.01)
_MONTH = Param("month", "Month", "months", 0, 12_000, 1, integer=True)
_FACTOR = Param("factor", "Factor", "times", 0, 100, 0.01)


def _check(name: str, value: object, like: Param) -> float:
    """``value`` checked against ``like``'s range, the error naming the argument ``name``."""
    return replace(like, name=name).check(value)


def _bass(market: float, p: float, q: float, t: float) -> float:
    decay = math.exp(-(p + q) * t)
    return market * (1.0 - decay) / (1.0 + (q / p) * decay)


def bass_cumulative_adopters(market: float, p_per_year: float, q_per_year: float, t_years: float) -> float:
    """Bass (1969) cumulative adopters at time ``t_years``.

    ``N(t) = m (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t})``, with ``p > 0`` and ``q >= 0`` per
    year and ``t >= 0`` in years; ``N`` has the unit of ``market`` and rises from 0 towards it.
    """
    market = _check("market", market, _MARKET)
    p = _check("p_per_year", p_per_year, _P_ANY)
    q = _check("q_per_year", q_per_year, _Q_ANY)
    t = _check("t_years", t_years, _T_ANY)
    return _bass(market, p, q, t)


def discount_factor(annual_rate: float, month: int) -> float:
    """Present value of 1 USD received at the end of ``month``: ``(1 + r)^(-month / 12)``."""
    r = _check("annual_rate", annual_rate, _RATE)
    k = _check("month", month, _MONTH)
    return (1.0 + r) ** (-k / MONTHS_PER_YEAR)


def monthly_rate(annual_rate: float) -> float:
    """The monthly rate equivalent to an annual rate: ``(1 + r)^(1/12) - 1`` (a rate of change
    from -100% a year, which gives -100% a month)."""
    r = _check("annual_rate", annual_rate, replace(_RATE, minimum=-1.0))
    return (1.0 + r) ** (1.0 / MONTHS_PER_YEAR) - 1.0


def terminal_multiple(discount_rate: float, terminal_growth_per_year: float) -> float:
    """What a perpetuity of the horizon month's profit is worth at the horizon, in months of that
    profit: ``(1 + gm) / (rm - gm)`` with monthly rates ``rm`` and ``gm``; 0 at -100% a year."""
    r = _check("discount_rate", discount_rate, PARAM_BY_NAME["discount_rate"])
    g = _check("terminal_growth_per_year", terminal_growth_per_year, PARAM_BY_NAME["terminal_growth_per_year"])
    rm, gm = monthly_rate(r), monthly_rate(g)
    return (1.0 + gm) / (rm - gm)


def _series(x: Mapping[str, float]) -> list[dict[str, float]]:
    """Month-by-month rows for validated inputs ``x`` (no validation here)."""
    p = x["innovation_p_per_year"]
    spend = x["spend_usd_per_deployment_month"]
    development = x["development_cost_usd_m"] * USD_PER_MILLION
    sum_open = sum_closed = 0.0
    rows = []
    for month in range(1, int(x["horizon_months"]) + 1):
        t = month / MONTHS_PER_YEAR
        n_open = _bass(x["market_open_deployments"], p, x["imitation_q_open_per_year"], t)
        n_closed = _bass(x["market_closed_deployments"], p, x["imitation_q_closed_per_year"], t)
        d = (1.0 + x["discount_rate"]) ** (-month / MONTHS_PER_YEAR)
        pv_open_full_share = n_open * spend * x["cloud_gross_margin"] * d
        pv_open = pv_open_full_share * x["own_cloud_share"]
        pv_closed = n_closed * spend * x["api_gross_margin"] * d
        sum_open += pv_open
        sum_closed += pv_closed
        rows.append(
            {
                "month": month,
                "adopters_open": n_open,
                "adopters_closed": n_closed,
                "discount_factor": d,
                "pv_open_full_share": pv_open_full_share,
                "pv_open": pv_open,
                "pv_closed": pv_closed,
                "cum_profit_open_usd_m": (sum_open - development) / USD_PER_MILLION,
                "cum_profit_closed_usd_m": (sum_closed - development) / USD_PER_MILLION,
            }
        )
    return rows


def _terminal_values(x: Mapping[str, float], last: Mapping[str, float]) -> tuple[float, float]:
    """Present value (USD) of the profit after the horizon, open at a full own-cloud share and
    closed: the horizon month's present value times :func:`terminal_multiple`."""
    k = terminal_multiple(x["discount_rate"], x["terminal_growth_per_year"])
    return last["pv_open_full_share"] * k, last["pv_closed"] * k


def _result(x: Mapping[str, float]) -> OpenVsClosedResult:
    rows = _series(x)
    last = rows[-1]
    tv_open_full_share, tv_closed = _terminal_values(x, last)
    tv_open = tv_open_full_share * x["own_cloud_share"]
    ahead = [r["month"] for r in rows if r["cum_profit_open_usd_m"] > r["cum_profit_closed_usd_m"]]
    # V > 0: p, w, g_cloud > 0.
    full_share_pv = sum(r["pv_open_full_share"] for r in rows) + tv_open_full_share
    closed_pv = sum(r["pv_closed"] for r in rows) + tv_closed
    threshold = closed_pv / full_share_pv
    npv_open = last["cum_profit_open_usd_m"] + tv_open / USD_PER_MILLION
    npv_closed = last["cum_profit_closed_usd_m"] + tv_closed / USD_PER_MILLION
    return OpenVsClosedResult(
        profit_per_open_deployment_usd_month=x["own_cloud_share"]
        * x["spend_usd_per_deployment_month"]
        * x["cloud_gross_margin"],
        profit_per_closed_customer_usd_month=x["spend_usd_per_deployment_month"] * x["api_gross_margin"],
        npv_open_usd_m=npv_open,
        npv_closed_usd_m=npv_closed,
        npv_difference_usd_m=npv_open - npv_closed,
        break_even_month=ahead[0] if ahead else None,
        threshold_share=None if threshold > 1 else threshold,
        adopters_open_at_horizon=last["adopters_open"],
        adopters_closed_at_horizon=last["adopters_closed"],
        terminal_value_open_usd_m=tv_open / USD_PER_MILLION,
        terminal_value_closed_usd_m=tv_closed / USD_PER_MILLION,
    )


def evaluate(**inputs: float) -> OpenVsClosedResult:
    """Compare the two strategies; raises ``ValueError`` naming any input out of its range."""
    return _result(validate(PARAMS, inputs))


def cumulative_profit(**inputs: float) -> list[dict[str, float]]:
    """Cumulative discounted profit (USD million) of both strategies, one row per month 1..H,
    with the adopters of each strategy (deployments)."""
    x = validate(PARAMS, inputs)
    return [
        {
            k: r[k]
            for k in ("month", "adopters_open", "adopters_closed", "cum_profit_open_usd_m", "cum_profit_closed_usd_m")
        }
        for r in _series(x)
    ]


def _input_named(name: object) -> Param:
    if not isinstance(name, str) or name not in PARAM_BY_NAME:
        raise ValueError(f"name = {name!r} is not an input; use one of {', '.join(PARAM_BY_NAME)}.")
    return PARAM_BY_NAME[name]


def varied_value(name: str, value: float, factor: float) -> float:
    """``value * factor``, kept inside the parameter's range (the tornado's low and high cases)."""
    p = _input_named(name)
    v = _check("value", value, p)
    f = _check("factor", factor, _FACTOR)
    return min(max(v * f, p.minimum), p.maximum)


def npv_difference_varied(inputs: Mapping[str, float], name: str, factor: float) -> float:
    """``NPV_open - NPV_closed`` (USD million) with input ``name`` multiplied by ``factor``."""
    _input_named(name)
    x = validate(PARAMS, inputs)
    x[name] = varied_value(name, x[name], factor)
    rows = _series(x)
    tv_open_full_share, tv_closed = _terminal_values(x, rows[-1])
    # The development cost is paid in both strategies and cancels.
    return (
        sum(r["pv_open"] for r in rows)
        + tv_open_full_share * x["own_cloud_share"]
        - sum(r["pv_closed"] for r in rows)
        - tv_closed
    ) / USD_PER_MILLION


def tornado(**inputs: float) -> list[dict[str, float | str]]:
    """For each input of :data:`TORNADO_INPUTS`: the NPV difference at 0.75x and 1.25x, and its
    swing (the absolute gap between the two), largest swing first."""
    validate(PARAMS, inputs)
    rows = []
    for name in TORNADO_INPUTS:
        low, high = (npv_difference_varied(inputs, name, f) for f in TORNADO_FACTORS)
        rows.append(
            {
                "input": name,
                "label": PARAM_BY_NAME[name].label,
                "difference_at_075_usd_m": low,
                "difference_at_125_usd_m": high,
                "swing_usd_m": abs(high - low),
            }
        )
    return sorted(rows, key=lambda r: -r["swing_usd_m"])


def outputs(inputs) -> dict[str, float | None]:
    """The run's outputs by name (what the results rows and the verdict read)."""
    return {k: (None if v is None else float(v)) for k, v in evaluate(**inputs).as_dict().items()}


USD_M = Fmt("$,.0f", "m")
USD_M_SIGNED = Fmt("+$,.0f", "m")

#: The results a reader reads.
ROWS: tuple[Shown, ...] = (
    Shown(
        "Gross profit a month per open deployment (all clouds)", "profit_per_open_deployment_usd_month", Fmt("$,.0f")
    ),
    Shown("Gross profit a month per closed-API customer", "profit_per_closed_customer_usd_month", Fmt("$,.0f")),
    Shown(
        "Deployments at the horizon, open / closed",
        "adopters_open_at_horizon",
        template="{adopters_open_at_horizon} / {adopters_closed_at_horizon}",
    ),
    Shown("NPV, open weights", "npv_open_usd_m", USD_M),
    Shown("NPV, closed API", "npv_closed_usd_m", USD_M),
    Shown("Open minus closed", "npv_difference_usd_m", USD_M_SIGNED),
    Shown(
        "Open first ahead (cumulative)",
        "break_even_month",
        template="month {break_even_month}",
        none="never within the horizon",
    ),
    Shown(
        "Open wins if its share on own cloud is above",
        "threshold_share",
        template="{threshold_share} (now {own_cloud_share})",
        none="never: open loses even at 100%",
    ),
    Shown(
        "Value after the horizon (terminal value), open / closed",
        "terminal_value_open_usd_m",
        template="{terminal_value_open_usd_m} / {terminal_value_closed_usd_m}",
        notes=(Note(Cmp("terminal_growth_per_year", "==", NO_TERMINAL_VALUE), ": none counted"),),
    ),
)

_NONE = Cmp("terminal_growth_per_year", "==", NO_TERMINAL_VALUE)

#: The plain-language reading, for a manager.
VERDICT = Verdict(
    (
        Sentence(
            Case(
                All(Cmp("npv_difference_usd_m", ">", 0), _NONE),
                "Open weights is worth {npv_difference_usd_m|abs} more over {horizon_months} "
                "(NPV open {npv_open_usd_m}, closed {npv_closed_usd_m}).",
            ),
            Case(
                Cmp("npv_difference_usd_m", ">", 0),
                "Open weights is worth {npv_difference_usd_m|abs} more, terminal value included "
                "(NPV open {npv_open_usd_m}, closed {npv_closed_usd_m}).",
            ),
            Case(
                _NONE,
                "The closed API is worth {npv_difference_usd_m|abs} more over {horizon_months} "
                "(NPV open {npv_open_usd_m}, closed {npv_closed_usd_m}).",
            ),
            "The closed API is worth {npv_difference_usd_m|abs} more, terminal value included "
            "(NPV open {npv_open_usd_m}, closed {npv_closed_usd_m}).",
        ),
        Sentence(
            Case(IsNone("break_even_month"), "Open never gets ahead within {horizon_months}."),
            "Open's cumulative discounted profit first gets ahead in month {break_even_month}.",
        ),
        Sentence(
            Case(
                IsNone("threshold_share"), "Even with every open deployment on its own cloud, open would not catch up."
            ),
            "Open wins when more than {threshold_share} of open deployments run on the developer's cloud "
            "(now {own_cloud_share}).",
        ),
        Sentence(
            Case(
                _NONE,
                "Nothing is counted after the horizon (no terminal value), although both strategies still earn then.",
            ),
            "The terminal value assumes each strategy's last monthly profit then changes by "
            "{terminal_growth_per_year} forever: it adds {terminal_value_open_usd_m} to open and "
            "{terminal_value_closed_usd_m} to the closed API, in today's money.",
        ),
    ),
    formats={
        "npv_difference_usd_m": USD_M,
        "adopters_open_at_horizon": Fmt(",.0f"),
        "adopters_closed_at_horizon": Fmt(",.0f"),
        "break_even_month": Fmt(".0f"),
        "threshold_share": Fmt(".1%"),
        "terminal_value_open_usd_m": USD_M,
        "terminal_value_closed_usd_m": USD_M,
    },
)


def summary(result: OpenVsClosedResult, inputs: Mapping[str, float]) -> str:
    """Plain-language reading of a result at its inputs, for a manager (see :data:`VERDICT`)."""
    from omcd.formats import format_table

    if not isinstance(result, OpenVsClosedResult):
        raise ValueError(f"result must be what open_vs_closed.evaluate returns; got {type(result).__name__}.")
    x = validate(PARAMS, inputs)
    ctx = {**x, **{k: (None if v is None else float(v)) for k, v in result.as_dict().items()}}
    return VERDICT.text(ctx, format_table(PARAMS, ROWS, VERDICT.formats))
