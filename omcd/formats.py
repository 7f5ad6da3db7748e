"""What the reader reads: number formats, results rows and verdict sentences, defined once.

Every number a calculator shows (a slider's value, a results row, a number inside a verdict
sentence) is defined here once and written two ways from that one definition:

* in Python (:meth:`Fmt.text`, :meth:`Shown.text`, :meth:`Verdict.text`), for the notebook
  widget, the print view and the page as built;
* as a Vega expression (:meth:`Fmt.vega`, :meth:`Shown.vega`, :meth:`Verdict.vega`), which the
  reader's browser evaluates with Vega's ``format()`` (d3-format) at every slider move.

The Python side implements the subset of d3-format the course uses, with d3's own rules: the
minus sign is U+2212, a negative value that rounds to zero loses its sign, ties round away from
zero on the exact binary value (JavaScript's ``toFixed``), and ``%`` multiplies by 100 in floating
point before rounding. One addition to d3: a sign is joined to the "$" after it by an invisible
word joiner (:data:`WORD_JOINER`), so that no line ends with "−" and starts with the amount. A
browser test (``tests/browser/test_reader_numbers.py``) reads every number on every calculator
page at random inputs and compares it with the Python text.

Specifiers: ``[+][$][,][.N][~](f|%)``, e.g. ``"$,.0f"`` ($30,000), ``".0%"`` (70%), ``",.1~f"``
(1.5, 2), and ``"words"`` for large counts (100 million, 1.5 billion).
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MINUS = "\u2212"
#: U+2060 WORD JOINER, written between a sign and the currency symbol after it ("−⁠$12.3bn").
#: Unicode line breaking (UAX #14) lets a browser break a line between "−" and "$" (both are
#: prefixes), which leaves "cash flow is −" at the end of one line and "$12.3bn" on the next;
#: the joiner forbids that break. It is a default-ignorable format character (no glyph, no
#: width, nothing to pronounce), so the text looks as before; copied, it travels with the text
#: (a typed-in value that holds it is read by ``omcd.widgets._base.parse_number``). A sign
#: before a digit never breaks ("−8%"), so only a sign before "$" gets one. :meth:`Fmt.text`
#: and :meth:`Fmt.vega` (and the pinned scenario's differences) write it alike, for every amount.
WORD_JOINER = "\u2060"
_SPEC = re.compile(r"(?P<sign>\+)?(?P<currency>\$)?(?P<group>,)?(?:\.(?P<precision>\d+))?(?P<trim>~)?(?P<kind>[f%])")


def d3_format(value: float, spec: str) -> str:
    """``value`` formatted as d3-format's ``format(spec)`` does (the subset described above)."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        raise ValueError(f"format {spec!r} is not one the course supports: [+][$][,][.N][~](f|%)")
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}: a finite number is needed")
    precision = int(match["precision"]) if match["precision"] is not None else 6
    x = float(value) * 100 if match["kind"] == "%" else float(value)
    negative = x < 0 or (x == 0 and math.copysign(1.0, x) < 0)
    digits = f"{Decimal(abs(x)).quantize(Decimal(1).scaleb(-precision), rounding=ROUND_HALF_UP):f}"
    if match["trim"] and "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    if negative and not match["sign"] and not any(c in "123456789" for c in digits):
        negative = False  # d3: a negative value that rounds to zero is shown without its sign
    whole, _, fraction = digits.partition(".")
    if match["group"]:
        whole = f"{int(whole):,}"
    number = whole + ("." + fraction if fraction else "")
    sign = MINUS if negative else (match["sign"] or "")
    return sign + ("$" if match["currency"] else "") + number + ("%" if match["kind"] == "%" else "")


def _joined(text: str) -> str:
    """d3's text with its sign joined to the currency symbol that follows it (see WORD_JOINER)."""
    return re.sub(r"^([+\u2212])\$", r"\1" + WORD_JOINER + "$", text)


def _format_vega(x: str, spec: str) -> str:
    """Vega's ``format(x, spec)``, its sign joined to the currency symbol as :func:`_joined` does.
    In a currency format d3 writes the sign, if any, just before the "$", and nowhere else."""
    out = f"format({x}, {_js(spec)})"
    if "$" in spec:
        for sign in ("+", MINUS) if spec.startswith("+") else (MINUS,):
            out = f"replace({out}, {_js(sign)}, {_js(sign + WORD_JOINER)})"
    return out


def _js(text: str) -> str:
    """A string literal for a Vega expression."""
    return json.dumps(text, ensure_ascii=False)


# References: a name of an input or an output, or a number ---------------------------------

Ref = str | float | int


def _value(ref: Ref, ctx: Mapping[str, object]):
    if isinstance(ref, str):
        if ref not in ctx:
            raise KeyError(f"no input or output named {ref!r} (known: {', '.join(sorted(ctx))})")
        return ctx[ref]
    return ref


