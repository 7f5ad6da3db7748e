"""Tests of the course data (data/) and of its validating loader (omcd.data).

The broken-file tests copy data/ into a temporary folder, corrupt one cell or column with the
csv module, and check that the loader names the file, the row (header = row 1) and the column.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from omcd.data import (
    DATA_DIR,
    DataValidationError,
    load_table,
    scenario_sources,
    scenario_values,
    validate_all,
)
from omcd.models.gpu_cluster import PARAM_BY_NAME, PARAMS, evaluate

REPO = Path(__file__).resolve().parent.parent
TABLE = "gpu_cluster_scenarios"
CSV_NAME = f"{TABLE}.csv"
SCENARIOS = ["h100_2025", "hyperscaler_2025", "neocloud_2024_trough"]
PARAM_NAMES = {p.name for p in PARAMS}


def _fact_base() -> Path | None:
    """The course fact base: OMCD_FACTS_CSV, or shared/ beside the repository (as in CI and in
    the developers' checkout)."""
    candidates = [
        os.environ.get("OMCD_FACTS_CSV"),
        REPO.parent / "shared" / "facts" / "facts.csv",
        REPO.parent.parent / "shared" / "facts" / "facts.csv",
    ]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


FACTS_CSV = _fact_base()


def raw_rows(path: Path = DATA_DIR / CSV_NAME) -> list[dict[str, str]]:
    """The CSV as plain strings, read without the loader under test."""
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def row_of(scenario: str, parameter: str) -> dict[str, str]:
    (row,) = [r for r in raw_rows() if r["scenario"] == scenario and r["parameter"] == parameter]
    return row


# The real files ------------------------------------------------------------------------------


def test_real_files_validate():
    validate_all()
    assert validate_all(DATA_DIR) is None


def test_every_csv_in_data_is_a_resource_named_after_its_file():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text())
    paths = {r["path"]: r["name"] for r in descriptor["resources"]}
    csvs = sorted(p.name for p in DATA_DIR.glob("*.csv"))
    assert csvs and sorted(paths) == csvs
    assert all(name == Path(path).stem for path, name in paths.items())


def test_descriptor_metadata_and_schema():
    descriptor = json.loads((DATA_DIR / "datapackage.json").read_text())
    assert descriptor["name"] and descriptor["title"] and descriptor["sources"]
    assert [lic["name"] for lic in descriptor["licenses"]] == ["CC-BY-4.0"]
    (resource,) = [r for r in descriptor["resources"] if r["name"] == TABLE]
    schema = resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == list(raw_rows()[0].keys())  # the header of the real file
    assert all(f.get("description") and "unit" in f and "type" in f for f in fields.values())
    assert fields["value"]["type"] == "number"
    assert fields["value"]["constraints"]["minimum"] == 0
    # "uncertain": a figure reported by one secondary source, shown with its caveat (issue 12).
    assert set(fields["status"]["constraints"]["enum"]) == {"sourced", "derived", "illustrative", "uncertain"}
    assert schema["primaryKey"] == ["scenario", "parameter"]
    # The allowed parameter names are the calculator's inputs, no more, no fewer.
    assert set(fields["parameter"]["constraints"]["enum"]) == PARAM_NAMES


def test_load_table_types_and_copies():
    table = load_table(TABLE)
    assert isinstance(table, pd.DataFrame)
    assert len(table) == len(raw_rows()) == 13 * len(SCENARIOS)
    assert table["value"].dtype == "float64"
    assert table.loc[table["fact_ids"] == "", "fact_ids"].size > 0  # empty text stays ""
    table.loc[0, "value"] = -1.0  # the caller's copy, not the cache
    assert load_table(TABLE).loc[0, "value"] != -1.0


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_has_every_parameter_inside_its_range(scenario):
    values = scenario_values("gpu_cluster", scenario)
    assert set(values) == PARAM_NAMES and len(values) == 13
    for name, value in values.items():
        PARAM_BY_NAME[name].check(value)  # raises with the parameter's range
    evaluate(**values)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario_sources_match_values(scenario):
    sources = scenario_sources("gpu_cluster", scenario)
    assert list(sources.columns) == ["parameter", "value", "unit", "status", "source", "source_date", "note"]
    assert dict(zip(sources["parameter"], sources["value"])) == scenario_values("gpu_cluster", scenario)


