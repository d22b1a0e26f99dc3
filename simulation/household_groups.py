"""The census's groupings, kept between censuses: the living grouped by household and the
households grouped by area, regrouped each month from the last grouping and the month's changes
(only the households someone left or joined are made again), and the members of households
now, between censuses too. Compiled kernels for ``Population`` (``population.py``), which keeps
the changes they start from.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .kernels import age_at, is_in_sorted, jit, lower_bound


class Grouping(NamedTuple):
    """The living grouped by household at the last census (household h's members at
    ``grouped[first[h]:end[h]]``, in id order), who joined a household since (sorted ids), and
    the persons' ``alive`` and ``household`` now."""

    first: np.ndarray
    end: np.ndarray
    grouped: np.ndarray
    joined: np.ndarray
    alive: np.ndarray
    household: np.ndarray


@jit
def members_now(households, g):
    """Living persons whose household is one of ``households`` (sorted): of those grouped in
    them at the last census the ones who have not joined a household since, and of those who
    have, the ones there now; in id order."""
    first, end, grouped, joined, alive, household = g
    n_before = len(first)
    bound = len(joined)
    for h in households:
        if h < n_before:
            bound += end[h] - first[h]
    out = np.empty(bound, dtype=np.int64)
    n = 0
    for h in households:
        if h < n_before:
            for j in range(first[h], end[h]):
                i = grouped[j]
                if alive[i] and household[i] == h and not is_in_sorted(i, joined):
                    out[n] = i
                    n += 1
    for i in joined:
        if alive[i] and is_in_sorted(household[i], households):
            out[n] = i
            n += 1
    return np.sort(out[:n])


@jit
def member_blocks(households, g, by_household):
    """``Population.member_blocks``: per household, those grouped in it at the last census who
    are still there and have not joined a household since (sorted by id), merged with those
    who joined it (``by_household``: the living of the joined sorted by household, then id)."""
    first, end, grouped, joined, alive, household = g
    bound = 0
    for h in households:
        bound += end[h] - first[h] if h < len(first) else 0
    out = np.empty(bound + 64, dtype=np.int64)  # (grown below if the joiners need more)
    starts = np.empty(len(households) + 1, dtype=np.int64)
    joined_to = household[by_household]  # sorted
    n = 0
    for k in range(len(households)):
        h = households[k]
        starts[k] = n
        j = np.searchsorted(joined_to, h)  # the joiners of h: a range of by_household
        q, stop = (first[h], end[h]) if h < len(first) else (0, 0)
        while True:  # merge those who stayed with those who joined, by id
            while q < stop and not (alive[grouped[q]] and household[grouped[q]] == h
                                    and not is_in_sorted(grouped[q], joined)):
                q += 1
            joining = j < len(by_household) and household[by_household[j]] == h
            if q < stop and (not joining or grouped[q] < by_household[j]):
                i = grouped[q]
                q += 1
            elif joining:
                i = by_household[j]
                j += 1
            else:
                break
            if n == len(out):
                out = np.concatenate((out, np.empty(len(out), dtype=np.int64)))
            out[n] = i
            n += 1
    starts[len(households)] = n
    return out[:n], starts


@jit
def count_members_now(households, g, birth_month, now):
    """``members_now`` counted per household (sorted), with the adults among them."""
    first, end, grouped, joined, alive, household = g
    members = np.zeros(len(households), dtype=np.int64)
    adults = np.zeros(len(households), dtype=np.int64)
    n_before = len(first)
    for k in range(len(households)):
        h = households[k]
        if h < n_before:
            for j in range(first[h], end[h]):
                i = grouped[j]
                if alive[i] and household[i] == h and not is_in_sorted(i, joined):
                    members[k] += 1
                    adults[k] += age_at(birth_month, now, i) >= 18
    for i in joined:
        if alive[i]:
            h = household[i]
            k = np.searchsorted(households, h)
            if k < len(households) and households[k] == h:
                members[k] += 1
                adults[k] += age_at(birth_month, now, i) >= 18
    return members, adults


@jit
def regroup_members(starts, grouped, touched, joined, alive, household, size):
    """The living grouped by household (in id order within one) from the last grouping
    (``starts``, ``grouped``): the households no one left or joined since are copied a run at a
    time, the ``touched`` ones (sorted) are made again from those of their members who stayed
    and those who ``joined`` (living, sorted by household then id). ``size``: members now."""
    n_households = len(size)
    n_before = len(starts) - 1
    new_starts = np.empty(n_households + 1, dtype=np.int32)  # int32: half the memory to write and read
    total = 0
    for h in range(n_households):
        new_starts[h] = total
        total += size[h]
    new_starts[n_households] = total
    out = np.empty(total, dtype=np.int32)
    j = 0
    previous = -1  # the last household made again
    for t in range(len(touched) + 1):
        h = touched[t] if t < len(touched) else n_households
        # untouched households previous+1 .. h-1 (those of them grouped before) keep their members
        first, last = previous + 1, min(h, n_before)
        if first < last:
            out[new_starts[first]:new_starts[last]] = grouped[starts[first]:starts[last]]
        if h == n_households:
            break
        k = new_starts[h]
        q, end = (starts[h], starts[h + 1]) if h < n_before else (0, 0)
        while True:  # merge those who stayed with those who joined, by id
            while q < end and not (alive[grouped[q]] and household[grouped[q]] == h):
                q += 1
            joining = j < len(joined) and household[joined[j]] == h
            if q < end and (not joining or grouped[q] <= joined[j]):
                i = grouped[q]
                q += 1
                if joining and joined[j] == i:  # left and came back
                    j += 1
            elif joining:
                i = joined[j]
                j += 1
            else:
                break
            out[k] = i
            k += 1
        previous = h
    return new_starts, out


@jit
def regroup_by_area(starts, grouped, first_new, left, size, household_area, household_alive, n_areas):
    """The households with members (``size``) grouped by area in id order, from the last
    grouping (``starts``, ``grouped``) and the households formed since (ids ``first_new`` on);
    the others of those are closed (``household_alive``). Of the last grouping only those
    someone ``left`` (sorted) can have emptied: only they are looked up."""
    emptied = np.empty(len(left), dtype=np.int64)
    n_emptied = 0
    for h in left:
        if h < first_new and size[h] == 0:
            emptied[n_emptied] = h
            n_emptied += 1
    new_starts = np.zeros(n_areas + 1, dtype=np.int64)
    by_area = np.empty(len(grouped) + len(size) - first_new, dtype=np.int32)
    k = 0
    for a in range(n_areas):
        # the area's households less its emptied ones: runs between them copied whole
        run = starts[a]
        for e in range(n_emptied):
            h = emptied[e]
            if household_area[h] != a:
                continue
            lo = lower_bound(grouped[:starts[a + 1]], h, run)  # where h is in the area's (sorted) households
            if lo < starts[a + 1] and grouped[lo] == h:
                by_area[k: k + lo - run] = grouped[run: lo]
                k += lo - run
                run = lo + 1
                household_alive[h] = False
        by_area[k: k + starts[a + 1] - run] = grouped[run: starts[a + 1]]
        k += starts[a + 1] - run
        for h in range(first_new, len(size)):
            if household_area[h] == a:
                if size[h] > 0:
                    by_area[k] = h
                    k += 1
                else:
                    household_alive[h] = False
        new_starts[a + 1] = k
    return new_starts, by_area[:k]
