"""Every corruption of a data file that issue 15 lists stops the build with a message naming the
file, the row and the column (or the missing row), and the loader refuses exactly what the build's
check refuses: both are the same single read of the file.

Each case copies data/ into a temporary folder, corrupts one table, and runs the loader
(``load_table``), the check of every table (``validate_all``) and the build's command
(``omcd.data.main``, what ``python -m omcd.data`` runs) on the copy.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from omcd import data
from omcd.data import DataValidationError, find_data_dir, load_table, scenario_values, validate_all
from omcd.models import gpu_cluster
from omcd.params import Param

GPU = "gpu_cluster_scenarios"
Rows = list[list[str]]  # a CSV's rows, header first: rows[0] is file row 1


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(find_data_dir(), target)
    return target


def read_rows(folder: Path, table: str) -> Rows:
    return list(csv.reader(io.StringIO((folder / f"{table}.csv").read_text(encoding="utf-8"), newline="")))


def write_rows(folder: Path, table: str, rows: Rows, delimiter: str = ",") -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    (folder / f"{table}.csv").write_text(out.getvalue(), encoding="utf-8")


# Edits: each changes the rows and returns the file row it changed (None for the whole file).


def cell(row: int, column: str, text: str) -> Callable[[Rows], int]:
    """Put ``text`` in ``column`` of file row ``row`` (the header is row 1)."""

    def edit(rows: Rows) -> int:
        rows[row - 1][rows[0].index(column)] = text
        return row

    return edit


def scenario_row(rows: Rows, scenario: str, parameter: str) -> int:
    (index,) = [i for i, r in enumerate(rows) if r[:2] == [scenario, parameter]]
    return index + 1


def scenario_value(scenario: str, parameter: str, text: str) -> Callable[[Rows], int]:
    def edit(rows: Rows) -> int:
        row = scenario_row(rows, scenario, parameter)
        rows[row - 1][rows[0].index("value")] = text
        return row

    return edit


def delete_scenario_row(scenario: str, parameter: str) -> Callable[[Rows], None]:
    def edit(rows: Rows) -> None:
        del rows[scenario_row(rows, scenario, parameter) - 1]

    return edit


def header_only(rows: Rows) -> None:
    del rows[1:]


@dataclass
class Case:
    name: str
    table: str
    edit: Callable[[Rows], int | None]
    #: The expected message after the file's name; ``{row}`` is the row the edit returned.
    expected: str
    delimiter: str = ","


UTILISATION = gpu_cluster.PARAM_BY_NAME["utilisation"]

CASES = [
    Case(
        "arabic-indic digits",
        GPU,
        cell(4, "value", "٣٠٠٠٠"),
        "row {row}, column 'value': '٣٠٠٠٠' is not a number: write it with the digits 0-9",
    ),
    Case(
        "fullwidth digits",
        GPU,
        cell(5, "value", "３００００"),
        "row {row}, column 'value': '３００００' is not a number: write it with the digits 0-9",
    ),
    Case(
        "NaN in a number column without bounds",
        "deepseek_shock",
        cell(3, "value", "NaN"),
        "row {row}, column 'value': 'NaN' is not a finite number",
    ),
    Case(
        "tab-delimited file",
        GPU,
        lambda rows: None,
        "row 1: the columns are separated by tabs, not commas",
        delimiter="\t",
    ),
    Case(
        "semicolon-delimited file",
        GPU,
        lambda rows: None,
        "row 1: the columns are separated by semicolons, not commas",
        delimiter=";",
    ),
    Case(
        "Infinity in a bounded number column",
        GPU,
        cell(6, "value", "Infinity"),
        "row {row}, column 'value': 'Infinity' is not a finite number",
    ),
    Case(
        "1e309 in a number column without bounds",
        "deepseek_shock",
        cell(4, "value", "1e309"),
        "row {row}, column 'value': '1e309' is too large: it is infinite",
    ),
    Case(
        "-inf in an optional number column",
        "epilogue_events",
        cell(2, "figure", "-inf"),
        "row {row}, column 'figure': '-inf' is not a finite number",
    ),
    Case(
        "scenario value outside the parameter's range",
        GPU,
        scenario_value("h100_2025", "utilisation", "5"),
        f"row {{row}}, column 'value': utilisation = 5 is outside its valid range: {UTILISATION.range_text}",
    ),
    Case(
        "scenario missing one parameter",
        GPU,
        delete_scenario_row("h100_2025", "pue"),
        "missing row: scenario 'h100_2025' has no row for parameter 'pue'",
    ),
    Case(
        "a file with only its header", GPU, header_only, "row 2: no data rows: the file has its header and nothing else"
    ),
    Case(
        "impossible date",
        GPU,
        cell(3, "source_date", "2024-13-45"),
        "row {row}, column 'source_date': '2024-13-45' is not a calendar date",
    ),
    Case(
        "NUL byte in a text cell",
        GPU,
        cell(7, "note", "Rounded\x00 up"),
        "row {row}, column 'note': the cell holds a control character (U+0000) at character 8",
    ),
]


def corrupt(folder: Path, case: Case) -> str:
    """Apply the case to the copy; return the expected message line, file name first."""
    rows = read_rows(folder, case.table)
    row = case.edit(rows)
    write_rows(folder, case.table, rows, case.delimiter)
    separator = ", " if case.expected.startswith("row") else ": "
    return f"{case.table}.csv{separator}{case.expected.format(row=row)}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_corruption_stops_the_loader_and_the_build_with_file_row_and_column(case, data_copy, monkeypatch, capsys):
    expected = corrupt(data_copy, case)
    # The loader: a DataValidationError (never a pandas traceback, never a silent load).
    with pytest.raises(DataValidationError) as loaded:
        load_table(case.table, data_copy)
    assert expected in str(loaded.value), str(loaded.value)
    # The check of every table agrees.
    with pytest.raises(DataValidationError) as checked:
        validate_all(data_copy)
    assert expected in str(checked.value)
    # The build's command (python -m omcd.data) finds the copy from the working directory and fails.
    monkeypatch.delenv(data.DATA_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(data_copy.parent)
    assert data.main() == 1
    assert expected in capsys.readouterr().err


def test_the_build_command_exits_1_without_a_traceback(data_copy):
    expected = corrupt(data_copy, CASES[0])
    result = subprocess.run(
        [sys.executable, "-m", "omcd.data"], cwd=data_copy.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert expected in result.stderr and "Traceback" not in result.stderr


# Scenario presets against the calculators' Params: every scenario table, every parameter -------


def scenario_tables() -> list[str]:
    return sorted(p.stem for p in find_data_dir().glob("*_scenarios.csv"))


def model_params(table: str) -> tuple[Param, ...]:
    import importlib

    return importlib.import_module(f"omcd.models.{table.removesuffix('_scenarios')}").PARAMS


def test_there_are_scenario_tables_for_several_calculators():
    assert len(scenario_tables()) >= 5


@pytest.mark.parametrize("table", scenario_tables())
def test_every_scenario_of_every_table_has_every_parameter_in_range(table):
    # The real files: every Param of the model has a row in every scenario, inside its range.
    params = model_params(table)
    frame = load_table(table)
    for scenario in dict.fromkeys(frame["scenario"]):
        values = scenario_values(table.removesuffix("_scenarios"), scenario)
        assert set(values) == {p.name for p in params}, scenario
        for p in params:
            p.check(values[p.name])


@pytest.mark.parametrize("table", scenario_tables())
def test_a_missing_parameter_row_is_named_in_any_scenario_table(table, data_copy):
    rows = read_rows(data_copy, table)
    scenario, parameter = rows[-1][0], rows[-1][1]
    del rows[-1]
    write_rows(data_copy, table, rows)
    with pytest.raises(DataValidationError) as info:
        load_table(table, data_copy)
    assert f"{table}.csv: missing row: scenario {scenario!r} has no row for parameter {parameter!r}" in str(info.value)


@pytest.mark.parametrize("table", scenario_tables())
def test_a_preset_outside_its_parameter_range_is_named_in_any_scenario_table(table, data_copy):
    rows = read_rows(data_copy, table)
    parameter = rows[1][1]
    (param,) = [p for p in model_params(table) if p.name == parameter]
    # Just outside the Param's range, but inside the descriptor's gross bounds (0 and up).
    value = param.maximum + param.step if param.minimum - param.step < 0 else param.minimum - param.step
    rows[1][rows[0].index("value")] = f"{value:g}"
    write_rows(data_copy, table, rows)
    with pytest.raises(DataValidationError) as info:
        load_table(table, data_copy)
    assert f"{table}.csv, row 2, column 'value': {parameter} = {value:g} is outside its valid range" in str(info.value)


def test_a_parameter_added_to_a_model_is_required_in_every_scenario(data_copy, monkeypatch):
    new = Param("cooling_share", "Cooling share", "share", 0.0, 1.0, 0.01)
    monkeypatch.setattr(gpu_cluster, "PARAMS", gpu_cluster.PARAMS + (new,))
    with pytest.raises(DataValidationError) as info:
        load_table(GPU, data_copy)
    scenarios = list(dict.fromkeys(r[0] for r in read_rows(data_copy, GPU)[1:]))
    for scenario in scenarios[:3]:
        assert f"scenario {scenario!r} has no row for parameter 'cooling_share'" in str(info.value)


# One parse: the rows the loader returns are the rows that were checked --------------------------


def test_rows_are_numbered_by_the_line_they_start_on(data_copy):
    rows = read_rows(data_copy, GPU)
    rows[2][rows[0].index("note")] = "First line of a note,\nand its second line."
    rows[3][rows[0].index("value")] = "lots"
    write_rows(data_copy, GPU, rows)
    with pytest.raises(DataValidationError) as info:
        load_table(GPU, data_copy)
    # Data row 3 of the file starts on line 5: the quoted note above it takes two lines.
    assert f"{GPU}.csv, row 5, column 'value': 'lots' is not a number" in str(info.value)


def test_the_loader_returns_the_cells_as_written(data_copy):
    rows = read_rows(data_copy, GPU)
    note = 'A note with a comma, a "quote"\nand a line break.'
    rows[2][rows[0].index("note")] = note
    rows[2][rows[0].index("value")] = "2.5e4"
    write_rows(data_copy, GPU, rows)
    table = load_table(GPU, data_copy)
    assert table.loc[1, "note"] == note
    assert table.loc[1, "value"] == 25_000.0
    assert len(table) == len(rows) - 1