def test_unknown_scenario_lists_the_available_ones():
    with pytest.raises(ValueError) as info:
        scenario_values("gpu_cluster", "h100_1999")
    assert "h100_1999" in str(info.value)
    assert all(name in str(info.value) for name in SCENARIOS)


def test_every_row_has_source_date_and_note():
    for row in raw_rows():
        where = f"{row['scenario']}/{row['parameter']}"
        assert row["source"].strip(), where
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["source_date"]), where
        assert row["note"].strip(), where


def test_illustrative_rows_say_so():
    for row in raw_rows():
        where = f"{row['scenario']}/{row['parameter']}"
        if row["status"] == "illustrative":
            assert "illustrative" in row["note"].lower(), where
        if "assumption" in row["source"].lower():
            assert row["status"] == "illustrative", where
        if row["status"] == "sourced":
            assert not row["source"].lower().startswith("illustrative"), where


def test_scenarios_carry_the_fact_base_figures():
    # Figures from the fact base (F9.4-F9.7) and the brief, not from the loader.
    assert float(row_of("hyperscaler_2025", "price_usd_per_gpu_hour")["value"]) == 6.9
    assert "uncertain" in row_of("hyperscaler_2025", "price_usd_per_gpu_hour")["note"].lower()
    assert float(row_of("hyperscaler_2025", "pue")["value"]) == 1.09
    assert float(row_of("hyperscaler_2025", "depreciation_life_years")["value"]) == 6
    assert float(row_of("neocloud_2024_trough", "price_usd_per_gpu_hour")["value"]) == 2.0
    assert row_of("neocloud_2024_trough", "price_usd_per_gpu_hour")["fact_ids"] == "F9.5"
    electricity = row_of("h100_2025", "electricity_usd_per_kwh")
    assert electricity["status"] == "sourced" and "EIA" in electricity["source"]
    assert float(electricity["value"]) == pytest.approx(8.15 / 100)


@pytest.mark.parametrize(
    "scenario, changed",
    [
        ("hyperscaler_2025", {"price_usd_per_gpu_hour", "pue", "economic_life_years", "depreciation_life_years"}),
        ("neocloud_2024_trough", {"price_usd_per_gpu_hour"}),
    ],
)
def test_other_scenarios_differ_from_the_default_only_where_stated(scenario, changed):
    base = {r["parameter"]: r["value"] for r in raw_rows() if r["scenario"] == "h100_2025"}
    other = {r["parameter"]: r["value"] for r in raw_rows() if r["scenario"] == scenario}
    assert {name for name in base if float(base[name]) != float(other[name])} == changed


def test_fact_ids_of_every_table_exist_in_the_fact_base():
    if FACTS_CSV is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the fact base shared/facts/facts.csv was not found beside the repository")
        pytest.skip("fact base not found: set OMCD_FACTS_CSV")
    with FACTS_CSV.open(newline="", encoding="utf-8") as f:
        known = {row["id"] for row in csv.DictReader(f)}
    unknown, cited = {}, 0
    for path in sorted(DATA_DIR.glob("*.csv")):
        table = load_table(path.stem)
        if "fact_ids" not in table.columns:
            continue
        for ids in table["fact_ids"].dropna().astype(str):
            for fact in filter(None, (i.strip() for i in ids.split(";"))):
                cited += 1
                if fact not in known:
                    unknown.setdefault(path.name, set()).add(fact)
    assert cited > 50, f"only {cited} fact ids cited across data/"
    assert not unknown, f"fact ids not in the fact base: {unknown}"


# Broken files --------------------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def rewrite(folder: Path, edit) -> None:
    """Apply ``edit`` to the CSV's rows (a list of lists, header first) and save it."""
    path = folder / CSV_NAME
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def set_cell(data_row: int, column: str, text: str):
    """An edit that puts ``text`` in ``column`` of data row ``data_row`` (file row data_row + 1)."""

    def edit(rows):
        rows[data_row][rows[0].index(column)] = text

    return edit


def load_error(folder: Path) -> str:
    with pytest.raises(DataValidationError) as info:
        load_table(TABLE, folder)
    return str(info.value)


