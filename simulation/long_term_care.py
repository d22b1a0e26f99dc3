"""Long-term care: the entry to the Wlz (Wet langdurige zorg), from the Wmo and from home.

Two routes lead in, each at a yearly rate by age band (``long_term_care`` section of the
scenario): older residents whose Wmo problem is heavy and has lasted get a Wlz indication
(``wlz_exits``), and any other resident aged ``min_age`` or older enters from home, through the
GP, district nursing or hospital, with or without a problem (``wlz_entries_from_home``). From then
on their care is the Wlz's, not the municipality's. The owner of the problem (``needs.end``) ends it, which
withdraws any request or provision and releases their carers (``pathway.close``); a person in
the Wlz gets no new problem (``needs.begin`` asks ``outside``). They stay residents of their
household and area (living at home with a Wlz package or in an institution is not told apart),
age, and die of what brought them to the Wlz as well as of the life table's causes: demography
draws, besides the life table's deaths, theirs at ``excess_death_rate`` (``excess_death_probability``).
They are counted as the yearly stock ``wlz_residents``.
"""

from __future__ import annotations

import numpy as np

from .domain import DOMAINS, Severity
from .kernels import jit, monthly_probability, sorted_union, unit_hash
from .population import NO_ID, Field
from .process import Clock, Process

WMO_DOMAIN = np.array([d.wmo for d in DOMAINS])  # by domain: a Wmo problem (the Wlz takes those over)
AGE_BANDS = (75, 85)  # lower bounds of the second and third rate band (the first starts at min_age)
HEAVY = int(Severity.HEAVY)


