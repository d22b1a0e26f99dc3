"""The Mesa model: views over the arrays, batch_run, areas as agents."""

import mesa
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation import SocialDomainModel
from simulation.dataset import MAX_AGE
from simulation.demography import pair_by_age
from simulation.store import ArrayStore, Field


def test_person_and_household_views_match_the_arrays(small_run):
    p = small_run.population.persons
    pid = int(np.flatnonzero(p.alive & (p.partner >= 0))[0])
    person = small_run.person(pid)
    assert person.alive and person.partner.partner.id == pid
    assert person.household.id == p.household[pid]
    assert pid in [m.id for m in person.household.members]
    assert person.area in small_run.area_names
    assert person.partner.household.id == person.household.id
    for child in person.children:
        assert pid in (child.mother.id if child.mother else -1, child.father.id if child.father else -1)
    hh = person.household
    assert all(n.area == hh.area for n in hh.neighbours)
    assert repr(person).startswith("Person(") and repr(hh).startswith("Household(")


def test_views_show_needs_and_carers(small_run):
    p = small_run.population.persons
    helped = int(np.flatnonzero(p.alive & (p.carers[:, 0] >= 0))[0])
    person = small_run.person(helped)
    assert person.need is not None and person.need["hours_per_week"] > 0
    carer, hours = person.carers[0]
    assert hours > 0 and person in [r for r in carer.cares_for]
    assert carer.care_given >= hours


def test_areas_are_mesa_agents(small_run):
    assert len(small_run.areas) == len(small_run.area_names)
    assert all(isinstance(a, mesa.Agent) for a in small_run.areas)
    assert sum(a.population for a in small_run.areas) == small_run.population.persons.alive.sum()


def test_batch_run_returns_the_headline_indicators_by_area():
    """Mesa's batch_run gives the social domain: its last row is the year's total, as in the
    yearly table, for the municipality and each area."""
    import pandas as pd

    from simulation.headlines import HEADLINES

    run = {"scale": 0.02, "end_year": 2016, "warm_up_months": 12}
    rows = pd.DataFrame(mesa.batch_run(SocialDomainModel, parameters={**run, "staff_multiplier": [0.3, 1.0]},
                                       rng=[4], number_processes=1, display_progress=False))
    assert list(rows.staff_multiplier) == [0.3, 1.0] and (rows.Step == 12).all()
    m = SocialDomainModel(rng=4, **run, staff_multiplier=1.0)
    m.run()
    yearly = m.yearly().set_index("area")
    last = rows.iloc[1]
    for name in [h for h in HEADLINES if h != "waiting_list"]:  # (the table's is on 1 January)
        assert last[name] == pytest.approx(yearly.loc["total", name], nan_ok=True), name
        for area in m.area_names:
            assert last[f"{name}[{area}]"] == pytest.approx(yearly.loc[area, name], nan_ok=True), (name, area)
    assert last["waiting_list"] == m.recorder.monthly_stocks[-1][3].sum()
    assert last.requests > 0 and last.cost_total_eur > 0 and last.budget_eur > 0 and last.carers > 0
    assert 0 < last.informal_share < 1
    # the levers reach the indicators: a third of the access team leaves more requests unresolved
    assert rows.iloc[0].resolved < rows.iloc[1].resolved


def test_batch_run_with_plain_parameters():
    results = mesa.batch_run(SocialDomainModel, parameters={"scale": 0.01, "end_year": 2016,
                                                            "fertility_multiplier": [0.0, 1.0]},
                             rng=[1], max_steps=20, number_processes=1, display_progress=False)
    df = __import__("pandas").DataFrame(results)
    assert set(df.fertility_multiplier) == {0.0, 1.0}
    assert df.population.gt(0).all()
    assert df.Step.max() == 12  # the model stops itself after the last month


