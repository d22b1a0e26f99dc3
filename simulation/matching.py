"""Matching: which carers from a person's network cover a request for help, and carers'
capacity.

Requests in random order each take their closest willing contacts with free hours: for an old
parent their children and children-in-law living elsewhere first, then the own household, kin (parents, siblings, children outside the household), neighbours' households, and
(when the access team arranges it) volunteers of the area. A contact's willingness is a
persistent trait against a probability by tie (neighbours scaled by the area's cohesion and the
informal field); their free hours are what their capacity leaves after the care they already
give. Matching is irregular work (each request has its own few contacts), so it is a loop
compiled with numba (``_match``) rather than array passes over all (request, contact) pairs; its
inputs come bundled (``Willingness``, ``Network``, ``Capacity``, ``Care``). The care relations it
commits are informal care's (``informal_care.py``).
At about 500 lines this module is longer than most: the compiled loop and the bundles it reads
(willingness, network, capacity, care) are one piece of work, read together.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from .employment import is_employed
from .kernels import group_by, inline, jit, splitmix64, unit_hash
from .network import Tie
from .population import FEMALE, MALE, NO_ID
from .random_streams import id_uniform, trait_key

if TYPE_CHECKING:
    from .informal_care import InformalCare

MAX_CARERS = 3  # carers per person with a problem
EPS = 1e-6
REFERENCE_COHESION = 0.5  # willing_neighbour is given at this cohesion; it scales with the area's
MAX_CANDIDATES = 256  # contacts considered per request (household, kin, neighbours' members)
VOLUNTEER_PICKS = 3  # volunteers of the area an access team can call on per request
HOUSEHOLD, KIN_SAME_AREA, KIN_OTHER_AREA, NEIGHBOUR, VOLUNTEER = (int(t) for t in Tie)
KIN = -1  # a kin contact: same-area or other-area tie, decided by where they live
EITHER = 2  # the row of the willingness table with the higher of the two sexes' probabilities
FIRST = -1  # the rank of an old parent's children and children-in-law: asked before the household


class Capacity(NamedTuple):
    """What a person's carer capacity (hours per week, ``_capacity``) depends on: their age,
    sex, work, own problem and the daily care they give at home (arrays by id), and the
    ``informal_care`` parameters of that name."""

    age: np.ndarray
    sex: np.ndarray
    work_trait: np.ndarray
    employment_rate: np.ndarray  # by (sex, age): ``employment.is_employed``
    need_domain: np.ndarray
    need_severity: np.ndarray
    hours_employed: float
    hours_not_employed: float
    young_adult_factor: float
    old_age_factor: float
    female_factor: float
    capacity_multiplier: float
    volunteer_hours: float  # the most a volunteer gives, in total
    daily_care: np.ndarray  # hours/week of daily care given to someone at home (informal care's month sets it)
    coresident_capacity_factor: float  # capacity multiplier of those who give daily care
    parent_care: np.ndarray  # hours/week of daily care given to an old parent living elsewhere (as daily_care)


class Network(NamedTuple):
    """Whom a request can ask: household members (the census grouping: household h's are
    ``hh_members[hh_first[h]:hh_end[h]]``), kin (children by mother and by father, as lists; their
    partners), neighbouring households (slots by household), and who lives where."""

    hh_first: np.ndarray
    hh_end: np.ndarray
    hh_members: np.ndarray
    first_by_mother: np.ndarray
    next_by_mother: np.ndarray
    first_by_father: np.ndarray
    next_by_father: np.ndarray
    several_mothers: np.ndarray  # a father with children by several mothers
    household: np.ndarray
    mother: np.ndarray
    father: np.ndarray
    partner: np.ndarray
    alive: np.ndarray
    area: np.ndarray
    neighbours: np.ndarray  # by (household, slot)
    hh_alive: np.ndarray


class Willingness(NamedTuple):
    """Who is willing to help: P(willing) by (contact's sex, tie, requester's area), with the higher
    of the two sexes' as a third row (``willing_table``), against a persistent per-person trait
    (``willing_key``), the age from which a parent's children are asked before the household
    (``parent_care_age``), and the keys of the month's tie-breaks and volunteer picks."""

    p_by_tie: np.ndarray
    parent_care_age: float
    willing_key: np.uint64
    priority_key: np.uint64
    volunteer_key: np.uint64


