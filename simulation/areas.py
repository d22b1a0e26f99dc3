"""Areas: the few rich actors of the municipality's geography, as Mesa agents."""

from __future__ import annotations

import math

import mesa


class Area(mesa.Agent):
    """One area (wijk/gebied) of the municipality: its residents live in its households."""

    def __init__(self, model, index: int, name: str):
        super().__init__(model)
        self.index = index
        self.name = name

    @property
    def cohesion(self) -> float:
        """Social cohesion now: the scenario's ``[areas."<name>"] cohesion`` if set, else the
        municipal ``network.cohesion`` times this area's index in the data set; raised by what
        is spent on area networks (``network.area_network_*``), at most 1. A policy can change
        each."""
        c = self.model.config.network
        override = self.model.config.areas.get(self.name)
        if override is not None and override.cohesion is not None:
            base = float(override.cohesion)
        else:
            base = float(c.cohesion) * float(self.model.dataset.area_cohesion_index[self.index])
        gain = c.area_network_max_gain * -math.expm1(-c.area_network_eur_per_resident / c.area_network_eur_scale)
        return min(1.0, base * (1.0 + gain))

    @property
    def population(self) -> int:
        """Residents now."""
        return int(self.model.population.counts(self.model.now)[0][self.index].sum())

    def __repr__(self) -> str:
        return f"Area({self.name!r}, population={self.population}, cohesion={self.cohesion})"
