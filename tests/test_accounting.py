"""Population accounting and household consistency."""

import numpy as np

from simulation import SocialDomainModel
from simulation.outputs import TOTAL
from simulation.population import NO_ID


def test_population_accounting_holds_every_year_and_area(small_yearly):
    y = small_yearly
    lhs = y.population + y.births - y.deaths + y.net_migration
    assert (lhs == y.population_end).all()
    assert set(y.area) == set(SocialDomainModel(rng=1, scale=0.01, end_year=2016).area_names) | {TOTAL}


def test_population_accounting_holds_every_month(small_monthly):
    m = small_monthly
    assert (m.population + m.births - m.deaths + m.net_migration == m.population_end).all()


def test_end_of_year_is_next_years_start(small_yearly):
    for area, g in small_yearly.groupby("area"):
        g = g.sort_values("year")
        assert (g.population_end.to_numpy()[:-1] == g.population.to_numpy()[1:]).all(), area


def test_total_row_is_sum_of_areas_and_moves_cancel(small_yearly):
    y = small_yearly
    areas = y[y.area != TOTAL].groupby("year")[["population", "births", "deaths", "net_migration"]].sum()
    total = y[y.area == TOTAL].set_index("year")[["population", "births", "deaths", "net_migration"]]
    assert (areas == total).all().all()
    a = y[y.area != TOTAL].groupby("year")
    assert (a.moved_in.sum() == a.moved_out.sum()).all()


def test_all_processes_happen(small_yearly):
    t = small_yearly[small_yearly.area == TOTAL]
    for col in ("births", "deaths", "immigrants", "emigrants"):
        assert (t[col] > 0).all(), col
    assert (small_yearly[small_yearly.area != TOTAL].moved_in.sum()) > 0


def check_households(model):
    pop = model.population
    p, h = pop.persons, pop.households
    alive = p.active()
    # every resident is in exactly one (living) household: the household field is a single id
    assert (p.household[alive] != NO_ID).all()
    assert h.alive[p.household[alive]].all()
    # no empty households kept
    sizes = np.bincount(p.household[alive], minlength=h.n)
    assert (sizes[h.active()] > 0).all()
    assert (sizes[~h.alive] == 0).all()
    # partners are mutual, alive and share the household
    has_partner = alive[p.partner[alive] != NO_ID]
    partner = p.partner[has_partner]
    assert p.alive[partner].all()
    assert (p.partner[partner] == has_partner).all()
    assert (p.household[partner] == p.household[has_partner]).all()
    assert (p.sex[partner] != p.sex[has_partner]).all()
    # every household with a minor has an adult
    age = pop.age_years(alive, model.now)
    adults = np.bincount(p.household[alive[age >= 18]], minlength=h.n)
    assert (adults[h.active()] > 0).all()


def test_household_consistency_every_year():
    model = SocialDomainModel(rng=11, scale=0.03, end_year=2030)
    check_households(model)
    while model.running:
        model.step()
        if model.clock.month % 12 == 0:
            check_households(model)


def test_newborns_join_their_mothers_household(small_run):
    p = small_run.population.persons
    born = np.flatnonzero(p.alive & (p.birth_month >= small_run.start_month) & (p.mother != NO_ID))
    assert len(born) > 0
    young = born[small_run.population.age_years(born, small_run.now) < 5]
    with_mother = young[p.alive[p.mother[young]]]
    # most young children still live with their mother (a few are fostered or left with a parent)
    assert np.mean(p.household[with_mother] == p.household[p.mother[with_mother]]) > 0.95