def test_scale_builds_a_proportional_sample():
    small = SocialDomainModel(rng=1, scale=0.1, end_year=2016)
    full_target = 107_879  # main projection interpolated to 1 January 2016
    assert abs(small.population.persons.alive.sum() - 0.1 * full_target) <= 1


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 40), st.integers(0, 40), st.integers(0, 2**32 - 1))
def test_pair_by_age_pairs_distinct_people(n_men, n_women, seed):
    rng = np.random.default_rng(seed)
    men, women = np.arange(n_men), 1000 + np.arange(n_women)
    m, w = pair_by_age(men, women, rng.integers(20, 80, n_men), rng.integers(20, 80, n_women), rng)
    assert len(m) == len(w) == min(n_men, n_women)
    assert len(set(m)) == len(m) and len(set(w)) == len(w)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=1, max_size=8))
def test_array_store_keeps_values_when_growing(batches):
    store = ArrayStore({"alive": Field(bool, False), "x": Field(np.int64, -1)}, capacity=16)
    expected = []
    for k in batches:
        ids = store.add(k, alive=True, x=np.arange(len(expected), len(expected) + k))
        expected.extend(ids)
    assert store.n == len(expected)
    assert (store.x == np.arange(store.n)).all() and store.alive.all()


def test_array_store_refuses_a_field_named_like_its_own_attributes():
    with pytest.raises(ValueError, match="'add'"):
        ArrayStore({"alive": Field(bool, False), "add": Field(np.int64, 0)})


def test_network_relations_list_every_household_member_and_child(small_run):
    """The relations the matching kernel walks (households grouped by the census, kin as linked
    lists extended month by month) hold exactly those in the person arrays."""
    from simulation.kin import KinLists

    pop = small_run.population
    p = pop.persons
    first, end, grouped = pop.household_groups(small_run.now)
    fresh = KinLists()  # built at once, not month by month
    fresh.extend(p)
    alive = np.flatnonzero(p.alive)
    rng = np.random.default_rng(0)
    for person in rng.choice(alive, 200, replace=False):
        hh = p.household[person]
        assert sorted(grouped[first[hh]:end[hh]]) == sorted(np.flatnonzero(p.alive & (p.household == hh)))
        for parent in ("mother", "father"):
            for ix in (pop.kin, fresh):
                children, child = [], ix.first_child[parent][person]
                while child >= 0:
                    children.append(child)
                    child = ix.next_sibling[parent][child]
                assert sorted(children) == list(np.flatnonzero(getattr(p, parent) == person))


def test_fathers_with_children_by_several_mothers_are_known(small_run):
    """Matching skips a father's list of children unless they have several mothers
    (``KinLists.several_mothers``, kept as children are linked): it holds exactly those."""
    p = small_run.population.persons
    with_father = p.father >= 0
    pairs = np.unique(np.stack([p.father[with_father], p.mother[with_father]]), axis=1)
    fathers, count = np.unique(pairs[0], return_counts=True)
    expected = np.zeros(p.n, dtype=bool)
    expected[fathers[count > 1]] = True
    assert expected.any() and np.array_equal(small_run.population.kin.several_mothers[: p.n], expected)


def test_synthesis_caps_the_local_adult_children_of_a_mother():
    """Kin ties of the start population: a woman is the mother of at most
    ceil(2 x children_per_parent) residents living outside her household (without the cap, the
    few oldest women were drawn as the mothers of hundreds of old residents)."""
    m = SocialDomainModel("baseline", rng=7, scale=0.2, warm_up_months=0)
    p = m.population.persons
    cap = int(np.ceil(2 * m.config.network.children_per_parent))
    child = np.flatnonzero(p.alive & (p.mother >= 0))
    away = child[p.household[child] != p.household[p.mother[child]]]
    per_mother = np.bincount(p.mother[away])
    assert len(away) > 1000  # kin ties exist
    assert per_mother.max() <= cap


