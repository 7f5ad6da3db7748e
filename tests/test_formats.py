"""A formatted amount never breaks a line between its sign and its digits.

Unicode line breaking (UAX #14) gives "−", "+" and "$" the class PR (prefix) and lets a line
break between two prefixes: Chromium wrapped the AI build-out's reading as "cash flow is −" and
"$12.3bn" on the next line. A prefix before a digit never breaks (PR × NU), and nothing breaks
next to a word joiner (WJ). This test applies those rules to every amount every calculator
writes, in Python; the browser test (tests/browser/test_reader_numbers.py) checks that the page
writes the same texts and that Chromium keeps each sign on the line of its amount.
"""

from __future__ import annotations

import pytest

from omcd.charts.registry import all_calculators
from omcd.formats import MINUS, WORD_JOINER, Fmt, Scale, Shown

#: Line-breaking classes of the characters a formatted amount starts with (UAX #14).
PREFIX = {"+", MINUS, "$"}

#: Values of every sign and size, each unit of a scaled format reached.
VALUES = [s * m for s in (1, -1) for m in (0.004, 0.5, 7, 12.34, 3_456, 9.5e6, 1.25e9, 4e12)]


def break_between_sign_and_amount(text: str) -> bool:
    """Whether a line may break between a sign and the first digit after it: two prefixes side by
    side, with no word joiner between them (UAX #14: LB11 and LB31; PR × NU by LB25)."""
    for i, char in enumerate(text[:-1]):
        if char in ("+", MINUS):
            j = i + 1
            while j < len(text) and not text[j].isdigit():
                if text[j - 1] in PREFIX and text[j] in PREFIX:
                    return True
                j += 1
    return False


def test_the_rule_sees_the_break_the_reader_saw():
    assert break_between_sign_and_amount("cash flow is −$12.3bn")
    assert break_between_sign_and_amount("+$5m")
    assert not break_between_sign_and_amount("−12.3%")
    assert not break_between_sign_and_amount(f"cash flow is −{WORD_JOINER}$12.3bn")


def _formats():
    for calc in all_calculators():
        for name, fmt in calc.formats().items():
            yield f"{calc.name}.{name}", fmt
        for row in calc.rows:
            if row.fmt is not None:
                yield f"{calc.name}.{row.field} (change)", row.fmt


FORMATS = list(_formats())


def test_there_are_currency_formats_to_check():
    assert any(fmt.currency for _, fmt in FORMATS)
    assert any(fmt.spec.startswith("+$") for _, fmt in FORMATS)


@pytest.mark.parametrize("where, fmt", FORMATS, ids=[w for w, _ in FORMATS])
def test_no_amount_breaks_between_its_sign_and_its_digits(where, fmt):
    shown = [fmt.text(v) for v in VALUES] + [Fmt(fmt.spec, fmt.suffix, True, fmt.scales).text(v) for v in VALUES]
    shown += [fmt.change_text(v) for v in VALUES]
    broken = [text for text in shown if break_between_sign_and_amount(text)]
    assert not broken, f"{where}: a line may break after the sign in {broken[:3]}"


def test_the_joiner_is_invisible_text_the_vega_expression_writes_too():
    usd = Fmt("$,.1f", "bn")
    assert usd.text(-12.3) == f"{MINUS}{WORD_JOINER}$12.3bn"
    assert usd.text(12.3) == "$12.3bn" and Fmt(".0%").text(-0.5) == f"{MINUS}50%"
    # The Vega expression joins the sign in the same place (the browser test compares the texts).
    assert f'replace(format((datum.x), "$,.1f"), "{MINUS}", "{MINUS}{WORD_JOINER}")' in usd.vega("datum.x")
    assert "replace(" not in Fmt(",.1f").vega("datum.x")
    signed = Fmt("+$,.0f", "m")
    assert signed.text(5) == f"+{WORD_JOINER}$5m" and signed.change_text(-5) == f"{MINUS}{WORD_JOINER}$5m"


def test_a_format_shows_its_currency_at_every_scale_or_none():
    with pytest.raises(ValueError, match="currency"):
        Fmt("$,.0f", scales=(Scale(1e6, 1e6, ",.1f", " million"),))
    Shown("Cash", "cash", Fmt("$,.0f"))  # a plain currency format is fine


def test_a_value_shown_without_its_sign_keeps_its_formats_scales():
    """``{name|abs}`` drops the sign only: "$12.3 billion", not "$12,300,000,000"."""
    from omcd.formats import USD_WORDS, Template

    shown = Template("loses {x|abs}").render({"x": -12.3e9}, {"x": USD_WORDS})
    assert shown == "loses " + USD_WORDS.text(12.3e9)
    assert "billion" in shown
