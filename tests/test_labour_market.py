"""The regional labour market: providers hire from the pool within the hiring speed."""

import functools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulation import SocialDomainModel
from simulation.domain import PROFESSIONS
from simulation.outputs import RATIO_PARTS
from simulation.scenario import Scenario


def _monthly_staff(**parameters) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Total staff, vacancies and job seekers in the pool after each of 24 months."""
    model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2017, **parameters)
    staff, vacancies, pool = [], [], []
    for _ in range(24):
        model.step()
        providers = model.providers
        staff.append(providers.fte.sum())
        vacancies.append(np.maximum(providers.target_fte - providers.fte, 0).sum())
        pool.append(model.labour_market.pool.sum())
    return np.array(staff), np.array(vacancies), np.array(pool)


def test_without_hiring_staff_only_shrinks_by_turnover():
    staff, vacancies, _ = _monthly_staff(hire_share=0.0, turnover_rate=0.2)
    assert (np.diff(staff) < 0).all()
    monthly = 1 - (1 - 0.2) ** (1 / 12)
    assert (np.diff(staff) <= -monthly * staff[:-1] + 1e-9).all()  # at least the leavers leave
    assert vacancies[-1] > vacancies[0]


def test_providers_fill_vacancies_from_the_pool():
    staff, vacancies, pool = _monthly_staff(hire_share=0.5)
    slow_staff, slow_vacancies, _ = _monthly_staff(hire_share=0.05)
    assert (pool >= 0).all()
    assert vacancies.mean() < slow_vacancies.mean()  # faster hiring leaves fewer posts open
    assert staff.mean() > slow_staff.mean()


@pytest.fixture(scope="module")
def market():
    """A model whose labour market is open (at the start), for calls to its parts."""
    model = SocialDomainModel("baseline", rng=1, scale=0.02, end_year=2016)
    model.step()
    assert model.labour_market.is_open()
    return model.labour_market


def test_job_seekers_without_open_posts_move_to_professions_short_of_seekers(market):
    market.params.mobility = 0.1  # (the section object of this model only)
    market.pool = np.array([1.0, 2.0, 30.0])  # youth-care job seekers pile up
    vacancies = np.array([3.0, 12.0, 0.0])  # household help and support are short
    before = market.pool.copy()
    market._move(vacancies)
    idle, short = np.maximum(before - vacancies, 0), np.maximum(vacancies - before, 0)
    moved = 0.1 * idle.sum()
    assert market.pool.sum() == pytest.approx(before.sum())  # nobody appears or disappears
    assert market.pool[2] == pytest.approx(30.0 - moved)
    assert market.pool[:2] == pytest.approx(before[:2] + moved * short[:2] / short.sum())


def test_wages_rise_with_a_vacancy_rate_above_normal_and_never_fall_below_the_care_wage_index(market):
    c = market.params
    market.wage = np.ones(3)
    wanted = np.full(3, 100.0)
    open_posts = np.array([100.0 * c.normal_vacancy_rate, 30.0, 0.0])
    for _ in range(12):
        market._adjust_wages(open_posts, wanted)
    assert market.wage[0] == pytest.approx(1.0)  # at the normal rate wages keep pace with the index
    assert market.wage[1] == pytest.approx(1 + c.wage_response * (0.30 - c.normal_vacancy_rate))  # a year at 30%
    assert market.wage[2] == 1.0  # no open posts: not below the index
    for _ in range(600):
        market._adjust_wages(np.zeros(3), wanted)
    assert (market.wage == 1.0).all()


def test_a_lasting_shortage_raises_the_wage_premium_to_its_ceiling_and_no_further(market):
    c = market.params
    market.wage = np.ones(3)
    wanted = np.full(3, 100.0)
    open_posts = np.array([60.0, 30.0, 0.0])  # household help very short, support short
    highest = np.ones(3)
    for _ in range(600):
        market._adjust_wages(open_posts, wanted)
        highest = np.maximum(highest, market.wage)
    assert highest[:2] == pytest.approx(np.full(2, 1 + c.wage_premium_max))  # both reach it ...
    assert (highest <= 1 + c.wage_premium_max).all()  # ... and never pass it
    assert market.wage[2] == 1.0
    for _ in range(600):
        market._adjust_wages(np.zeros(3), wanted)  # the shortage over: back to the index
    assert (market.wage == 1.0).all()


def test_a_wage_premium_raises_the_labour_part_of_the_tariffs_of_its_profession_only(market):
    model = market.model
    costs, providers = model.costs, model.providers
    year = 2030
    before = costs.domain_index(year)
    market.wage = np.array([1.0, 1.2, 1.0])  # support (individual support, day activities, debt help)
    after = costs.domain_index(year)
    market.wage = np.ones(3)
    support = providers.domain_profession == PROFESSIONS.index("support")
    labour = model.config.labour_market.tariff_labour_share
    share = market.agency_share()[PROFESSIONS.index("support")]
    hired = 1 + share * (model.config.providers.agency_premium - 1)
    assert after[support] == pytest.approx(before[support] + labour * costs.wage_index(year) * 0.2 * hired)
    assert np.array_equal(after[~support], before[~support])


def test_the_access_team_recruits_from_the_same_market_and_can_fall_short():
    """With hardly any new entrants and slow hiring, the access team loses staff like the providers,
    and investigates fewer households than its formation could."""
    model = SocialDomainModel("baseline", rng=1, scale=0.05, end_year=2017, supply_growth=-0.2, hire_share=0.02,
                              agency_fill_share=0.0)
    team = model.access_team
    for _ in range(24):
        model.step()
    assert (team.staff_fte < 0.9 * team.target_fte).all()
    y = model.yearly().query("area == 'total'").set_index("year")
    assert y.loc[2017, "access_team_fte"] < y.loc[2016, "access_team_fte"]
    assert y.loc[2017, "access_team_fte"] < team.target_fte.sum()


def test_no_wage_premium_in_the_years_of_observed_care_wages(small_yearly):
    """The observed CAO wages (to 2024) already hold the market's response: the premium starts after."""
    early = small_yearly.query("year <= 2024 and staff_fte > 0")
    assert len(early) > 0
    assert np.allclose(early.wage_premium, 1.0)


