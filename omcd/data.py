"""Load the course's data tables, checked against ``data/datapackage.json``.

**Where the data is.** :func:`find_data_dir` finds the course's ``data/`` folder by a rule that does
not depend on where the ``omcd`` package's files sit, so the notebooks run however the package is
installed (editable in the repository, or copied into site-packages by ``pip install .`` as
repo2docker may do):

1. the folder named by the environment variable ``OMCD_DATA_DIR``, if it is set;
2. else the working directory or the nearest of its parents that holds this course's
   ``data/datapackage.json`` (descriptor name ``omcd-data``): a notebook runs from its own folder
   inside the repository, a script or test from the repository;
3. else the ``data/`` folder beside the package's own folder (an editable install used from a
   working directory outside the repository).

When none holds the data, :class:`DataNotFoundError` says where it looked and what to do.

**One parse, one dialect.** Every table is read once, as UTF-8 text with commas between cells and
double quotes around cells that need them (nothing is guessed). The strings read are checked, and
the same strings become the DataFrame that :func:`load_table` returns: what the loader returns is
exactly what was checked. The checks:

* the Table Schema in the descriptor, with the ``frictionless`` library (column names and order,
  types, required cells, patterns, allowed values, bounds, primary key);
* numbers written in plain digits 0-9 (``1234.5``, ``-2``, ``1.2e6``) and finite: no ``NaN``,
  ``Infinity`` or ``1e309``, no other digits (Arabic-Indic, fullwidth), no spaces;
* a cell shaped like an ISO date (``YYYY-MM`` or ``YYYY-MM-DD``) is a real calendar month or day;
* no control characters (such as NUL) in any cell;
* at least one data row;
* every ``<calculator>_scenarios`` table gives every scenario a value for every parameter in
  ``omcd.models.<calculator>.PARAMS``, inside that parameter's range;
* every ``<calculator>_steps`` table (the calculator's "Try this" steps, see :func:`steps`)
  numbers its steps 1, 2, 3... in order, names an existing scenario as each step's starting
  point, sets only parameters of the model inside their ranges (each value with its unit,
  status, source and note) and highlights only what the calculator shows (see
  :meth:`omcd.charts.registry.SiteCalculator.highlight_targets`).

A broken file stops the book build with a message that names the file, the row and the column
(or the missing row). Rows are numbered as in the file: the header is row 1, and a data row is
numbered by the line it starts on.

Run ``python -m omcd.data`` to check every table (the build script does).
"""

from __future__ import annotations

import csv
import datetime
import functools
import importlib
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from frictionless import FrictionlessException, Package, Resource

DESCRIPTOR = "datapackage.json"
#: The ``name`` of this course's descriptor: a ``data/`` folder of another project is not taken.
PACKAGE_NAME = "omcd-data"
#: Environment variable that names the data folder explicitly.
DATA_DIR_VARIABLE = "OMCD_DATA_DIR"
MAX_ERRORS_SHOWN = 5
SOURCE_COLUMNS = ["parameter", "value", "unit", "status", "source", "source_date", "note"]
SCENARIO_SUFFIX = "_scenarios"
STEPS_SUFFIX = "_steps"
#: Columns of a steps table written once per step, on its first row.
STEP_COLUMNS = ["title", "text", "highlight", "scenario"]
#: Columns of a steps table that describe one input value, on a row that names a parameter.
STEP_VALUE_COLUMNS = ["value", "unit", "status", "source", "source_date", "note"]

_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_NOT_FINITE = {"nan", "inf", "infinity"}
_DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
# Control characters other than tab, line feed and carriage return (a quoted cell may span lines).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SEPARATORS = {"\t": "tabs", ";": "semicolons", "|": "vertical bars"}


class DataValidationError(ValueError):
    """A data file does not match its description in ``data/datapackage.json``."""


class DataNotFoundError(DataValidationError):
    """The course's ``data/`` folder was not found (see :func:`find_data_dir`)."""


class _CourseCsv(csv.Dialect):
    """The one dialect of every table: RFC 4180 CSV (commas, double quotes, no guessing)."""

    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\n"
    quoting = csv.QUOTE_MINIMAL
    strict = True


# Where the data is ---------------------------------------------------------------------------


