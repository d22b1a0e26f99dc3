"""The monthly census as a step: after demography has changed the population, the derived
quantities every later process reads (ages, areas, household sizes and groupings) are taken
once (``Population.take_census``)."""

from __future__ import annotations

from .process import Clock, Process


class Census(Process):
    name = "census"

    def step(self, clock: Clock) -> None:
        self.pop.take_census(clock.now)
