"""The pinned scenario's copy of every view computes what the model computes at the pinned inputs.

"Pin this scenario" draws a ghost from copies of the main view's datasets, compiled with each
input signal ``x`` renamed ``pinned_x`` (``omcd.charts._compile.with_pinned``). VegaFusion
evaluates the shipped view with the live inputs at one point and the pinned inputs at another:
every ``ParityCheck`` of the calculator must hold on the live datasets at the live point and on
their pinned copies at the pinned point, and the copies must be empty while nothing is pinned.
The texts of the pinned column and of each change are checked in the browser
(tests/browser/test_explore.py).
"""

from __future__ import annotations

import copy
import random

import pytest
from test_parity import computed_datasets, random_inputs, with_inputs

from omcd.charts._compile import COMPARE_DATASET, PINNED, PINNED_ON, rename_identifiers, vega_views
from omcd.charts.registry import all_calculators

CALCULATORS = all_calculators()
IDS = [c.name for c in CALCULATORS]


def pinned_at(spec: dict, pinned: dict[str, float] | None) -> dict:
    """The view with the scenario ``pinned`` (None: nothing pinned), without ``omcd_compare``
    (texts only, which VegaFusion cannot format: the browser test reads them)."""
    spec = copy.deepcopy(spec)
    spec["data"] = [d for d in spec["data"] if d["name"] != COMPARE_DATASET]
    for signal in spec["signals"]:
        if signal["name"] == PINNED_ON:
            signal["value"] = pinned is not None
        elif pinned is not None and signal["name"].startswith(PINNED) and signal["name"][len(PINNED) :] in pinned:
            signal["value"] = pinned[signal["name"][len(PINNED) :]]
    return spec


def check(calc, datasets: dict, inputs: dict, pinned: bool) -> list[str]:
    """Every check of the main view (those of another view, e.g. a tornado, are test_parity's)
    on its live datasets, or on their pinned copies."""
    problems = []
    for parity in calc.all_checks:
        matched = {
            name: rows
            for name, rows in datasets.items()
            if name.startswith(PINNED) == pinned and rows and all(c in rows[0] for c in parity.columns)
        }
        live = [
            name
            for name, rows in datasets.items()
            if not name.startswith(PINNED) and rows and all(c in rows[0] for c in parity.columns)
        ]
        if not live:
            continue
        if not matched:
            problems.append(f"no {'pinned ' if pinned else ''}dataset computes {list(parity.columns)}")
        for name, rows in matched.items():
            for row in rows:
                for column, expected in parity.expected(inputs, row).items():
                    got = row[column]
                    if expected is None:
                        ok = got is None or got != got
                    else:
                        ok = got is not None and abs(got - expected) <= 1e-9 * max(1.0, abs(expected))
                    if not ok:
                        problems.append(f"{name}.{column}: {got!r}, model {expected!r}")
    return problems


@pytest.mark.parametrize("calc", CALCULATORS, ids=IDS)
def test_the_pinned_copy_computes_the_model_at_the_pinned_inputs(calc):
    main = vega_views(calc)[0]
    rng = random.Random(f"pinned-{calc.name}")
    points = [random_inputs(calc, rng) for _ in range(4)] + calc.test_points()[1:3]
    for live, pinned in zip(points, reversed(points)):
        spec = pinned_at(with_inputs(main, live), pinned)
        datasets = computed_datasets(spec)
        problems = check(calc, datasets, live, pinned=False) + check(calc, datasets, pinned, pinned=True)
        assert not problems, f"{calc.name} live {live}, pinned {pinned}:\n" + "\n".join(problems[:8])
    # Nothing pinned: the copies are empty (the ghost draws nothing, the scales take nothing in).
    datasets = computed_datasets(pinned_at(with_inputs(main, points[0]), None))
    assert not any(rows for name, rows in datasets.items() if name.startswith(PINNED))


def test_renaming_touches_free_names_only():
    names = {"price": "pinned_price"}
    assert rename_identifiers('price * datum.price + datum["price"] + "price" + max(price, 1) + price_x', names) == (
        'pinned_price * datum.price + datum["price"] + "price" + max(pinned_price, 1) + price_x'
    )
