"""The regional labour market for care and welfare workers: a pool of job seekers by
profession that providers hire from, fed by new entrants and by staff who change employer.

Each month providers lose staff by turnover; part of the leavers stays in the sector and
returns to the pool, the rest leaves it. New entrants join the pool at the rate that balanced
the sector when the market opened, growing or shrinking by ``labour_market.supply_growth`` per
year (the shortage scenario). Providers fill vacancies from the pool, competing in proportion to
their vacancies; the hiring speed is limited by ``labour_market.hire_share``.

The market opens after ``labour_market.opens_after_months`` months of the social processes,
warm-up included (by default the warm-up: it opens at the start of the run), balanced on the
providers' staff then. Until it opens, providers' staff follows their demand at once. So the
sector starts as large as the settled demand needs whatever the warm-up: with
``run.warm_up_months = 0`` the stock of clients builds up in the run's first years and the
market opens when it has settled, instead of being balanced on a start without clients.
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
        self.opens = 0  # clock month of the first month it runs
        self._open = False

    def is_open(self) -> bool:
        return self._open

    def start(self, clock: Clock) -> None:
        self.opens = max(self.params.opens_after_months - self.model.config.run.warm_up_months, 0)
        if self.opens == 0:
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
            if clock.month + 1 >= self.opens:
                self._balance()  # on the staff providers hired freely this month
            return
        c = self.params
        providers = self.model.providers
        fte = providers.fte.copy()
        monthly_turnover = 1 - (1 - c.turnover_rate) ** (1 / 12)
        leavers = fte * monthly_turnover
        fte -= leavers
        years = (clock.month - self.opens) / 12
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
