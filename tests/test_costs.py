"""Costs: a customised provision costs its formal hours at the domain's hourly tariff plus a
twelfth of its yearly cost per client, in the prices of the year."""

import runpy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation import SocialDomainModel
from simulation.funding import CONTRACT_BUDGET_LINES
from simulation.needs import DOMAINS, Status

DATA = Path(simulation.__file__).parent / "data" / "emmen"
TARIFFS = pd.read_csv(DATA / "tariffs.csv", comment="#")
CPI = pd.read_csv(DATA / "price_index.csv", comment="#").set_index("year").cpi
WAGES = pd.read_csv(DATA / "care_wages.csv", comment="#").set_index("year").cao_wage
TARIFFS = TARIFFS.set_index("domain").loc[[d.name for d in DOMAINS]]
LINE_OF_DOMAIN = {"household_help": "household_help", "individual_support": "support", "day_activities": "support",
                  "debt_help": "support", "aids_adaptations": "aids_adaptations", "youth_care": "youth_care"}
WEEKS_PER_MONTH = 52 / 12
TARIFF_YEAR = 2023


def test_customised_provisions_cost_hours_at_the_tariff_plus_the_yearly_cost_per_client():
    """Staff-bound provisions at the labour index (the labour share at the care wage index, the rest
    at the price index; no shortage premium before the wage data end, no hired staff here), aids at
    the price index; the aid of a household-help client who has one (``Provisions.aided``) on the
    aids line."""
    inflation, labour = 0.04, 0.7
    model = SocialDomainModel("baseline", rng=6, scale=0.05, end_year=2016, cost_inflation=inflation,
                              tariff_labour_share=labour, agency_fill_share=0.0, bridging_share_heavy=0.0)
    p, households = model.population.persons, model.population.households
    hours = TARIFFS[["hours_light", "hours_medium", "hours_heavy"]].to_numpy()
    prices = CPI[2016] / CPI[TARIFF_YEAR]
    index = np.where(TARIFFS.profession.to_numpy() == "none", prices,
                     labour * WAGES[2016] / WAGES[TARIFF_YEAR] + (1 - labour) * prices)
    expected = {}  # (line, area index) -> EUR in the year
    for _ in range(12):
        model.step()
        clients = model.needs.with_status(Status.CUSTOM)  # those who received a provision this month
        domain, severity = p.need_domain[clients], p.need_severity[clients]
        month_eur = ((hours[domain, severity] * TARIFFS.eur_per_hour.to_numpy()[domain] * WEEKS_PER_MONTH
                      + TARIFFS.eur_per_client_year.to_numpy()[domain] / 12) * index[domain])
        areas = households.area[p.household[clients]]
        aids = [d.name for d in DOMAINS].index("aids_adaptations")
        aid_eur = TARIFFS.eur_per_client_year.iloc[aids] / 12 * index[aids]
        with_aid = np.isin(clients, model.provisions.aided(clients))
        for d, a, eur, aid in zip(domain, areas, month_eur, with_aid):
            key = (LINE_OF_DOMAIN.get(DOMAINS[d].name), a)
            expected[key] = expected.get(key, 0.0) + eur
            if DOMAINS[d].name == "household_help" and aid:
                expected[("aids_adaptations", a)] = expected.get(("aids_adaptations", a), 0.0) + aid_eur
    yearly = model.yearly().query("area != 'total'").reset_index(drop=True)
    for line in set(LINE_OF_DOMAIN.values()):
        want = np.array([expected.get((line, a), 0.0) for a in range(len(yearly))])
        assert want.sum() > 0, line
        assert yearly[f"cost_{line}_eur"].to_numpy() == pytest.approx(want, rel=1e-9)


def test_clients_waiting_for_a_provider_get_bridging_care_if_urgent_and_go_without_the_rest():
    """A client waiting for a provider would cost their provision's price once served: with a heavy
    (urgent) problem they get ``bridging_share_heavy`` of it as bridging care from hired staff at
    ``agency_premium`` times that price, booked to the line of the domain, and go without the rest
    (``care_not_delivered_eur``); the others go without all of it (``bridging_share`` 0). A request
    waiting for the access team's investigation goes without the same price's care, urgent or not:
    the team delivers none."""
    share, premium = 0.4, 1.6
    model = SocialDomainModel("baseline", rng=2, scale=0.05, end_year=2016, warm_up_months=36, opens_after_months=36,
                              bridging_share_heavy=share, agency_premium=premium)
    p = model.population.persons
    hours = TARIFFS[["hours_light", "hours_medium", "hours_heavy"]].to_numpy()
    bridging, missed, heavy_waits, queued_missed = 0.0, 0.0, 0, 0.0

    def price(ids):
        domain, severity = p.need_domain[ids], p.need_severity[ids]
        return ((hours[domain, severity] * TARIFFS.eur_per_hour.to_numpy()[domain] * WEEKS_PER_MONTH
                 + TARIFFS.eur_per_client_year.to_numpy()[domain] / 12) * model.costs.domain_index(2016)[domain])

    for _ in range(12):
        model.step()
        waiting = model.needs.with_status(Status.CUSTOM_WAIT)  # those who waited at this month's costs
        served = price(waiting)
        heavy = p.need_severity[waiting] == 2
        heavy_waits += heavy.sum()
        bridging += (served[heavy] * share * premium).sum()
        missed += served[heavy].sum() * (1 - share) + served[~heavy].sum()
        queued_missed += price(model.needs.with_status(Status.QUEUED)).sum()
    missed += queued_missed
    y = model.yearly().query("area == 'total'").iloc[0]
    assert heavy_waits > 0 and queued_missed > 0  # some waited for a provider, some urgent, some for the team
    assert y.bridging_eur == pytest.approx(bridging, rel=1e-9)
    assert y.care_not_delivered_eur == pytest.approx(missed, rel=1e-9)


