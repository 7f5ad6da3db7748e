"""Vega specs as the website ships them, compiled from the Altair charts at build time.

The reader's browser runs Vega only: each chart is compiled here from Vega-Lite to Vega with
``vl_convert.vegalite_to_vega`` (no Vega-Lite compiler runs in the page). These changes are made
to the compiled spec, and the parity tests check the result, i.e. exactly what the site ships:

* a view takes its container's width (Vega-Lite's ``width: "container"``; the chart's own width
  is the fallback), so a chart fits a phone's screen;
* the chart's title and subtitle leave the SVG (:func:`title_of` gives them to the page, which
  writes them as HTML above the chart, where they wrap on a narrow screen instead of being cut);
* the input signals lose Vega's own bindings: the page draws its own controls, which show each
  value in its unit (from the :class:`~omcd.params.Param`) and drive every view of the calculator;
* a time scale's fixed domain (:func:`omcd.charts.date_domain`) is written as plain numbers, so
  that every expression of a page can be compiled at build time;
* the main view gets one more dataset, ``omcd_results``: one row that copies every input,
  computes the calculator's outputs with the same Vega expressions as its chart, and formats
  every number the reader reads (each input, each results row, the verdict) from the one
  definition in :mod:`omcd.formats`. The page writes those texts into the HTML controls, the
  results table and the verdict;
* the main view gets a second copy of everything the inputs drive, for "Pin this scenario"
  (:func:`with_pinned`): every dataset computed from an input is copied with each input signal
  ``x`` renamed ``pinned_x``, and every mark drawn from such a dataset is copied as a faint
  "ghost" on the same scales (whose domains then take in the pinned data too). The copies are
  empty until the page sets ``omcd_pinned``; the copy of ``omcd_results`` holds the pinned
  scenario's texts, and ``omcd_compare`` the change of each results row since the pin.
"""

from __future__ import annotations

import copy
import json
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
#: "Pin this scenario": the prefix of the pinned copy of a signal, dataset or mark, the signal
#: that turns the copies on, and the dataset of each results row's change since the pin.
PINNED = "pinned_"
PINNED_ON = "omcd_pinned"
PINNED_RESULTS = PINNED + RESULTS_DATASET
COMPARE_DATASET = "omcd_compare"
CHANGE_TEXT = "omcd_change_{}"


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
    if (
        fit_width
        and "vconcat" in spec
        and isinstance(vega.get("width"), (int, float))
        and not any(sig["name"] == "width" for sig in vega.get("signals", []))
    ):
        # The concatenated charts share the top-level width: it follows the container, less the
        # room their axes take.
        plot = vega.pop("width")
        measure = (
            f"max(160, (isFinite(containerSize()[0]) ? containerSize()[0] : {plot + CONCAT_MARGIN:g})"
            f" - {CONCAT_MARGIN})"
        )
        vega.setdefault("signals", []).insert(
            0, {"name": "width", "init": measure, "on": [{"events": "window:resize", "update": measure}]}
        )
    for signal in vega.get("signals", []):
        signal.pop("bind", None)
    for scale in vega.get("scales", []):
        _explicit_domain(scale)
    for scale in _all_scales(vega):
        _fixed_dates(scale)
    return vega


def _all_scales(node):
    """Every scale of a Vega spec, in its groups too."""
    if isinstance(node, dict):
        yield from node.get("scales", [])
        for value in node.values():
            yield from _all_scales(value)
    elif isinstance(node, list):
        for item in node:
            yield from _all_scales(item)


_DATETIME = re.compile(r"^\{data: datetime\((-?\d+)\)\}$")


def _fixed_dates(scale: dict) -> None:
    """A domain of fixed dates (see :func:`omcd.charts.date_domain`) as plain numbers. Vega-Lite
    writes each date as a signal, for which Vega makes a data set named by a counter shared by
    every chart a page parses, so the expression filling it could not be compiled at build time
    (``scripts/vega-runtime/compile-expressions.mjs``)."""
    domain = scale.get("domain")
    fields = domain.get("fields") if isinstance(domain, dict) and set(domain) == {"fields"} else None
    matches = [
        _DATETIME.match(f.get("signal", "")) if isinstance(f, dict) and set(f) == {"signal"} else None
        for f in fields or []
    ]
    if matches and all(matches):
        scale["domain"] = [int(m.group(1)) for m in matches]


