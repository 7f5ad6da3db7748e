"""Load the course's data tables, validated against ``data/datapackage.json``.

Every CSV in ``data/`` is a resource of the Frictionless Data Package described by
``data/datapackage.json`` (field types, units, constraints, primary key). :func:`load_table`
validates a table with the ``frictionless`` library before returning it as a pandas DataFrame,
so a broken file stops the book build with a message that names the file, the row and the
column. Rows are numbered as in the file: the header is row 1, the first data row is row 2
(the line number, as long as no quoted cell spans several lines).

Run ``python -m omcd.data`` to validate every table (the build script does).
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pandas as pd
from frictionless import FrictionlessException, Package

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DESCRIPTOR = "datapackage.json"
MAX_ERRORS_SHOWN = 5
SOURCE_COLUMNS = ["parameter", "value", "unit", "status", "source", "source_date", "note"]
# pandas dtype for each Table Schema type; every other type is read as text.
_DTYPES = {"number": "float64", "integer": "Int64"}


class DataValidationError(ValueError):
    """A data file does not match its description in ``data/datapackage.json``."""


def load_table(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Validate the table ``name`` (the resource name, i.e. the CSV stem) and return it.

    Raises :class:`DataValidationError` for an unknown table, a missing or extra column, text in
    a number column, a value that breaks a constraint, a duplicate key, or a missing file.
    Validated tables are cached until the CSV or the descriptor changes on disk.
    """
    descriptor = Path(data_dir or DATA_DIR) / DESCRIPTOR
    package = _package(descriptor, _signature(descriptor))
    if not package.has_resource(name):
        known = ", ".join(package.resource_names) or "none"
        raise DataValidationError(f"{_shown(descriptor)}: no data table {name!r}; known tables: {known}.")
    csv_path = descriptor.parent / package.get_resource(name).path
    table = _validated_table(descriptor, _signature(descriptor), name, _signature(csv_path))
    return table.copy()