def find_data_dir() -> Path:
    """The course's ``data/`` folder: ``OMCD_DATA_DIR``, else the working directory or its nearest
    parent holding this course's ``data/``, else ``data/`` beside the package's folder.

    Raises :class:`DataNotFoundError` naming every place it looked.
    """
    named = os.environ.get(DATA_DIR_VARIABLE)
    if named:
        folder = Path(named).expanduser().resolve()
        if not (folder / DESCRIPTOR).is_file():
            raise DataNotFoundError(
                f"{DATA_DIR_VARIABLE}={named}, but {folder / DESCRIPTOR} does not exist. Set it to the "
                "course's data/ folder (the one holding datapackage.json), or unset it."
            )
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if _is_course_data(folder / "data"):
            return folder / "data"
    beside = Path(__file__).resolve().parent.parent / "data"
    if _is_course_data(beside):
        return beside
    raise DataNotFoundError(
        f"The course's data (data/{DESCRIPTOR}) was not found. Looked in {here} and each folder above "
        f"it, and beside the omcd package ({beside.parent}). Open the notebook from its folder inside "
        f"the course repository (e.g. chapters/), run the script from inside the repository, or set "
        f"{DATA_DIR_VARIABLE} to the repository's data/ folder."
    )


def __getattr__(name: str):
    # ``DATA_DIR`` is found when it is asked for, not when the module is imported: the working
    # directory decides (see find_data_dir).
    if name == "DATA_DIR":
        return find_data_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _is_course_data(folder: Path) -> bool:
    descriptor = folder / DESCRIPTOR
    return _descriptor_name(descriptor, _signature(descriptor)) == PACKAGE_NAME


@functools.lru_cache(maxsize=32)
def _descriptor_name(descriptor: Path, signature: tuple[int, int] | None) -> str | None:
    if signature is None:
        return None
    try:
        return json.loads(descriptor.read_text(encoding="utf-8")).get("name")
    except (OSError, ValueError, AttributeError):
        return None


