"""Life events: who dies, gives birth, leaves home, seeks a partner or separates this month.

Compiled draws for demography (``demography.py`` applies what they return to persons and
households). Each event is drawn by thinning: a person is a candidate for it in a month with the
event's bounding probability for their (sex, age band), the months between candidacies drawn
ahead (``life_next``, ``life_due``), and a candidate has the event with the ratio of their own
monthly probability to that bound. That is the same as drawing every event for everyone every
month, but a month looks only at its candidates (a few percent of residents). One pass over the
month's candidates (``survey``) draws the deaths and lists whom each later event considers, so
each loops over its candidates only; families are walked in the kin lists (``kin.Kin``).

The kernels take the person fields they read as one ``People`` bundle, the candidacies as one
``Thinning`` bundle and the kin lists as one ``Kin`` bundle.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .candidacies import BAND_OF_AGE, NEVER, age_band, entering_band, geometric_months
from .dataset import MAX_AGE
from .kernels import age_at, happens_this_month, inline, jit, unit_hash
from .kin import Kin
from .population import FEMALE, NO_ID, lives_with_parent_at
from .store import ArrayStore

LEAVE_HOME_SPREAD = 2.0  # years: logistic spread of the leave-home age around its median
SEPARATION_MAX_AGE = 64  # couples whose man is older rarely separate; they are left out
FERTILE_AGES = (12, 55)
# the life events drawn by thinning, each with its own candidacies
DEATH, BIRTH, LEAVE_HOME, UNION, SEPARATION = range(5)
EVENTS = 5


class People(NamedTuple):
    """The person fields the life events read (arrays by id)."""

    birth_month: np.ndarray
    sex: np.ndarray
    partner: np.ndarray
    mother: np.ndarray
    father: np.ndarray
    alive: np.ndarray
    household: np.ndarray

    @classmethod
    def of(cls, persons: ArrayStore) -> People:
        return cls(persons.birth_month, persons.sex, persons.partner, persons.mother, persons.father, persons.alive,
                   persons.household)


class Thinning(NamedTuple):
    """The life events' candidacies: each person's month of their next candidacy for each event
    (``life_next``) and the earliest of them (``life_due``), both written by the kernels; the
    bounding monthly probability by (event, sex, age band) and its log(1 - bound)."""

    life_next: np.ndarray
    life_due: np.ndarray
    bound: np.ndarray
    log_keep: np.ndarray


@jit
def at_home_share(age, median):
    """Share of persons of ``age`` (years, 18+) still living with a parent."""
    return 1.0 / (1.0 + np.exp((age - median) / LEAVE_HOME_SPREAD))


@inline
def _band_bound(event, i, age, sex, bound):
    """The bounding monthly probability of ``event`` for person ``i`` of ``age``."""
    return bound[event, sex[i], BAND_OF_AGE[min(age, MAX_AGE)]]


@inline
def _next_candidacy(i, event, month, band, band_end, sex, log_keep, key, at_home):
    """The month of person ``i``'s next candidacy for ``event`` from ``month`` on (``month``
    included) while in age ``band``: geometric at the event's bound for the band
    (``log_keep``: log(1 - bound)), or the month the band ends if that comes first (to be drawn
    afresh there). Leaving home: only while living with a parent (``at_home``); no one comes
    to live with a parent within a band (only by being born, arriving, or turning 18 there),
    so those who do not have none in the band."""
    if event == LEAVE_HOME and not at_home:
        return band_end
    return min(month + geometric_months(unit_hash(key, i * EVENTS + event), log_keep[event, sex[i], band]), band_end)


@inline
def _earliest(i, life_next):
    earliest = life_next[i, 0]
    for event in range(1, EVENTS):
        earliest = min(earliest, life_next[i, event])
    return earliest


@inline
def _with_parent(i, people):
    return lives_with_parent_at(i, people.mother, people.father, people.alive, people.household)


@jit
def first_candidacies(ids, people, now, thinning, key):
    """The first candidacy for each life event of ``ids`` from month ``now`` on (the dead: never)."""
    life_next, life_due = thinning.life_next, thinning.life_due
    for i in ids:
        if not people.alive[i]:
            life_due[i] = NEVER
            continue
        band, left = age_band(i, people.birth_month, now)
        band_end = now + left
        at_home = _with_parent(i, people)
        for event in range(EVENTS):
            life_next[i, event] = _next_candidacy(i, event, now, band, band_end, people.sex, thinning.log_keep, key,
                                                  at_home)
        life_due[i] = _earliest(i, life_next)


@jit
def redraw_candidacies(ids, people, now, thinning, raised, key):
    """Draw afresh the next candidacy of those of ``ids`` for the events whose bound for their
    (sex, age band) was ``raised`` (those entering a band now are, when they are due)."""
    life_next, life_due = thinning.life_next, thinning.life_due
    for i in ids:
        if not people.alive[i]:
            continue
        band, left = age_band(i, people.birth_month, now)
        if entering_band(i, people.birth_month, now, band):
            continue
        band_end = now + left
        at_home = _with_parent(i, people)
        for event in range(EVENTS):
            if raised[event, people.sex[i], band]:
                life_next[i, event] = _next_candidacy(i, event, now, band, band_end, people.sex, thinning.log_keep,
                                                      key, at_home)
        life_due[i] = _earliest(i, life_next)


@jit
def survey(due, fresh, people, now, thinning, q_month, key, key_band, key_next):
    """The month's candidates among the persons ``due`` (a candidacy this month), each
    scheduled for their next candidacies (a person entering an age band, whose candidacies were
    drawn in the band before -- ids below ``fresh`` --, has theirs drawn afresh at its bounds:
    candidates now, or later). Of the candidates for death, who dies (monthly
    probability ``q_month[sex, age]`` against the bound); of the survivors, the candidates the
    later sub-processes consider: women aged 12-55 (births), single adults (unions), single
    adults living with a parent (leaving home) and men up to SEPARATION_MAX_AGE with a partner
    (separations). Partner status is that at the start of the month: the widowed of this month
    seek a partner or leave home from the next, couples formed this month can separate from the
    next. Returns (dead, women, singles, at home, men in a couple)."""
    sex, partner, log_keep = people.sex, people.partner, thinning.log_keep
    life_next, life_due = thinning.life_next, thinning.life_due
    n = len(due)
    dead, women = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    singles, at_home, men = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    n_dead = n_women = n_singles = n_home = n_men = 0
    for i in due:
        if not people.alive[i]:
            life_due[i] = NEVER
            continue
        a = age_at(people.birth_month, now, i)
        band, left = age_band(i, people.birth_month, now)
        band_end = now + left
        entering = i < fresh and entering_band(i, people.birth_month, now, band)
        # (living with a parent matters only where leaving home is drawn)
        with_parent = (entering or life_next[i, LEAVE_HOME] <= now) and _with_parent(i, people)
        if entering:
            for event in range(EVENTS):
                life_next[i, event] = _next_candidacy(i, event, now, band, band_end, sex, log_keep, key_band,
                                                      with_parent)
        candidate = 0  # a bit per event
        for event in range(EVENTS):
            if life_next[i, event] <= now:
                candidate |= 1 << event
                life_next[i, event] = _next_candidacy(i, event, now + 1, band, band_end, sex, log_keep, key_next,
                                                      with_parent)
        life_due[i] = _earliest(i, life_next)
        if (candidate & (1 << DEATH)
                and unit_hash(key, i) * thinning.bound[DEATH, sex[i], band] < q_month[sex[i], min(a, MAX_AGE)]):
            dead[n_dead] = i
            n_dead += 1
            continue
        if candidate & (1 << BIRTH) and sex[i] == FEMALE and FERTILE_AGES[0] <= a <= FERTILE_AGES[1]:
            women[n_women] = i
            n_women += 1
        if candidate & (1 << SEPARATION) and sex[i] != FEMALE and partner[i] != NO_ID and a <= SEPARATION_MAX_AGE:
            men[n_men] = i
            n_men += 1
        if a >= 18 and partner[i] == NO_ID:
            if candidate & (1 << UNION):
                singles[n_singles] = i
                n_singles += 1
            if candidate & (1 << LEAVE_HOME) and with_parent:
                at_home[n_home] = i
                n_home += 1
    return dead[:n_dead], women[:n_women], singles[:n_singles], at_home[:n_home], men[:n_men]


@jit
def fertility_weights(ids, people, now, single_ratio):
    """The mean birth-rate weight of the women of each age (12-55) among ``ids``: 1 with a
    partner, ``single_ratio`` without (1 for ages without women)."""
    count = np.zeros(MAX_AGE + 1)
    weight = np.zeros(MAX_AGE + 1)
    for i in ids:
        a = age_at(people.birth_month, now, i)
        if people.sex[i] == FEMALE and FERTILE_AGES[0] <= a <= FERTILE_AGES[1]:
            count[a] += 1
            weight[a] += 1.0 if people.partner[i] != NO_ID else single_ratio
    mean = np.ones(MAX_AGE + 1)
    for a in range(MAX_AGE + 1):
        if count[a] > 0:
            mean[a] = max(weight[a] / count[a], 1e-12)
    return mean


@jit
def mothers(women, people, now, bound, asfr, single_ratio, mean_weight, key):
    """Of the candidate ``women`` (aged 12-55), those who give birth this month: the age-specific
    rate, most of it to women with a partner (the weight divided by the age's ``mean_weight``,
    so that each age keeps its rate)."""
    out = np.empty(len(women), dtype=np.int64)
    n = 0
    for i in women:
        a = age_at(people.birth_month, now, i)
        w = 1.0 if people.partner[i] != NO_ID else single_ratio
        if happens_this_month(unit_hash(key, i) * _band_bound(BIRTH, i, a, people.sex, bound),
                              asfr[a] * w / mean_weight[a]):
            out[n] = i
            n += 1
    return out[:n]


@jit
def leavers(at_home, people, now, bound, median, key):
    """Of the candidates ``at_home``, the singles still living with a parent who leave home
    this month (the fall of the at-home share over the month, by age)."""
    out = np.empty(len(at_home), dtype=np.int64)
    n = 0
    for i in at_home:
        if people.partner[i] != NO_ID or not _with_parent(i, people):
            continue
        age = (now - people.birth_month[i]) / 12.0
        u = unit_hash(key, i) * _band_bound(LEAVE_HOME, i, age_at(people.birth_month, now, i), people.sex, bound)
        if u < 1.0 - at_home_share(age + 1.0 / 12.0, median) / at_home_share(age, median):
            out[n] = i
            n += 1
    return out[:n]


@inline
def _is_child_at_home(child, parent, people, now):
    return (people.alive[child] and age_at(people.birth_month, now, child) < 18
            and people.household[child] == people.household[parent])


@jit
def children_living_with(parents, people, now, kin):
    """Minors who live with one of ``parents`` (sorted ids), found in the kin lists; a child of
    two of them goes with the mother. Returns (child ids, index into parents)."""
    kids, which = [], []
    for k in range(len(parents)):
        parent = parents[k]
        child = kin.first_by_mother[parent]
        while child >= 0:
            if _is_child_at_home(child, parent, people, now):
                kids.append(child)
                which.append(k)
            child = kin.next_by_mother[child]
        child = kin.first_by_father[parent]
        while child >= 0:
            if _is_child_at_home(child, parent, people, now):
                m = people.mother[child]
                j = np.searchsorted(parents, m)
                if not (m >= 0 and j < len(parents) and parents[j] == m and _is_child_at_home(child, m, people, now)):
                    kids.append(child)
                    which.append(k)
            child = kin.next_by_father[child]
    return np.array(kids, dtype=np.int64), np.array(which, dtype=np.int64)


@inline
def _has_child_at_home(parent, people, now, kin):
    return (_child_at_home_in(kin.first_by_mother, kin.next_by_mother, parent, people, now)
            or _child_at_home_in(kin.first_by_father, kin.next_by_father, parent, people, now))


@inline
def _child_at_home_in(first, following, parent, people, now):
    """Whether a child of ``parent`` by one parent's lists lives at home with them (a helper
    per list: a loop over a tuple of arrays would count references)."""
    child = first[parent]
    while child >= 0:
        if _is_child_at_home(child, parent, people, now):
            return True
        child = following[child]
    return False


@jit
def union_seekers(ids, people, now, kin, bound, union_rate, parent_factor, key):
    """Of the candidates ``ids`` (adults single at the start of the month), those still single
    and not living with a parent who look for a partner this month (single parents at
    ``parent_factor`` times the rate): (ids, ages)."""
    out = np.empty(len(ids), dtype=np.int64)
    ages = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        if not people.alive[i] or people.partner[i] != NO_ID:
            continue
        a = age_at(people.birth_month, now, i)
        rate = union_rate[min(a, MAX_AGE)]
        u = unit_hash(key, i) * _band_bound(UNION, i, a, people.sex, bound)
        # the family is walked only for the few the draw could select
        if rate <= 0 or not happens_this_month(u, rate * max(parent_factor, 1.0)):
            continue
        if _has_child_at_home(i, people, now, kin):
            rate *= parent_factor
        if happens_this_month(u, rate) and not _with_parent(i, people):
            out[n], ages[n] = i, a
            n += 1
    return out[:n], ages[:n]


@jit
def separating(men, people, now, bound, p_month, key):
    """Of the candidate ``men`` (in a couple at the start of the month), those still in one who
    separate."""
    out = np.empty(len(men), dtype=np.int64)
    n = 0
    for i in men:
        if (people.alive[i] and people.partner[i] != NO_ID
                and unit_hash(key, i) * _band_bound(SEPARATION, i, age_at(people.birth_month, now, i), people.sex,
                                                    bound) < p_month):
            out[n] = i
            n += 1
    return out[:n]


@jit
def adults_by_household(ids, people, now, n_households):
    """Living adult members per household id."""
    adults = np.zeros(n_households, dtype=np.int32)
    for i in ids:
        if people.alive[i] and age_at(people.birth_month, now, i) >= 18:
            adults[people.household[i]] += 1
    return adults