def _vega_ref(ref: Ref) -> str:
    return f"datum[{_js(ref)}]" if isinstance(ref, str) else repr(float(ref))


# Formats ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """One unit of a scaled format: used when ``abs(value) >= at``; shows ``value / divisor``
    with ``spec`` and then ``suffix`` (e.g. ``Scale(1e6, 1e6, ",.1~f", " million")``)."""

    at: float
    divisor: float
    spec: str
    suffix: str


@dataclass(frozen=True)
class Fmt:
    """A number format: a d3 specifier (or ``"words"``), text after the number, and whether the
    number is shown without its sign (for sentences that say "earns" or "loses" instead).

    ``scales`` pick the unit by size, the first whose ``at`` the value reaches: ``"words"`` is
    shorthand for millions, billions and trillions in words; :func:`small_prices` shows a tiny
    price per billion or per trillion tokens instead of per million.
    """

    spec: str
    suffix: str = ""
    absolute: bool = False
    scales: tuple[Scale, ...] = ()

    def __post_init__(self):
        if self.spec == "words":
            object.__setattr__(self, "spec", ",.0f")
            object.__setattr__(self, "scales", WORDS)
        specs = [self.spec, *(s.spec for s in self.scales)]
        for spec in specs:
            d3_format(0.0, spec)  # an unsupported specifier fails when it is defined
        if len({"$" in spec for spec in specs}) > 1:
            raise ValueError(f"format {self.spec!r}: show the currency at every scale or at none")

    @property
    def currency(self) -> bool:
        """The amount is written with a currency symbol ("$")."""
        return "$" in self.spec

    def text(self, value: float) -> str:
        x = abs(value) if self.absolute else value
        for scale in self.scales:
            if abs(x) >= scale.at:
                return _joined(d3_format(x / scale.divisor, scale.spec)) + scale.suffix + self.suffix
        return _joined(d3_format(x, self.spec)) + self.suffix

    def vega(self, expr: str) -> str:
        x = f"abs({expr})" if self.absolute else f"({expr})"
        out = _format_vega(x, self.spec)
        for scale in reversed(self.scales):
            scaled = _format_vega(f"{x} / {scale.divisor!r}", scale.spec) + (
                f" + {_js(scale.suffix)}" if scale.suffix else ""
            )
            out = f"(abs({x}) >= {scale.at!r} ? {scaled} : {out})"
        return f"{out} + {_js(self.suffix)}" if self.suffix else out

    # Differences (the pinned scenario's column of the results table) -------------------------

    def change(self) -> Fmt:
        """The format of the size of a difference between two values shown in this format: the
        same units without a sign (the sign is written apart, see :meth:`change_text`); a share
        (``%``) changes by percentage points (``+5 pp``), not by a percentage of itself."""
        parts = _SPEC.fullmatch(self.spec)
        body = (
            (parts["currency"] or "")
            + (parts["group"] or "")
            + (f".{parts['precision']}" if parts["precision"] is not None else "")
            + (parts["trim"] or "")
        )
        if parts["kind"] == "%":
            return Fmt(body + "f", " pp" + self.suffix, True, (Scale(0.0, 0.01, body + "f", ""),))
        scales = tuple(Scale(s.at, s.divisor, s.spec.lstrip("+"), s.suffix) for s in self.scales)
        return Fmt(body + "f", self.suffix, True, scales)

    def change_text(self, difference: float) -> str:
        """A difference as the reader reads it: ``+$1,200``, ``−5 pp``, or ``no change`` when
        it rounds to nothing in this format."""
        size = self.change()
        shown = size.text(difference)
        if shown == size.text(0.0):
            return NO_CHANGE
        return ("+" if difference > 0 else MINUS) + self._joiner() + shown

    def change_vega(self, expr: str) -> str:
        """:meth:`change_text` as a Vega expression of the difference ``expr``."""
        size = self.change()
        plus, minus = _js("+" + self._joiner()), _js(MINUS + self._joiner())
        return (
            f"(({size.vega(expr)}) == {_js(size.text(0.0))} ? {_js(NO_CHANGE)}"
            f" : (({expr}) > 0 ? {plus} : {minus}) + ({size.vega(expr)}))"
        )

    def _joiner(self) -> str:
        """What joins a difference's sign to its size: the word joiner before a currency symbol."""
        return WORD_JOINER if self.currency else ""


#: What a difference that rounds to nothing reads.
NO_CHANGE = "no change"
#: What a difference reads when the quantity exists in one scenario only.
NOT_COMPARABLE = "n/a"

