"""Areas: the few rich actors of the municipality's geography, as Mesa agents."""

from __future__ import annotations

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
        municipal ``network.cohesion`` times this area's index in the data set (at most 1); a
        policy can change either."""
        override = self.model.config.areas.get(self.name)
        if override is not None and override.cohesion is not None:
            return float(override.cohesion)
        index = float(self.model.dataset.area_cohesion_index[self.index])
        return min(1.0, float(self.model.config.network.cohesion) * index)

    @property
    def population(self) -> int:
        """Residents now."""
        return int(self.model.population.counts(self.model.now)[0][self.index].sum())

    def __repr__(self) -> str:
        return f"Area({self.name!r}, population={self.population}, cohesion={self.cohesion})"
