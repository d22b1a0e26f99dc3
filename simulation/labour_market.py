"""The regional labour market for care and welfare workers: a pool of job seekers by
profession that providers hire from, fed by new entrants and by staff who change employer.

Each month providers lose staff by turnover; part of the leavers stays in the sector and
returns to the pool, the rest leaves it. New entrants join the pool at the rate that balanced
the sector when the market opened, growing or shrinking by ``labour_market.supply_growth`` per
year (the shortage scenario). Providers fill vacancies from the pool, competing in proportion to
their vacancies; the hiring speed is limited by ``labour_market.hire_share``.

The market opens balanced on the staff providers have when it opens: at the start of the run,
after the warm-up, in which providers' staff followed their demand at once (so the sector
starts as large as the settled demand needs); without a warm-up (``run.warm_up_months = 0``)
providers have no clients and no staff at the start, so it opens at the end of the first month
in which they have staff, which they hire freely until then.
"""

from __future__ import annotations

import numpy as np

from .domain import PROFESSIONS
from .process import Clock, Process
from .providers import StaffChange


class LabourMarket(Process):
    name = "labour_market"
    section = "labour_market"
    in_warm_up = False

    def __init__(self, model):
        super().__init__(model)
        self.pool = np.zeros(len(PROFESSIONS))  # FTE looking for work in the region
        self.base_entrants = np.zeros(len(PROFESSIONS))  # FTE per month when the market opened
        self._open = False

    def is_open(self) -> bool:
        return self._open

    def start(self, clock: Clock) -> None:
        if self.model.providers.fte.sum() > 0:
            self._balance()

    def _balance(self) -> None:
        """Open, balanced on the providers' staff now: entrants replace the leavers who leave
        the sector; the pool holds a few months of hiring."""
        c = self.params
        staff = self.model.providers.fte.sum(axis=0)
        monthly_turnover = 1 - (1 - c.turnover_rate) ** (1 / 12)
        self.base_entrants = staff * monthly_turnover * (1 - c.stay_in_sector_share)
        self.pool = staff * c.initial_pool_share
        self._open = True

    def step(self, clock: Clock) -> None:
        if not self._open:
            if self.model.providers.fte.sum() > 0:
                self._balance()  # (providers hired freely this month)
            return
        c = self.params
        providers = self.model.providers
        fte = providers.fte.copy()
        monthly_turnover = 1 - (1 - c.turnover_rate) ** (1 / 12)
        leavers = fte * monthly_turnover
        fte -= leavers
        years = clock.month / 12
        self.pool += leavers.sum(axis=0) * c.stay_in_sector_share
        self.pool += self.base_entrants * (1 + c.supply_growth) ** years
        vacancies = np.maximum(providers.target_fte - fte, 0)
        total = vacancies.sum(axis=0)
        hires_total = np.minimum(total, self.pool * c.hire_share)
        share = np.divide(vacancies, total, out=np.zeros_like(vacancies), where=total > 0)
        hires = share * hires_total
        fte += hires
        self.pool -= hires_total
        # staff the providers no longer need leave to the pool (no redundancies beyond turnover)
        released = np.maximum(fte - providers.target_fte * 1.2, 0)
        self.pool += released.sum(axis=0)
        providers.change_staff(StaffChange(leavers, hires, released))
