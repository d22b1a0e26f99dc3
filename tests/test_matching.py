"""Matching carers to requests (``matching._match``): the compiled kernel against the rules of
``docs/odd/informal_care.md`` written out plainly here, on the network, capacity and care of a
real model month."""

import numpy as np
import pytest

from simulation import SocialDomainModel
from simulation.kernels import splitmix64, unit_hash
from simulation.matching import (EITHER, EPS, FIRST, HOUSEHOLD, KIN_OTHER_AREA, KIN_SAME_AREA, MAX_CANDIDATES,
                                 MAX_CARERS, NEIGHBOUR, VOLUNTEER, VOLUNTEER_PICKS, Care, _match, _random_order)
from simulation.network import Tie
from simulation.population import FEMALE, NO_ID


@pytest.fixture(scope="module")
def month():
    """A 2% model after its warm-up: what matching reads in its first month."""
    model = SocialDomainModel("baseline", rng=2, scale=0.02, start_year=2016, end_year=2016)
    clock = model.clock
    matching = model.informal_care._matching
    return model, matching._matching_inputs(clock.now, clock.month), matching._volunteer_pool(clock.now)


def _capacity(c, cap):
    """Hours a week ``c`` could give: hours by work, times factors by age, sex, own problem."""
    a = cap.age[c]
    employed = cap.work_trait[c] < cap.employment_rate[cap.sex[c], min(a, cap.employment_rate.shape[1] - 1)]
    hours = cap.hours_employed if employed else cap.hours_not_employed
    by_age = (0.0 if a < 18 else cap.young_adult_factor if a < 25 else cap.old_age_factor ** 2 if a >= 85
              else cap.old_age_factor if a >= 75 else 1.0)
    by_sex = cap.female_factor if cap.sex[c] == FEMALE else 2.0 - cap.female_factor
    by_need = 1.0 if cap.need_domain[c] == NO_ID else (0.9, 0.5, 0.0)[cap.need_severity[c]]
    return hours * by_age * by_sex * by_need * cap.capacity_multiplier


def _plain_match(req, remaining, order, wanted, mobilisation, partial, vol_starts, vol_members, will, net, cap, care,
                 dropout_threshold, date):
    """The matching rules, one request at a time in Python."""
    covered = remaining <= EPS
    started = []
    for r in order:
        if covered[r]:
            continue
        person = int(req[r])
        area, home = net.area[person], net.household[person]
        candidates = {}  # contact -> tie, in the order met

        def consider(contact, tie):
            contact = int(contact)
            if contact in (person, NO_ID) or (contact not in candidates and len(candidates) >= MAX_CANDIDATES):
                return
            if not net.alive[contact] or cap.age[contact] < 18:
                return
            if tie == Tie.KIN_SAME_AREA:  # kin: outside the household, by where they live
                if net.household[contact] == home:
                    return
                tie = KIN_SAME_AREA if net.area[contact] == area else KIN_OTHER_AREA
            if unit_hash(will.willing_key, contact) < will.p_by_tie[cap.sex[contact], tie, area]:
                candidates[contact] = min(candidates.get(contact, tie), tie)

        def children(parent, first, following, in_laws=False):
            child = first[parent]
            while child >= 0:
                consider(child, Tie.KIN_SAME_AREA)
                if in_laws and net.partner[child] >= 0:
                    consider(net.partner[child], Tie.KIN_SAME_AREA)
                child = following[child]

        if wanted[HOUSEHOLD]:
            for k in range(net.hh_first[home], net.hh_end[home]):
                consider(net.hh_members[k], HOUSEHOLD)
        if wanted[KIN_SAME_AREA]:
            mum, dad = net.mother[person], net.father[person]
            if mum >= 0:
                consider(mum, Tie.KIN_SAME_AREA)
                children(mum, net.first_by_mother, net.next_by_mother)
            if dad >= 0:
                consider(dad, Tie.KIN_SAME_AREA)
                if mum < 0 or net.several_mothers[dad]:
                    children(dad, net.first_by_father, net.next_by_father)
            before = set(candidates)
            old = cap.age[person] >= will.parent_care_age
            children(person, net.first_by_mother, net.next_by_mother, in_laws=old)
            children(person, net.first_by_father, net.next_by_father, in_laws=old)
            if old:  # an old parent's children and their partners are asked first
                candidates.update({c: FIRST for c in candidates if c not in before})
        person_key = np.uint64(splitmix64(np.uint64(person) ^ will.priority_key))
        need, taken = remaining[r], []

        def take(new):
            nonlocal need
            for c in sorted(new, key=lambda c: candidates[c] - 0.5 * unit_hash(person_key, c)):
                if len(taken) == MAX_CARERS or need <= EPS:
                    break
                if care.strain[c] > dropout_threshold:
                    continue
                capacity = _capacity(c, cap)
                # (the fields are float32, the hours float64, as in the kernel)
                free = (min(capacity, cap.coresident_capacity_factor * capacity - float(cap.daily_care[c]))
                        - float(care.care_given[c]) - float(cap.parent_care[c]))
                give = max(free, 0.0) * mobilisation
                if candidates[c] == VOLUNTEER:
                    give = min(give, cap.volunteer_hours - float(care.care_given[c]))
                give = min(give, need)
                if give > EPS:
                    taken.append((c, give))
                    need -= give

        take(list(candidates))
        if need > EPS and len(taken) < MAX_CARERS:
            close = set(candidates)
            if wanted[NEIGHBOUR]:
                for other in net.neighbours[home]:
                    if other >= 0 and net.hh_alive[other]:
                        for k in range(net.hh_first[other], net.hh_end[other]):
                            consider(net.hh_members[k], NEIGHBOUR)
            if wanted[VOLUNTEER]:
                size = vol_starts[area + 1] - vol_starts[area]
                for j in range(VOLUNTEER_PICKS if size > 0 else 0):
                    pick = vol_starts[area] + int(unit_hash(will.volunteer_key, person * VOLUNTEER_PICKS + j) * size)
                    consider(vol_members[pick], VOLUNTEER)
            take([c for c in candidates if c not in close])
        covered[r] = need <= EPS
        if covered[r] or partial:
            for j, (c, hours) in enumerate(taken):
                care.carers[person, j], care.carer_hours[person, j] = c, hours
                care.care_next[person, j], care.care_head[c] = care.care_head[c], person * MAX_CARERS + j
                care.care_given[c] = float(care.care_given[c]) + hours
                if care.care_since[c] == NO_ID:
                    care.care_since[c] = date
                    started.append(c)
    return covered, np.array(started, dtype=np.int64)