def test_job_changers_come_in_proportion_to_the_markets_share_of_the_regions_open_posts(market):
    """At the region's vacancy rate as many job changers join as the employers' own leavers who
    stay in the sector; more open posts draw more of the region's job changers, and none come without open posts."""
    c = market.params
    market.wage = np.ones(3)
    staff = market.region_fte / c.regional_sector_multiple
    leavers = staff * market._monthly_turnover()
    rate = market.regional_vacancy_rate(0.0)
    assert rate == pytest.approx(c.normal_vacancy_rate)
    at_normal = market._job_changers(leavers, staff * rate / (1 - rate), 0.0)
    assert at_normal == pytest.approx(leavers * c.stay_in_sector_share)
    tight = market._job_changers(leavers, staff * 0.2, 0.0)
    assert (tight > 2 * at_normal).all()
    assert (market._job_changers(leavers, np.zeros(3), 0.0) == 0).all()


def test_a_region_whose_supply_falls_behind_its_demand_gets_tighter(market):
    c = market.params
    assert market.regional_vacancy_rate(10.0) == pytest.approx(c.normal_vacancy_rate)  # baseline: supply keeps pace
    baseline, c.supply_growth = c.supply_growth, -0.02  # the staff-shortage scenario (this model's section only)
    try:
        assert market.regional_vacancy_rate(10.0) > 0.25
    finally:
        c.supply_growth = baseline


VACANCY_SEEDS = (1, 2, 3, 4, 5)


def test_baseline_vacancy_rate_2016_2024_stays_near_the_observed_rate():
    """CBS: 44 vacancies per 1,000 jobs in care and welfare (Q3 2022). The model's vacancies also
    count the staff wanted for the waiting list, so the target is the 2016-2024 mean between 2% and
    8% and no year's rate above 12% (1:1, fitted baseline: 8.4% at most; a sealed market had
    20-28% from 2017). Asserted on the mean over five seeds of a 10% sample, within the one-sided
    95% bound of its between-seed noise (Student t times the standard error)."""
    rates = []
    for seed in VACANCY_SEEDS:
        model = SocialDomainModel("baseline", rng=seed, scale=0.1, end_year=2024)
        model.run()
        y = model.yearly().query("area == 'total'").set_index("year")
        rates.append((y.staff_vacancies / (y.staff_fte + y.staff_vacancies)).to_numpy())
    rates = np.array(rates)  # (seed, year)
    t = stats.t.ppf(0.95, len(VACANCY_SEEDS) - 1)
    period = rates.mean(axis=1)
    noise = t * period.std(ddof=1) / np.sqrt(len(period))
    assert 0.02 - noise <= period.mean() <= 0.08 + noise
    yearly_noise = t * rates.std(axis=0, ddof=1) / np.sqrt(len(VACANCY_SEEDS))
    assert (rates.mean(axis=0) <= 0.12 + yearly_noise).all()


def _shortage_run(scenario: str, seed: int) -> tuple[float, pd.DataFrame]:
    """The highest wage premium of any profession in any month, and the municipality's totals by
    year, of a 5% run 2016-2040."""
    model = SocialDomainModel(scenario, rng=seed, scale=0.05, end_year=2040, warm_up_months=36)
    peaks = []
    model.run(progress=lambda _: peaks.append(model.labour_market.wage.max()))
    return max(peaks), model.yearly().query("area == 'total'").set_index("year")


@functools.cache
def _paired_shortage(seed: int) -> tuple[float, float, pd.DataFrame, pd.DataFrame]:
    """Highest premium and totals of the baseline and of ``staff_shortage`` for one seed."""
    base_peak, base = _shortage_run("baseline", seed)
    short_peak, short = _shortage_run("staff_shortage", seed)
    return base_peak, short_peak, base, short


