"""Who is connected to whom: household members, kin (parents, children, siblings) and
neighbours, as array lookups. An index is built once per month (three counting sorts) and
answers, for a batch of persons, every (person, contact) pair of a kind at once."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from .kernels import group_by
from .population import NO_ID, Population


class Tie(IntEnum):
    HOUSEHOLD = 0
    KIN_SAME_AREA = 1
    KIN_OTHER_AREA = 2
    NEIGHBOUR = 3
    VOLUNTEER = 4


def expand(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [starts[i], ends[i]): (owner index i per element, flat positions)."""
    counts = np.maximum(ends - starts, 0)
    owner = np.repeat(np.arange(len(starts)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offset


class _Grouped:
    """Living persons grouped by a key field (a counting sort), for range lookups by key."""

    def __init__(self, persons: np.ndarray, keys: np.ndarray, n_keys: int):
        self.starts, self.members = group_by(keys, persons, n_keys)

    def of(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ``keys``, member) pairs; NO_ID keys have no members."""
        known = keys != NO_ID
        starts = np.where(known, self.starts[keys], 0)
        ends = np.where(known, self.starts[keys + 1], 0)
        owner, pos = expand(starts, ends)
        return owner, self.members[pos]


class NetworkIndex:
    def __init__(self, pop: Population):
        p = pop.persons
        self.pop = pop
        alive = pop.active_persons()
        self.by_household = _Grouped(alive, p.household[alive], pop.households.n)
        self.by_mother = _Grouped(alive, p.mother[alive], p.n)
        self.by_father = _Grouped(alive, p.father[alive], p.n)

    def household(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Other members of each person's household."""
        owner, other = self.by_household.of(self.pop.persons.household[ids])
        keep = other != ids[owner]
        return owner[keep], other[keep]

    def kin(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Living parents, children and siblings outside the person's household."""
        p = self.pop.persons
        parts = []
        for field in ("mother", "father"):
            parent = getattr(p, field)[ids]
            has = np.flatnonzero(parent != NO_ID)
            parts.append((has, parent[has]))
            parts.append(self.by_mother.of(parent) if field == "mother" else self.by_father.of(parent))  # siblings
        parts.append(self.by_mother.of(ids))  # children
        parts.append(self.by_father.of(ids))
        owner = np.concatenate([o for o, _ in parts])
        other = np.concatenate([k for _, k in parts])
        keep = (other != ids[owner]) & p.alive[other] & (p.household[other] != p.household[ids[owner]])
        return owner[keep], other[keep]

    def neighbours(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Members of the households a person's household names as neighbours."""
        h = self.pop.households
        slots = h.neighbours[self.pop.persons.household[ids]]
        owner_slot = np.repeat(np.arange(len(ids)), slots.shape[1])
        flat = slots.ravel()
        live = (flat != NO_ID)
        live[live] = h.alive[flat[live]]
        owner, other = self.by_household.of(flat[live])
        return owner_slot[live][owner], other