# Public API ----------------------------------------------------------------------------------


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Check the table ``name`` (the resource name, i.e. the CSV stem) and return it.

    Number columns are ``float64`` (an empty cell is NaN), integer columns ``Int64``, every other
    column text (an empty cell is ""). Raises :class:`DataValidationError` naming the file, row
    and column of each problem. Checked tables are cached until the CSV or the descriptor changes
    on disk.
    """
    descriptor = Path(data_dir or find_data_dir()) / DESCRIPTOR
    package = _package(descriptor, _signature(descriptor))
    if not package.has_resource(name):
        known = ", ".join(package.resource_names) or "none"
        raise DataValidationError(f"{_shown(descriptor)}: no data table {name!r}; known tables: {known}.")
    csv_path = descriptor.parent / package.get_resource(name).path
    table = _checked_table(descriptor, _signature(descriptor), name, _signature(csv_path))
    return table.copy()


def validate_all(data_dir: Path | None = None) -> None:
    """Check every table of the package, and that every CSV in the folder is described.

    Raises one :class:`DataValidationError` that lists the problems of every broken file.
    """
    directory = Path(data_dir or find_data_dir())
    descriptor = directory / DESCRIPTOR
    package = _package(descriptor, _signature(descriptor))
    described = {(directory / r.path).resolve() for r in package.resources}
    problems = [
        f"{_shown(csv_path)}: not described in {_shown(descriptor)}; add a resource for it."
        for csv_path in sorted(directory.glob("*.csv"))
        if csv_path.resolve() not in described
    ]
    for name in package.resource_names:
        try:
            load_table(name, directory)
        except DataValidationError as exc:
            problems.append(str(exc))
    if problems:
        raise DataValidationError("\n".join(problems))


def scenario_values(calculator: str, scenario: str) -> dict[str, float]:
    """Inputs of one scenario of a calculator, read from ``data/{calculator}_scenarios.csv``.

    Returns ``{parameter: value}``, every value inside its parameter's range (checked when the
    table is loaded); raises ``ValueError`` listing the available scenarios when ``scenario`` is
    not in the file.
    """
    rows = _scenario_rows(calculator, scenario)
    return {row.parameter: float(row.value) for row in rows.itertuples()}


def scenario_names(calculator: str) -> list[str]:
    """Names of the scenarios in ``data/{calculator}_scenarios.csv``, in file order."""
    return list(dict.fromkeys(load_table(f"{calculator}{SCENARIO_SUFFIX}")["scenario"]))


def scenario_sources(calculator: str, scenario: str) -> pd.DataFrame:
    """Provenance of one scenario, for showing on a page: one row per parameter with its value,
    unit, status (sourced, derived or illustrative), source, source date and note."""
    return _scenario_rows(calculator, scenario)[SOURCE_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class Step:
    """One "Try this" step of a calculator, from ``data/{calculator}_steps.csv``.

    ``changes`` are the inputs the step sets itself; ``values`` every input: the step's
    ``scenario`` with ``changes`` applied. ``highlight`` names what the reader should look at:
    ``chart:<layer>``, ``row:<output>``, ``input:<parameter>`` or ``verdict``.
    """

    number: int
    title: str
    text: str
    highlight: tuple[str, ...]
    scenario: str
    changes: dict
    values: dict


def steps(calculator: str) -> list[Step]:
    """The "Try this" steps of a calculator in order, or ``[]`` when it has no steps table.

    Every value is inside its parameter's range and every highlight names something the
    calculator shows (checked when the table is loaded)."""
    name = f"{calculator}{STEPS_SUFFIX}"
    descriptor = find_data_dir() / DESCRIPTOR
    if not _package(descriptor, _signature(descriptor)).has_resource(name):
        return []
    out = []
    for number, rows in _step_groups(load_table(name)):
        first = rows.iloc[0]
        changes = {row.parameter: float(row.value) for row in rows.itertuples() if row.parameter}
        out.append(
            Step(
                number,
                first["title"],
                first["text"],
                tuple(first["highlight"].split(";")),
                first["scenario"],
                changes,
                {**scenario_values(calculator, first["scenario"]), **changes},
            )
        )
    return out


def all_sources(data_dir: Path | None = None) -> pd.DataFrame:
    """Every source cited in ``data/``: one row per (source, date), with the tables citing it.

    Columns: ``source``, ``source_date``, ``tables`` (comma-separated table names). Sorted by
    source. This is the course's bibliography: every figure comes from a table in ``data/``.
    """
    rows = []
    folder = Path(data_dir or find_data_dir())
    for path in sorted(folder.glob("*.csv")):
        table = load_table(path.stem, folder)
        if {"source", "source_date"} <= set(table.columns):
            for source, date in table[["source", "source_date"]].astype(str).itertuples(index=False):
                if source.strip():  # a row that cites nothing (a step that sets no value)
                    rows.append({"source": source.strip(), "source_date": date.strip(), "table": path.stem})
    frame = pd.DataFrame(rows, columns=["source", "source_date", "table"])
    grouped = (
        frame.groupby(["source", "source_date"], sort=True)["table"]
        .agg(lambda names: ", ".join(sorted(set(names))))
        .reset_index()
        .rename(columns={"table": "tables"})
    )
    return grouped


# Internals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    """One problem of a file: its row (file line; None for the whole file), column and text."""

    row: int | None
    column: str | None
    text: str

    def shown(self, file: str) -> str:
        parts = [file]
        if self.row:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return f"{', '.join(parts)}: {self.text}"


def _scenario_rows(calculator: str, scenario: str) -> pd.DataFrame:
    table = load_table(f"{calculator}{SCENARIO_SUFFIX}")
    rows = table[table["scenario"] == scenario]
    if rows.empty:
        available = ", ".join(dict.fromkeys(table["scenario"]))
        raise ValueError(f"No scenario {scenario!r} in data/{calculator}{SCENARIO_SUFFIX}.csv; available: {available}.")
    return rows


def _signature(path: Path) -> tuple[int, int] | None:
    """Modification time and size of a file (None if it is missing): the cache key."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _shown(path: Path) -> str:
    """A path as the reader knows it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return str(path)


@functools.lru_cache(maxsize=16)
def _package(descriptor: Path, signature: tuple[int, int] | None) -> Package:
    """The parsed descriptor (``signature`` only keys the cache)."""
    if signature is None:
        raise DataValidationError(f"{_shown(descriptor)}: descriptor not found.")
    try:
        package = Package(str(descriptor))
    except FrictionlessException as exc:
        raise DataValidationError(f"{_shown(descriptor)}: invalid descriptor: {exc.error.message}") from exc
    for resource in package.resources:
        # The loader reads every table in one dialect; a descriptor that says otherwise is wrong.
        declared = resource.to_descriptor()
        if "dialect" in declared or (resource.encoding or "utf-8").lower() != "utf-8":
            raise DataValidationError(
                f"{_shown(descriptor)}: resource {resource.name!r} declares its own encoding or dialect; "
                "every table is read as comma-separated UTF-8, so remove them."
            )
    return package


@functools.lru_cache(maxsize=64)
def _checked_table(
    descriptor: Path, descriptor_signature: tuple[int, int], name: str, csv_signature: tuple[int, int] | None
) -> pd.DataFrame:
    """Read one table once, check it, and return the checked strings as a typed DataFrame."""
    resource = _package(descriptor, descriptor_signature).get_resource(name)
    path = descriptor.parent / resource.path
    shown = _shown(path)
    if csv_signature is None:
        _fail(shown, descriptor, [_Problem(None, None, "file not found")])
    fields = resource.schema.fields
    header, rows, lines, problems = _read(path)
    if not problems:
        problems = _check_header(header, [f.name for f in fields])
    if not problems:
        schema_problems = _schema_problems(resource, header, rows, lines)
        # A wrong header shifts every cell: report the header alone.
        problems = [p for p in schema_problems if p.row == 1]
        if not problems:
            problems = _check_cells(rows, lines, fields)
            flagged = {(p.row, p.column) for p in problems}  # a cell is reported once
            problems += [p for p in schema_problems if (p.row, p.column) not in flagged]
    if not problems and not rows:
        problems = [_Problem(2, None, "no data rows: the file has its header and nothing else")]
    if problems:
        _fail(shown, descriptor, problems)
    table = _frame(rows, fields)
    problems = []
    if name.endswith(SCENARIO_SUFFIX):
        problems = _check_scenarios(name.removesuffix(SCENARIO_SUFFIX), table, lines)
    elif name.endswith(STEPS_SUFFIX):
        problems = _check_steps(name.removesuffix(STEPS_SUFFIX), table, lines, descriptor.parent)
    if problems:
        _fail(shown, descriptor, problems)
    return table


def _fail(shown: str, descriptor: Path, problems: list[_Problem]) -> None:
    problems = sorted(problems, key=lambda p: p.row or 0)
    lines = [p.shown(shown) for p in problems[:MAX_ERRORS_SHOWN]]
    if len(problems) > MAX_ERRORS_SHOWN:
        lines.append(f"... and {len(problems) - MAX_ERRORS_SHOWN} more problems.")
    raise DataValidationError(f"{shown} does not match its description in {_shown(descriptor)}:\n" + "\n".join(lines))


def _read(path: Path) -> tuple[list[str], list[list[str]], list[int], list[_Problem]]:
    """The file's header, data rows and the line each data row starts on, read once."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (
            [],
            [],
            [],
            [_Problem(line, None, f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8")],
        )
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), dialect=_CourseCsv)
    records, starts, problems, end = [], [], [], 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if cells:
                records.append(cells)
                starts.append(start)
            else:
                problems.append(_Problem(start, None, "blank row: delete it"))
    except csv.Error as exc:
        problems.append(_Problem(end + 1, None, f"not valid CSV ({exc}); quote a cell that holds a comma or a quote"))
    if not records:
        return [], [], [], problems or [_Problem(1, None, "the file is empty: row 1 must name the columns")]
    return records[0], records[1:], starts[1:], problems


