"""Who is connected to whom: household members, kin (parents, children, siblings) and
neighbours, as index arrays for the matching kernel (``informal_care._match``).

- Household members: living persons grouped by household (a counting sort), rebuilt every
  month because people move.
- Kin: every person's children as linked lists by mother and by father (first child, next
  sibling). A person's parents never change and new persons get new ids at the end, so the
  lists are only ever extended; the dead stay in them and are skipped where asked.
- Neighbours: each household's neighbour slots (``Population.draw_neighbours``).
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .kernels import group_by, jit
from .population import NO_ID, Population, grown


class Tie(IntEnum):
    HOUSEHOLD = 0
    KIN_SAME_AREA = 1
    KIN_OTHER_AREA = 2
    NEIGHBOUR = 3
    VOLUNTEER = 4


class NetworkIndex:
    def __init__(self, pop: Population):
        self.pop = pop
        self.linked = 0  # persons 0 .. linked-1 are in the kin lists
        self.first_child = {"mother": np.zeros(0, np.int64), "father": np.zeros(0, np.int64)}
        self.next_sibling = {"mother": np.zeros(0, np.int64), "father": np.zeros(0, np.int64)}
        self.refresh()

    def refresh(self) -> None:
        """Regroup households and add the persons born or arrived since the last refresh."""
        p = self.pop.persons
        alive = self.pop.active_persons()
        self.household_starts, self.household_members = group_by(p.household[alive], alive, self.pop.households.n)
        for parent in ("mother", "father"):
            for lists in (self.first_child, self.next_sibling):
                lists[parent] = grown(lists[parent], p.n, NO_ID)
            _link(self.linked, p.n, getattr(p, parent), self.first_child[parent], self.next_sibling[parent])
        self.linked = p.n


@jit
def _link(start, stop, parent, first_child, next_sibling):
    """Put persons start .. stop-1 at the head of their parent's list of children."""
    for i in range(start, stop):
        if parent[i] >= 0:
            next_sibling[i] = first_child[parent[i]]
            first_child[parent[i]] = i
