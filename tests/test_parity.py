"""The website chart of every registered calculator computes what the Python model computes.

VegaFusion evaluates the Vega data flow of every view of a calculator, exactly as the site ships
it (compiled at build time by ``omcd.charts._compile.vega_views``, with the ``omcd_results``
dataset the page reads), at random inputs inside the sliders' bounds; each computed value must
equal the model's to a relative tolerance of 1e-9. A second test changes one operator at a time in
the chart's expressions and checks that the comparison notices: a parity test that cannot fail is
no test. What the reader reads (the formatted texts) is checked in the browser, by
``tests/browser/test_reader_numbers.py``.
"""

from __future__ import annotations

import copy
import functools
import json
import math
import random
import re
from collections.abc import Collection

import pytest
import vegafusion

from omcd.charts._compile import vega_views
from omcd.charts.registry import SiteCalculator, all_calculators

CALCULATORS = all_calculators()
IDS = [c.name for c in CALCULATORS]
N_RANDOM_POINTS = 24
REL_TOL = 1e-9


def random_inputs(calc: SiteCalculator, rng: random.Random) -> dict[str, float]:
    values = {}
    for p in calc.params:
        x = rng.uniform(p.minimum, p.maximum)
        values[p.name] = float(round(x)) if p.integer else x
    return values


def vega_specs(calc: SiteCalculator) -> list[dict]:
    """Every view of the calculator as the site ships it."""
    return vega_views(calc)


def with_inputs(spec: dict, inputs: dict[str, float]) -> dict:
    spec = copy.deepcopy(spec)
    names = set(inputs)
    for signal in spec.get("signals", []):
        if signal["name"] in names:
            signal["value"] = inputs[signal["name"]]
            names.discard(signal["name"])
    assert not names, f"the view has no input signal named {sorted(names)}"
    return spec


#: Fields holding the texts the reader reads: VegaFusion has no format(), the browser test reads them.
_TEXT_FIELD = re.compile(r"^omcd_(input|row|verdict)")


def _without_texts(spec: dict) -> dict:
    spec = copy.deepcopy(spec)
    for data in spec["data"]:
        data["transform"] = [
            t
            for t in data.get("transform", [])
            if not (t.get("type") == "formula" and _TEXT_FIELD.match(t.get("as", "")))
        ]
    return spec


def computed_datasets(spec: dict, names: Collection[str] | None = None) -> dict[str, list[dict]]:
    """Every dataset VegaFusion can evaluate (those with label formatting it cannot are skipped),
    or only ``names`` (datasets it can evaluate), in one call."""
    spec = _without_texts(spec)
    if names is not None:
        wanted = [data["name"] for data in spec["data"] if data["name"] in names]
        frames, _ = vegafusion.runtime.pre_transform_datasets(spec, wanted)
        return {name: frame.to_dict("records") for name, frame in zip(wanted, frames)}
    out = {}
    for data in spec["data"]:
        try:
            (frame,), _ = vegafusion.runtime.pre_transform_datasets(spec, [data["name"]])
        except ValueError as error:
            if "not yet supported" in str(error):
                continue
            raise
        out[data["name"]] = frame.to_dict("records")
    return out


