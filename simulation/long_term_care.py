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
from .kernels import jit, monthly_probability, sorted_union
from .population import NO_ID, Field
from .process import Clock, Process

WMO_DOMAIN = np.array([d.wmo for d in DOMAINS])  # by domain: a Wmo problem (the Wlz takes those over)
AGE_BANDS = (75, 85)  # lower bounds of the second and third rate band (the first starts at min_age)


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

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Monthly probability of a Wlz indication of eligible persons of these ages."""
        return self._hazards_by_band()[0][np.searchsorted(AGE_BANDS, ages, side="right")]

    def home_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Monthly probability of entering the Wlz from home (not from a heavy, lasting Wmo
        problem) of residents aged ``min_age`` or older of these ages."""
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
        enter it from home."""
        p = self.pop.persons
        return _at_home(p.alive[: p.n], p.in_wlz[: p.n], self.pop.ages(clock.now), self.params.min_age)

    def eligible(self, clock: Clock) -> np.ndarray:
        """Persons with a heavy Wmo problem that has lasted ``min_months``, aged ``min_age`` or
        older (in id order)."""
        p, c = self.pop.persons, self.params
        ids, _ = self.model.needs.clients_and_statuses()
        domain = p.need_domain[ids]
        heavy = (domain >= 0) & WMO_DOMAIN[np.maximum(domain, 0)] & (p.need_severity[ids] == Severity.HEAVY)
        ids = ids[heavy & (clock.date - p.need_onset[ids] >= c.min_months) & p.alive[ids]]
        return ids[self.pop.age_years(ids, clock.now) >= c.min_age]

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
        ids = self.eligible(clock)
        u = self.model.streams.uniform("long_term_care", clock.month, ids)
        self._enter(ids[u < self.monthly_hazard(self.pop.age_years(ids, clock.now))], "wlz_exits")
        ids = self.at_home(clock)
        u = self.model.streams.uniform("long_term_care.from_home", clock.month, ids)
        self._enter(ids[u < self.home_hazard(self.pop.age_years(ids, clock.now))], "wlz_entries_from_home")

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
