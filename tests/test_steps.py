"""The "Try this" steps of every calculator (data/<calculator>_steps.csv), as data.

Each calculator has steps; each step starts from a named scenario and changes some of its inputs,
inside their ranges and on their sliders' grids; each highlight names something the calculator
shows (a named layer of its chart is a mark of the compiled Vega view); the notebook widget
offers the same steps. A broken steps file stops the build with a message naming the file, the
row and the column, as every data file does (table-driven, like tests/test_data_corruptions.py).
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from omcd.charts._compile import vega_views
from omcd.charts.registry import all_calculators, get
from omcd.data import DataValidationError, find_data_dir, load_table, scenario_values, steps, validate_all

CALCULATORS = all_calculators()
IDS = [c.name for c in CALCULATORS]
TABLE = "gpu_cluster_steps"
Rows = list[list[str]]


def _mark_names(node) -> set[str]:
    names = set()
    if isinstance(node, dict):
        if "type" in node and isinstance(node.get("name"), str):
            names.add(node["name"])
        for value in node.values():
            names |= _mark_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _mark_names(value)
    return names


# The real files ------------------------------------------------------------------------------


@pytest.mark.parametrize("calc", CALCULATORS, ids=IDS)
def test_every_calculator_has_steps_that_start_from_a_scenario_and_stay_in_range(calc):
    taken = steps(calc.name)
    assert len(taken) >= 3, f"{calc.name}: its notebook's 'What to try' list has at least three items"
    assert [s.number for s in taken] == list(range(1, len(taken) + 1))
    params = {p.name: p for p in calc.params}
    for step in taken:
        assert step.title and len(step.text.split()) >= 8 and step.highlight
        assert step.values == {**scenario_values(calc.name, step.scenario), **step.changes}
        assert set(step.values) == set(params)
        for name, value in step.values.items():
            assert params[name].check(value) == value and params[name].snap(value) == pytest.approx(value)


@pytest.mark.parametrize("calc", CALCULATORS, ids=IDS)
def test_steps_walk_somewhere(calc):
    """Consecutive steps differ in their inputs or in what they highlight, and at least one step
    leaves the defaults: a walk that shows nothing new is no walk."""
    taken = steps(calc.name)
    defaults = {k: float(v) for k, v in calc.defaults().items()}
    assert any(s.values != defaults for s in taken)
    for before, after in zip(taken, taken[1:]):
        assert (before.values, before.highlight) != (after.values, after.highlight), (before.title, after.title)


@pytest.mark.parametrize("calc", CALCULATORS, ids=IDS)
def test_every_highlight_is_drawn_by_the_page(calc):
    """A chart target is a mark of the compiled main view (the page finds it by its name), a row
    target a results row, an input target an input."""
    marks = _mark_names(vega_views(calc)[0]["marks"])
    targets = calc.highlight_targets()
    for target in targets:
        kind, _, name = target.partition(":")
        if kind == "chart":
            assert any(re.fullmatch(rf"{name}(_[0-9]+)?_marks", m) for m in marks), (target, sorted(marks))
    used = {t for s in steps(calc.name) for t in s.highlight}
    assert used <= set(targets)
    assert any(t.startswith("chart:") for t in used), f"{calc.name}: no step highlights anything on the chart"


def test_highlight_targets_name_layers_rows_inputs_and_the_verdict():
    targets = get("gpu_cluster").highlight_targets()
    assert {"chart:break_even", "chart:price", "row:break_even_utilisation", "input:utilisation", "verdict"} <= set(
        targets
    )
    assert "chart:spending" in get("price_war").highlight_targets()  # Altair renamed it spending_0


# Broken files --------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(find_data_dir(), target)
    return target


def _rows(folder: Path) -> Rows:
    return list(csv.reader(io.StringIO((folder / f"{TABLE}.csv").read_text(encoding="utf-8"), newline="")))


def _write(folder: Path, rows: Rows) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (folder / f"{TABLE}.csv").write_text(out.getvalue(), encoding="utf-8")


def _row_setting(rows: Rows, parameter: str) -> int:
    """The file row (header = 1) of the first row that sets ``parameter``."""
    column = rows[0].index("parameter")
    return next(i + 1 for i, row in enumerate(rows) if i and row[column] == parameter)


def _first_row_of(rows: Rows, step: int) -> int:
    return next(i + 1 for i, row in enumerate(rows) if i and row[0] == str(step))


def set_cell(where: Callable[[Rows], int], column: str, text: str) -> Callable[[Rows], int]:
    def edit(rows: Rows) -> int:
        row = where(rows)
        rows[row - 1][rows[0].index(column)] = text
        return row

    return edit


def setting(parameter: str) -> Callable[[Rows], int]:
    return lambda rows: _row_setting(rows, parameter)


def first_row(step: int) -> Callable[[Rows], int]:
    return lambda rows: _first_row_of(rows, step)


def continuation_with_title(rows: Rows) -> int:
    """A second row for step 1 that repeats the title (a step's own columns go on its first row)."""
    header = rows[0]
    extra = [""] * len(header)
    values = {
        "step": "1",
        "title": "Again",
        "parameter": "utilisation",
        "value": "0.5",
        "unit": "share",
        "status": "illustrative",
        "source": "Illustrative assumption",
        "source_date": "2025",
        "note": "Illustrative: for the test.",
    }
    for column, text in values.items():
        extra[header.index(column)] = text
    at = _first_row_of(rows, 2) - 1
    rows.insert(at, extra)
    return at + 1


def swap_steps(rows: Rows) -> int:
    """Steps 1 and 2 exchange their numbers: the file no longer reads 1, 2, 3..."""
    for row in rows[1:]:
        if row[0] in ("1", "2"):
            row[0] = "2" if row[0] == "1" else "1"
    return 2


def parameter_twice(rows: Rows) -> int:
    at = _row_setting(rows, "depreciation_life_years")
    rows.insert(at, list(rows[at - 1]))
    for column in ("title", "text", "highlight", "scenario"):
        rows[at][rows[0].index(column)] = ""
    return at + 1


# (edit, column named in the message, words of the message)
CASES = {
    "unknown parameter": (
        set_cell(setting("discount_rate"), "parameter", "discount_rat"),
        "parameter",
        "is not a parameter of the gpu_cluster calculator",
    ),
    "value out of range": (set_cell(setting("discount_rate"), "value", "0.9"), "value", "outside its valid range"),
    "value off the slider's grid": (
        set_cell(setting("discount_rate"), "value", "0.155"),
        "value",
        "is not on the slider of discount_rate",
    ),
    "unknown highlight target": (
        set_cell(first_row(2), "highlight", "chart:break_even;row:npv"),
        "highlight",
        "'row:npv' is not something the gpu_cluster calculator shows",
    ),
    "unknown chart layer": (
        set_cell(first_row(1), "highlight", "chart:breakeven"),
        "highlight",
        "'chart:breakeven' is not something",
    ),
    "unknown scenario": (
        set_cell(first_row(3), "scenario", "h100_2026"),
        "scenario",
        "no scenario 'h100_2026' in data/gpu_cluster_scenarios.csv",
    ),
    "first row without its text": (
        set_cell(first_row(2), "text", ""),
        "text",
        "the first row of step 2 gives its text",
    ),
    "a step's title on a later row": (continuation_with_title, "title", "belongs on its first row only"),
    "steps out of order": (swap_steps, "step", "step 2 where step 1 was expected"),
    "a parameter set twice": (parameter_twice, "parameter", "sets 'depreciation_life_years' twice"),
    "a value without its source": (
        set_cell(setting("discount_rate"), "source", ""),
        "source",
        "a value set by a step needs its source",
    ),
    "a value without a parameter": (
        set_cell(first_row(1), "value", "0.5"),
        "value",
        "a row without a parameter sets no value",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_broken_steps_file_names_the_file_row_and_column(data_copy, case):
    edit, column, words = CASES[case]
    rows = _rows(data_copy)
    row = edit(rows)
    _write(data_copy, rows)
    with pytest.raises(DataValidationError) as error:
        load_table(TABLE, data_copy)
    message = str(error.value)
    assert f"{TABLE}.csv, row {row}, column '{column}'" in message and words in message, message
    with pytest.raises(DataValidationError, match=re.escape(f"{TABLE}.csv, row {row}")):
        validate_all(data_copy)


def test_the_real_steps_file_loads_from_a_copy(data_copy):
    """The cases above fail because of their edit, not because a copy fails."""
    assert len(load_table(TABLE, data_copy)) == len(_rows(data_copy)) - 1


# The notebook widget offers the same steps -----------------------------------------------------


def test_the_widget_takes_each_step_highlights_its_rows_and_resets():
    from omcd.widgets.gpu_cluster import GpuClusterWidget

    widget = GpuClusterWidget()
    calc = widget.calculator
    taken = steps("gpu_cluster")
    assert [b.description for b in widget.step_buttons] == [f"{s.number}. {s.title}" for s in taken]
    for index, step in enumerate(taken):
        widget.step_buttons[index].click()
        assert widget.values == pytest.approx(step.values)
        assert step.title in widget.step_text.value
        rows = [i for i, row in enumerate(calc.rows) if f"row:{row.field}" in step.highlight]
        marked = [i for i, tr in enumerate(re.findall(r"<tr[^>]*>", widget.table.value)) if "omcd-highlight" in tr]
        assert marked == rows, step.title
        assert widget.table.value.count("<tr") == len(calc.rows)
    widget.next_button.click()  # after the last step, Next starts again
    assert widget.step == 0 and widget.values == pytest.approx(taken[0].values)
    widget.reset_button.click()
    assert widget.step is None and widget.values == pytest.approx(dict(calc.defaults()))
    assert "omcd-highlight" not in widget.table.value
