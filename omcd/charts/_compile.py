"""Vega specs as the website ships them, compiled from the Altair charts at build time.

The reader's browser runs Vega only: each chart is compiled here from Vega-Lite to Vega with
``vl_convert.vegalite_to_vega`` (no Vega-Lite compiler runs in the page). Three changes are made
to the compiled spec, and the parity tests check the result, i.e. exactly what the site ships:

* a view takes its container's width (Vega-Lite's ``width: "container"``; the chart's own width
  is the fallback), so a chart fits a phone's screen;
* the chart's title and subtitle leave the SVG (:func:`title_of` gives them to the page, which
  writes them as HTML above the chart, where they wrap on a narrow screen instead of being cut);
* the input signals lose Vega's own bindings: the page draws its own controls, which show each
  value in its unit (from the :class:`~omcd.params.Param`) and drive every view of the calculator;
* the main view gets one more dataset, ``omcd_results``: one row that copies every input,
  computes the calculator's outputs with the same Vega expressions as its chart, and formats
  every number the reader reads (each input, each results row, the verdict) from the one
  definition in :mod:`omcd.formats`. The page writes those texts into the HTML controls, the
  results table and the verdict.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

import altair as alt
import vl_convert

from omcd.formats import format_table

if TYPE_CHECKING:
    from omcd.charts.registry import SiteCalculator

RESULTS_DATASET = "omcd_results"
INPUT_TEXT = "omcd_input_{}"
ROW_TEXT = "omcd_row_{}"
VERDICT_TEXT = "omcd_verdict"


def _lines(text) -> str:
    return " ".join(text) if isinstance(text, list) else str(text or "")


def _title_holder(spec: dict) -> dict:
    """The part of a Vega-Lite spec that carries the chart's title: the top level, or for a
    vertical concatenation without one, its first chart."""
    if "title" not in spec and spec.get("vconcat"):
        return spec["vconcat"][0]
    return spec


def title_of(chart: alt.TopLevelMixin) -> tuple[str, str]:
    """The chart's title and subtitle as plain text (lines joined)."""
    title = _title_holder(chart.to_dict()).get("title")
    if isinstance(title, dict):
        return _lines(title.get("text")), _lines(title.get("subtitle"))
    return _lines(title), ""


#: Width taken by a concatenated chart's axes and labels beside its plots (pixels).
CONCAT_MARGIN = 90


def compile_chart(chart: alt.TopLevelMixin, *, fit_width: bool = True) -> dict:
    """The chart as a Vega spec without its title; with ``fit_width``, a single or layered view
    fills its container, and the charts of a vertical concatenation take its width less
    :data:`CONCAT_MARGIN`."""
    spec = chart.to_dict()
    _title_holder(spec).pop("title", None)
    fallback = spec.get("width")
    fits = fit_width and isinstance(fallback, (int, float)) and ("layer" in spec or "mark" in spec)
    if fits:
        spec["width"] = "container"
    vega = vl_convert.vegalite_to_vega(spec)
    if fits:
        for signal in vega.get("signals", []):
            if signal["name"] == "width":
                signal["init"] = re.sub(r": 300$", f": {fallback:g}", signal["init"])
                for handler in signal.get("on", []):
                    handler["update"] = re.sub(r": 300$", f": {fallback:g}", handler["update"])
    if fit_width and "vconcat" in spec and isinstance(vega.get("width"), (int, float)) and not any(
            sig["name"] == "width" for sig in vega.get("signals", [])):
        # The concatenated charts share the top-level width: it follows the container, less the
        # room their axes take.
        plot = vega.pop("width")
        measure = (f"max(160, (isFinite(containerSize()[0]) ? containerSize()[0] : {plot + CONCAT_MARGIN:g})"
                   f" - {CONCAT_MARGIN})")
        vega.setdefault("signals", []).insert(0, {"name": "width", "init": measure,
                                                  "on": [{"events": "window:resize", "update": measure}]})
    for signal in vega.get("signals", []):
        signal.pop("bind", None)
    return vega


def _up_to(spec: dict, field: str) -> dict:
    """The dataset of a compiled spec in which a formula computes ``field``, cut after that formula
    (Vega-Lite may append a mark's own filter to the same dataset), without its name."""
    found = [d for d in spec.get("data", [])
             if any(t.get("type") == "formula" and t.get("as") == field for t in d.get("transform", []))]
    if len(found) != 1:
        raise ValueError(f"expected one dataset computing {field!r}, found {len(found)}")
    (data,) = found
    cut = next(i for i, t in enumerate(data["transform"]) if t.get("type") == "formula" and t.get("as") == field)
    return {**{k: v for k, v in data.items() if k not in ("name", "transform")},
            "transform": copy.deepcopy(data["transform"][: cut + 1])}


def results_dataset(calc: "SiteCalculator", spec: dict) -> dict:
    """The ``omcd_results`` dataset of a calculator: inputs, outputs and every text shown.

    With ``results_steps`` the outputs are computed in a dataset of their own (one row); with
    ``results_anchor`` the dataset reads the chart's own one-row dataset that computes that field
    (for outputs that need an aggregate over the chart's rows)."""
    formats = format_table(calc.params, calc.rows, calc.verdict.formats if calc.verdict else None)
    formulas = [(p.name, p.name) for p in calc.params]
    formulas += list(calc.results_steps)
    formulas += [(INPUT_TEXT.format(p.name), p.display.vega(f"datum[{p.name!r}]".replace("'", '"')))
                 for p in calc.params]
    formulas += [(ROW_TEXT.format(i), row.vega(formats)) for i, row in enumerate(calc.rows)]
    if calc.verdict is not None:
        formulas.append((VERDICT_TEXT, calc.verdict.vega(formats)))
    transform = [{"type": "formula", "as": name, "expr": expr} for name, expr in formulas]
    if calc.results_anchor:
        base = _up_to(spec, calc.results_anchor)
        return {"name": RESULTS_DATASET, **base, "transform": base["transform"] + transform}
    return {"name": RESULTS_DATASET, "values": [{"row": 1}], "transform": transform}


def vega_views(calc: "SiteCalculator", values=None) -> list[dict]:
    """Every view of a calculator as the site ships it: the main chart (with ``omcd_results``)
    first, then any further chart (e.g. a tornado)."""
    main = compile_chart(calc.chart(values) if values else calc.chart())
    main = copy.deepcopy(main)
    main.setdefault("data", []).append(results_dataset(calc, main))
    extra = [compile_chart(chart) for chart in calc.extra_charts(values)] if calc.extra_charts else []
    return [main, *extra]
