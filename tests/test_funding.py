"""Funding: the area contractor's risk limit under population-based funding."""

import pytest

from simulation import SocialDomainModel

CENT = 0.01  # EUR: the money is summed in floating point


@pytest.fixture(scope="module")
def by_risk_limit():
    """Three times the onset of problems: contract costs exceed the area budgets from the first year."""
    out = {}
    for limit in (0.0, 1.0):
        model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2017, risk_limit=limit, onset_multiplier=3.0)
        model.run()
        out[limit] = model.yearly().query("area != 'total'").set_index(["year", "area"])
    return out


def test_contractor_bears_no_deficit_beyond_its_risk_limit(by_risk_limit):
    """With no risk of its own the contractor never ends a year below zero; bearing all of it,
    it does in some area and year (so the limit binds)."""
    assert (by_risk_limit[0.0].provider_surplus_eur >= -CENT).all()
    assert (by_risk_limit[1.0].provider_surplus_eur < 0).any()


def test_the_municipality_pays_the_deficit_beyond_the_limit(by_risk_limit):
    """In the first year (before any reinvestment differs) the limit only moves money between
    contractor and municipality: their results add up to the same, area by area."""
    first = {k: y.loc[2016] for k, y in by_risk_limit.items()}
    total = {k: y.provider_surplus_eur + y.municipal_result_eur for k, y in first.items()}
    assert (first[1.0].provider_surplus_eur < 0).all() and (first[0.0].provider_surplus_eur.abs() < CENT).all()
    assert total[0.0].to_numpy() == pytest.approx(total[1.0].to_numpy(), rel=1e-9, abs=1e-6)