WORDS = (
    Scale(1e12, 1e12, ",.1~f", " trillion"),
    Scale(1e9, 1e9, ",.1~f", " billion"),
    Scale(1e6, 1e6, ",.1~f", " million"),
)


#: US dollars in words: $950, $2.5 million, $158.3 billion.
USD_WORDS = Fmt(
    "$,.0f",
    scales=(
        Scale(1e12, 1e12, "$,.1~f", " trillion"),
        Scale(1e9, 1e9, "$,.1~f", " billion"),
        Scale(1e6, 1e6, "$,.1~f", " million"),
    ),
)


def small_prices(per: str = "million tokens") -> Fmt:
    """A price per million tokens that may fall to a tiny fraction of a cent: shown per million
    tokens down to $0.01, per billion tokens down to $0.10, then per trillion tokens."""
    return Fmt(
        "$,.2f",
        scales=(
            Scale(0.01, 1.0, "$,.2f", f" per {per}"),
            Scale(1e-4, 1e-3, "$,.2f", " per billion tokens"),
            Scale(0.0, 1e-6, "$,.2f", " per trillion tokens"),
        ),
    )


# Conditions ---------------------------------------------------------------------------------

_OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True)
class Cmp:
    """``left op right``; false when either side is missing (None), in Python and in Vega."""

    left: Ref
    op: str
    right: Ref

    def __post_init__(self):
        if self.op not in _OPS:
            raise ValueError(f"unknown comparison {self.op!r}; use one of {', '.join(_OPS)}")

    def holds(self, ctx) -> bool:
        a, b = _value(self.left, ctx), _value(self.right, ctx)
        return a is not None and b is not None and _OPS[self.op](a, b)

    def vega(self) -> str:
        guards = [f"{_vega_ref(r)} != null" for r in (self.left, self.right) if isinstance(r, str)]
        return "(" + " && ".join(guards + [f"{_vega_ref(self.left)} {self.op} {_vega_ref(self.right)}"]) + ")"


@dataclass(frozen=True)
class IsNone:
    """The output does not exist (``None`` in Python, ``null`` in the chart)."""

    name: str

    def holds(self, ctx) -> bool:
        return _value(self.name, ctx) is None

    def vega(self) -> str:
        return f"({_vega_ref(self.name)} == null)"


class _Joined:
    """Conditions joined by a Python function and a Vega operator."""

    combine = staticmethod(all)
    operator = "&&"

    def __init__(self, *parts):
        self.parts = parts

    def holds(self, ctx) -> bool:
        return self.combine(p.holds(ctx) for p in self.parts)

    def vega(self) -> str:
        return "(" + f" {self.operator} ".join(p.vega() for p in self.parts) + ")"


class All(_Joined):
    """Every part holds."""


class Any_(_Joined):
    """At least one part holds."""

    combine = staticmethod(any)
    operator = "||"


Cond = Cmp | IsNone | All | Any_


# Text with numbers: "Break-even needs {break_even_utilisation} of hours sold." -------------


@dataclass(frozen=True)
class Template:
    """A sentence with ``{name}`` placeholders, each formatted by the format known for ``name``
    (``{name|abs}`` shows it without its sign)."""

    text: str

    def parts(self):
        for literal, name, _, _ in string.Formatter().parse(self.text):
            absolute = bool(name) and name.endswith("|abs")
            yield literal, (name.removesuffix("|abs") if name else None), absolute

    def names(self) -> list[str]:
        return [name for _, name, _ in self.parts() if name]

    def render(self, ctx, formats: Mapping[str, Fmt]) -> str:
        out = []
        for literal, name, absolute in self.parts():
            out.append(literal)
            if name:
                value = _value(name, ctx)
                out.append("none" if value is None else _fmt(formats, name, absolute).text(value))
        return "".join(out)

    def vega(self, formats: Mapping[str, Fmt]) -> str:
        pieces = []
        for literal, name, absolute in self.parts():
            if literal:
                pieces.append(_js(literal))
            if name:
                pieces.append(
                    f"({_vega_ref(name)} == null ? 'none' : {_fmt(formats, name, absolute).vega(_vega_ref(name))})"
                )
        return " + ".join(pieces) if pieces else "''"


def _fmt(formats: Mapping[str, Fmt], name: str, absolute: bool) -> Fmt:
    if name not in formats:
        raise KeyError(f"no format for {name!r}: give it a results row, a Param or an entry in formats")
    f = formats[name]
    return dataclasses.replace(f, absolute=True) if absolute else f


# Results rows -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Note:
    """Text appended to a row's value when ``when`` holds, e.g. " (unreachable)"."""

    when: Cond
    text: str


