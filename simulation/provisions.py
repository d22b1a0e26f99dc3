"""Provisions: general provisions per area and protected living, accessed centrally.
(Customised provisions are delivered by the providers: ``providers.py``.)

Occupancy is never stored: it is counted from the persons' need status each time, so a place
is free again the moment a problem ends or its holder dies or leaves.
"""

from __future__ import annotations

import numpy as np

from .needs import DOMAIN_INDEX, WAITING, Status, domain_flag, status_in


class Provisions:
    def __init__(self, model, start_population: np.ndarray):
        self.model = model
        self.pop = model.population
        self.start_population = start_population
        self.wmo = domain_flag("wmo")

    def _occupied(self, status: Status) -> np.ndarray:
        ids = self.model.needs.with_status(status)
        return np.bincount(self.pop.area_of(ids), minlength=self.pop.n_areas)

    def general_places(self) -> np.ndarray:
        c = self.model.config.provisions
        return np.floor(c.general_places_per_1000 * self.start_population / 1000 * c.general_capacity_multiplier)

    def protected_places(self) -> int:
        c = self.model.config.provisions
        return int(c.protected_places_per_10k * self.start_population.sum() / 10_000)

    def admit_general(self, ids: np.ndarray) -> np.ndarray:
        """Admit in the given order while the person's area has free general places."""
        return self._admit(ids, self.pop.area_of(ids), self.general_places() - self._occupied(Status.GENERAL))

    @staticmethod
    def _admit(ids: np.ndarray, area: np.ndarray, free: np.ndarray) -> np.ndarray:
        order = np.argsort(area, kind="stable")
        sorted_area = area[order]
        rank = np.arange(len(ids)) - np.searchsorted(sorted_area, sorted_area)
        admitted = np.zeros(len(ids), dtype=bool)
        admitted[order] = rank < np.maximum(free, 0)[sorted_area]
        return admitted

    def step(self, month: int, now: int) -> None:
        """Fill free protected-living places from the central waiting list (longest wait
        first), then count this year's clients."""
        p = self.pop.persons
        ids = self.model.needs.with_status(Status.PROTECTED_WAIT)
        ids = ids[np.argsort(p.wait_since[ids], kind="stable")]
        n_free = self.protected_places() - self._occupied(Status.PROTECTED).sum()
        p.need_status[ids[: max(n_free, 0)]] = Status.PROTECTED
        self.count_clients(now)

    def count_clients(self, now: int) -> None:
        p, rec = self.pop.persons, self.model.recorder
        ids = self.model.needs.with_problem()
        status, dom = p.need_status[ids], p.need_domain[ids]
        area = self.pop.area_of(ids)
        custom = status == Status.CUSTOM
        for name, mask in (
            ("general_provision_clients", status == Status.GENERAL),
            ("wmo_clients", custom & self.wmo[dom]),
            ("household_help_clients", custom & (dom == DOMAIN_INDEX["household_help"])),
            ("youth_care_clients_0_17", custom & (dom == DOMAIN_INDEX["youth_care"])
             & (self.pop.age_years(ids, now) < 18)),
            ("protected_living_clients", status == Status.PROTECTED),
            ("unmet_need_persons", status_in(status, WAITING)),
        ):
            rec.mark(name, ids[mask], area[mask])