def _explicit_domain(scale: dict) -> None:
    """A continuous scale whose two bounds are given (``domainMin`` and ``domainMax``) takes them
    as its domain: Vega would otherwise still compute the extent of the fields the bounds
    override, and warn of an infinite extent when they hold no number (e.g. a break-even month
    that does not exist)."""
    if (
        scale.get("type") in _CONTINUOUS
        and "domainMin" in scale
        and "domainMax" in scale
        and not scale.get("nice")
        and not scale.get("domainRaw")
    ):
        scale["domain"] = [scale.pop("domainMin"), scale.pop("domainMax")]


def _up_to(spec: dict, field: str) -> dict:
    """The dataset of a compiled spec in which a formula computes ``field``, cut after that formula
    (Vega-Lite may append a mark's own filter to the same dataset), without its name."""
    found = [
        d
        for d in spec.get("data", [])
        if any(t.get("type") == "formula" and t.get("as") == field for t in d.get("transform", []))
    ]
    if len(found) != 1:
        raise ValueError(f"expected one dataset computing {field!r}, found {len(found)}")
    (data,) = found
    cut = next(i for i, t in enumerate(data["transform"]) if t.get("type") == "formula" and t.get("as") == field)
    return {
        **{k: v for k, v in data.items() if k not in ("name", "transform")},
        "transform": copy.deepcopy(data["transform"][: cut + 1]),
    }


def results_dataset(calc: SiteCalculator, spec: dict) -> dict:
    """The ``omcd_results`` dataset of a calculator: inputs, outputs and every text shown.

    With ``results_steps`` the outputs are computed in a dataset of their own (one row); with
    ``results_anchor`` the dataset reads the chart's own one-row dataset that computes that field
    (for outputs that need an aggregate over the chart's rows), and ``results_steps`` follow."""
    formats = format_table(calc.params, calc.rows, calc.verdict.formats if calc.verdict else None)
    formulas = [(p.name, p.name) for p in calc.params]
    formulas += list(calc.results_steps)
    formulas += [
        (INPUT_TEXT.format(p.name), p.display.vega(f"datum[{p.name!r}]".replace("'", '"'))) for p in calc.params
    ]
    formulas += [(ROW_TEXT.format(i), row.vega(formats)) for i, row in enumerate(calc.rows)]
    if calc.verdict is not None:
        formulas.append((VERDICT_TEXT, calc.verdict.vega(formats)))
    transform = [{"type": "formula", "as": name, "expr": expr} for name, expr in formulas]
    if calc.results_anchor:
        base = _up_to(spec, calc.results_anchor)
        return {"name": RESULTS_DATASET, **base, "transform": base["transform"] + transform}
    return {"name": RESULTS_DATASET, "values": [{"row": 1}], "transform": transform}


def compare_dataset(calc: SiteCalculator) -> dict:
    """``omcd_compare``: one row holding each results row's change from the pinned scenario to
    the current one (:meth:`omcd.formats.Shown.change_vega`), empty texts while nothing is
    pinned. It reads both results datasets with Vega's ``data()``, so it follows either."""
    now, pinned = "datum.omcd_now", "datum.omcd_then"
    formulas = [
        ("omcd_now", f"data({RESULTS_DATASET!r})[0]"),
        ("omcd_then", f"length(data({PINNED_RESULTS!r})) > 0 ? data({PINNED_RESULTS!r})[0] : null"),
    ]
    formulas += [
        (CHANGE_TEXT.format(i), f"{pinned} == null || {now} == null ? '' : {row.change_vega(now, pinned)}")
        for i, row in enumerate(calc.rows)
    ]
    return {
        "name": COMPARE_DATASET,
        "values": [{"row": 1}],
        "transform": [{"type": "formula", "as": name, "expr": expr} for name, expr in formulas],
    }


