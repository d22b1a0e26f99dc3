"""Events drawn ahead, by thinning: a person (or household) is a *candidate* for an event in a
month with a bounding probability, the months between candidacies drawn ahead from their uniform
numbers, and a candidate then has the event with the ratio of their own monthly probability to
the bound. The same as a draw for everyone every month, but a month looks only at its
candidates.

``Candidacies`` keeps the schedule of one bound for everyone; ``BandedCandidacies`` that of a
bound by sex and age band (``AGE_BANDS``), tighter where rates differ much with age: a person
entering a band has their candidacy drawn afresh at its bound.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .dataset import MAX_AGE
from .kernels import age_at, ids_at_most, inline, jit, unit_hash

NEVER = 2**30  # a model-clock month no schedule reaches


@inline
def months_to_next(u, p_month):
    """Months until the next month with an event (0: this one) when each month has one with
    probability ``p_month``: geometric, from the uniform ``u`` (at most NEVER / 2; NEVER if
    ``p_month`` is 0). Scheduling events this way, a month looks only at its own."""
    if p_month >= 1.0:
        return 0
    return geometric_months(u, np.log1p(-max(p_month, 0.0)))


@inline
def geometric_months(u, log_keep):
    """``months_to_next`` from ``log_keep`` = log(1 - p_month) (-inf for 1, 0 for 0: never),
    for probabilities that vary by person, taken from a table made once."""
    if log_keep == 0.0:
        return NEVER
    return min(np.int64(np.log1p(-u) / log_keep), NEVER // 2)


class DueList:
    """The ids whose candidacy (in a schedule field) falls in a month, without a pass over every
    id every month: once in HORIZON months one pass lists the ids whose candidacy falls before
    the horizon's end, with their months; a month then reads only that short list. Between
    passes a candidacy changes only for an id that was due (its kernel drew the next one: read
    again at the next call), for ids added since (listed if they fall within the horizon), or
    for everyone (``reset``: listed afresh)."""

    HORIZON = 6  # months: the list holds some 8-30% of the living for the rates here

    def __init__(self):
        self.end: int | None = None  # first month after the horizon (None: list afresh)

    def reset(self) -> None:
        """Every candidacy was drawn afresh."""
        self.end = None

    def due(self, schedule: np.ndarray, clock: int) -> np.ndarray:
        """The ids (in order) whose candidacy falls in month ``clock`` or before; every id in
        ``schedule`` has its candidacy drawn."""
        if self.end is None or clock >= self.end:
            self.end = clock + self.HORIZON
            listed = ids_at_most(schedule, self.end - 1)
            # room for the ids added before the next pass, so they are appended without a copy
            self._ids = np.empty(len(listed) + 64 + (len(listed) >> 3), dtype=np.int64)
            self._when = np.empty(len(self._ids), dtype=schedule.dtype)
            self.count = len(listed)
            self._ids[: self.count] = listed
            self._when[: self.count] = schedule[listed]
            self._last = np.empty(0, dtype=np.int64)
            self.n = len(schedule)
        if self.count + len(schedule) - self.n > len(self._ids):
            self._ids = np.concatenate([self._ids, np.empty(len(self._ids), dtype=np.int64)])
            self._when = np.concatenate([self._when, np.empty(len(self._when), dtype=schedule.dtype)])
        self.count, self._last, due = _update_due(self._ids, self._when, self.count, self._last, schedule, self.n,
                                                  self.end, clock)
        self.n = len(schedule)
        return due


@jit
def _update_due(ids, when, count, last, schedule, n_before, end, clock):
    """``DueList.due`` between passes: the months of the last due read again (their kernels
    drew anew), the ids from ``n_before`` on appended if within the horizon (room is made
    beforehand), and the due found. Returns (the count listed, the due's positions, the due)."""
    for k in last:
        when[k] = schedule[ids[k]]
    for i in range(n_before, len(schedule)):
        if schedule[i] < end:
            ids[count] = i
            when[count] = schedule[i]
            count += 1
    positions = ids_at_most(when[:count], clock)
    due = np.empty(len(positions), dtype=np.int64)
    for k in range(len(positions)):
        due[k] = ids[positions[k]]
    return count, positions, due


class Candidacies:
    """Events drawn ahead: a field holds each id's month of next candidacy (``schedule_first``,
    ``schedule_next``); this keeps which ids are scheduled, and at what monthly probability."""

    def __init__(self):
        self.p_month: float | None = None
        self.scheduled = 0  # ids 0 .. scheduled-1 have a candidacy
        self._due = DueList()

    def due(self, schedule: np.ndarray, clock: int, p_month: float, key) -> tuple[np.ndarray, np.ndarray]:
        """Schedule the ids added since the last call (everyone, if ``p_month`` changed: the
        months between candidacies are memoryless) and return (the ids whose candidacy falls
        in month ``clock`` or before, the ids scheduled now)."""
        if p_month != self.p_month:
            self.p_month, self.scheduled = p_month, 0
            self._due.reset()
        new = np.arange(self.scheduled, len(schedule))
        schedule_first(new, schedule, clock, p_month, key)
        self.scheduled = len(schedule)
        return self._due.due(schedule, clock), new


@jit
def schedule_first(ids, schedule, clock, p_month, key):
    """The first candidacy of ``ids`` from month ``clock`` on (in ``schedule``), when each month
    is one with probability ``p_month``."""
    for i in ids:
        schedule[i] = min(clock + months_to_next(unit_hash(key, i), p_month), NEVER)


@inline
def schedule_next(i, alive, schedule, clock, p_month, key):
    """A candidate of month ``clock``: schedule the next candidacy of ``i`` if alive (the dead:
    never again). Returns whether ``i`` is alive."""
    if not alive[i]:
        schedule[i] = NEVER
        return False
    schedule[i] = min(clock + 1 + months_to_next(unit_hash(key, i), p_month), NEVER)
    return True


# --- candidacies at a bound by sex and age band ---------------------------------------------
# bands of age (first year of each) within which a bound holds: cut where rates start or stop
# (births at 12 and 56, adulthood at 18, separations up to 64), narrower where rates climb fast
AGE_BANDS = np.array([0, 1, 12, 18, 25, 35, 45, 56, 65, 75, 80, 85, 90, 95, 100, MAX_AGE])
BAND_OF_AGE = np.searchsorted(AGE_BANDS, np.arange(MAX_AGE + 1), side="right") - 1
BAND_START = np.append(AGE_BANDS, 10**6)  # the last band never ends


def band_bounds(by_age: np.ndarray) -> np.ndarray:
    """The highest of monthly probabilities by age (the last axis, 0 .. MAX_AGE) within each
    age band, at most 1."""
    return np.minimum(np.maximum.reduceat(by_age, AGE_BANDS, axis=-1), 1.0)


def log_keep(bound: np.ndarray) -> np.ndarray:
    """log(1 - bound), what ``geometric_months`` takes (-inf where certain)."""
    with np.errstate(divide="ignore"):
        return np.log1p(-bound)


@inline
def age_band(i, birth_month, now):
    """Person ``i``'s age band at absolute month ``now``, and the months until it ends."""
    band = BAND_OF_AGE[min(age_at(birth_month, now, i), MAX_AGE)]
    return band, birth_month[i] + 12 * BAND_START[band + 1] - now


@inline
def entering_band(i, birth_month, now, band):
    """Whether ``now`` is the first month of person ``i`` in age ``band``."""
    return now - birth_month[i] == 12 * BAND_START[band]


class BandedCandidacies:
    """Candidacies at a bound by (sex, age band): a schedule field in model-clock months, ages
    at the absolute month ``now``. A candidacy never reaches past the end of the person's age
    band: there (or on entering a band otherwise) it is drawn afresh at the new band's bound.
    In the warm-up (``clock`` before ``now``) ages stand still, so bands do not end; everyone's
    candidacy is drawn afresh when it is over, as when the bounds change."""

    def __init__(self):
        self.bound: np.ndarray | None = None
        self.log_keep: np.ndarray | None = None
        self.scheduled = 0  # ids 0 .. scheduled-1 have a candidacy
        self.warm_up = False
        self._due = DueList()

    def due(self, schedule: np.ndarray, clock: int, now: int, birth_month: np.ndarray, sex: np.ndarray,
            alive: np.ndarray, bound: np.ndarray, key_first, key_band) -> np.ndarray:
        """Schedule the ids added since the last call and return the candidates of month
        ``clock``, in id order (some dead: their kernel schedules them never again)."""
        warm_up = clock < now
        if self.bound is None or not np.array_equal(bound, self.bound) or (self.warm_up and not warm_up):
            self.bound, self.log_keep, self.scheduled = bound.copy(), log_keep(bound), 0
            self._due.reset()
        self.warm_up = warm_up
        fresh = self.scheduled  # ids from here on are drawn now, in their band of now
        banded = self.banded(clock, now, birth_month, sex)
        if fresh < len(schedule):  # (none added in the warm-up)
            _schedule_banded(np.arange(fresh, len(schedule)), alive, schedule, banded, key_first)
        self.scheduled = len(schedule)
        return _banded_due(self._due.due(schedule, clock), fresh, schedule, banded, key_band)

    def banded(self, clock: int, now: int, birth_month: np.ndarray, sex: np.ndarray) -> Banded:
        """The kernels' view of these candidacies in month ``clock`` (ages at ``now``)."""
        return Banded(clock, now, birth_month, sex, self.bound, self.log_keep, self.warm_up)


class Banded(NamedTuple):
    """Candidacies by (sex, age band) as one kernel input: the model-clock month and the
    absolute month of ages, the persons' birth months and sexes, the bound and its
    log(1 - bound) by (sex, band), and whether it is the warm-up (bands do not end)."""

    clock: int
    now: int
    birth_month: np.ndarray
    sex: np.ndarray
    bound: np.ndarray
    log_keep: np.ndarray
    warm_up: bool


@inline
def next_banded(i, month, banded, key):
    """The clock month of ``i``'s next candidacy from clock ``month`` on (included): geometric at
    the bound of their sex and age band, or the month the band ends if that comes first (not in
    the warm-up)."""
    band, left = age_band(i, banded.birth_month, banded.now)
    candidacy = min(month + geometric_months(unit_hash(key, i), banded.log_keep[banded.sex[i], band]), NEVER)
    return candidacy if banded.warm_up else min(candidacy, banded.clock + left)


@jit
def _schedule_banded(ids, alive, schedule, banded, key):
    """The first candidacy of ``ids`` from month ``clock`` on (the dead: never)."""
    for i in ids:
        schedule[i] = next_banded(i, banded.clock, banded, key) if alive[i] else NEVER


@jit
def _banded_due(due, fresh, schedule, banded, key):
    """Of the ids ``due`` this month, the candidates: one entering an age band now (after the
    warm-up), whose candidacy was drawn in the band before (ids below ``fresh``), is drawn
    afresh from this month at the new band's bound."""
    out = np.empty(len(due), dtype=np.int64)
    n = 0
    for i in due:
        if not banded.warm_up and i < fresh:
            band, _ = age_band(i, banded.birth_month, banded.now)
            if entering_band(i, banded.birth_month, banded.now, band):
                schedule[i] = next_banded(i, banded.clock, banded, key)
                if schedule[i] > banded.clock:
                    continue
        out[n] = i
        n += 1
    return out[:n]