def _check_header(header: list[str], names: list[str]) -> list[_Problem]:
    """A header that is one cell holding another separator: the file is not comma-separated."""
    if len(header) < len(names):
        for separator, called in _SEPARATORS.items():
            if sum(cell.count(separator) for cell in header) >= len(names) - len(header):
                return [
                    _Problem(
                        1,
                        None,
                        f"the columns are separated by {called}, not commas; save the "
                        "file as comma-separated values (CSV, UTF-8)",
                    )
                ]
    return []


def _check_cells(rows: list[list[str]], lines: list[int], fields) -> list[_Problem]:
    """The course's rules for cells, beyond the Table Schema."""
    problems = []
    for cells, line in zip(rows, lines):
        for field, cell in zip(fields, cells):
            problem = _cell_problem(field.type, cell)
            if problem:
                problems.append(_Problem(line, field.name, problem))
    return problems


def _cell_problem(kind: str, cell: str) -> str | None:
    control = _CONTROL.search(cell)
    if control:
        return (
            f"the cell holds a control character (U+{ord(control.group()):04X}) at character "
            f"{control.start() + 1}; delete it"
        )
    if cell == "":
        return None  # the schema says whether the cell is required
    if kind in ("number", "integer"):
        if cell.strip().lstrip("+-").lower() in _NOT_FINITE:
            return f"{cell!r} is not a finite number: every number in the data must be finite"
        grammar, example = (_INTEGER, "e.g. 42") if kind == "integer" else (_NUMBER, "e.g. 1234.5, -2 or 1.2e6")
        if not grammar.fullmatch(cell):
            return f"{cell!r} is not a {kind}: write it with the digits 0-9 and no spaces ({example})"
        if kind == "number" and math.isinf(float(cell)):
            return f"{cell!r} is too large: it is infinite as a floating-point number"
        return None
    shape = _DATE_SHAPE.fullmatch(cell)
    if shape:
        year, month, day = (int(part) if part else 1 for part in shape.groups())
        try:
            datetime.date(year, month, day)
        except ValueError:
            return f"{cell!r} is not a calendar date (YYYY-MM-DD or YYYY-MM)"
    return None


