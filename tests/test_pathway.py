"""Help requests, informal care and the access team: accounting and directions.

Directional tests compare a lever against the baseline with the same seeds (common random
numbers) over several replications; each expects a difference far larger than the spread
between replications of one setting, so they could fail if the mechanism broke."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import shared_runs
from simulation import SocialDomainModel
from simulation.domain import DOMAIN_INDEX, Status
from simulation.outputs import TOTAL  # noqa: F401 (used in query strings as @TOTAL)
from simulation.population import NO_ID

RUN = dict(scale=0.05, end_year=2020, warm_up_months=36)
SEEDS = (1, 2, 3)


def totals(seed, **params):
    """The municipality's yearly totals (the session's shared runs, shared_runs.py)."""
    return shared_runs.yearly(rng=seed, **{**RUN, **params}).query("area == @TOTAL").set_index("year")


def paired_effect(column, lever, **run):
    """Per seed: the lever's mean yearly value minus the baseline's (common random numbers)."""
    return np.array([totals(s, **run, **lever)[column].mean() - totals(s, **run)[column].mean() for s in SEEDS])


def assert_clear_effect(diffs, sign):
    """Every replication moves the same way, and the mean effect is more than two standard
    errors of the paired differences away from zero."""
    diffs = sign * diffs
    assert (diffs > 0).all(), diffs
    assert diffs.mean() > 2 * diffs.std(ddof=1) / np.sqrt(len(diffs)), diffs


def test_every_request_has_one_outcome_or_is_pending(small_yearly):
    y = small_yearly
    lhs = y.requests_pending + y.requests
    rhs = y.resolved + y.withdrawn + y.requests_pending_end
    assert (lhs == rhs).all()
    assert (y.query("area == @TOTAL").requests > 0).all()


def test_requests_accounting_holds_monthly_under_staff_shortage():
    m = SocialDomainModel(rng=4, scale=0.05, end_year=2018, warm_up_months=24, staff_multiplier=0.3)
    m.run()
    mo = m.monthly()
    outcomes = [c for c in mo.columns if c.startswith("outcome_")]
    assert (mo.requests_pending + mo.requests
            == mo[outcomes].sum(axis=1) + mo.withdrawn + mo.requests_pending_end).all()
    assert mo.requests_pending.max() > 0  # the queue is really used


def test_informal_share_is_reported_per_area_and_year(small_yearly):
    """Every area has its share each year; the municipality's is the ratio of the areas' summed
    counts (not the mean of their shares), and withdrawn requests count in neither part."""
    y = small_yearly
    areas = y.query("area != @TOTAL")
    assert areas.informal_share.between(0, 1).all() and areas.informal_share.notna().all()
    assert len(areas) == y.year.nunique() * areas.area.nunique()
    by_year = areas.groupby("year")[["solved_informally", "resolved"]].sum()
    total = y.query("area == @TOTAL").set_index("year").informal_share
    assert np.allclose(total, by_year.solved_informally / by_year.resolved)
    assert not np.allclose(total, areas.groupby("year").informal_share.mean())
    assert (areas.resolved == areas.filter(like="outcome_").sum(axis=1)).all()


def test_indicator_variants_are_bounded_by_their_parts(small_yearly):
    """The durable share counts fewer solutions (lapsed ones out) over more requests (withdrawn
    ones in), and each problem once (repeat requests out of both parts), so it does not exceed
    the informal share; the access-team share counts only what the team arranged among the
    requests it investigated; repeat requests are requests."""
    y = small_yearly
    first_solved = y.solved_informally - y.repeats_solved_informally
    assert (y.informal_durable == first_solved - (y.informal_lapsed - y.repeats_lapsed)).all()
    assert (y.informal_lapsed >= 0).all() and (y.informal_durable >= 0).all()
    assert (y.requests_closed == y.resolved + y.withdrawn).all()
    assert (y.first_requests_closed == y.requests_closed - y.repeats_closed).all()
    assert (y.outcome_informal_arranged <= y.access_handled).all()
    assert (y.repeat_requests <= y.requests).all()
    totals = y.query("area == @TOTAL").sum(numeric_only=True)
    assert totals.informal_lapsed > 0 and totals.repeat_requests > 0  # both really happen
    # over the years (a lapse counts in the month the help is lost, a request where it closes)
    assert 0 < totals.repeats_solved_informally <= totals.repeats_closed <= totals.repeat_requests
    assert totals.repeats_lapsed <= totals.informal_lapsed
    # (per area and year a repeat-heavy year can tip it; over the years and areas it holds)
    assert totals.informal_durable / totals.first_requests_closed <= totals.solved_informally / totals.resolved


def test_halving_access_team_staff_does_not_raise_the_durable_informal_share():
    """Halving the staff lengthens the queue: more requests are withdrawn before triage. They
    drop out of informal_share's denominator (which then rises) but count as not solved in the
    durable share's. Tolerance: the paired differences' mean may exceed zero by at most two of
    their standard errors at this scale (3 seeds, 5%, 2016-2020)."""
    diffs = paired_effect("informal_share_durable", {"staff_multiplier": 0.5})
    assert diffs.mean() <= 2 * diffs.std(ddof=1) / np.sqrt(len(diffs)), diffs
    withdrawn = paired_effect("withdrawn", {"staff_multiplier": 0.5})
    assert_clear_effect(withdrawn, +1)  # the mechanism the guard rail is for is at work


def test_people_with_informal_help_have_carers_and_carers_give_those_hours(small_run):
    p = small_run.population.persons
    informal = np.flatnonzero(p.alive & np.isin(p.need_status, (Status.SELF, Status.INFORMAL)))
    assert len(informal) > 0
    # outside hours from children elsewhere can cover a problem without resident carers
    with_carers = (p.carers[informal] != NO_ID).any(axis=1)
    assert with_carers.mean() > 0.8
    given = np.bincount(p.carers[p.carers != NO_ID], weights=p.carer_hours[p.carers != NO_ID], minlength=p.n)
    assert np.allclose(given, p.care_given, atol=1e-3)
    carers = np.flatnonzero(p.care_given > 0)
    assert (small_run.population.age_years(carers[p.alive[carers]], small_run.now) >= 18).all()


def test_more_carer_capacity_raises_the_informal_share():
    """A small effect (willingness, not hours, binds most informal help, and households absorb
    more problems before they become requests), so a 20% sample to see it above the noise. Its
    margin (the mean paired difference over its standard error; seeds 1-5 run to 2022, 6 December
    2026): over 2016-2019 7.5 with seeds 1-3 and at least 5.7 with any three of the five (10.4 with
    all five); over 2016-2022 22.3 with seeds 1-3 but 3.6 with the worst three (6.5 with five). So
    four years decide at least as surely as seven. At 10% the effect is within the noise (0.2-2.6
    standard errors with five seeds, whichever window from 2016 on)."""
    assert_clear_effect(paired_effect("informal_share", {"capacity_multiplier": 2.0}, scale=0.2, end_year=2019), +1)


def test_fewer_access_staff_lengthens_access_waits():
    assert_clear_effect(paired_effect("access_wait_weeks_mean", {"staff_multiplier": 0.4}), +1)
    assert_clear_effect(paired_effect("access_within_6_weeks_share", {"staff_multiplier": 0.4}), -1)


def test_more_respite_means_fewer_carer_dropouts():
    assert_clear_effect(paired_effect("carer_dropouts", {"respite_uptake": 1.0, "respite_relief": 0.5}), -1)


def test_ageing_without_policy_change_lowers_carer_ratio_and_raises_requests(ageing_to_2040):
    t = ageing_to_2040
    assert t.loc[2036:2040, "potential_carer_ratio"].mean() < 0.6 * t.loc[2016:2020, "potential_carer_ratio"].mean()
    per_1000 = t.requests / t.population * 1000
    # requests per 1,000 residents rise by about 9% from 2016-20 to 2036-40, with a standard
    # deviation of 3.4% between seeds at 10% scale (24 runs), less at 20%: a rise is over 2.7 SD
    # clear of none
    assert per_1000.loc[2036:2040].mean() > per_1000.loc[2016:2020].mean()


@pytest.fixture(scope="module")
def run_2022():
    m = SocialDomainModel("baseline", rng=2022, scale=0.2, end_year=2022)
    m.run()
    return m


def test_carer_share_2022_within_tolerance_of_cbs(run_2022):
    """CBS 2022: 13% of adults 20+ are carers (narrow definition), 19% of them heavily
    burdened. Documented tolerance (docs/odd/calibration.md): +-3 and +-6 points."""
    t = run_2022.yearly().query("area == @TOTAL").set_index("year").loc[2022]
    assert abs(t.carer_share_20_plus - 0.13) <= 0.03
    assert abs(t.heavily_burdened_share - 0.19) <= 0.06


def test_carer_age_profile_2022_has_cbs_shape(run_2022):
    """CBS 2022: 3.7% of 20-24 care, 20-24% of 50-64. Documented tolerance: the 50-64 rate is
    at least 1.4 times the 20-24 rate and within 8 points of CBS's 21.8%. The tolerance is on
    the model's rates; one run's shares are binomial samples of them (standard errors of 0.5
    and 0.8 points at this scale), so each comparison allows three standard errors of its
    shares."""
    m = run_2022
    p = m.population.persons
    mark = m.recorder.last_marked["carers"]
    ids = np.flatnonzero(p.alive[: len(mark)])
    age = m.population.age_years(ids, m.now - 1)
    carer = mark[ids] == 2022
    young, middle = carer[(age >= 20) & (age < 25)], carer[(age >= 50) & (age < 65)]

    def se(sample):
        return np.sqrt(sample.mean() * (1 - sample.mean()) / len(sample))

    assert middle.mean() - 1.4 * young.mean() >= -3 * np.hypot(se(middle), 1.4 * se(young))
    assert abs(middle.mean() - 0.218) <= 0.08 + 3 * se(middle)


def test_wmo_clients_per_1000_near_observed(run_2022):
    """Emmen's Wmo clients per 1,000 in 2020 as the calibration targets define them (CBS: 83 in
    the first half of 2020, a full year has more clients, no residential Wmo in the model: 88 with
    its tolerance, experiments/calibration/targets.csv). Only the target's year is held to the
    band: the model's clients rise by about 2-3% a year over 2018-2022 (ageing, the 2019 flat
    contribution, docs/odd/initialisation.md), so the years around it need not all fall in it."""
    targets = pd.read_csv(Path(__file__).parents[1] / "experiments/calibration/targets.csv",
                          comment="#").set_index("name")
    observed, tolerance = targets.loc["wmo_clients_2020", ["value", "tolerance"]]
    t = run_2022.yearly().query("area == @TOTAL").set_index("year")
    assert abs(t.loc[2020, "wmo_clients_per_1000"] - observed) <= tolerance


def test_youth_care_share_near_observed(run_2022):
    """CBS Jeugdmonitor 2024: 10.6% of under-23s had youth care in 2023. Tolerance 7-15% of 0-17."""
    t = run_2022.yearly().query("area == @TOTAL").set_index("year")
    share = t.youth_care_clients_0_17 / t.pop_0_17
    assert share.loc[2018:2022].between(0.07, 0.15).all()


def test_household_help_clients_with_an_aid_ask_for_it_and_pay_for_it():
    """The share ``provisions.aids_with_household_help`` of household-help clients also use an aid: a
    fixed draw per person, a customised aids request beside the household-help request, and the aid's
    cost on the aids line; none without the share."""
    share = 0.4
    model = SocialDomainModel("baseline", rng=8, scale=0.05, end_year=2016,
                              **{"provisions.aids_with_household_help": share})
    p = model.population.persons
    draw = SocialDomainModel("baseline", rng=8, scale=0.05, end_year=2016,
                             **{"provisions.aids_with_household_help": share})
    everyone = np.arange(len(draw.population.persons.need_domain))
    ids, other = everyone[:-500], everyone[-500:]
    draw.population.persons.need_domain[ids] = DOMAIN_INDEX["household_help"]
    draw.population.persons.need_domain[other] = DOMAIN_INDEX["aids_adaptations"]
    aided = draw.provisions.aided(ids)
    assert abs(len(aided) / len(ids) - share) < 4 * np.sqrt(share * (1 - share) / len(ids))
    assert (draw.provisions.aided(ids) == aided).all()  # a trait, not a new draw
    assert len(draw.provisions.aided(other)) == 0  # only household-help clients
    aided = []  # household-help clients with an aid among those given a customised outcome, as it happens
    aid_requests = model.pathway.aid_beside_household_help

    def counted(ids):
        aided.append(len(model.provisions.aided(ids)))
        aid_requests(ids)

    model.pathway.aid_beside_household_help = counted
    model.run()
    y = model.yearly().query("area == 'total'").iloc[0]
    aided = sum(aided)
    assert aided > 0
    # every request is resolved once: the aids requests are customised outcomes of their own
    assert y.requests_by_domain_aids_adaptations >= aided
    without = SocialDomainModel("baseline", rng=8, scale=0.05, end_year=2016,
                                **{"provisions.aids_with_household_help": 0.0})
    without.run()
    w = without.yearly().query("area == 'total'").iloc[0]
    assert y.cost_aids_adaptations_eur > w.cost_aids_adaptations_eur
    assert y.requests_by_domain_aids_adaptations - w.requests_by_domain_aids_adaptations == aided
    assert (y.outcome_customised - w.outcome_customised) == aided
    assert y.cost_household_help_eur == w.cost_household_help_eur  # the aid does not change the household help