def vega_views(calc: SiteCalculator, values=None) -> list[dict]:
    """Every view of a calculator as the site ships it: the main chart (with ``omcd_results``,
    its pinned copy and ``omcd_compare``) first, then any further chart (e.g. a tornado)."""
    main = compile_chart(calc.chart(values) if values else calc.chart())
    main = copy.deepcopy(main)
    main.setdefault("data", []).append(results_dataset(calc, main))
    main = with_pinned(main, [p.name for p in calc.params])
    main["data"].append(compare_dataset(calc))
    extra = [compile_chart(chart) for chart in calc.extra_charts(values)] if calc.extra_charts else []
    return [main, *extra]


# "Pin this scenario": a ghost of the chart at the pinned inputs -----------------------------------

#: Keys of a Vega spec whose string value is an expression (``signal`` may also name a signal
#: that a transform writes, e.g. an extent's: it is renamed the same way).
_EXPRESSION_KEYS = {"expr", "signal", "test", "update", "init"}
_TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(?P<name>[A-Za-z_$][\w$]*)|(?P<other>.)""", re.S
)
#: Marks drawn as a ghost; text is left out (a second label on top of the first reads as a blur).
_GHOST_MARKS = {"area", "line", "rect", "rule", "symbol"}
_CONTINUOUS = {None, "linear", "log", "pow", "sqrt", "symlog", "time", "utc"}
#: How faint a ghost is: a line's or a rule's opacity, and an outline's colour and opacity.
GHOST_OPACITY = 0.5
GHOST_COLOUR = "#1a1a1a"
GHOST_OUTLINE_OPACITY = 0.8


def rename_identifiers(expr: str, names: dict[str, str]) -> str:
    """``expr`` with every free identifier in ``names`` renamed: not a property (``datum.x``),
    not inside a string literal."""
    out, previous = [], ""
    for match in _TOKEN.finditer(expr):
        token = match.group()
        if match.group("name") and token in names and previous != ".":
            token = names[token]
        out.append(token)
        if not token.isspace():
            previous = token[-1:] if match.group("other") else token
    return "".join(out)


def _expressions(node):
    """Every expression string in a part of a spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _EXPRESSION_KEYS and isinstance(value, str):
                yield value
            else:
                yield from _expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _expressions(value)


def _renamed(node, names: dict[str, str]):
    """A copy of a part of a spec with the identifiers in its expressions renamed."""
    if isinstance(node, dict):
        return {
            key: rename_identifiers(value, names)
            if key in _EXPRESSION_KEYS and isinstance(value, str)
            else _renamed(value, names)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_renamed(value, names) for value in node]
    return node


def _uses(node, names) -> bool:
    return any(rename_identifiers(expr, dict.fromkeys(names, "")) != expr for expr in _expressions(node))


def _ghost_encoding(mark: dict) -> dict:
    """A mark's encoding made faint and non-interactive: an area, a bar or a point becomes a
    dashed outline in :data:`GHOST_COLOUR` (its own colour would vanish over the live chart's
    fill); a line or a rule keeps its colour and dash, at :data:`GHOST_OPACITY`."""
    encode = copy.deepcopy(mark.get("encode", {}))
    update = encode.setdefault("update", {})
    for part in encode.values():
        for key in ("tooltip", "description", "ariaRoleDescription", "href", "cursor"):
            part.pop(key, None)
    if mark["type"] in ("area", "rect", "symbol"):
        for part in encode.values():
            for key in ("fill", "stroke", "strokeDash", "strokeWidth", "fillOpacity", "strokeOpacity"):
                part.pop(key, None)
        update.update(
            fill={"value": "transparent"},
            stroke={"value": GHOST_COLOUR},
            strokeWidth={"value": 1.5},
            strokeDash={"value": [4, 3]},
        )
        update["opacity"] = {"signal": f"{PINNED_ON} ? {GHOST_OUTLINE_OPACITY} : 0"}
    else:
        update["opacity"] = {"signal": f"{PINNED_ON} ? {GHOST_OPACITY} : 0"}
    return encode