def _schema_problems(resource: Resource, header, rows, lines) -> list[_Problem]:
    """The Table Schema checks of frictionless, on the strings already read (no second parse)."""
    report = Resource(data=[header, *rows], schema=resource.schema).validate()
    errors = [error for task in report.tasks for error in task.errors] + report.errors
    return [_describe(error, resource, lines) for error in errors]


def _describe(error, resource: Resource, lines: list[int]) -> _Problem:
    """One frictionless error, at the file's own row number."""
    row = getattr(error, "row_number", None) or (getattr(error, "row_numbers", None) or [None])[0]
    if row and row >= 2:
        row = lines[row - 2]  # frictionless counts rows of data; the file counts lines
    column = getattr(error, "field_name", None) or getattr(error, "label", None)
    if error.type == "primary-key":
        column = "', '".join(resource.schema.primary_key)
    kind = error.type.replace("-", " ")
    if error.type == "type-error":
        detail = f"{error.cell!r} is not a {resource.schema.get_field(error.field_name).type}"
    elif error.type == "constraint-error":
        detail = f"{error.cell!r} breaks the {error.note}"
    elif error.type == "missing-label":
        detail = "the header has no such column, but the descriptor declares it"
    elif error.type == "extra-label":
        detail = "the header has this column, but the descriptor does not declare it"
    elif error.type == "primary-key":
        detail = f"the same key as another row ({error.note})"
    else:
        detail = error.message
    return _Problem(row, column or None, f"{kind}: {detail}")


def _frame(rows: list[list[str]], fields) -> pd.DataFrame:
    """The checked strings as a DataFrame typed by the schema."""
    columns = {}
    for index, field in enumerate(fields):
        cells = [row[index] for row in rows]
        if field.type == "number":
            columns[field.name] = pd.Series([float(c) if c else math.nan for c in cells], dtype="float64")
        elif field.type == "integer":
            columns[field.name] = pd.Series([int(c) if c else pd.NA for c in cells], dtype="Int64")
        else:
            columns[field.name] = pd.Series(cells, dtype="str")
    return pd.DataFrame(columns)


def _check_scenarios(calculator: str, table: pd.DataFrame, lines: list[int]) -> list[_Problem]:
    """Every scenario has a value for every parameter of the calculator's model, inside its range."""
    module_name = f"omcd.models.{calculator}"
    try:
        params = importlib.import_module(module_name).PARAMS
    except (ImportError, AttributeError):
        return [_Problem(None, None, f"a scenarios table needs a calculator model: {module_name}.PARAMS was not found")]
    by_name = {p.name: p for p in params}
    problems = []
    for (scenario, parameter, value), line in zip(
        table[["scenario", "parameter", "value"]].itertuples(index=False), lines
    ):
        if parameter not in by_name:
            problems.append(
                _Problem(
                    line,
                    "parameter",
                    f"{parameter!r} is not a parameter of {module_name} (its parameters: {', '.join(by_name)})",
                )
            )
            continue
        try:
            by_name[parameter].check(value)
        except ValueError as exc:
            problems.append(_Problem(line, "value", f"{exc} (scenario {scenario!r}, {module_name}.PARAMS)"))
    for scenario in dict.fromkeys(table["scenario"]):
        present = set(table.loc[table["scenario"] == scenario, "parameter"])
        for name in by_name:
            if name not in present:
                problems.append(
                    _Problem(
                        None,
                        None,
                        f"missing row: scenario {scenario!r} has no row for "
                        f"parameter {name!r} ({module_name}.PARAMS needs every "
                        f"parameter; valid range {by_name[name].range_text})",
                    )
                )
    return problems


def _step_groups(table: pd.DataFrame):
    """(step number, its rows) in file order; a step's rows follow one another."""
    numbers = list(dict.fromkeys(table["step"]))
    return [(int(n), table[table["step"] == n]) for n in numbers]