def _differences(columns: tuple[str, ...], first: int = 2026, last: int = 2040) -> np.ndarray:
    """staff_shortage - baseline, summed over ``first``-``last``, by seed (rows) and column."""
    period = slice(first, last)
    return np.array([[short.loc[period, c].sum() - base.loc[period, c].sum() for c in columns]
                     for _, _, base, short in map(_paired_shortage, (1, 2, 3))])


def _above(diffs: np.ndarray, bound: float = 2.0) -> np.ndarray:
    """Per column: the mean paired difference is above ``bound`` standard errors of it."""
    return diffs.mean(axis=0) > bound * diffs.std(axis=0, ddof=1) / np.sqrt(len(diffs))


# the whole period before the wage premium can respond (observed care wages to 2025), then five-year blocks
PERIODS = ((2016, 2025), (2026, 2030), (2031, 2035), (2036, 2040))


def test_a_capped_wage_premium_leaves_the_shortage_to_waiting():
    """Wages follow collective agreements: under ``staff_shortage`` every profession's premium
    reaches ``wage_premium_max`` over the care wage index and never passes it, in any month. The
    shortage then shows as waiting: over 2026-2040, paired seeds at 5%, more unmet need
    (person-months) and more escalations than the baseline (the mean paired difference above two
    standard errors)."""
    ceiling = 1 + Scenario.load("staff_shortage").labour_market.wage_premium_max
    for seed in (1, 2, 3):
        base_peak, short_peak, _, _ = _paired_shortage(seed)
        assert base_peak <= ceiling and short_peak <= ceiling
        assert short_peak == pytest.approx(ceiling)  # the ceiling binds
    diffs = _differences(("unmet_need_person_months", "escalations_while_waiting"))
    assert _above(diffs).all(), diffs


def test_a_shortage_costs_the_health_insurance_and_the_wlz_more_than_the_baseline():
    """What waiting costs other payers (costs.py): escalations while waiting bring GP, emergency and
    hospital care (Zvw), and problems made heavy and long by waiting bring residents into the Wlz
    earlier. Over 2026-2040, paired seeds at 5%: each of the two, and their sum, above the
    baseline's by more than two standard errors of the paired differences."""
    diffs = _differences(("other_payers_zvw_eur", "other_payers_wlz_eur", "cost_other_payers_eur", "wlz_exits"))
    assert _above(diffs).all(), diffs


def test_a_shortage_is_dearer_to_society_in_every_period():
    """Society pays for a shortage even where the municipality's books do not: its cost, the other
    payers', the informal carers' hours and the care those waiting go without (cost_societal_eur)
    is above the baseline's in each period (2016-2025 and every five years to 2040), paired seeds
    at 5%, by more than two standard errors of the paired differences."""
    for first, last in PERIODS:
        assert _above(_differences(("cost_societal_eur",), first, last)).all(), (first, last)


def test_what_the_municipality_saves_in_a_shortage_is_at_most_the_care_it_does_not_deliver():
    """Where the shortage's municipal cost is below the baseline's (in its first years, or without
    bridging care), the saving comes from care not delivered: in every period the municipal saving
    (baseline - shortage, cost_total_eur) is not larger than the rise of the care those waiting for a
    provider go without (care_not_delivered_eur), by more than two standard errors of their paired
    difference; and in the first period, before the wage premium can respond, that care rises while
    household help, the care most short of staff, is delivered less."""
    for first, last in PERIODS:
        diffs = _differences(("cost_total_eur", "care_not_delivered_eur"), first, last)
        saving, not_delivered = -diffs[:, 0], diffs[:, 1]
        assert _above((not_delivered - saving)[:, None], -2.0).all(), (first, last, diffs)
    early = _differences(("care_not_delivered_eur", "cost_household_help_eur"), *PERIODS[0])
    assert _above(early * np.array([1, -1])).all(), early


def test_a_shortage_does_not_raise_the_durable_informal_share():
    """Guard rail of the 40% indicator: once the shortage turns people away (2031-2040, paired seeds
    at 5%), the durable informal share (from the period's summed counts) is not above the
    baseline's by more than two standard errors of the paired differences, while the requests
    withdrawn from the queue clearly rise (the mechanism the guard rail is for is at work). Not
    before 2031: requests waiting for a provider are not closed and so not yet in the share's
    denominator, which lifts it slightly (1:1: +0.002 in 2021-2025; docs/odd/labour_market.md)."""
    num, den, _ = RATIO_PARTS["informal_share_durable"]
    first, last = 2031, 2040
    share = np.array([[t.loc[first:last, num].sum() / t.loc[first:last, den].sum()
                       for t in _paired_shortage(seed)[2:]] for seed in (1, 2, 3)])
    diffs = share[:, 1:] - share[:, :1]  # shortage - baseline, by seed
    assert not _above(diffs).any(), diffs
    assert _above(_differences(("withdrawn",), first, last)).all()