def _in_place(mark: dict, discrete: set[str]) -> bool:
    """A cell of a grid (a rectangle placed on two discrete scales, e.g. a payoff matrix): it does
    not move with the inputs, so its outline would say nothing (its colour does, in the table)."""
    update = mark.get("encode", {}).get("update", {})
    return mark["type"] == "rect" and all(
        isinstance(update.get(channel), dict) and update[channel].get("scale") in discrete for channel in ("x", "y")
    )


def _ghost(
    mark: dict, datasets: dict[str, str], names: dict[str, str], discrete: set[str] = frozenset()
) -> dict | None:
    """The ghost of one mark (a group's ghost holds its marks' ghosts), or None when the mark
    does not depend on the inputs, is not drawn as a ghost or would not move (:func:`_in_place`)."""
    if _in_place(mark, discrete):
        return None
    source = mark.get("from", {})
    if mark["type"] == "group":
        facet = source.get("facet")
        if facet is None or facet.get("data") not in datasets:
            return None
        inner = {facet["name"]: PINNED + facet["name"]}
        marks = []
        for child in mark.get("marks", []):
            if child.get("from", {}).get("data") in inner and child["type"] in _GHOST_MARKS and not _invisible(child):
                ghost = _ghost_mark(child, {**datasets, **inner}, names)
                marks.append(ghost)
        if not marks:
            return None
        group = _renamed({k: v for k, v in mark.items() if k != "marks"}, names)
        group.update(name=PINNED + mark.get("name", "group"), marks=marks, aria=False, interactive=False)
        group["from"] = {"facet": {**facet, "name": inner[facet["name"]], "data": datasets[facet["data"]]}}
        return group
    if mark["type"] not in _GHOST_MARKS or _invisible(mark):
        return None
    if source.get("data") not in datasets and not _uses(mark.get("encode", {}), names):
        return None
    return _ghost_mark(mark, datasets, names)


def _invisible(mark: dict) -> bool:
    """A mark drawn with no opacity (e.g. one that only carries data for the page)."""
    return any(part.get(key) == {"value": 0} for part in mark.get("encode", {}).values() for key in ("opacity",))


def _ghost_mark(mark: dict, datasets: dict[str, str], names: dict[str, str]) -> dict:
    ghost = _renamed({**mark, "encode": _ghost_encoding(mark)}, names)
    ghost.update(name=PINNED + mark.get("name", mark["type"]), aria=False, interactive=False)
    if mark.get("from", {}).get("data") in datasets:
        ghost["from"] = {**mark["from"], "data": datasets[mark["from"]["data"]]}
    return ghost


def _data_bound(refs: list[dict], pick: str) -> str:
    """The lowest (``pick="min"``) or highest value of the fields of the datasets in ``refs``, as
    a Vega expression (an empty dataset or field counts for nothing; +-Infinity when all are)."""
    none = "(1 / 0)" if pick == "min" else "(-1 / 0)"  # Vega expressions have no Infinity
    terms = []
    for ref in refs:
        end = f"extent(pluck(data({json.dumps(ref['data'])}), {json.dumps(ref['field'])}))[{0 if pick == 'min' else 1}]"
        terms.append(f"(isValid({end}) ? {end} : {none})")
    return f"{pick}({', '.join(terms)})"


def _pinned_bound(bound, pick: str, names: dict[str, str]):
    """A bound given by an expression of the inputs: while a scenario is pinned, the lower (or
    higher) of its value at the inputs and at the pinned inputs."""
    if not (isinstance(bound, dict) and "signal" in bound and _uses(bound, names)):
        return bound
    then = rename_identifiers(bound["signal"], names)
    return {"signal": f"{PINNED_ON} ? {pick}({bound['signal']}, {then}) : ({bound['signal']})"}


