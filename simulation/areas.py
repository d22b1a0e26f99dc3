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
        """Social cohesion now (the scenario's value for this area; a policy can change it)."""
        return float(self.model.config.area_value(self.name, "cohesion"))

    @property
    def population(self) -> int:
        """Residents now."""
        return int(self.model.population.counts(self.model.now)[0][self.index].sum())

    def __repr__(self) -> str:
        return f"Area({self.name!r}, population={self.population}, cohesion={self.cohesion})"