def test_other_payers_pay_per_escalation_per_wlz_resident_and_informal_hours_at_their_prices():
    """The other payers' accounts, from the model's events at the ``other_payers`` prices (2023)
    in the year's labour index: the health insurance per escalation while waiting (as crisis care,
    the municipality's, per escalation), the Wlz per resident-month of those who left the Wmo for
    it, the informal carers' hours at the shadow price; and the societal cost adds them to the
    municipality's."""
    zvw, wlz, hour = 700.0, 60000.0, 20.0
    model = SocialDomainModel("baseline", rng=3, scale=0.05, end_year=2016, zvw_eur_per_escalation_wmo=zvw,
                              zvw_eur_per_escalation_other=zvw, wlz_eur_per_client_year=wlz, informal_eur_per_hour=hour)
    labour = model.costs.labour_index(2016)
    wlz_eur, informal_eur = 0.0, 0.0
    for _ in range(12):
        model.step()
        wlz_eur += model.long_term_care.residents_by_area().sum() * wlz / 12 * labour
        informal_eur += model.informal_care.hours_given.sum() * hour * labour
    y = model.yearly().query("area == 'total'").iloc[0]
    assert y.escalations_while_waiting > 0 and y.wlz_residents > 0
    crisis = model.config.needs.crisis_eur_per_escalation
    assert y.other_payers_zvw_eur == pytest.approx(y.cost_crisis_eur * zvw / crisis, rel=1e-9)
    assert y.other_payers_zvw_eur == pytest.approx(y.escalations_while_waiting * zvw * labour, rel=1e-9)
    assert y.other_payers_wlz_eur == pytest.approx(wlz_eur, rel=1e-9)
    assert y.informal_care_value_eur == pytest.approx(informal_eur, rel=1e-9)
    assert y.informal_care_value_eur == pytest.approx(y.carer_hours * hour * labour, rel=1e-9)
    assert y.cost_societal_eur == pytest.approx(y.cost_total_eur + y.other_payers_zvw_eur + y.other_payers_wlz_eur
                                                + y.informal_care_value_eur + y.care_not_delivered_eur, rel=1e-12)


def test_one_price_path_observed_then_assumed_for_tariffs_budgets_and_reporting():
    """The price index is the data set's CPI relative to 2023 up to its last year, then grows by
    funding.cost_inflation; budgets after the budget table follow the same path (no real growth
    by default; the contract lines its labour-weighted form), and the yearly table reports it with real cost and budget."""
    inflation = 0.04
    model = SocialDomainModel("baseline", rng=6, scale=0.05, end_year=2016, cost_inflation=inflation)
    last = int(CPI.index.max())
    for year in (2015, 2017, 2021, last):
        assert model.costs.index(year) == pytest.approx(CPI[year] / CPI[TARIFF_YEAR], rel=1e-12)
    assert model.costs.index(last + 10) == pytest.approx(CPI[last] / CPI[TARIFF_YEAR] * (1 + inflation) ** 10, rel=1e-12)
    budget, costs = model.municipality.budget, model.costs
    for line, eur in budget(2021).items():
        # the contract sums follow the tariffs' labour index (OVA), without the shortage premium
        index = costs.labour_index if line in CONTRACT_BUDGET_LINES else costs.index
        assert budget(2030)[line] == pytest.approx(eur * index(2030) / index(2021), rel=1e-12)
    model.run()
    y = model.yearly()
    assert (y.price_index == model.costs.index(2016)).all()
    assert np.allclose(y.cost_total_eur_real * y.price_index, y.cost_total_eur)
    assert np.allclose(y.budget_eur_real * y.price_index, y.budget_eur)


def test_care_wage_index_observed_then_assumed():
    """The care wage index is the data set's CAO wages relative to 2023 up to its last year, then
    grows by labour_market.wage_growth; the yearly table reports it."""
    model = SocialDomainModel("baseline", rng=6, scale=0.02, end_year=2016, wage_growth=0.03)
    last = int(WAGES.index.max())
    for year in (2015, 2017, last):
        assert model.costs.wage_index(year) == pytest.approx(WAGES[year] / WAGES[TARIFF_YEAR], rel=1e-12)
    assert model.costs.wage_index(last + 5) == pytest.approx(WAGES[last] / WAGES[TARIFF_YEAR] * 1.03 ** 5, rel=1e-12)
    model.run()
    assert (model.yearly().care_wage_index == model.costs.wage_index(2016)).all()


def test_2017_cost_of_every_budget_line_within_ten_percent_at_1_to_1():
    """experiments/budget_2017.py at the defaults, 1:1, mean of 3 replications (a run to 2017 is
    short; at 10% one seed's youth-care line alone spreads by about +-10%): every budget line of
    Emmen's 2017 table within +-10% (issue: the 2017 cost by budget line at the default parameters)."""
    budget_2017 = runpy.run_path(str(Path(__file__).resolve().parent.parent / "experiments" / "budget_2017.py"))
    ratio = budget_2017["comparison"](seed=1, scale=1.0, replications=3).ratio
    assert len(ratio) == 8  # the seven lines and the total
    for line in ratio.index:
        assert abs(ratio[line] - 1) <= budget_2017["TOLERANCE"], (line, ratio[line])
