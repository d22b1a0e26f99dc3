"""Informal care: carers' capacity, who helps whom, strain, respite and derailment.

Every adult has carer capacity in hours per week by age, sex, work and own health. A person with
a problem can have up to ``MAX_CARERS`` carers, each giving some hours. Matching carers to
requests over the network is array work in rounds (each round every open request takes its best
remaining candidate; a carer wanted by two requests goes to one of them). Strain rises with the
load and falls by itself and with respite; an overloaded carer stops ("derailed informal care"),
the person they helped asks for help again, and the carer may develop a problem of their own.
"""

from __future__ import annotations

import numpy as np

from .needs import DOMAIN_INDEX, Severity, Status
from .network import NetworkIndex, Tie
from .population import FEMALE, NO_ID, Field
from .random_streams import id_uniform

MAX_CARERS = 3
EPS = 1e-6
WEEKS_PER_MONTH = 52.0 / 12.0
NARROW_HOURS = 8.0  # mantelzorg, narrow definition: more than 8 h/week and/or longer than 3 months
NARROW_MONTHS = 3
RESPITE_DAYS = 2  # days of respite (short stay) per carer per month of respite
REFERENCE_COHESION = 0.5  # willing_neighbour is given at this cohesion; it scales with the area's


class InformalCare:
    person_fields = {
        "carers": Field(np.int32, NO_ID, MAX_CARERS),  # who helps this person
        "carer_hours": Field(np.float32, 0.0, MAX_CARERS),  # hours/week each of them gives
        "care_given": Field(np.float32, 0.0),  # hours/week this person gives in total
        "care_since": Field(np.int32, NO_ID),  # absolute month this person began caring
        "strain": Field(np.float32, 0.0),  # carer strain (0 = none; dropout threshold ~1)
    }

    def __init__(self, model):
        self.model = model
        self.pop = model.population
        self.index: NetworkIndex | None = None

    # --- capacity ------------------------------------------------------------------------
    def capacity(self, ids: np.ndarray, now: int) -> np.ndarray:
        """Hours per week a person could give, by age, sex, work and own health."""
        p = self.pop.persons
        c = self.model.config.informal_care
        age = self.pop.age_years(ids, now)
        employed = self.model.employment.employed(ids, now)
        hours = np.where(employed, c.hours_employed, c.hours_not_employed)
        hours = hours * np.select([age < 18, age < 25, age >= 85, age >= 75],
                                  [0.0, c.young_adult_factor, c.old_age_factor ** 2, c.old_age_factor], 1.0)
        hours = hours * np.where(p.sex[ids] == FEMALE, c.female_factor, 2.0 - c.female_factor)
        own = np.where(p.need_domain[ids] == NO_ID, -1, p.need_severity[ids])
        hours = hours * np.select([own == Severity.HEAVY, own == Severity.MEDIUM, own == Severity.LIGHT],
                                  [0.0, 0.5, 0.9], 1.0)
        return hours * c.capacity_multiplier

    def available(self, ids: np.ndarray, now: int) -> np.ndarray:
        """Hours a person could still give; none while overloaded (strain above the dropout
        threshold: a carer who stopped does not take on care again until recovered)."""
        p = self.pop.persons
        free = np.maximum(self.capacity(ids, now) - p.care_given[ids], 0.0)
        return np.where(p.strain[ids] > self.model.config.informal_care.dropout_threshold, 0.0, free)

    def willing(self, ids: np.ndarray, tie: np.ndarray, areas: np.ndarray) -> np.ndarray:
        """Whether a contact would help, by tie; a persistent trait per person (common random
        numbers: the same person is equally willing in every scenario with this seed)."""
        c = self.model.config.informal_care
        cohesion = self.model.cohesion[areas]
        p_tie = np.array([c.willing_household, c.willing_kin, c.willing_kin * c.distance_factor,
                          c.willing_neighbour, 1.0])[tie]
        p_tie = np.where(tie == Tie.NEIGHBOUR, p_tie * cohesion / REFERENCE_COHESION, p_tie)
        # the informal field the contractors invest in (funding.py)
        p_tie = np.where(tie == Tie.NEIGHBOUR, p_tie * self.model.prevention.field_strength()[areas], p_tie)
        return id_uniform(ids, self.model.seed, "willing_to_care") < p_tie

    def volunteers(self, now: int) -> np.ndarray:
        """Residents aged 18-79 who volunteer in care and support."""
        p = self.pop.persons
        ids = self.pop.active_persons()
        age = self.pop.age_years(ids, now)
        trait = id_uniform(ids, self.model.seed, "volunteer")
        share = self.model.config.informal_care.volunteer_share * self.model.prevention.field_strength()
        return ids[(age >= 18) & (age < 80) & (trait < share[self.pop.area_of(ids)])]

    # --- matching ------------------------------------------------------------------------
    def candidates(self, req: np.ndarray, ties: tuple[Tie, ...], now: int, month: int) -> tuple[np.ndarray, ...]:
        """(request index, contact, tie) for the requested kinds of tie, willing and adult."""
        if self.index is None:
            self.index = NetworkIndex(self.pop)
        owners, contacts, kinds = [], [], []
        if Tie.HOUSEHOLD in ties:
            o, c = self.index.household(req)
            owners.append(o), contacts.append(c), kinds.append(np.full(len(o), Tie.HOUSEHOLD))
        if Tie.KIN_SAME_AREA in ties:
            o, c = self.index.kin(req)
            same = self.pop.area_of(c) == self.pop.area_of(req[o])
            owners.append(o), contacts.append(c)
            kinds.append(np.where(same, Tie.KIN_SAME_AREA, Tie.KIN_OTHER_AREA))
        if Tie.NEIGHBOUR in ties:
            o, c = self.index.neighbours(req)
            owners.append(o), contacts.append(c), kinds.append(np.full(len(o), Tie.NEIGHBOUR))
        if Tie.VOLUNTEER in ties:
            o, c = self._volunteers_for(req, now, month)
            owners.append(o), contacts.append(c), kinds.append(np.full(len(o), Tie.VOLUNTEER))
        owner = np.concatenate(owners) if owners else np.empty(0, np.int64)
        contact = np.concatenate(contacts) if contacts else np.empty(0, np.int64)
        tie = np.concatenate(kinds) if kinds else np.empty(0, np.int64)
        adult = self.pop.age_years(contact, now) >= 18
        keep = adult & (contact != req[owner]) & self.willing(contact, tie, self.pop.area_of(req[owner]))
        return owner[keep], contact[keep], tie[keep]

    def _volunteers_for(self, req: np.ndarray, now: int, month: int) -> tuple[np.ndarray, np.ndarray]:
        """A few volunteers of the requester's area (the pool an access team can call on)."""
        pool = self.volunteers(now)
        area = self.pop.area_of(pool)
        order = np.argsort(area, kind="stable")
        pool, area = pool[order], area[order]
        starts = np.searchsorted(area, np.arange(self.pop.n_areas))
        ends = np.searchsorted(area, np.arange(self.pop.n_areas), side="right")
        req_area = self.pop.area_of(req)
        n = (ends - starts)[req_area]
        k = 3
        rng = self.model.streams.generator("informal_care.volunteers", month)
        pick = starts[req_area][:, None] + (rng.random((len(req), k)) * n[:, None]).astype(np.int64)
        ok = (n > 0)[:, None] & np.ones((len(req), k), dtype=bool)
        owner = np.repeat(np.arange(len(req)), k)[ok.ravel()]
        return owner, pool[np.minimum(pick.ravel()[ok.ravel()], max(len(pool) - 1, 0))]

    def match(self, req: np.ndarray, ties: tuple[Tie, ...], now: int, month: int,
              outside_hours: np.ndarray | None = None, mobilisation: float = 1.0,
              hours: np.ndarray | None = None) -> np.ndarray:
        """Try to cover each request's hours (default: the whole problem) with up to
        MAX_CARERS carers from its network. Covered requests get their carers (committed);
        returns the covered mask."""
        p = self.pop.persons
        remaining = (p.need_hours[req] if hours is None else hours).astype(np.float64)
        if outside_hours is not None:
            remaining = remaining - outside_hours
        covered = remaining <= EPS
        if len(req) == 0:
            return covered
        owner, contact, tie = self.candidates(req, ties, now, month)
        # one candidacy per (request, contact): the closest tie; closer ties are asked first
        rng = self.model.streams.generator("informal_care.match", month)
        priority = -tie.astype(np.float64) + rng.random(len(tie)) * 0.5
        order = np.lexsort((-priority, contact, owner))
        owner, contact, tie, priority = owner[order], contact[order], tie[order], priority[order]
        first = np.ones(len(owner), dtype=bool)
        first[1:] = (owner[1:] != owner[:-1]) | (contact[1:] != contact[:-1])
        owner, contact, priority = owner[first], contact[first], priority[first]
        order = np.lexsort((-priority, owner))
        owner, contact = owner[order], contact[order]

        avail = np.zeros(p.n)
        uniq = np.unique(contact)
        avail[uniq] = self.available(uniq, now) * mobilisation
        unused = np.ones(len(owner), dtype=bool)
        given_owner, given_carer, given_hours = [], [], []
        for _ in range(MAX_CARERS):
            live = unused & (remaining[owner] > EPS) & (avail[contact] > EPS)
            idx = np.flatnonzero(live)
            if len(idx) == 0:
                break
            _, first_of = np.unique(owner[idx], return_index=True)
            pick = idx[first_of]  # each open request's best remaining candidate
            tie_break = rng.random(len(pick))
            pick = pick[np.lexsort((tie_break, contact[pick]))]
            one = np.ones(len(pick), dtype=bool)
            one[1:] = contact[pick][1:] != contact[pick][:-1]
            pick = pick[one]  # a carer asked by two requests this round helps one of them
            give = np.minimum(avail[contact[pick]], remaining[owner[pick]])
            avail[contact[pick]] -= give
            remaining[owner[pick]] -= give
            unused[pick] = False
            given_owner.append(owner[pick]), given_carer.append(contact[pick]), given_hours.append(give)
        covered = remaining <= EPS
        if given_owner:
            go, gc, gh = (np.concatenate(x) for x in (given_owner, given_carer, given_hours))
            ok = covered[go]
            self._commit(req[go[ok]], gc[ok], gh[ok], now)
        return covered

    def _commit(self, recipients: np.ndarray, carers: np.ndarray, hours: np.ndarray, now: int) -> None:
        p = self.pop.persons
        order = np.argsort(recipients, kind="stable")
        recipients, carers, hours = recipients[order], carers[order], hours[order]
        starts = np.searchsorted(recipients, recipients)
        slot = np.arange(len(recipients)) - starts  # 0, 1, 2 within each recipient
        p.carers[recipients, slot] = carers
        p.carer_hours[recipients, slot] = hours
        np.add.at(p.care_given, carers, hours.astype(np.float32))
        new = carers[p.care_since[carers] == NO_ID]
        p.care_since[new] = self.model.clock

    def alongside_formal(self, ids: np.ndarray, now: int, month: int) -> None:
        """Persons placed in a formal provision keep informal help for the hours it does not
        cover, from their household and kin, where someone is willing and able."""
        c = self.model.config.informal_care
        ids = ids[self.pop.persons.carers[ids, 0] == NO_ID]
        hours = self.pop.persons.need_hours[ids] * c.alongside_formal_share
        self.match(ids, (Tie.HOUSEHOLD, Tie.KIN_SAME_AREA), now, month, hours=hours)

    def release(self, recipients: np.ndarray) -> None:
        """End every care relation of these recipients."""
        p = self.pop.persons
        slots = p.carers[recipients]
        has = slots != NO_ID
        np.subtract.at(p.care_given, slots[has], p.carer_hours[recipients][has])
        p.carers[recipients] = NO_ID
        p.carer_hours[recipients] = 0.0
        done = np.unique(slots[has])
        done = done[p.care_given[done] <= EPS]
        p.care_given[done] = 0.0
        p.care_since[done] = NO_ID

    # --- the monthly step ------------------------------------------------------------------
    def step(self, month: int, now: int) -> None:
        """Carers lost to death or emigration, strain, respite, dropouts, and the counts."""
        self.index = None  # the network changed since last month
        p = self.pop.persons
        c = self.model.config.informal_care
        rec = self.model.recorder
        # recipients whose carer is gone ask again
        helped = np.flatnonzero(p.alive & (p.carers[:, 0] != NO_ID))
        slots = p.carers[helped]
        lost = ((slots != NO_ID) & ~p.alive[np.where(slots == NO_ID, 0, slots)]).any(axis=1)
        self.reopen(helped[lost])

        carers = np.flatnonzero(p.alive & (p.care_given > EPS))
        load = p.care_given[carers] / np.maximum(self.capacity(carers, now), 1.0)
        strain = p.strain[carers] * (1.0 - c.strain_recovery) + c.strain_gain * load
        rng = self.model.streams.generator("informal_care.strain", month)
        burdened = strain > c.heavy_burden_threshold
        uptake = c.respite_uptake * self.model.prevention.field_strength()[self.pop.area_of(carers)]
        respite = burdened & (rng.random(len(carers)) < np.minimum(uptake, 1.0))
        strain = np.where(respite, strain * (1.0 - c.respite_relief), strain)
        p.strain[carers] = strain
        idle = np.flatnonzero(p.alive & (p.care_given <= EPS) & (p.strain > 0))
        p.strain[idle] *= 1.0 - c.strain_recovery
        area = self.pop.area_of(carers)
        rec.count("carer_respite_days", area[respite], RESPITE_DAYS)
        rec.count("carer_hours", area, p.care_given[carers] * WEEKS_PER_MONTH)

        narrow = (p.care_given[carers] > NARROW_HOURS) | (now - p.care_since[carers] >= NARROW_MONTHS)
        rec.mark("carers", carers[narrow], area[narrow])
        heavy = narrow & burdened
        rec.mark("carers_heavily_burdened", carers[heavy], area[heavy])

        # derailment: an overloaded carer stops
        stop = carers[(strain > c.dropout_threshold) & (rng.random(len(carers)) < c.dropout_rate)]
        if len(stop):
            rec.count("carer_dropouts", self.pop.area_of(stop))
            helped = np.flatnonzero(p.alive & np.isin(p.carers, stop).any(axis=1))
            self.reopen(helped)
            free = stop[p.need_domain[stop] == NO_ID]
            ill = free[rng.random(len(free)) < c.carer_own_need_prob]
            self.model.needs.start(ill, np.full(len(ill), DOMAIN_INDEX["individual_support"]),
                                   np.full(len(ill), Severity.MEDIUM), now)

    def reopen(self, recipients: np.ndarray) -> None:
        """Recipients lose their informal help: relations end, and those who depended on it
        alone look for help again (informal help alongside a formal provision just ends)."""
        p = self.pop.persons
        self.release(recipients)
        self.model.needs.reopen(recipients[np.isin(p.need_status[recipients], (Status.SELF, Status.INFORMAL))])