def _check_steps(calculator: str, table: pd.DataFrame, lines: list[int], folder: Path) -> list[_Problem]:
    """A steps table: steps numbered 1, 2, 3... in order, each step's own columns on its first
    row only, an existing scenario, known parameters inside their ranges with their sources,
    and highlights of things the calculator shows."""
    from omcd.charts.registry import get

    scenarios_table = f"{calculator}{SCENARIO_SUFFIX}"
    try:
        scenarios = set(load_table(scenarios_table, folder)["scenario"])
    except DataValidationError:
        return []  # the steps start from the scenarios: their file's own error is reported
    calc = get(calculator)
    if calc is None:
        return [
            _Problem(None, None, f"a steps table needs a registered calculator: omcd.charts.{calculator} was not found")
        ]
    by_name = {p.name: p for p in calc.params}
    targets = calc.highlight_targets()
    problems, seen, previous = [], {}, 0
    for row, line in zip(table.itertuples(index=False), lines):
        number = int(row.step)
        first = number != previous
        if first and number != previous + 1:
            expected = "in order, 1, 2, 3..., each step's rows together" if number in seen else f"{previous + 1}"
            problems.append(_Problem(line, "step", f"step {number} where step {expected} was expected"))
        previous = number if first else previous
        seen.setdefault(number, set())
        for column in STEP_COLUMNS:
            cell = getattr(row, column)
            if first and not cell:
                problems.append(_Problem(line, column, f"empty: the first row of step {number} gives its {column}"))
            elif not first and cell:
                problems.append(
                    _Problem(
                        line, column, f"step {number}'s {column} belongs on its first row only; leave this cell empty"
                    )
                )
        if first and row.scenario and row.scenario not in scenarios:
            problems.append(
                _Problem(
                    line,
                    "scenario",
                    f"no scenario {row.scenario!r} in data/{scenarios_table}.csv "
                    f"(its scenarios: {', '.join(sorted(scenarios)) or 'none'})",
                )
            )
        if first and row.highlight:
            for target in row.highlight.split(";"):
                if target not in targets:
                    problems.append(
                        _Problem(
                            line,
                            "highlight",
                            f"{target!r} is not something the {calculator} "
                            f"calculator shows; known: {', '.join(targets)}",
                        )
                    )
        value_cells = {column: getattr(row, column) for column in STEP_VALUE_COLUMNS}
        if not row.parameter:
            filled = [c for c, v in value_cells.items() if not (v == "" or (isinstance(v, float) and math.isnan(v)))]
            if filled:
                problems.append(
                    _Problem(
                        line,
                        filled[0],
                        "a row without a parameter sets no value: leave "
                        f"{', '.join(filled)} empty, or name the parameter",
                    )
                )
            continue
        if row.parameter not in by_name:
            problems.append(
                _Problem(
                    line,
                    "parameter",
                    f"{row.parameter!r} is not a parameter of the {calculator} "
                    f"calculator (its parameters: {', '.join(by_name)})",
                )
            )
            continue
        if row.parameter in seen[number]:
            problems.append(_Problem(line, "parameter", f"step {number} sets {row.parameter!r} twice"))
        seen[number].add(row.parameter)
        for column, cell in value_cells.items():
            if cell == "" or (isinstance(cell, float) and math.isnan(cell)):
                problems.append(_Problem(line, column, f"empty: a value set by a step needs its {column}"))
        if not math.isnan(row.value):
            param = by_name[row.parameter]
            try:
                param.check(row.value)
            except ValueError as exc:
                problems.append(_Problem(line, "value", f"{exc} (step {number})"))
            else:
                if not math.isclose(param.snap(row.value), row.value, rel_tol=1e-12, abs_tol=1e-12):
                    problems.append(
                        _Problem(
                            line,
                            "value",
                            f"{row.value:g} is not on the slider of {param.name} "
                            f"(from {param.minimum:g} in steps of {param.step:g}): "
                            f"use {param.snap(row.value):g}",
                        )
                    )
    return problems


def main() -> int:
    """Check every data file; print 'data ok: N files' or the errors (exit status 1)."""
    try:
        folder = find_data_dir()
        validate_all(folder)
    except DataValidationError as exc:
        print(f"data error:\n{exc}", file=sys.stderr)
        return 1
    count = len(_package(folder / DESCRIPTOR, _signature(folder / DESCRIPTOR)).resources)
    print(f"data ok: {count} files")
    return 0


if __name__ == "__main__":
    # The module as imported (omcd.data), not this __main__ copy: the calculators' modules that
    # the steps check imports use omcd.data, and its errors must be the ones main() catches.
    from omcd.data import main as checked_main

    sys.exit(checked_main())