class LongTermCare(Process):
    name = "long_term_care"
    section = "long_term_care"
    results = ("wlz_exits", "wlz_entries_from_home")  # wlz_residents is a January stock the recorder asks for (residents_by_area)
    person_fields = {"in_wlz": Field(np.bool_, False)}

    def __init__(self, model):
        super().__init__(model)
        # everyone who entered the Wlz (sorted): a superset of its residents, who are found
        # among these few thousand rather than by a pass over every id ever used
        self._entered = np.empty(0, dtype=np.int64)
        self._hazards: tuple = (None, None, None)  # (their parameters, the two routes' probabilities by age band)
        # those who may enter from home this year (``at_home``): ((min_age, the year) they were
        # listed for, ids below this were looked at, the list (sorted) and how much of it is used)
        self._soon_old: tuple = (None, 0, np.empty(0, dtype=np.int64), 0)

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Monthly probability of a Wlz indication of eligible persons of these ages."""
        return self._hazards_by_band()[0][np.searchsorted(AGE_BANDS, ages, side="right")]

    def home_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Monthly probability of entering the Wlz from home (not from a heavy, lasting Wmo
        problem) of residents aged ``min_age`` or older of these ages (``step`` draws against
        these in one pass, ``_drawn``)."""
        return self._hazards_by_band()[1][np.searchsorted(AGE_BANDS, ages, side="right")]

    def _hazards_by_band(self) -> tuple[np.ndarray, np.ndarray]:
        """The monthly probabilities of the two routes by age band, worked out again only when
        their parameters change (not every month)."""
        c = self.params
        rates = ((c.rate_65_74, c.rate_75_84, c.rate_85_plus), c.hazard_multiplier,
                 (c.home_rate_65_74, c.home_rate_75_84, c.home_rate_85_plus), c.home_hazard_multiplier)
        if self._hazards[0] != rates:
            self._hazards = (rates, by_band(*rates[:2]), by_band(*rates[2:]))
        return self._hazards[1:]

    def at_home(self, clock: Clock) -> np.ndarray:
        """Living residents aged ``min_age`` or older outside the Wlz (in id order): those who can
        enter it from home. Found among those who reach that age within a year of a pass over
        every id (made once a year, instead of every month), less the dead and the entered, with
        the ids added since: ages grow a year in twelve months, and no one leaves the Wlz outside
        the warm-up (``step`` lists afresh when someone does)."""
        p, min_age, ages = self.pop.persons, self.params.min_age, self.pop.ages(clock.now)
        listed_for, n, ids, count = self._soon_old
        if listed_for != (min_age, clock.now // 12):
            listed_for, n, count = (min_age, clock.now // 12), 0, 0
        new = n + _at_home(p.alive[n: p.n], p.in_wlz[n: p.n], ages[n:], min_age - 1)
        size = count + len(new)
        if size > len(ids):  # with room for later newcomers, appended without a copy
            ids = np.concatenate([ids[:count], np.empty(len(new) + (size >> 4), dtype=np.int64)])
        ids[count: size] = new
        count, home = _still_at_home(ids, size, p.alive, p.in_wlz, ages, min_age)
        self._soon_old = (listed_for, p.n, ids, count)
        return home

    def eligible(self, clock: Clock) -> np.ndarray:
        """Persons with a heavy Wmo problem that has lasted ``min_months``, aged ``min_age`` or
        older (in id order)."""
        p, c = self.pop.persons, self.params
        ids, _ = self.model.needs.clients_and_statuses()
        return _eligible(ids, p.need_domain, p.need_severity, p.need_onset, p.alive, self.pop.ages(clock.now),
                         WMO_DOMAIN, clock.date - c.min_months, c.min_age)

    def residents(self) -> np.ndarray:
        """Living residents in the Wlz (in id order)."""
        p = self.pop.persons
        # those who died, left or (in the warm-up) made room are dropped for good
        self._entered = self._entered[p.in_wlz[self._entered] & p.alive[self._entered]]
        return self._entered

    def excess_death_probability(self) -> tuple[np.ndarray, float]:
        """The residents in the Wlz and their monthly probability of dying on top of the life
        table's (demography draws both): the Wlz is for those who need 24-hour care, and a
        third of them die each year whatever their age (``excess_death_rate``)."""
        return self.residents(), monthly_probability(self.params.excess_death_rate)

    def step(self, clock: Clock) -> None:
        if clock.warm_up:
            # deaths, held in the warm-up: a resident in the Wlz who would die (life table or
            # excess) makes room for one of the same age outside it, so the Wlz stock settles
            # where deaths hold it
            staying, q = self.excess_death_probability()
            u = self.model.streams.uniform("long_term_care.warm_up_excess_deaths", clock.month, staying)
            self.pop.persons.in_wlz[staying[u < q]] = False
            self.pop.persons.in_wlz[self.model.demography.would_die(staying, clock, "long_term_care.warm_up_deaths")] = False
            self._soon_old = (None, *self._soon_old[1:])  # those who left are at home again: list afresh
        ids = self.eligible(clock)
        u = self.model.streams.uniform("long_term_care", clock.month, ids)
        self._enter(ids[u < self.monthly_hazard(self.pop.age_years(ids, clock.now))], "wlz_exits")
        key = self.model.streams.key("long_term_care.from_home", clock.month)
        self._enter(_drawn(self.at_home(clock), self.pop.ages(clock.now), self._hazards_by_band()[1], key),
                    "wlz_entries_from_home")

    def _enter(self, ids: np.ndarray, column: str) -> None:
        """These persons enter the Wlz: counted in ``column``; a problem they have ends by its
        owner (withdrawn request, ended provision, released carers)."""
        p = self.pop.persons
        p.in_wlz[ids] = True
        self._entered = sorted_union(self._entered, ids)
        self.model.recorder.count(column, self.pop.area_of(ids))
        self.model.needs.end(ids[p.need_domain[ids] != NO_ID], "wlz")

    def outside(self, ids: np.ndarray) -> np.ndarray:
        """Mask: these persons are not in the Wlz (so the Wmo may take up their problems)."""
        return ~self.pop.persons.in_wlz[ids]

    def residents_by_area(self) -> np.ndarray:
        """Living residents in the Wlz, by area."""
        return np.bincount(self.pop.area_of(self.residents()), minlength=len(self.model.area_names))


def by_band(yearly_by_band: tuple[float, float, float], multiplier: float) -> np.ndarray:
    """Monthly probability per age band (``AGE_BANDS``) from a yearly rate per band, times
    ``multiplier``: worked out per band and looked up by age (not a power per person each month)."""
    return np.minimum(monthly_probability(np.array(yearly_by_band)) * multiplier, 1.0)


@jit
def _eligible(clients, need_domain, need_severity, need_onset, alive, age, wmo, onset_by, min_age):
    """Of the ``clients`` (in order), those alive with a heavy problem of a ``wmo`` domain begun at
    month ``onset_by`` or before, aged ``min_age`` or older (``eligible``): one pass instead of
    a mask per condition over every client."""
    out = np.empty(len(clients), dtype=np.int64)
    n = 0
    for i in clients:
        d = need_domain[i]
        if (d >= 0 and wmo[d] and need_severity[i] == HEAVY and need_onset[i] <= onset_by and alive[i]
                and age[i] >= min_age):
            out[n] = i
            n += 1
    return out[:n]


@jit
def _drawn(ids, age, by_band, key):
    """Those of ``ids`` whose number under ``key`` (``Streams.uniform``'s) is below the monthly
    probability of their age band (``by_band``: ``home_hazard``), in order: the draws of some
    30,000 residents without the arrays of their numbers, ages, bands and probabilities."""
    out = np.empty(len(ids), dtype=np.int64)
    n = 0
    for i in ids:
        out[n] = i
        n += unit_hash(key, i) < by_band[(age[i] >= AGE_BANDS[0]) + (age[i] >= AGE_BANDS[1])]  # (the band's index)
    return out[:n]


@jit
def _still_at_home(ids, count, alive, in_wlz, age, min_age):
    """Keeps those of the first ``count`` of ``ids`` alive and outside the Wlz, in place (branch-
    free: few drop out); returns how many, and those of them aged ``min_age`` or older."""
    n = old = 0
    for k in range(count):
        i = ids[k]
        ids[n] = i
        n += alive[i] & ~in_wlz[i]
        old += alive[i] & ~in_wlz[i] & (age[i] >= min_age)
    home = np.empty(old + 1, dtype=np.int64)
    m = 0
    for k in range(n):
        home[m] = ids[k]
        m += age[ids[k]] >= min_age
    return n, home[:m]


@jit
def _at_home(alive, in_wlz, age, min_age):
    """The ids alive, outside the Wlz and aged ``min_age`` or older, in order (``at_home``): a
    count, then a branch-free fill of an array of just that size, as ``kernels.ids_at_most``
    (numpy's masks and gather over every id ever used took three times as long)."""
    k = 0
    for i in range(len(alive)):
        k += alive[i] & ~in_wlz[i] & (age[i] >= min_age)
    out = np.empty(k + 1, dtype=np.int64)
    n = 0
    for i in range(len(alive)):
        out[n] = i
        n += alive[i] & ~in_wlz[i] & (age[i] >= min_age)
    return out[:n]