class Care(NamedTuple):
    """The care relations (person fields; matching commits new ones in place)."""

    strain: np.ndarray
    care_given: np.ndarray
    care_since: np.ndarray
    carers: np.ndarray
    carer_hours: np.ndarray
    care_head: np.ndarray
    care_next: np.ndarray


class Matching:
    """Informal care's matching: what it reads, gathered once a month, and the volunteer pool."""

    def __init__(self, care: "InformalCare"):
        self.care = care
        self.model = care.model
        self.pop = care.pop
        self._pool: tuple = (None, None)  # (census, volunteers grouped by area)
        # those whose volunteer trait is below the largest share an area can reach (the
        # volunteer pool is drawn from them): (that share, persons listed so far, the list)
        self._would_volunteer: tuple = (None, 0, np.empty(0, dtype=np.int64))
        self._inputs: tuple = (None, None)  # ((census, month), what matching reads besides the requests)
        self._willing: tuple = (None, None)  # ((census, month), the willingness table)

    def match(self, req: np.ndarray, ties: tuple[Tie, ...], now: int, month: int,
              outside_hours: np.ndarray | None = None, mobilisation: float = 1.0,
              hours: np.ndarray | None = None, partial: bool = False) -> np.ndarray:
        """Try to cover each request's hours (default: the whole problem) with up to
        MAX_CARERS carers from its network: requests in random order each take willing,
        able contacts, closest tie first, and keep them only if their hours are covered (with
        ``partial``, keep whoever gives some of them: help beside another source of help).
        Covered requests get their carers (committed); returns the covered mask and the carers
        who began caring.

        Carers' free hours are what their capacity leaves after the care they already give
        (none while overloaded), times ``mobilisation``."""
        p = self.pop.persons
        req = np.asarray(req, dtype=np.int64)
        remaining = (p.need_hours[req] if hours is None else hours).astype(np.float64)
        if outside_hours is not None:
            remaining = remaining - outside_hours
        if len(req) == 0:
            return remaining <= EPS, req
        wanted = _wanted(ties)
        vol_starts, vol_members = self._volunteer_pool(now) if Tie.VOLUNTEER in ties else (NO_VOLUNTEERS, req[:0])
        order = _random_order(req, self.model.streams.key("informal_care.match_order", month))
        return _match(req, remaining, order, wanted, mobilisation, partial, vol_starts, vol_members,
                      *self._matching_inputs(now, month))


    def _matching_inputs(self, now: int, month: int) -> tuple:
        """What matching reads besides the requests, gathered once a month (per census):
        willingness, the network, carers' capacity and the care relations, and the date care
        begins. The social processes add no person or household, so the arrays stay valid all
        month."""
        if self._inputs[0] != (self.pop.census, month):
            p, h, kin, streams = self.pop.persons, self.pop.households, self.pop.kin, self.model.streams
            willing = Willingness(self.willing_table(), self.care.params.parent_care_age,
                                  trait_key(self.model.seed, "willing_to_care"),
                                  streams.key("informal_care.match", month),
                                  streams.key("informal_care.volunteers", month))
            network = Network(*self.pop.household_groups(now), kin.first_child["mother"], kin.next_sibling["mother"],
                              kin.first_child["father"], kin.next_sibling["father"], kin.several_mothers,
                              p.household, p.mother, p.father, p.partner, p.alive, self.pop.areas(), h.neighbours,
                              h.alive)
            care = Care(p.strain, p.care_given, p.care_since, p.carers, p.carer_hours, p.care_head, p.care_next)
            self._inputs = ((self.pop.census, month), (willing, network, self.care.capacity(), care,
                                                       self.care.params.dropout_threshold, self.model.clock.date))
        return self._inputs[1]


    def willing_table(self) -> np.ndarray:
        """P(willing to help) by (contact's sex, tie, requester's area), and a third row ``EITHER``
        with the higher of the two sexes': by tie, neighbours scaled by the area's cohesion and the
        informal field the contractors invest in (funding.py); women more often than men where
        care is a choice (kin and neighbours, ``women_willing_ratio``), not in the household nor
        among volunteers (who chose already). Made once a month (per census), as the other
        inputs of matching: the carers' month and matching both read it."""
        if self._willing[0] != (self.pop.census, self.model.clock.month):
            self._willing = ((self.pop.census, self.model.clock.month), self._make_willing_table())
        return self._willing[1]

    def _make_willing_table(self) -> np.ndarray:
        c = self.care.params
        table = np.repeat(np.array([c.willing_household, c.willing_kin, c.willing_kin * c.distance_factor,
                                    c.willing_neighbour, 1.0])[:, None], self.pop.n_areas, axis=1)
        table[Tie.NEIGHBOUR] *= self.model.cohesion / REFERENCE_COHESION * self.model.prevention.field_strength()
        by_sex = np.repeat(table[None], 3, axis=0)
        # the ratio splits the tie's probability between the sexes about its mean (equal numbers)
        chosen = [Tie.KIN_SAME_AREA, Tie.KIN_OTHER_AREA, Tie.NEIGHBOUR]
        by_sex[MALE, chosen] *= 2.0 / (1.0 + c.women_willing_ratio)
        by_sex[FEMALE, chosen] *= 2.0 * c.women_willing_ratio / (1.0 + c.women_willing_ratio)
        by_sex[EITHER] = by_sex[:EITHER].max(axis=0)
        return np.minimum(by_sex, 1.0)


    def volunteers(self, now: int) -> np.ndarray:
        """The volunteer pool's size by area (what its coordination costs)."""
        return np.diff(self._volunteer_pool(now)[0])

    def _volunteer_pool(self, now: int) -> tuple[np.ndarray, np.ndarray]:
        """Residents aged 18-79 who volunteer for individual support, grouped by area (starts,
        members); drawn up once a month."""
        if self._pool[0] != self.pop.census:
            c = self.model.config
            recruited = c.informal_care.volunteer_share * c.informal_care.volunteer_individual_share
            share = recruited * self.model.prevention.field_strength()
            areas = self.pop.areas()
            pool = _volunteers(self._willing_volunteers(recruited * (1 + c.prevention.max_field_effect)),
                               self.pop.persons.alive, self.pop.ages(now), areas, share,
                               trait_key(self.model.seed, "volunteer"))
            self._pool = (self.pop.census, group_by(areas[pool], pool, self.pop.n_areas))
        return self._pool[1]


    def _willing_volunteers(self, top_share: float) -> np.ndarray:
        """Living persons whose volunteer trait is below ``top_share`` (what the field can
        raise an area's share to): kept from month to month, extended with newcomers."""
        p = self.pop.persons
        listed_share, listed, ids = self._would_volunteer
        if top_share != listed_share:  # a new setting: list everyone again
            listed, ids = 0, ids[:0]
        new = np.arange(listed, p.n)
        new = new[id_uniform(new, self.model.seed, "volunteer") < top_share]
        ids = np.concatenate([ids[p.alive[ids]], new])
        self._would_volunteer = (top_share, p.n, ids)
        return ids


