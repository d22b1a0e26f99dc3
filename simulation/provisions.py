"""Provisions: general provisions per area and protected living, accessed centrally.
(Customised provisions are delivered by the providers: ``providers.py``.)

Occupancy is never stored: it is counted from the persons' need status each time, so a place
is free again the moment a problem ends or its holder dies or leaves.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .kernels import jit, mark_once, stable_order
from .process import Clock, Process
from .random_streams import id_uniform
from .domain import DOMAIN_INDEX, WAITING, Status, domain_flag, status_in

# persons counted once a year in each (see ``_count_clients``)
CLIENT_COUNTS = ("general_provision_clients", "wmo_clients", "household_help_clients", "youth_care_clients_0_17",
                 "protected_living_clients", "unmet_need_persons")
GENERAL, CUSTOM, PROTECTED = int(Status.GENERAL), int(Status.CUSTOM), int(Status.PROTECTED)
HOUSEHOLD_HELP, YOUTH_CARE = DOMAIN_INDEX["household_help"], DOMAIN_INDEX["youth_care"]
COUNTED = status_in(np.arange(len(Status)), (Status.GENERAL, Status.CUSTOM, Status.PROTECTED, *WAITING))


class Counts(NamedTuple):
    """One array for each of CLIENT_COUNTS, in that order (the recorder's marks of a count:
    the year each id was last counted, or this year's count by area)."""

    general: np.ndarray
    wmo: np.ndarray
    home: np.ndarray
    youth: np.ndarray
    protected: np.ndarray
    unmet: np.ndarray


class Clients(NamedTuple):
    """What decides a client's counts: their problem's domain and age, and their area (arrays by
    id); which domains are Wmo and which statuses are ``counted`` in one of CLIENT_COUNTS."""

    need_domain: np.ndarray
    age: np.ndarray
    area: np.ndarray
    wmo: np.ndarray
    counted: np.ndarray


class Provisions(Process):
    name = "provisions"
    section = "provisions"
    results = CLIENT_COUNTS

    def __init__(self, model):
        super().__init__(model)
        self.start_population = model.start_population
        self.wmo = domain_flag("wmo")
        self._counted: tuple = (None, None)  # (recorder, year) of the last full count

    def _occupied(self, status: Status) -> np.ndarray:
        ids = self.model.needs.with_status(status)
        return np.bincount(self.pop.area_of(ids), minlength=self.pop.n_areas)

    def aided(self, ids: np.ndarray) -> np.ndarray:
        """The household-help clients among ``ids`` who also use an aid or Wmo service
        (``aids_with_household_help`` of them, a fixed draw per person). A person has one problem at
        a time; the aid is their second provision, costed and asked for beside the household help."""
        home = ids[self.pop.persons.need_domain[ids] == HOUSEHOLD_HELP]
        return home[id_uniform(home, self.model.seed, "aid_with_household_help") < self.params.aids_with_household_help]

    def general_places(self) -> np.ndarray:
        """Per area; under a funding scheme other than population-based funding without the
        places the area's contractor would run (``contractors.py``)."""
        c = self.params
        places = np.floor(c.general_places_per_1000 * self.start_population / 1000 * c.general_capacity_multiplier)
        return np.maximum(places - self.model.contractors.places_not_run(), 0.0)

    def protected_places(self) -> int:
        c = self.params
        return int(c.protected_places_per_10k * self.start_population.sum() / 10_000)

    def admit_general(self, ids: np.ndarray) -> np.ndarray:
        """Admit in the given order while the person's area has free general places."""
        if len(ids) == 0:  # (often, at small scale: the places need not be counted)
            return np.zeros(0, dtype=bool)
        return self._admit(ids, self.pop.area_of(ids), self.general_places() - self._occupied(Status.GENERAL))

    @staticmethod
    def _admit(ids: np.ndarray, area: np.ndarray, free: np.ndarray) -> np.ndarray:
        order = np.argsort(area, kind="stable")
        sorted_area = area[order]
        rank = np.arange(len(ids)) - np.searchsorted(sorted_area, sorted_area)
        admitted = np.zeros(len(ids), dtype=bool)
        admitted[order] = rank < np.maximum(free, 0)[sorted_area]
        return admitted

    def step(self, clock: Clock) -> None:
        """Fill free protected-living places from the central waiting list (longest wait
        first), then count this year's clients (not in the warm-up, whose recorder is discarded:
        the first count of the run looks at every client)."""
        p = self.pop.persons
        ids = self.model.needs.with_status(Status.PROTECTED_WAIT)
        ids = ids[stable_order(p.wait_since[ids])]
        n_free = self.protected_places() - self._occupied(Status.PROTECTED).sum()
        self.model.needs.set_status(ids[: max(n_free, 0)], Status.PROTECTED)
        if clock.warm_up:
            self.model.needs.take_changed()  # (what changed is not needed: kept, it would only grow)
        else:
            self.count_clients(clock.now)

    def count_clients(self, now: int) -> None:
        """This year's clients of each kind (CLIENT_COUNTS), each person once. The first count
        of a year looks at every client; later months only at those whose status or domain
        changed since the last count: the others were counted already (or are in no count),
        since being counted depends on status, domain and being under 18, and age only grows."""
        p, rec = self.pop.persons, self.model.recorder
        marks = [rec.marks(name) for name in CLIENT_COUNTS]
        changed = self.model.needs.take_changed()
        if self._counted != (rec, marks[0][2]):
            self._counted = (rec, marks[0][2])
            ids, status = self.model.needs.clients_and_statuses()
        else:
            ids, status = changed, p.need_status[changed]
        _count_clients(ids, status, Clients(p.need_domain, self.pop.ages(now), self.pop.areas(), self.wmo, COUNTED),
                       marks[0][2], Counts(*(m[0] for m in marks)), Counts(*(m[1] for m in marks)))


@jit
def _count_clients(ids, status, clients, year, last, counts):
    """Mark each client (``ids`` with their ``status``, side by side; an id repeated counts once)
    in the counts of CLIENT_COUNTS they belong to this month, once a year: ``last`` the year
    each id was last counted, ``counts`` this year's counts by area. Only those with a status
    ``counted`` in one of them are looked up."""
    for k in range(len(ids)):
        s = status[k]
        if not clients.counted[s]:
            continue
        i = ids[k]
        a = clients.area[i]
        if s == CUSTOM:
            d = clients.need_domain[i]
            if clients.wmo[d]:
                mark_once(i, a, last.wmo, counts.wmo, year)
            if d == HOUSEHOLD_HELP:
                mark_once(i, a, last.home, counts.home, year)
            if d == YOUTH_CARE and clients.age[i] < 18:
                mark_once(i, a, last.youth, counts.youth, year)
        elif s == GENERAL:
            mark_once(i, a, last.general, counts.general, year)
        elif s == PROTECTED:
            mark_once(i, a, last.protected, counts.protected, year)
        else:  # waiting
            mark_once(i, a, last.unmet, counts.unmet, year)
