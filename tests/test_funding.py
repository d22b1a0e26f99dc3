"""Funding: the area contractor's risk limit under population-based funding."""

import numpy as np
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


@pytest.mark.parametrize("onset, binds", [(1.0, "ceiling"), (3.0, "floor")])
def test_reserve_stays_between_zero_and_its_ceiling_and_the_rest_goes_to_the_general_fund(onset, binds):
    """The reserve rule: the result goes into the reserve; above the (price-indexed) ceiling the
    excess returns to the general fund, a deficit beyond the reserve is paid from it. A low
    ceiling binds in the baseline's surplus years; three times the onset of problems empties it."""
    ceiling = 1_000_000.0
    model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2018, onset_multiplier=onset,
                              reserve_ceiling_eur=ceiling)
    model.run()
    t = model.yearly().query("area == 'total'").set_index("year")
    cap = ceiling * 0.05 * np.array([model.costs.index(y) / model.costs.index(2019) for y in t.index])
    unruled = t.reserve_eur + t.municipal_result_eur
    assert t.reserve_end_eur.to_numpy() == pytest.approx(np.clip(unruled, 0.0, cap), abs=CENT)
    assert t.general_fund_eur.to_numpy() == pytest.approx(unruled - t.reserve_end_eur, abs=CENT)
    if binds == "ceiling":
        assert (t.general_fund_eur > 0).any() and np.isclose(t.reserve_end_eur, cap).any()
    else:
        assert (t.general_fund_eur < 0).any() and (t.reserve_end_eur.abs() < CENT).any()