NO_VOLUNTEERS = np.zeros(1, dtype=np.int64)  # the pool's starts when no volunteer is asked (not written)


@functools.cache
def _wanted(ties: tuple[Tie, ...]) -> np.ndarray:
    """Mask by tie of ``ties``, made once per combination asked (not written: a read-only array
    would be another type to numba)."""
    wanted = np.zeros(len(Tie), dtype=np.bool_)
    wanted[list(ties)] = True
    return wanted


# --- compiled kernels ---------------------------------------------------------------------

@jit
def _random_order(ids, key):
    """The positions of ``ids`` in random order: by each id's uniform number under ``key``."""
    u = np.empty(len(ids))
    for k in range(len(ids)):
        u[k] = unit_hash(key, ids[k])
    return np.argsort(u, kind="mergesort")


@jit
def _volunteers(ids, alive, age, area, share, key):
    """Those of ``ids`` alive and aged 18-79 whose volunteer trait is below their area's ``share``."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if alive[i] and 18 <= age[i] < 80 and unit_hash(key, i) < share[area[i]]:
            out[n] = i
            n += 1
    return out[:n]


@inline
def _capacity_tables(cap):
    """``_capacity``'s parameters (from ``cap``, a Capacity) as plain numbers, no arrays: a
    helper handed arrays counts a reference to each on every call, even inlined. Hours (not
    employed, employed), the young adults', the old's and women's factors, the multiplier."""
    return (cap.hours_not_employed, cap.hours_employed, cap.young_adult_factor, cap.old_age_factor, cap.female_factor,
            cap.capacity_multiplier)