def _is_null(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


@functools.cache
def _evaluable(spec_json: str) -> frozenset[str]:
    return frozenset(computed_datasets(json.loads(spec_json)))


def view_datasets(spec: dict, inputs: dict[str, float], names: Collection[str] | None = None) -> dict:
    """The datasets of one view computed at ``inputs`` (those of its signals it has): ``names``,
    or every dataset VegaFusion can evaluate, in one call."""
    if names is None:
        names = _evaluable(json.dumps(spec, sort_keys=True))
    used = {s["name"] for s in spec.get("signals", [])}
    return computed_datasets(with_inputs(spec, {k: v for k, v in inputs.items() if k in used}), names)


def _answers(check, rows: list[dict]) -> bool:
    return bool(rows) and all(column in rows[0] for column in check.columns)


def compare(checks, datasets: dict[str, list[dict]], inputs: dict[str, float]) -> list[str]:
    """Differences between ``datasets`` and the model for each of ``checks``, as readable lines."""
    problems = []
    for check in checks:
        matched = {name: rows for name, rows in datasets.items() if _answers(check, rows)}
        if not matched:
            problems.append(f"no dataset of the chart computes {list(check.columns)}")
        for name, rows in matched.items():
            for row in rows:
                for column, expected in check.expected(inputs, row).items():
                    got = row[column]
                    if expected is None or _is_null(got):
                        ok = expected is None and _is_null(got)
                    else:
                        ok = math.isclose(got, expected, rel_tol=REL_TOL, abs_tol=1e-12)
                    if not ok:
                        problems.append(f"{name}.{column}: chart {got!r}, model {expected!r}")
    return problems


def mismatches(calc: SiteCalculator, specs: list[dict], inputs: dict[str, float]) -> list[str]:
    """Differences between the computed data of every view and the model, as readable lines."""
    datasets = {}
    for index, spec in enumerate(specs):
        datasets.update({f"view {index}: {name}": rows for name, rows in view_datasets(spec, inputs).items()})
    return compare(calc.all_checks, datasets, inputs)


@pytest.fixture(scope="module", params=CALCULATORS, ids=IDS)
def calculator_and_spec(request):
    return request.param, vega_specs(request.param)


def test_every_calculator_is_registered():
    assert "gpu_cluster" in IDS


def test_chart_matches_model_at_random_points(calculator_and_spec):
    calc, spec = calculator_and_spec
    rng = random.Random(f"parity-{calc.name}")
    points = calc.test_points() + [random_inputs(calc, rng) for _ in range(N_RANDOM_POINTS)]
    points.append({p.name: p.minimum for p in calc.params})
    points.append({p.name: p.maximum for p in calc.params})
    for inputs in points:
        problems = mismatches(calc, spec, inputs)
        assert not problems, f"inputs {inputs}:\n" + "\n".join(problems[:10])


_OPERATOR = re.compile(r"(?<= )[-+*/<>](?= )")
_SWAP = {"+": "-", "-": "+", "*": "/", "/": "*", "<": ">", ">": "<"}


def mutants(spec: dict, dataset_names: set[str]):
    """Copies of the spec with one binary operator of one formula changed, as ``(dataset, label,
    spec)``. Formulas repeated word for word in a dataset (the steps of a loop, such as the
    halvings of a root search) are one piece of code: the change is made in every repetition at
    once, as a change to a loop's body would be."""
    for d_index, data in enumerate(spec["data"]):
        if data["name"] not in dataset_names:
            continue
        seen = set()
        for transform in data.get("transform", []):
            if transform.get("type") != "formula" or _TEXT_FIELD.match(transform.get("as", "")):
                continue  # texts are checked in the browser (tests/browser/test_reader_numbers.py)
            code = (transform["as"], transform["expr"])
            if code in seen:
                continue
            seen.add(code)
            repeats = [
                t_index
                for t_index, t in enumerate(data["transform"])
                if t.get("type") == "formula" and (t["as"], t["expr"]) == code
            ]
            for match in _OPERATOR.finditer(transform["expr"]):
                mutated = copy.deepcopy(spec)
                expr = transform["expr"]
                new = expr[: match.start()] + _SWAP[match.group()] + expr[match.end() :]
                for t_index in repeats:
                    mutated["data"][d_index]["transform"][t_index]["expr"] = new
                times = f" ({len(repeats)} times)" if len(repeats) > 1 else ""
                yield data["name"], f"{data['name']}: {transform['as']} = {new}{times}", mutated


def downstream(spec: dict, name: str) -> set[str]:
    """The dataset ``name`` and every dataset of the view computed from it: by its ``source``, a
    lookup or a ``data('...')`` expression (every dataset, if a signal reads a dataset)."""
    if any("data(" in repr(signal) for signal in spec.get("signals", [])):
        return {data["name"] for data in spec["data"]}
    parents = {}
    for data in spec["data"]:
        source = data.get("source", [])
        named = set([source] if isinstance(source, str) else source)
        named |= {t["from"] for t in data.get("transform", []) if isinstance(t.get("from"), str)}
        named |= set(re.findall(r"data\(\s*'([^']+)'", repr(data.get("transform", []))))
        parents[data["name"]] = named
    found, grew = {name}, True
    while grew:
        more = {child for child, named in parents.items() if named & found} - found
        found |= more
        grew = bool(more)
    return found


def test_parity_detects_any_changed_operator(calculator_and_spec):
    """Every mutant must change what a checked dataset computes at one of the points. Only the
    mutated view's datasets computed from the changed one are evaluated (the rest compute what
    they did), and the point that caught the last mutant is tried first."""
    calc, specs = calculator_and_spec
    rng = random.Random(f"mutants-{calc.name}")
    points = calc.test_points() + [random_inputs(calc, rng) for _ in range(3)]
    for inputs in points:  # a mutant is caught by a difference, so the chart must have none here
        problems = mismatches(calc, specs, inputs)
        assert not problems, f"inputs {inputs}:\n" + "\n".join(problems[:10])
    survivors, count = [], 0
    for index, spec in enumerate(specs):
        datasets = view_datasets(spec, points[0])
        checked = {name for name, rows in datasets.items() if any(_answers(c, rows) for c in calc.all_checks)}
        for dataset, label, mutated in mutants(spec, checked):
            count += 1
            names = checked & downstream(spec, dataset)
            checks = [c for c in calc.all_checks if any(_answers(c, datasets[n]) for n in names)]
            caught = next((p for p in points if compare(checks, view_datasets(mutated, p, names), p)), None)
            if caught is None:
                survivors.append(f"view {index}, {label}")
            else:
                points.insert(0, points.pop(points.index(caught)))
    assert count >= 10, f"only {count} operators found to mutate: is the chart computing anything?"
    assert not survivors, "changing these operators went unnoticed:\n" + "\n".join(survivors)


def test_every_view_takes_the_inputs_and_defaults_sit_on_their_grid(calculator_and_spec):
    """Each view starts from the calculator's defaults, and a default off the slider's grid
    (min + k * step) would jump when first touched."""
    calc, specs = calculator_and_spec
    defaults = calc.defaults()
    for index, spec in enumerate(specs):
        signals = {s["name"]: s for s in spec.get("signals", [])}
        for p in calc.params:
            if p.name in signals:
                assert signals[p.name].get("value") == defaults[p.name], (index, p.name)
                assert "bind" not in signals[p.name], f"view {index}: {p.name} keeps Vega's own input"
    main = {s["name"] for s in specs[0].get("signals", [])}
    assert {p.name for p in calc.params} <= main, "the main view must take every input (its results read them)"
    for p in calc.params:
        assert p.snap(defaults[p.name]) == pytest.approx(defaults[p.name], rel=1e-12, abs=1e-12), (
            f"default {p.name}={defaults[p.name]} is not on the slider's grid "
            f"(min {p.minimum}, step {p.step}): the slider would jump when first touched"
        )


def _charts(calc: SiteCalculator) -> list[dict]:
    return [calc.chart().to_dict()] + [c.to_dict() for c in (calc.extra_charts() if calc.extra_charts else [])]


def _dicts(node):
    """Every dict in a nested spec (Vega-Lite or Vega), the node itself included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


def test_chart_is_described_and_labelled(calculator_and_spec):
    calc, _ = calculator_and_spec
    for spec in _charts(calc):
        _described_and_labelled(calc, spec)


def _described_and_labelled(calc: SiteCalculator, spec: dict) -> None:
    assert len(spec.get("description", "").split()) >= 20, "alt text (description) of 20+ words"
    titles = []
    for node in _dicts(spec):
        if "title" in node and isinstance(node["title"], dict) and "text" in node["title"]:
            titles.append(node["title"]["text"])
        enc = node.get("encoding", {})
        for channel in ("x", "y"):
            e = enc.get(channel)
            if isinstance(e, dict) and "field" in e and e.get("axis", {}) is not None:
                assert e.get("title"), f"{calc.name}: the {channel} axis of field {e['field']} has no title"
    assert titles, f"{calc.name}: the chart has no title stating its point"


def test_every_titled_axis_is_drawn(calculator_and_spec):
    """Vega-Lite can drop a layered chart's axis (for instance when one layer sets its axis to
    None and the others plot different fields): every axis title a view asks for must be drawn."""
    calc, specs = calculator_and_spec
    for index, (chart, spec) in enumerate(zip(_charts(calc), specs)):
        wanted = {
            (channel, e["title"])
            for node in _dicts(chart)
            for channel in ("x", "y")
            if isinstance(e := node.get("encoding", {}).get(channel), dict)
            and e.get("title")
            and e.get("axis", {}) is not None
        }
        drawn = {
            ("x" if axis["orient"] in ("bottom", "top") else "y", axis["title"])
            for node in _dicts(spec)
            for axis in node.get("axes", [])
            if axis.get("title")
        }
        if index == 0:
            assert wanted, f"{calc.name}: no titled axis found in the main chart"
        assert not wanted - drawn, (
            f"{calc.name}, view {index}: these axes are asked for but not drawn: {sorted(wanted - drawn)}"
        )


def _reads_nothing(expr: str, signals: set[str]) -> bool:
    """True when a Vega expression reads no field of the row and no signal: a constant."""
    names = set(re.findall(r"[A-Za-z_]\w*", re.sub(r"'[^']*'|\"[^\"]*\"", "", expr)))
    return "datum" not in names and not names & signals


def test_no_formula_restarts_a_field_from_a_constant(calculator_and_spec):
    """In the browser, Vega recomputes a formula for changed rows only when it reads a changed
    field or signal: a formula that reads nothing runs for new rows only. If its field is then
    rewritten further down (a loop's state, such as a root search's bracket), a slider move
    would start from the last result instead of the constant (the IRR once stayed at its first
    value on the page while VegaFusion, which recomputes everything, agreed with the model)."""
    calc, specs = calculator_and_spec
    for index, spec in enumerate(specs):
        signals = {s["name"] for s in spec.get("signals", [])}
        for data in spec["data"]:
            formulas = [t for t in data.get("transform", []) if t.get("type") == "formula"]
            for i, t in enumerate(formulas):
                written_before = any(f["as"] == t["as"] for f in formulas[:i])
                written_after = any(f["as"] == t["as"] for f in formulas[i + 1 :])
                assert not (_reads_nothing(t["expr"], signals) and written_after and not written_before), (
                    f"{calc.name}, view {index}, {data['name']}: {t['as']} = {t['expr']} reads nothing, "
                    "and is rewritten further down"
                )
