"""The compiled kernels against the numpy expressions they replace."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulation.kernels import (
    group_by,
    group_ids,
    happens_this_month,
    hash_uniform,
    ids_at_most,
    ids_where,
    merge_sorted,
    monthly_probability,
    sorted_union,
    stable_order,
    unique_ids,
)
from simulation.dataset import MAX_AGE
from simulation.long_term_care import AGE_BANDS, WMO_DOMAIN, _at_home, _drawn, _eligible, _still_at_home, by_band
from simulation.population import _by_age, _count

ints = st.lists(st.integers(-1, 30), max_size=200)


@given(ints)
@settings(max_examples=200, deadline=None)
def test_group_by_is_a_stable_sort_by_key(keys):
    keys = np.array(keys, dtype=np.int64)
    members = np.arange(len(keys)) * 10
    starts, grouped = group_by(keys, members, 31)
    order = np.argsort(keys, kind="stable")
    order = order[keys[order] >= 0]
    assert np.array_equal(grouped, members[order])
    assert np.array_equal(np.diff(starts), np.bincount(keys[keys >= 0], minlength=31))


@given(ints)
@settings(max_examples=200, deadline=None)
def test_group_ids_is_group_by_with_known_counts(keys):
    keys = np.array(keys, dtype=np.int64)
    ids = np.flatnonzero(keys >= 0)
    counts = np.bincount(keys[ids], minlength=31)
    starts, grouped = group_ids(ids, keys, counts)
    expected = group_by(keys[ids], ids, 31)
    assert np.array_equal(starts, expected[0]) and np.array_equal(grouped, expected[1])


@given(st.lists(st.integers(0, 60), max_size=80), st.lists(st.integers(0, 60), max_size=30))
@settings(max_examples=200, deadline=None)
def test_sorted_union_is_union1d(a, b):
    a = np.unique(np.array(a, dtype=np.int64))
    assert np.array_equal(sorted_union(a, np.array(b, dtype=np.int64)), np.union1d(a, b))


@given(st.lists(st.integers(0, 60), max_size=80), st.lists(st.integers(0, 60), max_size=80))
@settings(max_examples=200, deadline=None)
def test_merge_sorted_is_union1d(a, b):
    a, b = np.unique(np.array(a, dtype=np.int64)), np.unique(np.array(b, dtype=np.int64))
    assert np.array_equal(merge_sorted(a, b), np.union1d(a, b))


@given(st.lists(st.integers(-1, 30), max_size=200).map(lambda v: np.array(v, dtype=np.int32)), st.integers(-2, 31))
@settings(max_examples=100, deadline=None)
def test_ids_at_most_and_ids_where_are_flatnonzero(values, bound):
    assert np.array_equal(ids_at_most(values, bound), np.flatnonzero(values <= bound))
    assert np.array_equal(ids_where(values > bound), np.flatnonzero(values > bound))


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=30, deadline=None)
def test_due_list_finds_what_a_pass_over_every_id_finds(seed):
    """Month after month, the due ids redrawn, ids added and now and then everyone redrawn:
    the due list gives the ids a full pass gives."""
    from simulation.candidacies import NEVER, DueList

    rng = np.random.default_rng(seed)
    schedule = rng.integers(0, 40, 200).astype(np.int32)
    schedule[rng.random(200) < 0.1] = NEVER
    due_list = DueList()
    for clock in range(60):
        if rng.random() < 0.05:  # everyone drawn afresh
            schedule = (clock + rng.integers(0, 40, len(schedule))).astype(np.int32)
            due_list.reset()
        due = due_list.due(schedule, clock)
        assert np.array_equal(due, np.flatnonzero(schedule <= clock))
        schedule[due] = clock + 1 + rng.integers(0, 20, len(due))  # their next candidacy
        schedule[due[rng.random(len(due)) < 0.2]] = NEVER  # some died
        schedule = np.append(schedule, clock + 1 + rng.integers(0, 30, rng.integers(0, 8))).astype(np.int32)


def test_hashed_numbers_are_uniform_and_independent_of_who_else_draws():
    ids = np.arange(200_000)
    u = hash_uniform(ids, np.uint64(12345))
    assert stats.kstest(u, "uniform").pvalue > 0.001
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 0.01  # neighbouring ids unrelated
    assert np.array_equal(hash_uniform(ids[::7], np.uint64(12345)), u[::7])
    assert not np.array_equal(hash_uniform(ids[:100], np.uint64(12346)), u[:100])


@given(st.floats(0, 1, exclude_max=True), st.floats(0, 1))
@settings(max_examples=500, deadline=None)
def test_happens_this_month_is_the_monthly_share_of_a_yearly_probability(u, p):
    exact = u < 1.0 - (1.0 - p) ** (1.0 / 12.0)
    margin = abs(u - (1.0 - (1.0 - p) ** (1.0 / 12.0)))
    if margin > 1e-9:  # away from the boundary, where rounding may differ
        assert happens_this_month(u, p) == exact


@given(st.lists(st.integers(-1, 40), max_size=300), st.sampled_from([0, 24_000, -5_000]), st.booleans())
@settings(max_examples=200, deadline=None)
def test_stable_order_is_a_stable_argsort(keys, offset, wide):
    """Months (a small range: counting sort) and keys far apart (merge sort) alike."""
    keys = np.array(keys, dtype=np.int64) * (10_000 if wide else 1) + offset
    for dtype in (np.int32, np.int64):
        assert np.array_equal(stable_order(keys.astype(dtype)), np.argsort(keys, kind="stable"))


@given(st.data(), st.integers(11, 62))
@settings(max_examples=200, deadline=None)
def test_stable_order_of_wide_keys_such_as_ids_is_a_stable_argsort(data, bits):
    """Keys over ranges of 11 to 62 bits (a radix sort of one to six digits), with ties."""
    keys = data.draw(st.lists(st.integers(0, 2**bits - 1), max_size=300))
    keys = np.array(keys + keys[: len(keys) // 3], dtype=np.int64)
    assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))


@given(st.lists(st.lists(st.integers(-1, 60), max_size=30), max_size=12))
@settings(max_examples=200, deadline=None)
def test_unique_ids_is_np_unique_of_the_concatenation(arrays):
    arrays = [np.array(a, dtype=np.int32) for a in arrays]
    expected = np.unique(np.concatenate([np.empty(0, np.int64), *arrays]))
    got = unique_ids(*arrays)
    assert got.dtype == np.int64 and got.tolist() == expected.tolist()


def test_onset_by_thinning_gives_each_person_their_monthly_probability():
    """Candidacies at the bound of each person's sex and age band, thinned by their own
    probability, give the Bernoulli draw of every person every month, in the warm-up (ages
    standing still, the clock running) and after it, also for those crossing into a band with a
    higher bound; those with a problem get none."""
    from simulation.candidacies import BandedCandidacies, band_bounds
    from simulation.kernels import monthly_probability
    from simulation.needs import OnsetRates, Residents, _onset
    from simulation.population import NO_ID
    from simulation.random_streams import Streams

    n, warm_up, months, start = 60_000, 12, 12, 2020 * 12
    ids = np.arange(n)
    group = ids * 3 // n  # 0: aged 30 in pairs; 1: aged 90 (a band's start), alone; 2: turning 80 within a year, alone
    rng = np.random.default_rng(3)
    birth = (start - np.select([group == 0, group == 1], [30 * 12, 90 * 12], 79 * 12 + rng.integers(1, 12, n))
             ).astype(np.int32)
    household = np.where(group == 0, ids // 2, ids).astype(np.int32)
    size = np.bincount(household, minlength=n)
    onset = np.where(np.arange(111) >= 80, 0.35, 0.05)
    alone_rr, female_rr = 1.5, 1.2
    need_domain = np.full(n, NO_ID, dtype=np.int8)
    need_domain[::10] = 0  # these have a problem already
    alive, sex, area = np.ones(n, bool), np.zeros(n, np.int8), np.zeros(n, np.int16)
    rate = np.where(np.arange(111) >= 18, onset * alone_rr, onset)
    bound = band_bounds(monthly_probability(np.vstack([rate, rate * female_rr])))
    streams, candidacies = Streams(3), BandedCandidacies()
    onset_next = np.zeros(n, dtype=np.int32)
    counts, expected = np.zeros(3), np.zeros(3)
    for k in range(warm_up + months):
        now, clock = start + max(k - warm_up, 0), start - warm_up + k
        candidates = candidacies.due(onset_next, clock, now, birth, sex, alive, bound, streams.key("first", k),
                                     streams.key("band", k))
        age = (now - birth) // 12
        new = _onset(candidates, Residents(alive, need_domain, age, household, size, sex, area),
                     OnsetRates(onset, 1.0, alone_rr, female_rr, np.zeros(1), -1, -1), onset_next,
                     candidacies.banded(clock, now, birth, sex), streams.key("onset", k), streams.key("next", k))
        assert (need_domain[new] == NO_ID).all()
        counts += np.bincount(group[new], minlength=3)
        p = monthly_probability(np.where(size[household] == 1, onset[age] * alone_rr, onset[age]))
        expected += np.bincount(group, np.where(need_domain == NO_ID, p, 0.0), minlength=3)
    for c, e in zip(counts, expected):
        assert abs(c - e) < 4 * np.sqrt(e), (counts, expected)


def test_life_events_by_thinning_give_each_person_their_monthly_probability_across_age_bands():
    """Deaths and leaving home drawn from candidacies at the bound of each person's (sex, age
    band), drawn afresh on entering a band, and thinned by the person's own probability: as
    many as drawing every event for everyone every month, also for those crossing into a band
    with other bounds (18: leaving home starts, death is likelier), and independent of each
    other (a leaver is one who does not die)."""
    from simulation.candidacies import NEVER, band_bounds, log_keep
    from simulation.life_events import (
        DEATH,
        EVENTS,
        LEAVE_HOME,
        People,
        Thinning,
        at_home_share,
        first_candidacies,
        leavers,
        survey,
    )
    from simulation.population import NO_ID
    from simulation.random_streams import Streams

    n, months, start, median = 40_000, 36, 2020 * 12, 23.5
    rng, streams = np.random.default_rng(1), Streams(5)
    young = np.arange(n)  # aged 16-19 at the start, each living with their mother (ids n ..)
    birth = np.concatenate([start - rng.integers(16 * 12, 20 * 12, n), np.full(n, start - 45 * 12)]).astype(np.int32)
    sex = np.zeros(2 * n, dtype=np.int8)
    household = np.concatenate([young, young]).astype(np.int32)
    mother = np.concatenate([young + n, np.full(n, NO_ID)]).astype(np.int32)
    father, partner = np.full(2 * n, NO_ID, dtype=np.int32), np.full(2 * n, NO_ID, dtype=np.int32)
    alive = np.ones(2 * n, dtype=bool)
    q_month = np.zeros((2, 111))
    q_month[:, 12:18], q_month[:, 18], q_month[:, 19:25] = 0.004, 0.03, 0.01
    leave = np.where(np.arange(111) >= 18, 1.0 - at_home_share(np.arange(111) + 1.0, median)
                     / at_home_share(np.arange(111) + 11 / 12, median), 0.0)
    by_age = np.zeros((EVENTS, 2, 111))
    by_age[DEATH], by_age[LEAVE_HOME] = q_month, leave
    bound = band_bounds(by_age)
    life_next, life_due = np.full((2 * n, EVENTS), NEVER, dtype=np.int32), np.full(2 * n, NEVER, dtype=np.int32)
    people = People(birth, sex, partner, mother, father, alive, household)
    thinning = Thinning(life_next, life_due, bound, log_keep(bound))
    first_candidacies(young, people, start, thinning, streams.key("first", 0))
    counts, expected = np.zeros((2, 2)), np.zeros((2, 2))  # (deaths, leavers) x (under 18, 18+)
    for k in range(months):
        now = start + k
        dead, _, _, at_home, _ = survey(
            np.flatnonzero(life_due <= now), 0 if k == 0 else 2 * n, people, now, thinning, q_month,
            streams.key("death", k), streams.key("band", k), streams.key("next", k))
        left = leavers(at_home, people, now, bound, median, streams.key("leave", k))
        age = (now - birth[young]) // 12  # nobody is removed: every month is a trial for everyone
        x = (now - birth[young]) / 12.0
        p_death, p_leave = q_month[0, age], np.where(age >= 18, 1.0 - at_home_share(x + 1 / 12, median)
                                                     / at_home_share(x, median), 0.0)
        for row, ids, p in ((0, dead, p_death), (1, left, p_leave * (1 - p_death))):
            counts[row] += np.bincount((now - birth[ids]) // 12 >= 18, minlength=2)
            expected[row] += np.bincount(age >= 18, p, minlength=2)
    assert counts[1, 0] == 0 and expected[1, 1] > 1000
    for c, e in zip(counts.ravel(), expected.ravel()):
        if e > 0:
            assert abs(c - e) < 4 * np.sqrt(e), (counts, expected)


def test_scheduled_job_churn_redraws_each_trait_with_the_monthly_probability():
    from simulation.candidacies import schedule_first
    from simulation.employment import _churn
    from simulation.kernels import monthly_probability
    from simulation.random_streams import Streams

    n, months, p = 50_000, 24, monthly_probability(0.12)
    streams = Streams(8)
    trait = hash_uniform(np.arange(n), streams.key("new", 0)).astype(np.float32)
    churn_next = np.zeros(n, dtype=np.int32)
    age, sex, rate = np.full(n, 40, dtype=np.int32), np.zeros(n, dtype=np.int8), np.full((2, 111), 0.7)
    schedule_first(np.arange(n), churn_next, 0, p, streams.key("first", 0))
    redrawn = 0
    for clock in range(months):
        before = trait.copy()
        lost = _churn(np.flatnonzero(churn_next <= clock), np.ones(n, bool), age, sex, trait, rate, churn_next, clock,
                      p, streams.key("redraw", clock), streams.key("next", clock))
        redrawn += int((trait != before).sum())
        assert ((before[lost] < 0.7) & (trait[lost] >= 0.7)).all()
    assert abs(redrawn - n * months * p) < 4 * np.sqrt(n * months * p * (1 - p))


def test_out_migration_by_thinning_gives_each_household_the_probability_of_its_eldest():
    from simulation.candidacies import schedule_first
    from simulation.migration import _leaving
    from simulation.kernels import monthly_probability
    from simulation.random_streams import Streams

    n_households, months, now = 30_000, 24, 2020 * 12
    members = np.repeat(np.arange(n_households), 2)  # two members each: the first is the eldest
    birth = np.where(np.arange(len(members)) % 2 == 0, now - 12 * np.where(members % 2 == 0, 20, 70), now - 12)
    first, end = np.arange(0, len(members), 2), np.arange(2, len(members) + 1, 2)
    grouped = np.arange(len(members))
    p_month = monthly_probability(np.where(np.arange(111) < 30, 0.12, 0.01))
    bound = p_month.max()
    alive, leave_next, streams = np.ones(n_households, bool), np.zeros(n_households, dtype=np.int32), Streams(4)
    schedule_first(np.arange(n_households), leave_next, now, bound, streams.key("first", 0))
    left = np.concatenate([
        _leaving(np.flatnonzero(leave_next <= now + k), alive, first, end, grouped, birth.astype(np.int32), leave_next,
                 now + k, p_month, bound, streams.key("leave", k), streams.key("next", k))
        for k in range(months)])
    for young, p in ((True, p_month[20]), (False, p_month[70])):
        trials = n_households // 2 * months  # households leave again: each month is a trial
        count = int(((left % 2 == 0) == young).sum())
        assert abs(count - trials * p) < 4 * np.sqrt(trials * p * (1 - p)), (young, count, trials * p)


def test_admission_keeps_wait_order_within_each_list_and_then_tries_the_area_providers():
    from simulation.providers import _admit

    free = np.array([[10.0], [5.0]])  # providers 0 (lead contractor) and 1 of area 0, one profession
    first = np.array([0, 0, 0])
    chosen = _admit(first, np.zeros(3, np.int64), np.zeros(3, np.int64), np.array([6.0, 5.0, 3.0]), free, 2)
    # 6 fits; 5 does not and closes the list, so 3 may not overtake it; then the lead contractor
    # again (4 h free: 5 still does not fit, and closes it), then provider 1 takes 5 (and is full)
    assert chosen.tolist() == [0, 1, -1]
    assert np.allclose(free, [[4.0], [0.0]])


@given(ints, st.lists(st.integers(0, 30), max_size=50))
@settings(max_examples=200, deadline=None)
def test_in_sorted_is_isin(values, ids):
    from simulation.kernels import in_sorted

    values, ids = np.array(values, dtype=np.int64), np.unique(np.array(ids, dtype=np.int64))
    assert np.array_equal(in_sorted(values, ids), np.isin(values, ids))


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 110)), max_size=200), st.integers(0, 111))
@settings(max_examples=100, deadline=None)
def test_wlz_candidates_from_home_are_the_living_outside_it_of_age(persons, min_age):
    """``long_term_care._at_home`` lists what the masks over every id it replaced list."""
    alive, in_wlz, age = (np.array(column, dtype=dtype) for column, dtype in
                          zip(zip(*persons) if persons else ([], [], []), (np.bool_, np.bool_, np.int32)))
    expected = np.flatnonzero(alive & ~in_wlz & (age >= min_age))
    assert np.array_equal(_at_home(alive, in_wlz, age, min_age), expected)


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(60, 70)), max_size=200), st.integers(60, 71),
       st.data())
@settings(max_examples=100, deadline=None)
def test_wlz_candidates_kept_in_place_are_the_listed_still_at_home(persons, min_age, data):
    """``long_term_care._still_at_home`` keeps, in place, those of a sorted list alive and outside
    the Wlz, and returns those of them aged ``min_age`` or older: what the masks give."""
    alive, in_wlz, age = (np.array(column, dtype=dtype) for column, dtype in
                          zip(zip(*persons) if persons else ([], [], []), (np.bool_, np.bool_, np.int32)))
    listed = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(persons) - 1, 0)), max_size=len(persons)))),
                      dtype=np.int64)
    ids = np.concatenate([listed, np.full(5, -7, dtype=np.int64)])  # spare room the kernel leaves alone
    count, home = _still_at_home(ids, len(listed), alive, in_wlz, age, min_age)
    kept = listed[alive[listed] & ~in_wlz[listed]]
    assert np.array_equal(ids[:count], kept)
    assert np.array_equal(home, kept[age[kept] >= min_age])
    assert (ids[len(listed):] == -7).all()


@given(st.lists(st.integers(60, 100), max_size=300), st.tuples(*[st.floats(0.0, 1.0)] * 3), st.integers(0, 2**64 - 1))
@settings(max_examples=100, deadline=None)
def test_wlz_draws_in_one_pass_are_the_uniform_numbers_against_the_band_hazard(ages, by_age_band, key):
    """``long_term_care._drawn`` takes those whose ``Streams.uniform`` number (``hash_uniform``)
    is below their age band's probability: bit for bit the draws made with arrays."""
    age = np.array(ages, dtype=np.int32)
    ids = np.flatnonzero(np.arange(len(age)) % 3 != 1)  # some of the persons, in order
    hazard = np.array(by_age_band)
    key = np.uint64(key)
    expected = ids[hash_uniform(ids, key) < hazard[np.searchsorted(AGE_BANDS, age[ids], side="right")]]
    assert np.array_equal(_drawn(ids, age, hazard, key), expected)