@inline
def _able_hours(employed, age, sex, need_level, tables):
    """Hours per week a person could give: a product of factors by work, by age (none under
    18), by sex (MALE, FEMALE) and by own problem (``need_level``: none, then by severity)."""
    not_employed, employed_hours, young, old, female, multiplier = tables
    by_age = 0.0 if age < 18 else young if age < 25 else old * old if age >= 85 else old if age >= 75 else 1.0
    return ((employed_hours if employed else not_employed) * by_age * (2.0 - female, female)[sex]
            * (1.0, 0.9, 0.5, 0.0)[need_level] * multiplier)


@inline
def _need_level(severity, domain):
    """0 without a problem, else 1 + its severity."""
    return (severity + 1) * (domain != NO_ID)


@inline
def _left(capacity, coresident_factor, daily_care, care_given, parent_care):
    """Hours per week left for help: the capacity less the help and the daily care for a parent
    elsewhere given; daily care at home takes the home capacity (``coresident_factor`` - 1 times
    the capacity) first, and only what exceeds it from the capacity for help."""
    return min(capacity, coresident_factor * capacity - daily_care) - care_given - parent_care


@inline
def _capacity(i, cap, tables):
    """Hours per week person ``i`` could give, by age, sex, work and own health (``cap``: a
    Capacity; ``tables``: ``_capacity_tables``). One who gives daily care to someone they live
    with has ``coresident_capacity_factor`` times this in all (see ``_free``)."""
    return _able_hours(is_employed(i, cap.age, cap.sex, cap.work_trait, cap.employment_rate), cap.age[i], cap.sex[i],
                       _need_level(cap.need_severity[i], cap.need_domain[i]), tables)


@inline
def _free(i, cap, tables, care_given):
    """Hours per week person ``i`` has left for help (``_left``)."""
    return _left(_capacity(i, cap, tables), cap.coresident_capacity_factor, cap.daily_care[i], care_given[i],
                 cap.parent_care[i])