def validate_all(data_dir: Path | None = None) -> None:
    """Validate every table of the package, and check that every CSV in the folder is described.

    Raises one :class:`DataValidationError` that lists the problems of every broken file.
    """
    directory = Path(data_dir or DATA_DIR)
    descriptor = directory / DESCRIPTOR
    package = _package(descriptor, _signature(descriptor))
    described = {(directory / r.path).resolve() for r in package.resources}
    problems = [
        f"{_shown(csv)}: not described in {_shown(descriptor)}; add a resource for it."
        for csv in sorted(directory.glob("*.csv"))
        if csv.resolve() not in described
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

    Returns ``{parameter: value}``; raises ``ValueError`` listing the available scenarios when
    ``scenario`` is not in the file.
    """
    rows = _scenario_rows(calculator, scenario)
    return {row.parameter: float(row.value) for row in rows.itertuples()}


def scenario_names(calculator: str) -> list[str]:
    """Names of the scenarios in ``data/{calculator}_scenarios.csv``, in file order."""
    return list(dict.fromkeys(load_table(f"{calculator}_scenarios")["scenario"]))


def scenario_sources(calculator: str, scenario: str) -> pd.DataFrame:
    """Provenance of one scenario, for showing on a page: one row per parameter with its value,
    unit, status (sourced, derived or illustrative), source, source date and note."""
    return _scenario_rows(calculator, scenario)[SOURCE_COLUMNS].reset_index(drop=True)


def all_sources(data_dir: Path | None = None) -> pd.DataFrame:
    """Every source cited in ``data/``: one row per (source, date), with the tables citing it.

    Columns: ``source``, ``source_date``, ``tables`` (comma-separated table names). Sorted by
    source. This is the course's bibliography: every figure comes from a table in ``data/``.
    """
    rows = []
    folder = data_dir or DATA_DIR
    for path in sorted(folder.glob("*.csv")):
        table = load_table(path.stem, data_dir)
        if {"source", "source_date"} <= set(table.columns):
            for source, date in table[["source", "source_date"]].astype(str).itertuples(index=False):
                rows.append({"source": source.strip(), "source_date": date.strip(), "table": path.stem})
    frame = pd.DataFrame(rows, columns=["source", "source_date", "table"])
    grouped = (frame.groupby(["source", "source_date"], sort=True)["table"]
               .agg(lambda names: ", ".join(sorted(set(names)))).reset_index()
               .rename(columns={"table": "tables"}))
    return grouped


# Internals ----------------------------------------------------------------------------------


def _scenario_rows(calculator: str, scenario: str) -> pd.DataFrame:
    table = load_table(f"{calculator}_scenarios")
    rows = table[table["scenario"] == scenario]
    if rows.empty:
        available = ", ".join(dict.fromkeys(table["scenario"]))
        raise ValueError(
            f"No scenario {scenario!r} in data/{calculator}_scenarios.csv; available: {available}."
        )
    return rows


def _signature(path: Path) -> tuple[int, int] | None:
    """Modification time and size of a file (None if it is missing): the cache key."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _shown(path: Path) -> str:
    """A path as the reader knows it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(DATA_DIR.parent).as_posix()
    except ValueError:
        return str(path)


@functools.lru_cache(maxsize=16)
def _package(descriptor: Path, signature: tuple[int, int] | None) -> Package:
    """The parsed descriptor (``signature`` only keys the cache)."""
    if signature is None:
        raise DataValidationError(f"{_shown(descriptor)}: descriptor not found.")
    try:
        return Package(str(descriptor))
    except FrictionlessException as exc:
        raise DataValidationError(f"{_shown(descriptor)}: invalid descriptor: {exc.error.message}") from exc


@functools.lru_cache(maxsize=32)
def _validated_table(
    descriptor: Path, descriptor_signature: tuple[int, int], name: str, csv_signature: tuple[int, int] | None
) -> pd.DataFrame:
    """Validate one resource with frictionless, then read it with the schema's types."""
    resource = _package(descriptor, descriptor_signature).get_resource(name)
    shown = _shown(descriptor.parent / resource.path)
    report = resource.validate()
    if not report.valid:
        errors = [error for task in report.tasks for error in task.errors] + report.errors
        lines = [_describe(error, shown, resource) for error in errors[:MAX_ERRORS_SHOWN]]
        if len(errors) > MAX_ERRORS_SHOWN:
            lines.append(f"... and {len(errors) - MAX_ERRORS_SHOWN} more errors.")
        raise DataValidationError(
            f"{shown} does not match its description in {_shown(descriptor)}:\n" + "\n".join(lines)
        )
    fields = resource.schema.fields
    numeric = [f.name for f in fields if f.type in _DTYPES]
    table = pd.read_csv(
        descriptor.parent / resource.path,
        dtype={f.name: _DTYPES.get(f.type, "str") for f in fields},
        keep_default_na=False,  # empty text stays "", not NaN
        na_values={column: [""] for column in numeric},
    )
    return table[[f.name for f in fields]]


def _describe(error, shown: str, resource) -> str:
    """One frictionless error as 'file, row N, column 'x': what is wrong'."""
    parts = [shown]
    row = getattr(error, "row_number", None) or (getattr(error, "row_numbers", None) or [None])[0]
    if row:
        parts.append(f"row {row}")
    column = getattr(error, "field_name", None) or getattr(error, "label", None)
    if error.type == "primary-key":
        column = "', '".join(resource.schema.primary_key)
    if column:
        parts.append(f"column '{column}'")
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
    return f"{', '.join(parts)}: {kind}: {detail}"


def main() -> int:
    """Validate every data file; print 'data ok: N files' or the errors (exit status 1)."""
    try:
        validate_all()
    except DataValidationError as exc:
        print(f"data error:\n{exc}", file=sys.stderr)
        return 1
    count = len(_package(DATA_DIR / DESCRIPTOR, _signature(DATA_DIR / DESCRIPTOR)).resources)
    print(f"data ok: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