def test_kept_areas_household_sizes_residents_and_grouping_match_a_recount():
    """Areas, household sizes and residents by (area, age) are kept up to date by births,
    arrivals, moves, deaths and departures, and the census regroups only the households someone
    left or joined: the same as a recount of the living, month after month."""
    from simulation.kernels import group_by

    m = SocialDomainModel("baseline", rng=5, scale=0.05, end_year=2020, warm_up_months=0)
    pop, p, h = m.population, m.population.persons, m.population.households
    for _ in range(30):
        m.step()
        living = np.flatnonzero(p.alive)
        area = h.area[p.household[living]]
        assert np.array_equal(pop.household_sizes(), np.bincount(p.household[living], minlength=h.n))
        assert np.array_equal(pop.area_of(living), area)
        age = np.minimum((m.now - 1 - p.birth_month[living]) // 12, MAX_AGE)  # the census of the month stepped
        residents = np.zeros((pop.n_areas, MAX_AGE + 1), dtype=np.int64)
        np.add.at(residents, (area, age), 1)
        assert np.array_equal(pop.counts(m.now - 1)[0], residents)
        first, end, members = pop.household_groups(m.now - 1)
        starts, counted = group_by(p.household[living], living, h.n)
        assert len(first) == h.n and np.array_equal(end - first, np.diff(starts))
        assert np.array_equal(np.concatenate([members[a:b] for a, b in zip(first, end)]), counted)
    assert m.recorder.yearly_table()["deaths"].sum() > 0 and m.recorder.yearly_table()["immigrants"].sum() > 0


def test_residents_by_sex_and_age_match_a_recount_when_demography_asks(monkeypatch):
    """The residents by (sex, age) that set the death rates outside long-term care are kept by
    the population's changes, not counted from every resident each month: when demography asks
    (mid-month, after the census is stale), they are a recount of the living."""
    from simulation.population import Population

    m = SocialDomainModel("baseline", rng=5, scale=0.05, end_year=2020, warm_up_months=0)
    kept = Population.residents_by_sex
    asked = []

    def checked(self, month):
        counts = kept(self, month)
        p = self.persons
        living = np.flatnonzero(p.alive)
        recount = np.zeros((2, MAX_AGE + 1), dtype=np.int64)
        np.add.at(recount, (p.sex[living], np.minimum((month - p.birth_month[living]) // 12, MAX_AGE)), 1)
        assert np.array_equal(counts, recount)
        asked.append(month)
        return counts

    monkeypatch.setattr(Population, "residents_by_sex", checked)
    for _ in range(30):
        m.step()
    assert len(asked) == 30 and m.recorder.yearly_table()["deaths"].sum() > 0


def test_each_carers_list_of_recipients_matches_the_recipients_carers():
    """A carer's list of whom they help (kept by matching and release, walked to find the
    recipients of carers who died, left or stopped) holds exactly the slots where they appear
    among the recipients' carers, month after month; and no one who died or left is still
    anyone's carer."""
    from simulation.informal_care import MAX_CARERS

    m = SocialDomainModel("baseline", rng=3, scale=0.05, end_year=2020, warm_up_months=12)
    p = m.population.persons
    for _ in range(24):
        m.step()
        r, j = np.nonzero(p.carers >= 0)
        expected = sorted(zip(p.carers[r, j], r * MAX_CARERS + j))
        listed = []
        for c in np.flatnonzero(p.care_head >= 0):
            e = p.care_head[c]
            while e >= 0:
                listed.append((c, e))
                e = p.care_next[e // MAX_CARERS, e % MAX_CARERS]
        assert sorted(listed) == expected
        assert len(expected) > 0 and p.alive[p.carers[r, j]].all()


def test_queries_by_status_find_what_a_scan_of_every_person_finds():
    """Statuses are kept side by side with the list of clients (``Needs.set_status``): every
    month, each status's clients are those a scan of every living person finds."""
    from simulation.domain import Status

    m = SocialDomainModel("baseline", rng=4, scale=0.05, end_year=2020, warm_up_months=12)
    p = m.population.persons
    for _ in range(24):
        m.step()
        for status in Status:
            if status != Status.NONE:  # (NONE: also those whose problem ended this month)
                expected = np.flatnonzero(p.alive & (p.need_domain >= 0) & (p.need_status == status))
                assert np.array_equal(m.needs.with_status(status), expected), status
    assert len(m.needs.with_status(Status.CUSTOM)) > 0


def test_yearly_client_counts_match_a_count_of_every_client_every_month():
    """The yearly client counts look at every client in a year's first month and then only at
    those whose status or domain changed: the same counts, month after month, as looking at
    every living person every month (across a new year and the 18-/18+ transition)."""
    from simulation.domain import DOMAIN_INDEX, WAITING, Status
    from simulation.provisions import CLIENT_COUNTS

    m = SocialDomainModel("baseline", rng=6, scale=0.05, end_year=2021, warm_up_months=12)
    p, n_areas = m.population.persons, m.population.n_areas
    seen = {name: set() for name in CLIENT_COUNTS}
    expected = {}
    for _ in range(30):
        year = m.now // 12
        m.step()
        if year not in expected:
            seen = {name: set() for name in CLIENT_COUNTS}
            expected[year] = {name: np.zeros(n_areas, np.int64) for name in CLIENT_COUNTS}
        age, area = m.population.ages(m.now - 1), m.population.areas()
        status, domain = p.need_status, p.need_domain
        client = p.alive & (domain >= 0)
        wmo = m.provisions.wmo[np.maximum(domain, 0)]
        members = {
            "general_provision_clients": client & (status == Status.GENERAL),
            "wmo_clients": client & (status == Status.CUSTOM) & wmo,
            "household_help_clients": client & (status == Status.CUSTOM) & (domain == DOMAIN_INDEX["household_help"]),
            "youth_care_clients_0_17": (client & (status == Status.CUSTOM) & (domain == DOMAIN_INDEX["youth_care"])
                                        & (age[: p.n] < 18)),
            "protected_living_clients": client & (status == Status.PROTECTED),
            "unmet_need_persons": client & np.isin(status, [int(s) for s in WAITING]),
        }
        for name, mask in members.items():
            for i in np.flatnonzero(mask):
                if i not in seen[name]:
                    seen[name].add(i)
                    expected[year][name][area[i]] += 1
            assert np.array_equal(m.recorder.distinct[year][name], expected[year][name]), (year, name)
    assert all(expected[y]["wmo_clients"].sum() > 0 and expected[y]["youth_care_clients_0_17"].sum() > 0
               for y in expected)


def test_demography_finds_household_members_like_a_full_scan(monkeypatch):
    """Demography finds the members of a few households from the census grouping and the
    month's changes (``Population.members_now``) instead of scanning every resident: the same
    persons as a scan."""
    from simulation.population import Population

    m = SocialDomainModel("baseline", rng=11, scale=0.05, end_year=2020, warm_up_months=0)
    found = Population.members_now
    calls = []

    def checked(self, households):
        members = found(self, households)
        p = self.persons
        scan = np.flatnonzero(p.alive & np.isin(p.household, households))
        assert np.array_equal(members, scan)
        calls.append(len(members))
        return members

    monkeypatch.setattr(Population, "members_now", checked)
    for _ in range(36):
        m.step()
    assert len(calls) > 36 and sum(calls) > 100  # unions, out- and in-migration every month


def test_minors_whose_last_adult_dies_move_to_a_family_in_their_area(monkeypatch):
    """Fostering looks only at households someone left this month: a single parent's death
    must still leave no minor without an adult."""
    from simulation import life_events

    m = SocialDomainModel("baseline", rng=5, scale=0.05, end_year=2020, warm_up_months=0)
    pop, p = m.population, m.population.persons
    alive = p.active()
    adult = pop.age_years(alive, m.now) >= 18
    adults = np.bincount(p.household[alive[adult]], minlength=pop.households.n)
    minors = np.bincount(p.household[alive[~adult]], minlength=pop.households.n)
    homes = np.flatnonzero((adults == 1) & (minors > 0))[:5]
    parents = alive[adult & np.isin(p.household[alive], homes)]
    kids = alive[~adult & np.isin(p.household[alive], homes)]
    survey = life_events.survey

    def parents_die(ids, *args):
        dead, *rest = survey(ids, *args)
        return (np.union1d(dead, parents), *(r[~np.isin(r, parents)] for r in rest))

    monkeypatch.setattr(life_events, "survey", parents_die)
    area_before = pop.area_of(kids)
    m.step()
    stayed = p.alive[kids]  # (a kid may also die, or leave with the family taking them in)
    kids, area_before = kids[stayed], area_before[stayed]
    assert len(kids) > 0 and not p.alive[parents].any()
    assert not pop.households.alive[homes].any()
    alive = p.active()
    grown_ups = alive[pop.age_years(alive, m.now) >= 18]
    assert np.isin(p.household[kids], p.household[grown_ups]).all()
    assert (pop.area_of(kids) == area_before).all()