@given(st.lists(st.tuples(st.integers(-1, 6), st.integers(0, 2), st.integers(0, 3), st.booleans(),
                          st.integers(64, 66)), max_size=200), st.integers(0, 3), st.integers(64, 67))
@settings(max_examples=100, deadline=None)
def test_wlz_eligible_in_one_pass_are_those_the_masks_over_the_clients_find(persons, onset_by, min_age):
    """``long_term_care._eligible`` lists the clients (every other id) alive with a heavy Wmo
    problem begun by ``onset_by``, of ``min_age`` or older: what the masks it replaced list."""
    domain, severity, onset, alive, age = (np.array(column, dtype=dtype) for column, dtype in
                                           zip(zip(*persons) if persons else ([], [], [], [], []),
                                               (np.int8, np.int8, np.int32, np.bool_, np.int32)))
    clients = np.arange(0, len(persons), 2, dtype=np.int64)
    d = domain[clients]
    expected = clients[(d >= 0) & WMO_DOMAIN[np.maximum(d, 0)] & (severity[clients] == 2) & (onset[clients] <= onset_by)
                       & alive[clients] & (age[clients] >= min_age)]
    assert np.array_equal(_eligible(clients, domain, severity, onset, alive, age, WMO_DOMAIN, onset_by, min_age), expected)


