"""Provisions: general provisions per area, customised provisions (placeholder capacity until
the providers model), and protected living, accessed centrally.

Occupancy is never stored: it is counted from the persons' need status each time, so a place
is free again the moment a problem ends or its holder dies or leaves.

The customised capacity here is a documented placeholder: a fixed number of places per 1,000
residents at the start, shared by all customised provisions of an area. It is to be replaced by
providers with staff and waiting lists.
"""

from __future__ import annotations

import numpy as np

from .needs import DOMAIN_INDEX, Status, domain_flag


class Provisions:
    def __init__(self, model, start_population: np.ndarray):
        self.model = model
        self.pop = model.population
        self.start_population = start_population
        self.wmo = domain_flag("wmo")

    def _occupied(self, status: Status) -> np.ndarray:
        p = self.pop.persons
        ids = np.flatnonzero(p.alive & (p.need_status == status))
        return np.bincount(self.pop.area_of(ids), minlength=self.pop.n_areas)

    def general_places(self) -> np.ndarray:
        c = self.model.config.provisions
        return np.floor(c.general_places_per_1000 * self.start_population / 1000 * c.general_capacity_multiplier)

    def custom_places(self) -> np.ndarray:
        c = self.model.config.provisions
        return np.floor(c.custom_places_per_1000 * self.start_population / 1000)

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
        """Fill free customised and protected places from the waiting lists (longest wait
        first), then count this year's clients."""
        p = self.pop.persons
        for waiting, placed, free, central in (
            (Status.CUSTOM_WAIT, Status.CUSTOM, self.custom_places() - self._occupied(Status.CUSTOM), False),
            (Status.PROTECTED_WAIT, Status.PROTECTED, None, True),
        ):
            ids = np.flatnonzero(p.alive & (p.need_status == waiting))
            ids = ids[np.argsort(p.need_onset[ids], kind="stable")]
            if central:
                n_free = self.protected_places() - self._occupied(Status.PROTECTED).sum()
                admitted = np.arange(len(ids)) < n_free
            else:
                admitted = self._admit(ids, self.pop.area_of(ids), free)
            p.need_status[ids[admitted]] = placed
            self.model.informal_care.alongside_formal(ids[admitted], now, month)
        self.count_clients(now)

    def count_clients(self, now: int) -> None:
        p, rec = self.pop.persons, self.model.recorder
        ids = np.flatnonzero(p.alive & (p.need_domain >= 0))
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
            ("unmet_need_persons", np.isin(status, (Status.QUEUED, Status.CUSTOM_WAIT, Status.PROTECTED_WAIT))),
        ):
            rec.mark(name, ids[mask], area[mask])