def assert_names(message: str, row: int, column: str) -> None:
    assert CSV_NAME in message, message
    assert re.search(rf"\brow {row}\b", message), message
    assert f"'{column}'" in message, message


def test_missing_column(data_copy):
    def drop_value(rows):
        i = rows[0].index("value")
        for r in rows:
            del r[i]

    rewrite(data_copy, drop_value)
    assert_names(load_error(data_copy), row=1, column="value")


def test_text_in_a_number_column(data_copy):
    rewrite(data_copy, set_cell(3, "value", "abc"))
    message = load_error(data_copy)
    assert_names(message, row=4, column="value")
    assert "abc" in message


def test_value_breaking_a_constraint(data_copy):
    rewrite(data_copy, set_cell(7, "value", "-5"))
    message = load_error(data_copy)
    assert_names(message, row=8, column="value")
    assert "minimum" in message


def test_infinite_value(data_copy):
    rewrite(data_copy, set_cell(2, "value", "INF"))
    assert_names(load_error(data_copy), row=3, column="value")


def test_bad_status(data_copy):
    rewrite(data_copy, set_cell(12, "status", "guessed"))
    message = load_error(data_copy)
    assert_names(message, row=13, column="status")
    assert "guessed" in message


def test_unknown_parameter(data_copy):
    rewrite(data_copy, set_cell(5, "parameter", "gpu_price_eur"))
    assert_names(load_error(data_copy), row=6, column="parameter")


def test_empty_source(data_copy):
    rewrite(data_copy, set_cell(20, "source", ""))
    assert_names(load_error(data_copy), row=21, column="source")


def test_duplicate_scenario_and_parameter(data_copy):
    rewrite(data_copy, set_cell(2, "parameter", "gpu_price_usd"))  # row 1 already has it
    message = load_error(data_copy)
    assert_names(message, row=3, column="parameter")
    assert "primary key" in message


def test_extra_column(data_copy):
    def add_column(rows):
        for r in rows:
            r.append("extra")

    rewrite(data_copy, add_column)
    message = load_error(data_copy)
    assert CSV_NAME in message and "row 1" in message and "extra" in message


def test_missing_file(data_copy):
    (data_copy / CSV_NAME).unlink()
    assert CSV_NAME in load_error(data_copy)


def test_unknown_table():
    with pytest.raises(DataValidationError, match="no_such_table"):
        load_table("no_such_table")


def test_undescribed_csv_fails_validate_all(data_copy):
    (data_copy / "stray_table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="stray_table.csv"):
        validate_all(data_copy)


def test_validate_all_reports_the_broken_file(data_copy):
    rewrite(data_copy, set_cell(1, "value", "1O0"))  # letter O
    with pytest.raises(DataValidationError) as info:
        validate_all(data_copy)
    assert_names(str(info.value), row=2, column="value")


def test_an_edit_after_loading_is_seen(data_copy):
    load_table(TABLE, data_copy)
    rewrite(data_copy, set_cell(4, "value", "not a number"))
    assert_names(load_error(data_copy), row=5, column="value")


def test_error_is_a_value_error():
    assert issubclass(DataValidationError, ValueError)


# Command line -------------------------------------------------------------------------------


def test_command_line_ok():
    result = subprocess.run([sys.executable, "-m", "omcd.data"], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"data ok: {len(list(DATA_DIR.glob('*.csv')))} files"


def test_command_line_fails_on_a_broken_file(data_copy):
    # The build's check, run as the build runs it, from the folder holding the (broken) data/.
    rewrite(data_copy, set_cell(9, "status", "maybe"))
    result = subprocess.run(
        [sys.executable, "-m", "omcd.data"], cwd=data_copy.parent, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stdout
    assert_names(result.stderr, row=10, column="status")
    assert "Traceback" not in result.stderr


def test_all_sources_lists_every_cited_source_once_per_date():
    from omcd.data import all_sources, load_table

    sources = all_sources()
    assert not sources.duplicated(["source", "source_date"]).any()
    assert (sources["source"].str.len() >= 5).all() and (sources["source_date"].str.len() >= 4).all()
    scenarios = load_table("gpu_cluster_scenarios")
    for source in scenarios["source"]:
        row = sources[sources["source"] == source.strip()]
        assert not row.empty and "gpu_cluster_scenarios" in row["tables"].iloc[0]