@given(st.lists(st.integers(0, 110), max_size=100), st.tuples(*[st.floats(0.0, 1.0)] * 3), st.floats(0.0, 10.0))
@settings(max_examples=100, deadline=None)
def test_wlz_hazard_per_band_is_the_hazard_worked_out_per_person(ages, yearly, multiplier):
    """``long_term_care.by_band`` works the monthly probability out per age band, which is looked
    up by age: bit for bit what the same formula gives worked out for each person."""
    ages = np.array(ages, dtype=np.int32)
    per_person = np.array(yearly)[np.searchsorted(AGE_BANDS, ages, side="right")]
    expected = np.minimum(monthly_probability(per_person) * multiplier, 1.0)
    assert np.array_equal(by_band(yearly, multiplier)[np.searchsorted(AGE_BANDS, ages, side="right")], expected)


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 2), st.integers(0, 1500), st.booleans()), max_size=200),
       st.integers(0, 1600))
@settings(max_examples=100, deadline=None)
def test_residents_kept_by_birth_month_fold_into_the_count_by_sex_area_and_age(persons, month):
    """``population._count`` keeps the residents by (sex, area, birth month) as persons come
    and go, and ``_by_age`` folds them into completed years at a month (capped at MAX_AGE, those
    born later left out): what a count of those still there by (sex, area, age) gives."""
    columns = zip(*persons) if persons else ([], [], [], [])
    sex, area, birth, leaves = (np.array(c, dtype=d) for c, d in zip(columns, (np.int8, np.int16, np.int32, bool)))
    ids = np.arange(len(sex), dtype=np.int64)
    household, size = np.zeros(len(sex), dtype=np.int32), np.zeros(1, dtype=np.int32)
    by_birth = np.zeros((2, 3, 1501), dtype=np.int64)
    _count(ids, 1, household, sex, birth, area, size, by_birth, 0)
    _count(ids[leaves], -1, household, sex, birth, area, size, by_birth, 0)
    folded = _by_age(by_birth.reshape(6, 1501), 0, month).reshape(2, 3, MAX_AGE + 1)
    there = ~leaves & (birth <= month)
    expected = np.zeros((2, 3, MAX_AGE + 1), dtype=np.int64)
    np.add.at(expected, (sex[there], area[there], np.minimum((month - birth[there]) // 12, MAX_AGE)), 1)
    assert np.array_equal(folded, expected)
    assert size[0] == (~leaves).sum()
