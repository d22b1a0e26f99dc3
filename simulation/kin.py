"""Kin: every person's children as linked lists by mother and by father, kept by the
population (``Population.kin``) and walked by demography and informal care's matching."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .kernels import jit
from .store import NO_ID, ArrayStore, grown


class Kin(NamedTuple):
    """The kin lists as one kernel input: children by mother and by father (first child by
    parent id, next sibling by child id)."""

    first_by_mother: np.ndarray
    next_by_mother: np.ndarray
    first_by_father: np.ndarray
    next_by_father: np.ndarray


class KinLists:
    """Every person's children as linked lists by mother and by father (first child, next
    sibling), for walking a family without a search. Parents never change and new persons get
    new ids at the end, so the lists are only ever extended (``extend`` after adding persons);
    the dead stay in them and are skipped by whoever walks them."""

    def __init__(self):
        self.linked = 0  # persons 0 .. linked-1 are in the lists
        self.first_child = {"mother": np.zeros(0, np.int32), "father": np.zeros(0, np.int32)}  # int32: half the cache lines
        self.next_sibling = {"mother": np.zeros(0, np.int32), "father": np.zeros(0, np.int32)}
        # by father: whether his children have more than one mother (otherwise his list holds
        # no one his children's mother's list does not, and a walk of the family can skip it)
        self.several_mothers = np.zeros(0, np.bool_)

    def extend(self, persons: ArrayStore) -> None:
        """Link the persons added since the last call (their parents set)."""
        self.several_mothers = grown(self.several_mothers, persons.n, False)
        for parent, other in (("mother", "father"), ("father", "mother")):
            for lists in (self.first_child, self.next_sibling):
                lists[parent] = grown(lists[parent], persons.n, NO_ID)
            several = self.several_mothers if parent == "father" else np.zeros(0, np.bool_)
            _link(self.linked, persons.n, getattr(persons, parent), self.first_child[parent],
                  self.next_sibling[parent], getattr(persons, other), several)
        self.linked = persons.n

    def lists(self) -> Kin:
        return Kin(self.first_child["mother"], self.next_sibling["mother"], self.first_child["father"],
                   self.next_sibling["father"])


@jit
def _link(start, stop, parent, first_child, next_sibling, other_parent, several):
    """Put persons start .. stop-1 at the head of their parent's list of children; where
    ``several`` is given (by parent), note a parent whose children have more than one
    ``other_parent`` (the head's other parent differs from the newcomer's: by induction, all
    before the head share the head's)."""
    for i in range(start, stop):
        if parent[i] >= 0:
            head = first_child[parent[i]]
            if len(several) > 0 and head >= 0 and other_parent[head] != other_parent[i]:
                several[parent[i]] = True
            next_sibling[i] = head
            first_child[parent[i]] = i
