"""Chapter 2's data files: scenarios complete and inside the calculators' ranges, every row sourced
and dated, illustrative values labelled, and the fact base's caveats carried in the rows."""

import csv
import re

import pytest

from omcd.data import DATA_DIR, load_table, scenario_values
from omcd.models import price_war, release_race

TABLES = [
    "release_race_scenarios",
    "price_war_scenarios",
    "price_war_2024",
    "inference_price_trends",
    "deepseek_shock",
    "china_ai_policy",
]
SCENARIOS = {
    "release_race": (release_race, ["deepseek_shock_2025", "incumbent_vs_challenger"]),
    "price_war": (price_war, ["llmflation_2022", "inelastic_demand"]),
}


def raw(table):
    with (DATA_DIR / f"{table}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("table", TABLES)
def test_every_row_is_sourced_and_dated(table):
    load_table(table)  # validates against datapackage.json
    for row in raw(table):
        assert len(row["source"].strip()) >= 5, row
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", row["source_date"]), row
        assert row["note"].strip(), row


@pytest.mark.parametrize("calculator", list(SCENARIOS))
def test_scenarios_complete_and_in_range(calculator):
    module, names = SCENARIOS[calculator]
    for name in names:
        values = scenario_values(calculator, name)
        assert set(values) == {p.name for p in module.PARAMS}
        module.evaluate(**values)  # raises if a value is out of range


@pytest.mark.parametrize("table", ["release_race_scenarios", "price_war_scenarios"])
def test_illustrative_rows_say_so(table):
    for row in raw(table):
        if row["status"] == "illustrative":
            assert "illustrative" in row["note"].lower() and "illustrative" in row["source"].lower(), row


def test_caveats_are_in_the_rows():
    policy = {r["item"]: r for r in raw("china_ai_policy")}
    assert policy["article_claim_300bn"]["status"] == "unsourced"
    assert policy["plan_related_industries_2030"]["status"] == "unverified"
    assert "forecast" in policy["china_ai_capex_2025_forecast"]["note"].lower()
    deepseek = {r["item"]: r for r in raw("deepseek_shock")}
    assert "excluding" in deepseek["v3_final_run_cost_usd"]["note"]
    assert all(deepseek[k]["status"] == "estimate" for k in ("hardware_spend_usd", "server_capex_usd"))


def test_observed_price_fall_is_the_largest_on_record():
    """The price war's warning bound is the largest fall of one capability's price in data/."""
    trends = load_table("inference_price_trends")
    falls = []
    for _, rows in trends.groupby("series"):
        rows = rows.sort_values("date")
        falls.append(rows["price_usd_per_million_tokens"].iloc[0] / rows["price_usd_per_million_tokens"].iloc[-1])
    assert price_war.OBSERVED_PRICE_FALL == pytest.approx(max(falls))
