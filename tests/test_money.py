"""Providers, staff, costs and funding: money accounting and scenario directions."""

import numpy as np
import pytest

import shared_runs
from simulation.costs import LINES
from simulation.outputs import TOTAL  # noqa: F401 (used in query strings as @TOTAL)

RUN = dict(scale=0.05, warm_up_months=36)
SEEDS = (1, 2, 3)


# the last year this file's baseline runs reach, by scale: one run per seed to it serves the
# tests that need fewer years (a run's first years do not depend on its end year), and
# test_pathway's and test_scenarios' baselines, which have the same settings
BASELINE_TO = {RUN["scale"]: 2020, 0.1: 2030}


def totals(seed, end_year, params=(), scale=RUN["scale"]):
    """The yearly table of a run to ``end_year`` (the session's shared runs, shared_runs.py)."""
    table = shared_runs.yearly(rng=seed, end_year=end_year if params else max(end_year, BASELINE_TO.get(scale, end_year)),
                               **{**RUN, "scale": scale}, **dict(params))
    return table[table.year <= end_year]


def test_money_accounting_holds_every_year_and_area(small_yearly):
    """The budgets include the personal contributions (Emmen's budget table), so the identity has
    no separate contribution income."""
    y = small_yearly
    lhs = y.budget_eur
    rhs = y.cost_total_eur + y.prevention_spend_eur + y.provider_surplus_eur + y.municipal_result_eur
    assert np.allclose(lhs, rhs, rtol=0, atol=1e-3 * y.budget_eur.abs().max())
    assert (y.budget_eur > 0).all()
    assert np.allclose(y.cost_total_eur, y[[f"cost_{line}_eur" for line in LINES]].sum(axis=1))


def test_personal_contributions_are_counted_once():
    """Doubling every contribution rate (which changes no one's behaviour: opting out depends on
    the regime, not the amount) doubles the contributions collected but leaves the budgets and
    the municipal result unchanged: the budgets already include them."""
    rates = dict(flat_rate_eur_month=19.0, middle_income_eur_month=60.0, high_income_eur_month=150.0)
    base = totals(1, 2019, tuple(rates.items())).query("area == @TOTAL").set_index("year")
    double = totals(1, 2019, tuple((k, 2 * v) for k, v in rates.items())).query("area == @TOTAL").set_index("year")
    assert (base.personal_contribution_eur > 0).all()
    assert np.allclose(double.personal_contribution_eur, 2 * base.personal_contribution_eur)
    for column in ("budget_eur", "cost_total_eur", "municipal_result_eur", "reserve_end_eur"):
        assert np.array_equal(double[column], base[column]), column


def test_reserve_changes_by_the_municipal_result_less_what_goes_to_the_general_fund(small_yearly):
    t = small_yearly.query("area == @TOTAL").set_index("year")
    assert np.allclose(t.reserve_end_eur, t.reserve_eur + t.municipal_result_eur - t.general_fund_eur)
    assert np.allclose(t.reserve_eur.to_numpy()[1:], t.reserve_end_eur.to_numpy()[:-1])
    assert small_yearly.query("area != @TOTAL").reserve_eur.isna().all()


@pytest.mark.parametrize("scheme", ["population", "fee_for_service", "shared_savings"])
def test_every_funding_scheme_balances(scheme):
    y = totals(1, 2019, (("scheme", scheme),))
    lhs = y.budget_eur
    rhs = y.cost_total_eur + y.prevention_spend_eur + y.provider_surplus_eur + y.municipal_result_eur
    assert np.allclose(lhs, rhs, atol=1.0)
    if scheme == "fee_for_service":
        assert (y.provider_surplus_eur.abs() < 1.0).all() and (y.prevention_spend_eur == 0).all()


def test_shrinking_labour_supply_grows_provider_waits_and_unmet_need_and_does_not_save_money():
    """Supply shrinking 2%/year against the baseline's growth: fewer staff in every run;
    longer waiting lists, more unmet need, in persons and in person-months, and more escalations
    while waiting, on average by the late 2020s (paired seeds, 10% sample: the effect builds up
    slowly, so the mean paired difference must exceed two standard errors); and the total cost is
    not lower: wages, hired staff and crisis care cost more than the care not delivered saves (its
    mean paired difference is not below zero by two standard errors).

    Three seeds: by 2026-2030 the effect is far above one run's noise. Measured over seeds 1-8,
    the mean paired difference is 14 (staff), 11 (waiting list), 11 (unmet persons), 10
    (person-months), 7.7 (escalations) and 4.5 (cost) standard deviations of one seed's
    difference; seeds 1-3 give means of 25.7, 16.6, 23.5, 16.1, 10.6 and 5.5 standard errors
    (seeds 1-5 before: 34.3, 18.6, 19.1, 17.8, 14.1 and 8.9), each far beyond the two asked."""
    late = slice(2026, 2030)
    shortage = (("supply_growth", -0.02),)
    # (column, direction, the mean paired difference in that direction must exceed this many SE)
    for column, sign, bound in (("staff_fte", -1, 2), ("waiting_list", +1, 2), ("unmet_need_persons", +1, 2),
                                ("unmet_need_person_months", +1, 2), ("escalations_while_waiting", +1, 2),
                                ("cost_total_eur", +1, -2)):
        diffs = []
        for seed in SEEDS:
            base = totals(seed, 2030, scale=0.1).query("area == @TOTAL").set_index("year")
            short = totals(seed, 2030, shortage, scale=0.1).query("area == @TOTAL").set_index("year")
            diffs.append(sign * (short.loc[late, column].sum() - base.loc[late, column].sum()))
        diffs = np.array(diffs)
        assert diffs.mean() > bound * diffs.std(ddof=1) / np.sqrt(len(diffs)), (column, diffs)
        if column == "staff_fte":
            assert (diffs > 0).all(), diffs
    short = totals(1, 2030, shortage, scale=0.1).query("area == @TOTAL").set_index("year")
    assert short.loc[late, "waiting_list_weeks_mean"].mean() > short.loc[2017:2019, "waiting_list_weeks_mean"].mean()


