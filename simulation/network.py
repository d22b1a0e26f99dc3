"""Who is connected to whom: household members, kin (parents, children, siblings) and
neighbours, as index arrays for the matching kernel (``informal_care._match``).

- Household members: living persons grouped by household, from the monthly census (people
  move).
- Kin: every person's children as linked lists by mother and by father, kept by the
  population (``population.KinLists``, which demography walks too).
- Neighbours: each household's neighbour slots (``Population.draw_neighbours``).
"""

from __future__ import annotations

from enum import IntEnum

from .population import Population


class Tie(IntEnum):
    HOUSEHOLD = 0
    KIN_SAME_AREA = 1
    KIN_OTHER_AREA = 2
    NEIGHBOUR = 3
    VOLUNTEER = 4


class NetworkIndex:
    def __init__(self, pop: Population, month: int):
        self.pop = pop
        self.kin = pop.kin
        self.refresh(month)

    def refresh(self, month: int) -> None:
        """Take the census's households (people moved) and link the persons added since
        (``month``: now, should the census have to be taken)."""
        self.household_starts, self.household_members = self.pop.household_groups(month)
        self.kin.extend(self.pop.persons)
