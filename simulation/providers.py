"""Providers of customised provisions: per area a lead contractor and specialist
subcontractors, with staff by profession, waiting lists, hiring from the regional labour pool
(``labour_market.py``) and turnover.

Capacity of a provider in a profession = FTE x hours per FTE x productivity (direct client
hours per week). A client takes the formal hours per week of their problem's domain and
severity (data set ``tariffs.csv``). Clients go to the provider they prefer (a persistent
trait: most prefer the lead contractor) while it has room, otherwise to another provider of
their area with room, otherwise they wait; the longest wait goes first. Aids and adaptations
are material and not staff-bound; protected living is central (``provisions.py``).

Providers recruit for their clients and for their waiting list beyond a backlog they accept: the
hours of the clients they start in the accepted wait (``youth_accepted_wait_weeks``,
``wmo_accepted_wait_weeks``). Observed waits of about 13 weeks in youth care beside vacancy rates
of about 5% mean the waiting list is not in the formation providers recruit for; waits settle
near the accepted wait while staff can be hired, and grow beyond it when it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .domain import DOMAINS, PROFESSIONS, WEEKS_PER_MONTH, Status
from .kernels import jit, stable_order
from .population import NO_ID, Field
from .process import Clock, Process
from .random_streams import id_uniform


@dataclass(frozen=True)
class Provider:
    """A view of one organisation delivering customised provisions in one area, for inspection
    (like ``PersonView``): its staff and the staff it wants are rows of the providers' tables
    (``Providers.fte``, ``target_fte``). Not a Mesa agent: providers admit and plan staff
    together, in the vectorised step of ``Providers``; what an area's lead contractor decides
    under its contract is the Mesa agent ``contractors.Contractor``."""

    providers: "Providers"
    index: int
    area: int
    lead: bool

    @property
    def fte(self) -> np.ndarray:
        """Staff by profession (read-only: the labour market changes staff)."""
        return self.providers.fte[self.index].copy()

    @property
    def target_fte(self) -> np.ndarray:
        return self.providers.target_fte[self.index].copy()

    @property
    def vacancies(self) -> np.ndarray:
        return np.maximum(self.target_fte - self.fte, 0.0)

    def __repr__(self) -> str:
        role = "lead contractor" if self.lead else "subcontractor"
        return (f"Provider({self.index}, {role}, area {self.providers.model.area_names[self.area]}, "
                f"fte {dict(zip(PROFESSIONS, np.round(self.fte, 1)))})")


YOUTH = PROFESSIONS.index("youth")


class StaffChange(NamedTuple):
    """The labour market's month for an employer, in FTE: for the providers by (provider,
    profession), for the access team by area. Applied in this order: staff who leave (turnover),
    who are hired from the pool, and who are released to it (staff beyond what the employer
    needs); and the hired (agency, self-employed) staff who fill part of the posts still open
    next month, a month at a time."""

    leavers: np.ndarray
    hires: np.ndarray
    released: np.ndarray
    agency: np.ndarray


class Providers(Process):
    name = "providers"
    section = "providers"
    results = ("provider_admissions", "provider_wait_weeks_sum", "provider_admissions_youth",
               "provider_wait_weeks_sum_youth", "staff_fte", "staff_vacancies", "agency_fte")
    person_fields = {"provider": Field(np.int16, NO_ID)}  # who delivers this person's provision

    def __init__(self, model):
        super().__init__(model)
        c = self.params
        n_providers = self.pop.n_areas * (1 + c.subcontractors_per_area)
        self.fte = np.zeros((n_providers, len(PROFESSIONS)))  # staff by (provider, profession)
        self.target_fte = np.zeros((n_providers, len(PROFESSIONS)))  # staff wanted
        self.agency = np.zeros((n_providers, len(PROFESSIONS)))  # hired staff this month (labour market)
        self.intake = np.zeros((n_providers, len(PROFESSIONS)))  # formal hours/week started a month (12-month mean)
        self.organisations = [Provider(self, i * (1 + c.subcontractors_per_area) + j, i, j == 0)
                              for i in range(self.pop.n_areas) for j in range(1 + c.subcontractors_per_area)]
        self.provider_area = np.array([a.area for a in self.organisations])
        tariffs = model.dataset.tariffs.set_index("domain").loc[[d.name for d in DOMAINS]]
        self.tariff_hours = tariffs[["hours_light", "hours_medium", "hours_heavy"]].to_numpy(float)
        self.formal_hours_table = self.tariff_hours  # what they deliver: set by the scheme each month
        prof = {name: i for i, name in enumerate(PROFESSIONS)}
        self.domain_profession = np.array([prof.get(x, NO_ID) for x in tariffs["profession"]])
        self.hiring_freely = True  # staff follows demand at once: in the warm-up, until the labour market opens
        weeks = np.array([c.youth_accepted_wait_weeks if name == "youth" else c.wmo_accepted_wait_weeks
                          for name in PROFESSIONS])
        self.accepted_wait_months = weeks / WEEKS_PER_MONTH  # by profession

    # --- per-client quantities -----------------------------------------------------------
    def formal_hours(self, ids: np.ndarray) -> np.ndarray:
        p = self.pop.persons
        return self.formal_hours_table[p.need_domain[ids], p.need_severity[ids]]

    def preferred(self, ids: np.ndarray) -> np.ndarray:
        """The provider a client would choose: the area's lead contractor, or a specialist."""
        c = self.params
        area = self.pop.area_of(ids)
        u = id_uniform(ids, self.model.seed, "provider_choice")
        k = 1 + c.subcontractors_per_area
        sub = 1 + np.minimum(((u - c.lead_preference) / max(1 - c.lead_preference, 1e-9) * c.subcontractors_per_area)
                             .astype(np.int64), c.subcontractors_per_area - 1)
        choice = np.where((u < c.lead_preference) | (c.subcontractors_per_area == 0), 0, sub)
        return area * k + choice

    def capacity_hours(self) -> np.ndarray:
        """Client hours per week by (provider, profession): own and hired staff."""
        c = self.params
        return (self.fte + self.agency) * c.hours_per_fte * c.productivity

    def used_hours(self) -> np.ndarray:
        """Formal hours per week by (provider, profession) of the staff-bound clients being served."""
        p = self.pop.persons
        return _hours_by_provider(self.model.needs.with_status(Status.CUSTOM), p.provider, p.need_domain,
                                  p.need_severity, self.domain_profession, self.formal_hours_table, len(self.organisations),
                                  len(PROFESSIONS))

    def _by_provider(self, provider: np.ndarray, profession: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """Hours summed by (provider, profession)."""
        shape = (len(self.organisations), len(PROFESSIONS))
        return np.bincount(provider * shape[1] + profession, weights=hours, minlength=shape[0] * shape[1]).reshape(shape)

    # --- the monthly step ------------------------------------------------------------------
    def step(self, clock: Clock) -> None:
        """Admit waiting clients where there is room, then plan staff for the demand."""
        p, month, now = self.pop.persons, clock.month, clock.now
        self.hiring_freely = clock.warm_up or not self.model.labour_market.is_open()
        self.formal_hours_table = self.tariff_hours * self.model.contractors.hours_factor()[:, None]
        self.placed: list[np.ndarray] = []  # clients who start this month
        self.model.contractors.step_down(clock)  # their hours are free for those waiting this month
        waiting = self.model.needs.with_status(Status.CUSTOM_WAIT)
        staffed = self.domain_profession[p.need_domain[waiting]] != NO_ID
        unbound = waiting[~staffed]
        self._place(unbound, np.full(len(unbound), NO_ID), now, month, record=False)  # aids: no staff needed
        waiting = waiting[staffed]
        by_wait = stable_order(p.wait_since[waiting])
        ids = waiting[by_wait]
        hours = self.formal_hours(ids)
        prof = self.domain_profession[p.need_domain[ids]]
        # admitted within last month's staff, also while staff follows demand (the backlog builds in the warm-up)
        capacity = self.capacity_hours()
        free = capacity - self.used_hours()
        preferred = self.preferred(ids)
        chosen = _admit(preferred, self.pop.area_of(ids), prof, hours, free, len(self.organisations) // self.pop.n_areas)
        placed = chosen != NO_ID
        self._place(ids[placed], chosen[placed], now, month)
        self.intake += (self._by_provider(chosen[placed], prof[placed], hours[placed]) - self.intake) / 12
        # those still waiting and their preferred providers, in id order (as ``waiting`` is)
        still = np.ones(len(waiting), dtype=bool)
        still[by_wait[placed]] = False
        preferred_by_id = np.empty_like(preferred)
        preferred_by_id[by_wait] = preferred
        used, waiting, waiting_preferred = capacity - free, waiting[still], preferred_by_id[still]
        self.model.informal_care.alongside_formal(np.concatenate([np.empty(0, np.int64), *self.placed]), now, month)
        self.plan_staff(waiting, used, waiting_preferred)
        self.record(now)

    def _place(self, ids: np.ndarray, provider: np.ndarray, now: int, month: int, record: bool = True) -> None:
        """Clients start with a provider; the waits of staff-bound provisions are recorded.
        (Their informal help alongside is matched once for all placed, at the end of the step.)"""
        p = self.pop.persons
        if record:
            waited = (now - p.wait_since[ids] + 0.5) * WEEKS_PER_MONTH
            area = self.pop.area_of(ids)
            self.model.recorder.count("provider_admissions", area)
            self.model.recorder.count("provider_wait_weeks_sum", area, waited)
            youth = self.domain_profession[p.need_domain[ids]] == YOUTH
            self.model.recorder.count("provider_admissions_youth", area[youth])
            self.model.recorder.count("provider_wait_weeks_sum_youth", area[youth], waited[youth])
        self.model.needs.set_status(ids, Status.CUSTOM)
        p.provider[ids] = provider
        self.placed.append(ids)

    def plan_staff(self, waiting: np.ndarray, used: np.ndarray | None = None,
                   preferred: np.ndarray | None = None) -> None:
        """Each provider wants staff for its clients (``used``: their hours by provider and
        profession, where known) and its ``waiting`` list (staff-bound clients, in id order;
        ``preferred``: their providers, where known) beyond the backlog it accepts (the hours it
        starts in the accepted wait), plus some slack."""
        c = self.params
        p = self.pop.persons
        demand = self.used_hours() if used is None else used
        demand += self._by_provider(self.preferred(waiting) if preferred is None else preferred,
                                    self.domain_profession[p.need_domain[waiting]], self.formal_hours(waiting))
        backlog = self.intake * self.accepted_wait_months
        target = np.maximum(demand - backlog, 0) / (c.hours_per_fte * c.productivity) * (1 + c.staffing_slack)
        self.target_fte[:] = target
        if self.hiring_freely:
            self.fte[:] = target

    def lose_lead_staff(self, areas: np.ndarray, share: float) -> None:
        """A ``share`` of the staff of the lead contractors of ``areas`` leaves (a failed
        contractor replaced: ``contractors.py``)."""
        self.fte[areas * (1 + self.params.subcontractors_per_area)] *= 1 - share

    def change_staff(self, change: StaffChange) -> None:
        """The labour market's month (``labour_market.py``)."""
        self.fte -= change.leavers
        self.fte += change.hires
        self.fte -= change.released
        self.agency = change.agency

    def record(self, now: int) -> None:
        rec = self.model.recorder
        fte = self.fte.sum(axis=1)
        vac = np.maximum(self.target_fte - self.fte, 0.0).sum(axis=1)
        # stocks reported as monthly means: a twelfth of the value each month
        rec.count("staff_fte", self.provider_area, fte / 12)
        rec.count("staff_vacancies", self.provider_area, vac / 12)
        rec.count("agency_fte", self.provider_area, self.agency.sum(axis=1) / 12)


@jit
def _admit(first, area, prof, hours, free, per_area):
    """Waiting clients, in wait order, start with their ``first`` choice of provider where its
    free hours in their profession (``free``, by provider and profession; updated) still hold
    their ``hours``, then those not admitted try the ``per_area`` providers of their ``area``
    in turn, lead contractor first. No overtaking: in each round, the first client who does not
    fit closes that provider's list in the profession. Returns the provider per client (NO_ID:
    none)."""
    chosen = np.full(len(first), NO_ID, dtype=np.int64)
    for round_ in range(per_area + 1):
        closed = np.zeros(free.shape, dtype=np.bool_)
        for i in range(len(first)):
            if chosen[i] != NO_ID:
                continue
            provider = first[i] if round_ == 0 else area[i] * per_area + round_ - 1
            if closed[provider, prof[i]]:
                continue
            if hours[i] <= free[provider, prof[i]] + 1e-9:
                chosen[i] = provider
                free[provider, prof[i]] -= hours[i]
            else:
                closed[provider, prof[i]] = True
    return chosen


@jit
def _hours_by_provider(ids, provider, need_domain, need_severity, domain_profession, formal_hours, n_providers,
                       n_professions):
    """The formal hours of the staff-bound clients ``ids`` summed by (provider, profession)."""
    out = np.zeros((n_providers, n_professions))
    for i in ids:
        d = need_domain[i]
        profession = domain_profession[d]
        if profession != NO_ID:
            out[provider[i], profession] += formal_hours[d, need_severity[i]]
    return out
