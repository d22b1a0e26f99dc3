"""Informal care: carers' capacity, who helps whom, strain, respite and derailment.

Every adult has carer capacity in hours per week by age, sex, work and own health. A person with
a problem can have up to ``MAX_CARERS`` carers, each giving some hours. Matching carers to
requests over the network is a compiled loop (``_match``): requests in random order each take
their closest willing contacts with free hours. Strain rises with the
load and falls by itself and with respite; an overloaded carer stops ("derailed informal care"),
the person they helped asks for help again, and the carer may develop a problem of their own.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .dataset import MAX_AGE
from .employment import is_employed
from .kernels import (
    group_by,
    inline,
    jit,
    mark_once,
    merge_sorted,
    splitmix64,
    unique_ids,
    unit_hash,
)
from .domain import DOMAIN_INDEX, WEEKS_PER_MONTH, Severity, Status, status_in
from .network import Tie
from .population import NO_ID, Field
from .process import Clock, Process
from .random_streams import id_uniform, trait_key

MAX_CARERS = 3
EPS = 1e-6
ROUNDING = 1e-4  # hours/week of care left after releasing: float32 rounding, i.e. none
NARROW_HOURS = 8.0  # mantelzorg, narrow definition: more than 8 h/week and/or longer than 3 months
NARROW_MONTHS = 3
RESPITE_DAYS = 2  # days of respite (short stay) per carer per month of respite
STRAIN_FLOOR = 1e-3  # strain below this is none (so former carers leave the list of the strained)
REFERENCE_COHESION = 0.5  # willing_neighbour is given at this cohesion; it scales with the area's


class InformalCare(Process):
    name = "informal_care"
    section = "informal_care"
    results = ("carer_hours", "carer_dropouts", "carer_respite_days", "carers", "carers_heavily_burdened")
    person_fields = {
        "carers": Field(np.int32, NO_ID, MAX_CARERS),  # who helps this person
        "carer_hours": Field(np.float32, 0.0, MAX_CARERS),  # hours/week each of them gives
        "care_given": Field(np.float32, 0.0),  # hours/week this person gives in total
        "care_since": Field(np.int32, NO_ID),  # absolute month this person began caring
        "strain": Field(np.float32, 0.0),  # carer strain (0 = none; dropout threshold ~1)
        # who this person helps, as a list through the recipients' carer slots: the first slot
        # (recipient * MAX_CARERS + j) and, per slot, the next slot of the same carer
        "care_head": Field(np.int32, NO_ID),
        "care_next": Field(np.int32, NO_ID, MAX_CARERS),
    }

    def __init__(self, model):
        super().__init__(model)
        self.respite_days = np.zeros(self.pop.n_areas)  # this month's, by area (costs pay them)
        self._pool: tuple = (None, None)  # (census, volunteers grouped by area)
        # those whose volunteer trait is below the largest share an area can reach (the
        # volunteer pool is drawn from them): (that share, persons listed so far, the list)
        self._would_volunteer: tuple = (None, 0, np.empty(0, dtype=np.int64))
        self._matching: tuple = (None, None)  # ((census, month), what matching reads besides the requests)
        self._strained = np.empty(0, dtype=np.int64)  # carers and former carers with strain left
        self._started: list[np.ndarray] = []  # who began caring since the last step (by matching)

    # --- capacity ------------------------------------------------------------------------
    def _capacity(self) -> "Capacity":
        p, c = self.pop.persons, self.params
        return Capacity(self.pop.ages(self.model.clock.now), p.sex, p.work_trait, self.model.employment.rate,
                        p.need_domain, p.need_severity, c.hours_employed, c.hours_not_employed, c.young_adult_factor,
                        c.old_age_factor, c.female_factor, c.capacity_multiplier)

    def _willing_table(self) -> np.ndarray:
        """P(willing to help) by (tie, requester's area): by tie, neighbours scaled by the
        area's cohesion and the informal field the contractors invest in (funding.py)."""
        c = self.params
        table = np.repeat(np.array([c.willing_household, c.willing_kin, c.willing_kin * c.distance_factor,
                                    c.willing_neighbour, 1.0])[:, None], self.pop.n_areas, axis=1)
        table[Tie.NEIGHBOUR] *= self.model.cohesion / REFERENCE_COHESION * self.model.prevention.field_strength()
        return table

    def _volunteer_pool(self, now: int) -> tuple[np.ndarray, np.ndarray]:
        """Residents aged 18-79 who volunteer in care and support, grouped by area (starts,
        members); drawn up once a month."""
        if self._pool[0] != self.pop.census:
            c = self.model.config
            share = c.informal_care.volunteer_share * self.model.prevention.field_strength()
            areas = self.pop.areas()
            pool = _volunteers(self._willing_volunteers(c.informal_care.volunteer_share * (1 + c.prevention.max_field_effect)),
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

    # --- matching ------------------------------------------------------------------------
    def match(self, req: np.ndarray, ties: tuple[Tie, ...], now: int, month: int,
              outside_hours: np.ndarray | None = None, mobilisation: float = 1.0,
              hours: np.ndarray | None = None) -> np.ndarray:
        """Try to cover each request's hours (default: the whole problem) with up to
        MAX_CARERS carers from its network: requests in random order each take willing,
        able contacts, closest tie first, and keep them only if their hours are covered.
        Covered requests get their carers (committed); returns the covered mask.

        Carers' free hours are what their capacity leaves after the care they already give
        (none while overloaded), times ``mobilisation``."""
        p = self.pop.persons
        req = np.asarray(req, dtype=np.int64)
        remaining = (p.need_hours[req] if hours is None else hours).astype(np.float64)
        if outside_hours is not None:
            remaining = remaining - outside_hours
        if len(req) == 0:
            return remaining <= EPS
        wanted = np.zeros(len(Tie), dtype=np.bool_)
        wanted[list(ties)] = True
        vol_starts, vol_members = self._volunteer_pool(now) if Tie.VOLUNTEER in ties else (np.zeros(1, np.int64), req[:0])
        order = _random_order(req, self.model.streams.key("informal_care.match_order", month))
        covered, started = _match(req, remaining, order, wanted, mobilisation, vol_starts, vol_members,
                                  *self._matching_inputs(now, month))
        self._started.append(started)
        return covered

    def _matching_inputs(self, now: int, month: int) -> tuple:
        """What matching reads besides the requests, gathered once a month (per census):
        willingness, the network, carers' capacity and the care relations, and the date care
        begins. The social processes add no person or household, so the arrays stay valid all
        month."""
        if self._matching[0] != (self.pop.census, month):
            p, h, kin, streams = self.pop.persons, self.pop.households, self.pop.kin, self.model.streams
            willing = Willingness(self._willing_table(), trait_key(self.model.seed, "willing_to_care"),
                                  streams.key("informal_care.match", month),
                                  streams.key("informal_care.volunteers", month))
            network = Network(*self.pop.household_groups(now), kin.first_child["mother"], kin.next_sibling["mother"],
                              kin.first_child["father"], kin.next_sibling["father"], kin.several_mothers,
                              p.household, p.mother, p.father, p.alive, self.pop.areas(), h.neighbours, h.alive)
            care = Care(p.strain, p.care_given, p.care_since, p.carers, p.carer_hours, p.care_head, p.care_next)
            self._matching = ((self.pop.census, month), (willing, network, self._capacity(), care,
                                                         self.params.dropout_threshold, self.model.clock.date))
        return self._matching[1]

    def alongside_formal(self, ids: np.ndarray, now: int, month: int) -> None:
        """Persons placed in a formal provision keep informal help for the hours it does not
        cover, from their household and kin, where someone is willing and able."""
        c = self.params
        ids = ids[self.pop.persons.carers[ids, 0] == NO_ID]
        hours = self.pop.persons.need_hours[ids] * c.alongside_formal_share
        self.match(ids, (Tie.HOUSEHOLD, Tie.KIN_SAME_AREA), now, month, hours=hours)

    def release(self, recipients: np.ndarray) -> None:
        """End every care relation of these recipients."""
        p = self.pop.persons
        _release(np.asarray(recipients, dtype=np.int64), p.carers, p.carer_hours, p.care_given, p.care_since,
                 p.care_head, p.care_next)

    def recipients_of(self, carers: np.ndarray) -> np.ndarray:
        """Everyone ``carers`` help (sorted)."""
        p = self.pop.persons
        return unique_ids(_recipients_of(np.asarray(carers, dtype=np.int64), p.care_head, p.care_next))

    # --- the monthly step ------------------------------------------------------------------
    def step(self, clock: Clock) -> None:
        """Carers lost to death or emigration, strain, respite, dropouts, and the counts."""
        p, c, month, now = self.pop.persons, self.params, clock.month, clock.now
        rec, streams = self.model.recorder, self.model.streams
        # those whose carer died or left ask again; the others keep theirs all through the step
        self.reopen(self.recipients_of(unique_ids(*self.model.demography.removed)))
        # everyone caring is on the list of carers and former carers with strain left: those
        # who began caring since the last step join it
        self._strained = merge_sorted(self._strained, unique_ids(*self._started))
        self._started = []
        uptake = np.minimum(c.respite_uptake * self.model.prevention.field_strength(), 1.0)
        last_carer, carers, year = rec.marks("carers")
        last_heavy, heavy, _ = rec.marks("carers_heavily_burdened")
        self._strained, stop, self.respite_days, hours = _strain(
            self._strained, self.pop.areas(), self._capacity(), p.alive, p.care_given, p.care_since, p.strain, now,
            Strain(c.strain_recovery, c.strain_gain, c.heavy_burden_threshold, uptake, c.respite_relief,
                   c.dropout_threshold, c.dropout_rate),
            last_carer, carers, last_heavy, heavy, year, streams.key("informal_care.strain", month))
        rec.add("carer_respite_days", self.respite_days)
        rec.add("carer_hours", hours)

        # derailment: an overloaded carer stops
        if len(stop):
            rec.count("carer_dropouts", self.pop.area_of(stop))
            self.reopen(self.recipients_of(stop))
            free = stop[p.need_domain[stop] == NO_ID]
            ill = free[streams.uniform("informal_care.own_need", month, free) < c.carer_own_need_prob]
            self.model.needs.begin(ill, np.full(len(ill), DOMAIN_INDEX["individual_support"]),
                                   np.full(len(ill), Severity.MEDIUM), now)

    def reopen(self, recipients: np.ndarray) -> None:
        """Recipients lose their informal help: relations end, and those who depended on it
        alone look for help again (informal help alongside a formal provision just ends)."""
        p = self.pop.persons
        self.release(recipients)
        self.model.needs.reopen(recipients[status_in(p.need_status[recipients], (Status.SELF, Status.INFORMAL))])


# --- compiled kernels: capacity and matching -----------------------------------------------
# Matching is irregular work (each request has its own few contacts), so it is a loop
# compiled with numba rather than array passes over all (request, contact) pairs.

class Capacity(NamedTuple):
    """What a person's carer capacity (hours per week, ``_capacity``) depends on: their age,
    sex, work and own problem (arrays by id), and the ``informal_care`` parameters of that name."""

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


class Network(NamedTuple):
    """Whom a request can ask: household members (the census grouping: household h's are
    ``hh_members[hh_first[h]:hh_end[h]]``), kin (children by mother and by father, as lists),
    neighbouring households (slots by household), and who lives where."""

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
    alive: np.ndarray
    area: np.ndarray
    neighbours: np.ndarray  # by (household, slot)
    hh_alive: np.ndarray


class Willingness(NamedTuple):
    """Who is willing to help: P(willing) by (tie, requester's area) against a persistent
    per-person trait (``willing_key``), and the keys of the month's tie-breaks and volunteer picks."""

    p_by_tie: np.ndarray
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


class Strain(NamedTuple):
    """The carers' month (``_strain``): the ``informal_care`` parameters of that name, and the
    respite uptake by area (as the informal field raises it)."""

    strain_recovery: float
    strain_gain: float
    heavy_burden_threshold: float
    respite_uptake: np.ndarray
    respite_relief: float
    dropout_threshold: float
    dropout_rate: float


MAX_CANDIDATES = 256  # contacts considered per request (household, kin, neighbours' members)
VOLUNTEER_PICKS = 3  # volunteers of the area an access team can call on per request
HOUSEHOLD, KIN_SAME_AREA, KIN_OTHER_AREA, NEIGHBOUR, VOLUNTEER = (int(t) for t in Tie)
KIN = -1  # a kin contact: same-area or other-area tie, decided by where they live


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


@jit
def _strain(listed, area, cap, alive, care_given, care_since, strain, now, s_p, last_carer, carers, last_heavy, heavy,
            year, key):
    """The month of the ``listed`` (carers and former carers with strain left, in id order):
    a caring person's strain (updated in ``strain``) from their load, with respite (a per-id
    draw against the uptake of their area), counted in this year's ``carers`` (narrow
    definition) and ``heavy`` (narrow and strain before respite above the threshold) by area,
    and stopping if their strain is above the dropout threshold (a second draw); a former
    carer's strain fades. Strain below STRAIN_FLOOR is none (``cap``: Capacity; ``s_p``:
    Strain). Returns (the listed still caring or with strain left, those who stop, respite days
    by area, hours of care by area)."""
    keep = np.empty(len(listed), dtype=np.int64)
    stop = np.empty(len(listed), dtype=np.int64)
    respite_days = np.zeros(len(carers))
    hours = np.zeros(len(carers))
    n_keep = n_stop = 0
    tables = _capacity_tables(cap)
    for i in listed:
        if not alive[i]:
            continue
        if care_since[i] == NO_ID:  # no longer caring
            if strain[i] < STRAIN_FLOOR:
                strain[i] = 0.0
                continue
            strain[i] *= 1.0 - s_p.strain_recovery
        else:
            a = area[i]
            capacity = _capacity(i, cap, tables)
            s = strain[i] * (1.0 - s_p.strain_recovery) + s_p.strain_gain * (care_given[i] / max(capacity, 1.0))
            burdened = s > s_p.heavy_burden_threshold
            if burdened and unit_hash(key, 2 * i) < s_p.respite_uptake[a]:
                respite_days[a] += RESPITE_DAYS
                s *= 1.0 - s_p.respite_relief
            strain[i] = s if s >= STRAIN_FLOOR else 0.0
            hours[a] += care_given[i] * WEEKS_PER_MONTH
            if care_given[i] > NARROW_HOURS or now - care_since[i] >= NARROW_MONTHS:
                mark_once(i, a, last_carer, carers, year)
                if burdened:
                    mark_once(i, a, last_heavy, heavy, year)
            if s > s_p.dropout_threshold and unit_hash(key, 2 * i + 1) < s_p.dropout_rate:
                stop[n_stop] = i
                n_stop += 1
        keep[n_keep] = i
        n_keep += 1
    return keep[:n_keep], stop[:n_stop], respite_days, hours


@jit
def _release(recipients, carers, carer_hours, care_given, care_since, care_head, care_next):
    """End the care relations of ``recipients`` (each slot taken off its carer's list);
    carers left with no care (up to rounding) stop caring."""
    for r in recipients:
        for j in range(MAX_CARERS):
            c = carers[r, j]
            if c < 0:
                continue
            care_given[c] -= carer_hours[r, j]
            slot = r * MAX_CARERS + j
            if care_head[c] == slot:
                care_head[c] = care_next[r, j]
            else:
                e = care_head[c]
                while care_next[e // MAX_CARERS, e % MAX_CARERS] != slot:
                    e = care_next[e // MAX_CARERS, e % MAX_CARERS]
                care_next[e // MAX_CARERS, e % MAX_CARERS] = care_next[r, j]
            care_next[r, j] = NO_ID
    for r in recipients:
        for j in range(MAX_CARERS):
            c = carers[r, j]
            if c >= 0 and care_given[c] <= ROUNDING:
                care_given[c] = 0.0
                care_since[c] = NO_ID
            carers[r, j] = NO_ID
            carer_hours[r, j] = 0.0


@jit
def _recipients_of(carers, care_head, care_next):
    """Everyone ``carers`` help, by walking each carer's list of slots (unsorted, possibly
    repeated)."""
    n = 0
    for c in carers:
        e = care_head[c]
        while e >= 0:
            n += 1
            e = care_next[e // MAX_CARERS, e % MAX_CARERS]
    out = np.empty(n, dtype=np.int64)
    n = 0
    for c in carers:
        e = care_head[c]
        while e >= 0:
            out[n] = e // MAX_CARERS
            n += 1
            e = care_next[e // MAX_CARERS, e % MAX_CARERS]
    return out


@inline
def _capacity_tables(cap):
    """``_capacity``'s factors as tables (from the parameters in ``cap``, a Capacity), so that
    it is a product of looked-up factors: by work (not employed, employed), by age (none under
    18), by sex (MALE, FEMALE), by own problem (none, then by severity)."""
    by_age = np.ones(MAX_AGE + 1)
    for a in range(MAX_AGE + 1):
        if a < 18:
            by_age[a] = 0.0
        elif a < 25:
            by_age[a] = cap.young_adult_factor
        elif a >= 85:
            by_age[a] = cap.old_age_factor * cap.old_age_factor
        elif a >= 75:
            by_age[a] = cap.old_age_factor
    return (np.array([cap.hours_not_employed, cap.hours_employed]), by_age,
            np.array([2.0 - cap.female_factor, cap.female_factor]), np.array([1.0, 0.9, 0.5, 0.0]),
            cap.capacity_multiplier)


@inline
def _capacity(i, cap, tables):
    """Hours per week person ``i`` could give, by age, sex, work and own health (``cap``: a
    Capacity; ``tables``: ``_capacity_tables``)."""
    by_work, by_age, by_sex, by_need, multiplier = tables
    employed = is_employed(i, cap.age, cap.sex, cap.work_trait, cap.employment_rate)
    need = (cap.need_severity[i] + 1) * (cap.need_domain[i] != NO_ID)
    return (by_work[np.int64(employed)] * by_age[min(cap.age[i], MAX_AGE)] * by_sex[cap.sex[i]] * by_need[need]
            * multiplier)


@inline
def _consider(contact, tie, person, n, buf_c, buf_t, net, age, will):
    """Add a candidacy if the contact is another living adult willing to help by this tie
    (kin: outside the household, by area); a contact met by two ties keeps the closer one.
    Returns the new count."""
    if contact == person or contact < 0 or n >= len(buf_c):
        return n
    # willingness first: it needs no memory access, and most contacts (neighbours) decline
    u = unit_hash(will.willing_key, contact)
    home_area = net.area[person]
    willing_p = will.p_by_tie
    if u >= (max(willing_p[KIN_SAME_AREA, home_area], willing_p[KIN_OTHER_AREA, home_area]) if tie == KIN
             else willing_p[tie, home_area]):
        return n
    if not net.alive[contact] or age[contact] < 18:
        return n
    if tie == KIN:
        if net.household[contact] == net.household[person]:
            return n
        tie = KIN_SAME_AREA if net.area[contact] == home_area else KIN_OTHER_AREA
        if u >= willing_p[tie, home_area]:
            return n
    for k in range(n):
        if buf_c[k] == contact:
            buf_t[k] = min(buf_t[k], tie)
            return n
    buf_c[n] = contact
    buf_t[n] = tie
    return n + 1


@inline
def _family(parent, first, following, person, n, buf_c, buf_t, net, age, will, children=True):
    """Consider ``parent`` (unless it is the person) and, with ``children``, their children by
    one parent's lists: a parent and siblings, or (``parent`` the person) own children.
    Returns the new count."""
    if parent < 0:
        return n
    if parent != person:
        n = _consider(parent, KIN, person, n, buf_c, buf_t, net, age, will)
    if not children:
        return n
    child = first[parent]
    while child >= 0:
        n = _consider(child, KIN, person, n, buf_c, buf_t, net, age, will)
        child = following[child]
    return n


@inline
def _rank(first, n, person_key, buf_c, buf_t, buf_p, ranked):
    """Order candidacies ``first`` .. ``n``-1 by tie, random among equals, into ``ranked``
    (an insertion sort: a few candidates, and no array made per request)."""
    for k in range(first, n):
        priority = buf_t[k] - 0.5 * unit_hash(person_key, buf_c[k])
        j = k
        while j > first and buf_p[j - 1] > priority:
            buf_p[j], ranked[j] = buf_p[j - 1], ranked[j - 1]
            j -= 1
        buf_p[j], ranked[j] = priority, k


@inline
def _take(ranked, first, n, need, taken, buf_c, take_c, take_h, mobilisation, dropout_threshold, care, cap, tables):
    """Take the ranked candidates ``first`` .. ``n``-1 in turn, those able to give hours, until
    ``need`` is covered or MAX_CARERS are taken (``taken`` so far). Returns (need left, taken)."""
    for q in range(first, n):  # (an index loop: a slice would count references)
        k = ranked[q]
        if taken == MAX_CARERS or need <= EPS:
            break
        c = buf_c[k]
        if care.strain[c] > dropout_threshold:
            continue
        free = _capacity(c, cap, tables) - care.care_given[c]
        give = min(max(free, 0.0) * mobilisation, need)
        if give > EPS:
            take_c[taken], take_h[taken] = c, give
            taken += 1
            need -= give
    return need, taken


@jit
def _match(req, remaining, order, wanted, mobilisation, vol_starts, vol_members, will, net, cap, care,
           dropout_threshold, date):
    """Requests, in ``order``, each take willing (``will``: Willingness) and able (``cap``:
    Capacity) carers from their network (``net``: Network), closest tie first (random among
    equals), until their hours are covered; a request that cannot be covered takes nobody.
    Commits the care relations (``care``: Care), begun at ``date``; returns the covered mask and
    the carers who began caring."""
    covered = remaining <= EPS
    tables = _capacity_tables(cap)
    age = cap.age
    buf_c = np.empty(MAX_CANDIDATES, dtype=np.int64)
    buf_t = np.empty(MAX_CANDIDATES, dtype=np.int64)
    buf_p = np.empty(MAX_CANDIDATES)
    ranked = np.empty(MAX_CANDIDATES, dtype=np.int64)
    take_c = np.empty(MAX_CARERS, dtype=np.int64)
    take_h = np.empty(MAX_CARERS)
    started = np.empty(MAX_CARERS * len(req), dtype=np.int64)
    n_started = 0
    for q in range(len(order)):
        r = order[q]
        if covered[r]:
            continue
        person = req[r]
        home = net.household[person]
        n = 0
        if wanted[HOUSEHOLD]:
            for k in range(net.hh_first[home], net.hh_end[home]):
                n = _consider(net.hh_members[k], HOUSEHOLD, person, n, buf_c, buf_t, net, age, will)
        if wanted[KIN_SAME_AREA]:  # parents, siblings and children outside the household
            mum, dad = np.int64(net.mother[person]), np.int64(net.father[person])
            n = _family(mum, net.first_by_mother, net.next_by_mother, person, n, buf_c, buf_t, net, age, will)
            # the father's children are all the mother's too unless he has children by several
            # mothers: then his list adds no one
            n = _family(dad, net.first_by_father, net.next_by_father, person, n, buf_c, buf_t, net, age, will,
                        mum < 0 or (dad >= 0 and net.several_mothers[dad]))
            n = _family(person, net.first_by_mother, net.next_by_mother, person, n, buf_c, buf_t, net, age, will)
            n = _family(person, net.first_by_father, net.next_by_father, person, n, buf_c, buf_t, net, age, will)
        # closer ties first, random among equals; the more distant ties (neighbours, volunteers)
        # rank after all of these, so they are looked up only if these leave hours uncovered
        person_key = splitmix64(np.uint64(person) ^ will.priority_key)
        _rank(0, n, person_key, buf_c, buf_t, buf_p, ranked)
        need, taken = _take(ranked, 0, n, remaining[r], 0, buf_c, take_c, take_h, mobilisation, dropout_threshold,
                            care, cap, tables)
        if need > EPS and taken < MAX_CARERS:
            first = n
            if wanted[NEIGHBOUR]:
                for slot in range(net.neighbours.shape[1]):
                    other = net.neighbours[home, slot]
                    if other >= 0 and net.hh_alive[other]:
                        for k in range(net.hh_first[other], net.hh_end[other]):
                            n = _consider(net.hh_members[k], NEIGHBOUR, person, n, buf_c, buf_t, net, age, will)
            if wanted[VOLUNTEER]:
                a = net.area[person]
                size = vol_starts[a + 1] - vol_starts[a]
                for j in range(VOLUNTEER_PICKS if size > 0 else 0):
                    pick = vol_starts[a] + int(unit_hash(will.volunteer_key, person * VOLUNTEER_PICKS + j) * size)
                    n = _consider(vol_members[pick], VOLUNTEER, person, n, buf_c, buf_t, net, age, will)
            _rank(first, n, person_key, buf_c, buf_t, buf_p, ranked)
            need, taken = _take(ranked, first, n, need, taken, buf_c, take_c, take_h, mobilisation, dropout_threshold,
                                care, cap, tables)
        if need <= EPS:
            covered[r] = True
            for j in range(taken):
                c = take_c[j]
                care.carers[person, j] = c
                care.carer_hours[person, j] = take_h[j]
                care.care_next[person, j] = care.care_head[c]  # the slot joins the carer's list
                care.care_head[c] = person * MAX_CARERS + j
                care.care_given[c] += take_h[j]
                if care.care_since[c] == NO_ID:
                    care.care_since[c] = date
                    started[n_started] = c
                    n_started += 1
    return covered, started[:n_started]