def _pinned_domain(scale: dict, datasets: dict[str, str], names: dict[str, str]) -> None:
    """A continuous scale's domain takes in the pinned scenario too while one is pinned, so the
    ghost stays inside the plot: a bound given by an expression of the inputs becomes the lower
    (or higher) of its two values; a bound found from the data (Vega's own extent of the
    chart's fields) becomes, while pinned, the extent of those fields and of their pinned copies.
    Nothing changes while no scenario is pinned (a null bound is no bound for Vega), and no
    empty pinned dataset enters the scale's own domain (Vega would warn of an infinite extent)."""
    if scale.get("type") not in _CONTINUOUS:
        return
    domain = scale.get("domain")
    refs = []
    if isinstance(domain, dict) and "signal" not in domain:
        refs = (
            [{"data": domain["data"], "field": f} for f in domain.get("fields", [domain.get("field")])]
            if "data" in domain
            else list(domain.get("fields", []))
        )
        if not all(
            isinstance(r, dict) and isinstance(r.get("data"), str) and isinstance(r.get("field"), str) for r in refs
        ):
            refs = []
    pinned_refs = [{**r, "data": datasets[r["data"]]} for r in refs if r["data"] in datasets]
    zero = scale.get("zero", scale.get("type") in (None, "linear", "pow", "sqrt"))
    if isinstance(domain, list) and len(domain) == 2:  # explicit bounds (see _explicit_domain)
        for index, pick in ((0, "min"), (1, "max")):
            domain[index] = _pinned_bound(domain[index], pick, names)
        return
    for key, pick in (("domainMin", "min"), ("domainMax", "max")):
        bound = scale.get(key)
        if isinstance(bound, dict) and "signal" in bound:
            scale[key] = _pinned_bound(bound, pick, names)
        elif bound is None and pinned_refs:
            both = _data_bound(refs + pinned_refs, pick)
            if zero:
                both = f"{pick}(0, {both})"
            scale[key] = {"signal": f"{PINNED_ON} && isFinite({both}) ? {both} : null"}


def with_pinned(spec: dict, inputs: list[str]) -> dict:
    """The spec with a pinned copy of everything the ``inputs`` drive (see the module's
    docstring): signals ``pinned_<input>`` (at the same values) and ``omcd_pinned`` (false),
    datasets ``pinned_<name>``, ghost marks ``pinned_<name>`` drawn over the chart."""
    spec = copy.deepcopy(spec)
    names = {name: PINNED + name for name in inputs}
    datasets: dict[str, str] = {}
    for data in spec.get("data", []):
        if data.get("source") in datasets or _uses(data.get("transform", []), names):
            datasets[data["name"]] = PINNED + data["name"]
            for transform in data.get("transform", []):  # signals a transform writes (an extent's)
                if transform.get("type") in ("extent", "bin") and isinstance(transform.get("signal"), str):
                    names[transform["signal"]] = PINNED + transform["signal"]
    copies = []
    for data in spec.get("data", []):
        if data["name"] not in datasets:
            continue
        pinned = _renamed(data, names)
        pinned["name"] = datasets[data["name"]]
        transform = pinned.get("transform", [])
        for step in transform:
            if step.get("type") == "lookup" and step.get("from") in datasets:
                step["from"] = datasets[step["from"]]
        if data.get("source") in datasets:
            pinned["source"] = datasets[data["source"]]
        else:  # the first of a chain of copies: empty until a scenario is pinned
            pinned["transform"] = [{"type": "filter", "expr": PINNED_ON}, *transform]
        copies.append(pinned)
    spec["data"] = spec.get("data", []) + copies
    signals = {s["name"]: s for s in spec.get("signals", [])}
    spec["signals"] = (
        spec.get("signals", [])
        + [{"name": PINNED_ON, "value": False}]
        + [{"name": names[name], "value": signals[name].get("value")} for name in inputs]
    )
    discrete = {scale["name"] for scale in spec.get("scales", []) if scale.get("type") in ("band", "point")}
    ghosts = [g for g in (_ghost(mark, datasets, names, discrete) for mark in spec.get("marks", [])) if g is not None]
    spec["marks"] = spec.get("marks", []) + ghosts
    for scale in spec.get("scales", []):
        _pinned_domain(scale, datasets, names)
    return spec