@dataclass(frozen=True)
class Shown:
    """One row of a calculator's results: its label, the output it shows and that output's format.

    ``none`` is the text shown when the output does not exist (``None``); ``notes`` add a remark
    to the value under a condition. A row that shows several numbers gives a ``template`` (e.g.
    ``"A {a_cc}, B {b_cc}"``) instead of a format; its ``field`` still decides when the row reads
    ``none``. The site's results table, the notebook widget's table, the print view and the CSV
    export are all made from these rows.
    """

    label: str
    field: str
    fmt: Fmt | None = None
    none: str = "none"
    notes: tuple[Note, ...] = ()
    template: str | None = None

    def __post_init__(self):
        if (self.fmt is None) == (self.template is None):
            raise ValueError(f"row {self.label!r}: give a format or a template, not both or neither")

    def text(self, ctx: Mapping[str, object], formats: Mapping[str, Fmt] | None = None) -> str:
        value = _value(self.field, ctx)
        if value is None:
            return self.none
        shown = (
            Template(self.template).render(ctx, formats or {}) if self.template is not None else self.fmt.text(value)
        )
        return shown + "".join(n.text for n in self.notes if n.when.holds(ctx))

    def vega(self, formats: Mapping[str, Fmt] | None = None) -> str:
        ref = _vega_ref(self.field)
        shown = Template(self.template).vega(formats or {}) if self.template is not None else self.fmt.vega(ref)
        notes = "".join(f" + ({n.when.vega()} ? {_js(n.text)} : '')" for n in self.notes)
        return f"({ref} == null ? {_js(self.none)} : {shown}{notes})"

    def change_text(self, now: Mapping[str, object], pinned: Mapping[str, object]) -> str:
        """The row's change from the ``pinned`` scenario to ``now``: ``+$1,200``, ``−5 pp``,
        ``no change``; ``n/a`` when the output exists in one scenario only; empty for a row that
        shows several numbers (a template) or a quantity that exists in neither."""
        if self.template is not None:
            return ""
        a, b = _value(self.field, now), _value(self.field, pinned)
        if a is None and b is None:
            return ""
        if a is None or b is None:
            return NOT_COMPARABLE
        return self.fmt.change_text(a - b)

    def change_vega(self, now: str, pinned: str) -> str:
        """:meth:`change_text` as a Vega expression; ``now`` and ``pinned`` are expressions of
        the two scenarios' results (objects holding every output)."""
        if self.template is not None:
            return "''"
        a, b = f"{now}[{_js(self.field)}]", f"{pinned}[{_js(self.field)}]"
        return (
            f"({a} == null && {b} == null ? '' : ({a} == null || {b} == null ? {_js(NOT_COMPARABLE)}"
            f" : {self.fmt.change_vega(f'{a} - {b}')}))"
        )


# Verdict sentences --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One reading of the results: shown when ``when`` holds (``None``: always)."""

    when: Cond | None
    template: str


@dataclass(frozen=True)
class Sentence:
    """The first case whose condition holds gives the sentence."""

    cases: tuple[Case, ...]

    def __init__(self, *cases: Case | str):
        object.__setattr__(self, "cases", tuple(c if isinstance(c, Case) else Case(None, c) for c in cases))


@dataclass(frozen=True)
class Verdict:
    """A calculator's plain-language reading, sentence by sentence, stated from its outputs.

    ``formats`` gives the format of each name used in a template that is not a results row or
    an input (those formats are found automatically by :func:`format_table`).
    """

    sentences: tuple[Sentence, ...]
    formats: Mapping[str, Fmt] = field(default_factory=dict)

    def text(self, ctx: Mapping[str, object], formats: Mapping[str, Fmt]) -> str:
        out = []
        for sentence in self.sentences:
            for case in sentence.cases:
                if case.when is None or case.when.holds(ctx):
                    out.append(Template(case.template).render(ctx, {**formats, **self.formats}))
                    break
        return re.sub(" {2,}", " ", " ".join(out).strip())

    def vega(self, formats: Mapping[str, Fmt]) -> str:
        fmts = {**formats, **self.formats}
        parts = []
        for sentence in self.sentences:
            expr = "''"
            for case in reversed(sentence.cases):
                text = Template(case.template).vega(fmts)
                expr = text if case.when is None else f"({case.when.vega()} ? {text} : {expr})"
            parts.append(f"({expr})")
        # Non-empty sentences joined by single spaces (Python does the same in text()).
        return f"replace(trim(join([{', '.join(parts)}], ' ')), regexp(' {{2,}}', 'g'), ' ')"


def format_table(params, rows: Sequence[Shown], extra: Mapping[str, Fmt] | None = None) -> dict[str, Fmt]:
    """The format of every name a calculator shows: its inputs (from each Param), its results
    rows, and ``extra``."""
    out = {p.name: p.display for p in params}
    out.update({r.field: r.fmt for r in rows if r.fmt is not None})
    out.update(extra or {})
    return out
