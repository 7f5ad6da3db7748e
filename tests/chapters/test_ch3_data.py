"""Chapter 3's data tables: scenarios inside the calculators' ranges, sources on every row,
the Synergy-only market series, and fact ids that exist in the course fact base."""

from __future__ import annotations

import pytest

from omcd.data import load_table, scenario_values
from omcd.models import ai_buildout, token_cost

TABLES = [
    "cloud_market_share",
    "hyperscaler_capex",
    "api_list_prices",
    "ai_case_study_shares",
    "token_cost_scenarios",
    "ai_buildout_scenarios",
]
SCENARIOS = [
    ("token_cost", token_cost, s) for s in ("h100_rented_2025", "deepseek_disclosed_2025", "hyperscaler_list_2025")
] + [("ai_buildout", ai_buildout, "alibaba_plan_2025")]


@pytest.mark.parametrize("calculator, module, scenario", SCENARIOS)
def test_scenarios_are_complete_and_inside_the_ranges(calculator, module, scenario):
    values = scenario_values(calculator, scenario)
    assert set(values) == {p.name for p in module.PARAMS}
    for name, value in values.items():
        module.PARAM_BY_NAME[name].check(value)
    module.evaluate(**values)


@pytest.mark.parametrize("table", TABLES)
def test_every_row_has_a_source_and_a_date(table):
    rows = load_table(table)
    assert len(rows) > 0
    assert (rows["source"].str.len() > 5).all() and (rows["source_date"].str.len() >= 4).all()


def test_illustrative_scenario_rows_say_so():
    for table in ("token_cost_scenarios", "ai_buildout_scenarios"):
        rows = load_table(table)
        for row in rows.itertuples():
            if row.status == "illustrative":
                assert "illustrative" in row.note.lower(), (table, row.scenario, row.parameter)


def test_market_series_is_synergy_only_and_shares_add_up():
    shares = load_table("cloud_market_share")
    assert shares["source"].str.contains("Synergy").all()
    assert not shares["source"].str.contains("Canalys").any()
    for quarter, rows in shares.groupby("quarter"):
        assert rows["share_pct"].sum() <= 100, quarter
        assert rows["market_usd_bn"].nunique() == 1, quarter


def test_case_study_split_is_labelled_as_case_studies():
    cases = load_table("ai_case_study_shares")
    ai = cases[cases["measure"] == "AI case studies"].set_index("provider")["share_pct"].to_dict()
    assert ai == {"Microsoft": 45, "AWS": 34, "Google": 17}
    assert cases["note"].str.contains("case stud", case=False).all()


def test_alibaba_plan_conversion():
    # RMB 380bn over three years at 7.2734 RMB per USD (Feb 2025) = USD 17.415bn a year -> 17.4
    rate = load_table("exchange_rates").set_index("month").loc["2025-02", "rmb_per_usd"]
    assert round(380 / 3 / rate, 1) == scenario_values("ai_buildout", "alibaba_plan_2025")["capex_usd_bn_per_year"]
    capex = load_table("hyperscaler_capex").set_index("company")
    assert round(120 / rate, 1) == capex.loc["Alibaba", "capex_usd_bn"]
