"""The warm-up: problems, care, queues and staff settle on the start population before the
first month, without ageing it or counting in the outputs."""

import numpy as np
import pytest

from simulation import SocialDomainModel
from simulation.needs import Status
from simulation.population import NO_ID

RUN = dict(scale=0.05, end_year=2016)


@pytest.fixture(scope="module")
def cold_and_warm():
    return {months: SocialDomainModel("baseline", rng=8, warm_up_months=months, **RUN) for months in (0, 24)}


def test_warm_up_leaves_the_start_population_as_it_is(cold_and_warm):
    cold, warm = (m.population.persons for m in cold_and_warm.values())
    assert cold.n == warm.n
    assert np.array_equal(cold.birth_month, warm.birth_month) and np.array_equal(cold.alive, warm.alive)
    assert np.array_equal(cold.household, warm.household)


def test_warm_up_starts_the_model_with_clients_carers_queues_and_staff(cold_and_warm):
    cold, warm = cold_and_warm[0], cold_and_warm[24]
    p = cold.population.persons
    assert (p.care_since == NO_ID).all() and (p.need_status == Status.NONE).all()
    assert cold.providers.fte.sum() == 0
    p = warm.population.persons
    for status in (Status.SELF, Status.INFORMAL, Status.CUSTOM, Status.GENERAL):
        assert (p.need_status == status).sum() > 0, status.name
    assert (p.care_since != NO_ID).sum() > 0 and warm.providers.fte.sum() > 0


def test_warm_up_history_is_dated_before_the_start(cold_and_warm):
    warm = cold_and_warm[24]
    p = warm.population.persons
    start = warm.start_month
    with_problem = p.need_domain != NO_ID
    assert p.need_onset[with_problem].max() < start and p.need_onset[with_problem].min() >= start - 24
    caring = p.care_since != NO_ID
    assert p.care_since[caring].max() < start


def test_the_outputs_begin_after_the_warm_up():
    model = SocialDomainModel("baseline", rng=8, warm_up_months=24, **RUN)
    model.run()
    total = model.monthly().query("area == 'total'")
    assert list(zip(total.year, total.month)) == [(2016, m) for m in range(1, 13)]
    assert total.requests.sum() == model.yearly().query("area == 'total'").requests.sum()


def test_a_census_in_the_same_month_stands_until_someone_is_added_moved_or_removed():
    """The census is taken every month, warm-up included, where demography holds the population:
    it is then as the last one (not taken again), and taken again once the population changes."""
    model = SocialDomainModel("baseline", rng=8, warm_up_months=2, scale=0.01, end_year=2016)
    pop, now = model.population, model.now
    members = pop.household_members.copy()
    pop.take_census(now)
    assert np.array_equal(pop.household_members, members)  # nothing changed: the same grouping
    mother = pop.persons.active()[np.argmax(pop.age_years(pop.persons.active(), now) == 30)]
    baby = pop.add_persons(1, alive=True, sex=np.array([0]), birth_month=now, household=pop.persons.household[[mother]],
                           mother=np.array([mother]), father=np.array([NO_ID]))
    census = pop.census
    pop.take_census(now)
    assert pop.census == census + 1
    first, end, grouped = pop.household_groups(now)
    h = pop.persons.household[baby[0]]
    assert baby[0] in grouped[first[h]:end[h]] and pop.age_years(baby, now)[0] == 0
    assert len(pop.household_members) == len(members) + 1
