"""Compiled kernels (numba) shared by the processes: grouping by a key without a sort,
selecting ids by a field, merging sorted id lists, per-id random numbers and monthly events.
Kernels that serve one process live beside it.

Each kernel is a plain loop over its input, compiled once and cached on disk
(``cache=True``), so a new process does not compile again; helpers they call per person are
``inline``.
"""

from __future__ import annotations

import numba
import numpy as np

jit = numba.njit(cache=True, nogil=True)
# small helpers that take arrays, inlined into the kernels that call them: a call would cost
# more than their work (numba counts references to every array passed)
inline = numba.njit(inline="always", nogil=True)


@jit
def group_by(keys: np.ndarray, members: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Counting sort: ``members`` grouped by ``keys`` (0 <= key < n_keys; negative keys are
    left out), in their given order within a group. Returns (starts, grouped) with the members
    of key k at ``grouped[starts[k]:starts[k + 1]]``."""
    starts = np.zeros(n_keys + 1, dtype=np.int64)
    for k in keys:
        if k >= 0:
            starts[k + 1] += 1
    for k in range(n_keys):
        starts[k + 1] += starts[k]
    fill = starts[:-1].copy()
    grouped = np.empty(starts[n_keys], dtype=members.dtype)
    for i in range(len(keys)):
        k = keys[i]
        if k >= 0:
            grouped[fill[k]] = members[i]
            fill[k] += 1
    return starts, grouped


@jit
def group_ids(ids: np.ndarray, key: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``group_by(key[ids], ids, len(counts))`` when the number of ids per key is known
    (``counts``): one pass instead of two, and no gathered keys."""
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    starts[1:] = np.cumsum(counts)
    fill = starts[:-1].copy()
    grouped = np.empty(starts[-1], dtype=ids.dtype)
    for i in ids:
        k = key[i]
        grouped[fill[k]] = i
        fill[k] += 1
    return starts, grouped


@jit
def select_equal(ids: np.ndarray, values: np.ndarray, value) -> np.ndarray:
    """The ``ids[k]`` whose ``values[k]`` (side by side with the ids) equals ``value``
    (branch-free: the values are mixed, so a branch would be mispredicted often)."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for k in range(len(ids)):
        out[n] = ids[k]
        n += values[k] == value
    return out[:n]


@jit
def ids_at_most(values: np.ndarray, bound) -> np.ndarray:
    """The ids (indices) whose value is at most ``bound``, in order, as
    ``np.flatnonzero(values <= bound)`` without the mask: a count, then a branch-free fill of an
    array of just that size (fresh memory is dear on these machines: about 1.3 ms per MB)."""
    k = 0
    for i in range(len(values)):
        k += values[i] <= bound
    out = np.empty(k + 1, dtype=np.int64)
    n = 0
    for i in range(len(values)):
        out[n] = i
        n += values[i] <= bound
    return out[:n]


@jit
def ids_where(mask: np.ndarray) -> np.ndarray:
    """``np.flatnonzero(mask)`` the same way as ``ids_at_most``."""
    k = 0
    for i in range(len(mask)):
        k += mask[i]
    out = np.empty(k + 1, dtype=np.int64)
    n = 0
    for i in range(len(mask)):
        out[n] = i
        n += mask[i]
    return out[:n]


@inline
def mark_once(i, area, last, counts, year):
    """Count person ``i`` in ``counts[area]`` once a year: ``last`` holds the year each id was
    last counted (the recorder's ``marks``)."""
    if last[i] != year:
        last[i] = year
        counts[area] += 1


@inline
def is_in_sorted(x, ids):
    """Whether ``x`` is one of the sorted ``ids`` (a binary search, for kernels)."""
    p = np.searchsorted(ids, x)
    return p < len(ids) and ids[p] == x


def in_sorted(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Mask: each of ``values`` is one of the sorted ``ids`` (``np.isin`` by binary search: a
    tenth of its cost for the short lists it serves)."""
    if len(ids) == 0:
        return np.zeros(len(values), dtype=bool)
    pos = np.minimum(np.searchsorted(ids, values), len(ids) - 1)
    return ids[pos] == values


def unique_ids(*ids: np.ndarray) -> np.ndarray:
    """The distinct ids of one or more id arrays, sorted (int64): ``np.unique`` of their
    concatenation by a sort and a comparison of neighbours, in one compiled call for one array.
    NumPy 2's ``np.unique`` takes a hash-table path for integers that costs 4 to 10 times as
    much for the few hundred or thousand ids the processes pass."""
    if len(ids) == 1:
        return _sorted_distinct(ids[0])
    return _sorted_distinct(np.concatenate([np.empty(0, np.int64), *ids]))


@jit
def _sorted_distinct(ids):
    s = ids.astype(np.int64)  # a copy, sorted in place (often already sorted and distinct)
    increasing = True
    for k in range(1, len(s)):
        increasing &= s[k] > s[k - 1]
    if increasing:
        return s
    s.sort()
    n = 0
    for k in range(len(s)):
        if k == 0 or s[k] != s[k - 1]:
            s[n] = s[k]
            n += 1
    return s[:n]


RADIX_BITS = 11  # a wide key's digit in ``stable_order``: ids up to 4 million in two passes


@jit
def stable_order(keys):
    """``np.argsort(keys, kind="stable")`` for integer keys such as months or ids: ``group_by``
    (a counting sort) when their range is small (waiting lists ordered by the month they were
    joined: a tenth of a comparison sort's cost for a few thousand), else a radix sort, a
    counting sort per RADIX_BITS of the key, lowest first (a few thousand ids by carer: a
    sixth of a merge sort's cost)."""
    n = len(keys)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    lo, hi = keys.min(), keys.max()
    if hi - lo <= 4 * n + 1024:
        return group_by(keys - lo, np.arange(n), hi - lo + 1)[1]
    order = np.arange(n)
    shift = 0
    while shift < 63 and (hi - lo) >> shift > 0:
        order = group_by(((keys[order] - lo) >> shift) & ((1 << RADIX_BITS) - 1), order, 1 << RADIX_BITS)[1]
        shift += RADIX_BITS
    return order


def sorted_union(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.union1d`` for a sorted, duplicate-free ``a`` and a short ``b``: a merge, not a sort
    of both."""
    return merge_sorted(a.astype(np.int64, copy=False), unique_ids(b))


@inline
def lower_bound(a, x, lo):
    """The first position from ``lo`` in the sorted ``a`` whose value is not below ``x``."""
    return lo + np.searchsorted(a[lo:], x)


@jit
def merge_sorted(a, b):
    """The union of two sorted, duplicate-free id arrays (sorted, duplicate-free). The
    runs of ``a`` between the places of ``b``'s ids (found by binary search) are copied whole:
    ``b`` is mostly the shorter."""
    out = np.empty(len(a) + len(b), dtype=np.int64)
    i = n = 0
    for x in b:
        p = lower_bound(a, x, i)
        out[n: n + p - i] = a[i: p]
        n += p - i
        i = p
        if (i < len(a) and a[i] == x) or (n > 0 and out[n - 1] == x):
            continue  # in a as well (copied with the next run), or repeated
        out[n] = x
        n += 1
    out[n: n + len(a) - i] = a[i:]
    n += len(a) - i
    return out[:n]


@jit
def happens_this_month(u: float, p_year: float) -> bool:
    """Whether an event with yearly probability ``p_year`` (constant hazard) happens this month
    for a uniform draw ``u``: u < 1 - (1 - p)^(1/12), tested as p > 1 - (1 - u)^12, which
    needs five multiplications instead of a power."""
    x = 1.0 - u
    x4 = (x * x) * (x * x)
    return p_year >= 1.0 or p_year > 1.0 - x4 * x4 * x4


def monthly_probability(p_year: np.ndarray | float) -> np.ndarray | float:
    """Monthly probability from a yearly probability (constant hazard within the year)."""
    if isinstance(p_year, float):  # a parameter: plain arithmetic, not numpy's (ten times dearer)
        return 1.0 - (1.0 - min(max(p_year, 0.0), 1.0)) ** (1.0 / 12.0)
    return 1.0 - (1.0 - np.clip(p_year, 0.0, 1.0)) ** (1.0 / 12.0)


@jit
def splitmix64(x: np.uint64) -> np.uint64:
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


@jit
def unit_hash(key: np.uint64, i: int) -> float:
    """A uniform number in [0, 1) for id ``i`` under ``key`` (splitmix64 of key + id)."""
    return (splitmix64(np.uint64(i) + key) >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@jit
def hash_uniforms(ids: np.ndarray, key: np.uint64, k: int) -> np.ndarray:
    """``k`` uniform numbers per id (rows), ``unit_hash`` of id * k + j: several draws per id
    from one stream."""
    out = np.empty((k, len(ids)), dtype=np.float64)
    for i in range(len(ids)):
        for j in range(k):
            out[j, i] = unit_hash(key, ids[i] * k + j)
    return out


@jit
def hash_uniform(ids: np.ndarray, key: np.uint64) -> np.ndarray:
    """``unit_hash`` per id: what a person draws depends only on the key and their id, never
    on who else is drawn for."""
    out = np.empty(len(ids), dtype=np.float64)
    for i in range(len(ids)):
        out[i] = unit_hash(key, ids[i])
    return out


@inline
def age_at(birth_month, now, i):
    """Completed years of age of person ``i`` at absolute month ``now`` (never born later):
    an unsigned division, which compiles to a multiplication (a signed floor division does not)."""
    return np.int64(np.uint32(now - birth_month[i]) // np.uint32(12))
