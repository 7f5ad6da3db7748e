"""The website chart of every registered calculator computes what the Python model computes.

VegaFusion evaluates the chart's Vega data flow (the same expressions the reader's browser runs)
at random inputs inside the sliders' bounds; each computed value must equal the model's to a
relative tolerance of 1e-9. A second test changes one operator at a time in the chart's
expressions and checks that the comparison notices: a parity test that cannot fail is no test.
"""

from __future__ import annotations

import copy
import math
import random
import re

import pytest
import vegafusion
import vl_convert

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


def vega_spec(calc: SiteCalculator) -> dict:
    return vl_convert.vegalite_to_vega(calc.chart().to_dict())


def with_inputs(spec: dict, inputs: dict[str, float]) -> dict:
    spec = copy.deepcopy(spec)
    names = set(inputs)
    for signal in spec.get("signals", []):
        if signal["name"] in names:
            signal["value"] = inputs[signal["name"]]
            names.discard(signal["name"])
    assert not names, f"the chart has no bound parameter named {sorted(names)}"
    return spec


def computed_datasets(spec: dict) -> dict[str, list[dict]]:
    """Every dataset VegaFusion can evaluate (those with label formatting it cannot are skipped)."""
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


def mismatches(calc: SiteCalculator, spec: dict, inputs: dict[str, float]) -> list[str]:
    """Differences between the chart's computed data and the model, as readable lines."""
    datasets = computed_datasets(with_inputs(spec, inputs))
    problems = []
    for check in calc.checks:
        matched = {name: rows for name, rows in datasets.items()
                   if rows and all(column in rows[0] for column in check.columns)}
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


@pytest.fixture(scope="module", params=CALCULATORS, ids=IDS)
def calculator_and_spec(request):
    return request.param, vega_spec(request.param)


def test_every_calculator_is_registered():
    assert "gpu_cluster" in IDS


def test_chart_matches_model_at_random_points(calculator_and_spec):
    calc, spec = calculator_and_spec
    rng = random.Random(f"parity-{calc.name}")
    points = [dict(calc.defaults())] + [random_inputs(calc, rng) for _ in range(N_RANDOM_POINTS)]
    points.append({p.name: p.minimum for p in calc.params})
    points.append({p.name: p.maximum for p in calc.params})
    for inputs in points:
        problems = mismatches(calc, spec, inputs)
        assert not problems, f"inputs {inputs}:\n" + "\n".join(problems[:10])


_OPERATOR = re.compile(r"(?<= )[-+*/<>](?= )")
_SWAP = {"+": "-", "-": "+", "*": "/", "/": "*", "<": ">", ">": "<"}


def mutants(spec: dict, dataset_names: set[str]):
    """Copies of the spec with one binary operator of one formula changed."""
    for d_index, data in enumerate(spec["data"]):
        if data["name"] not in dataset_names:
            continue
        for t_index, transform in enumerate(data.get("transform", [])):
            if transform.get("type") != "formula":
                continue
            for match in _OPERATOR.finditer(transform["expr"]):
                mutated = copy.deepcopy(spec)
                expr = transform["expr"]
                new = expr[: match.start()] + _SWAP[match.group()] + expr[match.end():]
                mutated["data"][d_index]["transform"][t_index]["expr"] = new
                yield f"{data['name']}: {transform['as']} = {new}", mutated


def test_parity_detects_any_changed_operator(calculator_and_spec):
    calc, spec = calculator_and_spec
    rng = random.Random(f"mutants-{calc.name}")
    points = [dict(calc.defaults())] + [random_inputs(calc, rng) for _ in range(3)]
    checked = {name for name, rows in computed_datasets(with_inputs(spec, points[0])).items()
               if rows and any(all(c in rows[0] for c in check.columns) for check in calc.checks)}
    survivors, count = [], 0
    for label, mutated in mutants(spec, checked):
        count += 1
        if not any(mismatches(calc, mutated, inputs) for inputs in points):
            survivors.append(label)
    assert count >= 10, f"only {count} operators found to mutate: is the chart computing anything?"
    assert not survivors, "changing these operators went unnoticed:\n" + "\n".join(survivors)


def test_sliders_match_model_ranges_and_defaults_sit_on_their_grid(calculator_and_spec):
    calc, spec = calculator_and_spec
    signals = {s["name"]: s for s in spec["signals"]}
    defaults = calc.defaults()
    for p in calc.params:
        bind = signals[p.name]["bind"]
        assert (bind["min"], bind["max"], bind["step"]) == (p.minimum, p.maximum, p.step), p.name
        steps = (defaults[p.name] - p.minimum) / p.step
        assert abs(steps - round(steps)) < 1e-6, (
            f"default {p.name}={defaults[p.name]} is not on the slider's grid "
            f"(min {p.minimum}, step {p.step}): the slider would jump when first touched")


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
    spec = calc.chart().to_dict()
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
    None and the others plot different fields): every axis title the chart asks for must be drawn."""
    calc, spec = calculator_and_spec
    wanted = {(channel, e["title"])
              for node in _dicts(calc.chart().to_dict())
              for channel in ("x", "y")
              if isinstance(e := node.get("encoding", {}).get(channel), dict)
              and e.get("title") and e.get("axis", {}) is not None}
    drawn = {("x" if axis["orient"] in ("bottom", "top") else "y", axis["title"])
             for node in _dicts(spec) for axis in node.get("axes", []) if axis.get("title")}
    assert wanted, f"{calc.name}: no titled axis found in the chart"
    assert not wanted - drawn, f"{calc.name}: these axes are asked for but not drawn: {sorted(wanted - drawn)}"
