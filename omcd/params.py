"""Input parameters of a calculator: one definition serves the model, the site chart and the widget.

A :class:`Param` carries the name, label, unit, valid range and slider step of one input.
The model validates against it (:func:`validate`), the website chart builds its bound slider
from it, and the notebook widget builds its ipywidgets control from it, so a range is written
once.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from omcd.formats import Fmt


@dataclass(frozen=True)
class Param:
    """One calculator input.

    ``minimum`` and ``maximum`` are inclusive. ``integer`` inputs must be whole numbers.
    ``fmt`` is the d3-format specifier of the value (e.g. ``"$,.0f"``, ``".0%"``; see
    :mod:`omcd.formats`) and ``suffix`` the text after it; by default the suffix comes from the
    unit (``"USD/kWh"`` with a ``$`` format gives ``$0.0815/kWh``). :attr:`display` is the
    resulting format, used by the site's sliders, the widget and the print view alike.
    """

    name: str
    label: str
    unit: str
    minimum: float
    maximum: float
    step: float
    integer: bool = False
    fmt: str = ",.2f"
    suffix: str | None = None

    @property
    def display(self) -> Fmt:
        """How the value is shown to a reader: ``$30,000``, ``$0.0815/kWh``, ``70%``, ``5 years``."""
        from omcd.formats import Fmt

        if self.suffix is not None:
            return Fmt(self.fmt, self.suffix)
        unit = self.unit.strip()
        if unit in {"", "share", "ratio"}:
            return Fmt(self.fmt)
        if self.fmt.startswith("$") and unit.startswith("USD"):
            rest = unit[3:]
            return Fmt(self.fmt, rest if rest.startswith("/") else (" " + rest.strip() if rest.strip() else ""))
        return Fmt(self.fmt, " " + unit)

    def snap(self, value: float) -> float:
        """``value`` moved to the nearest point of the slider's grid (minimum + k * step)."""
        decimals = max(0, -Decimal(repr(float(self.step))).normalize().as_tuple().exponent)
        k = round((float(value) - self.minimum) / self.step)
        return min(self.maximum, max(self.minimum, round(self.minimum + k * self.step, decimals)))

    def shown(self, value: float) -> str:
        """``value`` as a reader reads it, e.g. ``$30,000``."""
        return self.display.text(value)

    @property
    def range_text(self) -> str:
        return f"{self.minimum:g} to {self.maximum:g} {self.unit}".strip()

    def check(self, value: object) -> float:
        """Return ``value`` as a float, or raise ``ValueError`` naming the parameter and range."""
        if isinstance(value, bool) or not isinstance(value, Real):
            raise ValueError(f"{self.name} must be a number ({self.range_text}); got {value!r}.")
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise ValueError(f"{self.name} must be a finite number ({self.range_text}); got {value!r}.")
        if not self.minimum <= number <= self.maximum:
            raise ValueError(f"{self.name} = {number:g} is outside its valid range: {self.range_text}.")
        if self.integer and number != round(number):
            raise ValueError(f"{self.name} must be a whole number ({self.range_text}); got {number:g}.")
        return number


def validate(params: Sequence[Param], values: Mapping[str, object]) -> dict[str, float]:
    """Check every value against its :class:`Param`; unknown or missing names are errors too."""
    known = {p.name for p in params}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"Unknown parameter(s): {', '.join(unknown)}. Known: {', '.join(sorted(known))}.")
    missing = [p.name for p in params if p.name not in values]
    if missing:
        raise ValueError(f"Missing parameter(s): {', '.join(missing)}.")
    return {p.name: p.check(values[p.name]) for p in params}
