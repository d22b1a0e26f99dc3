"""Who is connected to whom, by kind of tie. The matching kernel (``matching._match``)
walks the relations where the population keeps them:

- Household members: living persons grouped by household, by the monthly census
  (``Population.household_groups``: each household's members in one block, in id order).
- Kin: every person's children as linked lists by mother and by father
  (``kin.KinLists``, which demography walks too).
- Neighbours: each household's neighbour slots (``Population.draw_neighbours``).
"""

from __future__ import annotations

from enum import IntEnum


class Tie(IntEnum):
    HOUSEHOLD = 0
    KIN_SAME_AREA = 1
    KIN_OTHER_AREA = 2
    NEIGHBOUR = 3
    VOLUNTEER = 4
