"""Chapter 1's data tables: sources on every row, caveats carried, scenarios inside their ranges."""

from __future__ import annotations

import csv
import re

import pytest

from omcd.data import DATA_DIR, load_table, scenario_values
from omcd.models import open_vs_closed as m

TABLES = [
    "open_vs_closed_scenarios",
    "alibaba_cloud_revenue",
    "open_model_releases",
    "open_model_derivatives",
    "open_source_strategy_figures",
]


def raw(name):
    with (DATA_DIR / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", TABLES)
def test_every_row_has_a_source_and_a_date(name):
    load_table(name)
    for row in raw(name):
        assert row["source"].strip()
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["source_date"]), row


@pytest.mark.parametrize("scenario", ["alibaba_2025", "alibaba_global_share", "no_imitation_gap"])
def test_scenarios_cover_every_input_inside_its_range(scenario):
    values = scenario_values("open_vs_closed", scenario)
    assert set(values) == {p.name for p in m.PARAMS}
    m.evaluate(**values)


def test_illustrative_rows_say_so():
    for row in raw("open_vs_closed_scenarios"):
        if row["status"] == "illustrative":
            assert "illustrative" in row["note"].lower() and "illustrative" in row["source"].lower(), row


def test_scenarios_differ_from_the_default_only_where_stated():
    base = scenario_values("open_vs_closed", "alibaba_2025")

    def diff(s):
        return {k for k, v in scenario_values("open_vs_closed", s).items() if v != base[k]}

    assert diff("alibaba_global_share") == {"own_cloud_share"}
    assert diff("no_imitation_gap") == {"imitation_q_closed_per_year"}


def test_caveats_are_carried():
    rel = {r["model"]: r for r in raw("open_model_releases")}
    assert rel["Qwen2.5-Max"]["access"] == "API only" and rel["Qwen2.5-Max"]["release_date"] == "2025-01-28"
    assert rel["Qwen3"]["licence"].startswith("Apache 2.0") and rel["Qwen3"]["release_date"] == "2025-04-29"
    assert rel["DeepSeek-R1"]["licence"] == "MIT"
    figures = {r["figure"]: r for r in raw("open_source_strategy_figures")}
    assert float(figures["cloud_adjusted_ebita_margin_sep_2025"]["value"]) == pytest.approx(3604 / 39824 * 100, abs=0.1)
    assert "framing" in figures["aws_s3_launch_year"]["note"]
    revenue = {r["quarter_end"]: r for r in raw("alibaba_cloud_revenue")}
    assert "not comparable" in revenue["2023-03-31"]["note"]
    assert revenue["2025-12-31"]["confidence"] == "derived"
    assert float(revenue["2025-12-31"]["revenue_rmb_m"]) == round(31742 * 1.36)
