"""The municipality's budget after the budget table: prices times volume (the Gemeentefonds'
rule), or prices only as a scenario."""

import numpy as np
import pytest

from simulation import SocialDomainModel
from simulation.funding import CONTRACT_BUDGET_LINES

RUN = dict(scale=0.03, end_year=2032, warm_up_months=0)  # the budgets, not the stocks, are under test
LAST = 2021  # the budget table's last year


@pytest.fixture(scope="module")
def by_rule():
    out = {}
    for rule in ("prices_volume", "prices"):
        model = SocialDomainModel("baseline", rng=5, **RUN, **{"funding.budget_rule": rule})
        model.run()
        out[rule] = model
    return out


def test_after_the_table_each_budget_line_grows_with_its_need_weighted_residents_and_prices(by_rule):
    model = by_rule["prices_volume"]
    costs, m = model.costs, model.municipality
    for year in (2025, 2032):
        budget, before = m.budget(year), m.budget(LAST)
        volume, then = m.line_volume(year), m.line_volume(LAST)
        for line in ("huishoudelijke_hulp", "wmo_voorzieningen", "jeugdhulp"):
            index = costs.labour_index if line in CONTRACT_BUDGET_LINES else costs.index
            expected = before[line] * index(year) / index(LAST) * volume[line] / then[line]
            assert budget[line] == pytest.approx(expected, rel=1e-12), (line, year)


def test_ageing_raises_the_wmo_budget_and_fewer_children_lower_youth_care_relative_to_prices(by_rule):
    volume, prices = by_rule["prices_volume"].municipality, by_rule["prices"].municipality
    assert volume.budget(LAST) == prices.budget(LAST)  # the table itself is the same
    ratio = {line: volume.budget(2032)[line] / prices.budget(2032)[line] for line in volume.budget(2032)}
    assert ratio["wmo_voorzieningen"] > 1.05 and ratio["huishoudelijke_hulp"] > 1.05
    assert ratio["jeugdhulp"] < 0.95


def test_the_volume_is_counted_once_a_year_on_the_residents_of_january(by_rule):
    model = by_rule["prices_volume"]
    years = sorted(model.municipality.volumes)
    assert years == list(range(model.config.run.start_year, RUN["end_year"] + 1))
    assert len({v["jeugdhulp"] for v in model.municipality.volumes.values()}) == len(years)  # the residents change


def test_under_the_prices_rule_a_budget_keeps_its_real_value(by_rule):
    model = by_rule["prices"]
    costs, m = model.costs, model.municipality
    assert m.budget(2030)["wmo_voorzieningen"] == pytest.approx(
        m.budget(LAST)["wmo_voorzieningen"] * costs.index(2030) / costs.index(LAST), rel=1e-12)
    assert np.isfinite(model.yearly().budget_eur).all()