@pytest.mark.parametrize("ties, mobilisation, partial", [
    ((Tie.HOUSEHOLD, Tie.KIN_SAME_AREA, Tie.NEIGHBOUR, Tie.VOLUNTEER), 1.5, False),
    ((Tie.HOUSEHOLD, Tie.KIN_SAME_AREA), 1.0, True),
])
def test_the_kernel_takes_the_carers_the_rules_give(month, ties, mobilisation, partial):
    """Requests in random order each take willing, able contacts closest tie first (an old
    parent's children first), neighbours and volunteers only for hours left: the compiled
    kernel commits the same carers, hours and care relations as the rules done plainly."""
    model, (will, net, cap, care, dropout_threshold, date), (vol_starts, vol_members) = month
    p = model.population.persons
    rng = np.random.default_rng(5)
    free = np.flatnonzero(p.alive[:p.n] & (p.carers[:p.n, 0] == NO_ID))
    req = np.sort(rng.choice(free, size=600, replace=False))
    remaining = rng.uniform(0.0, 12.0, len(req))
    order = _random_order(req, np.uint64(11))
    wanted = np.zeros(len(Tie), dtype=np.bool_)
    wanted[list(ties)] = True
    results = []
    for run in (_match, _plain_match):
        own = Care(*(x.copy() for x in care))
        covered, started = run(req, remaining, order, wanted, mobilisation, partial, vol_starts, vol_members, will, net,
                               cap, own, dropout_threshold, date)
        results.append((covered, started, own))
    (covered, started, care_kernel), (plain_covered, plain_started, care_plain) = results
    np.testing.assert_array_equal(covered, plain_covered)
    np.testing.assert_array_equal(started, plain_started)
    for name, kernel, plain in zip(Care._fields, care_kernel, care_plain):
        np.testing.assert_array_equal(kernel, plain, err_msg=name)
    # the comparison holds something: requests covered and not, and new carers
    assert 0 < covered.sum() < len(req) and len(started) > 0
    helped = care_kernel.carers[req, 0] != NO_ID
    if partial:  # help beside another source keeps whoever gives some hours
        assert helped.sum() > covered.sum()
    else:  # a request that cannot be covered takes nobody
        np.testing.assert_array_equal(helped, covered & (remaining > EPS))