def test_bridging_care_makes_a_waiting_list_cost_money():
    """With bridging care on, the first year costs more than the same run (same seed, same random
    numbers) without it, while its care is the same: bridging care is paid for those waiting for
    a provider (the labour market open from the start, so some wait)."""
    market = (("opens_after_months", 36),)  # = this file's warm-up: open at the start
    plain = totals(1, 2016, market).query("area == @TOTAL").set_index("year").loc[2016]
    bridged = totals(1, 2016, market + (("bridging_share", 0.5),)).query("area == @TOTAL").set_index("year").loc[2016]
    assert plain.provider_wait_weeks_sum > 0  # some clients waited for a provider
    assert bridged.resolved == plain.resolved and bridged.provider_admissions == plain.provider_admissions
    assert bridged.cost_total_eur > plain.cost_total_eur


def test_a_problem_waiting_for_help_ends_more_slowly_than_one_being_helped():
    """needs.waiting_end_factor: with it at 1 (waiting as good as help) fewer person-months of
    unmet need pile up than with the default 0.5, same seed."""
    slow = totals(1, 2018).query("area == @TOTAL")
    fast = totals(1, 2018, (("waiting_end_factor", 1.0),)).query("area == @TOTAL")
    assert fast.unmet_need_person_months.sum() < slow.unmet_need_person_months.sum()


def test_population_funding_invests_in_prevention_and_fee_for_service_does_not():
    for seed in SEEDS:
        pop = totals(seed, 2020).query("area == @TOTAL")
        ffs = totals(seed, 2020, (("scheme", "fee_for_service"),)).query("area == @TOTAL")
        assert pop[pop.year >= 2017].prevention_spend_eur.sum() > 0
        assert ffs.prevention_spend_eur.sum() == 0


def test_income_dependent_contribution_in_2026_lowers_requests():
    """From 2026 some middle and high incomes organise help themselves (in every run):
    compared with keeping the flat rate, requests fall on average (paired seeds; the ~30
    private arrangements a year of a 10% sample are small against one run's noise, so the
    mean paired difference must exceed two standard errors).

    A 10% sample and three seeds, whose baselines the labour-supply test has run to 2030: the
    difference is 6.2 standard deviations of one seed's (seeds 1-8), 5.1 at a 5% sample; seeds
    1-3 at 10% give a mean of 10.5 standard errors (seeds 1-5 at 5% before: 29.0)."""
    diffs = []
    for seed in SEEDS:
        base = totals(seed, 2027, scale=0.1).query("area == @TOTAL").set_index("year")
        flat = totals(seed, 2027, (("income_from", 2100),), scale=0.1).query("area == @TOTAL").set_index("year")
        assert (base.loc[:2025, "requests"] == flat.loc[:2025, "requests"]).all()  # identical before
        assert (base.loc[2026:2027, "private_help"] > 0).all() and (flat.loc[2019:, "private_help"] == 0).all()
        diffs.append(flat.loc[2026:2027, "requests"].mean() - base.loc[2026:2027, "requests"].mean())
    diffs = np.array(diffs)
    assert diffs.mean() > 2 * diffs.std(ddof=1) / np.sqrt(len(diffs)), diffs


OPT_OUT = ["requests_by_domain_household_help", "requests_by_domain_individual_support",
           "requests_by_domain_day_activities"]


def test_flat_rate_in_2019_raised_requests():
    """Requests in the domains with private alternatives, with and without the 2019 flat rate
    (paired seeds; a 10% sample, since the effect is a few percent)."""
    diffs = []
    for seed in SEEDS:
        base = totals(seed, 2021, scale=0.1).query("area == @TOTAL").set_index("year")
        never = totals(seed, 2021, (("flat_from", 2100), ("income_from", 2100)), scale=0.1).query("area == @TOTAL").set_index("year")
        assert (base.loc[2018, OPT_OUT] == never.loc[2018, OPT_OUT]).all()
        assert base.loc[2019:2021, "private_help"].sum() == 0 < never.loc[2019:2021, "private_help"].sum()
        diffs.append(base.loc[2019:2021, OPT_OUT].sum(axis=1).mean() - never.loc[2019:2021, OPT_OUT].sum(axis=1).mean())
    assert (np.array(diffs) > 0).all(), diffs


def test_each_area_has_a_lead_contractor_and_subcontractors_with_staff(small_run):
    providers = small_run.providers.organisations
    k = 1 + small_run.config.providers.subcontractors_per_area
    assert len(providers) == k * len(small_run.area_names)
    assert [a.area for a in providers] == list(np.repeat(np.arange(len(small_run.area_names)), k))
    assert sum(a.fte.sum() for a in providers) > 0
    assert sum(a.lead for a in providers) == len(small_run.area_names)