@jit
def _match(req, remaining, order, wanted, mobilisation, partial, vol_starts, vol_members, will, net, cap, care,
           dropout_threshold, date):
    """Requests, in ``order``, each take willing (``will``: Willingness) and able (``cap``:
    Capacity) carers from their network (``net``: Network), closest tie first (random among
    equals), until their hours are covered; a request that cannot be covered takes nobody
    (with ``partial``, it keeps those it took).
    Commits the care relations (``care``: Care), begun at ``date``; returns the covered mask and
    the carers who began caring.

    The steps per contact and per candidate are functions defined inside the kernel: numba
    inlines them and they read the kernel's arrays directly. A helper handed arrays counts a
    reference to each on every call, even inlined (an atomic increment and decrement per
    array), which took about half of this kernel's time."""
    covered = remaining <= EPS
    tables = _capacity_tables(cap)
    buf_c = np.empty(MAX_CANDIDATES, dtype=np.int64)  # candidates: contact,
    buf_t = np.empty(MAX_CANDIDATES, dtype=np.int64)  # tie,
    buf_p = np.empty(MAX_CANDIDATES)  # priority (in rank order)
    ranked = np.empty(MAX_CANDIDATES, dtype=np.int64)
    take_c = np.empty(MAX_CARERS, dtype=np.int64)
    take_h = np.empty(MAX_CARERS)
    started = np.empty(MAX_CARERS * len(req), dtype=np.int64)
    n_started = 0
    alive, household, area, age, sex = net.alive, net.household, net.area, cap.age, cap.sex
    willing_p, willing_key = will.p_by_tie, will.willing_key
    first_by_mother, next_by_mother = net.first_by_mother, net.next_by_mother
    first_by_father, next_by_father = net.first_by_father, net.next_by_father
    hh_first, hh_end, hh_members, partner = net.hh_first, net.hh_end, net.hh_members, net.partner
    strain, care_given = care.strain, care.care_given
    work_trait, rate, need_domain, need_severity = cap.work_trait, cap.employment_rate, cap.need_domain, cap.need_severity
    daily_care, parent_care, coresident = cap.daily_care, cap.parent_care, cap.coresident_capacity_factor
    mother, father, several_mothers = net.mother, net.father, net.several_mothers
    neighbours, hh_alive = net.neighbours, net.hh_alive

    def consider(contact, tie, person, n):
        """Add a candidacy if the contact is another living adult willing to help by this tie
        (kin: outside the household, by area); a contact met by two ties keeps the closer one.
        Returns the new count."""
        if contact == person or contact < 0 or n >= MAX_CANDIDATES:
            return n
        # willingness first, against the higher of the sexes': it needs no memory access, and
        # most contacts (neighbours) decline
        u = unit_hash(willing_key, contact)
        home_area = area[person]
        if u >= (max(willing_p[EITHER, KIN_SAME_AREA, home_area], willing_p[EITHER, KIN_OTHER_AREA, home_area])
                 if tie == KIN else willing_p[EITHER, tie, home_area]):
            return n
        if not alive[contact] or age[contact] < 18:
            return n
        if tie == KIN:
            if household[contact] == household[person]:
                return n
            tie = KIN_SAME_AREA if area[contact] == home_area else KIN_OTHER_AREA
        if u >= willing_p[sex[contact], tie, home_area]:
            return n
        for k in range(n):
            if buf_c[k] == contact:
                buf_t[k] = min(buf_t[k], tie)
                return n
        buf_c[n] = contact
        buf_t[n] = tie
        return n + 1

    def family(parent, by_father, person, n, children):
        """Consider ``parent`` (unless it is the person) and, with ``children``, their children
        by the mother's (or the father's) lists: a parent and siblings, or (``parent`` the
        person) own children. Returns the new count."""
        if parent < 0:
            return n
        if parent != person:
            n = consider(parent, KIN, person, n)
        if not children:
            return n
        child = first_by_father[parent] if by_father else first_by_mother[parent]
        while child >= 0:
            n = consider(child, KIN, person, n)
            child = next_by_father[child] if by_father else next_by_mother[child]
        return n

    def children_and_in_laws(person, by_father, n):
        """Consider the person's children by one parent's lists, and their partners
        (children-in-law care for the old too). Returns the new count."""
        child = first_by_father[person] if by_father else first_by_mother[person]
        while child >= 0:
            n = consider(child, KIN, person, n)
            if partner[child] >= 0:
                n = consider(np.int64(partner[child]), KIN, person, n)
            child = next_by_father[child] if by_father else next_by_mother[child]
        return n

    def rank(first, n, person_key):
        """Order candidacies ``first`` .. ``n``-1 by tie, random among equals, into ``ranked``
        (an insertion sort: a few candidates, and no array made per request)."""
        for k in range(first, n):
            priority = buf_t[k] - 0.5 * unit_hash(person_key, buf_c[k])
            j = k
            while j > first and buf_p[j - 1] > priority:
                buf_p[j], ranked[j] = buf_p[j - 1], ranked[j - 1]
                j -= 1
            buf_p[j], ranked[j] = priority, k

    def take(first, n, need, taken):
        """Take the ranked candidates ``first`` .. ``n``-1 in turn, those able to give hours
        (``_left``), until ``need`` is covered or MAX_CARERS are taken (``taken`` so far); a
        volunteer gives at most ``cap.volunteer_hours`` in all. Returns (need left, taken)."""
        for q in range(first, n):
            k = ranked[q]
            if taken == MAX_CARERS or need <= EPS:
                break
            c = buf_c[k]
            if strain[c] > dropout_threshold:
                continue
            capacity = _able_hours(is_employed(c, age, sex, work_trait, rate), age[c], sex[c],
                                   _need_level(need_severity[c], need_domain[c]), tables)
            give = max(_left(capacity, coresident, daily_care[c], care_given[c], parent_care[c]), 0.0) * mobilisation
            if buf_t[k] == VOLUNTEER:
                give = min(give, cap.volunteer_hours - care_given[c])
            give = min(give, need)
            if give > EPS:
                take_c[taken], take_h[taken] = c, give
                taken += 1
                need -= give
        return need, taken

    for q in range(len(order)):
        r = order[q]
        if covered[r]:
            continue
        person = req[r]
        home = household[person]
        n = 0
        if wanted[HOUSEHOLD]:
            for k in range(hh_first[home], hh_end[home]):
                n = consider(hh_members[k], HOUSEHOLD, person, n)
        if wanted[KIN_SAME_AREA]:  # parents, siblings and children outside the household
            mum, dad = np.int64(mother[person]), np.int64(father[person])
            n = family(mum, False, person, n, True)
            # the father's children are all the mother's too unless he has children by several
            # mothers: then his list adds no one
            n = family(dad, True, person, n, mum < 0 or (dad >= 0 and several_mothers[dad]))
            if age[person] >= will.parent_care_age:
                # an old parent's children and children-in-law living elsewhere are asked before
                # an old partner: most care for the old is given by their middle-aged children
                # (the sandwich generation); willing as kin by where they live
                first = n
                n = children_and_in_laws(person, False, n)
                n = children_and_in_laws(person, True, n)
                buf_t[first:n] = FIRST
            else:
                n = family(person, False, person, n, True)
                n = family(person, True, person, n, True)
        # closer ties first, random among equals; the more distant ties (neighbours, volunteers)
        # rank after all of these, so they are looked up only if these leave hours uncovered
        person_key = splitmix64(np.uint64(person) ^ will.priority_key)
        rank(0, n, person_key)
        need, taken = take(0, n, remaining[r], 0)
        if need > EPS and taken < MAX_CARERS:
            first = n
            if wanted[NEIGHBOUR]:
                for slot in range(neighbours.shape[1]):
                    other = neighbours[home, slot]
                    if other >= 0 and hh_alive[other]:
                        for k in range(hh_first[other], hh_end[other]):
                            n = consider(hh_members[k], NEIGHBOUR, person, n)
            if wanted[VOLUNTEER]:
                a = area[person]
                size = vol_starts[a + 1] - vol_starts[a]
                for j in range(VOLUNTEER_PICKS if size > 0 else 0):
                    pick = vol_starts[a] + int(unit_hash(will.volunteer_key, person * VOLUNTEER_PICKS + j) * size)
                    n = consider(vol_members[pick], VOLUNTEER, person, n)
            rank(first, n, person_key)
            need, taken = take(first, n, need, taken)
        covered[r] = need <= EPS
        if covered[r] or partial:
            for j in range(taken):
                c = take_c[j]
                care.carers[person, j] = c
                care.carer_hours[person, j] = take_h[j]
                care.care_next[person, j] = care.care_head[c]  # the slot joins the carer's list
                care.care_head[c] = person * MAX_CARERS + j
                care_given[c] += take_h[j]
                if care.care_since[c] == NO_ID:
                    care.care_since[c] = date
                    started[n_started] = c
                    n_started += 1
    return covered, started[:n_started]
