"""Contractors that act on the incentive of their funding scheme (contractors.py): paired seeds
at a small scale, each scheme's difference from population-based funding (the baseline)."""

import numpy as np
import pytest
from scipy import stats

from simulation import SocialDomainModel
from simulation.contractors import CONTRACT_DOMAINS

SEEDS = (1, 2, 3, 4)
SCHEMES = ("population", "fee_for_service", "shared_savings")


@pytest.fixture(scope="module")
def per_seed():
    """Mean per year, 2016-2025, whole municipality, by (scheme, seed), at 5% scale."""
    out = {}
    for seed in SEEDS:
        for scheme in SCHEMES:
            model = SocialDomainModel("baseline", rng=seed, scale=0.05, end_year=2025, scheme=scheme)
            model.run()
            out[scheme, seed] = model.yearly().query("area == 'total'")[["cost_total_eur", "unmet_need_person_months"]].mean()
    return out


def paired_difference(per_seed, scheme, indicator):
    """The mean paired difference from the baseline and the one-sided 95% bound of its noise
    (Student t times the standard error of the paired differences)."""
    d = np.array([per_seed[scheme, s][indicator] - per_seed["population", s][indicator] for s in SEEDS])
    return d.mean(), stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))


@pytest.mark.parametrize("scheme, indicator", [("fee_for_service", "cost_total_eur"),
                                                ("fee_for_service", "unmet_need_person_months"),
                                                ("shared_savings", "cost_total_eur")])
def test_payment_per_unit_costs_more_and_fee_for_service_leaves_more_need_unmet(per_seed, scheme, indicator):
    """Paid per unit, contractors deliver more hours per client (and under fee-for-service end
    care later): the same staff serves fewer clients, so more wait, and the municipality pays
    more than under a fixed area budget."""
    mean, noise = paired_difference(per_seed, scheme, indicator)
    assert mean > noise > 0


def test_contractors_deliver_the_hours_their_scheme_rewards():
    """The providers' formal hours per client in the contract domains follow the scheme; other
    domains (youth care, aids) keep the tariff table's hours."""
    hours = {}
    for scheme in SCHEMES:
        model = SocialDomainModel("baseline", rng=1, scale=0.02, end_year=2016, scheme=scheme)
        model.run()
        hours[scheme] = model.providers.formal_hours_table
    c = model.config.contractors
    ratio = hours["fee_for_service"][CONTRACT_DOMAINS] / hours["population"][CONTRACT_DOMAINS]
    assert ratio == pytest.approx(c.fee_for_service_hours_factor / c.population_hours_factor)
    assert (hours["shared_savings"][CONTRACT_DOMAINS] > hours["population"][CONTRACT_DOMAINS]).any()
    assert (hours["fee_for_service"][~CONTRACT_DOMAINS] == hours["population"][~CONTRACT_DOMAINS]).all()


def test_under_a_fixed_budget_contractors_run_general_places_in_place_of_customised_care():
    """The general places a contractor runs take light and medium problems the access team would
    otherwise have sent to customised care: more general-provision clients, less customised
    household help and support, and the places are the contractor's to pay."""
    out, models = {}, {}
    for places in (0.0, 4.0):
        model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2018, contractor_places_per_1000=places)
        model.run()
        models[places] = model
        out[places] = model.yearly().query("area == 'total'").set_index("year")
    assert (out[4.0].general_provision_clients > out[0.0].general_provision_clients).all()
    assert (out[4.0].outcome_customised < out[0.0].outcome_customised).all()
    customised = {k: t.cost_household_help_eur + t.cost_support_eur for k, t in out.items()}
    assert (customised[4.0] < customised[0.0]).all()
    run = models[4.0]
    eur = run.contractors.general_places().sum() * run.config.funding.general_place_eur_year * run.costs.index(2018)
    gap = out[4.0].cost_general_provisions_eur - out[0.0].cost_general_provisions_eur
    assert gap.loc[2018] == pytest.approx(eur)
    assert run.contractors.general_places().sum() > 0
