"""Long-term care: the exit from the Wmo to the Wlz (Wet langdurige zorg).

Older residents whose Wmo problem is heavy and has lasted get a Wlz indication at a yearly
rate by age band (``long_term_care`` section of the scenario); from then on their care is
the Wlz's, not the municipality's. The owner of the problem (``needs.end``) ends it, which
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
from .kernels import monthly_probability
from .population import Field
from .process import Clock, Process

WMO_DOMAIN = np.array([d.wmo for d in DOMAINS])  # by domain: a Wmo problem (the Wlz takes those over)
AGE_BANDS = (75, 85)  # lower bounds of the second and third rate band (the first starts at min_age)


class LongTermCare(Process):
    name = "long_term_care"
    section = "long_term_care"
    results = ("wlz_exits",)  # wlz_residents is a January stock the recorder asks for (residents_by_area)
    person_fields = {"in_wlz": Field(np.bool_, False)}

    def monthly_hazard(self, ages: np.ndarray) -> np.ndarray:
        """Monthly probability of a Wlz indication of eligible persons of these ages."""
        c = self.params
        yearly = np.array([c.rate_65_74, c.rate_75_84, c.rate_85_plus])[np.searchsorted(AGE_BANDS, ages, side="right")]
        return np.minimum(monthly_probability(yearly) * c.hazard_multiplier, 1.0)

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
        return np.flatnonzero(p.in_wlz[: p.n] & p.alive[: p.n])

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
        entering = ids[u < self.monthly_hazard(self.pop.age_years(ids, clock.now))]
        self.pop.persons.in_wlz[entering] = True
        self.model.recorder.count("wlz_exits", self.pop.area_of(entering))
        self.model.needs.end(entering, "wlz")

    def outside(self, ids: np.ndarray) -> np.ndarray:
        """Mask: these persons are not in the Wlz (so the Wmo may take up their problems)."""
        return ~self.pop.persons.in_wlz[ids]

    def residents_by_area(self) -> np.ndarray:
        """Living residents in the Wlz, by area."""
        return np.bincount(self.pop.area_of(self.residents()), minlength=len(self.model.area_names))
